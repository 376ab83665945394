"""What a build's inputs are, stated once: what every key of the build cache is made of.

- `source_key`: everything a build reads (sources, config, code, theme, `now`),
  hashed without parsing any of it: the no-op check compares it with the last build's;
- `parse_key`: what an incident file's parse depends on besides its bytes (the parse cache);
- `Inputs`: what an output's key names (the code and theme, every field of the Site
  (`site_slices`) and the string overrides once, and each incident's file and
  postmortem), used for page and feed keys.

Kept free of renderers, so that `statuspage build` with nothing to do imports no
Jinja, Markdown, lxml, ...: that import alone used to cost more than the check.
"""

from __future__ import annotations

import os
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from statuspage.model import Config, Site
from statuspage.outputs.output import Output
from statuspage.pipeline.fingerprint import (
    code_fingerprint,
    config_key,
    digest,
    file_contents,
    overrides_fingerprint,
    user_templates_fingerprint,
)
from statuspage.pipeline.source_stats import SourceStats
from statuspage.source.incident_file import INCIDENTS_DIR
from statuspage.source.logo import site_logo
from statuspage.source.upstream import UPSTREAM_DIR


def source_key(root: Path, config: Config, now: datetime, stats: SourceStats | None = None) -> str:
    """Everything a build reads, hashed: equal keys mean byte-identical output.

    *config* is the effective one (after --base-url). Reads every source file (or, with
    *stats*, those the stat manifest cannot vouch for), but parses none."""
    parts: list[str | bytes] = [
        code_fingerprint(),
        user_templates_fingerprint(root),
        config_key(config),
        now.isoformat(),
    ]
    folder = root / INCIDENTS_DIR
    if folder.is_dir():
        with os.scandir(folder) as listing:
            entries = [e for e in listing if e.name.endswith(".md") and not e.name.startswith(".")]
        entries.sort(key=lambda e: e.name)
        for entry in entries:
            parts += [entry.name, str(entry.is_symlink()), _entry_digest(entry, stats)]
    # Other files the build reads: string overrides, providers' snapshots and the logo.
    parts += [overrides_fingerprint(root), upstream_fingerprint(root)]
    if config.logo and (logo := site_logo(config.logo, root)):
        parts += [str(logo[0]), file_contents(logo[1])]
    return digest(*parts)


def upstream_fingerprint(root: Path) -> str:
    """The providers' snapshots (`upstream/*.json`): the pages and API show them."""
    folder = root / UPSTREAM_DIR
    if not folder.is_dir():
        return ""
    found = sorted(folder.glob("*.json"), key=lambda p: p.name)
    return digest(*(part for p in found for part in (p.name, file_contents(p))))


def _entry_digest(entry: os.DirEntry[str], stats: SourceStats | None) -> str:
    """digest(name, bytes) of a listed file (the parse cache's key for it): a regular file's
    from *stats* when they vouch for it; anything unusual as `file_contents` reads it."""
    try:
        if entry.is_file(follow_symlinks=False):
            if stats is not None:
                st = entry.stat(follow_symlinks=False)
                return stats.digest(entry.name, st, lambda: Path(entry.path).read_bytes())
            with Path(entry.path).open("rb") as f:
                return digest(entry.name, f.read())
    except OSError:
        pass
    return digest(entry.name, file_contents(Path(entry.path)))


def parse_key(config: Config) -> str:
    """What every incident file's parse depends on besides its own bytes."""
    return digest(code_fingerprint(), config_key(config))


# Site fields that are not in every key: the incidents and their postmortems (each output
# names those it shows, `Inputs.incident`), where the folder is (error messages only), and
# the catalogs, made from what is keyed already (the package's .mo files are in the code
# fingerprint, the site's .po files are `translation_overrides`); their repr names memory
# addresses, so keying them would remake every output on every build.
PER_INCIDENT = frozenset({"incidents", "postmortems"})
NOT_AN_INPUT = frozenset({"root", "catalogs"})


def site_slices(site: Site) -> dict[str, str]:
    """A digest of each field of *site* that every output may read: all of them but
    PER_INCIDENT and NOT_AN_INPUT, so a field added to Site is in every key without a
    word here (a forgotten part cannot serve a stale page; at worst, it remakes more)."""
    found = {}
    for item in fields(site):
        if item.name in PER_INCIDENT | NOT_AN_INPUT:
            continue
        value = getattr(site, item.name)
        found[item.name] = config_key(value) if isinstance(value, Config) else digest(repr(value))
    return found


class Inputs:
    """What the keys of one build's outputs name."""

    def __init__(self, site: Site, digests: dict[str, str], site_key: str | None) -> None:
        assert site.root is not None
        self.base = digest(
            code_fingerprint(),
            *site_slices(site).values(),
            overrides_fingerprint(site.root),
        )
        self.digests = digests  # incident id -> digest of its file's name and bytes
        self.postmortems = {i: digest(repr(p)) for i, p in site.postmortems.items()}
        self.user_templates = user_templates_fingerprint(site.root)
        self.site_key = site_key

    def incident(self, incident_id: str) -> str | None:
        """What names the incident's file's bytes and its postmortem's (None if unknown)."""
        known = self.digests.get(incident_id)
        if known is None:
            return None
        return f"{incident_id}:{known}:{self.postmortems.get(incident_id, '')}"

    def key(self, path: str, output: Output, now: datetime) -> str | None:
        """The key of *output* at *path*, or None when it has none we can name.

        A site with its own templates may show anything on any page, so there a page's
        key also holds every source file (the site key) and `now`: reuse then happens
        only when nothing changed."""
        if output.parts is None:
            return None
        named = [self.incident(i) for i in output.incidents]
        theme: tuple[str, ...] = ()
        if output.page and self.user_templates:
            if self.site_key is None:
                return None
            theme = (self.user_templates, self.site_key, now.isoformat())
        if any(n is None for n in named):
            return None
        return digest(self.base, path, *theme, *output.parts, *(n for n in named if n is not None))
