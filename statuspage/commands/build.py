"""`statuspage build`: render the site into its output folder, only what changed."""

from __future__ import annotations

from pathlib import Path

import click

from statuspage.commands._common import clock, reports_errors, source_option

# pipeline/run.py imports no renderer until there is something to render: a `build`
# with nothing to do must not pay for importing Jinja, Markdown, lxml, Babel, ...
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.pipeline.run import run_build
from statuspage.source.names import counted
from statuspage.source.times import isoformat


@click.command("build")
@source_option
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: _site inside the source folder).",
)
@click.option("--now", help="Build as of this instant (ISO 8601), for reproducible output.")
@click.option("--base-url", help="Override the config's base_url (e.g. for a preview deploy).")
@click.option(
    "--no-cache",
    is_flag=True,
    help=f"Render everything; neither read nor update {CACHE_DIR}/ (safe to delete any time).",
)
@reports_errors
def build_command(
    source: Path, out: Path | None, now: str | None, base_url: str | None, no_cache: bool
) -> None:
    """Build the status page into OUT (rendering and writing only what changed since the last
    build)."""
    out = out if out is not None else source / "_site"
    report = run_build(
        source, out, lambda config: clock(now, config), base_url=base_url,
        use_cache=not no_cache, warn=_warn,
    )  # fmt: skip
    as_of = f"(as of {isoformat(report.now, report.config.timezone)})"
    if report.up_to_date:
        click.echo(f"Up to date: {counted(report.files, 'file')} in {out} {as_of}.")
        return
    assert report.site is not None
    built = (
        f"Built {counted(report.files, 'file')} from "
        f"{counted(len(report.site.incidents), 'incident')} into {out} {as_of}"
    )
    if no_cache:
        click.echo(f"{built}.")
        return
    click.echo(
        f"{built}; {counted(report.rendered, 'page')} rendered, "
        f"{counted(report.written, 'file')} written, {report.deleted} removed."
    )


def _warn(warning: str) -> None:
    click.secho(warning, fg="yellow", err=True)
