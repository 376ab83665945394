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
from datetime import datetime
from pathlib import Path
from typing import Literal

from statuspage.errors import ContentError
from statuspage.model import Config
from statuspage.pipeline.failures import describe
from statuspage.pipeline.run import BuildReport, Session, run_build
from statuspage.source.names import counted
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
        audience: str = "public",
    ) -> None:
        self.source = source
        self.audience = audience  # whose page is previewed
        self.workdir = workdir
        self.clock = clock
        self.frozen = frozen
        self.say = say
        self.base_url = "http://127.0.0.1/"
        self.site_dir: Path | None = None  # the last good build
        self.out = workdir / "site"
        # Parsed incidents and compiled templates, kept in memory from one save to the
        # next; the manifest lives in the temporary directory too. The parsed incidents
        # are written to the site's own cache when the preview stops (`session.save`).
        self.session = Session(source, workdir, self.out)
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
        try:
            report = run_build(
                self.source, self.out, self.clock, base_url=self.base_url,
                session=self.session, warn=lambda warning: self.say(warning, "warning"),
                audience=self.audience,
            )  # fmt: skip
            errors = []
        except ContentError as e:  # the sources' own problems, every one
            errors = [str(p) for p in e.problems if p.is_error]
            for warning in (p for p in e.problems if not p.is_error):
                self.say(str(warning), "warning")
        except Exception as e:  # a bug must not stop the preview; say what it was
            errors = [describe(e, self.source) or f"build failed: {type(e).__name__}: {e}"]
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
        self.say(f"Built {self._built(report)} in {time.monotonic() - started:.2f} s.", "info")
        return True

    def _built(self, report: BuildReport) -> str:
        """What was built, for the message; when the page next changes by itself."""
        assert report.site is not None
        incidents = report.site.incidents
        self.next_change = None if self.frozen else next_change(incidents, report.now)
        return (
            f"{counted(report.files, 'file')} from {counted(len(incidents), 'incident')} "
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
