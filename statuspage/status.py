"""Pure functions from (site, now) to what is true at that instant.

Nothing here reads the clock: `now` is always a parameter, so every page can
be rebuilt for any instant and two builds at the same `now` agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import ComponentStatus, Config, Group, Impact, Incident, IncidentStatus, Update

# The v2 API's fixed descriptions (machine-facing: never translated).
INDICATOR_DESCRIPTIONS = {
    Impact.NONE: "All Systems Operational",
    Impact.MAINTENANCE: "Service Under Maintenance",
    Impact.MINOR: "Minor Service Outage",
    Impact.MAJOR: "Partial System Outage",
    Impact.CRITICAL: "Major Service Outage",
}
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


def timeline(incident: Incident, now: datetime) -> list[Update]:
    """Updates published by *now*, oldest first, with a maintenance's automatic
    start and end filled in where no one posted them by hand."""
    shown = [u for u in incident.updates if u.at <= now]
    window = incident.maintenance
    if window is None:
        return shown
    completed = [u.at for u in shown if u.status is IncidentStatus.COMPLETED]
    first_completed = min(completed, default=None)
    auto = []
    if window.start <= now and (first_completed is None or first_completed > window.start) and window.start not in {u.at for u in shown}:
        auto.append(Update(IncidentStatus.IN_PROGRESS, window.start, "", automatic=True))
    # Anyone posting at or after the scheduled end has taken over (an overrun).
    taken_over = any(u.at >= window.end for u in shown)
    if window.end <= now and first_completed is None and not taken_over:
        auto.append(Update(IncidentStatus.COMPLETED, window.end, "", automatic=True))
    return sorted(shown + auto, key=lambda u: u.at)


def is_visible(incident: Incident, now: datetime) -> bool:
    """Published by *now* (its first update is not in the future)."""
    return incident.updates[0].at <= now


def incident_status(incident: Incident, now: datetime) -> IncidentStatus:
    shown = timeline(incident, now)
    if not shown:
        return IncidentStatus.SCHEDULED if incident.is_maintenance else IncidentStatus.INVESTIGATING
    return shown[-1].status


def resolved_at(incident: Incident, now: datetime) -> datetime | None:
    """When it was resolved (or its maintenance completed), if it is by *now*."""
    shown = timeline(incident, now)
    if not shown or not shown[-1].status.is_final:
        return None
    return next(u.at for u in shown if u.status.is_final)


def is_open(incident: Incident, now: datetime) -> bool:
    """An unresolved incident, or a maintenance in progress or verifying, at *now*."""
    if not is_visible(incident, now):
        return False
    status = incident_status(incident, now)
    return not status.is_final and status is not IncidentStatus.SCHEDULED


def is_upcoming(incident: Incident, now: datetime) -> bool:
    return is_visible(incident, now) and incident_status(incident, now) is IncidentStatus.SCHEDULED


def duration(incident: Incident, now: datetime) -> timedelta:
    """From start to resolution (or to *now* while open). Aware datetimes subtract
    as instants, so this is right across DST changes."""
    end = resolved_at(incident, now) or now
    return max(end - incident.started_at, timedelta(0))


def component_states(incident: Incident, at: datetime) -> dict[str, ComponentStatus]:
    """What the incident says of each affected component at *at* (all posted changes applied)."""
    states = dict(incident.components)
    for update in incident.updates:
        if update.at <= at:
            states.update(update.components)
    return states


def component_status(component_id: str, incidents: Iterable[Incident], now: datetime) -> ComponentStatus:
    """Worst status given to the component by any incident open at *now*."""
    worst = ComponentStatus.OPERATIONAL
    for incident in incidents:
        if is_open(incident, now):
            worst = max(worst, component_states(incident, now).get(component_id, worst))
    return worst


def component_statuses(config: Config, incidents: Iterable[Incident], now: datetime) -> dict[str, ComponentStatus]:
    """Every component's (and group's) status at *now*."""
    result = dict.fromkeys(config.component_ids, ComponentStatus.OPERATIONAL)
    for incident in incidents:
        if is_open(incident, now):
            for cid, status in component_states(incident, now).items():
                if cid in result:
                    result[cid] = max(result[cid], status)
    for group in config.groups:
        result[group.id] = group_status(group, result)
    return result


def group_status(group: Group, statuses: dict[str, ComponentStatus]) -> ComponentStatus:
    return max((statuses[c] for c in group.components), default=ComponentStatus.OPERATIONAL)


def page_status(config: Config, incidents: Iterable[Incident], now: datetime) -> PageStatus:
    """The overall indicator: the worst of open incidents' impacts and component
    statuses; `maintenance` only when nothing worse is going on."""
    incidents = list(incidents)
    worst = max((i.impact for i in incidents if is_open(i, now)), default=Impact.NONE)
    for status in component_statuses(config, incidents, now).values():
        worst = max(worst, _STATUS_IMPACT[status])
    return PageStatus(worst)


def next_change(incidents: Iterable[Incident], now: datetime) -> datetime | None:
    """The next instant after *now* at which the page changes by itself: a future-dated
    update appears, or a maintenance window opens or closes."""
    moments = []
    for incident in incidents:
        moments.extend(u.at for u in incident.updates if u.at > now)
        if incident.maintenance:
            moments.extend(t for t in (incident.maintenance.start, incident.maintenance.end) if t > now)
    return min(moments, default=None)
