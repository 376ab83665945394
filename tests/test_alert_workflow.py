"""`.github/workflows/alert.yml`: its triggers and permissions, and its shell steps run
for real with bash against a git origin in tmp_path (as test_publishing.py does), so
`publish: direct` pushes to main once and `publish: pull_request` keeps one branch per
incident, each alert applied exactly once."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CONFIG
from .support.alert_sites import ALERT_CONFIG, FIXTURES
from .support.workflows import WORKFLOWS, load, run_step, step, steps

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"]  # fmt: skip
INCIDENT = "2026-12-01-checkout-is-failing"


def test_triggers_permissions_and_concurrency() -> None:
    data = load(WORKFLOWS / "alert.yml")
    assert data["on"]["repository_dispatch"] == {"types": ["alert"]}
    inputs = data["on"]["workflow_dispatch"]["inputs"]
    assert inputs["format"]["options"] == ["alertmanager", "grafana", "uptime-kuma", "json"]
    assert inputs["payload"]["required"] is True
    assert data["permissions"] == {}
    assert data["concurrency"] == {"group": "alerts", "cancel-in-progress": False}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "actions": "write"}
    checkout = next(s for s in steps(data) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    for s in steps(data):
        # Untrusted text never inside a script: only through env (zizmor's template-injection).
        assert "${{" not in s.get("run", ""), s["name"]
    assert step(data, "Publish the page")["run"] == "gh workflow run publish.yml --ref main"


def fail_step(
    script: str, cwd: Path, env: dict[str, str], **extra: str
) -> subprocess.CompletedProcess[str]:
    output = cwd / ".github-output"
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env={**env, **extra, "GITHUB_OUTPUT": str(output)},
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_reading_the_alert_keeps_the_body_out_of_the_shell(
    tmp_path: Path, shell_env: dict[str, str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "statuspage.yaml").write_text(ALERT_CONFIG)
    read = step(load(WORKFLOWS / "alert.yml"), "Read the alert")["run"]
    body = '{"alerts": [], "x": "$(touch pwned) `touch pwned2` \'; touch pwned3; \\"\\n"}'
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    _, outputs = run_step(read, site, shell_env, GITHUB_EVENT_NAME="repository_dispatch", RUNNER_TEMP=str(temp),
                          DISPATCH_FORMAT="json", DISPATCH_PAYLOAD=body)  # fmt: skip
    assert outputs == {"format": "json", "payload": f"{temp}/alert.json", "publish": "direct"}
    assert (temp / "alert.json").read_text() == body
    assert not list(site.glob("pwned*")) and not list(tmp_path.glob("pwned*"))
    _, outputs = run_step(read, site, shell_env, GITHUB_EVENT_NAME="workflow_dispatch", RUNNER_TEMP=str(temp),
                          INPUT_FORMAT="uptime-kuma", INPUT_PAYLOAD="{}")  # fmt: skip
    assert outputs["format"] == "uptime-kuma" and (temp / "alert.json").read_text() == "{}"
    bad = fail_step(read, site, shell_env, GITHUB_EVENT_NAME="repository_dispatch", RUNNER_TEMP=str(temp),
                    DISPATCH_FORMAT="nagios; touch pwned", DISPATCH_PAYLOAD="{}")  # fmt: skip
    assert bad.returncode == 1 and "::error::client_payload.format must be" in bad.stdout
    (site / "statuspage.yaml").write_text(CONFIG)
    _, outputs = run_step(read, site, shell_env, GITHUB_EVENT_NAME="repository_dispatch", RUNNER_TEMP=str(temp),
                          DISPATCH_FORMAT="json", DISPATCH_PAYLOAD="{}")  # fmt: skip
    assert outputs["publish"] == ""  # "Say what is missing" runs then


@pytest.fixture
def repo(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(a bare origin whose main holds a site with alert rules, a clone of it)."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    subprocess.run([*GIT, "init", "-q", "--bare", str(origin)], check=True)
    subprocess.run([*GIT, "clone", "-q", str(origin), str(work)], check=True, capture_output=True)
    (work / "statuspage.yaml").write_text(
        ALERT_CONFIG.replace("publish: direct", f"publish: {request.param}")
    )
    (work / "incidents").mkdir()
    (work / "incidents" / ".gitkeep").write_text("")
    subprocess.run([*GIT, "-C", str(work), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(work), "commit", "-q", "-m", "site"], check=True)
    subprocess.run(
        [*GIT, "-C", str(work), "push", "-q", "origin", "HEAD:main"],
        check=True,
        capture_output=True,
    )
    return origin, work


def git_out(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def env_for(tmp_path: Path, shell_env: dict[str, str]) -> dict[str, str]:
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    return {**shell_env, "HOME": str(tmp_path), "RUNNER_TEMP": str(temp), "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_TOKEN": "t0ken", "SOURCE_DATE_EPOCH": "1796126400"}  # fmt: skip


@pytest.mark.parametrize("repo", ["direct"], indirect=True)
def test_direct_pushes_each_change_to_main_once(
    tmp_path: Path, repo: tuple[Path, Path], shell_env: dict[str, str]
) -> None:
    origin, work = repo
    direct = step(load(WORKFLOWS / "alert.yml"), "Apply the alert and push it to main")["run"]
    env = env_for(tmp_path, shell_env)
    firing, resolved = (
        FIXTURES / "alertmanager-firing.json",
        FIXTURES / "alertmanager-resolved.json",
    )
    _, outputs = run_step(direct, work, env, FORMAT="alertmanager", PAYLOAD=str(firing))
    assert outputs == {"pushed": "true"}
    assert (
        git_out(origin, "log", "-1", "--format=%s", "main").strip()
        == f"Alert (alertmanager): {INCIDENT}.md"
    )
    assert "investigating" in git_out(origin, "show", f"main:incidents/{INCIDENT}.md").lower()
    assert "extraheader" not in (work / ".git" / "config").read_text()
    stdout, outputs = run_step(direct, work, env, FORMAT="alertmanager", PAYLOAD=str(firing))
    assert (stdout.strip(), outputs) == ("Nothing to change.", {})
    # Someone pushes meanwhile from another clone: the alert lands on top of their commit.
    other = tmp_path / "other"
    subprocess.run([*GIT, "clone", "-q", str(origin), str(other)], check=True, capture_output=True)
    (other / "README").write_text("hello\n")
    subprocess.run([*GIT, "-C", str(other), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(other), "commit", "-q", "-m", "readme"], check=True)
    subprocess.run(
        [*GIT, "-C", str(other), "push", "-q", "origin", "HEAD:main"],
        check=True,
        capture_output=True,
    )
    run_step(direct, work, env, FORMAT="alertmanager", PAYLOAD=str(resolved))
    log = git_out(origin, "log", "--format=%s", "main").splitlines()
    assert log == [
        f"Alert (alertmanager): {INCIDENT}.md",
        "readme",
        f"Alert (alertmanager): {INCIDENT}.md",
        "site",
    ]
    assert "## Monitoring" in git_out(origin, "show", f"main:incidents/{INCIDENT}.md")


@pytest.mark.parametrize("repo", ["pull_request"], indirect=True)
def test_pull_request_keeps_one_branch_per_incident(
    tmp_path: Path, repo: tuple[Path, Path], shell_env: dict[str, str]
) -> None:
    origin, work = repo
    apply = step(load(WORKFLOWS / "alert.yml"), "Apply the alert to one branch per incident")["run"]
    env = env_for(tmp_path, shell_env)
    temp = Path(env["RUNNER_TEMP"])
    main = git_out(origin, "rev-parse", "main")
    branches = temp / "branches.txt"  # what "Find the open alert pull requests" writes
    branches.write_text("")
    run_step(
        apply, work, env, FORMAT="alertmanager", PAYLOAD=str(FIXTURES / "alertmanager-firing.json")
    )
    assert (temp / "new-branches.txt").read_text() == f"alert/{INCIDENT}\n"
    assert git_out(origin, "rev-parse", "main") == main  # a person merges it
    first = git_out(origin, "show", f"alert/{INCIDENT}:incidents/{INCIDENT}.md")
    assert "## Investigating" in first

    branches.write_text(f"alert/{INCIDENT}\n")  # its pull request is open
    stdout, _ = run_step(
        apply, work, env, FORMAT="alertmanager", PAYLOAD=str(FIXTURES / "alertmanager-firing.json")
    )
    assert "Nothing to change." in stdout and (temp / "new-branches.txt").read_text() == ""
    run_step(
        apply,
        work,
        env,
        FORMAT="alertmanager",
        PAYLOAD=str(FIXTURES / "alertmanager-resolved.json"),
    )
    assert (temp / "new-branches.txt").read_text() == ""
    log = git_out(origin, "log", "--format=%s", f"alert/{INCIDENT}").splitlines()
    assert log == [f"Alert (alertmanager): {INCIDENT}.md"] * 2 + ["site"]
    text = git_out(origin, "show", f"alert/{INCIDENT}:incidents/{INCIDENT}.md")
    assert re.findall(r"^## (\w+)", text, re.MULTILINE) == ["Monitoring", "Investigating"]
    assert git_out(origin, "rev-parse", "main") == main


def fake_gh(bin_dir: Path) -> None:
    """`gh pr list --json FIELDS --jq EXPR` answered from $GH_PULLS (the API's pull requests
    as JSON), keeping only FIELDS as gh does, then EXPR through jq (raw output, as gh)."""
    gh = bin_dir / "gh"
    gh.write_text(
        "#!/bin/sh\n"
        '[ "$1 $2" = "pr list" ] || { echo "fake gh: only pr list" >&2; exit 3; }\n'
        'while [ $# -gt 0 ]; do case "$1" in --json) shift; fields="$1";; --jq) shift; expr="$1";; esac; shift; done\n'
        'jq -c "map({$fields})" "$GH_PULLS" | jq -r "$expr"\n'
    )  # fmt: skip
    gh.chmod(0o755)


@pytest.mark.skipif(
    shutil.which("jq") is None, reason="needs jq (as gh's --jq) to run the listing step"
)
@pytest.mark.parametrize("repo", ["pull_request"], indirect=True)
def test_a_forks_alert_branch_never_stalls_the_alerts(
    tmp_path: Path, repo: tuple[Path, Path], shell_env: dict[str, str]
) -> None:
    # Issue 29: an open pull request from a fork, its head branch named alert/..., made the
    # step fetch a branch this repository does not have, and every alert failed meanwhile.
    origin, work = repo
    workflow = load(WORKFLOWS / "alert.yml")
    find = step(workflow, "Find the open alert pull requests")["run"]
    apply = step(workflow, "Apply the alert to one branch per incident")["run"]
    env = env_for(tmp_path, shell_env)
    fake_gh(Path(env["PATH"].split(os.pathsep)[0]))
    temp = Path(env["RUNNER_TEMP"])
    (temp / "branches.txt").write_text("")
    run_step(
        apply, work, env, FORMAT="alertmanager", PAYLOAD=str(FIXTURES / "alertmanager-firing.json")
    )
    pulls = tmp_path / "pulls.json"
    pulls.write_text(json.dumps([
        {"number": 3, "headRefName": "alert/2026-12-01-from-a-fork", "isCrossRepository": True, "title": "x"},
        {"number": 2, "headRefName": f"alert/{INCIDENT}", "isCrossRepository": False, "title": "y"},
        {"number": 1, "headRefName": "docs/typo", "isCrossRepository": False, "title": "z"},
    ]))  # fmt: skip
    run_step(find, work, env, GH_TOKEN="t0ken", GH_PULLS=str(pulls))
    assert (temp / "branches.txt").read_text() == f"alert/{INCIDENT}\n"
    run_step(
        apply,
        work,
        env,
        FORMAT="alertmanager",
        PAYLOAD=str(FIXTURES / "alertmanager-resolved.json"),
    )
    assert (temp / "new-branches.txt").read_text() == ""  # its own pull request is updated
    log = git_out(origin, "log", "--format=%s", f"alert/{INCIDENT}").splitlines()
    assert log == [f"Alert (alertmanager): {INCIDENT}.md"] * 2 + ["site"]
    assert "## Monitoring" in git_out(origin, "show", f"alert/{INCIDENT}:incidents/{INCIDENT}.md")
