"""The CLI imports a command's libraries only when that command runs: a `build` with
nothing to do must not pay for Jinja, Markdown, lxml or Babel (bench/README.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLE_INCIDENT, SiteDir

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("jinja2", "markdown", "lxml", "babel", "feedgen", "icalendar", "nh3", "watchdog")
NOW = "2026-11-21T12:00:00Z"

PROBE = """
import sys
from statuspage.commands.main import cli
try:
    cli.main(sys.argv[1:], prog_name="statuspage")
except SystemExit as e:
    assert not e.code, e.code
print("loaded:", " ".join(m for m in {heavy!r} if m in sys.modules))
"""


def run_probe(*args: str) -> list[str]:
    """Run the CLI in a fresh interpreter; its output lines, the last naming the heavy modules it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_noop_build_imports_no_renderer(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    first = run_probe("build", "--source", str(site_dir.root), "--now", NOW)
    assert first[0].startswith("Built ") and "jinja2" in first[-1]
    again = run_probe("build", "--source", str(site_dir.root), "--now", NOW)
    assert again[0].startswith("Up to date: ")
    assert again[-1] == "loaded: "


def test_help_lists_every_command() -> None:
    lines = run_probe("--help")
    listed = {line.split()[0] for line in lines[lines.index("Commands:") + 1 : -1] if line.startswith("  ")}
    assert listed == {"alert", "build", "check", "diff", "import", "init", "new", "next-change", "notify", "postmortem", "relay", "resolve", "serve", "setting", "update", "upstream"}
