"""The one gate for every file the build reads from the site folder.

Config, incidents, postmortems, the logo, site-templates/ and translations/ are all
opened through `SiteFolder.file` (or listed through `SiteFolder.files`): a path is
usable only if it names no dotfile or dot-folder (`.git/config`, `.env`), has no `..`,
and, with every symlink followed, still lies inside the site. So a pull request that
adds `logo.svg -> /proc/self/environ` publishes nothing but an error.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from statuspage.errors import UsageError

OUTSIDE = "this file is a link to outside the site folder; copy the file in instead"
LINKED_OUT = (
    "a link to outside the site folder; statuspage neither reads nor writes through it: "
    "replace the link with what it points to"
)


class OutsideSite(Exception):
    """A path the build must not read; str() says why and what to do."""


class SiteFolder:
    """A site's root with its real path resolved once (thousands of incidents share it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real = root.resolve()

    def file(self, rel: str | PurePosixPath) -> Path:
        """ROOT/REL, if reading it reads only the site; else OutsideSite."""
        text = str(rel)
        # Plain string work: this runs for each of thousands of incidents on every build.
        parts = [p for p in text.split("/") if p not in ("", ".")]
        if not parts or text.startswith("/") or "\\" in text:
            raise OutsideSite(f"{rel} is not a path inside the site folder")
        if ".." in parts:
            raise OutsideSite(f"{rel} leaves the site folder (`..`); give a path inside it")
        if any(part.startswith(".") for part in parts):
            raise OutsideSite(f"{rel} is a hidden file or folder; the build never reads those")
        # Only a link can lead out: one lstat per part, and a full resolve only then.
        path = self.root.joinpath(*parts)
        prefix = str(self.root)
        for part in parts:
            prefix = f"{prefix}/{part}"
            try:
                mode = os.lstat(prefix).st_mode
            except OSError:
                break  # missing: nothing below it exists either
            if stat.S_ISLNK(mode):
                if not path.resolve().is_relative_to(self.real):
                    raise OutsideSite(OUTSIDE)
                break
        return path

    def writable(self, path: Path) -> Path:
        """*path*, if writing it writes only inside the site: no folder on the way from the
        root (`incidents -> /elsewhere`), nor the file itself, is a link leading out; else
        UsageError naming the link. The gate every writer passes (new, update, resolve,
        postmortem, alert, import, init), as every reader passes `file`. A path that is
        not under the root at all is one the user named: theirs to choose."""
        try:
            rel = path.absolute().relative_to(self.root.absolute())
        except ValueError:
            return path
        current = self.root
        for part in rel.parts:
            current = current / part
            if current.is_symlink() and not current.resolve().is_relative_to(self.real):
                raise UsageError(f"{current}: {LINKED_OUT}")
        return path

    def inside(self, rel: str | PurePosixPath) -> Path | None:
        """`file(rel)`, or None when the build must not read it."""
        try:
            return self.file(rel)
        except OutsideSite:
            return None

    def links_out(self, folder: str) -> list[str]:
        """Each entry under ROOT/FOLDER (itself included) that is a link leading out of the site."""
        top = self.root / folder
        if top.is_symlink() or not top.is_dir():
            return [folder] if self.inside(folder) is None and top.exists() else []
        found = []
        for current, dirs, names in os.walk(top):  # links to folders are listed, not entered
            for name in dirs + names:
                entry = Path(current) / name
                if entry.is_symlink() and not entry.resolve().is_relative_to(self.real):
                    found.append(entry.relative_to(self.root).as_posix())
        return sorted(found)
