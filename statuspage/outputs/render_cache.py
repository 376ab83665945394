"""What rendering keeps for reuse, owned by the caller: a build makes one, and `serve`
keeps one between saves (so a save compiles no template and converts only new bodies).
It also holds what the stages of the current build share (`Shared`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import CodeType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import jinja2

from statuspage.outputs.i18n import Formatter
from statuspage.outputs.markup import Markdown
from statuspage.state.snapshot import Snapshot

if TYPE_CHECKING:  # they build on this module
    from statuspage.outputs.page_set import PageSet
    from statuspage.outputs.pages import SiteRenderer


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of their RenderCache (this module
    reads no file: pipeline/template_store.py keeps them on disk for the next process).

    A fresh Environment per build still compiles each template only once per RenderCache:
    once for all the languages of a multi-language site, once for all of `serve`'s
    rebuilds. Each entry is kept with its template's source checksum, so an edited
    template is compiled again; every Environment here has the same settings."""

    def __init__(self) -> None:
        # template key -> (its source's checksum, the code compiled from it)
        self.compiled: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.compiled.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]  # the code itself: nothing to unmarshal

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self.compiled[bucket.key] = (bucket.checksum, bucket.code)


@dataclass
class Shared:
    """What several stages of one build derive from a Snapshot, made by the first to ask: the
    pages' PageSet (the pages and the sitemap walk it) and the Jinja set-up (the pages,
    subscribe/, embed/). One per Snapshot: the root edition's and each language edition's."""

    root: Snapshot  # the build's root edition
    pages: dict[Snapshot, PageSet] = field(default_factory=dict)
    renderers: dict[Snapshot, SiteRenderer] = field(default_factory=dict)


class RenderCache:
    """Compiled templates, converted Markdown and formatted dates, for one build or many."""

    def __init__(self, templates: CompiledTemplates | None = None) -> None:
        self.templates = templates if templates is not None else CompiledTemplates()
        self.markdown = Markdown()
        self._formatters: dict[tuple[str, ZoneInfo], Formatter] = {}
        self._shared: Shared | None = None

    def shared(self, snapshot: Snapshot) -> Shared:
        """What the stages share in *snapshot*'s build; a new build (another root Snapshot)
        starts afresh, so only the current build's is kept."""
        root = snapshot.edition_root
        if self._shared is None or self._shared.root is not root:
            self._shared = Shared(root)
        return self._shared

    def formatter(self, language: str, zone: ZoneInfo) -> Formatter:
        """The Formatter of *language* in *zone*, with every answer it gave before (one per
        language of the site: `serve`'s saves show mostly the same instants again)."""
        key = (language, zone)
        found = self._formatters.get(key)
        if found is None:
            found = self._formatters[key] = Formatter(language, zone)
        return found
