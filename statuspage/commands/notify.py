"""`statuspage notify`: send each new update to the endpoints in `notify:`."""

from __future__ import annotations

from pathlib import Path

import click

from statuspage.commands._common import (
    clock,
    fail,
    print_warnings,
    reports_errors,
    require_site,
    source_option,
)
from statuspage.errors import inert_line
from statuspage.notify.messages import Renderer
from statuspage.notify.run import Report, dry_run_lines, notify
from statuspage.notify.sent import DEFAULT_PATH, StateError
from statuspage.source.audience_view import view
from statuspage.source.audiences import trust_order
from statuspage.source.names import counted
from statuspage.source.site_folder import SiteFolder


@click.command("notify")
@source_option
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"What each endpoint has received (default: {DEFAULT_PATH} in the source folder). Commit "
    "it.",
)
@click.option("--now", help="Notify as of this instant (ISO 8601); default: now.")
@click.option(
    "--dry-run", is_flag=True, help="Print what would be sent; send nothing, write no state."
)
@click.option(
    "--backfill",
    is_flag=True,
    help="Endpoints seen for the first time get every past update too (default: only what happens "
    "from now on).",
)
def notify_command(
    source: Path, state_path: Path | None, now: str | None, dry_run: bool, backfill: bool
) -> None:
    """Send each new update to the webhooks and mailing lists in `notify:`, once per endpoint."""
    reports_errors(_notify)(source, state_path, now, dry_run, backfill)


def _notify(
    source: Path, state_path: Path | None, now: str | None, dry_run: bool, backfill: bool
) -> None:
    site, problems = require_site(source, for_rendering=True)
    print_warnings(problems)
    # Each audience's endpoints hear only what its own page shows (source/audience_view.py).
    views = [view(site, audience) for audience in trust_order(site.config)]
    keys = frozenset(e.key for seen in views for e in seen.config.notify)
    if not keys:
        click.echo("No notification endpoints: add `notify:` to statuspage.yaml (see the README).")
        return
    moment = clock(now, site.config)
    path = state_path if state_path is not None else source / DEFAULT_PATH
    if not dry_run:  # sends nothing if its record cannot be kept inside the site
        SiteFolder(source).writable(path)
    failed = outcomes = 0
    for seen in views:
        if not seen.config.notify:
            continue
        try:
            report = notify(
                seen, list(seen.config.notify), path, moment,
                dry_run=dry_run, backfill=backfill, echo=_echo, others=keys,
            )  # fmt: skip
        except StateError as e:
            fail(str(e), 1)
        if dry_run:
            for line in dry_run_lines(report, Renderer(seen)):
                click.echo(inert_line(line))  # each quotes incident text
        else:
            _summarize(report)
        failed, outcomes = failed + len(report.failed), outcomes + len(report.outcomes)
    if dry_run:
        click.echo("Dry run: nothing was sent and the state file is unchanged.")
        return
    if failed:
        fail(
            f"{failed} of {counted(outcomes, 'endpoint')} failed; their "
            "unsent messages will be retried on the next run",
            1,
        )


def _summarize(report: Report) -> None:
    for o in report.outcomes:
        label = o.endpoint.label
        for warning in o.warnings:
            click.secho(inert_line(f"{label}: warning: {warning}"), fg="yellow", err=True)
        if o.first_run:
            click.echo(
                f"{label}: new endpoint; {counted(o.first_run, 'past update')} marked as sent (use "
                "--backfill to send them)"
            )
        parts = [f"{len(o.sent)} sent"]
        if o.filtered:
            parts.append(f"{o.filtered} outside its components")
        if o.error:
            click.secho(
                inert_line(
                    f"statuspage.yaml:{o.endpoint.line}: {label}: {o.error}; "
                    f"{counted(o.pending, 'message')} left for the next run"
                ),
                fg="red",
                err=True,
            )
        elif not o.first_run:
            click.echo(f"{label}: {', '.join(parts)}")


def _echo(line: str) -> None:
    click.echo(inert_line(line))
