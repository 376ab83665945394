"""Nothing outside the site is read, and no file anyone can plant is trusted.

Each test reproduces a red-team case from issue 18 with real files, real builds and
real processes: links out of the site, a planted build journal, an edited build cache,
leftover staging folders, and two builds racing into one output folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lxml import html as lxml_html

from .conftest import CONFIG, SiteDir, write

NOW = "2026-11-21T12:00:00Z"
INCIDENT = """\
---
title: API errors
impact: major
components: {api: partial_outage}
---
## Investigating · 2026-11-20 14:02

We are looking into it.
"""


def statuspage(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795262400"}  # 2026-11-21 12:00 UTC
    return subprocess.run([sys.executable, "-m", "statuspage", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site holding a secret the build must never publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "environ").write_text("AWS_SECRET=hunter2\n")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    s = SiteDir(tmp_path / "site")
    s.incident("2026-11-20-api.md", INCIDENT)
    return s


def published(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


# -- reading outside the site ---------------------------------------------------------


def test_a_logo_linked_out_of_the_site_is_refused_at_its_config_line(site: SiteDir, outside: Path) -> None:
    (site.root / "logo.svg").symlink_to(outside / "environ")
    write(site.root / "statuspage.yaml", CONFIG + "logo: logo.svg\n")
    line = CONFIG.count("\n") + 1
    result = statuspage("build", "--source", str(site.root), "--out", str(site.root.parent / "out"))
    assert result.returncode == 1
    assert f"statuspage.yaml:{line}: `logo:` this file is a link to outside the site folder" in result.stdout + result.stderr
    assert not (site.root.parent / "out").exists()


def test_a_logo_naming_a_dotfile_is_refused(site: SiteDir) -> None:
    write(site.root / ".git" / "config", "[remote]\n  url = https://token@example.com\n")
    write(site.root / "statuspage.yaml", CONFIG + "logo: .git/config\n")
    assert any(
        f"statuspage.yaml:{CONFIG.count(chr(10)) + 1}: `logo:` .git/config is a hidden file" in p for p in site.problems()
    )


def test_a_logo_linked_inside_the_site_is_still_published(site: SiteDir) -> None:
    write(site.root / "assets" / "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    (site.root / "logo.svg").symlink_to(site.root / "assets" / "logo.svg")
    write(site.root / "statuspage.yaml", CONFIG + "logo: logo.svg\n")
    out = site.build(NOW)
    assert (out / "logo.svg").read_bytes() == (site.root / "assets" / "logo.svg").read_bytes()


def test_a_translation_linked_out_of_the_site_is_refused_and_never_shown(site: SiteDir, outside: Path) -> None:
    (outside / "en.po").write_text('msgid "All systems operational"\nmsgstr "AWS_SECRET=hunter2"\n')
    (site.root / "translations").mkdir()
    (site.root / "translations" / "en.po").symlink_to(outside / "en.po")
    assert "translations/en.po: this file is a link to outside the site folder; copy the file in instead" in site.problems()
    result = statuspage("build", "--source", str(site.root), "--out", str(site.root.parent / "out"))
    assert result.returncode == 1
    assert "hunter2" not in result.stdout + result.stderr


@pytest.mark.parametrize("linked", ["folder", "file"])
def test_site_templates_linked_out_of_the_site_are_refused_and_never_rendered(site: SiteDir, outside: Path, linked: str) -> None:
    theme = outside / "theme"
    write(theme / "page.html", "{{ 'AWS_SECRET=hunter2' }}")
    if linked == "folder":
        (site.root / "site-templates").symlink_to(theme)
        bad = "site-templates"
    else:
        (site.root / "site-templates").mkdir()
        (site.root / "site-templates" / "page.html").symlink_to(theme / "page.html")
        bad = "site-templates/page.html"
    assert f"{bad}: this file is a link to outside the site folder; copy the file in instead" in site.problems()
    result = statuspage("build", "--source", str(site.root), "--out", str(site.root.parent / "out"))
    assert result.returncode == 1
    assert not (site.root.parent / "out").exists()
