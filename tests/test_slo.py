"""SLOs, error budgets, ITIL priority and time to first update, against figures worked out by hand.

A window is exactly `slo_window_days` x 24 h ending at `now`: 30 days = 43,200 minutes,
7 days = 10,080 minutes, whatever the clocks do. Downtime is weighted as the day bars
weigh it: major outage 100 %, partial outage 30 %, degraded and maintenance 0 %.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from .conftest import SiteDir, parse_html, text_of
from .support.uptime import METRICS_SCHEMA

NOW = "2026-06-30 12:00"


def outage(
    name: str, component: str, status: str, start: str, end: str, **front: str
) -> tuple[str, str]:
    """An incident file: *component* in *status* from *start* to *end* (local times)."""
    extra = "".join(f"{key}: {value}\n" for key, value in front.items())
    text = (f"---\ntitle: {name}\n{extra}components:\n  {component}: {status}\n---\n\n"
            f"## Resolved · {end}\nFixed.\n\n## Investigating · {start}\nLooking.\n")  # fmt: skip
    return f"{start[:10]}-{name.lower().replace(' ', '-')}.md", text


def site_with(
    root: Path, components: str, *incidents: tuple[str, str], top: str = "", zone: str = "UTC"
) -> SiteDir:
    # The site began long before every window here (test_history.py covers the start).
    config = (f"title: SLO\nbase_url: https://status.test.example/\ntimezone: {zone}\n"
              f"{top}components:\n{components}start_date: 2026-01-01\n")  # fmt: skip
    site = SiteDir(root, config)
    for name, text in incidents:
        site.incident(name, text)
    return site


def metrics(out: Path) -> dict:
    data = json.loads((out / "api" / "metrics.json").read_text())
    jsonschema.validate(data, METRICS_SCHEMA)
    return data


def slo_of(out: Path, item_id: str) -> dict:
    data = metrics(out)["uptime"]
    return next(c for c in [*data["components"], *data["groups"]] if c["id"] == item_id)["slo"]


def test_the_issues_example_one_hour_of_major_outage_against_99_9(tmp_path: Path) -> None:
    """60 min major outage in 30 days: 1 - 60/43,200 = 99.861 % -> 99.86; budget 0.1 % of 43,200
    = 43.2 min; consumed 60; remaining -16.8: missed."""
    site = site_with(tmp_path, "  - {id: api, name: API, slo: 99.9}\n  - {id: web, name: Website}\n",
                     outage("Down", "api", "major_outage", "2026-06-20 10:00", "2026-06-20 11:00"),
                     top="show_slo: true\n")  # fmt: skip
    out = site.build(NOW)
    assert slo_of(out, "api") == {
        "target": 99.9, "window_days": 30, "from": "2026-05-31T12:00:00+00:00", "to": "2026-06-30T12:00:00+00:00",
        "percent": 99.86, "budget_minutes": 43.2, "consumed_minutes": 60.0, "remaining_minutes": -16.8, "met": False,
    }  # fmt: skip
    assert "slo" not in metrics(out)["uptime"]["components"][1]  # no target, no block
    page = parse_html(out / "components" / "api" / "index.html")
    facts = dict(
        zip(
            (text_of(dt) for dt in page.cssselect("dl.slo dt")),
            (text_of(dd) for dd in page.cssselect("dl.slo dd")),
            strict=True,
        )
    )
    assert facts == {
        "Target": "99.90% · rolling 30 days", "Uptime in the window": "99.86%", "Error budget": "43.2 min",
        "Consumed": "60 min", "Remaining": "-16.8 min", "Objective": "Missed: the error budget is overspent",
    }  # fmt: skip
    index = parse_html(out / "index.html")
    marks = [text_of(m.getparent().getparent()) for m in index.cssselect(".slo-over")]
    assert len(marks) == 1 and marks[0].startswith("API Error budget overspent")


def test_the_front_page_marks_an_overspent_budget_only_with_show_slo(tmp_path: Path) -> None:
    """Without `show_slo: true` the front page stays quiet; the component page and
    metrics.json always give the SLO."""
    site = site_with(tmp_path, "  - {id: api, name: API, slo: 99.9}\n",
                     outage("Down", "api", "major_outage", "2026-06-20 10:00", "2026-06-20 11:00"))  # fmt: skip
    out = site.build(NOW)
    assert slo_of(out, "api")["met"] is False
    assert parse_html(out / "components" / "api" / "index.html").cssselect("dl.slo")
    assert not parse_html(out / "index.html").cssselect(".slo-over")


def test_partial_outage_weighs_30_percent(tmp_path: Path) -> None:
    """100 min partial outage in a 7-day window: consumed 30 min of 0.5 % x 10,080 = 50.4;
    remaining 20.4; uptime 1 - 30/10,080 = 99.702 % -> 99.70; met. Degraded time is free."""
    site = site_with(tmp_path, "  - {id: api, name: API, slo: 99.5, slo_window_days: 7}\n",
                     outage("Slow", "api", "partial_outage", "2026-06-28 08:00", "2026-06-28 09:40"),
                     outage("Sluggish", "api", "degraded_performance", "2026-06-29 08:00", "2026-06-29 12:00"))  # fmt: skip
    slo = slo_of(site.build(NOW), "api")
    assert (
        slo["percent"],
        slo["budget_minutes"],
        slo["consumed_minutes"],
        slo["remaining_minutes"],
        slo["met"],
    ) == (99.7, 50.4, 30.0, 20.4, True)


def test_the_window_clips_an_outage_at_its_start(tmp_path: Path) -> None:
    """Window of 1 day: 06-29 12:00 to 06-30 12:00. An outage 11:00-13:00 on 06-29 counts 60 min;
    budget 1 % x 1,440 = 14.4; remaining -45.6; uptime 1 - 60/1,440 = 95.833 % -> 95.83.
    One from 06-20 is outside the window altogether."""
    site = site_with(tmp_path, "  - {id: api, name: API, slo: 99, slo_window_days: 1}\n",
                     outage("Edge", "api", "major_outage", "2026-06-29 11:00", "2026-06-29 13:00"),
                     outage("Old", "api", "major_outage", "2026-06-20 11:00", "2026-06-20 13:00"))  # fmt: skip
    slo = slo_of(site.build(NOW), "api")
    assert slo["from"] == "2026-06-29T12:00:00+00:00"
    assert (
        slo["percent"],
        slo["budget_minutes"],
        slo["consumed_minutes"],
        slo["remaining_minutes"],
    ) == (95.83, 14.4, 60.0, -45.6)


def test_a_dst_week_is_still_168_hours(tmp_path: Path) -> None:
    """Europe/Berlin springs forward on 2026-03-29. The 7 days to 03-30 12:00 CEST start at
    03-23 11:00 CET (not 12:00): 10,080 minutes. 10 min major: budget 0.1 % = 10.08, remaining
    0.08, uptime 1 - 10/10,080 = 99.901 % -> 99.90, met."""
    site = site_with(tmp_path, "  - {id: api, name: API, slo: 99.9, slo_window_days: 7}\n",
                     outage("Blip", "api", "major_outage", "2026-03-29 09:00", "2026-03-29 09:10"),
                     zone="Europe/Berlin")  # fmt: skip
    slo = slo_of(site.build("2026-03-30 12:00"), "api")
    assert (slo["from"], slo["to"]) == ("2026-03-23T11:00:00+01:00", "2026-03-30T12:00:00+02:00")
    assert (
        slo["percent"],
        slo["budget_minutes"],
        slo["consumed_minutes"],
        slo["remaining_minutes"],
        slo["met"],
    ) == (99.9, 10.08, 10.0, 0.08, True)


def test_a_groups_slo_takes_the_worst_member_at_each_instant(tmp_path: Path) -> None:
    """Member a major 10:00-11:00, member b partial 10:30-12:00: 60 min major, then 60 min
    partial (30 % -> 18): 78 min of 0.1 % x 43,200 = 43.2. A member that began on 06-25 (and
    so is observed for 5.5 days, 7,920 min) has a budget of 7.92 min."""
    components = ("  - group: Stack\n    id: stack\n    slo: 99.9\n    components:\n"
                  "      - {id: a, name: A}\n      - {id: b, name: B}\n"
                  "  - {id: new, name: New, start_date: 2026-06-25, slo: 99.9}\n")  # fmt: skip
    site = site_with(tmp_path, components,
                     outage("Major", "a", "major_outage", "2026-06-20 10:00", "2026-06-20 11:00"),
                     outage("Partial", "b", "partial_outage", "2026-06-20 10:30", "2026-06-20 12:00"))  # fmt: skip
    out = site.build(NOW)
    stack = slo_of(out, "stack")
    assert (stack["consumed_minutes"], stack["remaining_minutes"], stack["met"]) == (
        78.0,
        -34.8,
        False,
    )
    new = slo_of(out, "new")
    assert (new["from"], new["budget_minutes"], new["consumed_minutes"], new["met"]) == (
        "2026-06-25T00:00:00+00:00",
        7.92,
        0.0,
        True,
    )


@pytest.mark.parametrize(("entry", "line", "message"), [
    ("  - {id: api, name: API, slo: 100}", 5, "component 'api': `slo:` must be a percentage above 0 and below 100, e.g. 99.9"),
    ("  - {id: api, name: API, slo: high}", 5, "`slo:` must be a percentage"),
    ("  - {id: api, name: API, slo: 99.9, slo_window_days: 0}", 5, "`slo_window_days:` must be a whole number of days from 1 to 366"),
    ("  - {id: api, name: API, slo_window_days: 7}", 5, "`slo_window_days:` needs an `slo:` target"),
    ("  - group: G\n    slo: 120\n    components:\n      - {id: api, name: API}", 6, "group 'G': `slo:` must be a percentage"),
])  # fmt: skip
def test_bad_slo_settings_say_where_and_what_to_do(
    tmp_path: Path, entry: str, line: int, message: str
) -> None:
    site = site_with(tmp_path, entry + "\n")
    problems = site.problems()
    assert any(p.startswith(f"statuspage.yaml:{line}: ") and message in p for p in problems), (
        problems
    )


@pytest.mark.parametrize(("top", "line", "message"), [
    ("show_slo: yes please\n", 4, "`show_slo:` must be true or false"),
    ("response_targets: {P9: 1h}\n", 4, "`response_targets:` key 'P9' must be P1 to P5"),
    ("response_targets:\n  P1: 15m\n  P2: soon\n", 6, "`response_targets:` P2 must be a duration in hours and minutes, like 15m, 1h or 1h30m"),
    ("response_targets: [P1]\n", 4, "`response_targets:` must map priorities to durations"),
    # Hostile durations: too long for a date, or digits that only look like digits.
    ("response_targets: {P1: 99999999999999999999h}\n", 4, "`response_targets:` P1 must be at most 720h (30 days)"),
    ("response_targets: {P1: " + "9" * 5000 + "m}\n", 4, "`response_targets:` P1 must be at most 720h (30 days)"),
    ("response_targets: {P2: \u0661\u0665m}\n", 4, "`response_targets:` P2 must be a duration in hours and minutes"),
    ("response_targets: {P2: \uff11h}\n", 4, "`response_targets:` P2 must be a duration in hours and minutes"),
])  # fmt: skip
def test_bad_top_level_settings_say_where_and_what_to_do(
    tmp_path: Path, top: str, line: int, message: str
) -> None:
    site = site_with(tmp_path, "  - {id: api, name: API}\n", top=top)
    problems = site.problems()
    assert any(p.startswith(f"statuspage.yaml:{line}: ") and message in p for p in problems), (
        problems
    )


def test_priority_and_time_to_first_update(tmp_path: Path) -> None:
    """Priority = impact rank + urgency rank - 1: critical/high P1, major/medium P3, minor/low P5.
    First updates 10, 30 and 90 min after detection: P1 median 10 min (target 15 min: 1 of 1);
    P3 median (30 + 90) / 2 = 60 min (target 1 h: 1 of 2 = 0.5). P5 has no `detected:`."""
    incidents = [
        outage("Outage", "api", "major_outage", "2026-06-01 10:00", "2026-06-01 11:00", impact="critical", urgency="high", detected="2026-06-01 09:50"),
        outage("Errors", "api", "partial_outage", "2026-06-02 10:00", "2026-06-02 10:30", impact="major", detected="2026-06-02 09:30"),
        outage("Errors again", "api", "partial_outage", "2026-06-03 10:00", "2026-06-03 11:30", impact="major", detected="2026-06-03 08:30"),
        outage("Cosmetic", "api", "degraded_performance", "2026-06-04 10:00", "2026-06-04 10:05", impact="minor", urgency="low"),
    ]  # fmt: skip
    site = site_with(
        tmp_path,
        "  - {id: api, name: API}\n",
        *incidents,
        top="response_targets: {P1: 15m, P3: 1h}\n",
    )
    out = site.build(NOW)
    data = metrics(out)
    by_id = {
        i["id"]: (i["priority"], i["urgency"], i["first_update_seconds"]) for i in data["incidents"]
    }
    assert by_id == {
        "2026-06-01-outage": ("P1", "high", 600), "2026-06-02-errors": ("P3", "medium", 1800),
        "2026-06-03-errors-again": ("P3", "medium", 5400), "2026-06-04-cosmetic": ("P5", "low", None),
    }  # fmt: skip
    first = {r["priority"]: r for r in data["first_update"]}
    assert (
        first["P1"]["median_seconds"],
        first["P1"]["target_seconds"],
        first["P1"]["share_within_target"],
    ) == (600, 900, 1.0)
    assert (
        first["P3"]["incidents_timed"],
        first["P3"]["median_seconds"],
        first["P3"]["within_target"],
        first["P3"]["share_within_target"],
    ) == (2, 3600, 1, 0.5)
    assert (
        first["P2"]["target_seconds"],
        first["P2"]["within_target"],
        first["P2"]["share_within_target"],
    ) == (None, None, None)
    assert (first["P5"]["incidents_timed"], first["P5"]["median_seconds"]) == (0, None)
    q2 = {p["priority"]: p for p in data["quarters"][0]["priorities"]}
    # MTTR per priority: P1 60 min; P3 (30 + 90) / 2 = 60 min; P5 5 min.
    assert [
        (q2[p]["incidents"], q2[p]["mttr_seconds"]) for p in ("P1", "P2", "P3", "P4", "P5")
    ] == [(1, 3600), (0, None), (2, 3600), (0, None), (1, 300)]
    # Priority is for the team: no page shows it.
    for page in (
        "index.html",
        "history/index.html",
        "components/api/index.html",
        "incidents/2026-06-01-outage/index.html",
    ):
        assert "P1" not in text_of(parse_html(out / page).cssselect("body")[0])
