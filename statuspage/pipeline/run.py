"""The one build function: a site folder and a clock -> its output folder, only what changed.

`run_build` is what `statuspage build`, `serve`, the benchmark and the tests call. In order:
the output folder's lock and an interrupted build's leftovers; the no-op check (the
sources hashed, none parsed: inputs.source_key); the parse cache and the stat manifest;
`load_site`; `build_into`; the manifest and caches saved. The library never prints: the
report says what happened, *warn* is told each warning as it is found.

Kept free of renderers at import time: a build with nothing to do imports no Jinja,
Markdown, lxml, ... (that import alone costs more than the check), so the rendering
modules are imported only once there is something to render.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from statuspage.errors import ContentError, Problems, UsageError
from statuspage.model import PUBLIC, Config, Site
from statuspage.pipeline.inputs import source_key
from statuspage.pipeline.manifest import BuildState, up_to_date
from statuspage.pipeline.parse_cache import ParseCache
from statuspage.pipeline.source_stats import SourceStats
from statuspage.pipeline.writer import check_output_dir, output_lock, remove_leftovers
from statuspage.source.audience_view import view, view_config
from statuspage.source.audiences import trust_order
from statuspage.source.config import load_config
from statuspage.source.names import userinfo_problem

if TYPE_CHECKING:
    from statuspage.outputs.render_cache import RenderCache

# The build's `now` for a config (or for none, when the config cannot be read): only
# `commands/` reads the clock, so the caller says what `now` is.
Clock = Callable[[Config | None], datetime]


def _ignore(warning: str) -> None:
    """Say nothing: for callers that need no warnings."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    now: datetime  # the instant built for
    config: Config  # the effective config (after base_url)
    files: int = 0  # files in the built site
    rendered: int = 0  # pages made (the rest were reused)
    written: int = 0  # files whose bytes changed
    deleted: int = 0
    made: tuple[str, ...] = ()  # paths of the outputs made (the rest were reused), sorted
    up_to_date: bool = False  # nothing to do at all: nothing was parsed or made
    site: Site | None = None  # what was built (None when up to date)


class Session:
    """The caches a process keeps from one build to the next (`serve`): parsed incidents
    and compiled templates in memory, the manifest in *workdir*. The parse cache is
    written to the site's cache folder only by `save`, when the session ends."""

    def __init__(self, source: Path, workdir: Path, out: Path) -> None:
        from statuspage.pipeline.template_store import stored_render_cache

        self.parsed = ParseCache(source)
        self.state = BuildState(workdir, out)
        self.render: RenderCache = stored_render_cache(source)
        self.builds = 0

    def save(self) -> None:
        """Keep what the session parsed for later builds (`build` gains from it too)."""
        self.parsed.save()


def run_build(
    source: Path,
    out: Path,
    clock: Clock,
    *,
    base_url: str | None = None,
    use_cache: bool = True,
    session: Session | None = None,
    warn: Callable[[str], None] = _ignore,
    audience: str = PUBLIC,
) -> BuildReport:
    """Bring *out* to exactly the site *source* gives at *clock*'s `now`, doing only the work
    that changed since the last build into *out*.

    With *use_cache* False nothing is read from or kept in the cache folder (every output
    made). With a *session*, its caches are used and kept (no no-op check: a session
    builds after a change). *audience* is whose site *out* holds (source/audience_view.py).
    ContentError with every problem if the site cannot be built; UsageError for a bad
    `now`, *base_url* or *audience*; the last good site stays as it was."""
    check_output_dir(out, source)
    with output_lock(out), _collector_paused():  # one build at a time into OUT
        interrupted = remove_leftovers(out)
        if session is not None:
            return _session_build(
                source, out, clock, session, base_url, interrupted, warn, audience
            )
        if not use_cache:
            parsed = ParseCache(source, None, workers=_workers(), persistent=False)
            return _make(
                source, out, clock, parsed, BuildState(None, out), base_url, warn,
                audience=audience,
            )  # fmt: skip
        return _cached_build(source, out, clock, base_url, interrupted, warn, audience)


def _cached_build(
    source: Path,
    out: Path,
    clock: Clock,
    base_url: str | None,
    interrupted: bool,
    warn: Callable[[str], None],
    audience: str,
) -> BuildReport:
    """A build with the site's cache folder: nothing at all if nothing changed."""
    state, stats = BuildState(source, out), SourceStats(source)
    if interrupted:
        state.forget()  # the last build was killed while committing: trust nothing it recorded
    key, moment = _source_key(source, clock, base_url, stats, audience)
    if key is not None and moment is not None and up_to_date(state, out, key.digest):
        stats.save()
        for warning in state.warnings:
            warn(warning)
        return BuildReport(moment, key.config, files=len(state.files), up_to_date=True)
    parsed = ParseCache(source, stats, workers=_workers())
    report = _make(
        source, out, clock, parsed, state, base_url, warn,
        key=key and key.digest, moment=moment, audience=audience,
    )  # fmt: skip
    state.save()
    return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No full garbage collection during the build; the collector as it was after.

    What a build makes mostly lives until it ends (the loaded site, the page set, compiled
    templates), so the oldest generation's passes, each rescanning all of it, free next to
    nothing: with them off and the loaded site frozen (`_make`), a 300-incident build
    takes ~4 % less CPU (bench/README.md). The young generations still run, so garbage
    cycles made while rendering are freed as before (peak memory unchanged; turning the
    collector off altogether grew it by a fifth at 1,000). Forked workers inherit it.
    `serve` keeps running between builds: it gets its collector back after each."""
    young, middle, oldest = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(young, middle, oldest)


_NEVER = 1 << 30  # a collection count the build never reaches


class _Key(NamedTuple):
    digest: str  # inputs.source_key
    config: Config  # the effective config it was made for


def _source_key(
    source: Path, clock: Clock, base_url: str | None, stats: SourceStats, audience: str
) -> tuple[_Key | None, datetime | None]:
    """The no-op check's key and `now`, or None for what cannot be known without parsing:
    it reads the sources but parses none of them. Any usage error is left for the full
    path to report, after the content's own problems."""
    config = load_config(source, Problems(source))
    if config is None:
        return None, None
    try:
        moment = clock(config)
    except UsageError:
        return None, None
    try:
        config = view_config(config, audience)  # the audience's settings are in its key
        config = with_base_url(config, base_url) if base_url else config
    except UsageError:
        return None, moment
    return _Key(source_key(source, config, moment, stats), config), moment


def _session_build(
    source: Path,
    out: Path,
    clock: Clock,
    session: Session,
    base_url: str | None,
    interrupted: bool,
    warn: Callable[[str], None],
    audience: str,
) -> BuildReport:
    if interrupted:
        session.state.forget()
    session.parsed.next_run()  # keeps what the last build parsed
    # The first build runs before any thread starts, so it may fork a process per core;
    # later ones make their outputs in this process (forking one that runs server
    # threads is not safe, and they make few).
    workers = None if session.builds == 0 else 1
    session.builds += 1
    report = _make(
        source, out, clock, session.parsed, session.state, base_url, warn,
        workers=workers, cache=session.render, save_parsed=False, audience=audience,
    )  # fmt: skip
    session.state.save()
    return report


def _make(
    source: Path, out: Path, clock: Clock, parsed: ParseCache, state: BuildState,
    base_url: str | None, warn: Callable[[str], None], *, key: str | None = None,
    moment: datetime | None = None, workers: int | None = None,
    cache: RenderCache | None = None, save_parsed: bool = True, audience: str = PUBLIC,
) -> BuildReport:  # fmt: skip
    """Load the site through *parsed* and bring *out* to it; *state* is updated, not saved."""
    from statuspage.pipeline.build import build_into
    from statuspage.pipeline.template_store import stored_render_cache
    from statuspage.source.site import load_site

    site, problems = load_site(source, cache=parsed)
    gc.freeze()  # the loaded site lives through the build: the collector skips it
    if save_parsed:
        parsed.save()
    if parsed.stats is not None:
        parsed.stats.save()
    if site is None:
        raise ContentError(problems.items)
    for warning in problems.warnings:
        warn(str(warning))
    site = view(site, audience)  # the one place audiences are told apart
    if base_url:
        site = replace(site, config=with_base_url(site.config, base_url))
    moment = moment or clock(site.config)
    written = build_into(
        site, moment, out, source, state, parsed.digests,
        site_key=key, workers=workers, cache=cache or stored_render_cache(source),
    )  # fmt: skip
    state.warnings = [str(w) for w in problems.warnings]
    return BuildReport(moment, site.config, *written, site=site)


def audiences_of(source: Path) -> tuple[str, ...]:
    """The audiences *source* builds pages for, `public` first (just `public` when its
    config cannot be read: the build then says why)."""
    config = load_config(source, Problems(source))
    return trust_order(config) if config is not None else (PUBLIC,)


def audience_folder(out: Path, audience: str) -> Path:
    """Where an audience's site goes beside the public one in *out*: `_site-internal/`."""
    if audience == PUBLIC:
        return out
    named = out if out.name else out.absolute()  # `-o .` has no name of its own
    return named.with_name(f"{named.name}-{audience}")


def _workers() -> int:
    from statuspage.pipeline.parallel import default_workers

    return default_workers()


def with_base_url(config: Config, base_url: str) -> Config:
    """*config* with `--base-url` (an absolute http(s) URL) as its base_url."""
    if not base_url.startswith(("http://", "https://")):
        raise UsageError("--base-url must be an absolute http(s) URL")
    if refused := userinfo_problem("--base-url", base_url):
        raise UsageError(refused.replace("`--base-url:`", "--base-url"))
    return replace(config, base_url=base_url.rstrip("/") + "/")
