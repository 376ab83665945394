"""The record of what was sent: which events each endpoint has received (the
notification state file; not to be confused with the `state/` stage, which is what is
true at an instant).

`.statuspage/notified.json` by default; the publish workflow commits it back,
so the next run (on any machine) knows what was sent. It holds endpoint keys
(hashes of un-substituted config entries), secret-free labels and event ids:
nothing secret. Deterministic (sorted, fixed indentation) so its diffs are readable,
and replaced atomically so a crash never leaves half a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from statuspage.files import write_atomic

DEFAULT_PATH = Path(".statuspage") / "notified.json"
VERSION = 1


class StateError(Exception):
    """The state file exists but cannot be used (it is not ours, or is damaged)."""


@dataclass
class EndpointState:
    """What one endpoint has received: the ids of the events sent to it."""

    label: str
    sent: set[str] = field(default_factory=set)


@dataclass
class State:
    """Every endpoint's record, as the state file holds it."""

    endpoints: dict[str, EndpointState] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {
            "version": VERSION,
            "endpoints": {
                key: {"endpoint": e.label, "sent": sorted(e.sent)}
                for key, e in sorted(self.endpoints.items())
            },
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_state(path: Path) -> State:
    """The recorded state, or an empty one if the file does not exist yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    except OSError as e:
        raise StateError(f"{path}: cannot read the notification state: {e.strerror or e}") from None
    try:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ValueError(f"unknown version {data.get('version')!r}")
        endpoints = {
            str(key): EndpointState(str(entry["endpoint"]), {str(i) for i in entry["sent"]})
            for key, entry in data["endpoints"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise StateError(
            f"{path}: not a notification state file ({e}); restore it from git, or delete it to "
            "start afresh "
            "(every endpoint then counts as new: past updates are marked as sent, not sent again)"
        ) from None
    return State(endpoints)


def save_state(state: State, path: Path) -> None:
    """Replace *path* with *state* atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, state.to_json().encode())
