"""A provider's scheduled maintenance: kept in its snapshot (in progress, and upcoming within
a week of the fetch, capped), shown in the third-party section and in `affects:` notes as
planned work, never as an incident of theirs nor in our status or uptime."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import parse_html, text_of
from tests.test_upstream import INSTATUS, V2, Provider, body, provider, pull, site_with, snapshot  # noqa: F401 (a fixture)


def maintenance(ident: str, name: str, status: str, start: str, end: str, link: str) -> dict[str, object]:
    """A `scheduled_maintenances` entry as Statuspage v2 documents it (an incident's fields
    with impact `maintenance`, plus `scheduled_for` and `scheduled_until`)."""
    return {
        "id": ident, "name": name, "status": status, "impact": "maintenance", "shortlink": link,
        "created_at": "2026-12-01T10:00:00.000Z", "updated_at": "2026-12-01T10:00:00.000Z",
        "monitoring_at": None, "resolved_at": None, "started_at": start,
        "scheduled_for": start, "scheduled_until": end, "page_id": "kctbh9vrtdwd",
        "incident_updates": [], "components": [],
    }  # fmt: skip


def v2_with_maintenances() -> bytes:
    data = json.loads(V2)
    data["scheduled_maintenances"] = [
        maintenance("m0", "Pages", "scheduled", "2026-12-09T10:00:00.000Z", "2026-12-09T11:00:00.000Z", "https://stspg.io/m0"),
        maintenance("m1", "Actions", "in_progress", "2026-12-07T18:00:00.000Z", "2026-12-07T22:00:00.000Z", "https://stspg.io/m1"),
        # A month away: outside the window; done: not shown; a hostile link is replaced by its page's.
        maintenance("m2", "Packages", "scheduled", "2027-01-07T10:00:00.000Z", "2027-01-07T11:00:00.000Z", "https://stspg.io/m2"),
        maintenance("m3", "Codespaces", "completed", "2026-12-07T08:00:00.000Z", "2026-12-07T09:00:00.000Z", "https://stspg.io/m3"),
        # Past its planned end at the fetch, still in progress: it has overrun, and says so.
        maintenance("m5", "Webhooks", "in_progress", "2026-12-07T17:00:00.000Z", "2026-12-07T18:30:00.000Z", "https://stspg.io/m5"),
        maintenance("m4", "<script>alert(1)</script>\nCopilot", "scheduled", "2026-12-08T10:00:00.000Z", "2026-12-08T11:00:00.000Z", "javascript:alert(1)"),
    ]  # fmt: skip
    return json.dumps(data).encode()


def instatus_with_maintenances() -> bytes:
    data = json.loads(INSTATUS)
    data["activeMaintenances"] = [
        {"name": "Database upgrade", "start": "2026-12-07T18:30:00.000Z", "status": "INPROGRESS",
         "duration": "120", "url": "https://status.acmecloud.example/maintenance/db"},
        {"name": "Network work", "start": "Tue Dec 08 2026 02:00:00 GMT+0000 (Coordinated Universal Time)",
         "status": "NOTSTARTEDYET", "duration": "60", "url": "https://status.acmecloud.example/maintenance/net"},
    ]  # fmt: skip
    return json.dumps(data).encode()


UPSTREAM = """upstream:
  - id: github
    name: GitHub
    url: {gh}
    components: [Actions]
    affects: [api]
  - id: acme
    name: Acme Cloud
    url: {ac}
"""


def test_maintenance_kept_shown_and_noted_never_as_an_outage(tmp_path: Path, provider: Provider) -> None:
    provider.routes["/gh/summary.json"] = body(v2_with_maintenances())
    provider.routes["/ac/summary.json"] = body(instatus_with_maintenances())
    config = UPSTREAM.format(gh=provider.url("/gh/summary.json"), ac=provider.url("/ac/summary.json"))
    site = site_with(tmp_path / "site", config)
    result = pull(site)
    assert result.returncode == 0, result.stderr
    gh = snapshot(site, "github")
    assert gh["maintenances"] == [
        {"ends": "2026-12-07T18:30:00Z", "in_progress": True, "name": "Webhooks", "starts": "2026-12-07T17:00:00Z", "url": "https://stspg.io/m5"},
        {"ends": "2026-12-07T22:00:00Z", "in_progress": True, "name": "Actions", "starts": "2026-12-07T18:00:00Z", "url": "https://stspg.io/m1"},
        {"ends": "2026-12-08T11:00:00Z", "in_progress": False, "name": "<script>alert(1)</script> Copilot", "starts": "2026-12-08T10:00:00Z", "url": "https://www.githubstatus.com/incidents/m4"},
        {"ends": "2026-12-09T11:00:00Z", "in_progress": False, "name": "Pages", "starts": "2026-12-09T10:00:00Z", "url": "https://stspg.io/m0"},
    ]  # fmt: skip
    assert all(i["status"] != "maintenance" for i in gh["incidents"])  # type: ignore[attr-defined]
    ac = snapshot(site, "acme")
    assert ac["maintenances"] == [
        {"ends": "2026-12-07T20:30:00Z", "in_progress": True, "name": "Database upgrade", "starts": "2026-12-07T18:30:00Z", "url": "https://status.acmecloud.example/maintenance/db"},
        {"ends": "2026-12-08T03:00:00Z", "in_progress": False, "name": "Network work", "starts": "2026-12-08T02:00:00Z", "url": "https://status.acmecloud.example/maintenance/net"},
    ]  # fmt: skip
    assert not any("maintenance" in i["url"] for i in ac["incidents"])  # type: ignore[attr-defined]

    out = site.build("2026-12-07T20:00:00+00:00")
    section = parse_html(out / "index.html").get_element_by_id("third-party")
    shown = text_of(section)
    assert "GitHub: scheduled maintenance of Actions until Dec 7, 2026, 23:00 CET" in shown
    assert "GitHub: scheduled maintenance of Pages from Dec 9, 2026, 11:00 CET until Dec 9, 2026, 12:00 CET" in shown
    assert "Packages" not in shown and "Codespaces" not in shown
    assert "GitHub: scheduled maintenance of Webhooks in progress" in shown
    assert "<script>alert(1)</script> Copilot" in shown and not section.xpath(".//script")
    assert section.xpath(".//a[@href='https://stspg.io/m1']") and not section.xpath(".//a[starts-with(@href, 'javascript')]")
    assert "Acme Cloud: scheduled maintenance of Database upgrade until Dec 7, 2026, 21:30 CET" in shown
    note = text_of(parse_html(out / "components" / "api" / "index.html").find_class("component-head")[0])
    assert "GitHub: scheduled maintenance of Actions until Dec 7, 2026, 23:00 CET" in note
    # The front page's row of the component that depends on GitHub has the same notes.
    row = parse_html(out / "index.html").xpath("//li[@class='component'][.//a[@href='components/api/index.html']]")
    notes = [text_of(p) for p in row[0].find_class("upstream-note")]
    assert notes == [
        "May be affected: GitHub reports “Partial outage” in Actions",
        "GitHub: scheduled maintenance of Webhooks in progress",
        "GitHub: scheduled maintenance of Actions until Dec 7, 2026, 23:00 CET",
        "GitHub: scheduled maintenance of <script>alert(1)</script> Copilot from Dec 8, 2026, 11:00 CET until Dec 8, 2026, 12:00 CET",
        "GitHub: scheduled maintenance of Pages from Dec 9, 2026, 11:00 CET until Dec 9, 2026, 12:00 CET",
    ]
    summary = json.loads((out / "api" / "v2" / "summary.json").read_text())
    assert summary["status"]["indicator"] == "none" and summary["scheduled_maintenances"] == []
    assert {c["id"]: c["status"] for c in summary["components"]}["api"] == "operational"

    # Past its end, a maintenance is no longer shown (the snapshot is still fresh at 20:45),
    # also by an incremental build into the same folder.
    incremental = tmp_path / "incremental"
    for now in ("2026-12-07T20:00:00+00:00", "2026-12-07T20:45:00+00:00"):
        result = site.run("build", "--now", now, "--out", str(incremental))
        assert result.exit_code == 0, result.output
    shown = text_of(parse_html(incremental / "index.html").get_element_by_id("third-party"))
    assert "Database upgrade" not in shown and "Network work" in shown

    # The same provider state pulled again leaves the snapshots byte for byte.
    before = {p.name: p.read_bytes() for p in (site.root / "upstream").iterdir()}
    again = pull(site, now="2026-12-07T19:30:00Z")
    assert again.returncode == 0, again.stderr
    assert {p.name: p.read_bytes() for p in (site.root / "upstream").iterdir()} == before
