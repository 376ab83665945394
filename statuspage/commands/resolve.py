"""`statuspage resolve`: close an incident, or complete a maintenance."""

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
)
from statuspage.model import IncidentStatus


@click.command("resolve")
@click.argument("incident")
@click.option("--message", "-m", help="The closing update's text; - reads it from standard input.")
@click.option("--at", help="When it was resolved (default: now).")
@source_option
@reports_errors
def resolve_command(incident: str, message: str | None, at: str | None, source: Path) -> None:
    """Resolve INCIDENT (maintenance: mark it completed); its components return to operational."""
    from statuspage.authoring.incidents import add_update, find_incident

    site, _ = require_site(source)
    config = site.config
    path = find_incident(source, incident)
    current = site.incident(path.stem)
    is_maintenance = current is not None and current.is_maintenance
    status = IncidentStatus.COMPLETED if is_maintenance else IncidentStatus.RESOLVED
    default = (
        "The maintenance is complete." if is_maintenance else "This incident has been resolved."
    )
    add_update(
        source,
        config,
        path,
        status=status,
        at=instant(at, "--at", config, clock(None, config)),
        message=read_message(message) or default,
        changes=[],
        exact_time=at is not None,
    )
    click.echo(str(path))
