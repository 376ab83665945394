"""Problems found in a user's files, located as `path:line`.

This module knows nothing of click: `commands/` decides how problems are shown
and which exit code they become.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# What a terminal or a CI log acts on rather than shows: C0 and C1 controls and DEL
# (line breaks, ESC starting CSI/OSC sequences), Unicode's line and paragraph
# separators, and the bidi marks, embeddings, overrides and isolates that reorder a line.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# A line GitHub Actions reads as a workflow command (`::error file=x::`, `::add-mask::`,
# the older `##[error]`): the runner trims leading whitespace before looking.
_WORKFLOW_COMMAND = re.compile("^[\\s\u180e\u200b-\u200d\u2060\ufeff]*(::|##\\[)")


def inert_line(text: str) -> str:
    """*text* as one line that a terminal or a log shows as text and acts on in no way.

    Each control character becomes a visible escape (`\\n`, `\\x1b`, `\\u202e`), so
    nothing can start a line of its own or move the cursor; a line that GitHub Actions
    would read as a workflow command gets a leading backslash. For every print of text
    that came from outside (file names, alert labels, webhook bodies, messages quoting them).
    """
    line = _visible(text)
    return "\\" + line if _WORKFLOW_COMMAND.match(line) else line


def _visible(text: str) -> str:
    return CONTROL.sub(lambda m: repr(m[0])[1:-1], text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) in one file, at one line."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        # One inert line, whatever of the file the message quotes.
        return inert_line(f"{where}: {prefix}{self.message}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ContentError(Exception):
    """Raised when content has errors; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """A mistake in how a command was called (exit code 2), not in the content; with the
    problems that explain it, when there are some (each is shown on a line of its own)."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.message = message
        self.problems = tuple(problems)
        super().__init__("\n".join([message, *(str(p) for p in self.problems)]))


class Problems:
    """A collector that loaders append to, so every problem is reported at once."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.items: list[Problem] = []
        self._real_dirs: dict[Path, Path] = {}

    def display_path(self, path: Path | str) -> str:
        """Paths relative to the site folder, as the user typed them in git."""
        p = Path(path)
        if self.root is not None:
            # Unresolved first, so a symlink is named where it is, not where it points.
            for base, target in (
                (self.root.absolute(), p.absolute()),
                (self._resolve(self.root), self._resolve(p)),
            ):
                try:
                    return (
                        Path(os.path.normpath(target))
                        .relative_to(os.path.normpath(base))
                        .as_posix()
                    )
                except ValueError:
                    pass
        return p.as_posix()

    def shown_path(self, path: Path | str) -> str:
        """display_path with control characters escaped: a file name cannot forge output lines."""
        return _visible(self.display_path(path))

    def _resolve(self, p: Path) -> Path:
        """`p.resolve()`, with each folder resolved once: a site has thousands of files in one."""
        if p.name in ("", ".", "..") or p.is_symlink():
            return p.resolve()
        parent = p.parent
        if parent not in self._real_dirs:
            self._real_dirs[parent] = parent.resolve()
        return self._real_dirs[parent] / p.name

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self.shown_path(path), line, message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self.shown_path(path), line, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.items)
