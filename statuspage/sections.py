"""The typed records of statuspage.yaml's `notify:` and `alerts:` sections, which
Config carries (model.py). Apart from model.py because only the commands that use those
sections, and the checks that make them, need them: a no-op build loads neither."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from statuspage.model import ComponentStatus, Impact, IncidentStatus

# An incident's `alerts:` entry naming the rule that opened it: `rule:ID`.
RULE_KEY_PREFIX = "rule:"

# `${VAR}` in a `notify:` value: an environment variable, substituted only when sending.
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Endpoint:
    """One `notify:` endpoint, a place notifications go; `settings` keep `${VAR}`s until
    `resolve` (notify/endpoints.py), so nothing built from the config holds a secret."""

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


@dataclass(frozen=True)
class Rule:
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


@dataclass(frozen=True)
class AlertRules:
    """The whole `alerts:` section."""

    publish: str
    max_new: int
    rules: tuple[Rule, ...]

    def rule_for(self, labels: dict[str, str]) -> Rule | None:
        """The first rule that *labels* match (rules are tried in the order written)."""
        return next((r for r in self.rules if r.matches(labels)), None)
