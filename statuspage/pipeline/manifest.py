"""The build manifest: `.statuspage-cache/build-<out>.json`, one per output folder.

It holds the key of every output written there (its inputs, `now` included) and the
digest, size and mtime of every file written, so a rebuild makes and writes only
what changed, and a build with nothing to do (`up_to_date`) does nothing at all.
Safe to delete at any time: a stale entry is never used, only missed. Sealed to this
machine (seal.py): a manifest committed to the repository or edited is never read.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from statuspage.pipeline.fingerprint import FORMAT, code_fingerprint, digest
from statuspage.pipeline.seal import machine_secret, read_sealed, write_sealed
from statuspage.pipeline.writer import MARKER, FileEntry, existing_files, recover

CACHE_DIR = ".statuspage-cache"


class BuildState:
    """What the last build into one output folder wrote: page keys and the file manifest."""

    def __init__(self, root: Path | None, out: Path) -> None:
        """The manifest kept in *root*'s cache for *out*; with no *root*, one that remembers
        no build and is never saved (`build --no-cache`: every output made, nothing kept)."""
        self.path = (
            root / CACHE_DIR / f"build-{digest(str(out.resolve()))[:16]}.json" if root else None
        )
        self.secret = machine_secret(root) if root else None
        data: Any = read_sealed(self.path, self.secret) if self.path else None
        ok = (
            isinstance(data, dict)
            and data.get("format") == FORMAT
            and data.get("code") == code_fingerprint()
        )
        self.site_key: str | None = data.get("site") if ok else None
        self.pages: dict[str, str] = data.get("pages", {}) if ok else {}
        self.files: dict[str, FileEntry] = _entries(data.get("files")) if ok else {}
        self.warnings: list[str] = data.get("warnings", []) if ok else []

    def forget(self) -> None:
        """Trust nothing recorded (the output was changed behind our back)."""
        self.site_key, self.pages, self.files = None, {}, {}

    def save(self) -> None:
        data = {
            "format": FORMAT, "code": code_fingerprint(), "site": self.site_key,
            "warnings": self.warnings, "pages": self.pages, "files": self.files,
        }  # fmt: skip
        if self.path is None or self.secret is None:
            return
        with contextlib.suppress(OSError):
            write_sealed(self.path, data, self.secret)


def up_to_date(state: BuildState, out: Path, key: str) -> bool:
    """The last build into *out* had *key*, and every file it wrote is still as it left it."""
    if state.site_key != key or not (out / MARKER).exists() or recover(out):
        return False
    live = existing_files(out)
    return live.keys() == state.files.keys() and all(
        live[rel] == (entry.size, entry.mtime_ns) for rel, entry in state.files.items()
    )


def _entries(value: Any) -> dict[str, FileEntry]:
    """The manifest's files, if each is a [digest, size, mtime_ns] we could have written;
    else none (every file is then checked against the folder, none trusted)."""
    if not isinstance(value, dict):
        return {}
    found = {}
    for rel, entry in value.items():
        if type(entry) is not list or len(entry) != 3:
            return {}
        digest_, size, mtime = entry
        if type(digest_) is not str or type(size) is not int or type(mtime) is not int:
            return {}
        found[rel] = FileEntry(digest_, size, mtime)
    return found
