"""The parse cache: `.statuspage-cache/incidents.json`, each incident file's parse (the
Incident and its problems) keyed by the file's name and bytes, the parsed config and
the package's own code (inputs.parse_key). Safe to delete at any time.

Plain JSON, never pickle: the folder lives in a repository that others may commit to,
and loading a cache must never run code. For the same reason the file is sealed to this
machine (seal.py): one committed, copied or edited is never read, and an entry that is
read is still checked against the parser's rules (incident_codec.py).
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from statuspage.errors import Problem, Problems
from statuspage.model import Config, Incident
from statuspage.pipeline.fingerprint import FORMAT, digest
from statuspage.pipeline.incident_codec import decode_incident, decode_problems, encode_incident
from statuspage.pipeline.inputs import parse_key
from statuspage.pipeline.manifest import CACHE_DIR
from statuspage.pipeline.seal import machine_secret, read_sealed, write_sealed
from statuspage.pipeline.source_stats import SourceStats, Stat, stat_of
from statuspage.source.incident_file import incident_files, load_incident

if TYPE_CHECKING:
    from statuspage.pipeline.parallel import Pool

# Files to parse before a worker process shares the parse: forking one and pickling its
# parses back costs ~20 ms; at 1,000 files sharing took 0.50 s down to 0.34 s (bench/README.md).
PARSE_PARALLEL_MIN = 400


class Parsed(NamedTuple):
    """A file parsed by a worker process, with what the build needs to trust it."""

    name: str
    digest: str  # of the file's name and bytes
    incident: Incident | None
    problems: list[Problem]
    stat: Stat  # the file's, before reading it
    seen_ns: int  # when that stat was taken


class Entry(NamedTuple):
    """A file's parse as the cache keeps it (a JSON list on disk)."""

    digest: str  # of the file's name and bytes
    incident: list[Any] | None  # encode_incident's, or None when the file has errors
    problems: list[list[Any]]  # [path, line, message, severity]

    @classmethod
    def of(cls, value: Any) -> Entry | None:
        """*value* as an Entry, if it has the shape of one (its content is checked on use)."""
        if isinstance(value, Entry):
            return value
        if type(value) is not list or len(value) != 3 or type(value[0]) is not str:
            return None
        return cls(*value)


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
        self._pool: Pool[Path, Parsed] | None = None  # workers not yet heard from
        self._awaited: set[str] = set()  # the files they parse
        self.entries: dict[str, Any] = {}  # as read: each is checked when used
        self.used: dict[str, Entry] = {}
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
        from statuspage.pipeline.parallel import Pool, interleaved

        # In load's order: ours come first; each worker gets every helpers-th of the rest.
        ours = len(todo) // self.workers
        shares = interleaved(len(todo), self.workers - 1, start=ours)
        self._pool = Pool(todo, lambda path: _parse(path, config, self.root), shares)
        self._awaited = {p.name for p in todo[ours:]}

    def _receive(self) -> None:
        """Take the workers' parses (waiting for those still at it). What a worker did not
        finish, load parses one by one (and reports why it failed, if it does again)."""
        if self._pool is None:
            return
        with self._pool as pool:
            for outcome in pool.outcomes():
                self._ahead.update((parsed.name, parsed) for parsed in outcome.done)
                self.parsed_ahead += len(outcome.done)
        self._pool, self._awaited = None, set()

    def next_run(self) -> None:
        """Ready for another build in this process (`serve`): what this run parsed is
        what is known, and incidents already decoded are handed out again as they are
        (they are immutable), so a save costs the parse of the files it changed."""
        if self.key is None:
            return  # this run never got to the incidents: what was known still is
        self._unsaved = self._unsaved or self._changed()
        known = {entry.digest for entry in self.used.values()}
        self._decoded = {
            key: incident for key, incident in self._decoded.items() if key in known
        }  # edited away: gone
        self._loaded = {"format": FORMAT, "key": self.key, "files": self.used}
        self.key, self.entries, self.used, self.digests = None, {}, {}, {}
        self.hits = self.misses = 0

    def _cached(
        self, value: Any, key: str, name: str
    ) -> tuple[Incident | None, list[Problem]] | None:
        """(incident, problems) from a cache entry for the file's *key*, if it holds up (else
        None: parse the file)."""
        entry = Entry.of(value)
        if entry is None or entry.digest != key:
            return None
        found = decode_problems(entry.problems)
        if found is None:
            return None
        incident = self._decoded.get(key)
        if incident is None and entry.incident is not None:
            incident = decode_incident(entry.incident, name, self.known)
            if incident is None:
                return None  # damaged or edited: the file is parsed again and the entry replaced
            self._decoded[key] = incident
        elif entry.incident is None and not any(p.is_error for p in found):
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
            key, data = self._digest(path, ahead)
        except OSError:
            return load_incident(path, config, problems)  # reports why it cannot be read
        cached = self._cached(self.entries.get(path.name), key, path.name)
        from_worker = ahead if ahead is not None and ahead.digest == key else None  # these bytes
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
            incident, found = cached
            problems.items += found
            entry: Entry | None = Entry.of(self.entries[path.name])
        else:
            self.misses += 1
            before = len(problems.items)
            if from_worker is not None:
                problems.items += from_worker.problems
                incident = from_worker.incident
            else:
                incident = load_incident(path, config, problems, data)
            entry = self._entry(key, incident, problems.items[before:])
        if entry is not None:
            self.used[path.name] = entry
        if incident is not None:
            self.digests[incident.id] = key
        return incident

    def _digest(self, path: Path, ahead: Parsed | None) -> tuple[str, bytes | None]:
        """The digest of *path*'s name and bytes, and its bytes if they were read for it
        (not when the stat manifest, or a worker's read, vouches for the file)."""
        if self.stats is None:
            data = path.read_bytes()
            return digest(path.name, data), data
        if ahead is not None:  # a worker's stat and digest vouch as the manifest's do
            self.stats.vouch(path.name, ahead.stat, ahead.digest, ahead.seen_ns)
        kept: list[bytes] = []  # what the digest was made from, if it read the file

        def reading() -> bytes:
            kept.append(path.read_bytes())
            return kept[0]

        key = self.stats.digest(path.name, path.stat(), reading)
        return key, kept[0] if kept else None

    def _entry(self, key: str, incident: Incident | None, found: list[Problem]) -> Entry | None:
        """What to keep of a parse (None: an incident JSON cannot carry back exactly)."""
        # Encoded only to be kept: a cache that is never saved needs no entries.
        encoded = encode_incident(incident) if self.persistent and incident is not None else None
        if incident is not None and encoded is None:
            return None
        return Entry(key, encoded, [[p.path, p.line, p.message, p.severity] for p in found])

    def save(self) -> None:
        """Keep the entries of this run's files (deleted files drop out), if anything changed."""
        self._receive()  # workers whose files were never asked for (gone since): done with them
        if self.secret is None or self.key is None or not (self._unsaved or self._changed()):
            return
        with contextlib.suppress(OSError):  # a read-only checkout still builds, just not faster
            data = {"format": FORMAT, "key": self.key, "files": self.used}
            write_sealed(self.path, data, self.secret)


def _parse(path: Path, config: Config, root: Path) -> Parsed:
    """In a worker: parse the file *path*, noting its stat before reading it."""
    problems = Problems(root)
    seen = time.time_ns()
    stat = stat_of(path.stat())
    data = path.read_bytes()
    incident = load_incident(path, config, problems, data)
    return Parsed(path.name, digest(path.name, data), incident, problems.items, stat, seen)
