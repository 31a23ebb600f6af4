"""The embedded Oxigraph store on disk (``load --store``, ``query
--store``): opening it, loading dumps into it, and running a query over
the union of its graphs (ARCHITECTURE.md, "Stores").

Embedded store (pyoxigraph): a store folder is loaded at the speed of the
bulk loader into a new generation beside the current one, then switched to
in one rename (:mod:`osce_kg.store.bulkload`): a load is all or nothing, readers
see the old store or the new one, and a failed load never leaves an empty
store folder behind. An open :class:`pyoxigraph.Store` is loaded in one
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError, UsageError
from ..guard import uses_service
from ..oxterms import OxTerm
from .bulkload import Indexer, LoadOutcome, LoadProgress, bulk_load_store, check_not_written, pin_store
from .dumps import GraphLoad, check_dumps, check_graph_iri, dump_files

__all__ = [
    "open_store",
    "load_store",
    "load_store_folder",
    "refresh_union",
    "union_into_default",
    "named_quads",
    "has_default_graph",
    "union_options",
    "select_store",
    "read_error",
]

log = logging.getLogger(__name__)


def open_store(path: Path, *, read_only: bool = False) -> ox.Store:
    """Open the Oxigraph store in the folder ``path`` (created when missing,
    unless ``read_only``). Read-only, the generation ``path`` names now is
    opened and held for this process (:func:`osce_kg.store.bulkload.pin_store`):
    a later load switches ``path`` to a new generation, and this store keeps
    reading the one it opened.

    Raises:
        StoreError: when the folder holds no store (read-only), is locked by
            another process (a running server, another load) or is unreadable.
    """
    try:
        if read_only:
            if not Path(path).is_dir():
                raise StoreError(f"no store at {path} (load data into it first: osce-kg load DUMP --store {path})")
            if not (Path(path) / "CURRENT").is_file():  # RocksDB's file: no Oxigraph store here, and nothing is written
                what = "holds files but no Oxigraph store" if any(Path(path).iterdir()) else "is empty: no Oxigraph store"
                raise StoreError(f"{path} {what} (load data into it first: osce-kg load DUMP --store {path})")
            check_not_written(Path(path))
            folder = pin_store(Path(path))
            return ox.Store.read_only(str(folder))
        return ox.Store(str(path))
    except StoreError:
        raise
    except OSError as exc:
        raise StoreError(f"cannot open the store {path}: {' '.join(str(exc).split())}") from exc


def load_store(
    store: Path | ox.Store,
    sources: Sequence[Path],
    *,
    graph: str | None = None,
    on_graph: Callable[[GraphLoad], None] | None = None,
    progress: LoadProgress | None = None,
    index: Indexer | None = None,
) -> list[GraphLoad]:
    """Load the dumps ``sources`` (files or build folders) into the embedded
    store ``store``, all or nothing, replacing each graph they give (a graph
    given by several files takes the last file's triples) and refreshing
    the materialised union (:func:`refresh_union`).

    - A store folder: :func:`load_store_folder` (the bulk loader into a new
      generation, switched to in one step; ``index``, when given, is built
      there: the listing index of the named queries,
      :data:`osce_kg.sparql.listing.INDEXER`). Each dump is parsed once, while it is
      loaded. ``progress`` gets the phases (:data:`osce_kg.store.bulkload.LoadProgress`).
    - An open :class:`pyoxigraph.Store` (small data): every dump is read and
      checked first, then one transaction (one SPARQL update) replaces the
      graphs and the union.

    ``on_graph`` is called for each graph once the load is done.

    Raises:
        UsageError: for a ``graph`` that is not an absolute IRI.
        SourceError: for a dump that cannot be read or parsed (nothing is
            loaded, no store folder is created).
        StoreError: when the store cannot be opened or written, or another
            process writes it (nothing is loaded).
    """
    if not isinstance(store, ox.Store):
        return load_store_folder(Path(store), sources, graph=graph, on_graph=on_graph, progress=progress, index=index).loads
    check_graph_iri(graph)
    files = dump_files(sources)
    checked = check_dumps(files, graph)
    update = [f"DROP SILENT GRAPH {item.name} ;\n".encode() for item in checked]
    update.append(b"INSERT DATA {\n")
    for item in checked:
        update += [f"GRAPH {item.name} {{\n".encode(), item.ntriples, b"}\n"]
    update.append(b"} ;\nCLEAR SILENT DEFAULT ;\nINSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }\n")
    try:
        store.update(b"".join(update).decode("utf-8"))
        store.flush()
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"cannot write the store: {' '.join(str(exc).split())}; nothing was loaded") from exc
    except SyntaxError as exc:  # pragma: no cover - the dumps were parsed already
        raise StoreError(f"cannot load into the store: {' '.join(str(exc).split())}; nothing was loaded") from exc
    loads = []
    for item in checked:
        load = GraphLoad(item.name.value, item.triples, None, item.source)
        log.info("loaded %s: %d triples", load.label, load.triples)
        loads.append(load)
        if on_graph is not None:
            on_graph(load)
    return loads


def load_store_folder(
    path: Path,
    sources: Sequence[Path],
    *,
    graph: str | None = None,
    on_graph: Callable[[GraphLoad], None] | None = None,
    progress: LoadProgress | None = None,
    index: Indexer | None = None,
) -> LoadOutcome:
    """Load the dumps ``sources`` (files or build folders) into the store
    folder ``path`` at the speed of the bulk loader, all or nothing
    (:func:`osce_kg.store.bulkload.bulk_load_store`); ``on_graph`` is called for
    each graph afterwards, ``progress`` during the load; ``index`` is built
    in the new generation (the caller's: ``load`` gives the listing index
    of the named queries).

    Returns:
        the graphs loaded and what the store holds afterwards.

    Raises:
        UsageError: for a ``graph`` that is not an absolute IRI.
        SourceError: for a dump that cannot be read or parsed (the store is
            left as it was, no store folder is created).
        StoreError: when the store is written by another process, another
            load into it runs, or it cannot be written (left as it was).
    """
    check_graph_iri(graph)
    files = dump_files(sources)
    outcome = bulk_load_store(Path(path), files, graph=graph, progress=progress, indexer=index)
    if on_graph is not None:
        for load in outcome.loads:
            on_graph(load)
    return outcome


def refresh_union(store: ox.Store) -> int:
    """Make the store's default graph the union of its named graphs, each
    triple once; returns its size.

    Why: Oxigraph 0.5's ``use_default_graph_as_union`` yields a triple once
    per named graph that holds it (oxigraph issue #1919, fixed after 0.5).
    With one graph per page, a place or a person stated by a thousand pages
    then multiplies every join through it a thousandfold; queries over a
    large build ran out of memory. queries read this
    materialised union when it is there.
    """
    store.update("CLEAR SILENT DEFAULT")
    union_into_default(store)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def union_into_default(store: ox.Store) -> None:
    """Add every triple of the store's named graphs to its default graph
    (each once: a store is a set), keeping what the default graph holds;
    one SPARQL update, faster than reading the quads out and back (2.3 s
    against 5 s for the 1.0 M quads of 10,000 pages)."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def named_quads(store: ox.Store) -> int:
    """Quads in the store's named graphs (the loaded dumps), not counting the
    materialised union in the default graph."""
    return sum(1 for q in store if not isinstance(q.graph_name, ox.DefaultGraph))


def has_default_graph(store: ox.Store) -> bool:
    """True when the store's default graph holds a triple (the materialised
    union of :func:`refresh_union`, or the triples of files read into it)."""
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


def union_options(store: ox.Store) -> dict[str, bool]:
    """The options of :meth:`pyoxigraph.Store.query` that query the union of
    the store's graphs: its default graph when it holds the materialised
    union (:func:`refresh_union`), else Oxigraph's union default graph."""
    return {"use_default_graph_as_union": not has_default_graph(store)}


def read_error(store: Path | ox.Store, text: str, exc: OSError) -> StoreError:
    """The error of a query the store failed: the SERVICE request when the
    query has one, else the store."""
    if uses_service(text):
        return StoreError(f"the query's SERVICE request failed: {exc}")
    return StoreError(f"cannot read the store {store}: {exc}")


def select_store(store: Path | ox.Store, text: str) -> tuple[tuple[str, ...], list[tuple[OxTerm | None, ...]]]:
    """Run the SELECT query ``text`` (no parameters) on the embedded store
    (a folder, opened read-only) over the union of its graphs.

    Returns:
        (variable names, rows of pyoxigraph terms or None for unbound).

    Raises:
        StoreError: when the store cannot be opened or read.
        SyntaxError: when the query does not parse.
        UsageError: for an ASK, CONSTRUCT or DESCRIBE query.
    """
    target = open_store(Path(store), read_only=True) if not isinstance(store, ox.Store) else store
    try:
        result = target.query(text, **union_options(target))
        if not isinstance(result, ox.QuerySolutions):
            raise UsageError("this is not a SELECT query; a SELECT query is needed here")
        variables = tuple(v.value for v in result.variables)
        return variables, [tuple(solution[v] for v in variables) for solution in result]
    except OSError as exc:
        raise read_error(store, text, exc) from exc
