"""Tests of osce_kg.serialize: atomic writes, Turtle, JSON-LD, reports, reading.

Data: tests/data/fixture-graph.trig (see tests/data/README.md).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from osce_kg.errors import SourceError
from osce_kg.resources import context_file
from osce_kg.serialize import atomic_output, load_context, read_rdf, write_jsonld, write_report, write_turtle
from osce_kg.validate import union_graph

FIXTURE = Path(__file__).parent / "data" / "fixture-graph.trig"
SRC = Path(__file__).resolve().parent.parent / "src"
REFERENCE = URIRef("https://w3id.org/osce-kg/id/graph/reference")
PAGE = URIRef("https://w3id.org/osce-kg/id/graph/000-c1c7cd6cd095379c-txt")

#: Used only while ontology/context.jsonld does not exist yet.
FALLBACK_CONTEXT: dict[str, Any] = {
    "@context": {
        "osce": "https://w3id.org/osce-kg/ontology#",
        "schema": "https://schema.org/",
        "org": "http://www.w3.org/ns/org#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "prov": "http://www.w3.org/ns/prov#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "prefLabel": {"@id": "skos:prefLabel", "@language": "en"},
        "name": {"@id": "schema:name", "@language": "en"},
        "startDate": {"@id": "schema:startDate", "@type": "xsd:date"},
        "creator": {"@id": "schema:creator", "@type": "@id"},
    }
}


def _context() -> Path | dict[str, Any]:
    """The real context file when it exists (preferred), else the fallback."""
    return context_file() if context_file().is_file() else FALLBACK_CONTEXT


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_rdf([FIXTURE])


@pytest.fixture(scope="module")
def graph(dataset: Dataset) -> Graph:
    return union_graph(dataset)


# ---------------------------------------------------------------------------
# atomic_output


def test_atomic_output_replaces_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out" / "file.txt"
    with atomic_output(target) as out:
        out.write(b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["file.txt"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_atomic_output_keeps_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_output(target) as out:
            out.write(b"half-written")
            raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file.txt"]  # temporary file removed


def test_atomic_output_leaves_nothing_when_no_old_file(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as out:
            out.write(b"x")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_failing_serialization_keeps_old_dump(tmp_path: Path, graph: Graph) -> None:
    target = tmp_path / "osce-kg.jsonld"
    target.write_bytes(b"old")
    with pytest.raises(SourceError):
        write_jsonld(graph, target, context=tmp_path / "missing-context.jsonld")
    assert target.read_bytes() == b"old"


# ---------------------------------------------------------------------------
# Turtle


def test_turtle_round_trip(tmp_path: Path, graph: Graph) -> None:
    target = tmp_path / "osce-kg.ttl"
    write_turtle(graph, target)
    text = target.read_text(encoding="utf-8")
    assert "@prefix osce: <https://w3id.org/osce-kg/ontology#> ." in text
    assert "@prefix schema: <https://schema.org/> ." in text
    assert "osce:Statement" in text
    assert isomorphic(Graph().parse(target, format="turtle"), graph)


def test_turtle_of_dataset_is_the_union(tmp_path: Path, dataset: Dataset, graph: Graph) -> None:
    target = tmp_path / "osce-kg.ttl"
    write_turtle(dataset, target)
    assert isomorphic(Graph().parse(target, format="turtle"), graph)


def test_turtle_gz(tmp_path: Path, graph: Graph) -> None:
    target = tmp_path / "osce-kg.ttl.gz"
    write_turtle(graph, target)
    assert isomorphic(Graph().parse(data=gzip.decompress(target.read_bytes()), format="turtle"), graph)
    first = target.read_bytes()
    write_turtle(graph, target)
    assert target.read_bytes() == first


def test_turtle_with_blank_nodes_is_deterministic(tmp_path: Path) -> None:
    def build() -> Graph:
        g = Graph()
        for i in range(3):
            node = BNode()
            g.add((URIRef("http://ex/s"), URIRef("http://ex/p"), node))
            g.add((node, URIRef("http://ex/n"), Literal(i)))
        return g

    write_turtle(build(), tmp_path / "a.ttl")
    write_turtle(build(), tmp_path / "b.ttl")
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


# ---------------------------------------------------------------------------
# JSON-LD


def _strings_under_context_keys(node: Any) -> list[Any]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                found.append(value)
            found.extend(_strings_under_context_keys(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_strings_under_context_keys(item))
    return found


def test_jsonld_round_trip_with_embedded_context(tmp_path: Path, graph: Graph) -> None:
    target = tmp_path / "osce-kg.jsonld"
    write_jsonld(graph, target, context=_context())
    document = json.loads(target.read_text(encoding="utf-8"))
    contexts = _strings_under_context_keys(document)
    assert len(contexts) == 1 and isinstance(contexts[0], dict)  # embedded, not a remote URL
    assert contexts[0] == load_context(_context())
    assert isomorphic(Graph().parse(target, format="json-ld"), graph)


def test_jsonld_uses_default_context_file(tmp_path: Path, graph: Graph) -> None:
    if not context_file().is_file():
        pytest.skip("ontology/context.jsonld not written yet")
    target = tmp_path / "osce-kg.jsonld"
    write_jsonld(graph, target)
    document = json.loads(target.read_text(encoding="utf-8"))
    expected = json.loads(context_file().read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == expected
    assert isomorphic(Graph().parse(target, format="json-ld"), graph)


def test_jsonld_is_deterministic(tmp_path: Path, graph: Graph) -> None:
    write_jsonld(graph, tmp_path / "a.jsonld", context=_context())
    write_jsonld(graph, tmp_path / "b.jsonld", context=_context())
    assert (tmp_path / "a.jsonld").read_bytes() == (tmp_path / "b.jsonld").read_bytes()


def test_jsonld_keeps_named_graphs(tmp_path: Path, dataset: Dataset) -> None:
    target = tmp_path / "osce-kg.jsonld"
    write_jsonld(dataset, target, context=_context())
    back = Dataset()
    back.parse(target, format="json-ld")
    for name in (REFERENCE, PAGE):
        assert isomorphic(back.graph(name), dataset.graph(name))


def test_dumps_are_identical_across_processes(tmp_path: Path) -> None:
    """Set iteration order depends on the hash seed; the dumps must not."""
    context = context_file() if context_file().is_file() else tmp_path / "context.jsonld"
    if not context_file().is_file():
        context.write_text(json.dumps(FALLBACK_CONTEXT), encoding="utf-8")
    script = (
        "import sys; from pathlib import Path\n"
        "from osce_kg.serialize import read_rdf, write_turtle, write_jsonld\n"
        "ds = read_rdf([Path(sys.argv[1])])\n"
        "write_turtle(ds, Path(sys.argv[2]) / 'g.ttl')\n"
        "write_jsonld(ds, Path(sys.argv[2]) / 'g.jsonld', context=Path(sys.argv[3]))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(SRC)}
        subprocess.run([sys.executable, "-c", script, str(FIXTURE), str(out), str(context)], check=True, env=env)
        outputs.append(((out / "g.ttl").read_bytes(), (out / "g.jsonld").read_bytes()))
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------------------
# reports


def test_write_report(tmp_path: Path) -> None:
    sh = "http://www.w3.org/ns/shacl#"
    report = Graph()
    node, result = BNode(), BNode()
    report.add((node, URIRef(sh + "conforms"), Literal(False)))
    report.add((node, URIRef(sh + "result"), result))
    report.add((result, URIRef(sh + "focusNode"), URIRef("https://w3id.org/osce-kg/id/person/x")))
    target = tmp_path / "report.ttl"
    write_report(report, target)
    text = target.read_text(encoding="utf-8")
    assert "sh:conforms false" in text
    assert isomorphic(Graph().parse(target, format="turtle"), report)


# ---------------------------------------------------------------------------
# read_rdf


def test_read_rdf_keeps_named_graphs_and_queries_union(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text('<http://ex/a> <http://ex/p> "triple" .\n', encoding="utf-8")
    dataset = read_rdf([FIXTURE, extra])
    names = {g.identifier for g in dataset.graphs()}
    assert {REFERENCE, PAGE} <= names
    assert (URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("triple")) in dataset.default_graph
    assert dataset.default_union
    assert len(list(dataset.query("SELECT * { ?s ?p ?o }"))) == len(union_graph(dataset))


@pytest.mark.parametrize("suffix", [".nt", ".nq", ".jsonld", ".rdf", ".ttl.gz", ".trig.gz"])
def test_read_rdf_formats(tmp_path: Path, graph: Graph, dataset: Dataset, suffix: str) -> None:
    file = tmp_path / f"data{suffix}"
    fmt = {".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".rdf": "xml", ".ttl.gz": "turtle", ".trig.gz": "trig"}[
        suffix
    ]
    source: Graph = dataset if fmt in ("nquads", "trig") else graph
    data = source.serialize(format=fmt, encoding="utf-8")
    file.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    assert isomorphic(union_graph(read_rdf([file])), graph)


def test_read_rdf_broken_turtle_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix : <http://ex/> .\n:a :p :b .\n:c :d "unterminated .\n', encoding="utf-8")
    with pytest.raises(SourceError) as excinfo:
        read_rdf([FIXTURE, broken])
    assert excinfo.value.path == broken
    assert "broken.ttl" in str(excinfo.value)
    assert "line" in excinfo.value.reason
    assert len(excinfo.value.reason) < 300


def test_read_rdf_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        read_rdf([tmp_path / "absent.ttl"])


def test_read_rdf_unknown_extension(tmp_path: Path) -> None:
    file = tmp_path / "data.csv"
    file.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(SourceError, match="extension"):
        read_rdf([file])
