"""The only module that writes the built site to disk.

The site is written to a staging folder beside the target and swapped in only
once complete, so a failed or interrupted build leaves the last good site as it was.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path, PurePosixPath

MARKER = ".statuspage-build"


class OutputError(Exception):
    """The output folder cannot be used (it holds sources, or is not ours to replace)."""


def check_output_dir(out: Path, source: Path) -> None:
    """Refuse targets whose replacement would delete the user's sources."""
    out_r, src_r = out.resolve(), source.resolve()
    if out_r == src_r or src_r.is_relative_to(out_r):
        raise OutputError(f"refusing to build into {out}: it contains the site's sources; choose another --out")
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

