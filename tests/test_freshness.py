"""`stale_after:` and what each page carries for its freshness script (the script itself
runs in tests/browser/test_freshness.py, with the browser's clock moved)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir, parse_html

ID = "2026-11-20-api-errors"
OPEN = (
    EXAMPLE_INCIDENT.split("## Resolved")[0]
    + "## Monitoring"
    + EXAMPLE_INCIDENT.split("## Monitoring")[1]
)


def built(
    tmp_path: Path, top: str = "", incident: str = OPEN, now: str = "2026-11-20 15:00"
) -> Path:
    site = SiteDir(tmp_path / "src", CONFIG + top)
    site.incident(f"{ID}.md", incident)
    return site.build(now)


def test_a_live_page_says_when_it_was_built_and_carries_its_one_script(tmp_path: Path) -> None:
    out = built(tmp_path)
    doc = parse_html(out / "index.html")
    span = doc.get_element_by_id("freshness")
    assert span.text == "Page generated at Nov 20, 2026, 15:00 CET."
    assert dict(span.attrib) == {
        "id": "freshness",
        "data-built": "2026-11-20T14:00:00+00:00",
        "data-stale-after": "1800",  # 30m by default: twice the publish workflow's schedule
        "data-summary": "api/v2/summary.json",
        "data-updated": "2026-11-20T14:48:00.000+01:00",  # summary.json's page.updated_at
    }
    stale = doc.get_element_by_id("stale")
    assert "hidden" in stale.attrib and stale.getparent().get("role") == "status"
    assert (
        stale.text
        == "This page may be out of date: it was last updated at Nov 20, 2026, 15:00 CET."
    )
    newer = doc.get_element_by_id("newer")
    assert "hidden" in newer.attrib and newer.getparent().get("role") == "status"
    (script,) = doc.xpath("//script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert f"script-src 'sha256-{digest}';" in csp
    # The incident's own page looks for updates from the root's API.
    page = parse_html(out / f"incidents/{ID}/index.html")
    assert page.get_element_by_id("freshness").get("data-summary") == "../../api/v2/summary.json"


def test_a_calm_page_only_watches_its_age_and_off_turns_that_off(tmp_path: Path) -> None:
    def calm_site(name: str, top: str) -> Path:
        return built(
            tmp_path / name, top, EXAMPLE_INCIDENT, "2026-11-20 16:00"
        )  # resolved at 15:10

    calm = parse_html(calm_site("a", "stale_after: 1h30m\n") / "index.html")
    span = calm.get_element_by_id("freshness")
    assert span.get("data-stale-after") == "5400" and span.get("data-summary") is None
    assert calm.xpath("//*[@id='newer']") == [] and len(calm.xpath("//script")) == 1
    off = parse_html(calm_site("b", "stale_after: off\n") / "index.html")
    assert off.xpath("//script | //*[@id='stale']") == []
    assert off.get_element_by_id("freshness").text == "Page generated at Nov 20, 2026, 16:00 CET."
    csp = off.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "script-src" not in csp
    # A resolved incident's page is not `live`: no build time, no script.
    resolved = parse_html(calm_site("c", "") / f"incidents/{ID}/index.html")
    assert resolved.xpath("//script | //*[@id='freshness']") == []


@pytest.mark.parametrize(("value", "message"), [
    ("soon", "`stale_after:` must be a duration in hours and minutes, like 30m, 1h or 1h30m"),
    ("0m", "`stale_after:` must be longer than 0m and at most 720h (30 days)"),
    ("99999999999999999999h", "must be longer than 0m and at most 720h"),
    ("\u0661\u0665m", "`stale_after:` must be a duration"),
    ("[1h]", "`stale_after:` must be a duration"),
])  # fmt: skip
def test_a_bad_stale_after_says_where_and_what_to_write(
    tmp_path: Path, value: str, message: str
) -> None:
    site = SiteDir(tmp_path, CONFIG + f"stale_after: {value}\n")
    line = CONFIG.count("\n") + 1
    problems = site.problems()
    assert any(p.startswith(f"statuspage.yaml:{line}: ") and message in p for p in problems), (
        problems
    )
