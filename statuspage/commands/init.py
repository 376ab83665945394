"""`statuspage init [DIR]`: a new status site that builds with no edits.

Writes a commented statuspage.yaml, one example incident, the publish and check
workflows, and a .gitignore; never overwrites a file.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from string import Template

import click
import yaml

from statuspage.commands._common import clock
from statuspage.commands._requirement import VARIABLE, installed, requirement_for
from statuspage.errors import UsageError
from statuspage.source.config import CONFIG_NAME
from statuspage.source.site_folder import SiteFolder

STARTER_DIR = Path(__file__).parent.parent / "starter"
WORKFLOWS = ("publish.yml", "check.yml", "alert.yml", "preview.yml", "preview-comment.yml")
# The output, and the journal, lock and staging folders a build keeps beside it.
IGNORED = ("_site/", "._site.*")


def workflows_dir() -> Path:
    """The workflows: in the wheel, or this repository's own in a checkout.

    One source for both: the wheel force-includes .github/workflows/ (pyproject.toml)."""
    packaged = STARTER_DIR / "workflows"
    return (
        packaged
        if packaged.is_dir()
        else Path(__file__).parent.parent.parent / ".github" / "workflows"
    )


def repository_root(folder: Path) -> Path | None:
    """The git work tree *folder* is in (the nearest folder up holding `.git`, a folder or,
    in a worktree or submodule, a file), or None."""
    start = folder.resolve()
    return next((f for f in (start, *start.parents) if (f / ".git").exists()), None)


def default_title(target: Path) -> str:
    """`acme` -> `Acme Status`; `acme-status` -> `Acme Status`."""
    name = target.resolve().name.replace("-", " ").replace("_", " ").strip().title()
    return name if name.endswith("Status") else f"{name} Status".strip()


def starter_files(title: str, now: datetime, requirement: str) -> dict[str, str]:
    """Every file of a new site, keyed by path relative to it; the example incident is dated
    *now*, the site starts on its day (no uptime is shown for days before), and the
    workflows install statuspage with the pip *requirement*."""
    resolved = now.astimezone(UTC).replace(second=0, microsecond=0)
    started = resolved - timedelta(minutes=42)
    stamp = "%Y-%m-%d %H:%M +00:00"
    config = Template((STARTER_DIR / CONFIG_NAME).read_text(encoding="utf-8"))
    incident = Template((STARTER_DIR / "incident.md").read_text(encoding="utf-8"))
    files = {
        CONFIG_NAME: config.substitute(title=_yaml_string(title), start_date=f"{started:%Y-%m-%d}"),
        f"incidents/{started:%Y-%m-%d}-example.md": incident.substitute(
            started=started.strftime(stamp), resolved=resolved.strftime(stamp)
        ),
        ".gitignore": (STARTER_DIR / "gitignore").read_text(encoding="utf-8"),
    }
    for name in WORKFLOWS:
        workflow = (workflows_dir() / name).read_text(encoding="utf-8")
        files[f".github/workflows/{name}"] = _with_requirement(workflow, requirement)
    return files


def _with_requirement(workflow: str, requirement: str) -> str:
    """*workflow* with its `STATUSPAGE_REQUIREMENT:` line set to *requirement*."""
    line = re.compile(rf"^(\s*{VARIABLE}: ).*$", re.MULTILINE)
    return line.sub(lambda m: m.group(1) + _yaml_string(requirement), workflow, count=1)


def _yaml_string(text: str) -> str:
    """A YAML scalar that reads back as *text* (quoted when plain would not)."""
    return str(yaml.safe_dump(text, width=1000)).removesuffix("\n...\n").strip()


def plan(target: Path, files: dict[str, str]) -> tuple[dict[Path, str], list[Path]]:
    """(what to write, what already exists and blocks). An existing .gitignore is
    extended with `_site/` and `._site.*` rather than replaced: most repositories have one."""
    writes: dict[Path, str] = {}
    clashes: list[Path] = []
    site = SiteFolder(target)
    for rel, text in files.items():
        path = site.writable(target / rel)  # UsageError: a link on the way leads out
        if rel == ".gitignore" and path.is_file():
            current = path.read_text(encoding="utf-8")
            if missing := [line for line in IGNORED if line not in current.split()]:
                separator = "" if current.endswith("\n") or not current else "\n"
                writes[path] = current + separator + "".join(f"{m}\n" for m in missing)
        elif path.exists() or path.is_symlink():
            clashes.append(path)
        else:
            writes[path] = text
    return writes, clashes


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--title", help="The page's name (default: from the folder's name).")
def init_command(directory: Path, title: str | None) -> None:
    """Start a new status site in DIRECTORY (default: here); never overwrites a file."""
    requirement = requirement_for(installed())
    files = starter_files(title or default_title(directory), clock(None, None), requirement.text)
    try:
        writes, clashes = plan(directory, files)
    except UsageError as e:
        click.echo(str(e), err=True)
        click.secho("error: nothing was written", fg="red", err=True)
        sys.exit(1)
    if clashes:
        for path in clashes:
            click.echo(f"{path}: already exists", err=True)
        click.secho(
            "error: refusing to overwrite existing files; nothing was written", fg="red", err=True
        )
        sys.exit(1)
    for path, text in writes.items():
        existed = path.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(f"  {'added ' + ' and '.join(IGNORED) + ' to' if existed else 'created'} {path}")
    here = directory.resolve() == Path.cwd().resolve()
    repository = repository_root(directory)
    steps = [] if here else [f"cd {directory}"]
    steps += [
        "statuspage build            # the page, in _site/index.html",
        "statuspage serve            # live preview at http://127.0.0.1:8000/",
        # Inside a repository already, `git init` would only confuse (or nest a second one).
        ("" if repository else "git init && ") + 'git add . && git commit -m "Status page"',
    ]
    if requirement.warning:
        click.secho(f"warning: {requirement.warning}", fg="yellow", err=True)
    if repository is not None and repository != directory.resolve():
        click.secho(
            f"note: GitHub runs workflows only from {repository / '.github' / 'workflows'}; "
            f"the ones written in {directory / '.github' / 'workflows'} will not run from there",
            fg="yellow",
            err=True,
        )
    click.echo("\nNext steps:\n" + "\n".join(f"  {s}" for s in steps))
    click.echo(
        "Then push to GitHub and choose Settings -> Pages -> Source: GitHub Actions;\n"
        "every push to main publishes the page. Edit statuspage.yaml to list your components."
    )
