"""Shared by test modules: badges parsed as users see them."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"


def parse_badge(path: Path) -> dict:
    """What a reader of the badge gets: title, the two visible texts, colours and widths."""
    root = etree.fromstring(path.read_bytes())  # raises on anything that is not well-formed XML
    assert root.tag == f"{SVG}svg"
    rects = root.findall(f"{SVG}g/{SVG}rect")
    texts = [t for t in root.iter(f"{SVG}text") if t.get("y") == "14"]
    return {
        "title": root.findtext(f"{SVG}title"),
        "aria": root.get("aria-label"),
        "role": root.get("role"),
        "texts": [t.text for t in texts],
        "lengths": [int(t.get("textLength")) for t in texts],
        "colour": rects[1].get("fill"),
        "width": int(root.get("width")),
        "parts": [int(r.get("width")) for r in rects[:2]],
    }
