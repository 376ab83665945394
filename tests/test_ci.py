"""statuspage's own CI: `.github/workflows/ci.yml` runs the very scripts `bash .ci/run` runs,
lint first, on every Python version pyproject.toml claims, with least privilege."""

from __future__ import annotations

import ast
import re
import subprocess
import tomllib
from pathlib import Path

from .conftest import REPO
from .support.workflows import WORKFLOWS, load, steps

CI = REPO / ".ci"
# `bash .ci/NAME ...`; for .ci/suite also its argument (which versions it tests).
CALL = re.compile(r"\bbash \.ci/([\w-]+)(?: (\S+))?")


def calls(script: str) -> list[str]:
    """The .ci/ scripts a shell script runs, in order: `lint`, `suite newest`, ..."""
    return [f"{name} {arg}" if name == "suite" else name for name, arg in CALL.findall(script)]


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_ci_workflow_runs_the_scripts_ci_run_runs() -> None:
    local = calls((CI / "run").read_text())
    assert local[0] == "lint", "lint runs first: it fails fastest"
    assert local[1] == "docs", "then the manual: a minute, and it fails on a broken link"
    suites = {"suite newest", "suite locked", "suite lowest"}
    assert set(local) == {"lint", "docs", "test-tools", "release-check", *suites}
    data = load(WORKFLOWS / "ci.yml")
    in_ci: set[str] = set()
    for job in data["jobs"].values():
        matrix = job.get("strategy", {}).get("matrix", {}).get("include", [])
        for step in job["steps"]:
            for call in calls(step.get("run", "")):
                if call == 'suite "$DEPS"':
                    assert step["env"]["DEPS"] == "${{ matrix.deps }}"
                    # The real cState corpus, checked out beside the repository at its commit.
                    assert step["env"]["CSTATE_CORPUS"].endswith("/.corpus/jenkins-infra-status")
                    in_ci |= {f"suite {cell['deps']}" for cell in matrix}
                else:
                    in_ci.add(call)
    assert in_ci == set(local)


def test_ci_workflow_lints_first_then_runs_the_rest_in_parallel() -> None:
    jobs = load(WORKFLOWS / "ci.yml")["jobs"]
    assert "needs" not in jobs["lint"]
    assert calls("\n".join(s.get("run", "") for s in jobs["lint"]["steps"])) == ["lint"]
    needs = {name: job.get("needs") for name, job in jobs.items() if name != "lint"}
    assert needs == {"suite": "lint", "release": "lint", "docs": "lint"}
    # The suite's jobs install every tool first: under CI=true a missing one fails a test.
    suite = calls("\n".join(s.get("run", "") for s in jobs["suite"]["steps"]))
    assert suite == ["test-tools", 'suite "$DEPS"']
    # On Debian, whose chromium is a package (Ubuntu's is a snap), as .ci/test-tools expects.
    assert jobs["suite"]["container"]["image"] == "python:${{ matrix.python }}-trixie"


def test_ci_tests_every_python_version_pyproject_claims() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    prefix = "Programming Language :: Python :: "
    minors = [
        c.removeprefix(prefix) for c in project["classifiers"] if re.fullmatch(r".* 3\.\d+", c)
    ]
    claimed = sorted(minors, key=version)
    assert len(claimed) >= 4 and project["requires-python"] == f">={claimed[0]}"
    matrix = load(WORKFLOWS / "ci.yml")["jobs"]["suite"]["strategy"]["matrix"]["include"]
    pythons = {
        deps: sorted((cell["python"] for cell in matrix if cell["deps"] == deps), key=version)
        for deps in ("newest", "locked", "lowest")
    }
    assert pythons["newest"] == claimed
    # The lock on the oldest and the newest Python; the lowest versions on the oldest only.
    assert pythons["locked"] == [claimed[0], claimed[-1]]
    assert pythons["lowest"] == [claimed[0]]


def test_ci_workflow_has_least_privilege() -> None:
    data = load(WORKFLOWS / "ci.yml")
    assert set(data["on"]) == {"pull_request", "push", "workflow_dispatch"}
    assert data["on"]["push"] == {"branches": ["main"]}
    assert data["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in data["jobs"].values())
    checkouts = [s for s in steps(data) if s.get("uses", "").startswith("actions/checkout@")]
    # One of this repository per job, and the cState corpus for the suite, at a fixed commit.
    own = [s for s in checkouts if "repository" not in s["with"]]
    assert len(own) == len(data["jobs"])
    assert [
        (s["with"]["repository"], len(s["with"]["ref"])) for s in checkouts if s not in own
    ] == [("jenkins-infra/status", 40)]
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)
    text = (WORKFLOWS / "ci.yml").read_text()
    assert "secrets." not in text and "github.token" not in text


def test_the_newest_run_is_the_readmes_commands_exactly_as_written() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    # run_pytest wraps a command only to fail loudly when pytest collects nothing (exit 5).
    suite = (CI / "suite").read_text().replace("run_pytest ", "")
    readme_commands = (
        "pip install . && statuspage build",
        "pip install '.[test]' && python -m pytest",
    )
    for command in readme_commands:
        assert f"```sh\n{command}\n```" in readme
        assert re.search(rf"^ +{re.escape(command)} ", suite, re.MULTILINE), command


def test_suite_refuses_an_unknown_set_of_versions() -> None:
    command = ["bash", str(CI / "suite"), "newer"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == "usage: bash .ci/suite newest|locked|lowest\n"


def imported_modules(path: Path) -> set[str]:
    """Every module *path* imports, as an absolute dotted name (relative ones resolved)."""
    package = ["tests", *path.parent.relative_to(REPO / "tests").parts]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_no_test_module_imports_another() -> None:
    # Helpers shared between test modules live in tests/support, fixtures in tests/conftest.py.
    paths = sorted((REPO / "tests").rglob("*.py"))
    offenders = {
        f"{path.relative_to(REPO)} imports {module}"
        for path in paths
        if "node_modules" not in path.parts
        for module in imported_modules(path)
        if re.fullmatch(r"tests(\.\w+)*\.test_\w+", module)
    }
    assert not offenders, sorted(offenders)
    assert imported_modules(REPO / "tests/test_ci.py") >= {
        "tests.support.workflows",
        "tests.conftest",
    }


def test_lint_covers_the_tests_and_benchmarks_as_contributing_says() -> None:
    lint = (CI / "lint").read_text()
    linted = "statuspage tests bench docs/_ext"
    assert f'"$scratch/lint/bin/ruff" check {linted}\n' in lint
    assert f'"$scratch/lint/bin/ruff" format --check {linted}\n' in lint
    assert '"$scratch/lint/bin/mypy" --strict statuspage\n' in lint
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"| lint | `ruff check {linted}` |" in contributing
    assert f"| format | `ruff format --check {linted}`" in contributing
    assert "| types | `mypy --strict statuspage` |" in contributing
