"""`statuspage notify` under hostile or broken endpoints (issue 18), against real servers
on 127.0.0.1 and real processes: deadlines, secrets never printed, one endpoint's failure
never costing another its messages, idempotency keys, and text escaped for each chat."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from statuspage.notify.run import notify
from statuspage.notify.transport import RetryPolicy

from . import test_notify as notify_tests
from .conftest import CONFIG, REPO, at
from .test_notify import Hooks, hook_yaml, site_with

DEADLINE = 3.0  # seconds; the trickling servers send a byte every 2 s
NOW = "2026-11-20 14:10"


class Trickle:
    """A server on 127.0.0.1 that, once connected to, answers one byte every 2 s forever
    (an HTTP status line, or an SMTP greeting), counting the bytes it got out."""

    def __init__(self, answer: bytes, *, read_request: bool) -> None:
        self.answer, self.read_request = answer, read_request
        self.sent = 0
        self.connections = 0
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            if self.read_request:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
            for byte in self.answer:
                if self.stop.wait(2.0):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # the client hung up: it gave up on us
                self.sent += 1

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def slow_http() -> Iterator[Trickle]:
    server = Trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" * 50, read_request=True)
    yield server
    server.close()


@pytest.fixture
def slow_smtp() -> Iterator[Trickle]:
    server = Trickle(b"220 slow.example ESMTP ready\r\n" * 50, read_request=False)
    yield server
    server.close()


hooks = notify_tests.hooks  # the fast webhook receiver fixture, recording every request


def run_notify(site, env: dict[str, str]):  # type: ignore[no-untyped-def]
    loaded = site.load()
    endpoints = list(loaded.config.notify)
    return notify(
        loaded, endpoints, site.root / ".statuspage/notified.json", at(NOW), backfill=True,
        environ=env, policy=RetryPolicy(deadline=DEADLINE), sleep=lambda s: None,
    )  # fmt: skip


def notify_args(root: Path) -> list[str]:
    moment = "2026-11-20T14:10:00+01:00"
    return [
        sys.executable,
        "-m",
        "statuspage",
        "notify",
        "--source",
        str(root),
        "--now",
        moment,
        "--backfill",
    ]


def cli_notify(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        notify_args(root), capture_output=True, text=True, env={**os.environ, **env}, timeout=120
    )


# -- deadlines ------------------------------------------------------------------------


def test_a_webhook_trickling_a_byte_every_2s_is_cut_at_its_deadline_and_the_others_still_run(
    tmp_path: Path, hooks: Hooks, slow_http: Trickle
) -> None:
    site = site_with(tmp_path, hook_yaml(
        f"    - {{url: 'http://127.0.0.1:{slow_http.port}/slow', format: json}}\n",
        "    - {url: '${HOOK}/fast', format: json}\n",
    ))  # fmt: skip
    slow, fast = run_notify(site, {"HOOK": hooks.url}).outcomes
    assert slow.error is not None and f"within the endpoint's {DEADLINE:g} s deadline" in slow.error
    assert slow.pending == 1 and slow.sent == []
    assert len(fast.sent) == 1 and len(hooks.to("/fast")) == 1
    # Cut at the deadline, not let run: at most one byte per 2 s of it, and no retry.
    assert slow_http.sent <= DEADLINE / 2 + 1
    assert slow_http.connections == 1


def test_an_smtp_server_trickling_its_greeting_is_cut_at_its_deadline_and_the_others_still_run(
    tmp_path: Path, hooks: Hooks, slow_smtp: Trickle
) -> None:
    site = site_with(tmp_path, (
        "notify:\n"
        f"  email:\n    smtp: {{host: 127.0.0.1, port: {slow_smtp.port}, starttls: false}}\n"
        "    from: status@example.com\n    to: [list@example.com]\n"
        "  webhooks:\n    - {url: '${HOOK}/fast', format: json}\n"
    ))  # fmt: skip
    outcomes = {o.endpoint.kind: o for o in run_notify(site, {"HOOK": hooks.url}).outcomes}
    mail, hook = outcomes["email"], outcomes["webhook"]
    assert mail.error is not None and "deadline" in mail.error and mail.pending == 1
    assert len(hook.sent) == 1 and len(hooks.to("/fast")) == 1
    assert slow_smtp.sent <= DEADLINE / 2 + 1
    assert slow_smtp.connections == 1


CUT = 2  # seconds: `notify: deadline:` in the tests below, measured from outside the process
MARGIN = 8  # seconds for Python to start, load the site and report (a bound, not a timing)
DRIBBLING = 60  # seconds a Dribble peer keeps going before it gives up by itself


class Dribble:
    """A peer on 127.0.0.1 whose first connection gets *prefix* at once and then one byte
    every 0.25 s for DRIBBLING seconds (never tripping a per-read timeout); later
    connections, with *answer*, are answered at once (recording what they were sent)."""

    def __init__(self, prefix: bytes, *, http: bool, answer: bytes = b"") -> None:
        self.prefix, self.http, self.answer = prefix, http, answer
        self.requests: list[bytes] = []
        self.connections = 0
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            first = self.connections == 1
            threading.Thread(target=self._talk, args=(conn, first), daemon=True).start()

    def _request(self, conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = re.search(rb"(?i)content-length: *(\d+)", head)
        while length and len(body) < int(length.group(1)):
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    def _talk(self, conn: socket.socket, first: bool) -> None:
        with conn:
            try:
                request = self._request(conn) if self.http else b""
                if not first:
                    self.requests.append(request)
                    conn.sendall(self.answer)
                    return
                conn.sendall(self.prefix)
                for _ in range(int(DRIBBLING / 0.25)):
                    if self.stop.wait(0.25):
                        return
                    conn.sendall(b"a")
            except OSError:
                return  # the client hung up: it gave up on us

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def timed_notify(root: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.monotonic()
    result = cli_notify(root, env)
    return time.monotonic() - start, result


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param(b"", id="status-line"),
        pytest.param(b"HTTP/1.1 200 OK\r\nX-Slow: ", id="headers"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n", id="body"),
    ],
)
def test_notify_returns_at_the_deadline_whatever_a_webhook_dribbles(
    tmp_path: Path, hooks: Hooks, prefix: bytes
) -> None:
    # Issue 28: a body dribbled a byte at a time held `notify` far past the deadline.
    peer = Dribble(prefix, http=True, answer=OK)
    try:
        site = site_with(tmp_path, (
            f"notify:\n  deadline: {CUT}\n  webhooks:\n"
            f"    - {{url: 'http://127.0.0.1:{peer.port}/slow', format: json}}\n"
            "    - {url: '${HOOK}/fast', format: json}\n"
        ))  # fmt: skip
        env = {"HOOK": hooks.url}
        elapsed, result = timed_notify(site.root, env)
        assert elapsed < CUT + MARGIN, (elapsed, result.stderr)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"within the endpoint's {CUT} s deadline" in result.stderr
        assert "1 message left for the next run" in result.stderr
        assert len(hooks.to("/fast")) == 1 and peer.connections == 1
        # Not recorded as sent: the next run sends it, once, and the one after nothing.
        again = cli_notify(site.root, env)
        assert again.returncode == 0, again.stderr
        assert len(peer.requests) == 1
        assert b"Idempotency-Key: 2026-11-20-api-errors#update-20261120t130200z" in peer.requests[0]
        assert len(hooks.to("/fast")) == 1
        assert cli_notify(site.root, env).returncode == 0
        assert len(peer.requests) == 1 and len(hooks.to("/fast")) == 1
    finally:
        peer.close()


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param(b"", id="greeting"),
        pytest.param(b"220 slow.example ESMTP\r\n250-", id="ehlo-answer"),
    ],
)
def test_notify_returns_at_the_deadline_whatever_an_smtp_server_dribbles(
    tmp_path: Path, hooks: Hooks, prefix: bytes
) -> None:
    peer = Dribble(prefix, http=False)
    try:
        site = site_with(tmp_path, (
            f"notify:\n  deadline: {CUT}\n"
            f"  email:\n    smtp: {{host: 127.0.0.1, port: {peer.port}, starttls: false}}\n"
            "    from: status@example.com\n    to: [list@example.com]\n"
            "  webhooks:\n    - {url: '${HOOK}/fast', format: json}\n"
        ))  # fmt: skip
        elapsed, result = timed_notify(site.root, {"HOOK": hooks.url})
        assert elapsed < CUT + MARGIN, (elapsed, result.stderr)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        (line,) = [ln for ln in result.stderr.splitlines() if "email #1" in ln]
        assert f"within the endpoint's {CUT} s deadline" in line and "1 message left" in line
        assert len(hooks.to("/fast")) == 1 and peer.connections == 1
        sent = state_of(site.root)
        (mail,) = [v for k, v in sent.items() if k.startswith("email-")]
        assert mail["sent"] == []  # retried on the next run
    finally:
        peer.close()


def state_of(root: Path) -> dict:
    return json.loads((root / ".statuspage/notified.json").read_text())["endpoints"]


def test_the_deadline_must_be_a_number_of_seconds(tmp_path: Path) -> None:
    site = site_with(
        tmp_path, "notify:\n  deadline: forever\n  webhooks:\n    - {url: 'http://127.0.0.1:9/a'}\n"
    )
    result = site.run("check")
    assert result.exit_code == 1
    line = CONFIG.count("\n") + 2
    assert (
        f"statuspage.yaml:{line}: `deadline:` must be a number of seconds up to 600"
        in result.output
    )


# -- secrets and failures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "problem"),
    [
        ("header", "tok-s3cr3t\r\nX-Injected: 1", "a newline"),
        ("header", "tok-s3cr3t-\u00e9\u00e8", "a non-ASCII character"),
        ("url", "/a?token=s3cr3t here", "a space"),
        ("url", "/a?token=s3cr3t\n", "a newline"),
    ],
)
def test_a_bad_secret_fails_its_endpoint_by_name_never_by_value_and_the_others_run(
    tmp_path: Path, hooks: Hooks, where: str, value: str, problem: str
) -> None:
    first = (
        "    - {url: '${HOOK}/a', format: json, headers: {Authorization: 'Bearer ${TOKEN}'}}\n"
        if where == "header" else "    - {url: '${HOOK}${TOKEN}', format: json}\n"
    )  # fmt: skip
    site = site_with(tmp_path, hook_yaml(first, "    - {url: '${HOOK}/b', format: json}\n"))
    line = (site.root / "statuspage.yaml").read_text().splitlines().index(first.rstrip("\n")) + 1
    result = cli_notify(site.root, {"HOOK": hooks.url, "TOKEN": value})
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "s3cr3t" not in output and "Traceback" not in output and "internal error" not in output
    (reported,) = [ln for ln in output.splitlines() if ln.startswith(f"statuspage.yaml:{line}: ")]
    assert "webhook #1" in reported and f"the value of ${{TOKEN}} contains {problem}" in reported
    assert len(hooks.to("/b")) == 1 and hooks.to("/a") == []


def test_an_unexpected_error_in_one_endpoint_never_skips_the_next(
    tmp_path: Path, hooks: Hooks
) -> None:
    # http.client refuses a header name with a colon (ValueError): before, the whole run died.
    site = site_with(tmp_path, hook_yaml(
        "    - {url: '${HOOK}/a', format: json, headers: {'X:Bad': '${TOKEN}'}}\n",
        "    - {url: '${HOOK}/b', format: json}\n",
    ))  # fmt: skip
    result = cli_notify(site.root, {"HOOK": hooks.url, "TOKEN": "s3cr3t"})
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert (
        "unexpected ValueError" in output and "s3cr3t" not in output and "Traceback" not in output
    )
    assert len(hooks.to("/b")) == 1


# -- at least once, with an idempotency key -------------------------------------------------


def test_a_kill_between_accept_and_state_write_resends_with_the_same_idempotency_key(
    tmp_path: Path,
) -> None:
    keys: list[str | None] = []
    victim: list[subprocess.Popen[str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            keys.append(self.headers.get("Idempotency-Key"))
            if len(keys) == 1:  # accepted; the sender dies before it can record it
                victim[0].send_signal(signal.SIGKILL)
                victim[0].wait()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
        env = {**os.environ, "HOOK": f"http://127.0.0.1:{server.server_address[1]}"}
        args = notify_args(site.root)
        victim.append(
            subprocess.Popen(
                args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
            )
        )
        assert victim[0].wait(timeout=120) == -signal.SIGKILL
        assert subprocess.run(args, env=env, capture_output=True, timeout=120).returncode == 0
    finally:
        server.shutdown()
        server.server_close()
    assert len(keys) == 2  # at least once: the receiver saw it twice ...
    assert keys[0] == keys[1] == "2026-11-20-api-errors#update-20261120t130200z"  # ... and can tell


# -- text escaped for each chat ---------------------------------------------------------------

HOSTILE_TITLE = "<!channel> <@U0123> **[Log in](https://evil.example)** & `x`"


@pytest.fixture
def chat_payloads(tmp_path: Path, hooks: Hooks) -> dict[str, dict]:
    site = site_with(
        tmp_path,
        hook_yaml(
            *(
                f"    - {{url: '${{HOOK}}/{f}', format: {f}}}\n"
                for f in ("slack", "discord", "teams")
            )
        ),
    )
    path = site.root / "incidents" / "2026-11-20-api-errors.md"
    path.write_text(
        path.read_text().replace("Elevated error rates on the API", json.dumps(HOSTILE_TITLE))
    )
    run_notify(site, {"HOOK": hooks.url})
    return {f: hooks.to(f"/{f}")[0] for f in ("slack", "discord", "teams")}


def test_slack_fallback_text_cannot_ping_the_channel(chat_payloads: dict[str, dict]) -> None:
    text = chat_payloads["slack"]["text"]
    assert "<!channel>" not in text and "<@U0123>" not in text and "<" not in text.split(" http")[0]
    assert "&lt;!channel&gt; &lt;@U0123&gt;" in text and "&amp; `x`" in text


@pytest.mark.parametrize("fmt", ["discord", "teams"])
def test_discord_and_teams_show_markdown_in_titles_as_written(
    chat_payloads: dict[str, dict], fmt: str
) -> None:
    payload = chat_payloads[fmt]
    if fmt == "discord":
        texts = [
            payload["content"],
            payload["embeds"][0]["title"],
            payload["embeds"][0]["description"],
        ]
    else:
        texts = [block["text"] for block in payload["attachments"][0]["content"]["body"]]
    escaped = r"\<!channel\> \<@U0123\> \*\*\[Log in\]\(https://evil.example\)\*\* & \`x\`"
    titled = texts[:2] if fmt == "discord" else texts[:1]  # Teams: the subject block
    assert all(escaped in t for t in titled), texts
    assert all("[Log in](" not in t and "**" not in t.replace(r"\*\*", "") for t in texts)


# -- the workflow ------------------------------------------------------------------------


def test_the_notify_state_commit_runs_even_when_the_job_is_cancelled_or_failed() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    steps = workflow["jobs"]["notify"]["steps"]
    (save,) = [
        s for s in steps if "notified.json" in s.get("run", "") and "git add" in s.get("run", "")
    ]
    assert save["if"] == "always()"
    assert steps.index(save) == len(steps) - 1  # after the send step, which may fail or be cut off
