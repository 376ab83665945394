"""The stat manifest: `.statuspage-cache/sources.json`, each incident file's size, mtime,
inode and ctime with the digest of its name and bytes, so a build can tell which files
changed without reading the ones that did not (as git's index does).

A file is taken as unchanged only if all four match what was recorded and it was last
changed well before the recording (git's "racily clean" rule: a file written within
the clock's resolution of being looked at may change again with the same mtime). The
inode and ctime are the kernel's, set anew by every checkout or copy, so a manifest
committed to the repository or restored onto another machine never matches: it can
only spare reading on the machine that wrote it. What a digest stands for is still
checked where it is used (the parse cache validates every entry it hands out), and
the file is sealed to this machine (seal.py).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from statuspage.pipeline.fingerprint import FORMAT, digest
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.pipeline.seal import machine_secret, read_sealed, write_sealed

# A file changed less than this before its stat was recorded is read again next time:
# wider than any file system's timestamp resolution (FAT's is 2 s).
RACY_NS = 3_000_000_000


class Stat(NamedTuple):
    """What the stat manifest compares (a JSON list on disk, with the digest after it)."""

    size: int
    mtime_ns: int
    inode: int
    ctime_ns: int


class Known(NamedTuple):
    """A file's stat, taken before reading it, and the digest of its name and bytes."""

    stat: Stat
    digest: str


def stat_of(st: os.stat_result) -> Stat:
    return Stat(st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


class SourceStats:
    """Recorded stats of the incident files, and the digests learned in this run."""

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / "sources.json"
        self.secret = machine_secret(root)
        data: Any = read_sealed(self.path, self.secret)
        ok = isinstance(data, dict) and data.get("format") == FORMAT
        files = data.get("files") if ok else None
        taken = data.get("taken") if ok else None
        self._recorded: dict[str, Any] = files if isinstance(files, dict) else {}
        self._taken = taken if type(taken) is int else 0
        self._now = time.time_ns()
        self.learned: dict[str, Known] = {}  # file name -> what this run learned of it
        self.reads = 0  # files read to learn their digest (not trusted from the manifest)

    def digest(self, name: str, st: os.stat_result, read: Callable[[], bytes]) -> str:
        """digest(name, bytes) of the file *name* whose stat is *st* (taken before reading):
        from the manifest when it vouches for the file, else of what *read* gives."""
        known = self.learned.get(name)
        stat = stat_of(st)
        if known is not None and known.stat == stat:
            return known.digest
        found = self._trusted(name, stat)
        if found is None:
            found = digest(name, read())
            self.reads += 1
        self.learned[name] = Known(stat, found)
        return found

    def vouch(self, name: str, stat: Stat, key: str, seen_ns: int) -> None:
        """What another process of this build read of *name*: its stat before reading, taken
        at *seen_ns*, and the digest of what it read. Trusted as a recorded stat is: only if
        the file was last changed well before (else it is read again)."""
        if max(stat.mtime_ns, stat.ctime_ns) <= seen_ns - RACY_NS:
            self.learned[name] = Known(stat, key)

    def forget(self, name: str) -> None:
        """Do not record *name*: what was read of it does not match the stat taken before."""
        self.learned.pop(name, None)
        self.reads += 1

    def _trusted(self, name: str, stat: Stat) -> str | None:
        entry = self._recorded.get(name)
        if type(entry) is not list or len(entry) != 5 or tuple(entry[:4]) != stat:
            return None
        if max(stat.mtime_ns, stat.ctime_ns) > self._taken - RACY_NS:
            return None  # changed too close to the recording to be told apart
        key = entry[4]
        return key if type(key) is str and len(key) == 32 else None

    def save(self) -> None:
        """Record what this run learned (files no longer listed drop out), if it differs."""
        files = {name: [*stat, key] for name, (stat, key) in sorted(self.learned.items())}
        if self.secret is None or (files == self._recorded and not self.reads):
            return
        with contextlib.suppress(OSError):  # a read-only checkout still builds, just not faster
            write_sealed(
                self.path, {"format": FORMAT, "taken": self._now, "files": files}, self.secret
            )
