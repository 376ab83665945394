"""Publishing: CNAME/.nojekyll in the output, and the workflows' and action's own logic.

The shell steps of the workflows and the action are run here for real (with bash,
against a site in tmp_path), so their base-URL decisions are tested, not just read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CONFIG, REPO, SiteDir, parse_html
from .support.workflows import WORKFLOWS, load, run_step, step, steps

PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def test_build_writes_nojekyll_and_cname_from_config(tmp_path: Path) -> None:
    plain = SiteDir(tmp_path / "plain")
    out = plain.build("2026-11-21 10:00")
    assert (out / ".nojekyll").read_bytes() == b""
    assert not (out / "CNAME").exists()

    custom = SiteDir(tmp_path / "custom", CONFIG.replace("https://status.test.example/sub/", "https://Status.Test.example/") + "cname: Status.Test.example\n")  # fmt: skip
    assert custom.problems() == []
    out = custom.build("2026-11-21 10:00")
    assert (out / "CNAME").read_text() == "status.test.example\n"


def test_cname_must_be_a_domain_and_match_base_url(tmp_path: Path) -> None:
    bad = SiteDir(tmp_path / "bad", CONFIG + "cname: https://status.test.example/\n")
    line = CONFIG.count("\n") + 1
    assert bad.problems() == [f"statuspage.yaml:{line}: `cname:` must be a bare domain name like status.acme.example, not 'https://status.test.example/'"]  # fmt: skip
    other = SiteDir(tmp_path / "other", CONFIG + "cname: status.other.example\n")
    assert other.problems() == [
        f"statuspage.yaml:{line}: warning: `cname:` is status.other.example but `base_url:` is "
        "https://status.test.example/sub/; set base_url to https://status.other.example/"
    ]


@pytest.mark.parametrize(
    "path", [*sorted(WORKFLOWS.glob("*.yml")), REPO / "action.yml"], ids=lambda p: p.name
)
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    uses = [s["uses"] for s in steps(load(path)) if "uses" in s]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
    for line in path.read_text().splitlines():
        if "uses:" in line and "@" in line and not line.lstrip().startswith("#"):
            assert re.search(r"# v\d+\.\d+\.\d+$", line), (
                f"say which version the SHA is: {line.strip()}"
            )


def test_publish_workflow_triggers_permissions_and_concurrency() -> None:
    data = load(WORKFLOWS / "publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["on"]["schedule"] == [{"cron": "*/15 * * * *"}, {"cron": "7 4 * * *"}]
    assert "workflow_dispatch" in data["on"]
    assert data["permissions"] == {}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = data["jobs"]
    # actions: read only serves `pages_extra:`'s download (the step is a no-op without it).
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read", "actions": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["notify"]["permissions"] == {"contents": "write"}
    assert jobs["deploy"]["needs"] == "build" and set(jobs["notify"]["needs"]) == {
        "build",
        "deploy",
    }
    used = [s.get("uses", "").split("@")[0] for s in steps(data)]
    pages = [u for u in used if "pages" in u]
    assert pages == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    notify = jobs["notify"]["steps"]
    assert any("statuspage notify" in s.get("run", "") for s in notify)
    sending = step(data, "Send notifications")
    assert all(v.startswith("${{ secrets.") for v in sending["env"].values())
    # No step keeps a token in .git/config; only the pushing step gets one, in its env.
    checkouts = [s for s in steps(data) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)
    tokens = [s["name"] for s in steps(data) if "github.token" in str(s.get("env", {}))]
    assert tokens == ["Pull the providers' status and push what changed", "Find the GitHub Pages address",
                      "Add what another workflow publishes beside the page", "Download the build",
                      "Save the record of sent notifications", "Keep the schedule enabled"]  # fmt: skip


def test_the_schedule_keeps_itself_enabled_once_a_day() -> None:
    data = load(WORKFLOWS / "publish.yml")
    job = data["jobs"]["keepalive"]
    daily = data["on"]["schedule"][1]["cron"]
    assert job["if"] == f"github.event_name == 'schedule' && github.event.schedule == '{daily}'"
    assert job["permissions"] == {"actions": "write"} and "needs" not in job
    (only,) = job["steps"]
    enable = (
        'gh api --method PUT "repos/$GITHUB_REPOSITORY/actions/workflows/${workflow##*/}/enable'
    )
    assert enable in only["run"] and "${GITHUB_WORKFLOW_REF%@*}" in only["run"]
    assert only["env"] == {"GH_TOKEN": "${{ github.token }}"}
    # No other job may write `actions:` (mirror-s3 reads this run's artifact); this one asks for nothing else.
    others = [job for name, job in data["jobs"].items() if name != "keepalive"]
    assert all(job.get("permissions", {}).get("actions") in (None, "read") for job in others)


def test_saving_the_notification_record_pushes_without_stored_credentials(tmp_path: Path) -> None:
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
           "-c", "init.defaultBranch=main"]  # fmt: skip
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    subprocess.run([*git, "init", "-q", "--bare", str(origin)], check=True)
    subprocess.run([*git, "clone", "-q", str(origin), str(work)], check=True, capture_output=True)
    (work / "statuspage.yaml").write_text("title: T\n")
    subprocess.run([*git, "-C", str(work), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "-q", "-m", "site"], check=True)
    push = [*git, "-C", str(work), "push", "-q", "origin", "HEAD:main"]
    subprocess.run(push, check=True, capture_output=True)
    (work / ".statuspage").mkdir()
    (work / ".statuspage" / "notified.json").write_text("{}\n")
    save = step(load(WORKFLOWS / "publish.yml"), "Save the record of sent notifications")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_TOKEN": "t0ken"}  # fmt: skip
    run_step(save["run"], work, env)
    log = ["git", "-C", str(origin), "log", "-1", "--format=%s", "main"]
    pushed = subprocess.run(log, capture_output=True, text=True, check=True)
    assert pushed.stdout.strip() == "Record sent notifications [skip ci]"
    assert "extraheader" not in (work / ".git" / "config").read_text()


def test_check_workflow_runs_on_pull_requests_with_annotations() -> None:
    data = load(WORKFLOWS / "check.yml")
    assert list(data["on"]) == ["pull_request"]
    assert data["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in steps(data)]
    assert "statuspage check --format github" in runs
    assert "statuspage build" in runs
    # What users get checks and builds their page, nothing more: statuspage's own tests,
    # which need browser tools a plain runner lacks, run in its ci.yml.
    assert not any("pytest" in r or ".[test]" in r for r in runs)


def test_action_is_composite_with_source_python_and_site_path() -> None:
    data = load(REPO / "action.yml")
    assert data["runs"]["using"] == "composite"
    assert {"source", "python-version", "base-url"} <= set(data["inputs"])
    assert "site-path" in data["outputs"]
    for s in steps(data):
        assert "uses" in s or s.get("shell") == "bash", f"composite run steps need a shell: {s}"


# --- the workflows' shell steps, run for real ----------------------------------


def canonical(site: Path) -> str:
    return parse_html(site / "index.html").cssselect('link[rel="canonical"]')[0].get("href")


def test_publish_builds_for_the_pages_address_unless_cname_is_set(
    tmp_path: Path, shell_env: dict[str, str]
) -> None:
    data = load(WORKFLOWS / "publish.yml")
    settings, build_step = step(data, "Read the site settings"), step(data, "Build")
    pages = {"PAGES_URL": "https://octo.github.io/status", "PAGES_HOST": "octo.github.io"}

    plain = SiteDir(tmp_path / "plain")
    _, found = run_step(settings["run"], plain.root, shell_env)
    assert found == {
        "cname": "",
        "notify": "false",
        "pages_extra": "",
        "mirror-s3": "false",
        "private-s3": "false",
    }
    run_step(build_step["run"], plain.root, shell_env, CNAME=found["cname"], **pages)
    assert canonical(plain.root / "_site") == "https://octo.github.io/status/"

    config = CONFIG.replace("https://status.test.example/sub/", "https://status.test.example/")
    custom = SiteDir(tmp_path / "custom", config + "cname: status.test.example\n")
    _, found = run_step(settings["run"], custom.root, shell_env)
    assert found == {
        "cname": "status.test.example",
        "notify": "false",
        "pages_extra": "",
        "mirror-s3": "false",
        "private-s3": "false",
    }
    stdout, _ = run_step(build_step["run"], custom.root, shell_env, CNAME=found["cname"], **pages)
    assert canonical(custom.root / "_site") == "https://status.test.example/"
    assert (
        "::warning file=statuspage.yaml::cname is status.test.example but GitHub Pages serves"
        in stdout
    )


def test_action_build_step_uses_base_url_input_and_reports_site_path(
    tmp_path: Path, shell_env: dict[str, str]
) -> None:
    build_step = step(load(REPO / "action.yml"), "Build")
    site = SiteDir(tmp_path / "repo" / "status")
    _, outputs = run_step(build_step["run"], tmp_path / "repo", shell_env, SOURCE="status", BASE_URL="https://octo.github.io/status")  # fmt: skip
    assert outputs == {"site-path": "status/_site"}
    assert canonical(site.root / "_site") == "https://octo.github.io/status/"


def test_release_workflow_checks_then_publishes_with_trusted_publishing() -> None:
    data = load(WORKFLOWS / "release.yml")
    assert data["on"] == {"push": {"tags": ["v*"]}} and data["permissions"] == {}
    jobs = data["jobs"]
    check = "bash .ci/release-check dist release-notes.md"
    assert any(check in s.get("run", "") for s in jobs["build"]["steps"])
    assert jobs["pypi"]["environment"]["name"] == "pypi"
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}
    publish = "pypa/gh-action-pypi-publish@"
    assert any(s.get("uses", "").startswith(publish) for s in jobs["pypi"]["steps"])
    oidc = [name for name, job in jobs.items() if "id-token" in job.get("permissions", {})]
    assert oidc == ["pypi"]
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    assert set(jobs["github-release"]["needs"]) == {"build", "pypi"}
    assert any("gh release create" in s.get("run", "") for s in jobs["github-release"]["steps"])


FAKE_GH = """#!/bin/sh
# GitHub's CLI as the publish step uses it, answering from files (GitHub is not reachable).
echo "$@" >> "$GH_CALLS"
case "$1 $2" in
  "run list") cat "$GH_RUNS" ;;
  "run download")
    while [ $# -gt 0 ]; do [ "$1" = --dir ] && dir="$2"; shift; done
    [ -d "$GH_ARTIFACT" ] || { echo "no artifact" >&2; exit 1; }
    mkdir -p "$dir" && cp -R "$GH_ARTIFACT/." "$dir/" ;;
esac
"""


@pytest.fixture
def extra_step(tmp_path: Path, shell_env: dict[str, str]):
    """Runs publish.yml's step that adds another workflow's `pages-extra` beside a built page."""
    work = tmp_path / "work"
    site = work / "_site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("the page")
    gh = Path(shell_env["PATH"].split(os.pathsep)[0]) / "gh"
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    artifact = tmp_path / "artifact"
    (artifact / "docs").mkdir(parents=True)
    (artifact / "docs" / "index.html").write_text("the manual")
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    env = dict(shell_env, GH_CALLS=str(tmp_path / "calls"), GH_RUNS=str(tmp_path / "runs"),
               GH_ARTIFACT=str(artifact), RUNNER_TEMP=str(runner_temp), GITHUB_REPOSITORY="acme/status")  # fmt: skip
    (tmp_path / "runs").write_text("42\n")
    script = step(
        load(WORKFLOWS / "publish.yml"), "Add what another workflow publishes beside the page"
    )["run"]

    def run(workflow: str) -> subprocess.CompletedProcess[str]:
        output = work / ".github-output"
        output.write_text("")
        return subprocess.run(["bash", "-e", "-c", script], cwd=work, capture_output=True, text=True, timeout=60,
                              env={**env, "EXTRA_WORKFLOW": workflow, "GITHUB_OUTPUT": str(output)})  # fmt: skip

    return run, work, artifact, tmp_path


def _deployed_dir(work: Path) -> Path:
    values = dict(line.split("=", 1) for line in (work / ".github-output").read_text().splitlines())
    folder = Path(values["dir"])
    return folder if folder.is_absolute() else work / folder


def test_publish_deploys_the_page_alone_unless_an_extra_workflow_is_named(extra_step) -> None:
    run, work, _, tmp_path = extra_step
    done = run("")
    assert done.returncode == 0, done.stderr
    assert _deployed_dir(work) == work / "_site"
    assert not (tmp_path / "calls").exists()  # GitHub is not even asked


def test_publish_deploys_the_extra_workflows_files_beside_the_page(extra_step) -> None:
    run, work, _, tmp_path = extra_step
    done = run("docs.yml")
    assert done.returncode == 0, done.stderr
    deployed = _deployed_dir(work)
    assert (deployed / "index.html").read_text() == "the page"
    assert (deployed / "docs" / "index.html").read_text() == "the manual"
    assert not (work / "_site" / "docs").exists()  # the build's own folder stays the page alone
    calls = (tmp_path / "calls").read_text()
    assert "--workflow docs.yml --branch main" in calls and "run download 42" in calls


def test_publish_never_lets_the_extra_files_replace_the_page(extra_step) -> None:
    run, work, artifact, _ = extra_step
    (artifact / "index.html").write_text("defaced")
    done = run("docs.yml")
    assert done.returncode == 1
    assert (
        "::error::docs.yml's pages-extra would replace files of the page: index.html" in done.stdout
    )
    assert (work / "_site" / "index.html").read_text() == "the page"


def test_publish_deploys_the_page_alone_when_the_extra_files_cannot_be_had(extra_step) -> None:
    run, work, artifact, tmp_path = extra_step
    shutil.rmtree(artifact)  # expired
    done = run("docs.yml")
    assert done.returncode == 0, done.stderr
    assert "::warning::no pages-extra artifact" in done.stdout
    assert _deployed_dir(work) == work / "_site"
    (tmp_path / "runs").write_text("")  # no successful run yet
    assert run("docs.yml").returncode == 0
