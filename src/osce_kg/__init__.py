"""osce-kg: the OSCE's public record as a linked-open-data knowledge graph.

Pipeline (ARCHITECTURE.md): :mod:`.sources` -> :mod:`.extract` -> :mod:`.mapping`
-> :mod:`.validate` -> :mod:`.publish` -> :mod:`.store` / :mod:`.queries`;
:mod:`.pipeline` runs the stages.
:func:`build` runs it all; the ``osce-kg`` command is a thin layer over it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("osce-kg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from .errors import OsceKgError, ReferenceDataError, SourceError, StoreError, UsageError, ValidationFailed
from .extract import extract_page
from .mapping import Mapper
from .pipeline import BuildConfig, BuildResult, SkippedPage, build
from .publish.formats import Publication
from .sparql import format_result, get_query, list_queries, run_query, run_query_endpoint, run_query_files, run_query_store
from .reference import ReferenceData
from .serialize import read_rdf, write_jsonld, write_turtle
from .store import Credentials, RetryPolicy, load_endpoint, load_store
from .validate import ValidationReport, validate_graph
from .vocab import DEFAULT_BASE_IRI, OSCE, SCHEMA, IriMinter

__all__ = [
    "__version__",
    "BuildConfig",
    "BuildResult",
    "Credentials",
    "DEFAULT_BASE_IRI",
    "IriMinter",
    "Mapper",
    "OSCE",
    "OsceKgError",
    "Publication",
    "ReferenceData",
    "ReferenceDataError",
    "RetryPolicy",
    "SCHEMA",
    "SkippedPage",
    "SourceError",
    "StoreError",
    "UsageError",
    "ValidationFailed",
    "ValidationReport",
    "build",
    "extract_page",
    "format_result",
    "get_query",
    "list_queries",
    "load_endpoint",
    "load_store",
    "read_rdf",
    "run_query",
    "run_query_endpoint",
    "run_query_files",
    "run_query_store",
    "validate_graph",
    "write_jsonld",
    "write_turtle",
]
