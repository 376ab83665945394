"""Scheduled maintenance runs itself: real builds at instants before, during and after it."""

from __future__ import annotations

from pathlib import Path

from statuspage.model import ComponentStatus, Impact, IncidentStatus
from statuspage.state import status as st

from .conftest import SiteDir, at, parse_html, text_of
from .support.maintenance import MAINTENANCE

ID = "2026-12-01-db-upgrade"


def rows(doc) -> dict[str, str]:
    """Component name -> the status it shows."""
    return {
        text_of(li.cssselect(".name")[0]): text_of(li.cssselect(".status")[0])
        for li in doc.cssselect("li.component")
    }


def section(doc, heading_id: str):
    found = doc.cssselect(f"section[aria-labelledby={heading_id}]")
    return found[0] if found else None


def next_change(site_dir: SiteDir, now: str, *flags: str) -> list[str]:
    result = site_dir.run("next-change", "--now", now, *flags)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def build_index(site_dir: SiteDir, now: str, tmp_path: Path):
    out = site_dir.build(now, tmp_path / now.replace(" ", "T").replace(":", ""))
    return out, parse_html(out / "index.html")


def test_maintenance_before_during_after(site_dir: SiteDir, tmp_path: Path) -> None:
    site_dir.incident(f"{ID}.md", MAINTENANCE)
    site = site_dir.load()
    m = site.incidents[0]

    # Before the notice is published: nothing on the page; it appears at 10:00 on Nov 25.
    _, doc = build_index(site_dir, "2026-11-24 12:00", tmp_path)
    assert section(doc, "upcoming-h") is None and "Database upgrade" not in text_of(doc)
    assert "2026-11-25T10:00:00+01:00  2026-12-01-db-upgrade: scheduled" in next_change(
        site_dir, "2026-11-24 12:00", "-v"
    )

    # Scheduled: listed with its window; the rest of the page stays operational.
    out, doc = build_index(site_dir, "2026-11-30 12:00", tmp_path)
    assert text_of(doc.cssselect("h1")[0]) == "All Systems Operational"
    assert rows(doc)["Database"] == "Operational"
    upcoming = section(doc, "upcoming-h")
    assert upcoming is not None and section(doc, "maint-h") is None
    assert (
        text_of(upcoming.cssselect(".window")[0])
        == "Window: Dec 1, 2026, 02:00 CET – Dec 1, 2026, 04:00 CET"
    )
    assert text_of(upcoming.cssselect(".status")[0]) == "Scheduled"
    assert st.is_upcoming(m, at("2026-11-30 12:00")) and not st.is_open(m, at("2026-11-30 12:00"))
    assert next_change(site_dir, "2026-11-30 12:00") == [
        "2026-12-01T00:00:00+01:00"
    ]  # midnight: the bars move on
    assert next_change(site_dir, "2026-12-01 00:00") == ["2026-12-01T02:00:00+01:00"]

    # In progress: by the clock alone, nobody touched the file.
    out, doc = build_index(site_dir, "2026-12-01 03:00", tmp_path)
    assert text_of(doc.cssselect("h1")[0]) == "Scheduled Maintenance in Progress"
    assert rows(doc)["Database"] == "Under maintenance"
    assert rows(doc)["Public API REST endpoints"] == "Operational"
    active = section(doc, "maint-h")
    assert active is not None and section(doc, "upcoming-h") is None
    assert text_of(active.cssselect(".status")[0]) == "In progress"
    assert "The scheduled maintenance window has started." in text_of(active)
    page = parse_html(out / "incidents" / ID / "index.html")
    assert [text_of(h.cssselect(".status")[0]) for h in page.cssselect(".timeline h3")] == [
        "In progress",
        "Scheduled",
    ]
    assert page.cssselect(".timeline time")[0].get("datetime") == "2026-12-01T02:00:00+01:00"
    assert (
        st.page_status(site.config, site.incidents, at("2026-12-01 03:00")).indicator
        is Impact.MAINTENANCE
    )
    assert next_change(site_dir, "2026-12-01 03:00") == ["2026-12-01T04:00:00+01:00"]

    # Completed at the end of the window.
    out, doc = build_index(site_dir, "2026-12-01 05:00", tmp_path)
    assert text_of(doc.cssselect("h1")[0]) == "All Systems Operational"
    assert rows(doc)["Database"] == "Operational"
    assert section(doc, "maint-h") is None and section(doc, "upcoming-h") is None
    past = next(d for d in doc.cssselect(".day") if "December 1, 2026" in text_of(d))
    assert "Database upgrade Completed" in text_of(past)
    page = parse_html(out / "incidents" / ID / "index.html")
    summary = {
        text_of(dt): text_of(dd)
        for dt, dd in zip(
            page.cssselect("dl.summary dt"), page.cssselect("dl.summary dd"), strict=True
        )
    }
    assert summary["Completed"] == "Dec 1, 2026, 04:00 CET" and summary["Duration"] == "2 hr"
    # Maintenance shows in the day bars, but is not downtime.
    db = next(
        li
        for li in doc.cssselect("li.component")
        if "Database" in text_of(li.cssselect(".name")[0])
    )
    today = db.cssselect(".bars > li")[-1]
    assert today.get("class") == "d-under_maintenance"
    assert text_of(today) == "Dec 1: Under maintenance, 2 hr"
    assert text_of(db.cssselect(".figure")[0]).startswith("100.00% uptime")
    assert next_change(site_dir, "2026-12-01 05:00", "-v") == [
        "2026-12-02T00:00:00+01:00  day ends: the day bars and recent days move on"
    ]


def maintenance_with(site_dir: SiteDir, updates: str):
    site_dir.incident(f"{ID}.md", MAINTENANCE + "\n" + updates)
    return site_dir.load().incidents[0]


def words(incident, now: str) -> list[str]:
    return [u.status.word + ("*" if u.automatic else "") for u in st.timeline(incident, at(now))]


def test_verifying_keeps_it_open_past_the_end(site_dir: SiteDir) -> None:
    m = maintenance_with(site_dir, "## Verifying · 2026-12-01 03:50\nChecking replicas.\n")
    assert words(m, "2026-12-01 05:00") == ["scheduled", "in_progress*", "verifying"]
    assert (
        st.component_status("db", [m], at("2026-12-01 05:00")) is ComponentStatus.UNDER_MAINTENANCE
    )
    assert [
        c[0] for c in st.changes(m, at("2026-12-01 03:55"))
    ] == []  # no automatic end to wait for


def test_early_completion_wins_over_the_clock(site_dir: SiteDir) -> None:
    m = maintenance_with(site_dir, "## Completed · 2026-12-01 03:10\nDone early.\n")
    assert words(m, "2026-12-01 05:00") == ["scheduled", "in_progress*", "completed"]
    assert st.resolved_at(m, at("2026-12-01 05:00")) == at("2026-12-01 03:10")
    assert st.duration(m, at("2026-12-01 05:00")).total_seconds() == 70 * 60
    # The scheduled end is no longer a change, so a scheduler is not woken for nothing.
    assert st.changes(m, at("2026-12-01 03:05")) == [
        (at("2026-12-01 03:10"), IncidentStatus.COMPLETED)
    ]
    assert st.next_change([m], at("2026-12-01 03:20")) is None


def test_cancelled_before_the_window_never_starts(site_dir: SiteDir) -> None:
    m = maintenance_with(site_dir, "## Completed · 2026-11-30 09:00\nCancelled.\n")
    assert words(m, "2026-12-01 03:00") == ["scheduled", "completed"]
    assert st.component_status("db", [m], at("2026-12-01 03:00")) is ComponentStatus.OPERATIONAL


def test_early_start_and_overrun_are_the_engineers_call(site_dir: SiteDir) -> None:
    m = maintenance_with(
        site_dir,
        "## In progress · 2026-12-01 01:50\nStarting early.\n\n## In progress · 2026-12-01 04:10\nTaking longer.\n",
    )
    # No second, automatic "in progress" at 02:00; no automatic end once someone posted after it.
    assert words(m, "2026-12-01 03:00") == ["scheduled", "in_progress"]
    assert words(m, "2026-12-01 04:05") == ["scheduled", "in_progress", "completed*"]
    assert words(m, "2026-12-01 06:00") == ["scheduled", "in_progress", "in_progress"]
    assert st.is_open(m, at("2026-12-01 06:00"))


def test_new_maintenance_from_the_cli_builds(site_dir: SiteDir) -> None:
    result = site_dir.run("new", "Kernel patch", "--maintenance", "--start", "2026-12-10 02:00", "--end", "2026-12-10 03:00",
                          "-c", "db", "-c", "api", "--at", "2026-12-01 09:00", "-m", "Rolling reboot.")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert site_dir.run("check").exit_code == 0
    doc = parse_html(site_dir.build("2026-12-10 02:30") / "index.html")
    assert rows(doc)["Database"] == rows(doc)["Public API REST endpoints"] == "Under maintenance"
    result = site_dir.run(
        "new",
        "X",
        "--maintenance",
        "--start",
        "2026-03-29 02:30",
        "--end",
        "2026-03-29 04:00",
        "-c",
        "db",
    )
    assert (
        result.exit_code == 2
        and "--start: 2026-03-29 02:30 does not exist in Europe/Berlin" in result.output
    )
