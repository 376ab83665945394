"""Alerts + the site's files -> the file changes that record them, each at most once.

The files are the state: a rule's open incident carries `rule:ID` and the alert keys
it has seen in its `alerts:` list, and its updates say whether a firing or a
resolution is already told. So a payload applied twice plans nothing the second
time, with no state kept anywhere else. Planning writes nothing: `write_plan` does,
after every new text has been parsed back as valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from babel.lists import format_list

from statuspage.alerts.payloads import MAX_MESSAGE_CHARS, Alert, inert_text, one_line
from statuspage.authoring.incidents import Change as ComponentChange
from statuspage.authoring.incidents import Triage, new_incident_text
from statuspage.errors import Problems
from statuspage.labels import N_
from statuspage.model import (
    AlertRules,
    ComponentStatus,
    Config,
    Incident,
    IncidentStatus,
    Rule,
    Site,
)
from statuspage.source.audiences import audience_for
from statuspage.source.incident_file import (
    INCIDENTS_DIR,
    MAX_ALERT_KEYS,
    MAX_TITLE_CHARS,
    MONITOR_NOTES_KEY,
)
from statuspage.source.incident_text import (
    free_name,
    normalised,
    refuse_invalid,
    update_block,
    with_alert_keys,
    with_list_items,
    with_update,
    write_file,
)
from statuspage.source.names import slugify
from statuspage.source.site_folder import SiteFolder
from statuspage.source.times import format_timestamp
from statuspage.source.translations import babel_locale, site_translations

SECOND = timedelta(seconds=1)
MAX_NOTE_CHARS = 2_000  # of what a monitor said, kept in `monitor_notes:` (one line each)
# What an alert's incident tells customers unless its rule sets `publish_monitor_text`:
# a monitor's words ("timeout of 48000ms exceeded", an internal URL) are for the team.
# Written into the file in the site's language, as a person would write it.
# Translators: an incident's title; %(components)s: the components' names ("Website and API").
STOCK_TITLE = N_("Problems affecting %(components)s")
# Translators: the first update of an incident a monitor opened.
STOCK_INVESTIGATING = N_("We are investigating problems affecting %(components)s.")
# Translators: an update when a monitor's alert fires again after a recovery.
STOCK_REFIRED = N_("The problems affecting %(components)s have returned; we are investigating.")
# Translators: an update when a monitor reports the problem gone (a person closes the incident).
STOCK_MONITORING = N_("The affected services have recovered; we are monitoring.")
# Translators: the last update when a monitor reports the problem gone.
STOCK_RESOLVED = N_("The affected services have recovered.")


class PlanError(ValueError):
    """A payload that must change nothing (more new incidents than `max_new`, ...)."""


@dataclass
class _File:
    """An incident file as the plan has it so far: its bytes and what they parse to."""

    path: Path
    data: bytes
    incident: Incident
    created: bool
    said: list[str] = field(default_factory=list)


# NamedTuples (as model.py's records): a fifth of a frozen dataclass's cost to define.
class Change(NamedTuple):
    """One file to write, and what happened to it in words."""

    path: Path
    data: bytes
    created: bool
    said: tuple[str, ...]


class Plan(NamedTuple):
    """Every file change one payload makes, the alerts no rule takes, and what was left
    unrecorded (one line each)."""

    changes: tuple[Change, ...]
    ignored: tuple[Alert, ...]
    unrecorded: tuple[str, ...] = ()


def plan_alerts(
    root: Path, site: Site, rules: AlertRules, alerts: Iterable[Alert], now: datetime
) -> Plan:
    """The changes *alerts* make to the site in *root* at *now*; PlanError if refused."""
    planner = _Planner(root, site)
    by_rule: dict[str, list[Alert]] = {}
    ignored = []
    latest: dict[str, Alert] = {}
    for alert in alerts:  # a key given twice in one body: the last one counts
        latest.pop(alert.key, None)
        latest[alert.key] = alert
    for alert in latest.values():
        rule = rules.rule_for(alert.labels)
        if rule is None:
            ignored.append(alert)
        else:
            by_rule.setdefault(rule.id, []).append(alert)
    for rule in rules.rules:
        if rule.id in by_rule:
            planner.apply(rule, _clamped(by_rule[rule.id], now))
    created = [f for f in planner.files.values() if f.created]
    if len(created) > rules.max_new:
        raise PlanError(
            f"this payload would open {len(created)} incidents, more than `max_new: "
            f"{rules.max_new}` in statuspage.yaml allows (a flood of alerts is better told as "
            "one incident by hand)"
        )
    changes = tuple(
        Change(f.path, f.data, f.created, tuple(f.said)) for f in planner.files.values()
    )
    return Plan(changes, tuple(ignored), tuple(planner.unrecorded))


def write_plan(plan: Plan) -> None:
    """Write every change of *plan* (atomically, file by file)."""
    for change in plan.changes:
        SiteFolder(change.path.parent.parent).writable(change.path)  # before making its folder
        if change.created:
            change.path.parent.mkdir(parents=True, exist_ok=True)
        write_file(change.path, change.data, exclusive=change.created)


def _clamped(alerts: list[Alert], now: datetime) -> list[Alert]:
    """The rule's alerts in time order, none later than *now* (a monitor's clock may run
    ahead; an update dated in the future would stay hidden until then)."""

    def clamp(moment: datetime | None) -> datetime:
        return now if moment is None or moment > now else moment

    fixed = [
        replace(a, starts_at=clamp(a.starts_at))
        if a.firing
        else replace(a, ends_at=clamp(a.ends_at))
        for a in alerts
    ]
    return sorted(fixed, key=lambda a: (a.time or now, a.key))


class _Planner:
    def __init__(self, root: Path, site: Site) -> None:
        self.root = root
        self.site = site
        self.config: Config = site.config
        self.files: dict[str, _File] = {}  # by incident id
        self.unrecorded: list[str] = []  # alerts an incident had no room for, in words

    def incidents(self) -> list[Incident]:
        """The site's incidents as the plan has changed them so far."""
        planned = {f.incident.id: f.incident for f in self.files.values()}
        kept = [i for i in self.site.incidents if i.id not in planned]
        return kept + list(planned.values())

    def open_incident(self, rule: Rule) -> Incident | None:
        """The newest incident of *rule* whose last update is not final."""
        mine = [
            i
            for i in self.incidents()
            if rule.key in i.alerts and not i.is_maintenance and not i.updates[-1].status.is_final
        ]
        return max(mine, key=lambda i: (i.created_at, i.id), default=None)

    def apply(self, rule: Rule, alerts: list[Alert]) -> None:
        """Record *alerts* (all of *rule*, in time order) in the rule's incident."""
        firing = [a for a in alerts if a.firing]
        incident = self.open_incident(rule)
        created = bool(firing) and incident is None
        if created:
            incident = self.create(rule, firing[: MAX_ALERT_KEYS - 1])  # and the rule's key
        if incident is None:
            return  # only resolutions, of no open incident: told already, or never ours
        known = set(incident.alerts)
        new = [a for a in firing if a.key not in known]
        room = max(MAX_ALERT_KEYS - len(incident.alerts), 0)
        joined, left = new[:room], new[room:]
        if joined or (left and created):
            # The file changes: what had no room is noted in it too (a repeat of the
            # body, changing nothing, only says so on stderr).
            incident = self.set_keys(rule, incident, joined, left)
        elif left:
            self.unrecorded.append(_unrecorded(rule, left))
        # A full `alerts:` list may lack some of the rule's alerts: a resolution of any of
        # them is the incident's (the body has none of the rule firing, so all ended).
        full = len(incident.alerts) >= MAX_ALERT_KEYS
        last = incident.updates[-1]
        if firing:
            refired = [a for a in firing if a.starts_at and a.starts_at > last.at]
            if last.status is IncidentStatus.MONITORING and refired:
                alert = refired[0]
                assert alert.starts_at is not None
                self.post(
                    rule,
                    incident,
                    IncidentStatus.INVESTIGATING,
                    alert.starts_at,
                    self.message(rule, alert, STOCK_REFIRED),
                    rule.components,
                    f"{alert.key} fired again: investigating",
                    alert,
                )
            return
        # A resolution from before the incident's latest firing belongs to an earlier one.
        fired = max((u.at for u in incident.updates if u.status is IncidentStatus.INVESTIGATING),
                    default=incident.updates[0].at)  # fmt: skip
        ended = [a for a in alerts if (a.key in known or full) and a.ends_at and a.ends_at >= fired]
        if not ended:
            return
        latest = max(ended, key=lambda a: (a.ends_at, a.key))
        end = latest.ends_at
        assert end is not None
        target = rule.on_resolved
        if last.status is target and last.at >= end:
            return  # told already
        if target is IncidentStatus.RESOLVED:
            text = self.stock(STOCK_RESOLVED, rule)
            self.post(rule, incident, target, end, text, (), "resolved", latest)
        else:
            back = tuple((cid, ComponentStatus.OPERATIONAL) for cid, _ in rule.components)
            text = self.stock(STOCK_MONITORING, rule)
            self.post(rule, incident, target, end, text, back, "monitoring", latest)

    def create(self, rule: Rule, firing: list[Alert]) -> Incident:
        alert = firing[0]
        at = alert.starts_at
        assert at is not None
        if rule.title:
            title = rule.title
        elif rule.publish_monitor_text:
            title = one_line(alert.summary or alert.name or rule.id, MAX_TITLE_CHARS) or rule.id
        else:
            title = one_line(self.stock(STOCK_TITLE, rule), MAX_TITLE_CHARS)
        text = new_incident_text(
            self.config,
            title,
            at,
            IncidentStatus.INVESTIGATING,
            self.message(rule, alert, STOCK_INVESTIGATING),
            [ComponentChange(cid, status) for cid, status in rule.components],
            rule.impact,
            None,
            triage=Triage(
                detected=at,
                alerts=(rule.key, *(a.key for a in firing)),
                audience=audience_for(self.config, [cid for cid, _ in rule.components]),
            ),
        )
        day = at.astimezone(self.config.timezone).date()
        slug = slugify(title, limit=60) or "incident"
        planned = {f.path for f in self.files.values()}
        path = free_name(self.root / INCIDENTS_DIR, day, slug, planned)
        data = self.noted(text.encode(), path, rule, [_note(alert, at, self.config)])
        return self.keep(path, data, created=True, said=f"opened by {alert.key}")

    def unrecorded_note(self, rule: Rule, left: list[Alert], at: datetime) -> dict[str, str]:
        """The note (and the stderr line) that *left* found no room in the incident."""
        words = _unrecorded(rule, left)
        self.unrecorded.append(words)
        return {"at": format_timestamp(at, self.config.timezone), "alert": rule.key, "said": words}

    def stock(self, message: str, rule: Rule) -> str:
        """*message* in the site's language, naming the rule's components."""
        language = self.config.language
        names = []
        for cid, _ in rule.components:
            component = self.config.component(cid)
            names.append(component.name if component else cid)
        listed = format_list(names, locale=babel_locale(language))
        # `check` has refused a site's rewording that drops or adds a placeholder.
        return site_translations(self.root, language).gettext(message) % {"components": listed}

    def message(self, rule: Rule, alert: Alert, stock: str) -> str:
        """An update's text for *alert*: the monitor's words if the rule publishes them."""
        return _message(alert) if rule.publish_monitor_text else self.stock(stock, rule)

    def noted(
        self,
        data: bytes,
        path: Path,
        rule: Rule,
        notes: list[dict[str, str]],
        *,
        force: bool = False,
    ) -> bytes:
        """*data* with *notes* added to its `monitor_notes:` (not when the rule publishes
        the monitor's words, which the updates hold, unless *force*: what was dropped)."""
        if (rule.publish_monitor_text and not force) or not notes:
            return data
        changed = with_list_items(data, MONITOR_NOTES_KEY, notes, path, Problems(self.root))
        assert changed is not None  # made or parsed by the plan, so its front matter reads
        return changed

    def current(self, incident: Incident) -> tuple[Path, bytes]:
        if incident.id in self.files:
            kept = self.files[incident.id]
            return kept.path, kept.data
        path = self.root / incident.path
        return path, path.read_bytes()

    def set_keys(
        self, rule: Rule, incident: Incident, joined: list[Alert], left: list[Alert]
    ) -> Incident:
        """Append *joined*'s keys to the incident's `alerts:`; note *left*, which did not fit."""
        path, data = self.current(incident)
        keys = [*incident.alerts, *(a.key for a in joined)]
        changed = with_alert_keys(data, keys, path, Problems(self.root))
        assert changed is not None  # the site loaded, so its front matter reads
        if left:
            at = max(a.starts_at or incident.updates[-1].at for a in left)
            note = self.unrecorded_note(rule, left, at)
            changed = self.noted(changed, path, rule, [note], force=True)
        added = ", ".join(a.key for a in joined)
        return self.keep(path, changed, said=f"joined by {added}" if joined else "")

    def post(
        self,
        rule: Rule,
        incident: Incident,
        status: IncidentStatus,
        at: datetime,
        message: str,
        changes: Iterable[tuple[str, ComponentStatus]],
        said: str,
        alert: Alert,
    ) -> None:
        """Add an update after the incident's last one (at least a second after it: updates
        are oldest first, so no two share a time), and what *alert* said to its notes."""
        path, data = self.current(incident)
        at = max(at, incident.updates[-1].at + SECOND)
        block = update_block(status, at, message, self.config.timezone, list(changes))
        changed = with_update(data, block, path, Problems(self.root))
        assert changed is not None  # the site loaded, so the file splits
        changed = self.noted(changed, path, rule, [_note(alert, at, self.config)])
        self.keep(path, changed, said=said)

    def keep(self, path: Path, data: bytes, *, said: str, created: bool = False) -> Incident:
        """Record *data* as the planned bytes of *path*, after parsing it back as valid."""
        text = normalised(data.decode("utf-8-sig"))
        before = self.files.get(path.stem)
        day = date.fromisoformat(path.name[:10])
        parsed = refuse_invalid(path, text, day, self.config)
        kept = _File(path, data, parsed, created or (before is not None and before.created))
        kept.said = [*(before.said if before else []), *([said] if said else [])]
        self.files[parsed.id] = kept
        return parsed


def _unrecorded(rule: Rule, left: list[Alert]) -> str:
    """One line: which of *rule*'s firing alerts its incident has no room for."""
    shown = ", ".join(a.key for a in left[:3]) + (", …" if len(left) > 3 else "")
    return (
        f"{len(left):,} more firing alert(s) of rule {rule.id} not recorded: an incident holds "
        f"at most {MAX_ALERT_KEYS} alert keys ({shown}); the incident stays open until the "
        "rule's alerts resolve"
    )


def _note(alert: Alert, at: datetime, config: Config) -> dict[str, str]:
    """What *alert* said, as one entry of `monitor_notes:` (one line: a note is never a
    line the front matter could end at)."""
    words = " — ".join(t for t in (alert.summary, alert.description) if t.strip())
    said = one_line(words or alert.name or alert.key, MAX_NOTE_CHARS)
    return {"at": format_timestamp(at, config.timezone), "alert": alert.key, "said": said}


def _message(alert: Alert) -> str:
    """An update's text from the alert: its description, else its summary, else its name."""
    text = inert_text(alert.description or alert.summary, MAX_MESSAGE_CHARS)
    return text or f"The monitor reports {one_line(alert.name or alert.key, 200)} firing."
