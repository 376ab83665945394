"""Operator files (statuspage.yaml, translations/*.po, the names in incidents/) are
text like any other: escaped in every output, refused at `path:line` when they
would break a format, and never silently skipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import CONFIG, SiteDir, parse_html, text_of, write
from .support.inert import assert_inert

NOW = "2026-11-21 12:00 +01:00"
OPEN_MINOR = (
    "---\ntitle: Slow API\nimpact: minor\ncomponents:\n  api: degraded_performance\n---\n\n"
    "## Investigating · 2026-11-21 10:00\nLooking.\n"
)
MAINTENANCE = (
    "---\ntitle: {title}\nmaintenance:\n  start: 2026-11-25 02:00\n  end: 2026-11-25 04:00\n"
    "components: [api]\n---\n\n"
    "## Scheduled · 2026-11-20 10:00\nWe upgrade the database.\n"
)
PROBLEM = re.compile(r"^[^\s:][^:]*:\d+: .+$")


def build(site_dir: SiteDir) -> tuple[int, list[str], Path]:
    out = site_dir.root / "_site"
    result = site_dir.run("build", "--out", str(out), "--now", NOW)
    return result.exit_code, result.output.splitlines(), out


def test_translation_msgstr_is_escaped_not_markup(site_dir: SiteDir) -> None:
    # The red-team catalog put `<img onerror>` on every page (only the CSP stopped it).
    site_dir.incident("2026-11-21-slow.md", OPEN_MINOR)
    write(
        site_dir.root / "translations" / "en.po",
        'msgid "Minor Service Disruption"\n'
        'msgstr "<img src=x onerror=alert(1)> Slow & <b>odd</b>"\n',
    )
    code, lines, out = build(site_dir)
    assert code == 0, lines
    banner = parse_html(out / "index.html").cssselect(".banner h1")[0]
    assert text_of(banner) == "<img src=x onerror=alert(1)> Slow & <b>odd</b>"
    assert not banner.cssselect("img, b")
    assert_inert(out)


def test_translation_in_plain_text_messages_is_not_double_escaped(site_dir: SiteDir) -> None:
    from statuspage.outputs.pages import environment
    from statuspage.source.templates import load_theme
    from statuspage.source.translations import site_translations

    write(
        site_dir.root / "translations" / "en.po",
        'msgid "Minor Service Disruption"\nmsgstr "Slow & odd"\n',
    )
    env = environment(load_theme(site_dir.root), site_translations(site_dir.root, "en"))
    html = env.from_string('{{ _("Minor Service Disruption") }}').render()
    env.autoescape = False  # as notify's .txt templates are rendered
    text = env.from_string('{{ _("Minor Service Disruption") }}').render()
    assert (html, text) == ("Slow &amp; odd", "Slow & odd")
    assert (
        site_translations(site_dir.root, "en").gettext("Minor Service Disruption") == "Slow & odd"
    )


@pytest.mark.parametrize(
    ("setting", "line", "message"),
    [
        pytest.param(
            'title: "Acme\\r\\nStatus"',
            1,
            "`title:` contains a carriage return (\\r); remove it",
            id="title-crlf",
        ),
        pytest.param(
            'title: "Acme\\nStatus"',
            1,
            "`title:` must be one line of text: it contains a line break",
            id="title-lf",
        ),
        pytest.param(
            'title: "Acme\\rStatus"',
            1,
            "`title:` contains a carriage return (\\r); remove it",
            id="title-lone-cr",
        ),
        pytest.param(
            'title: Test Status\nbase_url: "https://status.test.example/\\r\\nX-Injected: 1"',
            2,
            "`base_url:` contains a carriage return",
            id="base-url-crlf",
        ),
        pytest.param(
            'title: Test Status\nbase_url: "https://status.test.example/\\nx"',
            2,
            "`base_url:` must be one line of text",
            id="base-url-lf",
        ),
        pytest.param(
            'title: Test Status\ndescription: "Our\\rservices"',
            2,
            "`description:` contains a carriage return",
            id="description-cr",
        ),
    ],
)
def test_config_text_with_line_breaks_is_refused_at_its_line(
    tmp_path: Path, setting: str, line: int, message: str
) -> None:
    # These crashed `build` and `notify` with an internal error (icalendar refused the URL).
    config = (
        CONFIG.replace("title: Test Status", setting)
        if "base_url" not in setting
        else CONFIG.replace(
            "title: Test Status\nbase_url: https://status.test.example/sub/", setting
        )
    )
    site_dir = SiteDir(tmp_path / "site", config)
    site_dir.incident("2026-11-25-db.md", MAINTENANCE.format(title="DB upgrade"))
    for command in ("check", "build", "notify"):
        args = (
            ("build", "--out", str(site_dir.root / "_site"), "--now", NOW)
            if command == "build"
            else (command,)
        )
        result = site_dir.run(*args)
        assert result.exit_code == 1, (command, result.output)
        assert "internal error" not in result.output
        assert any(
            out_line.startswith(f"statuspage.yaml:{line}: {message}")
            for out_line in result.output.splitlines()
        ), (command, result.output)
    assert not (site_dir.root / "_site").exists()


def test_component_name_with_a_line_break_is_refused(tmp_path: Path) -> None:
    site_dir = SiteDir(
        tmp_path / "site", CONFIG.replace("name: Public API", 'name: "Public\\nAPI"')
    )
    code, lines, _ = build(site_dir)
    assert code == 1
    assert "statuspage.yaml:6: `name:` must be one line of text: it contains a line break" in lines


def test_no_lone_carriage_return_reaches_the_calendar(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-25-db.md", MAINTENANCE.format(title='"DB\\rupgrade\\r\\nnow"'))
    code, lines, out = build(site_dir)
    assert code == 0, lines
    data = (out / "maintenance.ics").read_bytes()
    assert not re.search(rb"\r(?!\n)", data)
    unfolded = data.replace(b"\r\n ", b"")
    assert b"SUMMARY:DB\\nupgrade\\nnow\r\n" in unfolded


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param(
            "2026-11-20-x.MD",
            "the file name ends in `.MD`, so it is never read; rename it to `2026-11-20-x.md`",
            id="upper-case-suffix",
        ),
        pytest.param(
            "..2026-11-20-x.md",
            "the file name starts with `.`, so it is never read; "
            "rename it to `2026-11-20-x.md` or delete it",
            id="leading-dots",
        ),
        pytest.param(
            "2026-11-20-x.md\n",
            "the file name contains a control character (a newline?), "
            "so it is never read; rename it",
            id="trailing-newline",
        ),
        pytest.param(
            "2026-11-20-\x1bx.md",
            "the file name contains a control character",
            id="escape-character",
        ),
    ],
)
def test_misnamed_incident_files_are_reported(site_dir: SiteDir, name: str, message: str) -> None:
    site_dir.incident("2026-11-21-slow.md", OPEN_MINOR)
    (site_dir.root / "incidents" / name).write_text(OPEN_MINOR, encoding="utf-8")
    result = site_dir.run("check")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("incidents/")]
    assert len(lines) == 1 and message in lines[0], lines
    shown = name.replace("\n", "\\n").replace("\x1b", "\\x1b")
    assert lines[0].startswith(f"incidents/{shown}:1: ")
    assert all(PROBLEM.match(line) for line in lines)


def test_editor_lock_files_are_not_reported(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-21-slow.md", OPEN_MINOR)
    (site_dir.root / "incidents" / ".#2026-11-21-slow.md").write_text(
        "user@host.123", encoding="utf-8"
    )
    result = site_dir.run("check")
    assert result.exit_code == 0, result.output
