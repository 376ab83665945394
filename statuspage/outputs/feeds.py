"""Site + now -> Atom and RSS feeds (feedgen): the whole site's, and one pair per
component and group. Pure: no I/O, no clock.

Every feed is a list of *feed events* built from the model, newest first. Today
each published update is one event (so readers show "Identified", "Monitoring",
"Resolved" as they happen), including the start and end of a maintenance window
that `status.timeline()` fills in. A later feature adds its own events by adding
its function to EVENT_SOURCES.

Entry ids are `urn:uuid:` UUIDv5s of (incident id, update time in UTC), not URLs
and not tag: URIs. A tag: URI needs an authority the site owns, and the site's
domain is exactly what moving `base_url` changes; a UUIDv5 needs no authority,
anyone can recompute it from the incident file, and it survives rebuilds, new
updates, new incidents and a new `base_url`. Both parts are permanent: the
incident id is the published file name, and an update's time is its identity
(content refuses two updates of one incident at the same time).
"""

from __future__ import annotations

import heapq
import html
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, partial

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from statuspage.labels import AUTOMATIC_MESSAGES, LABELS
from statuspage.model import Component, Group, Incident, Site, Update
from statuspage.outputs.output import Output
from statuspage.outputs.postmortems import PublishedPostmortem, PublishedPostmortems
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.postmortem_file import ANCHOR as POSTMORTEM_ANCHOR
from statuspage.state import status as st
from statuspage.state.snapshot import Snapshot

# Fixed forever: every entry id in every published feed is derived from it.
ENTRY_NAMESPACE = uuid.UUID("6f0c6a52-1f5e-5a0e-9a7e-5d1c3b1f4e21")
# An empty feed still needs an `updated`; "never" keeps it byte-stable across builds.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
ATOM, RSS, JSON_FEED = "history.atom", "history.rss", "feed.json"
# Characters XML 1.0 cannot carry at all; lxml refuses them, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """*text* without the control characters XML (and iCalendar TEXT) cannot hold."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True, eq=False)
class FeedEvent:
    """One entry: something subscribers hear about, in every feed it concerns."""

    incident: Incident
    at: datetime
    key: str  # the permanent identity the entry id is derived from (never a URL)
    title: str  # plain text
    # Sanitized HTML, or what makes it (run only for entries a feed shows).
    html: str | Callable[[], str]
    anchor: str  # fragment on the incident page
    components: frozenset[str]  # ids of the components it concerns

    @cached_property
    def content(self) -> str:
        """The sanitized HTML; made on first use, since feeds show only the newest events."""
        return self.html if isinstance(self.html, str) else self.html()

    @property
    def entry_id(self) -> str:
        return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, self.key)}"

    def link(self, base_url: str) -> str:
        return f"{base_url}incidents/{self.incident.id}/#{self.anchor}"


def automatic_message(update: Update, gettext: Callable[[str], str]) -> str:
    """What the incident page says for an update the clock wrote (a window opening or closing)."""
    return gettext(AUTOMATIC_MESSAGES[update.status])


def update_key(incident: Incident, update: Update) -> str:
    """'<incident id>/<update time, UTC, to the second>': what an update entry's id is made of."""
    return f"{incident.id}/{update.at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def update_events(snapshot: Snapshot, cache: RenderCache) -> Iterator[FeedEvent]:
    """One event per update published by *now* (maintenance start/end included), newest first.

    Lazily: feeds show only the newest entries, so incidents are visited by their
    newest update, latest first, and an event is handed out once no incident still
    to visit can hold a newer one; years of history are never turned into events."""
    site, now = snapshot.site, snapshot.now
    gettext = site.catalog.gettext
    visible = snapshot.visible
    newest = {i.id: snapshot.timeline(i)[-1].at for i in visible}
    waiting: list[_Newest] = []
    for incident in sorted(visible, key=lambda i: newest[i.id], reverse=True):
        while waiting and waiting[0].event.at > newest[incident.id]:
            yield heapq.heappop(waiting).event
        concerns = frozenset(st.component_states(incident, now))
        for update in snapshot.timeline(incident):
            label = gettext(LABELS[update.status.word])
            heapq.heappush(waiting, _Newest(FeedEvent(
                incident=incident, at=update.at, key=update_key(incident, update),
                title=f"{incident.title} — {label}",
                html=partial(_update_html, site, incident, update, cache),
                anchor=update.anchor, components=concerns,
            )))  # fmt: skip
    while waiting:
        yield heapq.heappop(waiting).event


def feed_order(event: FeedEvent) -> tuple[datetime, str, str]:
    """Newest first; equal times fall back to incident id and key, so the order
    never depends on the order files were read in."""
    return (event.at, event.incident.id, event.key)


class _Newest:
    """A heap entry that puts the event coming first in a feed on top (heapq is a min-heap)."""

    __slots__ = ("event", "order")

    def __init__(self, event: FeedEvent) -> None:
        self.event, self.order = event, feed_order(event)

    def __lt__(self, other: _Newest) -> bool:
        return self.order > other.order


def _update_html(site: Site, incident: Incident, update: Update, cache: RenderCache) -> str:
    """The update's message as sanitized HTML, then the components it affects."""
    gettext = site.catalog.gettext
    config = site.config
    if update.automatic:
        body = f"<p>{html.escape(automatic_message(update, gettext))}</p>"
    else:
        body = cache.markdown.render(update.body)
    parts = [body] if body else []
    affected = st.component_states(incident, update.at)
    names = [c.name for c in config.components if c.id in affected]
    if names:
        heading = html.escape(gettext("Affected components"))
        parts.append(f"<p><strong>{heading}:</strong> {html.escape(', '.join(names))}</p>")
    changes = [
        f"{component.name}: {gettext(LABELS[status.word])}"
        for cid, status in update.components
        if (component := config.component(cid)) is not None
    ]
    if changes:
        parts.append(f"<p>{html.escape('; '.join(changes))}</p>")
    return "\n".join(parts)


def postmortem_events(snapshot: Snapshot, cache: RenderCache) -> list[FeedEvent]:
    """One event when a postmortem is published (its id never changes afterwards), newest first."""
    site, now = snapshot.site, snapshot.now
    gettext = site.catalog.gettext
    events = []
    for published in PublishedPostmortems(site, now).newest_first:
        incident = published.incident
        events.append(FeedEvent(
            incident=incident, at=published.published_at, key=f"{incident.id}/postmortem",
            title=f"{incident.title} — {gettext(LABELS['postmortem'])}",
            html=partial(_postmortem_html, published),
            anchor=POSTMORTEM_ANCHOR, components=frozenset(incident.affected),
        ))  # fmt: skip
    return sorted(events, key=feed_order, reverse=True)


def _postmortem_html(published: PublishedPostmortem) -> str:
    return str(published.html)


# Where feed events come from, each source newest first (feed_order). A feature with
# its own events adds its function to this tuple (in the source, never at import time).
EVENT_SOURCES: tuple[Callable[[Snapshot, RenderCache], Iterable[FeedEvent]], ...] = (
    update_events,
    postmortem_events,
)


def feed_events(snapshot: Snapshot, cache: RenderCache) -> Iterator[FeedEvent]:
    """Every event, newest first (feed_order), merged lazily from the sources."""
    return heapq.merge(
        *(source(snapshot, cache) for source in EVENT_SOURCES), key=feed_order, reverse=True
    )


@dataclass(frozen=True)
class FeedScope:
    """One pair of feeds: the whole site, or one component or group."""

    prefix: str  # output folder ("" or "components/<id>/")
    title: str
    description: str
    members: frozenset[str] | None  # component ids covered; None for everything

    def covers(self, event: FeedEvent) -> bool:
        return self.members is None or bool(self.members & event.components)


def feed_scopes(site: Site) -> list[FeedScope]:
    """The site-wide feed, then one per component and one per group (covering its members)."""
    config = site.config
    gettext = site.catalog.gettext
    about = config.description or gettext("Incidents and maintenance of %(title)s") % {
        "title": config.title
    }
    scopes = [FeedScope("", config.title, about, None)]
    items: list[Component | Group] = [*config.components, *config.groups]
    for item in items:
        members = frozenset(item.components) if isinstance(item, Group) else frozenset({item.id})
        about = gettext("Incidents and maintenance affecting %(name)s") % {"name": item.name}
        title = f"{config.title} — {item.name}"
        scopes.append(FeedScope(f"components/{item.id}/", title, about, members))
    return scopes


def render_feeds(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """history.atom/.rss and feed.json (JSON Feed 1.1) at the root and under components/<id>/,
    each with what it is made of: the events it shows. A feed's bytes depend on nothing
    else, not even `now`, so an edit deep in history makes none."""
    site = snapshot.site
    limit = site.config.feed_limit
    scopes = feed_scopes(site)
    chosen: dict[str, list[FeedEvent]] = {scope.prefix: [] for scope in scopes}
    filling = [scope for scope in scopes if limit > 0]
    events = feed_events(snapshot, cache)
    while filling:  # one pass over the events, newest first, until every feed is full
        event = next(events, None)
        if event is None:
            break
        for scope in filling:
            if scope.covers(event):
                chosen[scope.prefix].append(event)
        if any(len(chosen[scope.prefix]) >= limit for scope in filling):
            filling = [scope for scope in filling if len(chosen[scope.prefix]) < limit]
    out: dict[str, Output] = {}
    for scope in scopes:
        entries = chosen[scope.prefix]
        parts = (scope.prefix, *(event.key for event in entries))
        incidents = tuple(dict.fromkeys(event.incident.id for event in entries))
        out[scope.prefix + ATOM] = Output(
            partial(_atom, site, scope, entries), (ATOM, *parts), incidents
        )
        out[scope.prefix + RSS] = Output(
            partial(_rss, site, scope, entries), (RSS, *parts), incidents
        )
        out[scope.prefix + JSON_FEED] = Output(
            partial(_json_feed, site, scope, entries), (JSON_FEED, *parts), incidents
        )
    return out


def _atom(site: Site, scope: FeedScope, entries: list[FeedEvent]) -> bytes:
    atom: bytes = _generator(site, scope, entries, ATOM).atom_str(pretty=True)
    # The subtitle holds escaped HTML (see _generator); say so, as RSS readers assume anyway.
    return atom.replace(b"<subtitle>", b'<subtitle type="html">', 1)


def _rss(site: Site, scope: FeedScope, entries: list[FeedEvent]) -> bytes:
    rss: bytes = _generator(site, scope, entries, RSS).rss_str(pretty=True)
    return rss


def _generator(site: Site, scope: FeedScope, events: list[FeedEvent], name: str) -> FeedGenerator:
    config = site.config
    zone = config.timezone

    def local(moment: datetime) -> datetime:
        return moment.astimezone(zone).replace(microsecond=0)

    def text(plain: str) -> str:
        # RSS has no way to say a title is text, and feedparser (so readers built on it)
        # decodes RSS titles as HTML: escaped once more, `<img ...>` shows as typed.
        # Atom's titles are type="text" and stay as they are.
        return html.escape(xml_text(plain), quote=False) if name == RSS else xml_text(plain)

    fg = FeedGenerator()
    self_url = config.base_url + scope.prefix + name
    # The feed's own id may follow the URL: readers key subscriptions by URL anyway.
    fg.id(self_url)
    fg.title(text(scope.title))
    # Atom subtitle and RSS description (required there). Many readers show RSS's as
    # HTML, so the plain text is HTML-escaped: a site or component name stays text.
    fg.subtitle(html.escape(xml_text(scope.description), quote=False))
    fg.author(name=xml_text(config.title))
    self_type = "application/atom+xml" if name == ATOM else "application/rss+xml"
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=config.base_url, rel="alternate", type="text/html")  # last: feedgen's RSS <link>
    fg.language(config.language)
    # feedgen's defaults name its own version and stamp the clock; both would make
    # an unchanged site's feed differ between builds.
    fg.generator("statuspage")
    fg.updated(local(events[0].at) if events else NEVER)
    for event in events:
        entry = fg.add_entry(order="append")
        entry.id(event.entry_id)
        entry.title(text(event.title))  # lxml escapes it for XML
        entry.link(href=event.link(config.base_url))  # rel defaults to alternate
        entry.content(xml_text(event.content), type="html")
        entry.published(local(event.at))
        entry.updated(local(event.at))
    return fg


def _json_feed(site: Site, scope: FeedScope, entries: list[FeedEvent]) -> bytes:
    """JSON Feed 1.1 of the Atom feed's entries: the same ids, links, times and sanitized
    HTML; titles are plain text (JSON Feed has no other kind)."""
    config = site.config
    zone = config.timezone

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).replace(microsecond=0).isoformat()

    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": xml_text(scope.title),
        "home_page_url": config.base_url,
        "feed_url": config.base_url + scope.prefix + JSON_FEED,
        "description": xml_text(scope.description),
        "authors": [{"name": xml_text(config.title)}],
        "language": config.language,
        "items": [
            {
                "id": event.entry_id,
                "url": event.link(config.base_url),
                "title": xml_text(event.title),
                "content_html": xml_text(event.content),
                "date_published": local(event.at),
                "date_modified": local(event.at),
            }
            for event in entries
        ],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode()
