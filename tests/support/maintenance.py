"""Shared by test modules: a maintenance window incident."""

from __future__ import annotations

MAINTENANCE = """\
---
title: Database upgrade
maintenance:
  start: 2026-12-01 02:00
  end: 2026-12-01 04:00
components: [db]
---

## Scheduled · 2026-11-25 10:00
We will upgrade the database.
"""
