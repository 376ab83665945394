"""Multi-language sites: `languages: [en, de, ja]` -> the other languages' editions.

The first language is the site root, built by the other stages as usual. Each other
language gets its own pages, feeds, maintenance calendar and status.txt under `<tag>/`
(`de/index.html`, `de/history.atom`), each page linking its translations with
`hreflang`. Machine-facing files (api/, badges) exist once, at the root: they are
never translated. Pure: no I/O, no clock.
"""

from __future__ import annotations

from statuspage.outputs.calendar import render_calendar
from statuspage.outputs.card_files import render_cards
from statuspage.outputs.embed import render_widgets
from statuspage.outputs.feeds import render_feeds
from statuspage.outputs.i18n import edition_config, edition_prefix
from statuspage.outputs.output import Output
from statuspage.outputs.pages import render_pages
from statuspage.outputs.render_cache import RenderCache
from statuspage.outputs.status_text import render_status_text
from statuspage.outputs.subscribe import render_subscribe
from statuspage.state.snapshot import Snapshot

STAGES = (
    render_pages, render_cards, render_subscribe, render_widgets, render_feeds, render_calendar,
    render_status_text,
)  # fmt: skip


def render_editions(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """Every file of every edition but the root one, keyed by its path from the site root."""
    out: dict[str, Output] = {}
    for language in snapshot.config.languages[1:]:
        edition = snapshot.edition(edition_config(snapshot.config, language))
        prefix = edition_prefix(edition.config)
        for stage in STAGES:
            out.update({prefix + path: output for path, output in stage(edition, cache).items()})
    return out
