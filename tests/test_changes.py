"""Releases and their changes: the version and previous version of a
release in void.ttl, the change set a build writes beside a previous
release, ``osce-kg diff`` (README, "Releases and their changes")."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, VOID

from osce_kg import BuildConfig, build
from osce_kg.cli import main
from osce_kg.publish.changes import diff_releases

PAGES = Path(__file__).parent / "pages"
BASE = "https://w3id.org/osce-kg/id/"
DATASET = URIRef(BASE + "dataset")
DCAT3 = "http://www.w3.org/ns/dcat#"
CHANGED = "p01-curly-quotes.txt"
REMOVED = "p14-indirect-speech.txt"
ADDED_TEXT = "\n“Mediation is learned by doing,” said Marta Lindqvist.\n"


def _copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for page in PAGES.glob("*.txt"):
        shutil.copyfile(page, folder / page.name)
    return folder


def _quads(release: Path) -> set[tuple]:
    """The quads of a release, parsed by rdflib (not by the code under test)."""
    ds = Dataset()
    ds.parse(release / "osce-kg.nq", format="nquads")
    return {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads((None, None, None, None))}


def _parse_nq(path: Path) -> set[tuple]:
    ds = Dataset()
    ds.parse(data=path.read_text(encoding="utf-8") or "", format="nquads")
    return {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    """(output folder, release A, release B, sources of B): B has one page
    changed (a quotation added) and one page removed."""
    tmp = tmp_path_factory.mktemp("changes")
    src = _copy(tmp / "src")
    out = tmp / "out"
    a = build(BuildConfig.of([src], output=out)).release
    with open(src / CHANGED, "a", encoding="utf-8") as fh:
        fh.write(ADDED_TEXT)
    (src / REMOVED).unlink()
    b = build(BuildConfig.of([src], output=out)).release
    assert a is not None and b is not None and a != b
    return out, a, b, src


def test_the_change_set_is_the_difference_of_the_quads(two: tuple[Path, Path, Path, Path]) -> None:
    _out, a, b, _src = two
    before, after = _quads(a), _quads(b)
    added, removed = after - before, before - after
    assert added and removed
    assert _parse_nq(b / "changes/added.nq") == added
    assert _parse_nq(b / "changes/removed.nq") == removed
    summary = json.loads((b / "changes/summary.json").read_text(encoding="utf-8"))
    per_graph: dict[str, dict[str, int]] = {}
    for quads, kind in ((added, "added"), (removed, "removed")):
        for q in quads:
            per_graph.setdefault(str(q[3]), {"added": 0, "removed": 0})[kind] += 1
    assert summary == {"previous": a.name, "release": b.name, "added": len(added), "removed": len(removed), "graphs": dict(sorted(per_graph.items()))}
    # only the two pages' graphs changed; the removed page's graph is gone whole
    assert set(per_graph) == {BASE + "graph/page-p01-curly-quotes-txt", BASE + "graph/page-p14-indirect-speech-txt"}
    assert per_graph[BASE + "graph/page-p14-indirect-speech-txt"]["added"] == 0
    assert per_graph[BASE + "graph/page-p14-indirect-speech-txt"]["removed"] == sum(1 for q in before if str(q[3]) == BASE + "graph/page-p14-indirect-speech-txt")


def test_a_changed_page_keeps_the_iris_of_what_it_still_states(two: tuple[Path, Path, Path, Path]) -> None:
    _out, a, b, _src = two
    graph = URIRef(BASE + "graph/page-p01-curly-quotes-txt")
    old = {q[0] for q in _quads(a) if q[3] == graph}
    new = {q[0] for q in _quads(b) if q[3] == graph}
    assert URIRef(BASE + "person/marta-lindqvist") in old
    assert old <= new
    # the added statement's IRI is minted from its item's (the page key and
    # the item's place on the page), like the statements the page kept
    item = BASE + "item/p01-curly-quotes-0-c40a0022"
    assert URIRef(item) in old
    assert len(new - old) == 1 and str(next(iter(new - old))).startswith(BASE + "statement/p01-curly-quotes-0-c40a0022-")


def test_void_states_version_previous_version_and_change_counts(two: tuple[Path, Path, Path, Path]) -> None:
    _out, a, b, _src = two
    g = Graph().parse(b / "void.ttl")
    assert g.value(DATASET, URIRef(DCAT3 + "version")) == Literal(b.name)
    assert g.value(DATASET, URIRef(DCAT3 + "previousVersion")) == URIRef(f"{DATASET}/release/{a.name}")
    assert g.value(DATASET, URIRef(DCAT3 + "hasVersion")) == URIRef(f"{DATASET}/release/{b.name}")
    series = g.value(DATASET, URIRef(DCAT3 + "inSeries"))
    assert series == URIRef(f"{DATASET}/series")
    assert (series, None, URIRef(DCAT3 + "DatasetSeries")) in g
    day = b.name[:8]
    assert str(g.value(DATASET, URIRef("http://purl.org/dc/terms/issued"))) == f"{day[:4]}-{day[4:6]}-{day[6:]}"
    summary = json.loads((b / "changes/summary.json").read_text(encoding="utf-8"))
    for kind in ("added", "removed"):
        node = URIRef(f"{DATASET}/changes/{kind}")
        assert (DATASET, RDFS.seeAlso, node) in g
        assert g.value(node, VOID.triples).toPython() == summary[kind]
        assert g.value(node, VOID.dataDump) == URIRef(f"{DATASET}/changes/{kind}.nq")
    first = Graph().parse(a / "void.ttl")
    assert first.value(DATASET, URIRef(DCAT3 + "version")) == Literal(a.name)
    assert first.value(DATASET, URIRef(DCAT3 + "previousVersion")) is None
    assert not (a / "changes").exists()


def test_unchanged_inputs_give_an_empty_change_set(two: tuple[Path, Path, Path, Path], tmp_path: Path) -> None:
    out, _a, b, src = two
    again = build(BuildConfig.of([src], output=out)).release
    assert again == b  # the same data: the same release stays current
    assert Path(os.path.realpath(out / "current")) == b
    other = build(BuildConfig.of([src], output=tmp_path / "other")).release
    assert other is not None and other.name == b.name
    changes = diff_releases(b, other)
    assert changes.empty and changes.graphs == {}
    result = CliRunner().invoke(main, ["diff", str(b), str(tmp_path / "other")])
    assert result.exit_code == 0
    assert result.output == f"{b.name} -> {b.name}: 0 quad(s) added, 0 removed, in 0 graph(s)\n"


def test_cli_diff(two: tuple[Path, Path, Path, Path]) -> None:
    _out, a, b, _src = two
    result = CliRunner().invoke(main, ["diff", str(a), str(b), "--quads"])
    assert result.exit_code == 0, result.output
    changes = diff_releases(a, b)
    lines = result.output.splitlines()
    assert lines[0] == f"+{changes.graphs[BASE + 'graph/page-p01-curly-quotes-txt']['added']} -{changes.graphs[BASE + 'graph/page-p01-curly-quotes-txt']['removed']} {BASE}graph/page-p01-curly-quotes-txt"
    assert lines[2] == f"{a.name} -> {b.name}: {len(changes.added)} quad(s) added, {len(changes.removed)} removed, in 2 graph(s)"
    assert sum(1 for line in lines if line.startswith("+ <")) == len(changes.added)
    assert sum(1 for line in lines if line.startswith("- <")) == len(changes.removed)
    bad = CliRunner().invoke(main, ["diff", str(a), str(a / "nowhere")])
    assert bad.exit_code == 2
    assert "is not a release folder (no osce-kg.nq in it or in its current release)" in bad.output
