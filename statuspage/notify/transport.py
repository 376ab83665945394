"""Delivery over the network (urllib for webhooks, smtplib for mail) with bounded retries.

Transient trouble (network errors, HTTP 5xx and 429, SMTP 4xx) is retried a
few times within seconds; anything else, or running out of attempts, raises
DeliveryError, whose text is safe to print: it never holds a URL's path,
a header or a password.

Each endpoint also has a total deadline for the run (`Deadline`): every connect,
send, read and retry wait shares it, and when it passes, the endpoint's sockets
are shut down from a timer thread, which ends any blocking read at once. So a
server that answers one byte every few seconds (never tripping a per-read
timeout) costs at most the deadline, and the other endpoints still get served.
The deadline keeps its own duplicate of each socket's descriptor: urllib lets go
of the connection's socket once the headers are in (the body is read through the
response), and TLS takes over the descriptor of the socket it wraps, so a
reference to either could no longer shut the connection a dribbled body or a slow
handshake is holding.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import smtplib
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from statuspage import __version__

Sleep = Callable[[float], None]


class DeliveryError(Exception):
    """A message was not delivered; str() is safe to show (no secrets)."""


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` tries, waiting 0.5 s, 1 s, 2 s ... between them; a server
    asking (Retry-After) for longer than `max_wait` gets its wish: the next run."""

    attempts: int = 4
    first_delay: float = 0.5
    max_wait: float = 10.0
    timeout: float = 10.0
    deadline: float = 60.0  # an endpoint's whole run: connects, reads, retries and waits

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * 2.0 ** (attempt - 1), self.max_wait)


class _Connected(Protocol):
    sock: socket.socket | None


class Deadline:
    """One endpoint's total time in this run. Connections register with `watch`; when
    the time is up they are shut down (from a timer thread), so no read outlives it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = threading.Event()
        self._watched: list[_Connected] = []
        self._sockets: list[socket.socket] = []  # duplicates, ours to close
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(self.end - time.monotonic(), 0.0)

    def timeout(self, per_operation: float) -> float:
        """A socket timeout that never reaches past the deadline; DeliveryError once past it."""
        left = self.remaining()
        if left <= 0 or self.expired.is_set():
            raise self.error()
        return min(per_operation, left)

    def error(self) -> DeliveryError:
        return DeliveryError(
            f"no complete answer within the endpoint's {self.seconds:g} s deadline; "
            "will retry on the next run"
        )

    def watch(self, connection: _Connected) -> None:
        """Shut *connection*'s socket (whatever it is by then, TLS or not) at the deadline."""
        with self._lock:
            self._watched.append(connection)
            cut = self.expired.is_set()
        if cut:
            _shut(connection)

    def watch_socket(self, sock: socket.socket) -> None:
        """Shut the connection *sock* is an end of at the deadline, whoever holds it by then
        (a response reading its body, the TLS socket wrapping it): shutdown() acts on the
        connection, not the descriptor, so a duplicate of the descriptor reaches it."""
        copy = sock.dup()
        with self._lock:
            self._sockets.append(copy)
            cut = self.expired.is_set()
        if cut:
            _shut_socket(copy)

    def _cut(self) -> None:
        with self._lock:
            self.expired.set()
            watched, sockets = list(self._watched), list(self._sockets)
        for connection in watched:
            _shut(connection)
        for sock in sockets:
            _shut_socket(sock)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()


def _shut(connection: _Connected) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        _shut_socket(sock)


def _shut_socket(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects has moved: say so rather than re-POST somewhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(deadline: Deadline) -> urllib.request.OpenerDirector:
    """urllib (proxies and all), with every connection it opens watched by *deadline*."""

    class Http(http.client.HTTPConnection):
        def connect(self) -> None:
            deadline.watch(self)  # before connecting: a slow proxy tunnel is cut too
            super().connect()
            assert self.sock is not None
            deadline.watch_socket(self.sock)

    # HTTPSConnection.connect calls Http.connect (the MRO), which watches the plain
    # socket before it is wrapped: a slow TLS handshake is cut too.
    class Https(http.client.HTTPSConnection, Http):
        pass

    class HttpHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Http, req)

    class HttpsHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Https, req, context=ssl.create_default_context())

    return urllib.request.build_opener(_NoRedirects, HttpHandler, HttpsHandler)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form); None if absent or a date."""
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None


def post_json(
    url: str,
    payload: Mapping[str, Any],
    headers: Mapping[str, str],
    *,
    policy: RetryPolicy,
    sleep: Sleep,
    deadline: Deadline,
) -> None:
    """POST *payload* as JSON; return once the server answers 2xx."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    request_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"statuspage/{__version__}",
        **headers,
    }
    opener = _opener(deadline)
    for attempt in range(1, policy.attempts + 1):
        wait: float | None = None
        try:
            request = urllib.request.Request(url, data=body, headers=request_headers, method="POST")
            with opener.open(request, timeout=deadline.timeout(policy.timeout)) as response:
                response.read()
            if deadline.expired.is_set():
                raise deadline.error()  # the answer was cut short: not known to be delivered
            return
        except urllib.error.HTTPError as e:
            e.close()
            if e.code != 429 and e.code < 500:
                hint = (
                    "the URL has moved"
                    if 300 <= e.code < 400
                    else "check the URL (is the webhook still enabled?) and its `format:`"
                )
                raise DeliveryError(f"HTTP {e.code} {e.reason}: {hint}") from None
            problem = f"HTTP {e.code} {e.reason}"
            wait = retry_after(e.headers.get("Retry-After"))
            if wait is not None and wait > policy.max_wait:
                raise DeliveryError(
                    f"{problem}: asked to wait {wait:g} s (more than {policy.max_wait:g} s); will "
                    "retry on the next run"
                ) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
            if deadline.expired.is_set():
                raise deadline.error() from None
            problem = network_problem(e)
        if attempt == policy.attempts:
            raise DeliveryError(f"{problem} (gave up after {attempt} attempts)")
        _pause(wait if wait is not None else policy.delay(attempt), problem, sleep, deadline)
    raise AssertionError("unreachable")


def _pause(seconds: float, problem: str, sleep: Sleep, deadline: Deadline) -> None:
    """Wait before a retry, unless the wait would outlast the endpoint's deadline."""
    if seconds >= deadline.remaining():
        raise DeliveryError(
            f"{problem}; no time left to retry within the endpoint's "
            f"{deadline.seconds:g} s deadline"
        )
    sleep(seconds)


class _WatchedSMTP(smtplib.SMTP):
    """smtplib.SMTP whose connection the deadline can shut, from before the server's
    greeting and through STARTTLS (which wraps the socket)."""

    deadline: Deadline

    def __init__(self, host: str, port: int, *, timeout: float, deadline: Deadline) -> None:
        self.deadline = deadline
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        self.deadline.watch(self)
        sock: socket.socket = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        self.deadline.watch_socket(sock)
        return sock


# SMTP_SSL._get_socket calls _WatchedSMTP's (the MRO), which watches the plain socket
# before it is wrapped: a slow TLS handshake is cut too.
class _WatchedSMTPSSL(smtplib.SMTP_SSL, _WatchedSMTP):
    def __init__(
        self, host: str, port: int, *, timeout: float, context: ssl.SSLContext, deadline: Deadline
    ) -> None:
        self.deadline = deadline
        # SMTP_SSL's (next in the MRO), which calls SMTP.__init__ itself, not _WatchedSMTP's.
        super().__init__(host, port, timeout=timeout, context=context)


class SmtpSession:
    """One SMTP connection per endpoint and run, reopened when it drops."""

    def __init__(
        self, server: Mapping[str, Any], *, policy: RetryPolicy, sleep: Sleep, deadline: Deadline
    ) -> None:
        self.server = server
        self.policy = policy
        self.sleep = sleep
        self.deadline = deadline
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.server
        context = ssl.create_default_context()
        timeout = self.deadline.timeout(s["timeout"])
        conn: smtplib.SMTP
        if s["ssl"]:
            conn = _WatchedSMTPSSL(
                s["host"], s["port"], timeout=timeout, context=context, deadline=self.deadline
            )
        else:
            conn = _WatchedSMTP(s["host"], s["port"], timeout=timeout, deadline=self.deadline)
        try:
            conn.ehlo()
            if s["starttls"]:
                if not conn.has_extn("starttls"):
                    raise DeliveryError(
                        f"{s['host']} does not offer STARTTLS; set `ssl: true` (port 465), or "
                        "`starttls: false` for a trusted local relay"
                    )
                conn.starttls(context=context)
                conn.ehlo()
            if s.get("username"):
                conn.login(s["username"], s["password"])
        except BaseException:
            conn.close()
            raise
        return conn

    def send(self, mail: EmailMessage) -> list[str]:
        """Send *mail*; the recipients the server refused (if it accepted the others)."""
        for attempt in range(1, self.policy.attempts + 1):
            self.deadline.timeout(0)  # raises once the deadline has passed
            try:
                if self.connection is None:
                    self.connection = self._connect()
                refused = self.connection.send_message(mail)
                return sorted(refused)
            except smtplib.SMTPRecipientsRefused as e:
                raise DeliveryError(
                    f"the server refused every recipient ({', '.join(sorted(e.recipients))})"
                ) from None
            except smtplib.SMTPAuthenticationError as e:
                self.close()
                raise DeliveryError(
                    f"SMTP login failed ({e.smtp_code}); check the username and password variables"
                ) from None
            except smtplib.SMTPResponseException as e:
                self.close()
                if self.deadline.expired.is_set():
                    raise self.deadline.error() from None
                text = (
                    e.smtp_error.decode(errors="replace")
                    if isinstance(e.smtp_error, bytes)
                    else str(e.smtp_error)
                )
                problem = f"SMTP {e.smtp_code} {text}"
                if not 400 <= e.smtp_code < 500:
                    raise DeliveryError(problem) from None
            except smtplib.SMTPNotSupportedError as e:
                self.close()
                raise DeliveryError(f"SMTP server: {e}") from None
            except (smtplib.SMTPException, OSError) as e:
                self.close()
                if self.deadline.expired.is_set():
                    raise self.deadline.error() from None
                why = getattr(e, "strerror", None) or e or type(e).__name__
                problem = (
                    f"SMTP connection to {self.server['host']}:{self.server['port']} failed: {why}"
                )
            if attempt == self.policy.attempts:
                raise DeliveryError(f"{problem} (gave up after {attempt} attempts)")
            _pause(self.policy.delay(attempt), problem, self.sleep, self.deadline)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


def network_problem(e: urllib.error.URLError | http.client.HTTPException | OSError) -> str:
    """One line for a failed connection or read, in the OS's words where it has them."""
    reason = e.reason if isinstance(e, urllib.error.URLError) else e
    why = getattr(reason, "strerror", None) or reason or type(reason).__name__
    return f"network error: {why}"
