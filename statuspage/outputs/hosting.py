"""Files that static hosts read from the site root: `CNAME`, `.nojekyll` and `_headers`."""

from __future__ import annotations

from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot

# Netlify's and Cloudflare Pages' header rules: the API and embed.js may be read from any
# origin (GitHub Pages sends this header on every file already; README, "Embedding").
# Kept on a private audience's page too: `*` never lets a browser read a response to a
# request that carried cookies or credentials (and embed.js sends none), so another site's
# script reads only what the host gives anyone who asks without signing in. A host that
# lets readers in by network alone (VPN, office IP) is not private to a browser whatever
# this says; docs/how-to/audiences.md warns against it.
HEADERS = """\
/api/*
  Access-Control-Allow-Origin: *
/embed.js
  Access-Control-Allow-Origin: *
"""
# RFC 8631: every response says where the page's status is, as each page's <head> does.
STATUS_LINK = """\
/*
  Link: <{base_url}api/v2/status.json>; rel="status"; type="application/json"
"""
# `search_engines: false`: every file, not only the pages (feeds, JSON, badges), is to be
# neither indexed nor followed; a line of the `/*` rule above (both hosts apply every rule
# a path matches, so one rule for `/*` is the plain way to write it).
NO_ROBOTS = "  X-Robots-Tag: noindex, nofollow\n"


def render_hosting_files(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """`.nojekyll` and `_headers` always; `CNAME` when the config names a custom domain.

    GitHub Pages publishing from a branch runs Jekyll, which would hide files and
    folders starting with `_`; `.nojekyll` turns that off. Publishing from a branch
    also reads the custom domain from `CNAME` (an Actions deployment ignores the file
    and uses the domain set in Settings -> Pages; Netlify and others ignore it)."""
    headers = HEADERS + STATUS_LINK.format(base_url=snapshot.config.base_url)
    if not snapshot.config.search_engines:
        headers += NO_ROBOTS
    files = {".nojekyll": b"", "_headers": headers.encode()}
    if snapshot.config.cname:
        files["CNAME"] = f"{snapshot.config.cname}\n".encode()
    return ready(files)
