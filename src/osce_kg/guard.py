"""A guard in front of the oxigraph server (``osce-kg serve``): it refuses
SPARQL texts that would make the server fetch a URL or that no parser
should be given, and passes everything else through unchanged.

Why: the oxigraph server runs ``SERVICE <url> { ... }`` (and, writable,
``LOAD <url>``) by sending an HTTP request to ``url``, any URL, with no
option to turn that off. A public endpoint would let any client make the
server fetch internal addresses (server-side request forgery). And a query
nested a few thousand levels deep overflows its parser's stack and kills
it. So ``serve`` runs oxigraph on a free loopback port, watched
(:class:`Backend`: restarted when it dies), and this guard on the address
the user asked for; with ``--allow-service`` the guard is not used.

What is checked: the ``query`` and ``update`` parameters of the URL and of
``application/x-www-form-urlencoded`` bodies, and bodies of type
``application/sparql-query`` / ``application/sparql-update`` (SPARQL 1.1
Protocol, sections 2.1 and 2.2), each by
:func:`osce_kg.sparql_lexer.check_text` on its tokens (never on text
patterns): ``SERVICE`` and ``LOAD`` get HTTP 403, nesting deeper than
:data:`osce_kg.sparql_lexer.MAX_NESTING` and texts the lexer cannot read
get 400, each with a plain-text reason. A SPARQL text may have at most
:data:`MAX_SPARQL_BYTES` bytes (413); other request bodies (Graph Store
uploads) :data:`MAX_BODY`; request bodies must have a ``Content-Length``
(411 otherwise); a request with two ``Content-Type`` headers gets 400.
"""

from __future__ import annotations

import http.client
import logging
import socket
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import sparql_lexer

__all__ = ["uses_service", "without_literals", "Backend", "GuardServer", "make_guard"]

log = logging.getLogger(__name__)

#: hop-by-hop headers (RFC 9110 section 7.6.1), not forwarded either way
_HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
}

#: largest request body the guard reads, in bytes (Graph Store uploads included)
MAX_BODY = 1024 * 1024 * 1024

#: largest SPARQL query or update text (body or URL) the guard passes, in bytes
MAX_SPARQL_BYTES = 16 * 1024 * 1024

#: largest SPARQL answer sent, in bytes (a larger one gets HTTP 507)
MAX_RESULT_BYTES = 256 * 1024 * 1024

#: what oxigraph writes at the end of an answer it cancelled at its timeout
#: (after the status 200 was sent)
_CANCELLED = b"The SPARQL operation has been cancelled"

_SPARQL_MEDIA = ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded")


def without_literals(text: str) -> str:
    """The SPARQL text ``text`` with its comments, strings and IRIs made
    spaces (:func:`osce_kg.sparql_lexer.without_literals`)."""
    return sparql_lexer.without_literals(text)


def uses_service(text: str) -> bool:
    """True when the SPARQL text ``text`` may hold the ``SERVICE`` keyword in
    any reading a parser may take (:func:`osce_kg.sparql_lexer.keyword_hits`)."""
    try:
        return "service" in sparql_lexer.keyword_hits(text, ("service",))
    except sparql_lexer.SparqlRefusal:
        return True


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
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            limit = MAX_SPARQL_BYTES if media in _SPARQL_MEDIA else MAX_BODY
            if not length.isdigit() or int(length) > limit:
                self._refuse(413, f"request body too large (at most {limit} bytes)")
                return
            body = self.rfile.read(int(length))
        if len(self.headers.get_all("Content-Type") or []) > 1:
            self._refuse(400, "more than one Content-Type header")
            return
        texts = _sparql_texts(self.path, self.headers.get("Content-Type", ""), body)
        for text in texts:
            try:
                sparql_lexer.check_text(text)
            except sparql_lexer.SparqlRefusal as exc:
                log.warning("refused a request from %s: %s", self.client_address[0], exc.reason)
                if exc.kind in ("service", "load"):
                    self._refuse(403, f"{exc.reason}; osce-kg serve --allow-service enables it")
                else:
                    self._refuse(400, exc.reason)
                return
        backend = self.server.backend
        if backend is not None and not backend.ready.wait(backend.start_timeout):
            self._refuse(503, "the SPARQL server is restarting; try again shortly")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        if texts and self.server.query_timeout is not None:
            self._forward_sparql(headers, body)
            return
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

    def _forward_sparql(self, headers: dict[str, str], body: bytes) -> None:
        """Forward a SPARQL query or update and hold the answer until it is
        whole (in a spooled file): the client gets 200 only for a complete
        answer; an answer the backend cancelled at its timeout, or that is
        not whole ``grace`` seconds after it, gets 504; one larger than
        ``max_result_bytes`` gets 507 (see the module doc)."""
        server = self.server
        timeout = server.query_timeout or 0.0
        deadline = time.monotonic() + timeout + server.grace
        connection = http.client.HTTPConnection(server.backend_host, server.backend_port, timeout=timeout + server.grace)
        overran = False
        try:
            with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
                try:
                    connection.request(self.command, self.path, body=body if body or self.command in ("POST", "PUT") else None, headers=headers)
                    response = connection.getresponse()
                    size = 0
                    tail = b""
                    while True:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise TimeoutError
                        if connection.sock is not None:
                            connection.sock.settimeout(left)
                        chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                        if not chunk:
                            break
                        size += len(chunk)
                        if size > server.max_result_bytes:
                            log.warning("a result over %d bytes was cut (client %s)", server.max_result_bytes, self.client_address[0])
                            self._refuse(
                                507,
                                f"the result is larger than {server.max_result_bytes} bytes, the most this server sends; "
                                "ask for less (LIMIT, fewer variables)",
                            )
                            return
                        spool.write(chunk)
                        tail = (tail + chunk)[-256:]
                except (TimeoutError, socket.timeout):
                    overran = True
                    log.warning("a query ran past the timeout of %g s (client %s)", timeout, self.client_address[0])
                    self._refuse(504, f"the query ran past the timeout of {timeout:g} s and was stopped")
                    return
                except (OSError, http.client.HTTPException) as exc:
                    log.warning("oxigraph server did not answer: %s", exc)
                    self._refuse(502, "the oxigraph server did not answer")
                    return
                if response.status == 200 and tail.rstrip().endswith(_CANCELLED):
                    log.warning("a query was cancelled at the timeout of %g s (client %s)", timeout, self.client_address[0])
                    self._refuse(504, f"the query ran past the timeout of {timeout:g} s and was cancelled")
                    return
                self.send_response(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                if self.command != "HEAD":
                    spool.seek(0)
                    while chunk := spool.read(65536):
                        self.wfile.write(chunk)
        except OSError:
            pass  # the client went away
        finally:
            connection.close()
            if overran and server.backend is not None:
                # the backend may go on computing: a restart frees its CPU and memory
                server.backend.recycle(f"a query ran past the timeout of {timeout:g} s")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _forward

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        log.debug("%s - %s", self.client_address[0], format % args)


class Backend:
    """The oxigraph server process behind the guard: started, watched, and
    started again (the restart logged) when it dies, e.g. of a query its
    parser or evaluator cannot survive.

    Args:
        command: the oxigraph command line (it listens on ``127.0.0.1:port``).
        port: the loopback port it listens on.
        max_restarts: restarts allowed within ``window`` seconds; one more
            and the backend is given up (:attr:`failure` says why).
        start_timeout: seconds a start may take before it counts as failed.
    """

    def __init__(
        self, command: list[str], port: int, *, max_restarts: int = 5, window: float = 60.0, start_timeout: float = 30.0
    ) -> None:
        self.command = command
        self.port = port
        self.max_restarts = max_restarts
        self.window = window
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        #: set while the backend listens
        self.ready = threading.Event()
        #: why the backend was given up (None while it runs)
        self.failure: str | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._starts: deque[float] = deque()
        self._errors = tempfile.TemporaryFile()
        self._recycle_lock = threading.Lock()
        self._recycling: str | None = None

    def messages(self) -> str:
        """The last 500 characters the server wrote to its standard error, on one line."""
        self._errors.seek(0)
        text = " ".join(self._errors.read().decode("utf-8", errors="replace").split())[-500:]
        self._errors.seek(0, 2)
        return text

    def start(self) -> None:
        """Start the server and wait until it listens.

        Raises:
            OSError: (a message naming the command) when it exits or does
                not listen within ``start_timeout`` seconds.
        """
        self.ready.clear()
        self._errors.seek(0)
        self._errors.truncate()
        self._starts.append(time.monotonic())
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=self._errors)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.process.poll() is not None:
                why = self.messages()
                raise OSError(f"the oxigraph server did not start (exit status {self.process.returncode}){': ' + why if why else ''}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self._kill()
                    raise OSError(f"the oxigraph server did not answer within {self.start_timeout:g} s: {' '.join(self.command)}") from None
                time.sleep(0.05)
        self.ready.set()

    def _restart(self, on_failure: Callable[[], None]) -> bool:
        """Start the server again; on failure set :attr:`failure`, call
        ``on_failure`` and return False."""
        try:
            self.start()
        except OSError as exc:
            self.failure = f"the oxigraph server could not be restarted: {exc}"
            on_failure()
            return False
        return True

    def watch(self, on_failure: Callable[[], None], interval: float = 0.2) -> threading.Thread:
        """Watch the server in a daemon thread: when it dies, log it and
        start it again; when that fails, or it died more than
        ``max_restarts`` times within ``window`` seconds, set
        :attr:`failure` and call ``on_failure``."""

        def run() -> None:
            while not self._stopping.wait(interval):
                process = self.process
                if process is None or process.poll() is None:
                    continue
                self.ready.clear()
                with self._recycle_lock:
                    recycled, self._recycling = self._recycling, None
                if recycled:
                    log.warning("restarting the oxigraph server: %s (to free its CPU and memory)", recycled)
                    if not self._restart(on_failure):
                        return
                    self._starts.pop()  # a restart on purpose is no death
                    continue
                why = self.messages()
                log.error(
                    "the oxigraph server stopped (exit status %s%s); restarting it",
                    process.returncode, f": {why}" if why else "",
                )
                now = time.monotonic()
                while self._starts and self._starts[0] < now - self.window:
                    self._starts.popleft()
                if len(self._starts) > self.max_restarts:
                    self.failure = f"the oxigraph server stopped {len(self._starts)} times within {self.window:g} s"
                    on_failure()
                    return
                if not self._restart(on_failure):
                    return
                self.restarts += 1
                log.warning("the oxigraph server was restarted (restart %d)", self.restarts)

        thread = threading.Thread(target=run, name="backend-watch", daemon=True)
        thread.start()
        return thread

    def recycle(self, reason: str) -> None:
        """Restart the server on purpose (it ran a query past its timeout):
        stopped here, started again by :meth:`watch` without counting it as
        a death."""
        with self._recycle_lock:
            process = self.process
            if process is None or process.poll() is not None or self._stopping.is_set():
                return
            self._recycling = reason
            self.ready.clear()
            process.kill()

    def _kill(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait()

    def stop(self) -> None:
        """Stop watching and stop the server."""
        self._stopping.set()
        self.ready.clear()
        self._kill()
        self._errors.close()


class GuardServer(ThreadingHTTPServer):
    """The guard: listens on ``address``, forwards to the oxigraph server at
    ``backend_host:backend_port``.

    Attributes:
        backend_timeout: seconds the guard waits for the oxigraph server.
    """

    daemon_threads = True
    #: the watched backend process, when the guard runs one (requests wait
    #: for it while it restarts)
    backend: Backend | None = None
    #: the backend's query timeout in seconds; SPARQL answers are held until
    #: whole when it is set (None: streamed as they come)
    query_timeout: float | None = None
    #: seconds past ``query_timeout`` an answer may take before it is given up
    grace: float = 1.5
    #: largest SPARQL answer sent, in bytes
    max_result_bytes: int = MAX_RESULT_BYTES

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
