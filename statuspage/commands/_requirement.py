"""The pip requirement that reproduces the running statuspage install, for `statuspage init`.

pip records where a distribution came from in its `direct_url.json` (PEP 610): absent for
an install from an index, `vcs_info` for `git+URL@REV`, `dir_info` for a local folder
(editable or not), `archive_info` for a wheel or sdist URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, distribution

from statuspage import __version__

DISTRIBUTION = "git-statuspage"
VARIABLE = "STATUSPAGE_REQUIREMENT"


@dataclass(frozen=True)
class Requirement:
    """What the workflows should install, and why it may not be what built the page here."""

    text: str
    warning: str | None = None


def installed() -> Distribution | None:
    """The installed git-statuspage distribution, or None when run from a bare checkout."""
    try:
        return distribution(DISTRIBUTION)
    except PackageNotFoundError:
        return None


def requirement_for(dist: Distribution | None) -> Requirement:
    """The requirement that installs what *dist* is; else the PyPI pin and a warning."""
    pin = f"{DISTRIBUTION}=={dist.version if dist else __version__}"
    origin = _direct_url(dist)
    if dist is not None and origin is None:
        return Requirement(pin)  # from an index: the release is there for anyone
    url = str(origin.get("url", "")) if origin else ""
    vcs = origin.get("vcs_info") if origin else None
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        subdirectory = origin.get("subdirectory") if origin else None
        fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
        text = f"{DISTRIBUTION} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}{fragment}"
        return Requirement(text, _local_warning(text) if url.startswith("file:") else None)
    if origin and "archive_info" in origin and not url.startswith("file:"):
        return Requirement(f"{DISTRIBUTION} @ {url}")
    where = f"from {url}" if url else "from a source checkout that pip did not install"
    return Requirement(
        pin,
        f"statuspage {pin.split('==')[1]} was installed {where}, so the workflows install {pin} "
        f"from PyPI instead, which may not exist or may differ. If it is not what should build "
        f"this page, set {VARIABLE} in .github/workflows/publish.yml, check.yml, alert.yml and "
        f"preview.yml to a requirement GitHub Actions can install, e.g. "
        f"'{DISTRIBUTION} @ git+https://github.com/OWNER/statuspage@COMMIT'.",
    )


def _local_warning(text: str) -> str:
    return (
        f"the workflows install {text!r}, a repository on this machine that GitHub Actions "
        f"cannot reach: set {VARIABLE} in .github/workflows/publish.yml, check.yml, alert.yml "
        f"and preview.yml to its public URL (git+https://...@COMMIT) or to a released version "
        f"({DISTRIBUTION}==X)."
    )


def _direct_url(dist: Distribution | None) -> dict[str, object] | None:
    """The parsed direct_url.json of *dist*, or None (an index install, or unreadable)."""
    text = dist.read_text("direct_url.json") if dist else None
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
