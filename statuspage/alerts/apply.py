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

from statuspage.alerts.payloads import MAX_MESSAGE_CHARS, Alert, inert_text, one_line
from statuspage.authoring.incidents import Change as ComponentChange
from statuspage.authoring.incidents import Triage, new_incident_text
from statuspage.errors import Problems
from statuspage.model import ComponentStatus, Config, Incident, IncidentStatus, Site
from statuspage.source.alert_rules import AlertRules, Rule
from statuspage.source.incident_file import INCIDENTS_DIR, MAX_TITLE_CHARS
from statuspage.source.incident_text import (
    free_name,
    normalised,
    refuse_invalid,
    update_block,
    with_alert_keys,
    with_update,
    write_file,
)
from statuspage.source.names import slugify
from statuspage.source.site_folder import SiteFolder

SECOND = timedelta(seconds=1)
MONITORING_MESSAGE = "The monitor reports this resolved; we are watching before we close it."
RESOLVED_MESSAGE = "The monitor reports this resolved."


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


@dataclass(frozen=True)
class Change:
    """One file to write, and what happened to it in words."""

    path: Path
    data: bytes
    created: bool
    said: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """Every file change one payload makes, and the alerts no rule takes."""

    changes: tuple[Change, ...]
    ignored: tuple[Alert, ...]


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
    return Plan(changes, tuple(ignored))


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
        if firing and incident is None:
            incident = self.create(rule, firing)
        if incident is None:
            return  # only resolutions, of no open incident: told already, or never ours
        known = set(incident.alerts)
        new_keys = [a.key for a in firing if a.key not in known]
        if new_keys:
            incident = self.set_keys(incident, [*incident.alerts, *new_keys])
        last = incident.updates[-1]
        if firing:
            refired = [a for a in firing if a.starts_at and a.starts_at > last.at]
            if last.status is IncidentStatus.MONITORING and refired:
                alert = refired[0]
                assert alert.starts_at is not None
                self.post(
                    incident,
                    IncidentStatus.INVESTIGATING,
                    alert.starts_at,
                    _message(alert),
                    rule.components,
                    f"{alert.key} fired again: investigating",
                )
            return
        # A resolution from before the incident's latest firing belongs to an earlier one.
        fired = max((u.at for u in incident.updates if u.status is IncidentStatus.INVESTIGATING),
                    default=incident.updates[0].at)  # fmt: skip
        ended = [a for a in alerts if a.key in known and a.ends_at and a.ends_at >= fired]
        if not ended:
            return
        end = max(a.ends_at for a in ended if a.ends_at is not None)
        target = rule.on_resolved
        if last.status is target and last.at >= end:
            return  # told already
        if target is IncidentStatus.RESOLVED:
            self.post(incident, target, end, RESOLVED_MESSAGE, (), "resolved")
        else:
            back = tuple((cid, ComponentStatus.OPERATIONAL) for cid, _ in rule.components)
            self.post(incident, target, end, MONITORING_MESSAGE, back, "monitoring")

    def create(self, rule: Rule, firing: list[Alert]) -> Incident:
        alert = firing[0]
        at = alert.starts_at
        assert at is not None
        title = rule.title or one_line(alert.summary or alert.name or rule.id, MAX_TITLE_CHARS)
        text = new_incident_text(
            self.config,
            title or rule.id,
            at,
            IncidentStatus.INVESTIGATING,
            _message(alert),
            [ComponentChange(cid, status) for cid, status in rule.components],
            rule.impact,
            None,
            triage=Triage(detected=at, alerts=(rule.key, *(a.key for a in firing))),
        )
        day = at.astimezone(self.config.timezone).date()
        slug = slugify(title, limit=60) or "incident"
        planned = {f.path for f in self.files.values()}
        path = free_name(self.root / INCIDENTS_DIR, day, slug, planned)
        return self.keep(path, text.encode(), created=True, said=f"opened by {alert.key}")

    def current(self, incident: Incident) -> tuple[Path, bytes]:
        if incident.id in self.files:
            kept = self.files[incident.id]
            return kept.path, kept.data
        path = self.root / incident.path
        return path, path.read_bytes()

    def set_keys(self, incident: Incident, keys: list[str]) -> Incident:
        path, data = self.current(incident)
        changed = with_alert_keys(data, keys, path, Problems(self.root))
        assert changed is not None  # the site loaded, so its front matter reads
        added = ", ".join(k for k in keys if k not in incident.alerts)
        return self.keep(path, changed, said=f"joined by {added}")

    def post(
        self,
        incident: Incident,
        status: IncidentStatus,
        at: datetime,
        message: str,
        changes: Iterable[tuple[str, ComponentStatus]],
        said: str,
    ) -> None:
        """Add an update after the incident's last one (at least a second after it: updates
        are oldest first, so no two share a time)."""
        path, data = self.current(incident)
        at = max(at, incident.updates[-1].at + SECOND)
        block = update_block(status, at, message, self.config.timezone, list(changes))
        changed = with_update(data, block, path, Problems(self.root))
        assert changed is not None  # the site loaded, so the file splits
        self.keep(path, changed, said=said)

    def keep(self, path: Path, data: bytes, *, said: str, created: bool = False) -> Incident:
        """Record *data* as the planned bytes of *path*, after parsing it back as valid."""
        text = normalised(data.decode("utf-8-sig"))
        before = self.files.get(path.stem)
        day = date.fromisoformat(path.name[:10])
        parsed = refuse_invalid(path, text, day, self.config)
        kept = _File(path, data, parsed, created or (before is not None and before.created))
        kept.said = [*(before.said if before else []), said]
        self.files[parsed.id] = kept
        return parsed


def _message(alert: Alert) -> str:
    """An update's text from the alert: its description, else its summary, else its name."""
    text = inert_text(alert.description or alert.summary, MAX_MESSAGE_CHARS)
    return text or f"The monitor reports {one_line(alert.name or alert.key, 200)} firing."
