"""The `statuspage` command group: each command lives in its own module, imported when run."""

from __future__ import annotations

import click

from statuspage import __version__
from statuspage.commands._common import LazyGroup

# Command name -> "module:attribute"; imported only when run or listed (`--help`),
# so one command does not import every other one's libraries.
COMMANDS = {
    "alert": ".alert:alert_cmd",
    "build": ".build:build_cmd",
    "check": ".check:check",
    "diff": ".diff:diff_cmd",
    "import": ".import_cstate:import_cmd",
    "init": ".init:init_cmd",
    "new": ".new:new",
    "next-change": ".next_change:next_change_cmd",
    "notify": ".notify:notify_command",
    "postmortem": ".postmortem:postmortem_command",
    "relay": ".relay:relay_cmd",
    "resolve": ".resolve:resolve",
    "serve": ".serve:serve_cmd",
    "setting": ".setting:setting_cmd",
    "update": ".update:update",
    "upstream": ".upstream:upstream_cmd",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statuspage")
def cli() -> None:
    """Build a status page from incident files kept in git."""


def main() -> None:
    """The `statuspage` entry point."""
    cli(prog_name="statuspage")


if __name__ == "__main__":
    main()
