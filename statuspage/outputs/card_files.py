"""The link-preview card images of one edition's pages (cards.py says what each shows,
card_image.py draws it): one file per distinct card, named by what it says."""

from __future__ import annotations

from functools import partial

from statuspage.outputs.card_image import draw_card
from statuspage.outputs.output import Output
from statuspage.outputs.pages import site_renderer
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot


def render_cards(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """`og/<digest>.png` for each card a page shows. Its name is the digest of all it
    says, so its key is its name: an unchanged card is never drawn again."""
    renderer = site_renderer(snapshot, cache)
    found: dict[str, Output] = {}
    for page in renderer.pages.pages():
        card = renderer.cards.for_page(page)
        if card is not None and card.path not in found:
            found[card.path] = Output(partial(draw_card, card), ("card", card.path))
    return found
