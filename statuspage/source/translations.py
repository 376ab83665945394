"""The translation catalogs, in one place: which languages have one, the shipped catalogs,
the site's own `translations/<language>.po` over them, and the checks of those. The build
reads them here, into the Site (outputs/i18n.py formats; it reads nothing)."""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError, localedata, parse_locale
from babel.core import get_global

from statuspage.errors import Problems
from statuspage.source.names import suggest
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.theme import OVERRIDES_DIR

LOCALE_DIR = Path(__file__).parent.parent / "locale"
DOMAIN = "statuspage"
SOURCE_LANGUAGE = "en"  # msgids are English: it needs no catalog


def _catalogs() -> set[str]:
    """Catalog folder names with a compiled catalog: 'de', 'pt_BR', 'zh_Hans'."""
    return {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}


def available_languages() -> list[str]:
    """Languages with a compiled catalog, plus English (the source language), as BCP 47 tags."""
    return sorted({SOURCE_LANGUAGE} | {name.replace("_", "-") for name in _catalogs()})


def _parse(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _catalog_candidates(locale: Locale) -> list[str]:
    """Catalog names that can serve *locale*, most specific first: de-AT -> de_AT, de;
    zh-CN -> zh_Hans (CLDR's likely script), pt -> pt_BR (CLDR's likely region)."""
    likely = get_global("likely_subtags")
    guess = likely.get(f"{locale.language}_{locale.territory}") or likely.get(locale.language) or ""
    parts = parse_locale(guess) if guess else ("", None, None, None)
    likely_territory, likely_script = parts[1], parts[2]
    script = locale.script or likely_script
    territory = locale.territory or likely_territory
    names = [
        f"{locale.language}_{locale.script}_{locale.territory}"
        if locale.script and locale.territory
        else "",
        f"{locale.language}_{locale.territory}" if locale.territory else "",
        f"{locale.language}_{script}" if script else "",
        locale.language,
        f"{locale.language}_{territory}" if not locale.territory and territory else "",
    ]
    return [n for n in names if n]


def catalog_name(language: str) -> str | None:
    """The catalog folder serving *language* (a BCP 47 tag), '' for English, None if none does."""
    locale = _parse(language)
    if locale is None:
        return None
    if locale.language == SOURCE_LANGUAGE:
        return ""
    found = _catalogs()
    return next((name for name in _catalog_candidates(locale) if name in found), None)


def language_tag(language: str) -> str | None:
    """*language* as a canonical BCP 47 tag ('pt_br' -> 'pt-BR'); None if no catalog serves it."""
    locale = _parse(language)
    if locale is None or catalog_name(language) is None:
        return None
    return "-".join(part for part in (locale.language, locale.script, locale.territory) if part)


# Cached: a pure function of the language tag, and a site has a handful of languages.
@cache
def babel_locale(language: str) -> Locale:
    """The Babel locale of *language*; English when Babel does not know it."""
    return _parse(language) or Locale.parse(SOURCE_LANGUAGE)


# A site may reword any string in its own `translations/<language>.po` (OVERRIDES_DIR; only the
# entries it changes; English too): read at build time, no compiling, over the shipped catalog.
def override_path(root: Path | None, language: str) -> Path | None:
    """The site's own catalog for *language*, if it has one."""
    path = SiteFolder(root).inside(f"{OVERRIDES_DIR}/{language}.po") if root is not None else None
    return path if path is not None and path.is_file() else None


# One catalog per shipped language, read once per process: a small, bounded domain.
@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for *language*; English (and anything without one) passes msgids through."""
    name = catalog_name(language)
    if not name:
        return gettext.NullTranslations()
    with (LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def site_translations(root: Path | None, language: str) -> gettext.NullTranslations:
    """The shipped catalog for *language*, with the site's own rewordings over it."""
    return catalog(language, read_override(root, language))


def read_override(root: Path | None, language: str) -> bytes | None:
    """The bytes of the site's own `translations/<language>.po`, if it has one."""
    path = override_path(root, language)
    return path.read_bytes() if path is not None else None


def catalog(language: str, override: bytes | None) -> gettext.NullTranslations:
    """The shipped catalog for *language* under the rewordings of *override* (a .po file)."""
    if override is None:
        return translations(language)
    # Babel's .po reader (and the email package it imports) only for a site that rewords.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    parsed = read_po(io.BytesIO(override), locale=str(babel_locale(language)))
    compiled = io.BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    own = gettext.GNUTranslations(compiled)
    own.add_fallback(translations(language))
    return own


def read_locale_data(languages: Iterable[str]) -> None:
    """Have Babel read its CLDR data for *languages* (kept for the process): it reads it on
    first use, and rendering must read no file."""
    for language in languages:
        localedata.load(str(babel_locale(language)))
    get_global("meta_zones")  # Babel's global data (time zone names)


def check_overrides(root: Path, language: str, problems: Problems) -> None:
    """`check`: the site's catalog parses, rewords strings statuspage uses, keeps placeholders."""
    try:
        SiteFolder(root).file(f"{OVERRIDES_DIR}/{language}.po")
    except OutsideSite as e:
        problems.error(root / OVERRIDES_DIR / f"{language}.po", 0, str(e))
        return
    path = override_path(root, language)
    if path is None:
        return
    # Imported here: Babel's .po reader is for the sites that reword (alert and the file
    # edits load every site and would pay for it otherwise).
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as f:
            catalog = read_po(f, locale=str(babel_locale(language)), abort_invalid=True)
    except PoFileError as e:
        reason = str(e).rsplit(" on ", 1)[0]  # Babel appends its own 0-based line number
        problems.error(
            path,
            e.lineno + 1,
            f'not a valid .po file: {reason}; each entry is msgid "..." then msgstr "..."',
        )
        return
    with (LOCALE_DIR / "messages.pot").open("rb") as f:
        known = {m.id for m in read_po(f) if m.id}
    singular = {i[0] if isinstance(i, tuple) else i: i for i in known}
    for message in catalog:
        if message.id and message.id not in known:
            hint = suggest(message.id, [str(k) for k in singular])
            problems.warning(
                path,
                message.lineno or 0,
                f"statuspage never shows {message.id!r}; nothing is reworded{hint}",
            )
    for message, errors in catalog.check():
        for error in errors or ():
            problems.error(path, message.lineno or 0, f"{message.id!r}: {error}")
