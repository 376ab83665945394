"""`statuspage diff`: what merging a change does to the public page, before it is merged."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from statuspage.commands._common import WordChoice, clock, reports_errors, source_option
from statuspage.errors import ContentError, Problems, UsageError


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@source_option
@click.option("--now", help="Compare both sides as of this instant (ISO 8601); default: now.")
@click.option(
    "--format",
    "fmt",
    type=WordChoice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="`markdown` for a pull request's job summary or comment; `json`: see diff.schema.json.",
)
@click.option(
    "--max-length",
    type=click.IntRange(min=1000),
    default=None,
    help="Markdown only: cut the report to this many characters, saying so (GitHub comments "
    "hold 65,536).",
)
@click.option(
    "--audience",
    default="public",
    show_default=True,
    help="Compare the page of this audience of `audiences:`.",
)
@click.option(
    "--pointer",
    default="The whole report is in the workflow run's job summary.",
    help="Markdown only: where the whole report is, said where --max-length cuts it.",
)
def diff_command(
    base: str | None,
    head: str | None,
    source: Path,
    now: str | None,
    fmt: str,
    max_length: int | None,
    audience: str,
    pointer: str,
) -> None:
    """Show what customers would see change from BASE to HEAD: headline, components,
    incidents and their updates, figures, feeds, the notifications `notify` would send.

    Each side is a folder or a git ref of the repository holding the site (default: BASE
    the merge base with the default branch, HEAD the working tree). Exit 0 when customers
    would see no change, 1 when they would, 2 on error (as `git diff --exit-code`)."""
    try:
        changed = reports_errors(_diff)(base, head, source, now, fmt, max_length, pointer, audience)
    except SystemExit as e:
        # Every error is 2: 1 means "there is a difference" here, as in `git diff`.
        sys.exit(e.code if e.code in (0, 130) else 2)
    sys.exit(1 if changed else 0)


def _diff(
    base: str | None,
    head: str | None,
    source: Path,
    now: str | None,
    fmt: str,
    max_length: int | None,
    pointer: str,
    audience: str,
) -> bool:
    from statuspage.review.changes import built, review
    from statuspage.review.report import as_json, as_markdown, as_text
    from statuspage.review.sides import resolve_side, side_folder
    from statuspage.source.config import load_config

    source = source.absolute()
    old, new = resolve_side(source, base, base=True), resolve_side(source, head, base=False)
    with side_folder(source, old) as old_folder, side_folder(source, new) as new_folder:
        config = load_config(new_folder, Problems())
        moment = clock(now, config)
        sides = []
        for side, folder in ((old, old_folder), (new, new_folder)):
            try:
                sides.append(built(folder, side.label, moment, audience))
            except ContentError as e:
                raise UsageError(
                    f"{side.label}: the site there has errors",
                    [p for p in e.problems if p.is_error],
                ) from None
        result = review(sides[0], sides[1], moment)
    if fmt == "json":
        click.echo(as_json(result), nl=False)
    elif fmt == "markdown":
        click.echo(as_markdown(result, max_length, pointer), nl=False)
    else:
        click.echo(as_text(result), nl=False)
    return bool(result["customer_visible"])
