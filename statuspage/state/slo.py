"""Service level objectives and error budgets per component and group (pure).

The window is rolling, as SRE practice has it: exactly `slo_window_days` x 24 h
ending at the build's `now`, not calendar days, so the budget neither shrinks
through the day nor on DST changes. Uptime is weighted as the day bars weigh it
(uptime.py: major outage 100 %, partial outage 30 %, degraded performance and
maintenance not counted) and rounded down to two decimals. The error budget is
`(100 - slo) %` of the window (of the part after the `start_date`, when a component
began within it); consumed is the weighted downtime; remaining is negative when
the budget is overspent, and the objective is met while it is not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from statuspage.model import Component, Config, Group, Incident
from statuspage.state.uptime import (
    DOWNTIME_WEIGHT,
    Span,
    component_spans,
    group_spans,
    start_of_day,
    worst_over_time,
)

MICROSECONDS_PER_MINUTE = 60_000_000


@dataclass(frozen=True)
class Slo:
    """One component's or group's objective over its window ending at `now`."""

    id: str
    target: float  # percent, e.g. 99.9
    window_days: int
    start: datetime  # UTC: the window's start, or the start_date when later
    end: datetime  # UTC: the build's now
    budget: Fraction  # minutes of downtime the objective allows
    consumed: Fraction  # weighted minutes of downtime in the window
    percent: float | None  # the window's uptime, rounded down; None without data

    @property
    def remaining(self) -> Fraction:
        """Minutes of budget left; negative when overspent."""
        return self.budget - self.consumed

    @property
    def clipped(self) -> bool:
        """The window begins before the first day with data: the figures cover less of it."""
        return self.start > self.end - timedelta(days=self.window_days)

    @property
    def met(self) -> bool:
        return self.remaining >= 0


def slo_of(
    item_id: str, target: float, window_days: int, spans: Iterable[Span], start: datetime,
    end: datetime,
) -> Slo:  # fmt: skip
    """The objective *target* over [*start*, *end*) from the item's *spans* (any order)."""
    observed = max(end - start, timedelta(0))
    down = Fraction(0)
    for span in worst_over_time(spans):
        overlap = min(span.end, end) - max(span.start, start)
        if overlap > timedelta(0):
            down += DOWNTIME_WEIGHT.get(span.status, Fraction(0)) * _in_minutes(overlap)
    window = _in_minutes(observed)
    allowed = (100 - Fraction(str(target))) / 100
    percent = math.floor((1 - down / window) * 10_000) / 100 if window else None
    return Slo(item_id, target, window_days, start, end, allowed * window, down, percent)


def slo_report(config: Config, incidents: Iterable[Incident], now: datetime) -> dict[str, Slo]:
    """Every component's and group's objective at *now*, by id (those with an `slo:`)."""
    every: list[Component | Group] = [*config.components, *config.groups]
    items = [item for item in every if item.slo is not None]
    if not items:
        return {}
    end = now.astimezone(UTC)
    longest = max(item.slo_window_days for item in items)
    per_component = component_spans(config, incidents, now, end - timedelta(days=longest))
    report = {}
    for item in items:
        if isinstance(item, Group):
            start_date, spans = group_spans(config, item.id, per_component)
        else:
            start_date, spans = item.start_date, per_component[item.id]
        start = end - timedelta(days=item.slo_window_days)
        if start_date is not None:
            start = max(start, start_of_day(start_date, config.timezone))
        assert item.slo is not None  # filtered above
        report[item.id] = slo_of(item.id, item.slo, item.slo_window_days, spans, start, end)
    return report


def _in_minutes(span: timedelta) -> Fraction:
    """*span* in minutes, exactly."""
    return Fraction(span // timedelta(microseconds=1), MICROSECONDS_PER_MINUTE)
