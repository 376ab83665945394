"""Changing a site's files as `new`, `update`, `resolve` and `postmortem` do (on top of
source/ and state/: a change is refused by what the incident's status is at a time)."""
