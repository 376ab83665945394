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

from . import status as st
from .model import Config, Impact, Incident

IMPACTS = [Impact.CRITICAL, Impact.MAJOR, Impact.MINOR, Impact.NONE]  # worst first, as tables show them


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

    @classmethod
    def of(cls, incidents: list[Incident], now: datetime) -> Figures:
        counts = dict.fromkeys(IMPACTS, 0)
        times = []
        for incident in incidents:
            counts[incident.impact] += 1
            end = st.resolved_at(incident, now)
            if end is not None:
                times.append(end.astimezone(UTC) - incident.created_at.astimezone(UTC))
        mttr = sum(times, timedelta(0)) / len(times) if times else None
        # Whole seconds: enough precision, and stable text in pages and JSON.
        return cls(counts, len(times), timedelta(seconds=round(mttr.total_seconds())) if mttr is not None else None)


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


def quarterly_figures(config: Config, incidents: Iterable[Incident], now: datetime) -> list[QuarterFigures]:
    """Figures for every quarter from the first incident's to the current one, newest first."""
    zone = config.timezone
    counted = [i for i in incidents if not i.is_maintenance and st.is_visible(i, now)]
    current = quarter_of(now, zone)
    # Group once and compute each incident's components once: linear in the incidents,
    # not (quarters x components x incidents).
    by_quarter: dict[Quarter, list[tuple[Incident, set[str]]]] = {}
    for incident in counted:
        by_quarter.setdefault(quarter_of(incident.created_at, zone), []).append((incident, affected_by(incident, now)))
    quarter = min(by_quarter, default=current)
    result = []
    while quarter <= current:
        entries = by_quarter.get(quarter, [])
        inside = [i for i, _ in entries]
        per_component = {
            cid: Figures.of([i for i, ids in entries if cid in ids], now) for cid in config.component_ids
        }
        result.append(QuarterFigures(quarter, Figures.of(inside, now), per_component))
        quarter = quarter.next()
    return list(reversed(result))


def figures_json(figures: Figures) -> dict[str, Any]:
    return {
        "incidents": figures.total,
        "by_impact": {impact.word: figures.by_impact[impact] for impact in IMPACTS},
        "resolved": figures.resolved,
        "mttr_seconds": int(figures.mttr.total_seconds()) if figures.mttr is not None else None,
    }
