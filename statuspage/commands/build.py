"""`statuspage build`: render the site into its output folder, only what changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from statuspage.commands._common import clock, reports_errors, source_option

# pipeline/run.py imports no renderer until there is something to render: a `build`
# with nothing to do must not pay for importing Jinja, Markdown, lxml, Babel, ...
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.pipeline.run import BuildReport, audience_folder, audiences_of, run_build
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
@click.option(
    "--base-url", help="Override the built audience's base_url (e.g. for a preview deploy)."
)
@click.option(
    "--audience",
    help="Build only this audience's site into OUT (default: every audience of `audiences:`, "
    "`public` into OUT and each other one into OUT-NAME, e.g. _site-internal).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help=f"Render everything; neither read nor update {CACHE_DIR}/ (safe to delete any time).",
)
@reports_errors
def build_command(
    source: Path,
    out: Path | None,
    now: str | None,
    base_url: str | None,
    audience: str | None,
    no_cache: bool,
) -> None:
    """Build the status page into OUT (rendering and writing only what changed since the last
    build)."""
    if audience is not None:
        folder = out if out is not None else audience_folder(source / "_site", audience)
        _build_one(source, folder, now, base_url, audience, no_cache, _warn)
        return
    out = out if out is not None else source / "_site"
    for index, name in enumerate(audiences_of(source)):
        # --base-url is the public page's (a preview): the others keep their own
        url, warn = (base_url, _warn) if index == 0 else (None, _quiet)  # warned once
        _build_one(source, audience_folder(out, name), now, url, name, no_cache, warn)


def _build_one(
    source: Path, out: Path, now: str | None, base_url: str | None, audience: str,
    no_cache: bool, warn: Callable[[str], None],
) -> None:  # fmt: skip
    """One audience's site into *out*, and what was done."""
    report = run_build(
        source, out, lambda config: clock(now, config), base_url=base_url,
        use_cache=not no_cache, warn=warn, audience=audience,
    )  # fmt: skip
    _say(report, out, no_cache)


def _say(report: BuildReport, out: Path, no_cache: bool) -> None:
    """The build's one line."""
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


def _quiet(warning: str) -> None:
    """Say nothing: the public build said it."""
