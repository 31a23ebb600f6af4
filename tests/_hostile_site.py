"""A hostile web site on 127.0.0.1 for the fetch tests and the hostile
benchmark: endless and compressed bodies, a server that trickles a byte at a
time, a huge Crawl-delay, redirects to another site, UTF-16 pages."""

from __future__ import annotations

import codecs
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from tests._fetch_support import serve_loopback

PAGE = "<html><head><title>Hostile page</title></head><body><h1>A page</h1><p>Some text.</p></body></html>"


def gzip_of_zeros(megabytes: int) -> bytes:
    """``megabytes`` MiB of zero bytes, gzip-compressed (about 1/1000 of it)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()


class HostileSite:
    """Behaviours by path (see :func:`serve_hostile`): ``robots`` picks the
    robots.txt (``plain``, ``endless``, ``gzip-bomb``, ``slow``,
    ``crawl-delay``), ``redirect_to`` is the target of ``/away``."""

    def __init__(self) -> None:
        self.robots = "plain"
        self.redirect_to = "http://127.0.0.1:9/"
        self.base = ""
        self.bomb = b""
        self.requests: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: HostileSite

    def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _endless(self, content_type: str, line: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = line * (65536 // len(line))
        try:
            while True:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        except OSError:
            pass

    def _trickle(self, content_type: str, body: bytes, pause: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        site = self.site
        site.requests.append(self.path)
        path = self.path
        if path == "/robots.txt":
            kind = site.robots
            if kind == "endless":
                return self._endless("text/plain", b"Disallow: /nothing-here\n")
            if kind == "gzip-bomb":
                return self._send(200, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}, site.bomb)
            if kind == "slow":
                return self._trickle("text/plain", b"User-agent: *\nAllow: /\n" * 50, 0.5)
            if kind == "crawl-delay":
                return self._send(200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 100000\n")
            return self._send(200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
        if path == "/page":
            return self._send(200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode())
        if path == "/endless-page":
            return self._endless("text/html", b"<p>more</p>\n")
        if path == "/endless-sitemap":
            return self._endless("application/xml", b"<url><loc>http://x/</loc></url>\n")
        if path == "/bomb-page":
            return self._send(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, site.bomb)
        if path == "/bomb-sitemap":
            return self._send(200, {"Content-Type": "application/xml", "Content-Encoding": "gzip"}, site.bomb)
        if path == "/slow-page":
            return self._trickle("text/html", PAGE.encode() * 4, 0.25)
        if path == "/slow-headers":
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(100):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass
            return None
        if path == "/away":
            return self._send(302, {"Location": site.redirect_to})
        if path == "/utf16le-bom":
            return self._send(200, {"Content-Type": "text/html"}, codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"))
        if path == "/utf16be":
            return self._send(200, {"Content-Type": "text/html; charset=utf-16be"}, PAGE.encode("utf-16-be"))
        if path == "/binary":
            return self._send(200, {"Content-Type": "text/html"}, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
        return self._send(404, {"Content-Type": "text/plain"}, b"not found")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        pass


@contextmanager
def serve_hostile(site: HostileSite | None = None) -> Iterator[HostileSite]:
    """Serve ``site`` on 127.0.0.1 (a free port) in a thread."""
    with serve_loopback(site or HostileSite(), _Handler) as served:
        yield served
