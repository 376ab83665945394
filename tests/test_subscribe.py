"""subscribe/: a Subscribe button in every page's header leads to every way to follow the
page, and every feed, file and snippet URL on it is a file the build wrote."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, parse_html, text_of

BASE = "https://status.test.example/sub/"
IDS = ["api", "website", "web", "dashboard", "db"]  # every component and group of CONFIG


@pytest.fixture
def built(site_dir: SiteDir) -> Path:
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    return site_dir.build("2026-11-20 14:30")


def site_pages(out: Path) -> list[Path]:
    """The site's own pages (not the embed/ widgets, which are made for other sites)."""
    return [p for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "embed"]


def target(out: Path, page: Path, href: str) -> Path:
    """The file a relative link on *page* leads to (a folder means its index.html)."""
    url = urljoin("https://x/" + page.relative_to(out).as_posix(), href)
    path = urlsplit(url).path.removeprefix("/")
    return out / (path + "index.html" if path.endswith("/") or not path else path)


def test_every_page_has_a_subscribe_button_leading_to_subscribe(built: Path) -> None:
    pages = site_pages(built)
    assert len(pages) >= 6 and built / "subscribe" / "index.html" in pages
    for page in pages:
        buttons = parse_html(page).cssselect(".site-header nav a.subscribe-button")
        assert [text_of(b) for b in buttons] == ["Subscribe"], page
        assert target(built, page, buttons[0].get("href")) == built / "subscribe" / "index.html"
    here = parse_html(built / "subscribe" / "index.html").cssselect("a.subscribe-button")[0]
    assert here.get("aria-current") == "page"


FEED_FILES = ("history.atom", "history.rss", "feed.json")


def test_every_link_and_snippet_on_the_subscribe_page_is_a_built_file(built: Path) -> None:
    page = built / "subscribe" / "index.html"
    doc = parse_html(page)
    main = doc.cssselect("main")[0]
    hrefs = [el.get("href") or el.get("src") for el in main.iter("a", "img")]
    assert len(hrefs) >= 4 * len(IDS)
    missing = [h for h in hrefs if not target(built, page, h).is_file()]
    assert missing == []
    # The absolute URLs in snippets and how-tos, to paste elsewhere, are files of the site too.
    pasted = re.findall(re.escape(BASE) + r"[^\s\"'<>)\]]*", " ".join(main.itertext()))
    assert len(pasted) >= 8 + len(IDS)
    missing = [u for u in pasted if not target(built, page, "../" + u.removeprefix(BASE)).is_file()]
    assert missing == []
    feeds = {h for h in hrefs if h.endswith((".atom", ".rss", "feed.json"))}
    per_item = {f"../components/{i}/{name}" for i in IDS for name in FEED_FILES}
    assert feeds == {f"../{name}" for name in FEED_FILES} | per_item


def test_the_subscribe_page_shows_each_way_with_its_how_to(built: Path) -> None:
    doc = parse_html(built / "subscribe" / "index.html")
    assert [text_of(h) for h in doc.cssselect("main h2")] == [
        "Feeds", "Maintenance calendar", "Chat", "JSON API", "Badges", "On your own site",
    ]  # fmt: skip
    text = text_of(doc.cssselect("main")[0])
    for how in ("Google Calendar:", "Apple Calendar:", "Outlook:", "Slack:", "Microsoft Teams:"):
        assert how in text
    snippets = [text_of(pre) for pre in doc.cssselect("main pre")]
    assert snippets == [
        f"[![Test Status]({BASE}badge.svg)]({BASE})",
        f'<a href="{BASE}"><img src="{BASE}badge.svg" alt="Test Status"></a>',
        f'<iframe src="{BASE}embed/" title="Test Status" width="360" height="48" style="border:0"></iframe>',
        f'<script src="{BASE}embed.js" async></script>',
    ]
    assert f"/feed subscribe {BASE}history.rss" in text
    assert not doc.cssselect("script, form, select")


def test_e_mail_appears_only_when_the_config_names_a_sign_up_page(tmp_path: Path) -> None:
    url = "https://lists.test.example/status?list=ops&lang=en"
    site = SiteDir(tmp_path / "mail", CONFIG + f"subscribe:\n  email_url: {url}\n")
    doc = parse_html(site.build("2026-11-20 14:30") / "subscribe" / "index.html")
    link = doc.cssselect("#email-h + p a")[0]
    assert (link.get("href"), text_of(link)) == (url, "Sign up for e-mail updates")
    plain = SiteDir(tmp_path / "plain")
    doc = parse_html(plain.build("2026-11-20 14:30") / "subscribe" / "index.html")
    assert not doc.cssselect("#email-h") and "mail" not in text_of(doc.cssselect("main")[0]).lower()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://lists.test.example/", "`email_url:` must be the https:// address of a mailing-list or newsletter sign-up page, e.g. https://lists.acme.example/status, not 'http://lists.test.example/'"),
        ("javascript:alert(1)", "`email_url:` must be the https:// address of a mailing-list or newsletter sign-up page, e.g. https://lists.acme.example/status, not 'javascript:alert(1)'"),
        ('"https://x.example/\\"onmouseover=alert(1)"', "`email_url:` must be the https:// address of a mailing-list or newsletter sign-up page, e.g. https://lists.acme.example/status, not 'https://x.example/\"onmouseover=alert(1)'"),
    ],
)  # fmt: skip
def test_email_url_must_be_https(tmp_path: Path, value: str, message: str) -> None:
    site = SiteDir(tmp_path / "bad", CONFIG + f"subscribe:\n  email_url: {value}\n")
    line = CONFIG.count("\n") + 2
    assert site.problems() == [f"statuspage.yaml:{line}: {message}"]
    result = site.run("build")
    assert result.exit_code != 0 and f"statuspage.yaml:{line}:" in result.output
    assert not (site.root / "_site").exists()


def test_subscribe_section_is_checked_like_the_rest(tmp_path: Path) -> None:
    typo = SiteDir(tmp_path / "typo", CONFIG + "subscribe:\n  email: https://lists.test.example/\n")
    line = CONFIG.count("\n") + 2
    assert typo.problems() == [
        f"statuspage.yaml:{line}: unknown subscribe key 'email' (did you mean 'email_url'?)"
    ]
    flat = SiteDir(tmp_path / "flat", CONFIG + "subscribe: https://lists.test.example/\n")
    assert flat.problems() == [
        f"statuspage.yaml:{line - 1}: `subscribe:` must be a mapping, e.g. `subscribe: {{email_url: https://…}}`"
    ]


def test_the_subscribe_page_is_translated_in_each_edition(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "multi", CONFIG + "languages: [en, de, ja]\n")
    out = site.build("2026-11-20 14:30")
    headings = {
        lang: text_of(parse_html(out / prefix / "subscribe" / "index.html").cssselect("h1")[0])
        for lang, prefix in (("en", ""), ("de", "de"), ("ja", "ja"))
    }
    assert headings == {
        "en": "Subscribe to updates",
        "de": "Updates abonnieren",
        "ja": "更新を購読",
    }
    de = parse_html(out / "de" / "subscribe" / "index.html")
    assert [text_of(a) for a in de.cssselect("a.subscribe-button")] == ["Abonnieren"]
    # Feeds in the edition's language; the API, badges and widgets are the site root's.
    hrefs = [a.get("href") for a in de.cssselect("main a")]
    assert "../history.atom" in hrefs and "../../api/v2/summary.json" in hrefs
    assert all(target(out, out / "de" / "subscribe" / "index.html", h).is_file() for h in hrefs)
