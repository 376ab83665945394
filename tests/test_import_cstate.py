"""`statuspage import cstate`: small hand-made cState sites for each mapping rule,
then the real Jenkins corpus (read in place) end to end."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from statuspage.commands.main import cli
from statuspage.model import ComponentStatus, Impact, IncidentStatus
from statuspage.state.status import incident_status, is_open, resolved_at

from .conftest import parse_html, text_of, write
from .support.cstate_corpus import CORPUS, corpus_only
from .support.cstate_sites import CONFIG, cstate_site, issue


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


class Imported:
    """A cState site imported into tmp_path/new: the CLI result, the new files, the loaded site."""

    def __init__(
        self, tmp_path: Path, issues: dict[str, str], *options: str, config: str = CONFIG
    ) -> None:
        self.source = cstate_site(tmp_path / "cstate", issues, config)
        self.into = tmp_path / "new"
        self.result = run("import", "cstate", str(self.source), "--into", str(self.into),
                          "--now", "2026-01-01 00:00 UTC", *options)  # fmt: skip
        assert self.result.exit_code == 0, self.result.output
        check = run("check", "--source", str(self.into))
        assert check.exit_code == 0, check.output
        from statuspage.source.site import load_site

        self.site, _ = load_site(self.into)
        assert self.site is not None
        self.config = yaml.safe_load((self.into / "statuspage.yaml").read_text())

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.result.stderr.splitlines() if ": warning: " in line]

    def incident(self, incident_id: str):
        found = self.site.incident(incident_id)
        assert found is not None, [i.id for i in self.site.incidents]
        return found

    def text(self, incident_id: str) -> str:
        return (self.into / "incidents" / f"{incident_id}.md").read_text()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


LATER = utc("2026-06-01T00:00:00")


# --- config.yml -> statuspage.yaml ------------------------------------------------------


def test_systems_and_categories_become_components_and_groups(tmp_path: Path) -> None:
    imp = Imported(
        tmp_path,
        {
            "2024-01-02-a.md": issue(
                "title: A\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: notice\naffected: [API]"
            )
        },
    )
    config = imp.config
    assert config["title"] == "Acme Status"
    assert config["base_url"] == "https://status.acme.example/"
    assert config["timezone"] == "UTC"
    core, gateway, api2 = config["components"]
    assert core == {
        "group": "Core", "id": "core", "collapsed": True, "description": "The important bits",
        "components": [{"id": "api", "name": "API", "description": "REST endpoints"},
                       {"id": "media-proxy", "name": "Media proxy"}],
    }  # fmt: skip
    # The untitled category's name was never shown: its systems stand alone.
    assert gateway == {"id": "gateway", "name": "Gateway"}
    # `api` slugs like `API`: ids stay unique.
    assert api2 == {"id": "api-2", "name": "api"}
    assert any("config.yml" in w and "'Hidden' is untitled" in w for w in imp.warnings)


def test_hugo_time_zone_setting_is_the_default_zone(tmp_path: Path) -> None:
    imp = Imported(tmp_path, {"2024-01-02-a.md": issue("title: A\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: notice")},
                   config=CONFIG + "timeZone: Europe/Berlin\n")  # fmt: skip
    assert imp.config["timezone"] == "Europe/Berlin"
    assert imp.incident("2024-01-02-a").started_at == utc("2024-01-02T09:00:00")


# --- front matter -------------------------------------------------------------------------


@pytest.mark.parametrize(("severity", "status", "impact"), [
    ("down", ComponentStatus.MAJOR_OUTAGE, Impact.CRITICAL),
    ("disrupted", ComponentStatus.PARTIAL_OUTAGE, Impact.MAJOR),
    ("notice", ComponentStatus.DEGRADED_PERFORMANCE, Impact.MINOR),
])  # fmt: skip
def test_severity_maps_to_component_status_and_impact(
    tmp_path: Path, severity: str, status: ComponentStatus, impact: Impact
) -> None:
    imp = Imported(
        tmp_path,
        {
            "2024-01-02-x.md": issue(
                f"title: X\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: {severity}\naffected:\n  - API\n  - Gateway"
            )
        },
    )
    incident = imp.incident("2024-01-02-x")
    assert incident.impact == impact
    assert incident.components == (("api", status), ("gateway", status))
    assert is_open(incident, LATER)
    assert imp.warnings == [w for w in imp.warnings if "config.yml" in w]


def test_resolved_when_becomes_a_resolved_update(tmp_path: Path) -> None:
    imp = Imported(tmp_path, {"2024-01-02-x.md": issue(
        "title: X\ndate: 2024-01-02T10:00:00+02:00\nresolved: true\nresolvedWhen: 2024-01-02T11:30:00+02:00\nseverity: down\naffected: [API]",
        "The API is down.")})  # fmt: skip
    incident = imp.incident("2024-01-02-x")
    assert [(u.status, u.at) for u in incident.updates] == [
        (IncidentStatus.INVESTIGATING, utc("2024-01-02T08:00:00")),
        (IncidentStatus.RESOLVED, utc("2024-01-02T09:30:00")),
    ]
    assert incident.updates[0].body == "The API is down."
    assert resolved_at(incident, LATER) == utc("2024-01-02T09:30:00")


def test_naive_dates_are_read_in_the_chosen_zone(tmp_path: Path) -> None:
    imp = Imported(tmp_path, {"2024-07-02-x.md": issue("title: X\ndate: 2024-07-02 10:00:00\nresolved: true\nresolvedWhen: 2024-07-02 11:00:00\nseverity: notice")},
                   "--timezone", "Europe/Berlin")  # fmt: skip
    assert imp.config["timezone"] == "Europe/Berlin"
    assert imp.incident("2024-07-02-x").started_at == utc("2024-07-02T08:00:00")
    assert "2024-07-02 10:00 +02:00" in imp.text("2024-07-02-x")


def test_a_time_lost_to_daylight_saving_is_fixed_up_and_reported(tmp_path: Path) -> None:
    imp = Imported(tmp_path, {"2024-03-31-x.md": issue("title: X\ndate: 2024-03-31 02:30:00\nresolved: false\nseverity: notice")},
                   "--timezone", "Europe/Berlin")  # fmt: skip
    assert imp.incident("2024-03-31-x").started_at == utc("2024-03-31T01:30:00")
    assert any(
        "2024-03-31-x.md:3: warning: `date:` '2024-03-31 02:30:00'" in w and "does not exist" in w
        for w in imp.warnings
    )


def test_informational_issues_have_no_impact(tmp_path: Path) -> None:
    imp = Imported(
        tmp_path,
        {
            "2024-01-02-note.md": issue(
                "title: New feature\ndate: 2024-01-02 10:00:00\ninformational: true\naffected: [API]",
                "Read all about it.",
            )
        },
    )
    incident = imp.incident("2024-01-02-note")
    assert incident.impact == Impact.NONE
    assert incident.components == (("api", ComponentStatus.OPERATIONAL),)
    assert [(u.status, u.body) for u in incident.updates] == [
        (IncidentStatus.RESOLVED, "Read all about it.")
    ]
    assert not is_open(incident, LATER)


def test_undefined_affected_systems_become_components_and_are_reported(tmp_path: Path) -> None:
    imp = Imported(tmp_path, {
        "2024-01-02-a.md": issue("title: A\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: down\naffected: [API, Databse, CDN]"),
        "2024-01-03-b.md": issue("title: B\ndate: 2024-01-03 10:00:00\nresolved: false\nseverity: down\naffected: [CDN, Gatewya]"),
    })  # fmt: skip
    other = imp.config["components"][-1]
    assert other["group"] == "Other systems"
    assert [c["name"] for c in other["components"]] == ["Databse", "CDN", "Gatewya"]
    assert imp.incident("2024-01-03-b").components == (
        ("cdn", ComponentStatus.MAJOR_OUTAGE),
        ("gatewya", ComponentStatus.MAJOR_OUTAGE),
    )
    [a] = [w for w in imp.warnings if "2024-01-02-a.md" in w]
    assert a.endswith(
        "2024-01-02-a.md:6: warning: `affected:` names systems that config.yml does not define: 'Databse', 'CDN'; imported as components of the 'Other systems' group"
    )
    [b] = [w for w in imp.warnings if "2024-01-03-b.md" in w]
    assert "'CDN', 'Gatewya' (did you mean 'Gateway'?)" in b


def test_resolved_when_before_date_is_reported_and_fixed_up(tmp_path: Path) -> None:
    imp = Imported(
        tmp_path,
        {
            "2024-01-02-x.md": issue(
                "title: X\ndate: 2024-01-02 10:00:00\nresolved: true\nresolvedWhen: 2023-12-20 12:00:00\nseverity: down"
            )
        },
    )
    incident = imp.incident("2024-01-02-x")
    assert resolved_at(incident, LATER) == utc("2024-01-02T10:00:00")
    assert [w for w in imp.warnings if "2024-01-02-x.md" in w] == [
        f"{imp.source}/content/issues/2024-01-02-x.md:5: warning: `resolvedWhen:` 2023-12-20 12:00 +00:00 is before "
        "`date:` 2024-01-02 10:00 +00:00; imported as resolved at 2024-01-02 10:00 +00:00 (its start: the real end is unknown)"
    ]


def test_unknown_severity_missing_date_and_odd_names_are_imported_with_warnings(
    tmp_path: Path,
) -> None:
    imp = Imported(tmp_path, {
        "2024-01-02-sev.md": issue("title: Sev\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: dwon\naffected: [API]"),
        "2024-01-05-no.date.md": issue("title: No date\nresolved: false\nseverity: down\npin: true"),
        "2024-01-09-wrong-day.md": issue("title: Day\ndate: 2024-01-08T23:30:00-00:00\nresolved: false\nseverity: down"),
        "draft.md": issue("title: Draft\ndate: 2024-01-02 10:00:00\ndraft: true"),
    })  # fmt: skip
    assert imp.incident("2024-01-02-sev").components == (
        ("api", ComponentStatus.DEGRADED_PERFORMANCE),
    )
    assert imp.incident("2024-01-05-no-date").started_at == utc("2024-01-05T00:00:00")
    assert imp.incident("2024-01-08-wrong-day").started_at == utc("2024-01-08T23:30:00")
    assert len(imp.site.incidents) == 3
    warnings = "\n".join(imp.warnings)
    assert (
        "2024-01-02-sev.md:5: warning: unknown severity 'dwon' (did you mean 'down'?); imported as notice"
        in warnings
    )
    assert (
        "2024-01-05-no.date.md:2: warning: no usable `date:`; dated 2024-01-05 00:00 from the file name"
        in warnings
    )
    assert (
        "2024-01-05-no.date.md:5: warning: front matter not imported (no counterpart): pin"
        in warnings
    )
    assert (
        "2024-01-05-no.date.md: warning: imported as incidents/2024-01-05-no-date.md: only letters"
        in warnings
    )
    assert (
        "2024-01-09-wrong-day.md: warning: imported as incidents/2024-01-08-wrong-day.md: the incident starts on 2024-01-08"
        in warnings
    )
    assert (
        "draft.md:4: warning: a draft (`draft: true`), never published by cState; not imported"
        in warnings
    )
    assert "3 incidents" in imp.result.stdout


# --- the body: update markers and shortcodes --------------------------------------------


def test_cstate_style_markers_with_track_shortcodes_become_updates(tmp_path: Path) -> None:
    body = """\
        *Resolved* -
        We believe all users can connect again. {{< track "2018-05-25 05:54:00" >}}

        *Monitoring* - An ISP issue; switching DNS helps. {{< track "2018-05-25 04:40:00" >}}

        *Investigating* - Users report connection issues. {{< track "2018-05-25 04:13:00" >}}
    """
    imp = Imported(tmp_path, {"2018-05-25-us-east.md": issue(
        "title: US East\ndate: 2018-05-25 04:13:00\nresolved: true\nresolvedWhen: 2018-05-25 04:13:59\nseverity: disrupted\naffected: [API]", body)})  # fmt: skip
    incident = imp.incident("2018-05-25-us-east")
    assert [(u.status.word, u.at.strftime("%H:%M"), u.body) for u in incident.updates] == [
        ("investigating", "04:13", "Users report connection issues."),
        ("monitoring", "04:40", "An ISP issue; switching DNS helps."),
        ("resolved", "05:54", "We believe all users can connect again."),
    ]
    # cState's own example disagrees with itself; the body's time wins, and we say so.
    assert any(
        "`resolvedWhen:` 2018-05-25 04:13:59 +00:00 differs from the closing update's time 2018-05-25 05:54 +00:00"
        in w
        for w in imp.warnings
    )


def test_bracket_markers_newest_first_become_updates_and_undated_ones_stay_as_text(
    tmp_path: Path,
) -> None:
    body = """\
        [Final message]
        All good now.

        [Update - 2023-03-29 15h50 UTC]
        Queue cleaned up.

        [Update 11th of March 2023 - 9:30pm UTC]
        Agents are back.

        [edit]
        Fix applied, waiting for DNS.

        [Initial message]
        There is an outage.
    """
    imp = Imported(tmp_path, {"2023-03-28-ci.md": issue(
        "title: CI\ndate: 2023-03-28T14:00:00-00:00\nresolved: true\nresolvedWhen: 2023-03-29T15:55:00-00:00\nseverity: disrupted", body)})  # fmt: skip
    incident = imp.incident("2023-03-28-ci")
    # Undated [edit] and the update dated before `date:` (a typo?) stay, labelled,
    # in the update before them in time; newest-first, that is the one below them.
    assert [(u.status.word, u.at.isoformat(), u.body) for u in incident.updates] == [
        (
            "investigating",
            "2023-03-28T14:00:00+00:00",
            "There is an outage.\n\n**edit**\nFix applied, waiting for DNS.\n\n"
            "**Update 11th of March 2023 - 9:30pm UTC**\nAgents are back.",
        ),
        ("investigating", "2023-03-29T15:50:00+00:00", "Queue cleaned up."),
        ("resolved", "2023-03-29T15:55:00+00:00", "All good now."),
    ]
    assert any(
        "2023-03-28-ci.md:16: warning: 'Update 11th of March 2023 - 9:30pm UTC' is dated 2023-03-11 21:30 +00:00, before `date:`"
        in w
        for w in imp.warnings
    )


def test_dated_updates_after_the_resolution_are_follow_ups(tmp_path: Path) -> None:
    body = "**2021-06-08 07:37:00**\nThe fix is now permanent.\n\n**2021-06-07 12:37:00**\nAuthentication is broken."
    imp = Imported(tmp_path, {"2021-06-07-repo.md": issue(
        "title: Repo\ndate: 2021-06-07 12:37:00\nresolved: true\nresolvedWhen: 2021-06-07 16:37:00\nseverity: disrupted", body)})  # fmt: skip
    incident = imp.incident("2021-06-07-repo")
    assert [(u.status.word, u.at.strftime("%d %H:%M"), u.body) for u in incident.updates] == [
        ("investigating", "07 12:37", "Authentication is broken."),
        ("resolved", "07 16:37", "This incident has been resolved."),
        ("resolved", "08 07:37", "The fix is now permanent."),
    ]
    assert resolved_at(incident, LATER) == utc("2021-06-07T16:37:00")


def test_empty_dated_markers_after_the_resolution_are_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    body = "It broke.\n\n**2024-03-08 10:00**\n\n**2024-03-09 10:00**"
    imp = Imported(tmp_path, {"2024-03-07-x.md": issue(
        "title: Outage\ndate: 2024-03-07 10:00:00\nresolved: true\nresolvedWhen: 2024-03-07 20:38:00\nseverity: down", body)})  # fmt: skip
    incident = imp.incident("2024-03-07-x")
    assert [(u.status.word, u.at.strftime("%d %H:%M"), u.body) for u in incident.updates] == [
        ("investigating", "07 10:00", "It broke."),
        ("resolved", "07 20:38", "This incident has been resolved."),
    ]
    left_out = [w for w in imp.warnings if "after the resolution has no text; left out" in w]
    assert len(left_out) == 2 and all("2024-03-07-x.md" in w for w in left_out)


def test_shortcodes_become_readable_and_headings_cannot_open_updates(tmp_path: Path) -> None:
    body = """\
        ## What happened
        See {{< youtube dQw4w9WgXcQ >}} and {{< mychart id="7" >}}.
        <!-- [Final message]
        hidden draft -->
    """
    imp = Imported(
        tmp_path,
        {
            "2024-01-02-x.md": issue(
                "title: X\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: notice", body
            )
        },
    )
    [update] = imp.incident("2024-01-02-x").updates
    assert update.body.startswith(
        '### What happened\nSee [YouTube video](https://www.youtube.com/watch?v=dQw4w9WgXcQ) and `{{< mychart id="7" >}}`.'
    )
    assert "<!-- [Final message]\nhidden draft -->" in update.body
    warnings = "\n".join(imp.warnings)
    assert (
        '2024-01-02-x.md: warning: Hugo shortcode unknown shortcode `{{< mychart id="7" >}}` kept as text'
        in warnings
    )
    assert "`{{< youtube dQw4w9WgXcQ >}}` became a link" in warnings


# --- maintenance notices -----------------------------------------------------------------


def test_future_dated_issue_with_an_end_becomes_a_maintenance_window(tmp_path: Path) -> None:
    imp = Imported(tmp_path, {
        "2026-02-01-upgrade.md": issue("title: DB upgrade\ndate: 2026-02-01 02:00:00\nresolved: false\nresolvedWhen: 2026-02-01 04:00:00\nseverity: down\naffected: [API]",
                                        "[Final message]\nAll done.\n\n[Initial message]\nWe will upgrade the database."),
        "2026-03-01-notice.md": issue("title: Heads-up\ndate: 2026-03-01 09:00:00\nresolved: false\nseverity: notice"),
    })  # fmt: skip
    maintenance = imp.incident("2026-02-01-upgrade")
    assert maintenance.maintenance is not None
    assert (maintenance.maintenance.start, maintenance.maintenance.end) == (
        utc("2026-02-01T02:00:00"),
        utc("2026-02-01T04:00:00"),
    )
    assert maintenance.components == (("api", ComponentStatus.UNDER_MAINTENANCE),)
    assert [(u.status, u.at, u.body) for u in maintenance.updates] == [
        (IncidentStatus.SCHEDULED, utc("2026-01-01T00:00:00"), "We will upgrade the database."),
        (
            IncidentStatus.COMPLETED,
            utc("2026-02-01T04:00:00"),
            "All done.",
        ),  # shown once the window ends
    ]
    assert incident_status(maintenance, utc("2026-02-01T03:00:00")) == IncidentStatus.IN_PROGRESS
    # Without an end there is no window: an incident that shows from its date on.
    assert imp.incident("2026-03-01-notice").maintenance is None
    warnings = "\n".join(imp.warnings)
    assert (
        "2026-02-01-upgrade.md:3: warning: dated after the import (2026-02-01 02:00 +00:00): imported as maintenance scheduled until 2026-02-01 04:00 +00:00"
        in warnings
    )
    assert (
        "2026-03-01-notice.md:3: warning: dated after the import" in warnings
        and "imported as an incident" in warnings
    )
    assert "1 incident, 1 maintenance window," in imp.result.stdout


# --- the command ------------------------------------------------------------------------


def test_never_overwrites_without_force_and_never_touches_other_files(tmp_path: Path) -> None:
    issues = {
        "2024-01-02-a.md": issue(
            "title: A\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: notice"
        )
    }
    source = cstate_site(tmp_path / "cstate", issues)
    into = tmp_path / "new"
    write(into / "statuspage.yaml", "title: Mine\n")
    write(into / "notes.txt", "keep me")
    refused = run("import", "cstate", str(source), "--into", str(into))
    assert refused.exit_code == 2
    assert "refusing to overwrite" in refused.stderr and "--force" in refused.stderr
    assert (into / "statuspage.yaml").read_text() == "title: Mine\n"
    assert not (into / "incidents").exists()

    forced = run("import", "cstate", str(source), "--into", str(into), "--force")
    assert forced.exit_code == 0, forced.output
    assert "Acme Status" in (into / "statuspage.yaml").read_text()
    assert (into / "notes.txt").read_text() == "keep me"
    assert [
        p.name for p in into.iterdir() if p.name.startswith(".")
    ] == []  # no staging left behind


def test_an_issue_that_cannot_be_imported_stops_the_import_and_writes_nothing(
    tmp_path: Path,
) -> None:
    source = cstate_site(tmp_path / "cstate", {
        "good.md": issue("title: A\ndate: 2024-01-02 10:00:00\nresolved: false\nseverity: notice"),
        "undated.md": issue("title: B\nresolved: false\nseverity: notice"),
        "broken.md": "---\ntitle: [unclosed\n---\n",
    })  # fmt: skip
    result = run("import", "cstate", str(source), "--into", str(tmp_path / "new"))
    assert result.exit_code == 1
    assert (
        f"{source}/content/issues/undated.md:2: no usable `date:` and no date in the file name"
        in result.stderr
    )
    assert f"{source}/content/issues/broken.md:" in result.stderr
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())


@pytest.mark.parametrize(("args", "message"), [
    (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["--now", "soon"], "--now"),
])  # fmt: skip
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    source = cstate_site(tmp_path / "cstate", {})
    result = run("import", "cstate", str(source), "--into", str(tmp_path / "new"), *args)
    assert result.exit_code == 2 and message in result.stderr


def test_a_folder_that_is_not_a_cstate_site_is_a_usage_error(tmp_path: Path) -> None:
    result = run("import", "cstate", str(tmp_path), "--into", str(tmp_path / "new"))
    assert result.exit_code == 2
    assert "no config.yml" in result.stderr


def test_an_issue_linked_out_of_the_cstate_folder_is_skipped_with_a_warning_naming_it(
    tmp_path: Path,
) -> None:
    """The import publishes only what the folder it was given holds: a link to a file elsewhere
    (another repository's issue, ~/.ssh/config named x.md) is never read."""
    secret = write(tmp_path / "elsewhere" / "secret.md", issue("title: Not for the page\ndate: 2024-01-03 10:00:00\nresolved: true",
                                                                "AWS_SECRET=hunter2"))  # fmt: skip
    source = cstate_site(
        tmp_path / "cstate",
        {"2024-01-02-a.md": issue("title: A\ndate: 2024-01-02 10:00:00\nresolved: true")},
    )
    (source / "content" / "issues" / "2024-01-03-b.md").symlink_to(secret)
    (source / "content" / "issues" / "2024-01-04-c.md").symlink_to(
        "2024-01-02-a.md"
    )  # inside: still read
    into = tmp_path / "new"
    result = run(
        "import", "cstate", str(source), "--into", str(into), "--now", "2026-01-01 00:00 UTC"
    )
    assert result.exit_code == 0, result.output
    assert (
        f"{source}/content/issues/2024-01-03-b.md: warning: a link to outside the cState folder; not read"
        in result.stderr
    )
    written = "".join(p.read_text() for p in (into / "incidents").iterdir())
    assert "hunter2" not in written and "Not for the page" not in written
    assert sorted(p.name for p in (into / "incidents").iterdir()) == [
        "2024-01-02-a.md",
        "2024-01-02-c.md",
    ]


@pytest.mark.parametrize("linked", ["config.yml", "content/issues", "content"])
def test_a_config_or_issues_folder_linked_out_of_the_cstate_folder_is_refused(
    tmp_path: Path, linked: str
) -> None:
    elsewhere = cstate_site(
        tmp_path / "elsewhere",
        {"2024-01-02-a.md": issue("title: A\ndate: 2024-01-02 10:00:00\nresolved: true")},
    )
    source = cstate_site(tmp_path / "cstate", {})
    target = source / linked
    if target.is_dir():
        import shutil

        shutil.rmtree(target)
    else:
        target.unlink()
    target.symlink_to(elsewhere / linked)
    into = tmp_path / "new"
    result = run(
        "import", "cstate", str(source), "--into", str(into), "--now", "2026-01-01 00:00 UTC"
    )
    assert result.exit_code == 2, result.output
    assert (
        f"{source}/{linked if linked != 'content' else 'content/issues'}: a link to outside the cState folder"
        in result.stderr
    )
    assert not into.exists()


# --- the real Jenkins corpus ------------------------------------------------------------

IMPORT_NOW = "2026-06-10 00:00 UTC"  # two corpus issues lie after this: real maintenance notices
BUILD_NOW = utc("2026-07-01T00:00:00")


def source_issues() -> dict[str, dict]:
    """The corpus' front matter, read independently of the importer (PyYAML's own timestamps)."""
    assert CORPUS is not None
    issues = {}
    for path in sorted((CORPUS / "content/issues").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        for key in ("date", "resolvedWhen"):
            value = front.get(key)
            if isinstance(value, datetime):
                front[key] = value if value.tzinfo else value.replace(tzinfo=UTC)
        issues[path.name] = front
    return issues


@pytest.fixture(scope="module")
def jenkins(tmp_path_factory: pytest.TempPathFactory):
    into = tmp_path_factory.mktemp("jenkins")
    result = run("import", "cstate", str(CORPUS), "--into", str(into), "--now", IMPORT_NOW)
    return into, result


@corpus_only
def test_jenkins_corpus_imports_checks_and_builds(jenkins, tmp_path: Path) -> None:
    into, result = jenkins
    assert result.exit_code == 0, result.output
    source = source_issues()
    assert len(source) == 297
    windows = len(
        [w for w in result.stderr.splitlines() if "imported as a completed maintenance window" in w]
    )
    assert windows > 80
    assert "Imported 297 cState issues" in result.stdout
    assert f"{295 - windows} incidents, {2 + windows} maintenance windows" in result.stdout
    assert (
        f"{windows} past-maintenance" in result.stdout + result.stderr
    )  # a warning kind of its own
    assert len(list((into / "incidents").glob("*.md"))) == 297

    check = run("check", "--source", str(into))
    assert check.exit_code == 0, check.output
    built = run(
        "build",
        "--source",
        str(into),
        "--out",
        str(tmp_path / "site"),
        "--now",
        BUILD_NOW.isoformat(),
    )
    assert built.exit_code == 0, built.output
    assert (
        len([p for p in (tmp_path / "site/incidents").iterdir() if (p / "index.html").is_file()])
        == 297
    )
    # `[Update - 2023-03-29 15h50 UTC]` markers became updates of their own, as readers see them.
    page = parse_html(tmp_path / "site/incidents/2023-03-28-ci-outage/index.html")
    assert text_of(page.cssselect("h1")[0]) == "Outage on VM agents on ci.jenkins.io"
    updates = page.cssselect("ol.timeline li.update")
    assert len(updates) == 7
    assert [u.get("class").split()[-1] for u in updates] == ["u-resolved"] + ["u-investigating"] * 6
    assert text_of(updates[1].cssselect(".body")[0]).startswith("Build queue cleaned-up two times")
    assert "[Update" not in text_of(page)


@corpus_only
def test_jenkins_titles_dates_and_resolved_states_match_the_source(jenkins) -> None:
    from statuspage.source.site import load_site

    into, _ = jenkins
    site, _ = load_site(into)
    assert site is not None
    source = source_issues()
    # Every source file is one incident; renamed ones are named in a warning.
    by_title_and_start = {(i.title, i.started_at): i for i in site.incidents}
    assert len(by_title_and_start) == len(site.incidents) == len(source)
    for name, front in source.items():
        incident = by_title_and_start.get((" ".join(front["title"].split()), front["date"]))
        assert incident is not None, name
        # The id keeps the source name where it is a valid one for the start day.
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name[11:-3]).strip("-")
        assert incident.id == f"{incident.started_at.date()}-{slug}", name
        upcoming = front["date"] > utc("2026-06-10T00:00:00")
        titled_planned = (
            re.search(r"(?i)\b(maintenance|scheduled|planned)\b", front["title"]) is not None
        )
        if front["resolvedWhen"] > front["date"] and (upcoming or titled_planned):
            assert incident.is_maintenance, name  # planned work is never counted as an outage
        if incident.is_maintenance:
            assert (
                incident.maintenance.start == front["date"]
                and incident.maintenance.end == front["resolvedWhen"]
            ), name
            assert incident_status(incident, BUILD_NOW) == IncidentStatus.COMPLETED
            continue
        assert front["resolved"] is True  # every issue in this corpus is resolved...
        end = resolved_at(incident, BUILD_NOW)  # ...and so is every imported one
        assert end is not None, name
        assert end == max(front["resolvedWhen"], front["date"]), (
            name
        )  # fixed up where it was before
    windows = [i for i in site.incidents if i.is_maintenance]
    assert len(windows) > 80  # the corpus files ~80 past windows as issues, and 2 notices


@corpus_only
def test_jenkins_warnings_name_the_known_mess(jenkins) -> None:
    _, result = jenkins
    source = source_issues()
    systems = {
        s["name"] for s in yaml.safe_load((CORPUS / "config.yml").read_text())["params"]["systems"]
    }
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert all(line.startswith(str(CORPUS)) for line in warnings)

    def files_warned(fragment: str) -> set[str]:
        return {Path(w.split(":")[0]).name for w in warnings if fragment in w}

    undefined = {n for n, f in source.items() if set(f.get("affected") or []) - systems}
    assert files_warned("names systems that config.yml does not define") == undefined
    assert len(undefined) > 100
    backwards = {n for n, f in source.items() if f["resolvedWhen"] < f["date"]}
    assert files_warned("is before `date:`") == backwards
    assert backwards >= {"2021-09-23-puppet-outage.md", "2024-06-05-RPU-trusted.md"}
    assert "2026-06-11-postgres-public-db-upgrade.md" in files_warned("'plugin-health.jenkins.io'")
    assert files_warned("imported as maintenance") == {
        "2026-06-10-ci-maintenance-sec-advisory.md",
        "2026-06-11-postgres-public-db-upgrade.md",
    }


# A URL written out in the text (not in a Markdown link, an <autolink> or code), as Hugo
# and GitHub link it; trailing punctuation is the sentence's.
BARE_URL = re.compile(r"(?<![(<\[`\"'=/])\bhttps?://[^\s<>()\[\]`\"']*[^\s<>()\[\]`\"'.,;:!?*]")


def bare_urls(body: str) -> list[str]:
    prose = re.sub(r"(?ms)^\s*(```|~~~).*?^\s*\1", "", body)  # fenced code
    prose = re.sub(r"`[^`\n]*`", "", prose)  # inline code
    prose = re.sub(r"\]\([^)]*\)", "]()", prose)  # link targets
    return BARE_URL.findall(prose)


@corpus_only
def test_jenkins_bare_urls_are_links(jenkins, tmp_path: Path) -> None:
    into, _ = jenkins
    assert (
        run(
            "build",
            "--source",
            str(into),
            "--out",
            str(tmp_path / "site"),
            "--now",
            BUILD_NOW.isoformat(),
        ).exit_code
        == 0
    )
    site_links: dict[
        str, set[str]
    ] = {}  # by page; a renamed incident keeps its slug, with another day
    for page in (tmp_path / "site/incidents").glob("*/index.html"):
        hrefs = {a.get("href") for a in parse_html(page).cssselect(".update .body a[href]")}
        site_links[page.parent.name] = hrefs
    checked = 0
    for path in sorted((CORPUS / "content/issues").glob("*.md")):
        urls = bare_urls(path.read_text(encoding="utf-8").split("---", 2)[2])
        if not urls:
            continue
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem[11:]).strip("-")
        links = set().union(
            *(
                hrefs
                for name, hrefs in site_links.items()
                if re.fullmatch(r"\d{4}-\d\d-\d\d-" + re.escape(slug) + r"(-\d+)?", name)
            )
        )
        for url in urls:
            assert any(href == url or href.startswith(url) for href in links), (
                path.name,
                url,
                links,
            )
            checked += 1
    assert checked > 80  # the corpus has bare URLs in dozens of files
