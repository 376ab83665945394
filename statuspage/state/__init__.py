"""Pure: what is true of a site at an instant (statuses, timelines, uptime, quarters)."""
