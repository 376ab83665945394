"""The preview's builds: one after each burst of saves, and when the page changes by itself.

Builds go into one folder in a temporary directory, incrementally: a save renders
only the pages it touches, even with years of history. A build that fails leaves
that folder as it was, so a broken file never takes the page down: the last good
site stays served, with the error shown on top of it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from statuspage.errors import Problems
from statuspage.model import Config, Site
from statuspage.outputs.render_cache import RenderCache
from statuspage.pipeline.build import build_into
from statuspage.pipeline.failures import describe
from statuspage.pipeline.manifest import BuildState
from statuspage.pipeline.parse_cache import ParseCache
from statuspage.source.names import counted
from statuspage.source.site import load_site
from statuspage.state.status import next_change

DEBOUNCE = 0.2  # seconds of quiet before rebuilding: editors write a file in several steps

Clock = Callable[[Config | None], datetime]  # the build's `now` for a config (or for none)
Level = Literal["info", "warning", "error"]


def _quiet(message: str, level: Level) -> None:
    """Say nothing: the default for callers that read `errors` instead."""


class Preview:
    """What the builder, the file watcher and the request handlers share.

    *clock* gives each build's `now`; *frozen* says it never moves on by itself
    (--now, SOURCE_DATE_EPOCH); *say* shows a message (the library never prints)."""

    def __init__(
        self,
        source: Path,
        workdir: Path,
        clock: Clock,
        *,
        frozen: bool = True,
        say: Callable[[str, Level], None] = _quiet,
    ) -> None:
        self.source = source
        self.workdir = workdir
        self.clock = clock
        self.frozen = frozen
        self.say = say
        self.base_url = "http://127.0.0.1/"
        self.site_dir: Path | None = None  # the last good build
        self.out = workdir / "site"
        # Its manifest lives in the temporary directory too.
        self.state = BuildState(workdir, self.out)
        # Parsed incidents, kept in memory from one save to the next; written to the site's
        # own cache when the preview stops (a later `build` gains from it too).
        self.parsed = ParseCache(source)
        self.render_cache = RenderCache()  # kept between saves: templates compiled once
        self.errors: list[str] = []  # why the latest build failed, as path:line: message
        self.token = secrets.token_hex(4)  # tells builds of different server runs apart
        self.builds = 0
        self.changed = threading.Condition()
        self.dirty = threading.Event()
        self.stopping = threading.Event()
        self.next_change: datetime | None = None

    @property
    def generation(self) -> str:
        """Changes with every build, good or bad; open tabs reload when it does."""
        return f"{self.token}-{self.builds}"

    def changed_files(self) -> None:
        """A watched file changed: rebuild after the next quiet moment."""
        self.dirty.set()

    def rebuild(self) -> bool:
        """Bring the served folder up to date; on failure it stays as it was."""
        started = time.monotonic()
        problems = Problems(self.source)
        count = ""
        try:
            self.parsed.next_run()  # keeps what the last build parsed
            site, problems = load_site(self.source, cache=self.parsed)
            if site is None:
                errors = [str(p) for p in problems.errors]
            else:
                count = self._build(site)
                errors = []
        except Exception as e:  # a bug must not stop the preview; say what it was
            errors = [describe(e, self.source) or f"build failed: {type(e).__name__}: {e}"]
        for warning in problems.warnings:
            self.say(str(warning), "warning")
        with self.changed:
            if not errors:
                self.site_dir = self.out
            self.errors = errors
            self.builds += 1
            self.changed.notify_all()
        if errors:
            self.next_change = None  # the next save rebuilds
            for error in errors:
                self.say(error, "error")
            kept = "still serving the last good site" if self.site_dir else "nothing to serve yet"
            self.say(f"Build failed ({kept}); fix the file and save it again.", "error")
            return False
        self.say(f"Built {count} in {time.monotonic() - started:.2f} s.", "info")
        return True

    def _build(self, site: Site) -> str:
        """Build *site* into the served folder (the one place the preview calls the
        pipeline); what was built, for the message."""
        site = replace(site, config=replace(site.config, base_url=self.base_url))
        moment = self.clock(site.config)
        # The first build runs before any thread starts, so it may fork a process
        # per core; later ones render in this process (forking one that runs
        # server threads is not safe, and they render little).
        workers = None if self.builds == 0 else 1
        report = build_into(
            site, moment, self.out, self.source, self.state, self.parsed.digests,
            workers=workers, cache=self.render_cache,
        )  # fmt: skip
        self.state.save()
        self.next_change = None if self.frozen else next_change(site.incidents, moment)
        incidents = len(site.incidents)
        return (
            f"{counted(report.files, 'file')} from {counted(incidents, 'incident')} "
            f"({counted(report.rendered, 'page')} rendered)"
        )

    def run_builder(self) -> None:
        """Rebuild after each burst of changes, and when the page changes by itself."""
        while not self.stopping.is_set():
            timeout = None
            if self.next_change is not None:
                timeout = max(0.0, (self.next_change - self.clock(None)).total_seconds()) + 1
            if not self.dirty.wait(timeout) and self.next_change is None:
                continue
            while self.dirty.is_set() and not self.stopping.is_set():
                self.dirty.clear()
                time.sleep(DEBOUNCE)
            if not self.stopping.is_set():
                self.rebuild()

    def stop(self) -> None:
        """Stop the builder and wake every waiting event stream."""
        self.stopping.set()
        self.dirty.set()
        with self.changed:
            self.changed.notify_all()
