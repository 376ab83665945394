"""`statuspage setting NAME`: one setting of statuspage.yaml, for scripts and workflows.

A workflow that needs `cname:` asks this command rather than importing the
package's internals, which may move between releases.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from statuspage.commands._common import WordChoice, reports_errors, require_site, source_option
from statuspage.model import Config

# What each name prints: the value as written ('' when unset), or true/false.
SETTINGS: dict[str, Callable[[Config], str]] = {
    "title": lambda c: c.title,
    "base_url": lambda c: c.base_url,
    "cname": lambda c: c.cname or "",
    "pages_extra": lambda c: c.pages_extra or "",
    "timezone": lambda c: c.timezone.key,
    "language": lambda c: c.language,
    "notify": lambda c: "true" if c.notify else "false",
    "alerts.publish": lambda c: _alerts_publish(c),
    "upstream": lambda c: "true" if c.upstream else "false",
}


def _alerts_publish(config: Config) -> str:
    """`alerts: publish:` (pull_request by default); '' without an `alerts:` section."""
    return config.alerts.publish if config.alerts is not None else ""


@click.command("setting")
@click.argument("name", type=WordChoice(list(SETTINGS)))
@source_option
@reports_errors
def setting_command(name: str, source: Path) -> None:
    """Print the setting NAME of a valid site ('' when unset; for notify: whether any
    endpoint is set, true or false; for upstream: whether any provider is listed, true or
    false; for alerts.publish: direct or pull_request, '' without an `alerts:` section);
    a site with errors prints them and exits 1."""
    site, _ = require_site(source)
    click.echo(SETTINGS[name](site.config))
