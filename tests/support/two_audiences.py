"""A public page and an internal one: a public API, an internal database and an internal
group; a public incident with an internal-only update between two public ones, and an
internal incident (test_audiences.py, test_search_engines.py)."""

CONFIG = """\
title: Acme Status
base_url: https://status.acme.example/
timezone: UTC
start_date: 2026-12-01
audiences:
  - name: internal
    base_url: https://status.internal.acme.example/
    title: Acme Internal
    brand_color: "#7a1fa2"
components:
  - id: api
    name: Public API
  - id: db
    name: Primary database
    audience: internal
  - group: Back office
    audience: internal
    components:
      - id: billing
        name: Billing worker
"""

API_INCIDENT = """\
---
title: Elevated API error rates
components:
  api: partial_outage
---

## Investigating · 2026-12-07 14:02

Some API requests fail.

## Identified · 2026-12-07 14:20
Audience: internal
Components: api=major_outage, db=major_outage

Failover stuck on replica lag; paging the DBA on call.

## Monitoring · 2026-12-07 14:45
Components: api=operational

A fix is in place.
"""

BILLING_INCIDENT = """\
---
title: Billing backlog
audience: internal
components:
  billing: degraded_performance
---

## Investigating · 2026-12-07 15:00

Invoice queue is 40k deep.
"""
