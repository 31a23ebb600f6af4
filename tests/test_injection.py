"""Injection (issue 6, point 5): query parameters are RDF terms, never query
text; IRIs minted from any name are valid; values from a page are escaped in
every dump and result format.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from osce_kg.cli import main
from osce_kg.errors import UsageError
from osce_kg.sparql import bind_parameters, get_query, list_queries, run_query, run_query_store, with_values
from osce_kg.vocab import DEFAULT_BASE_IRI, SCHEMA, IriMinter, check_base_iri, slugify
from tests._robustness_support import STRICT_IRI, bad_iris, iris_of_quads, ox_quads, rapper_count, run_cli, snapshot
from tests.conftest import SEED

#: values a user could paste as a parameter; none is a value in the data
HOSTILE = [
    'x" } ; DROP ALL ; #',
    "x' } ; DROP ALL ; #",
    'Alena Kupchyna" || true || "',
    'Alena Kupchyna" ) } UNION { ?s ?p ?o } #',
    '"""x""" } DROP ALL #',
    "\\u0022 } ; DROP ALL ; #",  # a SPARQL codepoint escape, as text: must stay text
    "x\n} ; CLEAR DEFAULT ; #",
    "x\\",
    "?param_speaker",
    "<https://w3id.org/osce-kg/id/person/alena-kupchyna>",
    '"Alena Kupchyna"@en',
    "Alena Kupchyna\u200b",
    "Ålena Kupchyna",
    "\u202eanyhcpuK anelA",
    "</script><script>alert(1)</script>",
    "{\"@context\": {}}",
]
BAD_IRIS = ['x" } ; DROP ALL ; #', "not an iri", "https://example.org/a b", "https://example.org/<x>", 'https://example.org/"x"', "https://example.org/{x}", "https://example.org/x`", "/relative", ""]
BAD_DATES = ["2021-02-31", "2021-13-01", "21-10-07", "2021-10-07T00:00:00", '2021-10-07" } #', "", "yesterday"]
BAD_INTEGERS = ["1.5", "one", "1; DROP ALL", "", "0x10", "1e3"]
BAD_BOOLEANS = ["yes", "no", "TRUE ; DROP ALL", "", "2"]

#: every (query, parameter) pair of the shipped queries, by kind
PARAMETERS = [(q.name, p.name, p.kind) for q in list_queries() for p in q.parameters]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed page built into a folder of its own; its Turtle dump."""
    out = tmp_path_factory.mktemp("injection") / "out"
    proc = run_cli("-q", "build", SEED, "-o", out, cwd=out.parent)
    assert proc.returncode == 0, proc.stderr
    return out / "osce-kg.ttl"


@pytest.fixture(scope="module")
def graph(data: Path) -> Graph:
    g = Graph()
    g.parse(data, format="turtle")
    return g


def _canonical(g: Graph) -> set:
    return set(g)


# --------------------------------------------------------------------------- the CLI


def test_cli_hostile_speaker_is_a_literal(data: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data.ttl"
    shutil.copyfile(data, copy)
    before = copy.read_bytes()
    proc = run_cli("query", "statements", "--data", copy, "--param", 'speaker=x" } ; DROP ALL ; #', "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows == [["text", "speaker", "role", "meeting", "date", "source"]]
    assert copy.read_bytes() == before
    # the same query without the parameter still has its three rows: nothing was dropped
    proc = run_cli("query", "statements", "--data", copy, "--format", "csv", cwd=tmp_path)
    assert len(list(csv.reader(io.StringIO(proc.stdout)))) == 4


def test_cli_hostile_speaker_on_a_store(data: Path, tmp_path: Path) -> None:
    """Through an embedded store the parameters become an inline VALUES block
    (:func:`osce_kg.sparql.with_values`): still terms, never text."""
    store = tmp_path / "store"
    loaded = run_cli("-q", "load", data, "--store", store, "--graph", "https://example.org/g", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    quads = len(ox.Store.read_only(str(store)))
    assert quads >= len(Graph().parse(data, format="turtle"))
    for value in HOSTILE[:3]:
        proc = run_cli("query", "statements", "--store", store, "--param", f"speaker={value}", "--format", "json", cwd=tmp_path)
        assert proc.returncode == 0, (value, proc.stderr)
        assert json.loads(proc.stdout)["results"]["bindings"] == [], value
    proc = run_cli("query", "statements", "--store", store, "--format", "json", cwd=tmp_path)
    assert len(json.loads(proc.stdout)["results"]["bindings"]) == 3
    assert len(ox.Store.read_only(str(store))) == quads


@pytest.mark.parametrize(
    "query, param, values",
    [
        ("statements", "meeting", BAD_IRIS),
        ("items", "from", BAD_DATES),
        ("meetings", "to", BAD_DATES),
        ("field-operations", "closed", BAD_BOOLEANS),
    ],
)
def test_cli_bad_typed_values_exit_two(data: Path, query: str, param: str, values: list[str]) -> None:
    runner = CliRunner()
    for value in values:
        result = runner.invoke(main, ["query", query, "--data", str(data), "--param", f"{param}={value}"])
        assert result.exit_code == 2, (value, result.output)
        assert f"parameter {param!r}" in result.stderr
        assert result.stdout == ""


def test_cli_bad_iri_exits_two_in_a_real_process(data: Path, tmp_path: Path) -> None:
    proc = run_cli("query", "statements", "--data", data, "--param", 'meeting=x" } ; DROP ALL ; #', cwd=tmp_path)
    assert proc.returncode == 2
    assert "meeting" in proc.stderr and proc.stdout == ""


def test_cli_integer_and_boolean_parameters_of_a_query_file(data: Path, tmp_path: Path) -> None:
    rq = tmp_path / "typed.rq"
    rq.write_text(
        "# title: typed parameters\n"
        "# param: n (integer) - a number\n"
        "# param: flag (boolean) - a flag\n"
        "SELECT ?x WHERE { VALUES ?x { 1 2 } FILTER(!BOUND(?param_n) || ?x = ?param_n) FILTER(!BOUND(?param_flag) || ?param_flag) }\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    for param, values in (("n", BAD_INTEGERS), ("flag", BAD_BOOLEANS)):
        for value in values:
            result = runner.invoke(main, ["query", str(rq), "--data", str(data), "--param", f"{param}={value}"])
            assert result.exit_code == 2, (value, result.output)
            assert f"parameter {param!r}" in result.stderr
    ok = runner.invoke(main, ["query", str(rq), "--data", str(data), "--param", "n=2", "--param", "flag=true", "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert list(csv.reader(io.StringIO(ok.stdout))) == [["x"], ["2"]]


# --------------------------------------------------------------------------- the Python API, every parameter


@pytest.mark.parametrize("query_name, param, kind", PARAMETERS, ids=[f"{q}-{p}" for q, p, _k in PARAMETERS])
def test_every_parameter_is_bound_as_a_term(graph: Graph, query_name: str, param: str, kind: str) -> None:
    query = get_query(query_name)
    before = _canonical(graph)
    store = ox.Store()
    store.bulk_extend(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))
    if kind == "literal":
        folded = next(p for p in query.parameters if p.name == param).match == "folded"
        for value in HOSTILE:
            rows = run_query(graph, query, {param: value}).rows
            if folded and value == "Ålena Kupchyna":  # accents are ignored: that is Alena Kupchyna
                assert [row[1].value for row in rows] == ["Alena Kupchyna"]
                assert run_query_store(store, query, {param: value}).rows == rows
                continue
            assert rows == (), (value, rows)
            assert run_query_store(store, query, {param: value}).rows == (), value
            # the inline VALUES block is one line holding the term; the query around it is untouched
            text = with_values(query.text, bind_parameters(query, {param: value}))
            if folded:  # never sent: osce-kg filters the rows
                assert text == query.text
                continue
            inserted = [line for line in text.splitlines() if line.startswith("  VALUES (?param_")]
            assert len(inserted) == 1, text
            assert text.replace("\n" + inserted[0] + "\n", "", 1) == query.text
    else:
        bad = {"iri": BAD_IRIS, "date": BAD_DATES, "integer": BAD_INTEGERS, "boolean": BAD_BOOLEANS}[kind]
        for value in bad:
            with pytest.raises(UsageError) as caught:
                run_query(graph, query, {param: value})
            assert caught.value.exit_code == 2
            assert param in str(caught.value)
            with pytest.raises(UsageError):
                run_query_store(store, query, {param: value})
    assert _canonical(graph) == before
    assert len(store) == len(before)


def test_hostile_literal_matches_only_itself(tmp_path: Path) -> None:
    """A content type full of SPARQL syntax is found by exactly that value."""
    hostile = 'X" } ; drop all ; #'
    page = tmp_path / "src" / "page.txt"
    page.parent.mkdir()
    page.write_text(
        "Newsroom\nOSCE Mission to Serbia hosts a workshop\nPublishing date: 1 March 2022\n"
        f"Content type: {hostile}\nWhere we are: OSCE Mission to Serbia\n"
        "Officials met in Belgrade at a workshop organized by the OSCE Mission to Serbia.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = run_cli("-q", "build", page.parent, "-o", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    g = Graph().parse(out / "osce-kg.ttl", format="turtle")
    items = get_query("items")
    result = run_query(g, items, {"contentType": hostile})
    column = result.variables.index("headline")
    assert [row[column].value for row in result.rows] == ["OSCE Mission to Serbia hosts a workshop"]
    assert run_query(g, items, {"contentType": hostile + " "}).rows == ()
    assert run_query(g, items, {"contentType": "News"}).rows == ()


# --------------------------------------------------------------------------- minted IRIs

_SLUG = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
HOSTILE_NAMES = [
    '<>"{}|\\^`',
    "Jane <Doe> \"Smith\" {x} | y \\ z ^ `w`",
    "   ",
    "",
    "نادية حداد",
    "יוסף בן דוד",
    "Zo\u200bë\u200d Ja\u2060ne\ufeff",
    "\u202eevil\u202c name\u200e\u200f",
    "🙂🙃 Emoji 👩‍👩‍👧",
    "A" * 10_000,
    "a-" * 5_000,
    "İstanbul ǅemal ß ø Ł ﬁ",
    "\x00\x01\x7f\x85\u2028",
    "%20%3C%3E",
]


def _check_minted(iri: URIRef, kind: str, max_length: int | None = None) -> None:
    """``iri`` is ``{base}{kind}/{slug}``, the slug made of ``[a-z0-9-]`` only
    (and at most ``max_length`` long), valid for RFC 3987 and pyoxigraph."""
    text = str(iri)
    assert STRICT_IRI.match(text), text[:200]
    assert text.startswith(f"{DEFAULT_BASE_IRI}{kind}/")
    slug = text[len(DEFAULT_BASE_IRI) + len(kind) + 1 :]
    assert slug, text
    assert max_length is None or len(slug) <= max_length, slug[:200]
    assert all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in slug), slug[:200]
    ox.NamedNode(text)  # an independent IRI parser
    line = f'<{text}> <https://schema.org/name> "x" .\n'.encode()
    assert len(list(ox.parse(line, format=ox.RdfFormat.N_TRIPLES))) == 1


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_hostile_names_give_valid_iris(name: str) -> None:
    minter = IriMinter()
    for kind in ("person", "org", "meeting"):
        _check_minted(minter.iri(kind, name), kind, max_length=80)
        _check_minted(minter.iri_from_slug(kind, name), kind)
    _check_minted(minter.graph(name), "graph", max_length=120)
    assert slugify(name) == slugify(name)


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
@example('x" } ; DROP ALL ; #')
@example("\u0301\u0301")
@example("-" * 200)
def test_minted_iris_are_always_valid(name: str) -> None:
    minter = IriMinter()
    _check_minted(minter.iri("person", name), "person", max_length=80)
    _check_minted(minter.iri_from_slug("statement", name), "statement")
    # the same name, composed or decomposed, is the same IRI
    assert slugify(unicodedata.normalize("NFC", name)) == slugify(unicodedata.normalize("NFD", name))


@pytest.mark.parametrize("base", ['https://example.org/<x>/', "https://example.org/a b/", 'https://example.org/"/', "ftp://example.org/", "example.org/", "https://exa mple.org/", "https://example.org/{x}/"])
def test_hostile_base_iri_is_refused(base: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        check_base_iri(base)
    proc = run_cli("build", SEED, "-o", tmp_path / "out", "--base-iri", base, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert not (tmp_path / "out" / "osce-kg.nt").exists()


# --------------------------------------------------------------------------- page values in every format

HEADLINE = 'OSCE </script><script>alert("x")</script> "}] , {"@context": "https://evil.example/"} """ \\n \\u0022 @id end"'
ORG = 'Centre for "}"""\\n<Open> @context Studies'
QUOTE = 'We close </script> and "} and """ and \\n and @context and \\" here, always'
SPEAKER = "Jelena Marković"


@pytest.fixture(scope="module")
def escaped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of one page whose headline, publisher and quotation hold
    ``</script>``, ``"}``, ``\"\"\"``, a backslash-n, ``@context``."""
    root = tmp_path_factory.mktemp("escaping")
    (root / "src").mkdir()
    (root / "src" / "page.txt").write_text(
        f"Newsroom\n{HEADLINE}\nPublishing date: 2 March 2022\nContent type: News\nWhere we are: {ORG}\n"
        "Officials met in Belgrade at a workshop.\n"
        f"“{QUOTE},” said {SPEAKER}, Legal Adviser at the OSCE Mission to Serbia.\n",
        encoding="utf-8",
    )
    proc = run_cli("-q", "build", root / "src", "-o", root / "out", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root / "out"


EXPECTED = [
    (SCHEMA.headline, Literal(HEADLINE, lang="en")),
    (SKOS.prefLabel, Literal(ORG, lang="en")),
    (SCHEMA.text, Literal(QUOTE, lang="en")),
    (SCHEMA.name, Literal(SPEAKER)),
]


@pytest.mark.parametrize("dump, fmt", [("osce-kg.ttl", "turtle"), ("osce-kg.nt", "nt"), ("osce-kg.jsonld", "json-ld"), ("osce-kg.nq", "nquads"), ("osce-kg.trig", "trig")])
def test_page_values_round_trip_through_rdflib(escaped: Path, dump: str, fmt: str) -> None:
    ds = Dataset(default_union=True)
    ds.parse(escaped / dump, format=fmt)
    for predicate, literal in EXPECTED:
        values = {o for o in ds.objects(None, predicate) if isinstance(o, Literal) and str(o) == str(literal)}
        assert values == {literal}, (dump, literal)


@pytest.mark.parametrize("dump", ["osce-kg.ttl", "osce-kg.nt", "osce-kg.nq", "osce-kg.trig"])
def test_page_values_round_trip_through_pyoxigraph(escaped: Path, dump: str) -> None:
    quads = ox_quads(escaped / dump)
    assert bad_iris(iris_of_quads(quads)) == []
    found = {(q.predicate.value, q.object.value) for q in quads if isinstance(q.object, ox.Literal)}
    for predicate, literal in EXPECTED:
        assert (str(predicate), str(literal)) in found, (dump, literal)


@pytest.mark.parametrize("dump, syntax", [("osce-kg.ttl", "turtle"), ("osce-kg.nt", "ntriples"), ("osce-kg.nq", "nquads"), ("osce-kg.trig", "trig")])
def test_page_values_parse_with_rapper(escaped: Path, dump: str, syntax: str) -> None:
    count = rapper_count(escaped / dump, syntax)
    if count is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    assert count == len(ox_quads(escaped / dump))


def test_jsonld_keeps_page_values_as_strings(escaped: Path) -> None:
    document = json.loads((escaped / "osce-kg.jsonld").read_text(encoding="utf-8"))
    strings: list[str] = []

    def walk(node: object, key: str | None = None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                assert k != "@context" or node is document, f"a page value became a @context: {node}"
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str):
            strings.append(node)

    walk(document)
    for _predicate, literal in EXPECTED:
        assert str(literal) in strings


def test_query_result_formats_keep_page_values(escaped: Path, tmp_path: Path) -> None:
    data = escaped / "osce-kg.ttl"
    proc = run_cli("query", "statements", "--data", data, "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [(r["text"], r["speaker"]) for r in rows] == [(QUOTE, SPEAKER)]
    proc = run_cli("query", "items", "--data", data, "--format", "json", cwd=tmp_path)
    bindings = json.loads(proc.stdout)["results"]["bindings"]
    assert [b["headline"]["value"] for b in bindings] == [HEADLINE]
    proc = run_cli("query", "statements", "--data", data, "--param", f"speaker={SPEAKER}", "--format", "json", cwd=tmp_path)
    assert [b["text"]["value"] for b in json.loads(proc.stdout)["results"]["bindings"]] == [QUOTE]
    assert snapshot(escaped)  # the build folder is still there, untouched by queries
