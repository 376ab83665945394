"""The `statuspage` command: parse flags, call the library, print, set the exit code.

Exit codes: 0 success, 1 problems in the content, 2 wrong usage.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import wraps
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from statuspage import __version__
from statuspage.build.inputs import source_key
from statuspage.build.manifest import CACHE_DIR, BuildState, up_to_date
from statuspage.build.parse_cache import ParseCache
from statuspage.build.writer import (
    OutputError,
    check_output_dir,
    output_lock,
    remove_leftovers,
    write_site,
)
from statuspage.commands._common import source_option
from statuspage.errors import ContentError, Problems, UsageError
from statuspage.model import ComponentStatus, Config, Impact, IncidentStatus, Site, Window
from statuspage.source.config import load_config
from statuspage.source.times import MAX_YEAR, MIN_YEAR, TimeError, isoformat, parse_timestamp

if TYPE_CHECKING:
    import jinja2

# The rest of the package (rendering: Jinja, Markdown, lxml, Babel, feeds, ...) is
# imported inside the commands that use it: a `build` with nothing to do must not
# pay for importing it, which costs more than the no-op check itself.

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
    if not value:
        return default
    try:
        return parse_timestamp(value, config.timezone)
    except TimeError as e:
        raise UsageError(f"{option}: {e}") from None


def fail(message: str, code: int) -> NoReturn:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(code)


def reports_errors(func: F) -> F:
    """Turn library exceptions into messages and exit codes, never tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageError as e:
            fail(str(e), 2)
        except OutputError as e:
            fail(str(e), 1)
        except ContentError as e:
            for problem in e.problems:
                click.echo(str(problem), err=True)
            fail(
                f"{len([p for p in e.problems if p.is_error])} problem(s) found; nothing was changed",
                1,
            )
        except loaded("jinja2", "TemplateError") as e:
            fail(f"template error: {template_location(e)}{e.message or e}; nothing was changed", 1)
        except loaded("statuspage.build.pipeline", "OutputClash") as e:
            fail(f"{e}; nothing was changed", 1)
        except OSError as e:
            where = f": {e.filename}" if e.filename else ""
            fail(f"{e.strerror or e}{where}; nothing was changed", 1)
        except KeyboardInterrupt:
            fail("interrupted; nothing was changed", 130)
        except Exception as e:
            if os.environ.get("STATUSPAGE_TRACEBACK"):
                raise
            fail(
                f"internal error: {type(e).__name__}: {e}; nothing was changed. This is a bug in "
                "statuspage: please report it (STATUSPAGE_TRACEBACK=1 shows where it happened)",
                1,
            )

    return wrapper  # type: ignore[return-value]


def loaded(module: str, name: str) -> Any:
    """The exception class *module*.*name*, or () (an `except` that matches nothing) while
    *module* is not imported: nothing can have raised it then, and importing it only to
    compare would cost every command that never renders."""
    found = sys.modules.get(module)
    return getattr(found, name) if found is not None else ()


def template_location(error: jinja2.TemplateError) -> str:
    """`file:line: ` of the template line that failed, for syntax and runtime errors alike."""
    import traceback

    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        filename, line = error.filename, error.lineno
    else:
        # Jinja rewrites tracebacks so template frames carry the template's file and line.
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if not f.filename.endswith(".py")
        ]
        if not frames:
            return ""
        filename, line = frames[-1].filename, frames[-1].lineno or 0
    path = Path(filename)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())
    return f"{path.as_posix()}:{line}: "


def require_site(source: Path) -> tuple[Site, Problems]:
    from statuspage.source.site import load_site

    site, problems = load_site(source)
    if site is None:
        raise ContentError(problems.items)
    return site, problems


def print_warnings(problems: Problems) -> None:
    for warning in problems.warnings:
        click.secho(str(warning), fg="yellow", err=True)


class LazyGroup(click.Group):
    """A group whose commands from other modules are imported only when run or listed
    (`--help`), so running one command does not import every other one's libraries."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # command name -> "module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, attribute = self.lazy[cmd_name].split(":")
            self.add_command(getattr(import_module(module, __package__), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


# Commands defined in their own modules, imported when used.
LAZY_COMMANDS = {
    "init": ".init:init_cmd",
    "serve": ".serve:serve_cmd",
    "import": ".import_cstate:import_cmd",
    "notify": ".notify:notify_command",
    "postmortem": ".postmortem:postmortem_command",
}


@click.group(
    cls=LazyGroup, lazy=LAZY_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="statuspage")
def cli() -> None:
    """Build a status page from incident files kept in git."""


@cli.command()
@source_option
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="`github` prints workflow commands that GitHub shows as annotations.")  # fmt: skip
@reports_errors
def check(source: Path, fmt: str) -> None:
    """Validate statuspage.yaml and every incident file; report all problems as path:line."""
    from statuspage.notify.endpoints import unset_variable_warnings
    from statuspage.source.site import load_site

    site, problems = load_site(source)
    if site is not None:
        unset_variable_warnings(site.config, problems)  # only `check` mentions secrets missing here
    for problem in problems.items:
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
            message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            click.echo(f"::{kind} {where}::{message}")
        else:
            click.echo(str(problem))
    errors = len(problems.errors)
    if errors:
        files = len({p.path for p in problems.errors})
        click.secho(f"{errors} error(s) in {files} file(s)", fg="red", err=True)
        sys.exit(1)
    click.secho("All files are valid.", fg="green", err=True)


@cli.command("build")
@source_option
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: _site inside the source folder).",
)
@click.option("--now", help="Build as of this instant (ISO 8601), for reproducible output.")
@click.option("--base-url", help="Override the config's base_url (e.g. for a preview deploy).")
@click.option(
    "--no-cache",
    is_flag=True,
    help=f"Render everything; neither read nor update {CACHE_DIR}/ (safe to delete any time).",
)
@reports_errors
def build_cmd(source: Path, out: Path | None, now: str | None, base_url: str | None, no_cache: bool) -> None:  # fmt: skip
    """Build the status page into OUT (rendering and writing only what changed since the last build)."""
    out = out if out is not None else source / "_site"
    check_output_dir(out, source)
    with output_lock(out):  # one build at a time into OUT: no interleaved files
        interrupted = remove_leftovers(out)
        _build(source, out, now, base_url, no_cache, interrupted)


def _build(
    source: Path, out: Path, now: str | None, base_url: str | None, no_cache: bool,
    interrupted: bool,
) -> None:  # fmt: skip
    state = None if no_cache else BuildState(source, out)
    if state is not None and interrupted:
        state.forget()  # the last build was killed while committing: trust nothing it recorded
    key = moment = None
    config = load_config(source, Problems(source))
    if state is not None and config is not None:
        # The no-op check reads the sources but parses none of them. Any usage error
        # is left for the full path to report, after the content's own problems.
        with contextlib.suppress(UsageError):
            moment = clock(now, config)
            key = source_key(
                source, with_base_url(config, base_url) if base_url else config, moment
            )
        if key is not None and moment is not None and up_to_date(state, out, key):
            for warning in state.warnings:
                click.secho(warning, fg="yellow", err=True)
            click.echo(
                f"Up to date: {len(state.files)} files in {out} (as of {isoformat(moment, config.timezone)})."
            )
            return
    from statuspage.build.pipeline import build, build_into
    from statuspage.source.site import load_site

    parsed = None if no_cache else ParseCache(source)
    site, problems = load_site(source, cache=parsed)
    if parsed is not None:
        parsed.save()
    if site is None:
        raise ContentError(problems.items)
    print_warnings(problems)
    if base_url:
        site = replace(site, config=with_base_url(site.config, base_url))
    moment = moment or clock(now, site.config)
    if state is None or parsed is None:
        files = build(site, moment)
        write_site(files, out, source)
        click.echo(
            f"Built {len(files)} files from {len(site.incidents)} incidents into {out} (as of {isoformat(moment, site.config.timezone)})."
        )
        return
    report = build_into(site, moment, out, source, state, parsed.digests, site_key=key)
    state.warnings = [str(w) for w in problems.warnings]
    state.save()
    click.echo(
        f"Built {report.files} files from {len(site.incidents)} incidents into {out} (as of {isoformat(moment, site.config.timezone)}); "
        f"{report.rendered} pages rendered, {report.written} files written, {report.deleted} removed."
    )


def with_base_url(config: Config, base_url: str) -> Config:
    if not base_url.startswith(("http://", "https://")):
        raise UsageError("--base-url must be an absolute http(s) URL")
    return replace(config, base_url=base_url.rstrip("/") + "/")


def read_message(message: str | None) -> str:
    if message == "-":
        return sys.stdin.read()
    return message or ""


MAINTENANCE_SCHEDULED = "This maintenance is scheduled."


def status_choice(value: str | None, *, maintenance: bool) -> IncidentStatus | None:
    if value is None:
        return None
    status = IncidentStatus.parse(value)
    if status is None:
        words = ", ".join(IncidentStatus.words())
        raise UsageError(f"unknown status {value!r} (expected one of: {words})")
    return IncidentStatus(status)


@cli.command()
@click.argument("title")
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="An affected component and its status; repeat for several. With --maintenance, ID alone means under_maintenance.",
)
@click.option(
    "--impact",
    type=click.Choice([w for w in Impact.words() if w != "maintenance"]),
    help="How bad it is (default: from the component statuses).",
)
@click.option(
    "--status", help="First update's status (default: investigating, or scheduled for maintenance)."
)
@click.option("--message", "-m",
              help="The first update's text (Markdown; required, except for --maintenance); "
              "- reads it from standard input.")  # fmt: skip
@click.option("--at", help="When the first update was posted (default: now).")
@click.option(
    "--maintenance", is_flag=True, help="Schedule a maintenance window (with --start and --end)."
)
@click.option("--start", help="Maintenance window start.")
@click.option("--end", help="Maintenance window end.")
@source_option
@reports_errors
def new(title: str, components: tuple[str, ...], impact: str | None, status: str | None, message: str | None,
        at: str | None, maintenance: bool, start: str | None, end: str | None, source: Path) -> None:  # fmt: skip
    """Open a new incident (or schedule maintenance) and print the new file's path."""
    from statuspage.commands.authoring import create_incident, parse_component_options

    site, _ = require_site(source)
    config = site.config
    now = clock(None, config)
    window = None
    if maintenance:
        if not (start and end):
            raise UsageError("--maintenance needs --start and --end")
        window = Window(instant(start, "--start", config, now), instant(end, "--end", config, now))
        if window.end <= window.start:
            raise UsageError("--end must be after --start")
    elif start or end:
        raise UsageError("--start and --end are for --maintenance")
    default = ComponentStatus.UNDER_MAINTENANCE if maintenance else None
    changes = parse_component_options(components, config, default=default)
    path = create_incident(
        source, config, title,
        at=instant(at, "--at", config, now), status=status_choice(status, maintenance=maintenance),
        # The window itself is the news of a scheduled maintenance: a stock sentence is
        # meant there, as in `resolve`; an incident's first update must say something.
        message=read_message(message) or (MAINTENANCE_SCHEDULED if maintenance else ""),
        changes=changes,
        impact=Impact(Impact.parse(impact)) if impact else None, window=window,
    )  # fmt: skip
    click.echo(str(path))


@cli.command()
@click.argument("incident")
@click.option(
    "--status",
    required=True,
    help="The new status (investigating, identified, monitoring, resolved; for maintenance: in_progress, verifying, completed).",
)
@click.option(
    "--message",
    "-m",
    help="The update's text (Markdown; required); - reads it from standard input.",
)
@click.option("--at", help="When it was posted (default: now).")
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="A component whose status changes with this update.",
)
@source_option
@reports_errors
def update(
    incident: str,
    status: str,
    message: str | None,
    at: str | None,
    components: tuple[str, ...],
    source: Path,
) -> None:
    """Add an update to INCIDENT (its id, path, or a unique part of its name)."""
    from statuspage.commands.authoring import add_update, find_incident, parse_component_options

    site, _ = require_site(source)
    config = site.config
    path = find_incident(source, incident)
    new_status = status_choice(status, maintenance=False)
    assert new_status is not None
    changes = parse_component_options(components, config)
    add_update(source, config, path, status=new_status, at=instant(at, "--at", config, clock(None, config)),
               message=read_message(message), changes=changes, exact_time=at is not None)  # fmt: skip
    click.echo(str(path))


@cli.command()
@click.argument("incident")
@click.option("--message", "-m", help="The closing update's text; - reads it from standard input.")
@click.option("--at", help="When it was resolved (default: now).")
@source_option
@reports_errors
def resolve(incident: str, message: str | None, at: str | None, source: Path) -> None:
    """Resolve INCIDENT (maintenance: mark it completed); its components return to operational."""
    from statuspage.commands.authoring import add_update, find_incident

    site, _ = require_site(source)
    config = site.config
    path = find_incident(source, incident)
    current = site.incident(path.stem)
    is_maintenance = current is not None and current.is_maintenance
    status = IncidentStatus.COMPLETED if is_maintenance else IncidentStatus.RESOLVED
    default = (
        "The maintenance is complete." if is_maintenance else "This incident has been resolved."
    )
    add_update(source, config, path, status=status, at=instant(at, "--at", config, clock(None, config)),
               message=read_message(message) or default, changes=[], exact_time=at is not None)  # fmt: skip
    click.echo(str(path))


@cli.command("next-change")
@source_option
@click.option("--now", help="As of this instant (default: now).")
@click.option("--verbose", "-v", is_flag=True, help="List every coming change and what it is.")
@reports_errors
def next_change_cmd(source: Path, now: str | None, verbose: bool) -> None:
    """Print when the page next changes by itself (ISO 8601): a maintenance window
    opens or closes, a future-dated update comes due, or the day ends in the site's
    zone (the day bars move on), so a scheduler can rebuild right then."""
    from statuspage.source.postmortem_file import next_publication
    from statuspage.state.status import changes
    from statuspage.state.uptime import next_day_start

    site, _ = require_site(source)
    zone = site.config.timezone
    moment = clock(now, site.config)
    coming = [
        (when, f"{incident.id}: {status.word}")
        for incident in site.incidents
        for when, status in changes(incident, moment)
    ]
    published = next_publication(site, moment)
    if published is not None:
        coming.append((published, "a postmortem is published"))
    coming.append((next_day_start(moment, zone), "day ends: the day bars and recent days move on"))
    coming.sort()
    for when, what in coming if verbose else coming[:1]:
        click.echo(f"{isoformat(when, zone)}  {what}" if verbose else isoformat(when, zone))


def main() -> None:
    cli(prog_name="statuspage")


if __name__ == "__main__":
    main()
