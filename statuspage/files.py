"""The one way the package replaces a file: all of it or none of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

# A new file is readable by all, as `open()` under the usual umask 022 would make it;
# mkstemp's 0600 would hide incident files from a web server or a colleague.
NEW_FILE_MODE = 0o644


def write_atomic(path: Path, data: bytes) -> None:
    """Replace *path* with *data* via a temp file beside it, fsync and `os.replace`.

    A crash leaves the old file or the new one, never half of one; an existing
    file keeps its permissions."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = NEW_FILE_MODE
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
