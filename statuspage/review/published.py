"""Pure: what the built files and `notify` publish, before and after: feed entries,
calendar events, the notifications a merge sends, and the files that change by kind."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from statuspage.model import Endpoint, Site
from statuspage.notify.events import Event, events
from statuspage.notify.limits import cap
from statuspage.notify.messages import Renderer
from statuspage.notify.payloads import FORMATS
from statuspage.notify.run import matches
from statuspage.outputs.calendar import CALENDAR
from statuspage.outputs.feeds import JSON_FEED
from statuspage.source.times import isoformat

OUTPUT_KINDS = ("pages", "feeds", "api", "badges", "other")
Data = dict[str, Any]


def _feed_items(files: dict[str, bytes]) -> dict[str, Data]:
    data = files.get(JSON_FEED)
    if data is None:
        return {}
    return {str(item["id"]): item for item in json.loads(data).get("items", [])}


def feed_entries(base: dict[str, bytes], head: dict[str, bytes]) -> list[Data]:
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


def calendar_events(base: dict[str, bytes], head: dict[str, bytes], zone: Any) -> list[Data]:
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


def notifications(base: Site, head: Site, now: datetime) -> list[Data]:
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


def outputs(base: dict[str, bytes], head: dict[str, bytes]) -> Data:
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
