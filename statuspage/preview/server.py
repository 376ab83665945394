"""The preview's HTTP server: the last good build, HTML marked up as it is served."""

from __future__ import annotations

import ipaddress
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from statuspage.preview.inject import EVENTS_PATH, NOTHING_BUILT, served_html
from statuspage.preview.rebuild import Preview

# Names a preview always answers to, besides its --host. Anything else in a request's
# Host (or absolute URI) is refused: a page on evil.example whose DNS name is re-pointed
# at 127.0.0.1 (DNS rebinding) reaches the preview with `Host: evil.example:8000` and,
# being same-origin with it in the browser, could read incidents not pushed yet.
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("0.0.0.0", "::", "")


def host_name(host: str) -> str:
    """*host* (a --host) as a Host header names it: IPv6 addresses in brackets."""
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host.lower()
    except ValueError:
        return host.lower()


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") else name)
    except ValueError:
        return False
    return True


def allowed_authority(authority: str, host: str, port: int) -> bool:
    """Whether a request naming *authority* (Host header or absolute URI) is for this preview.

    Its name must be one the preview is served on (LOCAL_NAMES or the --host; on a
    wildcard --host any IP address too: an address cannot be re-pointed as a name can)
    and its port this one (none only on port 80)."""
    name, port_text = authority.strip().lower(), "80"
    if not name.endswith("]") and ":" in name:  # `[::1]` alone has no port
        name, _, port_text = name.rpartition(":")
    if port_text != str(port):
        return False
    if name in LOCAL_NAMES or name == host_name(host):
        return True
    return host in WILDCARDS and is_ip_literal(name)


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the last good build; HTML gets the reload script (and the error banner)."""

    preview: Preview
    host: str  # the --host it listens on
    port: int  # and the port

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
        asked = urlsplit(self.path)
        absolute = bool(asked.scheme)  # `GET http://name:port/ HTTP/1.1`
        # An absolute URI names the host the request is for, in place of Host (RFC 9112
        # 3.2.2); both are checked, and two Host headers are refused (which is meant
        # depends on who reads them).
        hosts = self.headers.get_all("Host") or []
        named = [asked.netloc, *hosts] if absolute else hosts
        if not named or len(hosts) > 1 or not all(self.serves(n) for n in named):
            self.send_misdirected(head=head)
            return
        if absolute:
            self.path = asked._replace(scheme="", netloc="").geturl() or "/"
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

    def serves(self, authority: str) -> bool:
        return allowed_authority(authority, self.host, self.port)

    def send_misdirected(self, *, head: bool) -> None:
        """421 with one plain line: the page never reaches a page of another name."""
        port = self.port
        body = (
            f"421 Misdirected Request: this preview answers only to http://127.0.0.1:{port}/, "
            f"http://localhost:{port}/ and the --host it was given\n"
        ).encode()
        self.send_response(HTTPStatus.MISDIRECTED_REQUEST)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if not head:
            self.wfile.write(body)

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

    class Handler(PreviewHandler):
        pass

    Handler.preview, Handler.host = preview, host
    server = ThreadingHTTPServer((host, port), Handler)
    Handler.port = server.server_port  # the one picked, for --port 0
    server.daemon_threads = True  # open event streams must not hold up Ctrl-C
    return server
