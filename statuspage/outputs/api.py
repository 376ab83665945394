"""Site + now -> the Atlassian Statuspage v2 JSON API as static files (no I/O).

Same paths, keys, types and enum values as a hosted Statuspage page, so a
client written for one (monitoring exporters, chat bots, dashboards) works
when pointed at our base URL. Where the hosted service uses opaque ids we use
readable, stable ones: the incident id (its file name), the component id from
statuspage.yaml. Every object is a plain dict built in a fixed key order and
written with `json.dumps`, so output is valid and byte-identical for the same
(site, now).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cached_property
from typing import Any

from statuspage.labels import AUTOMATIC_MESSAGES
from statuspage.model import (
    ComponentStatus,
    Config,
    Group,
    Incident,
    IncidentStatus,
    Update,
)
from statuspage.outputs.api_third_party import third_party_components
from statuspage.outputs.figures_json import uptime_blocks
from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.outputs.status_json import simple_status
from statuspage.source.names import slugify
from statuspage.state import postmortems
from statuspage.state import status as st
from statuspage.state.snapshot import Snapshot

API_DIR = "api/v2/"
LIST_LIMIT = 50  # the hosted API returns "the 50 most recent"
_UNRESOLVED = (IncidentStatus.INVESTIGATING, IncidentStatus.IDENTIFIED, IncidentStatus.MONITORING)
_ACTIVE_MAINTENANCE = (IncidentStatus.IN_PROGRESS, IncidentStatus.VERIFYING)
# The clock is never read: an empty site needs *some* fixed instant for `updated_at`.
_NO_CONTENT = datetime(1970, 1, 1, tzinfo=UTC)

JSON = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One component's status change made by one update (an `affected_components` entry)."""

    component: str
    old: ComponentStatus
    new: ComponentStatus


class ApiView:
    """Every API object as of *now*, each built by one method in the hosted key order."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.site = site = snapshot.site
        now = snapshot.now
        self.config: Config = site.config
        self.now = now
        self.incidents = snapshot.visible  # newest first
        self.statuses = snapshot.component_statuses
        self.timelines = {i.id: snapshot.timeline(i) for i in self.incidents}
        self._changes: dict[str, list[tuple[Update, list[Change]]]] = {}  # filled by changes()
        self.page_id = slugify(self.config.title) or "group"  # the rule ids had, kept

    # -- values -------------------------------------------------------------

    def time(self, moment: datetime | None) -> str | None:
        """ISO 8601 with milliseconds and the page zone's offset, as the hosted API writes
        (`Z` when the page's zone is UTC); None stays null."""
        if moment is None:
            return None
        local = moment.astimezone(self.config.timezone)
        text = local.isoformat(timespec="milliseconds")
        if str(self.config.timezone) in ("UTC", "Etc/UTC"):
            text = text.removesuffix("+00:00") + "Z"
        return text

    def changes(self, incident: Incident) -> list[tuple[Update, list[Change]]]:
        """Each published update of *incident* with the component changes it made.

        A component follows an incident only while the incident is open (not yet
        scheduled-only, not resolved), so the first open update moves components from
        operational and the resolving one moves them back. Worked out on demand and
        kept: the lists need the newest incidents only, `changed_at` rarely all."""
        known = self._changes.get(incident.id)
        if known is not None:
            return known
        before: dict[str, ComponentStatus] = {}
        entries = []
        ok = ComponentStatus.OPERATIONAL
        for update in self.timelines[incident.id]:
            is_open = not update.status.is_final and update.status is not IncidentStatus.SCHEDULED
            after = st.component_states(incident, update.at) if is_open else {}
            made = [
                Change(cid, before.get(cid, ok), after.get(cid, ok))
                for cid in incident.affected
                if before.get(cid, ok) != after.get(cid, ok)
            ]
            entries.append((update, made))
            before = after
        self._changes[incident.id] = entries
        return entries

    @cached_property
    def first_content_time(self) -> datetime:
        """The oldest published change (computed once: every component object needs it)."""
        return min((self.timelines[i.id][0].at for i in self.incidents), default=self.updated_at)

    @cached_property
    def updated_at(self) -> datetime:
        """The newest published change: an unchanged site gives unchanged files, whatever *now*."""
        return max(
            (self.timelines[i.id][-1].at for i in self.incidents), default=self._config_time()
        )

    def _config_time(self) -> datetime:
        dates = [c.start_date for c in self.config.components if c.start_date]
        if not dates:
            return _NO_CONTENT
        return datetime.combine(max(dates), time(), tzinfo=self.config.timezone)

    @cached_property
    def changed_at(self) -> dict[str, datetime]:
        """When an incident last changed each component's status (absent if never).

        Incidents are visited by their newest update, latest first; a change is never
        later than its incident's newest update, so once every component has a time
        and the next incident's newest update is older than all of them, nothing
        further can move any of them (years of history are skipped)."""
        result: dict[str, datetime] = {}
        wanted = len(self.config.component_ids)
        by_latest = sorted(self.incidents, key=lambda i: self.timelines[i.id][-1].at, reverse=True)
        for incident in by_latest:
            if len(result) >= wanted and self.timelines[incident.id][-1].at < min(result.values()):
                break
            for update, made in self.changes(incident):
                for change in made:
                    result[change.component] = max(
                        result.get(change.component, update.at), update.at
                    )
        return result

    # -- objects ------------------------------------------------------------

    def page(self) -> JSON:
        return {
            "id": self.page_id,
            "name": self.config.title,
            "url": self.config.base_url.rstrip("/"),
            "time_zone": str(self.config.timezone),
            "updated_at": self.time(self.updated_at),
        }

    def status(self) -> JSON:
        indicator = self.snapshot.page_status
        return {"indicator": indicator.indicator.word, "description": indicator.description}

    def component(self, item_id: str) -> JSON:
        """One entry of `components`: a component, or a group (`group: true` + member ids).

        The single place a component object is built, so extra blocks (such as
        uptime) are added here once and appear in every file that lists it."""
        config = self.config
        item: Any = config.component(item_id) or config.group(item_id)
        is_group = isinstance(item, Group)
        members = list(item.components) if is_group else []
        start_date = None if is_group else item.start_date
        origin = self.first_content_time
        if start_date is not None:
            origin = datetime.combine(start_date, time(), tzinfo=config.timezone)
        changed = [self.changed_at[cid] for cid in [*members, item_id] if cid in self.changed_at]
        updated = max(changed, default=origin)
        obj: JSON = {
            "id": item.id,
            "name": item.name,
            "status": self.statuses[item.id].word,
            "created_at": self.time(min(origin, updated)),
            "updated_at": self.time(updated),
            "position": item.position + 1,  # hosted positions count from 1
            "description": item.description,
            "showcase": not is_group,
            "start_date": start_date.isoformat() if start_date else None,
            "group_id": None if is_group else item.group,
            "page_id": self.page_id,
            "group": is_group,
            "only_show_if_degraded": False,
        }
        if is_group:
            obj["components"] = members
        return obj

    def component_ids(self) -> list[str]:
        """Display order: top-level entries as configured, each group followed by its members."""
        order: list[tuple[int, list[str]]] = [
            (g.position, [g.id, *g.components]) for g in self.config.groups
        ]
        order += [(c.position, [c.id]) for c in self.config.components if c.group is None]
        return [cid for _, ids in sorted(order, key=lambda entry: entry[0]) for cid in ids]

    def components(self) -> list[JSON]:
        return [self.component(cid) for cid in self.component_ids()]

    def components_with_uptime(self) -> list[JSON]:
        """components.json's entries, each with our `uptime` block (90 days, as the page shows)."""
        blocks = uptime_blocks(self.snapshot.uptime)
        return [{**component, "uptime": blocks[component["id"]]} for component in self.components()]

    def incident_update(self, incident: Incident, update: Update, made: list[Change]) -> JSON:
        at = self.time(update.at)
        affected = [
            {
                "code": c.component,
                "name": self._name(c.component),
                "old_status": c.old.word,
                "new_status": c.new.word,
            }
            for c in made
        ]
        return {
            # Unique per incident and stable: the update's anchor on the incident page.
            "id": f"{incident.id}-{update.anchor}",
            "status": update.status.word,
            "body": AUTOMATIC_MESSAGES.get(update.status, "") if update.automatic else update.body,
            "incident_id": incident.id,
            "created_at": at,
            "updated_at": at,
            "display_at": at,
            "affected_components": affected or None,
            "deliver_notifications": False,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def incident(self, incident: Incident) -> JSON:
        """An incident or a scheduled maintenance (the latter adds its window)."""
        shown = self.timelines[incident.id]
        monitoring = [u.at for u in shown if u.status is IncidentStatus.MONITORING]
        obj: JSON = {
            "id": incident.id,
            "name": incident.title,
            "status": postmortems.api_status(self.site, incident, self.now),
            "created_at": self.time(incident.created_at),
            "updated_at": self.time(shown[-1].at),
            "monitoring_at": self.time(max(monitoring, default=None)),
            "resolved_at": self.time(self.snapshot.resolved_at(incident)),
            "impact": incident.impact.word,
            "shortlink": f"{self.config.base_url}incidents/{incident.id}/",
            "started_at": self.time(incident.started_at),
            "page_id": self.page_id,
        }
        if incident.maintenance is not None:
            obj.update({
                "scheduled_for": self.time(incident.maintenance.start),
                "scheduled_until": self.time(incident.maintenance.end),
                "scheduled_remind_prior": False,
                "scheduled_reminded_at": None,
                "impact_override": None,
                # Our windows open and close by the clock, as these two settings mean.
                "scheduled_auto_in_progress": True,
                "scheduled_auto_completed": True,
            })  # fmt: skip
        newest_first = reversed(self.changes(incident))
        obj.update({
            "incident_updates": [
                self.incident_update(incident, u, made) for u, made in newest_first
            ],
            "components": [self.component(cid) for cid in incident.affected],
        })  # fmt: skip
        published = postmortems.published_postmortem(self.site, incident.id, self.now)
        obj["postmortem_body"] = published.body if published else None
        obj["postmortem_published_at"] = self.time(published.published_at) if published else None
        return obj

    def _name(self, item_id: str) -> str:
        item = self.config.component(item_id) or self.config.group(item_id)
        return item.name if item else item_id

    # -- lists --------------------------------------------------------------

    def status_of(self, incident: Incident) -> IncidentStatus:
        return self.snapshot.status(incident)

    @property
    def all_incidents(self) -> list[Incident]:
        """Incidents proper (maintenances are listed separately), newest first."""
        return [i for i in self.incidents if not i.is_maintenance][:LIST_LIMIT]

    @property
    def unresolved_incidents(self) -> list[Incident]:
        return [
            i for i in self.incidents if not i.is_maintenance and self.status_of(i) in _UNRESOLVED
        ]

    @property
    def maintenances(self) -> list[Incident]:
        """Newest window first."""
        found = [i for i in self.incidents if i.is_maintenance]
        return sorted(found, key=lambda i: (i.started_at, i.id), reverse=True)[:LIST_LIMIT]

    @property
    def upcoming_maintenances(self) -> list[Incident]:
        """Soonest first, as the page lists them."""
        found = [
            i
            for i in self.incidents
            if i.is_maintenance and self.status_of(i) is IncidentStatus.SCHEDULED
        ]
        return sorted(found, key=lambda i: (i.started_at, i.id))

    @property
    def active_maintenances(self) -> list[Incident]:
        found = [
            i
            for i in self.incidents
            if i.is_maintenance and self.status_of(i) in _ACTIVE_MAINTENANCE
        ]
        return sorted(found, key=lambda i: (i.started_at, i.id))

    # -- files --------------------------------------------------------------

    def documents(self) -> dict[str, JSON]:
        """Each API file's path (under api/v2/) and content."""
        page = self.page()

        def incidents(items: list[Incident]) -> list[JSON]:
            return [self.incident(i) for i in items]

        return {
            "summary.json": {
                "page": page,
                "status": self.status(),
                "components": self.components() + third_party_components(self),
                # Capped like the lists: summary.json is polled often and must not grow with
                # history (a site with hundreds of forgotten open incidents still answers fast).
                "incidents": incidents(self.unresolved_incidents[:LIST_LIMIT]),
                "scheduled_maintenances": incidents(
                    (self.active_maintenances + self.upcoming_maintenances)[:LIST_LIMIT]
                ),
            },
            "status.json": {"page": page, "status": self.status()},
            "components.json": {"page": page, "components": self.components_with_uptime()},
            "incidents.json": {"page": page, "incidents": incidents(self.all_incidents)},
            "incidents/unresolved.json": {
                "page": page,
                "incidents": incidents(self.unresolved_incidents),
            },
            "scheduled-maintenances.json": {
                "page": page,
                "scheduled_maintenances": incidents(self.maintenances),
            },
            "scheduled-maintenances/upcoming.json": {
                "page": page,
                "scheduled_maintenances": incidents(self.upcoming_maintenances),
            },
            "scheduled-maintenances/active.json": {
                "page": page,
                "scheduled_maintenances": incidents(self.active_maintenances),
            },
        }


def dump(document: JSON) -> bytes:
    """Deterministic JSON: keys in the order built, UTF-8, compact (as the hosted API
    serves it, and written by json's C encoder, which an indent would bypass), final newline."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def render_api(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """Every file of the v2 API, plus the root status.json."""
    view = ApiView(snapshot)
    files = {API_DIR + name: dump(doc) for name, doc in view.documents().items()}
    files["status.json"] = dump(simple_status(view))
    return ready(files)
