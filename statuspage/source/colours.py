"""Colour contrast (WCAG 2.x) for the configured brand colour (pure).

The brand colour is the page's link and focus colour, so it must read as text
on both themes' backgrounds. Where it does not, the page uses the nearest
darker (light theme) or lighter (dark theme) shade of the same hue that does,
and `check` says so for the light theme; decorations (the header's accent
line) keep the colour exactly as configured.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

# Text on the page's backgrounds (style.css: --bg and --card of each theme).
LIGHT_BACKGROUNDS = ("#f6f8fa", "#ffffff")
DARK_BACKGROUNDS = ("#0d1117", "#151b23")
DEFAULT_LIGHT, DEFAULT_DARK = "#0b5cd5", "#4493f8"
MINIMUM = 4.5  # WCAG AA for body text


def _channels(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def worst_contrast(colour: str, backgrounds: tuple[str, ...]) -> float:
    """The lowest contrast ratio of *colour* against any of *backgrounds*."""
    return min(contrast(colour, bg) for bg in backgrounds)


def readable(colour: str, backgrounds: tuple[str, ...], minimum: float = MINIMUM) -> str:
    """*colour*, or its nearest shade of the same hue that reaches *minimum* on every background."""
    if worst_contrast(colour, backgrounds) >= minimum:
        return colour
    hue, lightness, saturation = colorsys.rgb_to_hls(*_channels(colour))
    darker = luminance(backgrounds[0]) > 0.5  # light backgrounds need a darker text colour
    for step in range(1, 101):
        shifted = lightness - step / 100 if darker else lightness + step / 100
        r, g, b = colorsys.hls_to_rgb(hue, min(max(shifted, 0.0), 1.0), saturation)
        candidate = "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))
        if worst_contrast(candidate, backgrounds) >= minimum:
            return candidate
    return "#000000" if darker else "#ffffff"


@dataclass(frozen=True)
class BrandColours:
    """The link/accent colour of each theme, derived from the configured brand colour."""

    light: str
    dark: str

    @classmethod
    def of(cls, brand: str | None) -> BrandColours:
        if not brand:
            return cls(DEFAULT_LIGHT, DEFAULT_DARK)
        brand = brand.lower()
        return cls(readable(brand, LIGHT_BACKGROUNDS), readable(brand, DARK_BACKGROUNDS))


def brand_warning(brand: str) -> str | None:
    """What `check` says about a brand colour too faint to read as link text on the light theme.

    The dark theme lightens nearly every brand colour (they are made for white
    pages), which is expected and not worth a warning."""
    used = BrandColours.of(brand).light
    if used == brand.lower():
        return None
    ratio = worst_contrast(brand, LIGHT_BACKGROUNDS)
    return (
        f"`brand_color:` {brand} has a contrast of only {ratio:.1f}:1 on the page background "
        f"(links need {MINIMUM:g}:1); links use {used} instead: "
        "set a darker colour to choose the shade yourself"
    )
