"""Third-party providers: `upstream pull` against real HTTP servers on 127.0.0.1, and
what the build shows from the snapshots it wrote."""

from __future__ import annotations

import json
import subprocess
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import CONFIG, SiteDir, parse_html, text_of

from .support.api_sites import BASE, SCHEMAS
from .support.upstream_sites import INSTATUS, V2, Provider, body, pull, site_with, snapshot
from .support.workflows import WORKFLOWS, load, run_step, step


def test_pull_v2_and_instatus_writes_normalised_snapshots(
    tmp_path: Path, provider: Provider
) -> None:
    provider.routes["/gh/summary.json"] = body(V2, etag='"v1"')
    provider.routes["/ac/summary.json"] = body(INSTATUS)
    site = site_with(
        tmp_path / "site",
        f"""upstream:
  - id: github
    name: GitHub
    url: {provider.url("/gh/summary.json")}
    components: [Actions, Git Operations]
    affects: [api]
  - id: acme
    name: Acme Cloud
    url: {provider.url("/ac/summary.json")}
""",
    )
    result = pull(site)
    assert result.returncode == 0, result.stderr
    assert "github: changed" in result.stdout and "acme: changed" in result.stdout
    gh = snapshot(site, "github")
    assert gh["status"] == {"indicator": "minor", "description": "Partial System Outage"}
    assert gh["components"] == [
        {"name": "Actions", "status": "partial_outage", "url": None},
        {"name": "Git Operations", "status": "operational", "url": None},
    ]
    assert gh["incidents"] == [
        {
            "name": "Disruption with some GitHub services",
            "status": "minor",
            "url": "https://stspg.io/abcd1234",
        }
    ]
    assert gh["as_of"] == "2026-12-07T19:00:00Z" and gh["validators"] == {"etag": '"v1"'}
    text = (site.root / "upstream" / "github.json").read_text()
    assert text == json.dumps(gh, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    ac = snapshot(site, "acme")
    assert ac["status"]["indicator"] == "major"  # HASISSUES with a partial outage
    assert ac["incidents"][0]["url"] == "https://status.acmecloud.example/incident/cl9x0abc123"


def test_unchanged_provider_makes_no_commit_and_304_is_used(
    tmp_path: Path, provider: Provider
) -> None:
    provider.routes["/s.json"] = body(V2, etag='"v1"')
    site = site_with(
        tmp_path / "site",
        f"upstream:\n  - {{id: github, name: GitHub, url: '{provider.url('/s.json')}', components: [Actions]}}\n",
    )
    git = ["git", "-C", str(site.root), "-c", "user.name=t", "-c", "user.email=t@t.example"]
    subprocess.run([*git, "init", "-q"], check=True)
    assert pull(site).returncode == 0
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    second = pull(site, now="2026-12-07T19:30:00Z")
    assert second.returncode == 0 and "github: unchanged" in second.stdout
    assert provider.requests[-1][1].get("If-None-Match") == '"v1"'
    status = subprocess.run(
        [*git, "status", "--porcelain"], capture_output=True, text=True, check=True
    )
    assert status.stdout == ""
    # A 200 with the same content (new ETag, new page.updated_at) changes nothing either.
    changed_noise = json.loads(V2)
    changed_noise["page"]["updated_at"] = "2026-12-07T19:40:00.000Z"
    provider.routes["/s.json"] = body(json.dumps(changed_noise).encode(), etag='"v2"')
    third = pull(site, now="2026-12-07T19:45:00Z")
    assert "github: unchanged" in third.stdout
    status = subprocess.run(
        [*git, "status", "--porcelain"], capture_output=True, text=True, check=True
    )
    assert status.stdout == ""
    # Half the stale age later, `as_of` moves on so the page does not call it stale.
    fourth = pull(site, now="2026-12-07T22:30:00Z")
    assert "github: refreshed" in fourth.stdout
    assert snapshot(site, "github")["as_of"] == "2026-12-07T22:30:00Z"


@pytest.mark.parametrize(
    ("route", "says"),
    [
        ("malformed", "the body is not JSON"),
        ("oversize", "the body is 5,002,322 bytes, more than 2,000,000"),
        ("unannounced", "the body is more than 2,000,000 bytes"),
        ("notfound", "HTTP 404"),
        ("wrongshape", "not a Statuspage v2 summary"),
        ("busy", "HTTP 503 (gave up after 2 attempts)"),
    ],
)
def test_failed_fetch_keeps_last_snapshot(
    tmp_path: Path, provider: Provider, route: str, says: str
) -> None:
    provider.routes["/good"] = body(V2)
    provider.routes["/malformed"] = body(b'{"page": {"name": "x"}, "status": ')
    provider.routes["/oversize"] = body(b" " * 5_000_000 + V2)
    provider.routes["/unannounced"] = body(b" " * 5_000_000 + V2, length=False)
    provider.routes["/notfound"] = body(b"{}", status=404)
    provider.routes["/wrongshape"] = body(b'{"hello": "world"}')
    provider.routes["/busy"] = body(b"{}", status=503)
    config = f"upstream:\n  - {{id: github, name: GitHub, url: '{provider.url('/good')}'}}\n"
    site = site_with(tmp_path / "site", config)
    assert pull(site).returncode == 0
    before = (site.root / "upstream" / "github.json").read_bytes()
    (site.root / "statuspage.yaml").write_text(CONFIG + config.replace("/good", f"/{route}"))
    result = pull(site, "--attempts", "2", now="2026-12-07T23:00:00Z")
    assert result.returncode == 0
    assert says in result.stderr and "github: not updated" in result.stderr
    assert "kept the last snapshot" in result.stderr
    assert (site.root / "upstream" / "github.json").read_bytes() == before


def test_retry_after_a_503_then_success(tmp_path: Path, provider: Provider) -> None:
    calls: list[int] = []

    def flaky(h: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        body(b"{}", status=503)(h) if len(calls) == 1 else body(V2)(h)

    provider.routes["/s"] = flaky
    site = site_with(
        tmp_path / "site", f"upstream:\n  - {{id: gh, name: GitHub, url: '{provider.url('/s')}'}}\n"
    )
    result = pull(site)
    assert "gh: changed" in result.stdout and len(calls) == 2


@pytest.mark.parametrize("kind", ["silent", "dribble"])
def test_deadline_cuts_a_slow_provider(tmp_path: Path, provider: Provider, kind: str) -> None:
    def silent(h: BaseHTTPRequestHandler) -> None:
        provider.release.wait(30)

    def dribble(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(V2)))
        h.end_headers()
        for byte in V2:  # one byte every 0.3 s: never trips a 1 s read timeout
            if provider.release.wait(0.3):
                return
            try:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
            except OSError:
                return

    provider.routes["/s"] = silent if kind == "silent" else dribble
    site = site_with(
        tmp_path / "site", f"upstream:\n  - {{id: gh, name: GitHub, url: '{provider.url('/s')}'}}\n"
    )
    started = time.monotonic()
    result = pull(site, "--deadline", "2", "--timeout", "1", "--attempts", "1")
    elapsed = time.monotonic() - started
    assert elapsed < 2 + 5
    assert result.returncode == 0
    assert "gh: not updated" in result.stderr
    assert not (site.root / "upstream" / "gh.json").exists()


def test_hostile_provider_text_is_capped_one_line_and_inert(
    tmp_path: Path, provider: Provider
) -> None:
    hostile = json.loads(V2)
    hostile["incidents"][0]["name"] = "<script>alert(1)</script>\n::error::x" + "A" * 5000
    hostile["incidents"][0]["shortlink"] = "javascript:alert(1)"
    hostile["incidents"] *= 30
    hostile["components"] += [{"name": f"c{i}", "status": "operational"} for i in range(10_000)]
    provider.routes["/s"] = body(json.dumps(hostile).encode())
    site = site_with(
        tmp_path / "site",
        f"upstream:\n  - {{id: gh, name: GitHub, url: '{provider.url('/s')}', components: [Actions, Nope]}}\n",
    )
    result = pull(site)
    assert "gh: changed" in result.stdout
    assert "has no component named 'Nope'" in result.stderr
    assert "only the first 5,000 are read" in result.stderr
    shown = snapshot(site, "gh")
    assert len(shown["incidents"]) == 10
    first = shown["incidents"][0]
    assert "\n" not in first["name"] and len(first["name"]) == 200
    # No javascript: link; the page's own incident link is built from the id instead.
    assert first["url"] == "https://www.githubstatus.com/incidents/x1y2z3w4v5u6"
    out = site.build("2026-12-07T20:10:00+01:00")
    page = (out / "index.html").read_text()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    links = parse_html(out / "index.html").get_element_by_id("third-party").xpath(".//a/@href")
    assert links and all(href.startswith("https://") for href in links)


def test_site_built_by_statuspage_is_a_provider(
    tmp_path: Path, provider: Provider, site_dir: SiteDir
) -> None:
    from tests.conftest import EXAMPLE_INCIDENT

    resolved = "## Resolved · 2026-11-20 15:10 +01:00\nThe fix is deployed and error rates are back to normal.\n\n"
    assert resolved in EXAMPLE_INCIDENT
    ongoing = EXAMPLE_INCIDENT.replace(resolved, "")
    site_dir.incident("2026-11-20-api.md", ongoing)
    built = site_dir.build("2026-11-20T15:00:00+01:00")
    provider.routes["/api/v2/summary.json"] = body(
        (built / "api" / "v2" / "summary.json").read_bytes()
    )
    ours = site_with(
        tmp_path / "ours",
        f"upstream:\n  - {{id: vendor, name: Vendor, url: '{provider.url('/api/v2/summary.json')}', components: [Public API]}}\n",
    )
    assert "vendor: changed" in pull(ours).stdout
    shown = snapshot(ours, "vendor")
    assert shown["components"] == [
        {"name": "Public API", "status": "degraded_performance", "url": None}
    ]
    assert shown["incidents"][0]["name"] == "Elevated error rates on the API"
    assert shown["incidents"][0]["url"].startswith("https://status.test.example/sub/")


def test_config_refuses_plain_http_and_unknown_keys(site_dir: SiteDir) -> None:
    (site_dir.root / "statuspage.yaml").write_text(
        CONFIG
        + "upstream:\n"
        + "  - id: gh\n    name: GitHub\n    url: http://www.githubstatus.com/api/v2/summary.json\n"
        + "  - id: cf\n    name: Cloudflare\n    url: https://www.cloudflarestatus.com/api/v2/summary.json\n"
        + "    affect: [api]\n"
        + "  - id: at\n    name: Atlassian\n    url: https://status.atlassian.com/api/v2/summary.json\n"
        + "    affects: [apj]\n"
    )
    problems = site_dir.problems()
    assert any(
        p.endswith(
            "statuspage.yaml:18: `url:` must start with https:// (e.g. "
            "https://www.githubstatus.com/api/v2/summary.json), not "
            "'http://www.githubstatus.com/api/v2/summary.json'"
        )
        for p in problems
    ), problems
    assert any(
        "statuspage.yaml:22: unknown upstream key 'affect' (did you mean 'affects'?)" in p
        for p in problems
    ), problems
    assert any(
        "statuspage.yaml:26: `affects:` names 'apj', which is not a component (did you mean 'api'?)"
        in p
        for p in problems
    ), problems


def write_snapshot(site: SiteDir, upstream_id: str, as_of: str, indicator: str = "minor") -> None:
    data = {
        "as_of": as_of,
        "components": [{"name": "Actions", "status": "partial_outage", "url": None}],
        "format": 1,
        "incidents": [
            {"name": "Actions runs are delayed", "status": "minor", "url": "https://stspg.io/abcd"}
        ],
        "page_url": "https://www.githubstatus.com",
        "status": {"description": "Partial System Outage", "indicator": indicator},
        "validators": {},
    }
    folder = site.root / "upstream"
    folder.mkdir(exist_ok=True)
    (folder / f"{upstream_id}.json").write_text(json.dumps(data))


UPSTREAM = """upstream:
  - id: github
    name: GitHub
    url: https://www.githubstatus.com/api/v2/summary.json
    components: [Actions]
    affects: [api]
    stale_after: 2h
"""


def test_page_shows_providers_and_stale_snapshots(tmp_path: Path) -> None:
    site = site_with(tmp_path / "site", UPSTREAM)
    write_snapshot(site, "github", "2026-12-07T18:00:00Z")
    out = site.build("2026-12-07T20:00:00+01:00")  # 1 h after as_of
    page = parse_html(out / "index.html")
    section = page.get_element_by_id("third-party")
    shown = text_of(section)
    assert "GitHub" in shown and "Minor Service Disruption" in shown
    assert "Actions runs are delayed" in shown
    assert section.xpath(".//a[@href='https://stspg.io/abcd']")
    assert "stale" not in shown.lower()
    assert section.xpath(".//time[@datetime='2026-12-07T19:00:00+01:00']")
    # Three hours later, past `stale_after: 2h`: possibly stale, never "operational".
    out = site.build("2026-12-07T22:00:00+01:00", tmp_path / "later")
    shown = text_of(parse_html(out / "index.html").get_element_by_id("third-party"))
    assert "Possibly out of date" in shown and "Minor Service Disruption" not in shown
    assert "Actions runs are delayed" not in shown and "Operational" not in shown
    component = text_of(parse_html(out / "components" / "api" / "index.html"))
    assert "May be affected" not in component


def test_affects_note_on_component_page_and_v2_json(tmp_path: Path) -> None:
    site = site_with(tmp_path / "site", UPSTREAM)
    write_snapshot(site, "github", "2026-12-07T18:30:00Z")
    out = site.build("2026-12-07T20:00:00+01:00")
    component = text_of(parse_html(out / "components" / "api" / "index.html"))
    assert "May be affected: GitHub reports “Partial outage” in Actions" in component
    summary = json.loads((out / "api" / "v2" / "summary.json").read_text())
    ours = {c["id"]: c for c in summary["components"]}
    assert ours["api"]["status"] == "operational"  # our own status is unchanged
    assert summary["status"]["indicator"] == "none"
    third = [c for c in summary["components"] if c["id"].startswith("upstream-github")]
    assert [(c["id"], c["name"], c["status"], c["group"]) for c in third] == [
        ("upstream-github", "GitHub", "degraded_performance", True),
        ("upstream-github-1", "GitHub: Actions", "partial_outage", False),
    ]
    assert third[0]["components"] == ["upstream-github-1"]
    assert third[1]["group_id"] == "upstream-github"
    from referencing import Registry, Resource

    from .support.api_sites import validator

    resources = [
        (BASE + p.name, Resource.from_contents(json.loads(p.read_text())))
        for p in SCHEMAS.glob("*.json")
    ]
    validator(Registry().with_resources(resources), "summary.json").validate(summary)
    # Stale: left out of the v2 JSON (it has no "unknown" status), not shown as operational.
    later = site.build("2026-12-08T04:00:00+01:00", tmp_path / "later")
    summary = json.loads((later / "api" / "v2" / "summary.json").read_text())
    assert not [c for c in summary["components"] if c["id"].startswith("upstream-")]
    # components.json (with uptime) never lists providers: they are not in uptime figures.
    components = json.loads((out / "api" / "v2" / "components.json").read_text())
    assert not [c for c in components["components"] if c["id"].startswith("upstream-")]


def test_unusable_snapshot_is_a_warning_and_shows_unknown(tmp_path: Path) -> None:
    site = site_with(tmp_path / "site", UPSTREAM)
    write_snapshot(site, "github", "2026-12-07T18:30:00Z")
    path = site.root / "upstream" / "github.json"
    path.write_text(
        path.read_text().replace('"partial_outage"', '"\\" onmouseover=alert(1) x=\\""')
    )
    problems = site.problems()
    assert any("upstream/github.json" in p and "unusable snapshot" in p for p in problems), problems
    out = site.build("2026-12-07T20:00:00+01:00")
    shown = text_of(parse_html(out / "index.html").get_element_by_id("third-party"))
    assert "Status unknown" in shown and "onmouseover" not in (out / "index.html").read_text()


def test_publish_workflow_commits_changed_snapshots_only(
    tmp_path: Path, provider: Provider, shell_env: dict[str, str]
) -> None:
    env = shell_env
    data = load(WORKFLOWS / "publish.yml")
    job = data["jobs"]["upstream"]
    assert job["permissions"] == {"contents": "write"}
    assert (
        data["jobs"]["build"]["needs"] == "upstream"
        and data["jobs"]["build"]["if"] == "${{ !cancelled() }}"
    )
    pull_step = step(data, "Pull the providers' status and push what changed")
    provider.routes["/s.json"] = body(V2, etag='"v1"')
    git = [
        "git",
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "init.defaultBranch=main",
    ]
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    subprocess.run([*git, "init", "-q", "--bare", str(origin)], check=True)
    subprocess.run([*git, "clone", "-q", str(origin), str(work)], check=True, capture_output=True)
    SiteDir(
        work,
        CONFIG
        + f"upstream:\n  - {{id: gh, name: GitHub, url: '{provider.url('/s.json')}', components: [Actions]}}\n",
    )
    (work / "incidents" / ".keep").write_text("")
    subprocess.run([*git, "-C", str(work), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "-q", "-m", "site"], check=True)
    subprocess.run(
        [*git, "-C", str(work), "push", "-q", "origin", "HEAD:main"],
        check=True,
        capture_output=True,
    )
    extra = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_TOKEN": "t0ken"}
    log = ["git", "-C", str(origin), "log", "--format=%s", "main"]

    run_step(pull_step["run"], work, env, **extra)
    pushed = subprocess.run(log, capture_output=True, text=True, check=True).stdout.splitlines()
    assert pushed == ["Third-party status [skip ci]", "site"]
    show = ["git", "-C", str(origin), "show", "main:upstream/gh.json"]
    assert (
        json.loads(subprocess.run(show, capture_output=True, text=True, check=True).stdout)[
            "components"
        ][0]["name"]
        == "Actions"
    )
    # Unchanged provider: no new commit (the step's runs share no clock: `as_of` is the
    # pull's now, and an unchanged snapshot is not rewritten until half its stale age).
    _, found = run_step(pull_step["run"], work, env, **extra)
    pushed_again = subprocess.run(
        log, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert pushed_again == pushed
    assert (
        found["sha"]
        == subprocess.run(
            ["git", "-C", str(origin), "rev-parse", "main"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    assert "extraheader" not in (work / ".git" / "config").read_text()


def test_incremental_build_follows_snapshots_and_time(tmp_path: Path) -> None:
    site = site_with(tmp_path / "site", UPSTREAM)
    write_snapshot(site, "github", "2026-12-07T18:30:00Z")
    out = tmp_path / "out"

    def build(now: str) -> str:
        result = site.run("build", "--now", now, "--out", str(out))
        assert result.exit_code == 0, result.output
        return text_of(parse_html(out / "components" / "api" / "index.html"))

    assert "May be affected: GitHub reports “Partial outage” in Actions" in build(
        "2026-12-07T20:00:00+01:00"
    )
    # The provider recovers: the next pull rewrites the snapshot; the cached page follows.
    path = site.root / "upstream" / "github.json"
    path.write_text(
        path.read_text().replace("partial_outage", "operational").replace('"minor"', '"none"')
    )
    assert "May be affected" not in build(
        "2026-12-07T20:00:00+01:00"
    )  # same `now`: not "up to date"
    write_snapshot(site, "github", "2026-12-07T18:30:00Z")
    assert "May be affected" in build("2026-12-07T20:02:00+01:00")
    # Past `stale_after`, with nothing else changed: the note goes, the page says stale.
    assert "May be affected" not in build("2026-12-07T23:00:00+01:00")
    assert "Possibly out of date" in text_of(parse_html(out / "index.html"))
