"""Tests of the queries at site scale (issue 10): rows streamed from the
embedded store, the listing index written by ``load``, hint lines of
selective parameters, ``osce-kg query --limit/--offset``, and the defined
order of joined (multi-valued) columns. Exact rows on small fixtures;
nothing is timed (benchmarks/queries.py measures).

Data: tests/data/fixture-graph.trig (see tests/data/README.md), and small
graphs written here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
import pyoxigraph as ox
from rdflib import Literal, URIRef

import osce_kg.sparql.run as queries_module
from osce_kg.cli import main
from osce_kg.errors import SourceError
from osce_kg.sparql import (
    LISTING_INDEX_DIR,
    QueryResult,
    format_result,
    get_query,
    join_adjacent,
    list_queries,
    listing_index_file,
    prepare_text,
    query_from_text,
    restrict_to_keys,
    run_query,
    run_query_store,
    stream_query_store,
    stream_result,
    write_stream,
)
from osce_kg.serialize import read_rdf
from osce_kg.sparql import INDEXER
from osce_kg.store import load_store

FIXTURE = Path(__file__).parent / "data" / "fixture-graph.trig"
ID = "https://w3id.org/osce-kg/id/"
MEETING = ID + "meeting/2021-10-07-2021-osce-annual-police-experts-meeting"
TEXTS = [
    "Co-operation between police services is the key to success.",
    "To prevent organized crime, we need to understand how criminal networks operate across borders.",
    "New tools must respect human rights.",
]

#: a person with three job titles (given out of order) and two statements
#: on two pages, for the order of joined values and the listing index
TITLES = """
@prefix schema: <https://schema.org/> .
@prefix osce: <https://w3id.org/osce-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ex: <https://example.org/> .
GRAPH ex:page1 {
  ex:p a schema:Person ; schema:name "Zoë Example" ;
       schema:jobTitle "Zeta"@en , "alpha"@en , "Beta"@en , "Émissaire"@en .
  ex:s1 a osce:Statement ; schema:text "First."@en ; schema:creator ex:p ; prov:wasDerivedFrom ex:i1 .
  ex:i1 a osce:NewsItem ; schema:datePublished "2020-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .
}
GRAPH ex:page2 {
  ex:p a schema:Person ; schema:name "Zoë Example" ; schema:jobTitle "Beta"@en .
  ex:s2 a osce:Statement ; schema:text "Second."@en ; schema:creator ex:p ; prov:wasDerivedFrom ex:i2 .
  ex:i2 a osce:NewsItem ; schema:datePublished "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
}
"""
JOINED_TITLES = "Beta; Zeta; alpha; Émissaire"  # code point order


def _texts(rows) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [tuple(None if cell is None else cell.value for cell in row) for row in rows]


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "store"
    load_store(path, [FIXTURE], index=INDEXER)
    return path


@pytest.fixture(scope="module")
def titles_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("titles")
    data = folder / "titles.trig"
    data.write_text(TITLES, encoding="utf-8")
    load_store(folder / "store", [data], index=INDEXER)
    return data, folder / "store"


# ---------------------------------------------------------------------------
# the listing index


def test_load_writes_a_listing_index_for_each_keyed_query(fixture_store: Path) -> None:
    keyed = [q for q in list_queries() if q.key]
    assert {q.name for q in keyed} >= {"statements", "items", "meetings", "persons"}
    for query in keyed:
        path = listing_index_file(fixture_store, query)
        assert path.parent.name == LISTING_INDEX_DIR and path.is_file(), query.name
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"osce-kg listing index 1 {query.key}"
    statements = listing_index_file(fixture_store, get_query("statements")).read_text(encoding="utf-8").splitlines()
    assert len(statements) == 1 + 3  # one key per statement, in the order of the rows


@pytest.mark.parametrize("query", [q for q in list_queries() if q.key], ids=lambda q: q.name)
def test_listing_along_the_index_gives_the_rows_in_order(fixture_store: Path, query, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    local = run_query(read_rdf([FIXTURE]), query)
    direct = stream_query_store(fixture_store, query, use_index=False)
    assert not direct.indexed
    direct_rows = list(direct.rows)
    monkeypatch.setattr(queries_module, "LISTING_BATCH", 1)  # a batch per key: rows joined across batches
    indexed = stream_query_store(fixture_store, query)
    assert indexed.indexed
    assert list(indexed.rows) == direct_rows == list(local.rows)


def test_changed_query_text_or_parameters_do_not_use_the_index(fixture_store: Path) -> None:
    query = get_query("statements")
    changed = query_from_text(query.text + "\n# another text, another digest\n", "changed.rq")
    assert not listing_index_file(fixture_store, changed).exists()
    assert not stream_query_store(fixture_store, changed).indexed
    assert not stream_query_store(fixture_store, query, {"speaker": "Håkan Jeverell"}).indexed
    assert len(list(stream_query_store(fixture_store, changed).rows)) == 3


def test_reload_replaces_the_index(fixture_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_store(store, [FIXTURE], index=INDEXER)
    index = listing_index_file(store, get_query("statements"))
    index.write_text("osce-kg listing index 1 statement\nhttps://example.org/stale\n", encoding="utf-8")
    assert list(stream_query_store(store, get_query("statements")).rows) == []  # the index is what is read
    load_store(store, [FIXTURE], index=INDEXER)
    assert len(index.read_text(encoding="utf-8").splitlines()) == 4


def test_restrict_to_keys_reaches_the_sub_selects_that_project_the_key() -> None:
    text = get_query("persons").text
    restricted = restrict_to_keys(text, "person", [ox.NamedNode("https://example.org/p")])
    assert restricted.count("VALUES ?person { <https://example.org/p> }") == 2  # the query and the count


# ---------------------------------------------------------------------------
# --limit / --offset


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("where", ["store", "files"])
def test_cli_limit_and_offset_give_exact_rows(fixture_store: Path, where: str) -> None:
    source = ["--store", str(fixture_store)] if where == "store" else [str(FIXTURE)]
    runner = CliRunner()
    page = runner.invoke(main, ["query", "statements", *source, "--format", "csv", "--limit", "1", "--offset", "1"])
    assert page.exit_code == 0, page.output
    rows = _csv_rows(page.stdout)
    assert rows[0] == ["text", "speaker", "role", "meeting", "date", "source"]
    assert [row[:2] for row in rows[1:]] == [[TEXTS[1], "Håkan Jeverell"]]
    first_two = _csv_rows(runner.invoke(main, ["query", "statements", *source, "--format", "csv", "--limit", "2"]).stdout)
    assert [row[0] for row in first_two[1:]] == TEXTS[:2]
    past = runner.invoke(main, ["query", "statements", *source, "--format", "tsv", "--offset", "3"])
    assert past.exit_code == 0 and past.stdout == "?text\t?speaker\t?role\t?meeting\t?date\t?source\n"
    none = runner.invoke(main, ["query", "statements", *source, "--limit", "0"])
    assert none.exit_code == 0 and none.stdout.splitlines()[-1] == "(0 rows)"
    joined = runner.invoke(main, ["query", "items", *source, "--format", "csv", "--param", "from=2021-10-08", "--limit", "1"])
    assert [row[4] for row in _csv_rows(joined.stdout)[1:]] == ["OSCE Chairpersonship; OSCE Secretariat; Transnational Threats Department"]


def test_cli_limit_is_refused_for_a_graph_query_and_a_negative_value(fixture_store: Path) -> None:
    runner = CliRunner()
    ask = runner.invoke(main, ["query", "--query", "ASK { ?s ?p ?o }", "--store", str(fixture_store), "--limit", "1"])
    assert ask.exit_code == 2 and "SELECT" in ask.stderr
    negative = runner.invoke(main, ["query", "statements", "--store", str(fixture_store), "--limit", "-1"])
    assert negative.exit_code == 2


def test_stream_result_slices_after_joining() -> None:
    result = QueryResult(("x",), tuple((ox.Literal(str(i)),) for i in range(5)))
    assert [r[0].value for r in stream_result(result, limit=2, offset=1).rows] == ["1", "2"]
    assert list(stream_result(result, offset=9).rows) == []


# ---------------------------------------------------------------------------
# the defined order of joined columns


def test_joined_values_in_code_point_order_on_every_path(titles_store: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    data, store = titles_store
    query = get_query("statements")
    expected = [("Second.", "Zoë Example", JOINED_TITLES), ("First.", "Zoë Example", JOINED_TITLES)]  # by date
    local = run_query(read_rdf([data]), query)
    assert [row[:3] for row in _texts(local.rows)] == expected
    assert [row[:3] for row in _texts(run_query_store(store, query).rows)] == expected
    monkeypatch.setattr(queries_module, "LISTING_BATCH", 1)
    indexed = stream_query_store(store, query)
    assert indexed.indexed and [row[:3] for row in _texts(indexed.rows)] == expected
    persons = run_query_store(store, get_query("persons"))
    assert _texts(persons.rows) == [("https://example.org/p", "Zoë Example", None, JOINED_TITLES, None, "2", None)]


def test_join_adjacent_joins_neighbours_and_drops_repeats() -> None:
    a, b = ox.Literal("a"), ox.Literal("b")
    rows = [(a, ox.Literal("z")), (a, ox.Literal("y")), (a, None), (b, ox.Literal("x")), (b, ox.Literal("x"))]
    assert _texts(join_adjacent(("k", "v"), rows, ("v",))) == [("a", "y; z"), ("b", "x")]
    assert _texts(join_adjacent(("k",), [(a,), (a,), (b,)], ())) == [("a",), ("b",)]
    assert _texts(join_adjacent(("k", "v"), [(a, None)], ("v",))) == [("a", None)]


# ---------------------------------------------------------------------------
# parameters and their hints


def test_hint_lines_are_comments_until_their_parameter_is_given() -> None:
    query = get_query("statements")
    assert set(query.hinted) == {"speaker", "meeting"}
    assert prepare_text(query, {}) == query.text
    text = prepare_text(query, {"meeting": MEETING})
    assert "\n            ?statement schema:recordedAt ?param_meeting ." in text
    assert "#+speaker ?statement" in text  # not given: still a comment
    assert f"VALUES ?param_meeting {{ <{MEETING}> }}" in text
    speaker = prepare_text(query, {"speaker": "Håkan Jeverell"})
    assert '"Håkan Jeverell" "Håkan Jeverell"@de "Håkan Jeverell"@en' in speaker  # plain and the data's languages


def test_hint_for_an_undeclared_or_folded_parameter_is_refused() -> None:
    with pytest.raises(SourceError, match="no declared parameter"):
        query_from_text("SELECT ?s WHERE {\n  #+who ?s ?p ?param_who .\n  ?s ?p ?o }\n", "bad.rq")
    with pytest.raises(SourceError, match="folded"):
        query_from_text("# param: who (literal, folded) - x\nSELECT ?who WHERE {\n  #+who ?s ?p ?who .\n  ?s ?p ?who }\n", "bad.rq")
    with pytest.raises(SourceError, match="key"):
        query_from_text("# key: nothing\nSELECT ?s WHERE { ?s ?p ?o }\n", "bad.rq")


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("statements", {"meeting": MEETING}, [TEXTS[0], TEXTS[1]]),
        ("statements", {"meeting": "id:meeting/2021-10-07-2021-osce-annual-police-experts-meeting"}, [TEXTS[0], TEXTS[1]]),
        ("statements", {"speaker": "Håkan Jeverell"}, [TEXTS[1]]),
        ("statements", {"speaker": "Håkan Jeverell", "meeting": MEETING}, [TEXTS[1]]),
        ("statements", {"speaker": "Hakan Jeverell"}, []),
        ("meetings", {"state": ID + "country/at"}, [MEETING]),
        ("meetings", {"state": ID + "country/se"}, []),
        ("meetings", {"from": "2021-10-07", "to": "2021-10-07"}, [MEETING]),
        ("meetings", {"from": "2021-10-08"}, []),
        ("items", {"contentType": "News", "from": "2021-10-08"}, ["https://w3id.org/osce-kg/id/item/new-tools-to-prevent-transnational-organized-crime"]),
        ("person-history", {"person": "schmid"}, ["Helga Maria Schmid"]),
        ("posts", {"person": "SCHMID", "post": "secretary"}, ["Secretary General"]),
        ("posts", {"person": "jeverell"}, []),
    ],
)
def test_selective_parameters_give_the_same_rows_on_files_and_store(fixture_store: Path, name: str, params: dict, expected: list) -> None:
    query = get_query(name)
    local = run_query(read_rdf([FIXTURE]), query, params)
    stored = run_query_store(fixture_store, query, params)
    assert stored.rows == local.rows
    column = {"statements": 0, "meetings": 0, "items": 0, "person-history": 0, "posts": 1}[name]
    assert [row[column].value for row in stored.rows] == expected


def test_exact_speaker_matches_a_language_tagged_name_in_the_store(tmp_path: Path) -> None:
    data = tmp_path / "tagged.trig"
    data.write_text(TITLES.replace('schema:name "Zoë Example"', 'schema:name "Zoë Example"@en'), encoding="utf-8")
    load_store(tmp_path / "store", [data], index=INDEXER)
    rows = run_query_store(tmp_path / "store", get_query("statements"), {"speaker": "Zoë Example"}).rows
    assert [row[0].value for row in rows] == ["Second.", "First."]


# ---------------------------------------------------------------------------
# formats written as the rows come


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_streamed_formats_equal_the_whole_result(fixture_store: Path, fmt: str) -> None:
    for name in ("statements", "persons", "field-operations"):
        whole = run_query_store(fixture_store, get_query(name))
        out: list[str] = []
        count = write_stream(stream_result(whole), fmt, out.append)
        assert count == len(whole.rows)
        assert "".join(out) == format_result(whole, fmt), (name, fmt)
    empty = QueryResult(("a", "b"), ())
    out = []
    write_stream(stream_result(empty), fmt, out.append)
    assert "".join(out) == format_result(empty, fmt)


def test_store_folder_without_index_still_answers(fixture_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    load_store(copy, [FIXTURE], index=INDEXER)
    for path in (copy / LISTING_INDEX_DIR).iterdir():
        path.unlink()
    stream = stream_query_store(copy, get_query("statements"))
    assert not stream.indexed and [row[0].value for row in stream.rows] == TEXTS
    opened = ox.Store.read_only(str(copy))
    assert [row[0].value for row in stream_query_store(copy, get_query("statements"), opened=opened).rows] == TEXTS
