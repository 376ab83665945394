"""Nothing is cut off or scrolled out of view at 1280 and 390 px, even with the Jenkins
history imported (92 components, 297 incidents): no visible element reaches past either
side of the viewport, and a phone never has to zoom out to fit the page. And on phones
320 and 390 px wide, a site made to be hard (long names, groups in trouble, titles with
URLs and words longer than the screen, in English and German) keeps every element and
line of text inside its card and the screen, and its buttons off the screen's edges."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.commands.main import cli

from ..conftest import SiteDir
from ..support.cstate_corpus import CORPUS, corpus_only
from ..support.servers import serving
from .conftest import run_browser_check

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def jenkins_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The Jenkins corpus imported with `statuspage import cstate`, built, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("jenkins")
    runner = CliRunner()
    imported = runner.invoke(
        cli,
        [
            "import",
            "cstate",
            str(CORPUS),
            "--into",
            str(root / "src"),
            "--now",
            "2026-06-10 00:00 UTC",
        ],
    )
    assert imported.exit_code == 0, imported.output
    built = runner.invoke(
        cli,
        [
            "build",
            "--source",
            str(root / "src"),
            "--out",
            str(root / "site"),
            "--now",
            "2026-07-01T00:00:00+00:00",
        ],
    )
    assert built.exit_code == 0, built.output
    with serving(root / "site") as url:
        yield url, root / "site"


@corpus_only
def test_no_element_overflows_the_viewport(jenkins_site: tuple[str, Path]) -> None:
    base, site = jenkins_site
    components = sorted(p.parent.name for p in site.glob("components/*/index.html"))
    assert len(components) > 90
    # The pages the issue measured, and the component pages with the longest names and the most incidents.
    busiest = sorted(
        components, key=lambda c: -(site / "components" / c / "index.html").stat().st_size
    )[:6]
    longest = sorted(components, key=len, reverse=True)[:4]
    incident = sorted(p.parent.name for p in site.glob("incidents/*/index.html"))[-1]
    paths = ["index.html", "history/", "history/2/", f"incidents/{incident}/",
             *(f"components/{c}/" for c in dict.fromkeys(busiest + longest))]  # fmt: skip
    results = run_browser_check("overflow", base, paths)
    assert {(r["path"], r["width"]) for r in results} == {
        (p, w) for p in paths for w in ("desktop", "phone")
    }
    assert all(r["elements"] > 50 for r in results)  # real pages, not error pages
    problems = [
        f"{r['path']} ({r['width']}): {r['offenders'][:5] or ''} page {r['scrollWidth']} px, viewport {r['innerWidth']} of {r['viewport']} px"
        for r in results
        if r["offenders"] or r["scrollWidth"] > r["viewport"] or r["innerWidth"] != r["viewport"]
    ]
    assert problems == []


LONG = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"
URL = "https://api.acme.example/v1/organizations/acme-incorporated/projects/everything/and/more"
HARD_CONFIG = f"""\
title: Acme Incorporated Worldwide Infrastructure and Platform Status
base_url: https://status.acme.example/
timezone: Europe/Berlin
languages: [en, de]
components:
  - id: api
    name: Public REST and GraphQL Application Programming Interface (Europe West)
    description: {URL}
  - group: Customer-facing Websites and Dashboards of the Enterprise Platform
    id: website
    components:
      - {{id: web, name: Marketing site with an exceptionally long descriptive component name}}
      - {{id: dashboard, name: Dashboard}}
  - group: Data
    id: data
    components:
      - {{id: db, name: Primary database}}
      - {{id: webhooks, name: {LONG}}}
  - group: Edge
    id: edge
    components:
      - {{id: cdn, name: Content delivery network}}
  - id: long
    name: {LONG}Service
"""
HARD_INCIDENTS = {
    "2026-11-20-long.md": f"""\
---
title: Elevated error rates and very slow responses on {URL}
impact: critical
components: {{api: major_outage, dashboard: degraded_performance, db: partial_outage, long: degraded_performance}}
---

## Investigating · 2026-11-20 14:02 +01:00
We are seeing errors on {URL}/segments and in the {LONG}.
""",
    "2026-11-19-word.md": f"""\
---
title: {LONG}sdirektionsbüro slow
impact: minor
components: {{webhooks: degraded_performance, cdn: major_outage}}
---

## Identified · 2026-11-19 14:02 +01:00
Found it.
""",
    # Resolved, with a postmortem: the header gains a fourth link ("Postmortems").
    "2026-11-10-old.md": f"""\
---
title: Slow sign-in for {URL}
impact: major
components: {{api: partial_outage}}
---

## Resolved · 2026-11-10 11:00 +01:00
Fixed.

## Investigating · 2026-11-10 10:00 +01:00
Looking into it.
""",
    "2026-11-10-old.postmortem.md": f"""\
---
published: 2026-11-12 10:00 +01:00
---

## Summary

The {LONG} was slow: see {URL}.
""",
}
HARD_PAGES = [
    "index.html", "incidents/2026-11-20-long/", "incidents/2026-11-19-word/",
    "incidents/2026-11-10-old/", "postmortems/",
    "components/long/", "components/website/", "history/", "subscribe/",
    "de/index.html", "de/incidents/2026-11-20-long/", "de/subscribe/",
]  # fmt: skip


@pytest.fixture(scope="module")
def hard_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hard site, at a moment with every group in trouble (degraded, partial, major), served."""
    site = SiteDir(tmp_path_factory.mktemp("hard") / "src", HARD_CONFIG)
    for name, text in HARD_INCIDENTS.items():
        site.incident(name, text)
    out = site.build("2026-11-20 15:00")
    with serving(out) as url:
        yield url


def test_on_phones_nothing_sticks_out_of_its_card_or_the_screen(hard_site: str) -> None:
    results = run_browser_check("phones", hard_site, HARD_PAGES)
    assert {(r["path"], r["width"]) for r in results} == {
        (p, w) for p in HARD_PAGES for w in (320, 390)
    }
    assert [
        (r["path"], r["elements"]) for r in results if r["elements"] <= 30
    ] == []  # real pages, not error pages
    problems = [
        f"{r['path']} ({r['width']} px): {r['offenders'][:4]} {r['tight']} page {r['scrollWidth']} px, layout {r['innerWidth']} px"
        for r in results
        if r["offenders"]
        or r["tight"]
        or r["scrollWidth"] > r["width"]
        or r["innerWidth"] != r["width"]
    ]
    assert problems == []
