"""Delivery over the network (urllib for webhooks, smtplib for mail) with bounded retries.

Transient trouble (network errors, HTTP 5xx and 429, SMTP 4xx) is retried a
few times within seconds; anything else, or running out of attempts, raises
DeliveryError, whose text is safe to print: it never holds a URL's path,
a header or a password.
"""

from __future__ import annotations

import http.client
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from .. import __version__

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

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * 2.0 ** (attempt - 1), self.max_wait)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects has moved: say so rather than re-POST somewhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form); None if absent or a date."""
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None


def post_json(url: str, payload: Mapping[str, Any], headers: Mapping[str, str], *, policy: RetryPolicy, sleep: Sleep) -> None:
    """POST *payload* as JSON; return once the server answers 2xx."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    request_headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": f"statuspage/{__version__}", **headers}
    for attempt in range(1, policy.attempts + 1):
        wait: float | None = None
        try:
            request = urllib.request.Request(url, data=body, headers=request_headers, method="POST")
            with _opener.open(request, timeout=policy.timeout) as response:
                response.read()
            return
        except urllib.error.HTTPError as e:
            e.close()
            if e.code != 429 and e.code < 500:
                hint = "the URL has moved" if 300 <= e.code < 400 else "check the URL (is the webhook still enabled?) and its `format:`"
                raise DeliveryError(f"HTTP {e.code} {e.reason}: {hint}") from None
            problem = f"HTTP {e.code} {e.reason}"
            wait = retry_after(e.headers.get("Retry-After"))
            if wait is not None and wait > policy.max_wait:
                raise DeliveryError(f"{problem}: asked to wait {wait:g} s (more than {policy.max_wait:g} s); will retry on the next run") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
            reason = e.reason if isinstance(e, urllib.error.URLError) else e
            problem = f"network error: {getattr(reason, 'strerror', None) or reason or type(reason).__name__}"
        if attempt == policy.attempts:
            raise DeliveryError(f"{problem} (gave up after {attempt} attempts)")
        sleep(wait if wait is not None else policy.delay(attempt))
    raise AssertionError("unreachable")


class SmtpSession:
    """One SMTP connection per endpoint and run, reopened when it drops."""

    def __init__(self, server: Mapping[str, Any], *, policy: RetryPolicy, sleep: Sleep) -> None:
        self.server = server
        self.policy = policy
        self.sleep = sleep
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.server
        context = ssl.create_default_context()
        conn: smtplib.SMTP
        if s["ssl"]:
            conn = smtplib.SMTP_SSL(s["host"], s["port"], timeout=s["timeout"], context=context)
        else:
            conn = smtplib.SMTP(s["host"], s["port"], timeout=s["timeout"])
        try:
            conn.ehlo()
            if s["starttls"]:
                if not conn.has_extn("starttls"):
                    raise DeliveryError(f"{s['host']} does not offer STARTTLS; set `ssl: true` (port 465), or `starttls: false` for a trusted local relay")
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
            try:
                if self.connection is None:
                    self.connection = self._connect()
                refused = self.connection.send_message(mail)
                return sorted(refused)
            except smtplib.SMTPRecipientsRefused as e:
                raise DeliveryError(f"the server refused every recipient ({', '.join(sorted(e.recipients))})") from None
            except smtplib.SMTPAuthenticationError as e:
                self.close()
                raise DeliveryError(f"SMTP login failed ({e.smtp_code}); check the username and password variables") from None
            except smtplib.SMTPResponseException as e:
                self.close()
                text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
                problem = f"SMTP {e.smtp_code} {text}"
                if not 400 <= e.smtp_code < 500:
                    raise DeliveryError(problem) from None
            except smtplib.SMTPNotSupportedError as e:
                self.close()
                raise DeliveryError(f"SMTP server: {e}") from None
            except (smtplib.SMTPException, OSError) as e:
                self.close()
                problem = f"SMTP connection to {self.server['host']}:{self.server['port']} failed: {getattr(e, 'strerror', None) or e or type(e).__name__}"
            if attempt == self.policy.attempts:
                raise DeliveryError(f"{problem} (gave up after {attempt} attempts)")
            self.sleep(self.policy.delay(attempt))
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None
