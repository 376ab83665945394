"""The manual (docs/): its generated reference covers every command, option and output
schema, the README's links into it lead somewhere, and its workflow publishes it beside
the example status page, never to users' repositories. `bash .ci/docs` builds it with
warnings as errors (broken links and anchors included); these tests need no Sphinx."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from .conftest import REPO
from .test_publishing import WORKFLOWS, load, steps

DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def generated() -> ModuleType:
    """docs/_ext/statuspage_docs.py, the Sphinx extension that writes the reference."""
    spec = importlib.util.spec_from_file_location(
        "statuspage_docs", DOCS / "_ext" / "statuspage_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("statuspage_docs", module)
    spec.loader.exec_module(module)
    return module


# --- the command line --------------------------------------------------------------------


def test_every_command_and_option_has_help(generated: ModuleType) -> None:
    found = generated.commands()
    paths = {c.path for c in found}
    # The commands the README and the manual promise, sub-commands included.
    promised = {"new", "update", "resolve", "check", "build", "serve", "init", "import cstate"}
    promised |= {"notify", "postmortem", "next-change", "alert", "relay", "setting", "diff"}
    promised |= {"upstream pull"}
    assert {f"statuspage {name}" for name in promised} <= paths
    assert generated.undocumented(found) == [], "give each command and option a help text"


def test_an_option_without_help_is_found(generated: ModuleType) -> None:
    @click.group()
    def tool() -> None:
        """A tool."""

    @tool.command()
    @click.option("--quiet", is_flag=True, help="Say less.")
    @click.option("--colour")
    def paint(quiet: bool, colour: str) -> None:
        """Paint."""

    @tool.command()
    def mix() -> None:
        pass

    context = click.Context(tool, info_name="tool")
    found = [generated.Command("tool", tool, context)] + [
        generated.Command(
            f"tool {name}", tool.commands[name], click.Context(tool.commands[name], parent=context)
        )
        for name in ("mix", "paint")
    ]
    assert generated.undocumented(found) == ["tool mix", "tool paint --colour"]


def test_the_cli_reference_shows_every_command_and_option(generated: ModuleType) -> None:
    page = generated.cli_reference()
    for c in generated.commands():
        assert f"## `{c.path}`\n" in page, c.path
        section = page.split(f"## `{c.path}`\n", 1)[1].split("\n## ", 1)[0]
        assert generated._help(c.command).split("\n")[0] in section, c.path
        for option in c.command.params:
            if isinstance(option, click.Option):
                (row,) = [
                    line for line in section.split("\n") if line.startswith(f"| `{option.opts[0]}")
                ]
                assert f" | {generated._markdown_text(option.help)}" in row, row
    # Help text is Markdown-safe: a path with <id> or * shows as written, not as HTML or emphasis.
    assert r"upstream/\<id\>.json" in page and r"content/issues/\*.md" in page
    # A choice's `|` would end the table cell: escaped.
    assert r"| `--format [text\|github]` |" in page


def test_the_reference_pages_ask_for_their_generated_parts(generated: ModuleType) -> None:
    cli = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    outputs = (DOCS / "reference" / "outputs.md").read_text(encoding="utf-8")
    assert "\n<!-- generated: cli -->\n" in cli and "\n<!-- generated: schemas -->\n" in outputs
    expanded = generated.expand(cli)
    assert "<!-- generated" not in expanded and "## `statuspage alert`" in expanded


# --- output formats ----------------------------------------------------------------------


def test_every_output_schema_is_in_the_reference(generated: ModuleType) -> None:
    schemas = {p.relative_to(REPO).as_posix() for p in (REPO / "tests" / "schemas").glob("*.json")}
    schemas |= {
        p.relative_to(REPO).as_posix() for p in (REPO / "statuspage").rglob("*.schema.json")
    }
    # objects.json holds the v2 API's shared objects, inlined where the endpoints use them.
    listed = set(generated.SCHEMAS) | {"tests/schemas/objects.json"}
    assert schemas <= listed
    page = generated.schema_reference()
    summary = json.loads((REPO / "tests" / "schemas" / "summary.json").read_text(encoding="utf-8"))
    assert f"### {generated._markdown_text(summary['title'])}\n" in page
    # Fields come through `$ref`s into objects.json and through `allOf`.
    fields = ["page.name", "components[].status", "incidents[].incident_updates[].body"]
    fields += ["scheduled_maintenances[].scheduled_for", "version", "incidents[].updates[].status"]
    for field in fields:
        assert f"| `{field}` |" in page, field
    assert "| `status.indicator` | " in page and '`"critical"`' in page


# --- the README and the manual ------------------------------------------------------------


def test_the_readme_is_short_and_its_links_into_the_manual_lead_somewhere() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    links = re.findall(r"\]\(((?:docs/|[A-Z]+\.md)[^)#]*)(?:#([^)]*))?\)", readme)
    assert len(links) >= 20
    for path, anchor in links:
        assert (REPO / path).is_file(), path
        assert not anchor, "anchors are checked by the docs build, not on GitHub: link pages"


def test_every_page_is_in_a_table_of_contents() -> None:
    pages = {p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.rglob("*.md")}
    listed = {"index"}
    for page in pages:
        text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
        for block in re.findall(r"```\{toctree\}\n(.*?)```", text, re.DOTALL):
            folder = Path(page).parent
            entries = [
                line.strip()
                for line in block.splitlines()
                if line.strip() and not line.startswith(":")
            ]
            listed |= {(folder / entry).as_posix() for entry in entries}
    assert pages == listed


def test_included_files_link_to_the_manual_or_the_repository(generated: ModuleType) -> None:
    text = "see [ARCHITECTURE.md](ARCHITECTURE.md), the [README](README.md), "
    text += "[Languages](docs/how-to/languages.md) and [ci.yml](.github/workflows/ci.yml)."
    assert generated.repository_links(text) == (
        "see [ARCHITECTURE.md](architecture.md), the [README](../index.md), "
        "[Languages](../how-to/languages.md) and {source}`ci.yml <.github/workflows/ci.yml>`."
    )


# --- publishing it -----------------------------------------------------------------------


def test_the_docs_workflow_publishes_the_manual_beside_the_status_page() -> None:
    data = load(WORKFLOWS / "docs.yml")
    assert data["permissions"] == {}
    # Never after another workflow's run (no workflow_run): on main's pushes, weekly, by hand.
    assert set(data["on"]) == {"schedule", "push", "workflow_dispatch"}
    assert data["on"]["push"]["branches"] == ["main"]
    assert load(WORKFLOWS / "publish.yml")["name"] == "Publish status page"
    # Never publish.yml's group: its pending runs must not be dropped for this one.
    assert data["concurrency"]["group"] != load(WORKFLOWS / "publish.yml")["concurrency"]["group"]
    build = data["jobs"]["build"]
    assert build["permissions"] == {"contents": "read", "actions": "read"}
    run = "\n".join(s.get("run", "") for s in build["steps"])
    # The manual, as the artifact publish.yml deploys beside the page...
    assert "bash .ci/docs manual/docs" in run
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "pages-extra" and upload["with"]["path"] == "manual"
    # ...and at once, beside the status page the newest publish run built.
    assert "--name github-pages" in run and "tar -xf artifact/artifact.tar -C _site" in run
    assert "cp -R manual/docs _site/docs" in run
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for step in steps(data):
        if "uses" in step:
            assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_init_does_not_ship_the_projects_own_workflows(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from statuspage.commands.main import cli

    result = CliRunner().invoke(cli, ["init", str(tmp_path / "site")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shipped = {p.name for p in (tmp_path / "site" / ".github" / "workflows").iterdir()}
    assert shipped == {
        "publish.yml",
        "check.yml",
        "alert.yml",
        "preview.yml",
        "preview-comment.yml",
    }
    assert {"docs.yml", "ci.yml", "release.yml"} <= {p.name for p in WORKFLOWS.iterdir()}
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "docs.yml" not in pyproject and 'ci.yml" =' not in pyproject


def test_the_docs_lock_pins_every_docs_requirement_within_its_bounds() -> None:
    """requirements/docs.lock.txt (.ci/docs installs from it) honours pyproject.toml; regenerate
    it with the command at its top when a bound changes."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (REPO / "requirements" / "docs.lock.txt").read_text(encoding="utf-8")
    assert "uv pip compile pyproject.toml --extra docs " in lock.split("\n", 2)[1]
    # Universal: one line per version, with the Pythons it is for after `;`.
    pinned: dict[str, list[str]] = {}
    for name, version in re.findall(r"^([A-Za-z0-9._-]+)==([^\s;]+)", lock, re.MULTILINE):
        pinned.setdefault(canonicalize_name(name), []).append(version)
    for line in [*project["dependencies"], *project["optional-dependencies"]["docs"]]:
        wanted = Requirement(line)
        name = canonicalize_name(wanted.name)
        assert name in pinned, f"{wanted.name} is not in requirements/docs.lock.txt"
        for version in pinned[name]:
            assert wanted.specifier.contains(version), f"lock has {name}=={version}, not {wanted}"
