"""The colours outside the pages (SVG badges, the favicon, chat messages, the iframe
widget, embed.js) are the pages' one scale (style.css): the same severity, the same
colour, wherever a reader meets it (the pages themselves: tests/browser/test_colours.py)."""

from __future__ import annotations

import re

from statuspage.model import ComponentStatus, Impact
from statuspage.notify.payloads import COLOURS
from statuspage.outputs.badges import COMPONENT, OVERALL
from statuspage.theme import default_templates_dir

THEME = default_templates_dir()


def light_tokens(css: str) -> dict[str, str]:
    """The `--name: #hex` custom properties of the stylesheet's first (light) :root."""
    start = css.index(":root {")
    root = css[start : css.index("\n}", start)]  # (the theme's CSS is a template: `{{ }}`)
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{3,6})", root))


def test_badges_and_favicon_use_the_scales_words_shades() -> None:
    # White text on them: the darker shade the page uses for words.
    page = light_tokens((THEME / "assets" / "style.css").read_text(encoding="utf-8"))
    assert {
        ComponentStatus.OPERATIONAL: page["ok-fg"],
        ComponentStatus.DEGRADED_PERFORMANCE: page["minor-fg"],
        ComponentStatus.PARTIAL_OUTAGE: page["major-fg"],
        ComponentStatus.MAJOR_OUTAGE: page["critical-fg"],
        ComponentStatus.UNDER_MAINTENANCE: page["maint-fg"],
    } == COMPONENT
    assert {impact: colour for impact, (_, colour) in OVERALL.items()} == {
        Impact.NONE: page["ok-fg"], Impact.MINOR: page["minor-fg"], Impact.MAJOR: page["major-fg"],
        Impact.CRITICAL: page["critical-fg"], Impact.MAINTENANCE: page["maint-fg"],
    }  # fmt: skip


def test_chat_messages_the_widget_and_embed_js_use_the_scales_fills() -> None:
    page = light_tokens((THEME / "assets" / "style.css").read_text(encoding="utf-8"))
    assert {
        "final": page["ok"], "maintenance": page["maint"], Impact.NONE: page["none"],
        Impact.MINOR: page["minor"], Impact.MAJOR: page["major"], Impact.CRITICAL: page["critical"],
    } == COLOURS  # fmt: skip
    widget = light_tokens((THEME / "_embed.css").read_text(encoding="utf-8"))
    assert {k: widget[k] for k in ("ok", "minor", "major", "critical", "maint")} == {
        k: page[k] for k in ("ok", "minor", "major", "critical", "maint")
    }
    script = (THEME / "assets" / "embed.js").read_text(encoding="ascii")
    light = script[: script.index("@media (prefers-color-scheme:dark)")]
    banner = dict(
        re.findall(r"\.(bar|minor|major|critical|maintenance)\{--c:(#[0-9a-f]{6})", light)
    )
    assert banner == {
        "bar": page["none"], "minor": page["minor"], "major": page["major"],
        "critical": page["critical"], "maintenance": page["maint"],
    }  # fmt: skip
