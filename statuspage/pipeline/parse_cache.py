"""The parse cache: `.statuspage-cache/incidents.json`, each incident file's parse (the
Incident and its problems) keyed by the file's name and bytes, the parsed config and
the package's own code (inputs.parse_key). Safe to delete at any time.

Plain JSON, never pickle: the folder lives in a repository that others may commit to,
and loading a cache must never run code. For the same reason the file is sealed to this
machine (seal.py): one committed, copied or edited is never read, and an entry that is
read is still checked against the parser's rules.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statuspage.errors import CONTROL, Problem, Problems
from statuspage.model import (
    ComponentStatus,
    Config,
    Impact,
    Incident,
    IncidentStatus,
    Update,
    Urgency,
    Window,
)
from statuspage.pipeline.fingerprint import FORMAT, digest
from statuspage.pipeline.inputs import parse_key
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.pipeline.seal import machine_secret, read_sealed, write_sealed
from statuspage.pipeline.source_stats import SourceStats, Stat, stat_of
from statuspage.source.incident_file import (
    ALERT_KEY,
    FILE_NAME,
    MAX_ALERT_KEYS,
    POSTMORTEM_URL,
    incident_files,
    load_incident,
)
from statuspage.source.yamlfile import unusable_character

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)

# -- incidents as plain JSON ---------------------------------------------------

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
          u.automatic] for u in i.updates],
        i.path, i.postmortem_url,
        [_micros(i.maintenance.start), _micros(i.maintenance.end)] if i.maintenance else None,
        int(i.urgency), None if i.detected is None else _micros(i.detected), list(i.alerts),
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
    ident, title, impact, components, updates, path, postmortem, window, *triage = _fields(r, 11)
    urgency, detected, alerts = triage

    def changes(value: Any) -> tuple[tuple[str, ComponentStatus], ...]:
        found = []
        for pair in _list(value):
            cid, status = _fields(pair, 2)
            if type(cid) is not str or cid not in known:
                raise ValueError("unknown component")
            found.append((cid, _pick(_COMPONENT_STATUSES, status)))
        return tuple(found)

    def update(u: Any) -> Update:
        status, at, body, cs, line, automatic = _fields(u, 6)
        if automatic is not False or _int(line) < 1:  # written by state, never parsed from a file
            raise ValueError("not a parsed update")
        status_ = _STATUSES[_int(status)]
        return Update(status_, _moment(_int(at)), _str(body), changes(cs), line, False)

    start_end = None if window is None else tuple(_moment(_int(m)) for m in _fields(window, 2))
    return Incident(
        id=_str(ident), title=_str(title), impact=_pick(_IMPACTS, impact),
        components=changes(components),
        updates=tuple(update(u) for u in _list(updates)), path=_str(path),
        postmortem_url=None if postmortem is None else _str(postmortem),
        maintenance=None if start_end is None else Window(*start_end),
        urgency=Urgency(_int(urgency)),
        detected=None if detected is None else _moment(_int(detected)),
        alerts=tuple(_str(a) for a in _list(alerts)),
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


def _int(value: Any) -> int:
    if type(value) is not int:  # bool is not an int here
        raise TypeError("not an integer")
    return value


def _pick(values: list[Any], index: Any) -> Any:
    """values[index] for an index we could have written (never a negative one)."""
    if not 0 <= _int(index) < len(values):
        raise IndexError("no such value")
    return values[index]


def _problems(value: Any) -> list[Problem] | None:
    """A cached entry's problems, if each is a (path, line, message, severity) we could write."""
    try:
        found = [_fields(p, 4) for p in _list(value)]
        problems = [Problem(_str(p), _int(n), _str(text), _str(kind)) for p, n, text, kind in found]
    except TypeError:
        return None
    ok = all(p.severity in ("error", "warning") and not CONTROL.search(p.path + p.message)
             for p in problems)  # fmt: skip
    return problems if ok else None


# Files to parse before a worker process shares the parse: forking one and pickling its
# parses back costs ~20 ms; at 1,000 files sharing took 0.50 s down to 0.34 s (bench/README.md).
PARSE_PARALLEL_MIN = 400

# (digest of name and bytes, parse, problems, the file's stat before reading, when taken)
Parsed = tuple[str, Incident | None, list[Problem], Stat, int]


class ParseCache:
    """Parsed incident files, reused while a file's bytes, the config and the code are the same.

    With *workers* > 1, a run that has many files to parse (a first build, a new config
    or code) parses them in that many forked processes first (never from a threaded
    caller); with *persistent* False nothing is read from or written to the cache folder."""

    def __init__(
        self,
        root: Path,
        stats: SourceStats | None = None,
        *,
        workers: int = 1,
        persistent: bool = True,
    ) -> None:
        self.root = root
        self.path = root / CACHE_DIR / "incidents.json"
        self.stats = stats  # when given, a file it vouches for is not read unless its entry misses
        self.workers, self.persistent = workers, persistent
        self._ahead: dict[str, Parsed] = {}  # file name -> parsed in a worker, not yet asked for
        self.parsed_ahead = 0  # files parsed by workers in this run
        self._waiting: list[tuple[BaseProcess, Connection]] = []  # workers not yet heard from
        self._awaited: set[str] = set()  # the files they parse
        self.entries: dict[str, list[Any]] = {}
        self.used: dict[str, list[Any]] = {}
        self.digests: dict[str, str] = {}  # incident id -> digest of its file's name and bytes
        self.key: str | None = None
        self.known: frozenset[str] = frozenset()  # the config's component ids, to check entries
        self.hits = self.misses = 0
        self.secret = machine_secret(root) if persistent else None
        self._loaded: Any = read_sealed(self.path, self.secret)
        self._decoded: dict[
            str, Incident
        ] = {}  # file digest -> its Incident, for the next run in this process
        self._unsaved = False  # an earlier run in this process changed what is known

    def _start(self, config: Config) -> None:
        self.key = parse_key(config)
        self.known = frozenset(config.component_ids)
        data = self._loaded
        ours = isinstance(data, dict) and data.get("format") == FORMAT
        if ours and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.entries = data["files"]
        else:
            self._decoded = {}
        self._loaded = None
        if self.workers > 1:
            self._parse_ahead(config)

    def _parse_ahead(self, config: Config) -> None:
        """Have the files the cache has no entry for parsed in forked workers, when many.

        The build parses the first share itself meanwhile (as many files as each worker:
        on two cores a worker is no faster than the build, which then checks and encodes
        the workers' files too), and takes the workers' parses when it reaches a file of
        theirs (_receive)."""
        todo = [
            p for p in incident_files(self.root)
            if p.name not in self.entries and not p.is_symlink()  # links: one by one, in load
        ]  # fmt: skip
        if len(todo) < PARSE_PARALLEL_MIN:
            return
        import multiprocessing  # only here: a build with little to parse never starts one

        context = multiprocessing.get_context("fork")
        theirs = todo[len(todo) // self.workers :]  # in load's order: ours come first
        helpers = self.workers - 1
        for number in range(helpers):
            receiving, sending = context.Pipe(duplex=False)
            share = theirs[number::helpers]
            child = context.Process(target=_parse_share, args=(share, config, self.root, sending))
            child.daemon = True  # never outlives a build that stopped before taking its parses
            child.start()
            sending.close()
            self._waiting.append((child, receiving))
        self._awaited = {p.name for p in theirs}

    def _receive(self) -> None:
        """Take the workers' parses (waiting for those still at it)."""
        for child, receiving in self._waiting:
            with contextlib.suppress(EOFError):  # a worker died: load parses its files one by one
                found = receiving.recv()
                self._ahead.update(found)
                self.parsed_ahead += len(found)
            receiving.close()
            child.join()
        self._waiting, self._awaited = [], set()

    def next_run(self) -> None:
        """Ready for another build in this process (`serve`): what this run parsed is
        what is known, and incidents already decoded are handed out again as they are
        (they are immutable), so a save costs the parse of the files it changed."""
        if self.key is None:
            return  # this run never got to the incidents: what was known still is
        self._unsaved = self._unsaved or self._changed()
        known = {entry[0] for entry in self.used.values()}
        self._decoded = {
            key: incident for key, incident in self._decoded.items() if key in known
        }  # edited away: gone
        self._loaded = {"format": FORMAT, "key": self.key, "files": self.used}
        self.key, self.entries, self.used, self.digests = None, {}, {}, {}
        self.hits = self.misses = 0

    def _cached(
        self, entry: Any, key: str, name: str
    ) -> tuple[Incident | None, list[Problem]] | None:
        """(incident, problems) from a cache entry for the file's *key*, if it holds up (else
        None: parse the file)."""
        if type(entry) is not list or len(entry) != 3 or entry[0] != key:
            return None
        found = _problems(entry[2])
        if found is None:
            return None
        incident = self._decoded.get(key)
        if incident is None and entry[1] is not None:
            incident = decode_incident(entry[1], name, self.known)
            if incident is None:
                return None  # damaged or edited: the file is parsed again and the entry replaced
            self._decoded[key] = incident
        elif entry[1] is None and not any(p.is_error for p in found):
            return None  # no incident, yet no error saying why: not something we wrote
        return incident, found

    def _changed(self) -> bool:
        return self.misses > 0 or len(self.used) != len(self.entries)

    def load(self, path: Path, config: Config, problems: Problems) -> Incident | None:
        """What content.load_incident gives for *path*, from the cache when its bytes are known."""
        if self.key is None:
            self._start(config)
        if path.name in self._awaited:
            self._receive()
        ahead = self._ahead.pop(path.name, None)
        try:
            if self.stats is None:
                read_now = path.read_bytes()
                data: bytes | None = read_now
                key = digest(path.name, read_now)
            else:
                if ahead is not None:  # a worker's stat and digest vouch as the manifest's do
                    self.stats.vouch(path.name, ahead[3], ahead[0], ahead[4])
                kept: list[bytes] = []  # what the digest was made from, if it read the file

                def reading() -> bytes:
                    kept.append(path.read_bytes())
                    return kept[0]

                key = self.stats.digest(path.name, path.stat(), reading)
                data = kept[0] if kept else None
        except OSError:
            return load_incident(path, config, problems)  # reports why it cannot be read
        entry = self.entries.get(path.name)
        cached = self._cached(entry, key, path.name)
        from_worker = ahead if ahead is not None and ahead[0] == key else None  # these bytes
        if cached is None and data is None and from_worker is None:  # known by its stat alone
            try:
                data = path.read_bytes()
            except OSError:
                return load_incident(path, config, problems)
            if (read := digest(path.name, data)) != key:  # changed after its stat was taken
                assert self.stats is not None
                self.stats.forget(path.name)
                key = read
        if cached is not None:
            self.hits += 1
            incident, found_before = cached
            problems.items += found_before
        else:
            self.misses += 1
            entry = None
            if from_worker is not None:
                incident, found = from_worker[1], from_worker[2]
                problems.items += found
            else:
                before = len(problems.items)
                incident = load_incident(path, config, problems, data)
                found = problems.items[before:]
            # Encoded only to be kept: a cache that is never saved needs no entries.
            encoded = (
                encode_incident(incident) if self.persistent and incident is not None else None
            )
            if incident is None or encoded is not None:
                entry = [key, encoded, [[p.path, p.line, p.message, p.severity] for p in found]]
        if entry is not None:
            self.used[path.name] = entry
        if incident is not None:
            self.digests[incident.id] = key
        return incident

    def save(self) -> None:
        """Keep the entries of this run's files (deleted files drop out), if anything changed."""
        self._receive()  # workers whose files were never asked for (gone since): done with them
        if self.secret is None or self.key is None or not (self._unsaved or self._changed()):
            return
        with contextlib.suppress(OSError):  # a read-only checkout still builds, just not faster
            data = {"format": FORMAT, "key": self.key, "files": self.used}
            write_sealed(self.path, data, self.secret)


def _parse_share(share: list[Path], config: Config, root: Path, sending: Connection) -> None:
    """In a worker: parse the files of *share*; send back {name: Parsed} (pickled: it goes
    only to the process that forked this one, never to disk)."""
    found: dict[str, Parsed] = {}
    # Whatever fails here is parsed again by the parent, which reports why.
    with contextlib.suppress(Exception):
        for path in share:
            problems = Problems(root)
            seen = time.time_ns()
            stat = stat_of(path.stat())
            data = path.read_bytes()
            incident = load_incident(path, config, problems, data)
            found[path.name] = (digest(path.name, data), incident, problems.items, stat, seen)
    sending.send(found)
    sending.close()
