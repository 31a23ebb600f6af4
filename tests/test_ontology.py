"""The OWL ontology (ontology/osce.ttl) and the JSON-LD context
(ontology/context.jsonld) against the ontology contract of ARCHITECTURE.md.

The context compacts the JSON-LD dump; the dump must parse back to a graph
isomorphic to the one serialized, for every kind of term the mapping emits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SH, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from osce_kg.serialize import jsonld_node_objects

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = REPO / "ontology" / "osce.ttl"
CONTEXT_FILE = REPO / "ontology" / "context.jsonld"
SHAPES_FILE = REPO / "shapes" / "osce-shapes.ttl"
SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "valid-sample.ttl"

ONTOLOGY_IRI = URIRef("https://w3id.org/osce-kg/ontology")
OSCE = Namespace("https://w3id.org/osce-kg/ontology#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS_NS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS_NS = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
XSD_NS = Namespace("http://www.w3.org/2001/XMLSchema#")
ID = Namespace("https://w3id.org/osce-kg/id/")

#: class of the contract table -> the class it specialises.
CONTRACT_CLASSES: dict[URIRef, set[URIRef]] = {
    OSCE.ParticipatingState: {SCHEMA.Country},
    OSCE.PartnerForCooperation: {SCHEMA.Country},
    OSCE.Institution: {ORG.Organization, ORG.FormalOrganization},
    OSCE.FieldOperation: {ORG.Organization, ORG.FormalOrganization},
    OSCE.SecretariatUnit: {ORG.Organization, ORG.FormalOrganization},
    OSCE.Chairpersonship: {ORG.Organization, ORG.FormalOrganization},
    OSCE.DecisionMakingBody: {ORG.Organization, ORG.FormalOrganization},
    OSCE.RelatedBody: {ORG.Organization, ORG.FormalOrganization},
    OSCE.Meeting: {SCHEMA.Event},
    OSCE.MeetingSeries: {SCHEMA.EventSeries},
    OSCE.Statement: {SCHEMA.Quotation},
    OSCE.NewsItem: {SCHEMA.NewsArticle},
}

#: property -> (OWL property kind, rdfs:range).
CONTRACT_PROPERTIES: dict[URIRef, tuple[URIRef, URIRef]] = {
    OSCE.iso3166Alpha2: (OWL.DatatypeProperty, XSD_NS.string),
    OSCE.partnerGroup: (OWL.DatatypeProperty, XSD_NS.string),
    OSCE.closed: (OWL.DatatypeProperty, XSD_NS.boolean),
    OSCE.year: (OWL.DatatypeProperty, XSD_NS.gYear),
    OSCE.contentType: (OWL.DatatypeProperty, XSD_NS.string),
    OSCE.speakerRole: (OWL.DatatypeProperty, RDF.langString),
    OSCE.theme: (OWL.DatatypeProperty, RDF.langString),
    OSCE.participantCount: (OWL.DatatypeProperty, XSD_NS.integer),
    OSCE.minimumParticipantCount: (OWL.DatatypeProperty, XSD_NS.integer),
    OSCE.hostCountry: (OWL.ObjectProperty, SCHEMA.Country),
    OSCE.chairingState: (OWL.ObjectProperty, OSCE.ParticipatingState),
    OSCE.supportedBy: (OWL.ObjectProperty, ORG.Organization),
    OSCE.meetingCategory: (OWL.ObjectProperty, SKOS_NS.Concept),
    OSCE.country: (OWL.ObjectProperty, SCHEMA.Country),
}

REQUIRED_PREFIXES = {
    "osce": str(OSCE),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "skos": str(SKOS_NS),
    "prov": "http://www.w3.org/ns/prov#",
    "owl": str(OWL),
    "xsd": str(XSD_NS),
    "dcterms": str(DCTERMS_NS),
    "rdfs": str(RDFS),
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def context() -> dict:
    """The ``@context`` object of context.jsonld, as given to rdflib."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


@pytest.fixture(scope="module")
def sample() -> Graph:
    return Graph().parse(SAMPLE_FILE)


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == "en"]


# ---- ontology ---------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert english(ontology, ONTOLOGY_IRI, DCTERMS_NS.title)
    assert english(ontology, ONTOLOGY_IRI, DCTERMS_NS.description)
    assert ontology.value(ONTOLOGY_IRI, DCTERMS_NS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS_NS.creator) == Literal("osce-kg contributors")
    assert ontology.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("osce")
    assert not list(ontology.objects(ONTOLOGY_IRI, OWL.imports)), "no imports that need the network"


@pytest.mark.parametrize("cls", list(CONTRACT_CLASSES), ids=lambda c: c.fragment)
def test_contract_class_is_declared(ontology: Graph, cls: URIRef) -> None:
    assert (cls, RDF.type, OWL.Class) in ontology
    assert english(ontology, cls, RDFS.label), "rdfs:label@en"
    assert english(ontology, cls, RDFS.comment), "rdfs:comment@en"
    supers = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
    assert supers & CONTRACT_CLASSES[cls], f"{cls} must specialise one of {CONTRACT_CLASSES[cls]}"


@pytest.mark.parametrize("prop", list(CONTRACT_PROPERTIES), ids=lambda p: p.fragment)
def test_contract_property_is_declared(ontology: Graph, prop: URIRef) -> None:
    kind, range_ = CONTRACT_PROPERTIES[prop]
    assert (prop, RDF.type, kind) in ontology
    assert english(ontology, prop, RDFS.label)
    assert english(ontology, prop, RDFS.comment)
    assert ontology.value(prop, RDFS.range) == range_


def test_supported_by_specialises_contributor(ontology: Graph) -> None:
    assert (OSCE.supportedBy, RDFS.subPropertyOf, SCHEMA.contributor) in ontology


@pytest.mark.parametrize("scheme", [OSCE.FieldsOfWork, OSCE.MeetingCategories], ids=lambda s: s.fragment)
def test_concept_scheme_is_described_in_the_reference_data(ontology: Graph, scheme: URIRef) -> None:
    """The schemes are data (the reference graph), not part of the ontology
    document: pyLODE and ontospy take every skos:ConceptScheme of a document
    for the document itself."""
    from osce_kg.mapping import Mapper
    from osce_kg.oxterms import rdflib_graph
    from osce_kg.reference import ReferenceData
    from osce_kg.vocab import IriMinter

    assert not list(ontology.subjects(RDF.type, SKOS_NS.ConceptScheme))
    reference = rdflib_graph(Mapper(ReferenceData.load(), IriMinter()).map_reference())
    assert (scheme, RDF.type, SKOS_NS.ConceptScheme) in reference
    assert len(english(reference, scheme, SKOS_NS.prefLabel)) == 1
    assert any(reference.subjects(SKOS_NS.inScheme, scheme))


def test_external_classes_used_as_superclass_or_range_are_declared(ontology: Graph) -> None:
    used = set(ontology.objects(None, RDFS.subClassOf)) | set(ontology.objects(None, RDFS.domain))
    used |= {o for o in ontology.objects(None, RDFS.range) if not str(o).startswith((str(XSD_NS), str(RDF)))}
    for cls in used:
        assert (cls, RDF.type, OWL.Class) in ontology, cls


def _osce_terms(graph: Graph) -> set[URIRef]:
    """osce: IRIs used anywhere in ``graph``, except the ontology IRI itself."""
    terms = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and node.startswith(str(OSCE)):
                terms.add(node)
    return terms


def _declared(ontology: Graph) -> set[URIRef]:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}
    return {s for s, _, k in ontology.triples((None, RDF.type, None)) if k in kinds}


def test_every_osce_term_of_the_shapes_is_declared(ontology: Graph) -> None:
    shapes = Graph().parse(SHAPES_FILE)
    assert (None, RDF.type, SH.NodeShape) in shapes
    missing = _osce_terms(shapes) - _declared(ontology)
    assert not missing, sorted(missing)


def test_every_osce_term_of_the_sample_is_declared(ontology: Graph, sample: Graph) -> None:
    missing = _osce_terms(sample) - _declared(ontology)
    assert not missing, sorted(missing)


def test_every_osce_term_of_the_ontology_has_label_and_comment(ontology: Graph) -> None:
    for term in _osce_terms(ontology):
        assert english(ontology, term, RDFS.label), term
        assert english(ontology, term, RDFS.comment), term


# ---- JSON-LD context --------------------------------------------------------


def _expand(curie: str, context: dict) -> str:
    prefix, _, local = curie.partition(":")
    return context[prefix] + local if prefix in context and isinstance(context[prefix], str) else curie


def test_context_is_local_and_has_the_prefixes(context: dict) -> None:
    raw = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    assert set(raw) == {"@context"}
    assert isinstance(context, dict), "no remote contexts"
    assert "@import" not in context
    for prefix, namespace in REQUIRED_PREFIXES.items():
        assert context.get(prefix) == namespace, prefix


def test_context_terms_agree_with_the_ontology(context: dict, ontology: Graph) -> None:
    """A term's coercion follows the property's kind and range: ``@id`` for
    object properties, the XSD range for datatype properties but JSON
    numbers and booleans for xsd:integer and xsd:boolean (no ``@type``), the
    context's default language (``en``) for rdf:langString, ``@language:
    null`` for xsd:string. Nothing needs JSON-LD 1.1 (no ``@version``), so
    1.0 readers such as Jena's read the dumps."""
    assert "@version" not in context and context["@language"] == "en"
    for term, definition in context.items():
        if not isinstance(definition, dict):
            continue
        iri = URIRef(_expand(definition["@id"], context))
        assert iri != URIRef(definition["@id"]), f"{term}: @id must use a declared prefix"
        if iri in CONTRACT_PROPERTIES:
            kind, range_ = CONTRACT_PROPERTIES[iri]
            if kind == OWL.ObjectProperty:
                assert definition.get("@type") == "@id", term
            elif range_ == RDF.langString:
                assert "@language" not in definition and "@type" not in definition, term
            elif range_ == XSD_NS.string:
                assert "@type" not in definition and definition["@language"] is None, term
            elif range_ in (XSD_NS.integer, XSD_NS.boolean):
                assert "@type" not in definition and "@language" not in definition, term
            else:
                assert URIRef(_expand(definition["@type"], context)) == range_, term


def _lower_tags(graph: Graph) -> Graph:
    """Language tags are case-insensitive (BCP 47); pyoxigraph, which the
    writer uses, gives them in lower case."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, Literal(str(o), lang=o.language.lower()) if isinstance(o, Literal) and o.language else o))
    return out


def _assert_round_trip(graph: Graph, context: dict) -> None:
    text = json.dumps({"@context": context, "@graph": jsonld_node_objects(graph, context)})
    back = Graph().parse(data=text, format="json-ld")
    graph = _lower_tags(graph)
    if not isomorphic(graph, back):
        _, only_source, only_back = graph_diff(to_isomorphic(graph), to_isomorphic(back))
        pytest.fail(
            "JSON-LD round trip changed the graph:\n- "
            + "\n- ".join(map(str, sorted(only_source)))
            + "\n+ "
            + "\n+ ".join(map(str, sorted(only_back)))
        )


def test_context_compacts_with_its_terms(sample: Graph, context: dict) -> None:
    document = json.loads(sample.serialize(format="json-ld", context=context))
    keys = {key for node in document["@graph"] for key in node}
    for term in ("prefLabel", "name", "text", "startDate", "closed", "year", "creator", "wasDerivedFrom", "url"):
        assert term in keys, term


def test_json_ld_round_trip_of_the_sample(sample: Graph, context: dict) -> None:
    _assert_round_trip(sample, context)


S = ID["x/subject"]

#: values that a term definition of the context could mangle: a literal of
#: another type or language under a coerced term, an IRI under a typed term,
#: an ill-typed literal, non-canonical lexical forms, blank nodes.
EDGE_CASES = [
    (SKOS_NS.prefLabel, Literal("Schweden", lang="de")),
    (SKOS_NS.prefLabel, Literal("Sweden", lang="en-GB")),
    (SKOS_NS.prefLabel, Literal("no language")),
    (SCHEMA.name, Literal("Håkan Jeverell")),
    (SCHEMA.name, Literal("Wien", lang="de")),
    (SCHEMA.text, Literal("", lang="en")),
    (OSCE.speakerRole, Literal("Generalsekretär", lang="de")),
    (SCHEMA.startDate, Literal("2021-10-07T09:00:00", datatype=XSD_NS.dateTime)),
    (SCHEMA.startDate, Literal("2021-10-07")),
    (SCHEMA.datePublished, Literal("7 October 2021", datatype=XSD_NS.date)),
    (SCHEMA.endDate, ID["x/not-a-date"]),
    (OSCE.year, Literal(2021)),
    (OSCE.year, Literal("2021-05", datatype=XSD_NS.gYearMonth)),
    (OSCE.closed, Literal("1", datatype=XSD_NS.boolean)),
    (OSCE.closed, Literal("no")),
    (OSCE.participantCount, Literal("0100", datatype=XSD_NS.integer)),
    (OSCE.participantCount, Literal("7", datatype=XSD_NS.nonNegativeInteger)),
    (OSCE.minimumParticipantCount, Literal(2.5)),
    (SCHEMA.url, URIRef("https://www.osce.org/node/1")),
    (SCHEMA.url, Literal("https://www.osce.org/node/2")),
    (SCHEMA.creator, Literal("an unnamed speaker")),
    (SCHEMA.creator, BNode()),
    (SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode),
    (SCHEMA.about, URIRef("urn:uuid:0b5e8d8c-8e34-4c1a-9d5f-1f2a3b4c5d6e")),
    (OSCE.hostCountry, URIRef("https://sws.geonames.org/1220409/")),
    (OSCE.iso3166Alpha2, Literal("SE", lang="en")),
    (OSCE.partnerGroup, Literal("Asian")),
    (SCHEMA.honorificPrefix, Literal("Ambassador")),
    (ORG.subOrganizationOf, ID["org/osce"]),
    (RDF.type, SCHEMA.Thing),
]


@pytest.mark.parametrize(("predicate", "value"), EDGE_CASES, ids=lambda v: repr(v)[:60])
def test_json_ld_round_trip_edge_case(sample: Graph, context: dict, predicate: URIRef, value) -> None:
    graph = Graph()
    graph += sample
    graph.add((S, predicate, value))
    _assert_round_trip(graph, context)


def test_json_ld_round_trip_of_named_graphs(sample: Graph, context: dict) -> None:
    """The dump is a dataset: reference graph plus one named graph per page."""
    dataset = Dataset()
    reference = dataset.graph(ID["graph/reference"])
    page = dataset.graph(ID["graph/000-c1c7cd6cd095379c-txt"])
    page_kinds = ("item/", "meeting/", "meeting-series/", "person/", "statement/", "place/")
    for triple in sample:
        target = page if any(kind in str(triple[0]) for kind in page_kinds) else reference
        target.add(triple)
    text = dataset.serialize(format="json-ld", context=context)
    back = Dataset()
    back.parse(data=text, format="json-ld")
    for name in (ID["graph/reference"], ID["graph/000-c1c7cd6cd095379c-txt"]):
        assert isomorphic(dataset.graph(name), back.graph(name)), name
    assert len(back.graph(DATASET_DEFAULT_GRAPH_ID)) == 0, "nothing lands in the default graph"


def test_explicit_xsd_string_comes_back_as_a_plain_literal(context: dict) -> None:
    """Known rdflib behaviour with any context (even prefix-only): a literal
    typed ``^^xsd:string`` is compacted to a bare JSON string and parses back
    without a datatype. In RDF 1.1 both are the same literal, but rdflib
    compares them as different terms, so the mapping emits plain literals
    (``Literal("SE")``, not ``Literal("SE", datatype=XSD.string)``)."""
    graph = Graph()
    graph.add((S, OSCE.iso3166Alpha2, Literal("SE", datatype=XSD_NS.string)))
    back = Graph().parse(data=graph.serialize(format="json-ld", context=context), format="json-ld")
    assert set(back.objects(S, OSCE.iso3166Alpha2)) in (
        {Literal("SE")},
        {Literal("SE", datatype=XSD_NS.string)},
    )


def test_json_ld_dump_reads_in_oxigraph(sample: Graph, context: dict) -> None:
    """An independent JSON-LD 1.1 processor expands the context the same way."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    text = sample.serialize(format="json-ld", context=context)
    quads = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.JSON_LD)
    n_triples = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    assert isomorphic(sample, Graph().parse(data=n_triples, format="nt"))
