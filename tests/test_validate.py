"""Tests of osce_kg.validate: SHACL validation and its readable summary.

Data: tests/data/fixture-graph.trig (see tests/data/README.md), validated
against the real shapes/ and ontology/ when they exist, else against the
small shapes below.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from osce_kg.errors import SourceError
from osce_kg.resources import ontology_file, shapes_dir
from osce_kg.serialize import read_rdf
from osce_kg.validate import ValidationReport, load_ontology, load_shapes, union_graph, validate_graph

FIXTURE = Path(__file__).parent / "data" / "fixture-graph.trig"
ID = "https://w3id.org/osce-kg/id/"
SCHEMA = "https://schema.org/"
PAGE = URIRef(ID + "graph/000-c1c7cd6cd095379c-txt")
HAKAN = URIRef(ID + "person/hakan-jeverell")
STATEMENT_3 = URIRef(ID + "statement/new-tools-to-prevent-transnational-organized-crime-3")

#: Used only while shapes/osce-shapes.ttl does not exist yet.
FALLBACK_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix osce: <https://w3id.org/osce-kg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix t: <http://example.org/test-shapes#> .
t:PersonShape a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
                  sh:message "A person needs exactly one schema:name." ] .
t:StatementShape a sh:NodeShape ; sh:targetClass osce:Statement ;
    sh:property [ sh:path schema:creator ; sh:maxCount 1 ; sh:class schema:Person ;
                  sh:message "A statement has at most one schema:creator, a schema:Person." ] .
"""

WARNING_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix t: <http://example.org/test-shapes#> .
t:HonorificWanted a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:honorificPrefix ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "No honorific." ] .
t:Note a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:birthDate ; sh:minCount 1 ; sh:severity sh:Info ; sh:message "No birth date." ] .
"""


@pytest.fixture(scope="module")
def shapes() -> Graph:
    if any(shapes_dir().glob("*.ttl")):
        return load_shapes()
    return Graph().parse(data=FALLBACK_SHAPES, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology() if ontology_file().is_file() else Graph()


def _fixture() -> Dataset:
    return read_rdf([FIXTURE])


def _broken() -> Dataset:
    """The fixture with a nameless person and a statement whose creator is an organisation."""
    dataset = _fixture()
    page = dataset.graph(PAGE)
    page.remove((HAKAN, URIRef(SCHEMA + "name"), None))
    page.add((STATEMENT_3, URIRef(SCHEMA + "creator"), URIRef(ID + "org/secretariat")))
    return dataset


def test_fixture_conforms(shapes: Graph, ontology: Graph) -> None:
    report = validate_graph(_fixture(), shapes=shapes, ontology=ontology)
    assert report.conforms, report.summary()
    assert report.violations == ()
    assert "conforms" in report.summary()


def test_default_shapes_and_ontology_are_used() -> None:
    if not any(shapes_dir().glob("*.ttl")) or not ontology_file().is_file():
        pytest.skip("shapes/ or ontology/ not written yet")
    assert validate_graph(_fixture()).conforms
    assert not validate_graph(_broken()).conforms


def test_broken_graph_lists_violations(shapes: Graph, ontology: Graph) -> None:
    report = validate_graph(_broken(), shapes=shapes, ontology=ontology)
    assert not report.conforms
    by_focus = {v.focus_node: v for v in report.violations}
    assert set(by_focus) == {str(HAKAN), str(STATEMENT_3)}
    name = by_focus[str(HAKAN)]
    assert name.path == SCHEMA + "name"
    assert name.severity == "Violation"
    assert "schema:name" in name.message
    assert name.source_shape
    creator = by_focus[str(STATEMENT_3)]
    assert creator.path == SCHEMA + "creator"
    assert creator.value == ID + "org/secretariat"

    summary = report.summary()
    assert "does not conform" in summary
    assert "2 violations" in summary
    assert "Violation: id:person/hakan-jeverell schema:name: " in summary
    assert "id:statement/new-tools-to-prevent-transnational-organized-crime-3 schema:creator" in summary
    assert "(value: id:org/secretariat)" in summary


def test_summary_limit(shapes: Graph, ontology: Graph) -> None:
    dataset = _fixture()
    page = dataset.graph(PAGE)
    for i in range(5):
        page.add((URIRef(f"{ID}person/nameless-{i}"), RDF.type, URIRef(SCHEMA + "Person")))
    report = validate_graph(dataset, shapes=shapes, ontology=ontology)
    assert len(report.violations) == 5
    lines = report.summary(limit=2).splitlines()
    assert len(lines) == 1 + 2 + 1
    assert lines[-1] == "... and 3 more"
    assert "id:person/nameless-0" in lines[1]


def test_warnings_and_infos_do_not_break_conformance(ontology: Graph) -> None:
    shapes = Graph().parse(data=WARNING_SHAPES, format="turtle")
    report = validate_graph(_fixture(), shapes=shapes, ontology=ontology)
    assert report.conforms
    assert {v.severity for v in report.violations} == {"Warning", "Info"}
    assert report.counts() == {"Warning": 1, "Info": 2}
    summary = report.summary()
    assert "the graph conforms (1 warning, 2 info)" in summary
    assert "Warning: id:person/helga-maria-schmid schema:honorificPrefix: No honorific." in summary
    assert summary.index("Warning:") < summary.index("Info:")


def test_dataset_is_validated_as_union(shapes: Graph, ontology: Graph) -> None:
    """The speaker is typed in one named graph, the statement in another."""
    dataset = Dataset()
    person = URIRef(ID + "person/a")
    one = dataset.graph(URIRef(ID + "graph/one"))
    one.add((person, RDF.type, URIRef(SCHEMA + "Person")))
    one.add((person, URIRef(SCHEMA + "name"), Literal("A")))
    two = dataset.graph(URIRef(ID + "graph/two"))
    statement = URIRef(ID + "statement/a")
    two.add((statement, RDF.type, URIRef("https://w3id.org/osce-kg/ontology#Statement")))
    two.add((statement, URIRef(SCHEMA + "text"), Literal("Hello.", lang="en")))
    two.add((statement, URIRef(SCHEMA + "creator"), person))
    two.add((statement, URIRef("https://w3id.org/osce-kg/ontology#attributedBy"), Literal("after.name")))
    item = URIRef(ID + "item/a")
    two.add((statement, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), item))
    two.add((item, RDF.type, URIRef("https://w3id.org/osce-kg/ontology#NewsItem")))
    two.add((item, URIRef(SCHEMA + "headline"), Literal("A", lang="en")))
    before = len(union_graph(dataset))
    report = validate_graph(dataset, shapes=shapes, ontology=ontology)
    assert report.conforms, report.summary()
    assert len(union_graph(dataset)) == before  # data not modified


def test_report_graph_is_a_shacl_report(shapes: Graph, ontology: Graph) -> None:
    report = validate_graph(_broken(), shapes=shapes, ontology=ontology)
    assert isinstance(report, ValidationReport)
    results = list(report.report_graph.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == len(report.violations)


def test_load_shapes_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        load_shapes(tmp_path / "absent")
    with pytest.raises(SourceError, match="no SHACL shapes"):
        load_shapes(tmp_path)
    (tmp_path / "a.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n", encoding="utf-8")
    (tmp_path / "b.ttl").write_text("this is not turtle\n", encoding="utf-8")
    with pytest.raises(SourceError) as excinfo:
        load_shapes(tmp_path)
    assert excinfo.value.path == tmp_path / "b.ttl"


def test_load_ontology_missing(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        load_ontology(tmp_path / "osce.ttl")
