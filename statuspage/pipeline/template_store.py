"""Compiled templates kept for the next process, in this user's own cache folder.

Compiling the theme's templates is about a sixth of a small site's build, paid again by
every fresh process (each `statuspage build` in CI, each worker's first use of a template
the build had not used before it forked). Jinja compiles a template to Python code; this
keeps that code, marshalled, under `$XDG_CACHE_HOME/statuspage/templates/`
(`~/.cache/statuspage/templates/`): a folder per version of everything the code depends
on (the package's code and theme, so the Environment's settings too, and the libraries'
versions: pipeline/fingerprint.py; Jinja's version; the Python byte-code format), a file
per template named by the hash of its name, file and bytes. A changed template, a new
release or another Python is another name: nothing is loaded for a source it was not
compiled from.

Loading one is running its code, so where it is read from matters as much as for the
package itself. Never from the site's folder: a pull request could commit a "compiled
template" there that runs whatever it likes in the build (outputs/render_cache.py keeps
compiled templates in memory for that reason, and the build cache there only holds data,
sealed). This user's cache folder is theirs, like Python's own `__pycache__` or the
cache key beside it (pipeline/seal.py): someone who can write there can already change
what the user runs. So it is used only when it is outside the site, a real folder owned
by this user and writable by no one else, and each file only if it is too; anything
else is as if there were no cache (the templates are compiled, as before). Files are
written whole (`os.replace`), so a build that dies mid-write leaves no half of one.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import CodeType

import jinja2

from statuspage.outputs.render_cache import CompiledTemplates, RenderCache
from statuspage.pipeline.fingerprint import code_fingerprint, digest
from statuspage.pipeline.seal import key_path
from statuspage.pipeline.theme_code import packaged_code

FOLDER = "templates"


def stored_render_cache(root: Path) -> RenderCache:
    """A RenderCache whose compiled templates are kept in this user's cache folder
    for the next process (memory only, when there is no folder that may be used)."""
    return RenderCache(StoredTemplates(template_folder(root)))


def template_folder(root: Path) -> Path | None:
    """This user's compiled-template folder for this code, made if need be; None when
    there is none to be had, or it is inside the site *root*, or others could write in it."""
    key = key_path()
    if key is None:
        return None
    version = digest(code_fingerprint(), jinja2.__version__, importlib.util.MAGIC_NUMBER)
    folder = key.parent / FOLDER / version
    with contextlib.suppress(OSError):
        if folder.resolve().is_relative_to(root.resolve()):
            return None  # a site's own files could hold it: never load code from there
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True)
            _prune(folder)
        if _only_mine(folder.lstat(), stat.S_ISDIR):
            return folder
    return None


def _prune(new: Path) -> None:
    """Remove the folders of other code versions left unchanged for a week before *new*
    was made (an upgrade, a developer's edits): the one of code still in use is written
    to whenever a template changes, and is made again if need be."""
    made = new.stat().st_mtime
    for old in new.parent.iterdir():
        with contextlib.suppress(OSError):
            if old != new and made - old.lstat().st_mtime > _WEEK:
                shutil.rmtree(old)


_WEEK = 7 * 24 * 3600


def _only_mine(st: os.stat_result, kind: Callable[[int], bool]) -> bool:
    """A file or folder of that *kind* (stat.S_ISREG, S_ISDIR: never a link) owned by this
    user that no one else may write."""
    return kind(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


class StoredTemplates(CompiledTemplates):
    """CompiledTemplates that also reads and writes *folder* (see the module's docstring);
    with no folder, only memory."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__()
        self.folder = folder

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        """Jinja's lookup: memory, then the installed wheel's theme code (read-only,
        pipeline/theme_code.py), then *folder*."""
        key = self.get_cache_key(name, filename)
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        super().load_bytecode(bucket)
        if bucket.code is None:
            bucket.code = packaged_code(name, filename or name, source)
            if bucket.code is None:
                self.load_bytecode(bucket)
            else:
                super().dump_bytecode(bucket)  # the next Environment finds it in memory
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().load_bytecode(bucket)
        if bucket.code is None and self.folder is not None:
            code = _read(self.folder / self._entry(bucket))
            if code is not None:
                bucket.code = code
                super().dump_bytecode(bucket)  # the next Environment finds it in memory

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        if self.folder is not None and bucket.code is not None:
            with contextlib.suppress(OSError, ValueError):
                _write(self.folder / self._entry(bucket), marshal.dumps(bucket.code))

    def _entry(self, bucket: jinja2.bccache.Bucket) -> str:
        # Jinja's key is the template's name and file, its checksum the source's sha1.
        return digest(bucket.key, bucket.checksum) + ".code"


def _read(path: Path) -> CodeType | None:
    """The code in *path* if it is a file only this user could have written, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not _only_mine(os.fstat(f.fileno()), stat.S_ISREG):
            return None
        try:
            code = marshal.loads(f.read())
        except (OSError, EOFError, ValueError, TypeError):
            return None  # damaged: compiled again, and written again
    return code if isinstance(code, CodeType) else None


def _write(path: Path, data: bytes) -> None:
    """*data* into *path*, whole or not at all (two builds writing it race harmlessly: both
    write the same bytes)."""
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
