"""An incident file's body: its `## Status · time` updates, each with an optional
`Components:` line of status changes first and then its message."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from statuspage.errors import Problems
from statuspage.model import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    PUBLIC,
    ComponentStatus,
    Config,
    IncidentStatus,
    Update,
)
from statuspage.source.audiences import check_mark, trust_order
from statuspage.source.incident_components import parse_components
from statuspage.source.names import listing, shorten, suggest
from statuspage.source.times import TimeError, parse_timestamp
from statuspage.source.yamlfile import YamlMap

# A limit far above real use (the largest of 297 real incidents has a handful of
# updates) that keeps the work and output of one file bounded.
MAX_UPDATES = 200
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
# `Audience: internal` beside it: only that audience (and wider ones) see the update. A
# line of that form anywhere else is refused: published as text, it would show the update.
AUDIENCE_LINE = re.compile(r"^ {0,3}audience\s*:\s*(?P<name>\S+)\s*$", re.IGNORECASE)
FENCE = re.compile(r"^\s{0,3}(```|~~~)")


class Heading(NamedTuple):
    """An update heading's two halves, as written."""

    status: str
    time: str


class Block(NamedTuple):
    """The lines from one `##` heading to the next: the heading's line number, the heading
    read (None: unreadable), the heading as written ("": stray text) and the lines below."""

    line: int
    heading: Heading | None
    raw: str
    lines: list[str]


def split_update_heading(line: str) -> Heading | None:
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
    return Heading(status, at)


def parse_updates(
    body: str,
    body_line: int,
    path: Path,
    config: Config,
    is_maintenance: bool,
    problems: Problems,
    unknown: list[int],
) -> list[Update]:
    """The updates of *body* (which starts at *body_line*), oldest first; the lines of
    unknown component ids go into *unknown*."""
    blocks = _blocks(body, body_line, path, problems)
    allowed = MAINTENANCE_STATUSES if is_maintenance else INCIDENT_STATUSES
    updates: list[Update] = []
    seen: dict[datetime, int] = {}  # the line of each update's time
    for block in blocks:
        read = _status_and_time(block, allowed, is_maintenance, seen, path, config, problems)
        if read is None:
            continue
        status, at = read
        seen[at] = block.line
        parts = _fields_and_message(block, path, config, problems, unknown)
        changes, audience, message = parts
        updates.append(Update(status, at, message, tuple(changes), block.line, audience=audience))
    updates.sort(key=lambda u: (u.at, -u.line))
    return updates


def _blocks(body: str, body_line: int, path: Path, problems: Problems) -> list[Block]:
    """*body* cut at each `##` heading outside code fences; none past MAX_UPDATES."""
    blocks: list[Block] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        number = body_line + offset
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("##") and not line.startswith("###"):
            if len(blocks) == MAX_UPDATES:
                message = f"more than {MAX_UPDATES} updates in one incident; "
                message += "split it into several files"
                problems.error(path, number, message)
                return []
            blocks.append(Block(number, split_update_heading(line), line, []))
        elif blocks:
            blocks[-1].lines.append(line)
        elif line.strip():
            problems.error(
                path,
                number,
                "text before the first update: put it under a heading like `## Investigating · "
                "2026-11-20 14:02`",
            )
            blocks.append(Block(number, None, "", []))  # swallow the rest of this stray text
    return blocks


def _status_and_time(
    block: Block,
    allowed: Sequence[IncidentStatus],
    is_maintenance: bool,
    seen: dict[datetime, int],
    path: Path,
    config: Config,
    problems: Problems,
) -> tuple[IncidentStatus, datetime] | None:
    """The status and time *block*'s heading gives, or None after recording why not."""
    number, heading = block.line, block.heading
    if heading is None:
        if block.raw:
            problems.error(
                path,
                number,
                f"cannot read update heading {shorten(block.raw.strip())!r}: "
                "write `## <Status> · <timestamp>`, e.g. `## Identified · 2026-11-20 14:30`",
            )
        return None
    word = heading.status
    status = IncidentStatus.parse(word)
    if status is None or status not in allowed:
        allowed_words = [s.word for s in allowed]
        kind = "maintenance" if is_maintenance else "incident"
        hint = suggest(shorten(word).lower(), allowed_words)
        expected = ", ".join(allowed_words)
        message = f"unknown {kind} status {shorten(word)!r}{hint} (expected: {expected})"
        problems.error(path, number, message)
        return None
    try:
        at = parse_timestamp(heading.time, config.timezone)
    except TimeError as e:
        problems.error(path, number, str(e))
        return None
    if at in seen:
        problems.error(
            path,
            number,
            f"another update (line {seen[at]}) has the same time; give each update its own time",
        )
        return None
    return IncidentStatus(status), at


class Parts(NamedTuple):
    """What an update's block holds below its heading."""

    changes: list[tuple[str, ComponentStatus]]
    audience: str
    message: str


def _fields_and_message(
    block: Block, path: Path, config: Config, problems: Problems, unknown: list[int]
) -> Parts:
    """The `Components:` and `Audience:` lines that may open *block* (either first, each
    once), and its message."""
    assert block.heading is not None
    lines, body_line = block.lines, block.line + 1
    changes: list[tuple[str, ComponentStatus]] = []
    audience, read = PUBLIC, set[str]()
    while (first := next((i for i, text in enumerate(lines) if text.strip()), None)) is not None:
        text, number = lines[first], body_line + first
        if COMPONENTS_LINE.match(text) and "components" not in read:
            changes = _component_changes(text, number, path, config, problems, unknown)
            read.add("components")
        elif (mark := AUDIENCE_LINE.match(text)) and "audience" not in read:
            audience = check_mark(mark["name"], trust_order(config), path, number, problems)
            read.add("audience")
        else:
            break
        lines, body_line = lines[first + 1 :], number + 1
    _refuse_stray_field_lines(lines, body_line, path, problems)
    message = "\n".join(lines).strip()
    if not message:
        problems.error(
            path,
            block.line,
            f"update {shorten(block.heading.status.strip())!r} has no message: "
            "write what is happening on the lines below its heading",
        )
    return Parts(changes, audience, message)


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


def _refuse_stray_field_lines(
    lines: list[str], first_line: int, path: Path, problems: Problems
) -> None:
    """A `Components:` or `Audience:` line further down a message would be published as
    text: refuse it."""
    in_fence = False
    for offset, text in enumerate(lines):
        if FENCE.match(text):
            in_fence = not in_fence
        elif not in_fence and (found := COMPONENTS_LINE.match(text) or AUDIENCE_LINE.match(text)):
            field = "Components" if found.re is COMPONENTS_LINE else "Audience"
            problems.error(
                path,
                first_line + offset,
                f"a `{field}:` line must be the first line under its update's heading "
                "(or right after the other of `Audience:` and `Components:`); move it up "
                "(or it would be shown as text)",
            )
