"""`statuspage update`: add an update on top of an incident's updates."""

from __future__ import annotations

from pathlib import Path

import click

from statuspage.commands._common import (
    clock,
    instant,
    read_message,
    reports_errors,
    require_site,
    source_option,
    status_choice,
)


@click.command("update")
@click.argument("incident")
@click.option(
    "--status",
    required=True,
    help="The new status (investigating, identified, monitoring, resolved; for maintenance: "
    "in_progress, verifying, completed).",
)
@click.option(
    "--message",
    "-m",
    help="The update's text (Markdown; required); - reads it from standard input.",
)
@click.option("--at", help="When it was posted (default: now).")
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="A component whose status changes with this update.",
)
@click.option(
    "--audience",
    help="Show this update only to this audience and the wider ones after it in `audiences:` "
    "(default: public).",
)
@source_option
@reports_errors
def update_command(
    incident: str,
    status: str,
    message: str | None,
    at: str | None,
    components: tuple[str, ...],
    audience: str | None,
    source: Path,
) -> None:
    """Add an update to INCIDENT (its id, path, or a unique part of its name)."""
    from statuspage.authoring.incidents import add_update, find_incident, parse_component_options
    from statuspage.source.audiences import known_audience

    site, _ = require_site(source)
    config = site.config
    seen_by = known_audience(config, audience) if audience else "public"
    path = find_incident(source, incident)
    new_status = status_choice(status)
    assert new_status is not None
    changes = parse_component_options(components, config)
    add_update(
        source,
        config,
        path,
        status=new_status,
        at=instant(at, "--at", config, clock(None, config)),
        message=read_message(message),
        changes=changes,
        exact_time=at is not None,
        audience=seen_by,
    )
    click.echo(str(path))
