"""Compiled templates kept for the next process in this user's cache folder
(pipeline/template_store.py): a fresh build compiles only what changed, shows exactly
what its sources say, and never runs code kept in the site's folder or in a folder
someone else could write.

Each build here goes through the one build function with a fresh RenderCache, as a new
`statuspage build` process would; Jinja's compiler is counted, not timed.
"""

from __future__ import annotations

import gettext
import marshal
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pytest

from statuspage.model import Theme
from statuspage.outputs.pages import environment
from statuspage.pipeline.run import run_build

from .conftest import SiteDir, parse_html, text_of
from .support.open_incident import API_ERRORS as INCIDENT

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    s = SiteDir(tmp_path / "site")
    s.incident("2026-11-20-api.md", INCIDENT)
    return s


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates Jinja compiles from source, in order."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args, **kw):  # type: ignore[no-untyped-def]
        names.append(str(name))
        return original(self, source, name, *args, **kw)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    yield names


def cache_home(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "statuspage" / "templates"


def build(site: SiteDir, out: Path) -> dict[str, bytes]:
    """`build --no-cache` into *out*, in a fresh RenderCache (as a new process has)."""
    shutil.rmtree(out, ignore_errors=True)
    run_build(site.root, out, lambda config: NOW, use_cache=False)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_fresh_build_compiles_no_template_an_earlier_build_compiled(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled: list[str]
) -> None:
    cache_home(monkeypatch, tmp_path / "home")
    first = build(site, tmp_path / "first")
    assert "index.html" in compiled and "incident.html" in compiled
    compiled.clear()
    second = build(site, tmp_path / "second")
    assert compiled == []
    assert second == first


def test_an_edited_site_template_alone_is_compiled_again_and_shown(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled: list[str]
) -> None:
    cache_home(monkeypatch, tmp_path / "home")
    own = site.root / "site-templates" / "_subscribe.html"
    own.parent.mkdir()
    own.write_text("<p id=mine>First words</p>")
    build(site, tmp_path / "out")
    compiled.clear()
    own.write_text("<p id=mine>Second words</p>")
    build(site, tmp_path / "out")
    assert compiled == ["_subscribe.html"]
    page = parse_html(tmp_path / "out" / "index.html")
    assert [text_of(p) for p in page.xpath("//p[@id='mine']")] == ["Second words"]


def forged_index(folder: Path) -> Path:
    """The stored code of index.html in *folder*, replaced by code that renders FORGED."""
    for entry in folder.rglob("*.code"):
        code = marshal.loads(entry.read_bytes())
        if code.co_filename.endswith("/site-templates/index.html"):
            env = environment(Theme(), gettext.NullTranslations())
            entry.write_bytes(marshal.dumps(env.compile("FORGED", "index.html", code.co_filename)))
            entry.chmod(0o600)
            return entry
    raise AssertionError(f"no stored index.html under {folder}")


def test_code_is_only_loaded_from_a_folder_of_this_user_outside_the_site(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = cache_home(monkeypatch, tmp_path / "home")
    true_page = build(site, tmp_path / "out")["index.html"]
    assert b"FORGED" not in true_page
    entry = forged_index(home)
    # The user's own folder is trusted as Python's __pycache__ is: the forged file is
    # the one the build reads (so the refusals below are not for a wrong name).
    assert build(site, tmp_path / "out")["index.html"] == b"FORGED"

    entry.chmod(0o620)  # a file others may write
    assert build(site, tmp_path / "out")["index.html"] == true_page
    entry = forged_index(home)
    entry.parent.chmod(0o777)  # in a folder others may write
    assert build(site, tmp_path / "out")["index.html"] == true_page
    entry.parent.chmod(0o700)

    # The same forged folder inside the site (committed to it, say): never read.
    inside = site.root / ".cache"
    shutil.copytree(tmp_path / "home", inside)
    for folder in inside.rglob("*"):
        folder.chmod(0o700 if folder.is_dir() else 0o600)
    cache_home(monkeypatch, inside)
    assert build(site, tmp_path / "out")["index.html"] == true_page


def test_folders_of_code_versions_unused_for_a_week_go_when_a_new_one_is_made(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = cache_home(monkeypatch, tmp_path / "home")
    build(site, tmp_path / "out")
    (current,) = home.iterdir()
    stale, recent = home / ("0" * 32), home / ("1" * 32)
    for folder, days in ((stale, 8), (recent, 6)):
        folder.mkdir()
        (folder / "x.code").write_bytes(b"")
        moment = current.stat().st_mtime - days * 24 * 3600
        os.utime(folder, (moment, moment))
    build(site, tmp_path / "out")  # the same code: its folder is there, nothing is removed
    assert {p.name for p in home.iterdir()} == {current.name, stale.name, recent.name}
    shutil.rmtree(current)  # as if the code had changed: a folder is made for it
    build(site, tmp_path / "out")
    assert {p.name for p in home.iterdir()} == {current.name, recent.name}
