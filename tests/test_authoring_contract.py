"""The authoring contract: what a hurried engineer types is applied as meant, or refused
at its line with what to type instead."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import SiteDir, parse_html, text_of

from .support.outlined import OPEN_AT, OUTLINED


def incident(components_line: str) -> str:
    return f"""\
---
title: API errors
---

## Identified · 2026-11-20 14:30 +01:00
{components_line}

Errors on the API.
"""


def component_statuses(out: Path) -> dict[str, str]:
    data = json.loads((out / "api" / "v2" / "components.json").read_text())
    return {c["id"]: c["status"] for c in data["components"] if not c.get("group")}


@pytest.mark.parametrize("line", [
    "Components: API=partial_outage, db=major_outage",
    "components: api=partial_outage, db=major_outage",
    "Components: api: partial_outage, db: major_outage",
    "Components: api=partial_outage db=major_outage",
    "COMPONENTS:api = partial_outage ,db=Major_Outage",
])  # fmt: skip
def test_components_line_variants_are_applied(site_dir: SiteDir, line: str) -> None:
    site_dir.incident("2026-11-20-api.md", incident(line))
    assert site_dir.run("check").exit_code == 0
    out = site_dir.build(OPEN_AT)
    statuses = component_statuses(out)
    assert statuses["api"] == "partial_outage" and statuses["db"] == "major_outage"
    body = parse_html(out / "incidents" / "2026-11-20-api" / "index.html").cssselect(
        ".update .body"
    )[0]
    assert text_of(body) == "Errors on the API."


@pytest.mark.parametrize(("line", "says"), [
    ("Components: api partial_outage", "write it as `Components: api=partial_outage, db=major_outage`"),
    ("Components: apii=partial_outage", "unknown component 'apii' (did you mean 'api'?)"),
    ("Components: api=partial", "unknown component status 'partial'"),
    ("Components: the API was slow", "statuses: operational, under_maintenance"),
])  # fmt: skip
def test_unreadable_components_line_is_refused_at_its_line(
    site_dir: SiteDir, line: str, says: str
) -> None:
    site_dir.incident("2026-11-20-api.md", incident(line))
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert "incidents/2026-11-20-api.md:6: " in result.output and says in result.output, (
        result.output
    )


def test_components_line_below_the_message_is_refused(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api.md", incident("Errors.\n\nComponents: api=major_outage"))
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert (
        "incidents/2026-11-20-api.md:8: a `Components:` line must be the first line"
        in result.output
    )


def test_components_line_in_a_code_fence_is_text(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-api.md", incident("We ran:\n\n```\nComponents: api=major_outage\n```")
    )
    assert site_dir.run("check").exit_code == 0
    out = site_dir.build(OPEN_AT)
    assert component_statuses(out)["api"] == "operational"


def test_update_without_a_message_is_named_at_its_line(site_dir: SiteDir) -> None:
    site_dir.incident(
        "2026-11-20-api.md",
        """\
    ---
    title: API errors
    ---

    ## Monitoring · 2026-11-20 15:00 +01:00

    ## Investigating · 2026-11-20 14:30 +01:00
    Errors on the API.
    """,
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert "incidents/2026-11-20-api.md:5: update 'Monitoring' has no message" in result.output


@pytest.mark.parametrize(
    "args",
    [("new", "API errors"), ("new", "API errors", "-m", "-"), ("new", "API errors", "-m", "  ")],
)
def test_new_refuses_an_empty_message(site_dir: SiteDir, args: tuple[str, ...]) -> None:
    result = site_dir.run(*args, input="")
    assert (
        result.exit_code == 2 and "has no message" in result.output and "-m TEXT" in result.output
    )
    assert list((site_dir.root / "incidents").iterdir()) == []


def test_update_refuses_an_empty_message(site_dir: SiteDir) -> None:
    path = site_dir.incident("2026-11-20-api.md", incident("Components: api=major_outage"))
    before = path.read_bytes()
    result = site_dir.run(
        "update", "api", "--status", "monitoring", "--at", "2026-11-20 15:00", input=""
    )
    assert result.exit_code == 2 and "has no message" in result.output
    assert path.read_bytes() == before


def test_new_maintenance_uses_its_stock_sentence(site_dir: SiteDir) -> None:
    window = ("--start", "2026-12-01 02:00", "--end", "2026-12-01 04:00")
    result = site_dir.run("new", "DB upgrade", "--maintenance", *window,
                          "--at", "2026-11-25 10:00")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert site_dir.load().incidents[0].updates[0].body == "This maintenance is scheduled."


GROUP_NAMED_LIKE_MEMBER = """\
title: Test Status
base_url: https://status.test.example/
components:
  - id: api
    name: API
  - group: Web
    components:
      - id: web
        name: Website
"""


def test_group_named_like_its_member_works(site_dir: SiteDir, tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "g", GROUP_NAMED_LIKE_MEMBER)
    site.incident("2026-11-20-web.md", incident("Components: web=major_outage"))
    assert site.run("check").exit_code == 0, site.run("check").output
    out = site.build(OPEN_AT)
    data = json.loads((out / "api" / "v2" / "components.json").read_text())
    by_name = {c["name"]: c for c in data["components"]}
    assert by_name["Website"]["status"] == "major_outage"
    assert (
        by_name["Web"]["group"] is True and by_name["Website"]["group_id"] == by_name["Web"]["id"]
    )


def test_group_name_clashing_with_an_earlier_id_says_where_its_id_comes_from(
    tmp_path: Path,
) -> None:
    config = GROUP_NAMED_LIKE_MEMBER.replace("  - group: Web\n", "  - group: Web\n    id: api\n")
    site = SiteDir(tmp_path / "g", config)
    result = site.run("check")
    assert result.exit_code == 1
    assert (
        "statuspage.yaml:7: duplicate id 'api', first defined on line 4; "
        "give the group its own `id:`" in result.output
    )


def test_capitalised_id_says_what_to_type(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "c", GROUP_NAMED_LIKE_MEMBER.replace("id: api", "id: Payments"))
    result = site.run("check")
    assert result.exit_code == 1
    assert (
        "statuspage.yaml:4: component ids are lower-case letters, digits, - and _: "
        "use `id: payments`" in result.output
    )


WINDOWS_FILE = (
    "\ufeff---\r\ntitle: API errors\r\ncomponents:\r\n  api: major_outage\r\n---\r\n\r\n"
    "## Investigating · 2026-11-20 14:30 +01:00\r\nErrors on the API.\r\n\r\n  trailing  \r\n"
)


@pytest.mark.parametrize("command", [
    ("update", "api", "--status", "identified", "-m", "Found it.\r\nRolling back.",
     "--at", "2026-11-20 15:00"),
    ("resolve", "api", "--at", "2026-11-20 15:00"),
])  # fmt: skip
def test_update_keeps_crlf_bom_and_every_byte(site_dir: SiteDir, command: tuple[str, ...]) -> None:
    path = site_dir.root / "incidents" / "2026-11-20-api.md"
    original = WINDOWS_FILE.encode("utf-8")
    path.write_bytes(original)
    result = site_dir.run(*command)
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    head = original.index(b"## Investigating")
    assert after.startswith(original[:head]) and after.endswith(original[head:])
    added = after[head : len(after) - (len(original) - head)]
    assert added.startswith(b"## ") and added.endswith(b"\r\n\r\n")
    assert b"\n" not in added.replace(b"\r\n", b"")  # only the file's own line ending
    assert site_dir.run("check").exit_code == 0


def test_update_keeps_a_plain_file_byte_for_byte(site_dir: SiteDir) -> None:
    path = site_dir.incident(
        "2026-11-20-api.md", incident("Components: api=major_outage") + "\n\n\n"
    )
    original = path.read_bytes()
    assert (
        site_dir.run(
            "update", "api", "--status", "monitoring", "-m", "Better.", "--at", "2026-11-20 15:00"
        ).exit_code
        == 0
    )
    after = path.read_bytes()
    head = original.index(b"## Identified")
    assert (
        after
        == original[:head]
        + "## Monitoring · 2026-11-20 15:00 +01:00\n\nBetter.\n\n".encode()
        + original[head:]
    )


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statuspage.commands.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_commands_find_the_site_from_a_subfolder(site_dir: SiteDir) -> None:
    (site_dir.root / ".git").mkdir()
    made = cli(
        "new",
        "API errors",
        "-c",
        "API=major_outage",
        "-m",
        "Errors.",
        "--at",
        "2026-11-20 14:00",
        cwd=site_dir.root / "incidents",
    )
    assert made.returncode == 0, made.stderr
    assert f"Using the site in .. ({site_dir.root})" in made.stderr
    assert (site_dir.root / "incidents" / "2026-11-20-api-errors.md").is_file()
    assert not (site_dir.root / "incidents" / "incidents").exists()
    built = cli("build", "--now", "2026-11-20 15:00", cwd=site_dir.root / "incidents")
    assert built.returncode == 0, built.stderr
    assert component_statuses(site_dir.root / "_site")["api"] == "major_outage"
    # In the site's own folder nothing is said; --source still wins.
    assert "Using the site" not in cli("check", cwd=site_dir.root).stderr
    other = SiteDir(site_dir.root.parent / "other")
    given = cli("check", "--source", str(other.root), cwd=site_dir.root / "incidents")
    assert given.returncode == 0 and "Using the site" not in given.stderr


def test_site_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    SiteDir(tmp_path / "outer")
    repo = tmp_path / "outer" / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    result = cli("check", cwd=repo / "docs")
    assert result.returncode == 1
    assert "no statuspage.yaml here or in a folder above it" in result.stdout + result.stderr
    assert "--source DIR" in result.stdout + result.stderr


def test_non_text_file_is_reported_at_line_one(site_dir: SiteDir) -> None:
    (site_dir.root / "incidents" / "2026-11-20-shot.md").write_bytes(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
    )
    result = site_dir.run("check", "--format", "github")
    assert result.exit_code == 1
    assert (
        "::error file=incidents/2026-11-20-shot.md,line=1::this is not a text file" in result.output
    )


def heading_levels(page: Path) -> list[str]:
    return [h.tag for h in parse_html(page).iter("h1", "h2", "h3", "h4", "h5", "h6")]


def test_message_headings_continue_the_outline(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api.md", OUTLINED)
    out = site_dir.build(OPEN_AT)
    for page in (out / "incidents" / "2026-11-20-api" / "index.html", out / "index.html"):
        levels = [int(tag[1]) for tag in heading_levels(page)]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels)), (page, levels)
        body = parse_html(page).cssselect(".body")[0]
        assert [(h.tag, text_of(h)) for h in body.iter("h4", "h5", "h6")] == [
            ("h4", "Workaround"),
            ("h5", "Details"),
        ]


def test_bare_urls_become_links_and_stay_safe(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api.md", OUTLINED)
    out = site_dir.build(OPEN_AT)
    body = parse_html(out / "incidents" / "2026-11-20-api" / "index.html").cssselect(
        ".update .body"
    )[0]
    links = {text_of(a): a.get("href") for a in body.iter("a")}
    assert links == {
        "https://runbooks.example.com/api?x=1": "https://runbooks.example.com/api?x=1",
        "www.example.org/status": "http://www.example.org/status",
        "ops@example.com": "mailto:ops@example.com",
    }
    assert all(a.get("rel") == "nofollow noopener noreferrer" for a in body.iter("a"))
    assert "javascript:alert(1)" in text_of(body)


def test_group_id_from_its_name_avoids_a_component_defined_later(tmp_path: Path) -> None:
    site = SiteDir(
        tmp_path / "g",
        GROUP_NAMED_LIKE_MEMBER.replace("id: web", "id: site") + "  - id: web\n    name: Web API\n",
    )
    assert site.run("check").exit_code == 0
    site.incident("2026-11-20-web.md", incident("Components: web=major_outage"))
    data = json.loads((site.build(OPEN_AT) / "api" / "v2" / "components.json").read_text())
    by_name = {c["name"]: c for c in data["components"]}
    assert (
        by_name["Web API"]["status"] == "major_outage"
        and by_name["Web"]["id"] != by_name["Web API"]["id"]
    )


def test_components_line_in_an_indented_code_block_is_text(site_dir: SiteDir) -> None:
    site_dir.incident("2026-11-20-api.md", incident("We ran:\n\n    Components: api=major_outage"))
    assert site_dir.run("check").exit_code == 0
    out = site_dir.build(OPEN_AT)
    assert component_statuses(out)["api"] == "operational"
    page = parse_html(out / "incidents" / "2026-11-20-api" / "index.html")
    assert text_of(page.cssselect(".update .body pre")[0]) == "Components: api=major_outage"
