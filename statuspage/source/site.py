"""Source folder -> Site: config and every incident, all problems at once."""

from __future__ import annotations

from pathlib import Path

from statuspage.errors import Problems
from statuspage.model import Logo, Site, Upstream
from statuspage.source.config import load_config
from statuspage.source.incident_file import INCIDENTS_DIR, IncidentCache, load_incidents
from statuspage.source.logo import site_logo
from statuspage.source.output_limits import check_history_pages
from statuspage.source.postmortem_file import load_postmortems
from statuspage.source.site_folder import LINKED_OUT, OUTSIDE, SiteFolder
from statuspage.source.templates import load_theme
from statuspage.source.translations import (
    catalog,
    check_overrides,
    read_locale_data,
    read_override,
)
from statuspage.source.upstream import read_snapshot
from statuspage.theme import TEMPLATES_DIR


def load_site(
    root: Path, cache: IncidentCache | None = None, *, for_rendering: bool = True
) -> tuple[Site | None, Problems]:
    """The site in *root*, or None; the Problems hold every error and warning found.

    The Site holds everything a build reads (templates, catalogs, the logo's bytes):
    nothing after this reads a file. *for_rendering* also has Babel read its CLDR data
    for the site's languages (once per process); a command that only validates or edits
    files skips it (some 20 ms of every start).

    With a *cache* (pipeline/parse_cache.py), incident files whose bytes are unchanged
    are not parsed again."""
    problems = Problems(root)
    config = load_config(root, problems)
    if config is None:
        return None, problems
    folder = SiteFolder(root)
    for link in folder.links_out(TEMPLATES_DIR):
        problems.error(root / link, 0, OUTSIDE)
    if folder.inside(INCIDENTS_DIR) is None:  # new, update, alert would write where it leads
        problems.error(root / INCIDENTS_DIR, 0, LINKED_OUT)
    # Every audience's language too: each audience's view takes its catalog from the Site.
    own = [a.language for a in config.audiences if a.language is not None]
    languages = tuple(dict.fromkeys([*(config.languages or (config.language,)), *own]))
    for language in languages:
        check_overrides(root, language, problems)
    incidents = load_incidents(root, config, problems, cache)
    check_history_pages(config, len(incidents), problems)
    postmortems = load_postmortems(root, config, incidents, problems)
    if problems.errors:
        return None, problems
    upstream = tuple(
        Upstream(s, snapshot[0] if (snapshot := read_snapshot(root, s, problems)) else None)
        for s in config.upstream
    )
    if for_rendering:
        read_locale_data(languages)
    overrides = {
        lang: data for lang in languages if (data := read_override(root, lang)) is not None
    }
    site = Site(
        config=config,
        incidents=tuple(incidents),
        root=root,
        postmortems=postmortems,
        upstream=upstream,
        theme=load_theme(root),
        catalogs={lang: catalog(lang, overrides.get(lang)) for lang in languages},
        translation_overrides=overrides,
        logo=_logo(config.logo, root),
    )
    return site, problems


def _logo(logo: str | None, root: Path) -> Logo | None:
    """The configured logo's published path and bytes, when it is a file the build may read."""
    found = site_logo(logo, root)
    return Logo(found[0], found[1].read_bytes()) if found else None
