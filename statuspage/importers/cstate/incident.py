"""A cState issue -> the text of an incident file: an incident, or a maintenance window.

An issue dated after the import's *now* with a `resolvedWhen:` after its date is a
maintenance notice: a window from `date:` to `resolvedWhen:`, announced now. A past,
resolved issue that is clearly planned work is a completed window, so that it counts
as no outage. Everything else is an incident, its updates cut from the body."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from statuspage.importers.cstate.context import Context, instant, markdown
from statuspage.importers.cstate.issue import Issue, read_issue
from statuspage.importers.cstate.text import Kind
from statuspage.importers.cstate.updates import Update, incident_updates
from statuspage.model import IncidentStatus
from statuspage.source.incident_file import INCIDENTS_DIR
from statuspage.source.incident_text import incident_text, update_block
from statuspage.source.names import slugify

# Words that mark an issue as planned work: in the title, or as a phrase in the text
# (the text alone says "maintenance" of incidents too: "CloudFlare's maintenance broke ...").
PLANNED_TITLE = re.compile(r"\b(maintenance|scheduled|planned)\b", re.IGNORECASE)
PLANNED_TEXT = re.compile(
    r"\b(maintenance window|(?:scheduled|planned) "
    r"(?:maintenance|downtime|outage|brownout|migration|upgrade|operation|work))\b",
    re.IGNORECASE,
)


class Converted(NamedTuple):
    """The incident file an issue became."""

    name: str  # the incident id, which names the file
    text: str
    maintenance: bool


class Window(NamedTuple):
    """A maintenance window: its end, and why past work reads as planned (None: upcoming)."""

    end: datetime
    planned: str | None


class Made(NamedTuple):
    """An incident file's front matter and its updates, before they are written out."""

    front: dict[str, Any]
    updates: list[Update]


def convert_issue(path: Path, ctx: Context) -> Converted | None:
    """The incident file for the cState issue in *path*, or None if it is not imported."""
    issue = read_issue(path, ctx)
    if issue is None:
        return None
    window = _window(issue, ctx)
    if window is not None:
        made = _maintenance(issue, window, ctx)
        first = issue.start
    else:
        made = _incident(issue, ctx)
        first = min(u.at for u in made.updates)
    name = _incident_id(path, first.astimezone(ctx.zone).date(), issue.title, ctx)
    blocks = [
        update_block(u.status, u.at, u.message, ctx.zone)
        for u in sorted(made.updates, key=lambda u: u.at, reverse=True)
    ]
    return Converted(name, incident_text(made.front, blocks), window is not None)


def _window(issue: Issue, ctx: Context) -> Window | None:
    """The maintenance window *issue* is, or None if it is an incident."""
    if issue.informational:
        return None
    end = issue.resolved_when
    if end is None or end <= issue.start:
        return None
    if issue.start > ctx.now:
        return Window(end, None)
    # Past planned work (cState has no maintenance of its own, so teams filed it as an
    # issue) is a completed window: as an incident it would count as an outage.
    planned = _planned_work(issue.title, issue.page.body) if issue.resolved else None
    return Window(end, planned) if planned else None


def _planned_work(title: str, body: str) -> str | None:
    """Why an issue reads as planned work ("the title says 'maintenance'"), or None."""
    if said := PLANNED_TITLE.search(title):
        return f"the title says {said[0]!r}"
    if said := PLANNED_TEXT.search(body):
        return f"the text says {said[0]!r}"
    return None


def _maintenance(issue: Issue, window: Window, ctx: Context) -> Made:
    """A window from `date:` to its end: scheduled when announced, completed at its end if
    the issue has closing messages ([Final message], *Resolved*), which wait for it."""
    announced = _announced(issue, ctx)
    _note_window(issue, window, ctx)
    message = markdown(
        "\n\n".join(
            p.text(consumed=p.kind in (None, Kind.OPEN))
            for p in issue.parts
            if p.kind is not Kind.FINAL
        ),
        issue.path,
        ctx,
    )
    closing = markdown(
        "\n\n".join(p.text(consumed=True) for p in issue.parts if p.kind is Kind.FINAL),
        issue.path,
        ctx,
    )
    updates = [
        Update(IncidentStatus.SCHEDULED, announced, message or "This maintenance is scheduled.")
    ]
    if closing:
        updates.append(Update(IncidentStatus.COMPLETED, window.end, closing))
    front: dict[str, Any] = {
        "title": issue.title,
        "maintenance": {"start": ctx.time(issue.start), "end": ctx.time(window.end)},
    }
    if issue.components:
        front["components"] = list(issue.components)
    return Made(front, updates)


def _announced(issue: Issue, ctx: Context) -> datetime:
    """When the window was announced: now for an upcoming one (unless `publishDate:` is
    earlier than its start), its start for past work."""
    upcoming = issue.start > ctx.now
    announced = ctx.now.replace(second=0, microsecond=0) if upcoming else issue.start
    front = issue.page.front
    if front.get("publishdate"):
        published = instant(
            front["publishdate"], issue.path, issue.line("publishdate"), "`publishDate:`", ctx
        )
        announced = published if published and published < issue.start else announced
    return announced


def _note_window(issue: Issue, window: Window, ctx: Context) -> None:
    """Warn that the issue became a maintenance window, and why."""
    becomes = f"; severity {issue.severity!r} becomes under_maintenance" if issue.components else ""
    begins, ends = ctx.time(issue.start), ctx.time(window.end)
    if window.planned is None:
        ctx.report.warn(
            "maintenance",
            issue.path,
            issue.line("date"),
            f"dated after the import ({begins}): "
            f"imported as maintenance scheduled until {ends}{becomes}",
        )
    else:
        ctx.report.warn(
            "past-maintenance",
            issue.path,
            issue.line("title"),
            f"{window.planned}: imported as a completed maintenance window "
            f"from {begins} to {ends}, not as an incident{becomes}",
        )


def _incident(issue: Issue, ctx: Context) -> Made:
    """An incident: its updates cut from the body (one, resolved, if informational)."""
    if issue.start > ctx.now:
        ctx.report.warn(
            "future",
            issue.path,
            issue.line("date"),
            f"dated after the import ({ctx.time(issue.start)}) without a later "
            "`resolvedWhen:` to end a maintenance window: imported as an incident, shown "
            "from that time",
        )
    if issue.informational:
        text = "\n\n".join(p.text(consumed=False) for p in issue.parts)
        message = markdown(text, issue.path, ctx)
        updates = [Update(IncidentStatus.RESOLVED, issue.start, message or issue.title)]
    else:
        # An update with no text (`date:` earlier than the first message's time) is
        # refused by `check`; cState showed the title then, so that is its message.
        updates = [
            u._replace(message=u.message or issue.title) for u in incident_updates(issue, ctx)
        ]
    front: dict[str, Any] = {"title": issue.title, "impact": issue.impact.word}
    if issue.components:
        front["components"] = dict.fromkeys(issue.components, issue.status.word)
    return Made(front, updates)


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
