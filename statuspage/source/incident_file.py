"""incidents/*.md (YAML front matter + `## Status · time` updates) -> Incident."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from statuspage.errors import Problems
from statuspage.model import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    ComponentStatus,
    Config,
    Impact,
    Incident,
    IncidentStatus,
    Update,
    Urgency,
    Window,
)
from statuspage.source.budget import MarkdownBudget
from statuspage.source.names import listing, suggest, userinfo_problem
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.source.times import TimeError, parse_timestamp
from statuspage.source.yamlfile import (
    YamlError,
    YamlList,
    YamlMap,
    decode_text,
    parse_yaml,
    read_text,
)

INCIDENTS_DIR = "incidents"
POSTMORTEM_SUFFIX = ".postmortem.md"
FILE_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[A-Za-z0-9][A-Za-z0-9_-]*)\.md$")
FRONT_MATTER_KEYS = [
    "title", "impact", "components", "postmortem", "maintenance", "urgency", "detected", "alerts",
    "monitor_notes",
]  # fmt: skip
# `monitor_notes:` keeps what a monitor said (statuspage alert writes it) for the people
# who review the file; it is checked to be a list and then dropped: no output can show it.
MONITOR_NOTES_KEY = "monitor_notes"
# A monitor's alert key: `tool:id` (statuspage alert writes them; people may too).
ALERT_KEY = re.compile(r"^[a-z][a-z0-9-]{0,30}:[A-Za-z0-9._:/@+=-]{1,200}$")
MAX_ALERT_KEYS = 100
# `## Identified · 2026-11-20 14:30 +01:00`; `-`, `|` and dashes are accepted
# as the separator too, since `·` is awkward to type.
_SEPARATORS = "·|\u2014\u2013-"  # middle dot, bar, em and en dash, hyphen
_STATUS_WORDS = re.compile(r"[A-Za-z][A-Za-z _]*")
# Any line starting `Components:` (any case) is a status change, never message text:
# pairs are `id=status` or `id: status`, split by commas or spaces.
COMPONENTS_LINE = re.compile(r"^ {0,3}components\s*:(?P<list>.*)$", re.IGNORECASE)  # 4 spaces: code
COMPONENT_PAIR = re.compile(r"(?P<id>[^\s,=:]+)\s*[=:]\s*(?P<status>[^\s,=:]+)")
# Pairs need a space or comma between them: with none, `[^\s,=:]+` could split a run
# of letters in any of n places, and a long bad line took quadratic time.
_PAIR = re.sub(r"\?P<\w+>", "", COMPONENT_PAIR.pattern)  # the same, without group names
COMPONENT_PAIRS = re.compile(rf"[\s,]*{_PAIR}(?:[\s,]+{_PAIR})*[\s,]*")
COMPONENTS_FORM = "`Components: api=partial_outage, db=major_outage`"
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
MAX_FILE_BYTES = 1_000_000
POSTMORTEM_URL = re.compile(r"^https?://\S+$")
# Limits far above real use (the largest of 297 real incidents has a 95-character
# title and a handful of updates) that keep the work and output of one file bounded.
MAX_TITLE_CHARS = 300
MAX_UPDATES = 200
MAX_UNKNOWN_KEYS_SHOWN = 10
MAX_STATUS_CHANGES = 1_000  # front-matter components plus every `Components:` pair
MAX_PAGE_BYTES = 4_000_000
MAX_INCIDENT_OUTPUT_BYTES = 64_000_000
# For the estimate of what an incident writes (measured on built sites).
_CHANGE_BYTES = 60  # a status change as rendered: the component's name and its status
_UPDATE_BYTES = 2_000  # an update's markup around its text
_SITE_COPIES = 14  # its page, the site's three feeds, API files, history.json, ...
MAX_SHOWN_CHARS = 80  # of a line quoted in an error message
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """*text* cut to *limit* characters, so an error message never echoes a huge line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_update_heading(line: str) -> tuple[str, str] | None:
    """(status, time) of `## <Status> · <time>`, or None; linear in the line's length.

    No regex: a pattern with adjacent optional spaces backtracks quadratically
    over a heading padded with tens of thousands of spaces."""
    rest = line[2:]
    cut = next((i for i, c in enumerate(rest) if c in _SEPARATORS), -1)
    if cut < 0:
        return None
    width = 1
    if rest[cut] == "-":  # a hyphen separates only between spaces, as in `Resolved - 14:30`
        if not (rest[cut - 1 : cut].isspace() and rest[cut + 1 : cut + 2].isspace()):
            return None
        width = 2
    status, at = rest[:cut].strip(), rest[cut + width :].strip()
    if not at or not _STATUS_WORDS.fullmatch(status):
        return None
    return status, at


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


def parse_components(
    value: Any,
    line_of: Any,
    path: Path,
    config: Config,
    problems: Problems,
    *,
    default: ComponentStatus | None,
    unknown: list[int] | None = None,
) -> list[tuple[str, ComponentStatus]]:
    """`{id: status}` (or, where *default* is given, a plain list of ids).

    The lines of unknown ids go into *unknown* (the whole file's): only the first few
    are reported one by one, with a "did you mean" each; the caller reports the rest."""
    result: list[tuple[str, ComponentStatus]] = []
    known = config.component_ids
    if isinstance(value, YamlList) and default is not None:
        pairs = [(item, default, ln) for item, ln in zip(value, value.item_lines, strict=True)]
    elif isinstance(value, YamlMap):
        pairs = [(k, v, value.line_of(k)) for k, v in value.items()]
    else:
        hint = " or a list of ids" if default is not None else ""
        problems.error(
            path,
            line_of,
            f"`components:` must map component ids to statuses (api: partial_outage){hint}",
        )
        return result
    own = unknown is None
    unknown = [] if unknown is None else unknown
    for typed, raw, line in pairs:
        cid = component_id(typed, known)
        if cid is None:
            unknown.append(line)
            if len(unknown) <= MAX_UNKNOWN_KEYS_SHOWN:
                problems.error(
                    path,
                    line,
                    f"unknown component {shorten(str(typed))!r}{suggest(typed, known)}; "
                    "components are defined in statuspage.yaml "
                    f"(known: {listing(known, empty='none yet')})",
                )
            continue
        status = raw if isinstance(raw, ComponentStatus) else ComponentStatus.parse(raw)
        if status is None:
            problems.error(
                path,
                line,
                f"unknown component status {raw!r}{suggest(raw, ComponentStatus.words())} "
                f"(expected: {', '.join(ComponentStatus.words())})",
            )
            continue
        result.append((cid, ComponentStatus(status)))
    if own:
        _more_unknown_components(unknown, path, problems)
    return result


def _more_unknown_components(unknown: list[int], path: Path, problems: Problems) -> None:
    """One error for the unknown component ids past the first few (their lines): a file of
    a thousand typos, each with a "did you mean" and the known ids, took minutes and megabytes."""
    rest = unknown[MAX_UNKNOWN_KEYS_SHOWN:]
    if rest:
        numbers = sorted(set(rest))
        lines = ", ".join(str(n) for n in numbers[:5]) + (", …" if len(numbers) > 5 else "")
        more = f"{len(rest):,} more unknown component{'s' if len(rest) > 1 else ''}"
        message = f"and {more} (line{'s' if len(numbers) > 1 else ''} {lines}; not listed)"
        problems.error(path, rest[0], message)


def component_id(typed: object, known: list[str]) -> str | None:
    """The configured id *typed* means: itself, or the one id equal to it ignoring case."""
    if typed in known:
        return str(typed)
    folded = [k for k in known if isinstance(typed, str) and k.lower() == typed.lower()]
    return folded[0] if len(folded) == 1 else None


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
    title = front.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.error(
            path, front.line_of("title") if "title" in front else 1, "`title:` is required"
        )
        title = ""
    elif len(title.strip()) > MAX_TITLE_CHARS:
        length = len(title.strip())
        message = (
            f"`title:` is {length:,} characters long; "
            f"keep it under {MAX_TITLE_CHARS} and put details in an update"
        )
        problems.error(path, front.line_of("title"), message)

    window = None
    if "maintenance" in front:
        window = _window(front, path, zone, file_day, problems)
    is_maintenance = "maintenance" in front

    default_status = ComponentStatus.UNDER_MAINTENANCE if is_maintenance else None
    unknown_ids: list[int] = []
    components = parse_components(
        front.get("components", YamlMap()),
        front.line_of("components"),
        path,
        config,
        problems,
        default=default_status,
        unknown=unknown_ids,
    )

    impact = None
    if "impact" in front:
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

    postmortem = front.get("postmortem")
    is_url = isinstance(postmortem, str) and POSTMORTEM_URL.match(postmortem)
    if postmortem is not None and not is_url:
        problems.error(path, front.line_of("postmortem"), "`postmortem:` must be an http(s) URL")
        postmortem = None
    elif isinstance(postmortem, str) and (refused := userinfo_problem("postmortem", postmortem)):
        problems.error(path, front.line_of("postmortem"), refused)
        postmortem = None

    updates = _updates(source, path, config, is_maintenance, problems, unknown_ids)
    _more_unknown_components(unknown_ids, path, problems)
    if impact is None:
        # The worst status the incident ever gives, its first lines' or a later update's:
        # an incident that names its components only in `Components:` lines has an impact too.
        statuses = components + [change for u in updates for change in u.components]
        impact = Impact.MAINTENANCE if is_maintenance else impact_of(statuses)
    urgency, detected = _triage(front, path, zone, is_maintenance, updates, problems)
    alerts = _alert_keys(front, path, problems)
    if MONITOR_NOTES_KEY in front and not isinstance(front[MONITOR_NOTES_KEY], list | None):
        message = "`monitor_notes:` must be a list (what monitors said; never shown on the page)"
        problems.error(path, front.line_of(MONITOR_NOTES_KEY), message)
    if not updates and len(problems.errors) == before:
        first = "Scheduled" if is_maintenance else "Investigating"
        problems.error(
            path,
            source.body_line,
            f"no updates: add one below the front matter, e.g. `## {first} · {file_day} 14:02`",
        )
    if not is_maintenance:
        for u in updates:
            if u.at.astimezone(zone).date() < file_day:
                problems.error(
                    path,
                    u.line,
                    f"update is dated {u.at.astimezone(zone).date()}, before the day in the file "
                    f"name ({file_day}); rename the file or fix the date",
                )
    final = next((u for u in updates if u.status.is_final), None)
    _refuse_repeated_close(updates, path, problems)
    if final is not None:
        for u in updates:
            if u.at > final.at and not u.status.is_final:
                problems.error(
                    path,
                    u.line,
                    f"update '{u.status.word}' comes after the incident was {final.status.word} "
                    f"(line {final.line}); reopen with a new incident file, or fix the times",
                )
    editions = max(len(config.languages), 1)  # each language writes its own copies
    where = front.line_of("components") or 1
    _check_output_size(path, text, components, updates, editions, where, problems)
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
    )


def _refuse_repeated_close(updates: list[Update], path: Path, problems: Problems) -> None:
    """A closing update that repeats an earlier one's text: `resolve` run twice (which would
    tell subscribers twice). A later closing update saying something new is a follow-up note."""
    said: dict[str, Update] = {}
    for u in updates:
        if not u.status.is_final:
            continue
        text = " ".join(u.body.split())
        if (first := said.get(text)) is not None:
            problems.error(
                path,
                u.line,
                f"a second closing update: the incident was already {first.status.word} with "
                f"the same words (line {first.line}); remove one of them",
            )
        said.setdefault(text, u)


def _triage(
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


def _alert_keys(front: YamlMap, path: Path, problems: Problems) -> tuple[str, ...]:
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


def _check_output_size(
    path: Path,
    text: str,
    components: list[tuple[str, ComponentStatus]],
    updates: list[Update],
    editions: int,
    line: int,
    problems: Problems,
) -> None:
    """Refuse an incident whose pages would be far larger than its file.

    Its page holds its text (escaping can quadruple `<` and `&`) and a row per status
    change, and each component it touches repeats it in that component's feeds: 10,000
    components in one incident once wrote 1.5 GB. Each of `languages:` writes all of that
    again (the API, written once, is counted in every edition: an over-estimate of a few
    copies). Estimated from the source, before any work."""
    changes = len(components) + sum(len(u.components) for u in updates)
    if changes > MAX_STATUS_CHANGES:
        problems.error(
            path,
            line,
            f"{changes:,} component status changes in one incident (the limit is "
            f"{MAX_STATUS_CHANGES:,}); list fewer components or split the incident",
        )
        return
    escapes = sum(text.count(c) for c in "<>&")
    page = len(text.encode()) + 4 * escapes + _CHANGE_BYTES * changes + _UPDATE_BYTES * len(updates)
    changed = (cid for u in updates for cid, _ in u.components)
    touched = len({cid for cid, _ in components}.union(changed))
    # Its page, the site's feeds and API files, and an Atom, an RSS and a JSON feed per
    # component, in every language.
    written = page * (_SITE_COPIES + 3 * touched) * editions
    if page > MAX_PAGE_BYTES:
        mb = MAX_PAGE_BYTES // 1_000_000
        problems.error(
            path,
            line,
            f"the incident's page would be about {page / 1e6:.1f} MB "
            f"(the limit is {mb} MB); shorten its updates or split it",
        )
    elif written > MAX_INCIDENT_OUTPUT_BYTES:
        mb = MAX_INCIDENT_OUTPUT_BYTES // 1_000_000
        problems.error(
            path,
            line,
            f"the incident would write about {written / 1e6:,.0f} MB (its page, "
            f"repeated in the feeds of its {touched:,} components"
            + (f", in each of the {editions} `languages:`" if editions > 1 else "")
            + f"; the limit is {mb} MB); shorten its updates or list fewer components"
            + (" or languages" if editions > 1 else ""),
        )


def impact_of(components: list[tuple[str, ComponentStatus]]) -> Impact:
    """The impact implied by component statuses, as the hosted product derives it."""
    worst = max((s for _, s in components), default=ComponentStatus.OPERATIONAL)
    return {
        ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
        ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
        ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    }.get(worst, Impact.NONE)


def _window(
    front: YamlMap, path: Path, zone: Any, file_day: date, problems: Problems
) -> Window | None:
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


def _updates(
    source: SourceFile,
    path: Path,
    config: Config,
    is_maintenance: bool,
    problems: Problems,
    unknown: list[int],
) -> list[Update]:
    allowed = MAINTENANCE_STATUSES if is_maintenance else INCIDENT_STATUSES
    allowed_words = [s.word for s in allowed]
    blocks: list[tuple[int, tuple[str, str] | None, str, list[str]]] = []
    in_fence = False
    for offset, line in enumerate(source.body.split("\n")):
        number = source.body_line + offset
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("##") and not line.startswith("###"):
            if len(blocks) == MAX_UPDATES:
                message = f"more than {MAX_UPDATES} updates in one incident; "
                message += "split it into several files"
                problems.error(path, number, message)
                return []
            blocks.append((number, split_update_heading(line), line, []))
        elif blocks:
            blocks[-1][3].append(line)
        elif line.strip():
            problems.error(
                path,
                number,
                "text before the first update: put it under a heading like `## Investigating · "
                "2026-11-20 14:02`",
            )
            blocks.append((number, None, "", []))  # swallow the rest of this stray text

    updates: list[Update] = []
    seen: dict[datetime, int] = {}
    for number, heading, raw, lines in blocks:
        if heading is None:
            if raw:
                problems.error(
                    path,
                    number,
                    f"cannot read update heading {shorten(raw.strip())!r}: "
                    "write `## <Status> · <timestamp>`, e.g. `## Identified · 2026-11-20 14:30`",
                )
            continue
        word, when = heading
        status = IncidentStatus.parse(word)
        if status is None or status not in allowed:
            kind = "maintenance" if is_maintenance else "incident"
            hint = suggest(shorten(word).lower(), allowed_words)
            expected = ", ".join(allowed_words)
            message = f"unknown {kind} status {shorten(word)!r}{hint} (expected: {expected})"
            problems.error(path, number, message)
            continue
        try:
            at = parse_timestamp(when, config.timezone)
        except TimeError as e:
            problems.error(path, number, str(e))
            continue
        if at in seen:
            problems.error(
                path,
                number,
                f"another update (line {seen[at]}) has the same time; give each update its own "
                "time",
            )
            continue
        seen[at] = number
        changes: list[tuple[str, ComponentStatus]] = []
        body_line = number + 1
        first = next((i for i, text in enumerate(lines) if text.strip()), None)
        if first is not None and COMPONENTS_LINE.match(lines[first]):
            changes = _component_changes(
                lines[first], body_line + first, path, config, problems, unknown
            )
            lines, body_line = lines[first + 1 :], body_line + first + 1
        _refuse_stray_components_lines(lines, body_line, path, problems)
        message = "\n".join(lines).strip()
        if not message:
            problems.error(
                path,
                number,
                f"update {shorten(word.strip())!r} has no message: "
                "write what is happening on the lines below its heading",
            )
        updates.append(Update(IncidentStatus(status), at, message, tuple(changes), number))
    updates.sort(key=lambda u: (u.at, -u.line))
    return updates


def _component_changes(
    text: str, line: int, path: Path, config: Config, problems: Problems, unknown: list[int]
) -> list[tuple[str, ComponentStatus]]:
    """The changes a `Components:` line asks for; a line not in the accepted form is refused."""
    match = COMPONENTS_LINE.match(text)
    assert match is not None
    listed = match["list"]
    if not COMPONENT_PAIRS.fullmatch(listed):
        known = listing(config.component_ids, empty="none yet; add them to statuspage.yaml")
        statuses = ", ".join(ComponentStatus.words())
        problems.error(
            path,
            line,
            "cannot read this `Components:` line: "
            f"write it as {COMPONENTS_FORM} "
            f"(components: {known}; statuses: {statuses})",
        )
        return []
    pairs = YamlMap((m["id"], m["status"]) for m in COMPONENT_PAIR.finditer(listed))
    pairs.line, pairs.key_lines = line, {}
    return parse_components(pairs, line, path, config, problems, default=None, unknown=unknown)


def _refuse_stray_components_lines(
    lines: list[str], first_line: int, path: Path, problems: Problems
) -> None:
    """A `Components:` line further down a message would be published as text: refuse it."""
    in_fence = False
    for offset, text in enumerate(lines):
        if FENCE.match(text):
            in_fence = not in_fence
        elif not in_fence and COMPONENTS_LINE.match(text):
            problems.error(
                path,
                first_line + offset,
                "a `Components:` line must be the first line under its update's "
                "heading; move it up (or it would be shown as text)",
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
