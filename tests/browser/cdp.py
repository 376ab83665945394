"""A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`.

The pipe (fds 3 and 4 of the child) needs no port, no websocket library and no
driver matching Chromium's version: the least fragile way to drive Debian's chromium.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from queue import Empty, Queue
from typing import Any

# Debian's chromium, or the binary named by CHROMIUM (as in conftest.py and chromium.cjs).
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


class Browser:
    """Headless Chromium; `send` runs a command and returns its result; events are queued."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="statuspage-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:  # the child reads commands on fd 3 and writes replies on fd 4
            # Move both ends out of the way first: either may already sit on fd 3 or 4.
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(read_end, 3, inheritable=True)
            os.dup2(write_end, 4, inheritable=True)

        args = [
            str(CHROMIUM), "--headless=new", "--remote-debugging-pipe", "--no-first-run",
            "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--mute-audio",
            f"--user-data-dir={self.profile}", "about:blank",
        ]  # fmt: skip
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to sandbox as root
        self.process = subprocess.Popen(
            # os.pipe() fds are not inherited; dup2 onto 3 and 4 makes just those two
            # inheritable, and close_fds=False keeps them (close_fds would close them again).
            args, preexec_fn=wire_fds, close_fds=False,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._replies: dict[int, Queue[dict[str, Any]]] = {}
        self.events: Queue[dict[str, Any]] = Queue()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._from_child, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                buffer += chunk
                while b"\0" in buffer:
                    raw, buffer = buffer.split(b"\0", 1)
                    message = json.loads(raw)
                    if "id" in message:
                        with self._lock:
                            queue = self._replies.get(message["id"])
                        if queue is not None:
                            queue.put(message)
                    else:
                        self.events.put(message)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            reply: Queue[dict[str, Any]] = Queue()
            self._replies[ident] = reply
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        try:
            answer = reply.get(timeout=self.timeout)
        except Empty:
            raise TimeoutError(f"Chromium did not answer {method}") from None
        finally:
            with self._lock:
                del self._replies[ident]
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def wait_for(
        self, accept: Callable[[dict[str, Any]], bool], on_other: Callable[[dict[str, Any]], None]
    ) -> None:
        """Consume events until one is accepted; every other event goes to *on_other*."""
        while True:
            try:
                event = self.events.get(timeout=self.timeout)
            except Empty:
                raise TimeoutError("Chromium sent no expected event") from None
            if accept(event):
                return
            on_other(event)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_child)
        shutil.rmtree(self.profile, ignore_errors=True)
