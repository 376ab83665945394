"""One output file: its bytes, made on demand, and what they are made of.

Every output stage is a pure function `Snapshot -> {path: Output}`. The build
(pipeline/build.py) turns an Output's `parts` and `incidents` into a key and calls
`make` only when the key differs from the last build's into the same folder; an
Output without parts is always made, and written only if its bytes changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """*make* gives the bytes, from nothing but what *parts* and *incidents* name (plus
    the config, the package's code and theme and the site's string overrides, which
    every key holds)."""

    make: Callable[[], bytes]
    parts: tuple[str, ...] | None = None  # e.g. the entry ids a feed shows; None: no key
    incidents: tuple[str, ...] = ()  # ids of incidents whose files (and postmortems) it shows
    page: bool = False  # an HTML page: a site's own templates may show anything on it

    @classmethod
    def of(cls, data: bytes) -> Output:
        """An Output whose bytes are already made (and that has no key)."""
        return cls(lambda: data)


def made(outputs: dict[str, Output]) -> dict[str, bytes]:
    """Every file's bytes, for a build that keeps nothing."""
    return {path: output.make() for path, output in outputs.items()}


def ready(files: dict[str, bytes]) -> dict[str, Output]:
    """Files already made, as Outputs without keys."""
    return {path: Output.of(data) for path, data in files.items()}
