"""Events -> message text through the theme's templates (`site-templates/notify/`).

The same environment as the pages (so a site overrides one file and may extend
`default/notify/...`), but `.txt` templates are not HTML-escaped: they are
plain text, and each format escapes for its own medium.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from statuspage.labels import AUTOMATIC_MESSAGES
from statuspage.model import Component, ComponentStatus, Site
from statuspage.notify.events import Event
from statuspage.outputs.i18n import Formatter
from statuspage.outputs.markup import plain_text, render_markdown
from statuspage.outputs.pages import environment
from statuspage.source.times import isoformat

TEMPLATES = ("subject.txt", "message.txt", "email.txt", "email.html")


@dataclass(frozen=True)
class Message:
    """One event, rendered: what every format is built from."""

    event: Event
    subject: str  # one line: email subject, chat title
    text: str  # chat message body
    email_text: str
    email_html: str
    url: str  # absolute link to the update on the incident page
    incident_url: str
    body_text: str  # the update's own words, as plain text
    body_html: str  # ... and as sanitized HTML
    components: tuple[tuple[Component, ComponentStatus], ...]
    timestamp: str  # ISO 8601 in the site's zone
    window: tuple[str, str] | None  # a maintenance's start and end, likewise
    link_text: str = "View on the status page"  # a chat card's button, in the page's language


class Renderer:
    """Renders events for one site; one Jinja environment for the whole run."""

    def __init__(self, site: Site) -> None:
        self.site = site
        config = site.config
        self.env = environment(site.theme, site.catalog)
        self.env.autoescape = lambda name: not (name or "").endswith(".txt")
        self.fmt = Formatter(config.language, config.timezone)
        self.gettext = site.catalog.gettext
        self.env.globals.update(
            site=site, config=config, fmt=self.fmt, iso=lambda m: isoformat(m, config.timezone)
        )
        self._cache: dict[tuple[str, str | None], Message] = {}

    def incident_url(self, event: Event) -> str:
        return f"{self.site.config.base_url}incidents/{event.incident.id}/"

    def render(self, event: Event, unsubscribe: str | None = None) -> Message:
        key = (event.id, unsubscribe)
        if key not in self._cache:
            self._cache[key] = self._render(event, unsubscribe)
        return self._cache[key]

    def _render(self, event: Event, unsubscribe: str | None) -> Message:
        config = self.site.config
        update = event.update
        if update is None:
            source = ""
        elif update.automatic:
            source = self.gettext(AUTOMATIC_MESSAGES.get(update.status, ""))
        else:
            source = update.body
        incident_url = self.incident_url(event)
        url = f"{incident_url}#{event.anchor}" if update is not None else incident_url
        states = event.components
        components = tuple((c, states[c.id]) for c in config.components if c.id in states)
        context: dict[str, Any] = {
            "event": event,
            "incident": event.incident,
            "update": update,
            "status": event.status,
            "components": components,
            "url": url,
            "incident_url": incident_url,
            "body_text": plain_text(source),
            "body_html": Markup(render_markdown(source)),
            "unsubscribe": unsubscribe,
        }
        out = {name: self._template(name).render(context) for name in TEMPLATES}
        return Message(
            event=event,
            subject=" ".join(out["subject.txt"].split()),  # one line, whatever the template did
            text=out["message.txt"].strip(),
            email_text=out["email.txt"].strip() + "\n",
            email_html=out["email.html"],
            url=url,
            incident_url=incident_url,
            body_text=context["body_text"],
            body_html=str(context["body_html"]),
            components=components,
            timestamp=isoformat(event.at, config.timezone),
            window=(isoformat(w.start, config.timezone), isoformat(w.end, config.timezone))
            if (w := event.incident.maintenance)
            else None,
            link_text=self.gettext("View on the status page"),
        )

    def _template(self, name: str) -> jinja2.Template:
        return self.env.get_template(f"notify/{name}")
