"""Shared by test modules: GitHub workflow files loaded and their shell steps run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from ..conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(data: dict) -> list[dict]:
    if "runs" in data:
        return data["runs"]["steps"]
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def step(data: dict, name: str) -> dict:
    return next(s for s in steps(data) if s.get("name") == name)


def run_step(
    script: str, cwd: Path, env: dict[str, str], **extra: str
) -> tuple[str, dict[str, str]]:
    """Run a step's `run:` with bash -e, as GitHub does; returns (stdout, what it wrote to GITHUB_OUTPUT)."""
    output = cwd / ".github-output"
    output.write_text("")
    result = subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env={**env, **extra, "GITHUB_OUTPUT": str(output)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    values = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return result.stdout, values
