"""Tests of the embedded Oxigraph store (osce_kg.store, ``osce-kg load
--store``, ``osce-kg query --store``, ``osce-kg serve``): loading by named
graph, replacing on reload, the same query rows as rdflib on the dump files.

Data: the shipped seed page, built by the lod_build fixture.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ._lod_support import INJECTION, PARAM_VALUES, SeedBuild, free_port, lod_build, rows_n3, stop, wait_until_answers  # noqa: F401
from osce_kg.cli import main
from osce_kg.errors import SourceError, StoreError
from osce_kg.sparql import list_queries, run_query, run_query_store
from osce_kg.serialize import read_rdf
from osce_kg.store import dump_files, file_graph_iri, load_store, open_store, select_store, named_quads

ONTOLOGY_GRAPH = "https://w3id.org/osce-kg/id/graph/ontology"
REFERENCE_GRAPH = "https://w3id.org/osce-kg/id/graph/reference"


def _quads_in(path: Path) -> int:
    return len(list(ox.parse(path=str(path))))


@pytest.fixture(scope="module")
def loaded_store(lod_build: SeedBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed's quad dump, and the Turtle dump once more in
    its own graph: every triple is in two graphs, as a triple named on many
    pages is in a real build."""
    path = tmp_path_factory.mktemp("store") / "db"
    store = open_store(path)
    load_store(store, [lod_build.folder, lod_build.file("osce-kg.ttl")])
    del store
    return path


def test_folder_means_its_quad_dump(lod_build: SeedBuild) -> None:
    assert dump_files([lod_build.folder]) == [lod_build.file("osce-kg.nq")]


def test_load_by_graph_and_reload_replaces(lod_build: SeedBuild, tmp_path: Path) -> None:
    store = open_store(tmp_path / "db")
    loads = load_store(store, [lod_build.folder])
    graphs = {load.graph: load.triples for load in loads}
    assert ONTOLOGY_GRAPH in graphs and REFERENCE_GRAPH in graphs
    assert sum(graphs.values()) == named_quads(store) == _quads_in(lod_build.file("osce-kg.nq"))
    assert {g.value for g in store.named_graphs()} == set(graphs)
    # the default graph is the union of the named graphs, each triple once
    union = {(q.subject, q.predicate, q.object) for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert len(store) - named_quads(store) == len(union)
    before = len(store)
    again = load_store(store, [lod_build.file("osce-kg.nq.gz"), lod_build.file("osce-kg.trig")])
    assert len(store) == before, "loading the same graphs again must not add triples"
    assert {load.graph for load in again} == set(graphs)


def test_reload_drops_triples_the_new_version_no_longer_has(tmp_path: Path) -> None:
    graph = "http://example.org/g"
    first = tmp_path / "v1.nq"
    first.write_text(f'<http://example.org/s> <http://example.org/p> "old" <{graph}> .\n', encoding="utf-8")
    second = tmp_path / "v2.nq"
    second.write_text(f'<http://example.org/s> <http://example.org/p> "new" <{graph}> .\n', encoding="utf-8")
    store = open_store(tmp_path / "db")
    load_store(store, [first])
    load_store(store, [second])
    assert [q.object.value for q in store if not isinstance(q.graph_name, ox.DefaultGraph)] == ["new"]
    assert [q.object.value for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())] == ["new"]


def test_triple_dumps_go_into_a_graph_named_after_the_file(lod_build: SeedBuild, tmp_path: Path) -> None:
    store = open_store(tmp_path / "db")
    loads = load_store(store, [lod_build.file("osce-kg.ttl")])
    assert [load.graph for load in loads] == [file_graph_iri(lod_build.file("osce-kg.ttl"))]
    count = named_quads(store)
    assert count == lod_build.result.triples
    load_store(store, [lod_build.file("osce-kg.ttl.gz")])  # the same graph: .gz is stripped
    load_store(store, [lod_build.file("osce-kg.nt")], graph=loads[0].graph)
    assert named_quads(store) == count
    load_store(store, [lod_build.file("osce-kg.nt")], graph="http://example.org/other")
    assert named_quads(store) == 2 * count


def test_bad_dumps_are_source_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nq"
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    other = tmp_path / "data.csv"
    other.write_text("a,b\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    store = open_store(tmp_path / "db")
    for path, reason in ((broken, "cannot parse"), (other, "unknown RDF file extension"), (tmp_path / "missing.nq", "not found"), (empty, "no quad dump")):
        with pytest.raises(SourceError, match=reason):
            load_store(store, [path])
    assert len(store) == 0


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_named_query_gives_the_rdflib_rows(lod_build: SeedBuild, loaded_store: Path, name: str) -> None:
    query = next(q for q in list_queries() if q.name == name)
    data = read_rdf([lod_build.file("osce-kg.ttl")])
    local = run_query(data, query)
    stored = run_query_store(loaded_store, query)
    assert stored.variables == local.variables
    assert rows_n3(stored) == rows_n3(local)
    assert local.rows, f"{name} finds nothing in the seed build"
    params = PARAM_VALUES.get(name)
    if params:
        local = run_query(data, query, params)
        assert rows_n3(run_query_store(loaded_store, query, params)) == rows_n3(local)
    for parameter in query.parameters:
        if parameter.kind == "literal":
            hostile = {parameter.name: INJECTION}
            assert rows_n3(run_query_store(loaded_store, query, hostile)) == rows_n3(run_query(data, query, hostile)) == []


def test_store_is_not_changed_by_a_hostile_parameter(loaded_store: Path) -> None:
    before = len(ox.Store.read_only(str(loaded_store)))
    query = next(q for q in list_queries() if q.name == "statements")
    run_query_store(loaded_store, query, {"speaker": INJECTION})
    assert len(ox.Store.read_only(str(loaded_store))) == before


def test_missing_or_locked_store_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        select_store(tmp_path / "nothing", "SELECT * { ?s ?p ?o }")
    held = open_store(tmp_path / "db")
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(tmp_path / "db")
    del held


# ---------------------------------------------------------------------------
# command line


def test_cli_load_twice_and_query(lod_build: SeedBuild, tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "db"
    first = runner.invoke(main, ["load", str(lod_build.folder), "--store", str(db)])
    assert first.exit_code == 0, first.output
    lines = first.stdout.strip().splitlines()
    from rdflib import Graph as _Graph

    from osce_kg.resources import ontology_file

    assert f"{ONTOLOGY_GRAPH}\t{len(_Graph().parse(ontology_file()))} triples" in lines
    assert all(line.startswith("https://w3id.org/osce-kg/id/graph/") for line in lines)
    second = runner.invoke(main, ["load", str(lod_build.folder), "--store", str(db)])
    assert second.stdout == first.stdout
    quads = _quads_in(lod_build.file("osce-kg.nq"))
    assert f"the store holds {quads} quads in named graphs" in first.stderr
    assert f"the store holds {quads} quads in named graphs" in second.stderr
    for name in ("statements", "structures"):
        from_store = runner.invoke(main, ["query", name, "--store", str(db), "--format", "csv"])
        from_file = runner.invoke(main, ["query", name, "--data", str(lod_build.file("osce-kg.ttl")), "--format", "csv"])
        assert from_store.exit_code == 0, from_store.output
        assert sorted(from_store.stdout.splitlines()) == sorted(from_file.stdout.splitlines())


def test_cli_usage_errors(lod_build: SeedBuild, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(lod_build.folder)]).exit_code == 2
    assert runner.invoke(main, ["load", str(lod_build.folder), "--store", str(tmp_path / "a"), "--endpoint", "http://x"]).exit_code == 2
    both = runner.invoke(main, ["query", "statements", "--store", str(tmp_path), "--endpoint", "http://127.0.0.1:1/query"])
    assert both.exit_code == 2
    missing = runner.invoke(main, ["query", "statements", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 3 and "no store at" in missing.stderr
    not_served = runner.invoke(main, ["serve", "--store", str(tmp_path / "none")])
    assert not_served.exit_code == 3 and "no store at" in not_served.stderr


def test_serve_answers_the_sparql_protocol(loaded_store: Path, lod_build: SeedBuild, tmp_path: Path) -> None:
    """``osce-kg serve`` (read-only) on a store: the named queries at its
    endpoint give the rdflib rows; writes are refused."""
    store = tmp_path / "served"
    shutil.copytree(loaded_store, store)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "serve", "--store", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/", process)
        data = read_rdf([lod_build.file("osce-kg.ttl")])
        from osce_kg.sparql import run_query_endpoint

        for query in list_queries():
            remote = run_query_endpoint(f"http://127.0.0.1:{port}/query", query)
            assert rows_n3(remote) == rows_n3(run_query(data, query)), query.name
        refused = httpx.put(
            f"http://127.0.0.1:{port}/store", params={"graph": "http://example.org/g"},
            content=b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n",
            headers={"Content-Type": "application/n-triples"},
        )
        assert refused.status_code >= 400
    finally:
        stop(process)


@pytest.mark.parametrize("content", [None, "page.txt"])
def test_query_store_on_a_folder_without_a_store_writes_nothing(tmp_path: Path, content: str | None) -> None:
    """Regression: ``query --store`` on a folder of pages (or an empty one)
    left an ``osce-kg-readers.lock`` in it and printed RocksDB's message."""
    folder = tmp_path / "pages"
    folder.mkdir()
    if content:
        (folder / content).write_text("OSCE news\n", encoding="utf-8")
    before = sorted(p.name for p in folder.iterdir())
    run = CliRunner().invoke(main, ["query", "persons", "--store", str(folder)])
    assert run.exit_code == 3
    what = "holds files but no Oxigraph store" if content else "is empty: no Oxigraph store"
    assert f"error: {folder} {what}" in run.output
    assert sorted(p.name for p in folder.iterdir()) == before
