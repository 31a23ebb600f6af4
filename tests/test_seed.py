"""The seed page's facts, as exact values (issue 2, "Done when")."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, SKOS, XSD

from osce_kg.vocab import ORG, OSCE, SCHEMA

ID = "https://w3id.org/osce-kg/id/"


@pytest.fixture(scope="module")
def graph(seed_build) -> Graph:
    g = Graph()
    g.parse(seed_build.outputs["turtle"], format="turtle")
    return g


def _one(values):
    values = list(values)
    assert len(values) == 1, values
    return values[0]


def test_build_conforms_and_exits_zero(seed_build) -> None:
    assert seed_build.report.conforms, seed_build.report.summary()
    assert seed_build.exit_code == 0
    assert seed_build.skipped == []


def test_turtle_and_jsonld_hold_the_same_graph(seed_build, graph) -> None:
    other = Graph()
    other.parse(seed_build.outputs["jsonld"], format="json-ld")
    assert len(graph) == len(other) > 900
    assert isomorphic(graph, other)


def test_jsonld_context_is_embedded(seed_build) -> None:
    text = seed_build.outputs["jsonld"].read_text(encoding="utf-8")
    assert '"@context": {' in text
    assert "http" not in text.split('"@context"')[1].split("\n")[0]


def test_reference_counts(graph) -> None:
    assert len(set(graph.subjects(RDF.type, OSCE.ParticipatingState))) == 57
    assert len(set(graph.subjects(SKOS.inScheme, OSCE.FieldsOfWork))) == 23
    assert len(set(graph.subjects(SKOS.inScheme, OSCE.MeetingCategories))) == 16
    sweden = URIRef(ID + "country/se")
    assert _one(graph.objects(sweden, SKOS.prefLabel)) == Literal("Sweden", lang="en")
    assert _one(graph.objects(sweden, OSCE.iso3166Alpha2)) == Literal("SE")
    assert set(graph.objects(sweden, OWL.sameAs)) == {URIRef("https://sws.geonames.org/2661886/"), URIRef("http://www.wikidata.org/entity/Q34")}
    assert Literal("Turkey", lang="en") in set(graph.objects(URIRef(ID + "country/tr"), SKOS.altLabel))


def test_meeting(graph) -> None:
    meeting = _one(graph.subjects(RDF.type, OSCE.Meeting))
    assert meeting == URIRef(ID + "meeting/2021-10-07-2021-osce-annual-police-experts-meeting")
    assert _one(graph.objects(meeting, SCHEMA.name)) == Literal("2021 OSCE Annual Police Experts Meeting", lang="en")
    assert _one(graph.objects(meeting, SCHEMA.alternateName)) == Literal("APEM", lang="en")
    start = _one(graph.objects(meeting, SCHEMA.startDate))
    assert start == Literal("2021-10-07", datatype=XSD.date) and start.toPython() == dt.date(2021, 10, 7)
    assert list(graph.objects(meeting, SCHEMA.endDate)) == []
    place = _one(graph.objects(meeting, SCHEMA.location))
    assert _one(graph.objects(place, SCHEMA.name)) == Literal("Vienna", lang="en")
    assert _one(graph.objects(place, SCHEMA.containedInPlace)) == URIRef(ID + "country/at")
    assert _one(graph.objects(meeting, SCHEMA.eventAttendanceMode)) == SCHEMA.MixedEventAttendanceMode
    assert _one(graph.objects(meeting, OSCE.theme)) == Literal("Preventing Transnational Organized Crime", lang="en")
    assert _one(graph.objects(meeting, OSCE.minimumParticipantCount)) == Literal(100, datatype=XSD.integer)
    series = _one(graph.objects(meeting, SCHEMA.superEvent))
    assert (series, RDF.type, OSCE.MeetingSeries) in graph
    assert _one(graph.objects(series, SCHEMA.name)) == Literal("OSCE Annual Police Experts Meeting", lang="en")
    organizer = _one(graph.objects(meeting, SCHEMA.organizer))
    assert organizer == URIRef(ID + "chairpersonship/2021")
    assert _one(graph.objects(meeting, OSCE.supportedBy)) == URIRef(ID + "org/strategic-police-matters-unit")
    assert _one(graph.objects(meeting, SCHEMA.about)) == URIRef(ID + "field-of-work/policing")


def test_chairpersonships(graph) -> None:
    chairs = {
        str(_one(graph.objects(c, OSCE.year))): _one(graph.objects(c, OSCE.chairingState))
        for c in graph.subjects(RDF.type, OSCE.Chairpersonship)
        if list(graph.objects(c, OSCE.year))
    }
    assert chairs == {"2021": URIRef(ID + "country/se"), "2025": URIRef(ID + "country/fi")}
    year = _one(graph.objects(URIRef(ID + "chairpersonship/2021"), OSCE.year))
    assert year.datatype == XSD.gYear


EXPECTED_SPEAKERS = {
    "To prevent organized crime, we must address the root causes": "Håkan Jeverell",
    "The effects of organized crime are felt around the globe": "John Brandolino",
    "The fight against transnational organized crime can be effective only if": "Alena Kupchyna",
}


def test_three_statements_with_their_speakers(graph) -> None:
    statements = set(graph.subjects(RDF.type, OSCE.Statement))
    assert len(statements) == 3
    meeting = URIRef(ID + "meeting/2021-10-07-2021-osce-annual-police-experts-meeting")
    item = _one(graph.subjects(RDF.type, OSCE.NewsItem))
    found = {}
    for st in statements:
        text = _one(graph.objects(st, SCHEMA.text))
        assert text.language == "en"
        creator = _one(graph.objects(st, SCHEMA.creator))
        assert (creator, RDF.type, SCHEMA.Person) in graph
        found[str(text)] = str(_one(graph.objects(creator, SCHEMA.name)))
        assert _one(graph.objects(st, SCHEMA.recordedAt)) == meeting
        assert _one(graph.objects(st, PROV.wasDerivedFrom)) == item
    for opening, speaker in EXPECTED_SPEAKERS.items():
        assert [name for text, name in found.items() if text.startswith(opening)] == [speaker]


def test_third_statement_text_is_exact(graph) -> None:
    texts = {str(o) for o in graph.objects(None, SCHEMA.text)}
    assert (
        "The fight against transnational organized crime can be effective only if we have a common and shared "
        "agenda and if we include a strong prevention component in all our endeavours." in texts
    )
    # the attribution's trailing comma is not part of the quotation
    assert not any(t.endswith(",") for t in texts)


PERSONS = {
    "hakan-jeverell-144627": ("Håkan Jeverell", "Special Envoy on Organized Crime", "org/ministry-for-foreign-affairs-of-sweden"),
    "john-brandolino": ("John Brandolino", "Director of the Division for Treaty Affairs", "org/united-nations-office-on-drugs-and-crime"),
    "alena-kupchyna": ("Alena Kupchyna", "OSCE Co-ordinator of Activities to Address Transnational Threats", "org/secretariat"),
}


@pytest.mark.parametrize("slug", sorted(PERSONS))
def test_persons(graph, slug: str) -> None:
    name, title, affiliation = PERSONS[slug]
    person = URIRef(ID + "person/" + slug)
    assert _one(graph.objects(person, SCHEMA.name)) == Literal(name)
    assert _one(graph.objects(person, SCHEMA.jobTitle)) == Literal(title, lang="en")
    assert _one(graph.objects(person, SCHEMA.affiliation)) == URIRef(ID + affiliation)
    assert list(graph.objects(person, SCHEMA.honorificPrefix)) == []


def test_person_affiliations_are_described(graph) -> None:
    mfa = URIRef(ID + "org/ministry-for-foreign-affairs-of-sweden")
    assert _one(graph.objects(mfa, SKOS.prefLabel)) == Literal("Ministry for Foreign Affairs of Sweden", lang="en")
    assert _one(graph.objects(mfa, OSCE.country)) == URIRef(ID + "country/se")
    unodc = URIRef(ID + "org/united-nations-office-on-drugs-and-crime")
    assert (unodc, RDF.type, ORG.Organization) in graph
    assert Literal("UNODC", lang="en") in set(graph.objects(unodc, SKOS.altLabel))


def test_news_item(graph) -> None:
    item = _one(graph.subjects(RDF.type, OSCE.NewsItem))
    assert _one(graph.objects(item, SCHEMA.headline)) == Literal(
        "New tools to prevent transnational organized crime discussed at 2021 OSCE Annual Police Experts Meeting", lang="en"
    )
    assert _one(graph.objects(item, OSCE.contentType)) == Literal("News")
    # "Issued on:" is empty on the page: no date, not a guessed one
    assert list(graph.objects(item, SCHEMA.datePublished)) == []
    assert set(graph.objects(item, SCHEMA.publisher)) == {
        URIRef(ID + "org/chairpersonship"),
        URIRef(ID + "org/secretariat"),
        URIRef(ID + "org/transnational-threats-department"),
    }
    assert _one(graph.objects(item, SCHEMA.about)) == URIRef(ID + "field-of-work/policing")
    mentions = set(graph.objects(item, SCHEMA.mentions))
    assert URIRef(ID + "org/strategic-police-matters-unit") in mentions
    assert URIRef(ID + "org/united-nations-office-on-drugs-and-crime") in mentions


def test_navigation_unknown_names_are_reported(seed_build) -> None:
    assert ("000_c1c7cd6cd095379c.txt", "navigation: unknown name 'Opportunities for Youth' under 'secretariat'") in seed_build.warnings


def test_one_named_graph_per_page_plus_reference(seed_build) -> None:
    names = sorted(str(g.identifier) for g in seed_build.dataset.graphs() if len(g))
    assert names == [ID + "graph/page-000_c1c7cd6cd095379c-txt", ID + "graph/reference"]


def test_base_iri_is_configurable(tmp_path) -> None:
    from osce_kg import BuildConfig, build
    from tests.conftest import SEED

    result = build(BuildConfig.of([SEED], output=tmp_path, base_iri="https://example.org/kg"))
    g = Graph().parse(result.outputs["turtle"])
    assert (URIRef("https://example.org/kg/country/se"), RDF.type, OSCE.ParticipatingState) in g
    assert not any(str(s).startswith(ID) for s in g.subjects())


def test_iris_are_deterministic(tmp_path, seed_build) -> None:
    from osce_kg import BuildConfig, build
    from tests.conftest import SEED

    again = build(BuildConfig.of([SEED], output=tmp_path))
    assert again.outputs["turtle"].read_bytes() == seed_build.outputs["turtle"].read_bytes()
    assert again.outputs["jsonld"].read_bytes() == seed_build.outputs["jsonld"].read_bytes()
