"""An incident's updates from the parts of a cState issue's body.

A marker with a time becomes an update at that time; an opening marker takes `date:`,
a closing one the resolution time; undated markers stay, with their label, in the
update just before them in time. A stamp before `date:` is more likely a typo than
news: kept as text. The status of each update is what its markers say, or the last."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import NamedTuple

from statuspage.importers.cstate.context import Context, instant, markdown
from statuspage.importers.cstate.issue import Issue
from statuspage.importers.cstate.text import Kind, Part
from statuspage.model import IncidentStatus

RESOLVED_TEXT = "This incident has been resolved."


class Update(NamedTuple):
    """One update of the incident file."""

    status: IncidentStatus
    at: datetime
    message: str


class Text(NamedTuple):
    """A part's Markdown, and its place in the body (the order texts are joined in)."""

    order: int
    markdown: str


@dataclass
class Slot:
    """One update being assembled: its time, what markers said, and its texts in order."""

    at: datetime
    kinds: set[Kind] = field(default_factory=set)
    texts: list[Text] = field(default_factory=list)


class Placed(NamedTuple):
    """A dated part: its position (index) in the body and the time of the update it went to."""

    position: int
    at: datetime


class Placing(NamedTuple):
    """Where a part goes: its time (None: undated), the kind it counts as, and whether
    its label stays in the text (the update's heading cannot say what it says)."""

    at: datetime | None
    kind: Kind | None
    keep_label: bool


def incident_updates(issue: Issue, ctx: Context) -> list[Update]:
    """The updates of an incident from the parts of its body (rules in the module docstring)."""
    stamps = _stamps(issue, ctx)
    resolution = _resolution(issue, stamps, ctx)
    slots: dict[datetime, Slot] = {issue.start: Slot(issue.start, {Kind.OPEN})}
    if resolution is not None:
        slots.setdefault(resolution, Slot(resolution)).kinds.add(Kind.FINAL)
    placed: list[Placed] = []  # in body order
    undated: list[int] = []
    for i, part in enumerate(issue.parts):
        at, kind, keep_label = _placing(part, stamps.get(i), resolution, issue, ctx)
        if at is None:
            undated.append(i)
            continue
        slot = slots.setdefault(at, Slot(at))
        if kind is not None:
            slot.kinds.add(kind)
        slot.texts.append(Text(i, part.text(consumed=not keep_label)))
        placed.append(Placed(i, at))
    newest_first = _newest_first(placed)
    for i in undated:
        at = _time_before(i, placed, newest_first, issue.start)
        slots[at].texts.append(Text(i, issue.parts[i].text(consumed=False)))
    return _updates(slots, resolution, newest_first, issue, ctx)


def _stamps(issue: Issue, ctx: Context) -> dict[int, datetime | None]:
    """The time of each part that has one (None: unreadable), by index."""
    stamps: dict[int, datetime | None] = {}
    for i, part in enumerate(issue.parts):
        if part.stamp:
            stamps[i] = instant(
                part.stamp,
                issue.path,
                issue.part_line(part),
                f"the time in {part.label or 'a track shortcode'!r}",
                ctx,
            )
    return stamps


def _resolution(issue: Issue, stamps: dict[int, datetime | None], ctx: Context) -> datetime | None:
    """When the incident was resolved: the closing marker's time, else `resolvedWhen:`,
    else the last time the file gives; never before `date:`. None while ongoing."""
    resolved_when, report = issue.resolved_when, ctx.report
    if not issue.resolved:
        if resolved_when is not None:
            report.warn(
                "resolved",
                issue.path,
                issue.line("resolvedwhen"),
                f"`resolvedWhen:` {ctx.time(resolved_when)} but `resolved: false`: imported as "
                "ongoing, as cState showed it",
            )
        return None
    dated = [t for t in stamps.values() if t is not None]
    finals = sorted(
        t for i, t in stamps.items() if t is not None and issue.parts[i].kind is Kind.FINAL
    )
    if finals:
        resolution = finals[0]
        if resolved_when is not None and resolved_when != resolution:
            report.warn(
                "resolvedwhen-differs",
                issue.path,
                issue.line("resolvedwhen"),
                f"`resolvedWhen:` {ctx.time(resolved_when)} differs from the closing "
                f"update's time {ctx.time(resolution)}; resolved at the latter",
            )
    elif resolved_when is not None:
        resolution = resolved_when
    else:
        resolution = max([issue.start, *dated])
        report.warn(
            "no-resolvedwhen",
            issue.path,
            issue.line("resolved"),
            f"`resolved: true` without `resolvedWhen:`; resolved at {ctx.time(resolution)}, "
            "the last time the file gives",
        )
    if resolution < issue.start:
        return _after_start(resolution, dated, issue, ctx)
    return resolution


def _after_start(
    resolution: datetime, dated: list[datetime], issue: Issue, ctx: Context
) -> datetime:
    """A resolution before `date:` moved to the last dated update (or the start)."""
    start = issue.start
    fixed = max([start, *(t for t in dated if t > start)])
    said = "`resolvedWhen:`" if resolution == issue.resolved_when else "the closing update's time"
    ctx.report.warn(
        "resolved-before-date",
        issue.path,
        issue.line("resolvedwhen"),
        f"{said} {ctx.time(resolution)} is before `date:` {ctx.time(start)}; imported as "
        f"resolved at {ctx.time(fixed)}"
        + (
            " (its start: the real end is unknown)"
            if fixed == start
            else " (its last dated update)"
        ),
    )
    return fixed


def _placing(
    part: Part, at: datetime | None, resolution: datetime | None, issue: Issue, ctx: Context
) -> Placing:
    """Where *part* (dated *at*, if it says a time) goes among the updates."""
    start, report, line = issue.start, ctx.report, issue.part_line(part)
    kind, keep_label = part.kind, False
    if at is not None and at < start:
        # `date:` is the start cState showed; an earlier stamp is a typo more likely than news.
        report.warn(
            "update-before-date",
            issue.path,
            line,
            f"{part.label or 'an update'!r} is dated {ctx.time(at)}, before `date:` "
            f"{ctx.time(start)}; kept as text in the update before it",
        )
        at, keep_label = None, True
    if kind is Kind.FINAL and resolution is None:
        if at is not None:
            report.warn(
                "resolved",
                issue.path,
                line,
                f"{part.label!r} closes the issue at {ctx.time(at)} but `resolved:` is not true: "
                "imported as an update of an ongoing incident",
            )
        kind, keep_label = Kind.UPDATE, True
    if at is None and not keep_label:
        at = {None: start, Kind.OPEN: start, Kind.FINAL: resolution}.get(kind)
    elif kind is Kind.OPEN and at is not None and at != start:
        report.warn(
            "opening-differs",
            issue.path,
            line,
            f"{part.label!r} is dated {ctx.time(at)} but `date:` is {ctx.time(start)}; both "
            "times are kept",
        )
    return Placing(at, kind, keep_label)


def _newest_first(placed: list[Placed]) -> bool:
    """Whether the body runs newest first (as most cState issues do), by its dated parts."""
    steps = [b.at > a.at for a, b in pairwise(placed) if a.at != b.at]
    return sum(not s for s in steps) >= sum(steps)


def _time_before(index: int, placed: list[Placed], newest_first: bool, start: datetime) -> datetime:
    """The update an undated part joins: the one just before it in time, that is the next
    dated part down a newest-first body, the previous one in a chronological body."""
    before = [p for p in placed if p.position < index]
    after = [p for p in placed if p.position > index]
    if newest_first:
        target = after[0] if after else before[-1] if before else None
    else:
        target = before[-1] if before else after[0] if after else None
    return start if target is None else target.at


def _updates(
    slots: dict[datetime, Slot],
    resolution: datetime | None,
    newest_first: bool,
    issue: Issue,
    ctx: Context,
) -> list[Update]:
    """The assembled slots as updates, in time order, each with its status."""
    updates: list[Update] = []
    current = IncidentStatus.INVESTIGATING
    for at in sorted(slots):
        slot = slots[at]
        current = _status(slot, resolution, current, issue, ctx)
        order = sorted(slot.texts, key=lambda t: t.order, reverse=newest_first)
        message = markdown("\n\n".join(t.markdown for t in order if t.markdown), issue.path, ctx)
        if not message and current is IncidentStatus.RESOLVED and at == resolution:
            message = RESOLVED_TEXT
        elif not message and resolution is not None and at > resolution:
            # A follow-up says something or is not one: cState showed nothing there.
            ctx.report.warn(
                "empty-follow-up",
                issue.path,
                0,
                f"a dated marker at {ctx.time(at)} after the resolution has no text; left out",
            )
            continue
        updates.append(Update(current, at, message))
    return updates


def _status(
    slot: Slot,
    resolution: datetime | None,
    current: IncidentStatus,
    issue: Issue,
    ctx: Context,
) -> IncidentStatus:
    """What the update at *slot* says: resolved from the resolution on, else what its
    markers say, else the status before it (*current*)."""
    if resolution is None or slot.at < resolution:
        if Kind.MONITORING in slot.kinds:
            return IncidentStatus.MONITORING
        if Kind.IDENTIFIED in slot.kinds:
            return IncidentStatus.IDENTIFIED
        return current
    later = slot.kinds & {Kind.IDENTIFIED, Kind.MONITORING} if slot.at > resolution else set()
    if later:
        ctx.report.warn(
            "after-resolution",
            issue.path,
            0,
            f"an update marked {sorted(k.value for k in later)[0]!r} at {ctx.time(slot.at)} "
            f"comes after the resolution at {ctx.time(resolution)}; imported as a follow-up of "
            "the resolved incident",
        )
    return IncidentStatus.RESOLVED
