"""Other stores and readers the tests run the dumps and the named queries on:
Virtuoso 7 (Debian ``virtuoso-opensource``), Apache Jena (Debian
``libapache-jena-java``: ``riot`` and ``arq``) and Node (N3.js and jsonld.js,
``tests/node``). ``.ci/run`` installs all of them; on a machine without one,
its tests are skipped with the reason, unless ``OSCE_KG_REQUIRE_STORES=1``
(set by ``.ci/run``) makes a missing one a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from ._lod_support import free_port, stop
from osce_kg.sparql import NamedQuery, QueryResult, apply_folded, folded_filters, join_values

NODE_DIR = Path(__file__).resolve().parent / "node"
JAVA_DIR = Path("/usr/share/java")

#: jars of Debian's Jena 4.5 and its dependencies that riot and arq need
JENA_JARS: tuple[str, ...] = (
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-iri", "jena-shacl", "jena-shex",
    "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction",
    "jena-tdb", "jena-tdb2", "jena-rdfconnection",
    "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "gson", "guava", "httpclient", "httpclient-cache", "httpcore", "jackson-annotations", "jackson-core",
    "jackson-databind", "jakarta.json-api", "jsonld-java", "protobuf", "slf4j-api", "slf4j-nop", "thrift",
    "titanium-json-ld",
)

#: the Virtuoso administrator of a new database
VIRTUOSO_USER = ("dba", "dba")


def require(tool: str, available: bool, how: str) -> None:
    """Skip the test when ``tool`` is missing, or fail under ``.ci/run``."""
    if available:
        return
    message = f"{tool} is not installed ({how}); .ci/run installs it"
    if os.environ.get("OSCE_KG_REQUIRE_STORES") == "1":
        pytest.fail(message)
    pytest.skip(message)


# ---------------------------------------------------------------------------
# Virtuoso


def virtuoso_executable() -> str | None:
    return shutil.which("virtuoso-t")


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {dir}
VADInstallDir = {dir}/vad

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpTimeout = 300
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    """A running ``virtuoso-t`` on loopback ports, in its own folder."""

    base: str
    folder: Path
    process: subprocess.Popen[bytes]

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol service that takes (Digest) credentials."""
        return f"{self.base}/sparql-graph-crud-auth"

    def count_quads(self, prefix: str = "https://w3id.org/osce-kg/") -> int:
        """Quads in the graphs whose IRI starts with ``prefix``."""
        query = f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
        response = httpx.get(self.sparql_url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])


@contextlib.contextmanager
def running_virtuoso(folder: Path, timeout: float = 90.0) -> Iterator[Virtuoso]:
    """Start ``virtuoso-t +foreground`` with a ``virtuoso.ini`` of its own
    in ``folder`` (a new database, loopback only), wait until its SPARQL
    endpoint answers (at most ``timeout`` seconds), stop it afterwards."""
    executable = virtuoso_executable()
    assert executable is not None
    sql_port, http_port = free_port(), free_port()
    for sub in ("www", "vad"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [executable, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=log, stderr=subprocess.STDOUT
    )
    server = Virtuoso(f"http://127.0.0.1:{http_port}", folder, process)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with status {process.returncode}: {_tail(folder / 'virtuoso.log')}")
            try:
                answer = httpx.get(server.sparql_url, params={"query": "ASK { ?s ?p ?o }"}, timeout=2.0)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Virtuoso did not answer within {timeout} s: {_tail(folder / 'virtuoso.log')}")
            time.sleep(0.2)
        yield server
    finally:
        stop(process)
        log.close()


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# ---------------------------------------------------------------------------
# Jena


def jena_available() -> bool:
    return shutil.which("java") is not None and all((JAVA_DIR / f"{jar}.jar").is_file() for jar in JENA_JARS)


def jena_classpath(folder: Path) -> str:
    """The class path of Debian's Jena 4.5 commands. Debian repackages the
    Xerces copy of ``jena-core.jar`` as ``xerces.*`` but leaves its message
    files under ``org/apache/jena/ext/xerces/``, so Jena fails at start-up
    ("internal error" in ``XSSimpleTypeDecl``); the files are copied to
    ``folder/xerces/`` and ``folder`` goes first on the class path."""
    target = folder / "xerces"
    if not target.is_dir():
        prefix = "org/apache/jena/ext/xerces/"
        with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
            for name in jar.namelist():
                if name.startswith(prefix) and name.endswith(".properties"):
                    out = target / name[len(prefix):]
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(jar.read(name))
    return os.pathsep.join([str(folder)] + [str(JAVA_DIR / f"{jar}.jar") for jar in JENA_JARS])


def jena(classpath: str, main: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the Jena command class ``main`` (``riotcmd.riot``, ``arq.arq``)."""
    return subprocess.run(["java", "-cp", classpath, main, *args], capture_output=True, text=True, timeout=timeout)


def arq_select(classpath: str, data: Path, query_file: Path) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    """The variables and rows (pyoxigraph terms) ARQ gives for the SELECT
    query in ``query_file`` over the RDF file ``data``."""
    done = jena(classpath, "arq.arq", f"--data={data}", f"--query={query_file}", "--results=json")
    if done.returncode != 0:
        raise AssertionError(f"arq failed ({done.returncode}): {done.stderr.strip()[:500]}")
    result = ox.parse_query_results(done.stdout.encode("utf-8"), format=ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QuerySolutions)
    variables = tuple(v.value for v in result.variables)
    return variables, [tuple(solution[v] for v in variables) for solution in result]


# ---------------------------------------------------------------------------
# Node


def node_readers_available() -> bool:
    return shutil.which("node") is not None and (NODE_DIR / "node_modules" / "n3").is_dir() and (NODE_DIR / "node_modules" / "jsonld").is_dir()


def node_read(files: list[Path]) -> dict[str, dict[str, object]]:
    """What N3.js / jsonld.js read in each of ``files`` (tests/node/read_dumps.mjs)."""
    done = subprocess.run(
        ["node", str(NODE_DIR / "read_dumps.mjs"), *map(str, files)], capture_output=True, text=True, timeout=300, cwd=NODE_DIR
    )
    out = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {Path(item["file"]).name: item for item in out}


# ---------------------------------------------------------------------------
# rows


def finished(variables: tuple[str, ...], rows: list[tuple[object, ...]], query: NamedQuery, params: Mapping[str, str]) -> QueryResult:
    """Rows of pyoxigraph terms from another engine, as osce-kg shows them:
    the ``# join:`` columns joined, the folded parameters applied."""
    joined = join_values(QueryResult(variables=variables, rows=tuple(rows)), query.joined)  # type: ignore[arg-type]
    return apply_folded(joined, folded_filters(query, params), query.joined)
