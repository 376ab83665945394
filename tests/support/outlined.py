"""Shared by test modules: a message written in the outline format."""

from __future__ import annotations

OPEN_AT = "2026-11-20 15:00"


OUTLINED = """\
---
title: API errors
---

## Identified · 2026-11-20 14:30 +01:00
Components: api=major_outage

Requests fail; see https://runbooks.example.com/api?x=1 for what to do.

### Workaround
Retry with `--slow`, or read www.example.org/status.

#### Details
Mail ops@example.com. Not a link: javascript:alert(1)
"""
