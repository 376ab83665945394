"""Triage in the front matter: `urgency:` (with impact, the ITIL priority), `detected:`
and `alerts:` (the monitors' alert keys), as `check`, `new` and the parse cache see them."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from statuspage.model import Impact, Urgency, priority
from statuspage.pipeline.incident_codec import decode_incident, encode_incident

from .conftest import SiteDir, at

HEAD = "---\ntitle: Checkout fails\nimpact: major\ncomponents:\n  api: major_outage\n"
BODY = "---\n\n## Investigating · 2026-11-20 10:05\nLooking.\n"


def checked(site_dir: SiteDir, front: str) -> tuple[int, list[str]]:
    site_dir.incident("2026-11-20-checkout.md", HEAD + front + BODY)
    result = site_dir.run("check")
    return result.exit_code, [
        line for line in result.output.splitlines() if line.startswith("incidents/")
    ]


def test_priority_is_impact_plus_urgency_minus_one_capped_at_five() -> None:
    # ITIL's matrix written out by hand: rows critical..none, columns high, medium, low.
    expected = {
        Impact.CRITICAL: (1, 2, 3),
        Impact.MAJOR: (2, 3, 4),
        Impact.MINOR: (3, 4, 5),
        Impact.NONE: (4, 5, 5),
    }
    for impact, row in expected.items():
        assert tuple(priority(impact, u) for u in Urgency) == row
    assert priority(Impact.MAINTENANCE, Urgency.HIGH) is None


def test_front_matter_gives_urgency_detected_and_alert_keys(site_dir: SiteDir) -> None:
    front = (
        "urgency: high\ndetected: 2026-11-20 09:58\n"
        "alerts:\n  - alertmanager:31b4434c8e449f08\n  - uptime-kuma:7\n"
    )
    assert checked(site_dir, front) == (0, [])
    (incident,) = site_dir.load().incidents
    assert incident.urgency is Urgency.HIGH
    assert incident.priority == 2  # major (2) + high (1) - 1
    assert incident.detected == at("2026-11-20 09:58")
    assert incident.alerts == ("alertmanager:31b4434c8e449f08", "uptime-kuma:7")


def test_defaults_are_medium_urgency_and_no_detection(site_dir: SiteDir) -> None:
    assert checked(site_dir, "") == (0, [])
    (incident,) = site_dir.load().incidents
    assert (incident.urgency, incident.priority, incident.detected, incident.alerts) == (
        Urgency.MEDIUM,
        3,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("urgency: hihg\n", 6, "unknown urgency 'hihg' (did you mean 'high'?)"),
        ("detected: yesterday\n", 6, "`detected:` cannot read timestamp"),
        ("detected: 2026-11-20 10:30\n", 6, "`detected:` is after the first update (line 9)"),
        ("alerts: alertmanager:1\n", 6, "`alerts:` must be a list"),
        ("alerts:\n  - ok:1\n  - <script>\n", 8, "alert key '<script>' must look like tool:id"),
    ],
)
def test_bad_triage_is_reported_at_its_line(
    site_dir: SiteDir, front: str, line: int, message: str
) -> None:
    code, lines = checked(site_dir, front)
    assert code == 1
    assert any(
        entry.startswith(f"incidents/2026-11-20-checkout.md:{line}: ") and message in entry
        for entry in lines
    ), lines


def test_maintenance_has_no_urgency(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-window.md",
        "---\ntitle: Upgrade\nurgency: low\nmaintenance:\n  start: 2026-11-20 02:00\n"
        "  end: 2026-11-20 03:00\n---\n\n## Scheduled · 2026-11-19 10:00\nx\n",
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert "incidents/2026-11-20-window.md:3: `urgency:` is for incidents" in result.output


def test_new_writes_urgency_and_detected(site_dir: SiteDir) -> None:
    result = site_dir.run(
        "new", "Checkout fails", "-c", "api=major_outage", "--urgency", "high",
        "--detected", "2026-11-20 09:58", "--at", "2026-11-20 10:05", "-m", "Looking.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (incident,) = site_dir.load().incidents
    assert (incident.urgency, incident.detected, incident.priority) == (
        Urgency.HIGH,
        at("2026-11-20 09:58"),
        1,  # a major outage implies critical impact: 1 + 1 - 1
    )
    text = Path(result.output.strip()).read_text(encoding="utf-8")
    assert "urgency: high\n" in text and "detected: 2026-11-20 09:58" in text


def test_new_refuses_urgency_on_maintenance(site_dir: SiteDir) -> None:
    result = site_dir.run(
        "new", "Upgrade", "--maintenance", "--start", "2026-11-20 02:00",
        "--end", "2026-11-20 03:00", "--urgency", "low",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "--urgency and --detected are for incidents" in result.output
    assert list((site_dir.root / "incidents").iterdir()) == []


def test_parse_cache_carries_triage_back_exactly(site_dir: SiteDir) -> None:
    checked(site_dir, "urgency: low\ndetected: 2026-11-20 09:00\nalerts: [grafana:abc]\n")
    (incident,) = site_dir.load().incidents
    encoded = encode_incident(incident)
    back = decode_incident(encoded, "2026-11-20-checkout.md", frozenset({"api", "web", "db"}))
    assert back == incident


@pytest.mark.parametrize(
    ("index", "value"),
    [(9, 9), (10, 10**20), (11, ["javascript:alert(1)"])],
)
def test_parse_cache_refuses_triage_a_file_could_not_hold(
    site_dir: SiteDir, index: int, value: object
) -> None:
    checked(site_dir, "urgency: low\ndetected: 2026-11-20 09:00\n")
    (incident,) = site_dir.load().incidents
    encoded = encode_incident(incident)
    assert encoded is not None
    encoded[index - 1] = value
    assert decode_incident(encoded, "2026-11-20-checkout.md", frozenset({"api"})) is None


def test_every_combination_is_a_priority_from_one_to_five() -> None:
    for impact, urgency in itertools.product(Impact, Urgency):
        p = priority(impact, urgency)
        assert p is None if impact is Impact.MAINTENANCE else 1 <= p <= 5
