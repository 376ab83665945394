"""api/metrics.json: reliability per quarter and 90-day uptime, for dashboards (pure).

The same figures as the history page and the day bars; machine words in English,
durations in seconds and minutes, times with offsets in the site's zone.
"""

from __future__ import annotations

import json
from typing import Any

from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.times import isoformat
from statuspage.state.reliability import figures_json
from statuspage.state.snapshot import Snapshot
from statuspage.state.uptime import DAYS, uptime_json

METRICS_PATH = "api/metrics.json"


def metrics(snapshot: Snapshot) -> dict[str, Any]:
    """The metrics document as plain JSON data."""
    config, now = snapshot.config, snapshot.now
    uptime = snapshot.uptime
    quarters = snapshot.quarters
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
                }
                for c in config.components
            ],
            "groups": [
                {"id": g.id, "name": g.name, **uptime_json(uptime[g.id], daily=False)}
                for g in config.groups
            ],
        },
        "quarters": [
            {
                "quarter": q.quarter.key,
                "start": q.quarter.first_day.isoformat(),
                "end": q.quarter.last_day.isoformat(),
                **figures_json(q.overall),
                "components": [{"id": cid, **figures_json(f)} for cid, f in q.components.items()],
            }
            for q in quarters
        ],
    }


def render_metrics(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """{api/metrics.json: bytes}; keys in a fixed order, so same input gives same bytes."""
    text = json.dumps(metrics(snapshot), indent=2, ensure_ascii=False) + "\n"
    return ready({METRICS_PATH: text.encode()})
