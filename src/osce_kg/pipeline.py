"""The build: sources -> extract -> map -> validate -> serialize
(DESIGN.md, "Pipeline"). The CLI's ``build`` command and the Python API
both call :func:`build`; nothing of the pipeline is written twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .dumps import Publication, publish
from .errors import SourceError
from .extract import extract_page
from .mapping import Mapper
from .records import PageRecord
from .reference import ReferenceData
from .serialize import atomic_output, write_jsonld, write_report, write_turtle
from .sources import find_sources, read_source
from .validate import ValidationReport, union_graph, validate_graph
from .vocab import DEFAULT_BASE_IRI, IriMinter

__all__ = ["BuildResult", "SkippedPage", "build", "build_dataset", "OUTPUT_FILES"]

logger = logging.getLogger(__name__)

#: output file names in the build folder
OUTPUT_FILES = {
    "turtle": "osce-kg.ttl",
    "jsonld": "osce-kg.jsonld",
    "report": "validation-report.ttl",
    "build_report": "build-report.json",
}


@dataclass(frozen=True)
class SkippedPage:
    """A page that was not exported: its file and the reason, in words."""

    path: Path
    reason: str


@dataclass
class BuildResult:
    """What a build produced.

    Attributes:
        dataset: reference graph plus one named graph per exported page.
        records: the extracted pages, in input order.
        skipped: pages that could not be read or extracted.
        warnings: notes on exported pages (unknown navigation names, ...),
            as ``(page key, message)``.
        report: the SHACL validation report of the whole graph.
        outputs: kind -> path of each file written (empty when no folder given).
    """

    dataset: Dataset
    records: list[PageRecord]
    skipped: list[SkippedPage]
    warnings: list[tuple[str, str]]
    report: ValidationReport
    outputs: dict[str, Path] = field(default_factory=dict)
    triples: int = 0

    @property
    def exit_code(self) -> int:
        """0: conforming graph, every page exported; 1: SHACL violations;
        2: some input could not be read (the other pages are exported)."""
        if self.skipped:
            return 2
        return 0 if self.report.conforms else 1


def build_dataset(
    sources: Sequence[Path],
    base_iri: str = DEFAULT_BASE_IRI,
    reference: ReferenceData | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> tuple[Dataset, list[PageRecord], list[SkippedPage], list[tuple[str, str]]]:
    """Read, extract and map ``sources`` (files or folders).

    ``progress(done, total, path)`` is called after each page.

    Raises:
        UsageError: when a source path does not exist or is not a page file.
    """
    ref = reference or ReferenceData.load()
    mapper = Mapper(ref, IriMinter(base_iri))
    refs = find_sources(sources)
    dataset = mapper.build_dataset(())
    records: list[PageRecord] = []
    skipped: list[SkippedPage] = []
    warnings: list[tuple[str, str]] = []
    for n, source_ref in enumerate(refs, start=1):
        try:
            page = read_source(source_ref)
            record = extract_page(page, ref)
            mapper.add_page(dataset, record)
        except SourceError as exc:
            logger.error("skipped %s: %s", exc.path, exc.reason)
            skipped.append(SkippedPage(exc.path, exc.reason))
        else:
            records.append(record)
            for message in record.warnings:
                logger.warning("%s: %s", source_ref.path, message)
                warnings.append((source_ref.key, message))
        if progress is not None:
            progress(n, len(refs), source_ref.path)
    return dataset, records, skipped, warnings


def build(
    sources: Sequence[Path],
    out_dir: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    reference: ReferenceData | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    publication: Publication | None = None,
) -> BuildResult:
    """Build the knowledge graph of ``sources`` and, when ``out_dir`` is given,
    write ``osce-kg.ttl``, ``osce-kg.jsonld``, ``validation-report.ttl`` and
    ``build-report.json`` there, each file written atomically, and the
    linked-open-data files of :func:`osce_kg.dumps.publish`: ``osce-kg.nt``,
    ``osce-kg.nq``, ``osce-kg.trig``, ``void.ttl`` (and ``.gz`` copies when
    ``publication.compress``).

    The Turtle, JSON-LD and N-Triples dumps hold the union of all graphs (the
    same triples); validation runs on that union. N-Quads and TriG keep the
    named graphs and add the ontology graph.

    Raises:
        UsageError: for a missing source path or a bad base IRI.
    """
    dataset, records, skipped, warnings = build_dataset(sources, base_iri, reference, progress)
    union: Graph = union_graph(dataset)
    report = validate_graph(union)
    result = BuildResult(dataset, records, skipped, warnings, report, triples=len(union))
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {kind: out_dir / name for kind, name in OUTPUT_FILES.items()}
        write_turtle(union, paths["turtle"])
        write_jsonld(union, paths["jsonld"])
        modified = max((r.source.modified for r in records), default=None)
        paths.update(
            publish(
                dataset,
                out_dir,
                base_iri=base_iri,
                written={"turtle": paths["turtle"], "jsonld": paths["jsonld"]},
                modified=modified,
                pages=len(records),
                publication=publication,
            )
        )
        write_report(report.report_graph, paths["report"])
        summary = {
            "pages": len(records) + len(skipped),
            "exported": [r.source.key for r in records],
            "skipped": [{"file": str(s.path), "reason": s.reason} for s in skipped],
            "warnings": [{"page": key, "message": msg} for key, msg in warnings],
            "triples": len(union),
            "conforms": report.conforms,
            "violations": len([v for v in report.violations if v.severity.endswith("Violation")]),
        }
        with atomic_output(paths["build_report"]) as fh:
            fh.write((json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        result.outputs = paths
    return result
