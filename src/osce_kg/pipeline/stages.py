"""The per-page stages: read, extract, map, validate, encode (ARCHITECTURE.md,
"Pipeline").

Each stage is a callable ``stage(batch: list[PageWork]) -> None`` that fills
in the pages of the batch it is given (the pages already skipped or taken
from the cache are left alone). :class:`Stages` builds them once per worker
from a :class:`~osce_kg.pipeline.config.BuildConfig`; the runner
(:mod:`osce_kg.pipeline.runner`) times them and collects their
diagnostics. A stage never raises for a bad page: the page is skipped with
the reason, and the batch goes on.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from ..errors import SourceError, display
from ..extract import extract_page
from ..mapping import Mapper
from ..oxterms import Triples
from ..provenance import add_fetch_provenance, provenance_key
from ..publish.dumps import trig_block
from ..records import PageRecord, SourcePage
from ..reference import ReferenceData
from ..sources import SourceRef, read_source
from ..validate import ValidationReport, load_shapes, validate_batch
from ..vocab import OSCE, IriMinter
from .cache import PageCache
from .config import BuildConfig
from .results import Diagnostic, PageResult

__all__ = ["PageWork", "Stage", "Stages"]

logger = logging.getLogger(__name__)

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NEWS_ITEM = ox.NamedNode(str(OSCE.NewsItem))
_STATEMENT = ox.NamedNode(str(OSCE.Statement))


@dataclass
class PageWork:
    """A page on its way through the stages (lives in one worker)."""

    ref: SourceRef
    result: PageResult
    page: SourcePage | None = None
    record: PageRecord | None = None
    triples: Triples | None = None
    done: bool = False  # skipped or from the cache: later stages leave it alone

    def skip(self, reason: str) -> None:
        self.result.skipped = reason
        self.done = True


Stage = Callable[[list[PageWork]], None]


class Stages:
    """The stages of one build, built once per worker process.

    Args:
        config: the build's configuration.
        fingerprint: code/data fingerprint, part of every cache key.
    """

    def __init__(self, config: BuildConfig, fingerprint: str) -> None:
        self.config = config
        self.ref = ReferenceData.load(config.reference) if config.reference else ReferenceData.load()
        self.minter = IriMinter(config.base_iri)
        self.mapper = Mapper(self.ref, self.minter)
        self.shapes = load_shapes()
        self.cache = PageCache(config.cache, fingerprint, self.minter.base) if config.cache else None
        # validated with every batch: sh:class on linked States, structures and concepts needs their types
        self.reference_nt = ox.serialize(self.mapper.map_reference(), format=ox.RdfFormat.N_TRIPLES) or b""

    def named(self) -> list[tuple[str, Stage]]:
        """``(name, stage)`` in the order they run."""
        return [("read", self.read), ("extract", self.extract), ("map", self.map), ("validate", self.validate), ("encode", self.encode)]

    # ------------------------------------------------------------------ stages
    def read(self, batch: list[PageWork]) -> None:
        """Read each file (decoding it); a page whose cached result is valid
        is done here."""
        for work in batch:
            try:
                page = read_source(work.ref)
            except SourceError as exc:
                work.skip(exc.reason)
                continue
            work.page = page
            result = work.result
            result.sha256, result.modified, result.fetched = page.sha256, page.modified, page.fetched
            if self.cache is not None:
                cached = self.cache.get(work.ref.key, page.sha256 + "\n" + provenance_key(page))
                if cached is not None:
                    cached.path, cached.modified, cached.fetched, cached.cached = str(work.ref.path), page.modified, page.fetched, True
                    cached.timings = {}
                    work.result = cached
                    work.done = True

    def extract(self, batch: list[PageWork]) -> None:
        """Extract each page's records (:func:`osce_kg.extract.extract_page`)."""
        for work in _pending(batch):
            assert work.page is not None
            try:
                work.record = extract_page(work.page, self.ref)
            except SourceError as exc:
                work.skip(exc.reason)
            except Exception as exc:  # a bug must not kill a large build: name the page
                logger.error("%s: internal error\n%s", display(work.ref.path), traceback.format_exc())
                work.skip(f"internal error while extracting: {type(exc).__name__}: {exc}")
            else:
                for message in work.record.warnings:
                    work.result.diagnostics.append(Diagnostic(work.ref.key, "extract", "warning", "extract", message))
                if self.config.keep_records:
                    work.result.record = work.record

    def map(self, batch: list[PageWork]) -> None:
        """Map each record to the triples of the page's named graph."""
        for work in _pending(batch):
            assert work.record is not None and work.page is not None
            try:
                triples = self.mapper.map_page(work.record)
                graph = ox.NamedNode(self.minter.page_graph(work.record.source.key))
                add_fetch_provenance(triples, graph, work.page)
            except Exception as exc:  # noqa: BLE001 - name the page, go on
                logger.error("%s: internal error\n%s", display(work.ref.path), traceback.format_exc())
                work.skip(f"internal error while mapping: {type(exc).__name__}: {exc}")
                continue
            work.triples = triples
            result = work.result
            result.graph = graph.value
            result.triples = len(triples)
            result.items = len(triples.subjects(_RDF_TYPE, _NEWS_ITEM))
            result.statements = len(triples.subjects(_RDF_TYPE, _STATEMENT))
            result.persons = self.mapper.person_mentions(work.record)

    def validate(self, batch: list[PageWork]) -> None:
        """Validate the batch's graphs together, with the reference graph,
        in one run of the SHACL engine. A result whose focus node one page
        states is that page's; when several pages of the batch state it,
        each of them is validated alone, so a page is never blamed for
        another (conflicts between pages are the cross-page checks'
        business) and the outcome does not depend on the batching."""
        pending = [w for w in _pending(batch) if w.triples is not None]
        if not pending:
            return
        owner: dict[str, list[int]] = {}
        for n, work in enumerate(pending):
            assert work.triples is not None
            for t in work.triples:
                if isinstance(t.subject, ox.NamedNode):
                    owners = owner.setdefault(t.subject.value, [])
                    if not owners or owners[-1] != n:
                        owners.append(n)
        report = self._validate([w.triples for w in pending])  # type: ignore[misc]
        if not report.violations:
            return
        alone: set[int] = set()
        for violation in report.violations:
            owners = owner.get(violation.focus_node, [])
            if len(owners) == 1:
                pending[owners[0]].result.violations.append(violation)
            elif owners:
                alone.update(owners)
            else:
                logger.error("reference data does not conform: %s", violation.line())
        for n in sorted(alone):
            pending[n].result.violations = list(self._validate_alone(pending[n]).violations)
        for work in pending:
            if work.result.violations:
                work.result.report_nt = self._validate_alone(work).report_graph.serialize(format="nt", encoding="utf-8")

    def encode(self, batch: list[PageWork]) -> None:
        """Each page's graph as N-Quads and as a TriG block (the forms the
        release writer takes); cache it."""
        for work in _pending(batch):
            if work.triples is None:
                continue
            graph = ox.NamedNode(work.result.graph)
            work.result.nquads = ox.serialize(work.triples.quads(graph), format=ox.RdfFormat.N_QUADS) or b""
            work.result.trig = trig_block(graph.value, work.triples)
            if self.cache is not None and work.page is not None:
                self.cache.put(work.ref.key, work.page.sha256 + "\n" + provenance_key(work.page), work.result)

    # ------------------------------------------------------------------ validation helpers
    def _validate(self, graphs: Sequence[Triples]) -> ValidationReport:
        data = b"".join([self.reference_nt, *(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"" for triples in graphs)])
        return validate_batch(data, shapes=self.shapes)

    def _validate_alone(self, work: PageWork) -> ValidationReport:
        """One page's graph with the reference graph, results on the page's
        own subjects only."""
        assert work.triples is not None
        report = self._validate([work.triples])
        subjects = {t.subject.value for t in work.triples if isinstance(t.subject, ox.NamedNode)}
        kept = tuple(v for v in report.violations if v.focus_node in subjects)
        if len(kept) != len(report.violations):
            sub = Graph()
            for node in report.report_graph.objects(None, SH.result):
                if str(report.report_graph.value(node, SH.focusNode)) in subjects:
                    for triple in report.report_graph.cbd(node):
                        sub.add(triple)
            report = ValidationReport(conforms=not any(v.severity.endswith("Violation") for v in kept), violations=kept, report_graph=sub)
        return report


def _pending(batch: list[PageWork]) -> list[PageWork]:
    return [w for w in batch if not w.done]
