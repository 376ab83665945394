"""The Statuspage v2 JSON API and the root status.json, read as a client would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from referencing import Registry, Resource

from .conftest import EXAMPLE_INCIDENT, SiteDir, write
from .support.api_sites import (
    ACTIVE,
    ALL_CLEAR,
    BASE,
    IN_MAINTENANCE,
    SCHEMAS,
    UPCOMING,
    add_incidents,
    validator,
)

# Output path -> the schema it must satisfy.
FILES = {
    "api/v2/summary.json": "summary.json",
    "api/v2/status.json": "status.json",
    "api/v2/components.json": "components.json",
    "api/v2/incidents.json": "incidents.json",
    "api/v2/incidents/unresolved.json": "incidents-unresolved.json",
    "api/v2/scheduled-maintenances.json": "scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/upcoming.json": "scheduled-maintenances-upcoming.json",
    "api/v2/scheduled-maintenances/active.json": "scheduled-maintenances-active.json",
    "status.json": "root-status.json",
    "api/badge.json": "badge.json",
}


NOWS = [UPCOMING, ACTIVE, IN_MAINTENANCE, ALL_CLEAR]


@pytest.fixture
def site(site_dir: SiteDir) -> SiteDir:
    return add_incidents(site_dir)


def load(out: Path, path: str) -> dict:
    return json.loads((out / path).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    resources = [
        (BASE + p.name, Resource.from_contents(json.loads(p.read_text())))
        for p in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


@pytest.mark.parametrize("now", NOWS)
def test_every_file_matches_its_schema(site: SiteDir, registry: Registry, now: str) -> None:
    out = site.build(now)
    for path, schema_name in FILES.items():
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(registry, schema_name).iter_errors(load(out, path))
        ]
        assert errors == [], path
    badge_json = list((out / "api" / "components").glob("*/badge.json"))
    assert len(badge_json) == 5  # api, website, web, dashboard, db
    for path in badge_json:
        validator(registry, "badge.json").validate(load(out, str(path.relative_to(out))))


def test_schemas_reject_what_clients_would_choke_on(site: SiteDir, registry: Registry) -> None:
    summary = load(site.build(ACTIVE), "api/v2/summary.json")
    check = validator(registry, "summary.json")
    check.validate(summary)
    bad = json.loads(json.dumps(summary))
    bad["status"]["indicator"] = "green"
    assert not check.is_valid(bad)
    bad = json.loads(json.dumps(summary))
    bad["incidents"][0]["created_at"] = "2026-11-25 16:40"  # no offset, no T
    assert not check.is_valid(bad)
    bad = json.loads(json.dumps(summary))
    del bad["components"][0]["group_id"]  # nullable fields must be present
    assert not check.is_valid(bad)


def test_active_incident(site: SiteDir) -> None:
    out = site.build(ACTIVE)
    summary = load(out, "api/v2/summary.json")
    assert summary["page"] == {
        "id": "test-status",
        "name": "Test Status",
        "url": "https://status.test.example/sub",
        "time_zone": "Europe/Berlin",
        "updated_at": "2026-11-25T17:05:00.000+01:00",  # the newest update, not the build time
    }
    # web is in a partial outage: the worst of incident impact (minor) and component statuses.
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert load(out, "api/v2/status.json") == {"page": summary["page"], "status": summary["status"]}
    statuses = {c["id"]: c["status"] for c in summary["components"]}
    assert statuses == {
        "api": "operational",
        "website": "partial_outage",
        "web": "partial_outage",
        "dashboard": "operational",
        "db": "operational",
    }

    [incident] = summary["incidents"]
    assert load(out, "api/v2/incidents/unresolved.json")["incidents"] == [incident]
    assert incident["id"] == "2026-11-25-web"
    assert incident["name"] == 'Slow "marketing" <site>'
    assert incident["status"] == "identified"
    assert incident["impact"] == "minor"
    assert incident["shortlink"] == "https://status.test.example/sub/incidents/2026-11-25-web/"
    assert (incident["created_at"], incident["started_at"]) == (
        "2026-11-25T16:40:00.000+01:00",
    ) * 2
    assert incident["updated_at"] == "2026-11-25T17:05:00.000+01:00"
    assert (incident["monitoring_at"], incident["resolved_at"]) == (None, None)
    assert (incident["postmortem_body"], incident["postmortem_published_at"]) == (None, None)
    assert [c["id"] for c in incident["components"]] == ["web"]
    assert incident["components"][0]["status"] == "partial_outage"
    assert incident["components"][0]["group_id"] == "website"

    updates = incident["incident_updates"]  # newest first; the future "resolved" is not out yet
    assert [u["status"] for u in updates] == ["identified", "investigating"]
    assert updates[0]["body"] == "A cache node failed; some pages do not load at all."
    assert updates[1]["body"] == "Pages load slowly. Ünïcode & <b>markup</b> stay text."
    assert updates[0]["affected_components"] == [
        {
            "code": "web",
            "name": "Marketing site",
            "old_status": "degraded_performance",
            "new_status": "partial_outage",
        }
    ]
    assert updates[1]["affected_components"] == [
        {
            "code": "web",
            "name": "Marketing site",
            "old_status": "operational",
            "new_status": "degraded_performance",
        }
    ]
    assert (
        updates[0]["id"] == "2026-11-25-web-update-20261125t160500z"
    )  # the anchor on the incident page
    assert {u["incident_id"] for u in updates} == {"2026-11-25-web"}

    # incidents.json holds every incident newest first, resolved ones too; no maintenances.
    listed = load(out, "api/v2/incidents.json")["incidents"]
    assert [(i["id"], i["status"]) for i in listed] == [
        ("2026-11-25-web", "identified"),
        ("2026-11-20-api-errors", "resolved"),
    ]
    past = listed[1]
    assert past["resolved_at"] == "2026-11-20T15:10:00.000+01:00"
    assert past["monitoring_at"] == "2026-11-20T14:48:00.000+01:00"
    assert [u["affected_components"] for u in past["incident_updates"]] == [
        [
            {
                "code": "api",
                "name": "Public API",
                "old_status": "degraded_performance",
                "new_status": "operational",
            },
            {
                "code": "dashboard",
                "name": "Dashboard",
                "old_status": "degraded_performance",
                "new_status": "operational",
            },
        ],
        [
            {
                "code": "api",
                "name": "Public API",
                "old_status": "partial_outage",
                "new_status": "degraded_performance",
            }
        ],
        [
            {
                "code": "api",
                "name": "Public API",
                "old_status": "operational",
                "new_status": "partial_outage",
            },
            {
                "code": "dashboard",
                "name": "Dashboard",
                "old_status": "operational",
                "new_status": "degraded_performance",
            },
        ],
    ]
    root = load(out, "status.json")
    assert (root["indicator"], root["components"]["web"]) == ("major", "partial_outage")
    assert root["incidents"] == [{
        "id": "2026-11-25-web", "name": 'Slow "marketing" <site>', "status": "identified", "impact": "minor",
        "url": "https://status.test.example/sub/incidents/2026-11-25-web/",
    }]  # fmt: skip


def test_components_groups_and_order(site: SiteDir) -> None:
    components = load(site.build(ACTIVE), "api/v2/components.json")["components"]
    assert [(c["id"], c["group"], c["group_id"], c["position"]) for c in components] == [
        ("api", False, None, 1),
        ("website", True, None, 2),
        ("web", False, "website", 1),
        ("dashboard", False, "website", 2),
        ("db", False, None, 3),
    ]
    group = components[1]
    assert group["components"] == ["web", "dashboard"]
    assert all("components" not in c for c in components if not c["group"])
    api = components[0]
    assert (api["name"], api["description"], api["start_date"], api["page_id"]) == (
        "Public API",
        "REST endpoints",
        None,
        "test-status",
    )
    assert (
        api["updated_at"] == "2026-11-20T15:10:00.000+01:00"
    )  # when its last incident returned it to operational
    assert group["updated_at"] == "2026-11-25T17:05:00.000+01:00"  # a member changed then


def test_upcoming_maintenance(site: SiteDir) -> None:
    out = site.build(UPCOMING)
    summary = load(out, "api/v2/summary.json")
    assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert summary["incidents"] == []
    [upcoming] = summary["scheduled_maintenances"]
    assert load(out, "api/v2/scheduled-maintenances/upcoming.json")["scheduled_maintenances"] == [
        upcoming
    ]
    assert load(out, "api/v2/scheduled-maintenances/active.json")["scheduled_maintenances"] == []
    assert upcoming["id"] == "2026-12-01-db-upgrade"
    assert upcoming["status"] == "scheduled"
    assert upcoming["impact"] == "maintenance"
    assert upcoming["scheduled_for"] == "2026-12-01T02:00:00.000+01:00"
    assert upcoming["scheduled_until"] == "2026-12-01T04:00:00.000+01:00"
    assert [(u["status"], u["affected_components"]) for u in upcoming["incident_updates"]] == [
        ("scheduled", None)
    ]
    assert upcoming["components"][0]["status"] == "operational"  # not under maintenance yet
    # The web incident of the 25th is not published yet, so nowhere to be seen.
    assert [i["id"] for i in load(out, "api/v2/incidents.json")["incidents"]] == [
        "2026-11-20-api-errors"
    ]


def test_maintenance_in_progress(site: SiteDir) -> None:
    out = site.build(IN_MAINTENANCE)
    summary = load(out, "api/v2/summary.json")
    assert summary["status"] == {
        "indicator": "maintenance",
        "description": "Service Under Maintenance",
    }
    assert summary["incidents"] == []
    assert {c["id"]: c["status"] for c in summary["components"]}["db"] == "under_maintenance"
    [active] = load(out, "api/v2/scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert summary["scheduled_maintenances"] == [active]
    assert load(out, "api/v2/scheduled-maintenances/upcoming.json")["scheduled_maintenances"] == []
    assert active["status"] == "in_progress"
    assert active["updated_at"] == "2026-12-01T02:00:00.000+01:00"
    started = active["incident_updates"][0]  # written by the clock, not by a person
    assert (started["status"], started["body"]) == (
        "in_progress",
        "The scheduled maintenance window has started.",
    )
    assert started["affected_components"] == [
        {
            "code": "db",
            "name": "Database",
            "old_status": "operational",
            "new_status": "under_maintenance",
        }
    ]
    assert summary["page"]["updated_at"] == "2026-12-01T02:00:00.000+01:00"


def test_all_clear(site: SiteDir) -> None:
    out = site.build(ALL_CLEAR)
    summary = load(out, "api/v2/summary.json")
    assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert (summary["incidents"], summary["scheduled_maintenances"]) == ([], [])
    assert {c["status"] for c in summary["components"]} == {"operational"}
    [done] = load(out, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"]
    assert (done["status"], done["resolved_at"]) == ("completed", "2026-12-01T04:00:00.000+01:00")
    assert [u["status"] for u in done["incident_updates"]] == [
        "completed",
        "in_progress",
        "scheduled",
    ]
    assert done["incident_updates"][0]["affected_components"][0]["new_status"] == "operational"
    incidents = load(out, "api/v2/incidents.json")["incidents"]
    assert [i["status"] for i in incidents] == ["resolved", "resolved"]
    assert incidents[0]["resolved_at"] == "2026-11-27T10:00:00.000+01:00"
    assert load(out, "status.json")["indicator"] == "none"


def test_same_content_gives_byte_identical_files(site: SiteDir, tmp_path: Path) -> None:
    first = site.build(ALL_CLEAR, tmp_path / "a")
    again = site.build(ALL_CLEAR, tmp_path / "b")
    later = site.build("2027-03-01 09:00", tmp_path / "c")  # nothing happened since: same API
    paths = sorted(
        str(p.relative_to(first)) for p in [*first.rglob("*.json"), *first.rglob("*.svg")]
    )
    assert "api/v2/summary.json" in paths and "badge.svg" in paths
    # v2 files, root status.json, badge JSON and SVG (overall + 5), metrics, favicon.svg,
    # the history and its schema, JSON Feeds (overall + 5)
    assert len(paths) == 8 + 1 + 6 + 6 + 1 + 1 + 2 + 6
    # Uptime covers the 90 days up to `now`, so those figures move with time by design.
    moving = {"api/metrics.json", "api/v2/components.json"}
    for path in paths:
        assert (first / path).read_bytes() == (again / path).read_bytes(), path
        if path not in moving:
            assert (first / path).read_bytes() == (later / path).read_bytes(), path


def test_lists_are_capped_at_50_newest_first(site_dir: SiteDir) -> None:
    for day in range(1, 29):
        for n in (1, 2):
            site_dir.incident(f"2026-02-{day:02d}-blip-{n}.md", f"""\
                ---
                title: Blip {day} {n}
                components: {{api: degraded_performance}}
                ---

                ## Resolved · 2026-02-{day:02d} 1{n}:30
                Gone.

                ## Investigating · 2026-02-{day:02d} 1{n}:00
                Slow.
                """)  # fmt: skip
    out = site_dir.build("2026-03-01 00:00")
    incidents = load(out, "api/v2/incidents.json")["incidents"]
    assert len(incidents) == 50
    assert incidents[0]["id"] == "2026-02-28-blip-2"
    assert incidents[-1]["id"] == "2026-02-04-blip-1"
    assert incidents[0]["impact"] == "minor"  # derived from degraded_performance


def test_utc_page_writes_z_and_start_date(tmp_path: Path) -> None:
    site = SiteDir(
        tmp_path / "utc",
        config="""\
        title: UTC Status
        base_url: https://example.org/
        timezone: UTC
        components:
          - {id: api, name: API, start_date: 2026-01-15}
        """,
    )
    write(
        site.root / "incidents" / "2026-11-20-x.md",
        EXAMPLE_INCIDENT.replace("dashboard: degraded_performance\n", ""),
    )
    out = site.build("2026-11-21 00:00")
    summary = load(out, "api/v2/summary.json")
    assert summary["page"]["time_zone"] == "UTC"
    assert summary["page"]["updated_at"] == "2026-11-20T14:10:00.000Z"
    [api] = summary["components"]
    assert (api["start_date"], api["created_at"]) == ("2026-01-15", "2026-01-15T00:00:00.000Z")


def test_empty_site_still_serves_a_valid_api(site_dir: SiteDir, registry: Registry) -> None:
    out = site_dir.build("2026-11-21 00:00")
    for path, schema_name in FILES.items():
        validator(registry, schema_name).validate(load(out, path))
    assert load(out, "api/v2/incidents.json")["incidents"] == []
