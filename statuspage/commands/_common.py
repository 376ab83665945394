"""`--source`, shared by every command that reads a site: given, or found as git finds
its repository (the current folder or the nearest parent holding statuspage.yaml)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from statuspage.source.config import find_site


def _discover(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    here = Path.cwd()
    found = find_site(here)
    if found is None or found == here:
        return Path()
    # Said on stderr, so a script reading the printed path of `new` is not disturbed.
    click.echo(f"Using the site in {os.path.relpath(found, here)} ({found})", err=True)
    return found


source_option = click.option(
    "--source", "-s", type=click.Path(file_okay=False, path_type=Path),
    default=None, callback=_discover,
    help="The status site folder (holding statuspage.yaml and incidents/); "
    "default: this folder or the nearest one above it holding statuspage.yaml.",
)  # fmt: skip
