"""statuspage.yaml -> Config, with every problem reported at once."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from statuspage.errors import Problems
from statuspage.model import DEFAULT_STALE_AFTER, Component, Config, Group, parse_priority
from statuspage.source.colours import brand_warning
from statuspage.source.logo import logo_refusal, logo_warning
from statuspage.source.names import slugify, suggest, userinfo_problem
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.source.times import TimeError, load_zone
from statuspage.source.yamlfile import (
    YamlError,
    YamlList,
    YamlMap,
    boolean_problem,
    parse_yaml,
    read_text,
)

CONFIG_NAME = "statuspage.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_CONFIG_BYTES = 1_000_000
# A logo is an http(s) URL or a path inside the site: never javascript:, data: & co.
LOGO = re.compile(r"^(https?://[^\s\"'<>]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\s\"'<>:]+)$")

# Top-level keys and what each holds. Sections owned by later features are
# kept raw in Config.extra and validated by those features.
TOP_LEVEL_KEYS = {
    "title": "the page's name",
    "description": "one sentence shown under the title and in link previews",
    "base_url": "where the site is published",
    "timezone": "IANA zone for naive timestamps and shown times",
    "language": "UI language",
    "languages": "every UI language of a multi-language site, the root's first",
    "components": "components and groups",
    "brand_color": "accent colour (#rrggbb)",
    "logo": "logo image path or URL",
    "cname": "custom domain for GitHub Pages",
    "feed_limit": "entries in each feed",
    "history_per_page": "incidents on each history page",
    "notify": "notification endpoints",
    "alerts": "rules that turn monitors' alerts into incidents",
    "upstream": "third-party providers whose public status the page shows (`upstream pull`)",
    "subscribe": "ways to follow the page that live elsewhere (`email_url:`)",
    "show_slo": "mark components whose error budget is overspent on the front page",
    "response_targets": "longest time to the first update per priority, e.g. {P1: 15m}",
    "start_date": "the first day the page reports on: no uptime is shown for days before it",
    "stale_after": "age at which readers are told the page may be out of date (30m, or off)",
}
SLO_KEYS = {"slo", "slo_window_days"}
COMPONENT_KEYS = {"id", "name", "description", "start_date", *SLO_KEYS}
GROUP_KEYS = {"group", "id", "description", "components", "collapsed", *SLO_KEYS}
# ASCII digits only: `\d` also takes Arabic-Indic and full-width digits.
DURATION = re.compile(r"^(?:([0-9]+)h)?\s*(?:([0-9]+)m)?$")
# A response target is minutes to days; a longer one is a typo (and a huge one overflows).
MAX_RESPONSE_TARGET = timedelta(days=30)
ONE_LINE_KEYS = ("title", "base_url", "name", "group", "id", "cname", "logo", "brand_color")
# Far above real use (the benchmark site has 30): every component gets a page listing its incidents.
MAX_COMPONENTS = 1_000
SUBSCRIBE_KEYS = {"email_url"}
# A sign-up page run elsewhere (we never collect addresses): https only, one line, and no
# quotes or angle brackets, so it stands in a link's href as it is.
EMAIL_URL = re.compile(r"^https://[^/\s\"'<>]+[^\s\"'<>]*$")


def _id_advice(value: object, kind: str) -> str:
    """What to type for a missing or malformed id."""
    if (
        isinstance(value, str)
        and ID_PATTERN.match(fixed := slugify(value) or "group")
        and value.strip()
    ):
        rule = f"{kind} ids are lower-case letters, digits, - and _"
        return f"{rule}: use `id: {fixed}` instead of {value!r}"
    if value is None:
        return f"{kind} `id:` is required: lower-case letters, digits, - and _ (e.g. api)"
    return f"{kind} `id:` must be lower-case letters, digits, - and _ (e.g. api), not {value!r}"


def _derived_group_id(name: object, taken: set[str]) -> str:
    """A group without `id:` is named after its name, made unlike every id written in
    the file (`- group: Web` holding `id: web` is common) and those given before it."""
    base = slugify(str(name)) or "group"
    candidate, n = base, 2
    if candidate in taken:
        candidate = f"{base}-group"
    while candidate in taken:
        candidate, n = f"{base}-group-{n}", n + 1
    return candidate


def _written_ids(entries: YamlList) -> set[str]:
    """Every `id:` written in `components:`, of groups and components at any depth."""
    found: set[str] = set()
    for entry in entries:
        if isinstance(entry, YamlMap):
            if isinstance(entry.get("id"), str):
                found.add(entry["id"])
            if isinstance(entry.get("components"), YamlList):
                found |= _written_ids(entry["components"])
    return found


def find_site(start: Path) -> Path | None:
    """The folder holding statuspage.yaml: *start* or its nearest parent, looking no
    higher than the repository root (a folder with `.git`) or the filesystem root."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / ".git").exists():
            return None
    return None


def load_config(root: Path, problems: Problems) -> Config | None:
    """Read ROOT/statuspage.yaml; None (with problems recorded) if it cannot be used."""
    path = root / CONFIG_NAME
    if not path.is_file():
        problems.error(
            path,
            0,
            f"no {CONFIG_NAME} here or in a folder above it; "
            "run in the site's folder or give `--source DIR` "
            "(or run `statuspage init` to create a site)",
        )
        return None
    try:
        SiteFolder(root).file(CONFIG_NAME)
    except OutsideSite as e:
        problems.error(path, 0, str(e))
        return None
    if path.stat().st_size > MAX_CONFIG_BYTES:
        problems.error(
            path,
            0,
            f"file is larger than {MAX_CONFIG_BYTES // 1000} kB; is it really the site's settings?",
        )
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        data = parse_yaml(text)
    except YamlError as e:
        problems.error(path, e.line, e.message)
        return None
    if not isinstance(data, YamlMap):
        problems.error(
            path, 1, "statuspage.yaml must be a mapping of settings (title:, components:, ...)"
        )
        return None
    return _validate(data, path, problems)


def _validate(data: YamlMap, path: Path, problems: Problems) -> Config | None:
    before = len(problems.errors)

    def err(key: str, message: str) -> None:
        problems.error(path, data.line_of(key), message)

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            err(key, f"unknown setting {key!r}{suggest(key, list(TOP_LEVEL_KEYS))}")
    _refuse_line_breaks(data, path, problems)

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        err("title", "`title:` is required: the name of the status page, e.g. `Acme Status`")
        title = ""
    base_url = data.get("base_url", "")
    if not isinstance(base_url, str) or not re.match(r"^https?://[^/\s]+", base_url):
        err(
            "base_url",
            "`base_url:` must be the absolute URL the site is published at, e.g. "
            "https://status.acme.example/",
        )
        base_url = "http://localhost/"
    elif refused := userinfo_problem("base_url", base_url):
        err("base_url", refused)
    if not base_url.endswith("/"):
        base_url += "/"

    zone: ZoneInfo = ZoneInfo("UTC")
    if "timezone" in data:
        try:
            zone = load_zone(str(data["timezone"]))
        except TimeError as e:
            err("timezone", str(e))

    def optional_str(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            err(key, f"`{key}:` must be text")
            return None
        return value

    brand = optional_str("brand_color")
    if brand and not re.fullmatch(r"#[0-9a-fA-F]{6}", brand):
        err("brand_color", "`brand_color:` must be a colour like #0b5fff")
        brand = None
    elif brand and (faint := brand_warning(brand)):
        problems.warning(path, data.line_of("brand_color"), faint)
    logo = optional_str("logo")
    if logo and not LOGO.match(logo):
        err(
            "logo", "`logo:` must be an http(s) URL or a path inside the site, e.g. assets/logo.svg"
        )
        logo = None
    if logo and (refused := userinfo_problem("logo", logo)):
        err("logo", refused)
        logo = None
    if logo:
        if refused := logo_refusal(logo, path.parent):
            err("logo", f"`logo:` {refused}")
            logo = None
        elif unusable_logo := logo_warning(logo, path.parent):
            problems.warning(path, data.line_of("logo"), unusable_logo)
    language, languages = _languages(data, path, problems)
    cname = _cname(optional_str("cname"), base_url, data.line_of("cname"), path, problems)

    def positive_int(key: str, default: int) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            err(key, f"`{key}:` must be a whole number of at least 1")
            return default
        return value

    components, groups = _components(data, path, problems)
    if len(components) > MAX_COMPONENTS:
        message = f"more than {MAX_COMPONENTS:,} components; group related services into one"
        problems.error(path, components[MAX_COMPONENTS].line, message)
    email_url = _email_url(data, path, problems)
    extra: dict[str, object] = {k: data[k] for k in ("notify", "alerts", "upstream") if k in data}
    if "upstream" in data:
        extra["upstream_line"] = data.line_of("upstream")
    show_slo = data.get("show_slo", False)
    if refused := boolean_problem("show_slo", show_slo):
        err("show_slo", refused)
        show_slo = False
    targets = _response_targets(data, path, problems)
    start_date = _date(data, "start_date", path, problems)
    stale_after = _stale_after(data, path, problems)
    if len(problems.errors) > before:
        return None
    return Config(
        title=title.strip(),
        base_url=base_url,
        timezone=zone,
        components=tuple(components),
        groups=tuple(groups),
        description=optional_str("description"),
        language=language,
        languages=languages,
        brand_color=brand,
        logo=logo,
        cname=cname,
        feed_limit=positive_int("feed_limit", 50),
        history_per_page=positive_int("history_per_page", 20),
        email_url=email_url,
        show_slo=show_slo,
        response_targets=targets,
        start_date=start_date,
        stale_after=stale_after,
        extra=extra,
        path=path,
    )


def _refuse_line_breaks(data: YamlMap, path: Path, problems: Problems) -> None:
    """Names, URLs and the title are one line: they go into headers, calendar
    properties and page titles, where a CR or LF breaks (or forges) the format."""
    entries = data.get("components")
    maps = [data]
    for entry in entries if isinstance(entries, YamlList) else []:
        if isinstance(entry, YamlMap):
            members = entry.get("components")
            inner = members if isinstance(members, YamlList) else []
            maps += [entry, *(m for m in inner if isinstance(m, YamlMap))]
    for entry in maps:
        for key in (*ONE_LINE_KEYS, "description"):
            value = entry.get(key)
            if not isinstance(value, str):
                continue
            if "\r" in value:
                message = f"`{key}:` contains a carriage return (\\r); remove it"
            elif "\n" in value.strip() and key in ONE_LINE_KEYS:
                message = f"`{key}:` must be one line of text: it contains a line break"
            else:
                continue
            problems.error(path, entry.line_of(key), message)


def _languages(data: YamlMap, path: Path, problems: Problems) -> tuple[str, tuple[str, ...]]:
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


def _cname(
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


def _email_url(data: YamlMap, path: Path, problems: Problems) -> str | None:
    """`subscribe: {email_url: https://…}`: where readers sign up for e-mail, or None."""
    section = data.get("subscribe")
    if section is None:
        return None
    if not isinstance(section, YamlMap):
        message = "`subscribe:` must be a mapping, e.g. `subscribe: {email_url: https://…}`"
        problems.error(path, data.line_of("subscribe"), message)
        return None
    _unknown_keys(section, SUBSCRIBE_KEYS, "subscribe", path, problems)
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


def _response_targets(
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


def _stale_after(data: YamlMap, path: Path, problems: Problems) -> timedelta | None:
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


def _date(entry: YamlMap, key: str, path: Path, problems: Problems) -> date | None:
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


def _slo(entry: YamlMap, what: str, path: Path, problems: Problems) -> tuple[float | None, int]:
    """A component's or group's `slo:` (a percentage) and `slo_window_days:` (default 30)."""
    slo = entry.get("slo")
    if slo is not None and (
        isinstance(slo, bool) or not isinstance(slo, int | float) or not 0 < slo < 100
    ):
        message = f"{what}: `slo:` must be a percentage above 0 and below 100, e.g. 99.9"
        problems.error(path, entry.line_of("slo"), message)
        slo = None
    window = entry.get("slo_window_days", 30)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 366:
        message = f"{what}: `slo_window_days:` must be a whole number of days from 1 to 366"
        problems.error(path, entry.line_of("slo_window_days"), message)
        window = 30
    if "slo_window_days" in entry and slo is None and "slo" not in entry:
        message = f"{what}: `slo_window_days:` needs an `slo:` target, e.g. `slo: 99.9`"
        problems.error(path, entry.line_of("slo_window_days"), message)
    return (float(slo) if slo is not None else None), window


def _unknown_keys(
    entry: YamlMap, known: set[str], kind: str, path: Path, problems: Problems
) -> None:
    """Each key of a component or group entry that is not one of *known*, at its line."""
    for key in entry:
        if key not in known:
            problems.error(
                path, entry.line_of(key), f"unknown {kind} key {key!r}{suggest(key, sorted(known))}"
            )


def _components(
    data: YamlMap, path: Path, problems: Problems
) -> tuple[list[Component], list[Group]]:
    entries = data.get("components", YamlList())
    components: list[Component] = []
    groups: list[Group] = []
    seen: dict[str, int] = {}
    if not isinstance(entries, YamlList):
        problems.error(path, data.line_of("components"), "`components:` must be a list")
        return components, groups

    def add(entry: Any, line: int, group: str | None, position: int) -> None:
        if not isinstance(entry, YamlMap):
            problems.error(path, line, "a component must be a mapping with `id:` and `name:`")
            return
        _unknown_keys(entry, COMPONENT_KEYS, "component", path, problems)
        cid, name = entry.get("id"), entry.get("name")
        if not isinstance(cid, str) or not ID_PATTERN.match(cid):
            problems.error(path, entry.line_of("id"), _id_advice(cid, "component"))
            return
        if cid in seen:
            problems.error(
                path,
                entry.line_of("id"),
                f"duplicate component id {cid!r} (first defined on line {seen[cid]})",
            )
            return
        seen[cid] = entry.line_of("id")
        if not isinstance(name, str) or not name.strip():
            problems.error(
                path,
                entry.line_of("name") if "name" in entry else entry.line,
                f"component {cid!r} needs a `name:`",
            )
            name = cid
        start_date = _date(entry, "start_date", path, problems)
        description = entry.get("description")
        slo, window = _slo(entry, f"component {cid!r}", path, problems)
        components.append(
            Component(
                id=cid,
                name=name.strip(),
                description=str(description) if description else None,
                group=group,
                position=position,
                start_date=start_date,
                line=entry.line,
                slo=slo,
                slo_window_days=window,
            )
        )

    written = _written_ids(entries)
    for position, (entry, line) in enumerate(zip(entries, entries.item_lines, strict=True)):
        if isinstance(entry, YamlMap) and "group" in entry:
            gname = entry["group"]
            _unknown_keys(entry, GROUP_KEYS, "group", path, problems)
            if not isinstance(gname, str) or not gname.strip():
                problems.error(path, entry.line_of("group"), "`group:` must be the group's name")
                continue
            members = entry.get("components")
            gid = entry.get("id") or _derived_group_id(gname, set(seen) | written)
            if not isinstance(gid, str) or not ID_PATTERN.match(gid):
                problems.error(path, entry.line_of("id"), _id_advice(gid, "group"))
                continue
            if gid in seen:
                why = "" if "id" in entry else f" (a group's id comes from its name, {gname!r})"
                where = entry.line_of("id" if "id" in entry else "group")
                problems.error(
                    path,
                    where,
                    f"duplicate id {gid!r}{why}, "
                    f"first defined on line {seen[gid]}; "
                    "give the group its own `id:`",
                )
                continue
            seen[gid] = entry.line_of("id" if "id" in entry else "group")
            if not isinstance(members, YamlList) or not members:
                problems.error(
                    path,
                    entry.line_of("components"),
                    f"group {gname!r} needs a list of `components:`",
                )
                continue
            first = len(components)
            for inner, (member, mline) in enumerate(zip(members, members.item_lines, strict=True)):
                add(member, mline, gid, inner)
            description = entry.get("description")
            slo, window = _slo(entry, f"group {gname.strip()!r}", path, problems)
            collapsed = entry.get("collapsed", True)
            if refused := boolean_problem("collapsed", collapsed):
                problems.error(path, entry.line_of("collapsed"), refused)
            groups.append(
                Group(
                    id=gid,
                    name=gname.strip(),
                    components=tuple(c.id for c in components[first:]),
                    description=str(description) if description else None,
                    position=position,
                    collapsed=collapsed is True,
                    line=entry.line,
                    slo=slo,
                    slo_window_days=window,
                )
            )
        else:
            add(entry, line, None, position)
    return components, groups
