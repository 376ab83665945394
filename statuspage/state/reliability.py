"""Reliability figures per calendar quarter (pure): incidents by impact and MTTR.

An incident belongs to the quarter (in the site's zone) of its first update.
MTTR, the mean time to resolve, runs from the first update to `resolved`,
over the incidents resolved by `now`; open ones are counted but not timed.
Maintenance is planned work, not an incident, and is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from statuspage.model import Config, Impact, Incident
from statuspage.state import status as st

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
    components: dict[str, Figures]  # every component id, in config order


def affected_by(incident: Incident, now: datetime) -> set[str]:
    """Components the incident has named by *now* (front matter and published updates)."""
    ids = {cid for cid, _ in incident.components}
    for update in incident.updates:
        if update.at <= now:
            ids |= {cid for cid, _ in update.components}
    return ids


def quarter_of(moment: datetime, zone: tzinfo) -> Quarter:
    return Quarter.of(moment.astimezone(zone).date())


def quarterly_figures(
    config: Config, incidents: Iterable[Incident], now: datetime
) -> list[QuarterFigures]:
    """Figures for every quarter from the first incident's to the current one, newest first."""
    zone = config.timezone
    current = quarter_of(now, zone)

    # One pass: each incident is added to its quarter's tally and to those of the
    # components it affected (linear in the incidents, not quarters x components x incidents).
    def fresh() -> tuple[_Tally, dict[str, _Tally]]:
        return _Tally(), {cid: _Tally() for cid in config.component_ids}

    tallies: dict[Quarter, tuple[_Tally, dict[str, _Tally]]] = {}
    for incident in incidents:
        if incident.is_maintenance or not st.is_visible(incident, now):
            continue
        quarter = quarter_of(incident.created_at, zone)
        overall, per_component = tallies.get(quarter) or tallies.setdefault(quarter, fresh())
        resolved = st.resolved_at(incident, now)
        overall.add(incident, resolved)
        for cid in affected_by(incident, now):
            if cid in per_component:
                per_component[cid].add(incident, resolved)
    quarter = min(tallies, default=current)
    result = []
    while quarter <= current:
        overall, per_component = tallies.get(quarter) or fresh()
        components = {cid: per_component[cid].figures() for cid in config.component_ids}
        result.append(QuarterFigures(quarter, overall.figures(), components))
        quarter = quarter.next()
    return list(reversed(result))


def figures_json(figures: Figures) -> dict[str, Any]:
    return {
        "incidents": figures.total,
        "by_impact": {impact.word: figures.by_impact[impact] for impact in IMPACTS},
        "resolved": figures.resolved,
        "mttr_seconds": int(figures.mttr.total_seconds()) if figures.mttr is not None else None,
    }
