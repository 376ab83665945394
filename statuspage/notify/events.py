"""Pure: (site, now) -> every notifiable event that has happened by *now*.

An event is one update of an incident's timeline (including a maintenance
window opening or closing by itself) or, later, a published postmortem. Its id
is stable across runs and edits of the text: the incident id plus the instant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from statuspage.model import ComponentStatus, Incident, IncidentStatus, Site, Update
from statuspage.outputs.postmortems import PublishedPostmortems
from statuspage.source.postmortem_file import ANCHOR as POSTMORTEM_ANCHOR
from statuspage.state import status as st


@dataclass(frozen=True)
class Event:
    """Something subscribers hear about once."""

    id: str  # stable: `<incident id>#<anchor>`; the state file records these
    kind: str  # incident.created | incident.updated | incident.resolved | maintenance.* | ...
    incident: Incident
    at: datetime
    update: Update | None = None  # None for events that are not timeline updates

    @property
    def anchor(self) -> str:
        return self.id.partition("#")[2]

    @property
    def status(self) -> IncidentStatus:
        """The incident's status as of this event (not as of now)."""
        return st.incident_status(self.incident, self.at)

    @property
    def components(self) -> dict[str, ComponentStatus]:
        """Components the incident touches as of this event, with their status then."""
        states = st.component_states(self.incident, self.at)
        if self.status.is_final:
            return dict.fromkeys(states, ComponentStatus.OPERATIONAL)
        return states

    @property
    def thread_root(self) -> str:
        """Id of the incident's first event: email replies thread under it."""
        return f"{self.incident.id}#{self.incident.updates[0].anchor}"


def update_events(incident: Incident, now: datetime) -> Iterable[Event]:
    """One event per update shown by *now*, the automatic window start and end included."""
    started = False
    for number, update in enumerate(st.timeline(incident, now)):
        if not incident.is_maintenance:
            kind = (
                "incident.created"
                if number == 0
                else "incident.resolved"
                if update.status.is_final
                else "incident.updated"
            )
        elif update.status.is_final:
            kind = "maintenance.completed"
        elif update.status is IncidentStatus.IN_PROGRESS and not started:
            kind, started = "maintenance.started", True
        else:
            kind = "maintenance.scheduled" if number == 0 else "maintenance.updated"
        yield Event(f"{incident.id}#{update.anchor}", kind, incident, update.at, update)


def postmortem_events(site: Site, now: datetime) -> Iterable[Event]:
    """One event when an incident's postmortem is published (by *now*)."""
    for published in PublishedPostmortems(site, now).newest_first:
        yield Event(
            f"{published.incident.id}#{POSTMORTEM_ANCHOR}",
            "postmortem.published",
            published.incident,
            published.published_at,
        )


EventSource = Callable[[Incident, datetime], Iterable[Event]]
# Each kind of per-incident event is one source here; templates branch on `event.kind`.
EVENT_SOURCES: list[EventSource] = [update_events]

KINDS = (
    "incident.created",
    "incident.updated",
    "incident.resolved",
    "maintenance.scheduled",
    "maintenance.started",
    "maintenance.updated",
    "maintenance.completed",
    "postmortem.published",
)


def events(site: Site, now: datetime) -> list[Event]:
    """Every event at or before *now*, oldest first (then by id): the order they are sent in."""
    found = [
        e
        for incident in site.incidents
        for source in EVENT_SOURCES
        for e in source(incident, now)
        if e.at <= now
    ]
    found += postmortem_events(site, now)
    return sorted(found, key=lambda e: (e.at, e.id))
