"""The build cache's files, sealed to this machine: each one `.statuspage-cache/` holds
(the parse cache, the stat manifest, each output folder's manifest) starts with a MAC
of its name and bytes under a key only this user on this machine has, and a file whose
MAC does not match is never read: it is as if there were no cache.

The cache lives in the site's folder, which is a git repository that others commit to.
Its entries are consistent with the parser's rules but not necessarily with the files
they are keyed to, so a pull request that adds or edits a cache file could otherwise put
on the page what no reviewed source says. The key is therefore kept outside the site:
`$XDG_CACHE_HOME/statuspage/key` (`~/.cache/statuspage/key`), 32 random bytes made on
first use, readable by its owner alone. A key inside the site folder would be no key:
the pull request that forges a cache could forge the key beside it. A cache committed
to git, copied from another machine or restored from a fresh clone fails the check and
is rebuilt from the sources.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Any

from statuspage.files import write_atomic

KEY_BYTES = 32
_HEADER = b"statuspage-cache "
_MAC_HEX = 64  # blake2b's keyed mode, 256 bits, in hex


def key_path() -> Path | None:
    """Where this user's cache key lives ($XDG_CACHE_HOME, else ~/.cache), if anywhere."""
    base = Path(os.environ.get("XDG_CACHE_HOME", ""))
    if not base.is_absolute():  # the XDG rule: a relative value is ignored
        try:
            base = Path.home() / ".cache"
        except (RuntimeError, KeyError):
            return None
    return base / "statuspage" / "key"


def machine_secret(root: Path) -> bytes | None:
    """This user's cache key, made on first use; None when there is none to be had (no
    home, a read-only one, a key others may read, or one inside the site *root*): then
    nothing is read from the cache or written to it."""
    path = key_path()
    if path is None:
        return None
    with contextlib.suppress(OSError):
        if path.parent.resolve().is_relative_to(root.resolve()):
            return None  # a key the site's own files could hold is no key
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _make_key(path)
    except FileExistsError:
        pass  # another build made it first: use theirs
    except OSError:
        return None
    try:
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        data = f.read(KEY_BYTES + 1)
    mine = stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077
    if not mine or len(data) != KEY_BYTES:
        raise PermissionError(f"{path}: not a key only its owner can read")
    return data


def _make_key(path: Path) -> None:
    """A new random key at *path*, 0600, complete before anyone can see it (link, never
    replace: two builds racing to make one end up sharing the first)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".key.", dir=path.parent)  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(KEY_BYTES))
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()


def _mac(secret: bytes, name: str, body: bytes) -> bytes:
    h = hashlib.blake2b(key=secret, digest_size=_MAC_HEX // 2, person=b"statuspage-cach")
    h.update(name.encode() + b"\0")  # the file's name: an entry of one file is no entry of another
    h.update(body)
    return h.hexdigest().encode()


def write_sealed(path: Path, data: Any, secret: bytes) -> None:
    """*data* as JSON in *path*, sealed; atomically (a crash leaves the old file or the new)."""
    body = json.dumps(data, separators=(",", ":")).encode()  # dumps: the C encoder
    if path.parent.is_symlink():  # a link committed in its place: never write where it leads
        raise OSError(f"{path.parent} is a link")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, _HEADER + _mac(secret, path.name, body) + b"\n" + body)


def read_sealed(path: Path, secret: bytes | None) -> Any:
    """The data of *path* if this machine's key sealed it, else None (missing, damaged,
    edited, or made elsewhere: a cache is only ever a hint)."""
    if secret is None:
        return None
    try:
        if path.parent.is_symlink():
            return None
        # Never through a link, nor from a FIFO or device (which could block or stream).
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            data = f.read()
    except OSError:
        return None
    head = len(_HEADER) + _MAC_HEX
    if not data.startswith(_HEADER) or data[head : head + 1] != b"\n":
        return None
    body = data[head + 1 :]
    if not secrets.compare_digest(data[len(_HEADER) : head], _mac(secret, path.name, body)):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
