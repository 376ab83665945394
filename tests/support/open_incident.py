"""One open incident, the smallest a page shows as active: several tests build a site
around it (the cache seal, the trust checks, the compiled-template store)."""

API_ERRORS = """\
---
title: API errors
impact: major
components: {api: partial_outage}
---
## Investigating · 2026-11-20 14:02

We are looking into it.
"""
