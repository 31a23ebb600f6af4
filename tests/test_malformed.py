"""Malformed input (issue 6, points 1 and 2): a build of the pages in
tests/malformed/ (see its README) exports every good page, names every bad
one with its reason on stderr and in build-report.json, exits 1, and leaves
only valid IRIs in the dumps; ``--strict`` stops and replaces no dump. The
20 MB page and the 5,000 quotations are generated at run time.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from osce_kg.errors import SourceError
from osce_kg.sources import SourceRef, decode, read_source
from osce_kg.vocab import DEFAULT_BASE_IRI, OSCE, SCHEMA
from tests._robustness_support import (
    DUMP_FILES,
    MALFORMED,
    PAGES,
    bad_iris,
    iris_of_quads,
    ox_quads,
    rapper_count,
    run_cli,
    snapshot,
    temp_files,
)
from tests.conftest import SEED

#: bad page -> words its reason must hold
BAD_PAGES = {
    "01-empty.txt": "the file is empty",
    "02-binary.txt": "binary content",
    "05-utf8-mojibake.txt": "mojibake",
    "07-navigation-only.txt": "navigation",
    "16-c1-mojibake.txt": "mojibake",
}
GOOD_PAGES = sorted(p.name for p in MALFORMED.iterdir() if p.suffix in (".txt", ".html") and p.name not in BAD_PAGES)

#: an IRI minted by osce-kg: {base}{kind}/{slug}
MINTED = re.compile(re.escape(DEFAULT_BASE_IRI) + r"[a-z][a-z-]*/[a-z0-9][a-z0-9-]*$")


class MalformedBuild:
    """The CLI build of tests/malformed/ (exit code, stderr, report, graph)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.proc = run_cli("build", MALFORMED, "-o", out, cwd=out.parent)
        self.report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
        self.graph = Graph()
        self.graph.parse(out / "osce-kg.nt", format="nt")

    def items(self, headline: str) -> list[URIRef]:
        return [s for s in self.graph.subjects(SCHEMA.headline, Literal(headline, lang="en")) if isinstance(s, URIRef)]

    def item(self, headline: str) -> URIRef:
        found = self.items(headline)
        assert len(found) == 1, f"{headline!r}: {found}"
        return found[0]

    def statements_of(self, item: URIRef) -> list[URIRef]:
        return sorted(s for s in self.graph.subjects(PROV.wasDerivedFrom, item) if (s, RDF.type, OSCE.Statement) in self.graph)

    def person(self, name: str) -> URIRef:
        found = list(self.graph.subjects(SCHEMA.name, Literal(name)))
        assert len(found) == 1, f"{name!r}: {found}"
        assert (found[0], RDF.type, SCHEMA.Person) in self.graph
        return found[0]

    def statement(self, text: str) -> URIRef:
        found = list(self.graph.subjects(SCHEMA.text, Literal(text, lang="en")))
        assert len(found) == 1, f"{text!r}: {found}"
        return found[0]


@pytest.fixture(scope="module")
def malformed(tmp_path_factory: pytest.TempPathFactory) -> MalformedBuild:
    return MalformedBuild(tmp_path_factory.mktemp("malformed") / "out")


# --------------------------------------------------------------------------- policy


def test_exit_code_is_one_when_pages_are_skipped(malformed: MalformedBuild) -> None:
    assert malformed.proc.returncode == 1, malformed.proc.stderr


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_bad_page_is_named_with_its_reason_on_stderr(malformed: MalformedBuild, name: str) -> None:
    lines = [line for line in malformed.proc.stderr.splitlines() if line.startswith("skipped ") and f"{name}: " in line]
    assert len(lines) == 1, malformed.proc.stderr
    assert re.match(rf"^skipped \S*{re.escape(name)}: .*{re.escape(BAD_PAGES[name])}", lines[0]), lines[0]


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_bad_page_is_in_the_build_report_with_its_reason(malformed: MalformedBuild, name: str) -> None:
    entries = [e for e in malformed.report["skipped"] if Path(e["file"]).name == name]
    assert len(entries) == 1, malformed.report["skipped"]
    assert BAD_PAGES[name] in entries[0]["reason"]


def test_exactly_the_bad_pages_are_skipped(malformed: MalformedBuild) -> None:
    assert sorted(Path(e["file"]).name for e in malformed.report["skipped"]) == sorted(BAD_PAGES)
    assert sorted(Path(key).name for key in malformed.report["exported"]) == GOOD_PAGES


def test_no_temporary_file_is_left(malformed: MalformedBuild) -> None:
    assert temp_files(malformed.out) == []


# --------------------------------------------------------------------------- good pages


def test_no_mojibake_or_control_character_in_any_literal(malformed: MalformedBuild) -> None:
    bad = re.compile(r"â€|Ã.|Â.|\ufffd|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    for literal in malformed.graph.objects():
        if isinstance(literal, Literal):
            assert not bad.search(str(literal)), repr(literal)


def test_windows_1252_page_is_decoded(malformed: MalformedBuild) -> None:
    item = malformed.item("OSCE Mission to Serbia supports training for judges in Niš")
    person = malformed.person("Zoë Lefèvre")
    statement = malformed.statement("Every citizen deserves a judge who knows the law and explains it clearly")
    assert malformed.statements_of(item) == [statement]
    assert (statement, SCHEMA.creator, person) in malformed.graph
    # accents are folded in the slug, so a hash of the exact name follows
    assert str(person) == DEFAULT_BASE_IRI + "person/zoe-lefevre-7923ec"


def test_latin_1_page_is_decoded(malformed: MalformedBuild) -> None:
    malformed.item("OSCE Programme Office in Dushanbe trains border guards")
    person = malformed.person("Jürgen Größmann")
    statement = malformed.statement("Good border management protects people and trade at the same time")
    assert (statement, SCHEMA.creator, person) in malformed.graph


def test_utf_16_page_is_decoded(malformed: MalformedBuild) -> None:
    malformed.item("OSCE Mission to Moldova supports a summer school on human rights")
    person = malformed.person("Ion Căpățână")
    statement = malformed.statement("Rights are learned best by people who meet and argue with each other")
    assert (statement, SCHEMA.creator, person) in malformed.graph


def test_html_declaring_latin_1_is_read_as_windows_1252(malformed: MalformedBuild) -> None:
    malformed.item("OSCE Centre in Ashgabat supports training on customs procedures")
    person = malformed.person("Renée Brønstad")
    statement = malformed.statement("Good risk management lets honest traders cross faster – and stops the others")
    assert (statement, SCHEMA.creator, person) in malformed.graph


def test_truncated_html_is_exported_with_its_headline(malformed: MalformedBuild) -> None:
    item = malformed.item("OSCE Mission to Skopje supports youth debate on local elections")
    assert (item, SCHEMA.datePublished, Literal("2021-09-08", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))) in malformed.graph
    person = malformed.person("Elena Stojanovska")
    [statement] = malformed.statements_of(item)
    assert (statement, SCHEMA.creator, person) in malformed.graph


def test_unclosed_quotation_gives_no_statement(malformed: MalformedBuild) -> None:
    item = malformed.item("OSCE Centre in Bishkek holds workshop on community policing")
    assert malformed.statements_of(item) == []
    assert not any("Trust between the police" in str(o) for o in malformed.graph.objects(None, SCHEMA.text))


def test_quotation_without_attribution_has_no_creator(malformed: MalformedBuild) -> None:
    item = malformed.item("OSCE Presence in Albania supports training on property registration")
    statement = malformed.statement("A clear property register protects every family that owns a home or a piece of land.")
    assert malformed.statements_of(item) == [statement]
    assert list(malformed.graph.objects(statement, SCHEMA.creator)) == []
    assert list(malformed.graph.objects(statement, OSCE.speakerRole)) == []


def test_impossible_date_gives_no_date_and_a_warning(malformed: MalformedBuild) -> None:
    item = malformed.item("OSCE Office for Democratic Institutions and Human Rights deploys election observation mission")
    assert list(malformed.graph.objects(item, SCHEMA.datePublished)) == []
    assert len(malformed.statements_of(item)) == 1
    warnings = [w for w in malformed.report["warnings"] if Path(w["page"]).name == "12-impossible-date.txt"]
    assert any("31 February 2021" in w["message"] for w in warnings), malformed.report["warnings"]
    assert "31 February 2021" in malformed.proc.stderr
    # nothing in the graph is dated in February 2021 or on 31 April
    dates = {str(o) for o in malformed.graph.objects() if isinstance(o, Literal) and o.datatype and str(o.datatype).endswith("#date")}
    assert not any(d.startswith(("2021-02-3", "2021-04-31", "2021-03-0")) for d in dates), dates


def test_listing_page_items_without_dates(malformed: MalformedBuild) -> None:
    headlines = [
        "OSCE Mission to Bosnia and Herzegovina supports school inclusion project",
        "OSCE Mission to Montenegro trains police on hate crime",
        "OSCE Programme Office in Astana hosts seminar on green economy",
    ]
    for headline in headlines:
        item = malformed.item(headline)
        assert list(malformed.graph.objects(item, SCHEMA.datePublished)) == []
        assert (item, OSCE.contentType, None) in malformed.graph


# --------------------------------------------------------------------------- hostile names and IRIs


HOSTILE_LITERALS = [
    (SKOS.prefLabel, Literal('Centre for <Open> "Data" {and} Local|Government \\ ^ `Studies`', lang="en")),
    (SCHEMA.headline, Literal('OSCE Mission to Serbia supports dialogue on {open} <data> in "local" government', lang="en")),
    (SCHEMA.name, Literal("Олена Коваленко")),
    (SCHEMA.name, Literal("Nadia Haddad")),
    (SCHEMA.name, Literal("Zoë Jane Smith")),  # zero-width characters removed, nothing else
    (SCHEMA.name, Literal("Yosef Ben\u2011David")),  # a non-breaking hyphen does not cut the name
    (SKOS.prefLabel, Literal('Bureau for <Civic> "Dialogue" {Outreach} | \\ ^ `Media`', lang="en")),
    (SCHEMA.headline, Literal('Workshop on <digital> "rights" {and} \\ ^ ` | duties', lang="en")),
    (SCHEMA.url, Literal('https://www.osce.org/news/a b<c>{d}|e\\f^g`h"i', datatype=URIRef("http://www.w3.org/2001/XMLSchema#anyURI"))),
    (SCHEMA.name, Literal("Leila Darwish")),
]


@pytest.mark.parametrize("predicate, literal", HOSTILE_LITERALS, ids=[str(lit)[:30] for _p, lit in HOSTILE_LITERALS])
def test_hostile_name_is_kept_exactly_on_a_valid_iri(malformed: MalformedBuild, predicate: URIRef, literal: Literal) -> None:
    subjects = list(malformed.graph.subjects(predicate, literal))
    assert len(subjects) == 1, (literal, subjects)
    assert MINTED.match(str(subjects[0])), subjects[0]


def test_no_zero_width_or_bidi_control_in_names(malformed: MalformedBuild) -> None:
    for name in malformed.graph.objects(None, SCHEMA.name):
        assert not any(unicodedata.category(ch) == "Cf" for ch in str(name)), repr(name)


@pytest.mark.parametrize("dump", ["osce-kg.nt", "osce-kg.nq", "osce-kg.ttl", "osce-kg.trig"])
def test_every_iri_of_the_dumps_is_valid(malformed: MalformedBuild, dump: str) -> None:
    quads = ox_quads(malformed.out / dump)
    assert quads
    assert bad_iris(iris_of_quads(quads)) == []


def test_every_minted_iri_is_a_slug(malformed: MalformedBuild) -> None:
    quads = ox_quads(malformed.out / "osce-kg.nq")
    minted = {iri for iri in iris_of_quads(quads) if iri.startswith(DEFAULT_BASE_IRI)}
    assert minted
    assert sorted(iri for iri in minted if not MINTED.match(iri)) == []


def test_jsonld_dump_has_the_same_triples(malformed: MalformedBuild) -> None:
    graph = Graph()
    graph.parse(malformed.out / "osce-kg.jsonld", format="json-ld")
    assert len(graph) == len(malformed.graph)
    assert bad_iris(str(t) for triple in graph for t in triple if isinstance(t, URIRef)) == []


def test_names_that_mint_the_same_iri_still_conform(tmp_path: Path) -> None:
    """Two persons whose names differ only by an accent, two organisations
    whose names differ only by characters that are illegal in IRIs: slugs
    fold both pairs onto one IRI each, and the graph must still conform (one
    ``schema:name``, one ``skos:prefLabel`` per node)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "colliding.txt").write_text(
        "Newsroom\nOSCE Mission to Serbia hosts a debate on open data\nPublishing date: 1 March 2022\nContent type: News\n"
        "Where we are: OSCE Mission to Serbia, Centre for Open Data, Centre for <Open> Data\n"
        "Officials met in Belgrade at a debate organized by the OSCE Mission to Serbia.\n"
        "“Open data lets citizens see how every dinar is spent,” said Zoë Smith, Legal Adviser at the OSCE Mission to Serbia.\n"
        "“Citizens who read the budget can also question it, always,” said Zoe Smith, Head of the Centre for Open Data.\n",
        encoding="utf-8",
    )
    proc = run_cli("build", src, "-o", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert report["conforms"] is True and report["invalid"] == []


@pytest.mark.parametrize("dump, syntax", [("osce-kg.nt", "ntriples"), ("osce-kg.nq", "nquads"), ("osce-kg.ttl", "turtle"), ("osce-kg.trig", "trig")])
def test_rapper_and_pyoxigraph_parse_the_dumps(malformed: MalformedBuild, dump: str, syntax: str) -> None:
    count = rapper_count(malformed.out / dump, syntax)
    if count is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    assert count == len(ox_quads(malformed.out / dump))


def test_the_graph_conforms(malformed: MalformedBuild) -> None:
    assert malformed.report["conforms"] is True, malformed.proc.stderr


# --------------------------------------------------------------------------- --strict


def test_strict_stops_and_replaces_no_dump(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli("build", SEED, "-o", out, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    assert set(DUMP_FILES) <= set(before)
    proc = run_cli("build", MALFORMED, "-o", out, "--strict", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert any(name in proc.stderr for name in BAD_PAGES), proc.stderr
    after = snapshot(out)
    for name in DUMP_FILES:
        assert after[name] == before[name], f"{name} was replaced"
    assert temp_files(out) == []


# --------------------------------------------------------------------------- --invalid, --jobs, --cache

#: a page that contradicts itself: two States hold the 2021 Chairpersonship
#: (one node, osce:chairingState at most 1): its graph violates the shapes
CONTRADICTING = """Newsroom
OSCE Chairpersonship hosts a conference on cyber security
Publishing date: 3 May 2021
Content type: News
Where we are: OSCE Secretariat
Experts met in Vienna at a conference organized by the 2021 Swedish OSCE Chairpersonship.
The conference was also supported by the 2021 Finnish OSCE Chairpersonship.
"""
CONTRADICTING_HEADLINE = "OSCE Chairpersonship hosts a conference on cyber security"
SEED_HEADLINE = "New tools to prevent transnational organized crime discussed at 2021 OSCE Annual Police Experts Meeting"


@pytest.fixture()
def with_invalid_page(tmp_path: Path) -> Path:
    """The seed page (valid; it names the 2021 Chairpersonship too) and the
    contradicting page."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "contradicting.txt").write_text(CONTRADICTING, encoding="utf-8")
    return src


def _headlines(out: Path) -> set[str]:
    graph = Graph().parse(out / "osce-kg.nt", format="nt")
    return {str(o) for o in graph.objects(None, SCHEMA.headline)}


@pytest.mark.parametrize("policy", ["keep", "drop"])
def test_invalid_page_is_listed_and_kept_or_dropped(with_invalid_page: Path, tmp_path: Path, policy: str) -> None:
    out = tmp_path / "out"
    proc = run_cli("build", with_invalid_page, "-o", out, "--invalid", policy, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["invalid"], report
    # only the page whose own graph violates the shapes is listed, with the focus node and message
    assert {entry["page"] for entry in report["invalid"]} == {"contradicting.txt"}, report["invalid"]
    assert {entry["focus"] for entry in report["invalid"]} == {DEFAULT_BASE_IRI + "chairpersonship/2021"}
    assert any("chairingState" in entry["message"] for entry in report["invalid"])
    assert "contradicting.txt" in proc.stderr
    headlines = _headlines(out)
    assert SEED_HEADLINE in headlines
    assert (CONTRADICTING_HEADLINE in headlines) == (policy == "keep")
    assert ("contradicting.txt" in report["exported"]) == (policy == "keep")
    assert "seed.txt" in report["exported"]


def test_strict_stops_at_an_invalid_page(with_invalid_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("build", with_invalid_page, "-o", out, "--strict", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "contradicting.txt" in proc.stderr
    assert not any((out / name).exists() for name in DUMP_FILES)


def test_cache_keeps_no_violation_of_another_page(with_invalid_page: Path, tmp_path: Path) -> None:
    """A page's cached result depends on the page alone: once the
    contradicting page is gone, the seed page builds clean from the cache."""
    cache = tmp_path / "cache"
    first = run_cli("build", with_invalid_page, "-o", tmp_path / "out1", "--cache", cache, cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    (with_invalid_page / "contradicting.txt").unlink()
    second = run_cli("build", with_invalid_page, "-o", tmp_path / "out2", "--cache", cache, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    fresh = run_cli("build", with_invalid_page, "-o", tmp_path / "out3", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    for name in DUMP_FILES:
        assert (tmp_path / "out2" / name).read_bytes() == (tmp_path / "out3" / name).read_bytes(), name


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    """--jobs 1 and --jobs 2 write the same bytes, on a folder of more pages
    than one worker batch, with bad pages and an invalid page among them."""
    src = tmp_path / "src"
    src.mkdir()
    pages = sorted(p for p in (*MALFORMED.iterdir(), *PAGES.iterdir()) if p.suffix in (".txt", ".html"))
    for i in range(90):
        page = pages[i % len(pages)]
        (src / f"{i:03d}-{page.name}").write_bytes(page.read_bytes())
    (src / "contradicting.txt").write_text(CONTRADICTING, encoding="utf-8")
    one = run_cli("-q", "build", src, "-o", tmp_path / "one", "--jobs", "1", cwd=tmp_path)
    two = run_cli("-q", "build", src, "-o", tmp_path / "two", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 1, (one.stderr, two.stderr)
    assert one.stderr == two.stderr
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


# --------------------------------------------------------------------------- decoding, unit level


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"   \n\t\r\n ", "the file is empty"),
        (b"Newsroom\nTitle\n" + b"x" * 5000 + b"\x00\x01\x02", "binary content"),  # NUL after the first 4 KB
        (b"\xff\xfe" + "Title\n".encode("utf-16-le") + b"\x00\xd8", "UTF-16"),  # BOM, then a lone surrogate
    ],
    ids=["white-space-only", "late-nul", "broken-utf-16"],
)
def test_unreadable_bytes_raise_source_error(tmp_path: Path, raw: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        decode(raw, tmp_path / "page.txt", "text/plain")
    assert reason in caught.value.reason


def test_html_declaring_windows_1252_that_is_utf_8_is_read_as_utf_8(tmp_path: Path) -> None:
    raw = '<html><head><meta charset="windows-1252"></head><body><h1>Niš – “Zoë”</h1></body></html>'.encode("utf-8")
    assert "<h1>Niš – “Zoë”</h1>" in decode(raw, tmp_path / "page.html", "text/html")


def test_stray_control_characters_become_spaces(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes("Newsroom\nHead\x01line\x1b[0m\x7f here\n".encode("utf-8"))
    text = read_source(SourceRef(page, page.name)).text
    assert text == "Newsroom\nHead line [0m  here\n"


def test_control_characters_from_html_entities_become_spaces() -> None:
    """``&#1;`` or ``&#x81;`` decode to control characters after reading:
    the text cleaning reads them as white space."""
    from osce_kg.extract.layouts.html import parse_html

    page = parse_html("<html><body><h1>Head&#1;line&#x81;two&#x7f;</h1><p>Body&#x1b;text&#0;here.</p></body></html>")
    assert page.items[0].headline == "Head line two"
    assert page.items[0].body == ["Body text\ufffdhere."]


# --------------------------------------------------------------------------- big pages, generated


_HEAD = """Newsroom
{title}
Publishing date: 6 June 2022
Content type: News
Where we are: OSCE Mission to Serbia
What we do: Rule of law
"""
_SPEAKERS = (
    "Jelena Marković, Legal Adviser at the OSCE Mission to Serbia",
    "Petar Nikolić, Head of the Rule of Law Department at the OSCE Mission to Serbia",
)


def _quotations_page(n: int) -> str:
    lines = [_HEAD.format(title="OSCE Mission to Serbia publishes five thousand voices on justice")]
    for i in range(n):
        lines.append(f"“Statement number {i + 1} says that courts must be open, fair and fast for everyone,” said {_SPEAKERS[i % 2]}.\n")
    return "".join(lines)


def _huge_page(size: int) -> str:
    text = (
        "Judges, prosecutors and lawyers from Belgrade, Novi Sad and Niš discussed the reform of the judiciary "
        "with the OSCE Mission to Serbia on 7 June 2022, and agreed to meet again in the autumn to review progress. "
    )
    lines = [
        _HEAD.format(title="OSCE Mission to Serbia publishes a very long report on justice"),
        "“Courts must be open, fair and fast for everyone who needs them,” said Jelena Marković, Legal Adviser at the OSCE Mission to Serbia.\n",
    ]
    total = sum(map(len, lines))
    i = 0
    while total < size:
        line = f"Paragraph {i}. {text * 3}\n"
        lines.append(line)
        total += len(line)
        i += 1
    return "".join(lines)


def test_page_with_5000_quotations(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "quotations.txt").write_text(_quotations_page(5000), encoding="utf-8")
    proc = run_cli("build", src, "-o", tmp_path / "out", cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    graph = Graph()
    graph.parse(tmp_path / "out" / "osce-kg.nt", format="nt")
    statements = set(graph.subjects(RDF.type, OSCE.Statement))
    assert len(statements) == 5000
    texts = {str(t) for s in statements for t in graph.objects(s, SCHEMA.text)}
    assert "Statement number 5000 says that courts must be open, fair and fast for everyone" in texts
    assert len({c for s in statements for c in graph.objects(s, SCHEMA.creator)}) == 2


def test_page_of_20_megabytes_is_skipped_over_the_maximum_page_size(tmp_path: Path) -> None:
    """Over :data:`osce_kg.sources.MAX_PAGE_BYTES` (issue 11: a 50 MB page took
    two minutes and 1 GB): skipped with its size as the reason, the other
    page exported, exit 1."""
    from osce_kg.sources import MAX_PAGE_BYTES

    src = tmp_path / "src"
    src.mkdir()
    page = src / "huge.txt"
    page.write_text(_huge_page(20_000_000), encoding="utf-8")
    size = page.stat().st_size
    assert size >= 20_000_000
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    proc = run_cli("build", src, "-o", tmp_path / "out", cwd=tmp_path, timeout=300)
    assert proc.returncode == 1, proc.stderr
    reason = f"the page is {size:,} bytes, over the maximum page size of {MAX_PAGE_BYTES:,} bytes (2 MiB)"
    assert f"skipped {src / 'huge.txt'}: {reason}" in proc.stderr
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert report["exported"] == ["seed.txt"]
    assert report["skipped"] == [{"page": "huge.txt", "file": str(page), "reason": reason}]


def test_dataset_of_malformed_folder_keeps_one_graph_per_exported_page(malformed: MalformedBuild) -> None:
    dataset = Dataset()
    dataset.parse(malformed.out / "osce-kg.nq", format="nquads")
    pages = [g for g in dataset.graphs() if "/graph/page-" in str(g.identifier)]
    assert len(pages) == len(GOOD_PAGES)
