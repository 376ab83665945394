"""`upstream:` (third-party providers) and their snapshots, `upstream/<id>.json`.

The build never fetches: `statuspage upstream pull` writes one snapshot per provider
and the build reads only those, so it stays offline and its output is a function of
the files. A snapshot holds only what the page shows, with keys in a fixed order, so it
changes (and makes a commit) only when the provider's status does. Its text came from
a provider: lengths and counts are capped again here, and links are http(s) only.
"""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from statuspage.errors import Problems
from statuspage.model import (
    ComponentStatus,
    Config,
    Impact,
    UpstreamItem,
    UpstreamMaintenance,
    UpstreamReport,
    UpstreamSource,
)
from statuspage.source.config_schema import UPSTREAM
from statuspage.source.names import suggest, userinfo_problem
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.source.yamlfile import YamlList, YamlMap

UPSTREAM_DIR = "upstream"
SNAPSHOT_FORMAT = 1
ENTRY_KEYS = set(UPSTREAM.names)
ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
STALE = re.compile(r"^(?:([0-9]{1,4})h)?\s*(?:([0-9]{1,5})m)?$")
DEFAULT_STALE_AFTER = timedelta(hours=6)
MAX_PROVIDERS = 50
# Caps on what a provider can put on our page (its text is untrusted, its size unknown).
MAX_SHOWN_COMPONENTS = 50
MAX_INCIDENTS = 10
MAX_NAME = 200
MAX_DESCRIPTION = 200
MAX_URL = 2_000
MAX_MAINTENANCES = 5
# A provider's maintenance is shown from this long before it starts (its own page has the rest).
MAINTENANCE_WINDOW = timedelta(days=7)
MAX_SNAPSHOT_BYTES = 256_000
LOOPBACK_NAMES = {"localhost"}


def snapshot_path(root: Path, upstream_id: str) -> Path:
    """Where `upstream pull` keeps a provider's snapshot, and the build reads it."""
    return root / UPSTREAM_DIR / f"{upstream_id}.json"


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: a fetch that never leaves the machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: object) -> str | None:
    """Why *url* cannot be an `upstream:` URL, or None. https only: a provider's status
    must not be changeable by anyone on the path. Plain http is allowed to a loopback
    host only, which never leaves the machine (tests, a local mirror)."""
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL or url != url.strip():
        return "`url:` is required: the https:// address of the provider's summary.json"
    parts = urlsplit(url)
    if refused := userinfo_problem("url", url):
        return refused
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return None
    return (
        f"`url:` must start with https:// (e.g. https://www.githubstatus.com/api/v2/summary.json), "
        f"not {url!r}"
    )


def link(value: object) -> str | None:
    """*value* if it is a one-line http(s) URL of bounded length; else None (never a
    javascript: or data: link from a provider)."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        return None
    if not re.fullmatch(r"https?://[^\s\"'<>\\]+", value):
        return None
    return value


def one_line(value: object, limit: int) -> str:
    """Provider text as one line of at most *limit* characters, control characters dropped."""
    text = value if isinstance(value, str) else ""
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stale_after(entry: YamlMap, path: Path, problems: Problems) -> timedelta:
    value = entry.get("stale_after")
    if value is None:
        return DEFAULT_STALE_AFTER
    found = STALE.match(value.strip()) if isinstance(value, str) else None
    if found is None or not any(found.groups()):
        problems.error(
            path,
            entry.line_of("stale_after"),
            f"`stale_after:` must be a duration like 90m, 6h or 1h30m, not {value!r}",
        )
        return DEFAULT_STALE_AFTER
    hours, minutes = (int(g or 0) for g in found.groups())
    if hours == minutes == 0:
        problems.error(path, entry.line_of("stale_after"), "`stale_after:` must be longer than 0m")
        return DEFAULT_STALE_AFTER
    return timedelta(hours=hours, minutes=minutes)


def _names(entry: YamlMap, key: str, path: Path, problems: Problems) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    if not isinstance(value, YamlList) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.error(path, entry.line_of(key), f"`{key}:` must be a list of names")
        return ()
    return tuple(dict.fromkeys(v.strip() for v in value))


def _source(
    entry: YamlMap, ours: set[str], seen: set[str], path: Path, problems: Problems
) -> UpstreamSource | None:
    """One `upstream:` entry; None when its id, name or URL cannot be used. *ours* are
    the page's component and group ids, *seen* the providers' ids before it."""
    for key in entry:
        if key not in ENTRY_KEYS:
            hint = suggest(key, sorted(ENTRY_KEYS))
            problems.error(path, entry.line_of(key), f"unknown upstream key {key!r}{hint}")
    upstream_id = entry.get("id")
    if not isinstance(upstream_id, str) or not ID.match(upstream_id):
        problems.error(
            path,
            entry.line_of("id"),
            "upstream `id:` must be lower-case letters, digits, - and _ (e.g. github), "
            f"not {upstream_id!r}",
        )
        return None
    if upstream_id in seen:
        problems.error(path, entry.line_of("id"), f"upstream id {upstream_id!r} is used twice")
        return None
    seen.add(upstream_id)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip() or "\n" in name.strip():
        message = "upstream `name:` is required: one line, e.g. GitHub"
        problems.error(path, entry.line_of("name"), message)
        return None
    if refused := url_problem(entry.get("url")):
        problems.error(path, entry.line_of("url"), refused)
        return None
    affects = _names(entry, "affects", path, problems)
    for cid in affects:
        if cid not in ours:
            hint = suggest(cid, sorted(ours))
            message = f"`affects:` names {cid!r}, which is not a component{hint}"
            problems.error(path, entry.line_of("affects"), message)
    return UpstreamSource(
        id=upstream_id,
        name=name.strip(),
        url=entry["url"],
        components=_names(entry, "components", path, problems),
        affects=affects,
        stale_after=_stale_after(entry, path, problems),
        line=entry.line,
    )


def read_upstream(raw: object, config: Config, problems: Problems) -> tuple[UpstreamSource, ...]:
    """The `upstream:` entries of statuspage.yaml (*raw*, as written), every problem at
    its line; *config* is the rest of the file, read."""
    path = config.path or Path("statuspage.yaml")
    if raw is None:
        return ()
    if not isinstance(raw, YamlList):
        message = "`upstream:` must be a list of providers with `id:`, `name:`, `url:`"
        problems.error(path, config.upstream_line, message)
        return ()
    ours = set(config.component_ids) | {g.id for g in config.groups}
    sources: list[UpstreamSource] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        line = raw.item_lines[index] if index < len(raw.item_lines) else raw.line
        if not isinstance(entry, YamlMap):
            message = "an `upstream:` entry must be a mapping with `id:`, `name:`, `url:`"
            problems.error(path, line, message)
            continue
        if source := _source(entry, ours, seen, path, problems):
            sources.append(source)
    if len(sources) > MAX_PROVIDERS:
        message = f"more than {MAX_PROVIDERS} upstream providers; show only those you depend on"
        problems.error(path, sources[MAX_PROVIDERS].line, message)
    return tuple(sources)


# The snapshot: written by `upstream pull`, read by the build.


def snapshot_data(report: UpstreamReport, validators: dict[str, str]) -> dict[str, Any]:
    """*report* as the snapshot's JSON object (keys sorted when dumped)."""

    def item(i: UpstreamItem) -> dict[str, Any]:
        return {"name": i.name, "status": i.status, "url": i.url}

    data = {
        "as_of": _stamp(report.as_of),
        "components": [item(c) for c in report.components],
        "format": SNAPSHOT_FORMAT,
        "incidents": [item(i) for i in report.incidents],
        "page_url": report.page_url,
        "status": {"description": report.description, "indicator": report.indicator.word},
        "validators": dict(sorted(validators.items())),
    }
    # Only when there is one: a snapshot written before maintenances were kept stays as it is.
    if report.maintenances:
        data["maintenances"] = [
            {
                "ends": _stamp(m.ends),
                "in_progress": m.in_progress,
                "name": m.name,
                "starts": _stamp(m.starts),
                "url": m.url,
            }
            for m in report.maintenances
        ]
    return data


def _stamp(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _moment(value: object) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("a maintenance time has no time zone")
    return moment.astimezone(UTC)


def _maintenances(entries: object) -> tuple[UpstreamMaintenance, ...]:
    if not isinstance(entries, list):
        raise ValueError("`maintenances` is not a list")
    return tuple(
        UpstreamMaintenance(
            name=one_line(e.get("name"), MAX_NAME),
            in_progress=e.get("in_progress") is True,
            starts=_moment(e.get("starts")),
            ends=_moment(e.get("ends")),
            url=link(e.get("url")),
        )
        for e in entries[:MAX_MAINTENANCES]
        if isinstance(e, dict)
    )


def snapshot_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def parse_snapshot(text: bytes) -> tuple[UpstreamReport, dict[str, str]]:
    """A snapshot's bytes -> (report, validators); ValueError saying what is wrong."""
    if len(text) > MAX_SNAPSHOT_BYTES:
        raise ValueError(f"larger than {MAX_SNAPSHOT_BYTES // 1000} kB")
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"not a format {SNAPSHOT_FORMAT} snapshot")
    as_of = datetime.fromisoformat(str(data["as_of"]))
    if as_of.tzinfo is None:
        raise ValueError("`as_of` has no time zone")
    status = data.get("status") or {}
    indicator = Impact.parse(status.get("indicator"))
    if indicator is None:
        raise ValueError(f"unknown indicator {status.get('indicator')!r}")

    def items(
        key: str, limit: int, words: type[ComponentStatus | Impact]
    ) -> tuple[UpstreamItem, ...]:
        entries = data.get(key) or []
        if not isinstance(entries, list):
            raise ValueError(f"`{key}` is not a list")
        found = []
        for e in entries[:limit]:
            status = words.parse(e.get("status")) if isinstance(e, dict) else None
            if status is None:  # the page shows a label for each word: no others get through
                raise ValueError(f"`{key}` holds an entry without a known status")
            name = one_line(e.get("name"), MAX_NAME)
            found.append(UpstreamItem(name=name, status=status.word, url=link(e.get("url"))))
        return tuple(found)

    validators = data.get("validators") or {}
    report = UpstreamReport(
        as_of=as_of.astimezone(UTC),
        indicator=indicator,
        description=one_line(status.get("description"), MAX_DESCRIPTION),
        page_url=link(data.get("page_url")),
        components=items("components", MAX_SHOWN_COMPONENTS, ComponentStatus),
        incidents=items("incidents", MAX_INCIDENTS, Impact),
        maintenances=_maintenances(data.get("maintenances") or []),
    )
    return report, {str(k): one_line(v, 200) for k, v in dict(validators).items()}


def read_snapshot(
    root: Path, source: UpstreamSource, problems: Problems | None = None
) -> tuple[UpstreamReport, dict[str, str]] | None:
    """The provider's snapshot, or None when there is none or it is unusable (a warning:
    the page then says the provider's status is unknown, and the build goes on)."""
    rel = f"{UPSTREAM_DIR}/{source.id}.json"
    try:
        path = SiteFolder(root).file(rel)
    except OutsideSite as e:
        if problems is not None:
            problems.warning(root / rel, 0, str(e))
        return None
    if not path.is_file():
        return None
    try:
        return parse_snapshot(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        if problems is not None:
            message = f"unusable snapshot ({e}); run `statuspage upstream pull` to replace it"
            problems.warning(path, 0, message)
        return None
