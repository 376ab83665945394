"""The `alerts:` section of statuspage.yaml -> AlertRules, validated with file:line.

What users write is read here, in source/; alerts/ applies the rules to what
monitors send. Each rule has an id, kept in the `alerts:` list of the incidents it
opens as `rule:ID`, so that later alerts of the rule find its open incident from
the files alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from statuspage.errors import Problems
from statuspage.model import AlertRules, ComponentStatus, Config, Impact, IncidentStatus, Rule
from statuspage.source.incident_file import MAX_TITLE_CHARS, component_id
from statuspage.source.names import listing, slugify, suggest
from statuspage.source.section_parser import SectionParser
from statuspage.source.section_schemas import ALERTS, RULE
from statuspage.source.yamlfile import YamlList, YamlMap

SECTION_KEYS = ALERTS.names
RULE_KEYS = RULE.names
PUBLISH = ALERTS.key("publish").allowed
ON_RESOLVED = {"monitoring": IncidentStatus.MONITORING, "resolved": IncidentStatus.RESOLVED}
MAX_RULES = 200
MAX_ID_CHARS = 60


def read_alert_rules(raw: object, config: Config, problems: Problems) -> AlertRules | None:
    """The `alerts:` section (*raw*, as written); None when it is absent or has errors
    (recorded in *problems*); *config* is the rest of the file, read."""
    if raw is None:
        return None
    before = len(problems.errors)
    rules = _Parser(config.path or Path("statuspage.yaml"), problems, config).section(raw)
    return rules if len(problems.errors) == before else None


class _Parser(SectionParser):
    def section(self, raw: Any) -> AlertRules:
        if not isinstance(raw, YamlMap):
            self.error(getattr(raw, "line", 0), "`alerts:` must be a mapping with `rules:`")
            return AlertRules("pull_request", 5, ())
        self.unknown_keys(raw, SECTION_KEYS, "alerts")
        publish = raw.get("publish", "pull_request")
        if publish not in PUBLISH:
            self.error(
                raw.line_of("publish"),
                f"`publish:` must be pull_request (a person reviews each change) or direct, not "
                f"{publish!r}{suggest(str(publish), list(PUBLISH))}",
            )
        max_new = raw.get("max_new", 5)
        if not isinstance(max_new, int) or isinstance(max_new, bool) or not 1 <= max_new <= 100:
            self.error(raw.line_of("max_new"), "`max_new:` must be a whole number from 1 to 100")
            max_new = 5
        entries = raw.get("rules")
        rules: list[Rule] = []
        if not isinstance(entries, YamlList) or not entries:
            self.error(
                raw.line_of("rules"),
                "`rules:` is required: a list of `- match: {alertname: ...}` and `components: "
                "{api: major_outage}` entries",
            )
        elif len(entries) > MAX_RULES:
            self.error(raw.line_of("rules"), f"more than {MAX_RULES} rules; match on fewer labels")
        else:
            for entry, line in zip(entries, entries.item_lines, strict=True):
                rule = self.rule(entry, line)
                if rule is not None:
                    rules.append(rule)
            self.refuse_shadowed_and_duplicates(rules)
        return AlertRules(str(publish), max_new, tuple(rules))

    def rule(self, entry: Any, line: int) -> Rule | None:
        if not isinstance(entry, YamlMap):
            self.error(
                line, "a rule must be a mapping: `- match: {alertname: CheckoutErrorRate}` ..."
            )
            return None
        before = len(self.problems.errors)
        self.unknown_keys(entry, RULE_KEYS, "rule")
        match = self.match(entry)
        components = self.components(entry)
        impact = None
        if "impact" in entry:
            impact = Impact.parse(entry["impact"])
            words = [w for w in Impact.words() if w != "maintenance"]
            if impact is None or impact is Impact.MAINTENANCE:
                self.error(
                    entry.line_of("impact"),
                    f"`impact:` must be one of {', '.join(words)}, not {entry['impact']!r}"
                    f"{suggest(str(entry['impact']), words)}",
                )
        title = entry.get("title")
        if title is not None and (
            not isinstance(title, str) or not title.strip() or "\n" in title.strip()
        ):
            self.error(entry.line_of("title"), "`title:` must be one line of text")
            title = None
        elif isinstance(title, str) and len(title.strip()) > MAX_TITLE_CHARS:
            self.error(entry.line_of("title"), f"`title:` is over {MAX_TITLE_CHARS} characters")
        on_resolved = entry.get("on_resolved", "monitoring")
        if not isinstance(on_resolved, str) or on_resolved not in ON_RESOLVED:
            self.error(
                entry.line_of("on_resolved"),
                "`on_resolved:` must be monitoring (components back to operational; a person "
                f"resolves) or resolved, not {on_resolved!r}"
                f"{suggest(str(on_resolved), list(ON_RESOLVED))}",
            )
        publish_text = entry.get("publish_monitor_text", False)
        if not isinstance(publish_text, bool):
            self.error(
                entry.line_of("publish_monitor_text"),
                "`publish_monitor_text:` must be true (the monitor's summary and description are "
                f"the incident's title and text) or false, not {publish_text!r}",
            )
        rule_id = self.rule_id(entry, match)
        if len(self.problems.errors) > before or rule_id is None:
            return None
        return Rule(
            id=rule_id,
            match=match,
            components=components,
            impact=impact,
            title=title.strip() if isinstance(title, str) else None,
            on_resolved=ON_RESOLVED[str(on_resolved)],
            line=line,
            publish_monitor_text=publish_text is True,
        )

    def match(self, entry: YamlMap) -> tuple[tuple[str, str], ...]:
        value = entry.get("match")
        if not isinstance(value, YamlMap) or not value:
            self.error(
                entry.line_of("match"),
                "`match:` is required: the labels an alert must have, e.g. "
                "{alertname: CheckoutErrorRate} (Uptime Kuma: {monitor: Checkout})",
            )
            return ()
        pairs = []
        for name, wanted in value.items():
            if isinstance(wanted, bool) or not isinstance(wanted, str | int) or wanted == "":
                # A list, mapping, empty or true/false value equals no label's text.
                self.error(
                    value.line_of(name),
                    f"`match:` {name}: must be the label's text, not {wanted!r}; this rule could "
                    "never match",
                )
                continue
            pairs.append((str(name), str(wanted)))
        return tuple(sorted(pairs))

    def components(self, entry: YamlMap) -> tuple[tuple[str, ComponentStatus], ...]:
        value = entry.get("components")
        if not isinstance(value, YamlMap) or not value:
            self.error(
                entry.line_of("components"),
                "`components:` is required: the components the alert affects and their status, "
                "e.g. {api: major_outage}",
            )
            return ()
        known = self.config.component_ids
        found = []
        for typed, word in value.items():
            cid = component_id(typed, known)
            status = ComponentStatus.parse(word)
            if cid is None:
                self.error(
                    value.line_of(typed),
                    f"unknown component {typed!r}{suggest(str(typed), known)} (known: "
                    f"{listing(known, empty='none; add them to statuspage.yaml')})",
                )
            elif status is None or status is ComponentStatus.OPERATIONAL:
                words = [w for w in ComponentStatus.words() if w != "operational"]
                self.error(
                    value.line_of(typed),
                    f"component status {word!r} for {cid}: an alert means one of "
                    f"{', '.join(words)}{suggest(str(word), words)}",
                )
            else:
                found.append((cid, status))
        return tuple(found)

    def rule_id(self, entry: YamlMap, match: tuple[tuple[str, str], ...]) -> str | None:
        given = entry.get("id")
        if given is None:
            derived = slugify("-".join(v for _, v in match), limit=MAX_ID_CHARS)
            return derived or "rule"
        if not isinstance(given, str) or slugify(given, limit=MAX_ID_CHARS) != given:
            fixed = slugify(str(given), limit=MAX_ID_CHARS) or "checkout-errors"
            self.error(
                entry.line_of("id"),
                f"a rule `id:` is lower-case letters, digits and -: use `id: {fixed}`",
            )
            return None
        return given

    def refuse_shadowed_and_duplicates(self, rules: list[Rule]) -> None:
        for n, rule in enumerate(rules):
            for earlier in rules[:n]:
                if earlier.id == rule.id:
                    self.error(
                        rule.line,
                        f"rule id {rule.id!r} is also the id of the rule on line {earlier.line}; "
                        "give one of them its own `id:` (incidents find their rule by it)",
                    )
                elif set(earlier.match) <= set(rule.match):
                    self.error(
                        rule.line,
                        f"this rule can never match: the rule on line {earlier.line} takes every "
                        "alert it would (rules are tried in order); put it first or remove it",
                    )
