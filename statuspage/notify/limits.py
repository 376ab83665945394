"""How many messages one endpoint gets in one run: a burst of updates (or a hostile
incident with thousands of them) must not flood subscribers or hold `notify` for hours,
and a run cut off at its time limit resends at most one run's worth."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from statuspage.notify.events import Event
from statuspage.source.names import counted

MAX_PER_RUN = 100
MAX_PER_INCIDENT = 10


@dataclass
class Capped:
    """What one run sends, marks as sent without a message, and leaves for the next run."""

    send: list[Event] = field(default_factory=list)  # in order, now
    skip: list[Event] = field(default_factory=list)  # marked as sent without a message
    later: int = 0  # left unsent for the next run
    warnings: list[str] = field(default_factory=list)


def cap(todo: list[Event]) -> Capped:
    """Split *todo* (oldest first): per incident only its newest MAX_PER_INCIDENT messages,
    then at most MAX_PER_RUN in all, the rest left for the next run."""
    result = Capped()
    left = Counter(e.incident.id for e in todo)
    for event in todo:
        if left[event.incident.id] > MAX_PER_INCIDENT:
            result.skip.append(event)
        else:
            result.send.append(event)
        left[event.incident.id] -= 1
    skipped = Counter(e.incident.id for e in result.skip)
    for event in result.skip:  # one warning per incident, at its oldest update not sent
        if count := skipped.pop(event.incident.id, 0):
            line = event.update.line if event.update is not None else 1
            result.warnings.append(
                f"{event.incident.path}:{line}: {counted(count, 'older update')} of this incident "
                "not sent "
                f"(at most {MAX_PER_INCIDENT} messages per incident in one run; the newest were)"
            )
    if len(result.send) > MAX_PER_RUN:
        result.later = len(result.send) - MAX_PER_RUN
        result.send = result.send[:MAX_PER_RUN]
        waits = "waits" if result.later == 1 else "wait"
        note = f"{counted(result.later, 'more message')} {waits} for the next run"
        note += f" (at most {MAX_PER_RUN} per endpoint in one run)"
        result.warnings.append(note)
    return result
