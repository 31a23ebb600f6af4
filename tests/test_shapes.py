"""SHACL shapes (shapes/osce-shapes.ttl) against the ontology contract.

The hand-written sample (tests/data/valid-sample.ttl) must conform; each broken
variant, made by editing a copy of it, must be rejected with a violation whose
focus node and result path name the fault. Validation runs as the validator of
the package does: ontology as ``ont_graph``, no inference, advanced mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, SH, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

REPO = Path(__file__).resolve().parents[1]
SHAPES_FILE = REPO / "shapes" / "osce-shapes.ttl"
ONTOLOGY_FILE = REPO / "ontology" / "osce.ttl"
SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "valid-sample.ttl"

OSCE = Namespace("https://w3id.org/osce-kg/ontology#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ID = Namespace("https://w3id.org/osce-kg/id/")
# rdflib's XSD namespace object warns when pytest probes its attributes; the
# one datatype needed is kept as a plain IRI.
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

STATEMENT = ID["statement/new-tools-to-prevent-transnational-organized-crime-1"]
ROLE_STATEMENT = ID["statement/new-tools-to-prevent-transnational-organized-crime-2"]
ITEM = ID["item/new-tools-to-prevent-transnational-organized-crime"]
MEETING = ID["meeting/2021-10-07-2021-osce-annual-police-experts-meeting"]
PERSON = ID["person/hakan-jeverell"]
OTHER_PERSON = ID["person/jane-doe"]
SWEDEN = ID["country/se"]
AFGHANISTAN = ID["country/af"]
SECRETARIAT = ID["org/secretariat"]
FIELD_OPERATION = ID["org/programme-office-in-dushanbe"]
VIENNA = ID["place/vienna"]
CHAIRPERSONSHIP_2021 = ID["chairpersonship/2021"]


@dataclass(frozen=True)
class Finding:
    """One validation result, reduced to what the tests compare."""

    focus: URIRef
    path: URIRef
    component: URIRef


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def sample() -> Graph:
    return Graph().parse(SAMPLE_FILE)


def run(data: Graph, shapes: Graph, ontology: Graph | None) -> tuple[bool, set[Finding], str]:
    conforms, report, text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    findings = {
        Finding(
            report.value(result, SH.focusNode),
            report.value(result, SH.resultPath),
            report.value(result, SH.sourceConstraintComponent),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(result, SH.resultSeverity) == SH.Violation
    }
    return conforms, findings, text


def test_shapes_parse_and_target_every_contract_class(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    expected = {
        OSCE.ParticipatingState,
        OSCE.PartnerForCooperation,
        URIRef("http://www.w3.org/ns/org#Organization"),
        OSCE.Chairpersonship,
        OSCE.Meeting,
        OSCE.MeetingSeries,
        SCHEMA.Place,
        SCHEMA.Person,
        OSCE.Statement,
        OSCE.NewsItem,
        SKOS.Concept,
    }
    assert expected <= targets


def test_every_property_shape_has_name_and_message(shapes: Graph) -> None:
    for prop in set(shapes.subjects(SH.path, None)):
        assert shapes.value(prop, SH.name) is not None, prop
        assert shapes.value(prop, SH.message) is not None, prop


def test_valid_sample_conforms(sample: Graph, shapes: Graph, ontology: Graph) -> None:
    conforms, findings, text = run(sample, shapes, ontology)
    assert conforms, text
    assert not findings


def test_valid_sample_conforms_without_ontology(sample: Graph, shapes: Graph) -> None:
    """State-valued properties list the State classes (sh:or), so the shapes
    do not depend on the ontology's rdfs:subClassOf triples."""
    conforms, _, text = run(sample, shapes, None)
    assert conforms, text


# ---- broken variants: (edit of a copy of the sample, expected finding) ------

Edit = Callable[[Graph], None]


def _remove(subject: URIRef, predicate: URIRef) -> Edit:
    return lambda g: g.remove((subject, predicate, None))


def _set(subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> Edit:
    return lambda g: g.set((subject, predicate, value))


def _add(subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> Edit:
    return lambda g: g.add((subject, predicate, value))


BROKEN: list = [
    pytest.param(
        _remove(STATEMENT, SCHEMA.text),
        Finding(STATEMENT, SCHEMA.text, SH.MinCountConstraintComponent),
        id="statement-without-text",
    ),
    pytest.param(
        _set(STATEMENT, SCHEMA.text, Literal("", lang="en")),
        Finding(STATEMENT, SCHEMA.text, SH.MinLengthConstraintComponent),
        id="statement-with-empty-text",
    ),
    pytest.param(
        _set(STATEMENT, SCHEMA.text, Literal("To prevent organized crime, we need to work together.")),
        Finding(STATEMENT, SCHEMA.text, SH.DatatypeConstraintComponent),
        id="statement-text-without-language",
    ),
    pytest.param(
        _set(STATEMENT, SCHEMA.creator, SECRETARIAT),
        Finding(STATEMENT, SCHEMA.creator, SH.ClassConstraintComponent),
        id="statement-creator-is-an-organization",
    ),
    pytest.param(
        _add(STATEMENT, SCHEMA.creator, OTHER_PERSON),
        Finding(STATEMENT, SCHEMA.creator, SH.MaxCountConstraintComponent),
        id="statement-with-two-creators",
    ),
    pytest.param(
        _remove(ROLE_STATEMENT, PROV.wasDerivedFrom),
        Finding(ROLE_STATEMENT, PROV.wasDerivedFrom, SH.MinCountConstraintComponent),
        id="statement-without-page-item",
    ),
    pytest.param(
        _set(STATEMENT, SCHEMA.recordedAt, ITEM),
        Finding(STATEMENT, SCHEMA.recordedAt, SH.ClassConstraintComponent),
        id="statement-recorded-at-a-news-item",
    ),
    pytest.param(
        _remove(PERSON, SCHEMA.name),
        Finding(PERSON, SCHEMA.name, SH.MinCountConstraintComponent),
        id="person-without-name",
    ),
    pytest.param(
        _set(PERSON, SCHEMA.affiliation, VIENNA),
        Finding(PERSON, SCHEMA.affiliation, SH.OrConstraintComponent),
        id="person-affiliated-with-a-place",
    ),
    pytest.param(
        _set(MEETING, SCHEMA.endDate, Literal("2021-10-06", datatype=XSD_DATE)),
        Finding(MEETING, SCHEMA.startDate, SH.LessThanOrEqualsConstraintComponent),
        id="meeting-ends-before-it-starts",
    ),
    pytest.param(
        _set(MEETING, SCHEMA.startDate, Literal("2021-10-07")),
        Finding(MEETING, SCHEMA.startDate, SH.DatatypeConstraintComponent),
        id="meeting-start-date-plain-string",
    ),
    pytest.param(
        _set(MEETING, SCHEMA.eventAttendanceMode, SCHEMA.EventMovedOnline),
        Finding(MEETING, SCHEMA.eventAttendanceMode, SH.InConstraintComponent),
        id="meeting-attendance-mode-not-schema-org",
    ),
    pytest.param(
        _set(MEETING, OSCE.participantCount, Literal(-1)),
        Finding(MEETING, OSCE.participantCount, SH.MinInclusiveConstraintComponent),
        id="meeting-negative-participant-count",
    ),
    pytest.param(
        _set(ITEM, SCHEMA.datePublished, Literal("7 October 2021", datatype=XSD_DATE)),
        Finding(ITEM, SCHEMA.datePublished, SH.DatatypeConstraintComponent),
        id="date-published-ill-typed",
    ),
    pytest.param(
        _add(SWEDEN, SKOS.prefLabel, Literal("Kingdom of Sweden", lang="en")),
        Finding(SWEDEN, SKOS.prefLabel, SH.MaxCountConstraintComponent),
        id="state-with-two-english-preflabels",
    ),
    pytest.param(
        _set(SWEDEN, OSCE.iso3166Alpha2, Literal("se")),
        Finding(SWEDEN, OSCE.iso3166Alpha2, SH.PatternConstraintComponent),
        id="state-iso-code-lower-case",
    ),
    pytest.param(
        _set(AFGHANISTAN, OSCE.partnerGroup, Literal("Pacific")),
        Finding(AFGHANISTAN, OSCE.partnerGroup, SH.PatternConstraintComponent),
        id="partner-group-unknown",
    ),
    pytest.param(
        _set(FIELD_OPERATION, OSCE.hostCountry, VIENNA),
        Finding(FIELD_OPERATION, OSCE.hostCountry, SH.OrConstraintComponent),
        id="host-country-is-a-place",
    ),
    pytest.param(
        _set(FIELD_OPERATION, OSCE.closed, Literal("no")),
        Finding(FIELD_OPERATION, OSCE.closed, SH.DatatypeConstraintComponent),
        id="closed-not-boolean",
    ),
    pytest.param(
        _set(CHAIRPERSONSHIP_2021, OSCE.year, Literal(2021)),
        Finding(CHAIRPERSONSHIP_2021, OSCE.year, SH.DatatypeConstraintComponent),
        id="chairpersonship-year-integer",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), BROKEN)
def test_broken_variant_is_rejected(
    edit: Edit, expected: Finding, sample: Graph, shapes: Graph, ontology: Graph
) -> None:
    data = Graph()
    data += sample
    edit(data)
    conforms, findings, text = run(data, shapes, ontology)
    assert not conforms
    assert expected in findings, text


def test_broken_variants_leave_the_sample_untouched(sample: Graph) -> None:
    """The edits work on copies: the module-scoped sample stays as parsed."""
    assert isomorphic(sample, Graph().parse(SAMPLE_FILE))
