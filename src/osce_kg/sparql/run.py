"""One engine path for the named queries (ARCHITECTURE.md, "Queries").

- RDF files (``query --data``) are read into an in-memory
  :class:`pyoxigraph.Store` (:func:`open_files`; an rdflib graph a user
  hands us, :func:`run_query`, likewise), a store on disk is opened
  read-only.
- Every engine, embedded or a remote endpoint, runs the same text: the
  given parameters' hint lines active and their terms in inline ``VALUES``
  blocks (:func:`osce_kg.sparql.params.prepare_text`).

Rows are tuples of pyoxigraph terms (``None`` where unbound), streamed as
the engine yields them (:class:`QueryStream`): the ``# join:`` columns
joined over adjacent rows (:func:`join_adjacent`), ``folded`` parameters
applied, ``--offset``/``--limit`` cut. Memory stays flat in the number of
rows, except for the engine's own ``ORDER BY``. A listing without
parameters on a store folder is read batch by batch along its listing index
(:mod:`osce_kg.sparql.listing`). A given parameter with a ``# lookup:``
line is looked up first (:func:`restrict_by_lookups`) and the query
restricted to the IRIs found. The shipped queries are ``SELECT
DISTINCT`` and aggregate only over ``DISTINCT`` sub-selects: Oxigraph's
union default graph (files of quads) and Virtuoso's are multisets.
"""

from __future__ import annotations

import gzip
import itertools
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import SourceError, StoreError, UsageError
from ..oxterms import OxTerm, graph_triples
from ..store.dumps import dump_format
from ..store.embedded import open_store, read_error, union_into_default, union_options
from ..store.remote import Credentials, QueryAnswer, RetryPolicy, query_endpoint
from .catalog import PARAM_VARIABLE_PREFIX, NamedQuery, check_query, masked, query_kind
from .listing import LISTING_BATCH, index_keys, restrict_to_keys
from .params import bind_parameters, fold, folded_filters, prepare_text, values_block

__all__ = [
    "JOIN_SEPARATOR",
    "Row",
    "QueryResult",
    "QueryStream",
    "open_files",
    "graph_store",
    "stream_query",
    "stream_query_store",
    "restrict_by_lookups",
    "run_query",
    "run_query_files",
    "run_query_store",
    "run_query_endpoint",
    "join_adjacent",
    "join_values",
    "apply_folded",
    "cut",
    "canonical",
    "stream_result",
]

log = logging.getLogger(__name__)

#: How the values of a ``# join:`` column are joined.
JOIN_SEPARATOR = "; "

#: a row: one pyoxigraph term per projected variable, None where unbound
Row = tuple[OxTerm | None, ...]


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: rows (SELECT), a boolean (ASK) or triples
    (CONSTRUCT, DESCRIBE).

    Attributes:
        variables: the projected variable names, in SELECT order.
        rows: one tuple of pyoxigraph terms per solution, aligned with
            ``variables``; ``None`` where a variable is unbound.
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        boolean: the answer of an ASK query.
        triples: the triples of a CONSTRUCT or DESCRIBE query.
    """

    variables: tuple[str, ...]
    rows: tuple[Row, ...]
    form: str = "SELECT"
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()


@dataclass
class QueryStream:
    """The rows of a SELECT query as they come.

    Attributes:
        variables: the projected variable names, in SELECT order.
        rows: an iterator of rows (as in :class:`QueryResult`), read once.
        indexed: True when the rows come batch by batch from the store's
            listing index.
    """

    variables: tuple[str, ...]
    rows: Iterator[Row]
    indexed: bool = False


def open_files(paths: Sequence[Path]) -> ox.Store:
    """The RDF files ``paths`` read into an in-memory store by pyoxigraph's
    bulk loader: triple formats into the default graph, quad formats by
    graph and their triples into the default graph too, so that the
    default graph is the union of every graph, each triple once (each file
    may end in ``.gz``). Queries read that default graph: pyoxigraph 0.5's
    own union default graph yields a triple once per graph holding it (see
    :func:`osce_kg.store.embedded.refresh_union`), and ``query persons
    --data`` on the N-Quads dump of 10,000 pages ran out of memory (over
    20 GB) where it now takes 0.1 s after the load.

    Raises:
        SourceError: naming the file when it is missing, has an unknown
            extension or does not parse.
    """
    store = ox.Store()
    named = False
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise SourceError(path, "file not found")
        fmt, quads, gzipped = dump_format(path)
        base = path.resolve().as_uri()
        try:
            if gzipped:
                with gzip.open(path, "rb") as data:
                    store.bulk_load(data, format=fmt, base_iri=base)
            else:
                store.bulk_load(path=str(path), format=fmt, base_iri=base)
        except (OSError, EOFError) as exc:
            raise SourceError(path, f"cannot read: {exc}") from exc
        except (SyntaxError, ValueError) as exc:
            raise SourceError(path, f"cannot parse: {' '.join(str(exc).split())}") from exc
        named = named or quads
    if named:
        union_into_default(store)
    return store


def graph_store(graph: Graph) -> ox.Store:
    """An rdflib graph a user hands us as an in-memory store: its triples
    (a dataset: the union of its graphs) in the default graph."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in graph_triples(graph))
    return store


def _syntax(query: NamedQuery, exc: SyntaxError) -> SourceError:
    return SourceError(query.path, f"SPARQL syntax error: {' '.join(str(exc).split())}")


def _solutions(store: ox.Store, text: str, query: NamedQuery, where: Path | ox.Store) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    try:
        return store.query(text, **union_options(store))
    except SyntaxError as exc:
        raise _syntax(query, exc) from exc
    except OSError as exc:
        raise read_error(where, text, exc) from exc


def _rows(solutions: ox.QuerySolutions, variables: Sequence[str], text: str, where: Path | ox.Store) -> Iterator[Row]:
    names = [ox.Variable(v) for v in variables]
    try:
        for solution in solutions:
            yield tuple(solution[v] for v in names)
    except OSError as exc:
        raise read_error(where, text, exc) from exc


def stream_query(
    store: ox.Store,
    query: NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    keys: Iterator[ox.NamedNode] | None = None,
    where: Path | ox.Store | None = None,
) -> QueryStream:
    """The rows of the SELECT ``query`` on ``store`` as they come (see the
    module doc). ``keys``: the listing index's keys (no parameters), read
    :data:`LISTING_BATCH` at a time; ``where``: the store's name in errors.

    Raises:
        UsageError: for bad parameters, a negative ``limit`` or ``offset``,
            or a query that is not a SELECT.
        SourceError: when the query text does not parse.
        StoreError: when the store cannot be read.
    """
    where = where if where is not None else store
    if limit is not None and limit < 0 or offset < 0:
        raise UsageError("--limit and --offset must not be negative")
    form = query_kind(query.text)
    if form != "SELECT":
        raise UsageError(f"this is a {form} query; a SELECT query is needed here")
    params = params or {}
    text = restrict_by_lookups(store, query, params, prepare_text(query, params), where)
    indexed = keys is not None and query.key is not None
    if keys is not None and query.key is not None:
        # the first batch gives the variables: pyoxigraph evaluates a query
        # with ORDER BY when it is run, so the whole query is never run here
        batch = list(itertools.islice(keys, LISTING_BATCH))
        first = restrict_to_keys(text, query.key, batch)
        solutions = _solutions(store, first, query, where)
    else:
        solutions = _solutions(store, text, query, where)
    if not isinstance(solutions, ox.QuerySolutions):
        raise UsageError("this is not a SELECT query; a SELECT query is needed here")
    variables = tuple(v.value for v in solutions.variables)
    if keys is None or query.key is None:
        rows: Iterator[Row] = _rows(solutions, variables, text, where)
    else:
        rows = itertools.chain(_rows(solutions, variables, first, where), _batched(store, text, query, keys, variables, where))
    rows = join_adjacent(variables, rows, query.joined)
    filters = folded_filters(query, params)
    if filters:
        rows = _folded_rows(variables, rows, filters, query.joined)
    return QueryStream(variables, itertools.islice(rows, offset, None if limit is None else offset + limit), indexed=indexed)


def restrict_by_lookups(store: ox.Store, query: NamedQuery, params: Mapping[str, str], text: str, where: Path | ox.Store) -> str:
    """``text`` (``query`` prepared with ``params``) restricted, for each
    given parameter with a ``# lookup:`` line, to the IRIs its pattern
    finds in ``store`` for the parameter's value (:func:`restrict_to_keys`
    on the lookup's variable: the WHERE group and every sub-select that
    projects it). pyoxigraph computes a sub-select whole before joining it,
    so a FILTER on the parameter inside it cannot spare the work; the
    restriction does (``person-history`` with a person at 50,000 pages:
    seconds to tens of milliseconds). The query's own FILTER stays: the rows
    are those of ``text``. A lookup that finds anything but IRIs leaves
    ``text`` as it is.

    Raises:
        UsageError: for bad parameters.
        SourceError: when the lookup does not parse.
        StoreError: when the store cannot be read.
    """
    if not query.lookups or not params:
        return text
    bindings = bind_parameters(query, params)
    hidden = masked(query.text)
    prologue = query.text[: hidden.upper().index("SELECT")]
    for lookup in query.lookups:
        term = bindings.get(PARAM_VARIABLE_PREFIX + lookup.parameter)
        if term is None:
            continue
        lookup_text = (
            f"{prologue}SELECT DISTINCT ?{lookup.variable} WHERE {{\n"
            f"  {values_block([PARAM_VARIABLE_PREFIX + lookup.parameter], [[term]])}\n  {lookup.pattern}\n}}"
        )
        solutions = _solutions(store, lookup_text, query, where)
        assert isinstance(solutions, ox.QuerySolutions)
        found = [row[0] for row in _rows(solutions, (lookup.variable,), lookup_text, where)]
        if not all(isinstance(value, ox.NamedNode) for value in found):
            continue
        text = restrict_to_keys(text, lookup.variable, [value for value in found if isinstance(value, ox.NamedNode)])
    return text


def _batched(store: ox.Store, text: str, query: NamedQuery, keys: Iterator[ox.NamedNode], variables: Sequence[str], where: Path | ox.Store) -> Iterator[Row]:
    assert query.key is not None
    while True:
        batch = list(itertools.islice(keys, LISTING_BATCH))
        if not batch:
            return
        restricted = restrict_to_keys(text, query.key, batch)
        solutions = _solutions(store, restricted, query, where)
        assert isinstance(solutions, ox.QuerySolutions)
        yield from _rows(solutions, variables, restricted, where)


def stream_query_store(
    store: Path | ox.Store,
    query: NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    use_index: bool = True,
    opened: ox.Store | None = None,
) -> QueryStream:
    """:func:`stream_query` on the embedded store ``store`` (a folder,
    opened read-only and held for this process, or an open store);
    ``opened``: the store of the folder already open. Without parameters, a
    query with a ``# key:`` that the folder's listing index holds is read
    batch by batch along it, so its first rows come at once.

    Raises:
        UsageError, SourceError, StoreError: as :func:`stream_query`; also
            StoreError when the folder holds no store or another process
            writes it.
    """
    if isinstance(store, ox.Store):
        return stream_query(store, query, params, limit=limit, offset=offset)
    folder = Path(store)
    target = opened if opened is not None else open_store(folder, read_only=True)
    keys = index_keys(folder, query) if use_index and not params else None
    return stream_query(target, query, params, limit=limit, offset=offset, keys=keys, where=folder)


def _other_form(store: ox.Store, query: NamedQuery, params: Mapping[str, str] | None, where: Path | ox.Store) -> QueryResult:
    """An ASK, CONSTRUCT or DESCRIBE query on ``store``."""
    text = prepare_text(query, params)
    result = _solutions(store, text, query, where)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult((), (), form="ASK", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        try:
            return QueryResult((), (), form=query_kind(query.text), triples=tuple(result))
        except OSError as exc:
            raise read_error(where, text, exc) from exc
    raise StoreError("the store answered a SELECT query with rows")  # pragma: no cover


def _materialised(store: ox.Store, query: NamedQuery, params: Mapping[str, str] | None, where: Path | ox.Store, folder: Path | None = None) -> QueryResult:
    check_query(query)
    if query_kind(query.text) != "SELECT":
        return _other_form(store, query, params, where)
    if folder is not None:
        stream = stream_query_store(folder, query, params, opened=store)
    else:
        stream = stream_query(store, query, params, where=where)
    rows = tuple(stream.rows)
    log.debug("query %s: %d rows", query.name, len(rows))
    return QueryResult(stream.variables, rows)


def run_query(source: Graph | ox.Store, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run ``query`` on ``source`` (an open store, or an rdflib graph a user
    hands us: loaded into an in-memory store, a dataset as the union of its
    graphs), every row read.

    Raises:
        UsageError: for bad parameters or an update.
        SourceError: when the query text does not parse.
    """
    store = source if isinstance(source, ox.Store) else graph_store(source)
    return _materialised(store, query, params, store)


def run_query_files(paths: Sequence[Path], query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run ``query`` on the RDF files ``paths`` (:func:`open_files`).

    Raises:
        UsageError, SourceError: as :func:`run_query`, and for a file that
            cannot be read.
    """
    return run_query(open_files(paths), query, params)


def run_query_store(store: Path | ox.Store, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run ``query`` on the embedded store (a folder, opened read-only, or
    an open store) over the union of its graphs, every row read.

    Raises:
        UsageError: for bad parameters.
        SourceError: when the query text does not parse.
        StoreError: when the store cannot be opened or read.
    """
    if isinstance(store, ox.Store):
        return _materialised(store, query, params, store)
    opened = open_store(Path(store), read_only=True)
    return _materialised(opened, query, params, Path(store), folder=Path(store))


def run_query_endpoint(
    endpoint: str,
    query: NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    method: str = "auto",
) -> QueryResult:
    """Run ``query`` at the SPARQL 1.1 Protocol endpoint ``endpoint`` (the
    query URL), parameters bound as terms (:func:`prepare_text`); the same
    rows as on a store of the same data when the endpoint's default graph is
    the union of its graphs. The query is checked here first: one that does
    not parse is never sent.

    Raises:
        UsageError: for bad parameters or a bad URL.
        SourceError: when the query does not parse.
        StoreError: when the endpoint cannot be reached after the retries or
            refuses the query (its message is quoted).
    """
    check_query(query)
    text = prepare_text(query, params)
    try:
        answer = query_endpoint(endpoint, text, credentials=credentials, policy=policy, method=method)
    except SyntaxError as exc:
        raise _syntax(query, exc) from exc
    log.debug("query %s at %s: %d rows", query.name, endpoint, len(answer.rows))
    return _from_answer(answer, query, params)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOLEAN = ox.NamedNode(_XSD + "boolean")
_INTEGERS = frozenset(ox.NamedNode(_XSD + name) for name in ("integer", "int", "long", "short", "nonNegativeInteger"))


def canonical(term: OxTerm | None) -> OxTerm | None:
    """``term`` with the canonical lexical form of its datatype where an
    endpoint gives another (Virtuoso: ``"1"^^xsd:boolean`` for ``true``,
    ``"02"`` for 2), so every engine gives the same rows."""
    if not isinstance(term, ox.Literal) or term.language:
        return term
    if term.datatype == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    if term.datatype in _INTEGERS:
        try:
            value = str(int(term.value.strip()))
        except ValueError:
            return term
        return term if value == term.value else ox.Literal(value, datatype=term.datatype)
    return term


def _from_answer(answer: QueryAnswer, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    if answer.form == "ASK":
        return QueryResult((), (), form="ASK", boolean=answer.boolean)
    if answer.form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult((), (), form=answer.form, triples=answer.triples)
    result = QueryResult(answer.variables, tuple(tuple(canonical(cell) for cell in row) for row in answer.rows))
    return apply_folded(join_values(result, query.joined), folded_filters(query, params or {}), query.joined)


def stream_result(result: QueryResult, *, limit: int | None = None, offset: int = 0) -> QueryStream:
    """A materialised SELECT result as a :class:`QueryStream`, ``offset``
    rows skipped and at most ``limit`` given.

    Raises:
        UsageError: for a negative ``limit`` or ``offset``.
    """
    if limit is not None and limit < 0 or offset < 0:
        raise UsageError("--limit and --offset must not be negative")
    return QueryStream(result.variables, itertools.islice(iter(result.rows), offset, None if limit is None else offset + limit))


def cut(result: QueryResult, *, limit: int | None = None, offset: int = 0) -> QueryResult:
    """``result`` with ``offset`` rows skipped and at most ``limit`` kept.

    Raises:
        UsageError: for a negative ``limit`` or ``offset``.
    """
    if limit is not None and limit < 0 or offset < 0:
        raise UsageError("--limit and --offset must not be negative")
    return QueryResult(result.variables, result.rows[offset : None if limit is None else offset + limit], result.form, result.boolean, result.triples)


def _joined(texts: dict[str, None]) -> ox.Literal | None:
    return ox.Literal(JOIN_SEPARATOR.join(sorted(texts))) if texts else None


def join_values(result: QueryResult, joined: Sequence[str]) -> QueryResult:
    """``result`` with the rows that differ only in the ``joined`` columns
    made one, wherever they are: each joined column holds the distinct
    texts of its values sorted by code point and joined with
    :data:`JOIN_SEPARATOR` as a plain literal (unbound when none). Rows keep
    the order of their first occurrence."""
    positions = [i for i, name in enumerate(result.variables) if name in joined]
    if result.form != "SELECT" or not positions:
        return result
    groups: dict[Row, list[dict[str, None]]] = {}
    for row in result.rows:
        key = tuple(None if i in positions else cell for i, cell in enumerate(row))
        values = groups.setdefault(key, [{} for _ in positions])
        for seen, i in zip(values, positions):
            cell = row[i]
            if cell is not None:
                seen[cell.value] = None
    rows = []
    for key, values in groups.items():
        cells = list(key)
        for seen, i in zip(values, positions):
            cells[i] = _joined(seen)
        rows.append(tuple(cells))
    return QueryResult(result.variables, tuple(rows))


def join_adjacent(variables: Sequence[str], rows: Iterable[Row], joined: Sequence[str]) -> Iterator[Row]:
    """The streaming :func:`join_values`: consecutive rows that differ only
    in the ``joined`` columns made one; a row equal to the one before it is
    dropped (the engine's ``DISTINCT`` over batches). Rows that belong
    together must be adjacent: a query with ``# join:`` columns orders by
    every column that is not joined."""
    positions = [i for i, name in enumerate(variables) if name in joined]
    if not positions:
        last: Row | None = None
        for row in rows:
            if row != last:
                yield row
            last = row
        return
    last_key: Row | None = None
    seen: list[dict[str, None]] = []
    for row in rows:
        key = tuple(None if i in positions else cell for i, cell in enumerate(row))
        if key != last_key:
            if last_key is not None:
                yield _finish(last_key, seen, positions)
            last_key, seen = key, [{} for _ in positions]
        for values, i in zip(seen, positions):
            cell = row[i]
            if cell is not None:
                values[cell.value] = None
    if last_key is not None:
        yield _finish(last_key, seen, positions)


def _finish(key: Row, seen: list[dict[str, None]], positions: list[int]) -> Row:
    cells = list(key)
    for values, i in zip(seen, positions):
        cells[i] = _joined(values)
    return tuple(cells)


def _folded_rows(variables: Sequence[str], rows: Iterable[Row], filters: Mapping[tuple[str, ...], str], joined: Sequence[str] = ()) -> Iterator[Row]:
    names = list(variables)
    wanted = [([(names.index(column), column in joined) for column in columns if column in names], value) for columns, value in filters.items()]

    def holds(cell: OxTerm | None, split: bool, value: str) -> bool:
        if cell is None:
            return False
        texts = cell.value.split(JOIN_SEPARATOR) if split else (cell.value,)
        return any(value in fold(text) for text in texts)

    for row in rows:
        if all(any(holds(row[i], split, value) for i, split in positions) for positions, value in wanted):
            yield row


def apply_folded(result: QueryResult, filters: Mapping[tuple[str, ...], str], joined: Sequence[str] = ()) -> QueryResult:
    """The rows of ``result`` where each folded value of ``filters``
    (result columns -> folded value) is a part of the folded text of one of
    its columns (of a ``joined`` column: of one of its values)."""
    if not filters or result.form != "SELECT":
        return result
    return QueryResult(result.variables, tuple(_folded_rows(result.variables, result.rows, filters, joined)))
