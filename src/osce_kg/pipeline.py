"""The build: sources -> extract -> map -> validate -> serialize
(ARCHITECTURE.md, "Pipeline"). The CLI's ``build`` command and the Python API
both call :func:`build`; nothing of the pipeline is written twice.

Pages are independent, so :func:`build` processes them one by one in a pool
of worker processes (``jobs``): each worker reads a page, extracts its
records, maps them to the page's own small graph, validates that graph with
pyshacl (together with the types of the reference nodes it links to, focus
on the page's own subjects), and returns it serialised (N-Quads, and JSON-LD
node objects compacted with the project's context). The main process never
builds one rdflib graph of the whole site: it loads the pages' quads into a
pyoxigraph store, runs the few cross-page checks there (nodes stated by
several pages, validated once with pyshacl), and writes the dumps from it.

With a cache folder, a page's result is kept under a hash of its content, its
key, the base IRI and the code/ontology/shapes/reference-data fingerprint; a
rebuild reprocesses only pages whose hash changed.

:func:`build_dataset` is the small, serial, in-memory variant (an rdflib
:class:`~rdflib.Dataset` and the extracted records), used by ``osce-kg
eval`` and the tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from .notes import group_warnings
from .dumps import (
    DUMP_FILES,
    ONTOLOGY_GRAPH,
    QUAD_KINDS,
    Publication,
    _check_iri,
    _ontology_quads,
    describe_file,
    write_gzip,
)
from .errors import OsceKgError, SourceError, UsageError, display
from .extract import extract_page
from .mapping import REFERENCE_GRAPH, Mapper
from .oxterms import graph_triples
from .provenance import add_fetch_provenance, crawl_range, provenance_key
from .records import PageRecord
from .reference import ReferenceData
from .resources import context_file, ontology_file, queries_dir, reference_dir, shapes_dir
from .serialize import (
    atomic_output,
    jsonld_nodes,
    load_context,
    remove_stale_temporaries,
    staged_outputs,
    write_jsonld_nodes,
    write_report,
)
from .sources import SUFFIXES, SourceRef, find_sources, read_source
from .validate import ValidationReport, Violation, load_shapes, validate_graph
from .vocab import DEFAULT_BASE_IRI, OSCE, PREFIXES, IriMinter

__all__ = [
    "BuildResult",
    "BuildStopped",
    "PageResult",
    "SkippedPage",
    "build",
    "build_dataset",
    "check_writable_folder",
    "distinct_sources",
    "OUTPUT_FILES",
    "STAGES",
]

logger = logging.getLogger(__name__)

#: output file names in the build folder (besides the dumps of :mod:`.dumps`)
OUTPUT_FILES = {
    "turtle": "osce-kg.ttl",
    "jsonld": "osce-kg.jsonld",
    "report": "validation-report.ttl",
    "build_report": "build-report.json",
}

#: stages whose time :attr:`BuildResult.timings` reports, in seconds
STAGES = ("read", "extract", "map", "validate", "serialize", "assemble", "cross-checks", "dumps")

#: ``invalid`` policies: keep pages whose graph violates the shapes, or leave them out
INVALID_POLICIES = ("keep", "drop")


class BuildStopped(OsceKgError):
    """``strict`` build stopped at the first problem; nothing was written."""

    exit_code = 1


@dataclass(frozen=True)
class SkippedPage:
    """A page that was not exported: its file and the reason, in words."""

    path: Path
    reason: str
    key: str = ""


@dataclass
class PageResult:
    """What the processing of one page gives (picklable, cached).

    Attributes:
        key: the page's key (path relative to its source folder).
        path: the file.
        sha256: hash of the file's bytes.
        modified: the file's modification time (UTC).
        fetched: when the page was fetched (fetch metadata, WARC-Date), if known.
        skipped: the reason the page is not exported, or ``None``.
        warnings: notes on the page (unknown names, unreadable dates).
        graph: IRI of the page's named graph.
        nquads: the page's graph as N-Quads, lines sorted, UTF-8.
        jsonld: the page's node objects compacted with the context (JSON texts).
        triples: triples in the page's graph.
        items / statements: counts of news items and statements.
        violations: SHACL results of the page's graph.
        report_nt: the SHACL results as N-Triples (empty when it conforms).
        timings: stage -> seconds spent on this page.
        cached: True when this result came from the cache.
    """

    key: str
    path: str
    sha256: str = ""
    modified: dt.datetime | None = None
    fetched: dt.datetime | None = None
    skipped: str | None = None
    warnings: list[str] = field(default_factory=list)
    graph: str = ""
    nquads: bytes = b""
    jsonld: list[str] = field(default_factory=list)
    triples: int = 0
    items: int = 0
    statements: int = 0
    violations: list[Violation] = field(default_factory=list)
    report_nt: bytes = b""
    timings: dict[str, float] = field(default_factory=dict)
    cached: bool = False

    @property
    def conforms(self) -> bool:
        """True when the page's graph has no ``sh:Violation``."""
        return not any(v.severity.endswith("Violation") for v in self.violations)


@dataclass
class BuildResult:
    """What a build produced.

    Attributes:
        pages: one :class:`PageResult` per source page, in input order.
        skipped: pages that could not be read or extracted.
        warnings: notes on exported pages, as ``(page key, message)``.
        invalid: pages whose graph violates the shapes, as
            ``(page key, violation)``; with ``invalid="drop"`` they are not
            in the dumps.
        report: the SHACL validation report of the whole build (page checks
            and cross-page checks).
        store: an in-memory Oxigraph store with every graph (pages,
            reference data, ontology).
        outputs: kind -> path of each file written (empty when no folder given).
        triples: distinct triples of the data (union of the data graphs).
        timings: stage -> seconds (see :data:`STAGES`); worker stages are
            summed over pages, so they can exceed the wall time with ``jobs`` > 1.
        processed / cached: pages processed in this run / taken from the cache.
    """

    pages: list[PageResult]
    skipped: list[SkippedPage]
    warnings: list[tuple[str, str]]
    invalid: list[tuple[str, Violation]]
    report: ValidationReport
    store: ox.Store
    base_iri: str
    outputs: dict[str, Path] = field(default_factory=dict)
    triples: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    processed: int = 0
    cached: int = 0

    @property
    def exit_code(self) -> int:
        """0: conforming graph, every page exported; 1: SHACL violations or
        skipped pages (the other pages are exported)."""
        return 1 if self.skipped or not self.report.conforms else 0

    @property
    def exported(self) -> list[PageResult]:
        """Pages whose graph is in the dumps."""
        dropped = {key for key, _ in self.invalid} if self._dropped else set()
        return [p for p in self.pages if p.skipped is None and p.key not in dropped]

    _dropped: bool = False

    @cached_property
    def dataset(self) -> Dataset:
        """The data graphs (pages and reference data, not the ontology) as an
        rdflib :class:`~rdflib.Dataset`; for small builds and tests."""
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        ontology = ox.NamedNode(str(IriMinter(self.base_iri).graph(ONTOLOGY_GRAPH)))
        data = self.store.dump(format=ox.RdfFormat.N_QUADS) or b""
        lines = [line for line in data.split(b"\n") if line and not line.endswith(f" {ontology} .".encode())]
        ds.parse(data=b"\n".join(lines).decode("utf-8"), format="nquads")
        return ds


# --------------------------------------------------------------------------- workers


def code_fingerprint(reference: Path | None = None) -> str:
    """SHA-256 over the package's code and queries, the ontology, the JSON-LD
    context, the shapes and the reference tables: a cached page result is
    valid only for the same fingerprint."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py")) + sorted(queries_dir().glob("*.rq"))
    files += [ontology_file(), context_file(), *sorted(shapes_dir().glob("*.ttl"))]
    files += sorted((reference or reference_dir()).glob("*.csv"))
    for file in files:
        digest.update(file.name.encode("utf-8"))
        digest.update(file.read_bytes())
    return digest.hexdigest()


class PageProcessor:
    """Processes pages: read, extract, map, validate, serialise (one per worker).

    Args:
        base_iri: base of the data IRIs.
        reference: folder of the reference tables (default: the shipped ones).
        cache_dir: folder of cached page results, or ``None``.
        fingerprint: :func:`code_fingerprint`, part of every cache key.
    """

    def __init__(self, base_iri: str, reference: Path | None, cache_dir: Path | None, fingerprint: str) -> None:
        self.ref = ReferenceData.load(reference) if reference else ReferenceData.load()
        self.minter = IriMinter(base_iri)
        self.mapper = Mapper(self.ref, self.minter)
        self.shapes = load_shapes()
        self.context = load_context()
        self.cache_dir = cache_dir
        self.fingerprint = fingerprint
        self.base_iri = self.minter.base
        # validated with every batch of pages: sh:class on linked States,
        # structures and concepts needs their types
        self.reference_graph = self.mapper.map_reference()

    def _cache_path(self, key: str, sha256: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(f"{self.fingerprint}\n{self.base_iri}\n{key}\n{sha256}".encode()).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.pickle"

    def process(self, source: SourceRef) -> PageResult:
        """The :class:`PageResult` of one page (see :meth:`process_many`)."""
        return self.process_many([source])[0]

    def process_many(self, sources: Sequence[SourceRef]) -> list[PageResult]:
        """The :class:`PageResult` of each page, in order; never raises for a
        bad page (the reason is in ``skipped``). The pages' graphs are
        validated together in one pyshacl run (its fixed cost is paid once),
        and each result is attributed to the page whose graph states its
        focus node."""
        prepared = [self._prepare(source) for source in sources]
        pending = [(result, graph) for result, graph, _cache in prepared if graph is not None]
        t = time.perf_counter()
        if pending:
            self._validate_many(pending)
        share = (time.perf_counter() - t) / max(len(pending), 1)
        for result, graph, cache_path in prepared:
            if graph is None:
                continue
            result.timings["validate"] = share
            t4 = time.perf_counter()
            gname = ox.NamedNode(result.graph)
            quads = [ox.Quad(t_.subject, t_.predicate, t_.object, gname) for t_ in graph_triples(graph)]
            data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            result.nquads = b"".join(sorted(line + b"\n" for line in data.split(b"\n") if line))
            result.jsonld = jsonld_nodes(graph, self.context)
            result.timings["serialize"] = time.perf_counter() - t4
            if cache_path is not None:
                self._store(cache_path, result)
        return [result for result, _graph, _cache in prepared]

    def _prepare(self, source: SourceRef) -> tuple[PageResult, Graph | None, Path | None]:
        """Read, extract and map one page: (result so far, its graph or None
        when done already (skipped, cached), cache path)."""
        result = PageResult(key=source.key, path=str(source.path))
        timings = result.timings
        t0 = time.perf_counter()
        try:
            page = read_source(source)
        except SourceError as exc:
            result.skipped = exc.reason
            timings["read"] = time.perf_counter() - t0
            return result, None, None
        result.sha256, result.modified, result.fetched = page.sha256, page.modified, page.fetched
        cache_path = self._cache_path(source.key, page.sha256 + "\n" + provenance_key(page))
        if cache_path is not None and cache_path.is_file():
            try:
                with cache_path.open("rb") as fh:
                    cached: PageResult = pickle.load(fh)
                if not isinstance(cached, PageResult) or cached.key != source.key:
                    raise TypeError(f"not the result of this page: {type(cached).__name__}")
                cached.path, cached.modified, cached.cached = str(source.path), page.modified, True
                cached.timings = {"read": time.perf_counter() - t0}
                return cached, None, None
            except Exception as exc:  # noqa: BLE001 - any damage (truncated, garbage, another class): reprocess
                logger.warning("%s: unreadable cache entry %s (%s: %s); reprocessing", display(source.path), cache_path, type(exc).__name__, exc)
                with contextlib.suppress(OSError):
                    cache_path.unlink()
        t1 = time.perf_counter()
        timings["read"] = t1 - t0
        try:
            record = extract_page(page, self.ref)
            t2 = time.perf_counter()
            timings["extract"] = t2 - t1
            graph = self.mapper.map_page(record)
            graph_iri = self.minter.page_graph(record.source.key)
            add_fetch_provenance(graph, graph_iri, page)
            timings["map"] = time.perf_counter() - t2
        except SourceError as exc:
            result.skipped = exc.reason
            return result, None, None
        except Exception as exc:  # a bug must not kill a large build: name the page
            logger.error("%s: internal error\n%s", display(source.path), traceback.format_exc())
            result.skipped = f"internal error while extracting: {type(exc).__name__}: {exc}"
            return result, None, None
        result.warnings = list(record.warnings)
        # what the graph holds: identical items or statements of a page are one node
        result.items = len(set(graph.subjects(RDF.type, OSCE.NewsItem)))
        result.statements = len(set(graph.subjects(RDF.type, OSCE.Statement)))
        result.graph = str(graph_iri)
        result.triples = len(graph)
        return result, graph, cache_path

    def _validate_many(self, pending: list[tuple[PageResult, Graph]]) -> None:
        """Validate the pages' graphs in one pyshacl run over them and the
        whole reference graph (so reference nodes conform and every
        ``sh:class`` target is typed). A result whose focus node one page
        states is that page's; when several pages of the batch state it, each
        of them is validated alone, so a page is never blamed for another
        (conflicts between pages are the cross-page checks' business), and
        the outcome does not depend on how pages were batched."""
        data = Graph()
        for triple in self.reference_graph:
            data.add(triple)
        owner: dict[URIRef, list[int]] = {}
        for n, (_result, graph) in enumerate(pending):
            for triple in graph:
                data.add(triple)
            for subject in set(graph.subjects()):
                if isinstance(subject, URIRef):
                    owner.setdefault(subject, []).append(n)
        report = validate_graph(data, shapes=self.shapes, ontology=Graph())
        if not report.violations:
            return
        alone: set[int] = set()
        for violation in report.violations:
            owners = owner.get(URIRef(violation.focus_node), [])
            if len(owners) == 1:
                pending[owners[0]][0].violations.append(violation)
            elif owners:
                alone.update(owners)
            else:
                logger.error("reference data does not conform: %s", violation.line())
        for n in alone:  # validating the page alone finds all of its results
            pending[n][0].violations = list(self._validate_alone(pending[n][1]).violations)
        for n, (result, graph) in enumerate(pending):
            if result.violations:
                result.report_nt = self._validate_alone(graph).report_graph.serialize(format="nt", encoding="utf-8")

    def _validate_alone(self, graph: Graph) -> ValidationReport:
        """One page's graph with the reference graph, results on the page's
        own subjects only."""
        data = Graph()
        for triple in self.reference_graph:
            data.add(triple)
        for triple in graph:
            data.add(triple)
        report = validate_graph(data, shapes=self.shapes, ontology=Graph())
        subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
        kept = tuple(v for v in report.violations if v.focus_node in subjects)
        if len(kept) != len(report.violations):
            from rdflib.namespace import SH

            sub = Graph()
            for node in report.report_graph.objects(None, SH.result):
                if str(report.report_graph.value(node, SH.focusNode)) in subjects:
                    for triple in report.report_graph.cbd(node):
                        sub.add(triple)
            report = ValidationReport(conforms=not any(v.severity.endswith("Violation") for v in kept), violations=kept, report_graph=sub)
        return report

    @staticmethod
    def _store(path: Path, result: PageResult) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with atomic_output(path) as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:
            logger.warning("cannot write cache entry %s: %s", path, exc)


_PROCESSOR: PageProcessor | None = None


def _init_worker(base_iri: str, reference: Path | None, cache_dir: Path | None, fingerprint: str, level: int) -> None:
    global _PROCESSOR
    # Ctrl-C is the main process's business: it stops the workers itself
    # (at once, with SIGTERM), so they neither print tracebacks nor linger
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("osce_kg").setLevel(level)
    _PROCESSOR = PageProcessor(base_iri, reference, cache_dir, fingerprint)


def _process_chunk(sources: list[SourceRef]) -> list[PageResult]:
    assert _PROCESSOR is not None
    return _PROCESSOR.process_many(sources)


#: pages validated together in one pyshacl run (its cost per page falls
#: with the batch, as long as no focus-node filter is used)
CHUNK = 200


def _run_pages(
    refs: list[SourceRef],
    jobs: int,
    base_iri: str,
    reference: Path | None,
    cache_dir: Path | None,
    fingerprint: str,
) -> Iterator[PageResult]:
    """Page results in input order, from ``jobs`` worker processes (in this
    process when ``jobs`` is 1 or there is a single chunk of pages).

    The workers ignore SIGINT; when the main process stops early (Ctrl-C,
    ``--strict``, an error) they are terminated at once, not waited for."""
    chunks = [refs[i : i + CHUNK] for i in range(0, len(refs), CHUNK)]
    if jobs <= 1 or len(chunks) <= 1:
        processor = PageProcessor(base_iri, reference, cache_dir, fingerprint)
        for chunk in chunks:
            yield from processor.process_many(chunk)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    level = logging.getLogger("osce_kg").getEffectiveLevel()
    before = set(multiprocessing.active_children())
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(base_iri, reference, cache_dir, fingerprint, level),
    ) as pool:
        try:
            for results in pool.map(_process_chunk, chunks):
                yield from results
        except BaseException:
            # stop now: the workers (ours only) are terminated, not waited for
            for worker in set(multiprocessing.active_children()) - before:
                worker.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


# --------------------------------------------------------------------------- main process


def _sorted_unique(lines: Iterator[bytes] | list[bytes]) -> list[bytes]:
    return sorted(set(lines))


def _merge_reports(pages: Sequence[bytes], extra: Graph | None) -> Graph:
    """One SHACL report graph from per-page result graphs (N-Triples)."""
    from rdflib import BNode, Literal
    from rdflib.namespace import SH

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


def distinct_sources(refs: Sequence[SourceRef]) -> list[SourceRef]:
    """``refs`` with each file once (the same file given twice, or found
    through two of the paths given, is read once: a note says so) and keys
    made distinct: pages that have the same path in two source folders
    (``a/index.html`` and ``b/index.html`` both ``index.html``) are keyed by
    the folder's name and that path (``a/index.html``), then numbered
    (``a/index.html (2)``) if that still collides. Order is kept."""
    seen: dict[tuple[Path, int | None], SourceRef] = {}
    unique: list[SourceRef] = []
    for ref in refs:
        try:
            real = ref.path.resolve()
        except (OSError, RuntimeError):
            real = ref.path.absolute()
        where = (real, ref.record.offset if ref.record is not None else None)  # a WARC file holds many pages
        if where in seen:
            logger.warning("%s: given twice (as %s); read once", display(ref.path), display(seen[where].path))
            continue
        seen[where] = ref
        unique.append(ref)
    counts: dict[str, int] = {}
    for ref in unique:
        counts[ref.key] = counts.get(ref.key, 0) + 1
    taken = {ref.key for ref in unique if counts[ref.key] == 1}
    result: list[SourceRef] = []
    for ref in unique:
        key = ref.key
        if counts[key] > 1:
            parts = ref.path.parts
            depth = len(Path(key).parts)
            folder = parts[-depth - 1] if len(parts) > depth else ""
            key = f"{folder}/{ref.key}" if folder not in ("", ".", "..", "/") else ref.key
            n = 1
            candidate = key
            while candidate in taken:
                n += 1
                candidate = f"{key} ({n})"
            key = candidate
            taken.add(key)
            ref = SourceRef(ref.path, key, ref.record)
        result.append(ref)
    return result


def check_writable_folder(folder: Path, what: str) -> list[Path]:
    """Make sure files can be written in ``folder``: create it (and its
    parents) when missing and write and remove a probe file in it.

    Returns:
        the folders this call created, innermost last (to remove them again
        if the build fails).

    Raises:
        UsageError: naming ``what`` and ``folder`` when that fails (a parent
            that is a file or read-only, no permission, a full disk).
    """
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".osce-kg-probe-"):
            pass
    except OSError as exc:
        for made in missing:
            with contextlib.suppress(OSError):
                made.rmdir()
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileExistsError) or (folder.exists() and not folder.is_dir()):
            reason = "it is a file, not a folder"
        elif isinstance(exc, NotADirectoryError):
            reason = "a parent of it is a file"
        raise UsageError(f"{what} {display(folder)} cannot be written: {reason}; nothing done") from exc
    return list(reversed(missing))


def build(
    sources: Sequence[Path | str],
    out_dir: Path | str | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    reference: Path | str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    publication: Publication | None = None,
    jobs: int = 1,
    cache_dir: Path | str | None = None,
    strict: bool = False,
    invalid: str = "keep",
    allow_empty: bool = False,
) -> BuildResult:
    """Build the knowledge graph of ``sources`` (page files or folders) and,
    when ``out_dir`` is given, write there, each file atomically:
    ``osce-kg.ttl``, ``osce-kg.jsonld``, ``osce-kg.nt`` (the union of the data
    graphs), ``osce-kg.nq`` and ``osce-kg.trig`` (by named graph, plus the
    ontology graph), ``void.ttl``, ``.gz`` copies when
    ``publication.compress``, ``validation-report.ttl`` and
    ``build-report.json``.

    Args:
        jobs: worker processes (1: in this process).
        cache_dir: keep and reuse page results there.
        progress: called as ``progress(done, total, page key)`` after each page.
        strict: stop at the first page that is skipped or violates the
            shapes, raising :class:`BuildStopped`; nothing is written.
        invalid: ``"keep"`` pages whose graph violates the shapes in the
            dumps (listed in the report), or ``"drop"`` them.
        allow_empty: build even when ``sources`` hold no page (a graph of
            the reference data only); else that is an error.

    Paths may be given as :class:`~pathlib.Path` or ``str``. The same file
    given twice (or found in two folders given) is read once; pages of two
    folders that have the same path in their folder (``index.html``) get
    distinct keys (``a/index.html``, ``b/index.html``) and graphs. The output
    folder is checked (created, written to) before any page is read.

    Raises:
        UsageError: for a missing source path, no page at all (unless
            ``allow_empty``), an output or cache folder that cannot be
            written, a bad base IRI or option. Nothing is written then.
        BuildStopped: in ``strict`` mode, at the first problem.
        KeyboardInterrupt: on Ctrl-C; the worker processes are stopped at
            once, the output folder is left as it was.
    """
    sources = [Path(path) for path in sources]
    out_dir = Path(out_dir) if out_dir is not None else None
    cache_dir = Path(cache_dir) if cache_dir is not None else None
    reference = Path(reference) if reference is not None else None
    if invalid not in INVALID_POLICIES:
        raise UsageError(f"invalid must be one of {', '.join(INVALID_POLICIES)}, not {invalid!r}")
    minter = IriMinter(base_iri)
    options = publication or Publication()
    _check_iri(options.license, "--license")
    _check_iri(options.sparql_endpoint, "--sparql-endpoint")
    _check_iri(options.download_base, "--download-base")
    refs = distinct_sources(find_sources(sources))
    if not refs and not allow_empty:
        given = ", ".join(display(path) for path in sources)
        raise UsageError(
            f"no page found in {given} (pages are {', '.join(sorted(SUFFIXES))} files); nothing written "
            "(to build a graph of the reference data only, ask for it: --allow-empty)"
        )
    created: list[Path] = []
    if out_dir is not None:
        created += check_writable_folder(out_dir, "output folder")
    if cache_dir is not None:
        created += check_writable_folder(cache_dir, "cache folder")
    try:
        return _build(
            refs, out_dir, minter, options, reference, progress, jobs, cache_dir, strict, invalid
        )
    except BaseException:
        for folder in reversed(created):  # folders made for this build, still empty
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _build(
    refs: list[SourceRef],
    out_dir: Path | None,
    minter: IriMinter,
    options: Publication,
    reference: Path | None,
    progress: Callable[[int, int, str], None] | None,
    jobs: int,
    cache_dir: Path | None,
    strict: bool,
    invalid: str,
) -> BuildResult:
    """The work of :func:`build` once its arguments are checked."""
    started = time.perf_counter()
    timings = dict.fromkeys(STAGES, 0.0)
    fingerprint = code_fingerprint(reference)

    store = ox.Store()
    pages: list[PageResult] = []
    skipped: list[SkippedPage] = []
    warnings: list[tuple[str, str]] = []
    invalid_pages: list[tuple[str, Violation]] = []
    pending: list[bytes] = []
    # the pages' JSON-LD node texts wait on disk, not in memory, until the dump is written
    jsonld_spool = tempfile.TemporaryFile()

    def flush() -> None:
        if pending:
            store.bulk_load(input=b"".join(pending), format=ox.RdfFormat.N_QUADS)
            pending.clear()

    t_assemble = 0.0
    page_results = _run_pages(refs, jobs, minter.base, reference, cache_dir, fingerprint)
    try:
        for done, page in enumerate(page_results, start=1):
            pages.append(page)
            for stage, seconds in page.timings.items():
                timings[stage] += seconds
            if page.skipped is not None:
                # the CLI names skipped pages itself; API users read BuildResult.skipped
                logger.info("skipped %s: %s", display(page.path), page.skipped)
                skipped.append(SkippedPage(Path(page.path), page.skipped, page.key))
                if strict:
                    raise BuildStopped(f"{display(page.path)}: {page.skipped} (--strict: stopped, nothing written)")
            else:
                for message in page.warnings:
                    # grouped by kind at the end (osce_kg.notes), not once per page
                    logger.debug("%s: %s", display(page.path), message)
                    warnings.append((page.key, message))
                bad = [v for v in page.violations if v.severity.endswith("Violation")]
                for violation in bad:
                    invalid_pages.append((page.key, violation))
                if bad and strict:
                    raise BuildStopped(f"{display(page.path)}: the page's graph violates the shapes: {bad[0].line()} (--strict: stopped, nothing written)")
                if not (bad and invalid == "drop"):
                    t = time.perf_counter()
                    pending.append(page.nquads)
                    for node in page.jsonld:
                        data = node.encode("utf-8")
                        jsonld_spool.write(len(data).to_bytes(4, "big") + data)
                    if len(pending) >= 500:
                        flush()
                    t_assemble += time.perf_counter() - t
            if progress is not None:
                progress(done, len(refs), page.key)
    finally:
        page_results.close()  # on Ctrl-C or --strict: the workers stop now
    t = time.perf_counter()
    flush()
    mapper = Mapper(ReferenceData.load(reference) if reference else ReferenceData.load(), minter)
    reference_graph = mapper.map_reference()
    ref_name = ox.NamedNode(str(mapper.graph_iri(REFERENCE_GRAPH)))
    store.bulk_extend(ox.Quad(t_.subject, t_.predicate, t_.object, ref_name) for t_ in graph_triples(reference_graph))
    ontology_name = ox.NamedNode(str(minter.graph(ONTOLOGY_GRAPH)))
    store.bulk_extend(_ontology_quads(ontology_name))
    timings["assemble"] = t_assemble + time.perf_counter() - t

    t = time.perf_counter()
    cross = _cross_page_checks(store, ref_name, ontology_name)
    timings["cross-checks"] = time.perf_counter() - t
    if strict and not cross.conforms:
        raise BuildStopped(f"cross-page check failed: {cross.violations[0].line()} (--strict: stopped, nothing written)")

    all_violations = [v for p in pages for v in p.violations] + list(cross.violations)
    conforms = not any(v.severity.endswith("Violation") for v in all_violations)
    report_graph = _merge_reports([p.report_nt for p in pages if p.report_nt], cross.report_graph if cross.violations else None)
    report = ValidationReport(conforms=conforms, violations=tuple(all_violations), report_graph=report_graph)
    result = BuildResult(
        pages=pages,
        skipped=skipped,
        warnings=warnings,
        invalid=invalid_pages,
        report=report,
        store=store,
        base_iri=minter.base,
        timings=timings,
        processed=sum(1 for p in pages if not p.cached),
        cached=sum(1 for p in pages if p.cached),
    )
    result._dropped = invalid == "drop"

    t = time.perf_counter()
    nq_lines, nt_lines = _dump_lines(store, ontology_name)
    result.triples = len(nt_lines)
    if out_dir is not None:
        reference_nodes = jsonld_nodes(reference_graph, load_context())
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in remove_stale_temporaries(out_dir):
            logger.warning("removed %s, left by an interrupted build", stale)
        # every file is written to a temporary file first; all are moved into
        # place together at the end, so a killed build leaves the previous set
        with staged_outputs():
            result.outputs = _write_outputs(
                out_dir, result, options, nq_lines, nt_lines, [reference_nodes, _read_spool(jsonld_spool)]
            )
    jsonld_spool.close()
    timings["dumps"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return result


def _cross_page_checks(store: ox.Store, ref_name: ox.NamedNode, ontology_name: ox.NamedNode) -> ValidationReport:
    """Checks that only the merged data can fail, run once over the store.

    Every page's graph conformed on its own, so what merging pages can break
    is a limit on how many values a node has (``sh:maxCount``: a meeting two
    pages give different end dates, a person with two names) and the order
    of two values (``sh:lessThanOrEquals``: a start from one page after an
    end from another). Those constraints are read from the shapes and
    checked with one SPARQL query each on the union of the graphs (distinct
    values, so a triple stated by many pages counts once). Results are
    SHACL results of the shapes' own messages.
    """
    from rdflib import BNode, Literal
    from rdflib.namespace import SH

    shapes = load_shapes()
    report = Graph()
    report.bind("sh", SH)
    violations: list[Violation] = []
    graphs = f"FILTER(?g != {ref_name} && ?g != {ontology_name})"
    for node_shape, target in shapes.subject_objects(SH.targetClass):
        for prop in shapes.objects(node_shape, SH.property):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue
            message = str(shapes.value(prop, SH.message) or "")
            max_count = shapes.value(prop, SH.maxCount)
            queries = []
            if max_count is not None:
                queries.append(
                    f"""SELECT ?s WHERE {{
                          {{ SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{target}> }} {graphs} }} }}
                          {{ SELECT ?s (COUNT(DISTINCT ?o) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{path}> ?o }} {graphs} }} GROUP BY ?s }}
                          FILTER(?n > {int(max_count)}) }}"""
                )
            other = shapes.value(prop, SH.lessThanOrEquals)
            if isinstance(other, URIRef):
                queries.append(
                    f"""SELECT DISTINCT ?s WHERE {{
                          {{ SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{target}> }} {graphs} }} }}
                          {{ SELECT DISTINCT ?s ?a WHERE {{ GRAPH ?g {{ ?s <{path}> ?a }} {graphs} }} }}
                          {{ SELECT DISTINCT ?s ?b WHERE {{ GRAPH ?g {{ ?s <{other}> ?b }} {graphs} }} }}
                          FILTER(?a > ?b) }}"""
                )
            for query in queries:
                for row in store.query(query):
                    focus = row["s"].value
                    result = BNode()
                    report.add((result, RDF.type, SH.ValidationResult))
                    report.add((result, SH.focusNode, URIRef(focus)))
                    report.add((result, SH.resultPath, path))
                    report.add((result, SH.resultSeverity, SH.Violation))
                    report.add((result, SH.sourceShape, prop))
                    report.add((result, SH.resultMessage, Literal(f"{message} (merged from several pages)")))
                    violations.append(
                        Violation(focus, str(path), f"{message} (merged from several pages)", "Violation", str(prop), None)
                    )
    if violations:
        top = BNode()
        report.add((top, RDF.type, SH.ValidationReport))
        report.add((top, SH.conforms, Literal(False)))
        for result in report.subjects(RDF.type, SH.ValidationResult):
            report.add((top, SH.result, result))
    logger.info("cross-page checks: %d results", len(violations))
    return ValidationReport(conforms=not violations, violations=tuple(violations), report_graph=report)


def _read_spool(spool: BinaryIO) -> Iterator[str]:
    """The node texts written to ``spool`` (length-prefixed UTF-8), in order."""
    spool.seek(0)
    while header := spool.read(4):
        yield spool.read(int.from_bytes(header, "big")).decode("utf-8")


def _dump_lines(store: ox.Store, ontology_name: ox.NamedNode) -> tuple[list[bytes], list[bytes]]:
    """Sorted distinct N-Quads lines of the store, and sorted distinct
    N-Triples lines of the union of its data graphs (no ontology)."""
    data = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    nq = _sorted_unique(line for line in data.split(b"\n") if line)
    del data
    suffix = f" {ontology_name} .".encode()
    nt = _sorted_unique(line[: line.rindex(b" <")] + b" ." for line in nq if not line.endswith(suffix))
    return nq, nt


def _graph_first(line: bytes) -> tuple[bytes, bytes]:
    head = line[: line.rindex(b" <")]
    return line[len(head) :], line


def _write_outputs(
    out_dir: Path,
    result: BuildResult,
    options: Publication,
    nq_lines: list[bytes],
    nt_lines: list[bytes],
    jsonld_chunks: list[Iterable[str]],
) -> dict[str, Path]:
    from .void import describe_dataset, stats_from_ntriples, write_void

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / name for kind, name in OUTPUT_FILES.items()}
    prefixes = dict(PREFIXES)
    nt = b"".join(line + b"\n" for line in nt_lines)
    nq = b"".join(line + b"\n" for line in nq_lines)
    written: dict[str, Path] = {}
    with atomic_output(paths["turtle"]) as fh:
        fh.write(ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"")
    written["turtle"] = paths["turtle"]
    write_jsonld_nodes(jsonld_chunks, load_context(), paths["jsonld"])
    written["jsonld"] = paths["jsonld"]
    for kind, data in (("ntriples", nt), ("nquads", nq)):
        path = out_dir / DUMP_FILES[kind]
        with atomic_output(path) as fh:
            fh.write(data)
        written[kind] = path
    trig_input = b"".join(line + b"\n" for line in sorted(nq_lines, key=_graph_first))
    path = out_dir / DUMP_FILES["trig"]
    with atomic_output(path) as fh:
        fh.write(ox.serialize(ox.parse(trig_input, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=prefixes) or b"")
    written["trig"] = path
    del trig_input

    files = []
    outputs: dict[str, Path] = dict(written)
    for kind, file in written.items():
        triples = len(nq_lines) if kind in QUAD_KINDS else len(nt_lines)
        files.append(describe_file(file, kind, triples))
        if options.compress:
            gz = write_gzip(file)
            outputs[f"{kind}.gz"] = gz
            files.append(describe_file(gz, kind, triples))
    exported = result.exported
    modified = max((p.modified for p in exported if p.modified), default=None)
    void = describe_dataset(
        stats_from_ntriples(nt_lines), files, base_iri=result.base_iri, publication=options, modified=modified, pages=len(exported),
        crawl=crawl_range(p.fetched for p in exported),
    )
    outputs["void"] = out_dir / "void.ttl"
    write_void(void, outputs["void"])
    write_report(result.report.report_graph, paths["report"])
    outputs["report"] = paths["report"]
    summary = {
        "pages": len(result.pages),
        "exported": [p.key for p in exported],
        "skipped": [{"page": s.key, "file": str(s.path), "reason": s.reason} for s in result.skipped],
        "invalid": [
            {"page": key, "focus": v.focus_node, "path": v.path, "message": v.message, "dropped": result._dropped}
            for key, v in result.invalid
        ],
        "warnings": [{"page": key, "message": msg} for key, msg in result.warnings],
        "warning_groups": [group.as_json() for group in group_warnings(result.warnings)],
        "triples": len(nt_lines),
        "quads": len(nq_lines),
        "conforms": result.report.conforms,
        "violations": sum(1 for v in result.report.violations if v.severity.endswith("Violation")),
    }
    with atomic_output(paths["build_report"]) as fh:
        fh.write((json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    outputs["build_report"] = paths["build_report"]
    return outputs


def build_dataset(
    sources: Sequence[Path],
    base_iri: str = DEFAULT_BASE_IRI,
    reference: ReferenceData | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> tuple[Dataset, list[PageRecord], list[SkippedPage], list[tuple[str, str]]]:
    """Read, extract and map ``sources`` (files or folders) serially, into
    an rdflib :class:`~rdflib.Dataset` (reference graph plus one named graph
    per page), with the extracted records. No validation, no files: for
    evaluation and tests; :func:`build` is the scalable path.

    Returns:
        ``(dataset, records, skipped pages, warnings as (page key, message))``.

    Raises:
        UsageError: when a source path does not exist or is not a page file.
    """
    ref = reference or ReferenceData.load()
    mapper = Mapper(ref, IriMinter(base_iri))
    refs = distinct_sources(find_sources([Path(path) for path in sources]))
    dataset = mapper.build_dataset(())
    records: list[PageRecord] = []
    skipped: list[SkippedPage] = []
    warnings: list[tuple[str, str]] = []
    for n, source_ref in enumerate(refs, start=1):
        try:
            page = read_source(source_ref)
            record = extract_page(page, ref)
            graph_iri = mapper.minter.page_graph(record.source.key)
            graph = dataset.graph(graph_iri)
            for triple in mapper.map_page(record):
                graph.add(triple)
            add_fetch_provenance(graph, graph_iri, page)
        except SourceError as exc:
            logger.error("skipped %s: %s", display(exc.path), exc.reason)
            skipped.append(SkippedPage(exc.path, exc.reason))
        else:
            records.append(record)
            for message in record.warnings:
                logger.warning("%s: %s", display(source_ref.path), message)
                warnings.append((source_ref.key, message))
        if progress is not None:
            progress(n, len(refs), source_ref.path)
    return dataset, records, skipped, warnings


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)




