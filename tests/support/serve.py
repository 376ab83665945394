"""Shared by test modules: `statuspage serve` processes on 127.0.0.1."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from lxml import html as lxml_html

from ..conftest import REPO, text_of

DEADLINE = 30  # seconds; a bound for waiting on the server, not a timing assertion


class Server:
    """`python -m statuspage serve` in a subprocess, on a free port it picks itself."""

    def __init__(self, root: Path, *options: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
        env.pop("SOURCE_DATE_EPOCH", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "statuspage", "serve", "--source", str(root), "--port", "0", *options],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.stdout: queue.Queue[str] = queue.Queue()
        self.stdout_lines: list[
            str
        ] = []  # everything it printed, also what the queue's readers took
        self.stderr: list[str] = []

        def out(line: str) -> None:
            self.stdout_lines.append(line)
            self.stdout.put(line)

        self.pumps = [
            threading.Thread(target=self._pump, args=(self.process.stdout, out), daemon=True),
            threading.Thread(
                target=self._pump, args=(self.process.stderr, self.stderr.append), daemon=True
            ),
        ]
        for pump in self.pumps:
            pump.start()
        self.url = self._wait_for_url()

    @staticmethod
    def _pump(stream, sink: Callable[[str], None]) -> None:
        for line in stream:
            sink(line)

    def _wait_for_url(self) -> str:
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            try:
                line = self.stdout.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "serve exited early:\n" + "".join(self.stderr)
                continue
            match = re.search(r"Serving (http://127\.0\.0\.1:\d+/)", line)
            if match:
                return match.group(1)
        raise AssertionError("serve never said where it listens:\n" + "".join(self.stderr))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def wait_for(self, path: str, predicate: Callable[[str], bool]) -> str:
        """Fetch *path* until *predicate* holds for the page (bounded polling)."""
        end = time.monotonic() + DEADLINE
        body = ""
        while time.monotonic() < end:
            _, body = self.get(path)
            if predicate(body):
                return body
            time.sleep(0.1)
        raise AssertionError(
            f"{path} never changed as expected; last body:\n{body[:2000]}\nstderr:\n{''.join(self.stderr)}"
        )

    def interrupt(self) -> int:
        """Ctrl-C; the exit code once the process and its output have ended."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=DEADLINE)
        for pump in self.pumps:
            pump.join(timeout=DEADLINE)
        return code

    def kill(self) -> None:
        """Stop it if it still runs; close its pipes once the pumps have read them to the end."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pump in self.pumps:
            pump.join(timeout=DEADLINE)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def banner_of(page: str) -> str | None:
    found = lxml_html.fromstring(page).cssselect(".statuspage-serve-error")
    return text_of(found[0]) if found else None
