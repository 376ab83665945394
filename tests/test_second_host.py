"""The publish workflow's second host: its upload step, run for real with the AWS CLI against
a real S3-compatible server on 127.0.0.1 (moto's), and every file fetched back byte for byte."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CONFIG, EXAMPLE_INCIDENT, SiteDir
from .support.workflows import WORKFLOWS, load, run_step, step

KEY_ID, SECRET = "AKIDFRESHTEST", "s3cr3t-never-printed"


def require(found: bool, what: str) -> None:
    # CI installs the test extra: there a missing tool is a failure, never a silent skip.
    if not found:
        message = f"{what} not installed: pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[str]:
    """moto's S3 server on a free 127.0.0.1 port; its URL."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        require(False, "moto[server]")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "moto.log").open("wb")
    with log, subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    ) as server:  # fmt: skip
        try:
            deadline = time.monotonic() + 60  # a loaded machine starts it slowly
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(url, timeout=5).close()
                    break
                except OSError:  # not listening yet, or too slow to answer (TimeoutError)
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def upload_step() -> str:
    job = load(WORKFLOWS / "publish.yml")["jobs"]["mirror-s3"]
    return next(s for s in job["steps"] if s.get("name") == "Upload to the bucket")["run"]


def test_the_mirror_job_runs_only_when_a_bucket_is_configured(
    tmp_path: Path,
    shell_env: dict[str, str],
) -> None:
    jobs = load(WORKFLOWS / "publish.yml")["jobs"]
    job = jobs["mirror-s3"]
    assert job["needs"] == "build" and job["if"] == "needs.build.outputs.mirror-s3 == 'true'"
    assert job["permissions"] == {"actions": "read"}
    # Its own job: GitHub Pages' deploy does not wait for it, nor it for GitHub Pages.
    assert "mirror-s3" not in str(jobs["deploy"].get("needs"))
    env = next(s for s in job["steps"] if s.get("name") == "Upload to the bucket")["env"]
    assert env["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.S3_SECRET_ACCESS_KEY }}"
    # The build job says whether the secret S3_BUCKET is set, and nothing more of it.
    settings = step(load(WORKFLOWS / "publish.yml"), "Read the site settings")
    site = SiteDir(tmp_path / "repo", CONFIG)
    for bucket, expected in (("", "false"), ("status-mirror", "true")):
        stdout, found = run_step(settings["run"], site.root, shell_env, S3_BUCKET=bucket)
        assert found["mirror-s3"] == expected and "status-mirror" not in stdout + str(found)


def test_the_upload_step_puts_the_same_build_in_a_bucket_byte_for_byte(
    tmp_path: Path, s3: str
) -> None:
    # The AWS CLI of the test extra sits beside this Python (GitHub's runners have their own).
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    require(shutil.which("aws", path=path) is not None, "the AWS CLI (awscli)")
    site = SiteDir(tmp_path / "repo", CONFIG)
    site.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    built = site.build("2026-11-21 10:00")
    env = dict(
        os.environ, PATH=path, AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION="us-east-1", S3_BUCKET="status-mirror", S3_ENDPOINT=s3,
        AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
    )  # fmt: skip
    subprocess.run(
        ["aws", "--endpoint-url", s3, "s3", "mb", "s3://status-mirror"],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    # A file from an older build that this one no longer has: the upload removes it.
    (tmp_path / "old.html").write_text("gone")
    subprocess.run(
        ["aws", "--endpoint-url", s3, "s3", "cp", str(tmp_path / "old.html"), "s3://status-mirror/old.html"],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    stdout, _ = run_step(upload_step(), site.root, env)
    assert stdout == "Published to s3://status-mirror/\n"
    assert SECRET not in stdout

    # Fetched back (the bucket is private, as it should be: with the keys), every file
    # the build wrote and nothing else, byte for byte.
    back = tmp_path / "back"
    subprocess.run(
        ["aws", "--endpoint-url", s3, "s3", "cp", "--recursive", "s3://status-mirror/", str(back)],
        env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    files = tree(built)
    assert len(files) > 30 and "_headers" in files and "index.html" in files
    assert tree(back) == files


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


PRIVATE_CONFIG = CONFIG + (
    "audiences:\n"
    "  - name: internal\n"
    "    base_url: https://status.internal.test.example/\n"
    "    title: Test Internal\n"
)
INTERNAL_INCIDENT = EXAMPLE_INCIDENT.replace(
    "title: Elevated error rates on the API", "title: Replica lag on db-7\naudience: internal"
)


def private_step(name: str) -> dict:
    job = load(WORKFLOWS / "publish.yml")["jobs"]["private"]
    return next(s for s in job["steps"] if s.get("name") == name)


def test_the_private_job_runs_only_when_its_bucket_is_set_and_keeps_its_page_to_itself(
    tmp_path: Path, shell_env: dict[str, str]
) -> None:
    jobs = load(WORKFLOWS / "publish.yml")["jobs"]
    job = jobs["private"]
    assert job["if"] == "${{ !cancelled() && needs.build.outputs.private-s3 == 'true' }}"
    assert job["permissions"] == {"contents": "read"}
    assert "private" not in str(jobs["deploy"].get("needs"))
    # Its page goes to the bucket only: no artifact or cache anyone reading the repository could get.
    uses = [s.get("uses", "") for s in job["steps"]]
    assert not any("artifact" in u or "cache" in u for u in uses)
    upload = private_step("Upload to the private bucket")["env"]
    assert upload["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.PRIVATE_S3_SECRET_ACCESS_KEY }}"
    settings = step(load(WORKFLOWS / "publish.yml"), "Read the site settings")
    site = SiteDir(tmp_path / "repo", PRIVATE_CONFIG)
    for bucket, expected in (("", "false"), ("acme-internal", "true")):
        stdout, found = run_step(settings["run"], site.root, shell_env, PRIVATE_S3_BUCKET=bucket)
        assert found["private-s3"] == expected and "acme-internal" not in stdout + str(found)


def test_the_private_job_builds_its_audience_and_puts_it_in_its_bucket(
    tmp_path: Path, s3: str, shell_env: dict[str, str]
) -> None:
    path = f"{Path(sys.executable).parent}{os.pathsep}{shell_env['PATH']}"
    require(shutil.which("aws", path=path) is not None, "the AWS CLI (awscli)")
    site = SiteDir(tmp_path / "repo", PRIVATE_CONFIG)
    site.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    site.incident(
        "2026-11-21-replica-lag.md", INTERNAL_INCIDENT.replace("2026-11-20", "2026-11-21")
    )
    env = dict(
        shell_env, PATH=path, AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION="us-east-1", PRIVATE_S3_BUCKET="acme-internal", PRIVATE_S3_ENDPOINT=s3,
        AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        SOURCE_DATE_EPOCH="1795338000",
    )  # fmt: skip
    subprocess.run(
        ["aws", "--endpoint-url", s3, "s3", "mb", "s3://acme-internal"],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    run_step(
        private_step("Build the private page")["run"], site.root, env, PRIVATE_AUDIENCE="internal"
    )
    stdout, _ = run_step(private_step("Upload to the private bucket")["run"], site.root, env)
    assert stdout == "Published the private page to s3://acme-internal/\n" and SECRET not in stdout
    back = tmp_path / "back"
    subprocess.run(
        ["aws", "--endpoint-url", s3, "s3", "cp", "--recursive", "s3://acme-internal/", str(back)],
        env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    files = tree(site.root / "_private")
    assert tree(back) == files
    assert "Replica lag on db-7" in files["incidents/2026-11-21-replica-lag/index.html"].decode()
    assert "https://status.internal.test.example/" in files["index.html"].decode()
    assert "sitemap.xml" not in files  # a page for some readers names its addresses nowhere
