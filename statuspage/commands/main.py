"""The `statuspage` command group: each command lives in its own module, imported when run.

`statuspage --help` imports no command: each is listed from its entry in COMMANDS (the
first sentence of its docstring, kept equal to it by tests/test_cli_imports.py), so a CI
job that runs one command, or asks for help, does not pay for every other one's libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, NamedTuple

import click

from statuspage import __version__


class Lazy(NamedTuple):
    """Where a command lives (`module:function`, relative to this package) and its one-line
    help for `statuspage --help`: the first sentence of the function's docstring."""

    target: str
    summary: str


# One naming rule: a command or subcommand NAME is the function `NAME_command` (hyphens as
# underscores), declared with its name: `@click.command("NAME")`.
COMMANDS = {
    "alert": Lazy(
        ".alert:alert_command",
        "Apply one webhook body (FILE, or - for standard input) to the incident files, "
        "printing each file created or changed; the same body twice changes nothing.",
    ),
    "build": Lazy(
        ".build:build_command",
        "Build the status page into OUT (rendering and writing only what changed since the "
        "last build).",
    ),
    "check": Lazy(
        ".check:check_command",
        "Validate statuspage.yaml and every incident file; report all problems as path:line.",
    ),
    "diff": Lazy(
        ".diff:diff_command",
        "Show what customers would see change from BASE to HEAD: headline, components, "
        "incidents and their updates, figures, feeds, the notifications `notify` would send.",
    ),
    "import": Lazy(
        ".import_cstate:import_command",
        "Create a status site from another tool's files.",
    ),
    "init": Lazy(
        ".init:init_command",
        "Start a new status site in DIRECTORY (default: here); never overwrites a file.",
    ),
    "new": Lazy(
        ".new:new_command",
        "Open a new incident (or schedule maintenance) and print the new file's path.",
    ),
    "next-change": Lazy(
        ".next_change:next_change_command",
        "Print when the page next changes by itself (ISO 8601): a maintenance window opens or"
        " closes, a future-dated update comes due, or the day ends in the site's zone (the "
        "day bars move on), so a scheduler can rebuild right then.",
    ),
    "notify": Lazy(
        ".notify:notify_command",
        "Send each new update to the webhooks and mailing lists in `notify:`, once per endpoint.",
    ),
    "postmortem": Lazy(
        ".postmortem:postmortem_command",
        "Start the postmortem of a resolved INCIDENT: writes incidents/<id>.postmortem.md, "
        "prefilled from the incident, and prints its path.",
    ),
    "relay": Lazy(
        ".relay:relay_command",
        "Forward each webhook body POSTed to --listen to the repository's alert workflow.",
    ),
    "resolve": Lazy(
        ".resolve:resolve_command",
        "Resolve INCIDENT (maintenance: mark it completed); its components return to operational.",
    ),
    "serve": Lazy(
        ".serve:serve_command",
        "Preview the site at http://HOST:PORT/, rebuilding and reloading on every change.",
    ),
    "setting": Lazy(
        ".setting:setting_command",
        "Print the setting NAME of a valid site ('' when unset; for notify: whether any "
        "endpoint is set, true or false; for upstream: whether any provider is listed, true "
        "or false; for alerts.publish: direct or pull_request, '' without an `alerts:` "
        "section); a site with errors prints them and exits 1.",
    ),
    "update": Lazy(
        ".update:update_command",
        "Add an update to INCIDENT (its id, path, or a unique part of its name).",
    ),
    "upstream": Lazy(
        ".upstream:upstream_command",
        "Third-party providers whose status the page shows (`upstream:` in statuspage.yaml).",
    ),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs (or shows its
    own `--help`), and lists every command without importing any."""

    def __init__(self, *args: Any, lazy: dict[str, Lazy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, function = self.lazy[cmd_name].target.split(":")
            self.add_command(getattr(import_module(module, __package__), function), cmd_name)
        return super().get_command(ctx, cmd_name)

    def listed(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command as `--help` lists it: a stand-in holding its summary unless loaded."""
        if cmd_name in self.lazy and cmd_name not in self.commands:
            return click.Command(cmd_name, help=self.lazy[cmd_name].summary)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click.Group.format_commands, with `listed` instead of `get_command`.
        commands = [
            (name, cmd)
            for name in self.list_commands(ctx)
            if (cmd := self.listed(ctx, name)) and not cmd.hidden
        ]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statuspage")
def cli() -> None:
    """Build a status page from incident files kept in git."""


def main() -> None:
    """The `statuspage` entry point."""
    cli(prog_name="statuspage")


if __name__ == "__main__":
    main()
