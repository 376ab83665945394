"""What the page shows of third-party providers at the build's `now`.

A provider's snapshot is only as good as its age: past its `stale_after`, the page says
"possibly out of date" rather than repeat an old "operational". Providers never change
our own components' statuses, our page status or our uptime: a component that depends
on one gets a note instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from statuspage.model import ComponentStatus, Impact, Upstream, UpstreamItem, UpstreamMaintenance


@dataclass(frozen=True)
class ProviderView:
    upstream: Upstream
    state: str  # "fresh", "stale" or "unknown" (never pulled, or an unusable snapshot)
    # Its maintenances not over at the build's now, while the snapshot is fresh.
    maintenances: tuple[UpstreamMaintenance, ...] = ()

    @property
    def id(self) -> str:
        return self.upstream.source.id

    @property
    def name(self) -> str:
        return self.upstream.source.name

    @property
    def indicator(self) -> Impact | None:
        """The provider's rollup while it can be trusted; None when stale or unknown."""
        report = self.upstream.report
        return report.indicator if report and self.state == "fresh" else None

    @property
    def as_of(self) -> datetime | None:
        return self.upstream.report.as_of if self.upstream.report else None

    @property
    def components(self) -> tuple[UpstreamItem, ...]:
        return self.upstream.report.components if self.upstream.report else ()

    @property
    def incidents(self) -> tuple[UpstreamItem, ...]:
        return self.upstream.report.incidents if self.upstream.report else ()

    @property
    def page_url(self) -> str | None:
        return self.upstream.report.page_url if self.upstream.report else None


@dataclass(frozen=True)
class UpstreamNote:
    """ "May be affected: GitHub reports a partial outage in Actions" on a component."""

    provider: str
    status: str  # a ComponentStatus word (in `component`) or an Impact word (the provider)
    component: str | None = None
    url: str | None = None
    maintenance: UpstreamMaintenance | None = None  # planned work, not trouble: its own words


def provider_views(upstream: tuple[Upstream, ...], now: datetime) -> tuple[ProviderView, ...]:
    """Each provider with whether its snapshot is fresh at *now*."""

    def state(u: Upstream) -> str:
        if u.report is None:
            return "unknown"
        return "stale" if now - u.report.as_of > u.source.stale_after else "fresh"

    def maintenances(u: Upstream) -> tuple[UpstreamMaintenance, ...]:
        """Those not over at *now*. One still in progress at the fetch after its planned end
        has overrun: shown as in progress, with no end. One planned to end between the
        fetch and *now* is taken as over (the next pull says if not)."""
        if u.report is None or state(u) != "fresh":
            return ()
        as_of = u.report.as_of
        return tuple(
            replace(m, ends=None) if m.in_progress and m.ends and m.ends <= as_of else m
            for m in u.report.maintenances
            if m.ends is None or m.ends > now or (m.in_progress and m.ends <= as_of)
        )

    return tuple(ProviderView(u, state(u), maintenances(u)) for u in upstream)


def notes_for(component_id: str, views: tuple[ProviderView, ...]) -> tuple[UpstreamNote, ...]:
    """Notes for a component from the fresh providers it depends on that report trouble:
    each shown component of theirs that is not operational, else their overall status."""
    notes: list[UpstreamNote] = []
    for view in views:
        if component_id not in view.upstream.source.affects or view.indicator is None:
            continue
        troubled = [
            UpstreamNote(view.name, c.status, c.name, view.page_url)
            for c in view.components
            if c.status != ComponentStatus.OPERATIONAL.word
        ]
        if troubled:
            notes += troubled
        elif view.indicator is not Impact.NONE and not (
            view.indicator is Impact.MAINTENANCE and view.maintenances  # said below, in full
        ):
            notes.append(UpstreamNote(view.name, view.indicator.word, None, view.page_url))
        notes += [UpstreamNote(view.name, "maintenance", None, m.url, m) for m in view.maintenances]
    return tuple(notes)
