"""Parsing and writing timestamps: every datetime leaving this module is aware.

Content may write a timestamp with an offset (that exact instant) or without
one (a wall-clock time in the site's zone). Instants are returned in UTC:
Python subtracts two datetimes sharing one ZoneInfo as wall-clock times (a
1-hour outage across spring-forward would last 2 hours), so zones are only
for reading and showing times, never for arithmetic. Wall-clock times that do not exist
(spring-forward gap) or exist twice (fall-back overlap) are refused: a status
page must never guess which instant an engineer meant.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from statuspage.source.names import suggest

_MAX_TIMESTAMP_CHARS = 100  # `2026-11-20T14:02:03.123456 +01:00` is 33
_TIMESTAMP = re.compile(
    r"""^\s*(?P<date>\d{4}-\d{2}-\d{2})
    (?:[T\s]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,6})\d*)?)?)?
    \s*(?P<tz>Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE,
)


MIN_YEAR, MAX_YEAR = 1970, 9000


class TimeError(ValueError):
    """A timestamp that cannot be read, or names no single instant."""


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone called *name*, or TimeError listing what went wrong."""
    try:
        if not name or name != name.strip() or name.startswith("/"):
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as e:
        hint = suggest(name, sorted(available_timezones())) if name else ""
        raise TimeError(
            f"unknown time zone {name!r}{hint}: use an IANA name like Europe/Berlin"
        ) from e


def parse_timestamp(text: object, zone: tzinfo, *, require_time: bool = True) -> datetime:
    """Read an ISO 8601 timestamp (a naive one means wall-clock time in *zone*) as a UTC instant."""
    if isinstance(text, datetime):
        text = text.isoformat(sep=" ")
    elif isinstance(text, date):
        text = text.isoformat()
    if not isinstance(text, str):
        raise TimeError(f"expected a timestamp like 2026-11-20 14:02 +01:00, got {text!r}")
    if len(text) > _MAX_TIMESTAMP_CHARS:
        # The pattern's optional spaces backtrack quadratically on a long run of them.
        start = text.strip()[:40]
        raise TimeError(
            f"cannot read timestamp {start!r}…: it is {len(text):,} characters long; "
            "write it as YYYY-MM-DD HH:MM"
        )
    m = _TIMESTAMP.match(text)
    if not m or (require_time and m["h"] is None):
        raise TimeError(
            f"cannot read timestamp {text.strip()!r}: write it as YYYY-MM-DD HH:MM, "
            "optionally with seconds and an offset (2026-11-20 14:02 +01:00)"
        )
    try:
        day = date.fromisoformat(m["date"])
        frac = (m["frac"] or "").ljust(6, "0")
        # Naive on purpose: a wall-clock time, placed in its zone just below.
        naive = datetime(  # noqa: DTZ001
            day.year,
            day.month,
            day.day,
            int(m["h"] or 0),
            int(m["m"] or 0),
            int(m["s"] or 0),
            int(frac or 0),
        )
    except ValueError as e:
        raise TimeError(f"cannot read timestamp {text.strip()!r}: {e}") from e
    if not MIN_YEAR <= naive.year <= MAX_YEAR:
        # Far-off years overflow datetime arithmetic (zones, durations) at build time.
        raise TimeError(
            f"timestamp {text.strip()!r} is not between the years {MIN_YEAR} and {MAX_YEAR}"
        )
    tz = m["tz"]
    moment = naive.replace(tzinfo=_offset(tz)) if tz else localize(naive, zone)
    return moment.astimezone(UTC)


def _offset(text: str) -> tzinfo:
    if text in ("Z", "z", "UTC"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise TimeError(f"offset {text!r} is out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """Attach *zone* to a wall-clock time, refusing DST gaps and overlaps."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        stamp = naive.strftime("%Y-%m-%d %H:%M")
        if round_trip != naive:
            raise TimeError(
                f"{stamp} does not exist in {zone} (clocks skip it for daylight saving time); "
                "write the offset explicitly"
            )
        a, b = (format_offset(first), format_offset(second))
        raise TimeError(
            f"{stamp} happens twice in {zone} (clocks fall back); "
            f"write the offset explicitly: {stamp} {a} or {stamp} {b}"
        )
    return first


def format_offset(moment: datetime) -> str:
    """'+01:00' for *moment*'s UTC offset."""
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_timestamp(moment: datetime, zone: tzinfo) -> str:
    """How files written by the CLI spell a time: '2026-11-20 14:02 +01:00' in *zone*."""
    local = moment.astimezone(zone)
    seconds = f":{local.second:02d}" if local.second else ""
    return f"{local:%Y-%m-%d %H:%M}{seconds} {format_offset(local)}"


def isoformat(moment: datetime, zone: tzinfo) -> str:
    """ISO 8601 with offset in *zone*, second precision: what JSON and feeds carry."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()
