"""Postmortems: `incidents/<id>.postmortem.md` -> Postmortem, their checks, and
what is published of them at an instant (for pages, feeds and the JSON API).

A postmortem file is YAML front matter plus Markdown. Without `published:` it
is a draft and appears nowhere; with it, it appears from that instant on.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from statuspage.errors import Problems
from statuspage.model import Config, Incident, Postmortem, Update
from statuspage.source.incident_file import (
    INCIDENTS_DIR,
    MAX_FILE_BYTES,
    POSTMORTEM_SUFFIX,
    SourceFile,
    split_front_matter,
)
from statuspage.source.names import suggest
from statuspage.source.site_folder import OutsideSite, SiteFolder
from statuspage.source.times import TimeError, parse_timestamp
from statuspage.source.yamlfile import YamlList, YamlMap, read_text

FRONT_MATTER_KEYS = ["published", "title", "authors"]
# Unmistakable, greppable, and never plausible prose: `check` refuses to publish it.
PLACEHOLDER = "TODO(postmortem)"
_PLACEHOLDER = re.compile(re.escape(PLACEHOLDER), re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[(?P<mark>[ xX])\]\s")
ANCHOR = "postmortem"  # fragment id of the postmortem section on the incident page


def postmortem_files(root: Path) -> list[Path]:
    """Every `incidents/*.postmortem.md` of the site in *root*, sorted."""
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.endswith(POSTMORTEM_SUFFIX) and not p.name.startswith(".")
    )


def load_postmortems(
    root: Path, config: Config, incidents: list[Incident], problems: Problems
) -> dict[str, Postmortem]:
    """Every postmortem file of the site by incident id, drafts included; each problem recorded."""
    by_id = {i.id: i for i in incidents}
    result: dict[str, Postmortem] = {}
    folder = SiteFolder(root)
    for path in postmortem_files(root):
        incident_id = path.name.removesuffix(POSTMORTEM_SUFFIX)
        try:
            folder.file(f"{INCIDENTS_DIR}/{path.name}")
        except OutsideSite as e:
            problems.error(path, 0, str(e))
            continue
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            problems.error(path, 0, f"not a regular file of at most {MAX_FILE_BYTES // 1000} kB")
            continue
        incident = by_id.get(incident_id)
        if incident is None:
            if not (path.parent / f"{incident_id}.md").exists():  # else its own errors are reported
                hint = suggest(incident_id, list(by_id))
                problems.error(
                    path,
                    0,
                    f"no incident {incident_id!r}{hint}: name a postmortem after its incident "
                    f"file, incidents/<id>{POSTMORTEM_SUFFIX}",
                )
            continue
        text = read_text(path, problems)
        if text is None:
            continue
        postmortem = parse_postmortem(path, text, incident, config, problems)
        if postmortem is not None:
            result[incident_id] = postmortem
    return result


def parse_postmortem(
    path: Path, text: str, incident: Incident, config: Config, problems: Problems
) -> Postmortem | None:
    """The postmortem of *incident* in *text* (the contents of *path*); None: problems say why."""
    before = len(problems.errors)
    resolved = _resolution(incident, path, problems)
    if resolved is None:
        return None
    source = _front_matter(text, path, problems)
    if source is None:
        return None
    front: YamlMap = source.front
    published_at = _published(front, resolved, incident, config, path, problems)
    title = _title(front, path, problems)
    authors = _authors(front, path, problems)
    body = source.body.strip("\n")
    body_line = source.body_line + len(source.body) - len(source.body.lstrip("\n"))
    if published_at is not None:
        _refuse_unfinished(body, body_line, front.line_of("published"), path, problems)
    # Imported here: its patterns are compiled only for a site that has a postmortem.
    from statuspage.source.blameless import blame_findings

    for finding in blame_findings(body):
        problems.warning(
            path,
            body_line + finding.offset,
            f'"{finding.phrase}" names a person; a blameless postmortem describes what the system '
            "and process allowed, not who slipped",
        )
    if len(problems.errors) > before:
        return None
    return Postmortem(
        incident_id=incident.id,
        body=body,
        published_at=published_at,
        title=title,
        authors=authors,
        path=problems.display_path(path),
        body_line=body_line,
    )


def _resolution(incident: Incident, path: Path, problems: Problems) -> Update | None:
    """The update that resolved *incident*: a postmortem follows it (None: none yet, or a
    maintenance window, which has no postmortem)."""
    if incident.is_maintenance:
        problems.error(path, 0, f"{incident.id} is a maintenance; postmortems are for incidents")
        return None
    resolved = next((u for u in incident.updates if u.status.is_final), None)
    if resolved is None:
        problems.error(
            path,
            0,
            f"{incident.id} is not resolved; a postmortem follows the resolution (statuspage "
            f"resolve {incident.id})",
        )
    return resolved


def _front_matter(text: str, path: Path, problems: Problems) -> SourceFile | None:
    """*text* split at its front matter, which is a mapping of known keys (unknown ones
    are recorded); None if it has none."""
    if not text.startswith("---"):
        problems.error(
            path,
            1,
            "a postmortem starts with YAML front matter between `---` lines (put `published: "
            "<time>` there to publish it)",
        )
        return None
    source = split_front_matter(text, path, problems)
    if source is None:
        return None
    front = source.front if source.front is not None else YamlMap()
    if not isinstance(front, YamlMap):
        problems.error(path, 2, "front matter must be a mapping (published:, title:, authors:)")
        return None
    for key in front:
        if key not in FRONT_MATTER_KEYS:
            problems.error(
                path,
                front.line_of(key),
                f"unknown key {key!r}{suggest(key, FRONT_MATTER_KEYS)} (expected: "
                f"{', '.join(FRONT_MATTER_KEYS)})",
            )
    return SourceFile(front, source.body, source.body_line)


def _published(
    front: YamlMap,
    resolved: Update,
    incident: Incident,
    config: Config,
    path: Path,
    problems: Problems,
) -> datetime | None:
    """`published:`, after the resolution; None: a draft (or a time that cannot be read)."""
    if "published" not in front:
        return None
    line = front.line_of("published")
    published_at = None
    try:
        published_at = parse_timestamp(front["published"], config.timezone)
    except TimeError as e:
        problems.error(path, line, f"`published:` {e}; or remove the key to keep a draft")
    if published_at is not None and published_at < resolved.at:
        problems.error(
            path,
            line,
            f"published before the incident was resolved ({incident.path}:{resolved.line}); "
            "publish it after the resolution",
        )
    return published_at


def _title(front: YamlMap, path: Path, problems: Problems) -> str | None:
    """`title:`, if given (the heading is then 'Postmortem')."""
    title = front.get("title")
    if title is not None and not (isinstance(title, str) and title.strip()):
        problems.error(
            path,
            front.line_of("title"),
            "`title:` must be text (or leave it out: the heading is then 'Postmortem')",
        )
        return None
    return title.strip() if title else None


def _authors(front: YamlMap, path: Path, problems: Problems) -> tuple[str, ...]:
    """`authors:`, a list of names or teams (or one)."""
    authors = front.get("authors", YamlList())
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        problems.error(
            path,
            front.line_of("authors"),
            "`authors:` must be a list of names or teams, e.g. [Platform team]",
        )
        return ()
    return tuple(a.strip() for a in authors)


def _refuse_unfinished(
    body: str, body_line: int, published_line: int, path: Path, problems: Problems
) -> None:
    """A published postmortem has text, and no placeholder left in it."""
    if not body.strip():
        problems.error(
            path,
            published_line,
            "a published postmortem needs text: write it below the front matter",
        )
    for offset, line_text in enumerate(body.split("\n")):
        if _PLACEHOLDER.search(line_text):
            problems.error(
                path,
                body_line + offset,
                f"published postmortem still holds a placeholder ({PLACEHOLDER}): write this "
                "part, or remove `published:` to keep a draft",
            )


def action_items(markdown: str) -> tuple[int, int]:
    """(checked, total) Markdown task-list items (`- [x]` / `- [ ]`) outside code blocks."""
    checked = total = 0
    in_fence = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (m := _TASK.match(line)):
            total += 1
            checked += m["mark"] != " "
    return checked, total
