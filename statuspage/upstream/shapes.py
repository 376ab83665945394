"""A provider's summary.json (Statuspage v2 or Instatus) -> the UpstreamReport we show.

The body is untrusted: every field is optional to us, every string is made one line
and capped, links are kept only when http(s), and only the components the config names
are kept, however many the provider lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from statuspage.model import (
    ComponentStatus,
    Impact,
    UpstreamItem,
    UpstreamMaintenance,
    UpstreamReport,
    UpstreamSource,
)
from statuspage.source.upstream import (
    MAINTENANCE_WINDOW,
    MAX_DESCRIPTION,
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    MAX_NAME,
    MAX_SHOWN_COMPONENTS,
    link,
    one_line,
)

# A provider listing more than this many components is bounded: the rest are not read.
MAX_SCANNED_COMPONENTS = 5_000
FINAL = {"resolved", "postmortem", "completed", "cancelled"}
ACTIVE_MAINTENANCE = {"in_progress", "verifying"}
INSTATUS_PAGE = {
    "UP": Impact.NONE,
    "HASISSUES": Impact.MINOR,
    "UNDERMAINTENANCE": Impact.MAINTENANCE,
}
INSTATUS_IMPACT = {
    "OPERATIONAL": "none",
    "DEGRADEDPERFORMANCE": "minor",
    "PARTIALOUTAGE": "major",
    "MAJOROUTAGE": "critical",
    "UNDERMAINTENANCE": "maintenance",
}
INSTATUS_COMPONENT = {
    "OPERATIONAL": ComponentStatus.OPERATIONAL,
    "DEGRADEDPERFORMANCE": ComponentStatus.DEGRADED_PERFORMANCE,
    "PARTIALOUTAGE": ComponentStatus.PARTIAL_OUTAGE,
    "MAJOROUTAGE": ComponentStatus.MAJOR_OUTAGE,
    "UNDERMAINTENANCE": ComponentStatus.UNDER_MAINTENANCE,
}
INCIDENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# JavaScript's Date.toString(), which Instatus may send: "Mon Dec 07 2026 14:00:00 GMT+0000 (…)".
JS_DATE = re.compile(r"^\w{3} (\w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-]\d{4})")
MAX_DURATION = timedelta(days=31)


class ShapeError(ValueError):
    """The body is not a summary we can read; str() says what it lacks."""


@dataclass(frozen=True)
class Reading:
    report: UpstreamReport
    warnings: tuple[str, ...]


def _list(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def read_summary(body: object, source: UpstreamSource, as_of: datetime) -> Reading:
    """*body* (parsed JSON) as a report; ShapeError if it is neither shape."""
    if not isinstance(body, dict):
        raise ShapeError("the body is not a JSON object")
    if isinstance(body.get("status"), dict) and isinstance(body.get("page"), dict):
        return _statuspage(body, source, as_of)
    if isinstance(body.get("page"), dict) and "activeIncidents" in body:
        return _instatus(body, source, as_of)
    raise ShapeError(
        "not a Statuspage v2 summary (`page`, `status`) nor an Instatus one "
        "(`page`, `activeIncidents`); is `url:` the provider's summary.json?"
    )


def _components(
    entries: list[dict[str, Any]], source: UpstreamSource, status_of: dict[str, ComponentStatus]
) -> tuple[tuple[UpstreamItem, ...], list[str]]:
    """The configured components, in the config's order, and what could not be shown."""
    warnings: list[str] = []
    if len(entries) > MAX_SCANNED_COMPONENTS:
        warnings.append(
            f"lists {len(entries):,} components; only the first {MAX_SCANNED_COMPONENTS:,} are read"
        )
        entries = entries[:MAX_SCANNED_COMPONENTS]
    by_name: dict[str, ComponentStatus] = {}
    for entry in entries:
        name = entry.get("name")
        status = status_of.get(str(entry.get("status")))
        if isinstance(name, str) and status is not None:
            by_name.setdefault(one_line(name, MAX_NAME), status)
    shown: list[UpstreamItem] = []
    for wanted in source.components[:MAX_SHOWN_COMPONENTS]:
        status = by_name.get(one_line(wanted, MAX_NAME))
        if status is None:
            warnings.append(f"has no component named {one_line(wanted, MAX_NAME)!r}")
            continue
        shown.append(UpstreamItem(name=one_line(wanted, MAX_NAME), status=status.word))
    return tuple(shown), warnings


def _page_url(body: dict[str, Any]) -> str | None:
    return link(body["page"].get("url"))


def _statuspage(body: dict[str, Any], source: UpstreamSource, as_of: datetime) -> Reading:
    status = body["status"]
    indicator = Impact.parse(status.get("indicator"))
    if indicator is None:
        raise ShapeError(f"unknown `status.indicator` {one_line(status.get('indicator'), 40)!r}")
    page_url = _page_url(body)
    statuses = {s.word: s for s in ComponentStatus}
    components, warnings = _components(_list(body.get("components")), source, statuses)
    active = [i for i in _list(body.get("incidents")) if str(i.get("status")) not in FINAL]
    incidents = []
    for entry in active[:MAX_INCIDENTS]:
        url = link(entry.get("shortlink"))
        ident = entry.get("id")
        if url is None and page_url and isinstance(ident, str) and INCIDENT_ID.match(ident):
            url = f"{page_url.rstrip('/')}/incidents/{ident}"
        impact = Impact.parse(entry.get("impact")) or Impact.MINOR
        incidents.append(
            UpstreamItem(name=one_line(entry.get("name"), MAX_NAME), status=impact.word, url=url)
        )
    if len(active) > MAX_INCIDENTS:
        warnings.append(f"has {len(active)} active incidents; the first {MAX_INCIDENTS} are shown")
    report = UpstreamReport(
        as_of=as_of,
        indicator=indicator,
        description=one_line(status.get("description"), MAX_DESCRIPTION),
        page_url=page_url,
        components=components,
        incidents=tuple(incidents),
        maintenances=_maintenances(
            (_v2_maintenance(m, page_url) for m in _list(body.get("scheduled_maintenances"))),
            as_of,
        ),
    )
    return Reading(report, tuple(warnings))


def _instatus(body: dict[str, Any], source: UpstreamSource, as_of: datetime) -> Reading:
    page = body["page"]
    indicator = INSTATUS_PAGE.get(str(page.get("status")))
    if indicator is None:
        raise ShapeError(f"unknown Instatus `page.status` {one_line(page.get('status'), 40)!r}")
    components, warnings = _components(_list(body.get("components")), source, INSTATUS_COMPONENT)
    active = _list(body.get("activeIncidents"))
    incidents = tuple(
        UpstreamItem(
            name=one_line(entry.get("name"), MAX_NAME),
            status=INSTATUS_IMPACT.get(str(entry.get("impact")), "minor"),
            url=link(entry.get("url")),
        )
        for entry in active[:MAX_INCIDENTS]
    )
    if len(active) > MAX_INCIDENTS:
        warnings.append(f"has {len(active)} active incidents; the first {MAX_INCIDENTS} are shown")
    # Instatus says only "has issues"; its incidents' impact tells how bad.
    worst = max((Impact.parse(i.status) or Impact.MINOR for i in incidents), default=indicator)
    if indicator is Impact.MINOR:
        indicator = max(worst, Impact.MINOR)
    report = UpstreamReport(
        as_of=as_of,
        indicator=indicator,
        description="",
        page_url=_page_url(body),
        components=components,
        incidents=incidents,
        maintenances=_maintenances(
            (_instatus_maintenance(m) for m in _list(body.get("activeMaintenances"))), as_of
        ),
    )
    return Reading(report, tuple(warnings))


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time with its zone, or JavaScript's Date.toString(); else None."""
    if not isinstance(value, str) or len(value) > 100:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        found = JS_DATE.match(value.strip())
        if found is None:
            return None
        moment = datetime.strptime(" ".join(found.groups()), "%b %d %Y %H:%M:%S %z")
    return moment.astimezone(UTC) if moment.tzinfo else None


def _v2_maintenance(entry: dict[str, Any], page_url: str | None) -> UpstreamMaintenance | None:
    status = str(entry.get("status"))
    if status not in ACTIVE_MAINTENANCE and status != "scheduled":
        return None
    url = link(entry.get("shortlink"))
    ident = entry.get("id")
    if url is None and page_url and isinstance(ident, str) and INCIDENT_ID.match(ident):
        url = f"{page_url.rstrip('/')}/incidents/{ident}"
    return UpstreamMaintenance(
        name=one_line(entry.get("name"), MAX_NAME),
        in_progress=status in ACTIVE_MAINTENANCE,
        starts=parse_time(entry.get("scheduled_for")),
        ends=parse_time(entry.get("scheduled_until")),
        url=url,
    )


def _instatus_maintenance(entry: dict[str, Any]) -> UpstreamMaintenance | None:
    status = str(entry.get("status"))
    if status not in {"INPROGRESS", "NOTSTARTEDYET"}:
        return None
    starts = parse_time(entry.get("start"))
    duration = str(entry.get("duration") or "")
    minutes = timedelta(minutes=int(duration)) if duration.isdigit() else None
    ends = starts + minutes if starts and minutes and minutes <= MAX_DURATION else None
    return UpstreamMaintenance(
        name=one_line(entry.get("name"), MAX_NAME),
        in_progress=status == "INPROGRESS",
        starts=starts,
        ends=ends,
        url=link(entry.get("url")),
    )


def _maintenances(
    found: Iterable[UpstreamMaintenance | None], as_of: datetime
) -> tuple[UpstreamMaintenance, ...]:
    """What customers need of a provider's maintenances: those in progress and those
    starting within MAINTENANCE_WINDOW of the fetch, soonest first, at most MAX_MAINTENANCES.
    One scheduled without a start time we can read cannot be placed, so it is left out."""
    horizon = as_of + MAINTENANCE_WINDOW
    kept = [
        m
        for m in found
        if m is not None
        # In progress past its planned end: the provider still says so, and so do we.
        and (m.in_progress or (m.starts is not None and m.starts <= horizon))
        and (m.in_progress or m.ends is None or m.ends > as_of)
    ]
    kept.sort(key=lambda m: (not m.in_progress, m.starts or as_of, m.name))
    return tuple(kept[:MAX_MAINTENANCES])
