"""Every generated HTML page passes the Nu HTML Checker (vnu) without errors or warnings."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import VNU_JAR, require

pytestmark = pytest.mark.browser


def test_every_page_is_valid_html(example_site: Path) -> None:
    require(shutil.which("java") is not None, "Java")
    require(VNU_JAR.is_file(), "vnu-jar (npm)")
    pages = sorted(example_site.rglob("*.html"))
    # Every page type at every instant (so an empty build cannot pass).
    for page in [
        "index.html",
        "404.html",
        "history/index.html",
        "postmortems/index.html",
        "incidents/2026-11-20-api-errors/index.html",
        "outage/index.html",
        "maintenance/index.html",
    ]:
        assert example_site / page in pages
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
    assert problems == []
    assert done.returncode == 0
