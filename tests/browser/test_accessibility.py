"""axe-core finds nothing on any page type, in light and dark, at desktop and phone
widths; the keyboard reaches everything, with focus always visible."""

from __future__ import annotations

import pytest

from .conftest import PAGES, run_browser_check

pytestmark = pytest.mark.browser


def test_axe_finds_no_violations(served: str) -> None:
    results = run_browser_check("axe", served, PAGES)
    # Every page in 2 schemes x 2 widths, with axe's rules actually run on each.
    assert {(r["path"], r["scheme"], r["width"]) for r in results} == {
        (p, s, w) for p in PAGES for s in ("light", "dark") for w in ("desktop", "phone")
    }
    # (An embed/ widget is one line: fewer of axe's rules have anything to check on it.)
    assert all(
        r["rules"] > (12 if r["path"].startswith(("embed/", "outage/embed/")) else 20)
        for r in results
    ), [(r["path"], r["rules"]) for r in results]
    violations = [
        f"{r['path']} ({r['scheme']}, {r['width']}): {v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']]}"
        for r in results
        for v in r["violations"]
    ]
    assert violations == []


def test_keyboard_reaches_everything_with_visible_focus(served: str) -> None:
    index, incident = run_browser_check(
        "keyboard", served, ["index.html", "incidents/2026-11-20-api-errors/"]
    )
    for page in (index, incident):
        stops = page["stops"]
        assert stops[0]["text"] == "Skip to content" and stops[0]["href"] == "#main"
        invisible = [s for s in stops if not (s["outline"] and s["visible"])]
        assert invisible == [], page["path"]
    texts = [s["text"] for s in index["stops"]]
    # Navigation, the collapsible groups, incidents and feeds are all reachable in reading order.
    assert texts[1:5] == ["Acme Status", "Status", "History", "Postmortems"]
    summaries = [s["text"] for s in index["stops"] if s["tag"] == "summary"]
    assert summaries == ["Website Operational", "Data Degraded performance"]
    assert (
        texts.index("Delayed webhook deliveries")
        < texts.index("Website Operational")
        < texts.index("Atom feed")
    )
    assert "Read the postmortem" in [s["text"] for s in incident["stops"]]
