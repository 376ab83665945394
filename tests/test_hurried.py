"""What a hurried engineer types must not trip them: repeated commands, typos, YAML slips."""

from __future__ import annotations

from .conftest import SiteDir


def _resolved_twice(site_dir: SiteDir, monkeypatch, first: str, second: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    assert site_dir.run("new", "Login failing", "-c", "api=major_outage", "-m", "Looking.").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", first)
    assert site_dir.run("resolve", "login").exit_code == 0
    path = next((site_dir.root / "incidents").iterdir())
    before = path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", second)
    result = site_dir.run("resolve", "login")
    assert result.exit_code == 2, result.output
    assert "is already resolved" in result.output and "nothing was changed" in result.output
    result = site_dir.run("update", "login", "--status", "monitoring", "-m", "Still watching.")
    assert result.exit_code == 2, result.output
    assert "comes after the incident was resolved" in result.output
    assert "statuspage new" in result.output
    assert path.read_bytes() == before
    assert site_dir.run("check").exit_code == 0


def test_resolve_twice_in_the_same_second_is_refused(site_dir: SiteDir, monkeypatch) -> None:
    _resolved_twice(site_dir, monkeypatch, "1795000000", "1795000000")


def test_resolve_twice_with_the_clock_going_backwards_is_refused(site_dir: SiteDir, monkeypatch) -> None:
    _resolved_twice(site_dir, monkeypatch, "1795000060", "1795000030")


def test_an_explicit_earlier_update_may_still_be_added_after_the_close(site_dir: SiteDir) -> None:
    site_dir.run("new", "Login failing", "--at", "2026-11-20 10:00", "-m", "Looking.")
    assert site_dir.run("resolve", "login", "--at", "2026-11-20 11:00").exit_code == 0
    result = site_dir.run("update", "login", "--status", "identified", "--at", "2026-11-20 10:30", "-m", "Found.")
    assert result.exit_code == 0, result.output
    assert site_dir.run("check").exit_code == 0


def test_check_reports_a_second_closing_update(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-login.md", """\
        ---
        title: Login failing
        ---

        ## Resolved · 2026-11-20 11:00:01 +01:00
        This incident has been resolved.

        ## Resolved · 2026-11-20 11:00 +01:00
        This incident has been resolved.

        ## Investigating · 2026-11-20 10:00 +01:00
        Looking.
        """)
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert "incidents/2026-11-20-login.md:5: a second closing update: the incident was already resolved (line 8)" in result.output
