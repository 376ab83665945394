"""The widgets on another site, in headless Chromium: the status site is served under a
sub-path (/status/) on one 127.0.0.1 port, with `Access-Control-Allow-Origin: *` as
GitHub Pages sends it, and the host pages that embed it on another port (another origin)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from statuspage.theme import default_templates_dir

from ..conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir
from ..support.maintenance import MAINTENANCE
from ..support.servers import QuietHandler
from .conftest import CHROMIUM, HERE, NODE_MODULES, require

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script> API "errors" & more'
INCIDENT = EXAMPLE_INCIDENT.replace(
    "title: Elevated error rates on the API", f"title: '{HOSTILE}'"
)  # fmt: skip
ID = "2026-11-20-api-errors"
# Opened with the website down; in `monitoring` now, every component operational again.
RECOVERED = """\
---
title: Website unreachable
impact: critical
components:
  web: major_outage
---

## Monitoring · 2026-11-20 14:40
Components: web=operational

It answers again; we are watching it.

## Investigating · 2026-11-20 14:02
The website does not answer.
"""


class PagesHandler(QuietHandler):
    """Files as GitHub Pages serves them: readable from any origin."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def serve(root: Path, handler: type[QuietHandler]) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def host_page(script: str = "", body: str = "", csp: str = "") -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">' if csp else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{meta}<title>Host</title><link rel="icon" href="data:,">'
        f"{script}</head><body><h1>A host page</h1>{body}</body></html>"
    )


@pytest.fixture(scope="module")
def origins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(status origin, host origin): the sites at three moments under /status/ sub-paths
    of the one, host pages on the other."""
    tmp = tmp_path_factory.mktemp("embed")
    status, hosts = tmp / "status-site", tmp / "host-site"
    sites = {
        "status": ("2026-11-20 14:30", INCIDENT),
        "calm/status": ("2026-11-26 10:00", INCIDENT),
    }
    sites["works/status"] = ("2026-12-01 03:00", MAINTENANCE)
    sites["mended/status"] = ("2026-11-20 14:50", RECOVERED)
    names = {
        INCIDENT: f"{ID}.md",
        MAINTENANCE: "2026-12-01-db-upgrade.md",
        RECOVERED: "2026-11-20-web.md",
    }
    for prefix, (now, text) in sites.items():
        site = SiteDir(tmp / prefix.replace("/", "-"), CONFIG)
        site.incident(names[text], text)
        site.build(now, status / prefix)
    hosts.mkdir()
    status_server, status_url = serve(status, PagesHandler)
    host_server, host_url = serve(hosts, QuietHandler)

    def script(path: str, extra: str = "") -> str:
        return f'<script src="{status_url}{path}embed.js" async{extra}></script>'

    pages = {
        "open.html": host_page(script("status/")),
        "calm.html": host_page(script("calm/status/")),
        "works.html": host_page(script("works/status/")),
        "mended.html": host_page(script("mended/status/")),
        "top-api.html": host_page(script("status/", ' data-position="top" data-components="api"')),
        "db-only.html": host_page(script("status/", ' data-components="db"')),
        # The host forbids scripts from elsewhere: embed.js never runs.
        "no-scripts.html": host_page(script("status/"), csp="default-src 'self'"),
        # The host allows the script and its request, but no style of any kind.
        "no-styles.html": host_page(
            script("status/"),
            csp=f"default-src 'none'; script-src {status_url}; connect-src {status_url}; img-src data:",
        ),
        "frame.html": host_page(
            body=f'<iframe src="{status_url}status/embed/" title="Status" width="360" height="48"></iframe>'
        ),
    }
    for name, text in pages.items():
        (hosts / name).write_text(text, encoding="utf-8")
    try:
        yield status_url, host_url
    finally:
        for server in (status_server, host_server):
            server.shutdown()
            server.server_close()


def visit(*visits: dict[str, object]) -> list[dict]:
    require(shutil.which("node") is not None, "Node.js")
    require((NODE_MODULES / "playwright-core").is_dir(), "playwright-core (npm)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    done = subprocess.run(
        ["node", str(HERE / "embed.cjs"), json.dumps(list(visits))],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_banner_names_the_open_incident_as_text_across_origins(origins: tuple[str, str]) -> None:
    status, host = origins
    light, dark, blocked = visit(
        {"url": host + "open.html", "scheme": "light", "dismiss": True},
        {"url": host + "open.html", "scheme": "dark", "width": "phone"},
        {"url": host + "open.html", "blockScript": True},
    )
    for report in (light, dark):
        banner = report["banner"]
        assert banner["text"] == f"{HOSTILE} · Investigating ×"
        assert banner["links"] == [{"text": HOSTILE, "href": f"{status}status/incidents/{ID}/"}]
        # The title's markup stayed text: no element was made from it, nothing ran.
        assert banner["tags"] == ["div", "ul", "li", "a", "button"]
        assert report["dialogs"] == [] and report["errors"] == [] and report["console"] == []
        # One request to the status site besides the script: summary.json beside it.
        assert report["requests"] == [
            host + "open.html",
            f"{status}status/embed.js",
            f"{status}status/api/v2/summary.json",
        ]
        assert report["cookie"] == "" and report["cookies"] == 0
        # No globals: the window has the same names as with the script blocked.
        assert report["globals"] == blocked["globals"]
        assert (
            banner["position"] == "fixed"
            and abs(banner["bottom"] - 8) < 1
            and banner["role"] == "status"
        )
    assert blocked["banner"] is None
    assert light["banner"]["background"] == "rgb(255, 255, 255)"
    assert dark["banner"]["background"] == "rgb(21, 27, 35)"
    assert light["afterDismiss"] == 0


def test_no_banner_while_all_is_operational(origins: tuple[str, str]) -> None:
    status, host = origins
    (calm,) = visit({"url": host + "calm.html"})
    assert calm["banner"] is None
    assert calm["requests"][-1] == f"{status}calm/status/api/v2/summary.json"
    assert calm["console"] == [] and calm["errors"] == []


def test_maintenance_in_progress_shows_and_motion_follows_the_readers_setting(
    origins: tuple[str, str],
) -> None:
    status, host = origins
    moving, still = visit(
        {"url": host + "works.html"}, {"url": host + "works.html", "reducedMotion": "reduce"}
    )
    assert moving["banner"]["text"] == "Database upgrade · Maintenance in progress ×"
    assert moving["banner"]["links"][0]["href"].startswith(f"{status}works/status/incidents/")
    assert (moving["banner"]["animation"], still["banner"]["animation"]) == ("in", "none")


def test_an_incident_whose_components_work_again_shows_in_the_operational_colour(
    origins: tuple[str, str],
) -> None:
    _, host = origins
    open_light, light, dark = visit(
        {"url": host + "open.html"},
        {"url": host + "mended.html"},
        {"url": host + "mended.html", "scheme": "dark"},
    )
    assert light["banner"]["text"] == "Website unreachable · Monitoring ×"
    # Green as the page's headline, not the red of the incident's impact.
    assert (light["banner"]["accent"], dark["banner"]["accent"]) == (
        "rgb(26, 127, 55)",
        "rgb(63, 185, 80)",
    )
    assert open_light["banner"]["accent"] == "rgb(232, 89, 12)"  # the API in partial outage: orange


def test_data_attributes_choose_the_components_and_the_edge(origins: tuple[str, str]) -> None:
    _, host = origins
    top, db = visit({"url": host + "top-api.html"}, {"url": host + "db-only.html"})
    assert top["banner"]["text"].startswith(HOSTILE) and abs(top["banner"]["top"] - 8) < 1
    assert db["banner"] is None and db["console"] == []


def test_a_host_that_forbids_the_script_shows_nothing(origins: tuple[str, str]) -> None:
    status, host = origins
    (report,) = visit({"url": host + "no-scripts.html"})
    assert report["banner"] is None and report["errors"] == [] and report["dialogs"] == []
    assert f"{status}status/api/v2/summary.json" not in report["requests"]


def test_a_host_that_forbids_styles_still_gets_a_styled_banner(origins: tuple[str, str]) -> None:
    _, host = origins
    (report,) = visit({"url": host + "no-styles.html"})
    banner = report["banner"]
    assert banner["position"] == "fixed" and banner["background"] == "rgb(255, 255, 255)"
    assert report["console"] == [] and report["errors"] == []


def test_the_iframe_widget_across_origins_in_light_and_dark(origins: tuple[str, str]) -> None:
    status, host = origins
    light, dark = visit(
        {"url": host + "frame.html"}, {"url": host + "frame.html", "scheme": "dark"}
    )
    for report in (light, dark):
        (frame,) = report["frames"]
        assert frame["url"] == f"{status}status/embed/"
        assert frame["text"] == "Partial System Outage View status" and frame["styled"]
        assert frame["link"] == {"href": f"{status}status/index.html", "target": "_blank"}
        # The widget's page is the only request it makes: no stylesheet, font or image.
        assert report["requests"] == [host + "frame.html", f"{status}status/embed/"]
        assert report["console"] == [] and report["errors"] == []
    assert (light["frames"][0]["background"], dark["frames"][0]["background"]) == (
        "rgb(255, 255, 255)",
        "rgb(21, 27, 35)",
    )


# A Japanese site whose own embed.js says the status words in Japanese, and a title in
# Japanese and German; the host pages are in Shift_JIS and windows-1252, and embed.js is
# served as `text/javascript` without a charset (as many hosts do), so the browser
# decodes it in the host page's encoding.
TITLE = "API の遅延 · Störung ×"
WORDS = {"Investigating": "調査中", "Dismiss": "閉じる"}  # the button's label: not in its text


@pytest.fixture(scope="module")
def legacy_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(status origin, host origin, built status site)."""
    tmp = tmp_path_factory.mktemp("legacy")
    script = (default_templates_dir() / "assets" / "embed.js").read_text(encoding="utf-8")
    for english, japanese in WORDS.items():
        script = script.replace(f'"{english}"', f'"{japanese}"')
    for prefix in ("own", "theme"):
        site = SiteDir(tmp / prefix, CONFIG + "language: ja\n")
        site.incident(
            f"{ID}.md", EXAMPLE_INCIDENT.replace("Elevated error rates on the API", TITLE)
        )
        if prefix == "own":
            (site.root / "site-templates" / "assets").mkdir(parents=True)
            (site.root / "site-templates" / "assets" / "embed.js").write_text(
                script, encoding="utf-8"
            )
        site.build("2026-11-20 14:30", tmp / "status" / prefix)
    hosts = tmp / "hosts"
    hosts.mkdir()
    status_server, status_url = serve(tmp / "status", PagesHandler)
    host_server, host_url = serve(hosts, QuietHandler)
    for name, encoding, prefix in (
        ("sjis.html", "shift_jis", "own"),
        ("latin.html", "windows-1252", "theme"),
    ):
        page = host_page(f'<script src="{status_url}{prefix}/embed.js" async></script>')
        page = page.replace('charset="utf-8"', f'charset="{encoding}"')
        (hosts / name).write_bytes(page.encode(encoding))
    try:
        yield status_url, host_url, tmp / "status"
    finally:
        for server in (status_server, host_server):
            server.shutdown()
            server.server_close()


def test_embed_js_is_ascii_and_reads_right_on_a_host_page_in_another_encoding(
    legacy_hosts: tuple[str, str, Path],
) -> None:
    _, host, built = legacy_hosts
    for prefix in ("own", "theme"):
        script = (built / prefix / "embed.js").read_bytes()
        assert max(script) < 0x80, prefix
    own, theme = visit({"url": host + "sjis.html"}, {"url": host + "latin.html"})
    assert own["banner"]["text"] == f"{TITLE} · 調査中 ×"
    assert own["banner"]["links"][0]["text"] == TITLE
    assert theme["banner"]["text"] == f"{TITLE} · Investigating ×"
    for report in (own, theme):
        assert report["console"] == [] and report["errors"] == []
