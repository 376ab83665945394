"""`statuspage check`: every problem reported at once as path:line, never a traceback."""

from __future__ import annotations

import pytest

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, write


def check(site_dir: SiteDir) -> tuple[int, list[str]]:
    result = site_dir.run("check")
    return result.exit_code, [
        line
        for line in result.output.splitlines()
        if line.startswith(("incidents/", "statuspage.yaml"))
    ]


def dated(site_dir: SiteDir) -> SiteDir:
    """*site_dir* saying when it began: without `start_date:`, `check` notes what it assumed."""
    write(site_dir.root / "statuspage.yaml", CONFIG + "start_date: 2026-01-01\n")
    return site_dir


def test_clean_site_passes(site_dir: SiteDir) -> None:
    dated(site_dir)
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    code, lines = check(site_dir)
    assert (code, lines) == (0, [])


GOOD_HEAD = "---\ntitle: T\nimpact: minor\ncomponents:\n  api: partial_outage\n---\n\n"

CASES = [
    pytest.param(
        "---\ntitle: [unclosed\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        2,
        "invalid YAML",
        id="invalid-yaml",
    ),
    pytest.param(
        "---\nimpact: minor\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        1,
        "`title:` is required",
        id="missing-title",
    ),
    pytest.param(
        "---\ntitle: T\nseverity: down\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        3,
        "unknown key 'severity'",
        id="unknown-key",
    ),
    pytest.param(
        "---\ntitle: T\ncomponents:\n  apii: major_outage\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        4,
        "unknown component 'apii' (did you mean 'api'?)",
        id="unknown-component",
    ),
    pytest.param(
        "---\ntitle: T\ncomponents:\n  api: degarded_performance\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        4,
        "unknown component status 'degarded_performance'",
        id="unknown-component-status",
    ),
    pytest.param(
        "---\ntitle: T\nimpact: huge\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        3,
        "unknown impact 'huge'",
        id="unknown-impact",
    ),
    pytest.param(
        GOOD_HEAD + "## Investigatin · 2026-11-20 10:00\nx\n",
        8,
        "unknown incident status 'Investigatin' (did you mean 'investigating'?)",
        id="unknown-status",
    ),
    pytest.param(
        GOOD_HEAD + "## Investigating · 20/11/2026 10:00\nx\n",
        8,
        "cannot read timestamp '20/11/2026 10:00'",
        id="bad-timestamp",
    ),
    pytest.param(
        GOOD_HEAD + "## Investigating · 2026-11-19 23:00\nx\n",
        8,
        "before the day in the file name",
        id="update-before-file-day",
    ),
    pytest.param(
        GOOD_HEAD
        + "## Monitoring · 2026-11-20 12:00\nlater\n\n## Resolved · 2026-11-20 11:00\nfixed\n\n## Investigating · 2026-11-20 10:00\nx\n",
        8,
        "comes after the incident was resolved",
        id="update-after-resolved",
    ),
    pytest.param(GOOD_HEAD, 7, "no updates", id="no-updates"),
    pytest.param(
        "---\ntitle: T\nmaintenance:\n  start: 2026-11-20 04:00\n  end: 2026-11-20 02:00\n---\n\n## Scheduled · 2026-11-19 10:00\nx\n",
        5,
        "`end:` must be after its `start:`",
        id="maintenance-end-before-start",
    ),
    pytest.param(
        GOOD_HEAD + "Some stray text\n\n## Investigating · 2026-11-20 10:00\nx\n",
        8,
        "text before the first update",
        id="text-before-update",
    ),
    pytest.param(
        GOOD_HEAD + "## Something odd\nx\n", 8, "cannot read update heading", id="bad-heading"
    ),
    pytest.param(
        GOOD_HEAD + "## Investigating · 2026-11-20 10:00\nComponents: nope=major_outage\n\nx\n",
        9,
        "unknown component 'nope'",
        id="bad-components-line",
    ),
    pytest.param(
        GOOD_HEAD + "## Scheduled · 2026-11-20 10:00\nx\n",
        8,
        "unknown incident status 'Scheduled'",
        id="maintenance-status-on-incident",
    ),
    pytest.param(
        GOOD_HEAD
        + "## Identified · 2026-11-20 10:00\ny\n\n## Investigating · 2026-11-20 10:00\nx\n",
        11,
        "same time",
        id="duplicate-times",
    ),
    pytest.param(
        "---\ntitle: T\n---\n\n## Investigating · 2026-03-29 02:30\nx\n",
        5,
        "does not exist in Europe/Berlin",
        id="dst-gap",
    ),
    pytest.param(
        "---\ntitle: T\n---\n\n## Investigating · 2026-10-25 02:30\nx\n",
        5,
        "happens twice in Europe/Berlin",
        id="dst-overlap",
    ),
    pytest.param(
        "---\ntitle: T\ntitle: U\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        3,
        "duplicate key 'title'",
        id="duplicate-key",
    ),
    pytest.param(
        "---\ntitle: !!python/object:os.system x\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
        2,
        "unsupported YAML value",
        id="python-tag",
    ),
    pytest.param(
        "title: T\n\n## Investigating · 2026-11-20 10:00\nx\n",
        1,
        "must start with `---`",
        id="no-front-matter",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), CASES)
def test_each_problem_is_located(site_dir: SiteDir, text: str, line: int, message: str) -> None:
    name = "2026-11-20-case.md"
    if "2026-03-29" in text:
        name = "2026-03-29-case.md"
    if "2026-10-25" in text:
        name = "2026-10-25-case.md"
    site_dir.incident(name, text)
    code, lines = check(site_dir)
    assert code == 1
    assert any(
        entry.startswith(f"incidents/{name}:{line}: ") and message in entry for entry in lines
    ), lines


def test_all_problems_reported_at_once(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-a.md",
        "---\ntitle: A\nimpact: huge\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
    )
    site_dir.incident(
        "2026-11-21-b.md",
        "---\ntitle: B\ncomponents:\n  nope: major_outage\n---\n\n## Investigating · 2026-11-21 10:00\nx\n",
    )
    code, lines = check(site_dir)
    assert code == 1
    assert [entry.split(": ")[0] for entry in lines] == [
        "incidents/2026-11-20-a.md:3",
        "incidents/2026-11-21-b.md:4",
    ]


def test_bad_file_name(site_dir: SiteDir) -> None:
    site_dir.incident("api errors.md", EXAMPLE_INCIDENT)
    code, lines = check(site_dir)
    assert code == 1 and lines[0].startswith(
        "incidents/api errors.md: incident files are named YYYY-MM-DD-slug.md"
    )


@pytest.mark.parametrize(
    ("config", "line", "message"),
    [
        (
            CONFIG + "  - id: api\n    name: Again\n",
            15,
            "duplicate component id 'api' (first defined on line 5)",
        ),
        (
            CONFIG.replace("timezone: Europe/Berlin", "timezone: Europe/Berlln"),
            3,
            "unknown time zone 'Europe/Berlln'",
        ),
        (CONFIG + "colour: red\n", 15, "unknown setting 'colour'"),
        (
            CONFIG.replace(
                "base_url: https://status.test.example/sub/", "base_url: status.test.example"
            ),
            2,
            "`base_url:` must be the absolute URL",
        ),
        (CONFIG.replace("title: Test Status\n", ""), 0, "`title:` is required"),
        ("title: x\n\tbase_url: y\n", 2, "indent with spaces, not tabs"),
        ("a: &x [1]\nb: *x\n", 2, "YAML aliases"),
    ],
)
def test_config_problems(tmp_path, config: str, line: int, message: str) -> None:
    site = SiteDir(tmp_path / "s", config)
    code, lines = check(site)
    assert code == 1
    wanted = f"statuspage.yaml:{line}: " if line else "statuspage.yaml"
    assert any(entry.startswith(wanted) and message in entry for entry in lines), lines


def test_github_annotations(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-a.md",
        "---\ntitle: A\nimpact: huge\n---\n\n## Investigating · 2026-11-20 10:00\nx\n",
    )
    result = site_dir.run("check", "--format", "github")
    assert result.exit_code == 1
    assert "::error file=incidents/2026-11-20-a.md,line=3::unknown impact 'huge'" in result.output


def test_binary_and_bad_encoding_are_reported_not_raised(site_dir: SiteDir) -> None:
    (site_dir.root / "incidents" / "2026-11-20-bin.md").write_bytes(b"\x00\x01\x02garbage")
    (site_dir.root / "incidents" / "2026-11-20-latin.md").write_bytes(
        "---\ntitle: Caf\xe9\n---\n".encode("latin-1")
    )
    code, lines = check(site_dir)
    assert code == 1
    assert any("bin.md:1: this is not a text file" in entry for entry in lines)
    assert any("latin.md:2: file is not valid UTF-8" in entry for entry in lines)


def test_bom_and_crlf_are_fine(site_dir: SiteDir) -> None:
    dated(site_dir)
    data = ("\ufeff" + EXAMPLE_INCIDENT).replace("\n", "\r\n").encode()
    (site_dir.root / "incidents" / "2026-11-20-crlf.md").write_bytes(data)
    assert check(site_dir) == (0, [])


def test_missing_config(tmp_path) -> None:
    from click.testing import CliRunner

    from statuspage.commands.main import cli

    result = CliRunner().invoke(cli, ["check", "--source", str(tmp_path)])
    assert result.exit_code == 1
    assert "statuspage.yaml: no statuspage.yaml here" in result.output


def test_update_heading_separators(site_dir: SiteDir) -> None:
    """`·` is awkward to type, so `-` and `|` separate status and time as well."""
    write(
        site_dir.root / "incidents" / "2026-11-20-x.md",
        GOOD_HEAD
        + "## Resolved | 2026-11-20 11:00\nok\n\n## Investigating - 2026-11-20 10:00\nx\n",
    )
    site = site_dir.load()
    assert [u.status.word for u in site.incidents[0].updates] == ["investigating", "resolved"]
