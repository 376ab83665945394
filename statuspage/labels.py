"""Every label the outputs show for a machine word, in one place.

Machine words (`major_outage`, `minor`) stay English in files and JSON; what readers
see is marked with `N_` for the catalogs and translated where it is shown (pages,
feeds, the calendar, notifications).
"""

from __future__ import annotations

from statuspage.model import Impact, IncidentStatus


def N_(message: str) -> str:
    """Marks a string for extraction into the catalogs; translated where shown."""
    return message


# UI labels for the enum words (machine words stay English in files and JSON).
LABELS = {
    "operational": N_("Operational"),
    "under_maintenance": N_("Under maintenance"),
    "degraded_performance": N_("Degraded performance"),
    "partial_outage": N_("Partial outage"),
    "major_outage": N_("Major outage"),
    "investigating": N_("Investigating"),
    "identified": N_("Identified"),
    "monitoring": N_("Monitoring"),
    "resolved": N_("Resolved"),
    "scheduled": N_("Scheduled"),
    "in_progress": N_("In progress"),
    "verifying": N_("Verifying"),
    "completed": N_("Completed"),
    "postmortem": N_("Postmortem"),
}
IMPACT_LABELS = {
    "none": N_("No impact"),
    "maintenance": N_("Maintenance"),
    "minor": N_("Minor impact"),
    "major": N_("Major impact"),
    "critical": N_("Critical impact"),
}
# What the banner says; friendlier than the v2 API's fixed descriptions.
BANNER = {
    Impact.NONE: N_("All Systems Operational"),
    Impact.MAINTENANCE: N_("Scheduled Maintenance in Progress"),
    Impact.MINOR: N_("Minor Service Disruption"),
    Impact.MAJOR: N_("Partial System Outage"),
    Impact.CRITICAL: N_("Major System Outage"),
}
# The banner while every component works again but an incident that broke one is open.
RECOVERING_BANNER = N_("All Systems Operational — Recovering")
# What the updates the clock writes (a maintenance window opening or closing) say:
# English here and in the JSON API, translated on pages, feeds and notifications.
AUTOMATIC_MESSAGES = {
    IncidentStatus.IN_PROGRESS: N_("The scheduled maintenance window has started."),
    IncidentStatus.COMPLETED: N_("The scheduled maintenance window has ended."),
}
# The v2 API's fixed descriptions (machine-facing: never translated).
INDICATOR_DESCRIPTIONS = {
    Impact.NONE: "All Systems Operational",
    Impact.MAINTENANCE: "Service Under Maintenance",
    Impact.MINOR: "Minor Service Outage",
    Impact.MAJOR: "Partial System Outage",
    Impact.CRITICAL: "Major Service Outage",
}
