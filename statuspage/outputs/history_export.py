"""Site + now -> the complete history as open data: `api/history.json` (every incident and
maintenance with every update), its JSON Schema, and `api/history.csv` (one row per
incident, for spreadsheets and SLA reports). Pure: no I/O, no clock.

The v2 API lists only the 50 most recent incidents, as the hosted product does; these
files hold everything. Both are keyed by what they show of each incident (its status,
how many updates are published, whether its postmortem is), never by `now`: a build
that changed no incident reuses them, however long the history.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from statuspage.labels import AUTOMATIC_MESSAGES
from statuspage.model import Config, Incident, Update
from statuspage.outputs.history_schema import SCHEMA
from statuspage.outputs.output import Output
from statuspage.outputs.render_cache import RenderCache
from statuspage.state import postmortems
from statuspage.state.snapshot import Snapshot

HISTORY_JSON = "api/history.json"
HISTORY_SCHEMA = "api/history.schema.json"
HISTORY_CSV = "api/history.csv"
FORMAT_VERSION = 1  # raised only if a field changes meaning (fields are only ever added)
CSV_COLUMNS = (
    "id", "title", "kind", "status", "start", "first_update", "resolved",
    "duration_seconds", "impact", "priority", "components", "permalink",
)  # fmt: skip
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

JSON = dict[str, Any]


def iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    """ISO 8601 to the second in the page's zone (`Z` when that is UTC); None stays null."""
    if moment is None:
        return None
    text = moment.astimezone(zone).isoformat(timespec="seconds")
    return text.removesuffix("+00:00") + "Z" if zone.key in ("UTC", "Etc/UTC") else text


def permalink(config: Config, incident: Incident, anchor: str = "") -> str:
    return f"{config.base_url}incidents/{incident.id}/" + (f"#{anchor}" if anchor else "")


def _update(config: Config, incident: Incident, update: Update, page: str) -> JSON:
    anchor = update.anchor
    return {
        # Unique and stable: the update's anchor, as the v2 API's update ids.
        "id": f"{incident.id}-{anchor}",
        "at": iso(update.at, config.timezone),
        "status": update.status.word,
        "body": AUTOMATIC_MESSAGES.get(update.status, "") if update.automatic else update.body,
        "automatic": update.automatic,
        "components": [{"id": cid, "status": status.word} for cid, status in update.components],
        "permalink": f"{page}#{anchor}",
    }


def incident_record(snapshot: Snapshot, incident: Incident, *, updates: bool = True) -> JSON:
    """One incident or maintenance with every update published by `now`, oldest first
    (without `updates` for the CSV, which has a row per incident)."""
    config, zone = snapshot.config, snapshot.config.timezone
    timeline = snapshot.timeline(incident)
    resolved = snapshot.resolved_at(incident)
    window = incident.maintenance
    published = postmortems.published_postmortem(snapshot.site, incident.id, snapshot.now)
    page = permalink(config, incident)
    record: JSON = {
        "id": incident.id,
        "kind": "maintenance" if window else "incident",
        "title": incident.title,
        "status": snapshot.status(incident).word,
        "impact": incident.impact.word,
        "priority": incident.priority,
        "components": incident.affected,
        "start": iso(incident.started_at, zone),
        "detected": iso(incident.detected, zone),
        "first_update": iso(timeline[0].at, zone),
        "resolved": iso(resolved, zone),
        # Only once resolved: an open incident's duration would change with every build.
        "duration_seconds": int(snapshot.duration(incident).total_seconds()) if resolved else None,
        "scheduled_for": iso(window.start, zone) if window else None,
        "scheduled_until": iso(window.end, zone) if window else None,
        "postmortem": {
            "published_at": iso(published.published_at, zone),
            "permalink": permalink(config, incident, "postmortem"),
        }
        if published
        else None,
        "permalink": page,
    }
    if updates:
        record["updates"] = [_update(config, incident, update, page) for update in timeline]
    return record


def _history_json(snapshot: Snapshot) -> bytes:
    config = snapshot.config
    document = {
        "$schema": config.base_url + HISTORY_SCHEMA,
        "version": FORMAT_VERSION,
        "page": {
            "name": config.title,
            "url": config.base_url,
            "time_zone": str(config.timezone),
        },
        "incidents": [incident_record(snapshot, i) for i in snapshot.visible],
    }
    # Compact, as the v2 API: json's C encoder (an indent would bypass it) keeps 10,000
    # incidents fast; every untrusted string is escaped by json.dumps.
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def csv_cell(text: str) -> str:
    """*text* made inert for spreadsheets: a leading apostrophe before a formula start."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(snapshot: Snapshot, incident: Incident) -> list[str]:
    """*incident*'s CSV row (CSV_COLUMNS): text cells guarded, null values empty."""
    record = incident_record(snapshot, incident, updates=False)
    priority = record["priority"]
    record.update(
        id=csv_cell(incident.id),
        title=csv_cell(incident.title),
        priority=f"P{priority}" if priority is not None else None,
        components=csv_cell(" ".join(incident.affected)),
    )
    return ["" if record[column] is None else str(record[column]) for column in CSV_COLUMNS]


def _history_csv(snapshot: Snapshot) -> bytes:
    buffer = io.StringIO()
    # RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(snapshot, incident) for incident in snapshot.visible)
    # With a byte-order mark: Excel reads UTF-8 without one as a legacy code page.
    return ("\ufeff" + buffer.getvalue()).encode()


def render_history_export(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """api/history.json, api/history.csv and the schema, keyed by what each incident shows."""
    visible = snapshot.visible
    shown = tuple(
        f"{i.id}:{snapshot.status(i).word}:{len(snapshot.timeline(i))}:"
        f"{postmortems.published_postmortem(snapshot.site, i.id, snapshot.now) is not None}"
        for i in visible
    )
    ids = tuple(i.id for i in visible)
    schema = json.dumps(SCHEMA, ensure_ascii=False, indent=2) + "\n"
    return {
        HISTORY_JSON: Output(partial(_history_json, snapshot), (HISTORY_JSON, *shown), ids),
        HISTORY_CSV: Output(partial(_history_csv, snapshot), (HISTORY_CSV, *shown), ids),
        HISTORY_SCHEMA: Output.of(schema.encode()),
    }
