"""Hashes of what a build is made from: the package's code and theme, the libraries that
shape the output, the config and the site's own templates and string overrides.

Every key of the build cache is made of these; none of them parses anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import cache
from pathlib import Path

from statuspage import __version__
from statuspage.model import Config
from statuspage.source.site_folder import SiteFolder
from statuspage.theme import OVERRIDES_DIR, TEMPLATES_DIR, default_templates_dir

FORMAT = 1  # bump when the cache files' layout changes


def digest(*parts: str | bytes) -> str:
    """A short, collision-safe hash of *parts* (blake2b, 128 bits)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: ("ab","c") != ("a","bc")
        h.update(data)
    return h.hexdigest()


def _files_digest(
    folder: Path, *, suffixes: tuple[str, ...] | None = None, skip: str = "__pycache__"
) -> str:
    """Names and bytes of every file under *folder* (sorted), but those in a folder named
    __pycache__ or *skip*; "" when there is none."""
    if not folder.is_dir():
        return ""
    parts: list[str | bytes] = []
    for path in sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and skip not in p.parts
    ):
        if suffixes is None or path.suffix in suffixes:
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


# Once per process: the installed code does not change under a running build
# (one answer, no arguments: a bounded cache).
@cache
def code_fingerprint() -> str:
    """The package version and its own code, catalogs and default theme: a developer's
    edit to any of them invalidates the cache even without a new version number."""
    package = Path(__file__).parent.parent  # statuspage/
    return digest(
        __version__, str(FORMAT), *library_versions(), package_code(),
        _files_digest(package, suffixes=(".mo", ".html", ".css", ".txt")),
        _files_digest(default_templates_dir()),
    )  # fmt: skip


@cache
def package_code() -> str:
    """The package's own Python modules, the same in a checkout and in the installed wheel:
    not the theme code the wheel's build hook generates from them (pipeline/theme_code.py)."""
    return _files_digest(Path(__file__).parent.parent, suffixes=(".py",), skip=THEME_CODE)


THEME_CODE = "theme_code"  # the folder of that code in the installed package


# Libraries whose output ends up in the site: a new version may change the bytes.
_LIBRARIES = (
    "jinja2", "markupsafe", "markdown", "pymdown-extensions", "nh3", "babel", "feedgen",
    "icalendar", "pyyaml", "lxml", "pillow",
)  # fmt: skip


def library_versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    return found


def user_templates_fingerprint(root: Path) -> str:
    """The site's own site-templates/ (empty string when it has none)."""
    folder = root / TEMPLATES_DIR
    if not folder.is_dir() or folder.resolve() == default_templates_dir().resolve():
        return ""
    if SiteFolder(root).links_out(TEMPLATES_DIR):
        return "links out"  # refused by `check`; never read for a key either
    return _files_digest(folder)


def config_key(config: Config) -> str:
    """The config as a cache key: every setting, but not where the file is (which only
    error messages show), so `--source site` and `--source /abs/site` share a cache."""
    return repr(replace(config, path=None))


def overrides_fingerprint(root: Path) -> str:
    """The site's own translations/*.po: they reword strings on every page."""
    folder = root / OVERRIDES_DIR
    if not folder.is_dir():
        return ""
    site = SiteFolder(root)
    found = sorted(folder.glob("*.po"), key=lambda p: p.name)
    parts = ((p.name, file_contents(site.inside(f"{OVERRIDES_DIR}/{p.name}"))) for p in found)
    return digest(*(part for pair in parts for part in pair))


def file_contents(path: Path | None) -> bytes:
    """A file's bytes for the key; never opens a FIFO or device (that would block or stream),
    nor a file outside the site (None)."""
    try:
        if path is None or not path.is_file():
            return b"\0not a regular file"
        return path.read_bytes()
    except OSError:
        return b"\0unreadable"
