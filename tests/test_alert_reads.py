"""`statuspage alert` reads statuspage.yaml and the incident files that name one of its
rules, not the whole history (source/alert_site.py): a monitor's webhook in CI does not
pay for every incident the site ever had, and finds every incident it may update."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support.alert_sites import ALERT_CONFIG, AlertSite, fixture

KEY = "alertmanager:d734ef5a4b1e2117"  # the fingerprint in the captured bodies
OPENED = "2026-12-01-checkout-is-failing.md"
BROKEN = "---\ntitle: Old\n---\n\n## Investigatin · 2026-11-02 10:00\nLooking.\n"


@pytest.fixture
def site(tmp_path: Path) -> AlertSite:
    return AlertSite(tmp_path / "site", ALERT_CONFIG)


def open_incident(alerts: str) -> str:
    return (
        f"---\ntitle: Checkout broken\nalerts: {alerts}\ncomponents:\n  api: major_outage\n---\n\n"
        "## Investigating · 2026-12-01 09:00 +00:00\nLooking.\n"
    )


def test_an_error_in_an_incident_no_rule_names_does_not_stop_an_alert(site: AlertSite) -> None:
    """The outage is recorded; `check` (the check workflow) still names the broken file."""
    site.incident("2026-11-02-old.md", BROKEN)
    opened = site.alert("alertmanager", fixture("alertmanager-firing.json"))
    assert opened.exit_code == 0, opened.output
    assert opened.stdout == f"{site.root / 'incidents' / OPENED}\n"
    checked = site.run("check")
    assert checked.exit_code == 1
    assert "incidents/2026-11-02-old.md:5: unknown incident status 'Investigatin'" in checked.stdout


def test_an_error_in_an_incident_a_rule_names_stops_the_alert(site: AlertSite) -> None:
    site.incident(
        "2026-11-02-old.md", BROKEN.replace("title: Old", "title: Old\nalerts: [rule:checkout]")
    )
    tree = site.tree()
    refused = site.alert("alertmanager", fixture("alertmanager-firing.json"))
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert "incidents/2026-11-02-old.md:6: unknown incident status 'Investigatin'" in refused.stderr
    assert site.tree() == tree


@pytest.mark.parametrize(
    "alerts",
    [
        "[rule:checkout]",
        "['rule:checkout']",
        '["rule\\x3acheckout"]',  # a YAML escape: the key's letters are not in the file
        '["rule:check\\\n  out"]',  # a double-quoted line continued by a backslash
    ],
)
def test_the_rules_open_incident_is_found_however_its_key_is_written(
    site: AlertSite, alerts: str
) -> None:
    path = site.incident("2026-12-01-checkout-broken.md", open_incident(alerts))
    joined = site.alert("alertmanager", fixture("alertmanager-firing.json"))
    assert (joined.exit_code, joined.stdout) == (0, f"{path}\n"), joined.output
    assert f"joined by {KEY}" in joined.stderr
    (incident,) = site.load().incidents
    assert incident.alerts == ("rule:checkout", KEY)


def test_a_utf16_incident_naming_the_rule_stops_the_alert(site: AlertSite) -> None:
    """Its key is not in its bytes as written (UTF-16 puts a NUL after each letter): it
    is refused as before, never passed over for a second incident."""
    path = site.root / "incidents" / "2026-12-01-checkout-broken.md"
    path.write_bytes(open_incident("[rule:checkout]").encode("utf-16"))
    tree = site.tree()
    refused = site.alert("alertmanager", fixture("alertmanager-firing.json"))
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert "2026-12-01-checkout-broken.md:1: file is UTF-16 encoded" in refused.stderr
    assert site.tree() == tree
