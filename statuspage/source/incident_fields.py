"""An incident file's front matter, field by field: `title:`, `maintenance:`, `impact:`,
`postmortem:`, `urgency:`, `detected:`, `alerts:` and `monitor_notes:`, each checked,
each problem recorded at its line. (`components:` is read by incident_components.py.)"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from statuspage.errors import Problems
from statuspage.model import Impact, Update, Urgency, Window
from statuspage.source.incident_components import MAX_UNKNOWN_KEYS_SHOWN
from statuspage.source.names import shorten, suggest, userinfo_problem
from statuspage.source.times import TimeError, parse_timestamp
from statuspage.source.yamlfile import YamlList, YamlMap

FRONT_MATTER_KEYS = [
    "title", "impact", "components", "postmortem", "maintenance", "urgency", "detected", "alerts",
    "monitor_notes", "audience",
]  # fmt: skip
# `monitor_notes:` keeps what a monitor said (statuspage alert writes it) for the people
# who review the file; it is checked to be a list and then dropped: no output can show it.
MONITOR_NOTES_KEY = "monitor_notes"
# A monitor's alert key: `tool:id` (statuspage alert writes them; people may too).
ALERT_KEY = re.compile(r"^[a-z][a-z0-9-]{0,30}:[A-Za-z0-9._:/@+=-]{1,200}$")
MAX_ALERT_KEYS = 100
POSTMORTEM_URL = re.compile(r"^https?://\S+$")
# A limit far above real use (the largest of 297 real incidents has a 95-character
# title) that keeps the work and output of one file bounded.
MAX_TITLE_CHARS = 300


def refuse_unknown_keys(front: YamlMap, path: Path, problems: Problems) -> None:
    """Each key the format does not have (the first few by name, the rest counted)."""
    unknown = [key for key in front if key not in FRONT_MATTER_KEYS]
    for key in unknown[:MAX_UNKNOWN_KEYS_SHOWN]:
        expected = ", ".join(FRONT_MATTER_KEYS)
        hint = suggest(key, FRONT_MATTER_KEYS)
        message = f"unknown key {shorten(str(key))!r}{hint} (expected: {expected})"
        problems.error(path, front.line_of(key), message)
    if len(unknown) > MAX_UNKNOWN_KEYS_SHOWN:
        rest = unknown[MAX_UNKNOWN_KEYS_SHOWN:]
        message = f"and {len(rest):,} more unknown key{'s' if len(rest) > 1 else ''} (not listed)"
        problems.error(path, front.line_of(rest[0]), message)


def read_title(front: YamlMap, path: Path, problems: Problems) -> str:
    """`title:`, required and not too long ("" when missing)."""
    title = front.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.error(
            path, front.line_of("title") if "title" in front else 1, "`title:` is required"
        )
        return ""
    if len(title.strip()) > MAX_TITLE_CHARS:
        length = len(title.strip())
        message = (
            f"`title:` is {length:,} characters long; "
            f"keep it under {MAX_TITLE_CHARS} and put details in an update"
        )
        problems.error(path, front.line_of("title"), message)
    return title


def read_window(
    front: YamlMap, path: Path, zone: Any, file_day: date, problems: Problems
) -> Window | None:
    """`maintenance:` `start:` and `end:`, starting on the day the file is named after."""
    value = front["maintenance"]
    line = front.line_of("maintenance")
    for key in value if isinstance(value, YamlMap) else ():
        if key not in ("start", "end"):
            hint = suggest(str(key), ["start", "end"])
            message = f"unknown maintenance key {shorten(str(key))!r}{hint} (expected: start, end)"
            problems.error(path, value.line_of(key), message)
    if not isinstance(value, YamlMap) or "start" not in value or "end" not in value:
        problems.error(path, line, "`maintenance:` needs `start:` and `end:` timestamps")
        return None
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
        problems.error(
            path,
            value.line_of("start"),
            f"maintenance starts on {times['start'].astimezone(zone).date()}, but the file name "
            f"says {file_day}; name the file after the window's first day",
        )
    return Window(times["start"], times["end"])


def read_impact(
    front: YamlMap, is_maintenance: bool, path: Path, problems: Problems
) -> Impact | None:
    """`impact:` as written (`maintenance` only for a window); None when not given or wrong."""
    if "impact" not in front:
        return None
    impact = Impact.parse(front["impact"])
    allowed = (
        Impact.words() if is_maintenance else [w for w in Impact.words() if w != "maintenance"]
    )
    if impact is None or impact.word not in allowed:
        problems.error(
            path,
            front.line_of("impact"),
            f"unknown impact {shorten(str(front['impact']))!r}"
            f"{suggest(str(front['impact']), allowed)} (expected: {', '.join(allowed)})",
        )
    return impact


def read_postmortem(front: YamlMap, path: Path, problems: Problems) -> str | None:
    """`postmortem:`, an http(s) URL that holds no user name or password."""
    postmortem = front.get("postmortem")
    is_url = isinstance(postmortem, str) and POSTMORTEM_URL.match(postmortem)
    if postmortem is not None and not is_url:
        problems.error(path, front.line_of("postmortem"), "`postmortem:` must be an http(s) URL")
        return None
    if isinstance(postmortem, str) and (refused := userinfo_problem("postmortem", postmortem)):
        problems.error(path, front.line_of("postmortem"), refused)
        return None
    return postmortem


def read_triage(
    front: YamlMap,
    path: Path,
    zone: Any,
    is_maintenance: bool,
    updates: list[Update],
    problems: Problems,
) -> tuple[Urgency, datetime | None]:
    """`urgency:` and `detected:`, which give an incident its priority and response time."""
    urgency = Urgency.MEDIUM
    detected = None
    for key in ("urgency", "detected"):
        if key in front and is_maintenance:
            message = f"`{key}:` is for incidents; a maintenance window has neither"
            problems.error(path, front.line_of(key), message)
    if "urgency" in front and not is_maintenance:
        parsed = Urgency.parse(front["urgency"])
        if parsed is None:
            expected = ", ".join(Urgency.words())
            typed = shorten(str(front["urgency"]))
            hint = suggest(typed, Urgency.words())
            message = f"unknown urgency {typed!r}{hint} (expected: {expected})"
            problems.error(path, front.line_of("urgency"), message)
        else:
            urgency = parsed
    if "detected" in front and not is_maintenance:
        try:
            detected = parse_timestamp(front["detected"], zone)
        except TimeError as e:
            problems.error(path, front.line_of("detected"), f"`detected:` {e}")
        if detected is not None and updates and detected > updates[0].at:
            problems.error(
                path,
                front.line_of("detected"),
                f"`detected:` is after the first update (line {updates[0].line}); "
                "it is when the problem was first seen, so it cannot come later",
            )
    return urgency, detected


def read_alert_keys(front: YamlMap, path: Path, problems: Problems) -> tuple[str, ...]:
    """`alerts:`, the monitors' alert keys that opened or joined this incident."""
    if "alerts" not in front:
        return ()
    value = front["alerts"]
    line = front.line_of("alerts")
    if not isinstance(value, list) or len(value) > MAX_ALERT_KEYS:
        message = (
            f"`alerts:` must be a list of at most {MAX_ALERT_KEYS} keys like alertmanager:31b4434c"
        )
        problems.error(path, line, message)
        return ()
    lines = value.item_lines if isinstance(value, YamlList) else [line] * len(value)
    keys: list[str] = []
    for item, item_line in zip(value, lines, strict=True):
        if not isinstance(item, str) or not ALERT_KEY.match(item):
            shown = shorten(str(item))
            message = f"alert key {shown!r} must look like tool:id, e.g. alertmanager:31b4434c"
            problems.error(path, item_line, message)
        elif item not in keys:
            keys.append(item)
    return tuple(keys)


def check_monitor_notes(front: YamlMap, path: Path, problems: Problems) -> None:
    """`monitor_notes:` is a list (what monitors said; never shown on the page)."""
    if MONITOR_NOTES_KEY in front and not isinstance(front[MONITOR_NOTES_KEY], list | None):
        message = "`monitor_notes:` must be a list (what monitors said; never shown on the page)"
        problems.error(path, front.line_of(MONITOR_NOTES_KEY), message)
