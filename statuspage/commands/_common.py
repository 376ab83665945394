"""What every command shares: the clock, `--source`, errors as messages and exit codes.

Exit codes: 0 success, 1 problems in the content, 2 wrong usage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import click

from statuspage.errors import ContentError, Problems, UsageError, inert_line
from statuspage.model import Config, IncidentStatus, Site
from statuspage.source.config import find_site
from statuspage.source.names import counted, suggest
from statuspage.source.times import MAX_YEAR, MIN_YEAR, TimeError, parse_timestamp

F = TypeVar("F", bound=Callable[..., Any])


def clock(now: str | None, config: Config | None) -> datetime:
    """The build's `now`: --now, else SOURCE_DATE_EPOCH (reproducible builds), else the clock.

    The only place in the package that reads the clock."""
    zone = config.timezone if config else UTC
    if now:
        try:
            return parse_timestamp(now, zone)
        except TimeError as e:
            raise UsageError(f"--now: {e}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
            if not MIN_YEAR <= moment.year <= MAX_YEAR:
                raise ValueError(epoch)
            return moment
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}"
            ) from None
    return datetime.now(UTC).replace(microsecond=0)


def instant(value: str | None, option: str, config: Config, default: datetime) -> datetime:
    """The instant an option (`--at`, `--start`, ...) gives in the site's zone, else *default*."""
    if not value:
        return default
    try:
        return parse_timestamp(value, config.timezone)
    except TimeError as e:
        raise UsageError(f"{option}: {e}") from None


def fail(message: str, code: int, details: Iterable[object] = ()) -> NoReturn:
    """Print `error: MESSAGE` on stderr, then each of *details* on a line of its own, and
    exit with *code*. Each is one inert line, whatever of the user's input it quotes."""
    click.secho(f"error: {inert_line(message)}", fg="red", err=True)
    for detail in details:
        click.echo(inert_line(str(detail)), err=True)
    sys.exit(code)


def reports_errors(func: F) -> F:
    """Turn library exceptions into messages and exit codes, never tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContentError as e:
            for problem in e.problems:
                click.echo(str(problem), err=True)
            fail(
                f"{counted(len([p for p in e.problems if p.is_error]), 'problem')} found; nothing "
                "was changed",
                1,
            )
        except KeyboardInterrupt:
            fail("interrupted; nothing was changed", 130)
        except Exception as e:
            # Imported here: they pull in the writer, which a command that succeeds may not need.
            from statuspage.pipeline.failures import describe
            from statuspage.pipeline.writer import OutputError

            message = describe(e, Path.cwd())
            if isinstance(e, UsageError):
                fail(e.message, 2, e.problems)
            if isinstance(e, OutputError):
                fail(str(e), 1)
            if message is not None:
                fail(f"{message}; nothing was changed", 1)
            if os.environ.get("STATUSPAGE_TRACEBACK"):
                raise
            fail(
                f"internal error: {type(e).__name__}: {e}; nothing was changed. This is a bug in "
                "statuspage: please report it (STATUSPAGE_TRACEBACK=1 shows where it happened)",
                1,
            )

    return cast(F, wrapper)


def require_site(source: Path, *, for_rendering: bool = False) -> tuple[Site, Problems]:
    """The site in *source*, or ContentError with every problem found (*for_rendering*: see
    load_site; these commands edit files or validate, `notify` renders)."""
    from statuspage.source.site import load_site

    site, problems = load_site(source, for_rendering=for_rendering)
    if site is None:
        raise ContentError(problems.items)
    return site, problems


def print_warnings(problems: Problems) -> None:
    """Print each warning of *problems* on stderr."""
    for warning in problems.warnings:
        click.secho(str(warning), fg="yellow", err=True)


def read_message(message: str | None) -> str:
    """The text of `--message`: `-` reads it from standard input."""
    if message == "-":
        return sys.stdin.read()
    return message or ""


def status_choice(value: str | None) -> IncidentStatus | None:
    """The status word given on the command line, or UsageError listing the known ones."""
    if value is None:
        return None
    status = IncidentStatus.parse(value)
    if status is None:
        words = IncidentStatus.words()
        raise UsageError(
            f"unknown status {value!r}{suggest(value, words)} (expected one of: {', '.join(words)})"
        )
    return IncidentStatus(status)


class WordChoice(click.Choice[str]):
    """click.Choice that says "did you mean" for a typo (`--impact majr`)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as e:
            hint = suggest(str(value).lower(), [str(c) for c in self.choices])
            if not hint:
                raise
            self.fail(f"{e.message.rstrip('.')}{hint}.", param, ctx)


def _discover(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    here = Path.cwd()
    found = find_site(here)
    if found is None or found == here:
        return Path()
    # Said on stderr, so a script reading the printed path of `new` is not disturbed.
    click.echo(f"Using the site in {os.path.relpath(found, here)} ({found})", err=True)
    return found


source_option = click.option(
    "--source",
    "-s",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    callback=_discover,
    help="The status site folder (holding statuspage.yaml and incidents/); "
    "default: this folder or the nearest one above it holding statuspage.yaml.",
)
