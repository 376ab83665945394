"""The no-op check: is the last build into a folder still exactly what a build now would give?

`source_key` hashes everything a build reads (sources, config, code, theme, `now`)
without parsing any of it; `up_to_date` compares that key and the output folder with
what the last build recorded. Kept apart from incremental.py so that `statuspage build`
with nothing to do imports no renderer (Jinja, Markdown, lxml, ...): that import
alone used to cost more than the check.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from statuspage.build.cache import (
    BuildState,
    code_fingerprint,
    config_key,
    digest,
    user_templates_fingerprint,
)
from statuspage.build.writer import existing_files, recover
from statuspage.model import Config
from statuspage.source.incident_file import INCIDENTS_DIR
from statuspage.source.site_folder import SiteFolder
from statuspage.theme import OVERRIDES_DIR


def source_key(root: Path, config: Config, now: datetime) -> str:
    """Everything a build reads, hashed: equal keys mean byte-identical output.

    *config* is the effective one (after --base-url). Reads every source file, but parses none."""
    parts: list[str | bytes] = [
        code_fingerprint(),
        user_templates_fingerprint(root),
        config_key(config),
        now.isoformat(),
    ]
    folder = root / INCIDENTS_DIR
    if folder.is_dir():
        with os.scandir(folder) as listing:
            entries = [e for e in listing if e.name.endswith(".md") and not e.name.startswith(".")]
        entries.sort(key=lambda e: e.name)
        for entry in entries:
            parts += [entry.name, str(entry.is_symlink()), _entry_contents(entry)]
    # Other files the build reads: string overrides and the logo it copies.
    parts.append(overrides_fingerprint(root))
    if config.logo:
        from statuspage.outputs.brand import (
            site_logo,
        )  # only then: it imports status.py, badges.py, ...

        if logo := site_logo(config.logo, root):
            parts += [str(logo[0]), _contents(logo[1])]
    return digest(*parts)


def overrides_fingerprint(root: Path) -> str:
    """The site's own translations/*.po: they reword strings on every page."""
    folder = root / OVERRIDES_DIR
    if not folder.is_dir():
        return ""
    site = SiteFolder(root)
    found = sorted(folder.glob("*.po"), key=lambda p: p.name)
    parts = ((p.name, _contents(site.inside(f"{OVERRIDES_DIR}/{p.name}"))) for p in found)
    return digest(*(part for pair in parts for part in pair))


def _contents(path: Path | None) -> bytes:
    """A file's bytes for the key; never opens a FIFO or device (that would block or stream),
    nor a file outside the site (None)."""
    try:
        if path is None or not path.is_file():
            return b"\0not a regular file"
        return path.read_bytes()
    except OSError:
        return b"\0unreadable"


def _entry_contents(entry: os.DirEntry[str]) -> bytes:
    """`_contents` of a listed file, sparing the stat: the listing already tells a regular file."""
    try:
        if entry.is_file():
            with open(entry.path, "rb") as f:
                return f.read()
    except OSError:
        pass
    return _contents(Path(entry.path))  # anything unusual: the same answer as for any other file


def up_to_date(state: BuildState, out: Path, key: str) -> bool:
    """The last build into *out* had the same key, and every file it wrote is still as it left it."""
    if state.site_key != key or not (out / ".statuspage-build").exists() or recover(out):
        return False
    live = existing_files(out)
    return live.keys() == state.files.keys() and all(
        live[rel] == (entry[1], entry[2]) for rel, entry in state.files.items()
    )
