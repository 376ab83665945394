"""The stat manifest: unchanged incident files are known by their stat, not read again,
and nothing it records can make a build show what the files do not say."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from lxml import html as lxml_html

from statuspage.errors import Problems
from statuspage.pipeline import source_stats
from statuspage.pipeline.inputs import source_key
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.pipeline.source_stats import SourceStats
from statuspage.source.config import load_config

from .conftest import EXAMPLE_INCIDENT, SiteDir, at, read_cache, write_cache
from .support.incremental import incident, rebuild_matches_cold

NOW = "2026-11-26 10:00"
HOUR_AGO_NS = time.time_ns() - 3_600_000_000_000


@pytest.fixture(autouse=True)
def fine_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system whose timestamps are exact to 10 ms, so tests need not wait seconds
    for files to leave the racy window (utime sets the ctime to now)."""
    monkeypatch.setattr(source_stats, "RACY_NS", 10_000_000)


def backdate(site: SiteDir) -> None:
    """Files last changed an hour ago, as in any checkout not edited just now."""
    for path in (site.root / "incidents").iterdir():
        os.utime(path, ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    time.sleep(0.05)  # their ctime, which utime set to now, out of the racy window


def reads(site: SiteDir) -> int:
    """How many incident files a build's first step (the no-op check) reads."""
    config = load_config(site.root, Problems(site.root))
    assert config is not None
    stats = SourceStats(site.root)
    source_key(site.root, config, at(NOW), stats)
    return stats.reads


def make_site(site_dir: SiteDir) -> SiteDir:
    for day in range(2, 7):
        site_dir.incident(f"2026-11-{day:02d}-event-{day}.md", incident(day, f"Event {day}"))
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    backdate(site_dir)
    return site_dir


def build(site: SiteDir, out: Path) -> None:
    result = site.run("build", "--out", str(out), "--now", NOW)
    assert result.exit_code == 0, result.output


def test_only_changed_files_are_read(site_dir: SiteDir, tmp_path: Path) -> None:
    site = make_site(site_dir)
    assert reads(site) == 6  # nothing recorded yet
    build(site, tmp_path / "out")
    assert reads(site) == 0
    edited = site.root / "incidents" / "2026-11-04-event-4.md"
    edited.write_text(edited.read_text().replace("Requests fail.", "Requests fail in the EU."))
    assert reads(site) == 1
    output = rebuild_matches_cold(site, tmp_path / "out", tmp_path / "cold")
    assert "1 files written" not in output  # the front page and the incident page change
    page = lxml_html.fromstring(
        (tmp_path / "out/incidents/2026-11-04-event-4/index.html").read_bytes()
    )
    assert "Requests fail in the EU." in page.text_content()


def test_a_file_changed_just_before_the_build_is_read_again(
    site_dir: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the clock's resolution an edit may keep the mtime: such files are never trusted."""
    site = make_site(site_dir)
    monkeypatch.setattr(source_stats, "RACY_NS", 200_000_000)
    time.sleep(0.3)  # the others are older than that
    fresh = site.incident("2026-11-07-event-7.md", incident(7, "Event 7"))
    build(site, tmp_path / "out")
    assert reads(site) == 1
    assert fresh.exists()


def test_a_copied_cache_vouches_for_nothing(site_dir: SiteDir, tmp_path: Path) -> None:
    """A copy (a checkout, a restored CI cache) has new inodes and ctimes: an edit that kept
    the size and the mtime is still seen."""
    site = make_site(site_dir)
    build(site, tmp_path / "out")
    copy = SiteDir.__new__(SiteDir)
    copy.root = tmp_path / "copy"
    shutil.copytree(site.root, copy.root, copy_function=shutil.copy2)  # mtimes kept
    target = copy.root / "incidents" / "2026-11-03-event-3.md"
    before = target.stat()
    target.write_text(target.read_text().replace("Event 3", "Event X"))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert reads(copy) == 6
    rebuild_matches_cold(copy, tmp_path / "copy-out", tmp_path / "copy-cold")
    page = lxml_html.fromstring(
        (tmp_path / "copy-out/incidents/2026-11-03-event-3/index.html").read_bytes()
    )
    assert "Event X" in page.text_content()


def test_a_forged_manifest_cannot_change_what_is_shown(site_dir: SiteDir, tmp_path: Path) -> None:
    """Entries naming other digests (another file's, or made up) for the files' true stats:
    a digest the parse cache does not hold for that file is read and parsed afresh."""
    site = make_site(site_dir)
    build(site, tmp_path / "out")
    manifest = site.root / CACHE_DIR / "sources.json"
    data = read_cache(manifest)  # edited with this machine's key: the checks behind the seal
    names = sorted(data["files"])
    data["files"][names[0]][4] = data["files"][names[1]][4]  # another file's parse
    data["files"][names[2]][4] = "0" * 32
    data["files"][names[3]] = "not an entry"
    data["taken"] = "soon"
    write_cache(manifest, data)
    assert reads(site) == 6  # the manifest is not ours: nothing taken from it
    data["taken"] = time.time_ns()
    write_cache(manifest, data)
    # Only names[3] is read here; the digests of names[0] and names[2] are taken at their
    # word, and the parse cache, holding neither for those files, reads them again.
    assert reads(site) == 1
    output = rebuild_matches_cold(site, tmp_path / "out", tmp_path / "cold")
    assert "0 files written" in output


def test_a_deleted_file_drops_out(site_dir: SiteDir, tmp_path: Path) -> None:
    site = make_site(site_dir)
    build(site, tmp_path / "out")
    (site.root / "incidents" / "2026-11-05-event-5.md").unlink()
    rebuild_matches_cold(site, tmp_path / "out", tmp_path / "cold")
    data = read_cache(site.root / CACHE_DIR / "sources.json")
    assert sorted(data["files"]) == sorted(p.name for p in (site.root / "incidents").iterdir())


def test_a_workers_read_spares_the_builds_only_for_files_not_changed_just_before(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build's parse workers stat and read their files; the build takes a file's
    digest from them without reading it again only as it would from a recorded stat."""
    from statuspage.pipeline import parse_cache
    from statuspage.pipeline.parse_cache import ParseCache
    from statuspage.source.site import load_site

    site = make_site(site_dir)
    monkeypatch.setattr(source_stats, "RACY_NS", 1_000_000_000)
    time.sleep(1.2)  # every file's ctime out of that window...
    fresh = site.root / "incidents" / "2026-11-05-event-5.md"
    fresh.write_text(fresh.read_text())  # ...but this one's, changed just now
    monkeypatch.setattr(parse_cache, "PARSE_PARALLEL_MIN", 1)
    stats = SourceStats(site.root)
    cache = ParseCache(site.root, stats, workers=2)
    loaded, _ = load_site(site.root, cache=cache)
    assert loaded is not None and cache.parsed_ahead == 6 - 6 // 2
    # The build parsed the first half itself (reading each once); of the workers' half,
    # only the file changed just now was read again.
    assert stats.reads == 6 // 2 + 1
    assert [i.title for i in loaded.incidents if i.id.endswith("event-5")] == ["Event 5"]
