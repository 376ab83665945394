"""A relay from a monitor that cannot shape its webhook body (Alertmanager) to GitHub.

GitHub starts alert.yml on `POST /repos/OWNER/REPO/dispatches` with
`{"event_type": "alert", "client_payload": {"format": F, "payload": BODY}}`; this
wraps each body it is sent in that, after reading it as `statuspage alert` would, so
a body that could never be applied is refused here (HTTP 400) rather than in a
workflow run. It keeps nothing: every body is forwarded, or refused, at once.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from statuspage.alerts.payloads import MAX_PAYLOAD_BYTES, PayloadError, parse_json, read_alerts
from statuspage.notify.transport import Deadline, DeliveryError, RetryPolicy, post_json

GITHUB_API = "https://api.github.com"


@dataclass(frozen=True)
class Relay:
    """Where bodies go, and what a caller must show to send one."""

    repo: str  # OWNER/REPO
    fmt: str
    token: str  # GitHub token with Contents: write on the repository
    api_url: str = GITHUB_API
    inbound_token: str | None = None  # required as `Authorization: Bearer ...` when set

    @property
    def url(self) -> str:
        return f"{self.api_url.rstrip('/')}/repos/{self.repo}/dispatches"


def dispatch_body(fmt: str, data: bytes) -> dict[str, Any]:
    """The dispatch that carries *data* (a body in *fmt*); PayloadError if it is not one."""
    body = parse_json(data, "the body")
    read_alerts(body, fmt, "the body")
    return {"event_type": "alert", "client_payload": {"format": fmt, "payload": body}}


def forward(relay: Relay, data: bytes, sleep: Callable[[float], None]) -> None:
    """Send *data* to GitHub as a dispatch; PayloadError or DeliveryError if not sent."""
    policy = RetryPolicy()
    deadline = Deadline(policy.deadline)
    try:
        post_json(
            relay.url,
            dispatch_body(relay.fmt, data),
            {
                "Authorization": f"Bearer {relay.token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            },
            policy=policy,
            sleep=sleep,
            deadline=deadline,
        )
    finally:
        deadline.close()


def make_server(
    relay: Relay, host: str, port: int, log: Callable[[str], None], sleep: Callable[[float], None]
) -> ThreadingHTTPServer:
    """An HTTP server on *host*:*port* that forwards every POSTed body (log says what it did)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if relay.inbound_token is not None:
                given = self.headers.get("Authorization", "")
                if not hmac.compare_digest(
                    given.encode(), f"Bearer {relay.inbound_token}".encode()
                ):
                    return self.answer(401, "a bearer token is required")
            length = self.headers.get("Content-Length", "")
            if not length.isdigit() or int(length) > MAX_PAYLOAD_BYTES:
                return self.answer(413, f"a body of at most {MAX_PAYLOAD_BYTES:,} bytes is needed")
            data = self.rfile.read(int(length))
            try:
                forward(relay, data, sleep)
            except PayloadError as e:
                return self.answer(400, str(e))
            except DeliveryError as e:
                return self.answer(502, f"GitHub did not take it: {e}")
            self.answer(202, f"sent to {relay.repo}")

        def answer(self, code: int, message: str) -> None:
            log(f"{code} {message}")
            body = (message + "\n").encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
