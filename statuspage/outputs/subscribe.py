"""`subscribe/`: every way to follow the page (feeds, calendar, chat, API, badges, widgets
and e-mail when the config names a sign-up page), linked from every page's header."""

from __future__ import annotations

from functools import partial

from statuspage.outputs.output import Output
from statuspage.outputs.page_set import Page
from statuspage.outputs.pages import site_renderer
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot

PATH = "subscribe/index.html"


def render_subscribe(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """The subscribe page, in the Snapshot's language (editions.py makes the others)."""
    renderer = site_renderer(snapshot, cache)
    context = {"page_name": "subscribe", "live": False}  # `root_url` is a global of every page
    page = Page(PATH, "subscribe.html", context)
    # It shows the config and, in its header and description, the page status and whether
    # there are postmortems: the same for any `now` until one of those changes.
    headline, postmortems = snapshot.headline, renderer.postmortems.newest_first
    parts = ("subscribe", headline.word, str(bool(postmortems)))
    return {PATH: Output(partial(renderer.render, page), parts, page=True)}
