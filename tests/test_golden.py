"""Golden graphs: the whole named graph of each page of ``tests/golden/``.

Each page ``NAME.txt`` / ``NAME.html`` is built through the one build path
(:func:`osce_kg.build`, as every other test builds pages) and its named graph
(not the reference graph) is compared with ``NAME.nq`` by graph isomorphism
(:func:`rdflib.compare.isomorphic`, blank nodes allowed). On a difference the
test prints the triples only in the expected graph and only in the built one
(:func:`rdflib.compare.graph_diff`).

``pytest tests/test_golden.py --update-golden`` writes the ``.nq`` files from
the build (sorted lines) and passes; without the option a missing ``.nq`` file
fails. A rewritten file is read and checked against its page by a person
before it is committed (tests/golden/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from osce_kg.vocab import IriMinter
from tests._build_support import build_pages

GOLDEN = Path(__file__).parent / "golden"
PAGES = sorted(p for p in GOLDEN.iterdir() if p.suffix in (".txt", ".html"))


def _built_graph(page: Path) -> tuple[URIRef, Graph]:
    """(IRI of the page's named graph, its triples) from a build of ``page`` alone."""
    dataset, records, skipped, _warnings = build_pages([page])
    assert not skipped, f"{page.name} was skipped: {skipped}"
    assert len(records) == 1, f"{page.name}: {len(records)} records"
    iri = IriMinter().page_graph(records[0].source.key)
    graph = Graph()
    for triple in dataset.graph(iri):
        graph.add(triple)
    assert len(graph), f"{page.name}: the build holds no named graph {iri}"
    return iri, graph


def _nquads(iri: URIRef, graph: Graph) -> str:
    """``graph`` as the N-Quads lines of the named graph ``iri``, sorted."""
    ds = Dataset()
    named = ds.graph(iri)
    for triple in graph:
        named.add(triple)
    lines = {line for line in ds.serialize(format="nquads").splitlines() if line.strip()}
    return "\n".join(sorted(lines)) + "\n"


def _expected_graph(path: Path, iri: URIRef) -> Graph:
    """The triples of ``path`` (N-Quads), which must all be in the graph ``iri``."""
    ds = Dataset()
    ds.parse(path, format="nquads")
    names = {g.identifier for g in ds.graphs() if len(g)}
    assert names == {iri}, f"{path.name}: named graphs {sorted(map(str, names))}, expected only {iri}"
    graph = Graph()
    for triple in ds.graph(iri):
        graph.add(triple)
    return graph


def _lines(graph: Graph) -> list[str]:
    return sorted(" ".join(term.n3() for term in triple) + " ." for triple in graph)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_graph_is_the_golden_graph(page: Path, request: pytest.FixtureRequest) -> None:
    iri, built = _built_graph(page)
    expected_path = page.with_suffix(".nq")
    if request.config.getoption("--update-golden"):
        expected_path.write_text(_nquads(iri, built), encoding="utf-8")
        return
    if not expected_path.exists():
        pytest.fail(
            f"{expected_path.name} is missing: run pytest {Path(__file__).name} --update-golden, "
            "then read the written graph against the page before committing it",
            pytrace=False,
        )
    expected = _expected_graph(expected_path, iri)
    if isomorphic(expected, built):
        return
    _both, only_expected, only_built = graph_diff(to_isomorphic(expected), to_isomorphic(built))
    report = [f"{page.name}: the built graph differs from {expected_path.name}"]
    report.append(f"only in expected ({len(only_expected)}):")
    report += [f"  - {line}" for line in _lines(only_expected)]
    report.append(f"only in built ({len(only_built)}):")
    report += [f"  + {line}" for line in _lines(only_built)]
    pytest.fail("\n".join(report), pytrace=False)


def test_every_page_has_an_expected_graph_and_the_readme_lists_it() -> None:
    assert len(PAGES) >= 15
    readme = (GOLDEN / "README.md").read_text(encoding="utf-8")
    for page in PAGES:
        assert page.with_suffix(".nq").exists(), f"{page.name} has no expected graph"
        assert f"`{page.name}`" in readme, f"{page.name} is not listed in README.md"
    for nq in GOLDEN.glob("*.nq"):
        assert any(nq.with_suffix(s).exists() for s in (".txt", ".html")), f"{nq.name} has no page"
