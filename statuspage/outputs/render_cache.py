"""What rendering keeps for reuse, owned by the caller: a build makes one, and `serve`
keeps one between saves (so a save compiles no template and converts only new bodies).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import jinja2

from statuspage.outputs.i18n import Formatter
from statuspage.outputs.markup import Markdown


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of their RenderCache (never on disk:
    loading code from the site's folder would run whatever someone put there).

    A fresh Environment per build still compiles each template only once per RenderCache:
    once for all the languages of a multi-language site, once for all of `serve`'s
    rebuilds. Jinja checks each entry against its template's source, so an edited
    template is compiled again; every Environment here has the same settings."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class RenderCache:
    """Compiled templates, converted Markdown and formatted dates, for one build or many."""

    def __init__(self) -> None:
        self.templates = CompiledTemplates()
        self.markdown = Markdown()
        self._formatters: dict[tuple[str, ZoneInfo], Formatter] = {}

    def formatter(self, language: str, zone: ZoneInfo) -> Formatter:
        """The Formatter of *language* in *zone*, with every answer it gave before (one per
        language of the site: `serve`'s saves show mostly the same instants again)."""
        key = (language, zone)
        found = self._formatters.get(key)
        if found is None:
            found = self._formatters[key] = Formatter(language, zone)
        return found
