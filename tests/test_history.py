"""A site's start: no day, month or quarter before it is shown as uptime (`start_date:`).

A site made by `statuspage init` today has no history: its bars, figures, charts,
SLO windows and JSON say "no data" for every day before its start, and a figure over a
window that began earlier says which days it covers ("since Dec 3, 2026").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.commands.main import cli

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, parse_html, text_of, write
from .support.uptime import table_rows

INIT_EPOCH = "1796292000"  # 2026-12-03 10:00 UTC: when `statuspage init` ran
BUILT = "2026-12-07 12:00 +00:00"  # four days later


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m statuspage ARGS` as users run it."""
    return subprocess.run(
        [sys.executable, "-m", "statuspage", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False,
    )  # fmt: skip


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    """A site made by `statuspage init` on 2026-12-03, with an SLO on the API, built on Dec 7."""
    target = tmp_path / "acme"
    made = run("init", str(target), env={"SOURCE_DATE_EPOCH": INIT_EPOCH})
    assert made.returncode == 0, made.stderr
    config = target / "statuspage.yaml"
    text = config.read_text()
    config.write_text(text.replace("    description: The public REST API\n",
                                   "    description: The public REST API\n    slo: 99.9\n"))  # fmt: skip
    built = run("build", "--source", str(target), "--now", BUILT)
    assert built.returncode == 0, built.stderr
    return target / "_site"


def day_items(row) -> list:
    """The item's own bar items, one entry per day (a run of k days repeated k times)."""
    items = []
    for li in row.cssselect(".bars")[0]:
        span = next((int(c[1:]) for c in li.get("class").split() if c[0] == "n"), 1)
        items += [li] * span
    return items


def rows_of(doc) -> dict[str, object]:
    """Each component's and group's item on the front page, by its name."""
    rows = {}
    for li in doc.cssselect("li.component, li.group"):
        name = li.cssselect(".name")[0]
        rows[text_of((name.cssselect("a") or [name])[0])] = li
    return rows


def test_init_writes_the_day_it_began(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert run("init", str(target), env={"SOURCE_DATE_EPOCH": INIT_EPOCH}).returncode == 0
    assert "\nstart_date: 2026-12-03\n" in (target / "statuspage.yaml").read_text()
    checked = run("check", "--source", str(target))
    assert checked.returncode == 0 and "warning" not in checked.stdout + checked.stderr


def test_a_new_sites_day_bars_show_no_data_before_it_began(new_site: Path) -> None:
    doc = parse_html(new_site / "index.html")
    rows = rows_of(doc)
    assert set(rows) == {"Website", "API", "Infrastructure", "Database", "Email delivery"}
    for name, row in rows.items():
        days = day_items(row)
        assert len(days) == 90
        # Sep 9 - Dec 2 were before the site: no data, never "no incidents" (operational).
        assert [d.get("class").split()[0] for d in days[:85]] == ["d-nodata"] * 85, name
        assert text_of(days[0]) == "Sep 9 – Dec 2: no data"
        assert all(d.get("class").split()[0] != "d-nodata" for d in days[85:]), name
        # The figure covers the five days with data, and says so.
        assert (
            text_of(row.cssselect(".uptime-legend .figure")[-1])
            == "100.00% uptime · since Dec 3, 2026"
        )
    # "Past incidents" lists the days since the start, not 14 days of "No incidents reported."
    days = [text_of(day.cssselect("h3")[0]) for day in doc.cssselect("section .day")]
    assert days == ["December 7, 2026", "December 6, 2026", "December 5, 2026",
                    "December 4, 2026", "December 3, 2026"]  # fmt: skip


def test_a_new_sites_figures_and_charts_count_only_days_since_it_began(new_site: Path) -> None:
    page = parse_html(new_site / "components" / "api" / "index.html")
    periods = {text_of(div.cssselect("dt")[0]): text_of(div.cssselect("dd")[0])
               for div in page.cssselect("dl.periods > div")}  # fmt: skip
    assert periods == {
        "Last 30 days": "100.00% since Dec 3, 2026",
        "Last 90 days": "100.00% since Dec 3, 2026",
        "Last 365 days": "100.00% since Dec 3, 2026",
    }
    # One month has data: the chart pads no months before it.
    (uptime_chart,) = page.cssselect("#chart-uptime-c")
    table = uptime_chart.getparent().cssselect(".visually-hidden table")[0]
    assert table_rows(table) == [["December 2026", "100.00%"]]
    assert [text_of(t) for t in page.cssselect("figure.chart svg text.label")] == ["Dec"]
    quarters = table_rows(page.cssselect("table.figures")[0])
    assert [row[0] for row in quarters] == ["Q4 2026"]
    # The SLO window is the four days since the start, not 30: its budget is 0.1 % of those.
    slo = {text_of(dt): text_of(dt.getnext()) for dt in page.cssselect("dl.slo dt")}
    assert slo["Uptime in the window"] == "100.00% since Dec 3, 2026"
    assert slo["Error budget"] == "6.48 min"  # 0.1 % of 4 d 12 h = 6,480 min

    history = parse_html(new_site / "history" / "index.html")
    incidents, mttr = (
        table_rows(t) for t in history.cssselect("figure.chart .visually-hidden table")
    )
    assert [row[0] for row in incidents] == ["December 2026"]
    assert [row[0] for row in mttr] == ["Q4 2026"]


def test_a_new_sites_json_counts_only_days_since_it_began(new_site: Path) -> None:
    metrics = json.loads((new_site / "api" / "metrics.json").read_text())
    api = next(c for c in metrics["uptime"]["components"] if c["id"] == "api")
    assert (api["days"], api["days_with_data"], api["percent"]) == (90, 5, 100.0)
    assert api["slo"]["from"] == "2026-12-03T00:00:00+00:00"
    assert api["slo"]["budget_minutes"] == 6.48
    assert [q["quarter"] for q in metrics["quarters"]] == ["2026-Q4"]
    for item in [*metrics["uptime"]["components"], *metrics["uptime"]["groups"]]:
        assert item["days_with_data"] == 5, item["id"]
    components = json.loads((new_site / "api" / "v2" / "components.json").read_text())
    for component in components["components"]:
        uptime = component["uptime"]
        assert uptime["days_with_data"] == 5, component["id"]
        assert {d["status"] for d in uptime["daily"][:85]} == {None}, component["id"]


def site_with(root: Path, config: str, *incidents: str) -> SiteDir:
    site = SiteDir(root, config)
    for n, text in enumerate(incidents):
        site.incident(f"2026-11-{20 + n}-i{n}.md", text)
    return site


def test_a_components_own_start_date_wins(tmp_path: Path) -> None:
    config = CONFIG.replace(
        "    name: Database\n", "    name: Database\n    start_date: 2026-11-01\n"
    )
    site = site_with(tmp_path / "s", config + "start_date: 2026-01-01\n", EXAMPLE_INCIDENT)
    out = site.build("2026-12-07 12:00")
    rows = rows_of(parse_html(out / "index.html"))
    figures = {
        name: text_of(row.cssselect(".uptime-legend .figure")[-1]) for name, row in rows.items()
    }
    assert figures["Database"] == "100.00% uptime · since Nov 1, 2026"
    assert figures["Marketing site"] == "100.00% uptime · 90 days"  # the site began in January
    assert [d.get("class").split()[0] for d in day_items(rows["Database"])].count(
        "d-nodata"
    ) == 53  # Sep 9 - Oct 31
    page = parse_html(out / "components" / "db" / "index.html")
    periods = [text_of(dd) for dd in page.cssselect("dl.periods dd")]
    assert periods == ["100.00%", "100.00% since Nov 1, 2026", "100.00% since Nov 1, 2026"]


def test_a_window_wholly_before_the_start_has_no_data(tmp_path: Path) -> None:
    site = site_with(tmp_path / "s", CONFIG + "start_date: 2026-12-10\n")
    out = site.build("2026-12-07 12:00")
    for name, row in rows_of(parse_html(out / "index.html")).items():
        assert {d.get("class").split()[0] for d in day_items(row)} == {"d-nodata"}, name
        assert text_of(row.cssselect(".uptime-legend .figure")[-1]) == "No data yet · 90 days"
    page = parse_html(out / "components" / "api" / "index.html")
    assert [text_of(dd) for dd in page.cssselect("dl.periods dd")] == ["No data yet"] * 3
    assert not page.cssselect("#chart-uptime-c")
    metrics = json.loads((out / "api" / "metrics.json").read_text())
    api = metrics["uptime"]["components"][0]
    assert (api["percent"], api["days_with_data"]) == (None, 0)
    assert [p["percent"] for p in api["periods"]] == [None, None, None]


def check(site: SiteDir) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", "--source", str(site.root)])
    return result.exit_code, result.output


def test_check_says_what_it_assumed_without_a_start_date(tmp_path: Path) -> None:
    site = site_with(tmp_path / "s", CONFIG, EXAMPLE_INCIDENT)
    code, output = check(site)
    assert code == 0
    assert ("statuspage.yaml: warning: no `start_date:`; assuming 2026-11-20, the day of the "
            "earliest incident; add `start_date: 2026-11-20` (or the day the page began) to say so"
            ) in output.splitlines()  # fmt: skip
    # And the build takes it: nothing before Nov 20 counts.
    rows = rows_of(parse_html(site.build("2026-12-07 12:00") / "index.html"))
    assert text_of(rows["Public API"].cssselect(".uptime-legend .figure")[-1]).endswith(
        "· since Nov 20, 2026"
    )


def test_check_warns_at_an_incident_that_began_before_the_start_date(tmp_path: Path) -> None:
    """An outage before `start_date:` would count in no figure: the bars would say "no data"
    over a day the files say was down. `check` says so at the incident."""
    site = site_with(tmp_path / "s", CONFIG + "start_date: 2026-12-01\n", EXAMPLE_INCIDENT)
    code, output = check(site)
    assert code == 0
    assert ("incidents/2026-11-20-i0.md:1: warning: this began on 2026-11-20, before "
            "`start_date: 2026-12-01` in statuspage.yaml, so no uptime figure counts it; set "
            "`start_date:` to 2026-11-20 or earlier") in output.splitlines()  # fmt: skip
    site = site_with(tmp_path / "t", CONFIG + "start_date: 2026-11-20\n", EXAMPLE_INCIDENT)
    assert "warning" not in check(site)[1]


def test_a_site_with_neither_start_date_nor_incidents_has_no_data(tmp_path: Path) -> None:
    site = site_with(tmp_path / "s", CONFIG)
    code, output = check(site)
    assert code == 0
    assert ("statuspage.yaml: warning: no `start_date:` and no incidents, so the page shows no "
            "uptime data; add `start_date: YYYY-MM-DD`, the first day the page reports on"
            ) in output.splitlines()  # fmt: skip
    out = site.build("2026-12-07 12:00")
    for name, row in rows_of(parse_html(out / "index.html")).items():
        assert {d.get("class").split()[0] for d in day_items(row)} == {"d-nodata"}, name
        assert "No data yet" in text_of(row.cssselect(".uptime-legend .figure")[-1])
    history = parse_html(out / "history" / "index.html")
    assert not history.cssselect("#chart-incidents-c")  # no month to count incidents in


@pytest.mark.parametrize(
    ("config", "line", "message"),
    [
        (CONFIG + "start_date: 2026-13-01\n", 15,
         "`start_date:` must be a date like 2026-01-31, not '2026-13-01'"),
        (CONFIG + "start_date: last year\n", 15,
         "`start_date:` must be a date like 2026-01-31, not 'last year'"),
        (CONFIG.replace("    name: Database\n", "    name: Database\n    start_date: soon\n"), 15,
         "`start_date:` must be a date like 2026-01-31, not 'soon'"),
    ],
)  # fmt: skip
def test_a_bad_start_date_says_where_and_what_to_write(
    tmp_path: Path, config: str, line: int, message: str
) -> None:
    site = site_with(tmp_path / "s", config)
    before = (site.root / "statuspage.yaml").read_bytes()
    code, output = check(site)
    assert code == 1
    assert f"statuspage.yaml:{line}: {message}" in output.splitlines()
    assert (site.root / "statuspage.yaml").read_bytes() == before
    write(site.root / "incidents" / "x.md", EXAMPLE_INCIDENT)
    result = CliRunner().invoke(cli, ["build", "--source", str(site.root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
