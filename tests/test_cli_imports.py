"""The CLI imports a command's libraries only when that command runs: a `build` with
nothing to do must not pay for Jinja, Markdown, lxml or Babel (bench/README.md); `--help`
imports no command at all, and `alert` in a CI job only what it needs to edit incidents."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from statuspage.commands.main import COMMANDS, LazyGroup

from .conftest import EXAMPLE_INCIDENT, SiteDir
from .support.alert_sites import ALERT_CONFIG, fixture

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("jinja2", "markdown", "lxml", "babel", "feedgen", "icalendar", "nh3", "watchdog", "PIL")
# What no command that only edits files needs: the renderers, the network stack (pymdownx
# pulls in urllib.request, http.client and ssl), and the stages of the other commands.
NOT_FOR_ALERT = (
    *(m for m in HEAVY if m != "babel"),  # alert writes its sentences in the site's language
    "pymdownx", "urllib.request", "http.client", "ssl", "feedparser", "jsonschema",
    "babel.messages.pofile",  # only a site with its own translations/*.po reads one
    "tempfile", "shutil", "difflib",  # files.py makes its own temporary file; typos import difflib
    "statuspage.pipeline", "statuspage.state", "statuspage.outputs.pages", "statuspage.outputs.feeds",
    "statuspage.outputs.calendar", "statuspage.outputs.api", "statuspage.notify", "statuspage.importers",
    "statuspage.preview", "statuspage.upstream", "statuspage.review", "statuspage.alerts.relay",
)  # fmt: skip
# The rest of a site that `alert` does not read (source/alert_site.py): the whole history's
# loader, postmortems and their blameless-language checks, the theme, the page-count limits.
NOT_READ_BY_ALERT = {
    "statuspage.source.site", "statuspage.source.postmortem_file", "statuspage.source.blameless",
    "statuspage.source.templates", "statuspage.source.output_limits",
    "statuspage.source.colours",  # the brand colour's contrast checks: this site sets none
}  # fmt: skip
NOW = "2026-11-21T12:00:00Z"

# What the command itself imports: modules the interpreter loaded before it ran (a site's
# .pth files may import tempfile, say) are not the command's doing.
PROBE = """
import sys
before = set(sys.modules)
from statuspage.commands.main import cli
try:
    cli.main(sys.argv[1:], prog_name="statuspage")
except SystemExit as e:
    assert not e.code, e.code
print("loaded:", " ".join(m for m in {heavy!r} if m in sys.modules and m not in before))
print("statuspage:", " ".join(sorted(m for m in sys.modules if m.startswith("statuspage"))))
print("all:", " ".join(sorted(sys.modules)))
"""


def run_probe(*args: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """Run the CLI in a fresh interpreter; its output lines, then three: the heavy modules it
    imported, every statuspage module it imported, every module it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=heavy), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def modules(line: str) -> set[str]:
    return set(line.split(":", 1)[1].split())


def test_noop_build_imports_no_renderer(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    first = run_probe("build", "--source", str(site_dir.root), "--now", NOW)
    assert first[0].startswith("Built ") and "jinja2" in first[-3]
    again = run_probe("build", "--source", str(site_dir.root), "--now", NOW)
    assert again[0].startswith("Up to date: ")
    assert again[-3] == "loaded: "


def test_help_lists_every_command() -> None:
    lines = run_probe("--help")
    listed = {
        line.split()[0]
        for line in lines[lines.index("Commands:") + 1 : -3]
        if line.startswith("  ")
    }
    assert listed == {
        "alert",
        "build",
        "check",
        "diff",
        "import",
        "init",
        "new",
        "next-change",
        "notify",
        "postmortem",
        "relay",
        "resolve",
        "serve",
        "setting",
        "update",
        "upstream",
    }


def test_help_imports_no_command() -> None:
    """`statuspage --help` lists every command from the table in commands/main.py, importing none."""
    *_, heavy, ours, everything = run_probe("--help")
    assert heavy == "loaded: "
    assert modules(ours) == {"statuspage", "statuspage.commands", "statuspage.commands.main"}
    assert not modules(everything) & {"yaml", "babel", "pymdownx", "http.client", "ssl"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_listed_help_is_the_commands_own(name: str) -> None:
    """The one line `--help` shows for a command, at any terminal width, is the one its
    docstring gives: the table in commands/main.py cannot drift from the command."""
    group = LazyGroup(lazy=COMMANDS)  # a fresh one: no command loaded yet
    listed = group.listed(click.Context(group), name)
    command = group.get_command(click.Context(group), name)
    assert listed is not None and not listed.params  # the stand-in, not the command
    assert listed is not None and command is not None and command.name == name
    for limit in range(4, 300):
        assert listed.get_short_help_str(limit) == command.get_short_help_str(limit), (
            "update COMMANDS in commands/main.py"
        )


def test_alert_imports_only_what_it_uses(tmp_path: Path) -> None:
    """A monitor's webhook opening an incident, as a CI job runs it: no renderer, no build
    pipeline, no network stack, no other command's modules."""
    site = SiteDir(tmp_path / "site", ALERT_CONFIG)
    site.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    body = tmp_path / "firing.json"
    body.write_text(fixture("alertmanager-firing.json"), encoding="utf-8")
    lines = run_probe(
        "alert",
        "--format",
        "alertmanager",
        "--now",
        "2026-12-01T12:00:00Z",
        "--source",
        str(site.root),
        str(body),
        heavy=NOT_FOR_ALERT,
    )
    assert lines[0] == str(site.root / "incidents" / "2026-12-01-checkout-is-failing.md")
    assert lines[-3] == "loaded: "
    ours = modules(lines[-2])
    assert not {m for m in ours if m.startswith(NOT_FOR_ALERT)}
    assert not ours & NOT_READ_BY_ALERT
    assert {m for m in ours if m.startswith("statuspage.commands.")} == {
        "statuspage.commands._common",
        "statuspage.commands.alert",
        "statuspage.commands.main",
    }


def test_check_and_new_import_no_postmortem_checks_for_a_site_without_postmortems(
    site_dir: SiteDir,
) -> None:
    """The blameless-language patterns (source/blameless.py) are compiled only for a site
    that has a postmortem to check; nor does `new` import tempfile to write its file."""
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    root = str(site_dir.root)
    checked = run_probe("check", "--source", root, heavy=("statuspage.source.blameless",))
    assert checked[-3] == "loaded: "
    made = run_probe(
        "new", "Slow API", "--source", root, "--at", "2026-11-21 10:00", "--message", "Looking.",
        heavy=("statuspage.source.blameless", "tempfile"),
    )  # fmt: skip
    assert made[0] == str(site_dir.root / "incidents" / "2026-11-21-slow-api.md")
    assert made[-3] == "loaded: "
    site_dir.incident("2026-11-20-api-errors.postmortem.md", "---\ntitle: Review\n---\n\nText.\n")
    again = run_probe("check", "--source", root, heavy=("statuspage.source.blameless",))
    assert again[-3] == "loaded: statuspage.source.blameless"
