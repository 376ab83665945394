"""The "Third-party services" section and a component's provider notes, in Chromium: axe
finds nothing on the front page and a component page with providers fresh (an outage, a
maintenance), stale and unknown, one of them with a hostile title and words longer than a
phone; nothing sticks out at 320 or 390 px; with JavaScript and CSS off it still reads."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ..conftest import CONFIG, SiteDir
from ..support.servers import serving
from .conftest import run_browser_check

pytestmark = pytest.mark.browser

LONG = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"
HOSTILE = f"<img src=x onerror=alert(1)>Hostile “Cloud” {LONG}"
UPSTREAM = f"""upstream:
  - id: github
    name: GitHub
    url: https://www.githubstatus.com/api/v2/summary.json
    components: [Actions, {LONG}]
    affects: [api]
  - id: hostile
    name: '{HOSTILE}'
    url: https://status.hostile.example/api/v2/summary.json
    affects: [api]
  - id: cloudflare
    name: Cloudflare
    url: https://www.cloudflarestatus.com/api/v2/summary.json
    stale_after: 1h
  - id: atlassian
    name: Atlassian
    url: https://status.atlassian.com/api/v2/summary.json
"""
PAGES = ["index.html", "components/api/"]


def snapshot(as_of: str, indicator: str, **more: object) -> str:
    data = {
        "as_of": as_of, "components": [], "format": 1, "incidents": [],
        "page_url": "https://status.example", "validators": {},
        "status": {"description": "", "indicator": indicator}, **more,
    }  # fmt: skip
    return json.dumps(data)


@pytest.fixture(scope="module")
def providers_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """GitHub fresh with an outage and a maintenance, a fresh hostile provider, Cloudflare
    stale, Atlassian never pulled; built and served on 127.0.0.1."""
    site = SiteDir(tmp_path_factory.mktemp("providers") / "src", CONFIG + UPSTREAM)
    folder = site.root / "upstream"
    folder.mkdir()
    github = snapshot(
        "2026-12-07T18:30:00Z", "major",
        components=[{"name": "Actions", "status": "major_outage", "url": None},
                    {"name": LONG, "status": "partial_outage", "url": None}],
        incidents=[{"name": f"Actions runs fail at {LONG} https://www.githubstatus.com/incidents/abcdefghijklmnopqrstuvwxyz",
                    "status": "major", "url": "https://stspg.io/abcd"}],
        maintenances=[{"name": f"Git Operations {LONG}", "in_progress": True, "starts": "2026-12-07T18:00:00Z",
                       "ends": "2026-12-07T22:00:00Z", "url": "https://stspg.io/m1"}],
    )  # fmt: skip
    hostile = snapshot(
        "2026-12-07T18:30:00Z", "critical",
        incidents=[{"name": f"<script>alert(1)</script>{LONG}{LONG}", "status": "critical", "url": "https://x.example/" + "a" * 300}],
    )  # fmt: skip
    (folder / "github.json").write_text(github)
    (folder / "hostile.json").write_text(hostile)
    (folder / "cloudflare.json").write_text(snapshot("2026-12-07T10:00:00Z", "none"))
    out = site.build("2026-12-07T20:00:00+01:00")
    with serving(out) as url:
        yield url


def test_axe_finds_no_violations_in_the_providers_section(providers_site: str) -> None:
    results = run_browser_check("axe", providers_site, PAGES)
    assert {(r["path"], r["scheme"], r["width"]) for r in results} == {
        (p, s, w) for p in PAGES for s in ("light", "dark") for w in ("desktop", "phone")
    }
    assert all(r["rules"] > 20 for r in results)
    violations = [
        f"{r['path']} ({r['scheme']}, {r['width']}): {v['id']}: {v['help']}: {[n['target'] for n in v['nodes']]}"
        for r in results
        for v in r["violations"]
    ]
    assert violations == []


def test_providers_fit_phones_320_and_390_px_wide(providers_site: str) -> None:
    results = run_browser_check("phones", providers_site, PAGES)
    assert {(r["path"], r["width"]) for r in results} == {(p, w) for p in PAGES for w in (320, 390)}
    assert all(r["elements"] > 30 for r in results)
    problems = [
        f"{r['path']} ({r['width']} px): {r['offenders'][:4]} {r['tight']} page {r['scrollWidth']} px, layout {r['innerWidth']} px"
        for r in results
        if r["offenders"]
        or r["tight"]
        or r["scrollWidth"] > r["width"]
        or r["innerWidth"] != r["width"]
    ]
    assert problems == []


def test_providers_read_without_javascript_or_css(providers_site: str) -> None:
    index, component = run_browser_check("nocss", providers_site, PAGES)
    for page in (index, component):
        assert not page["styled"] and not page["overflow"], page["path"]
    assert index["largestImage"] <= 16  # icons keep their size (a component page has its charts)
    text = index["text"]
    third = text.index("Third-party services")
    assert text.index("Components") < third
    order = [text.index(s, third) for s in ("GitHub", "Cloudflare", "Atlassian")]
    assert order == sorted(order)
    # The component that depends on GitHub says so on the front page too, before the section.
    assert text.index("May be affected: GitHub reports “Major outage” in Actions") < third
    assert "Partial System Outage" in text and "Major outage" in text
    assert (
        f"GitHub: scheduled maintenance of Git Operations {LONG} until Dec 7, 2026, 23:00 CET"
        in text
    )
    assert "Possibly out of date" in text and "Status unknown" in text
    assert HOSTILE in text and "<script>alert(1)</script>" in text  # shown as text, never run
    assert "May be affected: GitHub reports “Major outage” in Actions" in component["text"]
    assert f"GitHub: scheduled maintenance of Git Operations {LONG} until" in component["text"]
