"""Failure injection: a build that fails in any way leaves the last good site byte for byte.

Each test builds a good site, breaks the next build (bad template, a stage
raising, a full disk, Ctrl-C, a failed swap) and checks through the CLI that
the old site is untouched, no staging folder is left behind, and the user got a
message rather than a traceback.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pytest

from statuspage.outputs.output import Output
from statuspage.outputs.pages import render_pages
from statuspage.outputs.render_cache import RenderCache
from statuspage.pipeline import build as build_module
from statuspage.pipeline.build import build
from statuspage.pipeline.writer import write_site
from statuspage.source.site import load_site
from statuspage.state.snapshot import Snapshot

from .conftest import EXAMPLE_INCIDENT, SiteDir

NOW = "2026-11-22 12:00"


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(site_dir: SiteDir) -> tuple[SiteDir, Path, dict[str, str]]:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    out = site_dir.root.parent / "public"
    result = site_dir.run("build", "--out", str(out), "--now", NOW)
    assert result.exit_code == 0, result.output
    before = tree_hashes(out)
    assert "index.html" in before
    # Changed content, so that an overwritten site would differ from the old one.
    site_dir.incident(
        "2026-11-21-new.md",
        EXAMPLE_INCIDENT.replace("2026-11-20", "2026-11-21").replace("API", "Queue"),
    )
    return site_dir, out, before


def assert_untouched(out: Path, before: dict[str, str]) -> None:
    assert tree_hashes(out) == before
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    assert leftovers == [], "staging folders left behind"


def build_cli(site_dir: SiteDir, out: Path, *extra: str):
    result = site_dir.run("build", "--out", str(out), "--now", NOW, *extra)
    assert "Traceback" not in result.output
    return result


def test_a_successful_rebuild_does_change_the_site(built) -> None:
    """The control: without injected failures, the same steps do replace the site."""
    site_dir, out, before = built
    assert build_cli(site_dir, out).exit_code == 0
    assert tree_hashes(out) != before
    assert "incidents/2026-11-21-new/index.html" in tree_hashes(out)


def test_bad_content(built) -> None:
    site_dir, out, before = built
    site_dir.incident("2026-11-22-broken.md", "---\ntitle: [\n---\n")
    result = build_cli(site_dir, out)
    assert result.exit_code == 1
    assert "incidents/2026-11-22-broken.md:2: invalid YAML" in result.output
    assert_untouched(out, before)


def test_template_runtime_error_names_template_and_line(built) -> None:
    site_dir, out, before = built
    template = site_dir.root / "site-templates" / "incident.html"
    template.parent.mkdir()
    template.write_text(
        '{% extends "default/incident.html" %}\n{% block main %}\n{{ view.no_such_thing.deeper }}\n{% endblock %}\n'
    )
    result = build_cli(site_dir, out)
    assert result.exit_code == 1
    assert (
        "template error: " in result.output and "site-templates/incident.html:3: " in result.output
    ), result.output
    assert_untouched(out, before)


def test_template_syntax_error_names_template_and_line(built) -> None:
    site_dir, out, before = built
    template = site_dir.root / "site-templates" / "index.html"
    template.parent.mkdir()
    template.write_text(
        '{% extends "default/index.html" %}\n\n{% block components %}{% if %}{% endblock %}\n'
    )
    result = build_cli(site_dir, out)
    assert result.exit_code == 1
    assert "site-templates/index.html:3: " in result.output, result.output
    assert_untouched(out, before)


def test_a_stage_raising_midway(built, monkeypatch: pytest.MonkeyPatch) -> None:
    site_dir, out, before = built

    def broken_stage(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
        raise ZeroDivisionError("the badge renderer divided by zero")

    def stages() -> Iterable:
        yield render_pages
        yield broken_stage

    monkeypatch.setattr(build_module, "STAGES", tuple(stages()))
    # Both paths: a full build, and an incremental one after a source changed.
    result = site_dir.run("build", "--out", str(out), "--now", NOW, "--no-cache")
    assert result.exit_code == 1
    assert "internal error: ZeroDivisionError: the badge renderer divided by zero" in result.output
    assert_untouched(out, before)
    incident = next((site_dir.root / "incidents").glob("*.md"))
    incident.write_text(incident.read_text() + "\nOne more line.\n")
    result = build_cli(site_dir, out)
    assert result.exit_code == 1
    assert "internal error: ZeroDivisionError: the badge renderer divided by zero" in result.output
    assert_untouched(out, before)


def fail_after(monkeypatch: pytest.MonkeyPatch, count: int, error: BaseException) -> list[Path]:
    """Make Path.write_bytes raise *error* once *count* files have been written."""
    written: list[Path] = []
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if len(written) >= count:
            raise error
        written.append(self)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return written


@pytest.mark.parametrize("extra", [(), ("--no-cache",)], ids=["incremental", "full"])
def test_disk_full_while_writing(
    built, monkeypatch: pytest.MonkeyPatch, extra: tuple[str, ...]
) -> None:
    site_dir, out, before = built
    written = fail_after(monkeypatch, 3, OSError(errno.ENOSPC, "No space left on device"))
    result = build_cli(site_dir, out, *extra)
    assert len(written) == 3, "the failure must come midway, after some files were written"
    assert result.exit_code == 1
    assert "error: No space left on device; nothing was changed" in result.output
    assert_untouched(out, before)


@pytest.mark.parametrize("extra", [(), ("--no-cache",)], ids=["incremental", "full"])
def test_ctrl_c_while_writing(
    built, monkeypatch: pytest.MonkeyPatch, extra: tuple[str, ...]
) -> None:
    site_dir, out, before = built
    fail_after(monkeypatch, 2, KeyboardInterrupt())
    result = build_cli(site_dir, out, *extra)
    assert result.exit_code == 130
    assert "interrupted; nothing was changed" in result.output
    assert_untouched(out, before)


def test_failed_swap_puts_the_old_site_back(built, monkeypatch: pytest.MonkeyPatch) -> None:
    """write_site, the library's whole-tree writer: the moment between moving the old site
    aside and moving the new one in."""
    site_dir, out, before = built
    site, _ = load_site(site_dir.root)
    assert site is not None
    files = build(site, datetime(2026, 11, 22, 12, tzinfo=site.config.timezone))
    real = Path.rename

    def rename(self: Path, target):
        if ".new-" in self.name:
            raise OSError(errno.EIO, "Input/output error", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="Input/output error"):
        write_site(files, out, site_dir.root)
    assert_untouched(out, before)


def test_first_build_failing_leaves_nothing(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    out = site_dir.root.parent / "fresh"
    fail_after(monkeypatch, 1, OSError(errno.ENOSPC, "No space left on device"))
    result = build_cli(site_dir, out)
    assert result.exit_code == 1
    assert not out.exists()
    assert [p for p in out.parent.iterdir() if p.name.startswith(".fresh.")] == []
