"""Shared by test modules: ports and processes serving on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(process: subprocess.Popen, url: str, timeout: float = 30) -> None:
    """Return once *url* answers (a GET, or a TCP connect for a bare host:port)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if url.startswith("http"):
                urllib.request.urlopen(url, timeout=2).close()
            else:
                host, port = url.rsplit(":", 1)
                socket.create_connection((host, int(port)), timeout=2).close()
            return
        except OSError:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, f"{process.args[0]} did not start in {timeout}s"
            time.sleep(0.2)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """*folder* over HTTP on 127.0.0.1 (a free port) while inside; its base URL, with `/`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
