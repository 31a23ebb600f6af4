"""Triple stores (ARCHITECTURE.md, "Stores"): dump files (:mod:`.dumps`),
the embedded Oxigraph store on disk (:mod:`.embedded`, loaded by
:mod:`.bulkload`), remote stores over HTTP (:mod:`.remote`) and the
``oxigraph`` server (:mod:`.server`). Queries go through
:mod:`osce_kg.sparql`; nothing here imports it.
"""

from __future__ import annotations

from .bulkload import LoadOutcome, LoadProgress, check_not_written, pin_store, store_writer
from .dumps import GraphLoad, check_graph_iri, dump_files, dump_format, file_graph_iri, read_graphs
from .embedded import has_default_graph, load_store, load_store_folder, named_quads, open_store, refresh_union, select_store
from .remote import (
    AUTH_SCHEMES,
    PARALLEL_FROM,
    QUERY_FORMS,
    QUERY_METHODS,
    AutoAuth,
    Credentials,
    QueryAnswer,
    RetryPolicy,
    load_endpoint,
    public_url,
    query_endpoint,
    query_form,
    query_request,
    select_endpoint,
)
from .server import DEFAULT_QUERY_TIMEOUT, oxigraph_executable, serve, serve_command

__all__ = [
    "AUTH_SCHEMES",
    "DEFAULT_QUERY_TIMEOUT",
    "PARALLEL_FROM",
    "QUERY_FORMS",
    "QUERY_METHODS",
    "AutoAuth",
    "Credentials",
    "GraphLoad",
    "LoadOutcome",
    "LoadProgress",
    "QueryAnswer",
    "RetryPolicy",
    "check_graph_iri",
    "check_not_written",
    "dump_files",
    "dump_format",
    "file_graph_iri",
    "has_default_graph",
    "load_endpoint",
    "load_store",
    "load_store_folder",
    "named_quads",
    "open_store",
    "oxigraph_executable",
    "pin_store",
    "public_url",
    "query_endpoint",
    "query_form",
    "query_request",
    "read_graphs",
    "refresh_union",
    "select_endpoint",
    "select_store",
    "serve",
    "serve_command",
    "store_writer",
]
