"""`statuspage serve`: a live preview that rebuilds on every change and reloads open tabs.

Builds go into one folder in a temporary directory, incrementally (incremental.py):
a save renders only the pages it touches, even with years of history. A build
that fails leaves that folder as it was, so a broken file never takes the page
down: the last good site stays served, with the error shown on top of it.
The reload script and the error banner are added to HTML as it is served; the
built files never contain them.
"""

from __future__ import annotations

import html
import os
import re
import secrets
import signal
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import datetime
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote, urlsplit

import click
import jinja2
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from statuspage.build.manifest import BuildState
from statuspage.build.parse_cache import ParseCache
from statuspage.build.pipeline import build_into
from statuspage.build.writer import OutputError
from statuspage.commands._common import source_option
from statuspage.errors import Problems, UsageError
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.config import CONFIG_NAME
from statuspage.source.site import load_site
from statuspage.state.status import next_change

EVENTS_PATH = "/__statuspage__/events"
DEBOUNCE = 0.2  # seconds of quiet before rebuilding: editors write a file in several steps
IGNORED_NAMES = {"_site", "__pycache__", "node_modules"}
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


class Preview:
    """What the builder, the file watcher and the request handlers share."""

    def __init__(self, source: Path, workdir: Path, now: str | None) -> None:
        self.source = source
        self.workdir = workdir
        self.now = now
        self.base_url = "http://127.0.0.1/"
        self.site_dir: Path | None = None  # the last good build
        self.out = workdir / "site"
        self.state = BuildState(
            workdir, self.out
        )  # its manifest lives in the temporary directory too
        # Parsed incidents, kept in memory from one save to the next; written to the site's
        # own cache when the preview stops (a later `build` gains from it too).
        self.parsed = ParseCache(source)
        self.render_cache = RenderCache()  # kept between saves: templates compiled once
        self.errors: list[str] = []  # why the latest build failed, as path:line: message
        self.token = secrets.token_hex(4)  # tells builds of different server runs apart
        self.builds = 0
        self.changed = threading.Condition()
        self.dirty = threading.Event()
        self.stopping = threading.Event()
        self.next_change: datetime | None = None

    @property
    def generation(self) -> str:
        """Changes with every build, good or bad; open tabs reload when it does."""
        return f"{self.token}-{self.builds}"

    def rebuild(self) -> bool:
        """Bring the served folder up to date; on failure it stays as it was."""
        from statuspage.commands.main import clock  # the one place that reads the clock

        started = time.monotonic()
        problems = Problems(self.source)
        count = ""
        try:
            parsed = self.parsed
            parsed.next_run()  # keeps what the last build parsed
            site, problems = load_site(self.source, cache=parsed)
            if site is None:
                errors = [str(p) for p in problems.errors]
            else:
                site = replace(site, config=replace(site.config, base_url=self.base_url))
                moment = clock(self.now, site.config)
                # The first build runs before any thread starts, so it may fork a process
                # per core; later ones render in this process (forking one that runs
                # server threads is not safe, and they render little).
                workers = None if self.builds == 0 else 1
                report = build_into(
                    site, moment, self.out, self.source, self.state, parsed.digests, workers=workers,
                    cache=self.render_cache,
                )
                self.state.save()
                errors = []
                count = f"{report.files} files from {len(site.incidents)} incidents ({report.rendered} pages rendered)"
                # A fixed instant (--now, SOURCE_DATE_EPOCH) never moves on by itself.
                frozen = self.now or os.environ.get("SOURCE_DATE_EPOCH")
                self.next_change = None if frozen else next_change(site.incidents, moment)
        except jinja2.TemplateSyntaxError as e:
            where = problems.display_path(e.filename) if e.filename else e.name or "template"
            errors = [f"{where}:{e.lineno}: template error: {e.message}"]
        except jinja2.TemplateError as e:
            errors = [f"template error: {e.message or e}"]
        except (UsageError, OutputError) as e:
            errors = [str(e)]
        except Exception as e:  # a bug must not stop the preview; say what it was
            errors = [f"build failed: {type(e).__name__}: {e}"]
        for warning in problems.warnings:
            click.secho(str(warning), fg="yellow", err=True)
        with self.changed:
            if not errors:
                self.site_dir = self.out
            self.errors = errors
            self.builds += 1
            self.changed.notify_all()
        if errors:
            self.next_change = None  # the next save rebuilds
            for error in errors:
                click.secho(error, fg="red", err=True)
            kept = "still serving the last good site" if self.site_dir else "nothing to serve yet"
            click.secho(
                f"Build failed ({kept}); fix the file and save it again.", fg="red", err=True
            )
            return False
        click.echo(f"Built {count} in {time.monotonic() - started:.2f} s.")
        return True

    def run_builder(self) -> None:
        """Rebuild after each burst of changes, and when the page changes by itself."""
        while not self.stopping.is_set():
            timeout = None
            if self.next_change is not None:
                from statuspage.commands.main import clock

                timeout = max(0.0, (self.next_change - clock(None, None)).total_seconds()) + 1
            if not self.dirty.wait(timeout) and self.next_change is None:
                continue
            while self.dirty.is_set() and not self.stopping.is_set():
                self.dirty.clear()
                time.sleep(DEBOUNCE)
            if not self.stopping.is_set():
                self.rebuild()

    def stop(self) -> None:
        self.stopping.set()
        self.dirty.set()
        with self.changed:
            self.changed.notify_all()


def is_relevant(path: str, source: Path) -> bool:
    """Changes to content, config and templates count; git, editors' temp files and output do not."""
    try:
        parts = Path(path).resolve().relative_to(source.resolve()).parts
    except ValueError:
        return False
    if not parts:
        return False
    if any(p.startswith(".") or p in IGNORED_NAMES for p in parts):
        return False
    return not parts[-1].endswith(IGNORED_SUFFIXES)


class ChangeHandler(FileSystemEventHandler):
    def __init__(self, preview: Preview, observer: BaseObserver | None = None) -> None:
        self.preview = preview
        self.observer = observer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # the file inside it reports its own change
        paths = [
            p if isinstance(p, str) else p.decode() for p in (event.src_path, event.dest_path) if p
        ]
        if (
            event.is_directory
            and event.event_type in ("created", "moved")
            and self.observer is not None
        ):
            for path in paths:  # a new top-level folder (site-templates/, say): watch inside it too
                if Path(path).parent.resolve() == self.preview.source.resolve() and is_relevant(
                    path, self.preview.source
                ):
                    self.observer.schedule(self, path, recursive=True)
        if any(is_relevant(p, self.preview.source) for p in paths):
            self.preview.dirty.set()


def watch(observer: BaseObserver, handler: ChangeHandler, source: Path) -> None:
    """Watch what a build reads, and not the rest: the site folder itself, and inside
    each of its folders but the output, hidden ones and the like. A recursive watch of
    the whole folder would put an inotify watch on each of the output's thousands of
    folders, overflow the kernel's event queue on every build, and miss the very save
    it is there for."""
    observer.schedule(handler, str(source), recursive=False)
    for child in sorted(source.iterdir()):
        if child.is_dir() and is_relevant(str(child), source):
            observer.schedule(handler, str(child), recursive=True)


# --- what the browser gets -------------------------------------------------

CSP_META = re.compile(
    r'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE
)
BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)

RELOAD_SCRIPT = """\
(function () {
  var shown = "%(generation)s";
  var events = new EventSource("%(events)s");
  events.onmessage = function (e) { if (e.data !== shown) location.reload(); };
})();"""

BANNER_STYLE = """\
.statuspage-serve-error{position:sticky;top:0;z-index:1000;margin:0;padding:1rem 1.25rem;
background:#b00020;color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.statuspage-serve-error strong{display:block;font:600 15px/1.4 system-ui,sans-serif;margin-bottom:.25rem}
.statuspage-serve-error pre{margin:0;padding:0;border:0;border-radius:0;background:none;
color:inherit;white-space:pre-wrap;font:inherit}"""
# The site's own `pre` rule (a card-coloured box) must not reach the banner's text:
# every property it sets is reset above, so the banner reads white on red in either theme.


def widen_csp(policy: str, nonce: str) -> str:
    """The page's own policy, plus our one script and style (by nonce) and the reload stream."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    default = [s for s in directives.get("default-src", []) if s != "'none'"]
    for name, source in (
        ("script-src", f"'nonce-{nonce}'"),
        ("style-src", f"'nonce-{nonce}'"),
        ("connect-src", "'self'"),
    ):
        sources = directives.get(name)
        sources = list(default) if sources is None else [s for s in sources if s != "'none'"]
        if source not in sources:
            sources.append(source)
        directives[name] = sources
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def error_banner(errors: list[str], nonce: str, has_site: bool) -> str:
    kept = (
        "The last good version of this page is shown below."
        if has_site
        else "Nothing could be built yet."
    )
    lines = "\n".join(html.escape(e) for e in errors)
    return (
        f'<style nonce="{nonce}">{BANNER_STYLE}</style>'
        f'<div class="statuspage-serve-error" role="alert"><strong>statuspage serve: the build failed. {kept}</strong>'
        f"<pre>{lines}</pre></div>"
    )


def served_html(page: str, *, generation: str, errors: list[str], has_site: bool = True) -> str:
    """*page* as the preview serves it: reload script, and the error banner if the last build failed."""
    nonce = secrets.token_urlsafe(16)
    page = CSP_META.sub(
        lambda m: m.group(1) + _attribute(widen_csp(html.unescape(m.group(2)), nonce)) + m.group(3),
        page,
        count=1,
    )
    if errors:
        banner = error_banner(errors, nonce, has_site)
        body = BODY_OPEN.search(page)
        page = page[: body.end()] + banner + page[body.end() :] if body else banner + page
    script = RELOAD_SCRIPT % {"generation": generation, "events": EVENTS_PATH}
    tag = f'<script nonce="{nonce}">\n{script}\n</script>\n'
    end = page.lower().rfind("</body>")
    return page[:end] + tag + page[end:] if end >= 0 else page + tag


def _attribute(value: str) -> str:
    return html.escape(value, quote=False).replace('"', "&quot;")


NOTHING_BUILT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>statuspage serve: build failed</title></head>
<body></body></html>
"""


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the last good build; HTML gets the reload script (and the error banner)."""

    preview: Preview

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        site = self.preview.site_dir
        super().__init__(*args, directory=str(site or self.preview.workdir), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would drown the build messages

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        # The same headers as GET, so Content-Length counts the page as served (with the
        # reload script and any banner), not the file on disk.
        self.respond(head=True)

    def respond(self, *, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        plain = super().do_HEAD if head else super().do_GET
        if path == EVENTS_PATH and not head:
            self.stream_events()
            return
        if self.preview.site_dir is None:
            error = HTTPStatus.INTERNAL_SERVER_ERROR
            self.send_html(error, NOTHING_BUILT, has_site=False, head=head)
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not path.endswith("/"):
                plain()  # redirects to the folder with a trailing slash
                return
            target = target / "index.html"
        if not target.is_file():
            self.send_not_found(head=head)
        elif target.suffix == ".html":
            self.send_html(HTTPStatus.OK, target.read_text(encoding="utf-8"), head=head)
        else:
            plain()

    def send_not_found(self, *, head: bool = False) -> None:
        """Our 404 page with a 404 status, as GitHub Pages and most hosts do."""
        assert self.preview.site_dir is not None
        page = self.preview.site_dir / "404.html"
        text = page.read_text(encoding="utf-8") if page.is_file() else NOTHING_BUILT
        self.send_html(HTTPStatus.NOT_FOUND, text, head=head)

    def send_html(
        self, status: HTTPStatus, page: str, has_site: bool = True, *, head: bool = False
    ) -> None:
        with self.preview.changed:
            generation, errors = self.preview.generation, list(self.preview.errors)
        body = served_html(page, generation=generation, errors=errors, has_site=has_site).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def stream_events(self) -> None:
        """Server-sent events: the current build generation now and after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        sent = None
        preview = self.preview
        try:
            while not preview.stopping.is_set():
                with preview.changed:
                    if preview.generation == sent:
                        preview.changed.wait(timeout=15)
                    generation = preview.generation
                message = (
                    b": still here\n\n"
                    if generation == sent
                    else f"data: {generation}\n\n".encode()
                )
                self.wfile.write(message)
                self.wfile.flush()
                sent = generation
        except OSError:
            pass  # the tab was closed


def make_server(host: str, port: int, preview: Preview) -> ThreadingHTTPServer:
    handler = type("Handler", (PreviewHandler,), {"preview": preview})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True  # open event streams must not hold up Ctrl-C
    return server


@click.command("serve")
@source_option
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--now", help="Preview the page as of this instant (ISO 8601) instead of the clock.")
def serve_cmd(source: Path, port: int, host: str, now: str | None) -> None:
    """Preview the site at http://HOST:PORT/, rebuilding and reloading on every change."""
    from statuspage.commands.main import clock

    if not (source / CONFIG_NAME).is_file():
        click.secho(
            f"error: no {CONFIG_NAME} in {source}; run `statuspage init` to create one",
            fg="red",
            err=True,
        )
        sys.exit(1)
    try:
        clock(now, None)
    except UsageError as e:
        click.secho(f"error: {e}", fg="red", err=True)
        sys.exit(2)
    with tempfile.TemporaryDirectory(prefix="statuspage-serve-") as workdir:
        preview = Preview(source, Path(workdir), now)
        try:
            server = make_server(host, port, preview)
        except OSError as e:
            click.secho(
                f"error: cannot listen on {host}:{port}: {e.strerror or e}; choose another --port",
                fg="red",
                err=True,
            )
            sys.exit(1)
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
            preview.parsed.save()  # once the builder has stopped
    click.echo("Stopped.")


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
