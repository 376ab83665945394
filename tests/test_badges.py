"""Status badges: the SVGs as an XML parser sees them, and the shields.io endpoint JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from statuspage.outputs import badges

from .conftest import SiteDir
from .support.api_sites import ACTIVE, ALL_CLEAR, IN_MAINTENANCE, add_incidents
from .support.badges import SVG, parse_badge


@pytest.fixture
def site(site_dir: SiteDir) -> SiteDir:
    return add_incidents(site_dir)


def test_overall_and_component_badges(site: SiteDir) -> None:
    out = site.build(ACTIVE)
    overall = parse_badge(out / "badge.svg")
    assert overall["title"] == overall["aria"] == "Test Status: Partial System Outage"
    assert overall["role"] == "img"
    assert overall["texts"] == ["status", "partial outage"]
    assert overall["colour"] == badges.ORANGE
    assert overall["width"] == sum(overall["parts"])
    assert all(
        part > length for part, length in zip(overall["parts"], overall["lengths"], strict=True)
    )

    web = parse_badge(out / "components" / "web" / "badge.svg")
    assert web["texts"] == ["Marketing site", "partial outage"]
    assert web["title"] == "Marketing site: partial outage"
    group = parse_badge(out / "components" / "website" / "badge.svg")  # groups get one too
    assert (group["texts"], group["colour"]) == (["Website", "partial outage"], badges.ORANGE)
    api = parse_badge(out / "components" / "api" / "badge.svg")
    assert (api["texts"], api["colour"]) == (["Public API", "operational"], badges.GREEN)
    assert sorted(p.parent.name for p in (out / "components").glob("*/badge.svg")) == [
        "api",
        "dashboard",
        "db",
        "web",
        "website",
    ]

    assert json.loads((out / "api" / "badge.json").read_text()) == {
        "schemaVersion": 1, "label": "status", "message": "partial outage", "color": "bc4c00",
    }  # fmt: skip
    assert (
        json.loads((out / "api" / "components" / "web" / "badge.json").read_text())["label"]
        == "Marketing site"
    )


@pytest.mark.parametrize(("now", "message", "colour"), [
    (ALL_CLEAR, "operational", badges.GREEN),
    (IN_MAINTENANCE, "maintenance", badges.BLUE),
])  # fmt: skip
def test_overall_badge_follows_the_status(
    site: SiteDir, now: str, message: str, colour: str
) -> None:
    badge = parse_badge(site.build(now) / "badge.svg")
    assert (badge["texts"][1], badge["colour"]) == (message, colour)


def test_names_are_escaped_and_widths_follow_the_text(tmp_path: Path) -> None:
    names = SiteDir(
        tmp_path / "s",
        config="""\
        title: A & B <Status>
        base_url: https://example.org/
        components:
          - {id: tj, name: '<b>Tom & "Jerry"</b>'}
          - {id: i, name: iii}
          - {id: w, name: WWW}
          - {id: cjk, name: 東京}
        """,
    )
    out = names.build("2026-11-21 00:00")
    tj = parse_badge(out / "components" / "tj" / "badge.svg")
    assert tj["texts"][0] == '<b>Tom & "Jerry"</b>'  # text, not an element
    assert tj["title"] == '<b>Tom & "Jerry"</b>: operational'
    assert (
        etree.fromstring((out / "components" / "tj" / "badge.svg").read_bytes()).find(f".//{SVG}b")
        is None
    )
    assert parse_badge(out / "badge.svg")["title"] == "A & B <Status>: All Systems Operational"
    narrow, wide, cjk = (
        parse_badge(out / "components" / c / "badge.svg") for c in ("i", "w", "cjk")
    )
    assert narrow["lengths"][0] < cjk["lengths"][0] < wide["lengths"][0]
    assert narrow["width"] < wide["width"]
    assert (
        json.loads((out / "api" / "components" / "tj" / "badge.json").read_text())["label"]
        == '<b>Tom & "Jerry"</b>'
    )


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", sorted({*badges.COMPONENT.values(), "#555555"}))
def test_white_text_is_readable_on_every_badge_colour(colour: str) -> None:
    """WCAG AA for normal text: contrast of at least 4.5:1 against the white letters."""
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


def test_text_width_estimate() -> None:
    assert badges.text_width("") == 0
    assert badges.text_width("operational") == 62  # 11 px Verdana measures 62 px
    assert badges.text_width("ille") < badges.text_width("mmmm")
