"""The one description of a build: :class:`BuildConfig` (ARCHITECTURE.md,
"Pipeline"). The CLI, ``osce-kg eval``, the tests and the Python API make
one and hand it to :func:`osce_kg.pipeline.build`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..publish.formats import Publication, check_iri
from ..vocab import DEFAULT_BASE_IRI, check_base_iri

__all__ = ["BuildConfig", "EXECUTORS", "INVALID_POLICIES"]

#: ``invalid`` policies: keep pages whose graph violates the shapes, or leave them out
INVALID_POLICIES = ("keep", "drop")

#: where the per-page stages run: this process or a local process pool
#: (``local``; ``jobs`` 1 runs in this process), or a Dask cluster (``dask``)
EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class BuildConfig:
    """Everything a build needs to know; immutable, picklable (it is sent
    to the workers).

    Attributes:
        sources: page files or folders, ``.warc``/``.warc.gz`` archives.
        output: the folder releases are written under (``None``: build in
            memory only, nothing written); see :mod:`osce_kg.publish.release`.
        base_iri: base of the data IRIs.
        reference: folder of the reference tables (``None``: the shipped ones).
        publication: licence, endpoint, download base, compression.
        jobs: worker processes (``local``) or Dask workers of a local
            cluster (``dask`` without ``scheduler``); 1 runs in this process.
        executor: one of :data:`EXECUTORS`.
        scheduler: address of a running Dask scheduler (``tcp://host:8786``);
            ``None`` starts a ``LocalCluster`` of ``jobs`` workers.
        cache: folder of cached page results (data only), or ``None``.
        strict: stop at the first skipped or invalid page; nothing is written.
        invalid: one of :data:`INVALID_POLICIES`.
        allow_empty: build even when ``sources`` hold no page.
        keep_records: keep each page's extracted
            :class:`~osce_kg.records.PageRecord` in its result (evaluation).
        keep_releases: releases kept under ``output/releases`` (the newest
            ones; at least the current one).
        site: also write the static linked-data site into the release
            (``<release>/site/``, :mod:`osce_kg.publish.site`).
        store: also load the release into its own Oxigraph store
            (``<release>/store/``, read-only once published), from which
            ``site-serve`` renders the entities' pages on request.
        batch: pages a worker processes (and validates) together.

    Raises:
        UsageError: for a bad option (policy, executor, IRI, jobs).
    """

    sources: tuple[Path, ...]
    output: Path | None = None
    base_iri: str = DEFAULT_BASE_IRI
    reference: Path | None = None
    publication: Publication = field(default_factory=Publication)
    jobs: int = 1
    executor: str = "local"
    scheduler: str | None = None
    cache: Path | None = None
    strict: bool = False
    invalid: str = "keep"
    allow_empty: bool = False
    keep_records: bool = False
    keep_releases: int = 3
    batch: int = 200
    site: bool = False
    store: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "sources", tuple(Path(p) for p in self.sources))
        for name in ("output", "reference", "cache"):
            value = getattr(self, name)
            if value is not None:
                set_(self, name, Path(value))
        set_(self, "base_iri", check_base_iri(self.base_iri))
        if self.invalid not in INVALID_POLICIES:
            raise UsageError(f"invalid must be one of {', '.join(INVALID_POLICIES)}, not {self.invalid!r}")
        if self.executor not in EXECUTORS:
            raise UsageError(f"executor must be one of {', '.join(EXECUTORS)}, not {self.executor!r}")
        if self.jobs < 1:
            raise UsageError(f"jobs must be at least 1, not {self.jobs}")
        if self.keep_releases < 1:
            raise UsageError(f"keep_releases must be at least 1, not {self.keep_releases}")
        if self.batch < 1:
            raise UsageError(f"batch must be at least 1, not {self.batch}")
        check_iri(self.publication.license, "--license")
        check_iri(self.publication.sparql_endpoint, "--sparql-endpoint")
        check_iri(self.publication.download_base, "--download-base")

    @classmethod
    def of(cls, sources: Sequence[Path | str], **options: object) -> BuildConfig:
        """``BuildConfig(tuple(sources), **options)``."""
        return cls(tuple(Path(p) for p in sources), **options)  # type: ignore[arg-type]
