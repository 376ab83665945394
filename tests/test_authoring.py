"""`new`, `update`, `resolve`: files an engineer can write from the shell mid-incident."""

from __future__ import annotations

import subprocess
import sys

from statuspage.model import ComponentStatus, IncidentStatus
from statuspage.state import status as st

from .conftest import SiteDir, at


def test_new_update_resolve_round_trip(site_dir: SiteDir) -> None:
    result = site_dir.run(
        "new",
        "Elevated errors on the API",
        "--component",
        "api=partial_outage",
        "--component",
        "dashboard=degraded_performance",
        "--impact",
        "major",
        "--message",
        "We are investigating.",
        "--at",
        "2026-11-20 14:02",
    )
    assert result.exit_code == 0, result.output
    path = site_dir.root / "incidents" / "2026-11-20-elevated-errors-on-the-api.md"
    assert result.output.strip() == str(path)
    text = path.read_text()
    assert "## Investigating · 2026-11-20 14:02 +01:00\n" in text

    result = site_dir.run(
        "update",
        "elevated-errors",
        "--status",
        "identified",
        "--message",
        "Found it.",
        "--at",
        "2026-11-20T14:25:00+01:00",
        "--component",
        "api=major_outage",
    )
    assert result.exit_code == 0, result.output
    updated = path.read_text()
    # The new update is on top, and the previous file content is untouched below it.
    assert updated.index("## Identified · 2026-11-20 14:25 +01:00") < updated.index(
        "## Investigating"
    )
    assert updated.endswith(text.split("---\n\n", 1)[1])
    assert "Components: api=major_outage" in updated

    result = site_dir.run(
        "resolve", str(path), "--at", "2026-11-20 15:10", "--message", "-", input="All good now.\n"
    )
    assert result.exit_code == 0, result.output
    assert site_dir.run("check").exit_code == 0

    incident = site_dir.load().incidents[0]
    assert [u.status for u in incident.updates] == [
        IncidentStatus.INVESTIGATING,
        IncidentStatus.IDENTIFIED,
        IncidentStatus.RESOLVED,
    ]
    assert incident.updates[-1].body == "All good now."
    assert (
        st.component_states(incident, at("2026-11-20 14:30"))["api"] is ComponentStatus.MAJOR_OUTAGE
    )
    assert st.resolved_at(incident, at("2026-11-21 00:00")) == at("2026-11-20 15:10")


def test_refusals_leave_files_untouched(site_dir: SiteDir) -> None:
    site_dir.run(
        "new", "Broken", "-c", "api=major_outage", "--at", "2026-11-20 10:00", "-m", "Down."
    )
    path = site_dir.root / "incidents" / "2026-11-20-broken.md"
    before = path.read_bytes()
    cases = [
        (
            ("update", "broken", "--status", "identified", "-c", "nope=major_outage"),
            "unknown component 'nope'",
        ),
        (("update", "broken", "--status", "fixed"), "unknown status 'fixed'"),
        (
            ("update", "broken", "--status", "identified", "-c", "api=down"),
            "unknown component status 'down'",
        ),
        (("update", "broken", "--status", "scheduled"), "not a status for this incident"),
        (
            ("update", "broken", "--status", "identified", "--at", "yesterday"),
            "--at: cannot read timestamp",
        ),
        (("update", "unknown-thing", "--status", "identified"), "no incident matches"),
        (
            (
                "update",
                "broken",
                "--status",
                "identified",
                "--at",
                "2026-11-19 09:00",
                "-m",
                "Found.",
            ),
            "before the day in the file name",
        ),
    ]
    for args, message in cases:
        result = site_dir.run(*args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert path.read_bytes() == before
    assert site_dir.run("resolve", "broken", "--at", "2026-11-20 11:00").exit_code == 0
    resolved = path.read_bytes()
    result = site_dir.run("resolve", "broken", "--at", "2026-11-20 12:00")
    assert result.exit_code == 2 and "already resolved" in result.output
    result = site_dir.run(
        "update", "broken", "--status", "monitoring", "--at", "2026-11-20 12:00", "-m", "Watching."
    )
    assert result.exit_code == 2 and "comes after the incident was resolved" in result.output
    assert path.read_bytes() == resolved


def test_new_refuses_unknown_component(site_dir: SiteDir) -> None:
    result = site_dir.run("new", "X", "-c", "apii=major_outage")
    assert result.exit_code == 2
    assert "unknown component 'apii' (did you mean 'api'?)" in result.output
    assert list((site_dir.root / "incidents").iterdir()) == []


def test_same_title_twice_gets_a_new_file(site_dir: SiteDir) -> None:
    first = site_dir.run(
        "new", "Outage", "--at", "2026-11-20 10:00", "-m", "Looking."
    ).output.strip()
    second = site_dir.run(
        "new", "Outage", "--at", "2026-11-20 11:00", "-m", "Looking."
    ).output.strip()
    assert first.endswith("2026-11-20-outage.md") and second.endswith("2026-11-20-outage-2.md")


def test_ambiguous_reference(site_dir: SiteDir) -> None:
    site_dir.run("new", "API slow", "--at", "2026-11-20 10:00", "-m", "Looking.")
    site_dir.run("new", "API down", "--at", "2026-11-20 11:00", "-m", "Looking.")
    result = site_dir.run("update", "api", "--status", "identified")
    assert result.exit_code == 2 and "matches several incidents" in result.output


def test_new_maintenance(site_dir: SiteDir) -> None:
    result = site_dir.run(
        "new",
        "DB upgrade",
        "--maintenance",
        "--start",
        "2026-12-01 02:00",
        "--end",
        "2026-12-01 04:00",
        "-c",
        "db",
        "--message",
        "Upgrading.",
        "--at",
        "2026-11-25 10:00",
    )
    assert result.exit_code == 0, result.output
    incident = site_dir.load().incidents[0]
    assert incident.maintenance is not None and incident.components == (
        ("db", ComponentStatus.UNDER_MAINTENANCE),
    )
    assert site_dir.run("check").exit_code == 0
    assert site_dir.run("resolve", "db-upgrade", "--at", "2026-12-01 03:30").exit_code == 0
    assert (
        st.incident_status(site_dir.load().incidents[0], at("2026-12-01 03:31"))
        is IncidentStatus.COMPLETED
    )


def test_hostile_title_is_quoted_in_yaml(site_dir: SiteDir) -> None:
    title = "API: 'broken' # \"quotes\" --- <script>"
    assert site_dir.run("new", title, "--at", "2026-11-20 10:00", "-m", "Looking.").exit_code == 0
    assert site_dir.load().incidents[0].title == title


def test_console_script_runs(site_dir: SiteDir) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "statuspage.commands.main", "check", "--source", str(site_dir.root)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_quick_commands_in_the_same_second_all_succeed(site_dir: SiteDir, monkeypatch) -> None:
    """Without --at, an update in the same second as the last one moves a second later."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the clock stands still
    assert (
        site_dir.run(
            "new", "Checkout failing", "-c", "api=major_outage", "-m", "Looking."
        ).exit_code
        == 0
    )
    result = site_dir.run("update", "checkout", "--status", "identified", "-m", "Found it.")
    assert result.exit_code == 0, result.output
    assert site_dir.run("resolve", "checkout").exit_code == 0
    times = [u.at.timestamp() for u in site_dir.load().incidents[0].updates]
    assert times == [1795000000, 1795000001, 1795000002]
    # An explicit --at that clashes is still refused: the engineer meant that time.
    site_dir.run("new", "Other", "--at", "2026-11-20 10:00", "-m", "Looking.")
    result = site_dir.run(
        "update", "other", "--status", "identified", "--at", "2026-11-20 10:00", "-m", "Found."
    )
    assert result.exit_code == 2 and "already has an update" in result.output
