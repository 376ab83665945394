"""Shared by test modules: sites in each API state, and the API's schemas."""

from __future__ import annotations

from pathlib import Path

import jsonschema
from referencing import Registry

from ..conftest import EXAMPLE_INCIDENT, SiteDir

SCHEMAS = Path(__file__).parent.parent / "schemas"


BASE = "https://git-statuspage.invalid/schemas/"


WEB_INCIDENT = """\
---
title: Slow "marketing" <site>
impact: minor
components:
  web: degraded_performance
---

## Resolved · 2026-11-27 10:00 +01:00
Fixed.

## Identified · 2026-11-25 17:05 +01:00
Components: web=partial_outage

A cache node failed; some pages do not load at all.

## Investigating · 2026-11-25 16:40 +01:00
Pages load slowly. Ünïcode & <b>markup</b> stay text.
"""


MAINTENANCE = """\
---
title: Database upgrade
maintenance:
  start: 2026-12-01 02:00
  end: 2026-12-01 04:00
components: [db]
---

## Scheduled · 2026-11-24 10:00 +01:00
We will upgrade the database.
"""


# The instants the fixture is looked at, named by what is going on then.
UPCOMING = "2026-11-24 12:00"  # past incident resolved, maintenance announced


ACTIVE = "2026-11-25 18:00"  # the web incident is open, identified


IN_MAINTENANCE = "2026-12-01 03:00"  # the window is open (nobody posted: automatic)


ALL_CLEAR = "2026-12-10 12:00"  # everything over


def add_incidents(site_dir: SiteDir) -> SiteDir:
    """The fixture site: a resolved incident, one that is open for a while, a maintenance."""
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    site_dir.incident("2026-11-25-web.md", WEB_INCIDENT)
    site_dir.incident("2026-12-01-db-upgrade.md", MAINTENANCE)
    return site_dir


def validator(registry: Registry, schema_name: str) -> jsonschema.Draft202012Validator:
    schema = registry.contents(BASE + schema_name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)
