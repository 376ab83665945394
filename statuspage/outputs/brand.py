"""The site's identity files (no writes): `favicon.svg` in the current status
colour, and the configured logo copied from the site folder into the output."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

from statuspage.model import Impact
from statuspage.outputs.badges import OVERALL
from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.state.snapshot import Snapshot

# The banner's glyph for each overall state (the same shapes as the icon macro in
# site-templates/_macros.html), white on the status colour of the badges.
_GLYPHS = {
    Impact.NONE: [
        {
            "d": "M4.5 8.2l2.2 2.2 4.8-4.8",
            "fill": "none",
            "stroke-width": "1.8",
            "stroke-linejoin": "round",
        }
    ],
    Impact.MAINTENANCE: [
        {"d": "M8 4v4.3l2.8 1.7", "fill": "none", "stroke-width": "1.8", "stroke-linejoin": "round"}
    ],
    Impact.MINOR: [{"d": "M4.5 8h7", "stroke-width": "2"}],
    Impact.MAJOR: [
        {"d": "M8 4.2v4.6", "stroke-width": "2"},
        {"d": "M8 11.4h0", "stroke-width": "2.2"},
    ],
    Impact.CRITICAL: [{"d": "M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4", "stroke-width": "1.9"}],
}


def favicon(indicator: Impact) -> bytes:
    """A 16x16 SVG: a disc in the status colour with the banner's glyph, legible in any tab bar."""
    colour = OVERALL[indicator][1]
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 16 16"})
    ET.SubElement(svg, "circle", {"cx": "8", "cy": "8", "r": "8", "fill": colour})
    for path in _GLYPHS[indicator]:
        ET.SubElement(svg, "path", {"stroke": "#fff", "stroke-linecap": "round", **path})
    return ET.tostring(svg, encoding="unicode").encode() + b"\n"


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


def render_brand_files(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """`favicon.svg` for the status as of *now*, and the logo file when there is one to copy."""
    site = snapshot.site
    files = {"favicon.svg": favicon(snapshot.page_status.indicator)}
    if logo := site_logo(site.config.logo, site.root):
        files[logo[0].as_posix()] = logo[1].read_bytes()
    return ready(files)
