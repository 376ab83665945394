"""`statuspage build`: render the site into its output folder, only what changed."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

import click

from statuspage.commands._common import clock, print_warnings, reports_errors, source_option
from statuspage.errors import ContentError, Problems, UsageError
from statuspage.model import Config

# Only what the no-op check needs is imported here: rendering (Jinja, Markdown, lxml,
# Babel, feeds, ...) is imported inside `_build`, as a `build` with nothing to do
# must not pay for importing it, which costs more than the check itself.
from statuspage.pipeline.inputs import source_key
from statuspage.pipeline.manifest import CACHE_DIR, BuildState, up_to_date
from statuspage.pipeline.parse_cache import ParseCache
from statuspage.pipeline.source_stats import SourceStats
from statuspage.pipeline.writer import check_output_dir, output_lock, remove_leftovers
from statuspage.source.config import load_config
from statuspage.source.names import counted, userinfo_problem
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
    check_output_dir(out, source)
    with output_lock(out):  # one build at a time into OUT: no interleaved files
        interrupted = remove_leftovers(out)
        _build(source, out, now, base_url, no_cache, interrupted)


def _build(
    source: Path,
    out: Path,
    now: str | None,
    base_url: str | None,
    no_cache: bool,
    interrupted: bool,
) -> None:
    state = None if no_cache else BuildState(source, out)
    stats = None if no_cache else SourceStats(source)
    if state is not None and interrupted:
        state.forget()  # the last build was killed while committing: trust nothing it recorded
    key = moment = None
    config = load_config(source, Problems(source))
    if state is not None and config is not None:
        # The no-op check reads the sources but parses none of them. Any usage error
        # is left for the full path to report, after the content's own problems.
        with contextlib.suppress(UsageError):
            moment = clock(now, config)
            key = source_key(
                source, with_base_url(config, base_url) if base_url else config, moment, stats
            )
        if key is not None and moment is not None and up_to_date(state, out, key):
            assert stats is not None
            stats.save()
            for warning in state.warnings:
                click.secho(warning, fg="yellow", err=True)
            click.echo(
                f"Up to date: {counted(len(state.files), 'file')} in {out} (as of "
                f"{isoformat(moment, config.timezone)})."
            )
            return
    from statuspage.pipeline.build import build_into
    from statuspage.pipeline.parallel import default_workers
    from statuspage.source.site import load_site

    # Many files to parse (a first build, --no-cache) are parsed in a process per core.
    parsed = ParseCache(source, stats, workers=default_workers(), persistent=not no_cache)
    site, problems = load_site(source, cache=parsed)
    parsed.save()
    if stats is not None:
        stats.save()
    if site is None:
        raise ContentError(problems.items)
    print_warnings(problems)
    if base_url:
        site = replace(site, config=with_base_url(site.config, base_url))
    moment = moment or clock(now, site.config)
    if state is None:  # --no-cache: every output made (on every core), nothing kept
        report = build_into(site, moment, out, source, BuildState(None, out), parsed.digests)
        click.echo(
            f"Built {counted(report.files, 'file')} from "
            f"{counted(len(site.incidents), 'incident')} into {out} (as of "
            f"{isoformat(moment, site.config.timezone)})."
        )
        return
    report = build_into(site, moment, out, source, state, parsed.digests, site_key=key)
    state.warnings = [str(w) for w in problems.warnings]
    state.save()
    click.echo(
        f"Built {counted(report.files, 'file')} from {counted(len(site.incidents), 'incident')} "
        f"into {out} (as of "
        f"{isoformat(moment, site.config.timezone)}); "
        f"{counted(report.rendered, 'page')} rendered, {counted(report.written, 'file')} written, "
        f"{report.deleted} removed."
    )


def with_base_url(config: Config, base_url: str) -> Config:
    """*config* with `--base-url` (an absolute http(s) URL) as its base_url."""
    if not base_url.startswith(("http://", "https://")):
        raise UsageError("--base-url must be an absolute http(s) URL")
    if refused := userinfo_problem("--base-url", base_url):
        raise UsageError(refused.replace("`--base-url:`", "--base-url"))
    return replace(config, base_url=base_url.rstrip("/") + "/")
