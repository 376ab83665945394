"""Uptime and reliability figures against values computed by hand for a small site.

The site is in UTC so the arithmetic stays readable (DST days: test_timezones.py).
Build instant 2026-06-30 12:00: the 90 days are Apr 2 - Jun 30, observed for
89 x 1440 + 720 = 128,880 minutes; `db` starts on Jun 1: 29 x 1440 + 720 = 42,480.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from statuspage.model import ComponentStatus
from statuspage.outputs.figures_json import uptime_blocks
from statuspage.outputs.metrics import metrics
from statuspage.state import uptime
from statuspage.state.snapshot import Snapshot

from .conftest import SiteDir, at, parse_html, text_of
from .support.uptime import METRICS_SCHEMA, table_rows

CONFIG = """\
title: Uptime
base_url: https://status.test.example/
timezone: UTC
components:
  - group: Stack
    id: stack
    components:
      - {id: api, name: API}
      - {id: db, name: Database, start_date: 2026-06-01}
  - id: web
    name: Website
"""

INCIDENTS = {
    # api: partial 10:00-12:00, overlapped by a major outage 11:00-11:30 -> 30 min major + 90 min partial, not 150.
    "2026-06-10-a.md": "---\ntitle: A\ncomponents:\n  api: partial_outage\n---\n\n## Resolved · 2026-06-10 12:00\nok\n\n## Investigating · 2026-06-10 10:00\nx\n",
    "2026-06-10-b.md": "---\ntitle: B\ncomponents:\n  api: major_outage\n---\n\n## Resolved · 2026-06-10 11:30\nok\n\n## Investigating · 2026-06-10 11:00\nx\n",
    # Degraded performance: shown, never downtime.
    "2026-06-20-c.md": "---\ntitle: C\ncomponents:\n  api: degraded_performance\n---\n\n## Resolved · 2026-06-20 09:00\nok\n\n## Investigating · 2026-06-20 08:00\nx\n",
    # Maintenance says partial_outage, but planned work counts as under_maintenance.
    "2026-06-25-d.md": "---\ntitle: D\nmaintenance:\n  start: 2026-06-25 01:00\n  end: 2026-06-25 03:00\ncomponents:\n  api: partial_outage\n---\n\n## Scheduled · 2026-06-20 10:00\nx\n",
    # Still open at `now`: 30 min major, then 90 min partial (today counts up to now).
    "2026-06-30-e.md": "---\ntitle: E\ncomponents:\n  api: major_outage\n---\n\n## Identified · 2026-06-30 10:30\nComponents: api=partial_outage\n\nbetter\n\n## Investigating · 2026-06-30 10:00\nx\n",
    # db: before its start_date (no data), then one minute of partial outage.
    "2026-05-20-f.md": "---\ntitle: F\ncomponents:\n  db: partial_outage\n---\n\n## Resolved · 2026-05-20 11:00\nok\n\n## Investigating · 2026-05-20 10:00\nx\n",
    "2026-06-15-g.md": "---\ntitle: G\ncomponents:\n  db: partial_outage\n---\n\n## Resolved · 2026-06-15 10:01\nok\n\n## Investigating · 2026-06-15 10:00\nx\n",
    # An older quarter, for the reliability figures.
    "2025-11-15-h.md": "---\ntitle: H\nimpact: minor\ncomponents:\n  web: degraded_performance\n---\n\n## Resolved · 2025-11-15 10:10\nok\n\n## Investigating · 2025-11-15 10:00\nx\n",
}
NOW = "2026-06-30 12:00"
NOW_UTC = at(NOW, ZoneInfo("UTC"))


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site", CONFIG)
    for name, text in INCIDENTS.items():
        site.incident(name, text)
    return site


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_uptime_by_hand(site: SiteDir) -> None:
    loaded = site.load()
    report = uptime.uptime_report(loaded.config, loaded.incidents, NOW_UTC)
    api, db, stack, web = report["api"], report["db"], report["stack"], report["web"]
    assert [d.day.isoformat() for d in (api.days[0], api.days[-1])] == ["2026-04-02", "2026-06-30"]
    assert len(api.days) == 90

    by_day = {d.day.isoformat(): d for d in api.days}
    assert by_day["2026-06-10"].status is ComponentStatus.MAJOR_OUTAGE
    assert by_day["2026-06-10"].durations == (
        (ComponentStatus.MAJOR_OUTAGE, minutes(30)),
        (ComponentStatus.PARTIAL_OUTAGE, minutes(90)),
    )
    assert by_day["2026-06-20"].durations == ((ComponentStatus.DEGRADED_PERFORMANCE, minutes(60)),)
    assert by_day["2026-06-25"].durations == ((ComponentStatus.UNDER_MAINTENANCE, minutes(120)),)
    assert by_day["2026-06-30"].durations == (
        (ComponentStatus.MAJOR_OUTAGE, minutes(30)),
        (ComponentStatus.PARTIAL_OUTAGE, minutes(90)),
    )
    assert by_day["2026-06-30"].observed == minutes(720)
    # (30 + 0.3 x 90) x 2 = 114 weighted minutes: 1 - 114 / 128,880 = 99.9115 %
    assert api.percent == 99.91

    # db: Apr 2 - May 31 have no data, so the May 20 outage is not counted anywhere.
    assert [d.has_data for d in db.days].index(True) == 60
    assert all(d.status is None and d.durations == () for d in db.days[:60])
    # 1 - 0.3 / 42,480 = 99.99929 %: rounded down, an outage never reads 100.00.
    assert db.percent == 99.99
    assert web.percent == 100.0

    # The group: at each instant its worst member; db's pre-start outage is not its group's either.
    assert stack.total(ComponentStatus.PARTIAL_OUTAGE) == minutes(181) and stack.total(
        ComponentStatus.MAJOR_OUTAGE
    ) == minutes(60)
    # 1 - (114 + 0.3) / 128,880 = 99.9113 %
    assert stack.percent == 99.91
    assert all(d.has_data for d in stack.days)


def day_items(component):
    """The bar items of a component, one entry per day (a run of k days repeated k times)."""
    items = []
    for li in component.cssselect(".bars > li"):
        span = next((int(c[1:]) for c in li.get("class").split() if c[0] == "n"), 1)
        items += [li] * span
    return items


def test_uptime_on_the_page_and_in_json(site: SiteDir) -> None:
    out = site.build(NOW)
    doc = parse_html(out / "index.html")
    figures = {}
    for li in doc.cssselect("li.component, li.group"):
        name = text_of(li.cssselect(".name")[0])
        figures[name] = text_of(li.cssselect(".uptime-legend .figure")[-1])
    assert figures == {
        "Stack": "99.91% uptime · 90 days",
        "API": "99.91% uptime · 90 days",
        "Database": "99.99% uptime · since Jun 1, 2026",  # its start_date: only 30 days
        "Website": "100.00% uptime · 90 days",
    }
    api = next(
        li for li in doc.cssselect("li.component") if text_of(li.cssselect(".name")[0]) == "API"
    )
    # Quiet days come as runs (class n<days>); each day with something to report is its own item.
    days = day_items(api)
    assert len(days) == 90
    assert days[-21].get("class") == "d-major_outage"
    assert text_of(days[-21]) == "Jun 10: Major outage, 30 min; Partial outage, 1 hr 30 min"
    assert text_of(days[-6]) == "Jun 25: Under maintenance, 2 hr"
    assert text_of(days[0]) == "Apr 2 – Jun 9: no incidents"
    assert days[0].get("class") == "d-operational n69"
    db = next(
        li
        for li in doc.cssselect("li.component")
        if text_of(li.cssselect(".name")[0]) == "Database"
    )
    assert [li.get("class").split()[0] for li in day_items(db)].count("d-nodata") == 60
    assert text_of(db.cssselect(".bars > li")[0]) == "Apr 2 – May 31: no data"
    # No inline styles anywhere (the CSP forbids them): colours come from classes.
    assert doc.xpath("//*[@style]") == [] and doc.cssselect("style") == []

    blocks = uptime_blocks(Snapshot(site.load(), NOW_UTC).uptime)
    assert set(blocks) == {"api", "db", "stack", "web"}
    assert blocks["api"]["percent"] == 99.91
    assert blocks["api"]["minutes"] == {
        "major_outage": 60,
        "partial_outage": 180,
        "degraded_performance": 60,
        "under_maintenance": 120,
    }
    assert blocks["db"]["days_with_data"] == 30
    assert blocks["db"]["daily"][0] == {"date": "2026-04-02", "status": None, "minutes": {}}
    assert blocks["api"]["daily"][-21] == {
        "date": "2026-06-10",
        "status": "major_outage",
        "minutes": {"major_outage": 30, "partial_outage": 90},
    }


def test_reliability_by_hand(site: SiteDir) -> None:
    out = site.build(NOW)
    data = json.loads((out / "api" / "metrics.json").read_text())
    jsonschema.validate(data, METRICS_SCHEMA)
    assert data["as_of"] == "2026-06-30T12:00:00+00:00"
    assert [(c["id"], c["percent"]) for c in data["uptime"]["components"]] == [
        ("api", 99.91),
        ("db", 99.99),
        ("web", 100.0),
    ]
    assert [q["quarter"] for q in data["quarters"]] == ["2026-Q2", "2026-Q1", "2025-Q4"]
    q2, q1, q4 = data["quarters"]
    # Q2, maintenance D left out: A major, B critical, C minor, E critical (open), F major, G major.
    assert q2["by_impact"] == {"critical": 2, "major": 3, "minor": 1, "none": 0}
    # Resolved: A 120, B 30, C 60, F 60, G 1 minutes -> 271 / 5 = 54.2 min.
    assert (q2["incidents"], q2["resolved"], q2["mttr_seconds"]) == (6, 5, 3252)
    components = {c["id"]: c for c in q2["components"]}
    assert (components["api"]["incidents"], components["api"]["mttr_seconds"]) == (
        4,
        70 * 60,
    )  # A, B, C (+E open)
    assert (components["db"]["incidents"], components["db"]["mttr_seconds"]) == (
        2,
        1830,
    )  # (60 + 1) / 2 min
    assert components["web"] == {
        "id": "web",
        "incidents": 0,
        "by_impact": {"critical": 0, "major": 0, "minor": 0, "none": 0},
        "resolved": 0,
        "mttr_seconds": None,
    }
    assert (q1["incidents"], q1["mttr_seconds"]) == (0, None)
    assert (q4["by_impact"]["minor"], q4["mttr_seconds"]) == (1, 600)
    assert metrics(Snapshot(site.load(), NOW_UTC)) == data

    # The history page's charts state the same figures in their tables (and <desc>).
    doc = parse_html(out / "history" / "index.html")
    incidents, mttr = (table_rows(t) for t in doc.cssselect("figure.chart .visually-hidden table"))
    # No month before the site's first (the earliest incident's, H's: no `start_date:`).
    assert len(incidents) == 8 and incidents[0][0] == "November 2025"
    # Month, incidents, critical, major, minor, none: F (major) in May; A, B, C, E, G in June.
    assert incidents[-2:] == [
        ["May 2026", "1", "0", "1", "0", "0"],
        ["June 2026", "5", "2", "2", "1", "0"],
    ]
    assert incidents[0] == ["November 2025", "1", "0", "0", "1", "0"]  # H
    assert mttr[-3:] == [
        ["Q4 2025", "10 min", "1"],
        ["Q1 2026", "—", "0"],
        ["Q2 2026", "54 min", "5"],
    ]
    assert len(mttr) == 3 and mttr[0][0] == "Q4 2025"  # none before the site's first quarter
    desc = text_of(doc.cssselect("#chart-mttr-d")[0])
    assert "Q2 2026: MTTR 54 min, Resolved 5" in desc

    # The per-component figures moved to the component pages (and the group's counts its members).
    def quarters(item: str) -> dict[str, list[str]]:
        page = parse_html(out / "components" / item / "index.html")
        return {row[0]: row[1:] for row in table_rows(page.cssselect("table.figures")[0])}

    assert quarters("api")["Q2 2026"] == ["4", "1 hr 10 min"]  # A, B, C (+E open)
    assert quarters("db")["Q2 2026"] == ["2", "30 min"]
    assert quarters("web") == {
        "Q2 2026": ["0", "—"],
        "Q1 2026": ["0", "—"],
        "Q4 2025": ["1", "10 min"],
    }
    assert quarters("stack")["Q2 2026"] == ["6", "54 min"]  # (120 + 30 + 60 + 60 + 1) / 5


def test_no_data_yet(tmp_path: Path) -> None:
    site = SiteDir(
        tmp_path / "site", CONFIG.replace("start_date: 2026-06-01", "start_date: 2026-08-01")
    )
    doc = parse_html(site.build(NOW) / "index.html")
    db = next(
        li
        for li in doc.cssselect("li.component")
        if text_of(li.cssselect(".name")[0]) == "Database"
    )
    assert text_of(db.cssselect(".figure")[0]) == "No data yet · 90 days"
    assert uptime_blocks(Snapshot(site.load(), NOW_UTC).uptime)["db"]["percent"] is None


def test_a_cut_uptime_axis_says_so_in_words_and_on_the_svg(site: SiteDir) -> None:
    # June's 99.7 % on an axis from 99 % to 100 %: a dip of 0.3 points draws a bar 30 % short.
    out = site.build(NOW)
    figure = parse_html(out / "components" / "api" / "index.html").cssselect("figure.chart")[0]
    note = "The axis runs from 99% to 100%, not from 0: small dips look deep."
    assert text_of(figure.cssselect(".chart-note")[0]) == note  # shown, under the chart
    assert text_of(figure.cssselect("desc")[0]).startswith(note + " ")  # and read with it
    # The SVG's own labels say the same: the baseline's tick is the axis's foot.
    svg = figure.cssselect("svg")[0]
    baseline = float(svg.cssselect("line.axis")[0].get("y1"))
    ticks = {float(t.get("y")): text_of(t) for t in svg.cssselect("text.tick")}
    assert (ticks[baseline], ticks[min(ticks)]) == ("99%", "100%")
    assert len(svg.cssselect("path.axis-cut")) == 1  # the cut axis's mark
    # An axis from 0 has neither: the incidents per month on the history page.
    history = parse_html(out / "history" / "index.html").cssselect("figure.chart")[0]
    assert not history.cssselect(".chart-note, path.axis-cut")
    assert "axis" not in text_of(history.cssselect("desc")[0])
