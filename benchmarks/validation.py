"""SHACL validation engines on generated pages, printing figures (not a test).

For N pages of ``make_corpus.py N DIR --seed 1`` (default 1,000), read,
extracted, mapped and encoded by the build's own stages
(``osce_kg.pipeline.stages.Stages``), each page's graph is validated with
the reference graph (``Mapper.map_reference()``) in three modes:

- **per page**: one page's graph + the reference graph per run (on an evenly
  spaced sample of ``--sample`` pages: pyshacl needs about 0.1 s a run);
- **per batch**: ``--batch`` pages (default 200) + the reference graph per
  run, as the build's workers do;
- **whole**: all N pages + the reference graph in one run;

by each engine and way of handing the data over:

- ``pyshacl / Graph``: ``validate_graph(engine="pyshacl")`` on an rdflib
  Graph (what the build did: it copies the graph, ``ont_graph`` being set);
- ``pyshacl / text``: ``validate_batch(engine="pyshacl")`` on N-Triples
  bytes (parsed by pyoxigraph into an rdflib Graph, validated in place);
- ``pyshacl-turbo / Graph``: ``validate_graph(engine="pyshacl-turbo")``;
- ``pyshacl-turbo / text``: ``validate_batch(engine="pyshacl-turbo")``,
  the text parsed by its native parser;
- ``pyrudof / text``: ``Rudof.read_data`` and ``validate_shacl`` (native
  mode), shapes read once.

The hand-over is timed on its own (:data:`HAND_OVERS`): an rdflib Graph of
the run (from rdflib graphs, as the build did before mapping to pyoxigraph
terms, or from the pages' pyoxigraph triples, the Graph the engines are
given) against N-Triples text (serialising the pages' triples, as the
build's validate stage does, the text the engines are given) or joining
the N-Quads the encode stage writes anyway. Figures are CPU milliseconds
per page (``time.process_time``; every engine here runs on one thread): the
CPU time of all runs of a mode over the pages they hold, the least of
``--repeat`` rounds.

Then the first batch is broken on purpose (in turn per page: persons without
``schema:name``, a statement's speaker an organisation, news items and
meetings without an end date dated "2021-02-30", a news item with two
headlines, a person's name language-tagged) and each engine's number of results is printed, with how
many of them are pyshacl's (same focus node, path, severity, source shape,
message and value; for pyrudof, whose messages, values and blank-node shape
labels are written its own way, same focus node and path).

Usage::

    python benchmarks/validation.py [--pages 1000] [--work DIR] [--batch 200] [--sample 40] [--repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

import logging  # noqa: E402

import pyoxigraph as ox  # noqa: E402
from rdflib import Graph, Literal, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402

from osce_kg.oxterms import Triples, graph_triples, rdflib_graph  # noqa: E402
from osce_kg.pipeline import BuildConfig, distinct_sources  # noqa: E402
from osce_kg.pipeline.results import PageResult  # noqa: E402
from osce_kg.pipeline.stages import PageWork, Stages  # noqa: E402
from osce_kg.sources import find_sources  # noqa: E402
from osce_kg.validate import load_shapes, validate_batch, validate_graph  # noqa: E402

SCHEMA = "https://schema.org/"
OSCE = "https://w3id.org/osce-kg/ontology#"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
SECRETARIAT = URIRef("https://w3id.org/osce-kg/id/org/secretariat")

#: (engine, hand-over) rows of the table
ROWS = [
    ("pyshacl", "Graph"),
    ("pyshacl", "text"),
    ("pyshacl-turbo", "Graph"),
    ("pyshacl-turbo", "text"),
    ("pyrudof", "text"),
]


class Pages:
    """The reference graph and each page's graph, as the build's stages make
    them (read, extract, map, encode of :class:`osce_kg.pipeline.stages.Stages`):
    pyoxigraph triples, their N-Quads, and rdflib copies."""

    def __init__(self, folder: Path) -> None:
        t = time.perf_counter()
        stages = Stages(BuildConfig(sources=(folder,)), fingerprint="benchmark")
        works = [PageWork(ref, PageResult(key=ref.key, path=str(ref.path))) for ref in distinct_sources(find_sources([folder]))]
        for stage in (stages.read, stages.extract, stages.map, stages.encode):
            stage(works)
        kept = [w for w in works if w.triples is not None]
        self.skipped = len(works) - len(kept)
        self.triples: list[Triples] = [w.triples for w in kept]  # type: ignore[misc]
        self.nquads: list[bytes] = [w.result.nquads for w in kept]
        self.graphs: list[Graph] = [rdflib_graph(triples) for triples in self.triples]
        self.reference_triples = stages.mapper.map_reference()
        self.reference = rdflib_graph(self.reference_triples)
        self.reference_nt = stages.reference_nt
        print(
            f"pages: {len(kept)} graphs ({self.skipped} skipped), "
            f"{sum(len(t) for t in self.triples):,} page triples + {len(self.reference):,} reference triples; "
            f"mapped in {time.perf_counter() - t:.1f} s"
        )


#: ways of handing a run's data over to an engine: (name, label, input kind)
HAND_OVERS = [
    ("graph-rdflib", "rdflib Graph, added triple by triple from the pages' rdflib graphs (the build before the pyoxigraph mapping)", "Graph"),
    ("graph-ox", "rdflib Graph of the pages' pyoxigraph triples (rdflib_graph)", "Graph"),
    ("text-nt", "N-Triples of the pages' pyoxigraph triples, joined (what the build's validate stage does)", "text"),
    ("text-nq", "the pages' N-Quads joined (the encode stage writes them anyway)", "text"),
]


def hand_over(way: str, pages: Pages, u: Sequence[int]) -> object:
    if way == "graph-rdflib":
        data = Graph()
        for triple in pages.reference:
            data.add(triple)
        for i in u:
            for triple in pages.graphs[i]:
                data.add(triple)
        return data
    if way == "graph-ox":
        return rdflib_graph(itertools.chain(pages.reference_triples, *(pages.triples[i] for i in u)))
    if way == "text-nt":
        return b"".join([pages.reference_nt, *(ox.serialize(pages.triples[i], format=ox.RdfFormat.N_TRIPLES) or b"" for i in u)])
    return b"".join([pages.reference_nt, *(pages.nquads[i] for i in u)])


def hand_over_graph(reference: Graph, graphs: Sequence[Graph]) -> Graph:
    data = Graph()
    for triple in reference:
        data.add(triple)
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    return data


class Rudof:
    """pyrudof with the shapes read once."""

    def __init__(self, shapes: Graph) -> None:
        import pyrudof

        self.module = pyrudof
        self.session = pyrudof.Rudof(pyrudof.RudofConfig())
        self.session.read_shacl(shapes.serialize(format="turtle"), format=pyrudof.ShaclFormat.Turtle)

    def validate(self, text: bytes) -> list[tuple[str, str | None]]:
        self.session.reset_data()
        self.session.read_data(text.decode("utf-8"), format=self.module.RDFFormat.NQuads)
        report = self.session.validate_shacl(mode=self.module.ShaclValidationMode.Native)
        return [(entry.focus_node, entry.path) for entry in report]


def runner(engine: str, way: str, shapes: Graph, rudof: Rudof | None) -> Callable[[object], Sequence]:
    if engine == "pyrudof":
        assert rudof is not None
        return rudof.validate  # type: ignore[return-value]
    if way == "Graph":
        return lambda data: validate_graph(data, shapes=shapes, ontology=Graph(), engine=engine).violations  # type: ignore[arg-type]
    return lambda data: validate_batch(data, shapes=shapes, engine=engine).violations  # type: ignore[arg-type]


def units(n: int, mode: str, batch: int, sample: int) -> list[list[int]]:
    if mode == "per page":
        step = max(n // sample, 1)
        return [[i] for i in range(0, n, step)][:sample]
    if mode == "per batch":
        return [list(range(i, min(i + batch, n))) for i in range(0, n, batch)]
    return [list(range(n))]


def measure(pages: Pages, shapes: Graph, rudof: Rudof | None, modes: list[str], batch: int, sample: int, repeat: int) -> None:
    n = len(pages.graphs)
    table: dict[tuple[str, str], dict[str, float]] = {}
    handover: dict[str, dict[str, float]] = {}
    results: dict[tuple[str, str, str], int] = {}
    for mode in modes:
        runs = units(n, mode, batch, sample)
        counted = sum(len(u) for u in runs)
        inputs: dict[str, list[object]] = {}
        for way, _label, kind in HAND_OVERS:
            best = float("inf")
            for _ in range(repeat):
                made = []
                cpu = 0.0
                for u in runs:
                    t = time.process_time()
                    made.append(hand_over(way, pages, u))
                    cpu += time.process_time() - t
                best = min(best, cpu)
            handover.setdefault(way, {})[mode] = 1000 * best / counted
            if way in ("graph-ox", "text-nt"):
                inputs[kind] = made
        for engine, way in ROWS:
            if engine == "pyrudof" and rudof is None:
                continue
            run = runner(engine, way, shapes, rudof)
            best = float("inf")
            wall = time.perf_counter()
            for _ in range(repeat):
                cpu = 0.0
                found = 0
                for data in inputs[way]:
                    t = time.process_time()
                    found += len(run(data))
                    cpu += time.process_time() - t
                best = min(best, cpu)
            wall = (time.perf_counter() - wall) / repeat
            cpu = best
            table.setdefault((engine, way), {})[mode] = 1000 * cpu / counted
            results[(engine, way, mode)] = found
            print(f"  {mode:9} {engine:13} {way:5}: {1000 * cpu / counted:7.2f} ms/page CPU ({len(runs)} runs, {wall:.1f} s wall, {found} results)", flush=True)
        del inputs
    print()
    print(f"CPU ms per page (N = {n}; batch = {batch}; per page: {min(sample, n)} pages; best of {repeat})")
    print()
    print("| engine | data | " + " | ".join(modes) + " |")
    print("|---|---|" + "---|" * len(modes))
    for way, label, _kind in HAND_OVERS:
        print(f"| hand-over | {label} | " + " | ".join(f"{handover[way][m]:.2f}" for m in modes) + " |")
    for (engine, way), by_mode in table.items():
        print(f"| {engine} | {way} | " + " | ".join(f"{by_mode[m]:.2f}" for m in modes) + " |")
    nonzero = {k: v for k, v in results.items() if v}
    print()
    print(f"results on the generated pages: {'none, every engine and mode' if not nonzero else nonzero}")


def broken(pages: Pages, batch: int) -> list[Graph]:
    """Copies of the first ``batch`` pages' graphs, each with one kind of fault."""
    out = []
    for n, page in enumerate(pages.graphs[:batch]):
        g = Graph()
        g += page
        kind = n % 5
        if kind == 0:  # missing required property
            for person in set(g.subjects(RDF.type, URIRef(SCHEMA + "Person"))):
                g.remove((person, URIRef(SCHEMA + "name"), None))
        elif kind == 1:  # wrong class on a linked node
            for statement in set(g.subjects(RDF.type, URIRef(OSCE + "Statement"))):
                g.set((statement, URIRef(SCHEMA + "creator"), SECRETARIAT))
        elif kind == 2:  # impossible xsd:date (not on a meeting with an end date: pyshacl may raise there)
            for item in set(g.subjects(RDF.type, URIRef(OSCE + "NewsItem"))):
                g.set((item, URIRef(SCHEMA + "datePublished"), Literal("2021-02-30", datatype=XSD_DATE)))
            for meeting in set(g.subjects(RDF.type, URIRef(OSCE + "Meeting"))):
                if (meeting, URIRef(SCHEMA + "endDate"), None) not in g:
                    g.set((meeting, URIRef(SCHEMA + "startDate"), Literal("2021-02-30", datatype=XSD_DATE)))
        elif kind == 3:  # too many values
            for item in set(g.subjects(RDF.type, URIRef(OSCE + "NewsItem"))):
                g.add((item, URIRef(SCHEMA + "headline"), Literal("A second headline", lang="en")))
        else:  # wrong datatype
            for person, name in list(g.subject_objects(URIRef(SCHEMA + "name"))):
                if (person, RDF.type, URIRef(SCHEMA + "Person")) in g:
                    g.set((person, URIRef(SCHEMA + "name"), Literal(str(name), lang="en")))
        out.append(g)
    return out


def compare_on_faults(pages: Pages, shapes: Graph, rudof: Rudof | None, batch: int) -> None:
    graphs = broken(pages, batch)
    data = hand_over_graph(pages.reference, graphs)
    text = ox.serialize(list(graph_triples(data)), format=ox.RdfFormat.N_TRIPLES) or b""
    key = lambda v: (v.focus_node, v.path, v.severity, v.source_shape, v.message, v.value)  # noqa: E731
    reference = validate_batch(text, shapes=shapes, engine="pyshacl")
    expected = Counter(key(v) for v in reference.violations)
    print()
    print(f"results on {len(graphs)} pages with faults + the reference graph ({len(data):,} triples):")
    print()
    print("| engine | results | as pyshacl's | only this engine's | missing | CPU ms |")
    print("|---|---|---|---|---|---|")
    for engine in ("pyshacl", "pyshacl-turbo", "auto"):
        t = time.process_time()
        report = validate_batch(text, shapes=shapes, engine=engine)
        cpu = 1000 * (time.process_time() - t)
        got = Counter(key(v) for v in report.violations)
        label = engine if engine != "auto" else f"auto (gave {report.engine}'s)"
        print(f"| {label} | {sum(got.values())} | {sum((got & expected).values())} | {sum((got - expected).values())} | {sum((expected - got).values())} | {cpu:.0f} |")
        if engine == "pyshacl-turbo":
            extra = got - expected
            for k in sorted(extra)[:3]:
                print(f"|   only pyshacl-turbo: {k[0].rsplit('/', 1)[-1]} {k[1].rsplit('/', 1)[-1]} {k[5]}: {k[4][:50]} | | | | | |")
    if rudof is not None:
        t = time.process_time()
        found = Counter(rudof.validate(text))
        cpu = 1000 * (time.process_time() - t)
        wanted = Counter((v.focus_node, v.path) for v in reference.violations)
        print(f"| pyrudof (focus, path) | {sum(found.values())} | {sum((found & wanted).values())} | {sum((found - wanted).values())} | {sum((wanted - found).values())} | {cpu:.0f} |")
        for k in sorted(wanted - found)[:3]:
            print(f"|   missed by pyrudof: {k[0].rsplit('/', 1)[-1]} {k[1].rsplit('/', 1)[-1]} | | | | | |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="N generated pages (default 1000)")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "osce-kg-validation-bench")
    parser.add_argument("--batch", type=int, default=200, help="pages per batch (default 200)")
    parser.add_argument("--sample", type=int, default=40, help="pages validated one by one (default 40)")
    parser.add_argument("--modes", default="per page,per batch,whole", help="comma-separated: per page, per batch, whole")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement, the least CPU time kept (default 1)")
    parser.add_argument("--no-rudof", action="store_true", help="leave pyrudof out")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # rdflib logs every ill-typed literal it meets

    folder = args.work / f"pages-{args.pages}"
    if not folder.is_dir():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(args.pages), str(folder), "--seed", "1"], check=True)
    rudof_version = None
    if not args.no_rudof:
        try:
            rudof_version = version("pyrudof")
        except Exception:  # noqa: BLE001 - not installed
            rudof_version = None
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; "
        f"date {dt.date.today().isoformat()}; pyshacl {version('pyshacl')}, pyshacl-turbo {version('pyshacl-turbo')}, "
        f"pyrudof {rudof_version or 'not used'}, rdflib {version('rdflib')}, pyoxigraph {version('pyoxigraph')}"
    )
    pages = Pages(folder)
    shapes = load_shapes()
    rudof = Rudof(shapes) if rudof_version else None
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    measure(pages, shapes, rudof, modes, args.batch, args.sample, max(args.repeat, 1))
    compare_on_faults(pages, shapes, rudof, args.batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
