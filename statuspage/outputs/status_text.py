"""Site + now -> `status.txt`: the page's status as plain text for `curl` and terminals.

What the page's banner says (`Snapshot.headline`, the rule every summary uses), then the
active incidents and maintenance with their latest update, then upcoming maintenance:
at most 80 columns, no markup, UTF-8, ending with a newline, in the site's language.
Untrusted text (titles, bodies) is made inert for a terminal: no C0/C1 control
characters (no escape sequences), no bidirectional overrides. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterator

from statuspage.errors import CONTROL
from statuspage.labels import LABELS
from statuspage.model import Incident
from statuspage.outputs.feeds import automatic_message
from statuspage.outputs.i18n import Formatter
from statuspage.outputs.markup import plain_text
from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.state.snapshot import Snapshot

STATUS_TEXT = "status.txt"
WIDTH = 80
# Incidents shown per section, as summary.json: a site with hundreds of forgotten open
# incidents still answers a terminal with a screenful, and builds it fast.
SHOWN = 50
INDENT = "  "
# Whitespace controls become a space; every other control a terminal acts on, and the
# marks that reorder text on screen (Trojan Source, CVE-2021-42574), are dropped (the
# set `errors.inert_line` escapes).
_SPACING = re.compile("[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]")


def inert(text: str) -> str:
    """*text* on one line, without control characters or bidirectional controls."""
    return " ".join(CONTROL.sub("", _SPACING.sub(" ", text)).split())


def columns(text: str) -> int:
    """Terminal columns *text* takes: wide East Asian characters two, combining marks none."""
    return sum(_char_columns(c) for c in text)


def _char_columns(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, indent: str = "") -> list[str]:
    """*text* (made inert) in lines of at most WIDTH columns, each starting with *indent*.

    textwrap counts characters; a line of wide characters (Chinese, Japanese) is cut
    again by columns, as such text is written without spaces anyway."""
    room = WIDTH - len(indent)
    lines = []
    for line in textwrap.wrap(inert(text), room, break_on_hyphens=False) or [""]:
        while columns(line) > room:
            cut, used = 0, 0
            while used + _char_columns(line[cut]) <= room:
                used += _char_columns(line[cut])
                cut += 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return [(indent + line).rstrip() for line in lines]


def link(url: str, indent: str) -> list[str]:
    """*url* on one line: indented if it fits, else from the first column; cut by
    columns only if even that is too narrow (never at its hyphens)."""
    url = inert(url)
    if len(indent) + columns(url) <= WIDTH:
        return [indent + url]
    return wrap(url) if columns(url) > WIDTH else [url]


def _paragraphs(text: str, indent: str) -> list[str]:
    """Each paragraph of a plain-text body wrapped on its own, blank lines between."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        if paragraph.strip():
            out += [*([""] if out else []), *wrap(paragraph, indent)]
    return out


class _Writer:
    """The lines of status.txt, in the site's language and zone."""

    def __init__(self, snapshot: Snapshot, cache: RenderCache) -> None:
        config = snapshot.config
        self.snapshot, self.cache = snapshot, cache
        self.gettext: Callable[[str], str] = snapshot.site.catalog.gettext
        self.dates: Formatter = cache.formatter(config.language, config.timezone)

    def lines(self) -> Iterator[str]:
        snapshot, _ = self.snapshot, self.gettext
        config = snapshot.config
        yield from wrap(config.title)
        yield from wrap(_(snapshot.headline.banner))
        open_ = snapshot.open_incidents
        sections = (
            (_("Active incidents"), [i for i in open_ if not i.is_maintenance]),
            (_("Maintenance in progress"), [i for i in open_ if i.is_maintenance]),
            (_("Scheduled maintenance"), self.upcoming()),
        )
        for heading, incidents in sections:
            if incidents:
                yield ""
                yield from wrap(heading)
                for incident in incidents[:SHOWN]:
                    yield ""
                    yield from self.incident(incident)
                if len(incidents) > SHOWN:  # the rest are on the page (its link ends the file)
                    yield ""
                    yield f"\N{HORIZONTAL ELLIPSIS} +{len(incidents) - SHOWN}"
        yield ""
        yield from link(config.base_url, "")

    def upcoming(self) -> list[Incident]:
        found = [i for i in self.snapshot.visible if self.snapshot.is_upcoming(i)]
        return sorted(found, key=lambda i: (i.started_at, i.id))

    def incident(self, incident: Incident) -> Iterator[str]:
        """Title, status and the latest update's time, its text, then the link."""
        snapshot, _ = self.snapshot, self.gettext
        latest = snapshot.timeline(incident)[-1]
        status = _(LABELS[snapshot.status(incident).word])
        yield from wrap(f"* {incident.title}")
        yield from wrap(f"{status} · {self.dates.datetime(latest.at)}", INDENT)
        if incident.maintenance is not None:
            window = incident.maintenance
            span = (
                f"{self.dates.datetime(window.start)} \N{EN DASH} {self.dates.datetime(window.end)}"
            )
            yield from wrap(f"{_('Window:')} {span}", INDENT)
        if latest.automatic:
            body = automatic_message(latest, self.gettext)
        else:
            body = plain_text(latest.body, self.cache.markdown)
        yield from _paragraphs(body, INDENT)
        yield from link(f"{snapshot.config.base_url}incidents/{incident.id}/", INDENT)


def render_status_text(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """status.txt, made every build (it shows `now`); written only when its bytes change."""
    text = "\n".join(_Writer(snapshot, cache).lines()) + "\n"
    return ready({STATUS_TEXT: text.encode()})
