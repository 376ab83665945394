"""Pure functions of (incident, instant) and (config, incidents, instant): what is true then.

Nothing here reads the clock: `now` is always a parameter, so every page can
be rebuilt for any instant and two builds at the same `now` agree. Nothing is
remembered here: the build's `now` answers are kept, once each, on its Snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from statuspage.labels import BANNER, INDICATOR_DESCRIPTIONS, RECOVERING_BANNER
from statuspage.model import (
    ComponentStatus,
    Config,
    Group,
    Impact,
    Incident,
    IncidentStatus,
    Update,
)

_STATUS_IMPACT = {
    ComponentStatus.OPERATIONAL: Impact.NONE,
    ComponentStatus.UNDER_MAINTENANCE: Impact.MAINTENANCE,
    ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
    ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
}


@dataclass(frozen=True)
class PageStatus:
    indicator: Impact

    @property
    def description(self) -> str:
        return INDICATOR_DESCRIPTIONS[self.indicator]


@dataclass(frozen=True)
class Headline:
    """What the page says of itself first (banner, favicon, badge, widget, link previews):
    what is broken *now*, so it never contradicts the component list (see headline_of).
    The v2 API's indicator (PageStatus) keeps the hosted product's rule instead."""

    indicator: Impact  # the level shown: its colour and icon
    recovering: bool = False  # all works again while an incident that broke it is still open

    @property
    def word(self) -> str:
        """`recovering`, or the level's word: what the headline says, as a machine word."""
        return "recovering" if self.recovering else self.indicator.word

    @property
    def banner(self) -> str:
        """The headline's text in English: translated where a page shows it, as it is in
        machine-facing output (badges, status.json)."""
        return RECOVERING_BANNER if self.recovering else BANNER[self.indicator]

    @property
    def description(self) -> str:
        """The banner's English, under the name site templates knew from PageStatus."""
        return self.banner


@dataclass(frozen=True, slots=True)
class IncidentState:
    """What is shown of one incident at one instant: its timeline, status and resolution."""

    timeline: tuple[Update, ...]
    status: IncidentStatus
    resolved_at: datetime | None


def state_at(incident: Incident, moment: datetime) -> IncidentState:
    """The incident as shown at *moment* (the Snapshot keeps the build's `now` ones)."""
    shown = timeline(incident, moment)
    if not shown:
        status = (
            IncidentStatus.SCHEDULED if incident.is_maintenance else IncidentStatus.INVESTIGATING
        )
    else:
        status = shown[-1].status
    resolved = next(u.at for u in shown if u.status.is_final) if shown and status.is_final else None
    return IncidentState(tuple(shown), status, resolved)


def timeline(incident: Incident, now: datetime) -> list[Update]:
    """Updates published by *now*, oldest first, with a maintenance's automatic
    start and end filled in where no one took over by hand.

    The window opens by itself (`in_progress` at its start) unless an update at or
    before the start already moved it on (an early start or an early `completed`).
    It closes by itself (`completed` at its end) only while it is plainly
    `in_progress`: after a `verifying` or `completed`, or once anyone posts at or
    after the end (an overrun), the engineers' updates decide."""
    window = incident.maintenance
    if window is None and incident.updates[-1].at <= now:
        return list(incident.updates)  # the common case: a settled incident, all of it published
    shown = [u for u in incident.updates if u.at <= now]
    if window is None:
        return shown
    result = list(shown)
    if window.start <= now and _status_at(result, window.start) is IncidentStatus.SCHEDULED:
        result.append(Update(IncidentStatus.IN_PROGRESS, window.start, "", automatic=True))
        result.sort(key=lambda u: u.at)
    taken_over = any(u.at >= window.end for u in shown)
    if (
        window.end <= now
        and not taken_over
        and _status_at(result, window.end) is IncidentStatus.IN_PROGRESS
    ):
        result.append(Update(IncidentStatus.COMPLETED, window.end, "", automatic=True))
    return result


def _status_at(updates: list[Update], moment: datetime) -> IncidentStatus:
    """A maintenance's status after the *updates* (oldest first) posted by *moment*."""
    return next((u.status for u in reversed(updates) if u.at <= moment), IncidentStatus.SCHEDULED)


def is_visible(incident: Incident, now: datetime) -> bool:
    """Published by *now* (its first update is not in the future)."""
    return incident.updates[0].at <= now


def incident_status(incident: Incident, moment: datetime) -> IncidentStatus:
    """The status shown at *moment*."""
    return state_at(incident, moment).status


def resolved_at(incident: Incident, moment: datetime) -> datetime | None:
    """When it was resolved (or its maintenance completed), if it is by *moment*."""
    return state_at(incident, moment).resolved_at


def is_open(incident: Incident, moment: datetime) -> bool:
    """An unresolved incident, or a maintenance in progress or verifying, at *moment*."""
    return is_visible(incident, moment) and is_open_status(incident_status(incident, moment))


def is_open_status(status: IncidentStatus) -> bool:
    """Whether an incident shown with *status* is open (not final, not still scheduled)."""
    return not status.is_final and status is not IncidentStatus.SCHEDULED


def is_upcoming(incident: Incident, moment: datetime) -> bool:
    """A maintenance published but not yet started at *moment*."""
    return (
        is_visible(incident, moment)
        and incident_status(incident, moment) is IncidentStatus.SCHEDULED
    )


def duration(incident: Incident, now: datetime) -> timedelta:
    """From start to resolution (or to *now* while open), right across DST changes."""
    return duration_until(incident, resolved_at(incident, now), now)


def duration_until(incident: Incident, resolved: datetime | None, now: datetime) -> timedelta:
    """From start to *resolved* (or to *now* while open), right across DST changes."""
    end = resolved or now
    # In UTC: Python subtracts datetimes sharing one ZoneInfo as wall-clock times.
    return max(end.astimezone(UTC) - incident.started_at.astimezone(UTC), timedelta(0))


def component_states(incident: Incident, at: datetime) -> dict[str, ComponentStatus]:
    """What the incident says of each affected component at *at* (all posted changes applied)."""
    states = dict(incident.components)
    for update in incident.updates:
        if update.at <= at:
            states.update(update.components)
    return states


def component_status(
    component_id: str, incidents: Iterable[Incident], now: datetime
) -> ComponentStatus:
    """Worst status given to the component by any incident open at *now*."""
    worst = ComponentStatus.OPERATIONAL
    for incident in incidents:
        if is_open(incident, now):
            worst = max(worst, component_states(incident, now).get(component_id, worst))
    return worst


def component_statuses(
    config: Config, incidents: Iterable[Incident], now: datetime
) -> dict[str, ComponentStatus]:
    """Every component's (and group's) status at *now*."""
    return statuses_of(config, [i for i in incidents if is_open(i, now)], now)


def statuses_of(
    config: Config, open_incidents: Iterable[Incident], now: datetime
) -> dict[str, ComponentStatus]:
    """Every component's (and group's) status, given the incidents open at *now*."""
    result = dict.fromkeys(config.component_ids, ComponentStatus.OPERATIONAL)
    for incident in open_incidents:
        for cid, status in component_states(incident, now).items():
            if cid in result:
                result[cid] = max(result[cid], status)
    for group in config.groups:
        result[group.id] = group_status(group, result)
    return result


def group_status(group: Group, statuses: dict[str, ComponentStatus]) -> ComponentStatus:
    return max((statuses[c] for c in group.components), default=ComponentStatus.OPERATIONAL)


def page_status(config: Config, incidents: Iterable[Incident], now: datetime) -> PageStatus:
    """The overall indicator at *now* (see page_status_of)."""
    open_incidents = [i for i in incidents if is_open(i, now)]
    return page_status_of(open_incidents, statuses_of(config, open_incidents, now))


def page_status_of(
    open_incidents: Iterable[Incident], statuses: dict[str, ComponentStatus]
) -> PageStatus:
    """The v2 API's indicator, the hosted product's rule that its clients rely on: the
    worst of open incidents' impacts and component statuses (an incident in `monitoring`
    still counts at its impact); `maintenance` only when nothing worse is going on."""
    worst = max((i.impact for i in open_incidents), default=Impact.NONE)
    for status in statuses.values():
        worst = max(worst, _STATUS_IMPACT[status])
    return PageStatus(worst)


def headline(config: Config, incidents: Iterable[Incident], now: datetime) -> Headline:
    """What the page's headline says at *now* (see headline_of)."""
    open_incidents = [i for i in incidents if is_open(i, now)]
    return headline_of(open_incidents, statuses_of(config, open_incidents, now), now)


def headline_of(
    open_incidents: Iterable[Incident], statuses: dict[str, ComponentStatus], now: datetime
) -> Headline:
    """The one rule for every place the page summarises itself: the worst of every
    component's status now and the impact of each open incident that names no component
    (nothing else says what it breaks); an open maintenance shows through its components'
    `under_maintenance`, or its impact when it names none. An incident whose components
    all work again adds nothing but `recovering`, shown only when nothing else is wrong."""
    worst = max((_STATUS_IMPACT[s] for s in statuses.values()), default=Impact.NONE)
    incidents = list(open_incidents)
    for incident in incidents:
        if not incident.affected:
            worst = max(worst, incident.impact)
    recovering = worst is Impact.NONE and any(is_recovering(i, now) for i in incidents)
    return Headline(worst, recovering)


def is_recovering(incident: Incident, now: datetime) -> bool:
    """An incident (not a maintenance) that gave some of its components a broken status
    and, at *now*, gives every one of them `operational` again."""
    if incident.is_maintenance or not incident.affected:
        return False
    ok = ComponentStatus.OPERATIONAL
    if any(s is not ok for s in component_states(incident, now).values()):
        return False
    posted = (c for u in incident.updates if u.at <= now for c in u.components)
    return any(s is not ok for _, s in (*incident.components, *posted))


def changes(incident: Incident, now: datetime) -> list[tuple[datetime, IncidentStatus]]:
    """The instants after *now* at which what the page shows of *incident* changes by
    itself (it appears, a dated update comes due, its window opens or closes), each
    with the incident's status from then on."""
    candidates = {u.at for u in incident.updates if u.at > now}
    if incident.maintenance:
        candidates |= {t for t in (incident.maintenance.start, incident.maintenance.end) if t > now}
    result = []
    before = (is_visible(incident, now), state_at(incident, now).timeline)
    # What is shown is constant between candidates, so comparing neighbours finds
    # every real change and skips non-events (the end of a window completed early).
    for moment in sorted(candidates):
        later = state_at(incident, moment)
        state = (is_visible(incident, moment), later.timeline)
        if state != before:
            result.append((moment, later.status))
        before = state
    return result


def next_change(incidents: Iterable[Incident], now: datetime) -> datetime | None:
    """The next instant after *now* at which the page changes by itself: a future-dated
    update appears, or a maintenance window opens or closes."""
    return min((moment for i in incidents for moment, _ in changes(i, now)[:1]), default=None)
