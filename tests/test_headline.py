"""The headline (banner, favicon, badge, widgets, link previews) says what is broken now:
it never contradicts the component list, while the v2 API keeps the hosted rule."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from statuspage.outputs import badges
from statuspage.state import status as st

from .conftest import SiteDir, at, parse_html, text_of
from .support.alert_sites import KUMA_CONFIG, AlertSite, fixture
from .support.badges import parse_badge

CONFIG = """\
title: Acme Status
base_url: https://status.acme.example/
timezone: Europe/Berlin
components:
  - {id: api, name: Public API}
  - {id: website, name: Website}
"""
# A monitor opened it with the website down; when the monitor recovered it moved to
# `monitoring` with the website operational again, and nobody has resolved it yet.
RECOVERED = """\
---
title: Website unreachable
impact: critical
components:
  website: major_outage
---

## Monitoring · 2026-11-20 14:40
Components: website=operational

The website answers again; we are watching it.

## Investigating · 2026-11-20 14:02
The website does not answer.
"""
# An incident that names no component: only its impact says how bad it is.
UNNAMED = """\
---
title: Payments delayed at our bank
impact: major
---

## Monitoring · 2026-11-20 14:40
The bank says it is fixed; we are watching.

## Investigating · 2026-11-20 14:02
Payments take hours to arrive.
"""
OUTAGE, MENDED = "2026-11-20 14:20", "2026-11-20 14:50"
RECOVERING = "All Systems Operational — Recovering"
SVG = "{http://www.w3.org/2000/svg}"


def favicon_colour(out: Path) -> str:
    return etree.fromstring((out / "favicon.svg").read_bytes()).find(f"{SVG}circle").get("fill")


def headline(out: Path) -> dict[str, object]:
    """Every place the built site summarises itself, as a reader or a client gets it."""
    index = parse_html(out / "index.html")
    widget = parse_html(out / "embed" / "index.html")
    subscribe = parse_html(out / "subscribe" / "index.html")
    endpoint = json.loads((out / "api" / "badge.json").read_text())
    badge = parse_badge(out / "badge.svg")
    return {
        "banner": text_of(index.cssselect("#overall")[0]),
        "banner_class": index.cssselect("section.banner")[0].get("class"),
        "components": {
            text_of(li.cssselect(".name")[0]): text_of(li.cssselect(".status")[0])
            for li in index.cssselect("li.component")
        },
        "title": text_of(index.cssselect("title")[0]),
        "og_title": index.cssselect('meta[property="og:title"]')[0].get("content"),
        "og_description": {
            page: parse_html(out / page)
            .cssselect('meta[property="og:description"]')[0]
            .get("content")
            for page in ("index.html", "history/index.html", "subscribe/index.html", "404.html")
        },
        "favicon_link": index.cssselect('link[rel="icon"]')[0].get("href"),
        "favicon": favicon_colour(out),
        "badge": (badge["texts"][1], badge["colour"], badge["title"]),
        "badge_json": (endpoint["message"], endpoint["color"]),
        "subscribe_alt": subscribe.cssselect('img[src$="badge.svg"]')[0].get("alt"),
        "widget": text_of(widget.cssselect("main")[0]),
        "widget_title": text_of(widget.cssselect("title")[0]),
        "widget_class": widget.cssselect("main")[0].get("class"),
    }


def test_an_incident_whose_components_work_again_reads_recovering_everywhere(
    site_dir: SiteDir,
) -> None:
    site = SiteDir(site_dir.root, CONFIG)
    site.incident("2026-11-20-website.md", RECOVERED)

    down = headline(site.build(OUTAGE, site.root / "down"))
    assert down["components"] == {"Public API": "Operational", "Website": "Major outage"}
    assert (down["banner"], down["banner_class"]) == ("Major System Outage", "banner b-critical")
    assert down["badge"] == ("major outage", badges.RED, "Acme Status: Major System Outage")
    assert down["favicon"] == badges.RED

    out = site.build(MENDED, site.root / "mended")
    shown = headline(out)
    assert shown["components"] == {"Public API": "Operational", "Website": "Operational"}
    assert shown == {
        **shown,
        "banner": RECOVERING,
        "banner_class": "banner b-none",
        "title": "Acme Status",
        "og_title": RECOVERING,
        "og_description": dict.fromkeys(shown["og_description"], RECOVERING),
        "favicon_link": "favicon.svg?s=none",
        "favicon": badges.GREEN,
        "badge": ("recovering", badges.GREEN, f"Acme Status: {RECOVERING}"),
        "badge_json": ("recovering", badges.GREEN.removeprefix("#")),
        "subscribe_alt": RECOVERING,
        "widget": f"{RECOVERING} View status",
        "widget_title": f"Acme Status: {RECOVERING}",
        "widget_class": "widget b-none",
    }
    # The incident is still open and listed, in `monitoring`.
    index = parse_html(out / "index.html")
    assert "Website unreachable" in text_of(index.cssselect("#active-h")[0].getparent())

    # embed.js colours its banner from summary.json's components (all operational), while
    # the v2 indicator keeps Atlassian's rule: an unresolved incident counts at its impact.
    summary = json.loads((out / "api" / "v2" / "summary.json").read_text())
    (incident,) = summary["incidents"]
    assert (incident["status"], incident["impact"]) == ("monitoring", "critical")
    assert [c["status"] for c in incident["components"]] == ["operational"]
    assert summary["status"] == {"indicator": "critical", "description": "Major Service Outage"}
    root = json.loads((out / "status.json").read_text())
    assert (root["indicator"], root["description"]) == ("critical", "Major Service Outage")
    assert root["headline"] == {"indicator": "none", "recovering": True, "description": RECOVERING}


def test_uptime_kuma_down_then_up_reads_recovering(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", KUMA_CONFIG)
    assert site.alert("uptime-kuma", fixture("uptime-kuma-down.json")).exit_code == 0
    assert headline(site.view()["out"])["banner"] == "Partial System Outage"
    assert site.alert("uptime-kuma", fixture("uptime-kuma-up.json")).exit_code == 0
    view = site.view()
    assert set(view["components"].values()) == {"Operational"}
    # The title is the stock one: the monitor's own words stay off the page.
    assert view["incidents"] == [("Problems affecting Marketing site", "monitoring")]
    shown = headline(view["out"])
    assert (shown["banner"], shown["badge"][0], shown["favicon"]) == (
        RECOVERING,
        "recovering",
        badges.GREEN,
    )
    assert shown["widget"] == f"{RECOVERING} View status"


def test_an_incident_naming_no_component_drives_the_headline_by_its_impact(
    site_dir: SiteDir,
) -> None:
    site = SiteDir(site_dir.root, CONFIG)
    site.incident("2026-11-20-payments.md", UNNAMED)
    for now in (OUTAGE, MENDED):  # investigating, then monitoring: its impact holds
        out = site.build(now, site.root / now[-5:].replace(":", ""))
        shown = headline(out)
        assert shown["components"] == {"Public API": "Operational", "Website": "Operational"}
        assert (shown["banner"], shown["banner_class"]) == (
            "Partial System Outage",
            "banner b-major",
        )
        assert shown["badge"][:2] == ("partial outage", badges.ORANGE)
        assert shown["favicon"] == badges.ORANGE
        assert shown["widget"] == "Partial System Outage View status"
        summary = json.loads((out / "api" / "v2" / "summary.json").read_text())
        assert summary["status"]["indicator"] == "major"


def test_what_is_broken_elsewhere_outranks_recovering(site_dir: SiteDir) -> None:
    site = SiteDir(site_dir.root, CONFIG)
    site.incident("2026-11-20-website.md", RECOVERED)
    site.incident(
        "2026-11-20-api.md",
        "---\ntitle: Slow API\ncomponents:\n  api: degraded_performance\n---\n\n"
        "## Identified · 2026-11-20 14:30\nA slow query.\n",
    )
    loaded = site.load()
    now = st.headline(loaded.config, loaded.incidents, at(MENDED))
    assert (now.indicator.word, now.recovering, now.banner) == (
        "minor",
        False,
        "Minor Service Disruption",
    )
    assert st.page_status(loaded.config, loaded.incidents, at(MENDED)).indicator.word == "critical"


def test_an_incident_that_never_broke_anything_is_not_recovering(site_dir: SiteDir) -> None:
    site = SiteDir(site_dir.root, CONFIG)
    site.incident(
        "2026-11-20-reports.md",
        "---\ntitle: Looking into reports\nimpact: none\ncomponents:\n  website: operational\n---\n\n"
        "## Investigating · 2026-11-20 14:30\nA few readers report slow pages; we see nothing yet.\n",
    )
    loaded = site.load()
    now = st.headline(loaded.config, loaded.incidents, at(MENDED))
    assert (now.word, now.banner) == ("none", "All Systems Operational")


def test_the_headline_in_another_language(site_dir: SiteDir) -> None:
    site = SiteDir(site_dir.root, CONFIG + "language: de\n")
    site.incident("2026-11-20-website.md", RECOVERED)
    out = site.build(MENDED)
    expected = "Alle Systeme wieder betriebsbereit — wird beobachtet"
    assert text_of(parse_html(out / "index.html").cssselect("#overall")[0]) == expected
    assert text_of(parse_html(out / "embed" / "index.html").cssselect("h1")[0]) == expected
    assert parse_badge(out / "badge.svg")["texts"][1] == "recovering"  # badges stay English


def test_a_rebuild_over_the_outage_shows_the_recovery_on_every_page(site_dir: SiteDir) -> None:
    """Pages reused by an incremental build are keyed on what the headline says."""
    site = SiteDir(site_dir.root, CONFIG)
    site.incident("2026-11-20-website.md", RECOVERED)
    out, cold = site.root / "out", site.root / "cold"
    assert site.run("build", "--out", str(out), "--now", OUTAGE).exit_code == 0
    assert site.run("build", "--out", str(out), "--now", MENDED).exit_code == 0
    assert site.run("build", "--out", str(cold), "--now", MENDED, "--no-cache").exit_code == 0
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert all((out / p).read_bytes() == (cold / p).read_bytes() for p in files)
    assert (
        headline(out)["subscribe_alt"]
        == headline(out)["widget_title"].split(": ", 1)[1]
        == RECOVERING
    )


def test_a_site_template_written_against_page_status_gets_the_headline(site_dir: SiteDir) -> None:
    site = SiteDir(site_dir.root, CONFIG)
    site.incident("2026-11-20-website.md", RECOVERED)
    own = site.root / "site-templates" / "index.html"
    own.parent.mkdir()
    own.write_text(
        '{% extends "default/index.html" %}\n'
        "{% block og_title %}{{ _(BANNER[page_status.indicator]) }} | {{ page_status.description }}{% endblock %}\n",
        encoding="utf-8",
    )
    index = parse_html(site.build(MENDED) / "index.html")
    og_title = index.cssselect('meta[property="og:title"]')[0].get("content")
    assert og_title == f"All Systems Operational | {RECOVERING}"
