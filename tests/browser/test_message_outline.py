"""A message using `###` and `####` (as the README suggests) keeps pages valid for
the Nu checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import SiteDir
from ..support.outlined import OPEN_AT, OUTLINED
from .conftest import nu_problems

pytestmark = pytest.mark.browser


def test_message_headings_pass_the_nu_checker(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.incident("2026-11-20-api.md", OUTLINED)
    out = site.build(OPEN_AT)
    pages = [out / "index.html", out / "incidents" / "2026-11-20-api" / "index.html"]
    assert "<h5>Details</h5>" in pages[0].read_text() and "<h5>Details</h5>" in pages[1].read_text()
    assert nu_problems(pages) == []
