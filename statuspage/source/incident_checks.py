"""Rules that span a whole incident file: its updates in order (none before the day the
file is named after, none reopening a closed incident, no closing repeated) and a bound
on what its pages would weigh, estimated from the source before any work."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, tzinfo
from pathlib import Path

from statuspage.errors import Problems
from statuspage.model import PUBLIC, ComponentStatus, Config, Update
from statuspage.source.audiences import sees, trust_order, wider

MAX_STATUS_CHANGES = 1_000  # front-matter components plus every `Components:` pair
MAX_PAGE_BYTES = 4_000_000
MAX_INCIDENT_OUTPUT_BYTES = 64_000_000
# For the estimate of what an incident writes (measured on built sites).
_CHANGE_BYTES = 60  # a status change as rendered: the component's name and its status
_UPDATE_BYTES = 2_000  # an update's markup around its text
_SITE_COPIES = 14  # its page, the site's three feeds, API files, history.json, ...


def check_updates(
    updates: list[Update],
    is_maintenance: bool,
    file_day: date,
    zone: tzinfo,
    path: Path,
    problems: Problems,
) -> None:
    """No incident update dated before the file's day, and none after the closing one
    but a closing note that says something new."""
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


def check_output_size(
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


def check_audience_marks(
    audience: str,
    components: list[tuple[str, ComponentStatus]],
    updates: list[Update],
    config: Config,
    where: int,
    path: Path,
    problems: Problems,
) -> None:
    """What an incident (for *audience*) and each update say is seen only by those who
    see the components they name (an update is seen by those who see it and its incident)."""
    order = trust_order(config)
    if len(order) == 1:
        return  # one audience: everyone sees everything
    marks = defaultdict(lambda: PUBLIC, {c.id: c.audience for c in config.components})
    for cid, _ in components:
        if not sees(order, audience, marks[cid]):
            message = (
                f"the incident is for `{audience}`, but component {cid!r} only for "
                f"`{marks[cid]}`: mark the incident `audience: {marks[cid]}` or remove {cid!r}"
            )
            problems.error(path, where, message)
    for u in updates:
        seen_by = wider(order, audience, u.audience)  # an update is seen as its incident is
        for cid, _ in u.components:
            if not sees(order, seen_by, marks[cid]):
                message = (
                    f"this update names component {cid!r}, which only `{marks[cid]}` sees: "
                    f"write `Audience: {marks[cid]}` under its heading, or remove {cid!r}"
                )
                problems.error(path, u.line, message)
