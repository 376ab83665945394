"""What a hurried engineer types must not trip them: repeated commands, typos, YAML slips."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import SiteDir


def _resolved_twice(site_dir: SiteDir, monkeypatch, first: str, second: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    assert (
        site_dir.run("new", "Login failing", "-c", "api=major_outage", "-m", "Looking.").exit_code
        == 0
    )
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


def test_resolve_twice_with_the_clock_going_backwards_is_refused(
    site_dir: SiteDir, monkeypatch
) -> None:
    _resolved_twice(site_dir, monkeypatch, "1795000060", "1795000030")


def test_an_explicit_earlier_update_may_still_be_added_after_the_close(site_dir: SiteDir) -> None:
    site_dir.run("new", "Login failing", "--at", "2026-11-20 10:00", "-m", "Looking.")
    assert site_dir.run("resolve", "login", "--at", "2026-11-20 11:00").exit_code == 0
    result = site_dir.run(
        "update", "login", "--status", "identified", "--at", "2026-11-20 10:30", "-m", "Found."
    )
    assert result.exit_code == 0, result.output
    assert site_dir.run("check").exit_code == 0


def test_check_reports_a_second_closing_update(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-login.md",
        """\
        ---
        title: Login failing
        ---

        ## Resolved · 2026-11-20 11:00:01 +01:00
        This incident has been resolved.

        ## Resolved · 2026-11-20 11:00 +01:00
        This incident has been resolved.

        ## Investigating · 2026-11-20 10:00 +01:00
        Looking.
        """,
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert (
        "incidents/2026-11-20-login.md:5: a second closing update: the incident was already resolved with the same words (line 8)"
        in result.output
    )


def test_typos_in_command_options_get_a_suggestion(site_dir: SiteDir) -> None:
    result = site_dir.run("new", "Login failing", "--impact", "majr", "-m", "Looking.")
    assert result.exit_code == 2
    assert "'majr' is not one of" in result.output and "(did you mean 'major'?)" in result.output
    result = site_dir.run("new", "Login failing", "--urgency", "hgh", "-m", "Looking.")
    assert result.exit_code == 2 and "(did you mean 'high'?)" in result.output
    result = site_dir.run("new", "Login failing", "--status", "investigatin", "-m", "Looking.")
    assert result.exit_code == 2 and "(did you mean 'investigating'?)" in result.output
    assert list((site_dir.root / "incidents").iterdir()) == []
    assert (
        site_dir.run("new", "Login failing", "--at", "2026-11-20 10:00", "-m", "Looking.").exit_code
        == 0
    )
    path = next((site_dir.root / "incidents").iterdir())
    before = path.read_bytes()
    result = site_dir.run("update", "login", "--status", "monitorin", "-m", "Watching.")
    assert result.exit_code == 2
    assert "unknown status 'monitorin' (did you mean 'monitoring'?)" in result.output
    result = site_dir.run(
        "update", "login", "--status", "monitoring", "-c", "api=major_outag", "-m", "Watching."
    )
    assert result.exit_code == 2 and "(did you mean 'major_outage'?)" in result.output
    assert path.read_bytes() == before
    result = site_dir.run("check", "--format", "githb")
    assert result.exit_code == 2 and "(did you mean 'github'?)" in result.output


def test_typos_in_files_get_a_suggestion(site_dir: SiteDir) -> None:
    config = site_dir.root / "statuspage.yaml"
    config.write_text(
        config.read_text().replace("timezone: Europe/Berlin", "timezone: Europe/Berln")
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert (
        "statuspage.yaml:3: unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)"
        in result.output
    )
    config.write_text(
        config.read_text().replace("timezone: Europe/Berln", "timezone: Europe/Berlin")
    )
    site_dir.incident(
        "2026-11-20-login.md",
        """\
        ---
        title: Login failing
        impact: majr
        urgency: hgh
        components:
          api: major_outag
        ---

        ## Investigating · 2026-11-20 10:00 +01:00
        Looking.
        """,
    )
    site_dir.incident(
        "2026-12-01-db.md",
        """\
        ---
        title: DB upgrade
        maintenance:
          strat: 2026-12-01 02:00
          end: 2026-12-01 04:00
        ---

        ## Scheduled · 2026-11-25 10:00 +01:00
        Upgrading.
        """,
    )
    output = site_dir.run("check").output
    assert (
        "incidents/2026-11-20-login.md:3: unknown impact 'majr' (did you mean 'major'?)" in output
    )
    assert "incidents/2026-11-20-login.md:4: unknown urgency 'hgh' (did you mean 'high'?)" in output
    assert (
        "incidents/2026-11-20-login.md:6: unknown component status 'major_outag' (did you mean 'major_outage'?)"
        in output
    )
    assert (
        "incidents/2026-12-01-db.md:4: unknown maintenance key 'strat' (did you mean 'start'?)"
        in output
    )


def test_a_thousand_misspelt_ids_give_a_bounded_report(tmp_path) -> None:
    """Each unknown id once listed every known one: 80 MB for five files of typos."""
    ids = [
        f"{word}-{n}" for n, word in enumerate(["api", "auth", "billing", "search", "queue"] * 200)
    ]
    config = "title: T\nbase_url: https://status.example/\ncomponents:\n" + "".join(
        f"  - {{id: {cid}, name: {cid}}}\n" for cid in ids
    )
    site = SiteDir(tmp_path / "site", config)
    front = "".join(f"  {cid}x: major_outage\n" for cid in ids[:999])
    site.incident(
        "2026-11-20-front.md",
        f"---\ntitle: X\ncomponents:\n{front}---\n\n## Investigating · 2026-11-20 10:00 +01:00\nHi.\n",
    )
    updates = "".join(
        f"## Investigating · 2026-11-21 10:{n // 60:02d}:{n % 60:02d} +01:00\nComponents: "
        + ", ".join(f"{cid}y=major_outage" for cid in ids[n * 5 : n * 5 + 5])
        + "\n\nHi.\n\n"
        for n in reversed(range(199))
    )
    site.incident("2026-11-21-lines.md", f"---\ntitle: Y\n---\n\n{updates}")
    result = site.run("check")
    assert result.exit_code == 1
    assert (
        "incidents/2026-11-20-front.md:4: unknown component 'api-0x' (did you mean 'api-0'?)"
        in result.output
    )
    assert (
        "(known: api-0, auth-1, billing-2, search-3, queue-4, … (1,000 in all; see statuspage.yaml))"
        in result.output
    )
    assert (
        "incidents/2026-11-20-front.md:14: and 989 more unknown components (lines 14, 15, 16, 17, 18, …; not listed)"
        in result.output
    )
    assert (
        "incidents/2026-11-21-lines.md:" in result.output
        and "and 985 more unknown components" in result.output
    )
    assert len(result.output.encode()) < 20_000


YAML_SLIPS = [
    # (front matter lines, line, what to do, the parser's words kept as a detail)
    (
        "title: API: down",
        2,
        'quote the title: title: "API: down"',
        "mapping values are not allowed here",
    ),
    (
        "title: B\ncomponents:\n  api: major_outage\n - web",
        5,
        "line 5 is indented 1 space, its siblings 2",
        "expected <block end>, but found '<block sequence start>'",
    ),
    (
        "title: B\ncomponents:\n  api: major_outage\n  - web",
        5,
        "line 5 is a list item (- …) among `key: value` lines",
        "expected <block end>",
    ),
    (
        "title: B\ncomponents:\n  api: major_outage\n   web: major_outage",
        5,
        "line 5 is indented 3 spaces, its siblings 2",
        "mapping values are not allowed here",
    ),
    (
        "title: B\ncomponents:\n\tapi: major_outage",
        4,
        "indent with spaces, not tabs",
        "found character '\\t'",
    ),
    (
        'title: "API down\nimpact: major',
        3,
        "close the quote opened on line 2",
        "found unexpected end of stream",
    ),
]


@pytest.mark.parametrize(("front", "line", "advice", "parser"), YAML_SLIPS)
def test_yaml_slips_in_front_matter_say_what_to_do(
    site_dir: SiteDir, front: str, line: int, advice: str, parser: str
) -> None:
    site_dir.incident(
        "2026-11-20-slip.md",
        f"---\n{front}\n---\n\n## Investigating · 2026-11-20 10:00\nLooking.\n",
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert f"incidents/2026-11-20-slip.md:{line}: invalid YAML: {advice}" in result.output
    assert f"(the parser says: {parser}" in result.output


def test_yaml_slips_in_the_config_say_what_to_do(site_dir: SiteDir) -> None:
    config = site_dir.root / "statuspage.yaml"
    config.write_text(config.read_text().replace("name: Public API", "name: API: public"))
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert (
        'statuspage.yaml:6: invalid YAML: quote the name: name: "API: public" (the parser says: mapping values are not allowed here)'
        in result.output
    )
    config.write_text(
        config.read_text()
        .replace("name: API: public", "name: Public API")
        .replace("  - id: db", "   - id: db")
    )
    result = site_dir.run("check")
    assert (
        "statuspage.yaml:13: invalid YAML: line 13 is indented 3 spaces, its siblings 2: line them up"
        in result.output
    )


def test_a_refused_update_quotes_the_lines_of_the_file_on_disk(site_dir: SiteDir) -> None:
    site_dir.run("new", "Login slow", "--at", "2026-11-20 10:00", "-m", "Looking.")
    path = next((site_dir.root / "incidents").iterdir())
    before = path.read_bytes()
    assert path.read_text().split("\n")[4] == "## Investigating · 2026-11-20 10:00 +01:00"
    result = site_dir.run(
        "update", "login", "--status", "identified", "--at", "2026-11-19 10:00", "-m", "Found."
    )
    assert result.exit_code == 2
    assert "refusing to write an invalid file (lines as in the file on disk):" in result.output
    assert (
        "incidents/2026-11-20-login-slow.md:5: the new update (to go above line 5): update is dated 2026-11-19, "
        "before the day in the file name"
    ) in result.output
    assert path.read_bytes() == before


def test_check_lists_each_files_problems_by_line(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-login.md",
        """\
        ---
        title: Login failing
        urgency: hgh
        ---

        ## Investigatin · 2026-11-20 10:00 +01:00
        Looking.
        """,
    )
    result = site_dir.run("check")
    lines = [line for line in result.output.splitlines() if line.startswith("incidents/")]
    assert [line.split(":")[1] for line in lines] == ["3", "6"], lines
    assert "2 errors in 1 file" in result.output


def test_counts_are_said_in_english(site_dir: SiteDir) -> None:
    site_dir.run("new", "Login slow", "--at", "2026-11-20 10:00", "-m", "Looking.")
    result = site_dir.run("build", "--now", "2026-11-21 10:00")
    assert result.exit_code == 0, result.output
    assert " from 1 incident into " in result.output
    site_dir.incident("2026-11-20-login-slow.md", "---\ntitle: [\n---\n")
    result = site_dir.run("check")
    assert "1 error in 1 file" in result.output
    result = site_dir.run("build", "--now", "2026-11-21 10:00")
    assert result.exit_code == 1 and "error: 1 problem found; nothing was changed" in result.output


def test_init_inside_a_git_repository_does_not_say_git_init(tmp_path) -> None:
    from click.testing import CliRunner

    from statuspage.commands.main import cli

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    result = CliRunner().invoke(cli, ["init", str(repo)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert 'git add . && git commit -m "Status page"' in result.output
    assert "git init" not in result.output
    result = CliRunner().invoke(cli, ["init", str(repo / "status")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "git init" not in result.output
    assert (
        f"note: GitHub runs workflows only from {repo.resolve() / '.github' / 'workflows'}"
        in result.output
    )
    outside = tmp_path / "alone"
    result = CliRunner().invoke(cli, ["init", str(outside)], catch_exceptions=False)
    assert 'git init && git add . && git commit -m "Status page"' in result.output


def test_incident_ids_differing_only_in_case_are_refused(site_dir: SiteDir) -> None:
    text = "---\ntitle: Login\n---\n\n## Investigating · 2026-11-20 10:00\nLooking.\n"
    site_dir.incident("2026-11-20-Login.md", text)
    site_dir.incident("2026-11-20-login.md", text)
    if len(list((site_dir.root / "incidents").iterdir())) < 2:
        pytest.skip("this file system folds case: the two files cannot both exist")
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert (
        "incidents/2026-11-20-Login.md:1: this incident's id differs from incidents/2026-11-20-login.md:1 "
        "only in letter case"
    ) in result.output
    assert (
        "incidents/2026-11-20-login.md:1: this incident's id differs from incidents/2026-11-20-Login.md:1"
        in result.output
    )


def test_booleans_in_the_config_are_real_booleans(site_dir: SiteDir) -> None:
    config = site_dir.root / "statuspage.yaml"
    original = config.read_text()
    config.write_text(
        original.replace("    id: website\n", "    id: website\n    collapsed: 'false'\n")
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert (
        "statuspage.yaml:10: `collapsed:` must be true or false, not the text 'false' (did you mean false?): "
        "write false without quotes"
    ) in result.output
    config.write_text(original + 'show_slo: "yes"\n')
    result = site_dir.run("check")
    assert (
        result.exit_code == 1
        and "`show_slo:` must be true or false, not the text 'yes'" in result.output
    )
    config.write_text(
        original.replace("    id: website\n", "    id: website\n    collapsed: false\n")
    )
    assert site_dir.run("check").exit_code == 0
    assert site_dir.load().config.groups[0].collapsed is False


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("base_url: https://good.example@evil.example/\n", "base_url"),
        ("subscribe: {email_url: 'https://good.example@evil.example/'}\n", "email_url"),
        ("logo: https://user:hunter2@evil.example/logo.svg\n", "logo"),
        (
            "notify:\n  webhooks:\n    - {url: 'https://user:hunter2@evil.example/hook', format: json}\n",
            "url",
        ),
    ],
)
def test_urls_with_a_user_name_before_the_host_are_refused(
    site_dir: SiteDir, setting: str, key: str
) -> None:
    config = site_dir.root / "statuspage.yaml"
    text = config.read_text().replace("base_url: https://status.test.example/sub/\n", "")
    config.write_text(
        text
        + (setting if key == "base_url" else "base_url: https://status.test.example/\n" + setting)
    )
    result = site_dir.run("check")
    assert result.exit_code == 1, result.output
    assert (
        f"`{key}:` holds a user name or password before `@` (the URL leads to 'evil.example')"
        in result.output
    )
    assert "hunter2" not in result.output and "good.example" not in result.output


def test_a_postmortem_link_or_base_url_option_with_a_user_name_is_refused(
    site_dir: SiteDir,
) -> None:
    site_dir.incident(
        "2026-11-20-login.md",
        """\
        ---
        title: Login
        postmortem: https://good.example@evil.example/pm
        ---

        ## Resolved · 2026-11-20 11:00
        Fixed.
        """,
    )
    result = site_dir.run("check")
    assert (
        "incidents/2026-11-20-login.md:3: `postmortem:` holds a user name or password before `@`"
        in result.output
    )
    (site_dir.root / "incidents" / "2026-11-20-login.md").unlink()
    result = site_dir.run("build", "--base-url", "https://good.example@evil.example/")
    assert (
        result.exit_code == 2
        and "--base-url holds a user name or password before `@`" in result.output
    )


def test_one_more_unknown_component_is_said_in_the_singular(site_dir: SiteDir) -> None:
    typos = "".join(f"  nope{n}: major_outage\n" for n in range(11))
    site_dir.incident(
        "2026-11-20-x.md",
        f"---\ntitle: X\ncomponents:\n{typos}---\n\n## Investigating · 2026-11-20 10:00\nHi.\n",
    )
    result = site_dir.run("check")
    assert (
        "incidents/2026-11-20-x.md:14: and 1 more unknown component (line 14; not listed)"
        in result.output
    )
    assert "(known: api, web, dashboard, db)" in result.output


def test_the_relays_api_url_with_a_user_name_is_refused(tmp_path) -> None:
    from click.testing import CliRunner

    from statuspage.commands.main import cli

    result = CliRunner().invoke(
        # --listen is bad too: were the URL let through, the command would fail, not serve.
        cli,
        [
            "relay",
            "--repo",
            "acme/status",
            "--api-url",
            "https://ghp_secret@evil.example/",
            "--listen",
            "nope",
        ],
        env={"GITHUB_TOKEN": "t"},
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert "--api-url must not hold a user or password" in result.output
    assert "ghp_secret" not in result.output
