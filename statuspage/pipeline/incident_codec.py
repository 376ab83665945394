"""Incidents (and their problems) as plain JSON, for the parse cache: never pickle, as
loading a cache must never run code, and checked on the way back in against the parser's
own rules, as the cache folder is one anyone can commit to.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from statuspage.errors import CONTROL, Problem
from statuspage.model import (
    ComponentStatus,
    Impact,
    Incident,
    IncidentStatus,
    Update,
    Urgency,
    Window,
)
from statuspage.source.audiences import NAME
from statuspage.source.incident_file import (
    ALERT_KEY,
    FILE_NAME,
    MAX_ALERT_KEYS,
    POSTMORTEM_URL,
)
from statuspage.source.yamlfile import unusable_character

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)

_STATUSES = {int(s): s for s in IncidentStatus}
_COMPONENT_STATUSES = list(ComponentStatus)
_IMPACTS = list(Impact)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICRO


def _moment(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def encode_incident(i: Incident) -> list[Any] | None:
    """*i* as JSON values (None if it holds something JSON cannot carry back exactly)."""
    moments = (
        [u.at for u in i.updates]
        + ([i.maintenance.start, i.maintenance.end] if i.maintenance else [])
        + ([i.detected] if i.detected else [])
    )
    if any(m.tzinfo is not UTC for m in moments):
        return None
    return [
        i.id, i.title, int(i.impact), [[c, int(s)] for c, s in i.components],
        [[int(u.status), _micros(u.at), u.body, [[c, int(s)] for c, s in u.components], u.line,
          u.automatic, u.audience] for u in i.updates],
        i.path, i.postmortem_url,
        [_micros(i.maintenance.start), _micros(i.maintenance.end)] if i.maintenance else None,
        int(i.urgency), None if i.detected is None else _micros(i.detected), list(i.alerts),
        i.audience, i.impact_written,
    ]  # fmt: skip


def decode_incident(r: Any, name: str, known: frozenset[str]) -> Incident | None:
    """The Incident *r* encodes, or None unless it is one that parsing the file *name*
    could have given under a config with the *known* component ids. The cache is a file
    anyone can commit: an entry must not carry what a source could not (a `javascript:`
    link, control characters, unknown components), whatever its key says."""
    try:
        incident = _decode(r, known)
    except (TypeError, ValueError, KeyError, IndexError, OverflowError):
        return None
    return incident if _could_be_parsed(incident, name) else None


def _decode(r: Any, known: frozenset[str]) -> Incident:
    """*r* back as an Incident; TypeError & co. for anything but the exact shape we write."""
    ident, title, impact, components, updates, path, postmortem, window, *triage = _fields(r, 13)
    urgency, detected, alerts, audience, impact_written = triage

    def changes(value: Any) -> tuple[tuple[str, ComponentStatus], ...]:
        found = []
        for pair in _list(value):
            cid, status = _fields(pair, 2)
            if type(cid) is not str or cid not in known:
                raise ValueError("unknown component")
            found.append((cid, _pick(_COMPONENT_STATUSES, status)))
        return tuple(found)

    def update(u: Any) -> Update:
        status, at, body, cs, line, automatic, seen_by = _fields(u, 7)
        if automatic is not False or _int(line) < 1:  # written by state, never parsed from a file
            raise ValueError("not a parsed update")
        status_ = _STATUSES[_int(status)]
        return Update(
            status_, _moment(_int(at)), _str(body), changes(cs), line, False, _name(seen_by)
        )

    start_end = None if window is None else tuple(_moment(_int(m)) for m in _fields(window, 2))
    return Incident(
        id=_str(ident), title=_str(title), impact=_pick(_IMPACTS, impact),
        components=changes(components),
        updates=tuple(update(u) for u in _list(updates)), path=_str(path),
        postmortem_url=None if postmortem is None else _str(postmortem),
        maintenance=None if start_end is None else Window(*start_end),
        urgency=Urgency(_int(urgency)),
        detected=None if detected is None else _moment(_int(detected)),
        alerts=tuple(_str(a) for a in _list(alerts)), audience=_name(audience),
        impact_written=_bool(impact_written),
    )  # fmt: skip


def _could_be_parsed(i: Incident, name: str) -> bool:
    """The invariants parsing the file *name* guarantees (source/incident_file.py)."""
    texts = [i.title, i.path, *(u.body for u in i.updates)]
    return (
        FILE_NAME.match(name) is not None and i.id == name.removesuffix(".md")
        and i.title == i.title.strip() != "" and bool(i.updates)
        and not any(unusable_character(t) for t in texts) and "\r" not in "".join(texts)
        and (i.postmortem_url is None or POSTMORTEM_URL.match(i.postmortem_url) is not None)
        and (i.maintenance is None or i.maintenance.end > i.maintenance.start)
        and all(ALERT_KEY.match(a) for a in i.alerts) and len(i.alerts) <= MAX_ALERT_KEYS
        and (i.detected is None or (not i.is_maintenance and i.detected <= i.updates[0].at))
    )  # fmt: skip


def _fields(value: Any, count: int) -> list[Any]:
    if type(value) is not list or len(value) != count:
        raise TypeError("not the shape the cache writes")
    return value


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError("not a list")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("not a boolean")
    return value


def _name(value: Any) -> str:
    """An audience's name as `audiences:` allows it."""
    name = _str(value)
    if not NAME.match(name):
        raise ValueError("not an audience")
    return name


def _int(value: Any) -> int:
    if type(value) is not int:  # bool is not an int here
        raise TypeError("not an integer")
    return value


def _pick(values: list[Any], index: Any) -> Any:
    """values[index] for an index we could have written (never a negative one)."""
    if not 0 <= _int(index) < len(values):
        raise IndexError("no such value")
    return values[index]


def decode_problems(value: Any) -> list[Problem] | None:
    """A cached entry's problems, if each is a (path, line, message, severity) we could write."""
    try:
        found = [_fields(p, 4) for p in _list(value)]
        problems = [Problem(_str(p), _int(n), _str(text), _str(kind)) for p, n, text, kind in found]
    except TypeError:
        return None
    ok = all(p.severity in ("error", "warning") and not CONTROL.search(p.path + p.message)
             for p in problems)  # fmt: skip
    return problems if ok else None
