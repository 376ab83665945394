"""The one pipeline: a Site and an instant -> every output -> reuse by key or make -> write.

`build()` is the library API: every file's bytes in memory, no disk. `build_into()`
is the same pipeline plus the writer, for an output folder and the manifest of the
last build into it (a cold build is this with an empty manifest):

- an output whose key (inputs.Inputs.key: what it is made of) is the one the last
  build recorded, and whose file is still as that build left it, is not made again;
- every other output is made, but written only if its bytes differ from what the
  folder holds (known from the manifest, checked against each file's size and mtime,
  or else read back);
- a first build of a big site makes its outputs in a process per core (parallel.py).

Output goes through writer.py's staging + journal (see there for what a failed or
interrupted build leaves behind).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from statuspage.errors import ContentError
from statuspage.model import Site
from statuspage.outputs.api import render_api
from statuspage.outputs.badges import render_badges
from statuspage.outputs.brand import render_brand_files
from statuspage.outputs.calendar import render_calendar
from statuspage.outputs.card_files import render_cards
from statuspage.outputs.editions import render_editions
from statuspage.outputs.embed import render_embed_script, render_widgets
from statuspage.outputs.feeds import render_feeds
from statuspage.outputs.history_export import render_history_export
from statuspage.outputs.hosting import render_hosting_files
from statuspage.outputs.metrics import render_metrics
from statuspage.outputs.output import Output
from statuspage.outputs.pages import render_pages
from statuspage.outputs.render_cache import RenderCache
from statuspage.outputs.sitemap import render_sitemap
from statuspage.outputs.status_text import render_status_text
from statuspage.outputs.subscribe import render_subscribe
from statuspage.pipeline.inputs import Inputs
from statuspage.pipeline.manifest import BuildState
from statuspage.pipeline.parallel import ByteBudget, OverBudget, default_workers, make_all
from statuspage.pipeline.writer import (
    FileEntry,
    FolderWriter,
    Staged,
    apply_changes,
    check_output_dir,
    discard,
    existing_files,
    journal_path,
    new_staging,
    recover,
)
from statuspage.source.output_limits import over_budget, site_budget
from statuspage.state.snapshot import Snapshot

# An output stage: what the site shows at the Snapshot's `now` -> {relative path: Output};
# pure, no I/O (the RenderCache only saves work).
Stage = Callable[[Snapshot, RenderCache], dict[str, Output]]

# Every stage, in order: the one list a new output is added to.
STAGES: tuple[Stage, ...] = (
    render_pages,
    render_cards,
    render_subscribe,
    render_widgets,
    render_embed_script,
    render_feeds,
    render_calendar,
    render_api,
    render_history_export,
    render_status_text,
    render_badges,
    render_metrics,
    render_hosting_files,
    render_editions,
    render_brand_files,
    render_sitemap,
)


class OutputClash(RuntimeError):
    """Two stages want to write the same path: a bug, or a user template shadowing an output."""


class Written(NamedTuple):
    """What `build_into` did to the output folder."""

    files: int  # files in the built site
    rendered: int  # pages made (the rest were reused)
    written: int  # files whose bytes changed
    deleted: int
    made: tuple[str, ...]  # paths of the outputs made (the rest were reused), sorted


def outputs(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """Every output of every stage, by path; two outputs of one path are a clash."""
    found: dict[str, Output] = {}
    for stage in STAGES:
        for path, output in stage(snapshot, cache).items():
            if path in found:
                raise OutputClash(f"two outputs share the path {path}")
            found[path] = output
    return found


def build(site: Site, now: datetime, cache: RenderCache | None = None) -> dict[str, bytes]:
    """Every file of the built site, keyed by its path relative to the site root.

    Pure in (site, now): the same inputs give byte-identical output. *cache* may be
    kept from an earlier build in this process (it only saves work). ContentError if
    the site would write more than its budget (source/output_limits.py)."""
    found = outputs(Snapshot(site, now), cache or RenderCache())
    max_bytes = _check_files(site, len(found))
    made: dict[str, bytes] = {}
    spent = 0
    for path, output in found.items():
        made[path] = output.make()
        spent += len(made[path])
        if spent > max_bytes:
            raise _too_many_bytes(site, max_bytes)
    return dict(sorted(made.items()))


def _check_files(site: Site, files: int) -> int:
    """ContentError if *files* are more than the site may write; the bytes it may write."""
    max_bytes, max_files = site_budget(site.config, len(site.incidents))
    if files > max_files:
        raise over_budget(site.config, site.root, f"{files:,} files", f"{max_files:,}")
    return max_bytes


def _too_many_bytes(site: Site, max_bytes: int, estimate: int | None = None) -> ContentError:
    what = f"about {estimate / 1e6:,.0f} MB" if estimate else None
    return over_budget(site.config, site.root, what, f"{max_bytes / 1e6:,.0f} MB")


# Outputs made first, spread evenly over all of them, to estimate what the site writes.
SAMPLE = 64


def _sampled(todo: list[tuple[str, Output]], spare: int) -> list[tuple[str, Output]]:
    """*todo* with an even sample of it made already; OverBudget if the sample, scaled
    to all of *todo*, passes twice *spare* bytes: a site that multiplies stops before
    its bulk is made (the count while making stops one that grows past *spare* anyway)."""
    if len(todo) < 4 * SAMPLE:
        return todo
    todo, sampled = list(todo), 0
    picked = range(0, len(todo), len(todo) // SAMPLE)
    for index in picked:
        rel, output = todo[index]
        data = output.make()
        todo[index] = (rel, Output.of(data))
        sampled += len(data)
    estimate = sampled * len(todo) // len(picked)
    if estimate > 2 * spare:
        raise OverBudget(estimate)
    return todo


def build_into(
    site: Site, now: datetime, out: Path, source: Path, state: BuildState, digests: dict[str, str],
    *, site_key: str | None = None, workers: int | None = None, cache: RenderCache | None = None,
) -> Written:  # fmt: skip
    """Bring *out* to exactly what `build(site, now)` gives, doing only the work that changed.

    *state* is the manifest of the last build into *out* (updated here; the caller saves
    it), *digests* each incident file's digest (the parse cache's), *site_key* the
    inputs.source_key of this build when known, *cache* one kept from an earlier build."""
    snapshot = Snapshot(site, now)
    check_output_dir(out, source)
    out = out.resolve()
    if recover(out):
        state.forget()  # the last build was interrupted after its manifest was written
    live = existing_files(out)
    staging = new_staging(out)
    writer = FolderWriter(out, staging, live, state.files)
    try:
        found = outputs(snapshot, cache or RenderCache())
        max_bytes = _check_files(site, len(found))  # before making anything
        plan = _plan(found, Inputs(site, digests, site_key), now, state, writer)
        results = {staged.path: staged for staged in plan.kept}
        for staged in _make_todo(site, plan, state, writer, max_bytes, workers):
            results[staged.path] = staged
        changed = [rel for rel, staged in results.items() if staged.changed]
        deleted = sorted(live.keys() - results.keys())
        if changed or deleted or not live:
            apply_changes(staging, out, changed, deleted)
        else:
            discard(staging)
    except BaseException:
        # With a journal the change is committed: the next build rolls it forward.
        if not journal_path(out).exists():
            discard(staging)
        raise
    state.files, state.site_key = _manifest(out, results, live), site_key
    state.pages = {path: key for path, key in plan.keys.items() if path in state.files}
    made = tuple(sorted(rel for rel, _ in plan.todo))
    return Written(len(state.files), plan.rendered, len(changed), len(deleted), made)


class _Plan(NamedTuple):
    """What a build reuses and what it makes."""

    kept: list[Staged]  # outputs whose file the last build left as it is now
    todo: list[tuple[str, Output]]
    keys: dict[str, str]  # path -> key, for outputs that have one
    rendered: int  # pages among *todo*


def _plan(
    found: dict[str, Output], inputs: Inputs, now: datetime, state: BuildState,
    writer: FolderWriter,
) -> _Plan:  # fmt: skip
    """Reuse an output whose key is the one the last build recorded (and whose file is
    still as it left it); make every other one."""
    plan = _Plan([], [], {}, 0)
    rendered = 0
    for rel, output in found.items():
        key = inputs.key(rel, output, now)
        if key is not None:
            plan.keys[rel] = key
        kept = writer.trusted(rel) if key is not None and state.pages.get(rel) == key else None
        if kept is not None:
            plan.kept.append(Staged(rel, kept, False))
        else:
            plan.todo.append((rel, output))
            rendered += output.page
    return plan._replace(rendered=rendered)


def _make_todo(
    site: Site, plan: _Plan, state: BuildState, writer: FolderWriter, max_bytes: int,
    workers: int | None,
) -> Iterator[Staged]:  # fmt: skip
    """Make and stage what *plan* has to make, within the site's byte budget."""
    # What is kept counts too: the budget is for the whole site as it will be.
    kept_bytes = sum(state.files[staged.path].size for staged in plan.kept)
    budget = ByteBudget(max_bytes - kept_bytes)
    try:
        todo = _sampled(plan.todo, budget.limit)
        yield from make_all(todo, writer, workers or default_workers(), budget)
    except OverBudget as e:
        estimate = e.estimate and e.estimate + kept_bytes
        raise _too_many_bytes(site, max_bytes, estimate) from None


def _manifest(
    out: Path, results: dict[str, Staged], live: dict[str, tuple[int, int]]
) -> dict[str, FileEntry]:
    """The new manifest: unchanged files keep their entry; moved-in files are stat'ed
    where they are."""
    files = {}
    for rel, staged in sorted(results.items()):
        if not staged.changed and rel in live:
            files[rel] = FileEntry(staged.digest, *live[rel])
        else:
            st = (out / rel).stat()
            files[rel] = FileEntry(staged.digest, st.st_size, st.st_mtime_ns)
    return files
