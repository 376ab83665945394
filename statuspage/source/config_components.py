"""statuspage.yaml's `components:` -> Component and Group records, every problem at its
line. A group is an entry with `group:`; its members are components like the others."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from statuspage.errors import Problems
from statuspage.model import PUBLIC, Component, Group
from statuspage.source.audiences import read_audience_mark, sees
from statuspage.source.config_schema import COMPONENT, GROUP
from statuspage.source.config_values import read_date, unknown_keys
from statuspage.source.names import slugify
from statuspage.source.yamlfile import YamlList, YamlMap, boolean_problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _id_advice(value: object, kind: str) -> str:
    """What to type for a missing or malformed id."""
    if (
        isinstance(value, str)
        and ID_PATTERN.match(fixed := slugify(value) or "group")
        and value.strip()
    ):
        rule = f"{kind} ids are lower-case letters, digits, - and _"
        return f"{rule}: use `id: {fixed}` instead of {value!r}"
    if value is None:
        return f"{kind} `id:` is required: lower-case letters, digits, - and _ (e.g. api)"
    return f"{kind} `id:` must be lower-case letters, digits, - and _ (e.g. api), not {value!r}"


def _derived_group_id(name: object, taken: set[str]) -> str:
    """A group without `id:` is named after its name, made unlike every id written in
    the file (`- group: Web` holding `id: web` is common) and those given before it."""
    base = slugify(str(name)) or "group"
    candidate, n = base, 2
    if candidate in taken:
        candidate = f"{base}-group"
    while candidate in taken:
        candidate, n = f"{base}-group-{n}", n + 1
    return candidate


def _written_ids(entries: YamlList) -> set[str]:
    """Every `id:` written in `components:`, of groups and components at any depth."""
    found: set[str] = set()
    for entry in entries:
        if isinstance(entry, YamlMap):
            if isinstance(entry.get("id"), str):
                found.add(entry["id"])
            if isinstance(entry.get("components"), YamlList):
                found |= _written_ids(entry["components"])
    return found


def _slo(entry: YamlMap, what: str, path: Path, problems: Problems) -> tuple[float | None, int]:
    """A component's or group's `slo:` (a percentage) and `slo_window_days:` (default 30)."""
    slo = entry.get("slo")
    if slo is not None and (
        isinstance(slo, bool) or not isinstance(slo, int | float) or not 0 < slo < 100
    ):
        message = f"{what}: `slo:` must be a percentage above 0 and below 100, e.g. 99.9"
        problems.error(path, entry.line_of("slo"), message)
        slo = None
    window = entry.get("slo_window_days", 30)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 366:
        message = f"{what}: `slo_window_days:` must be a whole number of days from 1 to 366"
        problems.error(path, entry.line_of("slo_window_days"), message)
        window = 30
    if "slo_window_days" in entry and slo is None and "slo" not in entry:
        message = f"{what}: `slo_window_days:` needs an `slo:` target, e.g. `slo: 99.9`"
        problems.error(path, entry.line_of("slo_window_days"), message)
    return (float(slo) if slo is not None else None), window


class _Reader:
    """Reads `components:` in order, remembering each id and where it was first given."""

    def __init__(
        self, entries: YamlList, path: Path, problems: Problems, order: tuple[str, ...]
    ) -> None:
        self.path, self.problems, self.order = path, problems, order
        self.written = _written_ids(entries)
        self.seen: dict[str, int] = {}
        self.components: list[Component] = []
        self.groups: list[Group] = []

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)

    def component(
        self, entry: Any, line: int, group: str | None, position: int, seen_by: str = PUBLIC
    ) -> None:
        if not isinstance(entry, YamlMap):
            self.error(line, "a component must be a mapping with `id:` and `name:`")
            return
        unknown_keys(entry, COMPONENT.names, "component", self.path, self.problems)
        cid, name = entry.get("id"), entry.get("name")
        if not isinstance(cid, str) or not ID_PATTERN.match(cid):
            self.error(entry.line_of("id"), _id_advice(cid, "component"))
            return
        if cid in self.seen:
            message = f"duplicate component id {cid!r} (first defined on line {self.seen[cid]})"
            self.error(entry.line_of("id"), message)
            return
        self.seen[cid] = entry.line_of("id")
        if not isinstance(name, str) or not name.strip():
            where = entry.line_of("name") if "name" in entry else entry.line
            self.error(where, f"component {cid!r} needs a `name:`")
            name = cid
        start_date = read_date(entry, "start_date", self.path, self.problems)
        description = entry.get("description")
        slo, window = _slo(entry, f"component {cid!r}", self.path, self.problems)
        audience = read_audience_mark(entry, self.order, seen_by, self.path, self.problems)
        if not sees(self.order, audience, seen_by):
            message = (
                f"component {cid!r} is for `{audience}`, but its group only for `{seen_by}`: "
                f"mark the group `audience: {audience}` or move the component out of it"
            )
            self.error(entry.line_of("audience"), message)
        self.components.append(
            Component(
                id=cid,
                name=name.strip(),
                description=str(description) if description else None,
                group=group,
                position=position,
                start_date=start_date,
                line=entry.line,
                slo=slo,
                slo_window_days=window,
                audience=audience,
            )
        )

    def group_id(self, entry: YamlMap, name: str) -> str | None:
        """The group's id, given or derived from its name; None (an error) if unusable."""
        gid = entry.get("id") or _derived_group_id(name, set(self.seen) | self.written)
        if not isinstance(gid, str) or not ID_PATTERN.match(gid):
            self.error(entry.line_of("id"), _id_advice(gid, "group"))
            return None
        where = entry.line_of("id" if "id" in entry else "group")
        if gid in self.seen:
            why = "" if "id" in entry else f" (a group's id comes from its name, {name!r})"
            self.error(
                where,
                f"duplicate id {gid!r}{why}, first defined on line {self.seen[gid]}; "
                "give the group its own `id:`",
            )
            return None
        self.seen[gid] = where
        return gid

    def group(self, entry: YamlMap, position: int) -> None:
        unknown_keys(entry, GROUP.names, "group", self.path, self.problems)
        name = entry["group"]
        if not isinstance(name, str) or not name.strip():
            self.error(entry.line_of("group"), "`group:` must be the group's name")
            return
        members = entry.get("components")
        gid = self.group_id(entry, name)
        if gid is None:
            return
        if not isinstance(members, YamlList) or not members:
            message = f"group {name!r} needs a list of `components:`"
            self.error(entry.line_of("components"), message)
            return
        audience = read_audience_mark(entry, self.order, PUBLIC, self.path, self.problems)
        first = len(self.components)
        for inner, (member, line) in enumerate(zip(members, members.item_lines, strict=True)):
            self.component(member, line, gid, inner, audience)
        description = entry.get("description")
        slo, window = _slo(entry, f"group {name.strip()!r}", self.path, self.problems)
        collapsed = entry.get("collapsed", True)
        if refused := boolean_problem("collapsed", collapsed):
            self.error(entry.line_of("collapsed"), refused)
        self.groups.append(
            Group(
                id=gid,
                name=name.strip(),
                components=tuple(c.id for c in self.components[first:]),
                description=str(description) if description else None,
                position=position,
                collapsed=collapsed is True,
                line=entry.line,
                slo=slo,
                slo_window_days=window,
                audience=audience,
            )
        )


def read_components(
    data: YamlMap, path: Path, problems: Problems, order: tuple[str, ...] = (PUBLIC,)
) -> tuple[list[Component], list[Group]]:
    """`components:` of the file's mapping *data*: every component (a group's members
    among them) and every group, in the order written; *order* the audiences marks name."""
    entries = data.get("components", YamlList())
    if not isinstance(entries, YamlList):
        problems.error(path, data.line_of("components"), "`components:` must be a list")
        return [], []
    reader = _Reader(entries, path, problems, order)
    for position, (entry, line) in enumerate(zip(entries, entries.item_lines, strict=True)):
        if isinstance(entry, YamlMap) and "group" in entry:
            reader.group(entry, position)
        else:
            reader.component(entry, line, None, position)
    return reader.components, reader.groups
