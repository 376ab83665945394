"""Shared by test modules: a relay process in front of a fake GitHub, and raw requests to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .inert import printed_dangers
from .servers import free_port, wait_until_up

TOKEN = "ghp_Relay0Secret0Token0xyz"


class FakeGitHub:
    """The dispatch endpoint on 127.0.0.1: keeps each request, answers the next code of
    *codes* (then 204, as GitHub does)."""

    def __init__(self, codes: list[int] | None = None) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        codes = list(codes or [])
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                requests.append((self.path, dict(self.headers), body))
                self.send_response(codes.pop(0) if codes else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class RunningRelay:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.stdout = self.stderr = ""

    def threads(self) -> int:
        """The relay process's thread count, as the kernel sees it."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(
            next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:"))
        )


@contextmanager
def relay(
    github: FakeGitHub, token: str = TOKEN, inbound: str | None = None
) -> Iterator[RunningRelay]:
    """`python -m statuspage relay` on a free port; its output is kept once it stops."""
    port = free_port()
    env = {**os.environ, "GITHUB_TOKEN": token}
    env.pop("STATUSPAGE_RELAY_TOKEN", None)
    if inbound is not None:
        env["STATUSPAGE_RELAY_TOKEN"] = inbound
    process = subprocess.Popen(
        [sys.executable, "-m", "statuspage", "relay", "--repo", "octo/status", "--listen",
         f"127.0.0.1:{port}", "--api-url", github.url],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    running = RunningRelay(process, port)
    try:
        wait_until_up(process, f"127.0.0.1:{port}")
        yield running
    finally:
        process.terminate()
        running.stdout, running.stderr = process.communicate(timeout=30)


def request(
    body: bytes, *, token: str | None = None, headers: str = "", length: str | None = None
) -> bytes:
    """A POST of *body* (headers are bytes as latin-1 spells them)."""
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    size = str(len(body)) if length is None else length
    return (
        f"POST / HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n{auth}{headers}"
        f"Content-Length: {size}\r\n\r\n"
    ).encode("latin-1") + body


def read_answer(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65_536):
        data += chunk
    return data


def exchange(port: int, data: bytes, *, end: str = "keep") -> tuple[int, str]:
    """Send *data*; then keep the connection open, half-close it (`shut`) or reset it
    (`reset`, no answer can come); the relay's (status, one-line reason)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(data)
        if end == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            return 0, ""
        if end == "shut":
            sock.shutdown(socket.SHUT_WR)
        return parse_answer(read_answer(sock))


def parse_answer(answer: bytes) -> tuple[int, str]:
    assert answer, "the relay closed the connection without an answer"
    head, _, body = answer.partition(b"\r\n\r\n")
    text = body.decode()
    assert text.endswith("\n") and text.count("\n") == 1, text
    assert printed_dangers(text) == [], text
    return int(head.split()[1]), text.strip()
