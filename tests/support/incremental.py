"""Shared by test modules: incidents and output trees for rebuild comparisons."""

from __future__ import annotations

from pathlib import Path

from ..conftest import SiteDir

NOW = "2026-11-26 10:00"


def incident(day: int, title: str, *, resolved: bool = True, body: str = "Requests fail.") -> str:
    closing = f"## Resolved · 2026-11-{day:02d} 12:00\nFixed.\n\n" if resolved else ""
    return (
        f"---\ntitle: {title}\ncomponents:\n  api: partial_outage\n---\n\n{closing}"
        f"## Investigating · 2026-11-{day:02d} 11:00\n{body}\n"
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def rebuild_matches_cold(site: SiteDir, out: Path, cold: Path, *args: str) -> str:
    """Rebuild *out* with the cache, build *cold* from scratch, and compare every byte."""
    result = site.run("build", "--out", str(out), "--now", NOW, *args)
    assert result.exit_code == 0, result.output
    assert site.run("build", "--out", str(cold), "--now", NOW, "--no-cache").exit_code == 0
    assert tree(out) == tree(cold)
    assert folders(out) == folders(cold)
    return result.output
