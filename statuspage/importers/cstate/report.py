"""What an import found (warnings by kind, errors) and what it made."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from statuspage.errors import Problem, Problems
from statuspage.source.yamlfile import YamlMap


class Warned(NamedTuple):
    """A warning and its kind (`renamed`, `past-maintenance`, ...), counted in the summary."""

    kind: str
    problem: Problem


@dataclass
class Report:
    """Warnings (and errors) found while importing, with a kind for each warning."""

    problems: Problems = field(default_factory=Problems)
    kinds: list[Warned] = field(default_factory=list)

    def warn(self, kind: str, path: Path, line: int, message: str) -> None:
        self.problems.warning(path, line, message)
        self.kinds.append(Warned(kind, self.problems.items[-1]))

    def error(self, path: Path, line: int, message: str) -> None:
        self.problems.error(path, line, message)

    def by_kind(self) -> Counter[str]:
        return Counter(warned.kind for warned in self.kinds)


@dataclass
class Imported:
    """The files of the new site (relative path -> text) and what the import found."""

    files: dict[str, str]
    report: Report
    issues: int = 0  # issue files read
    incidents: int = 0  # of which maintenance windows are counted in `maintenances`
    maintenances: int = 0
    components: int = 0
    skipped: list[str] = field(default_factory=list)


def line_of(data: Any, key: str) -> int:
    """The line of *key* in *data* when it was read from YAML; 0 when nobody knows."""
    return data.line_of(key) if isinstance(data, YamlMap) else 0
