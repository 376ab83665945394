"""Pure: two sites at one `now` (and their built files) -> what customers would see change.

The result is plain data (dicts, lists, strings, numbers), the same that `--format json`
prints (diff.schema.json describes it), so every format is made from one value. The
incidents are compared in incidents.py; feeds, calendar, notifications and the files
that change in published.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from statuspage.errors import ContentError, UsageError
from statuspage.model import PUBLIC, Impact, Site
from statuspage.pipeline.build import build
from statuspage.review.incidents import incidents
from statuspage.review.published import calendar_events, feed_entries, notifications, outputs
from statuspage.source.audience_view import view
from statuspage.source.site import load_site
from statuspage.source.start import start_assumption
from statuspage.source.times import isoformat
from statuspage.state.snapshot import Snapshot

SCHEMA_VERSION = 1
# A reader notices a 90-day or SLO figure move by this many percentage points.
FIGURE_STEP = 0.01
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
        "incidents": incidents(before, after),
        "figures": _figures(before, after),
        "feed_entries": feed_entries(base.files, head.files),
        "calendar_events": calendar_events(base.files, head.files, zone),
        "notifications": notifications(base.site, head.site, now),
        "warnings": [w for w in head.warnings if w not in set(base.warnings)],
        "outputs": outputs(base.files, head.files),
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


def built(folder: Path, label: str, now: datetime, audience: str = PUBLIC) -> Built:
    """The site in *folder* built at *now* for *audience*; ContentError with every problem
    when it has errors, UsageError when it has no such audience."""
    site, problems = load_site(folder)
    if site is None:
        raise ContentError(problems.items)
    start_assumption(site, problems)
    warnings = tuple(sorted({f"{w.path}: {w.message}" for w in problems.warnings}))
    try:
        seen = view(site, audience)  # what that audience's page is made from
    except UsageError as e:
        raise UsageError(f"{label}: {e.message}") from None
    return Built(label, seen, warnings, build(seen, now))
