"""A small web site on 127.0.0.1 for the fetch tests: routes of fixed
responses (with ETag and Last-Modified, answering conditional requests with
304), or of callables; every request is recorded with its time."""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """A fixed response; ``etag`` and ``Last-Modified`` are derived from the body."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True
    modified: float = 1_700_000_000.0

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Request:
    """A request the site received."""

    time: float
    path: str
    headers: dict[str, str]


#: a handler: (request path, request headers, how many times it was asked) -> (status, headers, body)
Handler = Callable[[str, dict[str, str], int], tuple[int, dict[str, str], bytes]]


class Site:
    """The routes and the log of the server."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def asked(self, path: str) -> list[Request]:
        """The requests for ``path``."""
        return [r for r in self.requests if r.path == path]

    def respond(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            count = len(self.asked(path))
            self.requests.append(Request(time.monotonic(), path, headers))
        route = self.routes.get(path)
        if route is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        if callable(route):
            return route(path, headers, count)
        out = {"Content-Type": route.content_type, **route.headers}
        if route.validators and route.status == 200:
            out["ETag"] = route.etag
            out["Last-Modified"] = email.utils.formatdate(route.modified, usegmt=True)
            if headers.get("if-none-match") == route.etag:
                return 304, {"ETag": route.etag}, b""
        return route.status, out, route.body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, out, body = self.site.respond(self.path, headers)
        self.send_response(status)
        for key, value in out.items():
            self.send_header(key, value)
        chunked = out.get("Transfer-Encoding") == "chunked"
        if "Content-Length" not in out and not chunked:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if chunked:
            try:
                for start in range(0, len(body), 1024):
                    piece = body[start : start + 1024]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif status != 304:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        pass


@contextmanager
def serve_site(site: Site | None = None) -> Iterator[Site]:
    """Serve ``site`` on 127.0.0.1 (a free port) in a thread; ``site.base`` is its URL."""
    with serve_loopback(site or Site(), _Handler) as served:
        yield served


@contextmanager
def serve_loopback(site, handler_class: type[BaseHTTPRequestHandler]):  # type: ignore[no-untyped-def]
    """Serve ``site`` with a subclass of ``handler_class`` (whose ``site``
    attribute is ``site``) on 127.0.0.1, a free port, in a thread; sets
    ``site.base`` to its URL; stops the server on leaving."""
    handler = type("Handler", (handler_class,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
