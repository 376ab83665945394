"""`statuspage alert`: a monitor's webhook body opens, updates or closes incidents."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from statuspage.alerts.payloads import FORMATS, MAX_PAYLOAD_BYTES
from statuspage.commands._common import clock, fail, reports_errors, source_option
from statuspage.errors import ContentError, UsageError, inert_line


@click.command("alert")
@click.argument("payload", default="-", metavar="[FILE | -]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="Which tool sent the body: alertmanager, grafana, uptime-kuma, or json (our own "
    "schema, README: Alerts).",
)
@click.option("--now", help="The instant to act at (default: the clock); later alert times are "
              "taken as now.")  # fmt: skip
@source_option
@reports_errors
def alert_command(payload: str, fmt: str, now: str | None, source: Path) -> None:
    """Apply one webhook body (FILE, or - for standard input) to the incident files,
    printing each file created or changed; the same body twice changes nothing."""
    from statuspage.alerts.apply import PlanError, plan_alerts, write_plan
    from statuspage.alerts.payloads import PayloadError, read_payload
    from statuspage.source.alert_site import load_alert_site

    site, problems = load_alert_site(source)  # the config, and the incidents naming a rule
    if site is None:
        raise ContentError(problems.items)
    rules = site.config.alerts
    if rules is None:
        fail(
            "statuspage.yaml has no `alerts:` section; add rules that say which alerts open "
            "which incidents (README: Alerts)",
            1,
        )
    name = "<stdin>" if payload == "-" else payload
    try:
        stream = sys.stdin.buffer if payload == "-" else Path(payload).open("rb")  # noqa: SIM115
        with stream:
            data = stream.read(MAX_PAYLOAD_BYTES + 1)
    except OSError as e:
        fail(f"{name}: cannot read the payload: {e.strerror or e}", 1)
    try:
        body = read_payload(data, fmt, name)
        plan = plan_alerts(source, site, rules, body.alerts, clock(now, site.config))
    except UsageError as e:
        # A change the incident file cannot take (past its limits, ...).
        fail(f"{e.message}; nothing was written", 1, e.problems)
    except (PayloadError, PlanError) as e:
        fail(f"{e}; nothing was written", 1)
    write_plan(plan)
    # What is said quotes the monitor's labels and names: each is printed as one inert line.
    for change in plan.changes:
        click.echo(str(change.path))
        for said in change.said:
            click.echo(inert_line(f"  {said}"), err=True)
    for words in plan.unrecorded:
        click.echo(inert_line(words), err=True)
    for ignored in plan.ignored:
        click.echo(
            inert_line(f"ignored {ignored.key} ({ignored.name or 'no name'}): no rule matches"),
            err=True,
        )
    if not plan.changes:
        done = "nothing else to do" if plan.unrecorded else "nothing to do"
        note = body.note or f"{done}: every alert in it is recorded already"
        click.echo(inert_line(note), err=True)
