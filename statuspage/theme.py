"""Where the default theme lives, and the folders a site overrides its templates and strings in.

Kept apart from outputs/pages.py so the build cache can fingerprint the theme without
importing Jinja (a no-op rebuild must stay cheap)."""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = "site-templates"
OVERRIDES_DIR = "translations"  # the site's own <language>.po, rewording the theme's strings


def default_templates_dir() -> Path:
    """The packaged theme: inside the wheel, or the repo's top-level folder in a checkout."""
    packaged = Path(__file__).parent / TEMPLATES_DIR
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / TEMPLATES_DIR
