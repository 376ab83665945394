"""Site + now -> status badges: flat SVGs and shields.io endpoint JSON (no I/O).

`badge.svg` shows the overall status, `components/<id>/badge.svg` one component
or group. The same words and colours go into `api/badge.json` (and
`api/components/<id>/badge.json`) in the shields.io endpoint format, for people
who want shields.io's other styles. SVGs are built as an element tree, so every
text is escaped by the serializer, never pasted into markup.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from statuspage.model import Component, ComponentStatus, Group, Impact
from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot

# The page's light-theme status colours: each carries white text at a contrast of at least 4.5:1.
GREEN, AMBER, ORANGE, RED, BLUE = "#1a7f37", "#9a6700", "#bc4c00", "#cf222e", "#0969da"
LABEL_COLOUR = "#555"
OVERALL = {
    Impact.NONE: ("operational", GREEN),
    Impact.MAINTENANCE: ("maintenance", BLUE),
    Impact.MINOR: ("minor outage", AMBER),
    Impact.MAJOR: ("partial outage", ORANGE),
    Impact.CRITICAL: ("major outage", RED),
}
COMPONENT = {
    ComponentStatus.OPERATIONAL: GREEN,
    ComponentStatus.UNDER_MAINTENANCE: BLUE,
    ComponentStatus.DEGRADED_PERFORMANCE: AMBER,
    ComponentStatus.PARTIAL_OUTAGE: ORANGE,
    ComponentStatus.MAJOR_OUTAGE: RED,
}

# Advance widths of Verdana (units per em: 2048), the badge font; 11 px text.
# Unlisted characters count as a wide Latin letter; East Asian wide ones as a full em.
_FONT_SIZE = 11
_WIDTHS = {
    " ": 720, "!": 807, '"': 941, "#": 1644, "$": 1303, "%": 2209, "&": 1470, "'": 549,
    "(": 1024, ")": 1024, "*": 1303, "+": 1644, ",": 745, "-": 866, ".": 745, "/": 1024,
    ":": 928, ";": 928, "<": 1644, "=": 1644, ">": 1644, "?": 1110, "@": 2005, "[": 1024,
    "\\": 1024, "]": 1024, "^": 1644, "_": 1303, "`": 1303, "{": 1300, "|": 1024, "}": 1300,
    "~": 1644,
    "A": 1401, "B": 1405, "C": 1430, "D": 1577, "E": 1294, "F": 1178, "G": 1587, "H": 1540,
    "I": 860, "J": 921, "K": 1406, "L": 1145, "M": 1727, "N": 1532, "O": 1611, "P": 1241,
    "Q": 1611, "R": 1423, "S": 1401, "T": 1237, "U": 1499, "V": 1401, "W": 2025, "X": 1403,
    "Y": 1237, "Z": 1403,
    "a": 1229, "b": 1276, "c": 1064, "d": 1276, "e": 1220, "f": 720, "g": 1276, "h": 1296,
    "i": 562, "j": 614, "k": 1186, "l": 562, "m": 1992, "n": 1296, "o": 1243, "p": 1276,
    "q": 1276, "r": 874, "s": 1064, "t": 807, "u": 1296, "v": 1186, "w": 1659, "x": 1186,
    "y": 1186, "z": 1064,
}  # fmt: skip
_DIGIT, _OTHER, _WIDE = 1303, 1400, 2048
_PADDING = 5  # each side of each text, as shields.io draws them
# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text_width(text: str) -> int:
    """Approximate rendered width in pixels of *text* in 11 px Verdana."""
    units = 0
    for char in text:
        if char in _WIDTHS:
            units += _WIDTHS[char]
        elif char.isdigit() and char.isascii():
            units += _DIGIT
        elif unicodedata.combining(char):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            units += _WIDE
        else:
            units += _OTHER
    return math.ceil(units * _FONT_SIZE / 2048)


@dataclass(frozen=True)
class Badge:
    label: str
    message: str
    colour: str  # "#rrggbb"
    title: str  # what screen readers say: "<what>: <status>"

    def svg(self) -> bytes:
        """A 20 px high flat badge, in the layout of shields.io's `flat` style."""
        label, message = _NOT_XML.sub("", self.label), _NOT_XML.sub("", self.message)
        label_text, message_text = text_width(label), text_width(message)
        left = label_text + 2 * _PADDING
        right = message_text + 2 * _PADDING
        width = left + right
        title = _NOT_XML.sub("", self.title)
        svg = ET.Element("svg", {
            "xmlns": "http://www.w3.org/2000/svg", "width": str(width), "height": "20",
            "role": "img", "aria-label": title,
        })  # fmt: skip
        ET.SubElement(svg, "title").text = title
        gradient = ET.SubElement(svg, "linearGradient", {"id": "s", "x2": "0", "y2": "100%"})
        ET.SubElement(gradient, "stop", {"offset": "0", "stop-color": "#bbb", "stop-opacity": ".1"})
        ET.SubElement(gradient, "stop", {"offset": "1", "stop-opacity": ".1"})
        clip = ET.SubElement(svg, "clipPath", {"id": "r"})
        ET.SubElement(
            clip, "rect", {"width": str(width), "height": "20", "rx": "3", "fill": "#fff"}
        )
        shapes = ET.SubElement(svg, "g", {"clip-path": "url(#r)"})
        ET.SubElement(shapes, "rect", {"width": str(left), "height": "20", "fill": LABEL_COLOUR})
        ET.SubElement(
            shapes,
            "rect",
            {"x": str(left), "width": str(right), "height": "20", "fill": self.colour},
        )
        ET.SubElement(shapes, "rect", {"width": str(width), "height": "20", "fill": "url(#s)"})
        texts = ET.SubElement(svg, "g", {
            "fill": "#fff", "text-anchor": "middle",
            "font-family": "Verdana,Geneva,DejaVu Sans,sans-serif",
            "text-rendering": "geometricPrecision", "font-size": str(_FONT_SIZE),
            "aria-hidden": "true",
        })  # fmt: skip
        for text, centre, length in (
            (label, left / 2, label_text),
            (message, left + right / 2, message_text),
        ):
            # A faint copy one pixel lower is the flat style's text shadow.
            for y, extra in (("15", {"fill": "#010101", "fill-opacity": ".3"}), ("14", {})):
                attributes = {"x": f"{centre:g}", "y": y, "textLength": str(length), **extra}
                ET.SubElement(texts, "text", attributes).text = text
        return ET.tostring(svg, encoding="unicode").encode() + b"\n"

    def endpoint(self) -> bytes:
        """shields.io endpoint JSON: https://img.shields.io/endpoint?url=<this file's URL>."""
        document = {
            "schemaVersion": 1,
            "label": self.label,
            "message": self.message,
            "color": self.colour.removeprefix("#"),
        }
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def badges(snapshot: Snapshot) -> dict[str, Badge]:
    """The overall badge (key "") and one per component and group (key: its id)."""
    config = snapshot.config
    headline = snapshot.headline  # what the page's banner says, in its colour
    message, colour = OVERALL[headline.indicator]
    message = "recovering" if headline.recovering else message
    result = {"": Badge("status", message, colour, f"{config.title}: {headline.banner}")}
    statuses = snapshot.component_statuses
    items: list[Component | Group] = [*config.groups, *config.components]
    for item in sorted(items, key=lambda i: i.id):
        word = statuses[item.id].label.lower()
        result[item.id] = Badge(
            item.name, word, COMPONENT[statuses[item.id]], f"{item.name}: {word}"
        )
    return result


def render_badges(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """badge.svg, api/badge.json, and components/<id>/badge.svg + api/components/<id>/badge.json."""
    files: dict[str, bytes] = {}
    for item_id, badge in badges(snapshot).items():
        prefix = f"components/{item_id}/" if item_id else ""
        files[f"{prefix}badge.svg"] = badge.svg()
        files[f"api/{prefix}badge.json"] = badge.endpoint()
    return ready(files)
