"""The named SPARQL queries and the one engine path that answers them
(ARCHITECTURE.md, "Queries"): :mod:`.catalog` (the ``.rq`` files and their
headers, ``--list``), :mod:`.params` (typed parameters as pyoxigraph terms,
bound as terms in inline ``VALUES`` blocks), :mod:`.run` (files in an
in-memory store, a store on disk, a remote endpoint), :mod:`.listing` (the
listing index of a store) and :mod:`.results` (the output formats).
"""

from __future__ import annotations

from .catalog import MATCH_MODES, PARAMETER_KINDS, NamedQuery, QueryParameter, check_query, get_query, list_queries, query_from_text, query_kind
from .listing import INDEXER, LISTING_INDEX_DIR, build_listing_index, clear_listing_index, listing_index_file, restrict_to_keys
from .params import IRI_PREFIXES, bind_parameters, fold, folded_filters, prepare_text, with_values
from .results import GRAPH_FORMATS, RESULT_FORMATS, format_result, write_stream
from .run import (
    JOIN_SEPARATOR,
    QueryResult,
    QueryStream,
    apply_folded,
    cut,
    join_adjacent,
    join_values,
    open_files,
    run_query,
    run_query_endpoint,
    run_query_files,
    run_query_store,
    stream_query,
    stream_query_store,
    stream_result,
)

__all__ = [
    "GRAPH_FORMATS",
    "INDEXER",
    "IRI_PREFIXES",
    "JOIN_SEPARATOR",
    "LISTING_INDEX_DIR",
    "MATCH_MODES",
    "PARAMETER_KINDS",
    "RESULT_FORMATS",
    "NamedQuery",
    "QueryParameter",
    "QueryResult",
    "QueryStream",
    "apply_folded",
    "bind_parameters",
    "build_listing_index",
    "check_query",
    "clear_listing_index",
    "cut",
    "fold",
    "folded_filters",
    "format_result",
    "get_query",
    "join_adjacent",
    "join_values",
    "list_queries",
    "listing_index_file",
    "restrict_to_keys",
    "open_files",
    "prepare_text",
    "query_from_text",
    "query_kind",
    "run_query",
    "run_query_endpoint",
    "run_query_files",
    "run_query_store",
    "stream_query",
    "stream_query_store",
    "stream_result",
    "with_values",
    "write_stream",
]
