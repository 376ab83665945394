"""The pages need no JavaScript, and still read in order with the stylesheet off. Their one
script (the freshness notices, outputs/freshness.py) is allowed by its hash and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from statuspage.outputs.freshness import SCRIPT, SCRIPT_HASH

from .conftest import run_browser_check


def test_no_page_carries_script_but_the_freshness_one(example_site: Path) -> None:
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 20
    with_script = 0
    for page in pages:
        doc = html.fromstring(page.read_bytes())
        scripts = doc.xpath("//script")
        assert doc.xpath("//noscript") == [] and len(scripts) <= 1, page
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        if scripts:
            with_script += 1
            assert scripts[0].text == SCRIPT and not scripts[0].attrib, page
            assert f"script-src '{SCRIPT_HASH}';" in csp, page
        else:
            assert "script-src" not in csp, page
        assert doc.xpath("//@*[starts-with(name(), 'on')]") == [], page
        assert not [
            href for href in doc.xpath("//@href") if href.strip().lower().startswith("javascript:")
        ], page
        assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp, page
    # The front pages, live incident pages...; never a resolved incident's (it is not `live`).
    assert 0 < with_script < len(pages)


@pytest.mark.browser
def test_pages_read_in_order_without_javascript_or_css(served: str) -> None:
    index, incident = run_browser_check(
        "nocss", served, ["index.html", "incidents/2026-11-20-api-errors/"]
    )
    # The freshness script is in the live front page (JavaScript off here), not a resolved incident.
    assert (index["scripts"], incident["scripts"]) == (1, 0)
    for page in (index, incident):
        assert not page["styled"], "the stylesheet was meant to be blocked"
        # Icons keep their 16 px size attributes instead of filling the window; nothing overflows.
        assert page["largestImage"] <= 16
        assert not page["overflow"]
        # The answer still comes first, right after the header.
        assert page["h1Top"] < 300
    assert index["h1"] == "Minor Service Disruption"
    text = index["text"]
    # Day bars read as sentences, quiet days merged; the narrow-screen legends stay hidden.
    assert (
        "Aug 29 – Nov 11: no incidents\nNov 12: Major outage, 38 min\nNov 13 – Nov 26: no incidents"
        in text
    )
    assert (
        text.count("90 days ago") == 6 and "60 days ago" not in text and "30 days ago" not in text
    )
    order = [
        text.index(s)
        for s in (
            "Skip to content",
            "Minor Service Disruption",
            "Active incidents",
            "Components",
            "Past incidents",
        )
    ]
    assert order == sorted(order)
    assert incident["h1"] == "Elevated error rates on the API"
    assert incident["text"].index("Updates") < incident["text"].index("\nPublished Nov 24, 2026")
