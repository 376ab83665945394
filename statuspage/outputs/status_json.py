"""The root status.json: the page's rollup in a shape handy for shell scripts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from statuspage.model import Incident

if TYPE_CHECKING:
    from statuspage.outputs.api import ApiView

JSON = dict[str, Any]


def simple_status(api: ApiView) -> JSON:
    """The root status.json: the rollup in a shape handy for shell scripts (`jq .indicator`),
    with the v2 indicator and, as `headline`, what the page's banner says."""
    status = api.status()
    headline = api.snapshot.headline
    return {
        "name": api.config.title,
        "url": api.config.base_url,
        "updated_at": api.time(api.updated_at),
        "indicator": status["indicator"],
        "description": status["description"],
        "headline": {
            "indicator": headline.indicator.word,
            "recovering": headline.recovering,
            "description": headline.banner,
        },
        "components": {cid: api.statuses[cid].word for cid in api.component_ids()},
        "incidents": [_brief(api, i) for i in api.unresolved_incidents],
        "maintenances": [_brief(api, i) for i in api.active_maintenances],
    }


def _brief(api: ApiView, incident: Incident) -> JSON:
    return {
        "id": incident.id,
        "name": incident.title,
        "status": api.status_of(incident).word,
        "impact": incident.impact.word,
        "url": f"{api.config.base_url}incidents/{incident.id}/",
    }
