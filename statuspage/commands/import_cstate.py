"""`statuspage import cstate DIR`: the click command over importers.cstate and target."""

from __future__ import annotations

from pathlib import Path

import click

from statuspage.commands._common import clock, print_warnings, reports_errors
from statuspage.errors import ContentError, UsageError
from statuspage.importers.cstate import import_cstate, read_zone_setting
from statuspage.importers.target import other_incidents, write_import
from statuspage.source.names import counted
from statuspage.source.times import TimeError, load_zone, parse_timestamp


@click.group("import")
def import_command() -> None:
    """Create a status site from another tool's files."""


@import_command.command("cstate")
@click.argument("cstate_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Folder for the new site (statuspage.yaml and incidents/).",
)
@click.option(
    "--timezone",
    "zone_name",
    metavar="ZONE",
    help="IANA zone for cState dates without an offset (default: the site's Hugo timeZone, else "
    "UTC).",
)
@click.option(
    "--now", help="The import's 'now' (ISO 8601): issues dated later become scheduled maintenance."
)
@click.option(
    "--force", is_flag=True, help="Replace statuspage.yaml and same-named incident files in --into."
)
def cstate_command(
    cstate_dir: Path, into: Path, zone_name: str | None, now: str | None, force: bool
) -> None:
    """Import the cState site in CSTATE_DIR: config.yml systems and content/issues/*.md."""

    @reports_errors
    def run() -> None:
        name = zone_name or read_zone_setting(cstate_dir) or "UTC"
        try:
            zone = load_zone(name)
        except TimeError as e:
            raise UsageError(f"--timezone: {e}") from None
        try:
            moment = parse_timestamp(now, zone) if now else clock(None, None)
        except TimeError as e:
            raise UsageError(f"--now: {e}") from None
        result = import_cstate(cstate_dir, zone, moment)
        report = result.report
        if report.problems.errors:
            raise ContentError(report.problems.items)
        write_import(result.files, into, force=force)
        print_warnings(report.problems)
        click.echo(
            f"Imported {counted(result.issues, 'cState issue')} from {cstate_dir} into {into}: "
            f"{counted(result.incidents, 'incident')}, "
            f"{counted(result.maintenances, 'maintenance window')}, "
            f"{counted(result.components, 'component')} (times without an offset read as "
            f"{zone.key})."
        )
        kinds = report.by_kind()
        if kinds:
            listed = ", ".join(
                f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
            )
            total = counted(sum(kinds.values()), "warning")
            click.echo(f"{total} ({listed}); each names the source file.")
        others = other_incidents(result.files, into)
        if others:
            left = "was left as it was" if len(others) == 1 else "were left as they were"
            click.echo(
                f"{counted(len(others), 'incident file')} already in {into / 'incidents'} {left}."
            )
        click.echo(f"Next: statuspage check --source {into} && statuspage build --source {into}")

    run()
