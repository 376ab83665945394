"""Site + now -> `sitemap.xml` and `robots.txt` for search engines (no I/O).

Absolute URLs from `base_url`. Crawlers read robots.txt only at a host's root,
so on a site under a path (https://acme.github.io/status/) it is inert but
harmless; the sitemap can be submitted directly there.

With `search_engines: false` (by default an audience's page other than the public one)
robots.txt disallows everything and no sitemap is written: its only readers are
crawlers, and it would hand anyone who reaches a wrongly opened private host a list of
every incident's URL.
"""

from __future__ import annotations

from html import escape as _html_escape

from statuspage.outputs.output import Output, ready
from statuspage.outputs.page_set import page_set
from statuspage.outputs.render_cache import RenderCache
from statuspage.outputs.subscribe import PATH as SUBSCRIBE_PAGE
from statuspage.source.times import isoformat
from statuspage.state.snapshot import Snapshot


def escape(text: str) -> str:
    """&, < and > as XML entities (what xml.sax.saxutils.escape does, without importing
    urllib.request with it: 20 ms of every build)."""
    return _html_escape(text, quote=False)


NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SUBSCRIBE = SUBSCRIBE_PAGE.removesuffix("index.html")


# No sitemap named: a crawler that obeys the Disallow would read none of it anyway.
NO_ROBOTS = "User-agent: *\nDisallow: /\n"


def render_sitemap(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """Every public HTML page (not 404.html, nor the embed/ widgets); incident pages carry
    their last update as lastmod. Only robots.txt, saying no, for a page kept out of
    search engines."""
    config = snapshot.config
    if not config.search_engines:
        return ready({"robots.txt": NO_ROBOTS.encode()})
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    # Written line by line (tens of thousands of URLs on a long history): the layout
    # ElementTree's indent() gives, text escaped as it escapes it.
    for page in page_set(snapshot, cache).pages():
        if page.path == "404.html":
            continue
        # The page's canonical URL (pages.py): directories end in `/`.
        lines += [
            "  <url>",
            f"    <loc>{escape(config.base_url + page.path.removesuffix('index.html'))}</loc>",
        ]
        view = page.context.get("view")
        if view is not None:
            lines.append(f"    <lastmod>{isoformat(view.latest.at, config.timezone)}</lastmod>")
        lines.append("  </url>")
    lines += ["  <url>", f"    <loc>{escape(config.base_url + SUBSCRIBE)}</loc>", "  </url>"]
    lines.append("</urlset>\n")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n"
    return ready({"sitemap.xml": "\n".join(lines).encode(), "robots.txt": robots.encode()})
