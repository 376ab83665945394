"""Audiences: nothing meant for one reaches a less trusted one, proven on random sites.

Each generated site marks its components, groups, incidents and single updates for
random audiences (public < partners < internal) and gives each item a marker found
nowhere else (tests/support/audience_sites.py). Every audience is built with the real
build; every byte of every file (and every path) of each audience's output must hold no
marker of what it may not see, and every marker of what it may see that the site always
shows. `STATUSPAGE_AUDIENCE_EXAMPLES` sets the number of sites (500 under CI=true)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from statuspage.outputs.render_cache import RenderCache
from statuspage.pipeline.build import build
from statuspage.source.audience_view import view
from statuspage.source.site import load_site
from tests.conftest import at
from tests.support.audience_sites import AUDIENCES, NOW, Markers, Plan, plans, write_site

EXAMPLES = int(
    os.environ.get(
        "STATUSPAGE_AUDIENCE_EXAMPLES", "500" if os.environ.get("CI") == "true" else "100"
    )
)


def readable(files: dict[str, bytes]) -> bytes:
    """Every path and every byte of *files*, as one text to search: calendar lines
    unfolded (RFC 5545 folds at 75 octets, which could split a marker)."""
    joined = b"\n".join(path.encode() + b"\n" + data for path, data in sorted(files.items()))
    return joined.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")


def assert_no_leak(files: dict[str, bytes], audience: str, markers: Markers) -> None:
    text = readable(files)
    leaked = [m for m in markers.hidden_from(audience) if m.encode() in text]
    meant = [{**markers.seen_by, **markers.own}[m] for m in leaked]
    assert leaked == [], f"{audience} sees {leaked} (meant for {meant})"
    missing = [m for m in markers.shown_to(audience) if m.encode() not in text]
    assert missing == [], f"{audience} misses {missing}"


@pytest.fixture(scope="module")
def cache() -> RenderCache:
    """One render cache for every site and audience (as `serve` keeps one between builds):
    compiled templates are the bulk of a small build; sharing it also tests that nothing
    cached for one audience's site shows on another's."""
    return RenderCache()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plans())
def test_no_audience_sees_what_it_may_not_and_each_sees_all_it_may(
    cache: RenderCache, plan: Plan
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        markers = write_site(root, plan)
        site, problems = load_site(root)
        assert site is not None, [str(p) for p in problems.errors]
        for audience in AUDIENCES:
            files = build(view(site, audience), at(NOW), cache)
            assert_no_leak(files, audience, markers)
