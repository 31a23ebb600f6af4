"""Hostile SPARQL clients of ``osce-kg serve`` and ``osce-kg query`` (issue
21): the one lexer (:mod:`osce_kg.sparql_lexer`) finds SERVICE and LOAD in
every disguise, refuses deep nesting before a parser sees it, and the
server restarts its backend when it dies."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from osce_kg.cli import main
from osce_kg.guard import Backend, uses_service
from osce_kg.sparql_lexer import MAX_NESTING, LexError, SparqlRefusal, check_text, keyword_hits, nesting_depth, tokenize
from tests._lod_support import free_port, stop, wait_until_answers

U = "http://127.0.0.1:9/x"

#: SERVICE in disguises a parser still runs (each was checked against Oxigraph)
SERVICE_DISGUISES = [
    f"SELECT * {{ #x\rSERVICE <{U}> {{ ?s ?p ?o }} }}",  # a comment ended by CR
    f"SELECT * {{ #x\r\nSERVICE <{U}> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ sErViCe <{U}> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ SERVICESILENT<{U}>{{ ?s ?p ?o }} }}",  # no word boundary
    f"PREFIX x: <{U}> SELECT * {{ SERVICEx:a {{ ?s ?p ?o }} }}",
    f"PREFIX : <{U}> SELECT * {{ SERVICE:a {{ ?s ?p ?o }} }}",
    f"SELECT * {{ ?s ?p trueSERVICE<{U}>{{ ?s ?p ?o }} }}",
    f"SELECT * {{ \\u0053ERVICE <{U}> {{ ?s ?p ?o }} }}",  # a codepoint escape (SPARQL 1.1, 19.2)
    f"SELECT * {{ ?s ?p ?a FILTER(?a<'>\"') . SERVICE <{U}> {{ ?s ?p ?o }} # \"\n}}",  # < as less-than
    f"SELECT * {{ ?s ?p ?a FILTER(?a<#>\"\"\"\n1) SERVICE <{U}> {{ ?s ?p ?o }} #\"\"\"\n}}",
    f"SELECT * {{ ?s ?p '''x''' SERVICE\t<{U}>{{}} }}",
    f"SELECT * {{ ?s ?p \"a\\\"\" . SERVICE <{U}> {{}} }}",
    f"SELECT * {{ ?s ?p 'a\\'' . SERVICE ?v {{}} }}",
    f"SELECT * {{ ?s ?p \"\"\"a\"\"\"\" SERVICE <{U}> {{}} }}",
]

NOT_SERVICE = [
    "SELECT * { ?s ?p ?o } # SERVICE in a comment",
    "SELECT * { ?s ?p ?o } # x\n",
    'SELECT * { ?s ?p "SERVICE <http://x/>" }',
    "SELECT * { ?s ?p '''a\nSERVICE <http://x/> {}''' }",
    "SELECT ?service { ?s <http://x/SERVICE> ?service }",
    "PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?o . ?s schema:serviceType ?t }",
    "PREFIX ex: <http://x/#> SELECT * { ?s ex:p ?o FILTER(?o < 3) }",
]


@pytest.mark.parametrize("text", SERVICE_DISGUISES)
def test_service_guard_cr_comment_bypass(text: str) -> None:
    """The CR-ended comment of issue 21 and every other disguise is found."""
    assert uses_service(text)
    with pytest.raises(SparqlRefusal) as refused:
        check_text(text)
    assert refused.value.kind in ("service", "unreadable")


@pytest.mark.parametrize("text", NOT_SERVICE)
def test_service_guard_leaves_plain_queries(text: str) -> None:
    assert not uses_service(text)
    check_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://127.0.0.1:9/x>",
        "load silent <http://127.0.0.1:9/x> INTO GRAPH <http://g>",
        "#\rLOAD <http://127.0.0.1:9/x>",
        "CLEAR ALL ; LOAD<http://127.0.0.1:9/x>",
        "\\u004cOAD <http://127.0.0.1:9/x>",
    ],
)
def test_service_guard_load_refused(text: str) -> None:
    with pytest.raises(SparqlRefusal) as refused:
        check_text(text)
    assert refused.value.kind in ("load", "unreadable")


def test_service_guard_nesting_limit() -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    assert nesting_depth(deep) == 3000
    with pytest.raises(SparqlRefusal) as refused:
        check_text(deep)
    assert refused.value.kind == "nesting" and str(MAX_NESTING) in refused.value.reason
    ok = "SELECT * WHERE " + "{" * MAX_NESTING + " ?s ?p ?o " + "}" * MAX_NESTING
    check_text(ok)
    # brackets in strings, IRIs and comments do not count
    assert nesting_depth('SELECT * { ?s ?p "{{{{" } # (((((\n') == 1


def test_sparql_lexer_tokens_and_errors() -> None:
    kinds = [(t.kind, t.text) for t in tokenize("SELECT ?x { ?x e:a\\'b \"s\"@en-GB ; <i> 1.5e3 , _:b1 } #c\rLIMIT 5") if t.kind != "ws"]
    assert kinds == [
        ("word", "SELECT"), ("var", "?x"), ("punct", "{"), ("var", "?x"), ("pname", "e:a\\'b"), ("string", '"s"'),
        ("langtag", "@en-GB"), ("punct", ";"), ("iri", "<i>"), ("number", "1.5e3"), ("punct", ","), ("bnode", "_:b1"),
        ("punct", "}"), ("comment", "#c"), ("word", "LIMIT"), ("number", "5"),
    ]
    with pytest.raises(LexError, match="unterminated string"):
        list(tokenize('SELECT * { ?s ?p "open }'))
    with pytest.raises(SparqlRefusal) as refused:
        check_text('SELECT * { ?s ?p "\\q" }')  # not an escape of SPARQL
    assert refused.value.kind == "unreadable"
    assert keyword_hits("SELECT * {}") == set()


# --------------------------------------------------------------------------- query (local)


@pytest.mark.parametrize("levels", [1000, 3000])
def test_query_deep_nesting_exits_2(tmp_path: Path, levels: int) -> None:
    """3,000 nested ``{`` crashed ``query`` with a segmentation fault, 1,000
    with RecursionError: now exit 2 and a message, no parser asked."""
    data = tmp_path / "d.nt"
    data.write_text('<http://a> <http://b> "1" .\n', encoding="utf-8")
    text = "SELECT * WHERE " + "{" * levels + " ?s ?p ?o " + "}" * levels
    process = subprocess.run(
        [sys.executable, "-m", "osce_kg.cli", "query", "--query", text, str(data)], capture_output=True, text=True, timeout=120
    )
    assert process.returncode == 2, process.stderr
    assert f"nests {{, ( and [ {levels} levels deep" in process.stderr and "internal error" not in process.stderr


def test_query_nesting_below_the_limit_runs(tmp_path: Path) -> None:
    """Below the limit rdflib's recursive parser has room (it stopped at
    about 30 levels before)."""
    data = tmp_path / "d.nt"
    data.write_text('<http://a> <http://b> "1" .\n', encoding="utf-8")
    text = "SELECT * WHERE { ?s ?p ?o FILTER" + "(" * 60 + "true" + ")" * 60 + " }"
    result = CliRunner().invoke(main, ["query", "--query", text, "--format", "csv", str(data)])
    assert result.exit_code == 0, result.output
    assert "http://a" in result.stdout


# --------------------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guard") / "store"
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("1"), ox.NamedNode("http://g")))
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def served(small_store: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "serve", "--store", str(small_store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop(process)


def _ask(base: str) -> httpx.Response:
    return httpx.get(f"{base}/query", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}, timeout=30)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_service_guard_cr_comment_bypass_served(served: tuple[str, subprocess.Popen[bytes]]) -> None:
    """Through the server: the disguises get 403 and the trap sees no connection."""
    base, _process = served
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as target:
        target.bind(("127.0.0.1", 0))
        target.listen(5)
        target.setblocking(False)
        trap = f"http://127.0.0.1:{target.getsockname()[1]}/x"
        for text in SERVICE_DISGUISES:
            text = text.replace(U, trap)
            response = httpx.post(f"{base}/query", content=text, headers={"Content-Type": "application/sparql-query"})
            assert response.status_code in (400, 403), (text, response.status_code)
        load = httpx.post(f"{base}/update", data={"update": f"#\rLOAD <{trap}>"})
        assert load.status_code == 403 and "LOAD is disabled" in load.text
        with pytest.raises(BlockingIOError):
            target.accept()
    assert _ask(base).json()["boolean"] is True


@pytest.mark.slow
def test_serve_deep_nesting_400(served: tuple[str, subprocess.Popen[bytes]]) -> None:
    """The 6 KB query that killed the backend for good gets 400 with the
    reason, and the server answers afterwards."""
    base, _process = served
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    response = httpx.post(f"{base}/query", content=deep, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "3000 deep" in response.text
    assert _ask(base).status_code == 200


@pytest.mark.slow
def test_serve_backend_death_restart(served: tuple[str, subprocess.Popen[bytes]]) -> None:
    """When the backend dies anyway (killed here) it is restarted, the restart
    is logged and ``ASK {}`` is answered again."""
    base, process = served
    children = _children(process.pid)
    assert children
    for child in children:
        os.kill(child, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while True:
        try:
            if _ask(base).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the backend was not restarted"
        time.sleep(0.2)
    assert _children(process.pid) and set(_children(process.pid)).isdisjoint(children)


def test_serve_backend_death_gives_up(tmp_path: Path) -> None:
    """A backend that keeps dying is given up: the failure is named and the
    guard is stopped (``serve`` then exits 3)."""
    port = free_port()
    script = (
        "import socket, time; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
        f"s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(0.3)"
    )
    backend = Backend([sys.executable, "-c", script], port, max_restarts=2, window=60)
    failed: list[bool] = []
    backend.start()
    try:
        backend.watch(lambda: failed.append(True), interval=0.05)
        deadline = time.monotonic() + 30
        while not failed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert failed and backend.failure and "stopped 3 times" in backend.failure
    finally:
        backend.stop()


# --------------------------------------------------------------------------- serve: timeouts and large answers


@pytest.fixture(scope="module")
def wide_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 triples: a three-way join has 2.7e10 rows."""
    path = tmp_path_factory.mktemp("wide") / "store"
    store = ox.Store(str(path))
    store.bulk_extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)), ox.DefaultGraph())
        for i in range(3000)
    )
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def slow_served(wide_store: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "serve", "--store", str(wide_store), "--bind", f"127.0.0.1:{port}",
         "--timeout", "2", "--max-result-bytes", "100000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop(process)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f }",
        "SELECT * { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f } ORDER BY ?b ?d ?f",
        "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f . ?g ?p ?h }",
    ],
)
def test_serve_timeout_error_status(slow_served: tuple[str, subprocess.Popen[bytes]], text: str) -> None:
    """A slow query answered 200 with "cancelled" inside the CSV after 21 s:
    now an error status within --timeout + 2 s, and the backend is idle
    within 5 s afterwards."""
    base, process = slow_served
    started = time.monotonic()
    response = httpx.post(f"{base}/query", data={"query": text}, headers={"Accept": "text/csv"}, timeout=60)
    took = time.monotonic() - started
    assert response.status_code in (504, 507), response.text[-300:]
    assert took < 2 + 2 + 0.5, took
    deadline = time.monotonic() + 5
    while True:
        children = _children(process.pid)
        if children:
            before = sum(_cpu_seconds(c) for c in children)
            time.sleep(0.5)
            if sum(_cpu_seconds(c) for c in _children(process.pid)) - before < 0.1:
                break
        assert time.monotonic() < deadline, "the backend still computes"
    assert _ask(base).json()["boolean"] is True


@pytest.mark.slow
def test_serve_large_result_cut_with_error(slow_served: tuple[str, subprocess.Popen[bytes]]) -> None:
    base, _process = slow_served
    response = httpx.post(f"{base}/query", data={"query": "SELECT * { ?s ?p ?o }"}, headers={"Accept": "text/csv"}, timeout=60)
    assert response.status_code == 507 and "larger than 100000 bytes" in response.text
    small = httpx.post(f"{base}/query", data={"query": "SELECT * { ?s ?p ?o } LIMIT 3"}, headers={"Accept": "text/csv"}, timeout=60)
    assert small.status_code == 200 and len(small.text.splitlines()) == 4


@pytest.mark.slow
def test_serve_backend_death_cannot_restart_exits_3(small_store: Path, tmp_path: Path) -> None:
    """A backend that dies and cannot be started again ends ``serve`` with
    exit 3 and the reason, rather than answering 502 for ever."""
    store = tmp_path / "store"
    shutil.copytree(small_store, store)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "serve", "--store", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/", process)
        store.rename(tmp_path / "moved")  # the running backend keeps its files; a new one finds none
        for child in _children(process.pid):
            os.kill(child, signal.SIGKILL)
        _out, err = process.communicate(timeout=60)
    finally:
        stop(process)
    assert process.returncode == 3, err
    assert "the oxigraph server stopped" in err and "could not be restarted" in err
