"""The per-page stages on a Dask cluster (``--executor dask``,
dask.distributed: https://distributed.dask.org/).

With a scheduler address the build is a client of that cluster; without
one it starts a ``LocalCluster`` of ``jobs`` worker processes (one thread
each) for the build and closes it afterwards. Each batch is one task running
:func:`osce_kg.pipeline.runner.process_batch`, the function the local pool
runs, and results are taken in input order: the output is the same bytes as
a serial or pool build. Workers build the stages once per process (cached
in the worker's module state).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence

from ..errors import UsageError
from ..sources import SourceRef
from .config import BuildConfig
from .results import PageResult

__all__ = ["run_on_dask"]

logger = logging.getLogger(__name__)

#: tasks submitted ahead of the one being waited for, per worker
_AHEAD = 4


def run_on_dask(
    config: BuildConfig, batches: Sequence[Sequence[SourceRef]], fingerprint: str, process: Callable[[BuildConfig, str, Sequence[SourceRef]], list[PageResult]]
) -> Iterator[PageResult]:
    """Page results in input order, computed on Dask workers: ``process``
    (the runner's ``process_batch``, a module-level function the workers
    import by name) run on each batch.

    Raises:
        UsageError: when dask.distributed is not installed or the scheduler
            cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - an optional dependency
        raise UsageError("--executor dask needs dask.distributed: pip install 'osce-kg[dask]'") from exc
    cluster = None
    try:
        if config.scheduler:
            client = Client(config.scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=config.jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.WARNING)
            client = Client(cluster)
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler {config.scheduler}: {exc}") from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = workers * _AHEAD
        futures = []
        submitted = 0
        for n in range(len(batches)):
            while submitted < len(batches) and submitted < n + window:
                futures.append(client.submit(process, config, fingerprint, list(batches[submitted]), pure=False, key=f"osce-kg-batch-{submitted}-{fingerprint[:8]}"))
                submitted += 1
            future = futures[n]
            results = future.result()
            futures[n] = None
            yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
