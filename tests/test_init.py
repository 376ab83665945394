"""`statuspage init`: a new site that checks and builds with no edits, and never overwrites."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from statuspage import __version__
from statuspage.commands.main import cli

from .conftest import REPO, parse_html, text_of


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
    for name in ("publish.yml", "check.yml"):
        shipped = (target / ".github" / "workflows" / name).read_text()
        assert shipped == (REPO / ".github" / "workflows" / name).read_text(), f"{name} differs from the repository's"

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
    assert 'Acme: "Status"' in text_of(parse_html(tmp_path / "_site" / "index.html").cssselect("title")[0])


def test_the_workflows_install_this_release() -> None:
    for name in ("publish.yml", "check.yml"):
        text = (REPO / ".github" / "workflows" / name).read_text()
        assert f"STATUSPAGE_REQUIREMENT: git-statuspage=={__version__}\n" in text, name
