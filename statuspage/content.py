"""incidents/*.md (YAML front matter + `## Status · time` updates) -> Incident."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from .config import suggest
from .errors import Problems
from .model import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    ComponentStatus,
    Config,
    Impact,
    Incident,
    IncidentStatus,
    Update,
    Window,
)
from .sitefiles import OutsideSite, SiteFolder
from .times import TimeError, parse_timestamp
from .yamlsource import YamlError, YamlList, YamlMap, decode_text, parse_yaml, read_text

INCIDENTS_DIR = "incidents"
POSTMORTEM_SUFFIX = ".postmortem.md"
FILE_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[A-Za-z0-9][A-Za-z0-9_-]*)\.md$")
FRONT_MATTER_KEYS = ["title", "impact", "components", "postmortem", "maintenance"]
# `## Identified · 2026-11-20 14:30 +01:00`; `-`, `|` and dashes are accepted
# as the separator too, since `·` is awkward to type.
UPDATE_HEADING = re.compile(r"^##(?!#)\s*(?P<status>[A-Za-z][A-Za-z _]*?)\s*(?:·|\||—|–|\s-\s)\s*(?P<at>.+?)\s*$")
# Any line starting `Components:` (any case) is a status change, never message text:
# pairs are `id=status` or `id: status`, split by commas or spaces.
COMPONENTS_LINE = re.compile(r"^ {0,3}components\s*:(?P<list>.*)$", re.IGNORECASE)  # 4 spaces: code
COMPONENT_PAIR = re.compile(r"(?P<id>[^\s,=:]+)\s*[=:]\s*(?P<status>[^\s,=:]+)")
COMPONENT_PAIRS = re.compile(rf"(?:[\s,]*{COMPONENT_PAIR.pattern})+[\s,]*")
COMPONENTS_FORM = "`Components: api=partial_outage, db=major_outage`"
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
MAX_FILE_BYTES = 1_000_000
POSTMORTEM_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class SourceFile:
    """A file's text split into front matter and body, with the body's first line number."""

    front: Any
    body: str
    body_line: int


def split_front_matter(text: str, path: Path, problems: Problems) -> SourceFile | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.error(path, 1, "file must start with `---` and YAML front matter (title:, impact:, components:)")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        problems.error(path, 1, "front matter is not closed: add a line `---` after it")
        return None
    try:
        front = parse_yaml("\n".join(lines[1:end]), first_line=2)
    except YamlError as e:
        problems.error(path, e.line, e.message)
        return None
    return SourceFile(front, "\n".join(lines[end + 1 :]), end + 2)


def parse_components(
    value: Any, line_of: Any, path: Path, config: Config, problems: Problems, *, default: ComponentStatus | None
) -> list[tuple[str, ComponentStatus]]:
    """`{id: status}` (or, where *default* is given, a plain list of ids)."""
    result: list[tuple[str, ComponentStatus]] = []
    known = config.component_ids
    if isinstance(value, YamlList) and default is not None:
        pairs = [(item, default, ln) for item, ln in zip(value, value.item_lines, strict=True)]
    elif isinstance(value, YamlMap):
        pairs = [(k, v, value.line_of(k)) for k, v in value.items()]
    else:
        hint = " or a list of ids" if default is not None else ""
        problems.error(path, line_of, f"`components:` must map component ids to statuses (api: partial_outage){hint}")
        return result
    for typed, raw, line in pairs:
        cid = component_id(typed, known)
        if cid is None:
            listed = ", ".join(known) or "none yet"
            problems.error(path, line, f"unknown component {typed!r}{suggest(typed, known)}; "
                           "components are defined in statuspage.yaml "
                           f"(known: {listed})")  # fmt: skip
            continue
        status = raw if isinstance(raw, ComponentStatus) else ComponentStatus.parse(raw)
        if status is None:
            problems.error(path, line, f"unknown component status {raw!r}{suggest(raw, ComponentStatus.words())} (expected: {', '.join(ComponentStatus.words())})")
            continue
        result.append((cid, ComponentStatus(status)))
    return result


def component_id(typed: object, known: list[str]) -> str | None:
    """The configured id *typed* means: itself, or the one id equal to it ignoring case."""
    if typed in known:
        return str(typed)
    folded = [k for k in known if isinstance(typed, str) and k.lower() == typed.lower()]
    return folded[0] if len(folded) == 1 else None


def load_incident(path: Path, config: Config, problems: Problems, data: bytes | None = None) -> Incident | None:
    """Read one incident file (or parse its *data*, already read); None (with problems recorded) if it is unusable."""
    name = FILE_NAME.match(path.name)
    if not name:
        problems.error(path, 0, "incident files are named YYYY-MM-DD-slug.md (letters, digits, - and _ only), e.g. 2026-11-20-api-errors.md")
        return None
    try:
        file_day = date.fromisoformat(name["date"])
    except ValueError:
        problems.error(path, 0, f"{name['date']!r} in the file name is not a real date")
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.error(path, 0, f"file is larger than {MAX_FILE_BYTES // 1000} kB; is it really an incident?")
        return None
    if data is None:
        text = read_text(path, problems)
    else:
        text = decode_text(data, path, problems)
    if text is None:
        return None
    return parse_incident(path, text, file_day, config, problems)


def parse_incident(path: Path, text: str, file_day: date, config: Config, problems: Problems) -> Incident | None:
    """The incident in *text* (the contents of *path*), or None after recording why not."""
    before = len(problems.errors)
    source = split_front_matter(text, path, problems)
    if source is None:
        return None
    front = source.front
    if not isinstance(front, YamlMap):
        problems.error(path, 2, "front matter must be a mapping (title:, impact:, components:)")
        return None
    zone = config.timezone

    for key in front:
        if key not in FRONT_MATTER_KEYS:
            problems.error(path, front.line_of(key), f"unknown key {key!r}{suggest(key, FRONT_MATTER_KEYS)} (expected: {', '.join(FRONT_MATTER_KEYS)})")
    title = front.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.error(path, front.line_of("title") if "title" in front else 1, "`title:` is required")
        title = ""

    window = None
    if "maintenance" in front:
        window = _window(front, path, zone, file_day, problems)
    is_maintenance = "maintenance" in front

    default_status = ComponentStatus.UNDER_MAINTENANCE if is_maintenance else None
    components = parse_components(
        front.get("components", YamlMap()), front.line_of("components"), path, config, problems, default=default_status
    )

    impact = None
    if "impact" in front:
        impact = Impact.parse(front["impact"])
        allowed = Impact.words() if is_maintenance else [w for w in Impact.words() if w != "maintenance"]
        if impact is None or impact.word not in allowed:
            problems.error(path, front.line_of("impact"), f"unknown impact {front['impact']!r} (expected: {', '.join(allowed)})")
    if impact is None:
        impact = Impact.MAINTENANCE if is_maintenance else impact_of(components)

    postmortem = front.get("postmortem")
    is_url = isinstance(postmortem, str) and POSTMORTEM_URL.match(postmortem)
    if postmortem is not None and not is_url:
        problems.error(path, front.line_of("postmortem"), "`postmortem:` must be an http(s) URL")
        postmortem = None

    updates = _updates(source, path, config, is_maintenance, problems)
    if not updates and len(problems.errors) == before:
        first = "Scheduled" if is_maintenance else "Investigating"
        problems.error(path, source.body_line, f"no updates: add one below the front matter, e.g. `## {first} · {file_day} 14:02`")
    if not is_maintenance:
        for u in updates:
            if u.at.astimezone(zone).date() < file_day:
                problems.error(path, u.line, f"update is dated {u.at.astimezone(zone).date()}, before the day in the file name ({file_day}); rename the file or fix the date")
    final = next((u for u in updates if u.status.is_final), None)
    if final is not None:
        for u in updates:
            if u.at > final.at and not u.status.is_final:
                problems.error(path, u.line, f"update '{u.status.word}' comes after the incident was {final.status.word} (line {final.line}); reopen with a new incident file, or fix the times")
    if len(problems.errors) > before:
        return None
    return Incident(
        id=path.stem,
        title=title.strip(),
        impact=impact,
        components=tuple(components),
        updates=tuple(updates),
        path=problems.display_path(path),
        postmortem_url=postmortem,
        maintenance=window,
    )


def impact_of(components: list[tuple[str, ComponentStatus]]) -> Impact:
    """The impact implied by component statuses, as the hosted product derives it."""
    worst = max((s for _, s in components), default=ComponentStatus.OPERATIONAL)
    return {
        ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
        ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
        ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    }.get(worst, Impact.NONE)


def _window(front: YamlMap, path: Path, zone: Any, file_day: date, problems: Problems) -> Window | None:
    value = front["maintenance"]
    line = front.line_of("maintenance")
    if not isinstance(value, YamlMap) or "start" not in value or "end" not in value:
        problems.error(path, line, "`maintenance:` needs `start:` and `end:` timestamps")
        return None
    for key in value:
        if key not in ("start", "end"):
            problems.error(path, value.line_of(key), f"unknown maintenance key {key!r} (expected: start, end)")
    times: dict[str, datetime] = {}
    for key in ("start", "end"):
        try:
            times[key] = parse_timestamp(value[key], zone)
        except TimeError as e:
            problems.error(path, value.line_of(key), str(e))
    if len(times) < 2:
        return None
    if times["end"] <= times["start"]:
        problems.error(path, value.line_of("end"), "maintenance `end:` must be after its `start:`")
        return None
    if times["start"].astimezone(zone).date() != file_day:
        problems.error(path, value.line_of("start"), f"maintenance starts on {times['start'].astimezone(zone).date()}, but the file name says {file_day}; name the file after the window's first day")
    return Window(times["start"], times["end"])


def _updates(source: SourceFile, path: Path, config: Config, is_maintenance: bool, problems: Problems) -> list[Update]:
    allowed = MAINTENANCE_STATUSES if is_maintenance else INCIDENT_STATUSES
    allowed_words = [s.word for s in allowed]
    blocks: list[tuple[int, re.Match[str] | None, str, list[str]]] = []
    in_fence = False
    for offset, line in enumerate(source.body.split("\n")):
        number = source.body_line + offset
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("##") and not line.startswith("###"):
            blocks.append((number, UPDATE_HEADING.match(line), line, []))
        elif blocks:
            blocks[-1][3].append(line)
        elif line.strip():
            problems.error(path, number, "text before the first update: put it under a heading like `## Investigating · 2026-11-20 14:02`")
            blocks.append((number, None, "", []))  # swallow the rest of this stray text

    updates: list[Update] = []
    seen: dict[datetime, int] = {}
    for number, heading, raw, lines in blocks:
        if heading is None:
            if raw:
                problems.error(path, number, f"cannot read update heading {raw.strip()!r}: write `## <Status> · <timestamp>`, e.g. `## Identified · 2026-11-20 14:30`")
            continue
        status = IncidentStatus.parse(heading["status"])
        if status is None or status not in allowed:
            kind = "maintenance" if is_maintenance else "incident"
            problems.error(path, number, f"unknown {kind} status {heading['status']!r}{suggest(heading['status'].lower(), allowed_words)} (expected: {', '.join(allowed_words)})")
            continue
        try:
            at = parse_timestamp(heading["at"], config.timezone)
        except TimeError as e:
            problems.error(path, number, str(e))
            continue
        if at in seen:
            problems.error(path, number, f"another update (line {seen[at]}) has the same time; give each update its own time")
            continue
        seen[at] = number
        changes: list[tuple[str, ComponentStatus]] = []
        body_line = number + 1
        first = next((i for i, text in enumerate(lines) if text.strip()), None)
        if first is not None and COMPONENTS_LINE.match(lines[first]):
            changes = _component_changes(lines[first], body_line + first, path, config, problems)
            lines, body_line = lines[first + 1 :], body_line + first + 1
        _refuse_stray_components_lines(lines, body_line, path, problems)
        message = "\n".join(lines).strip()
        if not message:
            problems.error(path, number, f"update {heading['status'].strip()!r} has no message: "
                           "write what is happening on the lines below its heading")  # fmt: skip
        updates.append(Update(IncidentStatus(status), at, message, tuple(changes), number))
    updates.sort(key=lambda u: (u.at, -u.line))
    return updates


def _component_changes(
    text: str, line: int, path: Path, config: Config, problems: Problems
) -> list[tuple[str, ComponentStatus]]:
    """The changes a `Components:` line asks for; a line not in the accepted form is refused."""
    match = COMPONENTS_LINE.match(text)
    assert match is not None
    listed = match["list"]
    if not COMPONENT_PAIRS.fullmatch(listed):
        known = ", ".join(config.component_ids) or "none yet; add them to statuspage.yaml"
        statuses = ", ".join(ComponentStatus.words())
        problems.error(path, line, "cannot read this `Components:` line: "
                       f"write it as {COMPONENTS_FORM} "
                       f"(components: {known}; statuses: {statuses})")  # fmt: skip
        return []
    pairs = YamlMap((m["id"], m["status"]) for m in COMPONENT_PAIR.finditer(listed))
    pairs.line, pairs.key_lines = line, {}
    return parse_components(pairs, line, path, config, problems, default=None)


def _refuse_stray_components_lines(
    lines: list[str], first_line: int, path: Path, problems: Problems
) -> None:
    """A `Components:` line further down a message would be published as text: refuse it."""
    in_fence = False
    for offset, text in enumerate(lines):
        if FENCE.match(text):
            in_fence = not in_fence
        elif not in_fence and COMPONENTS_LINE.match(text):
            problems.error(path, first_line + offset,
                           "a `Components:` line must be the first line under its update's "
                           "heading; move it up (or it would be shown as text)")  # fmt: skip


def incident_files(root: Path) -> list[Path]:
    """The incident files of a site, sorted by name (postmortems are loaded elsewhere)."""
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    found = (p for p in folder.iterdir() if p.name.endswith(".md") and not p.name.endswith(POSTMORTEM_SUFFIX) and not p.name.startswith("."))
    return sorted(found, key=lambda p: p.name)  # one folder: by name is by path, and much cheaper


class IncidentCache(Protocol):
    """Parsed incidents kept between builds (cache.py), by file name and contents."""

    def load(self, path: Path, config: Config, problems: Problems) -> Incident | None: ...


def load_incidents(root: Path, config: Config, problems: Problems, cache: IncidentCache | None = None) -> list[Incident]:
    """Every incident of the site, newest first (then by id), each error recorded."""
    incidents = []
    folder = SiteFolder(root)
    for path in incident_files(root):
        try:
            folder.file(f"{INCIDENTS_DIR}/{path.name}")
        except OutsideSite as e:
            problems.error(path, 0, str(e))
            continue
        if not path.is_file():
            problems.error(path, 0, "not a regular file")
            continue
        incident = cache.load(path, config, problems) if cache else load_incident(path, config, problems)
        if incident is not None:
            incidents.append(incident)
    incidents.sort(key=lambda i: (i.started_at, i.id), reverse=True)
    return incidents
