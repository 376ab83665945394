"""`statuspage serve`: a live preview that rebuilds on every change and reloads open tabs.

The parts live in statuspage/preview/: rebuild.py (the build loop), watch.py (which
saves count), inject.py (reload script, error banner, CSP), server.py (HTTP).
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from types import FrameType

import click
from watchdog.observers import Observer

from statuspage.commands._common import clock, fail, source_option
from statuspage.errors import UsageError, inert_line
from statuspage.model import Config
from statuspage.preview.rebuild import Level, Preview
from statuspage.preview.server import make_server
from statuspage.preview.watch import ChangeHandler, watch
from statuspage.source.config import CONFIG_NAME

COLOURS: dict[Level, str | None] = {"info": None, "warning": "yellow", "error": "red"}


def say(message: str, level: Level) -> None:
    """Show a preview message: errors and warnings on stderr, in colour."""
    click.secho(inert_line(message), fg=COLOURS[level], err=level != "info")


@click.command("serve")
@source_option
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--now", help="Preview the page as of this instant (ISO 8601) instead of the clock.")
@click.option(
    "--audience",
    default="public",
    show_default=True,
    help="Preview the page of this audience of `audiences:`.",
)
def serve_command(source: Path, port: int, host: str, now: str | None, audience: str) -> None:
    """Preview the site at http://HOST:PORT/, rebuilding and reloading on every change."""
    if not (source / CONFIG_NAME).is_file():
        fail(f"no {CONFIG_NAME} in {source}; run `statuspage init` to create one", 1)
    try:
        clock(now, None)
    except UsageError as e:
        fail(str(e), 2)
    with tempfile.TemporaryDirectory(prefix="statuspage-serve-") as workdir:

        def moment(config: Config | None) -> datetime:
            return clock(now, config)

        # A fixed instant (--now, SOURCE_DATE_EPOCH) never moves on by itself.
        frozen = bool(now or os.environ.get("SOURCE_DATE_EPOCH"))
        preview = Preview(source, Path(workdir), moment, frozen=frozen, say=say, audience=audience)
        try:
            server = make_server(host, port, preview)
        except OSError as e:
            fail(f"cannot listen on {host}:{port}: {e.strerror or e}; choose another --port", 1)
        url = f"http://{host}:{server.server_port}/"
        preview.base_url = url
        observer = Observer()
        threads = [
            threading.Thread(target=server.serve_forever, name="http", daemon=True),
            threading.Thread(target=preview.run_builder, name="builder", daemon=True),
        ]
        # SIGTERM (e.g. from a process manager) stops as cleanly as Ctrl-C.
        signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            preview.rebuild()
            watch(observer, ChangeHandler(preview, observer), source)
            observer.start()
            for thread in threads:
                thread.start()
            click.echo(f"Serving {url} (Ctrl-C to stop)")
            preview.stopping.wait()
        except KeyboardInterrupt:
            pass
        finally:
            preview.stop()
            if observer.is_alive():
                observer.stop()
                observer.join()
            if threads[0].is_alive():
                server.shutdown()
            server.server_close()
            if threads[1].is_alive():
                threads[1].join()
            preview.session.save()  # once the builder has stopped
    click.echo("Stopped.")


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
