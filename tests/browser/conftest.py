"""A built example site served on 127.0.0.1, and the external checkers run over it.

The checkers come from npm (tests/browser/package.json: `npm ci --prefix tests/browser`),
Java and Chromium from Debian (`default-jre-headless`, `chromium`; CHROMIUM names another
binary); `.ci/test-tools` installs all of them. Where one is missing, the tests that need it
are skipped, saying what to install (under CI=true they fail).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from statuspage.pipeline.build import build
from statuspage.pipeline.writer import write_site
from statuspage.source.site import load_site

from ..conftest import REPO, at
from ..support.servers import serving

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Debian's chromium, or another Chromium/Chrome binary named by CHROMIUM (chromium.cjs reads it too).
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
INSTALL = "run .ci/test-tools, or: apt-get install default-jre-headless chromium && npm ci --prefix tests/browser"

# The repository's own example site at three instants: the README's (a minor incident
# open, maintenance scheduled), during the API incident (partial outage) and during the
# network maintenance, so every banner colour and status badge is checked.
NOW = "2026-11-26 10:00"
INSTANTS = {"": NOW, "outage/": "2026-11-20 14:30", "maintenance/": "2026-12-03 01:30"}

# One page of each type (an incident page in each state), then the other instants' index pages.
PAGES = [
    "index.html",
    "incidents/2026-11-20-api-errors/",  # resolved, with a postmortem
    "incidents/2026-11-25-webhook-delays/",  # open
    "incidents/2026-12-03-network-maintenance/",  # scheduled maintenance
    "history/",
    "components/api/",  # a component: bars, periods, monthly chart, incidents, badge snippet
    "components/data/",  # a group: its members too
    "postmortems/",
    "404.html",
    "outage/index.html",
    "outage/incidents/2026-11-20-api-errors/",
    "maintenance/index.html",
    "subscribe/",
    "embed/",  # the iframe widgets: the whole page's, and one component's in another state
    "outage/embed/api/",
]


def require(condition: bool, what: str) -> None:
    if not condition:
        # CI installs every tool (.ci/test-tools): there a missing one is a failure, never a silent skip.
        if os.environ.get("CI"):
            pytest.fail(f"{what} not available in CI: {INSTALL}")
        pytest.skip(f"{what} not available: {INSTALL}")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built into one folder, each instant in its own sub-folder."""
    site, problems = load_site(REPO)
    assert site is not None, problems.items
    root = tmp_path_factory.mktemp("example") / "site"
    for prefix, now in INSTANTS.items():
        write_site(build(site, at(now, site.config.timezone)), root / prefix, REPO)
    return root


@pytest.fixture(scope="session")
def served(example_site: Path) -> Iterator[str]:
    """The example site over HTTP on 127.0.0.1 (a free port), as browsers meet it."""
    with serving(example_site) as url:
        yield url


def nu_problems(pages: list[Path]) -> list[str]:
    """What the Nu HTML Checker (vnu) reports on *pages*, one `url:line: type: message` each."""
    require(shutil.which("java") is not None, "Java")
    require(VNU_JAR.is_file(), "vnu-jar (npm)")
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    messages = json.loads(done.stderr)["messages"]
    problems = [
        f"{m['url']}:{m.get('lastLine')}: {m['type']} {m.get('subType', '')}: {m['message']}"
        for m in messages
        # vnu reads files from file: URLs, whose origin does not match the CSP's 'self';
        # browsers load the stylesheet from disk and over HTTP (check.cjs nocss sees it apply).
        if "violates Content Security Policy" not in m["message"]
    ]
    assert problems or done.returncode == 0, done.stderr
    return problems


def run_browser_check(mode: str, base: str, paths: list[str]) -> list[dict]:
    """Run tests/browser/check.cjs MODE over PATHS of the served site; its JSON report."""
    require(shutil.which("node") is not None, "Node.js")
    require(
        (NODE_MODULES / "playwright-core").is_dir() and (NODE_MODULES / "axe-core").is_dir(),
        "playwright-core/axe-core (npm)",
    )
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    done = subprocess.run(
        ["node", str(HERE / "check.cjs"), mode, base, *paths],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
