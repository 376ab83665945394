"""cState systems and categories -> statuspage components and groups.

`params.systems` become components (id slugified from the name); titled
`params.categories` become groups; untitled categories (their name was never shown)
and systems of no defined category become ungrouped components. Systems that issues
name but the config lacks join an "Other systems" group."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from statuspage.importers.cstate.report import Report, line_of
from statuspage.model import Component, Group
from statuspage.source.names import slugify, suggest
from statuspage.source.yamlfile import YamlMap

OTHER_GROUP = "Other systems"


@dataclass
class Catalog:
    """cState system names -> component ids, and the config entries they become."""

    ids: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    entries: list[dict[str, Any]] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    undefined: list[dict[str, Any]] = field(default_factory=list)
    defined: list[str] = field(default_factory=list)  # system names from config.yml

    def new_id(self, name: str, fallback: str) -> str:
        """A slug of *name*, unique among components and groups (-2, -3... on a clash)."""
        base = slugify(name, limit=60, fold=True) or fallback
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate

    def system(
        self, name: str, display: str, description: str | None, group: str | None
    ) -> dict[str, Any]:
        cid = self.new_id(name, "component")
        self.ids[name] = cid
        entry: dict[str, Any] = {"id": cid, "name": display}
        if description:
            entry["description"] = description
        self.components.append(
            Component(id=cid, name=display, description=description, group=group)
        )
        return entry


class System(NamedTuple):
    """One entry of `params.systems` and its line in the config."""

    line: int
    fields: dict[str, Any]


def read_catalog(params: dict[str, Any], path: Path, report: Report) -> Catalog:
    """Components and groups from `params.systems` and `params.categories`, in cState's order."""
    catalog = Catalog()
    categories = _list_of(params, "categories", "ignored", path, report)
    systems = _list_of(params, "systems", "no components imported", path, report)
    by_category = _systems_by_category(systems, path, report)
    _add_categories(categories, by_category, catalog, path, report)
    for cname, members in by_category.items():
        if cname is not None:
            report.warn(
                "config",
                path,
                members[0].line,
                f"category {cname!r} is not defined under `categories:`; its systems are ungrouped "
                "components",
            )
        catalog.entries += [_entry(catalog, s, None) for s in members]
    catalog.defined = list(catalog.ids)
    return catalog


def _list_of(params: dict[str, Any], key: str, otherwise: str, path: Path, report: Report) -> Any:
    """`params[key]` when it is a list (or empty); else a warning and an empty list."""
    value = params.get(key) or []
    if isinstance(value, list):
        return value
    report.warn("config", path, line_of(params, key), f"`{key}:` is not a list; {otherwise}")
    return []


def _systems_by_category(
    systems: list[Any], path: Path, report: Report
) -> dict[str | None, list[System]]:
    """The well-formed systems by their `category:` (None: none), each name once."""
    by_category: dict[str | None, list[System]] = {}
    seen: set[str] = set()
    item_lines = getattr(systems, "item_lines", [0] * len(systems))
    for line, system in zip(item_lines, systems, strict=True):
        if isinstance(system, str):  # old cState: a plain list of names
            system = {"name": system}
        name = system.get("name") if isinstance(system, dict) else None
        if not isinstance(name, str) or not name.strip():
            report.warn("config", path, line, "a system without a `name:`; skipped")
            continue
        if name in seen:
            report.warn(
                "config",
                path,
                line,
                f"system {name!r} is defined twice; the second definition is ignored",
            )
            continue
        seen.add(name)
        category = system.get("category")
        by_category.setdefault(category if isinstance(category, str) else None, []).append(
            System(line, system)
        )
        for key in sorted(set(system) - {"name", "displayName", "description", "category"}):
            report.warn(
                "config",
                path,
                line_of(system, key),
                f"system {name!r}: `{key}:` has no counterpart; not imported",
            )
    return by_category


def _add_categories(
    categories: list[Any],
    by_category: dict[str | None, list[System]],
    catalog: Catalog,
    path: Path,
    report: Report,
) -> None:
    """Each category's systems as a group, or ungrouped if it was untitled; taken from
    *by_category*, which keeps the systems of categories never defined."""
    item_lines = getattr(categories, "item_lines", [0] * len(categories))
    for line, category in zip(item_lines, categories, strict=True):
        cname = category.get("name") if isinstance(category, dict) else None
        if not isinstance(cname, str):
            report.warn("config", path, line, "a category without a `name:`; skipped")
            continue
        members = by_category.pop(cname, [])
        if not members:
            report.warn("config", path, line, f"category {cname!r} has no systems; no group made")
        elif category.get("untitled"):
            # cState hid the name: show its systems ungrouped, as readers saw them.
            report.warn(
                "config",
                path,
                line,
                f"category {cname!r} is untitled (its name was never shown); its systems are "
                "ungrouped components",
            )
            catalog.entries += [_entry(catalog, s, None) for s in members]
        else:
            _add_group(category, cname, members, catalog)


def _add_group(
    category: dict[str, Any], cname: str, members: list[System], catalog: Catalog
) -> None:
    gid = catalog.new_id(cname, "group")
    components = [_entry(catalog, s, gid) for s in members]
    group: dict[str, Any] = {
        "group": cname.strip(),
        "id": gid,
        "collapsed": bool(category.get("closed", False)),
    }
    if category.get("description"):
        group["description"] = " ".join(str(category["description"]).split())
    group["components"] = components
    catalog.entries.append(group)
    catalog.groups.append(
        Group(id=gid, name=cname.strip(), components=tuple(c["id"] for c in components))
    )


def _entry(catalog: Catalog, system: System, group: str | None) -> dict[str, Any]:
    """The component entry of *system*: its display name and one-line description."""
    name = system.fields["name"]
    display = system.fields.get("displayName")
    display = display.strip() if isinstance(display, str) and display.strip() else name.strip()
    description = system.fields.get("description")
    text = " ".join(str(description).split()) if description else None
    return catalog.system(name, display, text, group)


def affected(front: YamlMap, path: Path, catalog: Catalog, report: Report) -> list[str]:
    """The component ids an issue's `affected:` names; a system the config lacks is added
    to the catalog (and warned about) as a component of the "Other systems" group."""
    value = front.get("affected")
    line = front.line_of("affected")
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        report.warn(
            "affected", path, line, f"`affected:` {value!r} is not a list of system names; ignored"
        )
        return []
    ids: list[str] = []
    new: list[str] = []
    for name in value:
        if name is None or (isinstance(name, str) and not name.strip()):
            continue
        name = str(name)
        if name not in catalog.ids:
            _add_undefined(name, catalog)
        cid = catalog.ids[name]
        if cid in {c["id"] for c in catalog.undefined} and name not in new:
            new.append(name)
        if cid not in ids:
            ids.append(cid)
    if new:
        listed = ", ".join(f"{n!r}{suggest(n, catalog.defined, by_edits=True)}" for n in new)
        report.warn(
            "undefined-system",
            path,
            line,
            f"`affected:` names systems that config.yml does not define: {listed}; "
            f"imported as components of the {OTHER_GROUP!r} group",
        )
    return ids


def _add_undefined(name: str, catalog: Catalog) -> None:
    cid = catalog.new_id(name, "component")
    catalog.ids[name] = cid
    catalog.undefined.append({"id": cid, "name": name.strip()})
    catalog.components.append(Component(id=cid, name=name.strip(), group="other"))


def add_other_group(catalog: Catalog) -> None:
    """The systems issues named but the config did not define, as one collapsed group."""
    if not catalog.undefined:
        return
    gid = catalog.new_id(OTHER_GROUP, "other")
    catalog.entries.append(
        {
            "group": OTHER_GROUP,
            "id": gid,
            "collapsed": True,
            "description": "Named in cState issues but not defined in its config",
            "components": catalog.undefined,
        }
    )
