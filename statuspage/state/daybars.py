"""The 90 day bars as runs: consecutive quiet days share one bar element (pure).

A page with 30 components would otherwise carry 2,700 list items, most of them
"no incidents"; runs keep index.html small and give screen readers one sentence
("Aug 29 \u2013 Nov 17: no incidents") instead of eighty. Days with anything to
report stay single. The stylesheet lays the runs on a 90-column grid and draws
a run as that many day bars, so it looks the same as one item per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from statuspage.state.uptime import Day


@dataclass(frozen=True)
class DayRun:
    first: Day
    last: Day
    count: int

    @property
    def day(self) -> Day:
        """The run's representative day (all of its days look alike)."""
        return self.first


def day_runs(days: tuple[Day, ...] | list[Day]) -> list[DayRun]:
    """Consecutive days without incidents and with the same data state, merged; others single."""
    runs: list[DayRun] = []
    for quiet, group in groupby(
        days, key=lambda d: None if d.durations else (d.status, d.has_data)
    ):
        members = list(group)
        if quiet is None:
            runs += [DayRun(d, d, 1) for d in members]
        else:
            runs.append(DayRun(members[0], members[-1], len(members)))
    return runs
