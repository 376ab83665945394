"""The status site as immutable data: config, components, incidents, updates.

The words statuses, impacts and urgencies take are in words.py (re-exported here).
"""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from statuspage.words import INCIDENT_STATUSES as INCIDENT_STATUSES
from statuspage.words import MAINTENANCE_STATUSES as MAINTENANCE_STATUSES
from statuspage.words import ComponentStatus as ComponentStatus
from statuspage.words import Impact as Impact
from statuspage.words import IncidentStatus as IncidentStatus
from statuspage.words import Urgency as Urgency
from statuspage.words import parse_priority as parse_priority
from statuspage.words import priority as priority

# The audience every site has, the narrowest: what everything is shown to unless marked.
PUBLIC = "public"


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    description: str | None = None
    group: str | None = None  # the group's id
    position: int = 0
    start_date: date | None = None
    line: int = 0
    slo: float | None = None  # target uptime in percent, e.g. 99.9
    slo_window_days: int = 30  # the rolling window the SLO is measured over
    audience: str = PUBLIC  # the narrowest audience that sees it (source/audiences.py)


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    components: tuple[str, ...]
    description: str | None = None
    position: int = 0
    collapsed: bool = True
    line: int = 0
    slo: float | None = None
    slo_window_days: int = 30
    audience: str = PUBLIC


@dataclass(frozen=True)
class Audience:
    """One entry of `audiences:`: who a page is for, and its own settings (None: the
    top level's). Audiences are ordered by trust; each sees what those before it see."""

    name: str
    base_url: str
    title: str
    language: str | None = None
    brand_color: str | None = None
    description: str | None = None
    notify: tuple[Endpoint, ...] = ()  # its own `notify:` endpoints
    search_engines: bool | None = None  # None: not written (a private page: False)
    line: int = 0


# Twice the publish workflow's 15-minute schedule (Config.stale_after).
DEFAULT_STALE_AFTER = timedelta(minutes=30)


# An incident's `alerts:` entry naming the rule that opened it: `rule:ID`.
RULE_KEY_PREFIX = "rule:"

# `${VAR}` in a `notify:` value: an environment variable, substituted only when sending.
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Endpoint(NamedTuple):
    """One `notify:` endpoint, a place notifications go; `settings` keep `${VAR}`s until
    `resolve` (notify/endpoints.py), so nothing built from the config holds a secret.
    This and the other records of `notify:` and `alerts:` are NamedTuples: a fifth of a
    frozen dataclass's cost to define, paid by every command at start-up."""

    kind: str  # "webhook" | "email"
    format: str  # slack | discord | teams | json | email
    key: str  # stable id in the state file: a hash of the un-substituted entry
    label: str  # how errors name it: never a secret
    settings: Mapping[str, Any]
    components: tuple[str, ...] | None  # sorted; None: every event
    line: int
    # Only incidents of this ITIL priority or more urgent (1 = P1); maintenance has none.
    min_priority: int | None = None
    # `notify: deadline:`, seconds for everything this endpoint does in a run; None: 60.
    deadline: float | None = None

    @property
    def variables(self) -> list[str]:
        """Environment variables this endpoint needs, by name."""
        return list(dict.fromkeys(VARIABLE.findall(json.dumps(self.settings, sort_keys=True))))


class Rule(NamedTuple):
    """An `alerts:` rule: alerts whose labels include every pair of `match` belong to
    its incident."""

    id: str
    match: tuple[tuple[str, str], ...]
    components: tuple[tuple[str, ComponentStatus], ...]
    impact: Impact | None
    title: str | None
    on_resolved: IncidentStatus  # MONITORING or RESOLVED
    line: int
    # The monitor's own words (its summary and description) as the title and updates;
    # by default they go to the file's `monitor_notes:`, which no output shows.
    publish_monitor_text: bool = False

    @property
    def key(self) -> str:
        """The entry in an incident's `alerts:` that names this rule."""
        return RULE_KEY_PREFIX + self.id

    def matches(self, labels: dict[str, str]) -> bool:
        """Whether every pair of `match` is one of *labels*."""
        return all(labels.get(name) == value for name, value in self.match)


class AlertRules(NamedTuple):
    """The whole `alerts:` section."""

    publish: str
    max_new: int
    rules: tuple[Rule, ...]

    def rule_for(self, labels: dict[str, str]) -> Rule | None:
        """The first rule that *labels* match (rules are tried in the order written)."""
        return next((r for r in self.rules if r.matches(labels)), None)


@dataclass(frozen=True)
class Config:
    title: str
    base_url: str
    timezone: ZoneInfo
    components: tuple[Component, ...]
    groups: tuple[Group, ...]
    description: str | None = None
    language: str = "en"
    languages: tuple[str, ...] = ()  # a multi-language site: `language` first, each a BCP 47 tag
    brand_color: str | None = None
    logo: str | None = None
    cname: str | None = None
    pages_extra: str | None = (
        None  # a workflow file whose `pages-extra` artifact goes beside the page
    )
    feed_limit: int = 50
    history_per_page: int = 20
    email_url: str | None = None  # `subscribe: {email_url:}`: an e-mail sign-up page run elsewhere
    show_slo: bool = False  # mark overspent error budgets on the front page
    # `search_engines:`; False: robots.txt, `_headers` and every page ask not to be indexed.
    search_engines: bool = True
    # ITIL priority (1-5) -> the longest a first public update may take after detection.
    response_targets: tuple[tuple[int, timedelta], ...] = ()
    # `start_date:`, the first day the page reports on (None: not written; see source/start.py).
    start_date: date | None = None
    # `stale_after:`: how old a page may be before readers are told it may be out of date
    # (twice the publish workflow's 15-minute schedule by default; None: `stale_after: off`).
    stale_after: timedelta | None = DEFAULT_STALE_AFTER
    notify: tuple[Endpoint, ...] = ()  # `notify:`, every endpoint
    alerts: AlertRules | None = None  # `alerts:`, None without the section
    upstream: tuple[UpstreamSource, ...] = ()  # `upstream:`, every provider
    upstream_line: int = 0  # where `upstream:` is written, for `upstream pull`'s messages
    path: Path | None = None
    # `audiences:` beyond `public`, narrowest trust first (() without the section).
    audiences: tuple[Audience, ...] = ()
    audience: str = PUBLIC  # whom this config's site is for (source/audience_view.py)

    def component(self, component_id: str) -> Component | None:
        return next((c for c in self.components if c.id == component_id), None)

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    @property
    def component_ids(self) -> list[str]:
        return [c.id for c in self.components]


@dataclass(frozen=True)
class Update:
    status: IncidentStatus
    at: datetime
    body: str  # Markdown source
    components: tuple[tuple[str, ComponentStatus], ...] = ()  # status changes it makes
    line: int = 0
    automatic: bool = False  # written by the generator (a maintenance window opening)
    audience: str = PUBLIC  # `Audience:` under its heading

    @property
    def anchor(self) -> str:
        """Fragment id of this update on its incident page; stable for the same time."""
        return "update-" + self.at.astimezone(UTC).strftime("%Y%m%dt%H%M%Sz")


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Incident:
    id: str
    title: str
    impact: Impact
    components: tuple[tuple[str, ComponentStatus], ...]  # as the incident began
    updates: tuple[Update, ...]  # oldest first
    path: str = ""
    postmortem_url: str | None = None
    maintenance: Window | None = None
    urgency: Urgency = Urgency.MEDIUM
    detected: datetime | None = None  # when a monitor or person first saw it (before any update)
    alerts: tuple[str, ...] = ()  # monitors' alert keys, e.g. "alertmanager:31b4434c8e449f08"
    audience: str = PUBLIC  # `audience:` in its front matter
    # False: `impact:` not written, so derived from the statuses its updates give (and an
    # audience's view derives it again from the updates that audience sees).
    impact_written: bool = True

    @property
    def priority(self) -> int | None:
        """ITIL priority, 1 (P1) to 5; None for maintenance."""
        return None if self.is_maintenance else priority(self.impact, self.urgency)

    @property
    def is_maintenance(self) -> bool:
        return self.maintenance is not None

    @property
    def affected(self) -> list[str]:
        """Every component the incident touches, in first-mentioned order."""
        return list(self._affected)

    @cached_property
    def _affected(self) -> tuple[str, ...]:
        # Asked for by every output for every incident; an Incident never changes.
        seen = dict.fromkeys(cid for cid, _ in self.components)
        for update in self.updates:
            seen.update(dict.fromkeys(cid for cid, _ in update.components))
        return tuple(seen)

    @property
    def created_at(self) -> datetime:
        return self.updates[0].at

    @property
    def started_at(self) -> datetime:
        return self.maintenance.start if self.maintenance else self.updates[0].at


@dataclass(frozen=True)
class Postmortem:
    """The blameless review of one resolved incident (`incidents/<id>.postmortem.md`)."""

    incident_id: str
    body: str  # Markdown source, front matter removed
    published_at: datetime | None = None  # None: a draft, never rendered
    title: str | None = None
    authors: tuple[str, ...] = ()
    path: str = ""
    body_line: int = 0

    def is_published(self, now: datetime) -> bool:
        return self.published_at is not None and self.published_at <= now


@dataclass(frozen=True)
class UpstreamSource:
    """One `upstream:` entry: a provider whose public status the page shows beside ours."""

    id: str
    name: str
    url: str  # its summary.json (Statuspage v2 or Instatus)
    components: tuple[str, ...] = ()  # the provider's components to show, by name; () = none
    affects: tuple[str, ...] = ()  # our component ids that depend on it
    stale_after: timedelta = timedelta(hours=6)
    line: int = 0


@dataclass(frozen=True)
class UpstreamItem:
    """A provider's component or active incident, as its snapshot holds it."""

    name: str
    status: str  # a ComponentStatus word for components; the provider's impact word for incidents
    url: str | None = None  # http(s) only


@dataclass(frozen=True)
class UpstreamMaintenance:
    """A provider's maintenance in progress, or scheduled to start soon after the fetch."""

    name: str
    in_progress: bool
    starts: datetime | None  # None: the provider gave no time we can read
    ends: datetime | None
    url: str | None = None  # http(s) only


@dataclass(frozen=True)
class UpstreamReport:
    """What a provider said, as `upstream pull` last stored it (`upstream/<id>.json`)."""

    as_of: datetime  # when it was last confirmed by a fetch
    indicator: Impact  # the provider's own rollup (none, minor, major, critical, maintenance)
    description: str
    page_url: str | None
    components: tuple[UpstreamItem, ...]
    incidents: tuple[UpstreamItem, ...]
    # Shown beside its status, never as an incident: a provider's planned work is not an outage.
    maintenances: tuple[UpstreamMaintenance, ...] = ()


@dataclass(frozen=True)
class Upstream:
    source: UpstreamSource
    report: UpstreamReport | None  # None: never pulled, or the snapshot is unusable


@dataclass(frozen=True)
class TemplateFile:
    """A template's bytes as read from its file, and that file's path (for error messages)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Theme:
    """Every template a build may render, by name ('index.html', 'assets/style.css')."""

    default: Mapping[str, TemplateFile] = field(default_factory=dict)  # the packaged theme
    own: Mapping[str, TemplateFile] = field(default_factory=dict)  # the site's site-templates/


@dataclass(frozen=True)
class Logo:
    """The configured logo file: where it is published, and its bytes."""

    path: PurePosixPath
    data: bytes


@dataclass(frozen=True)
class Site:
    """Everything a build reads: what source/ loaded, so that no later stage reads a file."""

    config: Config
    incidents: tuple[Incident, ...]  # newest first, then by id
    root: Path | None = None
    warnings: tuple[object, ...] = ()
    # By incident id, drafts included.
    postmortems: dict[str, Postmortem] = field(default_factory=dict)
    upstream: tuple[Upstream, ...] = ()  # third-party providers, in config order
    theme: Theme = field(default_factory=Theme)
    # Each of the site's languages' catalog: the shipped one under the site's own rewordings,
    # which are kept as read too (translations/<language>.po's bytes, by language).
    catalogs: Mapping[str, gettext.NullTranslations] = field(default_factory=dict)
    translation_overrides: Mapping[str, bytes] = field(default_factory=dict)
    logo: Logo | None = None

    @property
    def catalog(self) -> gettext.NullTranslations:
        """The catalog of the config's language (each language edition has its own config);
        without one (a Site made by hand, not loaded) the English msgids pass through."""
        found = self.catalogs.get(self.config.language)
        return found if found is not None else gettext.NullTranslations()

    def incident(self, incident_id: str) -> Incident | None:
        return self._by_id.get(incident_id)

    @cached_property
    def _by_id(self) -> dict[str, Incident]:
        # Pages and the API look incidents up by id for every incident: keep that O(1).
        return {i.id: i for i in reversed(self.incidents)}  # reversed: the first of equal ids wins
