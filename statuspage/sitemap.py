"""Site + now -> `sitemap.xml` and `robots.txt` for search engines (no I/O).

Absolute URLs from `base_url`. Crawlers read robots.txt only at a host's root,
so on a site under a path (https://acme.github.io/status/) it is inert but
harmless; the sitemap can be submitted directly there.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from .model import Site
from .render import PageSet
from .times import isoformat

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(site: Site, now: datetime) -> dict[str, bytes]:
    """Every public HTML page (not 404.html); incident pages carry their last update as lastmod."""
    config = site.config
    pages = PageSet(site, now)
    urlset = ET.Element("urlset", {"xmlns": NAMESPACE})
    for page in pages.pages():
        if page.path == "404.html":
            continue
        url = ET.SubElement(urlset, "url")
        # The page's canonical URL (render.py): directories end in `/`.
        ET.SubElement(url, "loc").text = config.base_url + page.path.removesuffix("index.html")
        view = page.context.get("view")
        if view is not None:
            ET.SubElement(url, "lastmod").text = isoformat(view.latest.at, config.timezone)
    ET.indent(urlset)
    sitemap = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + ET.tostring(urlset, encoding="unicode").encode()
        + b"\n"
    )
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n"
    return {"sitemap.xml": sitemap, "robots.txt": robots.encode()}
