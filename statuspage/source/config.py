"""statuspage.yaml -> Config, with every problem reported at once.

The keys are declared in source/config_schema.py (which also makes the reference);
this module reads the top level, source/config_components.py `components:`,
source/config_values.py the values that need more than a type check, and the feature
sections are read by their own modules into the typed records Config carries."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from statuspage.errors import Problems
from statuspage.model import Config
from statuspage.source.audiences import audience_names, with_audiences
from statuspage.source.config_components import read_components
from statuspage.source.config_schema import TOP_LEVEL
from statuspage.source.config_values import (
    read_cname,
    read_date,
    read_email_url,
    read_languages,
    read_response_targets,
    read_stale_after,
    read_workflow_name,
)
from statuspage.source.logo import logo_refusal, logo_warning
from statuspage.source.names import suggest, userinfo_problem
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.source.times import TimeError, load_zone
from statuspage.source.upstream import read_upstream
from statuspage.source.yamlfile import (
    YamlError,
    YamlList,
    YamlMap,
    boolean_problem,
    parse_yaml,
    read_text,
)

CONFIG_NAME = "statuspage.yaml"
MAX_CONFIG_BYTES = 1_000_000
# A logo is an http(s) URL or a path inside the site: never javascript:, data: & co.
LOGO = re.compile(r"^(https?://[^\s\"'<>]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\s\"'<>:]+)$")
ONE_LINE_KEYS = ("title", "base_url", "name", "group", "id", "cname", "logo", "brand_color")
# Far above real use (the benchmark site has 30): every component gets a page listing its incidents.
MAX_COMPONENTS = 1_000


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
    """The whole file: the top level first; the feature sections, which name
    components, only once the rest holds."""
    before = len(problems.errors)
    for key in data:
        if key not in TOP_LEVEL.names:
            message = f"unknown setting {key!r}{suggest(key, list(TOP_LEVEL.names))}"
            problems.error(path, data.line_of(key), message)
    _refuse_line_breaks(data, path, problems)
    config = _top_level(data, path, problems)
    if len(problems.errors) > before:
        return None
    config = _with_sections(data, config, problems)
    return None if len(problems.errors) > before else config


def _with_sections(data: YamlMap, config: Config, problems: Problems) -> Config:
    """*config* with `notify:`, `alerts:`, `audiences:` and `upstream:` as its typed records. The
    first two are imported only for a site that has them: a no-op build is mostly imports."""
    if data.get("notify") is not None:
        from statuspage.source.notify_config import read_notify

        config = replace(config, notify=read_notify(data["notify"], config, problems))
    if data.get("alerts") is not None:
        from statuspage.source.alert_rules import read_alert_rules

        config = replace(config, alerts=read_alert_rules(data["alerts"], config, problems))
    if data.get("audiences") is not None:
        config = with_audiences(config, data["audiences"], problems)
    return replace(config, upstream=read_upstream(data.get("upstream"), config, problems))


def _top_level(data: YamlMap, path: Path, problems: Problems) -> Config:
    """Every top-level setting but the feature sections (checked in the order written
    in this function, so problems are listed in a stable order)."""
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        message = "`title:` is required: the name of the status page, e.g. `Acme Status`"
        problems.error(path, data.line_of("title"), message)
        title = ""
    base_url = _base_url(data, path, problems)
    zone: ZoneInfo = ZoneInfo("UTC")
    if "timezone" in data:
        try:
            zone = load_zone(str(data["timezone"]))
        except TimeError as e:
            problems.error(path, data.line_of("timezone"), str(e))
    brand, logo = _brand_color(data, path, problems), _logo(data, path, problems)
    language, languages = read_languages(data, path, problems)
    cname = _optional_str(data, "cname", path, problems)
    cname = read_cname(cname, base_url, data.line_of("cname"), path, problems)
    pages_extra = read_workflow_name(data, "pages_extra", path, problems)
    order = audience_names(data, path, problems)
    components, groups = read_components(data, path, problems, order)
    if len(components) > MAX_COMPONENTS:
        message = f"more than {MAX_COMPONENTS:,} components; group related services into one"
        problems.error(path, components[MAX_COMPONENTS].line, message)
    email_url = read_email_url(data, path, problems)
    show_slo = _flag(data, "show_slo", False, path, problems)
    return Config(
        title=title.strip(),
        base_url=base_url,
        timezone=zone,
        components=tuple(components),
        groups=tuple(groups),
        brand_color=brand,
        logo=logo,
        language=language,
        languages=languages,
        cname=cname,
        pages_extra=pages_extra,
        email_url=email_url,
        show_slo=show_slo,
        search_engines=_flag(data, "search_engines", True, path, problems),
        response_targets=read_response_targets(data, path, problems),
        start_date=read_date(data, "start_date", path, problems),
        stale_after=read_stale_after(data, path, problems),
        description=_optional_str(data, "description", path, problems),
        feed_limit=_positive_int(data, "feed_limit", 50, path, problems),
        history_per_page=_positive_int(data, "history_per_page", 20, path, problems),
        upstream_line=data.line_of("upstream") if "upstream" in data else 0,
        path=path,
    )


def _base_url(data: YamlMap, path: Path, problems: Problems) -> str:
    """`base_url:`, ending in /; a placeholder after an error."""
    base_url = data.get("base_url", "")
    if not isinstance(base_url, str) or not re.match(r"^https?://[^/\s]+", base_url):
        problems.error(
            path,
            data.line_of("base_url"),
            "`base_url:` must be the absolute URL the site is published at, e.g. "
            "https://status.acme.example/",
        )
        base_url = "http://localhost/"
    elif refused := userinfo_problem("base_url", base_url):
        problems.error(path, data.line_of("base_url"), refused)
    return base_url if base_url.endswith("/") else base_url + "/"


def _optional_str(data: YamlMap, key: str, path: Path, problems: Problems) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.error(path, data.line_of(key), f"`{key}:` must be text")
        return None
    return value


def _flag(data: YamlMap, key: str, default: bool, path: Path, problems: Problems) -> bool:
    """A true-or-false setting; *default* when not written or after an error."""
    value = data.get(key, default)
    if refused := boolean_problem(key, value):
        problems.error(path, data.line_of(key), refused)
        return default
    return bool(value)


def _positive_int(data: YamlMap, key: str, default: int, path: Path, problems: Problems) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        problems.error(path, data.line_of(key), f"`{key}:` must be a whole number of at least 1")
        return default
    return value


def _brand_color(data: YamlMap, path: Path, problems: Problems) -> str | None:
    brand = _optional_str(data, "brand_color", path, problems)
    if brand and not re.fullmatch(r"#[0-9a-fA-F]{6}", brand):
        problems.error(
            path, data.line_of("brand_color"), "`brand_color:` must be a colour like #0b5fff"
        )
        return None
    if not brand:
        return brand
    # Imported here: the contrast checks are for the sites that set a brand colour.
    from statuspage.source.colours import brand_warning

    if faint := brand_warning(brand):
        problems.warning(path, data.line_of("brand_color"), faint)
    return brand


def _logo(data: YamlMap, path: Path, problems: Problems) -> str | None:
    """`logo:`: an http(s) URL or a path inside the site that can be used."""
    logo = _optional_str(data, "logo", path, problems)
    if not logo:
        return logo
    line = data.line_of("logo")
    if not LOGO.match(logo):
        message = "`logo:` must be an http(s) URL or a path inside the site, e.g. assets/logo.svg"
        problems.error(path, line, message)
        return None
    if refused := userinfo_problem("logo", logo):
        problems.error(path, line, refused)
        return None
    if refused := logo_refusal(logo, path.parent):
        problems.error(path, line, f"`logo:` {refused}")
        return None
    if unusable_logo := logo_warning(logo, path.parent):
        problems.warning(path, line, unusable_logo)
    return logo


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
