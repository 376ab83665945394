"""`statuspage upstream pull`: refresh the third-party providers' snapshots."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import click

from statuspage.commands._common import (
    clock,
    print_warnings,
    reports_errors,
    require_site,
    source_option,
)
from statuspage.errors import UsageError, inert_line


@click.group("upstream")
def upstream_command() -> None:
    """Third-party providers whose status the page shows (`upstream:` in statuspage.yaml)."""


@upstream_command.command("pull")
@source_option
@click.option("--now", help="Record the snapshots as of this instant (default: now).")
@click.option(
    "--deadline",
    type=click.FloatRange(min=0.1, max=600),
    default=30.0,
    show_default=True,
    help="Seconds each provider may take in all: connects, reads, retries and waits.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=600),
    default=10.0,
    show_default=True,
    help="Seconds a connect or a read may wait.",
)
@click.option(
    "--attempts",
    type=click.IntRange(min=1, max=10),
    default=3,
    show_default=True,
    help="Tries per provider on network errors, HTTP 5xx and 429.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0, max=60),
    default=1.0,
    show_default=True,
    help="Seconds before the first retry; doubled for each further one.",
)
@reports_errors
def pull_command(
    source: Path, now: str | None, deadline: float, timeout: float, attempts: int, backoff: float
) -> None:
    """Fetch each provider's summary.json into upstream/<id>.json.

    A provider that cannot be read keeps its last snapshot and is reported here; the
    exit status stays 0, so a provider's outage never stops the page being built."""
    from statuspage.upstream.pull import DEFAULT_POLICY, pull_one

    site, problems = require_site(source)
    print_warnings(problems)
    if not site.upstream:
        raise UsageError("statuspage.yaml has no `upstream:` providers to pull")
    moment = clock(now, site.config)
    policy = replace(
        DEFAULT_POLICY, deadline=deadline, timeout=timeout, attempts=attempts, first_delay=backoff
    )
    for upstream in site.upstream:
        result = pull_one(source, upstream.source, moment, policy=policy, sleep=time.sleep)
        name = inert_line(upstream.source.id)
        for warning in result.warnings:
            click.secho(f"{name}: warning: {inert_line(warning)}", fg="yellow", err=True)
        if result.outcome == "failed":
            click.secho(f"{name}: not updated: {inert_line(result.message)}", fg="yellow", err=True)
        else:
            click.echo(f"{name}: {result.outcome}")
