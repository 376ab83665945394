"""Writing incident files: their text, a new update inserted into one, the file itself.

The reading half is incident_file.py; every text made here is parsed back by it
before it is written, so nothing writes a file that `check` would refuse.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path

import yaml

from statuspage.errors import Problem, Problems, UsageError
from statuspage.files import write_atomic
from statuspage.model import PUBLIC, ComponentStatus, Config, Incident, IncidentStatus
from statuspage.source.incident_file import parse_incident, split_front_matter
from statuspage.source.site_folder import SiteFolder
from statuspage.source.times import format_timestamp
from statuspage.source.yamlfile import YamlList, YamlMap


def update_block(
    status: IncidentStatus,
    at: datetime,
    message: str,
    zone: tzinfo,
    changes: Sequence[tuple[str, ComponentStatus]] = (),
    audience: str = PUBLIC,
) -> str:
    """One update as its `## Status · time` heading, `Audience:` and `Components:` lines and
    message."""
    word = status.word.replace("_", " ").capitalize()
    lines = [f"## {word} · {format_timestamp(at, zone)}"]
    if audience != PUBLIC:
        lines.append(f"Audience: {audience}")
    if changes:
        lines.append("Components: " + ", ".join(f"{cid}={s.word}" for cid, s in changes))
    lines.append("")
    if message.strip():
        lines += [message.strip(), ""]
    return "\n".join(lines) + "\n"


def incident_text(front: Mapping[str, object], blocks: Iterable[str]) -> str:
    """A whole incident file: YAML front matter (keys in the order given), then the updates."""
    head = yaml.safe_dump(dict(front), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}---\n\n" + "".join(blocks)


def free_name(folder: Path, day: date, slug: str, taken: Container[Path] = ()) -> Path:
    """`folder/DAY-SLUG.md`, or with -2, -3... when that file exists (or is in *taken*:
    planned, not written yet)."""
    path = folder / f"{day.isoformat()}-{slug}.md"
    n = 2
    while path.exists() or path in taken:
        path = folder / f"{day.isoformat()}-{slug}-{n}.md"
        n += 1
    return path


def with_update(data: bytes, block: str, path: Path, problems: Problems) -> bytes | None:
    """*data* (an incident file) with *block* on top of its updates; None if it cannot be split.

    Every byte of *data* is kept, its BOM and line endings too (CRLF files from
    Windows stay CRLF)."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    raw = data.decode("utf-8-sig")
    line = update_line(raw, path, problems)
    if line is None:
        return None
    return bom + _insert_before_line(raw, line, block).encode()


def update_line(raw: str, path: Path, problems: Problems) -> int | None:
    """The line of *raw* (an incident file's text) a new update goes above; None if the
    file cannot be split."""
    source = split_front_matter(normalised(raw), path, problems)
    if source is None:
        return None
    return source.body_line + _leading_blank_lines(source.body)


def with_alert_keys(
    data: bytes, keys: Sequence[str], path: Path, problems: Problems
) -> bytes | None:
    """*data* (an incident file) with its front matter's `alerts:` list set to *keys*, which
    extend the keys it holds; None if its front matter cannot be read."""
    source = split_front_matter(normalised(data.decode("utf-8-sig")), path, problems)
    if source is None or not isinstance(source.front, YamlMap):
        return None
    held = source.front.get("alerts")
    held = list(held) if isinstance(held, list) else []
    return with_list_items(data, "alerts", [k for k in keys if k not in held], path, problems)


def with_list_items(
    data: bytes, key: str, items: Sequence[object], path: Path, problems: Problems
) -> bytes | None:
    """*data* (an incident file) with *items* appended to its front matter's *key* list (the
    key is added before the closing `---` when absent); None if its front matter cannot
    be read.

    Every other byte is kept: comments between and after the items, the BOM and line
    endings too. A list written in flow style (`alerts: [a, b]`) is rewritten as a block
    list, its comments kept."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    raw = data.decode("utf-8-sig")
    text = normalised(raw)
    source = split_front_matter(text, path, problems)
    if source is None or not isinstance(source.front, YamlMap):
        return None
    closing = source.body_line - 1  # the line of the closing `---`
    front = source.front
    if not items:
        return data
    if key not in front:
        block = _dump({key: list(items)})
        return bom + _replace_lines(raw, closing, closing, block).encode()
    lines = text.split("\n")
    start = front.line_of(key)
    value = front[key]
    if isinstance(value, YamlList) and value and _is_block_list(lines, value, start):
        last = value.item_lines[-1]
        dash = lines[value.item_lines[0] - 1]
        indent = len(dash) - len(dash.lstrip())
        end = _item_end(lines, last, indent, closing)
        block = "".join(" " * indent + line + "\n" for line in _dump(list(items)).splitlines())
        return bom + _replace_lines(raw, end, end, block).encode()
    # Flow style or empty: the value's lines become a block list; comments stay.
    end = min([line for line in front.key_lines.values() if line > start] + [closing])
    while end - 1 > start and (
        not lines[end - 2].strip() or lines[end - 2].lstrip().startswith("#")
    ):
        end -= 1  # blank lines and comments above the next key stay with it
    held = list(value) if isinstance(value, list) else []
    comment = _trailing_comment(lines[start - 1])
    kept = [_comment_line(line) for line in lines[start : end - 1] if _trailing_comment(line)]
    body = _dump(held + list(items)).splitlines(keepends=True)
    block = f"{key}:{'  ' + comment if comment else ''}\n" + "".join(kept) + "".join(body)
    return bom + _replace_lines(raw, start, end, block).encode()


def _dump(value: object) -> str:
    # Never folded: a folded line of a long text could read as the closing `---`.
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=2**31)


def _is_block_list(lines: list[str], value: YamlList, key_line: int) -> bool:
    """Whether *value* is written as `- item` lines below its key."""
    first = value.item_lines[0]
    return first > key_line and all(lines[n - 1].lstrip().startswith("-") for n in value.item_lines)


def _item_end(lines: list[str], last: int, indent: int, closing: int) -> int:
    """The line after the last item (from its line *last*, 1-based) of a block list whose
    dashes are at *indent*: its continuation lines are indented deeper. Comments and
    blank lines after it stay where they are."""
    end = last + 1
    n = last + 1
    while n < closing:
        line = lines[n - 1]
        if line.strip() and not line.lstrip().startswith("#"):
            if len(line) - len(line.lstrip()) <= indent:
                break
            end = n + 1
        n += 1
    return end


def _comment_line(line: str) -> str:
    """The comment of *line* (a whole-line one, or one after a value) as a line of its own."""
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}{_trailing_comment(line)}\n"


def _trailing_comment(line: str) -> str:
    """The `# comment` that ends *line*, outside quotes; '' when there is none."""
    quote = ""
    for n, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (n == 0 or line[n - 1] in " \t"):
            return line[n:].rstrip()
    return ""


def normalised(raw: str) -> str:
    """*raw* with newlines as the parser reads them (decode_text does the same)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _leading_blank_lines(body: str) -> int:
    lines = body.split("\n")
    return next((i for i, line in enumerate(lines) if line.strip()), len(lines))


def _replace_lines(raw: str, first: int, end: int, block: str) -> str:
    """*raw* with its lines *first* to *end* - 1 (1-based) replaced by *block*, in the file's
    line endings."""
    pieces = re.split(r"(\r\n|\r|\n)", raw)
    newline = _newline(pieces)
    start = sum(len(p) for p in pieces[: 2 * (first - 1)])
    stop = sum(len(p) for p in pieces[: 2 * (end - 1)])
    return raw[:start] + normalised(block).replace("\n", newline) + raw[stop:]


def _newline(pieces: list[str]) -> str:
    """The file's most common line ending (*pieces* as `re.split` with the endings kept)."""
    endings = pieces[1::2]
    return max(("\r\n", "\r", "\n"), key=endings.count) if endings else "\n"


def _insert_before_line(raw: str, line: int, block: str) -> str:
    """*raw* with *block* inserted before its line *line* (1-based), in the file's line endings."""
    pieces = re.split(r"(\r\n|\r|\n)", raw)  # text, ending, text, ending, ..., text
    if sum(len(p) for p in pieces[: 2 * (line - 1)]) >= len(raw):
        # The file ends there: start the block on a line of its own.
        newline = _newline(pieces)
        lead = "" if raw.endswith(("\n", "\r")) else newline
        return raw + lead + newline + normalised(block).replace("\n", newline)
    return _replace_lines(raw, line, line, block)  # an empty range: an insertion


def refuse_invalid(
    path: Path, text: str, day: date, config: Config, *, inserted: tuple[int, int] | None = None
) -> Incident:
    """The incident *text* holds; UsageError with every problem if it is not a valid
    incident file at *path*.

    *inserted* (first line, count) are the lines *text* adds to the file on disk: problems
    are then told with the lines of the file on disk, the one the user can open."""
    problems = Problems(path.parent.parent)
    incident = parse_incident(path, text, day, config, problems)
    if incident is None:
        if inserted is None:
            shown = problems.errors
            head = "refusing to write an invalid file:"
        else:
            shown = [_on_disk(p, *inserted) for p in problems.errors]
            head = "refusing to write an invalid file (lines as in the file on disk):"
        raise UsageError(head, shown)
    return incident


def _on_disk(problem: Problem, first: int, count: int) -> Problem:
    """*problem* (found in a text with *count* lines added at *first*) as the file on disk
    has it: later lines moved up, and the added lines named "the new update"."""

    def new(line: int) -> bool:
        return first <= line < first + count

    def disk(line: int) -> int:
        return line - count if line >= first + count else line

    message = re.sub(
        r"\(line (\d+)\)",
        lambda m: "(the new update)" if new(int(m[1])) else f"(line {disk(int(m[1]))})",
        problem.message,
    )
    if new(problem.line):
        where = f"the new update (to go above line {first})"
        return Problem(problem.path, first, f"{where}: {message}", problem.severity)
    return Problem(problem.path, disk(problem.line), message, problem.severity)


def write_file(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write *data* to *path* atomically; with *exclusive*, refuse to replace a file; never
    through a link that leaves the site (an incident file or its postmortem is always
    ROOT/incidents/NAME)."""
    SiteFolder(path.parent.parent).writable(path)
    if exclusive and path.exists():
        raise UsageError(f"{path} already exists")
    write_atomic(path, data)
