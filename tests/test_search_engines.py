"""`search_engines:`: a page for some readers (an audience other than `public`, by
default) asks search engines to keep away in robots.txt, `_headers` and every HTML page,
in case its host ever serves it to anyone; the public page says nothing of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CONFIG as PLAIN
from .conftest import EXAMPLE_INCIDENT, SiteDir, parse_html, write
from .support.two_audiences import API_INCIDENT, BILLING_INCIDENT, CONFIG

NOW = "2026-12-07T16:00:00Z"
NO_ROBOTS = "User-agent: *\nDisallow: /\n"


def built(config: str, root: Path) -> SiteDir:
    site = SiteDir(root, config)
    site.incident("2026-12-07-api-errors.md", API_INCIDENT)
    site.incident("2026-12-07-billing.md", BILLING_INCIDENT)
    result = site.run("build", "--now", NOW)
    assert result.exit_code == 0, result.output
    return site


def header_rules(folder: Path) -> dict[str, list[str]]:
    """`_headers` as Netlify and Cloudflare Pages read it: each path, its header lines."""
    rules: dict[str, list[str]] = {}
    path = ""
    for line in (folder / "_headers").read_text().splitlines():
        if line.startswith("/"):
            path = line
            rules.setdefault(path, [])
        elif line.strip():
            assert line.startswith("  ") and path, line
            rules[path].append(line.strip())
    return rules


def robots_metas(folder: Path) -> dict[str, list[str]]:
    """Every HTML page's `<meta name="robots">` contents in its <head>, by path."""
    found = {}
    for page in sorted(folder.rglob("*.html")):
        head = parse_html(page).find("head")
        assert head is not None, page
        found[page.relative_to(folder).as_posix()] = head.xpath("meta[@name='robots']/@content")
    assert "index.html" in found and any(path.startswith("incidents/") for path in found)
    return found


def assert_kept_out(folder: Path) -> None:
    assert (folder / "robots.txt").read_text() == NO_ROBOTS
    assert not (folder / "sitemap.xml").exists()
    assert "X-Robots-Tag: noindex, nofollow" in header_rules(folder)["/*"]
    pages = robots_metas(folder)
    assert {path: metas for path, metas in pages.items() if metas != ["noindex, nofollow"]} == {}


def assert_indexable(folder: Path, base_url: str) -> None:
    robots = (folder / "robots.txt").read_text()
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n"
    assert (folder / "sitemap.xml").is_file()
    assert [h for hs in header_rules(folder).values() for h in hs if "Robots" in h] == []
    # Only the embed/ widgets (pages for other sites' iframes) are never to be listed.
    said = {path: metas for path, metas in robots_metas(folder).items() if metas}
    assert said and all(path.startswith("embed/") for path in said), said
    assert set(map(tuple, said.values())) == {("noindex",)}


def test_a_private_audience_s_site_says_noindex_and_the_public_one_nothing(
    tmp_path: Path,
) -> None:
    site = built(CONFIG, tmp_path / "site")
    assert_kept_out(site.root / "_site-internal")
    assert_indexable(site.root / "_site", "https://status.acme.example/")


def test_search_engines_true_keeps_an_audience_s_page_indexable(tmp_path: Path) -> None:
    config = CONFIG.replace("    title: Acme Internal\n", "    title: Acme Internal\n"
                            "    search_engines: true\n")  # fmt: skip
    site = built(config, tmp_path / "site")
    assert_indexable(site.root / "_site-internal", "https://status.internal.acme.example/")
    assert_indexable(site.root / "_site", "https://status.acme.example/")


def test_search_engines_false_without_audiences_keeps_the_public_page_out(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path / "site", PLAIN + "search_engines: false\n")
    site.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    result = site.run("build", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert_kept_out(site.root / "_site")
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith("_site")) == ["_site"]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("timezone: UTC\n", "timezone: UTC\nsearch_engines: 'no'\n",
         "statuspage.yaml:4: `search_engines:` must be true or false, not the text 'no' "
         "(did you mean false?)"),
        ("    title: Acme Internal\n", "    title: Acme Internal\n    search_engines: nope\n",
         "statuspage.yaml:9: `search_engines:` must be true or false"),
    ],
)  # fmt: skip
def test_check_refuses_a_search_engines_that_is_not_true_or_false(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    site = SiteDir(tmp_path / "site", CONFIG)
    write(site.root / "statuspage.yaml", CONFIG.replace(old, new, 1))
    before = (site.root / "statuspage.yaml").read_bytes()
    result = site.run("check")
    assert result.exit_code == 1, result.output
    assert said in result.output
    assert (site.root / "statuspage.yaml").read_bytes() == before
