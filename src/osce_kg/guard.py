"""A guard in front of the oxigraph server (``osce-kg serve``): it refuses
SPARQL queries and updates that use ``SERVICE`` and passes everything else
through unchanged.

Why: the oxigraph server runs ``SERVICE <url> { ... }`` by sending an HTTP
request to ``url``, any URL, with no option to turn that off. A public
endpoint would let any client make the server fetch internal addresses
(server-side request forgery). So ``serve`` runs oxigraph on a free
loopback port and this guard on the address the user asked for; with
``--allow-service`` the guard is not used.

What is checked: the ``query`` and ``update`` parameters of the URL and of
``application/x-www-form-urlencoded`` bodies, and bodies of type
``application/sparql-query`` / ``application/sparql-update`` (SPARQL 1.1
Protocol, sections 2.1 and 2.2). :func:`uses_service` finds the keyword
outside comments, strings and IRIs; a refused request gets HTTP 403 with a
plain-text reason. Request bodies must have a ``Content-Length`` (411
otherwise).
"""

from __future__ import annotations

import http.client
import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

__all__ = ["uses_service", "without_literals", "GuardServer", "make_guard"]

log = logging.getLogger(__name__)

#: comments, strings (short and long, both quotes) and IRIs: removed before
#: the keyword is looked for
_SKIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
#: the keyword, not part of a variable (``?service``), a prefixed name
#: (``ex:service``, ``service:x``) or another word
_SERVICE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:\-])", re.IGNORECASE)

#: hop-by-hop headers (RFC 9110 section 7.6.1), not forwarded either way
_HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
}

#: largest request body the guard reads, in bytes (Graph Store uploads included)
MAX_BODY = 1024 * 1024 * 1024


def without_literals(text: str) -> str:
    """The SPARQL text ``text`` with its comments, strings and IRIs made
    spaces (what is left are keywords, names, variables and punctuation)."""
    return _SKIPPED.sub(" ", text)


def uses_service(text: str) -> bool:
    """True when the SPARQL text ``text`` holds the ``SERVICE`` keyword
    (outside comments, strings and IRIs)."""
    return _SERVICE.search(without_literals(text)) is not None


def _sparql_texts(target: str, content_type: str, body: bytes) -> list[str]:
    """The SPARQL texts a request carries (see the module doc)."""
    texts: list[str] = []
    for key, values in parse_qs(urlsplit(target).query, keep_blank_values=True).items():
        if key in ("query", "update"):
            texts += values
    media = content_type.split(";")[0].strip().lower()
    if media in ("application/sparql-query", "application/sparql-update"):
        texts.append(body.decode("utf-8", errors="replace"))
    elif media == "application/x-www-form-urlencoded":
        for key, values in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items():
            if key in ("query", "update"):
                texts += values
    return texts


class _Handler(BaseHTTPRequestHandler):
    server: GuardServer
    protocol_version = "HTTP/1.0"  # one request per connection: responses end when the connection closes

    def _refuse(self, status: int, reason: str) -> None:
        data = (reason + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _forward(self) -> None:
        body = b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._refuse(411, "a request body needs a Content-Length")
            return
        length = self.headers.get("Content-Length")
        if length:
            if not length.isdigit() or int(length) > MAX_BODY:
                self._refuse(413, f"request body too large (at most {MAX_BODY} bytes)")
                return
            body = self.rfile.read(int(length))
        if any(uses_service(text) for text in _sparql_texts(self.path, self.headers.get("Content-Type", ""), body)):
            log.warning("refused a SERVICE request from %s", self.client_address[0])
            self._refuse(403, "SPARQL SERVICE is disabled on this server (osce-kg serve --allow-service enables it)")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        connection = http.client.HTTPConnection(self.server.backend_host, self.server.backend_port, timeout=self.server.backend_timeout)
        try:
            connection.request(self.command, self.path, body=body if body or self.command in ("POST", "PUT") else None, headers=headers)
            response = connection.getresponse()
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _HOP_BY_HOP:
                    self.send_header(key, value)
            self.end_headers()
            while chunk := response.read(65536):
                self.wfile.write(chunk)
        except OSError as exc:
            log.warning("oxigraph server did not answer: %s", exc)
            try:
                self._refuse(502, "the oxigraph server did not answer")
            except OSError:
                pass
        finally:
            connection.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _forward

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        log.debug("%s - %s", self.client_address[0], format % args)


class GuardServer(ThreadingHTTPServer):
    """The guard: listens on ``address``, forwards to the oxigraph server at
    ``backend_host:backend_port``.

    Attributes:
        backend_timeout: seconds the guard waits for the oxigraph server.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend_host: str, backend_port: int, backend_timeout: float) -> None:
        self.backend_host = backend_host
        self.backend_port = backend_port
        self.backend_timeout = backend_timeout
        super().__init__(address, _Handler)


def make_guard(host: str, port: int, backend_port: int, backend_timeout: float) -> GuardServer:
    """A :class:`GuardServer` on ``host:port`` in front of oxigraph on
    ``127.0.0.1:backend_port`` (IPv6 when ``host`` is an IPv6 address).

    Raises:
        OSError: when the address cannot be listened on.
    """
    if ":" in host:
        import socket

        class _V6(GuardServer):
            address_family = socket.AF_INET6

        return _V6((host, port), "127.0.0.1", backend_port, backend_timeout)
    return GuardServer((host, port), "127.0.0.1", backend_port, backend_timeout)


def serve_in_thread(server: GuardServer) -> threading.Thread:
    """Run ``server`` in a daemon thread (for tests); stop it with ``server.shutdown()``."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
