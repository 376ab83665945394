"""The built HTML pages, parsed as a reader's browser would see them."""

from __future__ import annotations

from pathlib import Path

import pytest

from statuspage.outputs.freshness import SCRIPT, SCRIPT_HASH
from statuspage.pipeline.writer import OutputError

from .conftest import EXAMPLE_INCIDENT, REPO, SiteDir, parse_html, text_of, write

ACTIVE = """\
---
title: Webhooks <b>delayed</b>
impact: minor
components:
  web: degraded_performance
---

## Investigating · 2026-11-25 16:40 +01:00
Deliveries are *late*. <script>alert(1)</script>
"""


@pytest.fixture
def built(site_dir: SiteDir) -> Path:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    site_dir.incident("2026-11-25-webhooks.md", ACTIVE)
    return site_dir.build("2026-11-26 10:00")


def test_index_shows_status_components_and_incidents(built: Path) -> None:
    doc = parse_html(built / "index.html")
    assert doc.get("lang") == "en"
    assert text_of(doc.cssselect("h1")[0]) == "Minor Service Disruption"
    rows = {text_of(li.cssselect(".name")[0]): text_of(li.cssselect(".status")[0]) for li in doc.cssselect("li.component")}
    assert rows == {"Public API REST endpoints": "Operational", "Marketing site": "Degraded performance", "Dashboard": "Operational", "Database": "Operational"}
    group = doc.cssselect("li.group details")[0]
    assert group.get("open") is not None  # a degraded group opens itself
    assert text_of(group.cssselect("summary")[0]) == "Website Degraded performance"
    active = doc.cssselect("section[aria-labelledby=active-h] article")
    assert len(active) == 1
    link = active[0].cssselect("h3 a")[0]
    assert link.text_content() == "Webhooks <b>delayed</b>"  # escaped, not markup
    assert link.get("href") == "incidents/2026-11-25-webhooks/index.html"
    # Past 14 days, by day, with quiet days saying so: those since the site's start (no
    # `start_date:`, so its earliest incident's day, Nov 20).
    days = doc.cssselect(".day")
    assert len(days) == 7
    assert text_of(days[0].cssselect("h3")[0]) == "November 26, 2026"
    assert text_of(days[0]) .endswith("No incidents reported.")
    nov20 = next(d for d in days if "November 20" in text_of(d))
    assert "Elevated error rates on the API" in text_of(nov20)


def test_incident_page_timeline(built: Path) -> None:
    doc = parse_html(built / "incidents" / "2026-11-20-api-errors" / "index.html")
    assert text_of(doc.cssselect("h1")[0]) == "Elevated error rates on the API"
    updates = doc.cssselect("ol.timeline > li")
    assert [text_of(u.cssselect("h3 .status")[0]) for u in updates] == ["Resolved", "Monitoring", "Investigating"]
    times = [u.cssselect("time")[0] for u in updates]
    assert times[0].get("datetime") == "2026-11-20T15:10:00+01:00"
    assert text_of(times[0]) == "Nov 20, 2026, 15:10 CET"
    assert updates[2].cssselect(".body strong")[0].text == "elevated"
    summary = {text_of(dt): text_of(dd) for dt, dd in zip(doc.cssselect("dl.summary dt"), doc.cssselect("dl.summary dd"), strict=True)}
    assert summary["Duration"] == "1 hr 8 min"
    assert summary["Duration"] and [text_of(li) for li in doc.cssselect(".affected-list li")] == ["Public API Partial outage", "Dashboard Degraded performance"]
    assert "Components" not in text_of(updates[1].cssselect(".body")[0])
    assert text_of(updates[1].cssselect(".changes")[0]) == "Public API: Degraded performance"


def test_markdown_is_sanitized(built: Path) -> None:
    page = built / "incidents" / "2026-11-25-webhooks" / "index.html"
    doc = parse_html(page)
    assert [script.text for script in doc.cssselect("script")] == [SCRIPT]  # the page's own
    assert doc.cssselect(".timeline .body em")[0].text == "late"


def test_links_are_relative_so_sub_paths_and_disk_work(built: Path) -> None:
    for page in built.rglob("*.html"):
        if page.name == "404.html":
            continue
        doc = parse_html(page)
        for element in doc.cssselect("a[href], link[rel=stylesheet]"):
            href = element.get("href")
            if href.startswith(("http://", "https://", "#", "mailto:")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(built)} links to missing {href}"
    canonical = parse_html(built / "incidents/2026-11-20-api-errors/index.html").cssselect("link[rel=canonical]")[0]
    assert canonical.get("href") == "https://status.test.example/sub/incidents/2026-11-20-api-errors/"


def test_history_is_paged(site_dir: SiteDir) -> None:
    write(site_dir.root / "statuspage.yaml", (site_dir.root / "statuspage.yaml").read_text() + "history_per_page: 2\n")
    for day in range(1, 6):
        site_dir.incident(f"2026-10-0{day}-x.md", f"---\ntitle: Incident {day}\n---\n\n## Resolved · 2026-10-0{day} 11:00\nok\n\n## Investigating · 2026-10-0{day} 10:00\nx\n")
    out = site_dir.build("2026-11-26 10:00")

    def titles(page: str) -> list[str]:
        return [a.text for a in parse_html(out / page).cssselect(".history-list a")]

    # Cut from the oldest: full pages of 2, and page 1 takes the newest remainder too.
    first = parse_html(out / "history" / "index.html")
    assert titles("history/index.html") == ["Incident 5", "Incident 4", "Incident 3"]
    assert text_of(first.cssselect(".month h2")[0]) == "October 2026"
    assert first.cssselect("a[rel=next]")[0].get("href") == "../history/2/index.html"
    assert titles("history/2/index.html") == ["Incident 2", "Incident 1"]
    assert not (out / "history" / "3").exists()

    # A sixth incident fills a new page: every page moves up one number.
    def resolved(day: int) -> str:
        return f"---\ntitle: Incident {day}\n---\n\n## Resolved · 2026-10-0{day} 11:00\nok\n\n## Investigating · 2026-10-0{day} 10:00\nx\n"

    site_dir.incident("2026-10-06-x.md", resolved(6))
    out = site_dir.build("2026-11-26 10:00")
    assert [titles(p) for p in ("history/index.html", "history/2/index.html", "history/3/index.html")] == [
        ["Incident 6", "Incident 5"], ["Incident 4", "Incident 3"], ["Incident 2", "Incident 1"]
    ]
    older = {p: (out / p).read_bytes() for p in ("history/2/index.html", "history/3/index.html")}
    # A seventh joins page 1 and leaves every other page as it was, byte for byte.
    site_dir.incident("2026-10-07-x.md", resolved(7))
    out = site_dir.build("2026-11-26 10:00")
    assert titles("history/index.html") == ["Incident 7", "Incident 6", "Incident 5"]
    assert {p: (out / p).read_bytes() for p in older} == older


def test_no_javascript_but_the_freshness_script_and_strict_csp(built: Path) -> None:
    for page in built.rglob("*.html"):
        doc = parse_html(page)
        scripts = [script.text for script in doc.cssselect("script")]
        assert scripts in ([], [SCRIPT]), page
        csp = doc.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
        assert "default-src 'none'" in csp
        assert ("script-src" in csp) == bool(scripts), page
        assert "script-src" not in csp or f"script-src '{SCRIPT_HASH}';" in csp, page


def test_user_template_overrides_one_block(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    write(site_dir.root / "site-templates" / "404.html", '{% extends "default/404.html" %}{% block main %}<h1>Lost?</h1>{% endblock %}')
    out = site_dir.build("2026-11-26 10:00")
    assert text_of(parse_html(out / "404.html").cssselect("h1")[0]) == "Lost?"
    assert text_of(parse_html(out / "index.html").cssselect("h1")[0]) == "All Systems Operational"


def test_own_uptime_template_sees_the_page_it_is_in(site_dir: SiteDir) -> None:
    # The default strip is made once and shown on several pages; a site's own may read
    # anything the including page has (its root, the front page's loop variables).
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    write(site_dir.root / "site-templates" / "_uptime.html",
          '<p class="own-bars">{{ uptime.id }}|{{ root }}|'
          '{{ member.component.id if member is defined else '
          'row.component.id if row is defined else "-" }}</p>')  # fmt: skip
    out = site_dir.build("2026-11-26 10:00")
    front = [text_of(p).split("|") for p in parse_html(out / "index.html").cssselect("p.own-bars")]
    assert sorted(shown for shown, _, _ in front) == ["api", "dashboard", "db", "web", "website"]
    assert all(looped == shown for shown, _, looped in front), front
    component = parse_html(out / "components" / "api" / "index.html").cssselect("p.own-bars")
    assert [text_of(p) for p in component] == ["api|../../|api"]


def test_build_refuses_to_clobber_sources(site_dir: SiteDir) -> None:
    with pytest.raises(OutputError):
        site_dir.build("2026-11-26 10:00", out=site_dir.root)
    foreign = site_dir.root.parent / "foreign"
    write(foreign / "keep.txt", "mine")
    result = site_dir.run("build", "--out", str(foreign))
    assert result.exit_code == 1 and "not made by `statuspage build`" in result.output
    assert (foreign / "keep.txt").read_text() == "mine"


def test_failed_build_keeps_the_last_good_site(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    out = site_dir.build("2026-11-26 10:00")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    site_dir.incident("2026-11-21-bad.md", "---\ntitle: Bad\nimpact: huge\n---\n")
    result = site_dir.run("build", "--now", "2026-11-26 11:00")
    assert result.exit_code == 1
    assert "incidents/2026-11-21-bad.md:3: unknown impact 'huge'" in result.output
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # No staging folder or journal left behind (the build cache is meant to stay).
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".") and p.name != ".statuspage-cache"] == []


def test_same_now_gives_identical_output(site_dir: SiteDir, tmp_path: Path) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    site_dir.incident("2026-11-25-webhooks.md", ACTIVE)
    a = site_dir.build("2026-11-26 10:00", tmp_path / "a")
    b = site_dir.build("2026-11-26 10:00", tmp_path / "b")
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a == files_b
    assert not any(str(site_dir.root).encode() in data for data in files_a.values())


def test_this_repos_example_site_builds(tmp_path: Path) -> None:
    site = SiteDir.__new__(SiteDir)
    site.root = REPO
    assert site.problems() == []
    out = site.build("2026-11-26 10:00", tmp_path / "out")
    doc = parse_html(out / "index.html")
    assert doc.cssselect("section[aria-labelledby=active-h] article")
    assert doc.cssselect("section[aria-labelledby=upcoming-h] article")
