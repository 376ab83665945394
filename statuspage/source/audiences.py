"""statuspage.yaml's `audiences:` -> Audience records, and the one rule of trust.

Audiences are ordered narrowest trust first; `public` is always first (written or not).
Whatever is marked `audience: X` is seen by X and by every audience after it. A mark
names the narrowest audience that may see something: it can only widen trust, never
narrow it, so anything unmarked is public, as on a site without the section."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from statuspage.errors import Problems, UsageError
from statuspage.model import PUBLIC, Audience, Config, Endpoint
from statuspage.source.config_schema import AUDIENCE
from statuspage.source.config_values import read_languages, unknown_keys
from statuspage.source.names import suggest, userinfo_problem
from statuspage.source.yamlfile import YamlList, YamlMap, boolean_problem

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
BASE_URL = re.compile(r"^https?://[^/\s]+")
BRAND = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_AUDIENCES = 20


def trust_order(config: Config) -> tuple[str, ...]:
    """Every audience's name, narrowest trust first: `public`, then `audiences:` in order."""
    return (PUBLIC, *(a.name for a in config.audiences))


def sees(order: tuple[str, ...], audience: str, mark: str) -> bool:
    """Whether *audience* may see what is marked *mark* (both names in *order*)."""
    return order.index(mark) <= order.index(audience)


def wider(order: tuple[str, ...], first: str, second: str) -> str:
    """The one of two marks that fewer audiences see (the later in *order*)."""
    return first if order.index(first) >= order.index(second) else second


def known_audience(config: Config, name: str) -> str:
    """*name*, if *config* has that audience; UsageError saying which it has otherwise."""
    order = trust_order(config)
    if name not in order:
        hint = suggest(name, list(order))
        raise UsageError(f"no audience {name!r}{hint} (audiences: {', '.join(order)})")
    return name


def audience_for(config: Config, components: list[str]) -> str:
    """The narrowest audience that sees every one of *components* (`public` for none):
    what an incident about them, written by a machine (`alert`), is marked."""
    order, marks = trust_order(config), {c.id: c.audience for c in config.components}
    return max((marks.get(cid, PUBLIC) for cid in components), key=order.index, default=PUBLIC)


def audience_names(data: YamlMap, path: Path, problems: Problems) -> tuple[str, ...]:
    """The order `audiences:` gives (`public` first), each problem of its shape at its line;
    what `audience:` marks may name. Read before `components:`, which are marked."""
    entries = data.get("audiences")
    if entries is None:
        return (PUBLIC,)
    if not isinstance(entries, YamlList) or len(entries) > MAX_AUDIENCES:
        message = f"`audiences:` must be a list of at most {MAX_AUDIENCES} mappings with `name:`"
        problems.error(path, data.line_of("audiences"), message)
        return (PUBLIC,)
    order = [PUBLIC]
    for index, (entry, line) in enumerate(zip(entries, entries.item_lines, strict=True)):
        name = entry.get("name") if isinstance(entry, YamlMap) else None
        where = entry.line_of("name") if isinstance(entry, YamlMap) and "name" in entry else line
        if not isinstance(name, str) or not NAME.match(name):
            message = "an audience needs `name:`: lower-case letters, digits, - and _ (internal)"
            problems.error(path, where, message)
        elif name in order and (name != PUBLIC or index > 0):
            where_first = "is always first" if name == PUBLIC else "is listed twice"
            problems.error(path, where, f"audience {name!r} {where_first}; list each once")
        elif name != PUBLIC:
            order.append(name)
    return tuple(order)


def read_audience_mark(
    entry: YamlMap, order: tuple[str, ...], default: str, path: Path, problems: Problems
) -> str:
    """An entry's `audience:` (*default* when not written), checked against *order*."""
    if "audience" not in entry:
        return default
    return check_mark(entry["audience"], order, path, entry.line_of("audience"), problems)


def check_mark(value: object, order: tuple[str, ...], path: Path, line: int, p: Problems) -> str:
    """*value* if it names an audience; otherwise the error at *line* and `public`'s
    next wider audience, so that a bad mark never makes something more visible."""
    if isinstance(value, str) and value in order:
        return value
    shown = str(value)[:40]
    hint = suggest(shown, list(order))
    p.error(path, line, f"unknown audience {shown!r}{hint} (audiences: {', '.join(order)})")
    return order[-1]


def read_audiences(raw: object, config: Config, problems: Problems) -> tuple[Audience, ...]:
    """Every audience but `public` as a record with its own settings and endpoints."""
    if not isinstance(raw, YamlList):
        return ()
    path = config.path or Path("statuspage.yaml")
    found: list[Audience] = []
    for entry in raw:
        if not isinstance(entry, YamlMap) or not isinstance(entry.get("name"), str):
            continue
        if entry["name"] == PUBLIC:
            if len(entry) > 1:
                message = "the `public` page's settings are the top level's: give it only `name:`"
                problems.error(path, entry.line_of("name"), message)
            continue
        found.append(_audience(entry, config, path, problems))
    return tuple(found)


def _audience(entry: YamlMap, config: Config, path: Path, problems: Problems) -> Audience:
    """One entry of `audiences:` (not `public`)."""
    unknown_keys(entry, AUDIENCE.names, "audience", path, problems)
    name = str(entry["name"])
    base_url = entry.get("base_url")
    if not isinstance(base_url, str) or not BASE_URL.match(base_url) or "\n" in base_url:
        message = f"audience {name!r} needs `base_url:`, where its page is published, e.g. "
        problems.error(
            path, entry.line_of("base_url"), message + "https://status.internal.example/"
        )
        base_url = "http://localhost/"
    elif refused := userinfo_problem("base_url", base_url):
        problems.error(path, entry.line_of("base_url"), refused)
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip() or "\n" in title.strip():
        message = f"audience {name!r} needs `title:`, one line naming its page"
        problems.error(path, entry.line_of("title"), message)
        title = name
    brand = entry.get("brand_color")
    if brand is not None and (not isinstance(brand, str) or not BRAND.match(brand)):
        message = "`brand_color:` must be a colour like #0b5fff"
        problems.error(path, entry.line_of("brand_color"), message)
        brand = None
    description = entry.get("description")
    language = read_languages(entry, path, problems)[0] if "language" in entry else None
    return Audience(
        name=name,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        title=title.strip(),
        language=language,
        brand_color=brand,
        description=str(description).strip() if description is not None else None,
        notify=_endpoints(entry, name, config, problems),
        search_engines=_search_engines(entry, path, problems),
        line=entry.line,
    )


def _search_engines(entry: YamlMap, path: Path, problems: Problems) -> bool | None:
    """Its `search_engines:` (None when not written, or after the error saying why)."""
    value = entry.get("search_engines")
    if value is not None and (refused := boolean_problem("search_engines", value)):
        problems.error(path, entry.line_of("search_engines"), refused)
        return None
    return None if value is None else bool(value)


def _endpoints(
    entry: YamlMap, name: str, config: Config, problems: Problems
) -> tuple[Endpoint, ...]:
    """The audience's own `notify:`, read as the top level's is; each endpoint keyed
    apart from the same entry written for another audience (notify/sent.py)."""
    if entry.get("notify") is None:
        return ()
    from statuspage.source.notify_config import read_notify

    endpoints = read_notify(entry["notify"], config, problems)
    return tuple(e._replace(key=f"{e.key}-{name}") for e in endpoints)


def check_endpoint_marks(config: Config, problems: Problems) -> None:
    """No endpoint filters on a component its audience cannot see: it would name it."""
    path, order = config.path or Path("statuspage.yaml"), trust_order(config)
    marks = {c.id: c.audience for c in config.components}
    pages = [(PUBLIC, config.notify), *((a.name, a.notify) for a in config.audiences)]
    for audience, endpoints in pages:
        for endpoint in endpoints:
            for cid in endpoint.components or ():
                if not sees(order, audience, marks.get(cid, PUBLIC)):
                    message = (
                        f"endpoint {endpoint.label} of audience {audience!r} names component "
                        f"{cid!r}, which only `{marks[cid]}` sees; remove it from `components:`"
                    )
                    problems.error(path, endpoint.line, message)


def with_audiences(config: Config, raw: object, problems: Problems) -> Config:
    """*config* with its `audiences:` read and its endpoints' marks checked."""
    config = replace(config, audiences=read_audiences(raw, config, problems))
    check_endpoint_marks(config, problems)
    return config
