"""`statuspage upstream pull`: each provider's summary.json -> `upstream/<id>.json`.

Network I/O like notify/transport.py, and sharing its `Deadline`: each provider gets a
total deadline covering connects, reads and retry waits, after which its sockets are
shut, so a server that dribbles a byte every few seconds costs at most that. Bodies are
capped, transient trouble (network errors, 5xx, 429) is retried with backoff, and the
last snapshot's `ETag`/`Last-Modified` are sent back so an unchanged provider answers
304. Whatever goes wrong, the last snapshot stays as it was: a failed fetch never
fails the build.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from statuspage import __version__
from statuspage.files import write_atomic
from statuspage.model import UpstreamReport, UpstreamSource
from statuspage.notify.transport import (
    Deadline,
    DeliveryError,
    RetryPolicy,
    Sleep,
    _opener,  # urllib with every connection watched by the deadline, redirects refused
    network_problem,
    retry_after,
)
from statuspage.source.site_folder import SiteFolder
from statuspage.source.upstream import (
    read_snapshot,
    snapshot_bytes,
    snapshot_data,
    snapshot_path,
)
from statuspage.upstream.shapes import ShapeError, read_summary

# Far above a real summary.json (GitHub's is tens of kB); a bigger body is refused unread.
MAX_BODY_BYTES = 2_000_000
DEFAULT_POLICY = RetryPolicy(
    attempts=3, first_delay=1.0, max_wait=10.0, timeout=10.0, deadline=30.0
)


class FetchError(Exception):
    """The provider could not be read; str() is safe to print (no headers, no body)."""


@dataclass(frozen=True)
class Fetched:
    body: bytes | None  # None: 304 Not Modified
    validators: dict[str, str]


@dataclass(frozen=True)
class PullResult:
    source: UpstreamSource
    outcome: str  # "changed", "unchanged", "refreshed" or "failed"
    message: str = ""
    warnings: tuple[str, ...] = field(default=())


def _request(url: str, validators: dict[str, str]) -> urllib.request.Request:
    headers = {"Accept": "application/json", "User-Agent": f"statuspage/{__version__}"}
    if etag := validators.get("etag"):
        headers["If-None-Match"] = etag
    if modified := validators.get("last_modified"):
        headers["If-Modified-Since"] = modified
    return urllib.request.Request(url, headers=headers, method="GET")


def _validators(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
    return {k: v.strip()[:200] for k, v in found.items() if v and v.isprintable()}


def _read_capped(response: http.client.HTTPResponse, deadline: Deadline) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise FetchError(f"the body is {int(length):,} bytes, more than {MAX_BODY_BYTES:,}")
    body = response.read(MAX_BODY_BYTES + 1)
    if deadline.expired.is_set():
        raise deadline.error()  # cut short by the deadline: not the whole body
    if len(body) > MAX_BODY_BYTES:
        raise FetchError(f"the body is more than {MAX_BODY_BYTES:,} bytes")
    return body


def fetch(url: str, validators: dict[str, str], *, policy: RetryPolicy, sleep: Sleep) -> Fetched:
    """GET *url* within the policy's deadline; FetchError (safe to print) when it fails."""
    deadline = Deadline(policy.deadline)
    try:
        return _fetch(url, validators, policy, sleep, deadline)
    except DeliveryError as e:
        raise FetchError(str(e)) from None
    finally:
        deadline.close()


def _fetch(
    url: str, validators: dict[str, str], policy: RetryPolicy, sleep: Sleep, deadline: Deadline
) -> Fetched:
    opener = _opener(deadline)
    for attempt in range(1, policy.attempts + 1):
        wait: float | None = None
        try:
            request = _request(url, validators)
            with opener.open(request, timeout=deadline.timeout(policy.timeout)) as response:
                body = _read_capped(response, deadline)
                return Fetched(body, _validators(response.headers))
        except urllib.error.HTTPError as e:
            e.close()
            if e.code == 304:
                return Fetched(None, validators)
            if e.code != 429 and e.code < 500:
                hint = (
                    "the URL has moved: give the new one" if 300 <= e.code < 400 else "check `url:`"
                )
                raise FetchError(f"HTTP {e.code}: {hint}") from None
            problem = f"HTTP {e.code}"
            wait = retry_after(e.headers.get("Retry-After"))
        except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
            if deadline.expired.is_set():
                raise deadline.error() from None
            problem = network_problem(e)
        if attempt == policy.attempts:
            raise FetchError(f"{problem} (gave up after {attempt} attempts)")
        seconds = min(wait if wait is not None else policy.delay(attempt), policy.max_wait)
        if seconds >= deadline.remaining():
            raise FetchError(f"{problem}; no time left to retry within {policy.deadline:g} s")
        sleep(seconds)
    raise AssertionError("unreachable")


def _same(a: UpstreamReport, b: UpstreamReport) -> bool:
    """Equal but for `as_of`: what the page shows has not changed."""
    return replace(a, as_of=b.as_of) == b


def pull_one(
    root: Path, source: UpstreamSource, now: datetime, *, policy: RetryPolicy, sleep: Sleep
) -> PullResult:
    """Fetch one provider and write its snapshot if what we show changed.

    An unchanged provider's snapshot is left alone (no commit), except that its
    `as_of` is moved to *now* once it is half its `stale_after` old, so a provider that
    stays the same is never shown as stale while it is being checked."""
    last = read_snapshot(root, source)
    validators = last[1] if last else {}
    warnings: tuple[str, ...] = ()
    try:
        fetched = fetch(source.url, validators, policy=policy, sleep=sleep)
        if fetched.body is None:
            if last is None:
                raise FetchError("304 Not Modified, but there is no snapshot to keep")
            report = last[0]
        else:
            try:
                body = json.loads(fetched.body.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError):
                raise FetchError("the body is not JSON") from None
            try:
                reading = read_summary(body, source, now)
            except ShapeError as e:
                raise FetchError(str(e)) from None
            report, warnings = reading.report, reading.warnings
    except FetchError as e:
        kept = "kept the last snapshot" if last else "no snapshot yet: shown as unknown"
        return PullResult(source, "failed", f"{e}; {kept}")
    path = SiteFolder(root).writable(snapshot_path(root, source.id))
    if last is not None and _same(report, last[0]):
        if now - last[0].as_of < source.stale_after / 2:
            return PullResult(source, "unchanged", warnings=warnings)
        report, outcome = replace(last[0], as_of=now), "refreshed"
    else:
        report, outcome = replace(report, as_of=now), "changed"
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, snapshot_bytes(snapshot_data(report, fetched.validators)))
    return PullResult(source, outcome, warnings=warnings)
