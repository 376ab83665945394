"""What browsers, link previews and crawlers read: Open Graph, favicon, theme colour,
sitemap.xml, robots.txt; and the brand colour and logo from the config."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from statuspage.outputs.badges import AMBER, GREEN
from statuspage.source.colours import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, worst_contrast

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, parse_html

OPEN = """\
---
title: Webhooks <b>delayed</b>
components:
  db: degraded_performance
---

## Identified · 2026-11-25 17:05
A queue consumer is behind; deliveries are **delayed** by up to 10 minutes.
"""


def meta(doc, attribute: str, name: str) -> list[str]:
    return doc.xpath(f"//head/meta[@{attribute}='{name}']/@content")


def test_link_previews_show_the_current_status(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    site_dir.incident("2026-11-25-webhooks.md", OPEN)
    out = site_dir.build("2026-11-26 10:00")
    index = parse_html(out / "index.html")
    assert meta(index, "property", "og:title") == ["Minor Service Disruption"]
    assert meta(index, "property", "og:site_name") == ["Test Status"]
    assert meta(index, "property", "og:type") == ["website"]
    assert meta(index, "property", "og:url") == ["https://status.test.example/sub/"]
    assert index.xpath("//link[@rel='canonical']/@href") == ["https://status.test.example/sub/"]
    assert (
        meta(index, "property", "og:description")
        == meta(index, "name", "description")
        == ["Minor Service Disruption"]
    )
    incident = parse_html(out / "incidents/2026-11-25-webhooks/index.html")
    assert meta(incident, "property", "og:title") == [
        "Webhooks <b>delayed</b> (Identified)"
    ]  # text, escaped
    assert meta(incident, "property", "og:type") == ["article"]
    assert meta(incident, "property", "og:url") == [
        "https://status.test.example/sub/incidents/2026-11-25-webhooks/"
    ]
    assert meta(incident, "name", "description") == [
        "Identified: Webhooks <b>delayed</b> · A queue consumer is behind; deliveries are delayed by up to 10 minutes."
    ]
    assert meta(index, "name", "theme-color") == ["#ffffff", "#151b23"]
    assert index.xpath("//meta[@name='theme-color']/@media") == [
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    ]


def favicon_colour(out: Path, page: str = "index.html") -> str:
    """The colour of the favicon a page links to, read from the file the link resolves to."""
    doc = parse_html(out / page)
    (href,) = doc.xpath("//link[@rel='icon']/@href")
    assert doc.xpath("//link[@rel='icon']/@type") == ["image/svg+xml"]
    svg = etree.fromstring((out / page).parent.joinpath(href.split("?")[0]).read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    return svg.find("{http://www.w3.org/2000/svg}circle").get("fill")


def test_favicon_is_drawn_in_the_current_status_colour(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-25-webhooks.md", OPEN)
    out = site_dir.build("2026-11-26 10:00")
    assert (
        favicon_colour(out)
        == favicon_colour(out, "incidents/2026-11-25-webhooks/index.html")
        == AMBER
    )
    href = parse_html(out / "index.html").xpath("//link[@rel='icon']/@href")[0]
    assert href == "favicon.svg?s=minor"  # a new URL when the status changes: no stale cached icon
    site_dir.incident("2026-11-25-webhooks.md", OPEN + "\n## Resolved · 2026-11-25 18:00\nDone.\n")
    out = site_dir.build("2026-11-26 10:00")
    assert favicon_colour(out) == GREEN
    assert parse_html(out / "index.html").xpath("//link[@rel='icon']/@href") == [
        "favicon.svg?s=none"
    ]


def test_sitemap_and_robots_use_absolute_urls(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    out = site_dir.build("2026-11-26 10:00")
    sitemap = etree.fromstring((out / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = sitemap.xpath("//s:url/s:loc/text()", namespaces=ns)
    base = "https://status.test.example/sub/"
    assert locs == [
        base,
        f"{base}incidents/2026-11-20-api-errors/",
        f"{base}history/",
        *(f"{base}components/{cid}/" for cid in ("api", "website", "web", "dashboard", "db")),
        f"{base}postmortems/",
        f"{base}subscribe/",
    ]
    assert sitemap.xpath(
        f"//s:url[s:loc='{base}incidents/2026-11-20-api-errors/']/s:lastmod/text()", namespaces=ns
    ) == ["2026-11-20T15:10:00+01:00"]
    # Every listed URL is a page that was built, and each names itself canonical.
    for loc in locs:
        page = out / loc.removeprefix(base) / "index.html"
        assert parse_html(page).xpath("//link[@rel='canonical']/@href") == [loc]
    robots = (out / "robots.txt").read_text()
    assert re.search(r"(?m)^User-agent: \*$", robots)
    assert re.search(rf"(?m)^Sitemap: {re.escape(base)}sitemap\.xml$", robots)


def brand_of(css: str, scheme: str) -> str:
    blocks = css.split("@media screen and (prefers-color-scheme: dark)")
    block = blocks[0] if scheme == "light" else blocks[1]
    return re.search(r"--brand: (#[0-9a-f]{6})", block).group(1)


def test_a_brand_colour_that_fails_contrast_is_adjusted_and_check_warns(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site", CONFIG + "brand_color: '#FFCC00'\n")
    result = site.run("check")
    assert result.exit_code == 0
    assert (
        "statuspage.yaml:15: warning: `brand_color:` #FFCC00 has a contrast of only 1.4:1"
        in result.output
    )
    css = (site.build("2026-11-26 10:00") / "assets/style.css").read_text()
    light, dark = brand_of(css, "light"), brand_of(css, "dark")
    assert (
        worst_contrast(light, LIGHT_BACKGROUNDS) >= 4.5
        and worst_contrast(dark, DARK_BACKGROUNDS) >= 4.5
    )
    assert dark == "#ffcc00"  # already readable on dark backgrounds
    assert "--accent: #FFCC00" in css  # the header line keeps the exact brand colour

    fine = SiteDir(tmp_path / "fine", CONFIG + "brand_color: '#5b21b6'\n")
    assert "brand_color" not in fine.run("check").output
    assert (
        brand_of((fine.build("2026-11-26 10:00") / "assets/style.css").read_text(), "light")
        == "#5b21b6"
    )


def test_the_logo_is_published_and_a_broken_one_is_reported(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site", CONFIG + "logo: images/logo.svg\n")
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'
    (site.root / "images").mkdir()
    (site.root / "images/logo.svg").write_bytes(logo)
    assert "logo" not in site.run("check").output
    out = site.build("2026-11-26 10:00")
    for page in ("index.html", "history/index.html"):
        doc = parse_html(out / page)
        (src,) = doc.xpath("//header//img[@class='logo']/@src")
        assert (out / page).parent.joinpath(src).read_bytes() == logo

    missing = SiteDir(tmp_path / "missing", CONFIG + "logo: logo.png\n")
    assert (
        "statuspage.yaml:15: warning: `logo:` logo.png is not a file in the site folder"
        in missing.run("check").output
    )
    remote = SiteDir(tmp_path / "remote", CONFIG + "logo: https://cdn.example/logo.png\n")
    assert (
        "Content-Security-Policy only loads images from the status site itself"
        in remote.run("check").output
    )
