"""Issue 11: bad input, hostile clients and faults give a clear error and the
documented exit code, and lose nothing. One test per fault of the issue,
named after it; each asserts the message, the exit code, and that the
previous output or store is unchanged.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from osce_kg import BuildConfig, build
from osce_kg.cli import EXIT_CODES, main
from osce_kg.errors import StoreError, UsageError, display
from osce_kg.guard import uses_service
from osce_kg.sources import MAX_HTML_DEPTH, MAX_PAGE_BYTES, html_depth
from osce_kg.store import RetryPolicy, load_endpoint, load_store, named_quads, serve_command, store_writer
from osce_kg.vocab import IriMinter, check_base_iri
from tests._lod_support import free_port, running_oxigraph, stop, wait_until_answers
from tests._robustness_support import PAGES, run_cli, snapshot
from tests.conftest import REPO, SEED

FAST = RetryPolicy(retries=0, backoff=0.01, timeout=5.0)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder of the seed page (to copy: tests must not change it)."""
    out = tmp_path_factory.mktemp("good-build") / "out"
    build(BuildConfig.of([SEED], output=out))
    return out


@pytest.fixture()
def previous(good_build: Path, tmp_path: Path) -> Path:
    """A copy of a good build, the output a faulty command must leave alone."""
    out = tmp_path / "previous"
    out.mkdir()
    for name, data in snapshot(good_build).items():
        (out / name).write_bytes(data)
    return out


@pytest.fixture()
def store(good_build: Path, tmp_path: Path) -> Path:
    """An embedded store loaded with the good build."""
    path = tmp_path / "store"
    load_store(path, [good_build])
    return path


def store_quads(path: Path) -> list[str]:
    """The store's quads, sorted, as N-Quads text (for before/after checks)."""
    store = ox.Store.read_only(str(path))
    try:
        return sorted(str(q) for q in store)
    finally:
        del store


def page_graphs(out: Path) -> set[str]:
    lines = (out / "osce-kg.nq").read_text(encoding="utf-8").splitlines()
    return {m.group(1) for line in lines if (m := re.search(r"<([^>]*/graph/page-[^>]*)> \.$", line))}


# --------------------------------------------------------------------------- data lost or mixed up


def test_build_empty_folder_exits_2_and_keeps_previous_output(runner: CliRunner, previous: Path, tmp_path: Path) -> None:
    before = snapshot(previous)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("not a page")
    result = runner.invoke(main, ["build", str(empty), "-o", str(previous)])
    assert result.exit_code == 2, result.output
    assert f"no page found in {empty}" in result.stderr and "nothing written" in result.stderr
    assert "--allow-empty" in result.stderr
    assert snapshot(previous) == before


def test_build_empty_folder_with_allow_empty_builds_the_reference_data(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["build", str(empty), "-o", str(tmp_path / "out"), "--allow-empty"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    assert report["pages"] == 0 and report["triples"] > 0


def test_pages_whose_names_slug_alike_each_get_their_own_graph(runner: CliRunner, tmp_path: Path) -> None:
    """``a b.txt`` / ``a_b.txt``, ``日本.txt`` / ``中国.txt``, ``index.txt`` in
    two folders: six pages, six graphs, readable names for non-Latin ones."""
    one, two, three = tmp_path / "one", tmp_path / "x" / "site", tmp_path / "y" / "site"
    for folder in (one, two, three):
        folder.mkdir(parents=True)
    page = SEED.read_bytes()
    for name in ("a b.txt", "a_b.txt", "日本.txt", "中国.txt"):
        (one / name).write_bytes(page)
    (two / "index.txt").write_bytes(page)
    (three / "index.txt").write_bytes(page)
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(one), str(two), str(three), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert len(report["exported"]) == 6 and len(set(report["exported"])) == 6
    assert "site/index.txt" in report["exported"] and "site/index.txt (2)" in report["exported"]
    graphs = page_graphs(out)
    assert len(graphs) == 6
    assert any("page-日本-txt-" in g for g in graphs) and any("page-中国-txt-" in g for g in graphs)
    assert "6 page(s) exported" in result.stderr


def test_page_graph_names_are_distinct_and_stable() -> None:
    minter = IriMinter("https://example.org/id/")
    keys = ["a b.txt", "a_b.txt", "a-b.txt", "A b.txt", "日本.txt", "中国.txt", "x/index.html", "x-index.html", "index.html"]
    names = [str(minter.page_graph(key)) for key in keys]
    assert len(set(names)) == len(keys)
    assert minter.page_graph("a-b.txt") == minter.page_graph("a-b.txt")
    assert str(minter.page_graph("000_c1c7cd6cd095379c.txt")) == "https://example.org/id/graph/page-000_c1c7cd6cd095379c-txt"


def test_same_file_given_twice_is_read_once(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "p.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(folder), str(folder / "p.txt"), str(folder / "." / "p.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "given twice" in result.stderr and "read once" in result.stderr
    report = json.loads((out / "build-report.json").read_text())
    assert report["pages"] == 1 and report["exported"] == ["p.txt"]


def test_load_with_a_bad_dump_loads_nothing_and_keeps_the_store(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    before = store_quads(store)
    other = tmp_path / "other.nq"
    other.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/s> <http://example.org/p> .\n")
    result = runner.invoke(main, ["load", str(other), str(bad), "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert "bad.ttl: cannot parse" in result.stderr
    assert store_quads(store) == before


def test_failed_load_leaves_no_empty_store_folder(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text("not rdf\n")
    new = tmp_path / "new-store"
    result = runner.invoke(main, ["load", str(bad), "--store", str(new)])
    assert result.exit_code == 2 and "bad.nq: cannot parse" in result.stderr
    assert not new.exists()
    query = runner.invoke(main, ["query", "statements", "--store", str(new)])
    assert query.exit_code == 3 and "no store at" in query.stderr


def test_load_replaces_every_graph_in_one_transaction(store: Path, good_build: Path) -> None:
    """Loading the same build again changes nothing; a graph given by two
    files takes the last file's triples."""
    before = store_quads(store)
    loads = load_store(store, [good_build / "osce-kg.nq", good_build / "osce-kg.trig"])
    assert store_quads(store) == before
    assert len({load.graph for load in loads}) == len(loads)


def _recording_client(statuses: list[int], sent: list[str]) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.params["graph"])
        return httpx.Response(statuses[len(sent) - 1], text="refused by policy" if statuses[len(sent) - 1] >= 400 else "")

    return httpx.Client(transport=httpx.MockTransport(answer))


def test_endpoint_that_refuses_a_graph_is_reported_with_the_graphs_replaced(tmp_path: Path) -> None:
    dump = tmp_path / "three.nq"
    dump.write_text(
        "".join(f"<http://example.org/s> <http://example.org/p> \"{n}\" <http://example.org/g{n}> .\n" for n in (1, 2, 3))
    )
    sent: list[str] = []
    with pytest.raises(StoreError) as caught:
        load_endpoint("http://127.0.0.1:9/store", [dump], policy=FAST, client=_recording_client([204, 403, 204], sent))
    message = str(caught.value)
    assert sent == ["http://example.org/g1", "http://example.org/g2"]
    assert "PUT of graph http://example.org/g2 refused: HTTP 403" in message
    assert "1 of 3 graph(s) were replaced before that (http://example.org/g1)" in message
    assert "not replaced: http://example.org/g2, http://example.org/g3" in message
    assert caught.value.exit_code == 3


def test_endpoint_load_checks_every_dump_before_sending(tmp_path: Path) -> None:
    good = tmp_path / "good.nq"
    good.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix broken\n")
    sent: list[str] = []
    with pytest.raises(Exception) as caught:
        load_endpoint("http://127.0.0.1:9/store", [good, bad], policy=FAST, client=_recording_client([204, 204], sent))
    assert "bad.ttl: cannot parse" in str(caught.value) and caught.value.exit_code == 2  # type: ignore[attr-defined]
    assert sent == []


def test_store_held_by_a_writable_server_is_refused_with_exit_3(runner: CliRunner, store: Path) -> None:
    before = store_quads(store)
    with running_oxigraph(store) as server:
        assert store_writer(store) == server.process.pid
        query = runner.invoke(main, ["query", "statements", "--store", str(store)])
        assert query.exit_code == 3, query.output
        assert f"the store {store} is open for writing by process {server.process.pid}" in query.stderr
        assert "query that server's endpoint instead" in query.stderr
        second = runner.invoke(main, ["serve", "--store", str(store), "--bind", f"127.0.0.1:{free_port()}"])
        assert second.exit_code == 3 and "is open for writing" in second.stderr
    assert store_writer(store) is None
    assert store_quads(store) == before


# --------------------------------------------------------------------------- tracebacks and exit codes


@pytest.mark.parametrize("where", ["file-parent", "proc"])
def test_build_output_folder_not_writable_exits_2_before_the_work(runner: CliRunner, tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = blocker / "out" if where == "file-parent" else Path("/proc/osce-kg-test/out")
    result = runner.invoke(main, ["build", str(SEED), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"output folder {out} cannot be written" in result.stderr and "nothing done" in result.stderr
    assert "page(s) exported" not in result.stderr and "Traceback" not in result.output
    assert blocker.read_text() == "x" and not out.exists()


@pytest.mark.parametrize(
    ("base", "fragment"),
    [
        ("http://[bad/", "is malformed"),
        ("https://example.org/id#", "query string or a fragment"),
        ("https://example.org/id/?x=1", "query string or a fragment"),
        ("https://example.org:99999/id/", "is malformed"),
    ],
)
def test_bad_base_iri_exits_2_and_keeps_previous_output(runner: CliRunner, previous: Path, base: str, fragment: str) -> None:
    before = snapshot(previous)
    result = runner.invoke(main, ["build", str(SEED), "-o", str(previous), "--base-iri", base])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and "Traceback" not in result.output
    assert snapshot(previous) == before
    with pytest.raises(UsageError):
        check_base_iri(base)


def test_load_graph_that_is_not_an_iri_exits_2(runner: CliRunner, store: Path, good_build: Path) -> None:
    before = store_quads(store)
    result = runner.invoke(main, ["load", str(good_build / "osce-kg.ttl"), "--store", str(store), "--graph", "not an iri"])
    assert result.exit_code == 2, result.output
    assert "--graph must be an absolute IRI" in result.stderr and "'not an iri'" in result.stderr
    assert store_quads(store) == before


def test_validate_report_that_cannot_be_written_exits_2(runner: CliRunner, good_build: Path) -> None:
    result = runner.invoke(main, ["validate", str(good_build / "osce-kg.ttl"), "--report", "/proc/x.ttl"])
    assert result.exit_code == 2, result.output
    assert "cannot write the report /proc/x.ttl" in result.stderr and "Traceback" not in result.output
    assert "SHACL validation" not in result.output  # refused before the work


def _closed_port() -> int:
    return free_port()  # nothing listens there


def test_query_whose_service_fails_exits_3(runner: CliRunner, good_build: Path, store: Path, tmp_path: Path) -> None:
    query = tmp_path / "federated.rq"
    query.write_text(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{_closed_port()}/sparql> {{ ?s ?p ?o }} }}\n")
    on_files = runner.invoke(main, ["query", str(query), "--data", str(good_build / "osce-kg.ttl")])
    assert on_files.exit_code == 3, on_files.output
    assert "federated.rq: the query's SERVICE request failed" in on_files.stderr
    before = store_quads(store)
    on_store = runner.invoke(main, ["query", str(query), "--store", str(store)])
    assert on_store.exit_code == 3 and "SERVICE request failed" in on_store.stderr
    assert store_quads(store) == before


@pytest.mark.slow
def test_ctrl_c_stops_the_build_with_exit_130_and_keeps_previous_output(previous: Path, tmp_path: Path) -> None:
    """SIGINT to the whole process group (as a terminal sends it) during a
    2-worker build of many pages: exit 130, one line, no traceback, no
    worker left, the previous output as it was."""
    sources = tmp_path / "many"
    sources.mkdir()
    pages = sorted(p for p in PAGES.iterdir() if p.suffix == ".txt")
    for i in range(12000):  # far more than a few seconds of work, however fast the build
        (sources / f"{i:05d}-{pages[i % len(pages)].name}").write_bytes(pages[i % len(pages)].read_bytes())
    before = snapshot(previous)
    process = subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "build", str(sources), "-o", str(previous), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        # as from a terminal: a test run started in the background inherits
        # SIGINT ignored, which the build would rightly keep
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        # the workers are at work once the incoming release holds page graphs
        deadline = time.monotonic() + 120
        while not any(p.stat().st_size for p in (previous / "releases").glob(".incoming-*/osce-kg.nq")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no page processed in 120 s"
            time.sleep(0.05)
        time.sleep(0.5)
        assert process.poll() is None, process.communicate()
        os.killpg(process.pid, signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err and "KeyboardInterrupt" not in err
    assert snapshot(previous) == before
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker left in the group


def test_serve_on_a_port_in_use_names_the_address_exits_3(runner: CliRunner, store: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = runner.invoke(main, ["serve", "--store", str(store), "--bind", f"127.0.0.1:{port}"])
    assert result.exit_code == 3, result.output
    assert f"cannot serve on 127.0.0.1:{port}: the address is already in use" in result.stderr


@pytest.mark.parametrize("text", ["DROP ALL", "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }", "# comment\nclear default"])
def test_query_given_an_update_says_updates_are_not_run(runner: CliRunner, store: Path, tmp_path: Path, text: str) -> None:
    update = tmp_path / "update.rq"
    update.write_text(text + "\n")
    before = store_quads(store)
    result = runner.invoke(main, ["query", str(update), "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert "is a SPARQL update" in result.stderr and "updates are not run" in result.stderr
    assert "expected CONSTRUCT" not in result.stderr
    assert store_quads(store) == before


def test_query_syntax_error_for_an_endpoint_is_exit_2_and_nothing_sent(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT * WHERE { ?s ?p }\n")
    # nothing listens on the endpoint: had the query been sent, the exit code would be 3
    result = runner.invoke(main, ["query", str(broken), "--endpoint", f"http://127.0.0.1:{_closed_port()}/query", "--retries", "0"])
    assert result.exit_code == 2, result.output
    assert "broken.rq: SPARQL syntax error" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("plain.jsonld", '{"a": 1}', "hold no triple"),
        ("empty.ttl", "", "hold no triple"),
        ("unrelated.nt", "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", "no node that a shape targets"),
    ],
)
def test_validate_input_with_nothing_to_check_exits_2(runner: CliRunner, tmp_path: Path, name: str, content: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"nothing to check: {path}" in result.stderr and fragment in result.stderr
    assert "conforms" not in result.output


def test_validate_says_what_was_checked(runner: CliRunner, good_build: Path) -> None:
    result = runner.invoke(main, ["validate", str(good_build / "osce-kg.ttl")])
    assert result.exit_code == 0, result.output
    triples = len(list(ox.parse(path=str(good_build / "osce-kg.ttl"), format=ox.RdfFormat.TURTLE)))
    assert f"checked {good_build / 'osce-kg.ttl'}: {triples} triple(s)" in result.stdout
    assert re.search(r"focus nodes: .*\b1 NewsItemShape\b.*\b3 StatementShape\b", result.stdout)
    assert "the graph conforms" in result.stdout


# --------------------------------------------------------------------------- hostile clients (serve)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("select * { service silent ?endpoint { ?s ?p ?o } }", True),
        ("SELECT * { ?s ?p ?o } # SERVICE in a comment", False),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', False),
        ("SELECT ?service { ?s <http://x/SERVICE> ?service }", False),
        # a prefix named service: is refused: ``SERVICE:p {...}`` runs a SERVICE request
        ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", True),
        ("PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?o }", False),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ],
)
def test_service_keyword_is_found_outside_comments_strings_and_iris(text: str, expected: bool) -> None:
    assert uses_service(text) is expected


@pytest.mark.slow
def test_serve_refuses_service_by_default(store: Path) -> None:
    """A SERVICE query to ``serve`` gets 403 and the server makes no request
    (a listener the query points at sees no connection); other queries work."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "serve", "--store", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as target:
        target.bind(("127.0.0.1", 0))
        target.listen(5)
        target.setblocking(False)
        trap = f"http://127.0.0.1:{target.getsockname()[1]}/sparql"
        try:
            wait_until_answers(f"http://127.0.0.1:{port}/", process)
            url = f"http://127.0.0.1:{port}/query"
            federated = f"SELECT * WHERE {{ SERVICE <{trap}> {{ ?s ?p ?o }} }}"
            refused = [
                httpx.post(url, content=federated, headers={"Content-Type": "application/sparql-query"}),
                httpx.get(url, params={"query": federated}),
                httpx.post(url, data={"query": federated}),
            ]
            assert [r.status_code for r in refused] == [403, 403, 403]
            assert "SERVICE is disabled" in refused[0].text and "--allow-service" in refused[0].text
            with pytest.raises(BlockingIOError):
                target.accept()  # the server never connected to the trap
            plain = httpx.post(
                url, content="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
            )
            assert plain.status_code == 200 and int(plain.json()["results"]["bindings"][0]["n"]["value"]) > 0
            write = httpx.post(f"http://127.0.0.1:{port}/update", data={"update": "DROP ALL"})
            assert write.status_code >= 400  # read-only
        finally:
            stop(process)
    assert process.returncode == 0


@pytest.mark.parametrize("bind", ["0.0.0.0:7878", "192.0.2.10:7878", "[::]:7878", "example.org:80"])
def test_serve_writable_on_a_non_loopback_address_is_refused_exits_2(runner: CliRunner, store: Path, bind: str) -> None:
    before = store_quads(store)
    result = runner.invoke(main, ["serve", "--store", str(store), "--bind", bind, "--writable"])
    assert result.exit_code == 2, result.output
    assert "an address other than loopback" in result.stderr and "--allow-anonymous-updates" in result.stderr
    assert store_quads(store) == before


def test_serve_passes_the_timeout_and_cors_to_oxigraph(store: Path) -> None:
    default = serve_command(store, "127.0.0.1:7878")
    assert default[default.index("--timeout-s") + 1] == "60" and "--cors" not in default
    chosen = serve_command(store, "127.0.0.1:7878", timeout=5, cors=True)
    assert chosen[chosen.index("--timeout-s") + 1] == "5" and "--cors" in chosen


# --------------------------------------------------------------------------- resource limits


def test_page_over_the_maximum_size_is_skipped_with_the_reason(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "huge.txt").write_bytes(b"Title\n" + b"word " * (MAX_PAGE_BYTES // 5 + 1))
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert f"over the maximum page size of {MAX_PAGE_BYTES:,} bytes (2 MiB)" in result.stderr
    report = json.loads((out / "build-report.json").read_text())
    assert report["exported"] == ["seed.txt"] and report["skipped"][0]["page"] == "huge.txt"


def test_html_nested_100000_deep_is_skipped_with_the_reason(runner: CliRunner, tmp_path: Path) -> None:
    """The HTML parser's work grows with the square of the nesting (minutes
    for 1 MB nested 100,000 deep): such a page is skipped before it is parsed."""
    folder = tmp_path / "src"
    folder.mkdir()
    depth = 100_000
    (folder / "deep.html").write_text(
        "<html><head><title>OSCE deep page</title></head><body><h1>OSCE deep page</h1>"
        + "<div>" * depth + "<p>Text.</p>" + "</div>" * depth + "</body></html>"
    )
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert f"skipped {folder / 'deep.html'}: the HTML nests {depth + 2:,} elements deep, over the maximum of {MAX_HTML_DEPTH:,}" in result.stderr
    assert json.loads((out / "build-report.json").read_text())["exported"] == ["seed.txt"]


def test_html_depth_ignores_void_implied_and_script_elements() -> None:
    assert html_depth("<div><p>a<p>b<br><img src=x><ul><li>1<li>2</ul></div>") == 2
    assert html_depth("<div><script>var s = '<div><div><div>';</script><!-- <div><div> --></div>") == 1
    assert html_depth("<span><span><span>x") == 3


def test_summary_counts_the_statements_in_the_graph(runner: CliRunner, tmp_path: Path) -> None:
    text = (PAGES / "p01-curly-quotes.txt").read_text(encoding="utf-8")
    quote = next(line for line in text.splitlines() if line.startswith("“"))
    page = tmp_path / "repeated.txt"
    page.write_text(text.replace(quote, "\n".join([quote] * 30)), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    in_graph = (out / "osce-kg.nt").read_text(encoding="utf-8").count("<https://w3id.org/osce-kg/ontology#Statement> .")
    assert in_graph == 1
    assert f"{in_graph} statement(s)" in result.stderr


# --------------------------------------------------------------------------- smaller


def test_symlink_loop_is_named_as_such(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = runner.invoke(main, ["build", str(tmp_path / "a"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "a symbolic link that loops" in result.stderr and "no such file" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_newline_in_a_file_name_stays_on_one_log_line(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "bad\nname.txt").write_bytes(b"")
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    result = runner.invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    line = next(line for line in result.stderr.splitlines() if line.startswith("skipped "))
    assert line == f"skipped {folder}/bad\\nname.txt: the file is empty"
    assert display("a\nb\x1b[0m\u202e") == "a\\nb\\x1b[0m\\u202e"


def test_build_report_names_exported_and_skipped_pages_alike(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "empty.txt").write_bytes(b"")
    (folder / "sub" / "seed.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    report = json.loads((out / "build-report.json").read_text())
    assert report["exported"] == ["sub/seed.txt"]
    assert report["skipped"][0]["page"] == "sub/empty.txt" and report["skipped"][0]["file"] == str(folder / "sub" / "empty.txt")


def test_python_api_accepts_str_paths(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(BuildConfig.of([str(SEED)], output=str(out), cache=str(tmp_path / "cache")))
    assert result.exit_code == 0
    assert result.outputs["nquads"] == out / "osce-kg.nq" and (out / "osce-kg.nq").is_file()


# --------------------------------------------------------------------------- one place for errors


def test_internal_error_is_one_line_and_the_traceback_only_with_v(runner: CliRunner, good_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("osce_kg.cli.validate_graph", broken)
    quiet = runner.invoke(main, ["validate", str(good_build / "osce-kg.ttl")])
    assert quiet.exit_code == 1
    assert quiet.stderr.strip().splitlines() == ["internal error: RuntimeError: boom (run with -v for the traceback; please report it)"]
    loud = runner.invoke(main, ["-v", "validate", str(good_build / "osce-kg.ttl")])
    assert loud.exit_code == 1
    errors = [line for line in loud.stderr.splitlines() if not line.startswith("INFO")]
    assert errors[0].startswith("internal error: RuntimeError: boom") and errors[1] == "Traceback (most recent call last):"


def test_project_error_traceback_only_with_v(runner: CliRunner, tmp_path: Path) -> None:
    quiet = runner.invoke(main, ["build", str(tmp_path / "missing"), "-o", str(tmp_path / "out")])
    assert quiet.exit_code == 2 and "Traceback" not in quiet.stderr
    loud = runner.invoke(main, ["-v", "build", str(tmp_path / "missing"), "-o", str(tmp_path / "out")])
    assert loud.exit_code == 2
    assert loud.stderr.splitlines()[0] == f"error: {tmp_path / 'missing'}: no such file or folder" and "Traceback" in loud.stderr


def test_exit_codes_in_help_and_readme_agree() -> None:
    help_text = CliRunner().invoke(main, ["--help"]).output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Exit codes") :]
    table = table[: table.index("\n## ", 4)]
    readme_codes = [int(code) for code in re.findall(r"^\| `(\d+)` \|", table, re.MULTILINE)]
    assert readme_codes == list(EXIT_CODES)
    for code in EXIT_CODES:
        assert re.search(rf"^\s+{code}  ", help_text, re.MULTILINE), code
