"""One cState issue file read: its front matter checked field by field into an `Issue`.

Hugo keys are case-insensitive, so keys are read lower-cased. Dates without an offset
are wall-clock times in the import's zone; what cannot be read exactly is read as
cState showed it and warned about, naming the file and line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from statuspage.importers.cstate.catalog import affected
from statuspage.importers.cstate.context import Context, instant
from statuspage.importers.cstate.report import Report, line_of
from statuspage.importers.cstate.text import Part, split_parts
from statuspage.model import ComponentStatus, Impact
from statuspage.source.names import suggest
from statuspage.source.times import localize
from statuspage.source.yamlfile import YamlError, YamlMap, parse_yaml

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


class Page(NamedTuple):
    """A Hugo page: front matter with lower-case keys, the body, the body's first line."""

    front: YamlMap
    body: str
    body_line: int


@dataclass(frozen=True)
class Issue:
    """A cState issue as read: every field checked, with what it means here."""

    path: Path
    page: Page
    title: str
    start: datetime
    severity: Any  # as written, for messages
    status: ComponentStatus
    impact: Impact
    informational: bool
    components: tuple[str, ...]
    resolved: bool
    resolved_when: datetime | None
    parts: tuple[Part, ...]

    def line(self, key: str) -> int:
        """The line of front matter *key* (the front matter's first line if absent)."""
        return self.page.front.line_of(key)

    def part_line(self, part: Part) -> int:
        """The line in the file of *part*'s marker."""
        return self.page.body_line + part.line - 1 if part.line else self.page.body_line


def read_issue(path: Path, ctx: Context) -> Issue | None:
    """The issue in *path*, or None if it is not imported (a warning or an error says why)."""
    report = ctx.report
    page = _read_page(path, report)
    if page is None or _skipped(page, path, report):
        return None
    _note_unmapped(page, path, report)
    title = _title(page, path, report)
    start = _start(page, path, ctx)
    if start is None:
        return None
    informational = bool(page.front.get("informational"))
    status, impact = _severity(page, informational, path, report)
    components = affected(page.front, path, ctx.catalog, report)
    resolved = _resolved(page, informational, path, report)
    when = page.front.get("resolvedwhen")
    line = page.front.line_of("resolvedwhen")
    resolved_when = instant(when, path, line, "`resolvedWhen:`", ctx) if when else None
    return Issue(
        path=path,
        page=page,
        title=title,
        start=start,
        severity=page.front.get("severity"),
        status=status,
        impact=impact,
        informational=informational,
        components=tuple(components),
        resolved=resolved,
        resolved_when=resolved_when,
        parts=tuple(split_parts(page.body)),
    )


def _read_page(path: Path, report: Report) -> Page | None:
    """The file as a Hugo page, or None (Hugo's section page is skipped with a warning)."""
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError) as e:
        report.error(path, 0, f"cannot read the file as UTF-8 text: {e}")
        return None
    if path.name == "_index.md":
        report.warn("skipped", path, 0, "Hugo's section page, not an issue; not imported")
        return None
    return _front_matter(text, path, report)


def _front_matter(text: str, path: Path, report: Report) -> Page | None:
    """The page of *text*: YAML (`---`) or TOML (`+++`) front matter, then the body."""
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
    lowered = YamlMap((str(k).lower(), v) for k, v in front.items())
    lowered.line = 2
    lowered.key_lines = {str(k).lower(): line_of(front, k) or 2 for k in front}
    return Page(lowered, "\n".join(lines[end + 1 :]), end + 2)


def _skipped(page: Page, path: Path, report: Report) -> bool:
    """Whether the issue is a draft, which cState never published."""
    if page.front.get("draft") is not True:
        return False
    report.warn(
        "skipped",
        path,
        page.front.line_of("draft"),
        "a draft (`draft: true`), never published by cState; not imported",
    )
    return True


def _note_unmapped(page: Page, path: Path, report: Report) -> None:
    """Warn of another section than `issue`, and of front matter with no counterpart."""
    front = page.front
    if front.get("section", "issue") != "issue":
        report.warn(
            "section",
            path,
            front.line_of("section"),
            f"`section: {front.get('section')}`: cState did not list it as an issue; imported "
            "anyway",
        )
    unmapped = sorted(k for k in front if k not in HANDLED_KEYS)
    if unmapped:
        report.warn(
            "unmapped-key",
            path,
            front.line_of(unmapped[0]),
            f"front matter not imported (no counterpart): {', '.join(unmapped)}",
        )


def _title(page: Page, path: Path, report: Report) -> str:
    title = page.front.get("title")
    if not isinstance(title, str) or not title.strip():
        title = path.stem
        report.warn(
            "no-title",
            path,
            page.front.line_of("title"),
            f"no `title:`; titled {title!r} after the file",
        )
    return " ".join(str(title).split())


def _start(page: Page, path: Path, ctx: Context) -> datetime | None:
    """`date:`, or the day of the file name at 00:00; None (an error) if neither is there."""
    front = page.front
    line = front.line_of("date") if "date" in front else 2
    if front.get("date"):
        start = instant(front["date"], path, front.line_of("date"), "`date:`", ctx)
        if start is not None:
            return start
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", path.name)
    if m is None:
        ctx.report.error(
            path,
            line,
            "no usable `date:` and no date in the file name: add `date: YYYY-MM-DD HH:MM`",
        )
        return None
    ctx.report.warn(
        "no-date", path, line, f"no usable `date:`; dated {m[1]} 00:00 from the file name"
    )
    return localize(datetime.fromisoformat(m[1]), ctx.zone)


def _severity(
    page: Page, informational: bool, path: Path, report: Report
) -> tuple[ComponentStatus, Impact]:
    """What the issue's components are said to be, and its impact."""
    if informational:
        return ComponentStatus.OPERATIONAL, Impact.NONE
    severity = page.front.get("severity")
    if severity is not None and (known := SEVERITIES.get(str(severity).strip().lower())):
        return known
    said = (
        f"unknown severity {severity!r}{suggest(str(severity), list(SEVERITIES))}"
        if severity is not None
        else "no `severity:`"
    )
    report.warn(
        "severity",
        path,
        page.front.line_of("severity") if "severity" in page.front else 2,
        f"{said}; imported as notice (degraded_performance, impact minor)",
    )
    return SEVERITIES["notice"]


def _resolved(page: Page, informational: bool, path: Path, report: Report) -> bool:
    """`resolved:` (an informational issue is resolved unless it says otherwise)."""
    resolved = page.front.get("resolved", informational)
    if not isinstance(resolved, bool):
        report.warn(
            "resolved",
            path,
            page.front.line_of("resolved"),
            f"`resolved: {resolved!r}` is not true or false; read as {bool(resolved)}",
        )
        resolved = bool(resolved)
    return resolved
