"""maintenance.ics, parsed back with icalendar and checked against RFC 5545's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, write

UPGRADE = """\
---
title: Database upgrade
maintenance:
  start: 2026-11-24 02:00
  end: 2026-11-24 04:00
components: [db, api]
---

## Scheduled · 2026-11-21 10:00 +01:00
We will upgrade the **database**; expect short pauses.
"""

CALLED_OFF = """\
---
title: Switch replacement
maintenance:
  start: 2026-12-10 01:00
  end: 2026-12-10 02:00
components: [web]
---

## Completed · 2026-11-25 12:00 +01:00
The vendor postponed the work; nothing will happen.

## Scheduled · 2026-11-23 09:00 +01:00
We will replace a switch.
"""


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_every_maintenance_is_an_event_in_utc(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-api-errors.md", EXAMPLE_INCIDENT
    )  # an incident: not in the calendar
    site_dir.incident("2026-11-24-db-upgrade.md", UPGRADE)
    site_dir.incident("2026-12-10-switch.md", CALLED_OFF)
    out = site_dir.build("2026-11-26 10:00")
    found = events(out / "maintenance.ics")
    assert sorted(found) == ["Database upgrade", "Switch replacement"]
    upgrade = found["Database upgrade"]
    assert upgrade["dtstart"].dt == utc("2026-11-24T01:00:00+00:00")
    assert upgrade["dtend"].dt == utc("2026-11-24T03:00:00+00:00")
    for name in ("dtstart", "dtend", "dtstamp", "created", "last-modified"):
        assert upgrade[name].dt.utcoffset() == timedelta(0), name
    assert str(upgrade["url"]) == "https://status.test.example/sub/incidents/2026-11-24-db-upgrade/"
    assert upgrade["status"] == "CONFIRMED" and upgrade["transp"] == "TRANSPARENT"
    description = str(upgrade["description"])
    assert (
        "We will upgrade the database; expect short pauses." in description
    )  # Markdown as plain text
    assert "Public API, Database" in description and "<" not in description
    assert "Completed · Nov 24, 2026, 04:00 CET" in description  # the window closed by itself
    # Completed before it began: called off.
    assert found["Switch replacement"]["status"] == "CANCELLED"
    raw = (out / "maintenance.ics").read_bytes()
    assert b"DTSTART:20261124T010000Z\r\n" in raw and b"DTEND:20261124T030000Z\r\n" in raw


def test_file_follows_rfc_5545(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-24-db-upgrade.md", UPGRADE)
    site_dir.incident(
        "2026-12-10-switch.md",
        CALLED_OFF.replace("Switch replacement", "Switches, routers; and\\, more " + "x" * 80),
    )
    raw = (site_dir.build("2026-11-26 10:00") / "maintenance.ics").read_bytes()
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets (§3.1)
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    assert b"VERSION:2.0" in lines and any(line.startswith(b"PRODID:") for line in lines)
    calendar = icalendar.Calendar.from_ical(raw)
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):  # exactly once each (§3.6.1)
            assert (
                sum(1 for key, _ in event.property_items(recursive=False) if key == required) == 1
            )
        assert event["dtend"].dt > event["dtstart"].dt
    titles = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert (
        titles[1] == "Switches, routers; and\\, more " + "x" * 80
    )  # escaped on the way out, intact on the way in


def test_uids_and_stamps_are_stable(site_dir: SiteDir, tmp_path: Path) -> None:
    site_dir.incident("2026-11-24-db-upgrade.md", UPGRADE)
    a = site_dir.build("2026-11-22 10:00", tmp_path / "a")
    b = site_dir.build("2026-11-23 18:00", tmp_path / "b")  # later; nothing new published
    assert (a / "maintenance.ics").read_bytes() == (b / "maintenance.ics").read_bytes()
    before = events(a / "maintenance.ics")["Database upgrade"]
    assert before["dtstamp"].dt == utc(
        "2026-11-21T09:00:00+00:00"
    )  # the last revision, not the clock

    # The window opens and closes, the site moves: same event, newer stamp.
    write(
        site_dir.root / "statuspage.yaml",
        CONFIG.replace("https://status.test.example/sub/", "https://moved.example/"),
    )
    after = events(site_dir.build("2026-11-26 10:00") / "maintenance.ics")["Database upgrade"]
    assert after["uid"] == before["uid"]
    assert after["dtstamp"].dt == utc("2026-11-24T03:00:00+00:00")
    assert str(after["url"]).startswith("https://moved.example/")
    assert "moved" not in str(after["uid"]) and "status.test" not in str(before["uid"])


def test_finished_maintenance_shows_when_it_really_ended(site_dir: SiteDir) -> None:
    early = UPGRADE.replace("---\n\n", "---\n\n## Completed · 2026-11-24 02:40\nDone early.\n\n", 1)
    site_dir.incident("2026-11-24-db-upgrade.md", early)
    upgrade = events(site_dir.build("2026-11-26 10:00") / "maintenance.ics")["Database upgrade"]
    assert upgrade["dtend"].dt == utc("2026-11-24T01:40:00+00:00")
    assert upgrade["status"] == "CONFIRMED"


def test_future_maintenance_announcements_stay_hidden_and_empty_calendar_is_valid(
    site_dir: SiteDir,
) -> None:
    site_dir.incident("2026-11-24-db-upgrade.md", UPGRADE)
    raw = (
        site_dir.build("2026-11-20 10:00") / "maintenance.ics"
    ).read_bytes()  # before it was announced
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar.walk("VEVENT") == []
    # RFC 5545 wants at least one component in a calendar.
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]
