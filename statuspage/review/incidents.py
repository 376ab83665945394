"""Pure: incidents and maintenance windows before and after, as customers would see them
change: added, removed, resolved, reopened or updated, with their updates' changes."""

from __future__ import annotations

from typing import Any

from statuspage.labels import AUTOMATIC_MESSAGES
from statuspage.model import Incident, Update, Window
from statuspage.outputs.markup import plain_text
from statuspage.source.times import isoformat
from statuspage.state.snapshot import Snapshot

Data = dict[str, Any]


def incidents(before: Snapshot, after: Snapshot) -> list[Data]:
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
    """What changes of one incident (*was* before, *now* after); None: nothing shown does."""
    shown = now or was
    assert shown is not None
    updates = _updates(before, after, was, now, zone)
    change = _change(before, after, was, now, updates)
    if change is None:
        return None
    affected_before = was.affected if was else []
    affected_after = now.affected if now else []
    title_before = was.title if was else None
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
        "status": {
            "before": before.status(was).word if was else None,
            "after": after.status(now).word if now else None,
        },
        "window": _window(was, now, zone),
        "components_added": [c for c in affected_after if c not in affected_before],
        "components_removed": [c for c in affected_before if c not in affected_after],
        "updates": updates,
    }


def _updates(
    before: Snapshot, after: Snapshot, was: Incident | None, now: Incident | None, zone: Any
) -> list[Data]:
    """The updates added (and whether dated before the latest published one), edited or
    removed, as each side's timeline shows them."""
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
    return updates


def _change(
    before: Snapshot,
    after: Snapshot,
    was: Incident | None,
    now: Incident | None,
    updates: list[Data],
) -> str | None:
    """The one word for what happens to the incident; None if nothing customers see does."""
    if was is None:
        return "added"
    if now is None:
        return "removed"
    if before.is_open(was) and not after.is_open(now) and after.status(now).is_final:
        return "resolved"
    if before.status(was).is_final and not after.status(now).is_final:
        return "reopened"
    if (
        updates
        or before.status(was).word != after.status(now).word
        or was.affected != now.affected
        or was.title != now.title
        or was.impact != now.impact
        or was.maintenance != now.maintenance
    ):
        return "updated"
    return None


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
