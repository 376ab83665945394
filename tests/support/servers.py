"""Shared by test modules: ports and processes serving on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request


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
