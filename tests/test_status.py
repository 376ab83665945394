"""Status rollup: pure functions of (incidents, now)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as hs

from statuspage.model import ComponentStatus, Impact, Incident, IncidentStatus, Update
from statuspage.state import status as st

from .conftest import EXAMPLE_INCIDENT, SiteDir, at


def test_rollup_through_an_incident(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    site = site_dir.load()
    config, incidents = site.config, site.incidents

    def snapshot(now: str):
        moment = at(now)
        statuses = st.component_statuses(config, incidents, moment)
        return (
            st.page_status(config, incidents, moment).indicator,
            statuses["api"],
            statuses["dashboard"],
            statuses["website"],
        )

    assert snapshot("2026-11-20 13:00") == (
        Impact.NONE,
        ComponentStatus.OPERATIONAL,
        ComponentStatus.OPERATIONAL,
        ComponentStatus.OPERATIONAL,
    )
    # Investigating: impact major; the group rolls up to its worst member.
    assert snapshot("2026-11-20 14:10") == (
        Impact.MAJOR,
        ComponentStatus.PARTIAL_OUTAGE,
        ComponentStatus.DEGRADED_PERFORMANCE,
        ComponentStatus.DEGRADED_PERFORMANCE,
    )
    # Monitoring update lowered the API to degraded.
    assert snapshot("2026-11-20 14:50")[1] == ComponentStatus.DEGRADED_PERFORMANCE
    # Resolved: everything operational again.
    assert snapshot("2026-11-20 15:10") == (
        Impact.NONE,
        ComponentStatus.OPERATIONAL,
        ComponentStatus.OPERATIONAL,
        ComponentStatus.OPERATIONAL,
    )
    incident = incidents[0]
    assert st.duration(incident, at("2026-11-21 00:00")) == timedelta(hours=1, minutes=8)
    assert st.incident_status(incident, at("2026-11-20 14:30")) is IncidentStatus.INVESTIGATING
    assert (
        st.page_status(config, incidents, at("2026-11-20 14:10")).description
        == "Partial System Outage"
    )


def test_critical_component_status_raises_indicator(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-x.md",
        "---\ntitle: X\nimpact: minor\ncomponents:\n  db: major_outage\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
    )
    site = site_dir.load()
    assert (
        st.page_status(site.config, site.incidents, at("2026-11-20 11:00")).indicator
        is Impact.CRITICAL
    )


def test_impact_defaults_from_components(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-x.md",
        "---\ntitle: X\ncomponents:\n  db: partial_outage\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
    )
    assert site_dir.load().incidents[0].impact is Impact.MAJOR


def test_impact_defaults_from_the_worst_status_of_any_update(site_dir: SiteDir) -> None:
    # Components named only in updates' `Components:` lines count too (once "No impact").
    site_dir.incident(
        "2026-11-20-x.md",
        "---\ntitle: X\n---\n\n## Identified · 2026-11-20 11:00\nComponents: db=major_outage\n\nworse\n\n"
        "## Investigating · 2026-11-20 10:00\nComponents: db=degraded_performance\n\nx\n",
    )
    assert site_dir.load().incidents[0].impact is Impact.CRITICAL
    out = site_dir.build("2026-11-20 12:00")
    page = (out / "incidents" / "2026-11-20-x" / "index.html").read_text(encoding="utf-8")
    assert "No impact" not in page and "Critical" in page


def test_future_updates_are_not_shown_yet(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    incident = site_dir.load().incidents[0]
    assert [u.status.word for u in st.timeline(incident, at("2026-11-20 14:50"))] == [
        "investigating",
        "monitoring",
    ]
    assert not st.is_visible(incident, at("2026-11-20 14:00"))


def test_maintenance_runs_itself(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-12-01-db.md",
        "---\ntitle: DB\nmaintenance:\n  start: 2026-12-01 02:00\n  end: 2026-12-01 04:00\ncomponents: [db]\n---\n\n## Scheduled · 2026-11-25 10:00\nUpgrade.\n",
    )
    site = site_dir.load()
    config, incidents = site.config, site.incidents
    m = incidents[0]
    assert m.impact is Impact.MAINTENANCE
    before, during, after = at("2026-12-01 01:00"), at("2026-12-01 03:00"), at("2026-12-01 05:00")
    assert st.incident_status(m, before) is IncidentStatus.SCHEDULED and st.is_upcoming(m, before)
    assert st.component_status("db", incidents, before) is ComponentStatus.OPERATIONAL
    assert st.page_status(config, incidents, before).indicator is Impact.NONE
    assert st.incident_status(m, during) is IncidentStatus.IN_PROGRESS
    assert st.component_status("db", incidents, during) is ComponentStatus.UNDER_MAINTENANCE
    assert st.page_status(config, incidents, during).indicator is Impact.MAINTENANCE
    assert st.incident_status(m, after) is IncidentStatus.COMPLETED
    assert st.resolved_at(m, after) == at("2026-12-01 04:00")
    assert st.next_change(incidents, before) == at("2026-12-01 02:00")
    assert st.next_change(incidents, during) == at("2026-12-01 04:00")
    assert st.next_change(incidents, after) is None


# Properties over random incidents ------------------------------------------------

statuses = hs.sampled_from(
    [s for s in ComponentStatus if s is not ComponentStatus.UNDER_MAINTENANCE]
)
base = at("2026-01-01 00:00")


@hs.composite
def incidents(draw):
    n = draw(hs.integers(1, 4))
    offsets = sorted(draw(hs.lists(hs.integers(0, 10_000), min_size=n, max_size=n, unique=True)))
    resolved = draw(hs.booleans())
    words = [IncidentStatus.INVESTIGATING] * (n - 1) + [
        IncidentStatus.RESOLVED if resolved else IncidentStatus.MONITORING
    ]
    updates = tuple(
        Update(w, base + timedelta(minutes=o), "x") for w, o in zip(words, offsets, strict=True)
    )
    comps = tuple(
        (c, draw(statuses))
        for c in draw(hs.lists(hs.sampled_from(["api", "web", "db"]), unique=True, max_size=3))
    )
    return Incident(
        id=f"i{draw(hs.integers(0, 10**6))}",
        title="t",
        impact=draw(hs.sampled_from([Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL])),
        components=comps,
        updates=updates,
    )


@settings(max_examples=200, deadline=None)
@given(hs.lists(incidents(), max_size=5), hs.integers(0, 12_000))
def test_component_never_better_than_an_open_incident_says(items, minute) -> None:
    now = base + timedelta(minutes=minute)
    for cid in ("api", "web", "db"):
        status = st.component_status(cid, items, now)
        for incident in items:
            if st.is_open(incident, now):
                assert status >= st.component_states(incident, now).get(
                    cid, ComponentStatus.OPERATIONAL
                )
        assert st.component_status(cid, list(reversed(items)), now) == status


@settings(max_examples=200, deadline=None)
@given(hs.lists(incidents(), min_size=1, max_size=5), hs.integers(0, 12_000))
def test_resolving_never_worsens(items, minute) -> None:
    now = base + timedelta(minutes=minute)
    target = items[0]
    if not st.is_open(target, now):
        return
    closed = replace(
        target, updates=(*target.updates, Update(IncidentStatus.RESOLVED, now, "done"))
    )
    for cid in ("api", "web", "db"):
        assert st.component_status(cid, [closed, *items[1:]], now) <= st.component_status(
            cid, items, now
        )
