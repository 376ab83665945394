"""What the generator writes in the reader's language: Babel (CLDR) for dates, durations
and numbers, always in the site's zone, and the language editions of a multi-language
site. The gettext catalogs for UI strings are the Site's (source/translations.py).

Machine-facing output (JSON keys and enums, v2 descriptions) never goes through here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton, get_datetime_format, get_timezone_name
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from statuspage.model import Config
from statuspage.source.translations import babel_locale


def language_name(language: str) -> str:
    """The language's name in itself ('Deutsch', '日本語'), for a language switcher."""
    locale = babel_locale(language)
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]


_V = TypeVar("_V")


# In Formatter, `datetime` and `date` name its methods.
_Instant = datetime
_Day = date


def _remembered(method: Callable[[Formatter, _V], str]) -> Callable[[Formatter, _V], str]:
    """*method*'s answers kept on the Formatter (one per PageSet, so per build).

    Babel's CLDR formatting costs tens of microseconds a call, and pages show the same
    instants many times (10,000 incidents: ~100,000 calls). Every method converts to
    the formatter's zone first, so equal instants given in different zones share an
    entry rightly."""
    name = method.__name__

    @functools.wraps(method)
    def remembered(self: Formatter, value: _V) -> str:
        key = (name, value)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = method(self, value)
        return found

    return remembered


@dataclass(frozen=True)
class Formatter:
    """Formats instants for one language in one time zone."""

    language: str
    zone: ZoneInfo
    memo: dict[tuple[str, object], str] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def locale(self) -> Locale:
        return babel_locale(self.language)

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def zone_abbreviation(self, moment: datetime) -> str:
        """CET / CEST / EST at that instant; MEZ / MESZ where CLDR has a name readers
        of the language know. Never a bare offset from CLDR: the tz database's own
        abbreviation (CET, or +03 where it has no letters) is clearer than '+0100'."""
        local = self.local(moment)
        # What the answer depends on (Babel picks the name by zone and daylight saving,
        # and falls back to the offset): a site's instants share a handful of these.
        key = ("zone", (local.tzname(), local.utcoffset(), local.dst()))
        found = self.memo.get(key)
        if found is None:
            abbreviation = local.strftime("%Z")
            name = get_timezone_name(local, "short", locale=self.locale)
            usable = name[:1].isalpha() and not name.startswith(("GMT", "UTC"))
            found = self.memo[key] = name if abbreviation != "UTC" and usable else abbreviation
        return found

    def _clock(self, local: datetime) -> str:
        """'14:02': the skeleton Hm shows the hour and minute only, so it is made once for each."""
        key = ("clock", (local.hour, local.minute))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = format_skeleton("Hm", local, locale=self.locale)
        return found

    @_remembered
    def datetime(self, moment: datetime) -> str:
        """'Nov 20, 2026, 14:02 CET': date and time joined by the language's own CLDR
        pattern ('{1}, {0}' in English, '{1} {0}' in Japanese, '{1}، {0}' in Arabic)."""
        local = self.local(moment)
        time = f"{self._clock(local)} {self.zone_abbreviation(moment)}"
        pattern = self.memo.get(("pattern", "medium"))
        if pattern is None:
            pattern = self.memo[("pattern", "medium")] = str(
                get_datetime_format("medium", locale=self.locale)
            )
        return pattern.replace("{1}", self.date(local.date())).replace("{0}", time)

    @_remembered
    def time(self, moment: _Instant) -> str:
        """'14:02 CET'."""
        return f"{self._clock(self.local(moment))} {self.zone_abbreviation(moment)}"

    @_remembered
    def date(self, day: date | _Instant) -> str:
        """'Nov 20, 2026'."""
        if isinstance(day, _Instant):
            day = self.local(day).date()
        return format_skeleton("yMMMd", day, locale=self.locale)

    @_remembered
    def short_date(self, day: _Day) -> str:
        """'Nov 20' (no year), for day bars and lists within one year."""
        return format_skeleton("MMMd", day, locale=self.locale)

    @_remembered
    def long_date(self, day: _Day) -> str:
        """'November 20, 2026', for day headings."""
        return _babel_date(day, "long", locale=self.locale)

    @_remembered
    def month(self, day: _Day) -> str:
        """'November 2026'."""
        return format_skeleton("yMMMM", day, locale=self.locale)

    @_remembered
    def month_short(self, day: _Day) -> str:
        """'Nov', for chart axes."""
        return format_skeleton("MMM", day, locale=self.locale)

    @_remembered
    def quarter(self, day: _Day) -> str:
        """'Q4 2026'."""
        return format_skeleton("yQQQ", day, locale=self.locale)

    @_remembered
    def duration(self, span: timedelta) -> str:
        """'1 hr 8 min' / '3 days 2 hr'; at most two units, never '0 min' for a real span."""
        minutes = max(int(span.total_seconds() // 60), 0)
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        parts = [(days, "duration-day"), (hours, "duration-hour"), (mins, "duration-minute")]
        shown = [(v, unit) for v, unit in parts if v][:2]
        if not shown:
            return self._unit(0 if span.total_seconds() <= 0 else 1, "duration-minute")
        return " ".join(self._unit(v, unit) for v, unit in shown)

    def _unit(self, value: int, unit: str) -> str:
        """'3 hr' in the language's short form. Where CLDR leaves a plural category to
        'other' (Spanish 'h' for 1 and 2 alike), Babel falls back to the long name
        ('1 horas'); CLDR's rule is to use 'other', so that is done here."""
        patterns = self.locale._data["unit_patterns"][unit].get("short", {})
        pattern = patterns.get(self.locale.plural_form(value)) or patterns.get("other")
        if pattern is None:
            return format_unit(value, unit, length="short", locale=self.locale)
        return str(pattern).format(format_decimal(value, locale=self.locale))

    @_remembered
    def percent(self, value: float) -> str:
        """'99.95%' / '99,95 %' with two decimals: the language's percent pattern,
        digits, separators and sign placement."""
        pattern = self.locale.percent_formats[None].pattern.replace("#,##0", "#,##0.00", 1)
        return format_percent(Decimal(str(value)) / 100, format=pattern, locale=self.locale)

    @_remembered
    def axis_percent(self, value: float) -> str:
        """'99.5%' / '100 %': at most one decimal, for chart axes."""
        pattern = self.locale.percent_formats[None].pattern.replace("#,##0", "#,##0.#", 1)
        return format_percent(Decimal(str(value)) / 100, format=pattern, locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def decimal(self, value: float | Fraction) -> str:
        """'43.2' / '-16,8': up to two decimals, as budgets in minutes are shown."""
        rounded = Decimal(str(round(float(value), 2)))
        return format_decimal(rounded, format="#,##0.##", locale=self.locale)


# A multi-language site (`languages: [en, de, ja]`) is one edition per language: the
# first at the site root, each other one under `<tag>/`, built from a copy of the
# config whose `language` and `base_url` are the edition's, so every absolute link
# the pages, feeds and calendar make points into the edition.


def site_languages(config: Config) -> tuple[str, ...]:
    """Every language the site is built in, the root's first."""
    return config.languages or (config.language,)


def edition_prefix(config: Config) -> str:
    """'' for the root edition, 'de/' for the German one of a multi-language site."""
    return "" if config.language == site_languages(config)[0] else f"{config.language}/"


def edition_config(config: Config, language: str) -> Config:
    """The config the *language* edition is built from."""
    root = replace(config, language=site_languages(config)[0], base_url=site_base_url(config))
    prefix = edition_prefix(replace(root, language=language))
    return replace(root, language=language, base_url=root.base_url + prefix)


def site_base_url(config: Config) -> str:
    """The whole site's base URL, from any edition's config."""
    return config.base_url.removesuffix(edition_prefix(config))


@dataclass(frozen=True)
class Alternate:
    """One language's version of a page, for `hreflang` links and the language switcher."""

    language: str  # BCP 47 tag
    name: str  # in that language: 'Deutsch'
    href: str  # relative to the page
    url: str  # absolute
    current: bool


def alternates(config: Config, path: str, root: str) -> list[Alternate]:
    """The page at output *path* of this edition (*root* leads back to the edition's
    root) in every language of the site; [] for a one-language site."""
    if not config.languages:
        return []
    home = root + "../" * edition_prefix(config).count("/")
    base = site_base_url(config)
    out = []
    for language in config.languages:
        prefix = edition_prefix(replace(config, language=language))
        out.append(Alternate(
            language=language, name=language_name(language), href=home + prefix + path,
            url=base + prefix + path.removesuffix("index.html"),
            current=language == config.language,
        ))  # fmt: skip
    return out
