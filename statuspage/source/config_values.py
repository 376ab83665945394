"""Values of statuspage.yaml's top level that take more than a type check: languages,
the custom domain, `subscribe:`, durations and dates; each problem at its line."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from statuspage.errors import Problems
from statuspage.model import DEFAULT_STALE_AFTER, parse_priority
from statuspage.source.config_schema import SUBSCRIBE
from statuspage.source.names import suggest, userinfo_problem
from statuspage.source.yamlfile import YamlList, YamlMap

# ASCII digits only: `\d` also takes Arabic-Indic and full-width digits.
DURATION = re.compile(r"^(?:([0-9]+)h)?\s*(?:([0-9]+)m)?$")
# A response target is minutes to days; a longer one is a typo (and a huge one overflows).
MAX_RESPONSE_TARGET = timedelta(days=30)
# A sign-up page run elsewhere (we never collect addresses): https only, one line, and no
# quotes or angle brackets, so it stands in a link's href as it is.
EMAIL_URL = re.compile(r"^https://[^/\s\"'<>]+[^\s\"'<>]*$")


def unknown_keys(
    entry: YamlMap, known: tuple[str, ...], kind: str, path: Path, problems: Problems
) -> None:
    """Each key of *entry* that is not one of *known*, at its line."""
    for key in entry:
        if key not in known:
            problems.error(
                path, entry.line_of(key), f"unknown {kind} key {key!r}{suggest(key, sorted(known))}"
            )


def read_languages(data: YamlMap, path: Path, problems: Problems) -> tuple[str, tuple[str, ...]]:
    """`language: de` or `languages: [en, de, ja]` -> (the root's language, every language
    of a multi-language site or ()), as canonical BCP 47 tags that have a catalog."""

    def tag(value: object, line: int, key: str) -> str | None:
        # Babel is imported only when needed: a no-op build is mostly imports.
        from statuspage.source.translations import available_languages, language_tag

        found = language_tag(value) if isinstance(value, str) else None
        if found is None:
            available = available_languages()
            problems.error(
                path,
                line,
                f"`{key}:` {value!r} is not a language with a translation"
                f"{suggest(value, available)}; available: "
                f"{', '.join(available)}",
            )
        return found

    language = (
        tag(data["language"], data.line_of("language"), "language") if "language" in data else None
    )
    if "languages" not in data:
        return language or "en", ()
    entries = data["languages"]
    if not isinstance(entries, YamlList) or not entries:
        problems.error(
            path,
            data.line_of("languages"),
            "`languages:` must be a list of language codes, e.g. [en, de, ja]",
        )
        return language or "en", ()
    languages: list[str] = []
    for value, line in zip(entries, entries.item_lines, strict=True):
        found = tag(value, line, "languages")
        if found in languages:
            problems.error(path, line, f"`languages:` lists {found} twice")
        elif found is not None:
            languages.append(found)
    if not languages:
        return language or "en", ()
    if language is not None and language != languages[0]:
        problems.error(
            path,
            data.line_of("language"),
            f"`language:` is {language} but "
            f"`languages:` starts with {languages[0]}: "
            "the first of `languages:` is the language at the site root; remove "
            "`language:`",
        )
    return languages[0], tuple(languages) if len(languages) > 1 else ()


def read_cname(
    cname: str | None, base_url: str, line: int, path: Path, problems: Problems
) -> str | None:
    """A custom domain is a bare host name, and the site's base_url should live on it."""
    if not cname:
        return None
    if not re.fullmatch(
        r"(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", cname
    ):
        problems.error(
            path,
            line,
            f"`cname:` must be a bare domain name like status.acme.example, not {cname!r}",
        )
        return None
    if urlsplit(base_url).hostname != cname.lower():
        problems.warning(
            path,
            line,
            f"`cname:` is {cname} but `base_url:` is {base_url}; set base_url to https://{cname}/",
        )
    return cname.lower()


def read_workflow_name(data: YamlMap, key: str, path: Path, problems: Problems) -> str | None:
    """A workflow of this repository, by its file name in .github/workflows/ (None: unset)."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml", value):
        problems.error(
            path,
            data.line_of(key),
            f"`{key}:` is a workflow's file name in .github/workflows/, like docs.yml, "
            f"not {value!r}",
        )
        return None
    return value


def read_email_url(data: YamlMap, path: Path, problems: Problems) -> str | None:
    """`subscribe: {email_url: https://…}`: where readers sign up for e-mail, or None."""
    section = data.get("subscribe")
    if section is None:
        return None
    if not isinstance(section, YamlMap):
        message = "`subscribe:` must be a mapping, e.g. `subscribe: {email_url: https://…}`"
        problems.error(path, data.line_of("subscribe"), message)
        return None
    unknown_keys(section, SUBSCRIBE.names, "subscribe", path, problems)
    url = section.get("email_url")
    if url is None:
        return None
    if not isinstance(url, str) or not EMAIL_URL.match(url):
        message = (
            "`email_url:` must be the https:// address of a mailing-list or newsletter "
            f"sign-up page, e.g. https://lists.acme.example/status, not {url!r}"
        )
        problems.error(path, section.line_of("email_url"), message)
        return None
    if refused := userinfo_problem("email_url", url):
        problems.error(path, section.line_of("email_url"), refused)
        return None
    return url


def read_response_targets(
    data: YamlMap, path: Path, problems: Problems
) -> tuple[tuple[int, timedelta], ...]:
    """`response_targets: {P1: 15m, P2: 1h}`: priority -> longest time to the first update."""
    raw = data.get("response_targets")
    if raw is None:
        return ()
    if not isinstance(raw, YamlMap):
        message = "`response_targets:` must map priorities to durations, e.g. {P1: 15m, P2: 1h}"
        problems.error(path, data.line_of("response_targets"), message)
        return ()
    targets: dict[int, timedelta] = {}
    for key, value in raw.items():
        line = raw.line_of(key)
        rank = parse_priority(key)
        if rank is None:
            problems.error(path, line, f"`response_targets:` key {key!r} must be P1 to P5")
            continue
        parts = _hours_minutes(value)
        if parts is None:
            message = (
                f"`response_targets:` {key} must be a duration in hours and minutes, "
                "like 15m, 1h or 1h30m"
            )
            problems.error(path, line, message)
            continue
        hours, mins = parts
        if (hours * 60 + mins) * 60 > MAX_RESPONSE_TARGET.total_seconds():
            limit = MAX_RESPONSE_TARGET.days
            message = f"`response_targets:` {key} must be at most {limit * 24}h ({limit} days)"
            problems.error(path, line, message)
            continue
        if hours == mins == 0:
            problems.error(path, line, f"`response_targets:` {key} must be longer than 0m")
            continue
        targets[rank] = timedelta(hours=hours, minutes=mins)
    return tuple(sorted(targets.items()))


def _hours_minutes(value: object) -> tuple[int, int] | None:
    """`1h30m` as (hours, minutes), or None when *value* is no such duration. A number of
    more than 9 digits counts as 10**9, so it is too long rather than an int() error
    (whose limit is 4,300 digits)."""
    found = DURATION.match(value.strip()) if isinstance(value, str) else None
    if found is None or not any(found.groups()):
        return None
    hours, mins = (int(g or 0) if len(g or "") <= 9 else 10**9 for g in found.groups())
    return hours, mins


def read_stale_after(data: YamlMap, path: Path, problems: Problems) -> timedelta | None:
    """`stale_after: 1h`: a duration from 1m to 30 days, or `off` (default: 30m, twice the
    publish workflow's 15-minute schedule)."""
    if "stale_after" not in data:
        return DEFAULT_STALE_AFTER
    raw = data["stale_after"]
    if raw is False or (isinstance(raw, str) and raw.strip().lower() == "off"):
        return None
    parts = _hours_minutes(raw)
    if parts is None:
        message = (
            "`stale_after:` must be a duration in hours and minutes, like 30m, 1h or 1h30m "
            "(twice the publish schedule's interval), or `off`"
        )
        problems.error(path, data.line_of("stale_after"), message)
        return DEFAULT_STALE_AFTER
    hours, mins = parts
    if not 0 < (hours * 60 + mins) * 60 <= MAX_RESPONSE_TARGET.total_seconds():
        limit = MAX_RESPONSE_TARGET.days
        message = f"`stale_after:` must be longer than 0m and at most {limit * 24}h ({limit} days)"
        problems.error(path, data.line_of("stale_after"), message)
        return DEFAULT_STALE_AFTER
    return timedelta(hours=hours, minutes=mins)


def read_date(entry: YamlMap, key: str, path: Path, problems: Problems) -> date | None:
    """*entry*'s `key: 2026-01-31`, or None when absent or not such a date (an error)."""
    value = entry.get(key)
    if value is None:
        return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.error(
            path, entry.line_of(key), f"`{key}:` must be a date like 2026-01-31, not {text!r}"
        )
        return None
