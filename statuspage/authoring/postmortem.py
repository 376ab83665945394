"""A postmortem draft, prefilled from the incident (`statuspage postmortem ID`).

The draft holds what the files already know (summary, every update as the
timeline) and the sections people must write, each marked with an unmistakable
placeholder that `check` refuses to publish. It has no `published:` key, so it
appears nowhere until someone adds one.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from statuspage.authoring.incidents import find_incident
from statuspage.errors import Problems, UsageError
from statuspage.model import ComponentStatus, Config, Impact, Incident, IncidentStatus, Site
from statuspage.outputs.i18n import Formatter
from statuspage.source.incident_file import POSTMORTEM_SUFFIX
from statuspage.source.incident_text import write_file
from statuspage.source.postmortem_file import PLACEHOLDER, parse_postmortem
from statuspage.source.translations import site_translations
from statuspage.state import status as st

TODO = PLACEHOLDER + ":"
Translate = Callable[[str], str]  # a catalog's gettext


def local_time(moment: datetime, zone: tzinfo) -> str:
    """'2026-11-20 14:02 CET': unambiguous in any language, in the site's zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def worst_statuses(incident: Incident, config: Config) -> list[tuple[str, ComponentStatus]]:
    """Each affected component's name with the worst status it had, in config order."""
    worst: dict[str, ComponentStatus] = {}
    for cid, status in [*incident.components, *(c for u in incident.updates for c in u.components)]:
        worst[cid] = max(worst.get(cid, status), status)
    return [(c.name, worst[c.id]) for c in config.components if c.id in worst]


def _translations(config: Config) -> gettext.NullTranslations:
    """The page's catalog, with the site's own rewordings (translations/<language>.po)."""
    return site_translations(config.path.parent if config.path else None, config.language)


def label(
    word: ComponentStatus | Impact | IncidentStatus, config: Config, *, in_sentence: bool = False
) -> str:
    """The word's label in the page's language. English labels read lower-case inside a
    sentence; other languages keep the translator's casing (German nouns stay capitalised)."""
    text = _translations(config).gettext(word.label)
    return text.lower() if in_sentence and config.language.startswith("en") else text


def field(name: str, value: str) -> str:
    """'- **Impact:** Major': one fact of the summary list."""
    return f"- **{name}:** {value}"


def timeline_item(incident: Incident, index: int, config: Config) -> str:
    """One update as a Markdown list item; the message stays Markdown, indented into the item."""
    update = incident.updates[index]
    names = {c.id: c.name for c in config.components}
    changes = "; ".join(
        f"{names.get(cid, cid)}: {label(status, config, in_sentence=True)}"
        for cid, status in update.components
    )
    head = f"- **{local_time(update.at, config.timezone)}** · {label(update.status, config)}" + (
        f" ({changes})" if changes else ""
    )
    lines = update.body.split("\n") if update.body else []
    if not lines:
        return head
    rest = ["    " + line if line.strip() else "" for line in lines[1:]]
    return "\n".join([f"{head}: {lines[0]}", *rest])


def draft_text(incident: Incident, config: Config, now: datetime) -> str:
    """The postmortem draft of a resolved *incident*, as of *now*."""
    resolved = st.resolved_at(incident, now)
    if resolved is None:
        raise ValueError(f"{incident.id} is not resolved at {now}")
    _ = _translations(config).gettext
    # The front matter's keys, the TODO marker and the `- [ ]` boxes are syntax: never translated.
    return "\n".join(
        [
            *_front_matter(now.astimezone(config.timezone), _),
            *_summary(incident, config, now, resolved, _),
            *_timeline(incident, config, now, _),
            *_sections_to_write(_),
        ]
    )


def _section(heading: str, *lines: str) -> list[str]:
    """A `## heading`, its lines, and the blank line that ends it."""
    return ["## " + heading, "", *lines, ""]


def _front_matter(now: datetime, _: Translate) -> list[str]:
    """Front matter with no `published:`: only comments saying how to publish."""
    example = now.strftime("%Y-%m-%d %H:%M")
    return [
        "---",
        "# " + _("A draft: shown nowhere until you add the time it is published, e.g."),
        f"# published: {example}",
        "# "
        + _("(a future time publishes it then). Optional: %(keys)s")
        % {"keys": 'title: "...", authors: [Platform team]'},
        "---",
        "",
    ]


def _summary(
    incident: Incident, config: Config, now: datetime, resolved: datetime, _: Translate
) -> list[str]:
    """What customers must be told (to write), then the facts the files already hold."""
    zone = config.timezone
    fmt = Formatter(config.language, zone)
    components = ", ".join(
        f"{name} ({label(status, config, in_sentence=True)})"
        for name, status in worst_statuses(incident, config)
    )
    return _section(
        _("Summary"),
        f"{TODO} "
        + _(
            "two or three sentences for customers: what they saw, for how long, and "
            "whether any data was affected."
        ),
        "",
        field(_("Incident"), incident.title),
        field(_("Impact"), label(incident.impact, config)),
        *([field(_("Affected components"), components)] if components else []),
        field(_("Started"), local_time(incident.started_at, zone)),
        field(_("Resolved"), local_time(resolved, zone)),
        field(_("Duration"), fmt.duration(st.duration(incident, now))),
    )


def _timeline(incident: Incident, config: Config, now: datetime, _: Translate) -> list[str]:
    """Every update until *now*, and a placeholder for what customers could not see."""
    items = [
        timeline_item(incident, i, config) for i, u in enumerate(incident.updates) if u.at <= now
    ]
    items.append(
        f"- {TODO} "
        + _(
            "add what customers could not see, each with its time: the change or event that "
            "triggered it, the first alert, the key decisions."
        )
    )
    # A message of several paragraphs needs a loose list, or Markdown folds the next item into it.
    timeline = ("\n\n" if any("\n\n" in item for item in items) else "\n").join(items)
    return _section(
        _("Timeline"), _("All times are %(zone)s.") % {"zone": config.timezone}, "", timeline
    )


def _sections_to_write(_: Translate) -> list[str]:
    """The sections only people can write, each a placeholder saying what belongs there."""
    return [
        *_section(
            _("What happened"),
            f"{TODO} "
            + _("the sequence of events in plain language, from the trigger to full recovery."),
        ),
        *_section(
            _("Root cause"),
            f"{TODO} "
            + _(
                "the technical cause, and the conditions in our systems and processes that "
                "let it reach customers. Ask what allowed it, not who did it."
            ),
        ),
        *_section(
            _("What went well"), f"- {TODO} " + _("what helped us detect, understand or fix it.")
        ),
        *_section(
            _("What went wrong"), f"- {TODO} " + _("what made it worse, longer, or harder to see.")
        ),
        *_section(
            _("Action items"),
            f"- [ ] {TODO} "
            + _(
                "a concrete follow-up, the team that owns it and a target date; tick "
                "it (`- [x]`) when it is done."
            ),
        ),
    ]


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
        raise UsageError(
            f"{incident.id} is not resolved (it is {current}); resolve it first: statuspage "
            f"resolve {incident.id}"
        )
    target = path.with_name(incident.id + POSTMORTEM_SUFFIX)
    if target.exists():
        raise UsageError(f"{target} already exists; edit it instead")
    text = draft_text(incident, site.config, now)
    problems = Problems(root)
    # A draft we wrote that does not parse is a bug.
    if parse_postmortem(target, text, incident, site.config, problems) is None:
        raise UsageError("refusing to write an invalid draft:", problems.errors)
    write_file(target, text.encode(), exclusive=True)
    return target
