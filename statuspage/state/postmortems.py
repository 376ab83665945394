"""What of a site's postmortems is published at an instant (the files are read in
source/postmortem_file.py, shown in outputs/postmortems.py)."""

from __future__ import annotations

from datetime import datetime

from statuspage.model import Incident, Postmortem, Site
from statuspage.state import status as st


def published_postmortem(site: Site, incident_id: str, now: datetime) -> Postmortem | None:
    """The incident's postmortem if it is published by *now* (drafts and future ones: None).

    Its `.body` is the Markdown source and `.published_at` when it appears."""
    postmortem = site.postmortems.get(incident_id)
    incident = site.incident(incident_id)
    if postmortem is None or incident is None or not postmortem.is_published(now):
        return None
    # Cannot happen for loaded files; stays safe for hand-built Sites.
    if st.resolved_at(incident, now) is None:
        return None
    return postmortem


def api_status(site: Site, incident: Incident, now: datetime) -> str:
    """The incident's v2 `status` word: `postmortem` once its postmortem is published."""
    if published_postmortem(site, incident.id, now) is not None:
        return "postmortem"
    return st.incident_status(incident, now).word


def next_publication(site: Site, now: datetime) -> datetime | None:
    """The next instant after *now* at which a postmortem appears by itself, if any."""
    return min(
        (
            p.published_at
            for p in site.postmortems.values()
            if p.published_at and p.published_at > now
        ),
        default=None,
    )
