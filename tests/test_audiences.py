"""Audiences (`audiences:`, `audience:` marks): what `check` says, and what each built
page shows. The proof that nothing leaks on random sites is test_audience_leaks.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.commands.main import cli
from statuspage.pipeline.build import build
from statuspage.source.audience_view import view

from .conftest import CONFIG as PLAIN
from .conftest import EXAMPLE_INCIDENT, SiteDir, at, parse_html, text_of, write
from .support.alert_sites import alertmanager_body
from .support.audience_sites import AUDIENCES, NOW, Plan, write_site
from .support.notify_hooks import Hooks
from .support.serve import Server
from .support.two_audiences import API_INCIDENT, BILLING_INCIDENT, CONFIG


@pytest.fixture
def two(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site", CONFIG)
    site.incident("2026-12-07-api-errors.md", API_INCIDENT)
    site.incident("2026-12-07-billing.md", BILLING_INCIDENT)
    return site


def problems_of(site: SiteDir) -> list[str]:
    result = site.run("check")
    return [
        line
        for line in result.output.splitlines()
        if line.startswith(("incidents/", "statuspage.yaml"))
    ]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("    audience: internal\n  - group", "    audience: intern\n  - group", "statuspage.yaml:15",
         "unknown audience 'intern' (did you mean 'internal'?)"),
        ("      - id: billing\n", "      - id: billing\n        audience: public\n", "statuspage.yaml:20",
         "component 'billing' is for `public`, but its group only for `internal`"),
        ("  - name: internal\n", "  - name: public\n    title: x\n  - name: internal\n",
         "statuspage.yaml:6", "the `public` page's settings are the top level's"),
        ("  - name: internal\n", "  - name: internal\n    base_url: x\n  - name: internal\n",
         "statuspage.yaml:8", "audience 'internal' is listed twice"),
    ],
)  # fmt: skip
def test_check_names_each_config_problem_at_its_line(
    two: SiteDir, old: str, new: str, where: str, message: str
) -> None:
    write(two.root / "statuspage.yaml", CONFIG.replace(old, new, 1))
    found = problems_of(two)
    assert any(p.startswith(f"{where}: ") and message in p for p in found), found


@pytest.mark.parametrize(
    ("incident", "old", "new", "where", "message"),
    [
        (BILLING_INCIDENT, "audience: internal", "audience: staff", ":3",
         "unknown audience 'staff' (audiences: public, internal)"),
        (BILLING_INCIDENT, "audience: internal\n", "", ":3",
         "the incident is for `public`, but component 'billing' only for `internal`"),
        (API_INCIDENT, "Audience: internal\n", "", ":11",
         "this update names component 'db', which only `internal` sees"),
        (API_INCIDENT, "Audience: internal", "Audience: internl", ":12",
         "unknown audience 'internl' (did you mean 'internal'?)"),
        (API_INCIDENT, "A fix is in place.", "A fix is in place.\nAudience: internal", ":21",
         "a `Audience:` line must be the first line under its update's heading"),
    ],
)  # fmt: skip
def test_check_names_each_incident_problem_at_its_line(
    two: SiteDir, incident: str, old: str, new: str, where: str, message: str
) -> None:
    name = "2026-12-07-billing.md" if incident is BILLING_INCIDENT else "2026-12-07-api-errors.md"
    two.incident(name, incident.replace(old, new, 1))
    found = problems_of(two)
    assert any(p.startswith(f"incidents/{name}{where}: ") and message in p for p in found), found


def test_a_clean_two_audience_site_passes_check(two: SiteDir) -> None:
    result = two.run("check")
    assert result.exit_code == 0, result.output


def test_build_writes_each_audience_into_its_own_folder(two: SiteDir) -> None:
    result = two.run("build", "--now", "2026-12-07T16:00:00Z")
    assert result.exit_code == 0, result.output
    assert f"into {two.root / '_site'} " in result.output
    assert f"into {two.root / '_site-internal'} " in result.output
    public = parse_html(two.root / "_site" / "index.html")
    internal = parse_html(two.root / "_site-internal" / "index.html")
    assert "Primary database" not in text_of(public)
    assert "Billing worker" not in text_of(public)
    assert "Billing backlog" not in text_of(public)
    for shown in ("Primary database", "Billing worker", "Back office", "Public API"):
        assert shown in text_of(internal)
    assert text_of(public.find(".//title")).startswith("Acme Status")
    assert text_of(internal.find(".//title")).startswith("Acme Internal")
    page = (two.root / "_site" / "incidents" / "2026-12-07-api-errors" / "index.html").read_text()
    assert "Some API requests fail." in page and "DBA" not in page
    assert not (two.root / "_site" / "incidents" / "2026-12-07-billing").exists()
    assert (two.root / "_site-internal" / "incidents" / "2026-12-07-billing").is_dir()


def test_a_status_set_only_by_an_internal_update_is_not_the_public_status(two: SiteDir) -> None:
    """The public page shows each component as the last update it sees left it, and counts
    its uptime from those updates only: api was partial 14:02-14:45 as the public read it,
    partial then major as engineers read it."""
    two.run("build", "--now", "2026-12-07T16:00:00Z")

    def minutes(folder: str) -> dict[str, int]:
        metrics = json.loads((two.root / folder / "api" / "metrics.json").read_text())
        (api,) = [c for c in metrics["uptime"]["components"] if c["id"] == "api"]
        return {k: v for k, v in api["minutes"].items() if v}

    assert minutes("_site") == {"partial_outage": 43}
    assert minutes("_site-internal") == {"partial_outage": 18, "major_outage": 25}

    ongoing = API_INCIDENT.replace(
        "## Monitoring · 2026-12-07 14:45\nComponents: api=operational\n\nA fix is in place.\n", ""
    )
    two.incident("2026-12-07-api-errors.md", ongoing)
    two.run("build", "--now", "2026-12-07T16:00:00Z")

    def status(folder: str) -> str:
        data = json.loads((two.root / folder / "api" / "v2" / "components.json").read_text())
        return next(c["status"] for c in data["components"] if c["id"] == "api")

    assert status("_site") == "partial_outage"
    assert status("_site-internal") == "major_outage"


def test_audience_option_builds_one_into_out_and_refuses_an_unknown_one(
    two: SiteDir, tmp_path: Path
) -> None:
    out = tmp_path / "only-internal"
    result = two.run(
        "build", "--now", "2026-12-07T16:00:00Z", "--audience", "internal", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "Billing worker" in (out / "index.html").read_text()
    assert not (two.root / "_site").exists()
    result = two.run("build", "--now", "2026-12-07T16:00:00Z", "--audience", "interna")
    assert result.exit_code == 2
    assert "no audience 'interna' (did you mean 'internal'?)" in result.output
    assert not (two.root / "_site-interna").exists()


def test_a_site_without_audiences_builds_only_its_public_folder(site_dir: SiteDir) -> None:
    result = site_dir.run("build", "--now", "2026-11-21T12:00:00+01:00")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site_dir.root.iterdir() if p.name.startswith("_site")) == [
        "_site"
    ]


def every_file(folder: Path) -> bytes:
    """Every path and byte under *folder* (calendar lines unfolded)."""
    found = []
    for path in sorted(folder.rglob("*")):
        found.append(str(path.relative_to(folder)).encode())
        if path.is_file():
            found.append(path.read_bytes())
    return b"\n".join(found).replace(b"\r\n ", b"")


def test_real_folder_builds_leak_nothing_and_the_wider_site_holds_the_public_one(
    tmp_path: Path,
) -> None:
    """The CLI's folders, with their cache and manifest files, twice (the second build
    reuses what the first made), on one site of every kind of mark."""
    plan = Plan(
        components=[("public", None), ("partners", None), ("internal", "0"), ("public", "1")],
        groups=["partners", "public"],
        incidents=[
            ("public", ["public", "internal", "partners"], False),
            ("partners", ["public", "internal"], False),
            ("internal", ["public"], False),
            ("public", ["internal", "public"], True),
        ],
        resolved_with_postmortem=[True, False, False, False],
    )
    root = tmp_path / "site"
    markers = write_site(root, plan)
    site = SiteDir(root, (root / "statuspage.yaml").read_text())
    for now in (NOW, "2026-12-02T12:30:00+00:00"):
        result = site.run("build", "--now", now)
        assert result.exit_code == 0, result.output
        for audience in AUDIENCES:
            folder = root / ("_site" if audience == "public" else f"_site-{audience}")
            text = every_file(folder)
            assert [m for m in markers.hidden_from(audience) if m.encode() in text] == []
            assert [m for m in markers.shown_to(audience) if m.encode() not in text] == []


def test_each_audience_s_endpoints_hear_only_what_its_page_shows(
    two: SiteDir, hooks: Hooks
) -> None:
    """The public endpoint never receives internal text; the internal one gets it all, with
    links to its own page; a second run sends neither anything again."""
    config = CONFIG.replace(
        '    brand_color: "#7a1fa2"\n',
        "    brand_color: \"#7a1fa2\"\n    notify: {webhooks: [{url: '${HOOK}/internal'}]}\n",
    )
    write(two.root / "statuspage.yaml", config + "notify: {webhooks: [{url: '${HOOK}/public'}]}\n")
    for _ in range(2):
        result = CliRunner().invoke(
            cli,
            ["notify", "--backfill", "--now", "2026-12-07T16:00:00Z", "--source", str(two.root)],
            env={"HOOK": hooks.url},
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
    public = json.dumps(hooks.to("/public"))
    internal = json.dumps(hooks.to("/internal"))
    assert len(hooks.to("/public")) == 2 and len(hooks.to("/internal")) == 4
    assert "Some API requests fail." in public and "A fix is in place." in public
    for hidden in ("DBA", "Billing", "db", "Primary database", "status.internal.acme.example"):
        assert hidden not in public
    for shown in ("DBA", "Billing backlog", "https://status.internal.acme.example/"):
        assert shown in internal


def test_new_and_update_write_the_audience_and_refuse_an_unknown_one(two: SiteDir) -> None:
    folder = two.root / "incidents"
    before = sorted(p.name for p in folder.iterdir())
    result = two.run("new", "Replica lag", "-m", "Lag on db-3.", "--audience", "staff")
    assert result.exit_code == 2
    assert "no audience 'staff' (audiences: public, internal)" in result.output
    assert sorted(p.name for p in folder.iterdir()) == before

    result = two.run(
        "new", "Replica lag", "-m", "Lag on db-3.", "-c", "db=degraded_performance",
        "--audience", "internal", "--at", "2026-12-07 15:30",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = Path(result.output.strip())
    assert "\naudience: internal\n" in created.read_text()

    api = folder / "2026-12-07-api-errors.md"
    original = api.read_bytes()
    for refused, why in (
        (["--audience", "interna"], "no audience 'interna' (did you mean 'internal'?)"),
        (["-c", "db=operational"], "this update names component 'db', which only `internal`"),
    ):
        args = ["update", "api-errors", "--status", "monitoring", "-m", "Recovered.", *refused]
        result = two.run(*args, "--at", "2026-12-07 15:40")
        assert result.exit_code != 0 and why in result.output, result.output
        assert api.read_bytes() == original

    result = two.run(
        "update", "api-errors", "--status", "monitoring", "-m", "Replica caught up.",
        "-c", "db=operational", "--audience", "internal", "--at", "2026-12-07 15:40",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Audience: internal\nComponents: db=operational\n\nReplica caught up." in api.read_text()
    two.run("build", "--now", "2026-12-07T16:00:00Z")
    assert "Replica caught up." not in (two.root / "_site" / "index.html").read_text()
    page = two.root / "_site-internal" / "incidents" / "2026-12-07-api-errors" / "index.html"
    assert "Replica caught up." in page.read_text()
    assert "Replica lag" in (two.root / "_site-internal" / "index.html").read_text()
    assert "Replica lag" not in (two.root / "_site" / "history" / "index.html").read_text()


def test_diff_says_per_audience_what_changes(tmp_path: Path) -> None:
    """An internal note and an internal incident change nothing the public sees."""
    old, new = SiteDir(tmp_path / "old", CONFIG), SiteDir(tmp_path / "new", CONFIG)
    note = API_INCIDENT[API_INCIDENT.index("## Identified") : API_INCIDENT.index("## Monitoring")]
    old.incident("2026-12-07-api-errors.md", API_INCIDENT.replace(note, ""))
    new.incident("2026-12-07-api-errors.md", API_INCIDENT)
    new.incident("2026-12-07-billing.md", BILLING_INCIDENT)

    def diff(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(
            cli,
            ["diff", str(old.root), str(new.root), "--now", "2026-12-07T16:00:00Z",
             "--format", "json", "--source", str(new.root), *args],
        )  # fmt: skip
        return result.exit_code, result.output

    code, output = diff()
    assert code == 0, output
    assert json.loads(output)["customer_visible"] is False
    assert "Billing" not in output and "DBA" not in output
    code, output = diff("--audience", "internal")
    assert code == 1, output
    assert "2026-12-07-billing" in output and "Billing backlog" in output
    code, output = diff("--audience", "interna")
    assert code == 2 and "no audience 'interna' (did you mean 'internal'?)" in output


def test_an_alert_about_an_internal_component_opens_an_internal_incident(two: SiteDir) -> None:
    rules = (
        "alerts:\n  publish: direct\n  rules:\n"
        "    - id: lag\n      match: {alertname: ReplicaLag}\n"
        "      components: {db: major_outage}\n      title: Replica lag\n"
    )
    write(two.root / "statuspage.yaml", CONFIG + rules)
    body = alertmanager_body({"labels": {"alertname": "ReplicaLag"}})
    result = two.run(
        "alert", "--format", "alertmanager", "--now", "2026-12-07T15:30:00Z", "-", input=body
    )
    assert result.exit_code == 0, result.output
    (created,) = (two.root / "incidents").glob("*replica-lag*.md")
    assert "\naudience: internal\n" in created.read_text()
    two.run("build", "--now", "2026-12-07T16:00:00Z")
    assert "Replica lag" not in (two.root / "_site" / "index.html").read_text()
    assert "Replica lag" in (two.root / "_site-internal" / "index.html").read_text()


def test_serve_previews_the_page_of_the_audience_it_is_given(two: SiteDir) -> None:
    pages = {}
    for options in ((), ("--audience", "internal")):
        server = Server(two.root, "--now", "2026-12-07T16:00:00Z", *options)
        try:
            pages[options] = server.wait_for("", lambda body: "Public API" in body)
        finally:
            server.kill()
    assert "Billing worker" not in pages[()]
    assert "Billing worker" in pages[("--audience", "internal")]


def test_declaring_audiences_changes_no_byte_of_the_public_page(tmp_path: Path) -> None:
    declared = (
        PLAIN + "audiences:\n  - name: internal\n    base_url: https://in.example/\n    title: In\n"
    )
    plain, marked = SiteDir(tmp_path / "plain", PLAIN), SiteDir(tmp_path / "marked", declared)
    for site in (plain, marked):
        site.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    now = at("2026-11-21 10:00")
    site = plain.load()
    assert view(site, "public") is site  # a site without `audiences:` is its own public view
    assert build(view(marked.load(), "public"), now) == build(site, now)
