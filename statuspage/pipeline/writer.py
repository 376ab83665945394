"""The only module that writes the built site to disk.

A whole site (`write_site`, and a first build) is written to a staging folder beside
the target and swapped in only once complete, so a failed or interrupted build
leaves the last good site as it was.

A rebuild (`stage_file` + `apply_changes`) writes only the files whose bytes
changed, in two phases:

1. While rendering, each changed file goes to a staging folder beside the target
   (same file system). Nothing in the target is touched; any error — in content, a
   template, a renderer, or a full disk — removes the staging folder and leaves the
   last site exactly as it was.
2. Once every file is rendered, a journal (`.<out>.journal` beside the target)
   records the staging folder, the changed paths and the paths to delete; then each
   changed file is moved over its old version with `os.replace` (atomic per file:
   a reader sees the old bytes or the new, never half a file), deleted files are
   removed, and the journal is removed last.

If the process dies during phase 2 (kill -9, power loss), the journal is still
there and the next build (or `recover`) finishes the move before doing anything
else: the staged files are complete, so rolling forward always yields the new
site. The window in which a web server could serve a mix of old and new files is
phase 2 only: renames, no rendering, milliseconds for a typical rebuild. We chose
this over re-linking the whole tree into a fresh folder and swapping it (also
atomic for readers) because that costs a link per file on every build: 10,000+
for a big site, where a rebuild usually changes a handful.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from statuspage.files import write_atomic
from statuspage.pipeline.fingerprint import digest

MARKER = ".statuspage-build"


class FileEntry(NamedTuple):
    """A file the last build wrote, as the manifest records it (a JSON list on disk)."""

    digest: str
    size: int
    mtime_ns: int


class Staged(NamedTuple):
    """An output put in place: its digest, and whether its bytes differ from the folder's."""

    path: str
    digest: str
    changed: bool


class OutputError(Exception):
    """The output folder cannot be used (it holds sources, or is not ours to replace)."""


def check_output_dir(out: Path, source: Path) -> None:
    """Refuse targets whose replacement would delete the user's sources."""
    out_r, src_r = out.resolve(), source.resolve()
    if out_r == src_r or src_r.is_relative_to(out_r):
        raise OutputError(
            f"refusing to build into {out}: it contains the site's sources; choose another --out"
        )
    if out_r.exists() and not out_r.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    if out_r.is_dir() and any(out_r.iterdir()) and not (out_r / MARKER).exists():
        raise OutputError(
            f"refusing to replace {out}: it is not empty and was not made by `statuspage build`; "
            "remove it or choose another --out"
        )


def write_site(files: dict[str, bytes], out: Path, source: Path) -> None:
    """Write *files* to a staging folder, then swap it in place of *out*."""
    check_output_dir(out, source)
    for rel in files:
        parts = PurePosixPath(rel).parts
        if not parts or rel.startswith("/") or "\\" in rel or ".." in parts or parts[0] == MARKER:
            raise OutputError(f"refusing to write {rel!r}: not a path inside the output folder")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_text("This folder is replaced whole by `statuspage build`.\n")
        staging.chmod(0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        with contextlib.suppress(OSError):
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


# -- rebuilds: stage changed files, then apply them with a journal -----------------------


def new_staging(out: Path) -> Path:
    """An empty staging folder beside *out* (same file system, so moves are renames)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))


def stage_file(staging: Path, rel: str, data: bytes) -> None:
    target = staging / _safe(rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def existing_files(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of the built site in *out* (the marker aside): path -> (size, mtime_ns)."""
    found: dict[str, tuple[int, int]] = {}
    if not out.is_dir():
        return found
    base = len(str(out)) + 1
    stack = [str(out)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    rel = entry.path[base:].replace(os.sep, "/")
                    if rel != MARKER:
                        st = entry.stat(follow_symlinks=False)
                        found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def journal_path(out: Path) -> Path:
    out = out.resolve()
    return out.parent / f".{out.name}.journal"


def apply_changes(staging: Path, out: Path, changed: Iterable[str], deleted: Iterable[str]) -> None:
    """Make *out* hold the staged files and lose the *deleted* ones (see the module docstring).

    Into a missing or empty *out*, the staging folder (then holding the whole site) is swapped
    in whole."""
    out = out.resolve()
    if not out.is_dir() or not any(out.iterdir()):
        (staging / MARKER).write_text("This folder is replaced whole by `statuspage build`.\n")
        staging.chmod(0o755)
        if out.is_dir():
            out.rmdir()
        _swap(staging, out)
        return
    journal = journal_path(out)
    moved, removed = sorted(changed), sorted(deleted)
    record = {"staging": staging.name, "changed": moved, "deleted": removed}
    write_atomic(journal, json.dumps(record).encode())  # now committed: a crash rolls forward
    _roll_forward(out, staging, moved, removed)


def recover(out: Path) -> bool:
    """Finish a rebuild that was interrupted while moving files into *out*; True if there was one.

    The journal sits beside the output where anyone with write access to the
    repository can plant one, so it is obeyed only if it proves to be ours: it names
    a staging folder of our own pattern (a real folder, not a link) and only plain
    paths inside the output. Anything else is dropped unread, and the caller, which
    then trusts nothing recorded, rebuilds every file from the sources."""
    journal = journal_path(out)
    if not journal.is_file() or journal.is_symlink():
        return journal.is_symlink() and _drop(journal)
    out = out.resolve()
    try:
        record = _journal_record(out, json.loads(journal.read_text()))
    except (OSError, ValueError):
        record = None
    if record is None:
        return _drop(journal)
    _roll_forward(out, *record)
    return True


def remove_leftovers(out: Path) -> bool:
    """Finish or drop an interrupted rebuild, then delete the folders killed builds left
    beside *out* (each up to a full copy of the site); True if a rebuild was interrupted."""
    interrupted = recover(out)
    for folder in leftovers(out):
        shutil.rmtree(folder, ignore_errors=True)
    return interrupted


def _drop(journal: Path) -> bool:
    journal.unlink(missing_ok=True)
    return True


def _journal_record(out: Path, data: object) -> tuple[Path, list[str], list[str]] | None:
    """(staging folder, changed, deleted) if *data* is a journal we could have written for *out*."""
    if not isinstance(data, dict) or set(data) != {"staging", "changed", "deleted"}:
        return None
    name, changed, deleted = data["staging"], data["changed"], data["deleted"]
    if not (isinstance(name, str) and _ours(out, name, "new")):
        return None
    staging = out.parent / name
    if staging.is_symlink() or not staging.is_dir():
        return None
    for paths in (changed, deleted):
        if not isinstance(paths, list) or not all(isinstance(p, str) and _inside(p) for p in paths):
            return None
    return staging, changed, deleted


def _ours(out: Path, name: str, kinds: str) -> bool:
    """Whether *name* is one of our folders beside *out*: mkdtemp's `.<out>.new-` (or
    `.old-`) and its eight letters, digits or `_`."""
    return re.fullmatch(rf"\.{re.escape(out.name)}\.({kinds})-[a-z0-9_]{{8}}", name) is not None


def _inside(rel: str) -> bool:
    """A plain relative path of the built site: no `..`, `.`, empty or absolute parts, not
    the marker."""
    parts = rel.split("/")
    plain = all(p not in ("", ".", "..") and "\\" not in p and "\0" not in p for p in parts)
    return bool(rel) and plain and rel != MARKER


def _roll_forward(out: Path, staging: Path, changed: list[str], deleted: list[str]) -> None:
    for rel in changed:
        source, target = staging / _safe(rel), out / _safe(rel)
        if source.is_symlink() or _through_link(out, rel):
            continue  # a planted link: never move what it points at, nor write through one
        if source.exists():  # else: already moved before an interruption
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
    for rel in deleted:
        target = out / _safe(rel)
        if _through_link(out, rel):
            continue
        target.unlink(missing_ok=True)
        # A first build would not have the emptied folder (incidents/<id>/) either.
        for folder in target.parents:
            if folder == out or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()
    journal_path(out).unlink(missing_ok=True)
    discard(staging)


def _through_link(out: Path, rel: str) -> bool:
    """Whether a folder on the way to OUT/REL is a link (it could lead out of the output)."""
    folder = out
    for part in rel.split("/")[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return True
    return False


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold a lock on the folder that holds *out*: builds into one output folder run one
    after another, so two of them can never interleave their files. The lock is on the
    folder itself (flock on its descriptor), so it leaves no file behind, and the kernel
    releases it when the process dies, even by kill -9."""
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def leftovers(out: Path) -> list[Path]:
    """Staging and old folders beside *out* that a killed build left behind: ours by name
    and real folders (never links). Only meaningful under `output_lock`, when no other
    build into *out* can be running, so every one of them is older than this build."""
    out = out.resolve()
    if not out.parent.is_dir():
        return []
    with os.scandir(out.parent) as entries:
        return sorted(
            Path(e.path) for e in entries
            if _ours(out, e.name, "new|old") and e.is_dir(follow_symlinks=False)
        )  # fmt: skip


def _safe(rel: str) -> str:
    """*rel* if it is a plain relative path inside the site; anything else is a bug."""
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or ".." in parts:
        raise ValueError(f"not a path inside the site: {rel!r}")
    return rel


class FolderWriter:
    """Compares each output with what the folder holds, staging only what differs."""

    def __init__(
        self,
        out: Path,
        staging: Path,
        live: dict[str, tuple[int, int]],
        recorded: dict[str, FileEntry],
    ) -> None:
        self.out, self.staging, self.live, self.recorded = out, staging, live, recorded

    def trusted(self, rel: str) -> str | None:
        """The digest of the live file as the manifest recorded it, if the file still matches.

        Size and mtime as recorded vouch for it; a file of the recorded size whose mtime
        moved (a CI cache restored, a copy, a checkout) is read back and hashed, which
        costs far less than making it again."""
        entry = self.recorded.get(rel)
        if entry is None or rel not in self.live:
            return None
        if self.live[rel] == (entry.size, entry.mtime_ns):
            return entry.digest
        if self.live[rel][0] == entry.size:
            try:
                if digest((self.out / rel).read_bytes()) == entry.digest:
                    return entry.digest
            except OSError:
                pass
        return None

    def put(self, rel: str, data: bytes) -> Staged:
        """Stage *data* if the folder does not hold exactly it."""
        new = digest(data)
        old = self.trusted(rel)
        if old is None and rel in self.live:
            try:
                old = digest((self.out / rel).read_bytes())
            except OSError:
                old = None
        changed = new != old
        if changed:
            stage_file(self.staging, rel, data)
        return Staged(rel, new, changed)
