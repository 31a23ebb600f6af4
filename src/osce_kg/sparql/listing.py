"""The listing index of a store folder: for each named query with a
``# key:`` line, the key values in the order of the query's rows, so that a
listing without parameters is read batch by batch (ARCHITECTURE.md,
"Stores").

``osce-kg load`` has it built in the new generation (:data:`INDEXER`, given
to :func:`osce_kg.store.bulkload.bulk_load_store` by the command's caller);
:func:`osce_kg.sparql.run.stream_query_store` reads a listing along it: the
query restricted to :data:`LISTING_BATCH` keys at a time (an inline
``VALUES`` block of IRIs written by pyoxigraph, :func:`restrict_to_keys`),
each batch ordered by the query's ``ORDER BY``; the first rows come without
evaluating (and sorting) every row.

Files: ``osce-kg-listings/DIGEST.keys`` in the generation, DIGEST the
SHA-256 of the query text; a header line, then one IRI a line.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..store.embedded import union_options
from .catalog import NamedQuery, group_braces, list_queries, project
from .params import values_block

__all__ = [
    "LISTING_BATCH",
    "LISTING_INDEX_DIR",
    "INDEXER",
    "ListingIndexer",
    "listing_index_file",
    "clear_listing_index",
    "build_listing_index",
    "index_keys",
    "restrict_to_keys",
]

log = logging.getLogger(__name__)

#: keys per batch of a listing read through the listing index
LISTING_BATCH = 100

#: folder of the listing index inside a store folder
LISTING_INDEX_DIR = "osce-kg-listings"

_LISTING_HEADER = "osce-kg listing index 1"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def listing_index_file(store: Path, query: NamedQuery) -> Path:
    """Where the listing index of ``query`` (by the digest of its text)
    lives in the store folder ``store``."""
    return Path(store) / LISTING_INDEX_DIR / f"{_digest(query.text)}.keys"


def clear_listing_index(store: Path) -> None:
    """Remove the listing index of the store folder ``store``: a missing
    index only makes listings slower, a stale one would make them wrong."""
    shutil.rmtree(Path(store) / LISTING_INDEX_DIR, ignore_errors=True)


def restrict_to_keys(text: str, key: str, values: Sequence[ox.NamedNode]) -> str:
    """``text`` restricted to the rows whose ``?key`` is one of ``values``:
    a ``VALUES ?key`` block at the start of the WHERE group, and of every
    sub-select that projects ``?key`` (each is joined on it, so restricting
    it changes no row that is kept, and the engine need not compute it for
    every other value)."""
    block = values_block([key], [[value] for value in values])
    braces = [i for n, (i, projection) in enumerate(group_braces(text)) if n == 0 or re.search(rf"[?$]{re.escape(key)}\b", projection)]
    for at in sorted(braces, reverse=True):
        text = f"{text[: at + 1]}\n  {block}\n{text[at + 1 :]}"
    return text


def build_listing_index(
    store: Path, opened: ox.Store, queries: Sequence[NamedQuery] | None = None, *, cancel: threading.Event | None = None
) -> dict[str, int]:
    """Write the listing index of the store folder ``store`` from its open
    store ``opened``: for each query with a ``# key:`` (the shipped ones by
    default), the key values in the order of the query's rows (the first
    row of each). A query whose key is not an IRI in every row gets no
    index. ``cancel`` set (a load that failed) stops it within a thousand
    rows of a query, writing nothing more.

    The index describes the store as this call sees it: ``load`` writes a
    new one with each generation; a store changed otherwise (``serve
    --writable``) needs a new ``load``.

    Returns:
        query name -> number of keys indexed.

    Raises:
        OSError: when an index file cannot be written.
        SyntaxError: when a query does not parse.
    """
    folder = Path(store) / LISTING_INDEX_DIR
    folder.mkdir(parents=True, exist_ok=True)
    done: dict[str, int] = {}
    for query in queries if queries is not None else list_queries():
        if query.key is None:
            continue
        solutions = opened.query(project(query.text, query.key), **union_options(opened))
        assert isinstance(solutions, ox.QuerySolutions)
        key = ox.Variable(query.key)
        order: dict[str, None] = {}
        usable = True
        for n, solution in enumerate(solutions):
            if cancel is not None and n % 1000 == 0 and cancel.is_set():
                return done
            value = solution[key]
            if not isinstance(value, ox.NamedNode) or "\n" in value.value:
                usable = False
                break
            order[value.value] = None
        path = folder / f"{_digest(query.text)}.keys"
        if not usable:
            path.unlink(missing_ok=True)
            log.info("listing index: %s has a key that is not an IRI; no index", query.name)
            continue
        if cancel is not None and cancel.is_set():
            return done
        partial = path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8", newline="\n") as out:
            out.write(f"{_LISTING_HEADER} {query.key}\n")
            for value in order:
                out.write(value + "\n")
        os.replace(partial, path)
        done[query.name] = len(order)
        log.info("listing index: %s, %d keys", query.name, len(order))
    return done


def index_keys(store: Path, query: NamedQuery) -> Iterator[ox.NamedNode] | None:
    """The keys of ``query`` in the listing index of the store folder
    ``store``, read as they are asked for; None when it has none."""
    if query.key is None:
        return None
    path = listing_index_file(Path(store), query)
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return None
    if handle.readline().rstrip("\n") != f"{_LISTING_HEADER} {query.key}":
        handle.close()
        return None

    def keys() -> Iterator[ox.NamedNode]:
        with handle:
            for line in handle:
                yield ox.NamedNode(line.rstrip("\n"))

    return keys()


class ListingIndexer:
    """The listing index as :func:`osce_kg.store.bulkload.bulk_load_store`
    builds it (its ``index`` argument): one entry per keyed named query."""

    def entries(self) -> list[str]:
        """The index files, relative to a generation folder, one per keyed
        query (built in parallel, one thread each)."""
        return [f"{LISTING_INDEX_DIR}/{_digest(q.text)}.keys" for q in list_queries() if q.key is not None]

    def build(self, folder: Path, store: ox.Store, entry: str, cancel: threading.Event) -> None:
        """Write the index file ``entry`` of the generation ``folder``."""
        queries = [q for q in list_queries() if q.key is not None and entry.endswith(f"/{_digest(q.text)}.keys")]
        build_listing_index(folder, store, queries, cancel=cancel)

    def clear(self, folder: Path) -> None:
        """Remove the index of ``folder`` (it could not be built whole)."""
        clear_listing_index(folder)


#: the listing index of the named queries, as ``load`` builds it
INDEXER = ListingIndexer()
