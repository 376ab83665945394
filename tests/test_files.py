"""files.py `write_atomic`, the one way the package replaces a file: all of it or none of
it, beside the target, with the permissions a file made by hand would have."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statuspage.files import write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_is_readable_by_all_and_nothing_is_left_beside_it(
    tmp_path: Path, umask_022: None
) -> None:
    path = tmp_path / "2026-12-01-new.md"
    write_atomic(path, b"first\n")
    assert path.read_bytes() == b"first\n"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "kept.md"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    write_atomic(path, b"new\n")
    assert (path.read_bytes(), path.stat().st_mode & 0o777) == (b"new\n", 0o640)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kept.md"
    path.write_bytes(b"old\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_temporary_file_is_never_an_existing_one_nor_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A temporary name taken by a link (here, to a file outside) is skipped, never
    written through: the next free name is used."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"theirs\n")
    folder = tmp_path / "site"
    folder.mkdir()
    path = folder / "a.md"
    (folder / ".a.md.000000000000.tmp").symlink_to(outside)
    draws = iter([b"\0" * 6, b"\1" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    write_atomic(path, b"ours\n")
    assert path.read_bytes() == b"ours\n" and outside.read_bytes() == b"theirs\n"
    assert sorted(p.name for p in folder.iterdir()) == [".a.md.000000000000.tmp", "a.md"]
