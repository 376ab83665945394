"""index.html stays small for a big page: 30 components with 90 days of history."""

from __future__ import annotations

import gzip
from pathlib import Path

from .conftest import SiteDir, parse_html

COMPONENTS = 30


def big_site(root: Path) -> SiteDir:
    """30 components (three groups of five, fifteen alone) and an incident every few days
    for 90 days, each touching a few components, so the bars are as varied as real ones."""
    lines = ["title: Big Status", "base_url: https://status.big.example/", "timezone: Europe/Berlin",
             "description: Every service of a large company.", "components:"]  # fmt: skip
    ids = [f"service-{n:02}" for n in range(COMPONENTS)]
    for g in range(3):
        lines += [f"  - group: Region {g + 1}", f"    id: region-{g + 1}", "    components:"]
        lines += [
            f"      - {{id: {cid}, name: Service {cid[-2:]}, description: The {cid} API}}"
            for cid in ids[g * 5 : g * 5 + 5]
        ]
    lines += [
        f"  - {{id: {cid}, name: Service {cid[-2:]}, description: The {cid} API}}"
        for cid in ids[15:]
    ]
    site = SiteDir(root, "\n".join(lines) + "\n")
    statuses = ["degraded_performance", "partial_outage", "major_outage"]
    for n in range(30):
        day = f"2026-{9 + (n * 3 + 1) // 30:02}-{(n * 3 + 1) % 30 + 1:02}"
        affected = "\n".join(
            f"  {ids[(n * 7 + k) % COMPONENTS]}: {statuses[(n + k) % 3]}" for k in range(3)
        )
        site.incident(
            f"{day}-incident-{n}.md",
            f"---\ntitle: Incident {n}\ncomponents:\n{affected}\n---\n\n"
            f"## Resolved · {day} 12:40\nFixed.\n\n## Investigating · {day} 10:05\nLooking into it.\n",
        )
    return site


def test_index_fits_the_size_budget(tmp_path: Path) -> None:
    out = big_site(tmp_path / "big").build("2026-11-29 10:00")
    raw = (out / "index.html").read_bytes()
    doc = parse_html(out / "index.html")
    # The page really has what the budget is about: 30 components, each with 90 days of bars.
    components = doc.cssselect("li.component")
    assert len(components) == COMPONENTS
    for component in components:
        bars = component.cssselect(".bars > li")
        days = sum(
            next((int(c[1:]) for c in li.get("class").split() if c[0] == "n"), 1) for li in bars
        )
        assert days == 90
    assert (
        sum(len(c.cssselect(".bars > li:not(.d-operational)")) for c in components) >= 80
    )  # ~3 per incident
    assert len(raw) <= 100_000, f"index.html is {len(raw)} bytes"
    assert len(gzip.compress(raw, 9)) <= 20_000, (
        f"index.html is {len(gzip.compress(raw, 9))} bytes gzipped"
    )
