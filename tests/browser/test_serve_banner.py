"""`statuspage serve`'s error banner is readable over the site's own styles, light and dark."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from ..conftest import EXAMPLE_INCIDENT, SiteDir
from ..support.serve import Server, banner_of
from .conftest import CHROMIUM, HERE, NODE_MODULES, require

pytestmark = pytest.mark.browser


def luminance(css: str) -> float:
    """WCAG relative luminance of an opaque `rgb(r, g, b)` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_error_banner_text_contrasts_in_both_themes(site_dir: SiteDir) -> None:
    require(shutil.which("node") is not None, "Node.js")
    require((NODE_MODULES / "playwright-core").is_dir(), "playwright-core (npm)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    incident = site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    server = Server(site_dir.root)
    try:
        server.wait_for("", lambda body: "Test Status" in body)
        incident.write_text(
            EXAMPLE_INCIDENT.replace("impact: major", "impact: catastrophic"), encoding="utf-8"
        )
        server.wait_for("", lambda body: banner_of(body) is not None)
        done = subprocess.run(
            ["node", str(HERE / "banner.cjs"), server.url],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        server.kill()
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    for scheme in ("light", "dark"):
        texts = found[scheme]
        assert {t["tag"] for t in texts} == {"strong", "pre"}, texts  # the heading and the errors
        for t in texts:
            assert contrast(t["color"], t["background"]) >= 4.5, (scheme, t)
