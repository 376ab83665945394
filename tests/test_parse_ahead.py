"""Parsing many files in a process per core gives what parsing them one by one gives:
the same site, the same problems (errors and warnings, in order), the same bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statuspage.pipeline import parse_cache
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.pipeline.parse_cache import ParseCache
from statuspage.source.site import load_site

from .conftest import EXAMPLE_INCIDENT, SiteDir
from .support.incremental import incident, tree

NOW = "2026-11-26 10:00"
BAD = "---\ntitle: Broken\ncomponents:\n  no-such-thing: major_outage\n---\n\n## Investigating · 2026-11-21 10:00\nDown.\n"
ODD = "---\ntitle: Odd\ncolour: red\ncomponents:\n  api: partial_outage\n---\n\n## Investigating · 2026-11-22 10:00\nSlow.\n"


def make_site(site_dir: SiteDir) -> SiteDir:
    for day in range(2, 12):
        site_dir.incident(f"2026-11-{day:02d}-event-{day}.md", incident(day, f"Event {day}"))
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    return site_dir


@pytest.mark.parametrize("ahead", [True, False], ids=["workers", "one-by-one"])
def test_the_same_site_and_problems(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch, ahead: bool
) -> None:
    site = make_site(site_dir)
    site.incident("2026-11-21-broken.md", BAD)
    site.incident("2026-11-22-odd.md", ODD)
    monkeypatch.setattr(parse_cache, "PARSE_PARALLEL_MIN", 1 if ahead else 10_000)
    cache = ParseCache(site.root, workers=2, persistent=False)
    _, problems = load_site(site.root, cache=cache)
    _, serial = load_site(site.root)
    # The build parses the first half itself meanwhile; a worker parses the rest.
    assert cache.parsed_ahead == (13 - 13 // 2 if ahead else 0)
    assert [str(p) for p in problems.items] == [str(p) for p in serial.items]
    assert any("no-such-thing" in str(p) for p in problems.errors)
    assert any("unknown key 'colour'" in str(p) for p in problems.errors)
    assert not (site.root / CACHE_DIR).exists()  # not persistent: nothing written


def test_a_first_build_parsed_by_workers_equals_one_parsed_by_one(
    site_dir: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(site_dir)
    monkeypatch.setattr(parse_cache, "PARSE_PARALLEL_MIN", 10_000)
    assert (
        site.run("build", "--out", str(tmp_path / "serial"), "--now", NOW, "--no-cache").exit_code
        == 0
    )
    monkeypatch.setattr(parse_cache, "PARSE_PARALLEL_MIN", 1)
    for args in (["--no-cache"], []):  # the whole-tree build, then a first cached one
        out = tmp_path / f"ahead{len(args)}"
        result = site.run("build", "--out", str(out), "--now", NOW, *args)
        assert result.exit_code == 0, result.output
        assert tree(out) == tree(tmp_path / "serial")
    # The cache the workers' parses went into serves the next build as any other does.
    edited = site.root / "incidents" / "2026-11-03-event-3.md"
    edited.write_text(edited.read_text().replace("Event 3", "Event three"))
    result = site.run("build", "--out", str(tmp_path / "ahead0"), "--now", NOW)
    assert result.exit_code == 0, result.output
    assert (
        "Event three" in (tmp_path / "ahead0/incidents/2026-11-03-event-3/index.html").read_text()
    )


def test_a_worker_that_fails_leaves_the_parse_to_the_build(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file a worker cannot read (gone, unreadable) is parsed, and reported, by the build."""
    site = make_site(site_dir)
    monkeypatch.setattr(parse_cache, "PARSE_PARALLEL_MIN", 1)
    real, parent = parse_cache.load_incident, os.getpid()

    def failing_in_workers(path: Path, *args: object, **kwargs: object) -> object:
        if "event-9" in path.name and os.getpid() != parent:  # in the worker's half
            raise OSError("the disk went away")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_cache, "load_incident", failing_in_workers)
    cache = ParseCache(site.root, workers=2, persistent=False)
    loaded, _ = load_site(site.root, cache=cache)
    assert loaded is not None
    assert 0 < cache.parsed_ahead < 11 - 11 // 2
    assert [i.title for i in loaded.incidents if "event-9" in i.id] == ["Event 9"]
