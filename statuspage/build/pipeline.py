"""The library API: a Site and an instant -> every output file, as bytes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from statuspage.model import Site
from statuspage.outputs.api import render_api
from statuspage.outputs.badges import render_badges
from statuspage.outputs.brand import render_brand_files
from statuspage.outputs.calendar import render_calendar
from statuspage.outputs.editions import render_editions
from statuspage.outputs.feeds import render_feeds
from statuspage.outputs.hosting import render_hosting_files
from statuspage.outputs.metrics import render_metrics
from statuspage.outputs.pages import Renderer, render_pages
from statuspage.outputs.sitemap import render_sitemap
from statuspage.state.snapshot import Snapshot


def renderers() -> Iterable[Renderer]:
    """Each output stage; each returns {relative path: bytes} and does no I/O."""
    yield render_pages
    yield render_feeds
    yield render_calendar
    yield render_api
    yield render_badges
    yield render_metrics
    yield render_hosting_files
    yield render_editions
    yield render_brand_files
    yield render_sitemap


class OutputClash(RuntimeError):
    """Two stages want to write the same path: a bug, or a user template shadowing an output."""


def build(site: Site, now: datetime) -> dict[str, bytes]:
    """Every file of the built site, keyed by its path relative to the site root.

    Pure in (site, now): the same inputs give byte-identical output."""
    snapshot = Snapshot(site, now)
    files: dict[str, bytes] = {}
    for renderer in renderers():
        for path, data in renderer(snapshot).items():
            if path in files:
                raise OutputClash(f"two outputs share the path {path}")
            files[path] = data
    return dict(sorted(files.items()))
