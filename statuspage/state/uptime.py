"""90 days of uptime per component and group, from the incident files alone (pure).

Each incident gives each component it affects a status over time, exactly as
the live page rolls it up (status.component_states while the incident is
open); maintenance counts as `under_maintenance` whatever it says. At every
instant a component has the worst status any incident gives it, so overlapping
incidents are never counted twice; a group has its worst member's status.

A day is a calendar day in the site's zone: 23 or 25 hours long on DST changes,
and today only counts up to `now`. Uptime over the days with data:

    100 % x (1 - (major_outage time + 30 % x partial_outage time) / observed time)

(the weighting the hosted products use; degraded performance and maintenance
are not downtime), rounded *down* to two decimals, so an outage never shows as
100.00 %. Days before a component's `start_date` (else the site's, source/start.py)
have no data and are left out.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import pairwise
from operator import itemgetter
from types import MappingProxyType

from statuspage.model import ComponentStatus, Config, Incident
from statuspage.state import status as st

DAYS = 90
# How much of each status counts as downtime (the rest counts as up).
DOWNTIME_WEIGHT = {
    ComponentStatus.MAJOR_OUTAGE: Fraction(1),
    ComponentStatus.PARTIAL_OUTAGE: Fraction(3, 10),
}
# The weights over one common denominator, for uptime_percent's whole-number sums.
_SCALE = math.lcm(*(w.denominator for w in DOWNTIME_WEIGHT.values()))
_WEIGHT = MappingProxyType({s: int(w * _SCALE) for s, w in DOWNTIME_WEIGHT.items()})
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Span:
    """A component in one non-operational status from *start* to *end* (UTC)."""

    start: datetime
    end: datetime
    status: ComponentStatus


@dataclass(frozen=True)
class Day:
    day: date
    status: ComponentStatus | None  # the worst that day; None: no data (before start_date)
    durations: tuple[
        tuple[ComponentStatus, timedelta], ...
    ]  # time in each non-operational status, worst first
    observed: timedelta  # the day's length (23-25 h; today: up to now); zero without data

    @property
    def has_data(self) -> bool:
        return self.status is not None


@dataclass(frozen=True)
class Uptime:
    """One component's (or group's) last days and its uptime over them."""

    id: str
    days: tuple[Day, ...]  # oldest first, ending today
    percent: float | None  # None when no day has data

    @property
    def since(self) -> date | None:
        """The first day with data when the days begin before it (None: all or none have data),
        so a figure can say what it covers."""
        first = next((d.day for d in self.days if d.has_data), None)
        return first if first is not None and first != self.days[0].day else None

    def total(self, status: ComponentStatus) -> timedelta:
        """Time spent in *status* over the days with data."""
        return sum(
            (span for day in self.days for s, span in day.durations if s is status), timedelta(0)
        )


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The first instant of *day* in *zone*, in UTC (where midnight is skipped, the
    gap's end: zoneinfo reads a skipped time with the offset from before it)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def next_day_start(now: datetime, zone: tzinfo) -> datetime:
    """When today ends in *zone*: the day bars and the recent days move on."""
    return start_of_day(now.astimezone(zone).date() + timedelta(days=1), zone)


def incident_spans(incident: Incident, now: datetime) -> dict[str, list[Span]]:
    """What *incident* did to each component up to *now*: non-operational spans per id."""
    moments = {u.at for u in incident.updates if u.at <= now}
    if incident.maintenance:
        moments |= {t for t in (incident.maintenance.start, incident.maintenance.end) if t <= now}
    if not moments:
        return {}
    points = sorted(t.astimezone(UTC) for t in moments | {now})
    spans: dict[str, list[Span]] = {}
    # The incident's effect only changes at its updates and window edges, so the
    # state at the start of each stretch holds until the next one.
    for start, end in pairwise(points):
        if end <= start or not st.is_open(incident, start):
            continue
        for cid, status in st.component_states(incident, start).items():
            if incident.is_maintenance and status is not ComponentStatus.OPERATIONAL:
                status = ComponentStatus.UNDER_MAINTENANCE  # planned work is never downtime
            if status is not ComponentStatus.OPERATIONAL:
                spans.setdefault(cid, []).append(Span(start, end, status))
    return spans


_WORST_FIRST = tuple(sorted(ComponentStatus, reverse=True))


def worst_over_time(spans: Iterable[Span]) -> list[Span]:
    """Disjoint spans holding, at each instant, the worst status of any *spans* covering it."""
    events: list[tuple[datetime, int, ComponentStatus]] = []
    for span in spans:
        events += [(span.start, 1, span.status), (span.end, -1, span.status)]
    events.sort(key=itemgetter(0))
    active = dict.fromkeys(_WORST_FIRST, 0)  # spans covering the instant, per status
    result: list[Span] = []
    last = len(events) - 1
    for i, (moment, delta, status) in enumerate(events):
        active[status] += delta
        following = events[i + 1][0] if i < last else moment
        if following <= moment:
            continue  # more events at this instant: only the state after them all lasts
        worst = next((s for s in _WORST_FIRST if active[s] > 0), None)
        if worst is not None:
            if result and result[-1].end == moment and result[-1].status is worst:
                result[-1] = Span(result[-1].start, following, worst)
            else:
                result.append(Span(moment, following, worst))
    return result


def day_range(now: datetime, zone: tzinfo, days: int = DAYS) -> list[date]:
    """The last *days* calendar days in *zone*, oldest first, ending today."""
    today = now.astimezone(zone).date()
    return [today - timedelta(days=n) for n in range(days - 1, -1, -1)]


def uptime_of(
    item_id: str,
    spans: list[Span],
    start_date: date | None,
    now: datetime,
    zone: tzinfo,
    days: int = DAYS,
) -> Uptime:
    """Day bars and the uptime figure for one component or group from its *spans*."""
    return _uptime_of(item_id, spans, start_date, _day_bounds(now, zone, days))


def _day_bounds(now: datetime, zone: tzinfo, days: int) -> list[tuple[date, datetime, datetime]]:
    """Each bar's day with its first and last instant in UTC (today's ends at *now*)."""
    until = now.astimezone(UTC)
    return [
        (day, start_of_day(day, zone), min(start_of_day(day + timedelta(days=1), zone), until))
        for day in day_range(now, zone, days)
    ]


def _uptime_of(
    item_id: str,
    spans: list[Span],
    start_date: date | None,
    bounds: list[tuple[date, datetime, datetime]],
) -> Uptime:
    merged = worst_over_time(spans)  # disjoint, oldest first: one sweep serves every day
    result = []
    first = 0
    for day, begin, end in bounds:
        if start_date is not None and day < start_date:
            result.append(Day(day, None, (), timedelta(0)))
            continue
        while first < len(merged) and merged[first].end <= begin:
            first += 1  # over before this day (and so before every later one)
        spent: dict[ComponentStatus, timedelta] = {}
        for span in itertools.islice(merged, first, None):
            if span.start >= end:
                break
            overlap = min(span.end, end) - max(span.start, begin)
            if overlap > timedelta(0):
                spent[span.status] = spent.get(span.status, timedelta(0)) + overlap
        durations = tuple(sorted(spent.items(), reverse=True))
        worst = durations[0][0] if durations else ComponentStatus.OPERATIONAL
        result.append(Day(day, worst, durations, max(end - begin, timedelta(0))))
    return Uptime(item_id, tuple(result), uptime_percent(result))


def uptime_percent(days: Iterable[Day]) -> float | None:
    """Weighted uptime over the days with data, rounded down to two decimals."""
    # Exact in whole numbers: every weight over one common denominator (asked for every
    # day of a year, for every component, so Fractions per day would be the slow part).
    scale = _SCALE
    observed = 0
    down = 0
    for day in days:  # asked of every period and month of every item: kept to integer sums
        observed += day.observed // _MICROSECOND
        for status, span in day.durations:
            weight = _WEIGHT.get(status)
            if weight:
                down += weight * (span // _MICROSECOND)
    if observed == 0:
        return None
    return math.floor(Fraction(observed * scale - down, observed * scale) * 10_000) / 100


PERIODS = (30, 90, 365)  # the uptime figures of component pages and metrics.json, in days


@dataclass(frozen=True)
class UptimeFigures:
    """An item's uptime over periods (uptime_periods) and months (monthly_uptime)."""

    periods: list[tuple[int, float | None]]
    monthly: list[tuple[date, float | None]]


def uptime_periods(year: Uptime) -> list[tuple[int, float | None]]:
    """Uptime over the last 30, 90 and 365 days of *year* (calendar days in the site's zone)."""
    return [(days, uptime_percent(year.days[-days:])) for days in PERIODS]


def dated(config: Config, start: date | None, now: datetime) -> Config:
    """*config* with every component's first day with data: its own `start_date`, else the
    site's *start* (source/start.py); with no start at all, the day after *now*: no data."""
    first = start or now.astimezone(config.timezone).date() + timedelta(days=1)
    components = tuple(
        c if c.start_date is not None else replace(c, start_date=first) for c in config.components
    )
    return replace(config, components=components)


def item_start(config: Config, item_id: str) -> date | None:
    """A component's `start_date`, or a group's first member's (None: always had data)."""
    component = config.component(item_id)
    if component is not None:
        return component.start_date
    return group_spans(config, item_id, {c.id: [] for c in config.components})[0]


def uptime_report(
    config: Config, incidents: Iterable[Incident], now: datetime, days: int = DAYS
) -> dict[str, Uptime]:
    """Every component's and group's uptime over the last *days* days, by id."""
    return _uptime_report(config, tuple(incidents), now, days)


def _uptime_report(
    config: Config, incidents: tuple[Incident, ...], now: datetime, days: int
) -> dict[str, Uptime]:
    first_day = start_of_day(day_range(now, config.timezone, days)[0], config.timezone)
    per_component = component_spans(config, incidents, now, first_day)
    bounds = _day_bounds(now, config.timezone, days)
    report = {
        c.id: _uptime_of(c.id, per_component[c.id], c.start_date, bounds) for c in config.components
    }
    for group in config.groups:
        start, spans = group_spans(config, group.id, per_component)
        report[group.id] = _uptime_of(group.id, spans, start, bounds)
    return report


def component_spans(
    config: Config, incidents: Iterable[Incident], now: datetime, since: datetime
) -> dict[str, list[Span]]:
    """Each component's non-operational spans up to *now* of the incidents not over before
    *since*, none before the component's `start_date` (by component id)."""
    per_component: dict[str, list[Span]] = {cid: [] for cid in config.component_ids}
    for incident in incidents:
        resolved = st.resolved_at(incident, now)
        if resolved is not None and resolved < since:
            continue  # over before the period begins
        for cid, spans in incident_spans(incident, now).items():
            if cid in per_component:
                per_component[cid].extend(spans)
    for component in config.components:
        if component.start_date is not None:
            # Before it existed a component has no data, in its own bars and in its group's.
            begin = start_of_day(component.start_date, config.timezone)
            per_component[component.id] = [
                Span(max(s.start, begin), s.end, s.status)
                for s in per_component[component.id]
                if s.end > begin
            ]
    return per_component


def group_spans(
    config: Config, group_id: str, per_component: dict[str, list[Span]]
) -> tuple[date | None, list[Span]]:
    """A group's first day with data and its members' spans (worst_over_time merges them)."""
    members = [c for c in config.components if c.group == group_id]
    starts = [c.start_date for c in members]
    # A group has data from its first member's start (any member without a start_date: always).
    start = None if None in starts or not starts else min(d for d in starts if d is not None)
    return start, [span for c in members for span in per_component[c.id]]


def last_days(uptime: Uptime, days: int) -> Uptime:
    """*uptime* cut to its last *days* days (the bars: 90 of a year's)."""
    kept = uptime.days[-days:]
    return Uptime(uptime.id, kept, uptime_percent(kept))


def monthly_uptime(uptime: Uptime, months: int = 12) -> list[tuple[date, float | None]]:
    """(first day of the month, uptime that month) for the last *months* calendar months,
    oldest first; the current month up to now, None for a month without data. Months
    before the first with data are left out: a chart pads nothing before the start."""
    by_month: dict[date, list[Day]] = {}
    for day in uptime.days:
        by_month.setdefault(day.day.replace(day=1), []).append(day)
    found = [(month, uptime_percent(days)) for month, days in list(by_month.items())[-months:]]
    first = next((n for n, (_, percent) in enumerate(found) if percent is not None), len(found))
    return found[first:]


def year_days(now: datetime, zone: tzinfo, months: int = 12) -> int:
    """Days from the first of the month *months* - 1 months back to today, and at least 365:
    enough for the 365-day figure and for every day of the monthly chart."""
    today = now.astimezone(zone).date()
    month_index = today.year * 12 + today.month - 1 - (months - 1)
    first = date(month_index // 12, month_index % 12 + 1, 1)
    return max(365, (today - first).days + 1)


def minutes(span: timedelta) -> int:
    """Whole minutes, rounded down (as the page shows them)."""
    return int(span.total_seconds() // 60)
