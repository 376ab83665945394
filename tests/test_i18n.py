"""Translations: complete catalogs, the example site built in every shipped language,
localized dates and plurals, right-to-left, multi-language sites, and what stays English."""

from __future__ import annotations

import gettext
import io
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import feedparser
import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from icalendar import Calendar
from lxml import html as lxml_html

from statuspage.authoring.postmortem import draft_text
from statuspage.notify.events import events
from statuspage.notify.messages import Renderer
from statuspage.notify.payloads import teams
from statuspage.outputs.i18n import Formatter
from statuspage.pipeline.build import build
from statuspage.source.site import load_site
from statuspage.source.translations import LOCALE_DIR, available_languages, translations

from .conftest import REPO, at, text_of

SHIPPED = ["ar", "de", "en", "es", "fr", "ja", "pt-BR", "zh-Hans"]
NOW = "2026-12-03 12:00"  # the example site: a webhook incident open, maintenance done today
CATALOGS = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/statuspage.po"))


def test_the_shipped_languages_are_available() -> None:
    assert available_languages() == SHIPPED
    assert {p.parent.parent.name for p in CATALOGS} == {
        "ar",
        "de",
        "es",
        "fr",
        "ja",
        "pt_BR",
        "zh_Hans",
    }


# --- catalogs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> dict[object, object]:
    """Every UI string in the source now, extracted exactly as the README says."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(REPO / "babel.cfg"), "-o", str(pot), str(REPO)]
    )  # fmt: skip
    with pot.open("rb") as f:
        template = read_po(f)
    messages = {m.id: m for m in template if m.id}
    assert len(messages) > 100, "extraction found almost nothing: is babel.cfg right?"
    return messages


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_catalog_is_complete_and_not_fuzzy(
    po: Path, fresh_template: dict[object, object]
) -> None:
    with po.open("rb") as f:
        catalog = read_po(f)
    messages = {m.id: m for m in catalog if m.id}
    missing = sorted(str(i) for i in fresh_template if i not in messages)
    assert not missing, f"{po} lacks strings; re-extract and update (README, Languages): {missing}"
    untranslated = [
        str(m.id)
        for m in messages.values()
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    assert not untranslated, f"{po}: untranslated {untranslated}"
    fuzzy = [str(m.id) for m in messages.values() if m.fuzzy]
    assert not fuzzy and not catalog.fuzzy, f"{po}: fuzzy {fuzzy}"
    # Plural forms as the language has them, and placeholders that match the msgid.
    for message in messages.values():
        if isinstance(message.id, tuple):
            assert len(message.string) == catalog.num_plurals, message.id
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert not problems, problems


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_committed_mo_matches_its_po(po: Path) -> None:
    with po.open("rb") as f:
        catalog = read_po(f)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    with po.with_suffix(".mo").open("rb") as f:
        committed = gettext.GNUTranslations(f)
    # The header entry ("") names the Babel release that compiled it; only messages and plural rules matter.
    keys = (expected._catalog.keys() | committed._catalog.keys()) - {""}  # type: ignore[attr-defined]
    stale = {k for k in keys if expected._catalog.get(k) != committed._catalog.get(k)}  # type: ignore[attr-defined]
    assert not stale, (
        f"{po.with_suffix('.mo')} is stale; run `pybabel compile -d statuspage/locale -D statuspage`"
    )
    assert [expected.plural(n) for n in range(200)] == [committed.plural(n) for n in range(200)]  # type: ignore[attr-defined]


def test_arabic_has_six_plural_forms_and_japanese_one() -> None:
    ar, ja = translations("ar"), translations("ja")
    days = [
        ar.ngettext("%(num)s day", "%(num)s days", n) % {"num": n} for n in (0, 1, 2, 3, 11, 100)
    ]
    assert days == ["0 يوم", "يوم واحد", "يومان", "3 أيام", "11 يومًا", "100 يوم"]
    assert {ja.ngettext("%(num)s day", "%(num)s days", n) for n in (1, 2, 90)} == {"%(num)s日間"}


# --- the example site in every language -------------------------------------------------


def example_site(root: Path, settings: str) -> Path:
    """The repository's own example site (statuspage.yaml + incidents/), plus *settings*."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "incidents", root / "incidents")
    (root / "statuspage.yaml").write_text(
        (REPO / "statuspage.yaml").read_text(encoding="utf-8") + settings, encoding="utf-8"
    )
    return root


def built(root: Path) -> dict[str, bytes]:
    site, problems = load_site(root)
    assert site is not None, [str(p) for p in problems.items]
    return build(site, at(NOW, site.config.timezone))


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The example site built once per shipped language: {language: {path: bytes}}."""
    base = tmp_path_factory.mktemp("languages")
    return {lang: built(example_site(base / lang, f"language: {lang}\n")) for lang in SHIPPED}


def page(files: dict[str, bytes], path: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(files[path])


INDEX = "index.html"
INCIDENT = "incidents/2026-11-20-api-errors/index.html"
HISTORY = "history/index.html"
COMPONENT = "components/api/index.html"

# What a reader of each language sees; written out by hand, not computed with Babel.
EXPECTED = {
    "en": (
        "Minor Service Disruption",
        "December 3, 2026",
        "Nov 20, 2026, 14:02 CET",
        "1 hr 8 min",
        "90 days ago",
        "99.97% uptime",
    ),
    "de": (
        "Geringfügige Störung",
        "3. Dezember 2026",
        "20. Nov. 2026, 14:02 MEZ",
        "1 Std. 8 Min.",
        "vor 90 Tagen",
        "99,97 % Verfügbarkeit",
    ),
    "fr": (
        "Perturbation mineure du service",
        "3 décembre 2026",
        "20 nov. 2026, 14:02 CET",
        "1 h 8 min",
        "il y a 90 jours",
        "99,97 % de disponibilité",
    ),
    "es": (
        "Interrupción leve del servicio",
        "3 de diciembre de 2026",
        "20 nov 2026, 14:02 CET",
        "1 h 8 min",
        "hace 90 días",
        "99,97 % de disponibilidad",
    ),
    "pt-BR": (
        "Pequena interrupção do serviço",
        "3 de dezembro de 2026",
        "20 de nov. de 2026 14:02 CET",
        "1 h 8 min",
        "há 90 dias",
        "99,97% de disponibilidade",
    ),
    "ja": (
        "軽微なサービス障害",
        "2026年12月3日",
        "2026年11月20日 14:02 CET",
        "1 時間 8 分",
        "90日前",
        "稼働率 99.97%",
    ),
    "zh-Hans": (
        "服务轻微中断",
        "2026年12月3日",
        "2026年11月20日 14:02 CET",
        "1小时 8分钟",
        "90天前",
        "可用性 99.97%",
    ),
    "ar": (
        "اضطراب طفيف في الخدمة",
        "3 ديسمبر 2026",
        "20 نوفمبر 2026، 14:02 CET",
        "1 س 8 د",
        "قبل 90 يومًا",
        "نسبة التوفر 99.97%",
    ),
}


@pytest.mark.parametrize("lang", SHIPPED)
def test_example_site_in_every_language(lang: str, editions: dict[str, dict[str, bytes]]) -> None:
    files = editions[lang]
    banner, today, started, duration, ago, uptime = EXPECTED[lang]
    index = page(files, INDEX)
    assert index.get("lang") == lang
    assert index.get("dir") == ("rtl" if lang == "ar" else "ltr")
    assert text_of(index.cssselect(".banner h1")[0]) == banner
    assert text_of(index.cssselect(".day h3")[0]) == today  # month by name, in the language
    assert ago in text_of(index.cssselect(".uptime-legend .ago-90")[0])  # plural form of 90
    figures = [text_of(f) for f in index.cssselect(".uptime-legend .figure")]
    assert any(f.startswith(uptime) for f in figures), figures
    incident = page(files, INCIDENT)
    times = [text_of(t) for t in incident.cssselect("dl.summary dd time")]
    assert times[0] == started
    durations = [
        text_of(dd) for dd in incident.cssselect("dl.summary dd") if not dd.cssselect("time, ul, a")
    ]
    assert duration in durations


@pytest.mark.parametrize(("lang", "thirty", "year"), [
    ("en", "Last 30 days", "Last 365 days"), ("de", "Letzte 30 Tage", "Letzte 365 Tage"),
    ("fr", "30 derniers jours", "365 derniers jours"), ("ja", "過去 30 日間", "過去 365 日間"),
    ("ar", "آخر 30 يومًا", "آخر 365 يومًا"),
])  # fmt: skip
def test_counts_take_the_languages_plural_forms(
    lang: str, thirty: str, year: str, editions: dict[str, dict[str, bytes]]
) -> None:
    """A component page's uptime periods: 30 and 365 take different plural forms in Arabic."""
    labels = [text_of(dt) for dt in page(editions[lang], COMPONENT).cssselect(".periods dt")]
    assert labels[0] == thirty and labels[2] == year, labels


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Left in Latin script on purpose: the zone's name and abbreviation, acronyms, file names.
ALLOWED_LATIN = {
    "CET",
    "CEST",
    "Europe",
    "Berlin",
    "MTTR",
    "SLO",
    "Markdown",
    "Atom",
    "RSS",
    "api",
    "metrics",
    "json",
}


@pytest.mark.parametrize("lang", ["ja", "zh-Hans", "ar"])
def test_no_english_ui_text_left(lang: str, editions: dict[str, dict[str, bytes]]) -> None:
    """In a non-Latin script every English word on the page is the team's own text or a
    missed translation; the team's text is removed first, then nothing English may remain."""
    site, _ = load_site(REPO)
    assert site is not None
    config = site.config
    own = [
        config.title,
        config.description or "",
        *(c.name for c in config.components),
        *(c.description or "" for c in config.components),
    ]
    own += [g.name for g in config.groups] + [i.title for i in site.incidents]
    own += [n for pm in site.postmortems.values() for n in (pm.title or "", *pm.authors)]
    for path in (
        INDEX,
        INCIDENT,
        HISTORY,
        COMPONENT,
        "components/website/index.html",
        "postmortems/index.html",
        "404.html",
    ):
        doc = page(editions[lang], path)
        for body in doc.cssselect(
            ".body, .postmortem .body, textarea.snippet, script"
        ):  # the team's Markdown, the badge's, the script
            body.drop_tree()
        text = text_of(doc.cssselect("body")[0])
        for words in sorted(filter(None, own), key=len, reverse=True):
            text = text.replace(words, " ")
        english = set(LATIN_WORD.findall(text)) - ALLOWED_LATIN
        assert not english, f"{lang} {path}: untranslated {sorted(english)} in {text!r}"


# Names of products and formats the subscribe page's how-tos name (its snippets and URLs are code).
PRODUCT_NAMES = {
    "Google",
    "Apple",
    "Outlook",
    "Slack",
    "Microsoft",
    "Teams",
    "JSON",
    "API",
    "Statuspage",
    "README",
    "iframe",
    "Markdown",
    "HTML",
    "URL",
    "Web",
}


@pytest.mark.parametrize("lang", ["ja", "zh-Hans", "ar"])
def test_subscribe_page_and_widget_leave_no_english(
    lang: str, editions: dict[str, dict[str, bytes]]
) -> None:
    site, _ = load_site(REPO)
    assert site is not None
    config = site.config
    own = sorted(
        [config.title, *(c.name for c in config.components), *(g.name for g in config.groups)],
        key=len,
        reverse=True,
    )
    for path in ("subscribe/index.html", "embed/index.html", "embed/api/index.html"):
        doc = page(editions[lang], path)
        for code in doc.cssselect("code, pre"):
            code.drop_tree()
        text = text_of(doc.cssselect("body")[0])
        for words in own:
            text = text.replace(words, " ")
        english = set(LATIN_WORD.findall(text)) - ALLOWED_LATIN - PRODUCT_NAMES
        assert not english, f"{lang} {path}: untranslated {sorted(english)} in {text!r}"


def test_machine_facing_output_is_never_translated(editions: dict[str, dict[str, bytes]]) -> None:
    """API JSON, status.json and badges are the same bytes whatever the page's language."""
    machine = [
        p for p in editions["en"] if p.startswith("api/") or "badge" in p or p == "status.json"
    ]
    assert "api/v2/status.json" in machine and "badge.svg" in machine
    for lang in SHIPPED:
        assert {p: editions[lang][p] for p in machine} == {p: editions["en"][p] for p in machine}, (
            lang
        )
    status = json.loads(editions["ja"]["api/v2/status.json"])["status"]
    assert status == {
        "indicator": "minor",
        "description": "Minor Service Outage",
    }  # the v2 API's fixed wording


def test_feeds_and_calendar_speak_the_page_language(editions: dict[str, dict[str, bytes]]) -> None:
    feed = feedparser.parse(editions["de"]["history.atom"])
    assert (
        feed.feed.language == "de"
        and feedparser.parse(editions["de"]["history.rss"]).feed.language == "de"
    )
    titles = [e.title for e in feed.entries]
    assert "Elevated error rates on the API — Behoben" in titles
    assert "Elevated error rates on the API — Post-Mortem" in titles
    assert (
        feed.feed.subtitle == "Live status of Acme's API, dashboard and website."
    )  # the team's own words
    component = feedparser.parse(editions["de"]["components/api/history.atom"])
    assert component.feed.subtitle == "Vorfälle und Wartungsarbeiten, die Public API betreffen"
    calendar = Calendar.from_ical(editions["ja"]["maintenance.ics"])
    assert str(calendar["X-WR-CALNAME"]) == "Acme Status: 計画メンテナンス"
    descriptions = [str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")]
    assert any("完了 · 2026年12月3日 3:00 CET" in d for d in descriptions), descriptions


def test_notifications_speak_the_page_language(tmp_path: Path) -> None:
    site, _ = load_site(example_site(tmp_path / "site", "language: fr\n"))
    assert site is not None
    renderer = Renderer(site)
    resolved = next(
        e
        for e in events(site, at(NOW))
        if e.incident.id == "2026-11-20-api-errors" and e.status.word == "resolved"
    )
    message = renderer.render(resolved)
    assert message.subject == "Résolu: Elevated error rates on the API"
    assert "Résolu · 20 nov. 2026, 15:10 CET" in message.text
    assert "Concerne\u00a0: Public API (Opérationnel), Dashboard (Opérationnel)" in message.text
    assert (
        teams(message)["attachments"][0]["content"]["actions"][0]["title"]
        == "Voir sur la page d’état"
    )
    mail = lxml_html.fromstring(message.email_html)
    assert mail.get("lang") == "fr"


def test_postmortem_draft_in_the_page_language(tmp_path: Path) -> None:
    site, _ = load_site(example_site(tmp_path / "site", "language: de\n"))
    assert site is not None
    incident = site.incident("2026-11-12-login-outage")
    assert incident is not None
    text = draft_text(incident, site.config, at(NOW))
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == [
        "Zusammenfassung",
        "Zeitverlauf",
        "Was ist passiert",
        "Grundursache",
        "Was gut lief",
        "Was schieflief",
        "Maßnahmen",
    ]
    assert (
        "- **Auswirkung:**" in text and "TODO(postmortem):" in text
    )  # the marker `check` looks for stays


# --- formatting -------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "winter", "summer"), [
    ("en", "Jan 15, 2026, 13:00 CET", "Jul 15, 2026, 14:00 CEST"),
    ("de", "15. Jan. 2026, 13:00 MEZ", "15. Juli 2026, 14:00 MESZ"),
    ("ja", "2026年1月15日 13:00 CET", "2026年7月15日 14:00 CEST"),
    ("pt-BR", "15 de jan. de 2026 13:00 CET", "15 de jul. de 2026 14:00 CEST"),
    ("ar", "15 يناير 2026، 13:00 CET", "15 يوليو 2026، 14:00 CEST"),
])  # fmt: skip
def test_date_and_time_are_joined_by_the_languages_own_pattern(
    lang: str, winter: str, summer: str
) -> None:
    fmt = Formatter(lang, ZoneInfo("Europe/Berlin"))
    assert fmt.datetime(datetime(2026, 1, 15, 12, tzinfo=UTC)) == winter
    assert fmt.datetime(datetime(2026, 7, 15, 12, tzinfo=UTC)) == summer


def test_zones_without_letters_keep_the_tz_abbreviation() -> None:
    assert (
        Formatter("de", ZoneInfo("Asia/Riyadh")).time(datetime(2026, 1, 15, 12, tzinfo=UTC))
        == "15:00 +03"
    )
    assert (
        Formatter("fr", ZoneInfo("UTC")).time(datetime(2026, 1, 15, 12, tzinfo=UTC)) == "12:00 UTC"
    )


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "99.95%"), ("de", "99,95\u00a0%"), ("fr", "99,95\u00a0%"), ("ja", "99.95%")],
)
def test_percentages_in_the_languages_format(lang: str, shown: str) -> None:
    assert Formatter(lang, ZoneInfo("UTC")).percent(99.95) == shown


# --- configuration ----------------------------------------------------------------------


def config_problems(tmp_path: Path, settings: str) -> list[str]:
    _, problems = load_site(example_site(tmp_path / "site", settings))
    return [str(p) for p in problems.errors]


def test_unknown_language_is_an_error_at_its_line_listing_the_available_ones(
    tmp_path: Path,
) -> None:
    lines = (REPO / "statuspage.yaml").read_text(encoding="utf-8").count("\n")
    (error,) = config_problems(tmp_path, "language: klingon\n")
    assert error.startswith(f"statuspage.yaml:{lines + 1}: ")
    assert "'klingon'" in error and "available: ar, de, en, es, fr, ja, pt-BR, zh-Hans" in error


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("pt_br", "pt-BR"),
        ("ZH-hans", "zh-Hans"),
        ("de-AT", "de-AT"),
        ("zh-CN", "zh-Hans-CN"),
        ("en-GB", "en-GB"),
    ],
)
def test_language_codes_are_normalised_and_regional_variants_accepted(
    tmp_path: Path, written: str, tag: str
) -> None:
    site, problems = load_site(example_site(tmp_path / "site", f"language: {written}\n"))
    assert site is not None, [str(p) for p in problems.items]
    assert site.config.language == tag


def test_regional_variant_uses_its_languages_catalog_and_its_own_formats(tmp_path: Path) -> None:
    files = built(example_site(tmp_path / "site", "language: de-AT\n"))
    index = page(files, INDEX)
    assert index.get("lang") == "de-AT"
    assert text_of(index.cssselect(".banner h1")[0]) == "Geringfügige Störung"
    assert (
        Formatter("de-AT", ZoneInfo("UTC")).long_date(datetime(2026, 1, 3, tzinfo=UTC).date())
        == "3. Jänner 2026"
    )


@pytest.mark.parametrize(("settings", "message"), [
    ("languages: [en, de, en]\n", "`languages:` lists en twice"),
    ("languages: [en, pt-PT]\n", "`languages:` 'pt-PT' is not a language with a translation"),
    ("languages: de\n", "`languages:` must be a list"),
    ("language: ja\nlanguages: [en, ja]\n", "`language:` is ja but `languages:` starts with en"),
])  # fmt: skip
def test_bad_language_lists(tmp_path: Path, settings: str, message: str) -> None:
    errors = config_problems(tmp_path, settings)
    assert len(errors) == 1 and message in errors[0], errors


# --- multi-language sites ---------------------------------------------------------------


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = example_site(tmp_path_factory.mktemp("multi") / "site", "languages: [en, de, ja]\n")
    # A year-old incident: the history page then links the earlier quarters in api/metrics.json.
    (root / "incidents" / "2025-09-02-old.md").write_text(OLD_INCIDENT, encoding="utf-8")
    return built(root)


OLD_INCIDENT = """\
---
title: Slow sign-in
impact: minor
components: {auth: degraded_performance}
---

## Resolved · 2025-09-02 10:30

Fixed.

## Investigating · 2025-09-02 10:00

Sign-in is slow.
"""


def test_first_language_at_the_root_the_others_below(multi: dict[str, bytes]) -> None:
    assert page(multi, INDEX).get("lang") == "en"
    assert page(multi, "de/index.html").get("lang") == "de"
    assert text_of(page(multi, "ja/index.html").cssselect(".banner h1")[0]) == "軽微なサービス障害"
    assert page(multi, "ja/" + INCIDENT).get("lang") == "ja"
    # Feeds and the calendar per language; the machine-facing files once, at the root.
    assert (
        feedparser.parse(multi["de/history.atom"]).feed.links[0].href
        == "https://status.acme.example/de/history.atom"
    )
    assert "de/maintenance.ics" in multi and "de/components/api/history.atom" in multi
    assert not [
        p
        for p in multi
        if p.startswith(("de/api/", "ja/api/"))
        or (p.startswith(("de/", "ja/")) and p.endswith(("badge.svg", "status.json")))
    ]
    assert "api/v2/summary.json" in multi and "badge.svg" in multi
    assert (
        page(multi, "de/" + INCIDENT).cssselect('link[rel="canonical"]')[0].get("href")
        == "https://status.acme.example/de/incidents/2026-11-20-api-errors/"
    )


def test_hreflang_alternates_and_switcher_link_every_page_to_its_translations(
    multi: dict[str, bytes],
) -> None:
    # The embed/ widgets are one line for other sites' iframes: no navigation, not indexed.
    pages = [p for p in multi if p.endswith(".html") and "embed/" not in p]
    for path in pages:
        doc = page(multi, path)
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in doc.cssselect('link[rel="alternate"][hreflang]')
        }
        plain = path.removeprefix("de/").removeprefix("ja/").removesuffix("index.html")
        assert alternates == {
            "en": f"https://status.acme.example/{plain}", "de": f"https://status.acme.example/de/{plain}",
            "ja": f"https://status.acme.example/ja/{plain}", "x-default": f"https://status.acme.example/{plain}",
        }, path  # fmt: skip
        links = doc.cssselect("nav.languages a")
        assert [a.text_content() for a in links] == ["English", "Deutsch", "日本語"]
        assert [a.get("lang") for a in links if a.get("aria-current")] == [doc.get("lang")]
        for a in links:  # plain relative links that resolve to the same page in that language
            target = urljoin(f"https://x/{path}", a.get("href")).removeprefix("https://x/")
            assert target in multi, (path, a.get("href"))
            assert page(multi, target).get("lang") == a.get("hreflang")


def test_edition_links_to_the_shared_api(multi: dict[str, bytes]) -> None:
    doc = page(multi, "de/" + HISTORY)
    hrefs = [a.get("href") for a in doc.cssselect(".reliability a")]
    assert (
        all(
            urljoin(f"https://x/de/{HISTORY}", h).removeprefix("https://x/") in multi for h in hrefs
        )
        and hrefs
    )


def test_one_language_site_has_no_switcher(editions: dict[str, dict[str, bytes]]) -> None:
    doc = page(editions["de"], INDEX)
    assert not doc.cssselect("nav.languages") and not doc.cssselect("link[hreflang]")
    assert not [p for p in editions["de"] if p.startswith("de/")]


# --- a site's own wording ---------------------------------------------------------------


def test_a_site_rewords_one_string_in_its_own_catalog(tmp_path: Path) -> None:
    root = example_site(tmp_path / "site", "languages: [en, de]\n")
    (root / "translations").mkdir()
    (root / "translations" / "en.po").write_text(
        'msgid "Minor Service Disruption"\nmsgstr "Some things are slow"\n', encoding="utf-8"
    )
    (root / "translations" / "de.po").write_text(
        '# Only what we word differently.\nmsgid "Minor Service Disruption"\nmsgstr "Kleine Störung"\n\n'
        'msgid "%(num)s day ago"\nmsgid_plural "%(num)s days ago"\nmsgstr[0] "%(num)s Tag zurück"\nmsgstr[1] "%(num)s Tage zurück"\n',
        encoding="utf-8",
    )  # fmt: skip
    _, problems = load_site(root)
    assert not problems.items, [str(p) for p in problems.items]
    files = built(root)
    assert text_of(page(files, INDEX).cssselect(".banner h1")[0]) == "Some things are slow"
    de = page(files, "de/index.html")
    assert text_of(de.cssselect(".banner h1")[0]) == "Kleine Störung"
    assert text_of(de.cssselect(".uptime-legend .ago-90")[0]) == "90 Tage zurück"
    assert (
        text_of(de.cssselect("#components-h")[0]) == "Komponenten"
    )  # everything else: the shipped catalog


def test_check_reports_a_broken_override(tmp_path: Path) -> None:
    root = example_site(tmp_path / "site", "language: fr\n")
    (root / "translations").mkdir()
    (root / "translations" / "fr.po").write_text(
        'msgid "Minor Service Disruptoin"\nmsgstr "Petite panne"\n\n'
        'msgid "As of %(time)s"\nmsgstr "État au %(heure)s"\n',
        encoding="utf-8",
    )  # fmt: skip
    _, problems = load_site(root)
    warnings = [str(p) for p in problems.warnings]
    errors = [str(p) for p in problems.errors]
    assert warnings == [
        "translations/fr.po:1: warning: statuspage never shows 'Minor Service Disruptoin'; nothing is reworded (did you mean 'Minor Service Disruption'?)"
    ]
    assert (
        len(errors) == 1
        and errors[0].startswith("translations/fr.po:4: 'As of %(time)s': ")
        and "heure" in errors[0]
    )
    (root / "translations" / "fr.po").write_text(
        'msgid "Today"\nmsgtsr "Aujourd’hui"\n', encoding="utf-8"
    )
    _, problems = load_site(root)
    assert [str(p).split(":")[:2] for p in problems.errors] == [["translations/fr.po", "2"]]
