"""What converting one issue needs (zone, now, catalog, report), and the two readings
every step shares: a cState timestamp, and Markdown with Hugo shortcodes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from statuspage.importers.cstate.catalog import Catalog
from statuspage.importers.cstate.report import Report
from statuspage.importers.cstate.text import convert_shortcodes, demote_headings
from statuspage.source.times import TimeError, format_timestamp, parse_timestamp


@dataclass
class Context:
    """What converting one issue needs: the zone, now, the catalog and the report."""

    zone: ZoneInfo
    now: datetime
    base_url: str
    catalog: Catalog
    report: Report
    names: set[str] = field(default_factory=set)  # incident ids handed out

    def time(self, moment: datetime) -> str:
        """*moment* as messages and files write it, in the import's zone."""
        return format_timestamp(moment, self.zone)


def instant(value: Any, path: Path, line: int, what: str, ctx: Context) -> datetime | None:
    """A cState timestamp as an aware datetime: naive ones in the zone, DST trouble fixed up."""
    if isinstance(value, datetime):  # TOML front matter
        value = value.isoformat(sep=" ")
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value).strip().strip('"')
    try:
        moment = parse_timestamp(text, ctx.zone, require_time=False)
    except TimeError as e:
        if "does not exist" not in str(e) and "happens twice" not in str(e):
            ctx.report.warn("bad-date", path, line, f"{what} {text!r} cannot be read ({e})")
            return None
        naive = parse_timestamp(text, UTC).replace(tzinfo=None)
        moment = naive.replace(tzinfo=ctx.zone).astimezone(UTC).astimezone(ctx.zone)
        ctx.report.warn(
            "ambiguous-time",
            path,
            line,
            f"{what} {text!r}: {str(e).split(';')[0]}; imported as {ctx.time(moment)}",
        )
        return moment
    if not re.search(r"\d[T\s]+\d{1,2}:\d{2}", text):
        ctx.report.warn(
            "bad-date", path, line, f"{what} {text!r} has no time of day; imported as 00:00"
        )
    return moment


def markdown(text: str, path: Path, ctx: Context) -> str:
    """*text* with Hugo shortcodes made Markdown (each noted) and headings below updates'."""
    converted, notes = convert_shortcodes(text, ctx.base_url)
    for note in dict.fromkeys(notes):
        ctx.report.warn("shortcode", path, 0, f"Hugo shortcode {note}")
    return demote_headings(converted).strip()
