"""`statuspage postmortem ID`: start a postmortem draft, prefilled from the incident.

The draft holds what the files already know (summary, every update as the
timeline) and the sections people must write, each marked with an unmistakable
placeholder that `check` refuses to publish. It has no `published:` key, so it
appears nowhere until someone adds one.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

import click

from . import status as st
from .authoring import _write_atomic, find_incident
from .content import POSTMORTEM_SUFFIX
from .errors import Problems, UsageError
from .i18n import Formatter
from .model import ComponentStatus, Config, Incident, Site
from .postmortems import PLACEHOLDER, parse_postmortem

TODO = PLACEHOLDER + ":"


def local_time(moment: datetime, zone: tzinfo) -> str:
    """'2026-11-20 14:02 CET': unambiguous in any language, in the site's zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def worst_statuses(incident: Incident, config: Config) -> list[tuple[str, ComponentStatus]]:
    """Each affected component's name with the worst status the incident gave it, in config order."""
    worst: dict[str, ComponentStatus] = {}
    for cid, status in [*incident.components, *(c for u in incident.updates for c in u.components)]:
        worst[cid] = max(worst.get(cid, status), status)
    return [(c.name, worst[c.id]) for c in config.components if c.id in worst]


def timeline_item(incident: Incident, index: int, config: Config) -> str:
    """One update as a Markdown list item; the message stays Markdown, indented into the item."""
    update = incident.updates[index]
    names = {c.id: c.name for c in config.components}
    changes = "; ".join(f"{names.get(cid, cid)}: {status.label.lower()}" for cid, status in update.components)
    head = f"- **{local_time(update.at, config.timezone)}** · {update.status.label}" + (f" ({changes})" if changes else "")
    lines = update.body.split("\n") if update.body else []
    if not lines:
        return head
    rest = ["    " + line if line.strip() else "" for line in lines[1:]]
    return "\n".join([f"{head}: {lines[0]}", *rest])


def draft_text(incident: Incident, config: Config, now: datetime) -> str:
    """The postmortem draft of a resolved *incident*, as of *now*."""
    zone = config.timezone
    resolved = st.resolved_at(incident, now)
    if resolved is None:
        raise ValueError(f"{incident.id} is not resolved at {now}")
    fmt = Formatter(config.language, zone)
    components = ", ".join(f"{name} ({status.label.lower()})" for name, status in worst_statuses(incident, config))
    items = [timeline_item(incident, i, config) for i, u in enumerate(incident.updates) if u.at <= now]
    items.append(f"- {TODO} add what customers could not see, each with its time: the change or event that triggered it, the first alert, the key decisions.")
    # A message of several paragraphs needs a loose list, or Markdown folds the next item into it.
    timeline = ("\n\n" if any("\n\n" in item for item in items) else "\n").join(items)
    example = now.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return "\n".join([
        "---",
        "# A draft: shown nowhere until you add the time it is published, e.g.",
        f"# published: {example}",
        "# (a future time publishes it then). Optional: title: \"...\", authors: [Platform team]",
        "---",
        "",
        "## Summary",
        "",
        f"{TODO} two or three sentences for customers: what they saw, for how long, and whether any data was affected.",
        "",
        f"- **Incident:** {incident.title}",
        f"- **Impact:** {incident.impact.label}",
        *([f"- **Affected components:** {components}"] if components else []),
        f"- **Started:** {local_time(incident.started_at, zone)}",
        f"- **Resolved:** {local_time(resolved, zone)}",
        f"- **Duration:** {fmt.duration(st.duration(incident, now))}",
        "",
        "## Timeline",
        "",
        f"All times are {zone}.",
        "",
        timeline,
        "",
        "## What happened",
        "",
        f"{TODO} the sequence of events in plain language, from the trigger to full recovery.",
        "",
        "## Root cause",
        "",
        f"{TODO} the technical cause, and the conditions in our systems and processes that let it reach customers. Ask what allowed it, not who did it.",
        "",
        "## What went well",
        "",
        f"- {TODO} what helped us detect, understand or fix it.",
        "",
        "## What went wrong",
        "",
        f"- {TODO} what made it worse, longer, or harder to see.",
        "",
        "## Action items",
        "",
        f"- [ ] {TODO} a concrete follow-up, the team that owns it and a target date; tick it (`- [x]`) when it is done.",
        "",
    ])  # fmt: skip


def create_postmortem(root: Path, site: Site, ref: str, now: datetime) -> Path:
    """Write the draft postmortem of the incident *ref* names; refuse if it cannot have one."""
    path = find_incident(root, ref.removesuffix(POSTMORTEM_SUFFIX))
    incident = site.incident(path.stem)
    if incident is None:
        raise UsageError(f"{path} is not an incident of this site")
    if incident.is_maintenance:
        raise UsageError(f"{incident.id} is a maintenance; postmortems are for incidents")
    if st.resolved_at(incident, now) is None:
        current = st.incident_status(incident, now).word
        raise UsageError(f"{incident.id} is not resolved (it is {current}); resolve it first: statuspage resolve {incident.id}")
    target = path.with_name(incident.id + POSTMORTEM_SUFFIX)
    if target.exists():
        raise UsageError(f"{target} already exists; edit it instead")
    text = draft_text(incident, site.config, now)
    problems = Problems(root)
    if parse_postmortem(target, text, incident, site.config, problems) is None:  # a bug if it happens
        raise UsageError("refusing to write an invalid draft:\n" + "\n".join(str(p) for p in problems.errors))
    _write_atomic(target, text, exclusive=True)
    return target


@click.command("postmortem")
@click.argument("incident")
@click.option("--source", "-s", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="The status site folder (holding statuspage.yaml and incidents/).")  # fmt: skip
def postmortem_command(incident: str, source: Path) -> None:
    """Start the postmortem of a resolved INCIDENT: writes incidents/<id>.postmortem.md,
    prefilled from the incident, and prints its path. Add `published:` to publish it."""
    # cli.py imports this module to register the command, so its helpers are imported late.
    from .cli import clock, reports_errors, require_site

    @reports_errors
    def run() -> None:
        site, _ = require_site(source)
        path = create_postmortem(source, site, incident, clock(None, site.config))
        click.echo(str(path))

    run()
