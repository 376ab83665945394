"""Site + now -> maintenance.ics: every scheduled maintenance as an RFC 5545 VEVENT
(icalendar), for subscribing from a calendar app. Pure: no I/O, no clock.

Times are UTC. The UID comes from the incident id (the published file name) and
the maintenance's first update, never from the URL, so moving the site keeps
subscribers' events. DTSTAMP and LAST-MODIFIED are the latest published update's
time: the calendar carries no METHOD, so by RFC 5545 §3.8.7.2 DTSTAMP means "last
revised", and an unchanged site gives a byte-identical file.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneStandard

from statuspage.labels import LABELS
from statuspage.model import Incident
from statuspage.outputs.feeds import ENTRY_NAMESPACE, automatic_message, xml_text
from statuspage.outputs.i18n import Formatter
from statuspage.outputs.markup import plain_text
from statuspage.outputs.output import Output, ready
from statuspage.outputs.render_cache import RenderCache
from statuspage.state import status as st
from statuspage.state.snapshot import Snapshot

CALENDAR = "maintenance.ics"
PRODID = "-//statuspage//Scheduled maintenance//EN"
REFRESH = timedelta(hours=1)  # how often subscribers' apps should fetch it again


def event_uid(incident: Incident) -> str:
    """Stable for the incident's whole life: its id and first update's time (UTC)."""
    key = f"maintenance/{incident.id}/{incident.created_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    return str(uuid.uuid5(ENTRY_NAMESPACE, key))


def render_calendar(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """maintenance.ics holding every maintenance published by *now*."""
    site = snapshot.site
    config = site.config
    gettext = site.catalog.gettext
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = _text(f"{config.title}: {gettext('Scheduled maintenance')}")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what Apple, Google and Outlook show
    if config.description:
        calendar.add("description", _text(config.description))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the same, for Outlook
    calendar.add("source", config.base_url + CALENDAR)
    maintenances = [i for i in snapshot.visible if i.maintenance]
    # The latest `feed_limit` windows (upcoming ones first of all), like the feeds: the
    # file is fetched hourly by every subscriber and must not grow with years of history.
    latest = sorted(maintenances, key=lambda i: (i.started_at, i.id), reverse=True)[
        : config.feed_limit
    ]
    for incident in reversed(latest):
        calendar.add_component(_event(snapshot, incident, cache))
    if not maintenances:
        # RFC 5545 §3.6 wants at least one component; an empty calendar carries
        # the zone all its times are in, and stays valid for subscribers.
        calendar.add_component(_utc_zone())
    return ready({CALENDAR: calendar.to_ical()})


def _event(snapshot: Snapshot, incident: Incident, cache: RenderCache) -> Event:
    config = snapshot.config
    assert incident.maintenance is not None
    window = incident.maintenance
    shown = snapshot.timeline(incident)
    finished = snapshot.resolved_at(incident)
    # Completed before it began: the work was called off.
    cancelled = finished is not None and finished < window.start
    end = window.end
    if finished is not None and finished > window.start:
        end = finished  # once done, show when the work really ended: early, or an overrun
    revised = max(u.at for u in shown)

    event = Event()
    event.add("uid", event_uid(incident))
    event.add("dtstamp", _utc(revised))
    event.add("created", _utc(incident.created_at))
    event.add("last-modified", _utc(revised))
    event.add("dtstart", _utc(window.start))
    event.add("dtend", _utc(end))
    event.add("summary", _text(incident.title))
    event.add("description", _text(_description(snapshot, incident, cache)))
    event.add("url", f"{config.base_url}incidents/{incident.id}/")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # Someone else's maintenance must not make a subscriber look busy.
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["MAINTENANCE"])
    return event


def _description(snapshot: Snapshot, incident: Incident, cache: RenderCache) -> str:
    """Plain text: components, the planned window, every update newest first, the link."""
    site, config = snapshot.site, snapshot.config
    gettext = site.catalog.gettext
    fmt = Formatter(config.language, config.timezone)
    assert incident.maintenance is not None
    lines = []
    names = [
        c.name for c in config.components if c.id in st.component_states(incident, snapshot.now)
    ]
    if names:
        lines.append(f"{gettext('Affected components')}: {', '.join(names)}")
    window = incident.maintenance
    planned = f"{fmt.datetime(window.start)} \u2013 {fmt.datetime(window.end)}"
    lines.append(f"{gettext('Scheduled for')}: {planned}")
    for update in reversed(snapshot.timeline(incident)):
        body = (
            automatic_message(update, gettext)
            if update.automatic
            else plain_text(update.body, cache.markdown)
        )
        lines += ["", f"{gettext(LABELS[update.status.word])} · {fmt.datetime(update.at)}", body]
    lines += ["", f"{config.base_url}incidents/{incident.id}/"]
    return "\n".join(lines).strip()


def _text(text: str) -> str:
    """*text* for a TEXT property: a lone CR would end the content line early in readers
    that split on it, so every line break becomes the LF that icalendar escapes."""
    return xml_text(text).replace("\r\n", "\n").replace("\r", "\n")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _utc_zone() -> Timezone:
    zone = Timezone()
    zone.add("tzid", "UTC")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))  # noqa: DTZ001 - VTIMEZONE onsets are local times by definition
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    zone.add_component(standard)
    return zone
