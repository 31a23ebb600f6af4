"""The build: sources -> read -> extract -> map -> validate -> encode per
page, then assemble -> cross-page checks -> publish (ARCHITECTURE.md,
"Pipeline"). :func:`build` is the one build path: the CLI's ``build``,
``osce-kg eval``, the tests and the Python API all call it with a
:class:`BuildConfig`.

The per-page stages (:mod:`.stages`) run in batches, in this process, a
process pool or on Dask (:mod:`.runner`); the main process loads each
page's N-Quads into an Oxigraph store as they come (on disk when a release
is written, so memory does not grow with the site), runs the checks only
merged data can fail, and publishes the release from the store
(:mod:`osce_kg.publish`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from typing import Any
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from ..errors import OsceKgError, UsageError, display
from ..notes import group_warnings
from ..provenance import crawl_range
from ..publish.dumps import DataStats, compress, file_sha256
from ..publish.formats import DumpFile
from ..publish.changes import CHANGES, diff_releases, write_changes
from ..publish.release import LOCK, STORE, Release
from ..publish.feed import FEED, write_feed
from ..publish.site import site_root, write_site
from ..publish.void import describe_dataset, write_void
from ..serialize import write_report
from ..sources import SUFFIXES, SourceRef, find_sources
from ..store import load_store_folder
from ..validate import ValidationReport, Violation
from ..vocab import PREFIXES, IriMinter
from .assemble import Assembly, cross_page_report, merge_reports
from .config import EXECUTORS, INVALID_POLICIES, BuildConfig
from .runner import code_fingerprint, run_pages
from .results import Diagnostic, PageResult

__all__ = [
    "BuildConfig",
    "BuildResult",
    "BuildStopped",
    "Diagnostic",
    "EXECUTORS",
    "INVALID_POLICIES",
    "OUTPUT_FILES",
    "PageResult",
    "SkippedPage",
    "STAGES",
    "build",
    "check_writable_folder",
    "default_jobs",
    "distinct_sources",
]

logger = logging.getLogger(__name__)

#: file names of a release besides the dumps of :data:`osce_kg.publish.formats.DUMPS`
OUTPUT_FILES = {
    "void": "void.ttl",
    "report": "validation-report.ttl",
    "build_report": "build-report.json",
}

#: stages whose time :attr:`BuildResult.timings` reports, in seconds: the
#: per-page stages (summed over pages, so over workers), then the main process's
STAGES = ("read", "extract", "map", "validate", "encode", "assemble", "publish", "cross-checks")


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
class BuildResult:
    """What a build produced.

    Attributes:
        config: the build's configuration.
        pages: one :class:`PageResult` per source page, in input order
            (without their N-Quads, which are in the store or the release).
        skipped: pages that could not be read or extracted.
        diagnostics: every note of every stage on every page.
        invalid: pages whose graph violates the shapes, as
            ``(page key, violation)``; with ``invalid="drop"`` they are not
            in the release.
        report: the SHACL validation report of the whole build (page checks
            and cross-page checks).
        release: the folder of the release written (``None`` without output).
        outputs: kind -> path of each file of the release.
        triples / quads: distinct triples of the data (union of the data
            graphs) / quads of the named graphs (ontology included).
        timings: stage -> CPU seconds (see :data:`STAGES`; worker stages
            summed over pages, whichever process ran them), and ``total``:
            the wall time of the build.
        processed / cached: pages processed in this run / taken from the cache.
    """

    config: BuildConfig
    pages: list[PageResult]
    skipped: list[SkippedPage]
    diagnostics: list[Diagnostic]
    invalid: list[tuple[str, Violation]]
    report: ValidationReport
    release: Path | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    triples: int = 0
    quads: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    processed: int = 0
    cached: int = 0
    memory_store: ox.Store | None = None
    persons: dict[str, Any] = field(default_factory=dict)

    @property
    def base_iri(self) -> str:
        return self.config.base_iri

    @property
    def exit_code(self) -> int:
        """0: conforming graph, every page exported; 1: SHACL violations or
        skipped pages (the other pages are exported)."""
        return 1 if self.skipped or not self.report.conforms else 0

    @property
    def warnings(self) -> list[tuple[str, str]]:
        """The extraction's notes as ``(page key, message)``."""
        return [(d.page, d.message) for d in self.diagnostics if d.stage == "extract" and d.level == "warning"]

    @property
    def exported(self) -> list[PageResult]:
        """Pages whose graph is in the release."""
        dropped = {key for key, _ in self.invalid} if self.config.invalid == "drop" else set()
        return [p for p in self.pages if p.skipped is None and p.key not in dropped]

    @property
    def records(self) -> list:
        """The extracted records of the exported pages (``keep_records``)."""
        return [p.record for p in self.exported if p.record is not None]

    @cached_property
    def store(self) -> ox.Store:
        """An Oxigraph store of the build: named graphs (pages, reference,
        ontology) and the union default graph; read back from the release
        when one was written."""
        if self.memory_store is not None:
            return self.memory_store
        store = ox.Store()
        if self.release is not None:
            store.bulk_load(path=str(self.release / "osce-kg.nq"), format=ox.RdfFormat.N_QUADS)
            store.bulk_load(path=str(self.release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return store

    @cached_property
    def dataset(self) -> Dataset:
        """The data graphs (pages and reference data, not the ontology, not
        the union) as an rdflib :class:`~rdflib.Dataset`: for users who ask
        for rdflib, small builds and tests."""
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        ontology = str(IriMinter(self.base_iri).graph("ontology"))
        data = b"".join(
            ox.serialize(self.store.quads_for_pattern(None, None, None, g), format=ox.RdfFormat.N_QUADS) or b""
            for g in self.store.named_graphs()
            if g.value != ontology
        )
        ds.parse(data=data.decode("utf-8"), format="nquads")
        return ds


def build(config: BuildConfig, progress: Callable[[int, int, str], None] | None = None) -> BuildResult:
    """Build the knowledge graph of ``config.sources`` and, when
    ``config.output`` is given, publish it there as a new release (see
    :mod:`osce_kg.publish.release`): the dumps of
    :data:`~osce_kg.publish.formats.DUMPS`, ``.gz`` copies with
    ``publication.compress``, ``void.ttl``, ``validation-report.ttl`` and
    ``build-report.json``.

    Args:
        config: what to build and how.
        progress: called as ``progress(done, total, page key)`` after each page.

    The same file given twice (or found in two folders given) is read once;
    pages of two folders that have the same path in their folder
    (``index.html``) get distinct keys and graphs. The output folder is
    checked (created, written to) before any page is read.

    Raises:
        UsageError: for a missing source path, no page at all (unless
            ``allow_empty``), an output or cache folder that cannot be
            written. Nothing is written then.
        BuildStopped: in ``strict`` mode, at the first problem.
        KeyboardInterrupt: on Ctrl-C; the workers are stopped at once and
            the current release is left as it was.
    """
    own = [folder for folder in (config.output, config.cache) if folder is not None]
    refs = distinct_sources(find_sources(list(config.sources), exclude=own))
    if not refs and not config.allow_empty:
        given = ", ".join(display(path) for path in config.sources)
        raise UsageError(
            f"no page found in {given} (pages are {', '.join(sorted(SUFFIXES))} files); nothing written "
            "(to build a graph of the reference data only, ask for it: --allow-empty)"
        )
    created: list[Path] = []
    if config.output is not None:
        created += check_writable_folder(config.output, "output folder")
    if config.cache is not None:
        created += check_writable_folder(config.cache, "cache folder")
    release = Release.begin(config.output) if config.output is not None else None
    try:
        return _build(config, refs, release, progress)
    except BaseException:
        if release is not None:
            release.abandon()
            release.unlock()
        for folder in reversed(created):  # folders made for this build, still empty
            with contextlib.suppress(OSError):
                (folder / "releases" / LOCK).unlink()
                (folder / "releases").rmdir()
                folder.rmdir()
        raise
    finally:
        if release is not None:
            release.unlock()


def _build(config: BuildConfig, refs: list[SourceRef], release: Release | None, progress: Callable[[int, int, str], None] | None) -> BuildResult:
    started = time.perf_counter()
    minter = IriMinter(config.base_iri)
    timings = dict.fromkeys(STAGES, 0.0)
    # without an output folder the release is written to a temporary folder
    # and read into an in-memory store: the same path, nothing kept on disk
    folder = release.folder if release is not None else Path(tempfile.mkdtemp(prefix="osce-kg-build-"))
    scratch = release.scratch if release is not None else folder / ".scratch"
    scratch.mkdir(exist_ok=True)
    try:
        return _run(config, refs, release, folder, scratch, minter, timings, started, progress)
    finally:
        if release is None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(
    config: BuildConfig,
    refs: list[SourceRef],
    release: Release | None,
    folder: Path,
    scratch: Path,
    minter: IriMinter,
    timings: dict[str, float],
    started: float,
    progress: Callable[[int, int, str], None] | None,
) -> BuildResult:
    assembly = Assembly(minter, config.reference, folder, scratch, release.previous() if release is not None else None)
    pages: list[PageResult] = []
    skipped: list[SkippedPage] = []
    diagnostics: list[Diagnostic] = []
    invalid: list[tuple[str, Violation]] = []
    reports: list[bytes] = []
    results = run_pages(config, refs, code_fingerprint(config.reference))
    try:
        for done, page in enumerate(results, start=1):
            for stage, seconds in page.timings.items():
                timings[stage] = timings.get(stage, 0.0) + seconds
            page.timings = {}  # summed: a page result kept for the report stays small
            diagnostics.extend(page.diagnostics)
            if page.skipped is not None:
                # the CLI names skipped pages itself; API users read BuildResult.skipped
                logger.info("skipped %s: %s", display(Path(page.path)), page.skipped)
                skipped.append(SkippedPage(Path(page.path), page.skipped, page.key))
                if config.strict:
                    raise BuildStopped(f"{display(Path(page.path))}: {page.skipped} (--strict: stopped, nothing written)")
            else:
                bad = [v for v in page.violations if v.severity.endswith("Violation")]
                invalid.extend((page.key, v) for v in bad)
                if bad and config.strict:
                    raise BuildStopped(f"{display(Path(page.path))}: the page's graph violates the shapes: {bad[0].line()} (--strict: stopped, nothing written)")
                if page.report_nt:
                    reports.append(page.report_nt)
                if not (bad and config.invalid == "drop"):
                    t = time.process_time()
                    assembly.add_page(page.graph, page.nquads, page.trig, page.persons)
                    timings["assemble"] += time.process_time() - t
            page.nquads = page.trig = b""  # spooled now: memory does not grow with the site
            page.persons = []
            page.report_nt = b""
            pages.append(page)
            if progress is not None:
                progress(done, len(refs), page.key)
    finally:
        results.close()  # on Ctrl-C or --strict: the workers stop now
    t = time.process_time()
    files, stats, findings = assembly.finish()
    timings["publish"] += time.process_time() - t - assembly.seconds
    timings["resolve"] = assembly.seconds

    t = time.process_time()
    page_violations = [v for p in pages for v in p.violations]
    cross = cross_page_report(findings, {(v.focus_node, v.path or "") for v in page_violations})
    timings["cross-checks"] = time.process_time() - t
    if config.strict and not cross.conforms:
        raise BuildStopped(f"cross-page check failed: {cross.violations[0].line()} (--strict: stopped, nothing written)")
    all_violations = page_violations + list(cross.violations)
    conforms = not any(v.severity.endswith("Violation") for v in all_violations)
    report_graph = merge_reports(reports, cross.report_graph if cross.violations else None)
    report = ValidationReport(conforms=conforms, violations=tuple(all_violations), report_graph=report_graph)
    result = BuildResult(
        config=config,
        pages=pages,
        skipped=skipped,
        diagnostics=diagnostics,
        invalid=invalid,
        report=report,
        timings=timings,
        processed=sum(1 for p in pages if not p.cached),
        cached=sum(1 for p in pages if p.cached),
        triples=stats.triples,
        quads=next(f.triples for f in files if f.kind == "nquads"),
        persons=assembly.resolution.report() if assembly.resolution is not None else {},
    )
    t = time.process_time()
    if release is None:
        store = ox.Store()
        store.bulk_load(path=str(folder / "osce-kg.nq"), format=ox.RdfFormat.N_QUADS)
        store.bulk_load(path=str(folder / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        result.memory_store = store
    else:
        _publish(result, release, files, stats)
    timings["publish"] += time.process_time() - t
    timings["total"] = time.perf_counter() - started
    return result


def _publish(result: BuildResult, release: Release, files: list[DumpFile], stats: DataStats) -> None:
    """Finish the release (reports, VoID, ``.gz`` copies) and switch to it."""
    config = result.config
    folder = release.folder
    if config.publication.compress:
        files = files + [compress(f) for f in files]
    paths = {f.kind + (".gz" if f.compressed else ""): f.path for f in files}
    write_report(result.report.report_graph, folder / OUTPUT_FILES["report"])
    summary = _build_report(result)
    (folder / OUTPUT_FILES["build_report"]).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # the id hashes the data and both reports: the same build gives the same
    # id, whatever the cache held (its notes are left out of the hash)
    hashes = [f.sha256 for f in files] + [file_sha256(folder / OUTPUT_FILES["report"]), _report_identity(summary)]
    release.name(Release.make_id(hashes))
    assert release.id is not None
    previous = release.previous()
    same = previous is not None and previous.name == release.id
    # the same data as the current release: publish() keeps that one as it
    # is (with its own change set and site) and drops this folder
    changes = None
    change_set = None
    kept: Path | None = None
    if same:
        kept, previous = previous, None
    if previous is not None:
        change_set = diff_releases(previous, folder)
        change_set.new = release.id
        write_changes(change_set, folder)
        changes = change_set.summary()
    if not same:
        write_feed(folder, config.base_iri, site_root(config.base_iri), release.id, change_set, previous)
    exported = result.exported
    modified = max((p.modified for p in exported if p.modified), default=None)
    void = describe_dataset(
        stats, files, base_iri=config.base_iri, publication=config.publication, modified=modified, pages=len(exported),
        crawl=crawl_range(p.fetched for p in exported), version=release.id,
        previous=previous.name if previous is not None else None, changes=changes,
    )
    write_void(void, folder / OUTPUT_FILES["void"])
    site_previous = previous.name if previous is not None else None
    if kept is not None and (config.site or config.store):
        # the same data as the current release, which publish() keeps: a site
        # written now for it is that release's, with its feed, change set and
        # VoID (naming the release before it)
        site_previous = _same_release_files(kept, folder)
    if config.store:  # the bulk loader, from the quad dump and the union dump just written
        t = time.perf_counter()
        load_store_folder(folder / STORE, [folder / "osce-kg.nq"])
        result.timings["store"] = time.perf_counter() - t
    if config.site or config.store:  # with the store only: the site without the entities' and graphs' files
        t = time.perf_counter()
        write_site(
            folder, config.base_iri, version=release.id, license=config.publication.license,
            previous=site_previous, entities=config.site,
        )
        result.timings["site"] = time.perf_counter() - t
    final = release.publish(keep=config.keep_releases)
    result.release = final
    output = config.output
    assert output is not None
    result.outputs = {kind: output / path.name for kind, path in paths.items()}
    for kind, name in OUTPUT_FILES.items():
        result.outputs[kind] = output / name


def _same_release_files(kept: Path, folder: Path) -> str | None:
    """Give the incoming release ``folder`` the feed, change set and
    ``void.ttl`` of the release ``kept`` that holds the same data (they name
    its place among the releases, which a rebuild of the same data does not
    know); returns the id of the release before it (its
    ``dcat:previousVersion``), or None."""
    for name in (FEED, CHANGES):
        shutil.rmtree(folder / name, ignore_errors=True)
        if (kept / name).is_dir():
            shutil.copytree(kept / name, folder / name)
    void = folder / OUTPUT_FILES["void"]
    shutil.copyfile(kept / OUTPUT_FILES["void"], void)
    store = ox.Store()
    store.load(path=str(void), format=ox.RdfFormat.TURTLE)
    for quad in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/dcat#previousVersion"), None):
        return quad.object.value.rstrip("/").rsplit("/", 1)[-1]
    return None


def _report_identity(summary: dict) -> str:  # type: ignore[type-arg]
    """The SHA-256 of the build report ``summary`` without what the cache
    alone decides (the notes on damaged or foreign entries, and the warnings
    they became): one input gives one release id."""
    def from_cache(d: dict) -> bool:  # type: ignore[type-arg]
        return d.get("code") in ("cache", "osce_kg.pipeline.cache")

    notes = {d["message"] for d in summary["diagnostics"] if from_cache(d)}
    kept = {key: value for key, value in summary.items() if key != "warning_groups"}
    kept["diagnostics"] = [d for d in summary["diagnostics"] if not from_cache(d)]
    kept["warnings"] = [w for w in summary["warnings"] if w["message"] not in notes]
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _build_report(result: BuildResult) -> dict:
    exported = result.exported
    return {
        "pages": len(result.pages),
        "exported": [p.key for p in exported],
        "skipped": [{"page": s.key, "file": str(s.path), "reason": s.reason} for s in result.skipped],
        "invalid": [
            {"page": key, "focus": v.focus_node, "path": v.path, "message": v.message, "dropped": result.config.invalid == "drop"}
            for key, v in result.invalid
        ],
        "warnings": [{"page": key, "message": msg} for key, msg in result.warnings],
        "warning_groups": [group.as_json() for group in group_warnings(result.warnings)],
        "diagnostics": [d.as_json() for d in result.diagnostics],
        "triples": result.triples,
        "quads": result.quads,
        "conforms": result.report.conforms,
        "violations": sum(1 for v in result.report.violations if v.severity.endswith("Violation")),
        "persons": result.persons,
    }


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
            ref = dataclasses.replace(ref, key=key)
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


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
