"""The first day a site reports on: `start_date:`, or what the files show (pure).

Before it, the page has no data: day bars say so and no figure counts those days.
Without `start_date:` the earliest incident file is the oldest evidence that the
page existed: the day of its first update (or of its window's start, if earlier).
Without either the page has no data at all; never the day of a build, which would
make the output depend on when it was built.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from statuspage.errors import Problems
from statuspage.model import Config, Incident, Site


def earliest_incident_day(config: Config, incidents: Iterable[Incident]) -> date | None:
    """The day (in the site's zone) of the earliest first update or window start, if any."""
    moments = [min(i.created_at, i.started_at) for i in incidents]
    return min(moments).astimezone(config.timezone).date() if moments else None


def site_start(config: Config, incidents: Iterable[Incident]) -> date | None:
    """The first day with data: `start_date:`, else the earliest incident's; None: no data."""
    return config.start_date or earliest_incident_day(config, incidents)


def start_assumption(site: Site, problems: Problems) -> None:
    """`check`'s note when `start_date:` is missing: what it assumed and how to say so."""
    config = site.config
    if config.path is None:
        return
    if config.start_date is not None:
        _before_start(site, config.start_date, problems)
        return
    day = earliest_incident_day(config, site.incidents)
    if day is None:
        message = (
            "no `start_date:` and no incidents, so the page shows no uptime data; "
            "add `start_date: YYYY-MM-DD`, the first day the page reports on"
        )
    else:
        message = (
            f"no `start_date:`; assuming {day.isoformat()}, the day of the earliest incident; "
            f"add `start_date: {day.isoformat()}` (or the day the page began) to say so"
        )
    problems.warning(config.path, 0, message)


def _before_start(site: Site, start: date, problems: Problems) -> None:
    """An incident that began before `start_date:` is counted in no figure: say so at it."""
    for incident in site.incidents:
        day = earliest_incident_day(site.config, [incident])
        if day is not None and day < start and incident.path:
            problems.warning(
                incident.path,
                1,
                f"this began on {day.isoformat()}, before `start_date: {start.isoformat()}` "
                "in statuspage.yaml, so no uptime figure counts it; set `start_date:` to "
                f"{day.isoformat()} or earlier",
            )
