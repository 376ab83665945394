"""Bar charts as data for inline SVG (pure): monthly uptime, incidents by impact, MTTR.

The pages draw them with `_charts.html`, server-side: no script, no external
request. Geometry is in the SVG's own units (a viewBox of WIDTH x HEIGHT, scaled
by the stylesheet); colours are classes (c-<status>), so dark mode and print come
from style.css and the CSP's `style-src 'self'` holds. Every figure is also a row
of the chart's `rows`, which the template shows as a visually hidden table and
states in the chart's <desc>.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from statuspage.model import Impact
from statuspage.outputs.i18n import Formatter
from statuspage.state.reliability import IMPACTS, Figures, Quarter, QuarterFigures

WIDTH = 640
HEIGHT = 220
LEFT = 84  # room for the y axis labels
RIGHT = 24  # room for half of the last x label, which is centred under its bar
BOTTOM = 28  # room for the x axis labels
TOP = 10
PLOT = HEIGHT - BOTTOM - TOP
QUARTERS = 8  # the MTTR chart's span


@dataclass(frozen=True)
class Segment:
    """One rectangle: a bar, or one impact's part of a stacked bar."""

    x: float
    y: float
    width: float
    height: float
    css: str


@dataclass(frozen=True)
class Column:
    label: str  # under the bar (short: 'Jan')
    x: float  # the label's centre
    segments: tuple[Segment, ...]
    wide: bool  # the label is shown on narrow screens too (every other one)


@dataclass(frozen=True)
class Chart:
    columns: tuple[Column, ...]
    ticks: tuple[tuple[float, str], ...]  # (y, label) of the horizontal grid lines
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row header, cells): the data table
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = TOP + PLOT
    # (bottom, top) labels of a value axis that does not start at 0, which the page says
    # in words and marks with a break: small differences look large on it.
    cut: tuple[str, str] | None = None


def _columns(count: int) -> list[tuple[float, float]]:
    """(x, width) of *count* evenly spaced bars across the plot."""
    step = (WIDTH - LEFT - RIGHT) / max(count, 1)
    width = min(step * 0.7, 44)
    return [(LEFT + i * step + (step - width) / 2, width) for i in range(count)]


def _y(value: float, top: float, bottom: float = 0) -> float:
    """The SVG y of *value* on an axis from *bottom* to *top*."""
    share = (value - bottom) / (top - bottom) if top > bottom else 0
    return round(TOP + PLOT * (1 - min(max(share, 0), 1)), 2)


def _nice(value: float) -> int:
    """The axis top for a largest value: 1, 2, 5 x 10^n at or above it."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(int(n * power) for n in (1, 2, 5, 10) if n * power >= value)


def uptime_chart(months: list[tuple[date, float | None]], fmt: Formatter) -> Chart:
    """Monthly uptime: one bar a month, on an axis from the floor that shows the differences
    (99 % while every month is above it), which the chart then states as cut."""
    values = [v for _, v in months if v is not None]
    lowest = min(values, default=100.0)
    bottom = 99.0 if lowest >= 99 else float(max(0, math.floor(lowest) - 1))
    columns: list[Column] = []
    for (month, value), (x, width) in zip(months, _columns(len(months)), strict=True):
        segments: tuple[Segment, ...] = ()
        if value is not None:
            css = "c-ok" if value >= 99.9 else "c-minor" if value >= 99 else "c-major_outage"
            top = _y(value, 100, bottom)
            height = max(round(TOP + PLOT - top, 2), 1)  # a sliver even at the axis floor
            segments = (
                Segment(round(x, 2), round(TOP + PLOT - height, 2), round(width, 2), height, css),
            )
        columns.append(_column(month, fmt, x, width, segments, len(columns), len(months)))
    ticks = tuple(
        (_y(v, 100, bottom), fmt.axis_percent(v)) for v in (bottom, (bottom + 100) / 2, 100)
    )
    rows = tuple(
        (fmt.month(month), (fmt.percent(v) if v is not None else "—",)) for month, v in months
    )
    cut = (fmt.axis_percent(bottom), fmt.axis_percent(100)) if bottom > 0 else None
    return Chart(tuple(columns), ticks, rows, cut=cut)


def incidents_chart(months: list[tuple[date, dict[Impact, int]]], fmt: Formatter) -> Chart:
    """Incidents per month, stacked by impact, worst at the bottom."""
    top = _nice(max((sum(c.values()) for _, c in months), default=0))
    columns: list[Column] = []
    for (month, counts), (x, width) in zip(months, _columns(len(months)), strict=True):
        segments: list[Segment] = []
        below = 0
        for impact in IMPACTS:
            if counts[impact]:
                y = _y(below + counts[impact], top)
                segments.append(
                    Segment(round(x, 2), y, round(width, 2), round(_y(below, top) - y, 2),
                            f"c-{impact.word}")
                )  # fmt: skip
                below += counts[impact]
        columns.append(_column(month, fmt, x, width, tuple(segments), len(columns), len(months)))
    # Whole numbers only, evenly spaced: a top of 5 gets no grid line at 2.5 (nor at 2).
    middle = {top // 2} if top % 2 == 0 else set()
    ticks = tuple((_y(v, top), fmt.number(v)) for v in sorted({0, top, *middle}))
    rows = tuple(
        (
            fmt.month(month),
            (fmt.number(sum(counts.values())), *(fmt.number(counts[i]) for i in IMPACTS)),
        )
        for month, counts in months
    )
    return Chart(tuple(columns), ticks, rows)


def mttr_chart(
    quarters: list[QuarterFigures], fmt: Formatter, start: date | None = date.min
) -> Chart:
    """Mean time to resolve per quarter over the last eight quarters, oldest first, in hours
    (quarters before the first incident have none); none before the quarter of *start*, the
    site's first day (None: no data, so only the quarters of *quarters*)."""
    known = {q.quarter: q.overall for q in quarters}
    current = quarters[0].quarter if quarters else None
    shown: list[tuple[Quarter, Figures | None]] = []
    while (
        current is not None
        and len(shown) < QUARTERS
        and (current in known or (start is not None and current.last_day >= start))
    ):
        shown.insert(0, (current, known.get(current)))
        current = current.previous()
    hours = [f.mttr / timedelta(hours=1) if f and f.mttr else 0.0 for _, f in shown]
    top = _nice(max(hours, default=0))
    columns: list[Column] = []
    for index, ((quarter, figures), value, (x, width)) in enumerate(
        zip(shown, hours, _columns(len(shown)), strict=True)
    ):
        segments: tuple[Segment, ...] = ()
        if figures is not None and figures.mttr is not None:
            height = max(round(TOP + PLOT - _y(value, top), 2), 1)
            segments = (Segment(round(x, 2), round(TOP + PLOT - height, 2), round(width, 2),
                                height, "c-mttr"),)  # fmt: skip
        wide = (len(shown) - 1 - index) % 2 == 0
        columns.append(
            Column(fmt.quarter(quarter.first_day), round(x + width / 2, 2), segments, wide)
        )
    ticks = tuple((_y(v, top), fmt.duration(timedelta(hours=v))) for v in sorted({0, top / 2, top}))
    rows = tuple(
        (
            fmt.quarter(quarter.first_day),
            (
                fmt.duration(f.mttr) if f is not None and f.mttr is not None else "—",
                fmt.number(f.resolved if f is not None else 0),
            ),
        )
        for quarter, f in shown
    )
    return Chart(tuple(columns), ticks, rows)


def _column(
    month: date, fmt: Formatter, x: float, width: float, segments: tuple[Segment, ...],
    index: int, count: int,
) -> Column:  # fmt: skip
    """A month's column; on narrow screens every other label is hidden (the newest kept)."""
    label = fmt.month_short(month)
    return Column(label, round(x + width / 2, 2), segments, (count - 1 - index) % 2 == 0)
