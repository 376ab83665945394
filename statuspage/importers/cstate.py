"""A cState site (config.yml + content/issues/*.md) -> statuspage.yaml + incidents/*.md.

The result is returned as text, validated with the same parser `statuspage check`
uses; `target.py` writes it. Whatever does not map exactly is imported anyway and
reported as a warning naming the source file (`Report.kinds` counts them by kind).

Mapping, in short (README "Moving from cState" has the user's version):
- `params.systems` -> components (id slugified from the name); titled
  `params.categories` -> groups; untitled categories (their name was never
  shown) -> ungrouped components; `affected` names the config lacks -> extra
  components in an "Other systems" group, each file that uses one warned.
- severity down/disrupted/notice -> major_outage/partial_outage/
  degraded_performance for every affected component, impact critical/major/minor;
  `informational: true` -> impact none, components listed as operational.
- dates without an offset are wall-clock times in the chosen zone.
- the body is cut at update markers (see cstate_text.py); a marker with a time
  becomes an update at that time, an opening marker takes `date`, a closing one
  the resolution time; undated markers stay as bold text in the update before them.
- an issue dated after the import's *now* with a `resolvedWhen` after its date is
  a maintenance notice: a window from `date` to `resolvedWhen`, announced now.
- a past, resolved issue that is clearly planned work (its title says maintenance,
  scheduled or planned, or its text "maintenance window", "planned downtime", ...)
  with a `resolvedWhen` after its date is a completed window from `date` to
  `resolvedWhen` (warning kind `past-maintenance`), so it counts as no outage.
- an update left with no text (`date:` before the first message's time) says the title.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from statuspage.errors import Problem, Problems, UsageError
from statuspage.importers.cstate_text import (
    Kind,
    Part,
    convert_shortcodes,
    demote_headings,
    split_parts,
)
from statuspage.model import Component, ComponentStatus, Config, Group, Impact, IncidentStatus
from statuspage.outputs.markup import plain_text
from statuspage.source.config import CONFIG_NAME
from statuspage.source.config_components import ID_PATTERN
from statuspage.source.incident_file import INCIDENTS_DIR, parse_incident
from statuspage.source.incident_text import incident_text, update_block
from statuspage.source.names import slugify, suggest
from statuspage.source.times import TimeError, format_timestamp, localize, parse_timestamp
from statuspage.source.translations import language_tag
from statuspage.source.yamlfile import YamlError, YamlMap, parse_yaml

CONFIG_FILES = ("hugo.yaml", "hugo.yml", "hugo.toml", "config.yaml", "config.yml", "config.toml")
ISSUES_DIR = Path("content") / "issues"
LINKED_OUT = "a link to outside the cState folder; not read (copy the file in instead)"


def _linked_out(source: Path, path: Path) -> bool:
    """Whether reading *path* (under *source*) would follow a link out of the cState folder:
    an import must publish only what the folder it was given holds."""
    return not path.resolve().is_relative_to(source.resolve())


SEVERITIES = {
    "down": (ComponentStatus.MAJOR_OUTAGE, Impact.CRITICAL),
    "disrupted": (ComponentStatus.PARTIAL_OUTAGE, Impact.MAJOR),
    "notice": (ComponentStatus.DEGRADED_PERFORMANCE, Impact.MINOR),
}
# Front matter we map (Hugo keys are case-insensitive), and what we leave on purpose.
HANDLED_KEYS = {
    "title",
    "date",
    "resolved",
    "resolvedwhen",
    "severity",
    "affected",
    "section",
    "informational",
    "draft",
    "publishdate",
    "lastmod",
}
# cState display settings with no counterpart; listed once so nothing goes unmentioned.
MAPPED_PARAMS = {"systems", "categories", "description", "brand"}
RESOLVED_TEXT = "This incident has been resolved."
OTHER_GROUP = "Other systems"


@dataclass
class Report:
    """Warnings (and errors) found while importing, with a kind for each warning."""

    problems: Problems = field(default_factory=Problems)
    kinds: list[tuple[str, Problem]] = field(default_factory=list)

    def warn(self, kind: str, path: Path, line: int, message: str) -> None:
        self.problems.warning(path, line, message)
        self.kinds.append((kind, self.problems.items[-1]))

    def error(self, path: Path, line: int, message: str) -> None:
        self.problems.error(path, line, message)

    def by_kind(self) -> Counter[str]:
        return Counter(kind for kind, _ in self.kinds)


@dataclass
class Imported:
    """The files of the new site (relative path -> text) and what the import found."""

    files: dict[str, str]
    report: Report
    issues: int = 0  # issue files read
    incidents: int = 0  # of which maintenance windows are counted in `maintenances`
    maintenances: int = 0
    components: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class Catalog:
    """cState system names -> component ids, and the config entries they become."""

    ids: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    entries: list[dict[str, Any]] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    undefined: list[dict[str, Any]] = field(default_factory=list)

    def new_id(self, name: str, fallback: str) -> str:
        """A slug of *name*, unique among components and groups (-2, -3... on a clash)."""
        base = slugify(name, limit=60, fold=True) or fallback
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate

    def system(
        self, name: str, display: str, description: str | None, group: str | None
    ) -> dict[str, Any]:
        cid = self.new_id(name, "component")
        self.ids[name] = cid
        entry: dict[str, Any] = {"id": cid, "name": display}
        if description:
            entry["description"] = description
        self.components.append(
            Component(id=cid, name=display, description=description, group=group)
        )
        return entry


@dataclass
class Context:
    """What converting one issue needs: the zone, now, the catalog and the report."""

    zone: ZoneInfo
    now: datetime
    base_url: str
    catalog: Catalog
    report: Report
    defined: list[str]  # system names from config.yml, for "did you mean"
    names: set[str] = field(default_factory=set)  # incident ids handed out


def find_config(source: Path) -> Path:
    """The cState (Hugo) config file of *source*, or UsageError."""
    if not source.is_dir():
        raise UsageError(
            f"{source} is not a folder; give the folder of a cState site (with config.yml)"
        )
    for name in CONFIG_FILES:
        if (source / name).is_file():
            if _linked_out(source, source / name):
                raise UsageError(f"{source / name}: {LINKED_OUT}")
            return source / name
    raise UsageError(f"no config.yml (or hugo.toml...) in {source}: is it a cState site?")


def read_zone_setting(source: Path) -> str | None:
    """Hugo's own `timeZone` setting, which is what cState used for dates without an offset."""
    try:
        data = _read_config(find_config(source), Report())
    except UsageError:
        return None
    value = data.get("timeZone", data.get("timezone")) if data else None
    return value if isinstance(value, str) and value.strip() else None


def _read_config(path: Path, report: Report) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        report.error(path, 0, f"cannot read the cState config: {e}")
        return None
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else parse_yaml(text)
    except (YamlError, tomllib.TOMLDecodeError) as e:
        line = getattr(e, "line", 0)
        report.error(path, line, f"cannot read the cState config: {getattr(e, 'message', e)}")
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        report.error(path, 1, "the cState config must be a mapping of settings")
        return None
    return data


def import_cstate(source: Path, zone: ZoneInfo, now: datetime) -> Imported:
    """Read the cState site in *source*; the new site's files, or a report with errors.

    *now* decides which issues are still to come (maintenance notices) and is the
    time those notices are said to be announced."""
    report = Report()
    config_path = find_config(source)
    issues_dir = source / ISSUES_DIR
    if not issues_dir.is_dir():
        raise UsageError(f"no {ISSUES_DIR.as_posix()}/ folder in {source}: is it a cState site?")
    if _linked_out(source, issues_dir):
        raise UsageError(f"{issues_dir}: {LINKED_OUT}")
    data = _read_config(config_path, report)
    if data is None:
        return Imported({}, report)
    site = _site_settings(data, config_path, report)
    params = data.get("params") or {}
    if not isinstance(params, dict):
        report.warn(
            "config",
            config_path,
            _line(data, "params"),
            "`params:` is not a mapping; no systems imported",
        )
        params = {}
    catalog = _catalog(params, config_path, report)
    ctx = Context(zone, now, site["base_url"], catalog, report, list(catalog.ids))
    result = Imported({}, report)
    for path in sorted(issues_dir.glob("*.md")):
        result.issues += 1
        if _linked_out(source, path):
            report.warn("skipped", path, 0, LINKED_OUT)
            result.skipped.append(path.name)
            continue
        converted = _issue(path, ctx)
        if converted is None:
            result.skipped.append(path.name)
            continue
        name, text, is_maintenance = converted
        result.files[f"{INCIDENTS_DIR}/{name}.md"] = text
        result.maintenances += is_maintenance
        result.incidents += not is_maintenance
    for path in sorted(
        p for p in issues_dir.iterdir() if not p.name.endswith(".md") and not p.name.startswith(".")
    ):
        report.warn("skipped", path, 0, "not a Markdown file; not imported")
    if catalog.undefined:
        gid = catalog.new_id(OTHER_GROUP, "other")
        catalog.entries.append(
            {
                "group": OTHER_GROUP,
                "id": gid,
                "collapsed": True,
                "description": "Named in cState issues but not defined in its config",
                "components": catalog.undefined,
            }
        )
    result.components = len(catalog.components)
    result.files = {
        CONFIG_NAME: _config_text(site, zone, catalog, source),
        **dict(sorted(result.files.items())),
    }
    _validate(result, zone, catalog, site["base_url"])
    return result


def _line(data: Any, key: str) -> int:
    return data.line_of(key) if isinstance(data, YamlMap) else 0


def _site_settings(data: dict[str, Any], path: Path, report: Report) -> dict[str, Any]:
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    assert isinstance(params, dict)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        report.warn(
            "config", path, _line(data, "title"), "no `title:`; the page is called 'Status'"
        )
        title = "Status"
    base_url = data.get("baseURL", data.get("baseurl"))
    if not isinstance(base_url, str) or not re.match(r"^https?://[^/\s]+", base_url):
        report.warn(
            "config",
            path,
            _line(data, "baseURL"),
            f"`baseURL:` {base_url!r} is not an absolute URL; set `base_url:` in "
            "statuspage.yaml before publishing",
        )
        base_url = "https://status.example.com/"
    settings: dict[str, Any] = {"title": title.strip(), "base_url": base_url.rstrip("/") + "/"}
    description = params.get("description")
    if isinstance(description, str) and description.strip():
        plain = " ".join(plain_text(description).split())
        settings["description"] = plain
        if re.search(r"\]\(|<https?://", description):
            report.warn(
                "config",
                path,
                _line(params, "description"),
                "the description's links are not kept: statuspage.yaml `description:` is "
                "plain text",
            )
    language = str(data.get("languageCode") or data.get("defaultContentLanguage") or "en").lower()
    primary = re.split(r"[-_]", language)[0]
    # pt-br -> pt-BR, zh-cn -> zh-CN, de-de -> de-DE
    tag = language_tag(language) or language_tag(primary)
    if tag is not None and primary != "en":
        settings["language"] = tag
    elif primary != "en":
        report.warn(
            "config",
            path,
            _line(data, "languageCode"),
            f"language {language!r} has no translation here; pages are in English",
        )
    brand = params.get("brand")
    if isinstance(brand, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", brand.strip()):
        settings["brand_color"] = brand.strip().lower()
    if params.get("logo") or params.get("useLogo"):
        report.warn(
            "config",
            path,
            _line(params, "logo"),
            f"logo {params.get('logo')!r} not imported: copy the image into the new site "
            "and set `logo:`",
        )
    ignored = sorted(k for k in params if k not in MAPPED_PARAMS and k not in ("logo", "useLogo"))
    if ignored:
        report.warn(
            "config",
            path,
            _line(data, "params"),
            f"cState display settings with no counterpart, not imported: {', '.join(ignored)}",
        )
    return settings


def _catalog(params: dict[str, Any], path: Path, report: Report) -> Catalog:
    """Components and groups from `params.systems` and `params.categories`, in cState's order."""
    catalog = Catalog()
    categories = params.get("categories") or []
    systems = params.get("systems") or []
    if not isinstance(categories, list):
        report.warn(
            "config", path, _line(params, "categories"), "`categories:` is not a list; ignored"
        )
        categories = []
    if not isinstance(systems, list):
        report.warn(
            "config",
            path,
            _line(params, "systems"),
            "`systems:` is not a list; no components imported",
        )
        systems = []
    by_category: dict[str | None, list[tuple[int, dict[str, Any]]]] = {}
    item_lines = getattr(systems, "item_lines", [0] * len(systems))
    for line, system in zip(item_lines, systems, strict=True):
        if isinstance(system, str):  # old cState: a plain list of names
            system = {"name": system}
        name = system.get("name") if isinstance(system, dict) else None
        if not isinstance(name, str) or not name.strip():
            report.warn("config", path, line, "a system without a `name:`; skipped")
            continue
        if name in catalog.ids or any(
            name == s.get("name") for group in by_category.values() for _, s in group
        ):
            report.warn(
                "config",
                path,
                line,
                f"system {name!r} is defined twice; the second definition is ignored",
            )
            continue
        category = system.get("category")
        by_category.setdefault(category if isinstance(category, str) else None, []).append(
            (line, system)
        )
        for key in sorted(set(system) - {"name", "displayName", "description", "category"}):
            report.warn(
                "config",
                path,
                _line(system, key),
                f"system {name!r}: `{key}:` has no counterpart; not imported",
            )

    def entry(line: int, system: dict[str, Any], group: str | None) -> dict[str, Any]:
        name = system["name"]
        display = system.get("displayName")
        display = display.strip() if isinstance(display, str) and display.strip() else name.strip()
        description = system.get("description")
        text = " ".join(str(description).split()) if description else None
        return catalog.system(name, display, text, group)

    category_names = []
    for cat_line, category in zip(
        getattr(categories, "item_lines", [0] * len(categories)), categories, strict=True
    ):
        cname = category.get("name") if isinstance(category, dict) else None
        if not isinstance(cname, str):
            report.warn("config", path, cat_line, "a category without a `name:`; skipped")
            continue
        category_names.append(cname)
        members = by_category.pop(cname, [])
        if not members:
            report.warn(
                "config", path, cat_line, f"category {cname!r} has no systems; no group made"
            )
            continue
        if category.get("untitled"):
            # cState hid the name: show its systems ungrouped, as readers saw them.
            report.warn(
                "config",
                path,
                cat_line,
                f"category {cname!r} is untitled (its name was never shown); its systems are "
                "ungrouped components",
            )
            catalog.entries += [entry(line, s, None) for line, s in members]
            continue
        gid = catalog.new_id(cname, "group")
        components = [entry(line, s, gid) for line, s in members]
        group: dict[str, Any] = {
            "group": cname.strip(),
            "id": gid,
            "collapsed": bool(category.get("closed", False)),
        }
        if category.get("description"):
            group["description"] = " ".join(str(category["description"]).split())
        group["components"] = components
        catalog.entries.append(group)
        catalog.groups.append(
            Group(id=gid, name=cname.strip(), components=tuple(c["id"] for c in components))
        )
    for cname, members in by_category.items():
        if cname is not None:
            report.warn(
                "config",
                path,
                members[0][0],
                f"category {cname!r} is not defined under `categories:`; its systems are ungrouped "
                "components",
            )
        catalog.entries += [entry(line, s, None) for line, s in members]
    return catalog


def _config_text(site: dict[str, Any], zone: ZoneInfo, catalog: Catalog, source: Path) -> str:
    data = {**site, "timezone": zone.key, "components": catalog.entries}
    head = (
        f"# Imported from the cState site {source.resolve().name!r} by `statuspage import "
        "cstate`.\n"
        f"# cState dates without an offset were read as {zone.key} time (--timezone).\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --- one issue -------------------------------------------------------------------------


@dataclass
class Slot:
    """One update being assembled: its time, what markers said, and its texts in order."""

    at: datetime
    kinds: set[Kind] = field(default_factory=set)
    texts: list[tuple[int, str]] = field(default_factory=list)  # (order, Markdown)


def _front_matter(text: str, path: Path, report: Report) -> tuple[dict[str, Any], str, int] | None:
    """(front matter with lower-case keys, body, first line of the body) of a Hugo page."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        report.error(
            path,
            1,
            "no front matter: a cState issue starts with `---` and YAML (title:, date:, ...)",
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == fence), None)
    if end is None:
        report.error(path, 1, f"the front matter is not closed: add a line `{fence}` after it")
        return None
    raw = "\n".join(lines[1:end])
    try:
        front = tomllib.loads(raw) if fence == "+++" else parse_yaml(raw, first_line=2)
    except YamlError as e:
        report.error(path, e.line, e.message)
        return None
    except tomllib.TOMLDecodeError as e:
        report.error(path, 1, f"invalid TOML front matter: {e}")
        return None
    if front is None:
        front = {}
    if not isinstance(front, dict):
        report.error(path, 2, "the front matter must be a mapping (title:, date:, ...)")
        return None
    lowered: dict[str, Any] = YamlMap((str(k).lower(), v) for k, v in front.items())
    lowered.line = 2  # type: ignore[attr-defined]
    lowered.key_lines = {str(k).lower(): _line(front, k) or 2 for k in front}  # type: ignore[attr-defined]
    return lowered, "\n".join(lines[end + 1 :]), end + 2


def _instant(value: Any, path: Path, line: int, what: str, ctx: Context) -> datetime | None:
    """A cState timestamp as an aware datetime: naive ones in the zone, DST trouble fixed up."""
    if isinstance(value, datetime):  # TOML front matter
        value = value.isoformat(sep=" ")
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value).strip().strip('"')
    try:
        moment = parse_timestamp(text, ctx.zone, require_time=False)
    except TimeError as e:
        if "does not exist" not in str(e) and "happens twice" not in str(e):
            ctx.report.warn("bad-date", path, line, f"{what} {text!r} cannot be read ({e})")
            return None
        naive = parse_timestamp(text, UTC).replace(tzinfo=None)
        moment = naive.replace(tzinfo=ctx.zone).astimezone(UTC).astimezone(ctx.zone)
        ctx.report.warn(
            "ambiguous-time",
            path,
            line,
            f"{what} {text!r}: {str(e).split(';')[0]}; imported as "
            f"{format_timestamp(moment, ctx.zone)}",
        )
        return moment
    if not re.search(r"\d[T\s]+\d{1,2}:\d{2}", text):
        ctx.report.warn(
            "bad-date", path, line, f"{what} {text!r} has no time of day; imported as 00:00"
        )
    return moment


def _issue(path: Path, ctx: Context) -> tuple[str, str, bool] | None:
    """(incident id, file text, is maintenance) for one cState issue, or None if skipped."""
    report = ctx.report
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError) as e:
        report.error(path, 0, f"cannot read the file as UTF-8 text: {e}")
        return None
    if path.name == "_index.md":
        report.warn("skipped", path, 0, "Hugo's section page, not an issue; not imported")
        return None
    parsed = _front_matter(text, path, report)
    if parsed is None:
        return None
    front, body, body_line = parsed
    line = front.line_of  # type: ignore[attr-defined]
    if front.get("draft") is True:
        report.warn(
            "skipped",
            path,
            line("draft"),
            "a draft (`draft: true`), never published by cState; not imported",
        )
        return None
    if front.get("section", "issue") != "issue":
        report.warn(
            "section",
            path,
            line("section"),
            f"`section: {front.get('section')}`: cState did not list it as an issue; imported "
            "anyway",
        )
    unmapped = sorted(k for k in front if k not in HANDLED_KEYS)
    if unmapped:
        report.warn(
            "unmapped-key",
            path,
            line(unmapped[0]),
            f"front matter not imported (no counterpart): {', '.join(unmapped)}",
        )

    title = front.get("title")
    if not isinstance(title, str) or not title.strip():
        title = path.stem
        report.warn(
            "no-title", path, line("title"), f"no `title:`; titled {title!r} after the file"
        )
    title = " ".join(str(title).split())

    start = (
        _instant(front["date"], path, line("date"), "`date:`", ctx) if front.get("date") else None
    )
    if start is None:
        m = re.match(r"^(\d{4}-\d{2}-\d{2})", path.name)
        if m is None:
            report.error(
                path,
                line("date") if "date" in front else 2,
                "no usable `date:` and no date in the file name: add `date: YYYY-MM-DD HH:MM`",
            )
            return None
        start = localize(datetime.fromisoformat(m[1]), ctx.zone)
        report.warn(
            "no-date",
            path,
            line("date") if "date" in front else 2,
            f"no usable `date:`; dated {m[1]} 00:00 from the file name",
        )

    informational = bool(front.get("informational"))
    severity = front.get("severity")
    status, impact = (
        SEVERITIES.get(str(severity).strip().lower(), (None, None))
        if severity is not None
        else (None, None)
    )
    if status is None or impact is None:
        if not informational:
            said = (
                f"unknown severity {severity!r}{suggest(str(severity), list(SEVERITIES))}"
                if severity is not None
                else "no `severity:`"
            )
            report.warn(
                "severity",
                path,
                line("severity") if "severity" in front else 2,
                f"{said}; imported as notice (degraded_performance, impact minor)",
            )
        status, impact = SEVERITIES["notice"]
    if informational:
        status, impact = ComponentStatus.OPERATIONAL, Impact.NONE
    components = _affected(front, path, ctx)

    resolved = front.get("resolved", informational)
    if not isinstance(resolved, bool):
        report.warn(
            "resolved",
            path,
            line("resolved"),
            f"`resolved: {resolved!r}` is not true or false; read as {bool(resolved)}",
        )
        resolved = bool(resolved)
    rw = front.get("resolvedwhen")
    resolved_when = _instant(rw, path, line("resolvedwhen"), "`resolvedWhen:`", ctx) if rw else None

    parts = split_parts(body)
    upcoming = start > ctx.now
    # Past planned work (cState has no maintenance of its own, so teams filed it as an
    # issue) is a completed window: as an incident it would count as an outage.
    planned = None if upcoming or not resolved or informational else _planned_work(title, body)
    ends_later = resolved_when is not None and resolved_when > start
    window_end = resolved_when if ends_later and (upcoming or planned) else None
    if window_end is not None and not informational:
        announced = ctx.now.replace(second=0, microsecond=0) if upcoming else start
        if front.get("publishdate"):
            published = _instant(
                front["publishdate"], path, line("publishdate"), "`publishDate:`", ctx
            )
            announced = published if published and published < start else announced
        becomes = f"; severity {severity!r} becomes under_maintenance" if components else ""
        begins, ends = format_timestamp(start, ctx.zone), format_timestamp(window_end, ctx.zone)
        if upcoming:
            report.warn(
                "maintenance",
                path,
                line("date"),
                f"dated after the import ({begins}): "
                f"imported as maintenance scheduled until {ends}{becomes}",
            )
        else:
            report.warn(
                "past-maintenance",
                path,
                line("title"),
                f"{planned}: imported as a completed maintenance window "
                f"from {begins} to {ends}, not as an incident{becomes}",
            )
        # Closing messages ([Final message], *Resolved*) wait for the window's end.
        message = _markdown(
            "\n\n".join(
                p.text(consumed=p.kind in (None, Kind.OPEN))
                for p in parts
                if p.kind is not Kind.FINAL
            ),
            path,
            ctx,
        )
        closing = _markdown(
            "\n\n".join(p.text(consumed=True) for p in parts if p.kind is Kind.FINAL), path, ctx
        )
        updates = [
            (IncidentStatus.SCHEDULED, announced, message or "This maintenance is scheduled.")
        ]
        if closing:
            updates.append((IncidentStatus.COMPLETED, window_end, closing))
        front_out: dict[str, Any] = {
            "title": title,
            "maintenance": {
                "start": format_timestamp(start, ctx.zone),
                "end": format_timestamp(window_end, ctx.zone),
            },
        }
        if components:
            front_out["components"] = list(components)
        day = start.astimezone(ctx.zone).date()
    else:
        if start > ctx.now:
            report.warn(
                "future",
                path,
                line("date"),
                f"dated after the import ({format_timestamp(start, ctx.zone)}) without a "
                "later `resolvedWhen:` "
                "to end a maintenance window: imported as an incident, shown from that "
                "time",
            )
        if informational:
            message = _markdown("\n\n".join(p.text(consumed=False) for p in parts), path, ctx)
            updates = [(IncidentStatus.RESOLVED, start, message or title)]
        else:
            updates = _updates(parts, start, resolved, resolved_when, path, line, body_line, ctx)
            # An update with no text (`date:` earlier than the first message's time) is
            # refused by `check`; cState showed the title then, so that is its message.
            updates = [(status_, at, message or title) for status_, at, message in updates]
        front_out = {"title": title, "impact": impact.word}
        if components:
            front_out["components"] = dict.fromkeys(components, status.word)
        day = min(at for _, at, _ in updates).astimezone(ctx.zone).date()

    name = _incident_id(path, day, title, ctx)
    blocks = [
        update_block(s, at, msg, ctx.zone)
        for s, at, msg in sorted(updates, key=lambda u: u[1], reverse=True)
    ]
    return (
        name,
        incident_text(front_out, blocks),
        window_end is not None and not informational,
    )


# Words that mark an issue as planned work: in the title, or as a phrase in the text
# (the text alone says "maintenance" of incidents too: "CloudFlare's maintenance broke ...").
PLANNED_TITLE = re.compile(r"\b(maintenance|scheduled|planned)\b", re.IGNORECASE)
PLANNED_TEXT = re.compile(
    r"\b(maintenance window|(?:scheduled|planned) "
    r"(?:maintenance|downtime|outage|brownout|migration|upgrade|operation|work))\b",
    re.IGNORECASE,
)


def _planned_work(title: str, body: str) -> str | None:
    """Why an issue reads as planned work ("the title says 'maintenance'"), or None."""
    if said := PLANNED_TITLE.search(title):
        return f"the title says {said[0]!r}"
    if said := PLANNED_TEXT.search(body):
        return f"the text says {said[0]!r}"
    return None


def _affected(front: dict[str, Any], path: Path, ctx: Context) -> list[str]:
    value = front.get("affected")
    line = front.line_of("affected")  # type: ignore[attr-defined]
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        ctx.report.warn(
            "affected", path, line, f"`affected:` {value!r} is not a list of system names; ignored"
        )
        return []
    ids: list[str] = []
    new: list[str] = []
    for name in value:
        if name is None or (isinstance(name, str) and not name.strip()):
            continue
        name = str(name)
        if name not in ctx.catalog.ids:
            cid = ctx.catalog.new_id(name, "component")
            ctx.catalog.ids[name] = cid
            ctx.catalog.undefined.append({"id": cid, "name": name.strip()})
            ctx.catalog.components.append(Component(id=cid, name=name.strip(), group="other"))
        cid = ctx.catalog.ids[name]
        if cid in {c["id"] for c in ctx.catalog.undefined} and name not in new:
            new.append(name)
        if cid not in ids:
            ids.append(cid)
    if new:
        listed = ", ".join(f"{n!r}{suggest(n, ctx.defined, by_edits=True)}" for n in new)
        ctx.report.warn(
            "undefined-system",
            path,
            line,
            f"`affected:` names systems that config.yml does not define: {listed}; "
            f"imported as components of the {OTHER_GROUP!r} group",
        )
    return ids


def _updates(
    parts: list[Part],
    start: datetime,
    resolved: bool,
    resolved_when: datetime | None,
    path: Path,
    line: Callable[[str], int],
    body_line: int,
    ctx: Context,
) -> list[tuple[IncidentStatus, datetime, str]]:
    """The updates of an incident from the parts of its body (rules in the module docstring)."""
    report, zone = ctx.report, ctx.zone

    def fmt(moment: datetime) -> str:
        return format_timestamp(moment, zone)

    def where(part: Part) -> int:
        return body_line + part.line - 1 if part.line else body_line

    stamps: dict[int, datetime | None] = {}
    for i, part in enumerate(parts):
        if part.stamp:
            stamps[i] = _instant(
                part.stamp,
                path,
                where(part),
                f"the time in {part.label or 'a track shortcode'!r}",
                ctx,
            )
    dated = [t for t in stamps.values() if t is not None]

    resolution: datetime | None = None
    if resolved:
        finals = sorted(
            t for i, t in stamps.items() if t is not None and parts[i].kind is Kind.FINAL
        )
        if finals:
            resolution = finals[0]
            if resolved_when is not None and resolved_when != resolution:
                report.warn(
                    "resolvedwhen-differs",
                    path,
                    line("resolvedwhen"),
                    f"`resolvedWhen:` {fmt(resolved_when)} differs from the closing "
                    f"update's time {fmt(resolution)}; resolved at the "
                    "latter",
                )
        elif resolved_when is not None:
            resolution = resolved_when
        else:
            resolution = max([start, *dated])
            report.warn(
                "no-resolvedwhen",
                path,
                line("resolved"),
                f"`resolved: true` without `resolvedWhen:`; resolved at {fmt(resolution)}, the "
                "last time the file gives",
            )
        if resolution < start:
            fixed = max([start, *(t for t in dated if t > start)])
            said = "`resolvedWhen:`" if resolution == resolved_when else "the closing update's time"
            report.warn(
                "resolved-before-date",
                path,
                line("resolvedwhen"),
                f"{said} {fmt(resolution)} is before `date:` {fmt(start)}; imported as "
                f"resolved at {fmt(fixed)}"
                + (
                    " (its start: the real end is unknown)"
                    if fixed == start
                    else " (its last dated update)"
                ),
            )
            resolution = fixed
    elif resolved_when is not None:
        report.warn(
            "resolved",
            path,
            line("resolvedwhen"),
            f"`resolvedWhen:` {fmt(resolved_when)} but `resolved: false`: imported as ongoing, as "
            "cState showed it",
        )

    slots: dict[datetime, Slot] = {start: Slot(start, {Kind.OPEN})}
    if resolution is not None:
        slots.setdefault(resolution, Slot(resolution)).kinds.add(Kind.FINAL)
    placed: list[tuple[int, datetime]] = []  # (part index, slot time), in body order
    undated: list[int] = []
    for i, part in enumerate(parts):
        at = stamps.get(i)
        kind = part.kind
        keep_label = False  # the heading cannot say what the marker says: keep its label
        if at is not None and at < start:
            # `date:` is the start cState showed; an earlier stamp is a typo more likely than news.
            report.warn(
                "update-before-date",
                path,
                where(part),
                f"{part.label or 'an update'!r} is dated {fmt(at)}, before `date:` "
                f"{fmt(start)}; kept as text in the update before it",
            )
            at, keep_label = None, True
        if kind is Kind.FINAL and resolution is None:
            if at is not None:
                report.warn(
                    "resolved",
                    path,
                    where(part),
                    f"{part.label!r} closes the issue at {fmt(at)} but `resolved:` is not true: "
                    "imported as an update of an ongoing incident",
                )
            kind, keep_label = Kind.UPDATE, True
        if at is None and not keep_label:
            at = {None: start, Kind.OPEN: start, Kind.FINAL: resolution}.get(kind)
        elif kind is Kind.OPEN and at is not None and at != start:
            report.warn(
                "opening-differs",
                path,
                where(part),
                f"{part.label!r} is dated {fmt(at)} but `date:` is {fmt(start)}; both times are "
                "kept",
            )
        if at is None:
            undated.append(i)
            continue
        slot = slots.setdefault(at, Slot(at))
        if kind is not None:
            slot.kinds.add(kind)
        slot.texts.append((i, part.text(consumed=not keep_label)))
        placed.append((i, at))

    # Undated markers stay, with their label, in the update just before them in time:
    # the next dated part down a newest-first body, the previous one in a chronological body.
    steps = [b[1] > a[1] for a, b in pairwise(placed) if a[1] != b[1]]
    newest_first = sum(not s for s in steps) >= sum(steps)
    for i in undated:
        before = [p for p in placed if p[0] < i]
        after = [p for p in placed if p[0] > i]
        target = (
            (after[0] if after else before[-1] if before else (i, start))
            if newest_first
            else (before[-1] if before else after[0] if after else (i, start))
        )
        slots[target[1]].texts.append((i, parts[i].text(consumed=False)))

    updates: list[tuple[IncidentStatus, datetime, str]] = []
    current = IncidentStatus.INVESTIGATING
    for at in sorted(slots):
        slot = slots[at]
        if resolution is not None and at >= resolution:
            later = slot.kinds & {Kind.IDENTIFIED, Kind.MONITORING} if at > resolution else set()
            if later:
                report.warn(
                    "after-resolution",
                    path,
                    0,
                    f"an update marked {sorted(k.value for k in later)[0]!r} at {fmt(at)} comes "
                    f"after the resolution at {fmt(resolution)}; imported as a follow-up of "
                    "the resolved incident",
                )
            status = IncidentStatus.RESOLVED
        elif Kind.MONITORING in slot.kinds:
            status = IncidentStatus.MONITORING
        elif Kind.IDENTIFIED in slot.kinds:
            status = IncidentStatus.IDENTIFIED
        else:
            status = current
        current = status
        order = sorted(slot.texts, key=lambda t: t[0], reverse=newest_first)
        message = _markdown("\n\n".join(text for _, text in order if text), path, ctx)
        if not message and status is IncidentStatus.RESOLVED and at == resolution:
            message = RESOLVED_TEXT
        updates.append((status, at, message))
    return updates


def _markdown(text: str, path: Path, ctx: Context) -> str:
    converted, notes = convert_shortcodes(text, ctx.base_url)
    for note in dict.fromkeys(notes):
        ctx.report.warn("shortcode", path, 0, f"Hugo shortcode {note}")
    return demote_headings(converted).strip()


def _incident_id(path: Path, day: date, title: str, ctx: Context) -> str:
    """The source's name when it is a valid incident id for *day*; else one close to it."""
    stem = path.stem
    m = re.match(r"^(\d{4}-\d{2}-\d{2})-(.+)$", stem)
    rest = m[2] if m else stem
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", rest).strip("-_")[:80].strip("-_")
    if not slug:
        slug = slugify(title, limit=60) or "incident"
    name, n = f"{day.isoformat()}-{slug}", 2
    base = name
    while name in ctx.names:
        name, n = f"{base}-{n}", n + 1
    ctx.names.add(name)
    if name != stem:
        if name != base:
            why = "another issue already has that name"
        elif m is None:
            why = "incident files are named after their first day"
        elif m[1] != day.isoformat():
            why = f"the incident starts on {day.isoformat()} ({ctx.zone.key}), not {m[1]}"
        else:
            why = "only letters, digits, - and _ are allowed in a name"
        ctx.report.warn("renamed", path, 0, f"imported as {INCIDENTS_DIR}/{name}.md: {why}")
    return name


def _validate(result: Imported, zone: ZoneInfo, catalog: Catalog, base_url: str) -> None:
    """Parse every generated incident as `statuspage check` will; a failure is our bug, reported."""
    config = Config(
        title="import",
        base_url=base_url,
        timezone=zone,
        components=tuple(catalog.components),
        groups=tuple(catalog.groups),
    )
    for rel, text in result.files.items():
        if not rel.startswith(INCIDENTS_DIR + "/"):
            continue
        path = Path(rel)
        problems = Problems()
        if parse_incident(path, text, date.fromisoformat(path.name[:10]), config, problems) is None:
            for p in problems.errors:
                result.report.error(
                    Path(p.path),
                    p.line,
                    f"the import produced an invalid file (please report this): {p.message}",
                )
    for cid in (c.id for c in catalog.components):
        assert ID_PATTERN.match(cid), cid
