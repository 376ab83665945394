"""`logo:`: where the configured logo is, and whether the page can show it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from statuspage.source.site_folder import OutsideSite, SiteFolder


def logo_path(logo: str | None) -> PurePosixPath | None:
    """Where a logo given as a path in the site folder is published (None: URL or bad path)."""
    if not logo or "://" in logo or logo.startswith("/"):
        return None
    path = PurePosixPath(logo)
    return None if ".." in path.parts else path


def logo_refusal(logo: str | None, root: Path) -> str | None:
    """Why the build must not read the configured logo (a dotfile, a link out of the site)."""
    path = logo_path(logo)
    if path is None:
        return None
    try:
        SiteFolder(root).file(path)
    except OutsideSite as e:
        return str(e)
    return None


def site_logo(logo: str | None, root: Path | None) -> tuple[PurePosixPath, Path] | None:
    """The logo's published path and the file to copy, when it is one the build may read."""
    path = logo_path(logo)
    source = SiteFolder(root).inside(path) if path is not None and root is not None else None
    return (path, source) if path is not None and source is not None and source.is_file() else None


def logo_warning(logo: str | None, root: Path) -> str | None:
    """Why a configured logo would not show on the page, if it would not."""
    if not logo:
        return None
    if "://" in logo or logo.startswith("//"):
        return (
            f"`logo:` {logo} is on another site, and the page's Content-Security-Policy only loads "
            "images from the status site itself: commit the file and give its path, "
            "e.g. `logo: logo.svg`"
        )
    path = logo_path(logo)
    if path is None:
        return f"`logo:` must be a path inside the site folder, like logo.svg, not {logo}"
    if not (root / path).is_file():
        return (
            f"`logo:` {logo} is not a file in the site folder; the page would show a broken image"
        )
    return None
