"""Providers for `upstream pull`: a real HTTP server on 127.0.0.1 answering with the
documented v2 and Instatus bodies (tests/upstream/), and sites that name it."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..conftest import CONFIG, SiteDir

FIXTURES = Path(__file__).parent.parent / "upstream"
V2 = (FIXTURES / "statuspage-v2-summary.json").read_bytes()
INSTATUS = (FIXTURES / "instatus-summary.json").read_bytes()

Route = Callable[[BaseHTTPRequestHandler], None]


class Provider:
    """A real HTTP server on 127.0.0.1 whose answer per path the test sets."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()  # ends handlers that hang, at teardown
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.requests.append((self.path, dict(self.headers)))
                provider.routes[self.path](self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def body(data: bytes, etag: str | None = None, status: int = 200, length: bool = True) -> Route:
    def answer(h: BaseHTTPRequestHandler) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        if length:
            h.send_header("Content-Length", str(len(data)))
        if etag:
            h.send_header("ETag", etag)
        h.end_headers()
        with contextlib.suppress(OSError):  # the client may hang up on an oversize body
            h.wfile.write(data)

    return answer


def site_with(root: Path, upstream: str) -> SiteDir:
    return SiteDir(root, CONFIG + upstream)


def pull(
    site: SiteDir, *args: str, now: str = "2026-12-07T19:00:00Z"
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "statuspage.commands.main", "upstream", "pull"]
    command += ["--source", str(site.root), "--now", now, "--backoff", "0.05", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def snapshot(site: SiteDir, upstream_id: str) -> dict[str, object]:
    return json.loads((site.root / "upstream" / f"{upstream_id}.json").read_text())
