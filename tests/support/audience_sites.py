"""Random small sites with audiences, written as files, each item carrying a marker.

Every item (component, group, incident, update, postmortem, an audience's own settings)
carries a marker string found nowhere else (`q007iz`: q, a number, the first letter of
the narrowest audience that may see it, z), in its id, name, title or body. A marker of
an item an audience may not see must be in none of that audience's output files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from tests.conftest import write

AUDIENCES = ("public", "partners", "internal")  # narrowest trust first
DAY = "2026-12-01"
NOW = "2026-12-02T12:00:00+00:00"


def rank(audience: str) -> int:
    return AUDIENCES.index(audience)


def widest(*audiences: str) -> str:
    return max(audiences, key=rank)


@dataclass
class Markers:
    """Each marker with the narrowest audience that may see it, and whether the site is
    sure to show it to those who may (everything but postmortems and notify URLs)."""

    seen_by: dict[str, str] = field(default_factory=dict)
    always_shown: set[str] = field(default_factory=set)
    own: dict[str, str] = field(default_factory=dict)  # an audience's own settings: its alone

    def new(self, audience: str, shown: bool = True) -> str:
        marker = f"q{len(self.seen_by) + len(self.own):03d}{audience[:3]}z"
        self.seen_by[marker] = audience
        if shown:
            self.always_shown.add(marker)
        return marker

    def setting(self, audience: str) -> str:
        """A marker in *audience*'s own settings, which no other audience sees."""
        marker = f"q{len(self.seen_by) + len(self.own):03d}{audience[:3]}z"
        self.own[marker] = audience
        return marker

    def hidden_from(self, audience: str) -> list[str]:
        mine = [m for m, a in self.seen_by.items() if rank(a) > rank(audience)]
        return mine + [m for m, a in self.own.items() if a != audience]

    def shown_to(self, audience: str) -> list[str]:
        return [
            m
            for m, a in self.seen_by.items()
            if rank(a) <= rank(audience) and m in self.always_shown
        ]


@dataclass
class Plan:
    """What hypothesis drew: the audience of each component, group, incident and update."""

    components: list[tuple[str, str | None]]  # (audience, group index as str or None)
    groups: list[str]
    incidents: list[tuple[str, list[str], bool]]  # (audience, update audiences, maintenance)
    resolved_with_postmortem: list[bool]


audience_marks = st.sampled_from(AUDIENCES)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    groups = draw(st.lists(audience_marks, max_size=2))
    components = draw(
        st.lists(
            st.tuples(audience_marks, st.sampled_from([None, *map(str, range(len(groups)))])),
            min_size=1,
            max_size=4,
        )
    )
    incidents = draw(
        st.lists(
            st.tuples(
                audience_marks, st.lists(audience_marks, min_size=1, max_size=3), st.booleans()
            ),
            max_size=4,
        )
    )
    ends = draw(st.lists(st.booleans(), min_size=len(incidents), max_size=len(incidents)))
    return Plan(components, groups, incidents, ends)


def write_site(root: Path, plan: Plan) -> Markers:
    """The site *plan* describes, in *root*; the markers it holds."""
    markers = Markers()
    marks = _component_marks(plan)
    ids = [_component_id(n, a, markers) for n, a in enumerate(marks)]
    write(root / "statuspage.yaml", _config(plan, markers, ids, marks))
    (root / "incidents").mkdir(exist_ok=True)
    for number, (audience, updates, maintenance) in enumerate(plan.incidents):
        ends = plan.resolved_with_postmortem[number] and not maintenance
        _incident(root, number, (audience, updates), maintenance, ends, (ids, marks), markers)
    return markers


def _component_marks(plan: Plan) -> list[str]:
    """Each component's effective audience: a group's member is seen by at most those
    who see its group."""
    return [
        widest(audience, plan.groups[int(group)]) if group is not None else audience
        for audience, group in plan.components
    ]


def _config(plan: Plan, markers: Markers, ids: list[str], marks: list[str]) -> str:
    lines = [
        "title: Acme Status",
        "base_url: https://status.acme.example/",
        "start_date: 2026-11-01",
        "audiences:",
    ]
    for name in AUDIENCES[1:]:
        own, hook = markers.setting(name), markers.setting(name)  # title, endpoint
        lines += [
            f"  - name: {name}",
            f"    base_url: https://{name}.acme.example/",
            f"    title: Acme {own}",
            "    notify:",
            f"      webhooks: [{{url: 'https://hooks.acme.example/{hook}', format: json}}]",
        ]
    lines.append("components:")
    for number, (_, group) in enumerate(plan.components):
        if group is None:
            lines += _component(ids[number], marks[number], markers, "  ")
    for index, audience in enumerate(plan.groups):
        members = [n for n, (_, g) in enumerate(plan.components) if g == str(index)]
        if not members:
            continue
        name = markers.new(audience, shown=any(marks[n] == audience for n in members))
        lines += [f"  - group: Group {name}", f"    audience: {audience}", "    components:"]
        for n in members:
            lines += _component(ids[n], marks[n], markers, "      ")
    return "\n".join(lines) + "\n"


def _component_id(number: int, audience: str, markers: Markers) -> str:
    return markers.new(audience) if audience != "public" else f"pub{number}"


def _component(cid: str, audience: str, markers: Markers, indent: str) -> list[str]:
    name = markers.new(audience)
    return [
        f"{indent}- id: {cid}",
        f"{indent}  name: Name {name}",
        f"{indent}  audience: {audience}",
    ]


def _incident(
    root: Path,
    number: int,
    marks: tuple[str, list[str]],
    maintenance: bool,
    resolved: bool,
    components: tuple[list[str], list[str]],
    markers: Markers,
) -> None:
    """One incident file; an update's `Components:` names only what those who see it see."""
    (audience, updates), (ids, component_marks) = marks, components
    # an incident shows (its id, title, ...) only to those who see one of its updates
    shown_to = min((widest(audience, u) for u in updates), key=rank)
    slug = markers.new(shown_to) if shown_to != "public" else f"pub{number}"
    title = markers.new(shown_to)
    front = [f"title: Title {title}", f"audience: {audience}"]
    if maintenance:
        front.append(f"maintenance: {{start: {DAY} 10:00, end: {DAY} 11:00}}")
    body = []
    statuses = ["Scheduled", "In progress", "Completed"] if maintenance else [
        "Investigating", "Identified", "Monitoring"
    ]  # fmt: skip
    for step, mark in enumerate(updates):
        seen_by = widest(audience, mark)
        text = markers.new(seen_by)
        status = "Resolved" if resolved and step == len(updates) - 1 else statuses[step]
        changes = [
            cid for cid, m in zip(ids, component_marks, strict=True) if rank(m) <= rank(seen_by)
        ]
        body += [f"## {status} · {DAY} {9 + step:02d}:{10 * number:02d} +00:00"]
        if mark != "public":
            body.append(f"Audience: {mark}")
        if changes and not maintenance:
            word = "operational" if status == "Resolved" else "partial_outage"
            body.append(f"Components: {changes[number % len(changes)]}={word}")
        body += ["", f"Body {text} of the update.", ""]
    name = f"{DAY}-{slug}"
    write(
        root / "incidents" / f"{name}.md",
        "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body),
    )
    if resolved:
        text = markers.new(widest(audience, updates[-1]), shown=False)
        write(
            root / "incidents" / f"{name}.postmortem.md",
            f"---\npublished: {DAY} 20:00\n---\n\n## What happened\n\nReview {text}.\n",
        )
