"""Where the golden trees are, and how a tree is read (test_golden.py, test_golden_audiences.py)."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* (hidden ones too), by its POSIX path relative to it."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}
