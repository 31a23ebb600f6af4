"""Shared helpers of the dump, store, endpoint and site tests: the seed
build, a real ``oxigraph serve`` process on a free loopback port, a tiny
HTTP stub for fault tests, ``site-serve`` in a thread, and row
comparison. Test modules import the fixtures they use by name.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from osce_kg.publish.formats import Publication
from osce_kg.pipeline import BuildConfig, BuildResult, build
from osce_kg.sparql import QueryResult
from osce_kg.resources import default_sources_dir
from osce_kg.siteserve import make_site_server
from osce_kg.store import oxigraph_executable

#: options of the seed build used by the dump tests
SEED_PUBLICATION = Publication(
    compress=True,
    license="https://creativecommons.org/licenses/by/4.0/",
    sparql_endpoint="https://example.org/osce-kg/sparql",
)


@dataclass
class SeedBuild:
    """The seed page built into ``folder`` with :data:`SEED_PUBLICATION`."""

    folder: Path
    result: BuildResult

    def file(self, name: str) -> Path:
        return self.folder / name


@pytest.fixture(scope="session")
def lod_build(tmp_path_factory: pytest.TempPathFactory) -> SeedBuild:
    folder = tmp_path_factory.mktemp("seed-build")
    result = build(BuildConfig.of([default_sources_dir()], output=folder, publication=SEED_PUBLICATION))
    assert result.exit_code == 0, result.report.summary()
    return SeedBuild(folder, result)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answers(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers any HTTP status (the server is up).

    Raises:
        RuntimeError: when ``process`` exited, or after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process`` and wait for it (kill after 10 s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve`` process."""

    base: str
    location: Path
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def count_quads(self) -> int:
        """Quads in all named graphs, counted by the server."""
        response = httpx.post(
            self.query_url,
            content=b"SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
            timeout=30,
        )
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])


@contextlib.contextmanager
def running_oxigraph(location: Path) -> Iterator[OxigraphServer]:
    """``oxigraph serve --location LOCATION`` (writable, union default graph)
    on a free loopback port; stopped when the block ends."""
    port = free_port()
    command = [oxigraph_executable(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server = OxigraphServer(f"http://127.0.0.1:{port}", location, process)
        wait_until_answers(server.base + "/", process)
        yield server
    finally:
        stop(process)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server


@dataclass
class StubServer:
    """A local HTTP server that answers every request with ``status`` and
    records what it got."""

    status: int
    port: int = 0
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def stub_server(status: int) -> Iterator[StubServer]:
    stub = StubServer(status)

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            stub.requests.append((self.command, self.path, self.headers.get("Authorization")))
            body = b"stub failure" if stub.status >= 400 else b""
            self.send_response(stub.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_PUT = do_POST = do_GET = _answer

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def rows_n3(result: QueryResult) -> list[tuple[str, ...]]:
    """The rows of ``result`` as sorted tuples of N-Triples terms ('' = unbound)."""
    return sorted(tuple("" if cell is None else str(cell) for cell in row) for row in result.rows)


def has_rapper() -> bool:
    return any(os.access(Path(folder) / "rapper", os.X_OK) for folder in os.environ.get("PATH", "").split(os.pathsep) if folder)


#: one value per parameter of the shipped queries, matching the seed data,
#: and a value that tries to break out of the query text
PARAM_VALUES: dict[str, dict[str, str]] = {
    "field-operations": {"closed": "true"},
    "items": {"contentType": "News"},
    "meetings": {"from": "2021-01-01", "to": "2021-12-31"},
    "partners": {"group": "Asian"},
    "persons": {"name": "HAKAN jev"},
    "statements": {"speaker": "Håkan Jeverell"},
    "structures": {"kind": "FieldOperation"},
}

INJECTION = 'x") } } ; DROP ALL ; SELECT * { ?s ?p ?o # \\" \' """'


@contextlib.contextmanager
def running_site(out: Path, prefix: str = "/osce-kg") -> Iterator[str]:
    """``site-serve`` of the output folder ``out`` in a thread on a free
    loopback port, mounted under ``prefix``; yields its base URL
    (``http://127.0.0.1:PORT/osce-kg``, no trailing slash)."""
    srv = make_site_server(out, "127.0.0.1:0", prefix=prefix)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}{prefix}"
    finally:
        srv.shutdown()
        srv.server_close()
