"""The templates a build renders, read into the Site: the packaged theme, and the site's own
site-templates/ (a file there replaces the theme's of the same name).

Only bytes are read here; outputs/pages.py renders them from memory, never loading a
file (nor compiled code) from the site's folder."""

from __future__ import annotations

import os
from pathlib import Path

from statuspage.model import TemplateFile, Theme
from statuspage.source.site_folder import SiteFolder
from statuspage.theme import TEMPLATES_DIR, default_templates_dir


def load_theme(root: Path) -> Theme:
    """The packaged theme, and the site's own templates in *root*."""
    default = default_templates_dir()
    folder = root / TEMPLATES_DIR
    # A checkout of statuspage is no site: its site-templates/ is the packaged theme.
    own = folder.is_dir() and folder.resolve() != default.resolve()
    return Theme(default=_files(default), own=_site_files(SiteFolder(root)) if own else {})


def _names(top: Path, within: Path) -> list[str]:
    """Every file under *top* as a template name ('assets/style.css'): links to folders
    are followed when they lead to a folder inside *within*, once each (a link back up
    would loop)."""
    names: list[str] = []
    seen: set[str] = set()
    for current, dirs, files in os.walk(top, followlinks=True):
        real = os.path.realpath(current)
        if real in seen or not Path(real).is_relative_to(within):
            dirs[:] = []
            continue
        seen.add(real)
        rel = Path(current).relative_to(top)
        names += [(rel / name).as_posix() for name in files]
    return sorted(names)


def _files(top: Path) -> dict[str, TemplateFile]:
    """Each file of the packaged theme by name."""
    return {
        name: TemplateFile(os.path.normpath(top / name), (top / name).read_bytes())
        for name in _names(top, top.resolve())
    }


def _site_files(folder: SiteFolder) -> dict[str, TemplateFile]:
    """The site's templates the build may read: none that is a dotfile or a link out of the
    site (`check` reports those)."""
    found = {}
    for name in _names(folder.root / TEMPLATES_DIR, folder.real):
        path = folder.inside(f"{TEMPLATES_DIR}/{name}")
        if path is not None and path.is_file():
            found[name] = TemplateFile(os.path.normpath(path), path.read_bytes())
    return found
