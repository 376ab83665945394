"""Every generated HTML page passes the Nu HTML Checker (vnu) without errors or warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import nu_problems

pytestmark = pytest.mark.browser


def test_every_page_is_valid_html(example_site: Path) -> None:
    pages = sorted(example_site.rglob("*.html"))
    # Every page type at every instant (so an empty build cannot pass).
    for page in [
        "index.html",
        "404.html",
        "history/index.html",
        "components/api/index.html",
        "components/data/index.html",
        "postmortems/index.html",
        "incidents/2026-11-20-api-errors/index.html",
        "outage/index.html",
        "maintenance/index.html",
    ]:
        assert example_site / page in pages
    assert nu_problems(pages) == []
