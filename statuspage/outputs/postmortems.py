"""Published postmortems as pages and feeds show them: sanitized HTML, action-item counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from markupsafe import Markup

from statuspage.model import Incident, Postmortem, Site
from statuspage.outputs.markup import render_markdown
from statuspage.source.postmortem_file import action_items
from statuspage.state.postmortems import published_postmortem

# Task items as Python-Markdown renders them (it has no task-list syntax): `<li>[x] …`.
_TASK_HTML = re.compile(r"<li>(\s*<p>)?\[(?P<mark>[ xX])\]\s+")
_SUBHEADING = re.compile(r"<(/?)h([4-6])\b")


def render_postmortem(markdown: str) -> str:
    """Sanitized HTML of a postmortem body: its `##` sections become <h3> under the
    page's "Postmortem" <h2>, and task items show ☑ / ☐ (no script, no form)."""
    html = render_markdown(markdown)
    html = _SUBHEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) - 1}", html)

    def box(m: re.Match[str]) -> str:
        done = m["mark"] != " "
        css, mark = ("task done", "☑") if done else ("task", "☐")
        return f'<li class="{css}">{m[1] or ""}<span class="box">{mark}</span>'

    return _TASK_HTML.sub(box, html)


@dataclass(frozen=True)
class PublishedPostmortem:
    """A published postmortem with its incident, as pages (and feeds) show it."""

    postmortem: Postmortem
    incident: Incident

    @property
    def published_at(self) -> datetime:
        assert self.postmortem.published_at is not None
        return self.postmortem.published_at

    @property
    def title(self) -> str | None:
        return self.postmortem.title

    @property
    def authors(self) -> tuple[str, ...]:
        return self.postmortem.authors

    @cached_property
    def html(self) -> Markup:
        return Markup(render_postmortem(self.postmortem.body))  # sanitized by render_markdown

    @cached_property
    def action_items(self) -> tuple[int, int]:
        return action_items(self.postmortem.body)


class PublishedPostmortems:
    """Every postmortem published by *now*: what templates call `postmortems`."""

    def __init__(self, site: Site, now: datetime) -> None:
        self._by_id: dict[str, PublishedPostmortem] = {}
        for incident in site.incidents:
            postmortem = published_postmortem(site, incident.id, now)
            if postmortem is not None:
                self._by_id[incident.id] = PublishedPostmortem(postmortem, incident)

    def of(self, incident_id: str) -> PublishedPostmortem | None:
        return self._by_id.get(incident_id)

    @cached_property
    def newest_first(self) -> list[PublishedPostmortem]:
        return sorted(
            self._by_id.values(), key=lambda p: (p.published_at, p.incident.id), reverse=True
        )
