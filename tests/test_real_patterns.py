"""The patterns of real pages (issue 9), on pages written for the project
(``tests/pages-real/``, see its README): every statement rightly attributed,
every person found and none extra, every item and meeting right; and the
values that matter read back from the graph: rule ids, language tags, the
nominative of an inflected name, no headline where the page has none."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from tests._build_support import build_pages
from osce_kg.evaluate import evaluate
from osce_kg.vocab import OSCE, SCHEMA

PAGES = Path(__file__).parent / "pages-real"


@pytest.fixture(scope="module")
def report():
    return evaluate([PAGES])


def test_every_page_is_right(report) -> None:
    problems = []
    for page in report.pages:
        c = page.counts
        if page.error:
            problems.append(f"{page.name}: {page.error}")
        if c.statements_attributed != c.statements_gold or c.statements_spurious:
            problems.append(f"{page.name}: statements {c.statements_attributed}/{c.statements_gold}, spurious {page.spurious}")
        if c.persons_found != c.persons_gold or c.persons_extra:
            problems.append(f"{page.name}: persons missing {page.persons_missing}, extra {page.persons_extra}")
        if c.items_right != c.items_gold or c.meetings_right != c.meetings_gold:
            problems.append(f"{page.name}: items {c.items_right}/{c.items_gold}, meetings {c.meetings_right}/{c.meetings_gold}")
    assert not problems, "\n".join(problems)


def test_the_readme_lists_every_page() -> None:
    readme = (PAGES / "README.md").read_text(encoding="utf-8")
    pages = sorted(p for p in PAGES.iterdir() if p.suffix in (".txt", ".html"))
    assert len(pages) >= 12
    for page in pages:
        assert f"`{page.name}`" in readme and page.with_name(page.stem + ".gold.json").is_file()


def _union(dataset) -> Graph:
    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _statements(name: str) -> dict[str, tuple[str | None, str, str]]:
    """text start -> (speaker name, rule id, language tag) of one page."""
    dataset, records, skipped, _w = build_pages([PAGES / name])
    assert not skipped
    out = {}
    rows = _union(dataset).query(
        """PREFIX schema: <https://schema.org/> PREFIX osce: <https://w3id.org/osce-kg/ontology#>
        SELECT ?text ?name ?rule WHERE { ?st a osce:Statement ; schema:text ?text ; osce:attributedBy ?rule .
        OPTIONAL { ?st schema:creator/schema:name ?name } }"""
    )
    for row in rows:
        out[str(row.text)[:31]] = (row.name and str(row.name), str(row.rule), row.text.language)
    return out


def test_rule_ids_say_how_each_speaker_was_found() -> None:
    got = _statements("r05-continued-and-cues.txt")
    assert got["Energy supplies must never be u"] == ("Tomas Hudak", "after.surname", "en")
    assert got["Only co-operation across border"] == ("Tomas Hudak", "before.pronoun", "en")
    assert got["We need common standards for pr"] == ("Eva Kollarova", "continued.name", "en")


def test_german_statements_are_tagged_de_and_the_office_resolves() -> None:
    got = _statements("r02-german.txt")
    assert got["Wir werden die Arbeit des Sekre"] == ("Katharina Novak", "after.office", "de")
    assert got["Die OSZE bleibt ein unverzichtb"][1] == "headline.surname"


def test_an_office_nobody_holds_stays_a_role() -> None:
    dataset, _r, _s, _w = build_pages([PAGES / "r06-offices.txt"])
    roles = {str(o) for o in _union(dataset).objects(None, OSCE.speakerRole)}
    assert roles == {"OSCE Chairperson-in-Office"}


def test_an_inflected_russian_name_is_given_in_the_nominative() -> None:
    got = _statements("r04-russian.txt")
    assert got["Наше сотрудничество с Организац"] == ("Алишер Каримов", "after.pronoun", "ru")


def test_a_page_without_a_headline_has_an_item_without_one() -> None:
    dataset, records, _s, _w = build_pages([PAGES / "r09-no-headline.txt"])
    graph = _union(dataset)
    assert records[0].items[0].headline is None
    assert not list(graph.objects(None, SCHEMA.headline))
    assert list(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), OSCE.NewsItem))
    assert Literal("Marta Kowalczyk") in set(graph.objects(None, SCHEMA.name))
