"""incidents/*.md (YAML front matter + `## Status · time` updates) -> Incident.

This module reads the folder and each file as a whole; the parts of one file are read by
incident_fields.py (the front matter), incident_components.py (`components:` and
`Components:` lines), incident_updates.py (the body) and incident_checks.py (rules that
span the whole incident)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from statuspage.errors import Problems
from statuspage.model import PUBLIC, ComponentStatus, Config, Impact, Incident
from statuspage.source.audiences import read_audience_mark, trust_order
from statuspage.source.budget import MarkdownBudget
from statuspage.source.incident_checks import (
    MAX_INCIDENT_OUTPUT_BYTES,
    check_audience_marks,
    check_output_size,
    check_updates,
)
from statuspage.source.incident_components import (
    MAX_UNKNOWN_KEYS_SHOWN,
    component_id,
    impact_of,
    more_unknown_components,
    parse_components,
)
from statuspage.source.incident_fields import (
    ALERT_KEY,
    MAX_ALERT_KEYS,
    MAX_TITLE_CHARS,
    MONITOR_NOTES_KEY,
    POSTMORTEM_URL,
    check_monitor_notes,
    read_alert_keys,
    read_impact,
    read_postmortem,
    read_title,
    read_triage,
    read_window,
    refuse_unknown_keys,
)
from statuspage.source.incident_updates import COMPONENTS_LINE, FENCE, MAX_UPDATES, parse_updates
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.source.yamlfile import YamlError, YamlMap, decode_text, parse_yaml, read_text

# The format's names other modules use: this module's own, and those of its parts.
__all__ = [
    "ALERT_KEY",
    "COMPONENTS_LINE",
    "FENCE",
    "FILE_NAME",
    "INCIDENTS_DIR",
    "MAX_ALERT_KEYS",
    "MAX_FILE_BYTES",
    "MAX_INCIDENT_OUTPUT_BYTES",
    "MAX_TITLE_CHARS",
    "MAX_UNKNOWN_KEYS_SHOWN",
    "MAX_UPDATES",
    "MONITOR_NOTES_KEY",
    "POSTMORTEM_SUFFIX",
    "POSTMORTEM_URL",
    "IncidentCache",
    "SourceFile",
    "component_id",
    "incident_files",
    "load_incident",
    "load_incidents",
    "misnamed_files",
    "parse_incident",
    "split_front_matter",
]

INCIDENTS_DIR = "incidents"
POSTMORTEM_SUFFIX = ".postmortem.md"
FILE_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[A-Za-z0-9][A-Za-z0-9_-]*)\.md$")
MAX_FILE_BYTES = 1_000_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class SourceFile:
    """A file's text split into front matter and body, with the body's first line number."""

    front: Any
    body: str
    body_line: int


def split_front_matter(text: str, path: Path, problems: Problems) -> SourceFile | None:
    """*text* as its `---` front matter and body; None (with the problem recorded) without one."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.error(
            path,
            1,
            "file must start with `---` and YAML front matter (title:, impact:, components:)",
        )
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


def load_incident(
    path: Path, config: Config, problems: Problems, data: bytes | None = None
) -> Incident | None:
    """Read one incident file (or parse its *data*, already read); None (with problems
    recorded) if it is unusable."""
    name = FILE_NAME.match(path.name)
    if not name:
        problems.error(
            path,
            0,
            "incident files are named YYYY-MM-DD-slug.md (letters, digits, - and _ only), e.g. "
            "2026-11-20-api-errors.md",
        )
        return None
    try:
        file_day = date.fromisoformat(name["date"])
    except ValueError:
        problems.error(path, 0, f"{name['date']!r} in the file name is not a real date")
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.error(
            path, 0, f"file is larger than {MAX_FILE_BYTES // 1000} kB; is it really an incident?"
        )
        return None
    text = read_text(path, problems) if data is None else decode_text(data, path, problems)
    if text is None:
        return None
    return parse_incident(path, text, file_day, config, problems)


def parse_incident(
    path: Path, text: str, file_day: date, config: Config, problems: Problems
) -> Incident | None:
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
    refuse_unknown_keys(front, path, problems)
    title = read_title(front, path, problems)
    is_maintenance = "maintenance" in front
    window = read_window(front, path, zone, file_day, problems) if is_maintenance else None
    unknown_ids: list[int] = []  # lines of unknown component ids, in the whole file
    components = _components(front, is_maintenance, path, config, problems, unknown_ids)
    impact = read_impact(front, is_maintenance, path, problems)
    postmortem = read_postmortem(front, path, problems)
    updates = parse_updates(
        source.body, source.body_line, path, config, is_maintenance, problems, unknown_ids
    )
    more_unknown_components(unknown_ids, path, problems)
    if impact is None:
        # The worst status the incident ever gives, its first lines' or a later update's:
        # an incident that names its components only in `Components:` lines has an impact too.
        statuses = components + [change for u in updates for change in u.components]
        impact = Impact.MAINTENANCE if is_maintenance else impact_of(statuses)
    urgency, detected = read_triage(front, path, zone, is_maintenance, updates, problems)
    alerts = read_alert_keys(front, path, problems)
    check_monitor_notes(front, path, problems)
    if not updates and len(problems.errors) == before:
        _refuse_no_updates(is_maintenance, file_day, path, source.body_line, problems)
    check_updates(updates, is_maintenance, file_day, zone, path, problems)
    audience = read_audience_mark(front, trust_order(config), PUBLIC, path, problems)
    where = front.line_of("components") or 1
    check_audience_marks(audience, components, updates, config, where, path, problems)
    editions = max(len(config.languages), 1)  # each language writes its own copies
    check_output_size(path, text, components, updates, editions, where, problems)
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
        urgency=urgency,
        detected=detected,
        alerts=alerts,
        audience=audience,
        impact_written="impact" in front,
    )


def _components(
    front: YamlMap,
    is_maintenance: bool,
    path: Path,
    config: Config,
    problems: Problems,
    unknown: list[int],
) -> list[tuple[str, ComponentStatus]]:
    """`components:`: statuses, or for a maintenance window also a list of ids."""
    return parse_components(
        front.get("components", YamlMap()),
        front.line_of("components"),
        path,
        config,
        problems,
        default=ComponentStatus.UNDER_MAINTENANCE if is_maintenance else None,
        unknown=unknown,
    )


def _refuse_no_updates(
    is_maintenance: bool, file_day: date, path: Path, line: int, problems: Problems
) -> None:
    first = "Scheduled" if is_maintenance else "Investigating"
    problems.error(
        path,
        line,
        f"no updates: add one below the front matter, e.g. `## {first} · {file_day} 14:02`",
    )


def incident_files(root: Path) -> list[Path]:
    """The incident files of a site, sorted by name (postmortems are loaded elsewhere)."""
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    found = (
        p
        for p in folder.iterdir()
        if p.name.endswith(".md")
        and not p.name.endswith(POSTMORTEM_SUFFIX)
        and not p.name.startswith(".")
    )
    return sorted(found, key=lambda p: p.name)  # one folder: by name is by path, and much cheaper


def misnamed_files(root: Path) -> list[tuple[Path, str]]:
    """Files in incidents/ meant as incidents but never read, each with what to do: skipping
    `x.MD` or `..2026-11-20-x.md` silently would let `check` pass an incident nobody sees."""
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    found = []
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        name = p.name
        if _CONTROL.search(name):
            what = "contains a control character (a newline?), so it is never read; rename it"
        elif name.startswith(".") and name.lower().endswith(".md") and not name.startswith(".#"):
            # (`.#name` is an editor's lock file, not ours to report)
            what = f"starts with `.`, so it is never read; rename it to `{name.lstrip('.')}`"
            what += " or delete it"
        elif name.lower().endswith(".md") and not name.endswith(".md"):
            what = f"ends in `{name[-3:]}`, so it is never read; rename it to `{name[:-3]}.md`"
        else:
            continue
        found.append((p, f"the file name {what}"))
    return found


def _refuse_case_twins(files: list[Path], problems: Problems) -> None:
    """Ids that differ only in letter case (`Login`, `login`) name one file, and one page,
    on case-insensitive file systems (macOS, Windows) and web hosts: refuse both."""
    by_folded: dict[str, list[Path]] = {}
    for path in files:
        by_folded.setdefault(path.name.lower(), []).append(path)
    for twins in by_folded.values():
        for path in twins if len(twins) > 1 else ():
            others = ", ".join(f"{problems.shown_path(o)}:1" for o in twins if o != path)
            problems.error(
                path,
                1,
                f"this incident's id differs from {others} only in letter case; they collide on "
                "case-insensitive file systems and web hosts: rename one",
            )


class IncidentCache(Protocol):
    """Parsed incidents kept between builds (pipeline/parse_cache.py), by file name and contents."""

    def load(self, path: Path, config: Config, problems: Problems) -> Incident | None: ...


def load_incidents(
    root: Path, config: Config, problems: Problems, cache: IncidentCache | None = None
) -> list[Incident]:
    """Every incident of the site, newest first (then by id), each error recorded."""
    incidents = []
    budget = MarkdownBudget()
    folder = SiteFolder(root)
    misnamed = misnamed_files(root)
    for path, what_to_do in misnamed:
        problems.error(path, 1, what_to_do)
    reported = {path for path, _ in misnamed}
    files = incident_files(root)
    _refuse_case_twins(files, problems)
    for path in files:
        if path in reported:
            continue
        try:
            folder.file(f"{INCIDENTS_DIR}/{path.name}")
        except OutsideSite as e:
            problems.error(path, 0, str(e))
            continue
        if not path.is_file():
            problems.error(path, 0, "not a regular file")
            continue
        incident = (
            cache.load(path, config, problems) if cache else load_incident(path, config, problems)
        )
        if incident is not None:
            incidents.append(budget.apply(incident, path, problems))
    incidents.sort(key=lambda i: (i.started_at, i.id), reverse=True)
    return incidents
