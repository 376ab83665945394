"""Writers never write through a link that leaves the site (source/site_folder.py
`SiteFolder.writable`), as the build never reads through one: a pull request that turns
`incidents/` into `incidents -> /elsewhere` gets an error naming the link from `check`,
and `new`, `update`, `resolve`, `postmortem`, `alert`, `import` and `init` refuse with
`path: message`, leaving the folder it points to byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CONFIG, SiteDir, write
from .support.cstate_sites import cstate_site, issue
from .support.notify_hooks import Hooks

ALERT_CONFIG = (
    CONFIG
    + """\
alerts:
  publish: direct
  rules:
    - id: checkout
      match: {alertname: CheckoutErrorRate}
      components: {api: major_outage}
      title: Checkout is failing
"""
)
INCIDENT = """\
---
title: API errors
impact: major
components: {api: partial_outage}
---
## Resolved · 2026-11-20 15:00

Fixed.

## Investigating · 2026-11-20 14:02

We are looking into it.
"""
OPEN = INCIDENT.split("## Resolved")[0] + INCIDENT.split("Fixed.\n\n")[1]
LINKED = "a link to outside the site folder"


def statuspage(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795262400"}  # 2026-11-21 12:00 UTC
    return subprocess.run([sys.executable, "-m", "statuspage", *args], capture_output=True, text=True,
                          input=input, env=env, timeout=120)  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def linked_site(tmp_path: Path, outside: Path, config: str = CONFIG) -> SiteDir:
    """A site whose incidents/ is a link to *outside*."""
    site = SiteDir(tmp_path / "site", config)
    (site.root / "incidents").rmdir()
    (site.root / "incidents").symlink_to(outside, target_is_directory=True)
    return site


def refused(result: subprocess.CompletedProcess[str], link: Path) -> None:
    """The command failed saying `LINK: ...` (the path as given or relative to the site)."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"{link.name}: {LINKED}" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_check_reports_an_incidents_folder_linked_out(tmp_path: Path, outside: Path) -> None:
    site = linked_site(tmp_path, outside)
    result = statuspage("check", "--source", str(site.root))
    refused(result, site.root / "incidents")


def test_new_refuses_to_write_through_the_link(tmp_path: Path, outside: Path) -> None:
    site = linked_site(tmp_path, outside)
    result = statuspage("new", "Database down", "--message", "Looking.", "--source", str(site.root))
    refused(result, site.root / "incidents")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "text"),
    [
        (
            ["update", "2026-11-20-api", "--status", "identified", "--message", "A bad deploy."],
            OPEN,
        ),
        (["resolve", "2026-11-20-api", "--message", "Fixed."], OPEN),
        (["postmortem", "2026-11-20-api"], INCIDENT),
    ],
    ids=["update", "resolve", "postmortem"],
)
def test_update_resolve_and_postmortem_refuse_and_name_the_link(
    tmp_path: Path, outside: Path, command: list[str], text: str
) -> None:
    write(outside / "2026-11-20-api.md", text)
    before = snapshot(outside)
    site = linked_site(tmp_path, outside)
    result = statuspage(*command, "--source", str(site.root))
    refused(result, site.root / "incidents")
    assert snapshot(outside) == before


def test_alert_refuses_to_open_an_incident_through_the_link(tmp_path: Path, outside: Path) -> None:
    site = linked_site(tmp_path, outside, ALERT_CONFIG)
    body = '{"alerts": [{"status": "firing", "labels": {"alertname": "CheckoutErrorRate"}}]}'
    result = statuspage("alert", "--format", "json", "--now", "2026-11-21T12:00:00Z", "--source",
                        str(site.root), "-", input=body)  # fmt: skip
    refused(result, site.root / "incidents")
    assert list(outside.iterdir()) == []


def test_import_refuses_to_write_through_the_link(tmp_path: Path, outside: Path) -> None:
    source = cstate_site(
        tmp_path / "cstate", {"outage.md": issue("title: Outage\ndate: 2025-01-01 10:00:00")}
    )
    into = tmp_path / "new"
    into.mkdir()
    (into / "incidents").symlink_to(outside, target_is_directory=True)
    result = statuspage(
        "import",
        "cstate",
        str(source),
        "--into",
        str(into),
        "--now",
        "2026-01-01 00:00 UTC",
        "--force",
    )
    refused(result, into / "incidents")
    assert list(outside.iterdir()) == []
    assert not (into / "statuspage.yaml").exists()


@pytest.mark.parametrize("linked", [".github", ".gitignore"])
def test_init_refuses_to_write_through_a_link(tmp_path: Path, outside: Path, linked: str) -> None:
    target = tmp_path / "new-site"
    target.mkdir()
    if linked == ".gitignore":
        write(outside / "gitignore", "secrets/\n")
        (target / linked).symlink_to(outside / "gitignore")
    else:
        (target / linked).symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)
    result = statuspage("init", str(target), "--title", "Acme")
    refused(result, target / linked)
    assert snapshot(outside) == before
    assert not (target / "statuspage.yaml").exists()


def test_notify_refuses_to_keep_its_record_through_a_link_and_sends_nothing(
    tmp_path: Path, outside: Path, hooks: Hooks
) -> None:
    site = SiteDir(
        tmp_path / "site",
        CONFIG + f"notify:\n  webhooks:\n    - {{url: '{hooks.url}/a', format: json}}\n",
    )
    site.incident("2026-11-20-api.md", INCIDENT)
    (site.root / ".statuspage").symlink_to(outside, target_is_directory=True)
    result = statuspage("notify", "--now", "2026-11-21T12:00:00Z", "--source", str(site.root))
    refused(result, site.root / ".statuspage")
    assert list(outside.iterdir()) == [] and hooks.requests == []


def test_a_link_inside_the_site_is_still_written_through(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    (site.root / "incidents").rmdir()
    (site.root / "data" / "incidents").mkdir(parents=True)
    (site.root / "incidents").symlink_to(Path("data") / "incidents", target_is_directory=True)
    result = statuspage("new", "Database down", "--message", "Looking.", "--source", str(site.root))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (site.root / "data" / "incidents").iterdir()] == [
        "2026-11-21-database-down.md"
    ]
    assert statuspage("check", "--source", str(site.root)).returncode == 0
