"""The runner: the per-page stages over batches of pages, in this process,
in a local process pool, or on a Dask cluster (ARCHITECTURE.md, "Pipeline").

Every executor runs the same :func:`process_batch` on the same batches and
yields results in input order, so serial, pool and Dask builds give the same
bytes. The runner times each stage in CPU seconds of the process that ran
it (a batch's time shared among its pages)
and turns every warning or error logged while a stage works on a batch into
a :class:`~osce_kg.pipeline.stages.Diagnostic` of the page it names (the
batch's first page when it names none).

Workers never outlive the build: pool workers ignore SIGINT (the main
process stops them), ask the kernel for SIGTERM when their parent dies
(``PR_SET_PDEATHSIG`` on Linux) and watch their parent otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..resources import context_file, ontology_file, queries_dir, reference_dir, shapes_dir
from ..sources import SourceRef
from .config import BuildConfig
from .dask_executor import run_on_dask
from .results import Diagnostic, PageResult
from .stages import PageWork, Stages

__all__ = ["code_fingerprint", "process_batch", "run_pages"]

logger = logging.getLogger(__name__)


def code_fingerprint(reference: Path | None = None) -> str:
    """SHA-256 over the package's code and queries, the ontology, the JSON-LD
    context, the shapes and the reference tables: a cached page result is
    valid only for the same fingerprint."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    files = sorted(package.rglob("*.py")) + sorted(queries_dir().glob("*.rq"))
    files += [ontology_file(), context_file(), *sorted(shapes_dir().glob("*.ttl"))]
    files += sorted((reference or reference_dir()).glob("*.csv"))
    for file in files:
        digest.update(file.name.encode("utf-8"))
        digest.update(file.read_bytes())
    return digest.hexdigest()


class _Collect(logging.Handler):
    """Keeps the warnings and errors logged while a stage runs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_STAGES: dict[str, Stages] = {}


def _stages(config: BuildConfig, fingerprint: str) -> Stages:
    """The stages of ``config`` in this process, built once."""
    key = f"{hash(config)}:{fingerprint}"
    stages = _STAGES.get(key)
    if stages is None:
        _STAGES.clear()
        stages = _STAGES[key] = Stages(config, fingerprint)
    return stages


def process_batch(config: BuildConfig, fingerprint: str, refs: Sequence[SourceRef]) -> list[PageResult]:
    """Run every stage on the pages ``refs``; one result per page, in order.
    Never raises for a bad page (its result says why it was skipped)."""
    stages = _stages(config, fingerprint)
    batch = [PageWork(ref, PageResult(key=ref.key, path=str(ref.path))) for ref in refs]
    root = logging.getLogger("osce_kg")
    for name, stage in stages.named():
        collect = _Collect()
        root.addHandler(collect)
        started = time.process_time()
        try:
            stage(batch)
        finally:
            root.removeHandler(collect)
        active = [w for w in batch if not w.result.cached] or batch
        share = (time.process_time() - started) / len(active)
        for work in active:
            work.result.timings[name] = work.result.timings.get(name, 0.0) + share
        for record in collect.records:
            _attribute(batch, name, record)
    if stages.cache is not None:
        for key, message in stages.cache.rejected:
            for work in batch:
                if work.ref.key == key:
                    work.result.diagnostics.append(Diagnostic(key, "read", "warning", "cache", message))
        stages.cache.rejected.clear()
    return [w.result for w in batch]


def _attribute(batch: list[PageWork], stage: str, record: logging.LogRecord) -> None:
    message = record.getMessage()
    level = "error" if record.levelno >= logging.ERROR else "warning"
    for work in batch:
        names = (str(work.ref.path), work.ref.key)
        if any(name and name in message for name in names):
            work.result.diagnostics.append(Diagnostic(work.ref.key, stage, level, record.name, message))
            return
    batch[0].result.diagnostics.append(Diagnostic(batch[0].ref.key, stage, level, record.name, message))


# --------------------------------------------------------------------------- executors


def _die_with_parent(parent: int) -> None:
    """End this worker when the process ``parent`` ends, however it ends."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="osce-kg-parent-watch").start()


def _init_pool_worker(parent: int, level: int) -> None:
    # Ctrl-C is the main process's business: it stops the workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    logging.getLogger("osce_kg").setLevel(level)


def _batches(refs: Sequence[SourceRef], size: int) -> list[list[SourceRef]]:
    return [list(refs[i : i + size]) for i in range(0, len(refs), size)]


def run_pages(config: BuildConfig, refs: Sequence[SourceRef], fingerprint: str) -> Iterator[PageResult]:
    """Page results in input order, from the executor ``config`` names.

    When the caller stops early (Ctrl-C, ``strict``, an error) the workers
    are stopped at once, not waited for."""
    batches = _batches(refs, config.batch)
    if config.executor == "dask":
        yield from run_on_dask(config, batches, fingerprint, process_batch)
        return
    if config.jobs <= 1 or len(batches) <= 1:
        for batch in batches:
            yield from process_batch(config, fingerprint, batch)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    level = logging.getLogger("osce_kg").getEffectiveLevel()
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        max_workers=min(config.jobs, len(batches)),
        mp_context=multiprocessing.get_context(method),
        initializer=_init_pool_worker,
        initargs=(os.getpid(), level),
    )
    try:
        futures = [pool.submit(process_batch, config, fingerprint, batch) for batch in batches]
        for future in futures:
            yield from future.result()
    except BaseException:
        for worker in set(multiprocessing.active_children()) - before:
            worker.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
