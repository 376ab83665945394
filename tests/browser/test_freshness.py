"""Freshness in headless Chromium, with the browser's clock moved: a page older than
`stale_after:` says it may be out of date; while an incident is open, a newer build on the
server brings a polite notice with a button to reload, never a reload by itself."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ..conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, at
from ..support.servers import serving
from .conftest import CHROMIUM, HERE, NODE_MODULES, require

pytestmark = pytest.mark.browser

# The example incident, still open at BUILT.
OPEN = (
    EXAMPLE_INCIDENT.split("## Resolved")[0]
    + "## Investigating"
    + EXAMPLE_INCIDENT.split("## Investigating")[1]
)
BUILT = "2026-11-20 14:50"  # Europe/Berlin: 13:50 UTC
ID = "2026-11-20-api-errors"


def iso(text: str, minutes: int = 0) -> str:
    return (at(text) + timedelta(minutes=minutes)).isoformat()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """(URL, served folder, a later build's folder): the site with the incident open, built
    at BUILT; the same site after one more update, built 20 minutes later."""
    tmp = tmp_path_factory.mktemp("fresh")
    site = SiteDir(tmp / "src", CONFIG)
    site.incident(f"{ID}.md", OPEN)
    served = site.build(BUILT, tmp / "served")
    update = "## Identified · 2026-11-20 15:05 +01:00\nA bad deploy.\n\n## Investigating"
    site.incident(f"{ID}.md", OPEN.replace("## Investigating", update))
    later = site.build("2026-11-20 15:10", tmp / "later")
    with serving(served) as url:
        yield url, served, later


def visit(*specs: dict[str, object]) -> list[dict]:
    require(shutil.which("node") is not None, "Node.js")
    require((NODE_MODULES / "playwright-core").is_dir(), "playwright-core (npm)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    done = subprocess.run(
        ["node", str(HERE / "freshness.cjs"), json.dumps(specs)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    reports: list[dict] = json.loads(done.stdout)
    for report in reports:
        assert report["errors"] == [] and report["csp"] == [], report
    return reports


def test_an_old_page_says_it_may_be_out_of_date(sites: tuple[str, Path, Path]) -> None:
    base, _, _ = sites
    page = base + "index.html"
    fresh, old, left_open, no_js = visit(
        {"url": page, "clock": iso(BUILT, 29)},
        {"url": page, "clock": iso(BUILT, 31)},
        # Opened while fresh and left open: it says so once the half hour has passed.
        {"url": page, "clock": iso(BUILT, 10), "wait": 25 * 60_000},
        {"url": page, "clock": iso(BUILT, 31), "javaScript": False},
    )
    assert not fresh["stale"]["visible"]
    assert old["stale"] == {
        "visible": True,
        "text": "This page may be out of date: it was last updated at Nov 20, 2026, 14:50 CET.",
        "live": True,  # in the polite live region: heard when it appears on a page left open
    }
    assert not left_open["loaded"]["stale"]["visible"] and left_open["stale"]["visible"]
    # Without JavaScript: no notice, the build time still in the footer.
    assert not no_js["stale"]["visible"]
    assert "Page generated at Nov 20, 2026, 14:50 CET." in no_js["footer"]
    for report in (fresh, old, left_open):
        assert report["axe"] == [], report["axe"]


def test_a_newer_build_is_announced_and_reloads_only_when_asked(
    sites: tuple[str, Path, Path],
) -> None:
    base, served, later = sites
    summary = "api/v2/summary.json"
    (report,) = visit(
        {
            "url": base + f"incidents/{ID}/",
            "clock": iso(BUILT, 1),
            "wait": 60_000,
            "publish": [str(later / summary), str(served / summary)],
            "reload": True,
        }
    )
    # Unchanged summary: nothing said; once the newer build is published: a polite notice.
    assert report["fetches"] >= 2
    assert not report["before"]["newer"]["visible"]
    assert report["newer"] == {
        "visible": True, "text": "This page has been updated. Reload", "live": True
    }  # fmt: skip
    assert report["axe"] == [], report["axe"]
    assert report["reloaded"] == {"url": base + f"incidents/{ID}/", "fresh": True}


def test_a_calm_page_asks_nothing_of_the_server(sites: tuple[str, Path, Path]) -> None:
    """A resolved incident's page carries no script (it is not `live`); the front page of a
    calm site has no notice to show but staleness, and fetches nothing."""
    base, served, _ = sites
    calm = SiteDir(served.parent / "calm", CONFIG)
    calm.incident(f"{ID}.md", EXAMPLE_INCIDENT)
    calm.build("2026-11-20 16:00", served / "calm")
    (report,) = visit(
        {"url": base + "calm/index.html", "clock": iso("2026-11-20 16:00", 5), "wait": 180_000}
    )
    assert report["fetches"] == 0 and report["newer"] is None
    assert not report["stale"]["visible"]
