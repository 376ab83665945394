"""The preview's HTTP server: the last good build, HTML marked up as it is served."""

from __future__ import annotations

from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from statuspage.preview.inject import EVENTS_PATH, NOTHING_BUILT, served_html
from statuspage.preview.rebuild import Preview


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
    """An HTTP server for *preview* on *host*:*port* (not yet serving)."""
    handler = type("Handler", (PreviewHandler,), {"preview": preview})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True  # open event streams must not hold up Ctrl-C
    return server
