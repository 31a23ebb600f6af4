"""The main process's side of a build: each page's graph goes to the
release writer as it arrives, then the reference and ontology graphs; the
checks only the merged data can fail become SHACL results
(ARCHITECTURE.md, "Pipeline").
"""

from __future__ import annotations

import json
import logging
import time
from array import array
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..errors import SourceError
from ..identity import PersonIndex, Resolution, read_registry, resolve, split_resolvable
from ..mapping import IDENTITY_GRAPH, REFERENCE_GRAPH, Mapper
from ..publish.dumps import DataStats, MergedCheck, MergedFinding, ReleaseWriter, trig_block
from ..publish.formats import ONTOLOGY_GRAPH, DumpFile
from ..records import PersonMention
from ..reference import ReferenceData
from ..resources import ontology_file
from ..serialize import load_context
from ..validate import ValidationReport, Violation, load_shapes
from ..vocab import IriMinter

__all__ = ["Assembly", "cross_page_report", "merged_checks", "merge_reports"]

logger = logging.getLogger(__name__)

#: the parts of a spooled page: graph name, quads naming no person, the
#: others, TriG block, languages of its persons (JSON)
_SPOOLED = 5


def merged_checks(shapes: Graph | None = None) -> list[MergedCheck]:
    """The constraints of the shapes that only merged data can fail.

    Every page's graph is validated on its own, so what merging pages can
    break is a limit on how many values a node has (``sh:maxCount``: a
    meeting two pages give different end dates, a person with two names)
    and the order of two values (``sh:lessThanOrEquals``: a start from one
    page after an end from another). Both are read from the node shapes'
    property shapes with a simple path."""
    shapes = shapes if shapes is not None else load_shapes()
    checks = []
    for node_shape, target in shapes.subject_objects(SH.targetClass):
        for prop in shapes.objects(node_shape, SH.property):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue
            message = str(shapes.value(prop, SH.message) or "")
            shape = f"_:{prop}" if isinstance(prop, BNode) else str(prop)
            max_count = shapes.value(prop, SH.maxCount)
            if max_count is not None:
                checks.append(MergedCheck(str(target), str(path), shape, message, max_count=int(max_count)))
            other = shapes.value(prop, SH.lessThanOrEquals)
            if isinstance(other, URIRef):
                checks.append(MergedCheck(str(target), str(path), shape, message, other=str(other)))
    return sorted(checks, key=lambda c: (c.target, c.path, c.shape, c.max_count or 0, c.other or ""))


class Assembly:
    """The release writer of one build, fed page by page.

    A page that names no person goes to the release writer as it arrives;
    a page that names persons gives the union its other quads at once and
    is spooled to a scratch file (memory does not grow with the site) while
    its persons go to a :class:`PersonIndex`. At :meth:`finish` person
    resolution decides the persons across pages
    (:func:`osce_kg.identity.resolve`) and each spooled page goes to the
    writer with its persons resolved, followed by the identity graph
    (evidence-based intervals), the reference and ontology graphs.

    Args:
        minter: IRIs of the build.
        reference: folder of the reference tables, or ``None``.
        folder: the (incoming) release folder the dumps are written to.
        scratch: a folder for working files.
        previous: the previous release (its persons keep their IRIs), or ``None``.
    """

    def __init__(self, minter: IriMinter, reference: Path | None, folder: Path, scratch: Path, previous: Path | None = None) -> None:
        self.minter = minter
        self.ref = ReferenceData.load(reference) if reference else ReferenceData.load()
        self.mapper = Mapper(self.ref, minter)
        self.writer = ReleaseWriter(folder, scratch, load_context(), merged_checks())
        self.ref_name = str(minter.graph(REFERENCE_GRAPH))
        self.identity_name = str(minter.graph(IDENTITY_GRAPH))
        self.ontology_name = str(minter.graph(ONTOLOGY_GRAPH))
        self.previous = previous
        self.persons = PersonIndex()
        self.spool = (scratch / "pages.spool").open("w+b")
        self.pages = array("q")  # sizes of the spooled parts of each page, _SPOOLED a page (see add_page)
        self.resolution: Resolution | None = None
        self.seconds = 0.0  # CPU seconds of person resolution (reading the registry, resolving, rewriting)

    def add_page(self, graph: str, nquads: bytes, block: bytes, persons: Sequence[PersonMention] = ()) -> None:
        """Add the page graph ``graph``: its N-Quads, TriG block and persons.

        A page that names no person goes to the release writer now. Of a
        page that names persons, the quads without a person or membership
        IRI go to the union now and the page is spooled (its graph name,
        those quads, the others, its TriG block, its persons' languages as
        JSON; memory keeps only the five sizes): the rest waits for person
        resolution."""
        if not nquads:
            return
        if not persons:
            self.writer.add_graph(graph, nquads, block or None)
            return
        part, rest = split_resolvable(nquads)
        self.writer.add_to_union(graph, rest)
        languages = json.dumps(self.persons.add(persons)).encode("utf-8")
        spooled = (graph.encode("utf-8"), rest, part, block, languages)
        for data in spooled:
            self.spool.write(data)
        self.pages.extend(len(data) for data in spooled)

    def finish(self) -> tuple[list[DumpFile], DataStats, list[MergedFinding]]:
        """Resolve the persons, write the spooled pages, the identity,
        reference and ontology graphs and the union dumps.

        Raises:
            SourceError: when the ontology file cannot be read.
        """
        started = time.process_time()
        registry = read_registry(self.previous / "osce-kg.nt", self.minter.base) if self.previous is not None else {}
        resolution = self.resolution = resolve(self.persons, self.mapper, registry)
        self.seconds = time.process_time() - started  # plus each page's rewrite, below
        self.spool.flush()
        self.spool.seek(0)
        for n in range(0, len(self.pages), _SPOOLED):
            name, rest, part, block, languages = (self.spool.read(size) for size in self.pages[n:n + _SPOOLED])
            graph = name.decode("utf-8")
            t = time.process_time()
            rewritten = resolution.rewrite(part, json.loads(languages))
            if rewritten is not None:
                part = rewritten
                block = trig_block(graph, (q.triple for q in ox.parse(rest + part, format=ox.RdfFormat.N_QUADS)))
            self.seconds += time.process_time() - t
            self.writer.add_graph(graph, rest + part, block or None, union_part=part)
        self.spool.close()
        identity = ox.NamedNode(self.identity_name)
        intervals = self.mapper.map_evidence_intervals(resolution.intervals)
        self.writer.add_graph(self.identity_name, ox.serialize(intervals.quads(identity), format=ox.RdfFormat.N_QUADS) or b"")
        reference = ox.NamedNode(self.ref_name)
        triples = self.mapper.map_reference()
        self.writer.add_graph(self.ref_name, ox.serialize(triples.quads(reference), format=ox.RdfFormat.N_QUADS) or b"")
        file = ontology_file()
        ontology = ox.NamedNode(self.ontology_name)
        try:
            quads = [ox.Quad(t.subject, t.predicate, t.object, ontology) for t in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE)]
        except (OSError, SyntaxError, ValueError) as exc:
            raise SourceError(file, f"cannot load the ontology: {exc}") from exc
        self.writer.add_graph(self.ontology_name, ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", in_union=False)
        return self.writer.finish()


def cross_page_report(findings: Sequence[MergedFinding], known: set[tuple[str, str]]) -> ValidationReport:
    """SHACL results of the merged checks' ``findings`` (the shapes' own
    messages, "(merged from several pages)"); a node and path a page's own
    validation flagged already (``known``) is not reported twice."""
    report = Graph()
    report.bind("sh", SH)
    violations: list[Violation] = []
    seen = set()
    for finding in findings:
        check = finding.check
        key = (finding.focus, check.path, check.shape)
        if key in seen or (finding.focus, check.path) in known:
            continue
        seen.add(key)
        message = f"{check.message} (merged from several pages)"
        result = BNode()
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, URIRef(finding.focus)))
        report.add((result, SH.resultPath, URIRef(check.path)))
        report.add((result, SH.resultSeverity, SH.Violation))
        report.add((result, SH.sourceShape, URIRef(check.shape) if not check.shape.startswith("_:") else BNode(check.shape[2:])))
        report.add((result, SH.resultMessage, Literal(message)))
        violations.append(Violation(finding.focus, check.path, message, "Violation", check.shape, None))
    if violations:
        top = BNode()
        report.add((top, RDF.type, SH.ValidationReport))
        report.add((top, SH.conforms, Literal(False)))
        for result in report.subjects(RDF.type, SH.ValidationResult):
            report.add((top, SH.result, result))
    logger.info("cross-page checks: %d results", len(violations))
    return ValidationReport(conforms=not violations, violations=tuple(violations), report_graph=report)


def merge_reports(pages: Sequence[bytes], extra: Graph | None) -> Graph:
    """One SHACL report graph from per-page result graphs (N-Triples)."""
    merged = Graph()
    merged.bind("sh", SH)
    for data in pages:
        merged.parse(data=data.decode("utf-8"), format="nt")
    if extra is not None:
        for triple in extra:
            merged.add(triple)
    reports = set(merged.subjects(RDF.type, SH.ValidationReport))
    results = set(merged.objects(None, SH.result))
    for report in reports:
        merged.remove((report, None, None))
    top = BNode()
    merged.add((top, RDF.type, SH.ValidationReport))
    violations = any(
        severity == SH.Violation for result in results for severity in merged.objects(result, SH.resultSeverity)
    )
    merged.add((top, SH.conforms, Literal(not violations)))
    for result in results:
        merged.add((top, SH.result, result))
    return merged
