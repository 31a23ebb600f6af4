"""The dumps and the named queries in the stores and readers users pick
(issue 12): Virtuoso 7 loaded through ``osce-kg load --endpoint`` with
Digest authentication and queried through ``/sparql``; Jena's ``riot`` on
every dump and ``arq`` on every named query; N3.js and jsonld.js (Node, no
network) on every dump. Every named query gives the same rows on rdflib,
the embedded Oxigraph store, Virtuoso and ARQ.

Data: a synthetic corpus of 120 pages (benchmarks/make_corpus.py), the
seed page and two invented pages that name one person in English and in
German (:data:`ALTERNATE_PAGES`: schema:name and schema:alternateName),
built once. Its reference entities (States, places, structures)
are stated by many pages, so a store whose union default graph is a
multiset (Virtuoso) sees them many times over. Slow: starts Virtuoso and a
JVM per query.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ._lod_support import PARAM_VALUES, rows_n3
from ._stores_support import (
    VIRTUOSO_USER,
    Virtuoso,
    arq_select,
    finished,
    jena,
    jena_available,
    jena_classpath,
    node_read,
    node_readers_available,
    require,
    running_virtuoso,
    virtuoso_executable,
)
from osce_kg.cli import main
from osce_kg.pipeline import BuildConfig, build
from osce_kg.sparql import get_query, list_queries, prepare_text, run_query, run_query_endpoint, run_query_store
from osce_kg.resources import default_sources_dir
from osce_kg.serialize import read_rdf
from osce_kg.store import RetryPolicy, load_store

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
PAGES = 120
POLICY = RetryPolicy(retries=1, backoff=0.2, timeout=60.0)
#: an English page naming Sergey Vasilyev in an office (a membership known
#: from pages) and a German page naming him Sergej Wassiljew: one person,
#: the German form his schema:alternateName
ALTERNATE_PAGES = {
    "vasilyev-en.txt": """Newsroom
Mission marks press freedom day
Publishing date: 3 May 2023
Content type: Press release
Where we are: OSCE Mission to Serbia
What we do: Media freedom and development
"Press freedom is a commitment," said Sergey Vasilyev, Co-ordinator of OSCE Economic and Environmental Activities.
""",
    "vasilyev-de.txt": """Newsroom
Regionales Medienforum in Belgrad
Publishing date: 5 May 2023
Content type: Press release
Where we are: OSCE Mission to Serbia
What we do: Media freedom and development
„Freie Medien brauchen sichere Journalisten“, sagte Sergej Wassiljew am Mittwoch in Belgrad. Das Forum der Mission fand in der serbischen Hauptstadt statt und brachte Journalisten aus der ganzen Region zusammen.
""",
}
#: each parameter alone (PARAM_VALUES gives a query's parameters together)
EACH_PARAMETER: dict[str, list[dict[str, str]]] = {
    "field-operations": [{"closed": "false"}],
    "items": [{"from": "2021-01-01"}, {"to": "2021-12-31"}],
    "meetings": [{"state": "id:country/at"}, {"from": "2021-01-01"}, {"to": "2021-12-31"}],
    "persons": [{"name": "wassiljew"}],
    "person-history": [{"person": "zannier"}, {"person": "Wassiljew"}],
    "posts": [{"person": "zannier"}, {"post": "secretary general"}, {"person": "wassiljew"}],
    "statements": [{"meeting": "id:meeting/2021-10-07-2021-osce-annual-police-experts-meeting"}],
}
DUMPS = ("osce-kg.ttl", "osce-kg.nt", "osce-kg.nq", "osce-kg.trig", "osce-kg.jsonld", "void.ttl", "validation-report.ttl")


@dataclass
class CorpusBuild:
    folder: Path
    store: Path

    def file(self, name: str) -> Path:
        return self.folder / name


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusBuild:
    pages = tmp_path_factory.mktemp("corpus-pages")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "make_corpus.py"), str(PAGES), str(pages)], check=True, capture_output=True)
    invented = tmp_path_factory.mktemp("alternate-pages")
    for file, text in ALTERNATE_PAGES.items():
        (invented / file).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("corpus-build")
    result = build(BuildConfig.of([default_sources_dir(), pages, invented], output=out, jobs=1))
    assert result.exit_code in (0, 1) and (out / "osce-kg.nq").is_file()
    store = tmp_path_factory.mktemp("corpus-store") / "store"
    load_store(store, [out])
    return CorpusBuild(out, store)


@pytest.fixture(scope="module")
def local_data(corpus: CorpusBuild):  # type: ignore[no-untyped-def]
    return read_rdf([corpus.file("osce-kg.ttl")])


@pytest.fixture(scope="module")
def classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    require("Apache Jena", jena_available(), "Debian libapache-jena-java")
    return jena_classpath(tmp_path_factory.mktemp("jena"))


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    require("Virtuoso", virtuoso_executable() is not None, "Debian virtuoso-opensource")
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def loaded_virtuoso(virtuoso: Virtuoso, corpus: CorpusBuild) -> Virtuoso:
    user, password = VIRTUOSO_USER
    result = CliRunner().invoke(
        main, ["load", str(corpus.folder), "--endpoint", virtuoso.graph_store_url, "--user", user, "--password", password]
    )
    assert result.exit_code == 0, result.output
    return virtuoso


def _distinct_quads(path: Path) -> int:
    fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}[path.suffix]
    return len(set(ox.parse(path.read_bytes(), format=fmt, base_iri=path.resolve().as_uri())))


# ---------------------------------------------------------------------------
# Virtuoso


def test_virtuoso_load_with_digest_authentication_twice(loaded_virtuoso: Virtuoso, corpus: CorpusBuild) -> None:
    quads = _distinct_quads(corpus.file("osce-kg.nq"))
    assert loaded_virtuoso.count_quads() == quads
    user, password = VIRTUOSO_USER
    again = CliRunner().invoke(
        main, ["-q", "load", str(corpus.file("osce-kg.nq")), "--endpoint", loaded_virtuoso.graph_store_url, "--user", user, "--password", password]
    )
    assert again.exit_code == 0, again.output
    assert again.stdout == "" and again.stderr == ""
    assert loaded_virtuoso.count_quads() == quads, "loading again must replace the graphs"


def test_virtuoso_refuses_a_wrong_password(virtuoso: Virtuoso, corpus: CorpusBuild) -> None:
    result = CliRunner().invoke(
        main, ["load", str(corpus.file("osce-kg.nq")), "--endpoint", virtuoso.graph_store_url, "--user", "dba", "--password", "wrong-pa55", "--retries", "0"]
    )
    assert result.exit_code == 3
    assert "HTTP 401" in result.stderr and "wrong-pa55" not in result.output + result.stderr


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_named_query_same_rows_on_four_engines(
    name: str, corpus: CorpusBuild, local_data, loaded_virtuoso: Virtuoso, classpath: str, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """rdflib (the Turtle dump), Oxigraph (the store), Virtuoso (the quad
    dump through the Graph Store Protocol, SPARQL over /sparql) and ARQ (the
    Turtle dump) give the same rows, with and without parameters."""
    for params in ({}, PARAM_VALUES.get(name, {}), *EACH_PARAMETER.get(name, [])):
        expected = _same_rows(name, params, corpus, local_data, loaded_virtuoso, classpath, tmp_path)
        if not params:
            assert len(expected) > 0


def _same_rows(name: str, params: dict[str, str], corpus: CorpusBuild, local_data, virtuoso: Virtuoso, classpath: str, tmp_path: Path) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The rows of ``name`` with ``params``, the same from the Turtle dump,
    the store, Virtuoso and ARQ (each given the text osce-kg sends)."""
    query = get_query(name)
    local = run_query(local_data, query, params)
    stored = run_query_store(corpus.store, query, params)
    remote = run_query_endpoint(virtuoso.sparql_url, query, params, policy=POLICY)
    text = tmp_path / f"{name}.rq"
    text.write_text(prepare_text(query, params), encoding="utf-8")
    arq = finished(*arq_select(classpath, corpus.file("osce-kg.ttl"), text), query, params)
    assert local.variables == stored.variables == remote.variables == arq.variables
    expected = rows_n3(local)
    assert rows_n3(stored) == expected, f"{name} {params}: Oxigraph"
    assert rows_n3(remote) == expected, f"{name} {params}: Virtuoso"
    assert rows_n3(arq) == expected, f"{name} {params}: ARQ"
    return expected


def test_a_person_is_found_by_any_of_their_names_on_every_engine(
    corpus: CorpusBuild, local_data, loaded_virtuoso: Virtuoso, classpath: str, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """persons, person-history and posts find Sergey Vasilyev by his
    alternate name (the German page's Sergej Wassiljew), folded or not, with
    the same rows on every engine."""
    query = get_query("persons")
    for value in ("wassiljew", "SERGEJ WASS", "Sergey Vasilyev"):
        _same_rows("persons", {"name": value}, corpus, local_data, loaded_virtuoso, classpath, tmp_path)
        rows = run_query(local_data, query, {"name": value})
        column = rows.variables.index
        assert [(row[column("name")].value, row[column("alternateName")].value) for row in rows.rows] == [("Sergey Vasilyev", "Sergej Wassiljew")]
    for name in ("person-history", "posts"):
        _same_rows(name, {"person": "wassiljew"}, corpus, local_data, loaded_virtuoso, classpath, tmp_path)
        rows = run_query(local_data, get_query(name), {"person": "wassiljew"})
        column = rows.variables.index
        assert [(row[column("name")].value, row[column("postLabel")].value) for row in rows.rows] == [
            ("Sergey Vasilyev", "Co-ordinator of OSCE Economic and Environmental Activities")
        ]
    assert run_query(local_data, get_query("persons"), {"name": "sergej wassiljew x"}).rows == ()


def test_cli_query_at_virtuoso_prints_the_local_table(loaded_virtuoso: Virtuoso, corpus: CorpusBuild) -> None:
    runner = CliRunner()
    for name in ("persons", "meetings"):
        remote = runner.invoke(main, ["query", name, "--endpoint", loaded_virtuoso.sparql_url, "--format", "csv"])
        local = runner.invoke(main, ["query", name, str(corpus.file("osce-kg.ttl")), "--format", "csv"])
        assert remote.exit_code == 0, remote.output
        assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    ask = runner.invoke(main, ["query", "--query", "PREFIX osce: <https://w3id.org/osce-kg/ontology#> ASK { ?s a osce:Statement }", "--endpoint", loaded_virtuoso.sparql_url])
    assert (ask.exit_code, ask.stdout) == (0, "true\n")
    construct = runner.invoke(
        main,
        ["query", "--query", "PREFIX schema: <https://schema.org/> CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }",
         "--endpoint", loaded_virtuoso.sparql_url, "--format", "nt"],
    )
    assert construct.exit_code == 0, construct.output
    local = runner.invoke(
        main,
        ["query", "--query", "PREFIX schema: <https://schema.org/> CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }",
         "--store", str(corpus.store), "--format", "nt"],
    )
    persons = {row[0] for row in run_query_store(corpus.store, get_query("persons")).rows}
    assert set(construct.stdout.strip().splitlines()) == set(local.stdout.strip().splitlines())
    assert len(set(construct.stdout.strip().splitlines())) >= len(persons) > 100


# ---------------------------------------------------------------------------
# Jena riot


@pytest.mark.parametrize("dump", DUMPS)
def test_riot_validates_every_dump(dump: str, corpus: CorpusBuild, classpath: str) -> None:
    path = corpus.file(dump)
    # Debian's Jena 4.5 reads .jsonld with Titanium (JSON-LD 1.1), which finds
    # no JSON-P implementation in Debian; its JSON-LD 1.0 reader works
    syntax = ["--syntax=jsonld10"] if path.suffix == ".jsonld" else []
    done = jena(classpath, "riotcmd.riot", "--validate", *syntax, str(path))
    assert done.returncode == 0, f"riot --validate {dump}: {done.stdout} {done.stderr}"
    if path.suffix != ".jsonld":
        counted = jena(classpath, "riotcmd.riot", "--count", str(path))
        assert counted.returncode == 0
        number = (counted.stdout + counted.stderr).strip().splitlines()[0].rsplit("=", 1)[1]
        assert int(number.replace(",", "")) == _distinct_quads(path)


def test_riot_reads_the_json_ld_dump_with_its_json_ld_1_0_reader(corpus: CorpusBuild, classpath: str, tmp_path: Path) -> None:
    """Jena 4.5's JSON-LD 1.0 reader (jsonld-java; its 1.1 reader, Titanium,
    finds no JSON-P implementation in Debian) reads the triples of the
    Turtle dump, as pyld (JSON-LD 1.1) does."""
    from pyld import jsonld

    triples = _distinct_quads(corpus.file("osce-kg.ttl"))
    done = jena(classpath, "riotcmd.riot", "--syntax=jsonld10", "--output=nt", str(corpus.file("osce-kg.jsonld")))
    assert done.returncode == 0, done.stderr.strip()[:500]
    out = tmp_path / "jsonld10.nt"
    out.write_text(done.stdout, encoding="utf-8")
    assert _distinct_quads(out) == triples
    document = json.loads(corpus.file("osce-kg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "processingMode": "json-ld-1.1"})
    assert len(set(line for line in nquads.splitlines() if line)) == triples


# ---------------------------------------------------------------------------
# Node


def test_n3js_and_jsonldjs_read_every_dump_offline(corpus: CorpusBuild) -> None:
    require("Node readers", node_readers_available(), "cd tests/node && npm ci")
    files = [corpus.file(name) for name in DUMPS]
    read = node_read(files)
    for path in files:
        item = read[path.name]
        assert "error" not in item, item
        assert item["reader"] == ("jsonld.js" if path.suffix == ".jsonld" else "N3.js")
        assert item["distinct"] == _distinct_quads(path), path.name
    assert read["osce-kg.jsonld"]["distinct"] == read["osce-kg.ttl"]["distinct"] == read["osce-kg.nt"]["distinct"]
    assert read["osce-kg.jsonld"]["subjects"] == read["osce-kg.ttl"]["subjects"]
