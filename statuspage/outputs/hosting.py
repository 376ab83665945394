"""Files that static hosts read from the site root: `CNAME` and `.nojekyll`."""

from __future__ import annotations

from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot


def render_hosting_files(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """`.nojekyll` always; `CNAME` when the config names a custom domain.

    GitHub Pages publishing from a branch runs Jekyll, which would hide files and
    folders starting with `_`; `.nojekyll` turns that off. Publishing from a branch
    also reads the custom domain from `CNAME` (an Actions deployment ignores the file
    and uses the domain set in Settings -> Pages; Netlify and others ignore it)."""
    files = {".nojekyll": b""}
    if snapshot.config.cname:
        files["CNAME"] = f"{snapshot.config.cname}\n".encode()
    return ready(files)
