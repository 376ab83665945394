"""Shared by test modules: git repositories of a status site for reviews."""

from __future__ import annotations

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"]  # fmt: skip


CONFIG = """\
title: Test Status
base_url: https://status.test.example/
timezone: Europe/Berlin
start_date: 2026-06-01
components:
  - id: api
    name: Public API
  - group: Website
    id: website
    components:
      - {id: web, name: Marketing site}
  - id: db
    name: Database
notify:
  webhooks:
    - url: ${HOOK_URL}
      format: json
"""


OPEN = """\
---
title: API errors
impact: major
components:
  api: partial_outage
  db: degraded_performance
---

## Identified · 2026-12-07 10:30 +01:00
The cause is a bad deploy.

## Investigating · 2026-12-07 10:00 +01:00
We are seeing **elevated** errors.
"""
