"""Status widgets for other sites: `embed/` (and `embed/<id>/` per component or group),
tiny pages made for an <iframe>, and `embed.js`, a banner for sites that allow a script.

The widget pages run nothing and request nothing: their one stylesheet is inline and
allowed by its hash in their own CSP. `embed.js` is copied from the theme (a site may
replace `site-templates/assets/embed.js`) with every character past ASCII escaped: hosts
often serve `.js` without a charset, and a host page in another encoding would then show
mojibake. No page of the status site loads it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import partial

from statuspage.labels import LABELS
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
    # One stylesheet for every widget (a template render and a hash: cheap enough to do
    # even when every widget is reused).
    css = renderer.env.get_template(STYLE).render().strip()
    style = (css, base64.b64encode(hashlib.sha256(css.encode()).digest()).decode())
    items: list[Component | Group | None] = [None, *snapshot.config.components]
    items += snapshot.config.groups
    out = {}
    for item in items:
        path = "embed/index.html" if item is None else f"embed/{item.id}/index.html"
        # Beyond the config and theme (in every key), a widget shows one status.
        if item is None:
            headline = renderer.pages.headline
            level = headline.indicator.word
            shown = _Shown(level, f"b-{level}", headline.banner)
        else:
            status = renderer.pages.statuses[item.id]
            shown = _Shown(status.word, f"s-{status.word}", LABELS[status.word])
        make = partial(_widget, renderer, style, path, item, shown)
        out[path] = Output(make, ("embed", shown.kind, shown.word), page=True)
    return out


def render_embed_script(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """embed.js at the site root: it speaks to summary.json, so it exists once."""
    return {"embed.js": Output(partial(_script, site_renderer(snapshot, cache)))}


@dataclass(frozen=True)
class _Shown:
    """The status a widget shows: its word, CSS class and label."""

    kind: str
    css: str
    word: str


def _widget(
    renderer: SiteRenderer,
    style: tuple[str, str],
    path: str,
    item: Component | Group | None,
    shown: _Shown,
) -> bytes:
    """One widget page: the overall status, or *item*'s (*style*: the CSS and its sha256)."""
    css, digest = style
    root = "../" * path.count("/")
    # A component's widget opens that component's page: its status, uptime and incidents.
    target = "index.html" if item is None else f"components/{item.id}/index.html"
    context = {
        "item": item, "kind": shown.kind, "css": shown.css, "word": shown.word,
        "link": f"{root}{target}", "style": css, "style_hash": f"sha256-{digest}",
    }  # fmt: skip
    return renderer.env.get_template("embed.html").render(context).encode()


def _script(renderer: SiteRenderer) -> bytes:
    """embed.js from the theme, in ASCII (a script is never a template)."""
    loader = renderer.env.loader
    assert loader is not None
    source, _, _ = loader.get_source(renderer.env, SCRIPT)
    return ascii_script(source).encode("ascii")


def ascii_script(source: str) -> str:
    """*source* with each character past ASCII as a \\uXXXX escape (a pair of them past
    U+FFFF), which JavaScript reads as that character in strings, templates, regular
    expressions and names; in comments it is inert. A needless backslash before one
    (`"\\é"`, which means `"é"`) is dropped, lest it escape the escape. (Only a
    non-ASCII space between tokens would change meaning, and no script needs one.)"""
    return _NON_ASCII.sub(_escape, source)


_NON_ASCII = re.compile(r"(\\*)([^\x00-\x7f])")


def _escape(match: re.Match[str]) -> str:
    slashes, char = match.groups()
    units = char.encode("utf-16-be")
    escaped = (f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
    return slashes[: len(slashes) // 2 * 2] + "".join(escaped)
