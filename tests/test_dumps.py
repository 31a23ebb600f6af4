"""Tests of the linked-open-data dumps and their VoID/DCAT description
(osce_kg.publish: dumps, void): every dump holds the triples void.ttl says,
as counted by rdflib, pyoxigraph and rapper (Debian raptor2-utils); the
JSON-LD expands (pyld) to the same triples; two builds give the same bytes.

Data: the shipped seed page (data/sources), built by the lod_build fixture.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from ._lod_support import SEED_PUBLICATION, SeedBuild, has_rapper, lod_build  # noqa: F401 - fixture
from osce_kg.publish.formats import DUMPS as DUMP_TABLE, Publication
from osce_kg.errors import UsageError
from osce_kg.pipeline import BuildConfig, build
from osce_kg.resources import default_sources_dir, ontology_file
from osce_kg.serialize import read_rdf, write_jsonld, write_turtle
from osce_kg.publish.void import SPDX

DATASET = URIRef("https://w3id.org/osce-kg/id/dataset")
ONTOLOGY_GRAPH = "https://w3id.org/osce-kg/id/graph/ontology"
REFERENCE_GRAPH = "https://w3id.org/osce-kg/id/graph/reference"

DUMPS = ["osce-kg.ttl", "osce-kg.jsonld", "osce-kg.nt", "osce-kg.nq", "osce-kg.trig"]
ALL_DUMPS = DUMPS + [name + ".gz" for name in DUMPS]
QUAD_DUMPS = {"osce-kg.nq", "osce-kg.trig"}
OX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
RAPPER_FORMATS = {".ttl": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig"}


def _plain_name(name: str) -> str:
    return name[:-3] if name.endswith(".gz") else name


def _content(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _void(seed: SeedBuild) -> Graph:
    return Graph().parse(seed.file("void.ttl"), format="turtle")


def _distribution(void: Graph, name: str) -> URIRef:
    found = [d for d in void.objects(DATASET, DCAT.distribution) if void.value(d, DCTERMS.title) == Literal(name)]
    assert len(found) == 1, f"one distribution for {name}, got {found}"
    return found[0]  # type: ignore[return-value]


def _int(void: Graph, subject: URIRef, predicate: URIRef) -> int:
    value = void.value(subject, predicate)
    assert value is not None, f"{subject} has no {predicate}"
    return int(value)


def _rdflib_count(path: Path) -> int:
    dataset = read_rdf([path])
    return sum(len(graph) for graph in dataset.graphs())


def _oxigraph_count(path: Path) -> int:
    fmt = OX_FORMATS[Path(_plain_name(path.name)).suffix]
    return len(list(ox.parse(_content(path), format=fmt, base_iri="http://example.org/")))


# ---------------------------------------------------------------------------
# the files and their counts


def test_build_writes_every_dump_and_void(lod_build: SeedBuild) -> None:
    for name in ALL_DUMPS + ["void.ttl"]:
        assert lod_build.file(name).is_file(), name
    assert not list(lod_build.folder.glob(".*.tmp")), "temporary files left behind"
    outputs = lod_build.result.outputs
    for kind in ("ntriples", "nquads", "trig", "void", "turtle.gz", "nquads.gz"):
        assert kind in outputs


@pytest.mark.parametrize("name", ALL_DUMPS)
def test_rdflib_and_pyoxigraph_count_what_void_says(lod_build: SeedBuild, name: str) -> None:
    void = _void(lod_build)
    declared = _int(void, _distribution(void, name), VOID.triples)
    path = lod_build.file(name)
    assert _rdflib_count(path) == declared
    assert _oxigraph_count(path) == declared
    data_triples = _int(void, DATASET, VOID.triples)
    if _plain_name(name) in QUAD_DUMPS:
        ontology = len(Graph().parse(ontology_file(), format="turtle"))
        assert declared == data_triples + ontology  # one seed page: no triple is in two graphs
    else:
        assert declared == data_triples == lod_build.result.triples


@pytest.mark.skipif(not has_rapper(), reason="rapper (Debian raptor2-utils) is not installed here; .ci/run installs it")
@pytest.mark.parametrize("name", [n for n in ALL_DUMPS if ".jsonld" not in n])
def test_rapper_counts_what_void_says(lod_build: SeedBuild, name: str) -> None:
    void = _void(lod_build)
    declared = _int(void, _distribution(void, name), VOID.triples)
    syntax = RAPPER_FORMATS[Path(_plain_name(name)).suffix]
    run = subprocess.run(
        ["rapper", "-i", syntax, "-c", "-", "http://example.org/base"],
        input=_content(lod_build.file(name)), capture_output=True, check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    match = re.search(rb"returned (\d+) (?:triples|statements)", run.stderr)
    assert match, run.stderr.decode()
    assert int(match.group(1)) == declared


def test_jsonld_expands_with_pyld_to_the_ntriples(lod_build: SeedBuild) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")

    def no_network(url: str, options: object = None) -> None:
        raise AssertionError(f"pyld tried to fetch {url}")

    document = json.loads(lod_build.file("osce-kg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": no_network})
    from_pyld = {(q.subject, q.predicate, q.object) for q in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)}
    from_nt = {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(lod_build.file("osce-kg.nt")), format=ox.RdfFormat.N_TRIPLES)}
    assert from_pyld == from_nt
    assert len(from_nt) == lod_build.result.triples


def test_ttl_jsonld_nt_hold_the_same_triples(lod_build: SeedBuild) -> None:
    def triples(name: str) -> set[tuple[object, object, object]]:
        fmt = OX_FORMATS[Path(name).suffix]
        return {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(lod_build.file(name)), format=fmt)}

    nt = triples("osce-kg.nt")
    assert triples("osce-kg.ttl") == nt
    assert triples("osce-kg.jsonld") == nt


def test_quad_dumps_hold_page_reference_and_ontology_graphs(lod_build: SeedBuild) -> None:
    nq = {(q.subject, q.predicate, q.object, q.graph_name) for q in ox.parse(path=str(lod_build.file("osce-kg.nq")))}
    trig = {(q.subject, q.predicate, q.object, q.graph_name) for q in ox.parse(path=str(lod_build.file("osce-kg.trig")))}
    assert nq == trig
    graphs = {q[3] for q in nq}
    assert ox.NamedNode(ONTOLOGY_GRAPH) in graphs
    assert ox.NamedNode(REFERENCE_GRAPH) in graphs
    pages = {g for g in graphs if g.value.startswith("https://w3id.org/osce-kg/id/graph/page-")}
    assert len(pages) == len(lod_build.result.exported) == 1
    ontology = {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(ontology_file()))}
    assert {q[:3] for q in nq if q[3] == ox.NamedNode(ONTOLOGY_GRAPH)} == ontology
    data = {q[:3] for q in nq if q[3] != ox.NamedNode(ONTOLOGY_GRAPH)}
    assert data == {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(lod_build.file("osce-kg.nt")))}


def test_ntriples_lines_are_sorted_without_duplicates(lod_build: SeedBuild) -> None:
    data = lod_build.file("osce-kg.nt").read_bytes()
    assert data.endswith(b"\n")
    lines = data.split(b"\n")[:-1]
    assert lines == sorted(set(lines))


def test_nquads_hold_each_graph_in_one_run_without_duplicates(lod_build: SeedBuild) -> None:
    """Graph after graph (pages in input order, then reference, ontology)."""
    lines = lod_build.file("osce-kg.nq").read_bytes().split(b"\n")[:-1]
    assert len(lines) == len(set(lines))
    graphs = [line[line.rindex(b" <") + 2 : -3].decode() for line in lines]
    runs = [g for n, g in enumerate(graphs) if n == 0 or graphs[n - 1] != g]
    assert len(runs) == len(set(runs))
    assert runs[-2:] == ["https://w3id.org/osce-kg/id/graph/reference", "https://w3id.org/osce-kg/id/graph/ontology"]


@pytest.mark.parametrize("name", DUMPS)
def test_gzip_copies_are_reproducible(lod_build: SeedBuild, name: str) -> None:
    gz = lod_build.file(name + ".gz").read_bytes()
    assert gz[:2] == b"\x1f\x8b"
    assert gz[3] & 0x08 == 0, "no file name in the gzip header"
    assert gz[4:8] == b"\x00\x00\x00\x00", "mtime 0"
    assert gzip.decompress(gz) == lod_build.file(name).read_bytes()


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    """Two separate processes (so no state, hash seed or prefix map order is
    shared) build the seed into two folders: every file is the same."""
    folders = [tmp_path / "one", tmp_path / "two"]
    for n, folder in enumerate(folders):
        run = subprocess.run(
            [sys.executable, "-m", "osce_kg.cli", "-q", "build", "-o", str(folder), "--compress",
             "--license", "https://creativecommons.org/licenses/by/4.0/"],
            capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": str(n + 1)},
        )
        assert run.returncode == 0, run.stderr
    releases = [(folder / "current").resolve() for folder in folders]
    assert releases[0].name == releases[1].name, "the same data gives the same release id"
    names = sorted(str(p.relative_to(releases[0])) for p in releases[0].rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(releases[1])) for p in releases[1].rglob("*") if p.is_file())
    for name in ["osce-kg.nt", "osce-kg.nq", "osce-kg.ttl", "osce-kg.jsonld", "void.ttl", "osce-kg.trig", "feed/index.jsonld"]:
        assert name in names
    for name in names:  # the dumps, reports and the feed (folders included)
        assert (releases[0] / name).read_bytes() == (releases[1] / name).read_bytes(), name


# ---------------------------------------------------------------------------
# void.ttl


def test_void_dataset_statistics_are_true(lod_build: SeedBuild) -> None:
    void = _void(lod_build)
    data = read_rdf([lod_build.file("osce-kg.ttl")])
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    assert _int(void, DATASET, VOID.triples) == len(data)

    def one(query: str) -> int:
        return int(next(iter(data.query(query)))[0])  # type: ignore[index]

    assert _int(void, DATASET, VOID.entities) == one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) }")
    assert _int(void, DATASET, VOID.distinctSubjects) == one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    assert _int(void, DATASET, VOID.distinctObjects) == one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
    classes = {row[0]: int(row[1]) for row in data.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c")}  # type: ignore[index]
    partitions = {void.value(p, VOID["class"]): _int(void, p, VOID.entities) for p in void.objects(DATASET, VOID.classPartition)}  # type: ignore[arg-type]
    assert partitions == classes
    assert _int(void, DATASET, VOID.classes) == len(classes)
    properties = {row[0]: int(row[1]) for row in data.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")}  # type: ignore[index]
    partitions = {void.value(p, VOID.property): _int(void, p, VOID.triples) for p in void.objects(DATASET, VOID.propertyPartition)}  # type: ignore[arg-type]
    assert partitions == properties
    assert sum(partitions.values()) == len(data)
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/2004/02/skos/core#",
            "http://www.w3.org/ns/prov#", "https://w3id.org/osce-kg/ontology#"} <= vocabularies


def test_void_describes_every_file(lod_build: SeedBuild) -> None:
    void = _void(lod_build)
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    files = [d for d in void.objects(DATASET, DCAT.distribution) if void.value(d, DCAT.downloadURL) is not None]
    assert len(files) == len(ALL_DUMPS)  # and the change stream, which is no file (test_site_deref.py)
    for name in ALL_DUMPS:
        path = lod_build.file(name)
        dist = _distribution(void, name)
        assert (dist, RDF.type, DCAT.Distribution) in void
        url = str(void.value(dist, DCAT.downloadURL))
        assert url == f"{DATASET}/{name}"  # default download base: {base}dataset/
        assert url in dumps
        size = void.value(dist, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger and int(size) == path.stat().st_size
        kind = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig"}[Path(_plain_name(name)).suffix]
        assert void.value(dist, DCAT.mediaType) == URIRef("http://www.iana.org/assignments/media-types/" + next(d.media_type for d in DUMP_TABLE if d.kind == kind))
        compress = void.value(dist, DCAT.compressFormat)
        if name.endswith(".gz"):
            assert compress == URIRef("http://www.iana.org/assignments/media-types/application/gzip")
        else:
            assert compress is None
        checksum = void.value(dist, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = void.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary
        assert str(value) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_void_metadata(lod_build: SeedBuild) -> None:
    void = _void(lod_build)
    assert void.value(DATASET, DCTERMS.license) == URIRef(SEED_PUBLICATION.license)
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(SEED_PUBLICATION.sparql_endpoint)
    assert void.value(DATASET, DCTERMS.title) is not None
    assert void.value(DATASET, DCTERMS.description) is not None
    assert void.value(DATASET, DCTERMS.publisher) is not None
    modified = void.value(DATASET, DCTERMS.modified)
    assert modified.datatype == XSD.dateTime
    newest = max(p.modified for p in lod_build.result.exported).replace(microsecond=0)
    assert modified.toPython() == newest
    assert not any(isinstance(node, BNode) for triple in void for node in triple)


def test_void_without_options_and_with_download_base(tmp_path: Path) -> None:
    result = build(BuildConfig.of([default_sources_dir()], output=tmp_path, publication=Publication(download_base="https://downloads.example.org/osce-kg")))
    void = Graph().parse(result.outputs["void"], format="turtle")
    assert void.value(DATASET, DCTERMS.license) is None
    assert void.value(DATASET, VOID.sparqlEndpoint) is None
    urls = {str(u) for u in void.objects(None, DCAT.downloadURL)}
    assert urls == {f"https://downloads.example.org/osce-kg/{name}" for name in DUMPS}
    assert not list(tmp_path.glob("*.gz"))


@pytest.mark.parametrize("field", ["license", "sparql_endpoint", "download_base"])
def test_bad_iri_options_are_usage_errors(tmp_path: Path, field: str) -> None:
    with pytest.raises(UsageError):
        build(BuildConfig.of([default_sources_dir()], output=tmp_path, publication=Publication(**{field: "not an iri"})))


# ---------------------------------------------------------------------------
# writers on their own


def test_blank_nodes_get_the_same_labels_whatever_their_input_labels(tmp_path: Path) -> None:
    def dataset(labels: tuple[str, str]) -> Dataset:
        ds = Dataset()
        g = ds.graph(URIRef("http://example.org/g"))
        a, b = BNode(labels[0]), BNode(labels[1])
        g.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), a))
        g.add((a, URIRef("http://example.org/q"), b))
        g.add((b, URIRef("http://example.org/r"), Literal("x")))
        return ds

    outputs = []
    for n, labels in enumerate((("one", "two"), ("zz9", "aa1"))):
        write_turtle(dataset(labels), tmp_path / f"{n}.ttl")
        write_jsonld(dataset(labels), tmp_path / f"{n}.jsonld")
        outputs.append(((tmp_path / f"{n}.ttl").read_bytes(), (tmp_path / f"{n}.jsonld").read_bytes()))
    assert outputs[0] == outputs[1]
    assert b"_:" in outputs[0][0]


def test_dcterms_modified_is_utc() -> None:
    from osce_kg.publish.dumps import DataStats
    from osce_kg.publish.void import describe_dataset

    local = dt.datetime(2024, 5, 1, 14, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    void = describe_dataset(DataStats(0, 0, 0, {}, {}, 0), [], base_iri="https://w3id.org/osce-kg/id/", publication=Publication(), modified=local, pages=0)
    assert void.value(DATASET, DCTERMS.modified).toPython() == dt.datetime(2024, 5, 1, 12, 30, 15, tzinfo=dt.timezone.utc)
    assert _int(void, DATASET, VOID.triples) == 0
