"""Providers' status (`upstream:`) in summary.json, as Statuspage lists third-party
components: a group per provider with a fresh snapshot, its shown components as members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from statuspage.model import ComponentStatus, Impact

if TYPE_CHECKING:
    from statuspage.outputs.api import ApiView

JSON = dict[str, Any]

# A provider's rollup as a component status, for its group in summary.json.
INDICATOR_STATUS = {
    Impact.NONE: ComponentStatus.OPERATIONAL,
    Impact.MAINTENANCE: ComponentStatus.UNDER_MAINTENANCE,
    Impact.MINOR: ComponentStatus.DEGRADED_PERFORMANCE,
    Impact.MAJOR: ComponentStatus.PARTIAL_OUTAGE,
    Impact.CRITICAL: ComponentStatus.MAJOR_OUTAGE,
}


def third_party_components(api: ApiView) -> list[JSON]:
    """Providers with a fresh snapshot, as Statuspage lists third-party components: a
    group per provider, its shown components as members. Stale or unknown ones are
    left out (the v2 statuses have no "unknown"); none counts in our status."""
    entries: list[JSON] = []
    position = len(api.component_ids())
    for view in api.snapshot.providers:
        report = view.upstream.report
        if view.indicator is None or report is None:
            continue
        position += 1
        as_of = api.time(report.as_of)
        shared = {
            "created_at": as_of,
            "updated_at": as_of,
            "position": position,
            "description": f"Third-party: as {view.name} reported it at {as_of}",
            "showcase": False,
            "start_date": None,
            "page_id": api.page_id,
            "only_show_if_degraded": False,
        }
        group_id = f"upstream-{view.id}"
        members = [f"{group_id}-{n}" for n in range(1, len(report.components) + 1)]
        status = INDICATOR_STATUS[view.indicator].word
        head = {"id": group_id, "name": view.name, "status": status, "group_id": None}
        entries.append({**head, **shared, "group": True, "components": members})
        for item_id, item in zip(members, report.components, strict=True):
            name = f"{view.name}: {item.name}"
            head = {"id": item_id, "name": name, "status": item.status, "group_id": group_id}
            entries.append({**head, **shared, "group": False})
    return entries
