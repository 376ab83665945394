"""`statuspage init`: a new site that checks and builds with no edits, and never overwrites."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PathDistribution
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from statuspage import __version__
from statuspage.commands._requirement import Requirement, requirement_for
from statuspage.commands.init import starter_files
from statuspage.commands.main import cli

from .conftest import REPO, parse_html, text_of
from .support.venvs import make_venv, pip_install


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_init_then_build_works_with_no_edits(tmp_path: Path) -> None:
    target = tmp_path / "acme-status"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert "Next steps" in result.output and "statuspage build" in result.output

    incidents = sorted((target / "incidents").glob("*.md"))
    assert len(incidents) == 1
    ignored = (target / ".gitignore").read_text().splitlines()
    assert "_site/" in ignored and "._site.*" in ignored and ".statuspage-cache/" in ignored
    for name in ("publish.yml", "check.yml", "alert.yml", "preview.yml", "preview-comment.yml"):
        shipped = (target / ".github" / "workflows" / name).read_text()
        assert shipped == (REPO / ".github" / "workflows" / name).read_text(), (
            f"{name} differs from the repository's"
        )

    checked = run("check", "--source", str(target))
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.output

    built = run("build", "--source", str(target))
    assert built.exit_code == 0, built.output
    page = parse_html(target / "_site" / "index.html")
    assert text_of(page.cssselect(".brand")[0]) == "Acme Status"
    assert "Example incident" in text_of(page)
    incident_id = incidents[0].stem
    assert (target / "_site" / "incidents" / incident_id / "index.html").is_file()


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "statuspage.yaml").write_text("title: Mine\n")
    (tmp_path / ".gitignore").write_text("*.pyc\n")
    result = run("init", str(tmp_path), "--title", "Acme Status")
    assert result.exit_code == 1
    assert "statuspage.yaml: already exists" in result.output
    assert "nothing was written" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore", "statuspage.yaml"]
    assert (tmp_path / "statuspage.yaml").read_text() == "title: Mine\n"
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n"


def test_init_adds_site_to_an_existing_gitignore(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc")
    result = run("init", str(tmp_path), "--title", 'Acme: "Status"')
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n_site/\n._site.*\n"
    built = run("build", "--source", str(tmp_path))
    assert built.exit_code == 0, built.output
    assert 'Acme: "Status"' in text_of(
        parse_html(tmp_path / "_site" / "index.html").cssselect("title")[0]
    )


def test_the_workflows_install_this_release() -> None:
    for name in ("publish.yml", "check.yml", "alert.yml", "preview.yml"):
        text = (REPO / ".github" / "workflows" / name).read_text()
        assert f"STATUSPAGE_REQUIREMENT: git-statuspage=={__version__}\n" in text, name


# --- the requirement init writes, for each way statuspage can be installed ---------------


@pytest.fixture(scope="module")
def source_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository of this checkout's source as it is now (committed or not); its commit."""
    src = tmp_path_factory.mktemp("statuspage-src") / "statuspage"
    anywhere = shutil.ignore_patterns(".git", "_site", "node_modules", ".statuspage-cache", "__pycache__",
                                      "*.egg-info", ".pytest_cache", ".hypothesis")  # fmt: skip
    # Only at the top: the package has a folder named build/ of its own.
    top = {"build", "dist", "bench", "docs", "tests"}

    def skip(folder: str, names: list[str]) -> set[str]:
        return set(anywhere(folder, names)) | (top & set(names) if Path(folder) == REPO else set())

    shutil.copytree(REPO, src, ignore=skip)
    git = ["git", "-C", str(src), "-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "statuspage"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return src, head.stdout.strip()


def init_with(python: Path, target: Path) -> tuple[str, str]:
    """Run that venv's `statuspage init TARGET`: (the requirement the workflows install, stderr)."""
    command = [python, "-m", "statuspage", "init", str(target)]
    done = subprocess.run(command, cwd=target.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    workflows = target / ".github" / "workflows"
    publish = yaml.safe_load((workflows / "publish.yml").read_text())
    for name in ("check.yml", "alert.yml", "preview.yml"):
        assert yaml.safe_load((workflows / name).read_text())["env"] == publish["env"]
    return publish["env"]["STATUSPAGE_REQUIREMENT"], done.stderr


def test_init_after_a_git_install_writes_that_url_and_commit(
    tmp_path: Path, source_repo: tuple[Path, str]
) -> None:
    src, commit = source_repo
    python = make_venv(tmp_path / "venv")
    pip_install(python, f"git+{src.as_uri()}@{commit}")
    requirement, stderr = init_with(python, tmp_path / "site")
    assert requirement == f"git-statuspage @ git+{src.as_uri()}@{commit}"
    # A file:// URL works on this machine only: say so.
    assert "STATUSPAGE_REQUIREMENT" in stderr and "cannot reach" in stderr


def test_init_after_installing_a_folder_pins_the_release_and_warns(
    tmp_path: Path, source_repo: tuple[Path, str]
) -> None:
    src, _ = source_repo
    python = make_venv(tmp_path / "venv")
    pip_install(python, ".", cwd=src)
    requirement, stderr = init_with(python, tmp_path / "site")
    assert requirement == f"git-statuspage=={__version__}"
    assert f"warning: statuspage {__version__} was installed from {src.as_uri()}" in stderr
    assert (
        "set STATUSPAGE_REQUIREMENT in .github/workflows/publish.yml, check.yml, alert.yml and preview.yml"
        in stderr
    )


def installed_metadata(
    root: Path, version: str, direct_url: dict[str, object] | None = None
) -> PathDistribution:
    """A distribution's metadata folder as pip writes it (no index is reachable from tests)."""
    info = root / f"git_statuspage-{version}.dist-info"
    info.mkdir(parents=True)
    metadata = f"Metadata-Version: 2.4\nName: git-statuspage\nVersion: {version}\n"
    (info / "METADATA").write_text(metadata)
    (info / "INSTALLER").write_text("pip\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
    return PathDistribution(info)


def test_requirement_for_index_vcs_archive_and_folder_installs(tmp_path: Path) -> None:
    index = requirement_for(installed_metadata(tmp_path / "index", "2.3.4"))
    assert index == Requirement("git-statuspage==2.3.4")

    repo, commit = "https://github.com/acme/statuspage.git", "a" * 40
    vcs_info = {"vcs": "git", "commit_id": commit, "requested_revision": "main"}
    vcs = {"url": repo, "vcs_info": vcs_info}
    from_git = requirement_for(installed_metadata(tmp_path / "vcs", "2.3.5.dev1", vcs))
    assert from_git == Requirement(f"git-statuspage @ git+{repo}@{commit}")

    wheel = "https://example.test/git_statuspage-2.3.4-py3-none-any.whl"
    archive = installed_metadata(tmp_path / "archive", "2.3.4", {"url": wheel, "archive_info": {}})
    assert requirement_for(archive) == Requirement(f"git-statuspage @ {wheel}")

    folder = {"url": "file:///home/me/statuspage", "dir_info": {"editable": True}}
    editable = requirement_for(installed_metadata(tmp_path / "dir", "2.3.6", folder))
    assert editable.text == "git-statuspage==2.3.6"
    assert editable.warning and "file:///home/me/statuspage" in editable.warning
    assert "STATUSPAGE_REQUIREMENT" in editable.warning

    bare = requirement_for(None)
    assert bare.text == f"git-statuspage=={__version__}"
    assert bare.warning and "STATUSPAGE_REQUIREMENT" in bare.warning


def test_init_writes_a_requirement_that_needs_yaml_quoting_intact(tmp_path: Path) -> None:
    requirement = "git-statuspage @ git+https://x.test/a.git@abc#subdirectory=py: x"
    files = starter_files("Acme Status", datetime(2026, 12, 1, tzinfo=UTC), requirement)
    for name in ("publish.yml", "check.yml", "alert.yml", "preview.yml"):
        data = yaml.safe_load(files[f".github/workflows/{name}"])
        assert data["env"]["STATUSPAGE_REQUIREMENT"] == requirement
