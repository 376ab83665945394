"""The site's identity files (no writes): `favicon.svg` in the current status
colour, and the configured logo (its bytes read by source/) into the output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from statuspage.model import Impact
from statuspage.outputs.badges import OVERALL
from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
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


def render_brand_files(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """`favicon.svg` for the status as of *now*, and the logo file when there is one to copy."""
    files = {"favicon.svg": favicon(snapshot.headline.indicator)}
    if logo := snapshot.site.logo:
        files[logo.path.as_posix()] = logo.data
    return ready(files)
