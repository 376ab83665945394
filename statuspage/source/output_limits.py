"""How much a whole site may write: its files, its bytes and its history pages.

A few settings multiply what every page repeats: each of `languages:` writes every
page, feed and calendar again, each of `components:` has a page and two feeds in
each language, and `history_per_page:` sets how many history pages there are. 196 kB
of sources (500 components, 8 languages, 20 kB of text on every page) once wrote
1.3 GB, and `history_per_page: 1` with 1,000 incidents in 8 languages 219 MB. What
a site writes is what it has (incidents, in each language) times a small factor; past
that, something multiplies, and the build stops before writing more (the last good
site stays) and names the settings that multiply.
"""

from __future__ import annotations

from math import ceil
from pathlib import Path

from statuspage.errors import ContentError, Problems
from statuspage.model import Config

# Every site may write this much, whatever it holds: the fixed part (front page, component
# pages and feeds, API, badges) of the most a config may list, 1,000 components in all 8
# languages, is 212 MB in 34,098 files.
BASE_BYTES = 512_000_000
BASE_FILES = 100_000
# ... and this much more per incident and language: an incident writes its page (a few kB)
# and its entries in feeds, calendar and API; the 10,000-incident benchmark site writes
# 10 kB and 1.07 files per incident. Six times that leaves room for long incidents.
BYTES_PER_INCIDENT = 64_000
FILES_PER_INCIDENT = 4
# History pages per language: 200, or as many as the default 20 incidents a page make
# (so a site at the default is never cut short); a smaller `history_per_page:` makes no
# more pages than that, only fuller ones.
MAX_HISTORY_PAGES = 200
DEFAULT_PER_PAGE = 20


def editions(config: Config) -> int:
    """How many times the pages are written: once per language."""
    return max(len(config.languages), 1)


def site_budget(config: Config, incidents: int) -> tuple[int, int]:
    """(bytes, files) a site of *incidents* may write in all."""
    written = incidents * editions(config)
    return (
        BASE_BYTES + BYTES_PER_INCIDENT * written,
        BASE_FILES + FILES_PER_INCIDENT * written,
    )


def history_page_size(per_page: int, incidents: int) -> int:
    """Incidents per history page: `history_per_page`, or more if that would make more
    pages than MAX_HISTORY_PAGES or DEFAULT_PER_PAGE a page would."""
    pages = max(MAX_HISTORY_PAGES, ceil(incidents / DEFAULT_PER_PAGE))
    return max(per_page, ceil(incidents / pages))


def check_history_pages(config: Config, incidents: int, problems: Problems) -> None:
    """Warn when `history_per_page:` would make more history pages than are made."""
    per = config.history_per_page
    size = history_page_size(per, incidents)
    if size > per:
        problems.warning(
            config.path or Path("statuspage.yaml"),
            0,
            f"{incidents:,} incidents at `history_per_page: {per}` would make "
            f"{incidents // per:,} history pages in each language; at most "
            f"{ceil(incidents / size)} are made, so each holds {size}: set `history_per_page: "
            f"{size}` (or more) to say so",
        )


def multipliers(config: Config) -> str:
    """The settings that multiply what this site writes, as a reader can act on them."""
    found = []
    if len(config.languages) > 1:
        found.append(f"`languages:` ({len(config.languages)}: every page and feed once in each)")
    if config.components:
        found.append(
            f"`components:` ({len(config.components):,}: a page and two feeds each, in every "
            "language)"
        )
    # (`history_per_page:` no longer multiplies: history pages are bounded, above.)
    return "; ".join(found) or "the text every page repeats"


def over_budget(config: Config, root: Path | None, what: str | None, limit: str) -> ContentError:
    """The error of a site that would write *what* (None: more than its *limit*)."""
    rule = (
        f"{BASE_BYTES // 1_000_000} MB and {BASE_FILES:,} files, plus "
        f"{BYTES_PER_INCIDENT // 1000} kB and {FILES_PER_INCIDENT} files per incident in "
        "each language"
    )
    problems = Problems(root)
    problems.error(
        config.path or "statuspage.yaml",
        0,
        f"the site would write {what + ', ' if what else ''}more than its limit of {limit} "
        f"({rule}; see Limits "
        f"in the README); what multiplies it: {multipliers(config)}. List fewer languages "
        "or components, or shorten text every page repeats (translations/*.po, "
        "descriptions); nothing was written",
    )
    return ContentError(problems.items)
