"""A link-preview card (outputs/cards.py's Card) drawn as a 1200 x 630 PNG, with Pillow.

Pure: no file is read. The font is Pillow's own (`ImageFont.load_default`, the Aileron
face it carries inside the module, loaded from memory), so every machine with the same
Pillow draws the same pixels, and the build needs no font on the system. It draws Latin
letters without accents only: a text it cannot draw whole is drawn as its fallback
(Card's `Words`: the English words, a name without accents, an id), never as boxes; a
card whose words it cannot all draw in the page's language is drawn all in English. Pillow
is imported on the first card made, so a build that reuses every card, and every
command that draws none, never loads it.

The PNG has no time or text chunks: the same Card gives the same bytes.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont

    from statuspage.outputs.cards import Card, Words

WIDTH, HEIGHT = 1200, 630  # what Slack, Discord, X, LinkedIn and Facebook show whole
INK, MUTED, PAPER, WHITE = "#1f2328", "#59636e", "#ffffff", "#ffffff"
MARGIN = 60
PANEL_TOP, PANEL_HEIGHT = 210, 150  # the status area: the card's colour, filled whole
ELLIPSIS = "..."  # the font has no "…"
# Typographic marks the font lacks, drawn as the nearest ASCII (what the words say is kept).
_MARKS = str.maketrans(
    {
        "\u2014": "-",
        "\u2013": "-",
        "\u00b7": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
    }
)


class Fonts:
    """Pillow's own face at the sizes a card uses, and which characters it can draw."""

    def __init__(self) -> None:
        from PIL import ImageFont

        face = ImageFont.load_default(size=40)  # from memory: the face is inside the module
        if not isinstance(face, ImageFont.FreeTypeFont):
            raise RuntimeError("link-preview cards need Pillow with FreeType (its wheels have it)")
        # The basic layout, always: with Raqm (if the system has FriBiDi) kerning differs,
        # and the same site must give the same bytes on every machine.
        self.face, self.basic = face.font_bytes, ImageFont.Layout.BASIC
        self.sizes: dict[int, FreeTypeFont] = {}
        # A character the face lacks is drawn as its "missing" glyph: compare with that.
        self.missing = bytes(self.at(40).getmask("\U0010fffd"))
        self.known: dict[str, bool] = {}

    def at(self, size: int) -> FreeTypeFont:
        if size not in self.sizes:
            from PIL.ImageFont import FreeTypeFont

            self.sizes[size] = FreeTypeFont(BytesIO(self.face), size, layout_engine=self.basic)
        return self.sizes[size]

    def draws(self, text: str) -> bool:
        """Whether every character of *text* has a glyph (spaces do)."""
        for char in text:
            if char not in self.known:
                glyph = bytes(self.at(40).getmask(char))
                self.known[char] = char.isspace() or glyph != self.missing
            if not self.known[char]:
                return False
        return True

    def shown(self, words: Words, english: bool) -> str:
        """What is drawn for *words*: the first choice the face draws whole (only the
        English ones on an *english* card), else nothing."""
        for text in words.choices[words.english if english else 0 :]:
            plain = _plain(text)
            if plain and self.draws(plain):
                return plain
        return ""


def _plain(text: str) -> str:
    """*text* on one line, its typographic marks as ASCII."""
    return " ".join(text.translate(_MARKS).split())


def fitted(font: FreeTypeFont, text: str, width: int) -> str:
    """*text*, cut to *width* pixels with an ellipsis when it is wider."""
    if font.getlength(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def wrapped(font: FreeTypeFont, text: str, width: int, lines: int) -> list[str]:
    """*text* in at most *lines* lines of *width* pixels, broken at spaces, the last one
    ellipsized if the text does not fit."""
    out: list[str] = []
    words = text.split(" ")
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and font.getlength(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        if font.getlength(line) > width:  # one word wider than the line
            words.insert(0, line)
            break
        out.append(line)
    if words:
        out.append(fitted(font, " ".join(words), width))
    return out


def _largest(fonts: Fonts, text: str, width: int, sizes: tuple[int, ...]) -> FreeTypeFont:
    """The largest of *sizes* at which *text* fits *width* (else the smallest)."""
    for size in sizes:
        if fonts.at(size).getlength(text) <= width:
            return fonts.at(size)
    return fonts.at(sizes[-1])


def draw_card(card: Card) -> bytes:
    """*card* as PNG bytes: its heading at the top, its status in a panel of its colour,
    the affected components under it and the time it states at the foot."""
    from PIL import Image, ImageDraw

    fonts = Fonts()
    # In the page's language if the face draws all its words in it, else all in English:
    # one language a card, never a mix.
    own = [w.choices[0] for w in (card.status, card.stamp, *card.lines) if w.english]
    english = not all(fonts.draws(_plain(text)) for text in own)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    _heading(draw, fonts, card, inner, english)
    draw.rectangle((MARGIN, PANEL_TOP, WIDTH - MARGIN, PANEL_TOP + PANEL_HEIGHT - 1), card.colour)
    status = fonts.shown(card.status, english)
    font = _largest(fonts, status, inner - 80, (64, 56, 48, 40))
    status = fitted(font, status, inner - 80)
    middle = PANEL_TOP + PANEL_HEIGHT // 2
    draw.text((MARGIN + 40, middle), status, fill=WHITE, font=font, anchor="lm")
    y = PANEL_TOP + PANEL_HEIGHT + 30
    for line in card.lines:
        text = fitted(fonts.at(32), fonts.shown(line, english), inner)
        draw.text((MARGIN, y), text, fill=INK, font=fonts.at(32), anchor="la")
        y += 44
    stamp = fitted(fonts.at(28), fonts.shown(card.stamp, english), inner)
    draw.text((MARGIN, HEIGHT - 50), stamp, fill=MUTED, font=fonts.at(28), anchor="ls")
    out = BytesIO()
    # As a palette image: a third of the bytes, and half the time to encode (most of a card's).
    shown = image.quantize(palette=_palette(card.colour), dither=Image.Dither.NONE)
    shown.save(out, format="PNG")  # no pnginfo: no chunk that varies between builds
    return out.getvalue()


def _palette(colour: str) -> PILImage:
    """Every colour a card holds: each text colour blended over its ground in 16 steps
    (the font's edges), so the palette image keeps them exactly."""
    from PIL import Image, ImageColor

    found: list[tuple[int, ...]] = []
    for ground, ink in ((PAPER, INK), (PAPER, MUTED), (colour, WHITE)):
        a, b = ImageColor.getrgb(ground), ImageColor.getrgb(ink)
        for step in range(16):
            blend = tuple(round(x + (y - x) * step / 15) for x, y in zip(a, b, strict=True))
            if blend not in found:
                found.append(blend)
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for rgb in found for value in rgb])
    return palette


def _heading(draw: ImageDraw, fonts: Fonts, card: Card, width: int, english: bool) -> None:
    """The kicker (small, muted) and the heading (up to two lines) above the panel."""
    y, sizes = 50, (52, 44)  # type: tuple[int, tuple[int, ...]]
    kicker = fonts.shown(card.kicker, english)
    if kicker:
        draw.text((MARGIN, 40), fitted(fonts.at(28), kicker, width), MUTED, fonts.at(28), "la")
        y, sizes = 84, (44,)
    heading = fonts.shown(card.heading, english)
    font = _largest(fonts, heading, width, sizes)
    for line in wrapped(font, heading, width, 2):
        draw.text((MARGIN, y), line, INK, font, "la")
        y += round(font.size) + 10
