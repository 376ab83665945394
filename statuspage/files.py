"""The one way the package replaces a file: all of it or none of it."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

# A new file is readable by all, as `open()` under the usual umask 022 would make it;
# mkstemp's 0600 would hide incident files from a web server or a colleague.
NEW_FILE_MODE = 0o644
# How tempfile.mkstemp opens its file: new (never an existing one, nor through a link).
_NEW_ONLY = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace *path* with *data* via a temp file beside it, fsync and `os.replace`.

    A crash leaves the old file or the new one, never half of one; an existing
    file keeps its permissions."""
    fd, tmp = _temp_file_beside(path)
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


def _temp_file_beside(path: Path) -> tuple[int, Path]:
    """A new, empty file `.NAME.RANDOM.tmp` beside *path*, mode 0600, open for writing, as
    tempfile.mkstemp makes one: without importing tempfile (with shutil and random) into
    every command that writes one file (`alert` in a CI job, `new`)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, _NEW_ONLY, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))
