"""The part of a site `alert` reads: statuspage.yaml, and the incident files that name one
of its `alerts:` rules, parsed; not the whole history.

An alert can only join or update an incident whose `alerts:` list holds its rule's key
(`rule:ID`); any other file it writes is a new one. A file is read as before when its
bytes hold a rule's key as written, a backslash (a YAML escape can spell a key without
its letters) or a NUL byte (UTF-16 spells it with them: refused, as before); the rest are
not parsed, so a webhook run in CI does not pay for every incident a site ever had.
`statuspage check` validates those, as the check workflow does.
"""

from __future__ import annotations

from pathlib import Path

from statuspage.errors import Problems
from statuspage.model import Config, Incident, Site
from statuspage.source.config import load_config
from statuspage.source.incident_file import (
    INCIDENTS_DIR,
    MAX_FILE_BYTES,
    load_incident,
    load_incidents,
)
from statuspage.source.site_folder import LINKED_OUT, SiteFolder
from statuspage.source.translations import check_overrides


class _RuleFiles:
    """An IncidentCache (source/incident_file.py) that loads only the files naming a rule."""

    def __init__(self, keys: tuple[bytes, ...]) -> None:
        self.keys = keys

    def load(self, path: Path, config: Config, problems: Problems) -> Incident | None:
        if path.stat().st_size > MAX_FILE_BYTES:
            return load_incident(path, config, problems)  # which refuses it, saying why
        data = path.read_bytes()
        if b"\\" in data or b"\0" in data or any(key in data for key in self.keys):
            return load_incident(path, config, problems, data)
        return None


def load_alert_site(root: Path) -> tuple[Site | None, Problems]:
    """The site in *root* with its config and the incidents that name one of its `alerts:`
    rules, or None; the Problems hold every error and warning found in what was read."""
    problems = Problems(root)
    config = load_config(root, problems)
    if config is None:
        return None, problems
    if SiteFolder(root).inside(INCIDENTS_DIR) is None:  # alert would write where it leads
        problems.error(root / INCIDENTS_DIR, 0, LINKED_OUT)
    for language in config.languages or (config.language,):
        check_overrides(root, language, problems)  # the stock updates are written in it
    rules = config.alerts.rules if config.alerts else ()
    keys = tuple(rule.key.encode() for rule in rules)
    incidents = load_incidents(root, config, problems, _RuleFiles(keys))
    if problems.errors:
        return None, problems
    return Site(config=config, incidents=tuple(incidents), root=root), problems
