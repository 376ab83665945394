"""`statuspage new`: open an incident or schedule maintenance."""

from __future__ import annotations

from pathlib import Path

import click

from statuspage.commands._common import (
    WordChoice,
    clock,
    instant,
    read_message,
    reports_errors,
    require_site,
    source_option,
    status_choice,
)
from statuspage.errors import UsageError
from statuspage.model import PUBLIC, ComponentStatus, Impact, Urgency, Window
from statuspage.source.audiences import known_audience

MAINTENANCE_SCHEDULED = "This maintenance is scheduled."


@click.command("new")
@click.argument("title")
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="An affected component and its status; repeat for several. With --maintenance, ID alone "
    "means under_maintenance.",
)
@click.option(
    "--impact",
    type=WordChoice([w for w in Impact.words() if w != "maintenance"]),
    help="How bad it is (default: from the component statuses).",
)
@click.option(
    "--urgency",
    type=WordChoice(Urgency.words()),
    help="How soon users need it fixed; with the impact it gives the ITIL priority "
    "(default: medium).",
)
@click.option(
    "--detected",
    help="When the problem was first seen, if before the first update (for response times).",
)
@click.option(
    "--status", help="First update's status (default: investigating, or scheduled for maintenance)."
)
@click.option(
    "--message",
    "-m",
    help="The first update's text (Markdown; required, except for --maintenance); "
    "- reads it from standard input.",
)
@click.option("--at", help="When the first update was posted (default: now).")
@click.option(
    "--maintenance", is_flag=True, help="Schedule a maintenance window (with --start and --end)."
)
@click.option("--start", help="Maintenance window start.")
@click.option("--end", help="Maintenance window end.")
@click.option(
    "--audience",
    help="Show it only to this audience and the wider ones after it in `audiences:` "
    "(default: public).",
)
@source_option
@reports_errors
def new_command(
    title: str,
    components: tuple[str, ...],
    impact: str | None,
    urgency: str | None,
    detected: str | None,
    status: str | None,
    message: str | None,
    at: str | None,
    maintenance: bool,
    start: str | None,
    end: str | None,
    audience: str | None,
    source: Path,
) -> None:
    """Open a new incident (or schedule maintenance) and print the new file's path."""
    from statuspage.authoring.incidents import Triage, create_incident, parse_component_options

    site, _ = require_site(source)
    config = site.config
    seen_by = known_audience(config, audience) if audience else PUBLIC
    now = clock(None, config)
    window = None
    if maintenance:
        if not (start and end):
            raise UsageError("--maintenance needs --start and --end")
        window = Window(instant(start, "--start", config, now), instant(end, "--end", config, now))
        if window.end <= window.start:
            raise UsageError("--end must be after --start")
    elif start or end:
        raise UsageError("--start and --end are for --maintenance")
    if maintenance and (urgency or detected):
        raise UsageError("--urgency and --detected are for incidents, not --maintenance")
    default = ComponentStatus.UNDER_MAINTENANCE if maintenance else None
    changes = parse_component_options(components, config, default=default)
    path = create_incident(
        source,
        config,
        title,
        at=instant(at, "--at", config, now),
        status=status_choice(status),
        # The window itself is the news of a scheduled maintenance: a stock sentence is
        # meant there, as in `resolve`; an incident's first update must say something.
        message=read_message(message) or (MAINTENANCE_SCHEDULED if maintenance else ""),
        changes=changes,
        impact=Impact.parse(impact) if impact else None,
        window=window,
        triage=Triage(
            urgency=Urgency.parse(urgency) if urgency else None,
            detected=instant(detected, "--detected", config, now) if detected else None,
            audience=seen_by,
        ),
    )
    click.echo(str(path))
