"""`statuspage relay`: wrap Alertmanager's webhook bodies in GitHub's dispatch, for alert.yml."""

from __future__ import annotations

import os
import re
import time

import click

from statuspage.alerts.payloads import FORMATS
from statuspage.commands._common import fail
from statuspage.source.names import userinfo_problem

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
def relay_cmd(repo: str, fmt: str, listen: str, api_url: str) -> None:
    """Forward each webhook body POSTed to --listen to the repository's alert workflow.

    The token comes from GITHUB_TOKEN (Contents: write on the repository); with
    STATUSPAGE_RELAY_TOKEN set, callers must send `Authorization: Bearer` it."""
    from statuspage.alerts.relay import Relay, make_server

    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        fail("set GITHUB_TOKEN to a token with Contents: write on the repository", 2)
    if not REPO.match(repo):
        fail(f"--repo must be OWNER/REPO, not {repo!r}", 2)
    if not re.match(r"^https?://[^/\s]+", api_url):
        fail(f"--api-url must be an http(s) URL, not {api_url!r}", 2)
    if refused := userinfo_problem("--api-url", api_url):
        fail(refused.replace("`--api-url:`", "--api-url"), 2)
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        fail(f"--listen must be HOST:PORT, e.g. 127.0.0.1:9095, not {listen!r}", 2)
    relay = Relay(repo, fmt, token, api_url, os.environ.get("STATUSPAGE_RELAY_TOKEN") or None)
    try:
        server = make_server(relay, host.strip("[]"), int(port), _log, time.sleep)
    except OSError as e:
        fail(f"cannot listen on {listen}: {e.strerror or e}", 1)
    click.echo(f"Relaying {fmt} webhooks from http://{listen}/ to {repo}; Ctrl+C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _log(message: str) -> None:
    click.echo(message, err=True)
