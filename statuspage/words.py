"""The words a component's status, an incident's impact, urgency and status take.

Enums are ordered by severity so that "worst" is `max`. Values are the words users
write in files and the enum values of the Statuspage v2 API. model.py re-exports them.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Self


class _Words(IntEnum):
    @property
    def word(self) -> str:
        return self._name_.lower()  # not .name: enum's descriptor costs 10x

    @property
    def label(self) -> str:
        """English label; templates translate it through the catalogs."""
        return self.word.replace("_", " ").capitalize()

    @classmethod
    def words(cls) -> list[str]:
        return [m.word for m in cls]

    @classmethod
    def parse(cls, word: object) -> Self | None:
        if isinstance(word, str):
            return cls.__members__.get(word.strip().lower().replace(" ", "_").upper())
        return None


class ComponentStatus(_Words):
    OPERATIONAL = 0
    UNDER_MAINTENANCE = 1
    DEGRADED_PERFORMANCE = 2
    PARTIAL_OUTAGE = 3
    MAJOR_OUTAGE = 4


class Impact(_Words):
    NONE = 0
    MAINTENANCE = 1
    MINOR = 2
    MAJOR = 3
    CRITICAL = 4


class Urgency(_Words):
    """How soon the affected users need it fixed (ITIL); with impact it gives priority."""

    HIGH = 1
    MEDIUM = 2
    LOW = 3


# ITIL's priority matrix: priority = impact rank + urgency rank - 1, capped at P5.
_IMPACT_RANK = {Impact.CRITICAL: 1, Impact.MAJOR: 2, Impact.MINOR: 3, Impact.NONE: 4}


def priority(impact: Impact, urgency: Urgency) -> int | None:
    """The ITIL priority 1 (P1, most urgent) to 5 of an incident; None for maintenance."""
    rank = _IMPACT_RANK.get(impact)
    return None if rank is None else min(5, rank + int(urgency) - 1)


def parse_priority(word: object) -> int | None:
    """1-5 for a priority written `P1`-`P5` (any case, spaces around), else None."""
    text = str(word).strip().upper()
    return int(text[1]) if len(text) == 2 and text[0] == "P" and text[1] in "12345" else None


class IncidentStatus(_Words):
    """Statuses of incidents and of maintenances (the latter from SCHEDULED on)."""

    INVESTIGATING = 0
    IDENTIFIED = 1
    MONITORING = 2
    RESOLVED = 3
    SCHEDULED = 10
    IN_PROGRESS = 11
    VERIFYING = 12
    COMPLETED = 13

    @property
    def is_final(self) -> bool:
        return self is IncidentStatus.RESOLVED or self is IncidentStatus.COMPLETED

    @property
    def for_maintenance(self) -> bool:
        return self >= IncidentStatus.SCHEDULED


INCIDENT_STATUSES = [s for s in IncidentStatus if not s.for_maintenance]
MAINTENANCE_STATUSES = [s for s in IncidentStatus if s.for_maintenance]
