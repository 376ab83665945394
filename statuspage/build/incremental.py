"""Builds that reuse the last one: render what changed, write only files whose bytes changed.

`build()` (build.py) stays the pure library API: (site, now) -> every file in memory.
This module produces the same bytes file by file, with three savings:

- a page whose inputs are unchanged since the last build into the same folder is
  not rendered again. Its key (cache.py) holds everything the default theme shows on
  it: the incident file's bytes, its postmortem, the config, the code and theme, the
  page status, whether any postmortem is published, and what of the incident is shown
  as of `now` (its status, how many updates, whether its postmortem is out); `now`
  itself only for pages that change with the clock (open incidents: "ongoing for").
  A site with its own templates may show anything on any page, so there a key also
  holds every source file and `now` (reuse then happens only when nothing changed);
- a stage that says what each of its files is made of (keyed.py; the feeds do) is
  asked to make only the files whose inputs changed;
- every other file (index, API, badges, ...) is rendered, but written only if its
  bytes differ from what the folder holds (known from the manifest of the last
  build, checked against each file's size and mtime, or else read back);
- a first build of a big site renders its pages in a process per core.

Output goes through output.py's staging + journal (see there for what a failed or
interrupted build leaves behind).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from statuspage.build import pipeline as stages
from statuspage.build.cache import (
    BuildState,
    code_fingerprint,
    config_key,
    digest,
    user_templates_fingerprint,
)
from statuspage.build.pipeline import OutputClash
from statuspage.build.sourcekey import overrides_fingerprint
from statuspage.build.writer import (
    apply_changes,
    check_output_dir,
    discard,
    existing_files,
    journal_path,
    new_staging,
    recover,
    stage_file,
)
from statuspage.model import Site
from statuspage.outputs.keyed import Keyed
from statuspage.outputs.pages import STYLESHEET, IncidentView, Page, SiteRenderer, render_pages
from statuspage.state.snapshot import Snapshot

# Below this many pages to render, starting processes costs more than it saves.
PARALLEL_MIN = 400


@dataclass
class BuildReport:
    files: int = 0  # files in the built site
    rendered: int = 0  # pages rendered (the rest were reused)
    written: int = 0  # files whose bytes changed
    deleted: int = 0
    up_to_date: bool = False  # nothing to do at all
    warnings: list[str] = field(default_factory=list)


class _Inputs:
    """What every key of one build names: the code, theme, catalogs, config and string
    overrides (`base`, worked out once), and each incident's file and postmortem."""

    def __init__(self, site: Site, digests: dict[str, str]) -> None:
        assert site.root is not None
        self.base = digest(
            code_fingerprint(), config_key(site.config), overrides_fingerprint(site.root)
        )
        self.digests = digests
        self.postmortems = {i: digest(repr(p)) for i, p in site.postmortems.items()}

    def incident(self, incident_id: str) -> str | None:
        """What names the incident's file's bytes and its postmortem's (None if unknown)."""
        known = self.digests.get(incident_id)
        return (
            None
            if known is None
            else f"{incident_id}:{known}:{self.postmortems.get(incident_id, '')}"
        )


def _output_keys(outputs: dict[str, Keyed], inputs: _Inputs) -> dict[str, str]:
    """The key of each keyed output (keyed.py) whose incidents are all known."""
    keys = {}
    for path, output in outputs.items():
        named = [inputs.incident(i) for i in output.incidents]
        if None not in named:
            keys[path] = digest(inputs.base, path, *output.parts, *named)  # type: ignore[arg-type]
    return keys


def _page_keys(
    renderer: SiteRenderer, now: datetime, inputs: _Inputs, site_key: str | None
) -> dict[str, str]:
    """The key of each page whose inputs we can name (see the module docstring)."""
    site = renderer.site
    assert site.root is not None
    user_templates = user_templates_fingerprint(site.root)
    if user_templates and site_key is None:
        return {}
    pages = renderer.pages
    shared = digest(
        inputs.base, user_templates, site_key if user_templates else "",
        pages.page_status.indicator.word, str(bool(renderer.postmortems.newest_first)),
    )  # fmt: skip
    # A page that is not `live` (render.py) shows the same for any later `now` until one of
    # its incidents shows another update (a future-dated one coming due) or its postmortem
    # is published: the count of shown updates and that flag stand for the instant. A
    # site's own templates may show the clock anywhere, so there `now` is always part of it.
    clock = now.isoformat() if user_templates else ""

    def part(view: IncidentView) -> str | None:
        known = inputs.incident(view.id)
        if known is None:
            return None
        published = renderer.postmortems.of(view.id) is not None
        return f"{known}:{view.status.word}:{len(view.timeline)}:{published}"

    keys = {}
    for page in pages.pages():
        when = now.isoformat() if page.context.get("live", True) else clock
        if "view" in page.context:
            own = part(page.context["view"])
            if own is not None:
                keys[page.path] = digest(shared, when, "incident", own)
        elif (
            page.template == "history.html" and page.context["number"] > 1
        ):  # page 1 shows all-time figures
            ids = [part(view) for _, views in page.context["months"] for view in views]
            if None not in ids:
                keys[page.path] = digest(
                    shared,
                    when,
                    "history",
                    str(page.context["number"]),
                    str(page.context["count"]),
                    *ids,
                )  # type: ignore[arg-type]
    return keys


class _Writer:
    """Compares each output with what the folder holds, staging only what differs."""

    def __init__(
        self,
        out: Path,
        staging: Path,
        live: dict[str, tuple[int, int]],
        recorded: dict[str, list[Any]],
    ) -> None:
        self.out, self.staging, self.live, self.recorded = out, staging, live, recorded

    def trusted(self, rel: str) -> str | None:
        """The digest of the live file as the manifest recorded it, if the file still matches.

        Size and mtime as recorded vouch for it; a file of the recorded size whose mtime
        moved (a CI cache restored, a copy, a checkout) is read back and hashed, which
        costs far less than making it again."""
        entry = self.recorded.get(rel)
        if entry is None or rel not in self.live:
            return None
        if self.live[rel] == (entry[1], entry[2]):
            return str(entry[0])
        if self.live[rel][0] == entry[1]:
            try:
                if digest((self.out / rel).read_bytes()) == entry[0]:
                    return str(entry[0])
            except OSError:
                pass
        return None

    def put(self, rel: str, data: bytes) -> tuple[str, str, bool]:
        """(path, digest, changed), staging *data* if the folder does not hold exactly it."""
        new = digest(data)
        old = self.trusted(rel)
        if old is None and rel in self.live:
            try:
                old = digest((self.out / rel).read_bytes())
            except OSError:
                old = None
        changed = new != old
        if changed:
            stage_file(self.staging, rel, data)
        return rel, new, changed


# Set in the parent just before forking; workers inherit it (nothing is pickled).
_JOB: tuple[SiteRenderer, list[Page], _Writer] | None = None


def _render_chunk(indices: list[int]) -> list[tuple[str, str, bool]] | int:
    assert _JOB is not None
    renderer, pages, writer = _JOB
    results = []
    for index in indices:
        try:
            results.append(writer.put(pages[index].path, renderer.render(pages[index])))
        except Exception:
            return index  # the parent renders it again, raising the real error
    return results


def _render(
    renderer: SiteRenderer, pages: list[Page], writer: _Writer, workers: int
) -> Iterable[tuple[str, str, bool]]:
    if workers < 2 or len(pages) < PARALLEL_MIN:
        for page in pages:
            yield writer.put(page.path, renderer.render(page))
        return
    global _JOB
    _JOB = (renderer, pages, writer)
    step = max(len(pages) // (workers * 8), 1)
    chunks = [list(range(i, min(i + step, len(pages)))) for i in range(0, len(pages), step)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for result in pool.imap_unordered(_render_chunk, chunks):
                if isinstance(result, int):
                    renderer.render(pages[result])  # raises as it did in the worker
                    raise RuntimeError(f"rendering {pages[result].path} failed in a worker process")
                yield from result
    finally:
        _JOB = None


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_incrementally(
    site: Site, now: datetime, out: Path, source: Path, state: BuildState, digests: dict[str, str],
    *, site_key: str | None = None, workers: int | None = None,
) -> BuildReport:  # fmt: skip
    """Bring *out* to exactly what `build(site, now)` gives, doing only the work that changed."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    check_output_dir(out, source)
    out = out.resolve()
    if recover(out):
        state.forget()  # the last build was interrupted after its manifest was written
    live = existing_files(out)
    staging = new_staging(out)
    report = BuildReport()
    results: dict[str, tuple[str, bool]] = {}

    def add(rel: str, digest_: str, changed: bool) -> None:
        if rel in results:
            raise OutputClash(f"two outputs share the path {rel}")
        results[rel] = (digest_, changed)

    def reused(rel: str, key: str | None) -> bool:
        """Add *rel* as the last build left it, if its key is the same and the file still is."""
        kept = writer.trusted(rel) if key is not None and state.pages.get(rel) == key else None
        if kept is not None:
            add(rel, kept, False)
        return kept is not None

    try:
        writer = _Writer(out, staging, live, state.files)
        snapshot = Snapshot(site, now)
        renderer = SiteRenderer(snapshot)
        inputs = _Inputs(site, digests)
        keys = _page_keys(renderer, now, inputs, site_key)
        todo = [
            page for page in renderer.pages.pages() if not reused(page.path, keys.get(page.path))
        ]
        report.rendered = len(todo)
        for rel, digest_, changed in _render(renderer, todo, writer, workers or default_workers()):
            add(rel, digest_, changed)
        add(*writer.put(STYLESHEET, renderer.stylesheet()))
        for stage in stages.renderers():
            if stage is render_pages:
                continue
            keyed = getattr(stage, "keyed", None)
            if keyed is None:
                for rel, data in stage(snapshot).items():
                    add(*writer.put(rel, data))
                continue
            outputs = keyed(snapshot)
            output_keys = _output_keys(outputs, inputs)
            for rel, output in outputs.items():
                if not reused(rel, output_keys.get(rel)):
                    add(*writer.put(rel, output.make()))
            keys.update(output_keys)
        changed = [rel for rel, (_, c) in results.items() if c]
        deleted = sorted(live.keys() - results.keys())
        if changed or deleted or not live:
            apply_changes(staging, out, changed, deleted)
        else:
            discard(staging)
    except BaseException:
        if not journal_path(
            out
        ).exists():  # else the change is committed: the next build rolls it forward
            discard(staging)
        raise
    # The new manifest: unchanged files keep their entry; moved-in files are stat'ed where they now are.
    files: dict[str, list[Any]] = {}
    for rel, (digest_, was_changed) in sorted(results.items()):
        if not was_changed and rel in live:
            files[rel] = [digest_, *live[rel]]
        else:
            st = (out / rel).stat()
            files[rel] = [digest_, st.st_size, st.st_mtime_ns]
    state.files, state.site_key = files, site_key
    state.pages = {path: key for path, key in keys.items() if path in files}
    report.files, report.written, report.deleted = len(files), len(changed), len(deleted)
    return report
