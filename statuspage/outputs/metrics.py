"""api/metrics.json: reliability per quarter, uptime, SLOs and priorities, for dashboards (pure).

The same figures as the history page, the component pages and the day bars; machine
words in English, durations in seconds and minutes, times with offsets in the site's
zone. SLOs and priorities are always here, even where the pages do not show them.
"""

from __future__ import annotations

import json
from typing import Any

from statuspage.model import Component, Group, Incident
from statuspage.outputs.figures_json import figures_json, response_json, slo_json, uptime_json
from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.times import isoformat
from statuspage.state.reliability import first_update_delay, priority_name
from statuspage.state.snapshot import Snapshot
from statuspage.state.uptime import DAYS, Uptime, uptime_periods

METRICS_PATH = "api/metrics.json"


def metrics(snapshot: Snapshot) -> dict[str, Any]:
    """The metrics document as plain JSON data."""
    config, now = snapshot.config, snapshot.now
    uptime = snapshot.uptime
    quarters = snapshot.quarters
    slos = snapshot.slos

    def reliability(item: Component | Group) -> dict[str, Any]:
        year = snapshot.year_uptime[item.id]
        block: dict[str, Any] = {"periods": _periods(year)}
        if item.id in slos:
            block["slo"] = slo_json(slos[item.id], config)
        return block

    return {
        "page": {"name": config.title, "url": config.base_url, "time_zone": config.timezone.key},
        "as_of": isoformat(now, config.timezone),
        "uptime": {
            "days": DAYS,
            "components": [
                {
                    "id": c.id,
                    "name": c.name,
                    "group_id": c.group,
                    **uptime_json(uptime[c.id], daily=False),
                    **reliability(c),
                }
                for c in config.components
            ],
            "groups": [
                {
                    "id": g.id,
                    "name": g.name,
                    **uptime_json(uptime[g.id], daily=False),
                    **reliability(g),
                }
                for g in config.groups
            ],
        },
        "quarters": [
            {
                "quarter": q.quarter.key,
                "start": q.quarter.first_day.isoformat(),
                "end": q.quarter.last_day.isoformat(),
                **figures_json(q.overall),
                "components": [
                    {"id": cid, **figures_json(q.components[cid])} for cid in config.component_ids
                ],
                "priorities": [
                    {"priority": priority_name(p), **figures_json(f)}
                    for p, f in q.priorities.items()
                ],
            }
            for q in quarters
        ],
        "first_update": [response_json(r) for r in snapshot.responses],
        "incidents": [_incident(snapshot, i) for i in snapshot.visible if not i.is_maintenance],
    }


def _periods(year: Uptime) -> list[dict[str, Any]]:
    """Uptime over the last 30, 90 and 365 days (calendar days in the site's zone)."""
    return [{"days": days, "percent": percent} for days, percent in uptime_periods(year)]


def _incident(snapshot: Snapshot, incident: Incident) -> dict[str, Any]:
    """An incident's priority and response, by id: not shown to customers on the pages."""
    zone = snapshot.config.timezone
    delay = first_update_delay(incident)
    return {
        "id": incident.id,
        "priority": priority_name(incident.priority) if incident.priority else None,
        "impact": incident.impact.word,
        "urgency": incident.urgency.word,
        "detected": isoformat(incident.detected, zone) if incident.detected else None,
        "first_update": isoformat(incident.created_at, zone),
        "first_update_seconds": int(delay.total_seconds()) if delay is not None else None,
    }


def render_metrics(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """{api/metrics.json: bytes}; keys in a fixed order, so same input gives same bytes."""
    text = json.dumps(metrics(snapshot), indent=2, ensure_ascii=False) + "\n"
    return ready({METRICS_PATH: text.encode()})
