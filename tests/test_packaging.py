"""The wheel carries the default theme, so a plain `pip install` builds a site."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLE_INCIDENT, REPO, SiteDir
from .support.venvs import make_venv, pip_install


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    pytest.importorskip(
        "hatchling", reason="building the wheel needs hatchling (in the test extra)"
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return next(out.glob("git_statuspage-*.whl"))


def test_wheel_ships_the_theme(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {
        p.relative_to(REPO / "site-templates").as_posix()
        for p in (REPO / "site-templates").rglob("*")
        if p.is_file()
    }
    assert theme, "the repo has no theme?"
    assert {f"statuspage/site-templates/{name}" for name in theme} <= names


def test_installed_wheel_builds_a_site(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    python = make_venv(env_dir)
    pip_install(python, str(wheel))
    site = SiteDir(tmp_path / "site")
    site.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    # Run from the site folder, so the checkout's own package cannot be imported by accident.
    result = subprocess.run(
        [python, "-c", "import statuspage, sys; print(statuspage.__file__)"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in result.stdout
    result = subprocess.run(
        [python, "-m", "statuspage", "build", "--now", "2026-11-26 10:00"],
        cwd=site.root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (site.root / "_site" / "incidents" / "2026-11-20-api-errors" / "index.html").is_file()


def test_wheel_ships_compiled_catalogs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    catalogs = {
        p.relative_to(REPO).as_posix()
        for p in (REPO / "statuspage" / "locale").glob("*/LC_MESSAGES/statuspage.mo")
    }
    assert len(catalogs) >= 7 and catalogs <= names


def test_one_version_in_cli_metadata_wheel_and_changelog(wheel: Path) -> None:
    """`statuspage --version`, the installed metadata, the built wheel and the changelog agree."""
    from statuspage import __version__

    command = [sys.executable, "-m", "statuspage", "--version"]
    printed = subprocess.run(command, capture_output=True, text=True, check=True)
    assert printed.stdout.split() == ["statuspage,", "version", __version__]
    installed = importlib.metadata.version("git-statuspage")
    assert installed == __version__, "stale install: run `pip install -e .` again"
    info = f"git_statuspage-{__version__}.dist-info/METADATA"
    assert f"\nVersion: {__version__}\n" in zipfile.ZipFile(wheel).read(info).decode()
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d[^\]]*)\] - \d{4}-\d{2}-\d{2}$", changelog, re.MULTILINE)
    assert releases and releases[0] == __version__, "CHANGELOG.md's newest release is another"


def test_lock_file_pins_every_requirement_within_its_bounds() -> None:
    """requirements/ci.lock.txt (CI installs from it) honours pyproject.toml; regenerate it with
    the command at its top when a bound changes."""
    # packaging comes with hatchling (test extra).
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (REPO / "requirements" / "ci.lock.txt").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", lock, re.MULTILINE))
    pinned = {canonicalize_name(name): version for name, version in pinned.items()}
    extras = project["optional-dependencies"]
    for line in [*project["dependencies"], *extras["test"], *extras["lint"]]:
        wanted = Requirement(line)
        name = canonicalize_name(wanted.name)
        assert name in pinned, f"{wanted.name} is not in requirements/ci.lock.txt"
        assert wanted.specifier.contains(pinned[name]), (
            f"lock has {name}=={pinned[name]}, not {wanted}"
        )
