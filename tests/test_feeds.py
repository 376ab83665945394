"""Atom and RSS feeds, read back with feedparser as a subscriber's reader would."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from statuspage.outputs import feeds
from statuspage.outputs.feeds import FeedEvent

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, at, parse_html, write

BASE = "https://status.test.example/sub/"
API = "2026-11-20-api-errors"


def shown(entry: feedparser.FeedParserDict) -> str:
    """A title as a reader shows it: feedparser marks RSS titles text/html, and readers
    render those as HTML; a title must then decode to its text, with no element in it."""
    detail = entry.title_detail
    if detail.type != "text/html":
        return str(detail.value)
    fragment = lxml_html.fragment_fromstring(detail.value, create_parent="div")
    assert len(fragment) == 0, detail.value  # no element: <b>, <img> stay text
    return str(fragment.text_content())


WEB_INCIDENT = """\
---
title: Dashboard <b>slow</b> & "sluggish"
impact: minor
components:
  dashboard: degraded_performance
---

## Identified · 2026-11-22 09:30 +01:00
A bad index. <script>alert(1)</script> <img src=x onerror=alert(1)>

## Investigating · 2026-11-22 09:00 +01:00
Pages load *slowly*.
"""

MAINTENANCE = """\
---
title: Database upgrade
maintenance:
  start: 2026-11-24 02:00
  end: 2026-11-24 03:00
components: [db]
---

## Scheduled · 2026-11-21 10:00 +01:00
We will upgrade the database.
"""


def parse(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def site(site_dir: SiteDir) -> SiteDir:
    site_dir.incident(f"{API}.md", EXAMPLE_INCIDENT)
    site_dir.incident("2026-11-22-dashboard.md", WEB_INCIDENT)
    site_dir.incident("2026-11-24-db-upgrade.md", MAINTENANCE)
    return site_dir


def test_one_entry_per_update_newest_first(site: SiteDir) -> None:
    out = site.build("2026-11-26 10:00")
    for name in ("history.atom", "history.rss"):
        feed = parse(out / name)
        assert [shown(e) for e in feed.entries] == [
            "Database upgrade — Completed",  # filled in by the clock at the window's end
            "Database upgrade — In progress",
            'Dashboard <b>slow</b> & "sluggish" — Identified',
            'Dashboard <b>slow</b> & "sluggish" — Investigating',
            "Database upgrade — Scheduled",
            "Elevated error rates on the API — Resolved",
            "Elevated error rates on the API — Monitoring",
            "Elevated error rates on the API — Investigating",
        ], name
        assert feed.feed.title == "Test Status"
        resolved = feed.entries[5]
        assert resolved.link == f"{BASE}incidents/{API}/#update-20261120t141000z"
    atom = parse(out / "history.atom")
    # `updated` is the newest entry's time, with its zone; not the build time.
    assert atom.feed.updated == "2026-11-24T03:00:00+01:00"
    assert [e.updated for e in atom.entries[-3:]] == [
        "2026-11-20T15:10:00+01:00",
        "2026-11-20T14:48:00+01:00",
        "2026-11-20T14:02:00+01:00",
    ]
    rss = parse(out / "history.rss")
    assert rss.feed.updated == "Tue, 24 Nov 2026 03:00:00 +0100"
    assert rss.entries[-1].published == "Fri, 20 Nov 2026 14:02:00 +0100"


def test_entry_links_reach_the_update_on_its_page(site: SiteDir) -> None:
    out = site.build("2026-11-26 10:00")
    for entry in parse(out / "history.atom").entries:
        assert entry.link.startswith(BASE)
        page, anchor = entry.link.removeprefix(BASE).split("#")
        doc = parse_html(out / page / "index.html")
        assert doc.cssselect(f"li#{anchor}.update"), entry.link


def test_content_is_the_sanitized_message_and_affected_components(site: SiteDir) -> None:
    out = site.build("2026-11-26 10:00")
    entries = {e.title: e for e in parse(out / "history.atom").entries}
    monitoring = entries["Elevated error rates on the API — Monitoring"]
    body = monitoring.content[0]
    assert body.type == "text/html"
    assert "<p>Error rates are dropping.</p>" in body.value
    assert "Affected components:</strong> Public API, Dashboard" in body.value
    assert "Public API: Degraded performance" in body.value  # the change this update made
    started = entries["Database upgrade — In progress"].content[0].value
    assert "The scheduled maintenance window has started." in started and "Database" in started
    # Sanitized before it left our hands, not only by the reader.
    raw = (out / "history.atom").read_bytes()
    hostile = etree.fromstring(raw).xpath(
        "//a:entry[contains(a:title, 'Identified')]/a:content/text()",
        namespaces={"a": "http://www.w3.org/2005/Atom"},
    )[0]
    assert "<script" not in hostile and "onerror" not in hostile
    investigating = parse(out / "history.rss").entries[3]
    assert "<p>Pages load <em>slowly</em>.</p>" in investigating.description


def test_titles_are_plain_text_never_markup(site: SiteDir) -> None:
    site.incident(
        "2026-11-23-evil.md",
        '---\ntitle: "<script>alert(1)</script> ]]> &amp;"\n---\n\n## Investigating · 2026-11-23 10:00\nx\n',
    )
    site.incident(
        "2026-11-24-img.md",
        '---\ntitle: "Fix <img src=x onerror=alert(1)>"\n---\n\n## Investigating · 2026-11-24 10:00\nx\n',
    )
    out = site.build("2026-11-26 10:00")
    for name in ("history.atom", "history.rss"):
        root = etree.fromstring((out / name).read_bytes())
        assert root.xpath("//*[local-name()='title']/*") == []  # no child elements: text only
        if name.endswith(".atom"):
            assert {t.get("type", "text") for t in root.xpath("//*[local-name()='title']")} == {
                "text"
            }
        titles = [shown(e) for e in parse(out / name).entries]
        assert "<script>alert(1)</script> ]]> &amp; — Investigating" in titles
        assert "Fix <img src=x onerror=alert(1)> — Investigating" in titles
        assert 'Dashboard <b>slow</b> & "sluggish" — Identified' in titles


def test_ids_survive_new_updates_new_incidents_and_a_new_base_url(site: SiteDir) -> None:
    def ids(out: Path) -> dict[str, str]:
        feed = parse(out / "history.atom")
        assert len({e.id for e in feed.entries}) == len(feed.entries)
        return {e.title: e.id for e in feed.entries}

    before = ids(site.build("2026-11-26 10:00"))
    # Pinned: a changed namespace or key format would re-send every entry to every subscriber.
    assert (
        before["Elevated error rates on the API — Resolved"]
        == "urn:uuid:1a5a0ece-d745-5a9c-9501-118129d15ad6"
    )
    rss = {shown(e): e.id for e in parse(site.root / "_site" / "history.rss").entries}
    assert rss == before  # RSS guid == Atom id: one entry, two formats

    path = site.root / "incidents" / "2026-11-22-dashboard.md"
    path.write_text(
        WEB_INCIDENT.replace(
            "---\n\n", "---\n\n## Resolved · 2026-11-22 11:00 +01:00\nFixed.\n\n", 1
        )
    )
    site.incident(
        "2026-11-25-other.md", "---\ntitle: Other\n---\n\n## Investigating · 2026-11-25 10:00\nx\n"
    )
    after = ids(site.build("2026-11-26 10:00"))
    assert (
        'Dashboard <b>slow</b> & "sluggish" — Resolved' in after
        and "Other — Investigating" in after
    )
    assert {t: after[t] for t in before} == before

    write(site.root / "statuspage.yaml", CONFIG.replace(BASE, "https://moved.example/"))
    out = site.build("2026-11-26 10:00")
    moved = parse(out / "history.atom")
    assert {e.title: e.id for e in moved.entries} == after
    assert all(e.link.startswith("https://moved.example/incidents/") for e in moved.entries)


def test_component_and_group_feeds_hold_only_their_incidents(site: SiteDir) -> None:
    out = site.build("2026-11-26 10:00")

    def incidents_in(component: str) -> set[str]:
        entries = parse(out / "components" / component / "history.atom").entries
        return {e.title.rsplit(" — ", 1)[0] for e in entries}

    assert incidents_in("api") == {"Elevated error rates on the API"}
    assert incidents_in("dashboard") == {
        "Elevated error rates on the API",
        'Dashboard <b>slow</b> & "sluggish"',
    }
    assert incidents_in("web") == set()
    assert incidents_in("db") == {"Database upgrade"}
    # A group covers its members (web, dashboard).
    assert incidents_in("website") == incidents_in("dashboard")
    group = parse(out / "components" / "website" / "history.rss")
    assert group.feed.title == "Test Status — Website"
    assert len(group.entries) == 5
    # A quiet component's feed is empty yet valid, and dated "never", not by the clock.
    quiet = parse(out / "components" / "web" / "history.atom")
    assert quiet.entries == [] and quiet.feed.updated == "1970-01-01T00:00:00+00:00"
    assert len(parse(out / "components" / "web" / "history.rss").entries) == 0


def test_unchanged_site_gives_byte_identical_feeds(site: SiteDir, tmp_path: Path) -> None:
    a = site.build("2026-11-26 10:00", tmp_path / "a")
    b = site.build("2026-11-27 18:00", tmp_path / "b")  # later, but nothing new was published
    names = sorted(p.relative_to(a) for p in a.rglob("*.atom")) + sorted(
        p.relative_to(a) for p in a.rglob("*.rss")
    )
    assert len(names) == 2 * (1 + 4 + 1)  # site, four components, one group
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    raw = (a / "history.rss").read_text()
    assert "feedgen" not in raw and "2026-11-26" not in raw and "26 Nov 2026" not in raw


def test_future_updates_stay_out_until_their_time(site: SiteDir) -> None:
    out = site.build("2026-11-20 14:50")
    titles = [e.title for e in parse(out / "history.atom").entries]
    assert titles == [
        "Elevated error rates on the API — Monitoring",
        "Elevated error rates on the API — Investigating",
    ]


def test_feed_limit_keeps_the_newest(site: SiteDir) -> None:
    write(site.root / "statuspage.yaml", CONFIG + "feed_limit: 3\n")
    out = site.build("2026-11-26 10:00")
    titles = [shown(e) for e in parse(out / "history.rss").entries]
    assert titles == [
        "Database upgrade — Completed",
        "Database upgrade — In progress",
        'Dashboard <b>slow</b> & "sluggish" — Identified',
    ]
    assert len(parse(out / "components" / "dashboard" / "history.atom").entries) == 3


def test_every_page_advertises_the_feeds(site: SiteDir) -> None:
    out = site.build("2026-11-26 10:00")
    # The embed/ widgets are not pages of the site but one line for other sites' iframes.
    pages = [
        p
        for p in out.rglob("*.html")
        if p.name != "404.html" and p.relative_to(out).parts[0] != "embed"
    ]
    assert len(pages) >= 5
    for page in pages:
        doc = parse_html(page)
        links = {
            (link.get("type"), (page.parent / link.get("href")).resolve())
            for link in doc.cssselect("head link[rel=alternate]")
        }
        assert ("application/atom+xml", (out / "history.atom").resolve()) in links, page
        assert ("application/rss+xml", (out / "history.rss").resolve()) in links, page
        assert ("text/calendar", (out / "maintenance.ics").resolve()) in links, page
    incident = parse_html(out / "incidents" / API / "index.html")
    component_feeds = [
        link.get("href")
        for link in incident.cssselect("head link[rel=alternate]")
        if "/components/" in link.get("href")
    ]
    assert component_feeds == [
        "../../components/api/history.atom",
        "../../components/dashboard/history.atom",
    ]
    footer = [
        a.get("href") for a in parse_html(out / "index.html").cssselect("footer .subscribe a")
    ]
    assert footer == ["history.atom", "history.rss", "maintenance.ics"]


def test_a_new_kind_of_event_is_one_source_away(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extension point later features (published postmortems) use."""

    def postmortems(snapshot, cache):  # type: ignore[no-untyped-def]
        incident = snapshot.site.incident(API)
        yield FeedEvent(incident, at("2026-11-21 12:00"), f"{incident.id}/postmortem", f"{incident.title} — Postmortem",
                        "<p>What happened</p>", "postmortem", frozenset({"api"}))  # fmt: skip

    monkeypatch.setattr(feeds, "EVENT_SOURCES", (*feeds.EVENT_SOURCES, postmortems))
    out = site.build("2026-11-26 10:00")
    titles = [e.title for e in parse(out / "components" / "api" / "history.atom").entries]
    assert titles == [
        "Elevated error rates on the API — Postmortem",
        "Elevated error rates on the API — Resolved",
        "Elevated error rates on the API — Monitoring",
        "Elevated error rates on the API — Investigating",
    ]
