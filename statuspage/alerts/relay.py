"""A relay from a monitor that cannot shape its webhook body (Alertmanager) to GitHub.

GitHub starts alert.yml on `POST /repos/OWNER/REPO/dispatches` with
`{"event_type": "alert", "client_payload": {"format": F, "payload": BODY}}`; this
wraps each body it is sent in that, after reading it as `statuspage alert` would, so
a body that could never be applied is refused here (HTTP 400) rather than in a
workflow run. It keeps nothing: every body is forwarded, or refused, at once.

It listens on a network, so every request is untrusted and bounded (`Limits`): a
fixed number of connections, each with one deadline for the whole request (a peer
sending a byte a second is cut as surely as a silent one), and every request gets
an answer of one inert line, or a log line when the caller has gone. The tokens
are checked once at start-up and never printed.
"""

from __future__ import annotations

import contextlib
import hmac
import math
import re
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from statuspage.alerts.payloads import MAX_PAYLOAD_BYTES, PayloadError, parse_json, read_alerts
from statuspage.errors import UsageError, inert_line
from statuspage.notify.transport import Deadline, DeliveryError, RetryPolicy, post_json

GITHUB_API = "https://api.github.com"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")  # where plain http is allowed: nothing on the way
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile(r"[\x00-\x20\x7f-\x9f]")


@dataclass(frozen=True)
class Relay:
    """Where bodies go, and what a caller must show to send one."""

    repo: str  # OWNER/REPO
    fmt: str
    token: str = field(repr=False)  # GitHub token with Contents: write on the repository
    api_url: str = GITHUB_API
    # Required as `Authorization: Bearer ...` when set.
    inbound_token: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"{self.api_url.rstrip('/')}/repos/{self.repo}/dispatches"


@dataclass(frozen=True)
class Limits:
    """What one caller can make the relay hold (README: Safety)."""

    connections: int = 64  # open at once, each a thread; more are answered 503 at once
    request_seconds: float = 10.0  # first byte to last of one request, however it trickles
    head_bytes: int = 16_384  # the request line and headers
    body_bytes: int = MAX_PAYLOAD_BYTES
    depth: int = 32  # JSON nesting of a body; real ones are 4 or 5 deep


def valid_secret(name: str, value: str) -> str:
    """The token in the environment variable *name*, as an HTTP header can carry it, or
    UsageError saying what is wrong with it (never what it is).

    One trailing line break is dropped: `echo` and most secret files add one, and no
    token can hold one (an HTTP header cannot), so dropping it never changes a token
    that works; anything else outside printable ASCII is refused, not guessed at."""
    value = value.removesuffix("\n").removesuffix("\r")
    if not value:
        raise UsageError(f"{name} is empty")
    for n, char in enumerate(value, 1):
        if not "!" <= char <= "~":
            kind = "a line break" if char in "\r\n" else "a space" if char.isspace() else None
            what = kind or f"U+{ord(char):04X}"
            raise UsageError(
                f"{name} holds {what} (character {n} of {len(value)}); a token is one word of "
                "printable ASCII: write it without spaces or extra lines (printf %s, not echo)"
            )
    return value


def valid_api_url(url: str) -> str:
    """*url* as the base of GitHub's API, or UsageError: https, or http to this machine
    only (a test's stand-in), and no user or password in it (the token is GITHUB_TOKEN)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise UsageError("--api-url is not a URL") from None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UsageError(
            "--api-url must not hold a user or password; the token comes from GITHUB_TOKEN"
        )
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if parts.scheme != "https" and not local:
        raise UsageError(
            "--api-url must be an https URL (http only to 127.0.0.1 or localhost), e.g. "
            "https://HOST/api/v3"
        )
    if not parts.hostname or parts.query or parts.fragment or _CONTROLS.search(url):
        raise UsageError("--api-url must be https://HOST[/PATH], with no query or fragment")
    return url


def dispatch_body(fmt: str, data: bytes, depth: int = Limits.depth) -> dict[str, Any]:
    """The dispatch that carries *data* (a body in *fmt*); PayloadError if it is not one,
    or if it holds what GitHub would refuse (an infinite number, a lone surrogate) or
    nests deeper than *depth*."""
    body = parse_json(data, "the body")
    _check_values(body, depth)
    read_alerts(body, fmt, "the body")
    return {"event_type": "alert", "client_payload": {"format": fmt, "payload": body}}


def _check_values(body: Any, depth: int) -> None:
    """PayloadError unless *body* can be written back as the same strict JSON."""
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            if level > depth:
                raise PayloadError(f"the body: nested deeper than {depth} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and _SURROGATE.search(key):
                    raise PayloadError("the body: a key holds a lone surrogate (not Unicode text)")
                stack.append((item, level + 1))
        elif isinstance(value, float) and not math.isfinite(value):
            raise PayloadError(
                "the body: a number is too large to be a number in JSON (it reads as infinity)"
            )
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise PayloadError("the body: a text holds a lone surrogate (not Unicode text)")


def forward(relay: Relay, data: bytes, sleep: Callable[[float], None], depth: int) -> None:
    """Send *data* to GitHub as a dispatch; PayloadError or DeliveryError if not sent."""
    body = dispatch_body(relay.fmt, data, depth)
    policy = RetryPolicy()
    deadline = Deadline(policy.deadline)
    try:
        post_json(
            relay.url,
            body,
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


class _Refused(Exception):
    """A request answered with *code* before (or instead of) forwarding its body."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _Gone(Exception):
    """The caller closed the connection before its request was complete."""


class _Request:
    """One request's bytes, each read given only the time left until *end*."""

    def __init__(self, sock: socket.socket, end: float) -> None:
        self.sock = sock
        self.end = end
        self.buffer = bytearray()
        self.started = False  # a byte came: a connection opened and closed is no request

    def _fill(self) -> None:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self.sock.settimeout(left)
        chunk = self.sock.recv(65_536)
        if not chunk:
            raise _Gone
        self.started = True
        self.buffer += chunk

    def head(self, limit: int) -> tuple[str, dict[str, str]]:
        """The request line and the headers (names in lower case)."""
        while (found := _HEAD_END.search(self.buffer)) is None:
            if len(self.buffer) > limit:
                raise _Refused(431, f"the request line and headers must fit in {limit:,} bytes")
            self._fill()
        if found.start() > limit:
            raise _Refused(431, f"the request line and headers must fit in {limit:,} bytes")
        lines = bytes(self.buffer[: found.start()]).decode("latin-1").split("\n")
        del self.buffer[: found.end()]
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.rstrip("\r").partition(":")
            if not colon or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
                raise _Refused(400, "a header line is not `Name: value`")
            name = name.lower()
            if name in headers and name in ("content-length", "authorization"):
                raise _Refused(400, f"{name} is sent twice")
            headers[name] = value.strip(" \t")
        return lines[0].rstrip("\r"), headers

    def body(self, length: int) -> bytes:
        while len(self.buffer) < length:
            self._fill()
        return bytes(self.buffer[:length])


def _read(request: _Request, relay: Relay, limits: Limits, sock: socket.socket) -> bytes:
    """The body of one POST, or _Refused saying why not."""
    line, headers = request.head(limits.head_bytes)
    method, _, rest = line.partition(" ")
    if not re.fullmatch(r"\S+ HTTP/1\.[01]", rest):
        raise _Refused(400, "the request line must be `POST /PATH HTTP/1.1`")
    if method != "POST":
        raise _Refused(405, "only POST is taken: send the webhook body")
    if relay.inbound_token is not None:
        given = headers.get("authorization", "").encode("latin-1")
        if not hmac.compare_digest(given, f"Bearer {relay.inbound_token}".encode()):
            raise _Refused(401, "a bearer token is required")
    if "transfer-encoding" in headers:
        raise _Refused(411, "send the body with a Content-Length, not in chunks")
    length = headers.get("content-length")
    if length is None:
        raise _Refused(411, "a Content-Length is required")
    if not re.fullmatch(r"[0-9]{1,12}", length):
        raise _Refused(400, "Content-Length must be a number of bytes (digits 0-9)")
    if int(length) > limits.body_bytes:
        raise _Refused(413, f"a body of at most {limits.body_bytes:,} bytes is needed")
    if headers.get("expect", "").lower() == "100-continue":
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    return request.body(int(length))


def _answer(sock: socket.socket, code: int, message: str, linger: float = 2.0) -> None:
    """Send *message*, one inert line, as the whole answer, and end the connection."""
    body = (inert_line(message) + "\n").encode()
    reason = HTTPStatus(code).phrase
    retry = "Retry-After: 10\r\n" if code == 503 else ""
    head = (
        f"HTTP/1.1 {code} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n{retry}Connection: close\r\n\r\n"
    )
    end = time.monotonic() + linger
    with contextlib.suppress(OSError):
        sock.settimeout(max(linger, 0.1))  # a few hundred bytes: the send buffer takes them
        sock.sendall(head.encode() + body)
        sock.shutdown(socket.SHUT_WR)
        # Closing with bytes unread (a body refused before it was read) resets the
        # connection, and the caller may lose the answer: take what it still sends,
        # for *linger* seconds and a body's worth of bytes at most.
        drained = 0
        while drained <= MAX_PAYLOAD_BYTES:
            left = end - time.monotonic()
            sock.settimeout(left if left > 0 else 0)  # 0: only what has already arrived
            chunk = sock.recv(65_536)
            if not chunk:
                break
            drained += len(chunk)


def make_server(
    relay: Relay,
    host: str,
    port: int,
    log: Callable[[str], None],
    sleep: Callable[[float], None],
    limits: Limits = Limits(),  # frozen: one shared default is safe
) -> socketserver.ThreadingTCPServer:
    """A server on *host*:*port* that forwards every POSTed body (log says what it did)."""
    return _Server(relay, host, port, log, sleep, limits)


class _Server(socketserver.ThreadingTCPServer):
    """A thread per connection, at most `limits.connections` at once: one more is
    answered 503 by the accepting thread, which never waits on it."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        relay: Relay,
        host: str,
        port: int,
        log: Callable[[str], None],
        sleep: Callable[[float], None],
        limits: Limits,
    ) -> None:
        self.relay = relay
        self.log = log
        self.sleep = sleep
        self.limits = limits
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.slots = threading.BoundedSemaphore(limits.connections)
        super().__init__((host, port), _Handler)

    def say(self, code: int, message: str) -> None:
        """Log what a request was answered, as one inert line."""
        self.log(inert_line(f"{code} {message}"))

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            message = f"busy: {self.limits.connections} connections are open; try again"
            self.say(503, message)
            _answer(request, 503, message, linger=0)  # the accepting thread: no waiting
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Only ever past _Handler.handle's own net; never a traceback (it could quote
        # a header, so a token).
        self.log("internal error while answering a request")


class _Handler(socketserver.BaseRequestHandler):
    """One connection: one request read, forwarded or refused, and answered."""

    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        limits = self.server.limits
        request = _Request(sock, time.monotonic() + limits.request_seconds)
        answer = _relay_one(request, sock, self.server)
        if answer is None:
            return  # a port check (a load balancer's, a test's): nothing to say
        code, message = answer
        self.server.say(code, message)
        _answer(sock, code, message)


class _Answer(NamedTuple):
    """An HTTP status code and the one line that says why."""

    code: int
    message: str


def _relay_one(request: _Request, sock: socket.socket, server: _Server) -> _Answer | None:
    """Read and forward one request: what to answer it, or None for a connection that
    sent nothing."""
    relay, limits = server.relay, server.limits
    try:
        data = _read(request, relay, limits, sock)
        forward(relay, data, server.sleep, limits.depth)
    except _Refused as e:
        return _Answer(e.code, e.message)
    except TimeoutError:
        return _Answer(408, f"the request took more than {limits.request_seconds:g} s")
    except (_Gone, OSError):
        if not request.started:
            return None
        # Said in case the caller only stopped sending; it has likely gone.
        return _Answer(400, "the connection ended before the request was complete")
    except PayloadError as e:
        return _Answer(400, str(e))
    except DeliveryError as e:
        return _Answer(502, f"GitHub did not take it: {e}")
    except Exception as e:  # a bug: said without its text, which might quote a header
        return _Answer(500, f"internal error ({type(e).__name__}); please report it")
    return _Answer(202, f"sent to {relay.repo}")
