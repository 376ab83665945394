"""Shared by test modules: a webhook receiver on 127.0.0.1 and sites that notify it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from statuspage.notify.run import notify
from statuspage.notify.transport import RetryPolicy

from ..conftest import CONFIG, SiteDir, at

FIRST = """\
---
title: Elevated error rates on the API
components:
  api: partial_outage
---

## Investigating · 2026-11-20 14:02
We see **errors** <script>alert(1)</script> & <!channel> @everyone.
"""


class Hooks:
    """Webhook receiver: records every request; answers each path from a script (default 200)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict]] = []
        self.scripts: dict[str, list[tuple[int, dict[str, str]]]] = {}
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hooks.requests.append((self.path, dict(self.headers), json.loads(body)))
                script = hooks.scripts.get(self.path.split("?")[0])
                code, headers = script.pop(0) if script else (200, {})
                self.send_response(code)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def to(self, path: str) -> list[dict]:
        return [body for p, _, body in self.requests if p.split("?")[0] == path]


def site_with(root: Path, notify_yaml: str) -> SiteDir:
    site = SiteDir(root, CONFIG + notify_yaml)
    site.incident("2026-11-20-api-errors.md", FIRST)
    return site


def add(site: SiteDir, name: str, block: str) -> None:
    path = site.root / "incidents" / name
    path.write_text(path.read_text() + block)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def run(
    site: SiteDir,
    now: str,
    env: dict[str, str],
    *,
    backfill: bool = False,
    dry_run: bool = False,
    sleeps: Sleeps | None = None,
):
    loaded = site.load()
    endpoints = list(loaded.config.notify)
    return notify(
        loaded, endpoints, site.root / ".statuspage/notified.json", at(now),
        backfill=backfill, dry_run=dry_run, environ=env, sleep=sleeps if sleeps is not None else Sleeps(),
        policy=RetryPolicy(),
    )  # fmt: skip


def hook_yaml(*entries: str) -> str:
    return "notify:\n  webhooks:\n" + "".join(entries)
