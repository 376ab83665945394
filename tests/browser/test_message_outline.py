"""A message using `###` and `####` (as the README suggests) keeps pages valid for the Nu checker."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import SiteDir
from ..test_authoring_contract import OPEN_AT, OUTLINED
from .conftest import VNU_JAR, require

pytestmark = pytest.mark.browser


def test_message_headings_pass_the_nu_checker(tmp_path: Path) -> None:
    require(shutil.which("java") is not None, "Java")
    require(VNU_JAR.is_file(), "vnu-jar (npm)")
    site = SiteDir(tmp_path / "site")
    site.incident("2026-11-20-api.md", OUTLINED)
    out = site.build(OPEN_AT)
    pages = [out / "index.html", out / "incidents" / "2026-11-20-api" / "index.html"]
    assert "<h5>Details</h5>" in pages[0].read_text() and "<h5>Details</h5>" in pages[1].read_text()
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    messages = json.loads(done.stderr)["messages"]
    problems = [
        f"{m['url']}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if "violates Content Security Policy" not in m["message"]  # file: URLs; see test_html_valid.py
    ]
    assert problems == []
