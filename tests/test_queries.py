"""Tests of osce_kg.sparql: named queries, parameters, results and formats.

Data: tests/data/fixture-graph.trig (see tests/data/README.md).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery

from osce_kg.errors import SourceError, UsageError
from osce_kg.sparql import (
    NamedQuery,
    QueryResult,
    bind_parameters,
    format_result,
    get_query,
    list_queries,
    query_from_text,
    run_query,
    run_query_files,
)
from osce_kg.serialize import read_rdf
from osce_kg.sparql.params import prepare_text
from osce_kg.sparql.run import restrict_by_lookups

def copy_dataset(dataset: Dataset) -> Dataset:
    """A copy of ``dataset`` a test may change (the fixture is shared)."""
    copy = Dataset()
    copy.addN(dataset.quads())
    return copy


FIXTURE = Path(__file__).parent / "data" / "fixture-graph.trig"
ID = "https://w3id.org/osce-kg/id/"
MEETING = ox.NamedNode(ID + "meeting/2021-10-07-2021-osce-annual-police-experts-meeting")
SOURCE = ox.NamedNode("https://www.osce.org/chairmanship/502389")
XSD_DATE = ox.NamedNode(str(XSD.date))

STATEMENT_ROWS = [
    (
        "Co-operation between police services is the key to success.",
        "Helga Maria Schmid",
        "OSCE Secretary General",
        "2021 OSCE Annual Police Experts Meeting",
        "2021-10-07",
    ),
    (
        "To prevent organized crime, we need to understand how criminal networks operate across borders.",
        "Håkan Jeverell",
        "Special Envoy on Organized Crime",
        "2021 OSCE Annual Police Experts Meeting",
        "2021-10-07",
    ),
    (
        "New tools must respect human rights.",
        None,
        "Head of the Strategic Police Matters Unit",
        None,
        "2021-10-08",
    ),
]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_rdf([FIXTURE])


def _text(row: tuple) -> tuple:
    """A row with every term as its text (None stays None)."""
    return tuple(None if cell is None else cell.value for cell in row)


def _column(result: QueryResult, name: str) -> list:
    index = result.variables.index(name)
    return [row[index] for row in result.rows]


# ---------------------------------------------------------------------------
# the shipped queries


def test_list_queries_sorted_and_complete() -> None:
    names = [q.name for q in list_queries()]
    assert names == sorted(names)
    for required in ("statements", "persons", "meetings", "participating-states", "field-operations"):
        assert required in names


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_shipped_query_is_well_formed(query: NamedQuery) -> None:
    assert query.title and query.title != query.name
    assert "ORDER BY" in query.text
    prepared = prepareQuery(query.text)
    assert prepared.algebra.name == "SelectQuery"
    for parameter in query.parameters:
        if parameter.match == "folded":  # applied to the rows by osce-kg
            assert f"?{parameter.name}" in query.text and f"?{parameter.variable}" not in query.text
        else:
            assert f"?{parameter.variable}" in query.text


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_shipped_query_runs_on_fixture(dataset: Dataset, query: NamedQuery) -> None:
    result = run_query(dataset, query)
    assert result.rows, f"{query.name} found nothing in the fixture"
    assert all(len(row) == len(result.variables) for row in result.rows)


def test_statements_exact_rows(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("statements"))
    assert result.variables == ("text", "speaker", "role", "meeting", "date", "source")
    assert [_text(row[:5]) for row in result.rows] == STATEMENT_ROWS
    assert _column(result, "source") == [SOURCE, SOURCE, SOURCE]
    date = _column(result, "date")[0]
    assert isinstance(date, ox.Literal) and date.datatype == XSD_DATE


def test_statements_speaker_parameter(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("statements"), {"speaker": "Håkan Jeverell"})
    assert [_text(row[:2]) for row in result.rows] == [(STATEMENT_ROWS[1][0], "Håkan Jeverell")]


def test_statements_speaker_matches_language_tagged_names(dataset: Dataset) -> None:
    graph = Graph()
    for triple in dataset.triples((None, None, None)):
        graph.add(triple)
    person = URIRef(ID + "person/hakan-jeverell")
    name = URIRef("https://schema.org/name")
    graph.remove((person, name, None))
    graph.add((person, name, Literal("Håkan Jeverell", lang="en")))
    result = run_query(graph, get_query("statements"), {"speaker": "Håkan Jeverell"})
    assert len(result.rows) == 1


def test_statements_meeting_parameter(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("statements"), {"meeting": MEETING.value})
    assert [row[1].value for row in result.rows] == ["Helga Maria Schmid", "Håkan Jeverell"]
    none = run_query(dataset, get_query("statements"), {"meeting": ID + "meeting/none"})
    assert none.rows == ()


def test_injection_value_stays_a_literal(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    query = get_query("statements")
    original_text = query.text
    evil = 'x" } ; DROP ALL ; #'
    text = prepare_text(query, {"speaker": evil})
    assert evil not in text and str(ox.Literal(evil)) in text
    before = len(dataset)
    result = run_query(dataset, query, {"speaker": evil})
    assert result.rows == ()
    assert query.text == original_text == query.path.read_text(encoding="utf-8")
    assert len(dataset) == before


def test_dataset_without_default_union_is_queried_as_union() -> None:
    plain = Dataset()
    plain.parse(FIXTURE, format="trig")
    assert not plain.default_union
    result = run_query(plain, get_query("statements"))
    assert len(result.rows) == 3
    assert not plain.default_union


def test_plain_graph_is_queried() -> None:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    assert len(run_query(graph, get_query("statements")).rows) == 3


def test_persons_rows_and_name_parameter(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("persons"))
    assert result.variables == ("person", "name", "honorific", "jobTitle", "affiliation", "statements", "alternateName")
    assert [_text(row) for row in result.rows] == [
        (ID + "person/helga-maria-schmid", "Helga Maria Schmid", None, "OSCE Secretary General", "OSCE Secretariat", "1", None),
        (
            ID + "person/hakan-jeverell",
            "Håkan Jeverell",
            "Ambassador",
            "Special Envoy on Organized Crime",
            "Ministry for Foreign Affairs of Sweden",
            "1",
            None,
        ),
    ]
    only = run_query(dataset, get_query("persons"), {"name": "JEVERELL"})
    assert [row[1].value for row in only.rows] == ["Håkan Jeverell"]


def test_persons_and_person_history_by_an_alternate_name(dataset: Dataset) -> None:
    """persons (folded: any case, accents ignored), person-history and posts
    (any case) find a person by schema:alternateName as by schema:name;
    the alternate names are a joined column of persons."""
    dataset = copy_dataset(dataset)
    person = URIRef(ID + "person/helga-maria-schmid")
    dataset.add((person, URIRef("https://schema.org/alternateName"), Literal("Хельга Шмид", lang="ru")))
    dataset.add((person, URIRef("https://schema.org/alternateName"), Literal("Hélga Schmíd", lang="de")))
    persons = get_query("persons")
    for value in ("хельга", "HELGA SCHMID", "schmíd", "Hélga"):
        rows = run_query(dataset, persons, {"name": value}).rows
        assert [(row[1].value, row[6].value) for row in rows] == [("Helga Maria Schmid", "Hélga Schmíd; Хельга Шмид")], value
    assert run_query(dataset, persons, {"name": "Шмид Хельга"}).rows == ()
    for name in ("person-history", "posts"):
        query = get_query(name)
        by_name = run_query(dataset, query, {"person": "helga maria"})
        assert by_name.rows and run_query(dataset, query, {"person": "ХЕЛЬГА ШМИД"}).rows == by_name.rows, name
        assert run_query(dataset, query, {"person": "хельга x"}).rows == (), name


def test_meetings_row_and_date_range(dataset: Dataset) -> None:
    query = get_query("meetings")
    result = run_query(dataset, query)
    assert [_text(row) for row in result.rows] == [
        (
            MEETING.value,
            "2021 OSCE Annual Police Experts Meeting",
            "2021-10-07",
            "2021-10-07",
            "Vienna",
            "Austria",
            "https://schema.org/MixedEventAttendanceMode",
            "2021 Swedish OSCE Chairpersonship; Strategic Police Matters Unit",
        )
    ]
    assert len(run_query(dataset, query, {"from": "2021-10-07"}).rows) == 1
    assert len(run_query(dataset, query, {"from": "2021-10-08"}).rows) == 0
    assert len(run_query(dataset, query, {"to": "2021-10-07"}).rows) == 1
    assert len(run_query(dataset, query, {"to": "2021-10-06"}).rows) == 0
    assert len(run_query(dataset, query, {"from": "2021-01-01", "to": "2021-12-31"}).rows) == 1


def test_participating_states_ordered_by_label(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("participating-states"))
    assert result.variables == ("state", "iso2", "label", "geonames")
    assert [_text(row) for row in result.rows] == [
        (ID + "country/at", "AT", "Austria", "https://sws.geonames.org/2782113/"),
        (ID + "country/se", "SE", "Sweden", "https://sws.geonames.org/2661886/"),
        (ID + "country/tj", "TJ", "Tajikistan", "https://sws.geonames.org/1220409/"),
    ]


def test_field_operations_and_closed_parameter(dataset: Dataset) -> None:
    query = get_query("field-operations")
    result = run_query(dataset, query)
    assert [_text(row) for row in result.rows] == [
        (ID + "org/office-in-tajikistan", "OSCE Office in Tajikistan", "Tajikistan", "true",
         "Organization for Security and Co-operation in Europe"),
        (ID + "org/programme-office-in-dushanbe", "OSCE Programme Office in Dushanbe", "Tajikistan", "false",
         "Organization for Security and Co-operation in Europe"),
    ]
    closed = run_query(dataset, query, {"closed": "true"})
    assert [row[0].value for row in closed.rows] == [ID + "org/office-in-tajikistan"]
    open_ = run_query(dataset, query, {"closed": "false"})
    assert [row[0].value for row in open_.rows] == [ID + "org/programme-office-in-dushanbe"]
    with pytest.raises(UsageError, match="true or false"):
        run_query(dataset, query, {"closed": "maybe"})


def test_structures_kind_parameter(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("structures"), {"kind": "FieldOperation"})
    assert [row[0].value for row in result.rows] == [
        ID + "org/office-in-tajikistan",
        ID + "org/programme-office-in-dushanbe",
    ]


def test_partners_and_items(dataset: Dataset) -> None:
    partners = run_query(dataset, get_query("partners"), {"group": "Asian"})
    assert [_text(row[:4]) for row in partners.rows] == [(ID + "country/af", "AF", "Afghanistan", "Asian")]
    assert run_query(dataset, get_query("partners"), {"group": "Mediterranean"}).rows == ()
    items = run_query(dataset, get_query("items"), {"contentType": "News", "from": "2021-10-08"})
    assert len(items.rows) == 1
    assert items.rows[0][4].value == "OSCE Chairpersonship; OSCE Secretariat; Transnational Threats Department"


def test_fold_line_names_a_folded_parameter_and_result_columns() -> None:
    query = query_from_text(
        "# param: who (literal, folded) - a name\n# fold: who name other\n"
        "SELECT ?name ?other WHERE { VALUES (?name ?other) { (\"Zoë\" \"Zoe B\") } }\n"
    )
    assert query.parameters[0].columns == ("name", "other")
    assert [row[0].value for row in run_query(ox.Store(), query, {"who": "zoe b"}).rows] == ["Zoë"]
    assert [row[0].value for row in run_query(ox.Store(), query, {"who": "ZOË"}).rows] == ["Zoë"]
    assert run_query(ox.Store(), query, {"who": "x"}).rows == ()
    with pytest.raises(SourceError, match="not a folded parameter"):
        query_from_text("# param: who (literal) - a name\n# fold: who name\nSELECT ?name WHERE { ?s ?p ?name FILTER(!BOUND(?param_who)) }\n")
    with pytest.raises(SourceError, match="not a result column"):
        query_from_text("# param: who (literal, folded) - a name\n# fold: who nothing\nSELECT ?name WHERE { ?s ?p ?name }\n")


LOOKUP_QUERY = """# param: who (literal) - part of a name
# lookup: who person ?person <http://schema.org/name> ?n . FILTER(CONTAINS(?n, ?param_who))
SELECT ?person ?said WHERE {
  ?person <http://schema.org/name> ?name .
  { SELECT ?person (COUNT(?s) AS ?said) WHERE { ?s <http://schema.org/creator> ?person } GROUP BY ?person }
  FILTER(!BOUND(?param_who) || EXISTS { ?person <http://schema.org/name> ?m FILTER(CONTAINS(?m, ?param_who)) })
}
ORDER BY ?person
"""


def test_lookup_line_restricts_the_sub_selects_and_keeps_the_rows() -> None:
    store = ox.Store()
    schema = "http://schema.org/"
    for n, (name, said) in enumerate([("Ana Dorin", 2), ("Ana Petrov", 1), ("Boris Lind", 3)]):
        person = ox.NamedNode(f"urn:x:p{n}")
        store.add(ox.Quad(person, ox.NamedNode(schema + "name"), ox.Literal(name)))
        for k in range(said):
            store.add(ox.Quad(ox.NamedNode(f"urn:x:s{n}-{k}"), ox.NamedNode(schema + "creator"), person))
    query = query_from_text(LOOKUP_QUERY)
    assert query.lookups[0].parameter == "who" and query.lookups[0].variable == "person"
    plain = query_from_text("\n".join(line for line in LOOKUP_QUERY.splitlines() if not line.startswith("# lookup")))
    for value, expected in [("Ana", [("urn:x:p0", 2), ("urn:x:p1", 1)]), ("Lind", [("urn:x:p2", 3)]), ("Zed", [])]:
        rows = [(row[0].value, int(row[1].value)) for row in run_query(store, query, {"who": value}).rows]
        assert rows == expected
        assert rows == [(row[0].value, int(row[1].value)) for row in run_query(store, plain, {"who": value}).rows]
    restricted = restrict_by_lookups(store, query, {"who": "Lind"}, prepare_text(query, {"who": "Lind"}), store)
    assert restricted.count("VALUES ?person { <urn:x:p2> }") == 2  # the WHERE group and the sub-select
    assert restrict_by_lookups(store, query, {}, query.text, store) == query.text
    with pytest.raises(SourceError, match="no parameter the query filters on"):
        query_from_text("# lookup: who person ?person <urn:x:n> ?param_who\nSELECT ?person WHERE { ?person ?p ?o }\n")
    with pytest.raises(SourceError, match="does not read"):
        query_from_text("# param: who (literal) - a name\n# lookup: who person ?person <urn:x:n> ?n\nSELECT ?person WHERE { ?person ?p ?o FILTER(!BOUND(?param_who)) }\n")
    with pytest.raises(SourceError, match="not a result column"):
        query_from_text("# param: who (literal) - a name\n# lookup: who other ?other <urn:x:n> ?param_who\nSELECT ?person WHERE { ?person ?p ?o FILTER(!BOUND(?param_who)) }\n")


def test_bound_idiom_on_every_path(dataset: Dataset) -> None:
    """A parameter not given is unbound (``!BOUND`` holds); a given one is a
    term in a VALUES block, in the sub-selects that read it too (Oxigraph's
    substitutions would leave BOUND false and miss the sub-selects)."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/s1"), ox.NamedNode("http://ex/text"), ox.Literal("a")))
    store.add(ox.Quad(ox.NamedNode("http://ex/s2"), ox.NamedNode("http://ex/text"), ox.Literal("b")))
    query = query_from_text(
        "# param: t (literal) - a text\n"
        "SELECT ?s ?n WHERE { ?s <http://ex/text> ?t FILTER(!BOUND(?param_t) || ?t = ?param_t)\n"
        "  { SELECT (COUNT(?x) AS ?n) WHERE { ?x <http://ex/text> ?u FILTER(!BOUND(?param_t) || ?u = ?param_t) } } }\n"
        "ORDER BY ?s\n"
    )
    assert [(row[0].value, row[1].value) for row in run_query(store, query).rows] == [("http://ex/s1", "2"), ("http://ex/s2", "2")]
    assert [(row[0].value, row[1].value) for row in run_query(store, query, {"t": "a"}).rows] == [("http://ex/s1", "1")]


# ---------------------------------------------------------------------------
# get_query and headers


def test_unknown_query_name_lists_known_names() -> None:
    with pytest.raises(UsageError) as excinfo:
        get_query("no-such-query")
    message = str(excinfo.value)
    assert "no-such-query" in message
    for name in ("statements", "persons", "meetings"):
        assert name in message


def test_get_query_by_path_reads_header(tmp_path: Path, dataset: Dataset) -> None:
    file = tmp_path / "big-meetings.rq"
    file.write_text(
        "# title: Meetings with at least N participants\n"
        "# param: n (integer) - lowest participant count\n"
        "PREFIX osce: <https://w3id.org/osce-kg/ontology#>\n"
        "SELECT ?meeting ?count WHERE { ?meeting osce:minimumParticipantCount ?count\n"
        "  FILTER(!BOUND(?param_n) || ?count >= ?param_n) } ORDER BY ?meeting\n",
        encoding="utf-8",
    )
    query = get_query(str(file))
    assert query.name == "big-meetings"
    assert query.title == "Meetings with at least N participants"
    assert [(p.name, p.kind, p.description) for p in query.parameters] == [("n", "integer", "lowest participant count")]
    assert len(run_query(dataset, query, {"n": "100"}).rows) == 1
    assert len(run_query(dataset, query, {"n": "101"}).rows) == 0
    with pytest.raises(UsageError, match="integer"):
        run_query(dataset, query, {"n": "many"})


def test_missing_query_file_is_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        get_query(str(tmp_path / "absent.rq"))


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("# param: x (colour) - what\n", "unknown kind"),
        ("# param: x - no kind\n", "malformed"),
        ("# param: y (literal) - declared, not used\n", "not used"),
    ],
)
def test_malformed_header_is_source_error(tmp_path: Path, header: str, reason: str) -> None:
    file = tmp_path / "bad.rq"
    file.write_text(header + "SELECT ?s WHERE { ?s ?p ?o FILTER(!BOUND(?param_x)) } ORDER BY ?s\n", encoding="utf-8")
    with pytest.raises(SourceError, match=reason):
        get_query(str(file))


def test_syntax_error_is_source_error(tmp_path: Path, dataset: Dataset) -> None:
    file = tmp_path / "broken.rq"
    file.write_text("# title: broken\nSELECT ?s WHERE { ?s ?p \n", encoding="utf-8")
    with pytest.raises(SourceError, match="broken.rq"):
        run_query(dataset, get_query(str(file)))


def test_ask_construct_and_describe_queries(tmp_path: Path, dataset: Dataset) -> None:
    ask = tmp_path / "ask.rq"
    ask.write_text("PREFIX osce: <https://w3id.org/osce-kg/ontology#>\nASK { ?s a osce:Statement }\n", encoding="utf-8")
    result = run_query(dataset, get_query(str(ask)))
    assert (result.form, result.boolean) == ("ASK", True)
    assert format_result(result, "table") == "true\n"
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}
    assert "<boolean>true</boolean>" in format_result(result, "xml")
    construct = tmp_path / "construct.rq"
    construct.write_text(
        "PREFIX schema: <https://schema.org/>\nCONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }\n",
        encoding="utf-8",
    )
    graph = run_query(dataset, get_query(str(construct)))
    assert graph.form == "CONSTRUCT"
    persons = len(run_query(dataset, get_query("persons")).rows)
    assert len(graph.triples) == persons == 2
    nt = format_result(graph, "nt")
    assert len(nt.strip().splitlines()) == 2 and "<https://schema.org/name>" in nt
    with pytest.raises(UsageError, match="graph"):
        format_result(graph, "csv")
    describe = tmp_path / "describe.rq"
    describe.write_text(f"DESCRIBE <{MEETING.value}>\n", encoding="utf-8")
    described = run_query(dataset, get_query(str(describe)))
    assert described.form == "DESCRIBE"
    assert {t.subject for t in described.triples} >= {MEETING}


# ---------------------------------------------------------------------------
# bind_parameters


def test_bind_parameters_kinds() -> None:
    statements = get_query("statements")
    assert bind_parameters(statements, {"speaker": "A", "meeting": MEETING.value}) == {
        "param_speaker": ox.Literal("A"),
        "param_meeting": MEETING,
    }
    meetings = get_query("meetings")
    bound = bind_parameters(meetings, {"from": "2021-10-07"})
    assert bound == {"param_from": ox.Literal("2021-10-07", datatype=XSD_DATE)}
    assert bind_parameters(meetings, {}) == {}


@pytest.mark.parametrize(
    "value",
    [
        "not an iri",
        "relative/path",
        "<https://example.org/x>",
        'https://example.org/x"',
        "https://example.org/{x}",
        "https://example.org/a b",
        "https://example.org/a|b",
        "https://example.org/a\\b",
        "https://example.org/a^b",
        "https://example.org/a`b",
        "",
    ],
)
def test_bad_iri_parameter_is_usage_error(value: str) -> None:
    with pytest.raises(UsageError, match="meeting"):
        bind_parameters(get_query("statements"), {"meeting": value})


@pytest.mark.parametrize("value", ["2021-13-01", "07.10.2021", "2021-10-7", "yesterday"])
def test_bad_date_parameter_is_usage_error(value: str) -> None:
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        bind_parameters(get_query("meetings"), {"from": value})


def test_unknown_parameter_names_the_declared_ones() -> None:
    with pytest.raises(UsageError) as excinfo:
        bind_parameters(get_query("statements"), {"colour": "red"})
    message = str(excinfo.value)
    assert "colour" in message and "speaker" in message and "meeting" in message


# ---------------------------------------------------------------------------
# format_result


def test_format_csv(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("statements"))
    text = format_result(result, "csv")
    assert text.startswith("text,speaker,role,meeting,date,source\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["text", "speaker", "role", "meeting", "date", "source"]
    assert len(rows) == 1 + 3
    assert rows[2] == [*[c or "" for c in STATEMENT_ROWS[1]], SOURCE.value]
    assert rows[3][1] == ""  # no speaker


def test_format_json(dataset: Dataset) -> None:
    result = run_query(dataset, get_query("statements"))
    document = json.loads(format_result(result, "json"))
    assert document["head"]["vars"] == ["text", "speaker", "role", "meeting", "date", "source"]
    bindings = document["results"]["bindings"]
    assert len(bindings) == 3
    first = bindings[1]
    assert first["text"] == {"type": "literal", "value": STATEMENT_ROWS[1][0], "xml:lang": "en"}
    assert first["speaker"] == {"type": "literal", "value": "Håkan Jeverell"}
    assert first["date"] == {"type": "literal", "value": "2021-10-07", "datatype": str(XSD.date)}
    assert first["source"] == {"type": "uri", "value": SOURCE.value}
    assert "speaker" not in bindings[2] and "meeting" not in bindings[2]


def test_format_json_bnode() -> None:
    from rdflib import BNode

    result = QueryResult(variables=("x",), rows=((ox.BlankNode("b0"),),))
    document = json.loads(format_result(result, "json"))
    assert document["results"]["bindings"] == [{"x": {"type": "bnode", "value": "b0"}}]


def test_format_table(dataset: Dataset) -> None:
    text = format_result(run_query(dataset, get_query("persons")), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["person", "name", "honorific", "jobTitle", "affiliation", "statements", "alternateName"]
    assert "Håkan Jeverell" in text and "Helga Maria Schmid" in text
    assert "id:person/hakan-jeverell" in text  # compact IRIs
    assert '"' not in text and "@en" not in text  # literals as text
    assert lines[-1] == "(2 rows)"
    # aligned: the name column starts at the same offset on every row
    offset = lines[0].index("name")
    assert lines[2][offset:].startswith("Helga Maria Schmid")
    assert lines[3][offset:].startswith("Håkan Jeverell")


def test_format_unknown_is_usage_error() -> None:
    with pytest.raises(UsageError, match="table"):
        format_result(QueryResult(variables=(), rows=()), "yaml")


# ---------------------------------------------------------------------------
# parameter semantics, id: IRIs, query sources and result formats (issue 12)


def test_folded_name_parameter_ignores_case_and_accents(dataset: Dataset) -> None:
    query = get_query("persons")
    assert [p.match for p in query.parameters] == ["folded"]
    for value in ("hakan", "HÅKAN JEV", "Håkan", "akan jeverel"):
        assert [row[1].value for row in run_query(dataset, query, {"name": value}).rows] == ["Håkan Jeverell"], value
    assert run_query(dataset, query, {"name": "hakan.jeverell"}).rows == ()
    assert len(run_query(dataset, query, {"name": "A"}).rows) == 2


def test_exact_speaker_parameter_keeps_case_and_accents(dataset: Dataset) -> None:
    query = get_query("statements")
    assert {p.name: p.match for p in query.parameters}["speaker"] == "exact"
    assert len(run_query(dataset, query, {"speaker": "Håkan Jeverell"}).rows) == 1
    assert run_query(dataset, query, {"speaker": "Hakan Jeverell"}).rows == ()
    assert run_query(dataset, query, {"speaker": "håkan jeverell"}).rows == ()


def test_id_iri_parameter_is_expanded_and_unknown_prefixes_refused(dataset: Dataset) -> None:
    query = get_query("statements")
    short = "id:" + MEETING.value[len(ID):]
    full = run_query(dataset, query, {"meeting": MEETING.value}).rows
    assert len(full) == 2
    assert run_query(dataset, query, {"meeting": short}).rows == full
    with pytest.raises(UsageError, match="unknown prefix in 'ids:meeting/x'"):
        run_query(dataset, query, {"meeting": "ids:meeting/x"})


def test_cli_list_states_every_parameter_semantics() -> None:
    from click.testing import CliRunner

    from osce_kg.cli import main

    listed = CliRunner().invoke(main, ["query", "--list"])
    assert listed.exit_code == 0
    for q in list_queries():
        for p in q.parameters:
            line = next(line for line in listed.stdout.splitlines() if line.strip().startswith(f"--param {p.name}=") and p.description in line)
            assert p.semantics in line
    assert "part of the text, any case, accents ignored" in listed.stdout
    assert "joined columns: alternateName, jobTitle, affiliation" in listed.stdout


def test_cli_query_from_stdin_inline_and_several_data_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from osce_kg.cli import main

    data = tmp_path / "a.ttl"
    data.write_text('<http://ex/a> <http://schema.org/name> "A" .\n', encoding="utf-8")
    more = tmp_path / "b.nt"
    more.write_text('<http://ex/b> <http://schema.org/name> "B" .\n', encoding="utf-8")
    runner = CliRunner()
    text = "SELECT ?s WHERE { ?s <http://schema.org/name> ?n } ORDER BY ?s"
    inline = runner.invoke(main, ["query", "--query", text, str(data), str(more), "--format", "tsv"])
    assert inline.exit_code == 0, inline.output
    assert inline.stdout == "?s\n<http://ex/a>\n<http://ex/b>\n"
    piped = runner.invoke(main, ["query", "-", "--data", str(data), "--data", str(more), "--format", "csv"], input=text)
    assert piped.exit_code == 0 and piped.stdout.splitlines() == ["s", "http://ex/a", "http://ex/b"]
    xml = runner.invoke(main, ["query", "--query", text, str(data), "--format", "xml"])
    assert '<binding name="s"><uri>http://ex/a</uri></binding>' in xml.stdout
    broken = runner.invoke(main, ["query", "--query", "SELECT ?s WHERE { ?s ?p }", str(data)])
    assert broken.exit_code == 2 and "SPARQL syntax error" in broken.stderr
    update = runner.invoke(main, ["query", "--query", "CLEAR ALL", str(data)])
    assert update.exit_code == 2 and "update" in update.stderr


def test_quiet_and_verbose_after_the_subcommand(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from osce_kg.cli import main

    data = tmp_path / "a.ttl"
    data.write_text('<http://ex/a> <http://schema.org/name> "A" .\n', encoding="utf-8")
    runner = CliRunner()
    loud = runner.invoke(main, ["query", "--query", "SELECT * { ?s ?p ?o }", str(data), "-vv"])
    assert loud.exit_code == 0 and "DEBUG: query query: 1 rows" in loud.stderr
    store = tmp_path / "store"
    quiet = runner.invoke(main, ["load", str(data), "--store", str(store), "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    said = runner.invoke(main, ["load", str(data), "--store", str(store)])
    assert said.stdout.count("\t1 triples") == 1 and "loaded 1 graph(s)" in said.stderr


def test_query_data_on_quads_sees_each_triple_once(tmp_path: Path) -> None:
    """Regression: files of quads were queried through pyoxigraph's union
    default graph, which yields a triple once per graph stating it, so a
    person named on many pages multiplied every join (``query persons
    --data`` on a 10,000-page dump ran out of memory)."""
    person = "<https://w3id.org/osce-kg/id/person/ana-dorin>"
    lines = []
    for page in range(3):
        graph = f"<https://w3id.org/osce-kg/id/graph/page-{page}>"
        lines.append(f'{person} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Person> {graph} .')
        lines.append(f'{person} <https://schema.org/name> "Ana Dorin" {graph} .')
    dump = tmp_path / "pages.nq"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    triples = tmp_path / "more.nt"
    triples.write_text('<urn:x:s> <https://schema.org/name> "Boris Lind" .\n', encoding="utf-8")
    count = query_from_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://schema.org/Person> ; <https://schema.org/name> ?name }")
    assert [int(row[0].value) for row in run_query_files([dump], count).rows] == [1]
    names = query_from_text("SELECT ?name WHERE { ?s <https://schema.org/name> ?name } ORDER BY ?name")
    # a file of triples and one of quads: the union of both, each triple once
    assert [row[0].value for row in run_query_files([dump, triples], names).rows] == ["Ana Dorin", "Boris Lind"]


def test_query_data_missing_file_without_extension_is_not_found(tmp_path: Path) -> None:
    """Regression: a missing --data path without an extension was reported
    as an unknown RDF file extension '(none)'."""
    with pytest.raises(SourceError, match="file not found"):
        run_query_files([tmp_path / "nothing"], get_query("persons"))
