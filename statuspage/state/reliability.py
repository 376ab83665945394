"""Reliability figures per calendar quarter (pure): incidents by impact and MTTR.

An incident belongs to the quarter (in the site's zone) of its first update.
MTTR, the mean time to resolve, runs from the first update to `resolved`,
over the incidents resolved by `now`; open ones are counted but not timed.
Maintenance is planned work, not an incident, and is left out. The same figures
are kept per ITIL priority (P1-P5, model.priority), and the time to first update
runs from `detected:` to the first public update, for the incidents that say
when they were detected.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from statuspage.model import Config, Impact, Incident
from statuspage.state import status as st

PRIORITIES = (1, 2, 3, 4, 5)
IMPACTS = [
    Impact.CRITICAL,
    Impact.MAJOR,
    Impact.MINOR,
    Impact.NONE,
]  # worst first, as tables show them


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        following = self.next()
        return following.first_day - timedelta(days=1)

    @property
    def key(self) -> str:
        """'2026-Q4', the machine name."""
        return f"{self.year}-Q{self.number}"

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


@dataclass(frozen=True)
class Figures:
    """Counts and MTTR for one set of incidents."""

    by_impact: dict[Impact, int]
    resolved: int
    mttr: timedelta | None  # None when none was resolved

    @property
    def total(self) -> int:
        return sum(self.by_impact.values())


class _Tally:
    """Counts and resolution times, added up one incident at a time."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(IMPACTS, 0)
        self.resolved = 0
        self.total_time = timedelta(0)

    def add(self, incident: Incident, resolved: datetime | None) -> None:
        self.counts[incident.impact] += 1
        if resolved is not None:
            self.resolved += 1
            self.total_time += resolved.astimezone(UTC) - incident.created_at.astimezone(UTC)

    def figures(self) -> Figures:
        if not self.resolved:
            return Figures(self.counts, 0, None)
        # Whole seconds: enough precision, and stable text in pages and JSON.
        mttr = timedelta(seconds=round((self.total_time / self.resolved).total_seconds()))
        return Figures(self.counts, self.resolved, mttr)


@dataclass(frozen=True)
class QuarterFigures:
    quarter: Quarter
    overall: Figures
    components: dict[str, Figures]  # every component id in config order, then every group id
    priorities: dict[int, Figures]  # 1-5 (P1-P5)


def affected_by(incident: Incident, now: datetime) -> set[str]:
    """Components the incident has named by *now* (front matter and published updates)."""
    ids = {cid for cid, _ in incident.components}
    for update in incident.updates:
        if update.at <= now:
            ids |= {cid for cid, _ in update.components}
    return ids


def affected_items(incident: Incident, now: datetime, group_of: dict[str, str | None]) -> set[str]:
    """The known components the incident has named by *now*, and their groups (*group_of*:
    component id -> its group's id, or None)."""
    ids = {cid for cid in affected_by(incident, now) if cid in group_of}
    return ids | {g for cid in ids if (g := group_of[cid]) is not None}


def quarter_of(moment: datetime, zone: tzinfo) -> Quarter:
    return Quarter.of(moment.astimezone(zone).date())


def quarterly_figures(
    config: Config, incidents: Iterable[Incident], now: datetime
) -> list[QuarterFigures]:
    """Figures for every quarter from the first incident's to the current one, newest first."""
    zone = config.timezone
    current = quarter_of(now, zone)

    ids = [*config.component_ids, *(g.id for g in config.groups)]

    # One pass: each incident is added to its quarter's tally and to those of the components
    # and groups it affected (linear in the incidents, not quarters x components x incidents).
    def fresh() -> tuple[_Tally, dict[str, _Tally], dict[int, _Tally]]:
        return (
            _Tally(),
            {item_id: _Tally() for item_id in ids},
            {p: _Tally() for p in PRIORITIES},
        )

    group_of = {c.id: c.group for c in config.components}
    tallies: dict[Quarter, tuple[_Tally, dict[str, _Tally], dict[int, _Tally]]] = {}
    for incident in incidents:
        if incident.is_maintenance or not st.is_visible(incident, now):
            continue
        quarter = quarter_of(incident.created_at, zone)
        overall, per_component, per_priority = tallies.get(quarter) or tallies.setdefault(
            quarter, fresh()
        )
        resolved = st.resolved_at(incident, now)
        overall.add(incident, resolved)
        if incident.priority is not None:
            per_priority[incident.priority].add(incident, resolved)
        for item_id in affected_items(incident, now, group_of):  # each its own tally
            per_component[item_id].add(incident, resolved)
    quarter = min(tallies, default=current)
    result = []
    while quarter <= current:
        overall, per_component, per_priority = tallies.get(quarter) or fresh()
        components = {item_id: per_component[item_id].figures() for item_id in ids}
        priorities = {p: per_priority[p].figures() for p in PRIORITIES}
        result.append(QuarterFigures(quarter, overall.figures(), components, priorities))
        quarter = quarter.next()
    return list(reversed(result))


def priority_name(priority: int) -> str:
    """'P1' to 'P5'."""
    return f"P{priority}"


def first_update_delay(incident: Incident) -> timedelta | None:
    """From `detected:` to the first public update; None when detection is not known."""
    if incident.detected is None:
        return None
    return incident.created_at.astimezone(UTC) - incident.detected.astimezone(UTC)


@dataclass(frozen=True)
class Response:
    """How soon the first public update followed detection, for one priority."""

    priority: int
    timed: int  # incidents that say when they were detected
    median: timedelta | None  # whole seconds; None when none is timed
    target: timedelta | None  # `response_targets:`, if set for this priority
    within: int  # timed incidents whose first update met the target

    @property
    def share(self) -> float | None:
        """Fraction of the timed incidents that met the target (0-1), to four decimals."""
        if self.target is None or not self.timed:
            return None
        return round(self.within / self.timed, 4)


def response_figures(
    config: Config, incidents: Iterable[Incident], now: datetime
) -> list[Response]:
    """Time to first update per priority, P1 first, over every incident shown at *now*."""
    delays: dict[int, list[timedelta]] = {p: [] for p in PRIORITIES}
    for incident in incidents:
        delay = first_update_delay(incident)
        if incident.priority is not None and delay is not None and st.is_visible(incident, now):
            delays[incident.priority].append(delay)
    targets = dict(config.response_targets)
    result = []
    for priority, found in delays.items():
        target = targets.get(priority)
        median = None
        if found:
            # Whole seconds, as MTTR: stable text in pages and JSON.
            middle = statistics.median(d.total_seconds() for d in found)
            median = timedelta(seconds=round(middle))
        within = sum(1 for d in found if target is not None and d <= target)
        result.append(Response(priority, len(found), median, target, within))
    return result


def months_back(now: datetime, zone: tzinfo, months: int = 12) -> list[date]:
    """The first days of the last *months* calendar months in *zone*, oldest first."""
    today = now.astimezone(zone).date()
    index = today.year * 12 + today.month - 1
    return [date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(months - 1, -1, -1)]


def monthly_counts(
    config: Config,
    incidents: Iterable[Incident],
    now: datetime,
    months: int = 12,
    start: date | None = date.min,
) -> list[tuple[date, dict[Impact, int]]]:
    """Incidents by impact per calendar month (of the first update), for the last *months*;
    none of the months before *start*'s without an incident (*start* None: no data)."""
    counts = {
        month: dict.fromkeys(IMPACTS, 0) for month in months_back(now, config.timezone, months)
    }
    for incident in incidents:
        if incident.is_maintenance or not st.is_visible(incident, now):
            continue
        month = incident.created_at.astimezone(config.timezone).date().replace(day=1)
        if month in counts:
            counts[month][incident.impact] += 1
    found = list(counts.items())
    first = next(
        (
            n
            for n, (month, by_impact) in enumerate(found)
            if any(by_impact.values()) or (start is not None and month >= start.replace(day=1))
        ),
        len(found),
    )
    return found[first:]
