"""What the generator writes in the reader's language: gettext catalogs for UI
strings, Babel (CLDR) for dates, durations and numbers, always in the site's zone.

Machine-facing output (JSON keys and enums, v2 descriptions) never goes through here.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from babel.units import format_unit

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "statuspage"
RTL_SCRIPTS = {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm"}


def available_languages() -> list[str]:
    """Languages with a compiled catalog, plus English (the source language)."""
    found = {"en"}
    if LOCALE_DIR.is_dir():
        found |= {p.parent.parent.name.replace("_", "-") for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return sorted(found)


@cache
def translations(language: str) -> gettext.NullTranslations:
    code = language.replace("-", "_")
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])
    except OSError:
        return gettext.NullTranslations()


@cache
def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


# Babel's CLDR formatting costs tens of microseconds a call, and pages show the same
# instants many times (10,000 incidents: ~100,000 calls), so results are memoized.
# Every method converts to the formatter's zone first, so equal instants given in
# different zones share an entry rightly.
_memo = lru_cache(maxsize=1 << 17)


@dataclass(frozen=True)
class Formatter:
    """Formats instants for one language in one time zone."""

    language: str
    zone: ZoneInfo

    @property
    def locale(self) -> Locale:
        return babel_locale(self.language)

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def zone_abbreviation(self, moment: datetime) -> str:
        """CET / CEST / EST: the tz database's abbreviation at that instant."""
        return self.local(moment).strftime("%Z")

    @_memo
    def datetime(self, moment: datetime) -> str:
        """'Nov 20, 2026, 14:02 CET' (in the language's own order and month names)."""
        local = self.local(moment)
        day = format_skeleton("yMMMd", local, locale=self.locale)
        time = format_skeleton("Hm", local, locale=self.locale)
        return f"{day}, {time} {self.zone_abbreviation(moment)}"

    @_memo
    def time(self, moment: datetime) -> str:
        """'14:02 CET'."""
        return f"{format_skeleton('Hm', self.local(moment), locale=self.locale)} {self.zone_abbreviation(moment)}"

    @_memo
    def date(self, day: date | datetime) -> str:
        """'Nov 20, 2026'."""
        if isinstance(day, datetime):
            day = self.local(day).date()
        return format_skeleton("yMMMd", day, locale=self.locale)

    @_memo
    def short_date(self, day: date) -> str:
        """'Nov 20' (no year), for day bars and lists within one year."""
        return format_skeleton("MMMd", day, locale=self.locale)

    @_memo
    def long_date(self, day: date) -> str:
        """'November 20, 2026', for day headings."""
        return _babel_date(day, "long", locale=self.locale)

    @_memo
    def month(self, day: date) -> str:
        """'November 2026'."""
        return format_skeleton("yMMMM", day, locale=self.locale)

    @_memo
    def quarter(self, day: date) -> str:
        """'Q4 2026'."""
        return format_skeleton("yQQQ", day, locale=self.locale)

    @_memo
    def duration(self, span: timedelta) -> str:
        """'1 hr 8 min' / '3 days 2 hr'; at most two units, never '0 min' for a real span."""
        minutes = max(int(span.total_seconds() // 60), 0)
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        parts = [(days, "duration-day"), (hours, "duration-hour"), (mins, "duration-minute")]
        shown = [(v, unit) for v, unit in parts if v][:2]
        if not shown:
            return format_unit(0 if span.total_seconds() <= 0 else 1, "duration-minute", length="short", locale=self.locale)
        return " ".join(format_unit(v, unit, length="short", locale=self.locale) for v, unit in shown)

    @_memo
    def percent(self, value: float) -> str:
        """'99.95 %' with two decimals, in the language's digits and separators."""
        number = format_decimal(value, format="#,##0.00", locale=self.locale)
        return f"{number}\u00a0%"

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)
