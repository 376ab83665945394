"""embed/ widgets, embed.js and the hosts' CORS rules, as built (the browser checks of
both widgets across origins are in tests/browser/test_embed.py)."""

from __future__ import annotations

import base64
import gzip
import hashlib
from pathlib import Path

import pytest

from statuspage.theme import default_templates_dir

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, parse_html, text_of

# embed.js is fetched by every page that embeds it: the issue aims for under 3 KB gzipped.
SCRIPT_GZIP_CAP = 3 * 1024


@pytest.fixture
def built(site_dir: SiteDir) -> Path:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    return site_dir.build("2026-11-20 14:30")  # the API in partial outage, the dashboard degraded


def test_a_widget_for_the_page_and_each_component_and_group(built: Path) -> None:
    widgets = {p.relative_to(built).as_posix() for p in (built / "embed").rglob("*.html")}
    ids = ["api", "dashboard", "db", "web", "website"]
    assert widgets == {"embed/index.html", *(f"embed/{i}/index.html" for i in ids)}
    lines = {w: text_of(parse_html(built / w).cssselect("main")[0]) for w in widgets}
    assert lines["embed/index.html"] == "Partial System Outage View status"
    assert lines["embed/api/index.html"] == "Public API: Partial outage View status"
    assert lines["embed/dashboard/index.html"] == "Dashboard: Degraded performance View status"
    assert lines["embed/db/index.html"] == "Database: Operational View status"
    assert lines["embed/website/index.html"] == "Website: Degraded performance View status"
    link = parse_html(built / "embed" / "api" / "index.html").cssselect("main a")[0]
    assert (link.get("href"), link.get("target"), link.get("rel")) == (
        "../../components/api/index.html",
        "_blank",
        "noopener",
    )
    assert (built / "components" / "api" / "index.html").is_file()
    page = parse_html(built / "embed" / "index.html").cssselect("main a")[0]
    assert page.get("href") == "../index.html"


def test_a_widget_requests_nothing_and_allows_only_its_own_style(built: Path) -> None:
    for page in (built / "embed").rglob("*.html"):
        doc = parse_html(page)
        policy = doc.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
        (style,) = doc.cssselect("style")
        digest = base64.b64encode(hashlib.sha256(style.text.encode()).digest()).decode()
        assert policy == (
            f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
            "base-uri 'none'; form-action 'none'"
        )
        # Nothing to fetch: no stylesheet, image, font or script, the icon drawn inline.
        assert not doc.cssselect("link[rel=stylesheet], img, script, iframe, [style]")
        assert "url(" not in style.text and "@import" not in style.text
        assert "prefers-color-scheme: dark" in style.text


def test_a_hostile_component_name_stays_text_in_the_widget(tmp_path: Path) -> None:
    name = '"<img src=x onerror=alert(1)></style><script>alert(2)</script>'
    site = SiteDir(tmp_path / "hostile", CONFIG.replace("name: Database", f"name: '{name}'"))
    doc = parse_html(site.build("2026-11-20 14:30") / "embed" / "db" / "index.html")
    assert text_of(doc.cssselect(".name")[0]) == name
    assert not doc.cssselect("img, script") and len(doc.cssselect("style")) == 1


def test_embed_js_is_the_themes_small_script_and_no_page_loads_it(built: Path) -> None:
    script = (built / "embed.js").read_bytes()
    assert script == (default_templates_dir() / "assets" / "embed.js").read_bytes()
    assert len(gzip.compress(script, 9)) < SCRIPT_GZIP_CAP
    assert [p.relative_to(built).as_posix() for p in built.rglob("*.js")] == ["embed.js"]
    for page in built.rglob("*.html"):
        doc = parse_html(page)
        # No page loads a script file; the one inline script is the page's freshness script.
        assert not doc.cssselect("script[src]"), page
        assert "embed.js" not in " ".join(
            e.get("src") or e.get("href") or "" for e in doc.iter()
        ), page


def test_a_sites_own_embed_js_replaces_the_themes(site_dir: SiteDir) -> None:
    own = b"/* our own */\n"
    (site_dir.root / "site-templates" / "assets").mkdir(parents=True)
    (site_dir.root / "site-templates" / "assets" / "embed.js").write_bytes(own)
    assert (site_dir.build("2026-11-20 14:30") / "embed.js").read_bytes() == own


def test_headers_give_the_api_and_embed_js_to_every_origin(built: Path) -> None:
    rules: dict[str, list[str]] = {}
    for line in (built / "_headers").read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace():
            rules[line] = []
        elif line.strip():
            rules[list(rules)[-1]].append(line.strip())
    assert rules == {
        "/api/*": ["Access-Control-Allow-Origin: *"],
        "/embed.js": ["Access-Control-Allow-Origin: *"],
        # RFC 8631, for every file (tests/test_open_history.py)
        "/*": [
            'Link: <https://status.test.example/sub/api/v2/status.json>; rel="status"; '
            'type="application/json"'
        ],
    }
    assert (built / "api" / "v2" / "summary.json").is_file()


def test_embed_js_comes_out_in_ascii_whatever_the_theme_wrote(site_dir: SiteDir) -> None:
    # Hosts often serve .js without a charset: the browser then decodes it as the host page.
    own = 'const w = {investigating: "Störung", more: "他に", smile: "😀"}; // ·\n'
    (site_dir.root / "site-templates" / "assets").mkdir(parents=True)
    (site_dir.root / "site-templates" / "assets" / "embed.js").write_text(own, encoding="utf-8")
    built = (site_dir.build("2026-11-20 14:30") / "embed.js").read_bytes()
    assert built == (
        b'const w = {investigating: "St\\u00f6rung", more: "\\u4ed6\\u306b", smile: "\\ud83d\\ude00"}; // \\u00b7\n'
    )
