"""`statuspage check`: validate every file, report each problem as path:line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from statuspage.commands._common import WordChoice, reports_errors, source_option
from statuspage.errors import inert_line
from statuspage.source.names import counted


@click.command("check")
@source_option
@click.option(
    "--format",
    "fmt",
    type=WordChoice(["text", "github"]),
    default="text",
    show_default=True,
    help="`github` prints workflow commands that GitHub shows as annotations.",
)
@reports_errors
def check_command(source: Path, fmt: str) -> None:
    """Validate statuspage.yaml and every incident file; report all problems as path:line."""
    from statuspage.notify.endpoints import unset_variable_warnings
    from statuspage.source.site import load_site
    from statuspage.source.start import start_assumption

    site, problems = load_site(source, for_rendering=False)  # validates: renders nothing
    if site is not None:
        unset_variable_warnings(site.config, problems)  # only `check` mentions secrets missing here
        start_assumption(site, problems)  # and what a site without `start_date:` is taken to be
    # By file, then line, whichever check found it first: a file reads top to bottom.
    for problem in sorted(problems.items, key=lambda p: (p.path, p.line)):
        if fmt == "github":
            kind = "error" if problem.is_error else "warning"
            # Property values escape `:` and `,` too, so a file name cannot forge a command.
            path = (
                problem.path.replace("%", "%25")
                .replace("\r", "%0D")
                .replace("\n", "%0A")
                .replace(":", "%3A")
                .replace(",", "%2C")
            )
            where = f"file={path}" + (f",line={problem.line}" if problem.line else "")
            # One inert line already (no CR or LF left to encode): only `%` needs escaping.
            message = inert_line(problem.message).replace("%", "%25")
            click.echo(f"::{kind} {where}::{message}")
        else:
            click.echo(str(problem))
    errors = len(problems.errors)
    if errors:
        files = len({p.path for p in problems.errors})
        click.secho(f"{counted(errors, 'error')} in {counted(files, 'file')}", fg="red", err=True)
        sys.exit(1)
    click.secho("All files are valid.", fg="green", err=True)
