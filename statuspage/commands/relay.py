"""`statuspage relay`: wrap Alertmanager's webhook bodies in GitHub's dispatch, for alert.yml."""

from __future__ import annotations

import os
import re
import time

import click

from statuspage.alerts.payloads import FORMATS
from statuspage.commands._common import fail
from statuspage.errors import inert_line

REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


@click.command("relay")
@click.option("--repo", required=True, metavar="OWNER/REPO", help="The status site's repository.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="alertmanager",
    show_default=True,
    help="What the monitor sends.",
)
@click.option(
    "--listen",
    default="127.0.0.1:9095",
    show_default=True,
    metavar="HOST:PORT",
    help="Where the monitor sends its webhooks.",
)
@click.option(
    "--api-url",
    default="https://api.github.com",
    show_default=True,
    help="GitHub's API (GitHub Enterprise Server: https://HOST/api/v3).",
)
def relay_command(repo: str, fmt: str, listen: str, api_url: str) -> None:
    """Forward each webhook body POSTed to --listen to the repository's alert workflow.

    The token comes from GITHUB_TOKEN (Contents: write on the repository); with
    STATUSPAGE_RELAY_TOKEN set, callers must send `Authorization: Bearer` it."""
    from statuspage.alerts.relay import Relay, make_server, valid_api_url, valid_secret
    from statuspage.errors import UsageError

    if not os.environ.get("GITHUB_TOKEN"):
        fail("set GITHUB_TOKEN to a token with Contents: write on the repository", 2)
    if not REPO.match(repo):
        fail(f"--repo must be OWNER/REPO, not {repo!r}", 2)
    try:
        token = valid_secret("GITHUB_TOKEN", os.environ["GITHUB_TOKEN"])
        inbound = os.environ.get("STATUSPAGE_RELAY_TOKEN") or None
        inbound = valid_secret("STATUSPAGE_RELAY_TOKEN", inbound) if inbound else None
        api_url = valid_api_url(api_url)
    except UsageError as e:
        fail(str(e), 2)
    host, _, port = listen.rpartition(":")
    if not host or not re.fullmatch("[0-9]{1,5}", port) or not 0 < int(port) < 65536:
        fail(f"--listen must be HOST:PORT, e.g. 127.0.0.1:9095, not {listen!r}", 2)
    relay = Relay(repo, fmt, token, api_url, inbound)
    try:
        server = make_server(relay, host.strip("[]"), int(port), _log, time.sleep)
    except (OSError, ValueError) as e:  # ValueError: a host IDNA cannot encode, a NUL
        fail(f"cannot listen on {listen}: {getattr(e, 'strerror', None) or e}", 1)
    _log(f"Relaying {fmt} webhooks from http://{listen}/ to {repo}; Ctrl+C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _log(message: str) -> None:
    click.echo(inert_line(message), err=True)
