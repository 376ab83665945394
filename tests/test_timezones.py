"""Incidents across DST switches: durations, zone abbreviations, and the local day of each bar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SiteDir, parse_html, text_of

NEW_YORK = """\
title: NY Status
base_url: https://status.test.example/
timezone: America/New_York
components:
  - id: api
    name: Public API
"""


def incident(start: str, end: str, status: str = "major_outage") -> str:
    return f"---\ntitle: Outage\ncomponents:\n  api: {status}\n---\n\n## Resolved · {end}\nFixed.\n\n## Investigating · {start}\nDown.\n"


def summary(page: Path) -> dict[str, str]:
    doc = parse_html(page)
    return {
        text_of(dt): text_of(dd)
        for dt, dd in zip(
            doc.cssselect("dl.summary dt"), doc.cssselect("dl.summary dd"), strict=True
        )
    }


def bars(out: Path, component: str = "Public API") -> dict[str, tuple[str, str]]:
    """Day label ('Mar 29') -> (bar class, its text), for days that were not all quiet (nor
    before the site's start: without `start_date:` it is the day of the first incident)."""
    doc = parse_html(out / "index.html")
    row = next(
        li
        for li in doc.cssselect("li.component")
        if text_of(li.cssselect(".name")[0]).startswith(component)
    )
    result = {}
    for li in row.cssselect(".bars > li"):
        text = text_of(li)
        if not text.endswith(("no incidents", "no data")):
            result[text.split(":")[0]] = (li.get("class"), text)
    return result


CASES = [
    # zone config, file, start, end, shown start, shown end
    pytest.param(None, "2026-03-29-spring.md", "2026-03-29 01:30", "2026-03-29 03:30",
                 "Mar 29, 2026, 01:30 CET", "Mar 29, 2026, 03:30 CEST", "Mar 29", id="berlin-spring-forward"),
    pytest.param(None, "2026-10-25-fall.md", "2026-10-25 02:30 +02:00", "2026-10-25 02:30 +01:00",
                 "Oct 25, 2026, 02:30 CEST", "Oct 25, 2026, 02:30 CET", "Oct 25", id="berlin-fall-back"),
    pytest.param(NEW_YORK, "2026-03-08-spring.md", "2026-03-08 01:30", "2026-03-08 03:30",
                 "Mar 8, 2026, 01:30 EST", "Mar 8, 2026, 03:30 EDT", "Mar 8", id="new-york-spring-forward"),
    pytest.param(NEW_YORK, "2026-11-01-fall.md", "2026-11-01 01:30 -04:00", "2026-11-01 01:30 -05:00",
                 "Nov 1, 2026, 01:30 EDT", "Nov 1, 2026, 01:30 EST", "Nov 1", id="new-york-fall-back"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("config", "name", "start", "end", "shown_start", "shown_end", "day"), CASES
)
def test_one_hour_across_a_dst_switch(
    tmp_path: Path, config, name, start, end, shown_start, shown_end, day
) -> None:
    site = SiteDir(tmp_path / "site", config) if config else SiteDir(tmp_path / "site")
    site.incident(name, incident(start, end))
    out = site.build(f"{name[:7]}-30 12:00")  # later that month: the day is among the 90 bars
    page = summary(out / "incidents" / name.removesuffix(".md") / "index.html")
    assert (page["Started"], page["Resolved"], page["Duration"]) == (shown_start, shown_end, "1 hr")
    assert bars(out) == {day: ("d-major_outage", f"{day}: Major outage, 1 hr")}
    component = json.loads((out / "api" / "metrics.json").read_text())["uptime"]["components"][0]
    assert component["minutes"]["major_outage"] == 60


def test_a_day_bar_is_the_sites_local_day(tmp_path: Path) -> None:
    """23:00-01:00 in New York is one outage on two local days, though all of it is Nov 4 in UTC."""
    site = SiteDir(tmp_path / "site", NEW_YORK)
    site.incident(
        "2026-11-03-midnight.md", incident("2026-11-03 23:00", "2026-11-04 01:00", "partial_outage")
    )
    out = site.build("2026-11-10 12:00")
    assert bars(out) == {
        "Nov 3": ("d-partial_outage", "Nov 3: Partial outage, 1 hr"),
        "Nov 4": ("d-partial_outage", "Nov 4: Partial outage, 1 hr"),
    }
    doc = parse_html(out / "index.html")
    assert text_of(doc.cssselect(".site-footer")[0]).startswith(
        "Times are shown in America/New_York."
    )


def test_dst_days_are_23_and_25_hours_long(site_dir: SiteDir) -> None:
    site_dir.incident("2026-03-29-all-day.md", incident("2026-03-29 00:00", "2026-03-30 00:00"))
    site_dir.incident("2026-10-25-all-day.md", incident("2026-10-25 00:00", "2026-10-26 00:00"))
    # Nothing spills into the neighbouring days.
    assert bars(site_dir.build("2026-04-02 12:00")) == {
        "Mar 29": ("d-major_outage", "Mar 29: Major outage, 23 hr")
    }
    assert bars(site_dir.build("2026-11-01 12:00")) == {
        "Oct 25": ("d-major_outage", "Oct 25: Major outage, 1 day 1 hr")
    }


def test_ambiguous_time_in_new_york_is_refused_with_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site", NEW_YORK)
    site.incident("2026-11-01-x.md", incident("2026-11-01 01:30", "2026-11-01 03:00"))
    assert site.problems() == [
        "incidents/2026-11-01-x.md:10: 2026-11-01 01:30 happens twice in America/New_York (clocks fall back); "
        "write the offset explicitly: 2026-11-01 01:30 -04:00 or 2026-11-01 01:30 -05:00"
    ]
