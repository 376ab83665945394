"""Writing an imported site into a folder: checked whole, then moved in; never
overwriting a file without --force, and never touching files the import did not make."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from statuspage.errors import ContentError, UsageError
from statuspage.source.config import CONFIG_NAME
from statuspage.source.incident_file import INCIDENTS_DIR, incident_files
from statuspage.source.site import load_site
from statuspage.source.site_folder import SiteFolder


def existing_files(files: dict[str, str], into: Path) -> list[Path]:
    """The files in *into* that writing *files* would replace."""
    return [into / rel for rel in files if (into / rel).exists()]


def other_incidents(files: dict[str, str], into: Path) -> list[Path]:
    """Incident files already in *into* that the import neither makes nor replaces."""
    return [p for p in incident_files(into) if f"{INCIDENTS_DIR}/{p.name}" not in files]


def write_import(files: dict[str, str], into: Path, *, force: bool) -> None:
    """Write *files* (relative path -> text) into *into* once the whole site loads cleanly;
    never through a link that leaves it (UsageError)."""
    folder = SiteFolder(into)
    for rel in files:
        folder.writable(into / rel)
    clashes = existing_files(files, into)
    if clashes and not force:
        listed = ", ".join(p.as_posix() for p in clashes[:3]) + (
            f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
        )
        raise UsageError(
            f"refusing to overwrite {listed}; import into an empty folder (--into DIR) or pass "
            "--force to replace them"
        )
    if into.exists() and not into.is_dir():
        raise UsageError(f"{into} exists and is not a folder")
    into.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".statuspage-import-", dir=into))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        site, problems = load_site(staging)
        if site is None:  # the importer validated each file; this catches the whole site
            raise ContentError(problems.items)
        staged_incidents = staging / INCIDENTS_DIR
        if staged_incidents.is_dir():
            if not (into / INCIDENTS_DIR).exists():
                staged_incidents.rename(into / INCIDENTS_DIR)  # one atomic step for the common case
            else:
                for path in sorted(staged_incidents.iterdir()):
                    path.replace(into / INCIDENTS_DIR / path.name)
        (staging / CONFIG_NAME).replace(into / CONFIG_NAME)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
