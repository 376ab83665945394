"""What the HTML pages show, derived from the Snapshot: the incidents as pages see them,
the component rows, the front page's lists and the history's pages (no rendering).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import islice
from typing import Any

from statuspage.model import (
    Component,
    ComponentStatus,
    Group,
    Impact,
    Incident,
    IncidentStatus,
    Update,
)
from statuspage.outputs.i18n import Formatter
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.output_limits import history_page_size
from statuspage.state.reliability import IMPACTS, QuarterFigures, affected_items
from statuspage.state.snapshot import Snapshot
from statuspage.state.upstream import notes_for
from statuspage.state.uptime import Uptime, last_days, minutes

RECENT_DAYS = 14
ACTIVE_LIMIT = 50  # open incidents shown on the front page, newest first
COMPONENT_INCIDENTS = 20  # incidents listed on a component's page; the rest are in the history


@dataclass(frozen=True)
class ComponentRow:
    component: Component | Group
    status: ComponentStatus
    members: tuple[ComponentRow, ...] = ()

    @property
    def is_group(self) -> bool:
        return isinstance(self.component, Group)


class IncidentView:
    """One incident as of `now`, with what pages show of it computed once."""

    def __init__(self, incident: Incident, snapshot: Snapshot) -> None:
        self.incident = incident
        self.snapshot = snapshot
        self.now = snapshot.now
        self.config = snapshot.config

    def __getattr__(self, name: str) -> Any:
        return getattr(self.incident, name)

    @cached_property
    def timeline(self) -> list[Update]:
        """Newest first, as readers expect."""
        return list(reversed(self.snapshot.timeline(self.incident)))

    @cached_property
    def status(self) -> IncidentStatus:
        return self.snapshot.status(self.incident)

    @cached_property
    def resolved_at(self) -> datetime | None:
        return self.snapshot.resolved_at(self.incident)

    @cached_property
    def duration(self) -> timedelta:
        return self.snapshot.duration(self.incident)

    @property
    def latest(self) -> Update:
        return self.timeline[0]

    @property
    def path(self) -> str:
        return f"incidents/{self.incident.id}/"

    @cached_property
    def affected_components(self) -> list[tuple[Component, ComponentStatus]]:
        """Each affected component with the worst status the incident gave it."""
        worst: dict[str, ComponentStatus] = {}
        for cid, status in self.incident.components:
            worst[cid] = max(worst.get(cid, status), status)
        for update in self.incident.updates:
            if update.at <= self.now:
                for cid, status in update.components:
                    worst[cid] = max(worst.get(cid, status), status)
        return [(c, worst[c.id]) for c in self.config.components if c.id in worst]

    @property
    def started_day(self) -> date:
        return self.incident.started_at.astimezone(self.config.timezone).date()


@dataclass(frozen=True)
class Page:
    path: str  # output path, e.g. incidents/x/index.html
    template: str
    context: dict[str, Any]

    @property
    def root(self) -> str:
        """Relative prefix back to the site root, so the site works under any path and from disk."""
        return "../" * self.path.count("/")


class PageSet:
    """Everything the HTML pages need, derived from the Snapshot (which holds the costly parts)."""

    def __init__(self, snapshot: Snapshot, fmt: Formatter | None = None) -> None:
        self.snapshot = snapshot
        self.site = snapshot.site
        self.config = snapshot.config
        self.now = snapshot.now
        self.fmt = fmt or Formatter(self.config.language, self.config.timezone)
        self.views = [IncidentView(i, snapshot) for i in snapshot.visible]
        self.statuses = snapshot.component_statuses
        self.headline = snapshot.headline  # the banner's, title's and previews' one rule

    @cached_property
    def components(self) -> list[ComponentRow]:
        """Top-level rows in config order; a group carries its members."""
        rows: list[tuple[int, ComponentRow]] = []
        for group in self.config.groups:
            members = tuple(
                ComponentRow(c, self.statuses[c.id])
                for c in self.config.components
                if c.group == group.id
            )
            rows.append((group.position, ComponentRow(group, self.statuses[group.id], members)))
        rows += [
            (c.position, ComponentRow(c, self.statuses[c.id]))
            for c in self.config.components
            if c.group is None
        ]
        return [row for _, row in sorted(rows, key=lambda r: r[0])]

    @property
    def uptime(self) -> dict[str, Uptime]:
        """Day bars and 90-day uptime per component and group id (state/uptime.py)."""
        return self.snapshot.uptime

    @property
    def reliability(self) -> list[QuarterFigures]:
        """Incidents by impact and MTTR per quarter, newest first (state/reliability.py)."""
        return self.snapshot.quarters

    @property
    def start(self) -> date | None:
        """The first day the page reports on; None: no data (source/start.py)."""
        return self.snapshot.start

    @property
    def monthly_incidents(self) -> list[tuple[date, dict[Impact, int]]]:
        """Incidents by impact in each of the last 12 months (state/reliability.py)."""
        return self.snapshot.monthly_incidents

    @property
    def active_incidents(self) -> list[IncidentView]:
        """The newest open incidents; capped so the front page never grows with history
        (older open ones stay on their pages and in the history)."""
        active = (
            v for v in self.views if not v.is_maintenance and self.snapshot.is_open(v.incident)
        )
        return list(islice(active, ACTIVE_LIMIT))

    @property
    def active_maintenance(self) -> list[IncidentView]:
        return [v for v in self.views if v.is_maintenance and self.snapshot.is_open(v.incident)]

    @property
    def upcoming_maintenance(self) -> list[IncidentView]:
        upcoming = [
            v for v in self.views if v.is_maintenance and self.snapshot.is_upcoming(v.incident)
        ]
        return sorted(upcoming, key=lambda v: (v.incident.started_at, v.id))

    @cached_property
    def past(self) -> list[IncidentView]:
        """Everything that has happened or begun, newest first (upcoming maintenance left out)."""
        return [
            v for v in self.views if not (v.is_maintenance and v.status is IncidentStatus.SCHEDULED)
        ]

    def recent_days(self) -> list[tuple[date, list[IncidentView]]]:
        today = self.now.astimezone(self.config.timezone).date()
        days = [today - timedelta(days=n) for n in range(RECENT_DAYS)]
        by_day: dict[date, list[IncidentView]] = {d: [] for d in days}
        for view in self.past:
            if view.started_day in by_day:
                by_day[view.started_day].append(view)
        # A day before the site began was not "no incidents reported": it is left out.
        start = self.snapshot.start
        return [(d, by_day[d]) for d in days if by_day[d] or (start is not None and d >= start)]

    def history_pages(self) -> Iterator[tuple[int, int, list[tuple[date, list[IncidentView]]]]]:
        """(page number, page count, [(month, incidents)]), newest first; page 1 always exists.

        Pages are cut from the oldest incident on: every page holds `history_per_page`
        incidents, and page 1 also the newest ones that do not fill a page yet (so it
        holds up to twice as many). A new incident then changes page 1 alone; only once
        every `history_per_page` new incidents does every page move up one number. Cut
        from the newest, each new incident would shift one incident across every page,
        and a rebuild would render all of them again."""
        past = self.past
        # Never more than MAX_HISTORY_PAGES: each page repeats the page around its list.
        per = history_page_size(self.config.history_per_page, len(past))
        count = max(len(past) // per, 1)
        first = len(past) - (count - 1) * per
        chunks = [past[:first]] + [
            past[first + i * per : first + (i + 1) * per] for i in range(count - 1)
        ]
        for number, chunk in enumerate(chunks, start=1):
            months: dict[date, list[IncidentView]] = {}
            for view in chunk:
                months.setdefault(view.started_day.replace(day=1), []).append(view)
            yield number, len(chunks), list(months.items())

    @cached_property
    def _affecting(self) -> dict[str, list[IncidentView]]:
        """Component or group id -> the past incidents that named it by `now`, newest first."""
        group_of = {c.id: c.group for c in self.config.components}
        found: dict[str, list[IncidentView]] = {
            item_id: [] for item_id in (*group_of, *(g.id for g in self.config.groups))
        }
        for view in self.past:
            for item_id in affected_items(view.incident, self.now, group_of):
                found[item_id].append(view)
        return found

    def component_page(self, row: ComponentRow) -> Page:
        """A component's or group's page: status, uptime, SLO, charts, its incidents."""
        item = row.component
        year = self.snapshot.year_uptime[item.id]
        figures = self.snapshot.uptime_figures(item.id)
        periods, monthly = figures.periods, figures.monthly
        # A component's own page shows its SLO whenever it has one (metrics.json, public
        # too, always does); `show_slo` is only about marking the front page.
        slo = self.snapshot.slos.get(item.id)
        # Quarters that end before the item's first day with data are not shown as "0".
        start = self.snapshot.item_start(item.id)
        quarters = [
            (q.quarter, q.components[item.id])
            for q in self.snapshot.quarters[:4]
            if start is None or q.quarter.last_day >= start
        ]
        since = {days: last_days(year, days).since for days, _ in periods}
        affecting = self._affecting[item.id]
        views = affecting[:COMPONENT_INCIDENTS]
        uptime = self.snapshot.uptime[item.id]
        notes = notes_for(item.id, self.snapshot.providers)
        # What the page shows beyond the config and its incidents' files: the build's key.
        shown = (
            row.status.word, [(m.component.id, m.status.word) for m in row.members],
            [(d.day.isoformat(), d.has_data, [(st.word, minutes(t)) for st, t in d.durations])
             for d in uptime.days],
            uptime.percent, periods, sorted(since.items()),
            [(m.isoformat(), v) for m, v in monthly],
            slo and (slo.percent, round(slo.budget, 2), round(slo.consumed, 2), slo.window_days,
                     slo.clipped and slo.start.isoformat()),
            [(q.key, f.total, f.resolved, f.mttr and f.mttr.total_seconds(),
              [f.by_impact[i] for i in IMPACTS]) for q, f in quarters],
            len(affecting), notes,
        )  # fmt: skip
        context = {
            "page_name": "component",
            "row": row,
            "uptime": uptime,
            "periods": periods,
            "since": since,  # days -> the first day with data of that period, if after its first
            "monthly": monthly,
            "slo": slo,
            "quarters": quarters,
            "views": views,
            "upstream_notes": notes,
            "more": len(affecting) > len(views),
            "figures": hashlib.sha256(repr(shown).encode()).hexdigest(),
            "live": False,
        }
        return Page(f"components/{item.id}/index.html", "component.html", context)

    @cached_property
    def component_pages(self) -> list[Page]:
        """Every component's and group's page, made once (the pages and the sitemap walk them)."""
        return [self.component_page(row) for row in self.rows()]

    def rows(self) -> Iterator[ComponentRow]:
        """Every component and group row: the top-level ones in order, each group's members."""
        for row in self.components:
            yield row
            yield from row.members

    def pages(self) -> Iterator[Page]:
        """Every page; `live` is False on those that show nothing that changes with the
        clock alone (a resolved incident, a history page of resolved ones), so they
        neither show the build time nor need rendering again when only `now` moves."""
        yield Page("index.html", "index.html", {"page_name": "index"})
        for view in self.views:
            context = {"page_name": "incident", "view": view, "live": not view.status.is_final}
            yield Page(f"incidents/{view.id}/index.html", "incident.html", context)
        for number, count, months in self.history_pages():
            path = "history/index.html" if number == 1 else f"history/{number}/index.html"
            # Page 1 shows figures as of now.
            live = number == 1 or any(
                not view.status.is_final for _, views in months for view in views
            )
            context = {
                "page_name": "history",
                "number": number,
                "count": count,
                "months": months,
                "live": live,
            }
            yield Page(path, "history.html", context)
        yield from self.component_pages
        yield Page("postmortems/index.html", "postmortems.html", {"page_name": "postmortems"})
        yield Page("404.html", "404.html", {"page_name": "404"})


def page_set(snapshot: Snapshot, cache: RenderCache) -> PageSet:
    """The Snapshot's PageSet, made once: the pages and the sitemap both walk it."""
    made = cache.shared(snapshot).pages
    found = made.get(snapshot)
    if found is None:
        formatter = cache.formatter(snapshot.config.language, snapshot.config.timezone)
        found = made[snapshot] = PageSet(snapshot, formatter)
    return found
