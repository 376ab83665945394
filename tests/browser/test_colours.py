"""One colour scale (issue 28): in Chromium, every coloured mark of the example site
(card edges, status icons, day bars, chart bars, legend keys, the banner, impact dots) is
drawn in the one colour of its severity, in light and dark: a card never has an edge of
one severity and an icon of another, and yellow is the same yellow in a bar and an icon."""

from __future__ import annotations

from collections import defaultdict

import pytest

from .conftest import PAGES, run_browser_check

pytestmark = pytest.mark.browser

# What each class means on the scale (README, "Themes"). Component statuses (s-, and d-
# for a day's worst), the page's indicator (b-), an incident's impact (m-), chart series (c-).
COMPONENT = {
    "operational": "ok", "degraded_performance": "minor", "partial_outage": "major",
    "major_outage": "critical", "under_maintenance": "maintenance",
}  # fmt: skip
SCALE = {
    **{f"s-{word}": level for word, level in COMPONENT.items()},
    **{f"d-{word}": level for word, level in COMPONENT.items()},
    "d-nodata": "no data",
    **{f"b-{word}": word for word in ("minor", "major", "critical", "maintenance")},
    "b-none": "ok",
    **{f"m-{word}": word for word in ("none", "minor", "major", "critical", "maintenance")},
    "c-ok": "ok", "c-minor": "minor", "c-major": "major", "c-critical": "critical",
    "c-major_outage": "critical", "c-none": "none",
}  # fmt: skip


def severity(classes: list[str]) -> str | None:
    """The first class that means a severity: the mark's own, else its card's."""
    return next((SCALE[c] for c in classes if c in SCALE), None)


@pytest.fixture(scope="module")
def reports(served: str) -> list[dict]:
    return run_browser_check("colours", served, PAGES)


def test_each_severity_has_one_colour_on_every_mark(reports: list[dict]) -> None:
    for scheme in ("light", "dark"):
        colours: dict[str, set[str]] = defaultdict(set)
        where: dict[tuple[str, str], list[str]] = defaultdict(list)
        for report in (r for r in reports if r["scheme"] == scheme):
            for mark in report["marks"]:
                if mark["scale"] == ["c-mttr"]:
                    continue  # a time to resolve: no severity, drawn in ink
                level = severity(mark["scale"])
                assert level is not None and mark["colour"], (report["path"], mark)
                colours[level].add(mark["colour"])
                where[level, mark["colour"]].append(
                    f"{report['path']}: {mark['kind']} {mark['text']!r}"
                )
        # The example site at its three instants shows every severity.
        assert set(colours) >= {"ok", "minor", "major", "critical", "maintenance"}
        mixed = {
            level: {c: where[level, c][:3] for c in found}
            for level, found in colours.items()
            if len(found) > 1
        }
        assert mixed == {}, (scheme, mixed)
        # ...and no two severities share a colour.
        drawn = [next(iter(found)) for found in colours.values()]
        assert len(set(drawn)) == len(drawn), (scheme, dict(colours))


def test_a_cards_edge_and_its_icons_say_one_severity(reports: list[dict]) -> None:
    cards = 0
    for report in reports:
        by_card: dict[int, list[dict]] = defaultdict(list)
        for mark in report["marks"]:
            # Within a card, an affected component's badge keeps its own status's colour.
            own = mark["scale"][0] if mark["scale"] else ""
            if mark["card"] is not None and own.removeprefix("s-") not in COMPONENT:
                by_card[mark["card"]].append(mark)
        for marks in by_card.values():
            cards += 1
            assert len({m["colour"] for m in marks}) == 1, (report["path"], report["scheme"], marks)
            assert len(marks) >= 2  # an edge and an icon, or (an incident's page) icons and a dot
    assert cards > 20
