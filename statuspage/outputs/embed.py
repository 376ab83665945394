"""Status widgets for other sites: `embed/` (and `embed/<id>/` per component or group),
tiny pages made for an <iframe>, and `embed.js`, a banner for sites that allow a script.

The widget pages run nothing and request nothing: their one stylesheet is inline and
allowed by its hash in their own CSP. `embed.js` is copied from the theme as it is (a
site may replace `site-templates/assets/embed.js`); no page of the status site loads it.
"""

from __future__ import annotations

import base64
import hashlib
from functools import partial

from statuspage.labels import BANNER, LABELS
from statuspage.model import Component, Group
from statuspage.outputs.output import Output
from statuspage.outputs.pages import SiteRenderer, site_renderer
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot

SCRIPT = "assets/embed.js"  # in the theme; written to the site root as embed.js
STYLE = "_embed.css"


def render_widgets(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """embed/index.html for the whole page and embed/<id>/index.html for each component and
    group, in the Snapshot's language (editions.py makes the others)."""
    renderer = site_renderer(snapshot, cache)
    items: list[Component | Group | None] = [None, *snapshot.config.components]
    items += snapshot.config.groups
    out = {}
    for item in items:
        path = "embed/index.html" if item is None else f"embed/{item.id}/index.html"
        # Beyond the config and theme (in every key), a widget shows one status.
        shown = (
            renderer.pages.page_status.indicator
            if item is None
            else renderer.pages.statuses[item.id]
        )
        parts = ("embed", shown.word)
        out[path] = Output(partial(_widget, renderer, path, item), parts, page=True)
    return out


def render_embed_script(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """embed.js at the site root: it speaks to summary.json, so it exists once."""
    return {"embed.js": Output(partial(_script, site_renderer(snapshot, cache)))}


def _widget(renderer: SiteRenderer, path: str, item: Component | Group | None) -> bytes:
    """One widget page: the overall status, or *item*'s."""
    env = renderer.env
    style = env.get_template(STYLE).render().strip()
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    if item is None:
        indicator = renderer.pages.page_status.indicator
        kind, css, word = indicator.word, f"b-{indicator.word}", BANNER[indicator]
    else:
        status = renderer.pages.statuses[item.id]
        kind, css, word = status.word, f"s-{status.word}", LABELS[status.word]
    root = "../" * path.count("/")
    # A component's widget opens that component's page: its status, uptime and incidents.
    target = "index.html" if item is None else f"components/{item.id}/index.html"
    context = {
        "item": item, "kind": kind, "css": css, "word": word, "link": f"{root}{target}",
        "style": style, "style_hash": f"sha256-{digest}",
    }  # fmt: skip
    return env.get_template("embed.html").render(context).encode()


def _script(renderer: SiteRenderer) -> bytes:
    """embed.js from the theme, byte for byte (a script is never a template)."""
    loader = renderer.env.loader
    assert loader is not None
    source, _, _ = loader.get_source(renderer.env, SCRIPT)
    return source.encode()
