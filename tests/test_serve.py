"""`statuspage serve`: a real server on 127.0.0.1, real file edits, real HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from statuspage.outputs.freshness import SCRIPT, SCRIPT_HASH
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.preview.inject import EVENTS_PATH, served_html, widen_csp
from statuspage.preview.server import allowed_authority

from .conftest import EXAMPLE_INCIDENT, REPO, SiteDir, read_cache, text_of
from .support.serve import DEADLINE, Server, banner_of


@pytest.fixture
def serve() -> Iterator[Callable[[Path], Server]]:
    servers: list[Server] = []

    def start(root: Path) -> Server:
        servers.append(Server(root))
        return servers[-1]

    yield start
    for server in servers:
        server.kill()


def title_of(page: str) -> str:
    return text_of(lxml_html.fromstring(page).cssselect("h1")[0])


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site_when_a_file_breaks(
    site_dir: SiteDir, serve
) -> None:
    incident = site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    for day in (
        3,
        4,
        5,
    ):  # older incidents, whose pages an edit of another one must not render again
        site_dir.incident(
            f"2026-11-0{day}-x.md",
            f"---\ntitle: Old {day}\n---\n\n## Resolved · 2026-11-0{day} 11:00\nok\n\n## Investigating · 2026-11-0{day} 10:00\nx\n",
        )
    server = serve(site_dir.root)
    page_path = "incidents/2026-11-20-api-errors/"

    status, page = server.get(page_path)
    assert status == 200
    assert title_of(page) == "Elevated error rates on the API"
    scripts = lxml_html.fromstring(page).cssselect("script")
    assert len(scripts) == 1 and EVENTS_PATH in scripts[0].text
    assert banner_of(page) is None
    assert not (site_dir.root / "_site").exists(), "serve must not write into the site folder"

    # An edit shows up without restarting anything.
    incident.write_text(
        EXAMPLE_INCIDENT.replace("Elevated error rates", "Raised error rates"), encoding="utf-8"
    )
    page = server.wait_for(page_path, lambda body: "Raised error rates on the API" in body)
    assert title_of(page) == "Raised error rates on the API"
    # Incrementally: the edit renders only the pages showing that incident (and the always-made ones).
    rendered = []
    end = time.monotonic() + DEADLINE
    while len(rendered) < 2 and time.monotonic() < end:
        rendered = [
            int(m[1])
            for line in list(server.stdout_lines)
            if (m := re.search(r"\((\d+) pages? rendered\)", line))
        ]
        time.sleep(0.05)
    assert len(rendered) == 2 and rendered[1] < rendered[0], server.stdout_lines

    # A broken file: its path:line error in the terminal and in the browser, over the last good page.
    incident.write_text(EXAMPLE_INCIDENT.replace("impact: major", "impact: catastrophic").replace("Elevated", "Broken"), encoding="utf-8")  # fmt: skip
    page = server.wait_for(page_path, lambda body: banner_of(body) is not None)
    banner = banner_of(page)
    assert "incidents/2026-11-20-api-errors.md:3: unknown impact 'catastrophic'" in banner
    assert title_of(page) == "Raised error rates on the API"
    assert server.get("")[0] == 200
    assert any("incidents/2026-11-20-api-errors.md:3:" in line for line in server.stderr)

    # Fixed again: the banner goes away.
    incident.write_text(EXAMPLE_INCIDENT, encoding="utf-8")
    page = server.wait_for(page_path, lambda body: banner_of(body) is None)
    assert title_of(page) == "Elevated error rates on the API"

    status, missing = server.get("no/such/page/")
    assert status == 404 and "<script" in missing

    assert server.interrupt() == 0
    output = "".join(server.stderr)
    assert "Traceback" not in output
    assert "Stopped." in "".join(server.stdout.queue)
    # What it parsed is left for the next `build` (the last version of each file).
    saved = read_cache(site_dir.root / CACHE_DIR / "incidents.json")
    assert sorted(saved["files"]) == [
        "2026-11-03-x.md",
        "2026-11-04-x.md",
        "2026-11-05-x.md",
        "2026-11-20-api-errors.md",
    ]
    assert site_dir.run("build", "--now", "2026-11-26 10:00").exit_code == 0


def test_serve_starts_on_a_broken_site_and_recovers(site_dir: SiteDir, serve) -> None:
    incident = site_dir.incident(
        "2026-11-20-api-errors.md",
        EXAMPLE_INCIDENT.replace("api: partial_outage", "apx: partial_outage"),
    )
    server = serve(site_dir.root)
    status, page = server.get("")
    assert status == 500
    assert "incidents/2026-11-20-api-errors.md:5: unknown component 'apx'" in banner_of(page)
    assert "Nothing could be built yet" in banner_of(page)

    incident.write_text(EXAMPLE_INCIDENT, encoding="utf-8")
    page = server.wait_for("", lambda body: banner_of(body) is None and "Test Status" in body)
    assert server.interrupt() == 0


def test_the_reload_script_is_only_in_served_pages(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    out = site_dir.build("2026-11-21 10:00")
    built = sorted(out.rglob("*.html"))
    assert built
    ours = f"<script>{SCRIPT}</script>"  # the page's own freshness script, allowed by its hash
    for path in built:
        assert "<script" not in path.read_text(encoding="utf-8").replace(ours, ""), path

    original = (out / "index.html").read_text(encoding="utf-8")
    served = served_html(original, generation="abc-1", errors=[])
    policy = (
        lxml_html.fromstring(served)
        .cssselect('meta[http-equiv="Content-Security-Policy"]')[0]
        .get("content")
    )
    (script,) = lxml_html.fromstring(served).cssselect("script[nonce]")
    script_src = policy.split("script-src", 1)[1].split(";")[0]
    assert f"'nonce-{script.get('nonce')}'" in script_src and f"'{SCRIPT_HASH}'" in script_src
    # Everything else the built page allows or forbids stays as it was.
    built_policy = (
        lxml_html.fromstring(original)
        .cssselect('meta[http-equiv="Content-Security-Policy"]')[0]
        .get("content")
    )
    for directive in built_policy.split(";"):
        name = directive.split()[0]
        if name not in ("style-src", "connect-src", "script-src"):
            assert directive.strip() in policy
    assert "'unsafe-inline'" not in policy


def test_widen_csp_copies_default_src_for_missing_directives() -> None:
    policy = widen_csp("default-src 'self'; img-src data:", "N")
    assert "script-src 'self' 'nonce-N'" in policy
    assert "style-src 'self' 'nonce-N'" in policy
    assert "connect-src 'self'" in policy
    assert "img-src data:" in policy


def test_serve_watches_what_a_build_reads_and_not_the_output(site_dir: SiteDir, serve) -> None:
    """A recursive watch of the whole folder would also watch `_site/`'s thousands of folders
    (one inotify watch each), overflow the kernel's queue on every build and miss saves."""
    from watchdog.observers import Observer

    from statuspage.preview.rebuild import Preview
    from statuspage.preview.watch import ChangeHandler, watch

    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    for folder in ("_site/incidents/a", ".git/objects", "node_modules/x", "translations"):
        (site_dir.root / folder).mkdir(parents=True)
    observer = Observer()
    watch(
        observer,
        ChangeHandler(Preview(site_dir.root, site_dir.root, lambda config: datetime.now(UTC))),
        site_dir.root,
    )
    watched = {(Path(e.watch.path), e.watch.is_recursive) for e in observer.emitters}
    assert watched == {
        (site_dir.root, False),
        (site_dir.root / "incidents", True),
        (site_dir.root / "translations", True),
    }

    # A folder made while serving (a theme override, say) is watched from then on.
    server = serve(site_dir.root)
    (site_dir.root / "site-templates").mkdir()
    time.sleep(0.5)
    (site_dir.root / "site-templates" / "404.html").write_text(
        '{% extends "default/404.html" %}{% block main %}<h1>Lost?</h1>{% endblock %}'
    )
    page = server.wait_for("no/such/page/", lambda body: "Lost?" in body)
    assert title_of(page) == "Lost?"
    assert server.interrupt() == 0


def test_head_answers_with_the_length_get_sends(site_dir: SiteDir, serve) -> None:
    incident = site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    server = serve(site_dir.root)

    def lengths(path: str) -> tuple[int, int, bytes]:
        url = server.url + path
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as head:
            announced, head_body = int(head.headers["Content-Length"]), head.read()
        with urllib.request.urlopen(url, timeout=10) as get:
            return announced, len(get.read()), head_body

    for path in ("", "incidents/2026-11-20-api-errors/", "assets/style.css"):
        announced, sent, head_body = lengths(path)
        assert announced == sent and head_body == b"", path
    # With the error banner in the page too.
    incident.write_text(
        EXAMPLE_INCIDENT.replace("impact: major", "impact: catastrophic"), encoding="utf-8"
    )
    server.wait_for("", lambda body: banner_of(body) is not None)
    announced, sent, _ = lengths("")
    assert announced == sent


def raw_request(server: Server, request: str) -> tuple[int, bytes, bytes]:
    """(status, headers, body) for *request* sent as written over a socket (HTTP/1.0
    answers: the server closes the connection after one)."""
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


def test_serve_answers_only_to_its_own_names(site_dir: SiteDir, serve) -> None:
    # Issue 29: a DNS-rebinding page (evil.example re-pointed at 127.0.0.1) is same-origin
    # with the preview in the browser and could read incidents not pushed yet.
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT.replace("Elevated", "Unpushed"))
    server = serve(site_dir.root)
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    page = "/incidents/2026-11-20-api-errors/"
    server.wait_for(page, lambda body: "Unpushed" in body)

    def get(target: str, *headers: str, method: str = "GET") -> tuple[int, bytes, bytes]:
        lines = [f"{method} {target} HTTP/1.1", *headers, "Connection: close", "", ""]
        return raw_request(server, "\r\n".join(lines))

    forged = {
        "name": get("/", "Host: evil.example"),
        "name and port": get("/", f"Host: evil.example:{port}"),
        "suffix": get("/", f"Host: 127.0.0.1.evil.example:{port}"),
        "prefix": get("/", f"Host: evil-127.0.0.1:{port}"),
        "other port": get("/", f"Host: localhost:{port + 1}"),
        "no port": get("/", "Host: localhost"),
        "empty": get("/", "Host: "),
        "missing": raw_request(server, "GET / HTTP/1.0\r\n\r\n"),
        "two": get("/", f"Host: 127.0.0.1:{port}", f"Host: evil.example:{port}"),
        "absolute": get(f"http://evil.example:{port}/", f"Host: 127.0.0.1:{port}"),
        "absolute only": raw_request(server, f"GET http://evil.example:{port}/ HTTP/1.0\r\n\r\n"),
        "absolute, forged host": get(f"http://127.0.0.1:{port}/", f"Host: evil.example:{port}"),
        "page": get(page, f"Host: evil.example:{port}"),
        "asset": get("/assets/style.css", f"Host: evil.example:{port}"),
        "api": get("/api/v2/summary.json", f"Host: evil.example:{port}"),
        "events": get(EVENTS_PATH, f"Host: evil.example:{port}"),
    }
    for what, (status, _, body) in forged.items():
        assert status == 421, what
        assert body.count(b"\n") == 1 and body.endswith(b"\n"), what
        assert b"answers only to" in body and b"Unpushed" not in body, what
    status, head, body = get("/", f"Host: evil.example:{port}", method="HEAD")
    assert (status, body) == (421, b"") and b"Content-Length: " in head

    allowed = [
        get(page, f"Host: 127.0.0.1:{port}"),
        get(page, f"Host: localhost:{port}"),
        get(page, f"Host: LocalHost:{port}"),
        get(page, f"Host: [::1]:{port}"),
        get(f"http://localhost:{port}{page}", f"Host: localhost:{port}"),
        raw_request(server, f"GET http://127.0.0.1:{port}{page} HTTP/1.0\r\n\r\n"),
    ]
    for status, _, body in allowed:
        assert status == 200 and b"Unpushed" in body
    assert get("/", f"Host: 127.0.0.1:{port}")[0] == 200


def test_serve_on_another_host_answers_to_that_name_too(site_dir: SiteDir) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "statuspage", "serve", "--source", str(site_dir.root), "--port", "0",
         "--host", "127.0.0.2"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        found = None
        while found is None and (line := process.stdout.readline()):
            found = re.search(r"Serving http://127\.0\.0\.2:(\d+)/", line)
        assert found is not None
        port = int(found.group(1))

        def status(host: str) -> int:
            with socket.create_connection(("127.0.0.2", port), timeout=10) as sock:
                sock.sendall(
                    f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
                )
                return int(sock.recv(65536).split(b" ", 2)[1])

        assert [status(f"{h}:{port}") for h in ("127.0.0.2", "localhost")] == [200, 200]
        assert [
            status(f"{h}:{port}") for h in ("127.0.0.3", "evil.example", "127.0.0.2.evil.example")
        ] == [421] * 3
    finally:
        process.kill()
        process.communicate()  # reaps it and closes its pipes


@pytest.mark.parametrize(
    ("authority", "host", "served"),
    [
        ("192.0.2.7:8000", "0.0.0.0", True),  # on every interface: any address, never a name
        ("[2001:db8::1]:8000", "::", True),
        ("status.lan:8000", "0.0.0.0", False),
        ("192.0.2.7.nip.io:8000", "0.0.0.0", False),
        ("192.0.2.7:8000", "127.0.0.1", False),
        ("[::1]:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        ("status.lan:8000", "status.lan", True),
        ("STATUS.lan:8000", "status.lan", True),
        ("status.lan:8001", "status.lan", False),
        ("localhost", "127.0.0.1", False),  # no port: port 80, not this one
        ("[::1]", "127.0.0.1", False),
    ],
)
def test_which_names_a_preview_answers_to(authority: str, host: str, served: bool) -> None:
    assert allowed_authority(authority, host, 8000) is served


@pytest.mark.parametrize("authority", ["localhost", "[::1]", "127.0.0.1:80", "localhost:80"])
def test_a_preview_on_port_80_answers_without_a_port(authority: str) -> None:
    assert allowed_authority(authority, "127.0.0.1", 80)
    assert not allowed_authority("evil.example", "127.0.0.1", 80)
