"""How fresh a page is: when it was built, when readers should be told it may be out of
date, and the one small script, allowed by its hash in the page's Content-Security-Policy,
that compares the build time with the reader's clock.

Inline and allowed by hash rather than a same-origin file under `script-src 'self'`: the
hash lets this exact text run and nothing else, where 'self' would let any script the site
serves run (embed.js among them), and the page needs no second request for it. Its text is
a constant, so the hash is too; what it reads (times, URLs) sits in data- attributes, and
every word it shows is in the page already, translated and hidden, so without JavaScript
nothing changes but that the notices stay hidden.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from statuspage.outputs.api import ApiView
from statuspage.state.snapshot import Snapshot

# Once a minute: is the page now older than `stale_after`? While an incident or maintenance
# is under way (data-summary set), also: has summary.json's `page.updated_at` moved on from
# this page's? Then it shows the hidden "updated" notice in its polite live region, with a
# button to reload: never reloading by itself (WCAG 2.2.1), and checking no more once shown.
# ASCII only; no globals; nothing from the network is shown, only compared.
SCRIPT = """\
(() => {
  "use strict";
  const box = document.getElementById("freshness");
  if (!box) return;
  const built = Date.parse(box.dataset.built), after = Number(box.dataset.staleAfter) * 1000;
  const stale = document.getElementById("stale"), newer = document.getElementById("newer");
  let watching = Boolean(box.dataset.summary && newer && window.fetch);
  const tick = () => {
    if (stale && after > 0 && Date.now() - built > after) stale.hidden = false;
    if (!watching) return;
    fetch(box.dataset.summary, {cache: "no-store"})
      .then((r) => (r.ok ? r.json() : null))
      .then((j) => {
        if (watching && j && j.page && j.page.updated_at !== box.dataset.updated) {
          watching = false;
          newer.hidden = false;
        }
      })
      .catch(() => {});
  };
  const reload = document.getElementById("reload");
  if (reload) reload.addEventListener("click", () => window.location.reload());
  tick();
  window.setInterval(tick, 60000);
})();
//# sourceURL=statuspage-freshness
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


@dataclass(frozen=True, slots=True)
class Freshness:
    """What a page's footer and its script need to know of the build."""

    built: str  # the build's `now`, ISO 8601 (what the script compares with the reader's clock)
    stale_after: int  # seconds; 0: never say the page may be out of date (`stale_after: off`)
    updated: str  # summary.json's `page.updated_at` in this build
    watch: bool  # an incident is open or maintenance under way: look for newer builds
    script: str = SCRIPT
    hash: str = SCRIPT_HASH

    @property
    def scripted(self) -> bool:
        """Whether the page needs its script (and the CSP allows it): with nothing to watch
        (`stale_after: off`, nothing under way) it carries none."""
        return bool(self.stale_after or self.watch)


def freshness(snapshot: Snapshot, watch: bool) -> Freshness:
    """This build's Freshness; *watch* while the page shows something under way."""
    api = ApiView(snapshot)
    after = snapshot.config.stale_after
    return Freshness(
        built=snapshot.now.isoformat(),
        stale_after=int(after.total_seconds()) if after else 0,
        updated=api.time(api.updated_at) or "",
        watch=watch,
    )
