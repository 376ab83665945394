"""`.github/workflows/preview.yml` and `preview-comment.yml`: their triggers and tokens,
and their shell steps run for real with bash: the diff step in a clone of a bare origin
holding a base and a pull request branch, the comment step against a stand-in for
GitHub's API on 127.0.0.1 (one comment, updated in place; the artifact's text is data)."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .support.diff_repos import CONFIG as SITE_CONFIG
from .support.diff_repos import GIT, OPEN
from .support.workflows import WORKFLOWS, load, run_step, step, steps

HEAD_SHA = "0123456789abcdef0123456789abcdef01234567"
MARKER = "<!-- statuspage-preview -->"


def run_scripts(data: dict) -> list[str]:
    return [s["run"] for s in steps(data) if "run" in s]


def test_preview_runs_the_pull_request_with_a_read_only_token() -> None:
    data = load(WORKFLOWS / "preview.yml")
    assert data["on"] == {"pull_request": None}
    assert data["permissions"] == {"contents": "read"}
    (job,) = data["jobs"].values()
    assert "permissions" not in job
    checkout = next(s for s in steps(data) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"persist-credentials": False, "fetch-depth": 0}
    for script in run_scripts(data):
        assert "${{" not in script  # untrusted values only through env
    uploads = [
        s["with"]["name"]
        for s in steps(data)
        if s.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert uploads == ["status-page-diff", "status-page-site"]


def test_the_commenter_never_runs_the_pull_requests_code() -> None:
    data = load(WORKFLOWS / "preview-comment.yml")
    assert data["on"] == {"workflow_run": {"workflows": ["Preview"], "types": ["completed"]}}
    assert data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    uses = [s["uses"].split("@")[0] for s in steps(data) if "uses" in s]
    assert uses == ["actions/download-artifact"]  # no checkout, no setup, no statuspage
    assert not re.search(r"(^|[;&|(]\s*)statuspage\s", "\n".join(run_scripts(data)), re.MULTILINE)
    for script in run_scripts(data):
        assert "${{" not in script
    for name in ("preview.yml", "preview-comment.yml"):
        assert "pull_request_target" not in (WORKFLOWS / name).read_text()


@pytest.fixture
def clone(tmp_path: Path) -> tuple[Path, str]:
    """A clone of a bare origin whose main holds a site, checked out at a pull request
    branch that opens an incident; the base commit."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    subprocess.run([*GIT, "init", "-q", "--bare", str(origin)], check=True)
    subprocess.run([*GIT, "clone", "-q", str(origin), str(work)], check=True, capture_output=True)
    (work / "statuspage.yaml").write_text(SITE_CONFIG)
    (work / "incidents").mkdir()
    (work / "incidents" / ".keep").write_text("")
    for args in (
        ["add", "-A"],
        ["commit", "-q", "-m", "site"],
        ["push", "-q", "origin", "HEAD:main"],
    ):
        subprocess.run([*GIT, "-C", str(work), *args], check=True, capture_output=True)
    base = subprocess.run(
        [*GIT, "-C", str(work), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    )
    subprocess.run([*GIT, "-C", str(work), "checkout", "-q", "-b", "pr"], check=True)
    (work / "incidents" / "2026-12-07-api.md").write_text(
        OPEN.replace("title: API errors", 'title: "API errors @acme/ops #5"')
    )
    for args in (["add", "-A"], ["commit", "-q", "-m", "incident"]):
        subprocess.run([*GIT, "-C", str(work), *args], check=True, capture_output=True)
    return work, base.stdout.strip()


def test_the_diff_step_writes_the_summary_and_the_comment(
    tmp_path: Path, clone: tuple[Path, str], shell_env: dict[str, str]
) -> None:
    work, base = clone
    script = step(load(WORKFLOWS / "preview.yml"), "Show what customers would see change")["run"]
    temp, summary = tmp_path / "runner-temp", tmp_path / "summary.md"
    temp.mkdir()
    env = {**shell_env, "SOURCE_DATE_EPOCH": "1796637600"}  # 2026-12-07 11:00 +01:00
    run_step(
        script,
        work,
        env,
        BASE_SHA=base,
        PR_NUMBER="42",
        RUNNER_TEMP=str(temp),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    written = summary.read_text()
    assert written.startswith("### Status page preview: Customers would see a change")
    assert "Needs a second reviewer" in written and "notification" in written
    assert "@\u200dacme/ops #\u200d5" in written
    assert (temp / "preview" / "comment.md").read_text() == written  # short: not cut
    assert (temp / "preview" / "pr-number").read_text() == "42\n"
    # A pull request that changes nothing customers see passes too.
    subprocess.run([*GIT, "-C", str(work), "checkout", "-q", "main"], check=True)
    summary.unlink()
    run_step(
        script,
        work,
        env,
        BASE_SHA=base,
        PR_NUMBER="43",
        RUNNER_TEMP=str(temp),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert "No change customers would see" in summary.read_text()
    # A broken site fails the step (diff exits 2).
    (work / "statuspage.yaml").write_text("title: [\n")
    subprocess.run([*GIT, "-C", str(work), "commit", "-q", "-am", "broken"], check=True)
    done = subprocess.run(["bash", "-e", "-c", script], cwd=work, capture_output=True, text=True, timeout=120,
                          env={**env, "BASE_SHA": base, "PR_NUMBER": "44", "RUNNER_TEMP": str(temp),
                               "GITHUB_STEP_SUMMARY": str(summary)})  # fmt: skip
    assert done.returncode == 2, done.stderr


class FakeGitHub(BaseHTTPRequestHandler):
    """The three calls the commenter makes, answered from `self.server.state`."""

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, code: int, data: object) -> None:
        body = json.dumps(data).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        state = self.server.state  # type: ignore[attr-defined]
        state["calls"].append(("GET", self.path, self.headers.get("Authorization")))
        if self.path == "/repos/o/r/pulls/42":
            self._reply(200, {"number": 42, "head": {"sha": state["head"]}})
        elif self.path.startswith("/repos/o/r/issues/42/comments"):
            self._reply(200, state["comments"])
        else:
            self._reply(404, {"message": "Not Found"})

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_POST(self) -> None:
        state = self.server.state  # type: ignore[attr-defined]
        state["calls"].append(("POST", self.path, None))
        body = self._body()["body"]
        state["comments"] += [
            {"id": 900, "user": {"login": "someone"}, "body": MARKER + " forged by a person"},
            {"id": 901, "user": {"login": "github-actions[bot]"}, "body": body},
        ]
        self._reply(201, {"id": 901})

    def do_PATCH(self) -> None:
        state = self.server.state  # type: ignore[attr-defined]
        state["calls"].append(("PATCH", self.path, None))
        body = self._body()["body"]
        for comment in state["comments"]:
            if self.path == f"/repos/o/r/issues/comments/{comment['id']}":
                comment["body"] = body
        self._reply(200, {})


@pytest.fixture
def github() -> Iterator[tuple[str, dict]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    server.state = {"head": HEAD_SHA, "comments": [], "calls": []}  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.state  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def comment_step(
    tmp_path: Path, api: str, shell_env: dict[str, str], number: str, text: str
) -> subprocess.CompletedProcess[str]:
    preview, temp = tmp_path / "preview", tmp_path / "runner-temp"
    preview.mkdir(exist_ok=True)
    temp.mkdir(exist_ok=True)
    (preview / "pr-number").write_text(number)
    (preview / "comment.md").write_text(text)
    script = step(load(WORKFLOWS / "preview-comment.yml"), "Post or update the comment")["run"]
    env = {**shell_env, "GITHUB_API_URL": api, "GITHUB_REPOSITORY": "o/r", "GITHUB_TOKEN": "t0ken",
           "HEAD_SHA": HEAD_SHA, "PREVIEW": str(preview), "RUNNER_TEMP": str(temp)}  # fmt: skip
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_comment_updated_in_place(
    tmp_path: Path, github: tuple[str, dict], shell_env: dict[str, str]
) -> None:
    api, state = github
    hostile = "### Preview\n$(touch pwned) `touch pwned2` '; touch pwned3\n"
    first = comment_step(tmp_path, api, shell_env, "42\n", hostile)
    assert first.returncode == 0, first.stderr
    assert "Commented on pull request 42." in first.stdout
    bot = next(c for c in state["comments"] if c["id"] == 901)
    assert bot["body"] == f"{MARKER}\n{hostile}"  # the text, as data
    assert not list(tmp_path.rglob("pwned*"))
    assert all(auth == "Bearer t0ken" for method, _, auth in state["calls"] if method == "GET")
    second = comment_step(tmp_path, api, shell_env, "42\n", "### Preview\nsecond push\n")
    assert second.returncode == 0, second.stderr
    assert "Updated the preview comment on pull request 42." in second.stdout
    assert [c["id"] for c in state["comments"]] == [900, 901]  # no second comment
    assert bot["body"] == f"{MARKER}\n### Preview\nsecond push\n"
    assert (
        state["comments"][0]["body"] == MARKER + " forged by a person"
    )  # only the bot's is edited
    assert [(m, p) for m, p, _ in state["calls"] if m != "GET"] == [
        ("POST", "/repos/o/r/issues/42/comments"),
        ("PATCH", "/repos/o/r/issues/comments/901"),
    ]


def test_the_artifacts_number_is_checked(
    tmp_path: Path, github: tuple[str, dict], shell_env: dict[str, str]
) -> None:
    api, state = github
    forged = comment_step(tmp_path, api, shell_env, "42; touch pwned", "x")
    assert forged.returncode == 1
    assert "::error::the artifact's pull request number is not a number" in forged.stdout
    assert state["calls"] == [] and not list(tmp_path.rglob("pwned*"))
    # Another pull request's number (its head is not the commit this run checked): no comment.
    state["head"] = "f" * 40
    moved = comment_step(tmp_path, api, shell_env, "42", "x")
    assert moved.returncode == 0, moved.stderr
    assert "no comment" in moved.stdout
    assert [m for m, _, _ in state["calls"]] == ["GET"]


def test_an_oversized_artifact_is_cut_under_githubs_limit(
    tmp_path: Path, github: tuple[str, dict], shell_env: dict[str, str]
) -> None:
    api, state = github
    done = comment_step(tmp_path, api, shell_env, "42", "é" * 100_000)
    assert done.returncode == 0, done.stderr
    body = state["comments"][-1]["body"]
    assert len(body) < 65_536 and body.startswith(MARKER) and set(body[len(MARKER) + 1 :]) == {"é"}
