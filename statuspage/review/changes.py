"""Pure: two sites at one `now` (and their built files) -> what customers would see change.

The result is plain data (dicts, lists, strings, numbers), the same that `--format json`
prints (diff.schema.json describes it), so every format is made from one value."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from statuspage.errors import ContentError
from statuspage.labels import AUTOMATIC_MESSAGES
from statuspage.model import Impact, Incident, Site, Update, Window
from statuspage.notify.events import Event, events
from statuspage.notify.limits import cap
from statuspage.notify.messages import Renderer
from statuspage.notify.payloads import FORMATS
from statuspage.notify.run import matches
from statuspage.outputs.calendar import CALENDAR
from statuspage.outputs.feeds import JSON_FEED
from statuspage.outputs.markup import plain_text
from statuspage.pipeline.build import build
from statuspage.sections import Endpoint
from statuspage.source.site import load_site
from statuspage.source.start import start_assumption
from statuspage.source.times import isoformat
from statuspage.state.snapshot import Snapshot

SCHEMA_VERSION = 1
# A reader notices a 90-day or SLO figure move by this many percentage points.
FIGURE_STEP = 0.01
OUTPUT_KINDS = ("pages", "feeds", "api", "badges", "other")
Data = dict[str, Any]


@dataclass(frozen=True)
class Built:
    """One side: its site, the warnings `check` gives for it, and its built files."""

    label: str
    site: Site
    warnings: tuple[str, ...]
    files: dict[str, bytes]


def review(base: Built, head: Built, now: datetime) -> Data:
    """What merging *head* over *base* changes for customers at *now*."""
    before, after = Snapshot(base.site, now), Snapshot(head.site, now)
    zone = head.site.config.timezone
    result: Data = {
        "schema_version": SCHEMA_VERSION,
        "now": isoformat(now, zone),
        "base": base.label,
        "head": head.label,
        "headline": _headline(before, after),
        "components": _components(before, after),
        "incidents": _incidents(before, after),
        "figures": _figures(before, after),
        "feed_entries": _feed_entries(base.files, head.files),
        "calendar_events": _calendar_events(base.files, head.files, zone),
        "notifications": _notifications(base.site, head.site, now),
        "warnings": [w for w in head.warnings if w not in set(base.warnings)],
        "outputs": _outputs(base.files, head.files),
    }
    result["flags"] = _flags(result)
    result["customer_visible"] = bool(
        any(sum(counts.values()) for counts in result["outputs"].values())
        or result["notifications"]
    )
    return result


def _headline(before: Snapshot, after: Snapshot) -> Data:
    def side(s: Snapshot) -> Data:
        return {
            "word": s.headline.word,
            "text": s.headline.banner,
            "indicator": s.page_status.indicator.word,
        }

    old, new = side(before), side(after)
    return {"before": old, "after": new, "changed": old != new}


def _names(snapshot: Snapshot) -> dict[str, str]:
    config = snapshot.config
    return {**{g.id: g.name for g in config.groups}, **{c.id: c.name for c in config.components}}


def _components(before: Snapshot, after: Snapshot) -> list[Data]:
    """Each component or group whose status changes (or that appears or goes away)."""
    names = {**_names(before), **_names(after)}
    old, new = before.component_statuses, after.component_statuses
    found = []
    for item in [*new, *(i for i in old if i not in new)]:
        was, now = old.get(item), new.get(item)
        if was != now:
            found.append(
                {
                    "id": item,
                    "name": names.get(item, item),
                    "group": item in {g.id for g in (*before.config.groups, *after.config.groups)},
                    "before": was.word if was is not None else None,
                    "after": now.word if now is not None else None,
                }
            )
    return found


def update_text(update: Update) -> str:
    """An update's words as customers read them: rendered, then as plain text."""
    if update.automatic:
        return AUTOMATIC_MESSAGES.get(update.status, "")
    return plain_text(update.body)


def _update(update: Update, change: str, zone: Any, backdated: bool = False) -> Data:
    return {
        "anchor": update.anchor,
        "at": isoformat(update.at, zone),
        "status": update.status.word,
        "text": update_text(update),
        "change": change,
        "backdated": backdated,
    }


def _incidents(before: Snapshot, after: Snapshot) -> list[Data]:
    """Incidents and maintenance added, removed, resolved, reopened or updated."""
    old = {i.id: i for i in before.visible}
    new = {i.id: i for i in after.visible}
    zone = after.config.timezone
    found = []
    for incident_id in [*new, *(i for i in old if i not in new)]:
        was, now = old.get(incident_id), new.get(incident_id)
        entry = _incident(before, after, was, now, zone)
        if entry is not None:
            found.append(entry)
    return found


def _incident(
    before: Snapshot, after: Snapshot, was: Incident | None, now: Incident | None, zone: Any
) -> Data | None:
    shown = now or was
    assert shown is not None
    old_updates = {u.anchor: u for u in before.timeline(was)} if was else {}
    new_updates = {u.anchor: u for u in after.timeline(now)} if now else {}
    latest = max((u.at for u in old_updates.values()), default=None)
    updates = []
    for anchor, update in new_updates.items():
        prior = old_updates.get(anchor)
        if prior is None:
            backdated = latest is not None and update.at < latest
            updates.append(_update(update, "added", zone, backdated))
        elif (prior.body, prior.status, prior.components) != (
            update.body,
            update.status,
            update.components,
        ):
            updates.append(_update(update, "edited", zone))
    updates += [_update(u, "removed", zone) for a, u in old_updates.items() if a not in new_updates]
    status_before = before.status(was).word if was else None
    status_after = after.status(now).word if now else None
    affected_before = was.affected if was else []
    affected_after = now.affected if now else []
    title_before = was.title if was else None
    if was is None:
        change = "added"
    elif now is None:
        change = "removed"
    elif before.is_open(was) and not after.is_open(now) and after.status(now).is_final:
        change = "resolved"
    elif before.status(was).is_final and not after.status(now).is_final:
        change = "reopened"
    elif (
        updates
        or status_before != status_after
        or affected_before != affected_after
        or title_before != now.title
        or was.impact != now.impact
        or was.maintenance != now.maintenance
    ):
        change = "updated"
    else:
        return None
    return {
        "id": shown.id,
        "title": shown.title,
        "title_before": title_before if title_before != shown.title else None,
        "maintenance": shown.is_maintenance,
        "change": change,
        "impact": {
            "before": was.impact.word if was else None,
            "after": now.impact.word if now else None,
        },
        "status": {"before": status_before, "after": status_after},
        "window": _window(was, now, zone),
        "components_added": [c for c in affected_after if c not in affected_before],
        "components_removed": [c for c in affected_before if c not in affected_after],
        "updates": updates,
    }


def _window(was: Incident | None, now: Incident | None, zone: Any) -> Data | None:
    """A maintenance window's start and end before and after, when they change."""
    old, new = (was.maintenance if was else None), (now.maintenance if now else None)
    if old == new:
        return None

    def side(w: Window | None) -> Data | None:
        return (
            None
            if w is None
            else {"start": isoformat(w.start, zone), "end": isoformat(w.end, zone)}
        )

    return {"before": side(old), "after": side(new)}


def _figures(before: Snapshot, after: Snapshot) -> list[Data]:
    """90-day uptime and SLO figures that move by FIGURE_STEP points or more."""
    names = {**_names(before), **_names(after)}
    found = []
    pairs: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("uptime_90d", dict(before.uptime), dict(after.uptime)),
        ("slo", dict(before.slos), dict(after.slos)),
    ]
    for figure, old, new in pairs:
        for item in [*new, *(i for i in old if i not in new)]:
            was = old[item].percent if item in old else None
            now = new[item].percent if item in new else None
            if was == now:
                continue
            if was is not None and now is not None and abs(now - was) < FIGURE_STEP - 1e-9:
                continue
            found.append(
                {"id": item, "name": names.get(item, item), "figure": figure,
                 "before": was, "after": now}
            )  # fmt: skip
    return found


def _feed_items(files: dict[str, bytes]) -> dict[str, Data]:
    data = files.get(JSON_FEED)
    if data is None:
        return {}
    return {str(item["id"]): item for item in json.loads(data).get("items", [])}


def _feed_entries(base: dict[str, bytes], head: dict[str, bytes]) -> list[Data]:
    """Entries the feeds gain (the JSON Feed's items: the Atom and RSS feeds carry the same)."""
    old, new = _feed_items(base), _feed_items(head)
    return [
        {"id": key, "title": str(item.get("title", "")), "url": str(item.get("url", ""))}
        for key, item in new.items()
        if key not in old
    ]


def _events(files: dict[str, bytes], zone: Any) -> dict[str, Data]:
    from icalendar import Calendar

    data = files.get(CALENDAR)
    if data is None:
        return {}
    found = {}
    for event in Calendar.from_ical(data).walk("VEVENT"):
        start, end = event.get("DTSTART"), event.get("DTEND")
        found[str(event.get("UID"))] = {
            "summary": str(event.get("SUMMARY", "")),
            "start": _when(start.dt, zone) if start else None,
            "end": _when(end.dt, zone) if end else None,
        }
    return found


def _when(value: object, zone: Any) -> str:
    """A calendar time in the page's zone (a day stays a day)."""
    return isoformat(value, zone) if isinstance(value, datetime) else str(value)


def _calendar_events(base: dict[str, bytes], head: dict[str, bytes], zone: Any) -> list[Data]:
    """Maintenance calendar events added, moved (new start or end) or removed."""
    old, new = _events(base, zone), _events(head, zone)
    found = []
    for uid in [*new, *(u for u in old if u not in new)]:
        was, now = old.get(uid), new.get(uid)
        if was is None:
            change = "added"
        elif now is None:
            change = "removed"
        elif (was["start"], was["end"]) != (now["start"], now["end"]):
            change = "moved"
        else:
            continue
        shown = now or was
        assert shown is not None
        found.append(
            {"uid": uid, "summary": shown["summary"], "change": change,
             "before": None if was is None else {"start": was["start"], "end": was["end"]},
             "after": None if now is None else {"start": now["start"], "end": now["end"]}}
        )  # fmt: skip
    return found


def _notifications(base: Site, head: Site, now: datetime) -> list[Data]:
    """What `notify` would send after the merge, per endpoint of the head's `notify:`:
    the events the head has by *now* that the base has not (an endpoint new in the head
    starts from now and sends nothing, as `notify` does on its first run)."""
    endpoints = head.config.notify
    if not endpoints:
        return []
    known_keys = {e.key for e in base.config.notify}
    sent = {e.id for e in events(base, now)}
    fresh = [e for e in events(head, now) if e.id not in sent]
    renderer = Renderer(head)
    found = []
    for endpoint in endpoints:
        if endpoint.key not in known_keys:
            continue
        todo: list[Event] = cap([e for e in fresh if matches(endpoint, e)]).send
        if todo:
            found.append(
                {
                    "endpoint": endpoint.label,
                    "format": endpoint.format,
                    "messages": [_message(renderer, endpoint, e) for e in todo],
                }
            )
    return found


def _message(renderer: Renderer, endpoint: Endpoint, event: Event) -> Data:
    message = renderer.render(event)
    return {
        "event": event.id,
        "kind": event.kind,
        "subject": message.subject,
        "text": message.body_text,
        "url": message.url,
        # The JSON a webhook would be sent (e-mail: None; its text is the above).
        "payload": FORMATS[endpoint.format](message) if endpoint.kind == "webhook" else None,
    }


def output_kind(path: str) -> str:
    """Which kind of output a built file is, as the report counts them."""
    top = path.split("/", 1)[0]
    if top == "api":
        return "api"
    if top == "badges" or path.startswith("badge"):
        return "badges"
    if path.endswith((".atom", ".rss", ".ics")) or path == JSON_FEED:
        return "feeds"
    if path.endswith(".html"):
        return "pages"
    return "other"


def _outputs(base: dict[str, bytes], head: dict[str, bytes]) -> Data:
    """Files added, changed and removed, counted by kind."""
    counts = {kind: {"added": 0, "changed": 0, "removed": 0} for kind in OUTPUT_KINDS}
    for path in sorted(base.keys() | head.keys()):
        if path not in base:
            counts[output_kind(path)]["added"] += 1
        elif path not in head:
            counts[output_kind(path)]["removed"] += 1
        elif base[path] != head[path]:
            counts[output_kind(path)]["changed"] += 1
    return counts


SERIOUS = {Impact.MAJOR.word, Impact.CRITICAL.word}


def _flags(result: Data) -> list[Data]:
    """What deserves a second reviewer, said first."""
    flags = []
    headline = result["headline"]
    if headline["changed"] and (
        headline["after"]["word"] in SERIOUS or headline["after"]["indicator"] in SERIOUS
    ):
        flags.append(
            {"kind": "headline", "message": f"the headline becomes {headline['after']['word']}: "
             f"{headline['after']['text']}"}
        )  # fmt: skip
    messages = sum(len(n["messages"]) for n in result["notifications"])
    if messages:
        flags.append(
            {"kind": "notifications", "message": f"merging sends {messages} notification"
             f"{'s' if messages != 1 else ''} to {len(result['notifications'])} endpoint"
             f"{'s' if len(result['notifications']) != 1 else ''}"}
        )  # fmt: skip
    for incident in result["incidents"]:
        flags += _incident_flags(incident)
    return flags


def _incident_flags(incident: Data) -> Iterable[Data]:
    name = f"{incident['id']}"
    if incident["change"] == "reopened":
        yield {"kind": "reopened", "message": f"{name} is reopened"}
    if incident["change"] == "removed":
        yield {"kind": "removed", "message": f"{name} disappears from the page"}
    if incident["components_removed"]:
        yield {"kind": "components_removed", "message": f"{name} no longer names "
               f"{', '.join(incident['components_removed'])}"}  # fmt: skip
    for update in incident["updates"]:
        if update["change"] in ("edited", "removed"):
            yield {"kind": "edited", "message": f"{name}: the published update of {update['at']} "
                   f"is {update['change']}"}  # fmt: skip
        if update["backdated"]:
            yield {"kind": "backdated", "message": f"{name}: a new update is dated {update['at']}, "
                   "before the latest published one"}  # fmt: skip


def built(folder: Path, label: str, now: datetime) -> Built:
    """The site in *folder* built at *now*; ContentError with every problem when it has errors."""
    site, problems = load_site(folder)
    if site is None:
        raise ContentError(problems.items)
    start_assumption(site, problems)
    warnings = tuple(sorted({f"{w.path}: {w.message}" for w in problems.warnings}))
    return Built(label, site, warnings, build(site, now))
