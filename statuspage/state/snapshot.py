"""One build's view of the site at its `now`: every answer the outputs share, computed once.

Pages, feeds, the API, badges and metrics ask the same questions of the same
incidents at the build's `now` (each incident's timeline and status, every
component's status, the uptime, the quarterly figures); over years of history,
asking once is what keeps a build fast. Each answer is worked out on first use and
kept on the Snapshot, which lives as long as the build: no module remembers anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property

from statuspage.model import ComponentStatus, Config, Impact, Incident, IncidentStatus, Site, Update
from statuspage.source.start import site_start
from statuspage.state import status as st
from statuspage.state.reliability import (
    QuarterFigures,
    Response,
    monthly_counts,
    quarterly_figures,
    response_figures,
)
from statuspage.state.slo import Slo, slo_report
from statuspage.state.upstream import ProviderView, UpstreamNote, notes_for, provider_views
from statuspage.state.uptime import (
    DAYS,
    Uptime,
    UptimeFigures,
    dated,
    item_start,
    last_days,
    monthly_uptime,
    uptime_periods,
    uptime_report,
    year_days,
)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The site as shown at *now*; pure, no I/O."""

    site: Site
    now: datetime
    # incident id -> (the incident, its state at `now`): filled on first ask of each.
    _states: dict[str, tuple[Incident, st.IncidentState]] = field(
        default_factory=dict, init=False, repr=False
    )
    # item id -> its uptime over periods and months (the same in every language edition).
    _uptime_figures: dict[str, UptimeFigures] = field(default_factory=dict, init=False, repr=False)
    # The root edition's Snapshot, for a language edition: the figures below depend on
    # the components, the time zone and the incidents, never the language, and a year of
    # uptime for 500 components took 4 s per language.
    _root: Snapshot | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")

    @property
    def config(self) -> Config:
        return self.site.config

    def edition(self, config: Config) -> Snapshot:
        """The same site and instant under another config (a language edition); incidents'
        states do not depend on the config, so they are shared."""
        other = Snapshot(replace(self.site, config=config), self.now)
        object.__setattr__(other, "_states", self._states)  # frozen: set once, here
        object.__setattr__(other, "_root", self._root or self)
        return other

    @property
    def edition_root(self) -> Snapshot:
        """The root edition's Snapshot (this one, unless it is a language edition): one a build."""
        return self._root or self

    def state(self, incident: Incident) -> st.IncidentState:
        """*incident*'s timeline, status and resolution at `now`."""
        hit = self._states.get(incident.id)
        if hit is not None and hit[0] is incident:
            return hit[1]
        state = st.state_at(incident, self.now)
        self._states[incident.id] = (incident, state)
        return state

    def timeline(self, incident: Incident) -> tuple[Update, ...]:
        """Updates shown at `now`, oldest first (the automatic ones of a window included)."""
        return self.state(incident).timeline

    def status(self, incident: Incident) -> IncidentStatus:
        return self.state(incident).status

    def resolved_at(self, incident: Incident) -> datetime | None:
        return self.state(incident).resolved_at

    def is_open(self, incident: Incident) -> bool:
        return st.is_visible(incident, self.now) and st.is_open_status(self.status(incident))

    def is_upcoming(self, incident: Incident) -> bool:
        return (
            st.is_visible(incident, self.now) and self.status(incident) is IncidentStatus.SCHEDULED
        )

    def duration(self, incident: Incident) -> timedelta:
        return st.duration_until(incident, self.resolved_at(incident), self.now)

    @cached_property
    def visible(self) -> tuple[Incident, ...]:
        """Incidents published by `now`, in the site's order (newest first)."""
        return tuple(i for i in self.site.incidents if st.is_visible(i, self.now))

    @cached_property
    def open_incidents(self) -> tuple[Incident, ...]:
        """Incidents (and maintenance windows) open at `now`, newest first."""
        return tuple(i for i in self.visible if st.is_open_status(self.status(i)))

    @cached_property
    def providers(self) -> tuple[ProviderView, ...]:
        """Third-party providers as their snapshots say at `now` (fresh, stale or unknown)."""
        return provider_views(self.site.upstream, self.now)

    def upstream_notes(self, component_id: str) -> tuple[UpstreamNote, ...]:
        """What the providers *component_id* depends on report (the front page's notes)."""
        return notes_for(component_id, self.providers)

    @cached_property
    def component_statuses(self) -> dict[str, ComponentStatus]:
        """Every component's (and group's) status at `now`."""
        return st.statuses_of(self.config, self.open_incidents, self.now)

    @cached_property
    def page_status(self) -> st.PageStatus:
        """The v2 API's overall indicator at `now`."""
        return st.page_status_of(self.open_incidents, self.component_statuses)

    @cached_property
    def headline(self) -> st.Headline:
        """What every page, badge, widget and the favicon say of the whole page at `now`."""
        return st.headline_of(self.open_incidents, self.component_statuses, self.now)

    @cached_property
    def start(self) -> date | None:
        """The first day the page reports on (source/start.py); None: no data at all."""
        return site_start(self.config, self.site.incidents)

    @cached_property
    def dated_config(self) -> Config:
        """The config with every component's first day with data: no figure counts a day
        before it."""
        return dated(self.config, self.start, self.now)

    def item_start(self, item_id: str) -> date | None:
        """A component's or group's first day with data."""
        return item_start(self.dated_config, item_id)

    @cached_property
    def year_uptime(self) -> dict[str, Uptime]:
        """Every day of the last year (and of 12 whole months) per component and group id."""
        if self._root is not None:
            return self._root.year_uptime
        days = year_days(self.now, self.config.timezone)
        return uptime_report(self.dated_config, self.visible, self.now, days)

    @cached_property
    def uptime(self) -> dict[str, Uptime]:
        """Day bars and 90-day uptime per component and group id (the year's last 90 days)."""
        if self._root is not None:
            return self._root.uptime
        return {item_id: last_days(u, DAYS) for item_id, u in self.year_uptime.items()}

    def uptime_figures(self, item_id: str) -> UptimeFigures:
        """A component's or group's uptime over the last 30, 90 and 365 days and each of the
        last 12 months."""
        if self._root is not None:
            return self._root.uptime_figures(item_id)
        found = self._uptime_figures.get(item_id)
        if found is None:
            year = self.year_uptime[item_id]
            found = UptimeFigures(uptime_periods(year), monthly_uptime(year))
            self._uptime_figures[item_id] = found
        return found

    @cached_property
    def slos(self) -> dict[str, Slo]:
        """Each objective over its rolling window, for the components and groups with `slo:`."""
        if self._root is not None:
            return self._root.slos
        return slo_report(self.dated_config, self.visible, self.now)

    @cached_property
    def monthly_incidents(self) -> list[tuple[date, dict[Impact, int]]]:
        """Incidents by impact in each of the last 12 months, oldest first."""
        if self._root is not None:
            return self._root.monthly_incidents
        return monthly_counts(self.config, self.visible, self.now, start=self.start)

    @cached_property
    def responses(self) -> list[Response]:
        """Time to first update per priority, P1 first."""
        if self._root is not None:
            return self._root.responses
        return response_figures(self.config, self.visible, self.now)

    @cached_property
    def quarters(self) -> list[QuarterFigures]:
        """Incidents by impact and MTTR per quarter, newest first."""
        if self._root is not None:
            return self._root.quarters
        return quarterly_figures(self.config, self.visible, self.now)
