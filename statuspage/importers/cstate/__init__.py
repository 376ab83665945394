"""A cState site (config.yml + content/issues/*.md) -> statuspage.yaml + incidents/*.md.

The result is returned as text, validated with the same parser `statuspage check`
uses; `importers/target.py` writes it. Whatever does not map exactly is imported anyway and
reported as a warning naming the source file (`Report.kinds` counts them by kind).
The steps, in order: site.py (the folder, the config's page settings), catalog.py
(systems and categories), issue.py (one issue's front matter), updates.py (its body's
parts as updates), incident.py (the incident or maintenance file it becomes).

Mapping, in short (README "Moving from cState" has the user's version):
- `params.systems` -> components (id slugified from the name); titled
  `params.categories` -> groups; untitled categories (their name was never
  shown) -> ungrouped components; `affected` names the config lacks -> extra
  components in an "Other systems" group, each file that uses one warned.
- severity down/disrupted/notice -> major_outage/partial_outage/
  degraded_performance for every affected component, impact critical/major/minor;
  `informational: true` -> impact none, components listed as operational.
- dates without an offset are wall-clock times in the chosen zone.
- the body is cut at update markers (see text.py); a marker with a time
  becomes an update at that time, an opening marker takes `date`, a closing one
  the resolution time; undated markers stay as bold text in the update before them.
- an issue dated after the import's *now* with a `resolvedWhen` after its date is
  a maintenance notice: a window from `date` to `resolvedWhen`, announced now.
- a past, resolved issue that is clearly planned work (its title says maintenance,
  scheduled or planned, or its text "maintenance window", "planned downtime", ...)
  with a `resolvedWhen` after its date is a completed window from `date` to
  `resolvedWhen` (warning kind `past-maintenance`), so it counts as no outage.
- an update left with no text (`date:` before the first message's time) says the title.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from statuspage.errors import Problems
from statuspage.importers.cstate.catalog import Catalog, add_other_group, read_catalog
from statuspage.importers.cstate.context import Context
from statuspage.importers.cstate.incident import convert_issue
from statuspage.importers.cstate.report import Imported, Report, line_of
from statuspage.importers.cstate.site import (
    LINKED_OUT,
    config_text,
    find_config,
    find_issues,
    linked_out,
    read_config,
    read_settings,
    read_zone_setting,
)
from statuspage.model import Config
from statuspage.source.config import CONFIG_NAME
from statuspage.source.config_components import ID_PATTERN
from statuspage.source.incident_file import INCIDENTS_DIR, parse_incident

__all__ = ["Imported", "Report", "import_cstate", "read_zone_setting"]


def import_cstate(source: Path, zone: ZoneInfo, now: datetime) -> Imported:
    """Read the cState site in *source*; the new site's files, or a report with errors.

    *now* decides which issues are still to come (maintenance notices) and is the
    time those notices are said to be announced."""
    config_path = find_config(source)
    issues_dir = find_issues(source)
    report = Report()
    data = read_config(config_path, report)
    if data is None:
        return Imported({}, report)
    settings = read_settings(data, config_path, report)
    catalog = read_catalog(_params(data, config_path, report), config_path, report)
    ctx = Context(zone, now, settings.base_url, catalog, report)
    result = Imported({}, report)
    _convert_issues(source, issues_dir, ctx, result)
    _note_other_files(issues_dir, report)
    add_other_group(catalog)
    result.components = len(catalog.components)
    result.files = {
        CONFIG_NAME: config_text(settings, zone, catalog, source),
        **dict(sorted(result.files.items())),
    }
    _validate(result, zone, catalog, settings.base_url)
    return result


def _params(data: dict[str, Any], path: Path, report: Report) -> dict[str, Any]:
    """The config's `params:`, where cState keeps its systems and categories."""
    params = data.get("params") or {}
    if isinstance(params, dict):
        return params
    report.warn(
        "config", path, line_of(data, "params"), "`params:` is not a mapping; no systems imported"
    )
    return {}


def _convert_issues(source: Path, issues_dir: Path, ctx: Context, result: Imported) -> None:
    """Each issue file into *result*: an incident or a maintenance window, or skipped."""
    for path in sorted(issues_dir.glob("*.md")):
        result.issues += 1
        if linked_out(source, path):
            ctx.report.warn("skipped", path, 0, LINKED_OUT)
            result.skipped.append(path.name)
            continue
        converted = convert_issue(path, ctx)
        if converted is None:
            result.skipped.append(path.name)
            continue
        result.files[f"{INCIDENTS_DIR}/{converted.name}.md"] = converted.text
        result.maintenances += converted.maintenance
        result.incidents += not converted.maintenance


def _note_other_files(issues_dir: Path, report: Report) -> None:
    """Warn of each file beside the issues that is not one (images, notes, ...)."""
    for path in sorted(
        p for p in issues_dir.iterdir() if not p.name.endswith(".md") and not p.name.startswith(".")
    ):
        report.warn("skipped", path, 0, "not a Markdown file; not imported")


def _validate(result: Imported, zone: ZoneInfo, catalog: Catalog, base_url: str) -> None:
    """Parse every generated incident as `statuspage check` will; a failure is our bug, reported."""
    config = Config(
        title="import",
        base_url=base_url,
        timezone=zone,
        components=tuple(catalog.components),
        groups=tuple(catalog.groups),
    )
    for rel, text in result.files.items():
        if not rel.startswith(INCIDENTS_DIR + "/"):
            continue
        path = Path(rel)
        problems = Problems()
        if parse_incident(path, text, date.fromisoformat(path.name[:10]), config, problems) is None:
            for p in problems.errors:
                result.report.error(
                    Path(p.path),
                    p.line,
                    f"the import produced an invalid file (please report this): {p.message}",
                )
    for cid in (c.id for c in catalog.components):
        assert ID_PATTERN.match(cid), cid
