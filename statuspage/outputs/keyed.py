"""Outputs that say what they are made of, so a rebuild can skip making them.

A stage (build.py) may offer, beside its plain `stage(site, now) -> {path: bytes}`,
a `stage.keyed(site, now) -> {path: Keyed}`: for each file, the names of its inputs
and a function that makes its bytes. The incremental build (incremental.py) turns
the names into a key and calls `make` only when the key differs from the last
build's; the plain build calls every `make`. Same bytes either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Keyed:
    """One output file: *make* gives its bytes, from nothing but what *parts* and
    *incidents* name (plus the config, the package's code and theme, and the site's
    string overrides, which every key holds)."""

    parts: tuple[str, ...]  # e.g. the entry ids a feed shows
    incidents: tuple[str, ...]  # ids of incidents whose files (and postmortems) it shows
    make: Callable[[], bytes]


def made(outputs: dict[str, Keyed]) -> dict[str, bytes]:
    """Every file's bytes, for a build that keeps nothing."""
    return {path: output.make() for path, output in outputs.items()}
