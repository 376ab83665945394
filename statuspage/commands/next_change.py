"""`statuspage next-change`: when the page next changes by itself, for a scheduler."""

from __future__ import annotations

from pathlib import Path

import click

from statuspage.commands._common import clock, reports_errors, require_site, source_option
from statuspage.source.times import isoformat


@click.command("next-change")
@source_option
@click.option("--now", help="As of this instant (default: now).")
@click.option("--verbose", "-v", is_flag=True, help="List every coming change and what it is.")
@reports_errors
def next_change_command(source: Path, now: str | None, verbose: bool) -> None:
    """Print when the page next changes by itself (ISO 8601): a maintenance window
    opens or closes, a future-dated update comes due, or the day ends in the site's
    zone (the day bars move on), so a scheduler can rebuild right then."""
    from statuspage.state.postmortems import next_publication
    from statuspage.state.status import changes
    from statuspage.state.uptime import next_day_start

    site, _ = require_site(source)
    zone = site.config.timezone
    moment = clock(now, site.config)
    coming = [
        (when, f"{incident.id}: {status.word}")
        for incident in site.incidents
        for when, status in changes(incident, moment)
    ]
    published = next_publication(site, moment)
    if published is not None:
        coming.append((published, "a postmortem is published"))
    coming.append((next_day_start(moment, zone), "day ends: the day bars and recent days move on"))
    coming.sort()
    for when, what in coming if verbose else coming[:1]:
        click.echo(f"{isoformat(when, zone)}  {what}" if verbose else isoformat(when, zone))
