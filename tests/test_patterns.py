"""Quotation and attribution patterns of issue 3, point 3: one small page per
pattern in ``tests/pages/`` (see its README), each with a gold file.

Each page is built with :func:`osce_kg.pipeline.build_dataset` and read back
with SPARQL from its named graph, as users of the dumps read it: every gold
statement must be there once with exactly the gold speaker (a ``null`` gold
speaker: no ``schema:creator`` and the gold ``speakerRole``), and the graph
must hold no other statement (indirect speech, quoted titles and slogans,
split parts of one quotation are not statements of their own).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from tests._build_support import build_pages
from osce_kg.evaluate import normalise_text

PAGES = Path(__file__).parent / "pages"
GOLDS = sorted(PAGES.glob("*.gold.json"))

_STATEMENTS = """
PREFIX schema: <https://schema.org/>
PREFIX osce: <https://w3id.org/osce-kg/ontology#>
SELECT ?g ?st ?text ?speaker ?role WHERE {
  GRAPH ?g {
    ?st a osce:Statement ; schema:text ?text .
    OPTIONAL { ?st schema:creator ?creator . ?creator schema:name ?speaker }
    OPTIONAL { ?st osce:speakerRole ?role }
  }
}"""

_ITEMS = """
PREFIX schema: <https://schema.org/>
PREFIX osce: <https://w3id.org/osce-kg/ontology#>
SELECT ?headline ?date ?type WHERE {
  GRAPH ?g {
    ?item a osce:NewsItem ; schema:headline ?headline .
    OPTIONAL { ?item schema:datePublished ?date }
    OPTIONAL { ?item osce:contentType ?type }
  }
}"""


def _page(gold: Path) -> Path:
    stem = gold.name[: -len(".gold.json")]
    pages = [p for p in PAGES.glob(stem + ".*") if p.suffix in (".txt", ".html")]
    assert len(pages) == 1, f"{gold.name}: expected one page beside it, found {pages}"
    return pages[0]


def _build(gold: Path) -> Dataset:
    dataset, records, skipped, _warnings = build_pages([_page(gold)])
    assert not skipped, skipped
    assert len(records) == 1
    return dataset


def _graph_statements(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """statement IRI -> {text, speakers, roles}, read from the page's graph."""
    out: dict[str, dict[str, Any]] = {}
    for row in dataset.query(_STATEMENTS):
        st = out.setdefault(str(row.st), {"text": normalise_text(str(row.text)), "speakers": set(), "roles": set()})
        if row.speaker is not None:
            st["speakers"].add(str(row.speaker))
        if row.role is not None:
            st["roles"].add(str(row.role))
    return out


def _show(st: dict[str, Any]) -> str:
    speaker = " | ".join(sorted(st["speakers"])) or None
    role = " | ".join(sorted(st["roles"])) or None
    return f"{st['text'][:70]!r}: speaker={speaker!r} role={role!r}"


@pytest.mark.parametrize("gold", GOLDS, ids=lambda p: p.name[: -len(".gold.json")])
def test_statements_and_speakers(gold: Path) -> None:
    data = json.loads(gold.read_text(encoding="utf-8"))
    found = _graph_statements(_build(gold))
    problems: list[str] = []
    matched: set[str] = set()
    for expected in data["statements"]:
        key = normalise_text(expected["text"])
        hits = [iri for iri, st in found.items() if key in st["text"]]
        if len(hits) != 1:
            problems.append(f"{expected['text'][:60]!r}: expected 1 statement, found {len(hits)}")
            continue
        matched.add(hits[0])
        st = found[hits[0]]
        want_speaker = expected["speaker"]
        want = {want_speaker} if want_speaker is not None else set()
        if st["speakers"] != want:
            problems.append(f"{expected['text'][:60]!r}: speaker {sorted(st['speakers']) or None}, expected {want_speaker!r}")
        if want_speaker is None and "speakerRole" in expected and st["roles"] != {expected["speakerRole"]}:
            problems.append(f"{expected['text'][:60]!r}: speakerRole {sorted(st['roles']) or None}, expected {expected['speakerRole']!r}")
    for iri, st in found.items():
        if iri not in matched:
            problems.append(f"not a gold statement: {_show(st)}")
    graph_view = "\n  ".join(_show(st) for st in found.values()) or "(none)"
    if problems:
        pytest.fail(f"{gold.name}:\n- " + "\n- ".join(problems) + f"\ngraph statements:\n  {graph_view}", pytrace=False)


@pytest.mark.parametrize("gold", GOLDS, ids=lambda p: p.name[: -len(".gold.json")])
def test_item_headline_date_and_type(gold: Path) -> None:
    doc = json.loads(gold.read_text(encoding="utf-8"))["document"]
    rows = [(str(r.headline), r.date and str(r.date), r.type and str(r.type)) for r in _build(gold).query(_ITEMS)]
    assert rows == [(doc["headline"], doc["datePublished"], doc["contentType"])]


def test_every_page_has_a_gold_file_and_the_readme_lists_it() -> None:
    pages = sorted(p for p in PAGES.iterdir() if p.suffix in (".txt", ".html"))
    assert len(pages) == len(GOLDS) >= 16
    readme = (PAGES / "README.md").read_text(encoding="utf-8")
    for page in pages:
        assert page.with_name(page.stem + ".gold.json").is_file(), page
        assert f"`{page.name}`" in readme, page
