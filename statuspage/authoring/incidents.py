"""`new`, `update`, `resolve`: write incident files the way a careful human would.

New updates go on top of the body (newest first, as pages show them); the rest
of the file is never rewritten. Every change is validated before it is written,
and written atomically, so a refused command leaves the file untouched.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from statuspage.errors import Problems, UsageError
from statuspage.model import (
    PUBLIC,
    ComponentStatus,
    Config,
    Impact,
    Incident,
    IncidentStatus,
    Urgency,
    Window,
)
from statuspage.source.incident_file import (
    FILE_NAME,
    INCIDENTS_DIR,
    component_id,
    incident_files,
    parse_incident,
)
from statuspage.source.incident_text import (
    free_name,
    incident_text,
    normalised,
    refuse_invalid,
    update_block,
    update_line,
    with_update,
    write_file,
)
from statuspage.source.names import listing, slugify, suggest
from statuspage.source.times import format_timestamp


# NamedTuples, not frozen dataclasses, for the records every start of `alert` and `new`
# defines: a fifth of the cost to define (as model.py's records of `notify:` and `alerts:`).
class Change(NamedTuple):
    """A component status change given on the command line as `id=status`."""

    component: str
    status: ComponentStatus


def parse_component_options(
    values: tuple[str, ...], config: Config, *, default: ComponentStatus | None = None
) -> list[Change]:
    """`--component ID=STATUS` options as changes; UsageError for an unknown id or status."""
    changes = []
    for value in values:
        typed, sep, word = value.partition("=")
        typed = typed.strip()
        cid = component_id(typed, config.component_ids)
        if cid is None:
            known = listing(config.component_ids, empty="none; add them to statuspage.yaml")
            hint = suggest(typed, config.component_ids)
            raise UsageError(f"unknown component {typed!r}{hint} (known: {known})")
        if not sep:
            if default is None:
                raise UsageError(
                    f"--component {value}: write it as ID=STATUS, e.g. {cid}=partial_outage"
                )
            changes.append(Change(cid, default))
            continue
        status = ComponentStatus.parse(word)
        if status is None:
            raise UsageError(
                f"unknown component status {word!r}{suggest(word, ComponentStatus.words())} "
                f"(expected: {', '.join(ComponentStatus.words())})"
            )
        changes.append(Change(cid, ComponentStatus(status)))
    return changes


EMPTY_MESSAGE = (
    "the update has no message: say what is happening with -m TEXT "
    "(or -m - to read it from standard input)"
)


def find_incident(root: Path, ref: str) -> Path:
    """An incident file from its id, its path, or an unambiguous part of its slug."""
    as_path = Path(ref)
    if as_path.suffix == ".md" and as_path.is_file():
        return as_path
    if (root / as_path).is_file() and as_path.suffix == ".md":
        return root / as_path
    files = incident_files(root)
    ref_id = as_path.name.removesuffix(".md")
    exact = [p for p in files if p.stem == ref_id]
    if exact:
        return exact[0]
    matches = [p for p in files if ref_id.lower() in p.stem.lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UsageError(f"no incident matches {ref!r} in {root / INCIDENTS_DIR}")
    listed = ", ".join(p.stem for p in matches[:6])
    raise UsageError(f"{ref!r} matches several incidents ({listed}); give the full id")


class Triage(NamedTuple):
    """What a new incident's front matter may say beyond its title and impact."""

    urgency: Urgency | None = None  # None: not written (the format's default, medium)
    detected: datetime | None = None
    alerts: tuple[str, ...] = ()
    audience: str = PUBLIC  # `audience:`, written when not public


NO_TRIAGE = Triage()  # immutable: one shared default is safe


def new_incident_text(
    config: Config,
    title: str,
    at: datetime,
    status: IncidentStatus,
    message: str,
    changes: list[Change],
    impact: Impact | None,
    window: Window | None,
    *,
    triage: Triage = NO_TRIAGE,
) -> str:
    """The text of a new incident (or, with *window*, maintenance) file."""
    front: dict[str, object] = {"title": title}
    if impact is not None:
        front["impact"] = impact.word
    if triage.urgency is not None:
        front["urgency"] = triage.urgency.word
    if triage.detected is not None:
        front["detected"] = format_timestamp(triage.detected, config.timezone)
    if window is not None:
        zone = config.timezone
        front["maintenance"] = {
            "start": format_timestamp(window.start, zone),
            "end": format_timestamp(window.end, zone),
        }
    if changes:
        front["components"] = {c.component: c.status.word for c in changes}
    if triage.alerts:
        front["alerts"] = list(triage.alerts)
    if triage.audience != PUBLIC:
        front["audience"] = triage.audience
    return incident_text(front, [update_block(status, at, message, config.timezone)])


def create_incident(
    root: Path,
    config: Config,
    title: str,
    *,
    at: datetime,
    status: IncidentStatus | None,
    message: str,
    changes: list[Change],
    impact: Impact | None,
    window: Window | None = None,
    triage: Triage = NO_TRIAGE,
) -> Path:
    """Write a new incident (or maintenance, with *window*) file and return its path."""
    if not title.strip():
        raise UsageError("the title must not be empty")
    if status is None:
        status = IncidentStatus.SCHEDULED if window else IncidentStatus.INVESTIGATING
    if window is not None and not status.for_maintenance:
        raise UsageError(
            "a maintenance's status is one of: scheduled, in_progress, verifying, completed (not "
            f"{status.word})"
        )
    if window is None and status.for_maintenance:
        raise UsageError(
            f"{status.word!r} is a maintenance status; incidents use investigating, identified, "
            "monitoring, resolved"
        )
    if not message.strip():
        raise UsageError(EMPTY_MESSAGE)
    day = (window.start if window else at).astimezone(config.timezone).date()
    folder = root / INCIDENTS_DIR
    path = free_name(folder, day, slugify(title, limit=60) or "incident")
    text = new_incident_text(
        config, title.strip(), at, status, message, changes, impact, window, triage=triage
    )
    refuse_invalid(path, text, day, config)
    folder.mkdir(parents=True, exist_ok=True)
    write_file(path, text.encode(), exclusive=True)
    return path


def _refuse_after_close(
    current: Incident,
    status: IncidentStatus,
    at: datetime,
    exact_time: bool,
    path: Path,
    config: Config,
) -> None:
    """UsageError for a second closing update, or an update after the close.

    Judged by the closing update in the file, not by the clock: a command run twice in
    the same second, or on a clock that went backwards, must not add a second one. Only
    an explicit --at before the close may still add an earlier (forgotten) update."""
    final = next((u for u in current.updates if u.status.is_final), None)
    if final is None:
        return
    when = format_timestamp(final.at, config.timezone)
    closed = f"{current.id} is already {final.status.word} ({path}:{final.line}, at {when})"
    if status.is_final:
        raise UsageError(f"{closed}; nothing was changed")
    if exact_time and at < final.at:
        return
    moment = f"at {format_timestamp(at, config.timezone)}" if exact_time else "now"
    raise UsageError(
        f"{closed}; an update {moment} "
        f"comes after the incident was {final.status.word}: open a new incident for a new "
        f"problem (statuspage new), or give --at before {when} to add an earlier update"
    )


def add_update(
    root: Path,
    config: Config,
    path: Path,
    *,
    status: IncidentStatus,
    at: datetime,
    message: str,
    changes: list[Change],
    exact_time: bool = True,
    audience: str = PUBLIC,
) -> Path:
    """Insert an update at the top of the file's updates; nothing else in the file changes.

    Without *exact_time* (no --at given), a clash with an update in the same second
    moves the new one a second later: two quick commands must both succeed."""
    data = path.read_bytes()
    text = normalised(data.decode("utf-8-sig"))
    problems = Problems(root)
    name = FILE_NAME.match(path.name)
    if not name:
        raise UsageError(f"{path} is not named like an incident file (YYYY-MM-DD-slug.md)")
    day = date.fromisoformat(name["date"])
    current = parse_incident(path, text, day, config, problems)
    if current is None:
        raise UsageError(f"{path} has errors; fix them first:", problems.errors)
    _refuse_after_close(current, status, at, exact_time, path, config)
    if current.is_maintenance != status.for_maintenance:
        kind = "maintenance" if current.is_maintenance else "incident"
        allowed = (
            "scheduled, in_progress, verifying, completed"
            if current.is_maintenance
            else "investigating, identified, monitoring, resolved"
        )
        raise UsageError(f"{status.word!r} is not a status for this {kind} (expected: {allowed})")
    if not message.strip():
        raise UsageError(EMPTY_MESSAGE)
    taken = {u.at for u in current.updates}
    while not exact_time and at in taken:
        at += timedelta(seconds=1)
    if at in taken:
        raise UsageError(
            f"{current.id} already has an update at {format_timestamp(at, config.timezone)}; use "
            "another --at"
        )
    pairs = [(c.component, c.status) for c in changes]
    block = update_block(status, at, message, config.timezone, pairs, audience)
    new_data = with_update(data, block, path, problems)
    line = update_line(data.decode("utf-8-sig"), path, problems)
    assert new_data is not None and line is not None  # parsed above
    inserted = (line, normalised(block).count("\n"))
    refuse_invalid(path, normalised(new_data.decode("utf-8-sig")), day, config, inserted=inserted)
    write_file(path, new_data)
    return path
