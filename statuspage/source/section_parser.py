"""The shared part of the parsers of `statuspage.yaml`'s feature sections (`notify:`,
`alerts:`): where problems go, and how an unknown key is reported."""

from __future__ import annotations

from pathlib import Path

from statuspage.errors import Problems
from statuspage.model import Config
from statuspage.source.names import suggest
from statuspage.source.yamlfile import YamlMap


class SectionParser:
    """Records problems of one section of *path* at their lines."""

    def __init__(self, path: Path, problems: Problems, config: Config) -> None:
        self.path = path
        self.problems = problems
        self.config = config

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)

    def unknown_keys(self, entry: YamlMap, allowed: tuple[str, ...], what: str) -> None:
        for key in entry:
            if key not in allowed:
                self.error(
                    entry.line_of(key),
                    f"unknown {what} key {key!r}{suggest(str(key), list(allowed))} (expected: "
                    f"{', '.join(allowed)})",
                )

    def text(self, entry: YamlMap, key: str, what: str, *, required: bool = True) -> str | None:
        """The text at *key*, stripped; None (and a problem, when *required*) without one."""
        value = entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(entry.line_of(key), f"`{key}:` is required: {what}")
            return None
        return value.strip()
