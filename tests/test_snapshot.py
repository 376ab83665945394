"""The per-build Snapshot and the caches a caller owns: same answers, nothing kept between builds
but what the caller hands in."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from statuspage.model import Site
from statuspage.outputs.render_cache import RenderCache
from statuspage.pipeline.build import build
from statuspage.source.site import load_site
from statuspage.source.start import site_start
from statuspage.state import status as st
from statuspage.state.reliability import quarterly_figures
from statuspage.state.snapshot import Snapshot
from statuspage.state.uptime import dated, uptime_report

from .support.golden_trees import GOLDEN

NOW = datetime.fromisoformat("2026-12-02T10:00:00+01:00")  # tests/test_golden.py's "full" instant


def load(case: str) -> Site:
    site, problems = load_site(GOLDEN / case / "input")
    assert site is not None, [str(p) for p in problems.items]
    return site


@pytest.fixture(scope="module")
def full() -> Site:
    """Maintenance windows (upcoming, running, done), a postmortem, groups, two languages."""
    return load("full")


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(days=-30), timedelta(days=10)])
def test_snapshot_answers_are_the_pure_functions_at_its_now(full: Site, offset: timedelta) -> None:
    now = NOW + offset
    snapshot = Snapshot(full, now)
    for incident in full.incidents:
        assert list(snapshot.timeline(incident)) == st.timeline(incident, now)
        assert snapshot.status(incident) is st.incident_status(incident, now)
        assert snapshot.resolved_at(incident) == st.resolved_at(incident, now)
        assert snapshot.is_open(incident) is st.is_open(incident, now)
        assert snapshot.is_upcoming(incident) is st.is_upcoming(incident, now)
        assert snapshot.duration(incident) == st.duration(incident, now)
    visible = [i for i in full.incidents if st.is_visible(i, now)]
    assert list(snapshot.visible) == visible
    assert snapshot.component_statuses == st.component_statuses(full.config, visible, now)
    assert snapshot.page_status == st.page_status(full.config, visible, now)
    # No day before the site's start (its earliest incident's day here) has data.
    start = site_start(full.config, full.incidents)
    assert snapshot.uptime == uptime_report(dated(full.config, start, now), visible, now)
    assert snapshot.quarters == quarterly_figures(full.config, visible, now)


def test_the_sample_covers_what_the_snapshot_distinguishes(full: Site) -> None:
    """Not a vacuous comparison above: open, upcoming and resolved incidents are all there."""
    snapshot = Snapshot(full, NOW)
    assert any(snapshot.is_open(i) for i in full.incidents)
    assert any(snapshot.is_upcoming(i) for i in full.incidents)
    assert any(snapshot.resolved_at(i) is not None for i in full.incidents)
    assert any(u.automatic for i in full.incidents for u in snapshot.timeline(i))


def test_each_incident_is_worked_out_once_per_snapshot(full: Site) -> None:
    snapshot = Snapshot(full, NOW)
    incident = full.incidents[0]
    assert snapshot.state(incident) is snapshot.state(incident)
    assert Snapshot(full, NOW).state(incident) is not snapshot.state(incident)  # nothing shared


def test_a_snapshot_needs_an_aware_now(full: Site) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Snapshot(full, datetime(2026, 12, 2, 10))  # noqa: DTZ001 - the naive instant under test


def test_builds_in_one_process_keep_nothing_but_the_cache_they_are_given(full: Site) -> None:
    """One RenderCache across builds of different sites (what serve does) changes no byte,
    and a build after another site's gives what it gives alone."""
    example = load("example")
    example_now = datetime.fromisoformat("2026-11-28T09:30:00+01:00")
    alone_full, alone_example = build(full, NOW), build(example, example_now)
    assert alone_full != alone_example
    cache = RenderCache()
    assert build(full, NOW, cache) == alone_full
    assert build(example, example_now, cache) == alone_example
    assert build(full, NOW, cache) == alone_full
    assert cache.templates.compiled, "the cache held the compiled templates"
    assert build(full, NOW) == alone_full
