"""`statuspage postmortem ID`: start a postmortem draft, prefilled from the incident."""

from __future__ import annotations

from pathlib import Path

import click

from statuspage.commands._common import clock, reports_errors, require_site, source_option


@click.command("postmortem")
@click.argument("incident")
@source_option
@reports_errors
def postmortem_command(incident: str, source: Path) -> None:
    """Start the postmortem of a resolved INCIDENT: writes incidents/<id>.postmortem.md,
    prefilled from the incident, and prints its path. Add `published:` to publish it."""
    from statuspage.authoring.postmortem import create_postmortem

    site, _ = require_site(source)
    path = create_postmortem(source, site, incident, clock(None, site.config))
    click.echo(str(path))
