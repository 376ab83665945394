"""What a build's inputs are, stated once: what every key of the build cache is made of.

- `source_key`: everything a build reads (sources, config, code, theme, `now`),
  hashed without parsing any of it: the no-op check compares it with the last build's;
- `parse_key`: what an incident file's parse depends on besides its bytes (the parse cache);
- `Inputs`: what an output's key names (the code, every field of the Site (`site_slices`:
  the theme, catalogs, string overrides and logo as loaded, never read again from the
  folder) and each incident's file and postmortem), used for page and feed keys.

Kept free of renderers, so that `statuspage build` with nothing to do imports no
Jinja, Markdown, lxml, ...: that import alone used to cost more than the check.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from statuspage.model import Config, Logo, Site, TemplateFile, Theme
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
    return {
        item.name: digest(*value_parts(getattr(site, item.name)))
        for item in fields(site)
        if item.name not in PER_INCIDENT | NOT_AN_INPUT
    }


def value_parts(value: object) -> list[str | bytes]:
    """What *value* holds, as parts of a digest that is the same in every process: a key
    read by the next build (another process) must not hold an object's address."""
    if isinstance(value, Config):
        return [config_key(value)]
    if isinstance(value, Theme):
        return ["default", *value_parts(value.default), "own", *value_parts(value.own)]
    if isinstance(value, TemplateFile):  # its bytes, not where it was read
        return [value.data]
    if isinstance(value, Logo):
        # Its bytes are published as they are, by an output made on every build (brand.py);
        # the theme shows only where it is (tests/test_build_inputs.py checks both). A
        # site's own templates could show more: their pages' keys hold the site key.
        return [str(value.path)]
    if isinstance(value, Mapping):
        return [part for k, v in sorted(value.items()) for part in (repr(k), *value_parts(v))]
    found = repr(value)
    if " object at 0x" in found:
        raise TypeError(f"cannot key a {type(value).__name__} by its repr: teach value_parts it")
    return [found]


class Inputs:
    """What the keys of one build's outputs name."""

    def __init__(self, site: Site, digests: dict[str, str], site_key: str | None) -> None:
        slices = site_slices(site)
        self.base = digest(code_fingerprint(), *slices.values())
        self.digests = digests  # incident id -> digest of its file's name and bytes
        self.postmortems = {i: digest(repr(p)) for i, p in site.postmortems.items()}
        # The site's own templates, as loaded ("" when it has none).
        self.user_templates = digest(*value_parts(site.theme.own)) if site.theme.own else ""
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
