"""Triple stores: the embedded Oxigraph store on disk, remote stores through the
SPARQL 1.1 Graph Store HTTP Protocol, SPARQL 1.1 Protocol queries, and the
``oxigraph`` server (``osce-kg load | query --store/--endpoint | serve``).

Loading works by named graph: every graph of a dump replaces the graph of the
same name in the store, so loading the same dump twice leaves the store as it
was (the triple count does not grow).

- Quad dumps (``.nq``, ``.trig``, ``.jsonld``) keep their graph names;
  triples outside any named graph, and all triples of a triple dump
  (``.ttl``, ``.nt``, ``.rdf``), go into the graph ``--graph IRI``, by default
  the ``file:`` IRI of the dump (``.gz`` stripped), so they are replaced too
  when the same file is loaded again. Each may end in ``.gz``.
- A folder means the build's quad dump in it: ``*.nq``, else ``*.nq.gz``,
  else ``*.trig``, else ``*.trig.gz`` (the other dumps hold the same triples).

Embedded store (pyoxigraph): a store folder is loaded at the speed of the
bulk loader into a new generation beside the current one, then switched to
in one rename (:mod:`osce_kg.bulkload`): a load is all or nothing, readers
see the old store or the new one, and a failed load never leaves an empty
store folder behind. An open :class:`pyoxigraph.Store` is loaded in one
transaction (one SPARQL update), for small data.

Remote store: one ``PUT {endpoint}?graph={iri}`` per graph with the graph as
``application/n-triples`` (SPARQL 1.1 Graph Store HTTP Protocol, §5.3:
PUT replaces the graph in one request, so no graph is ever half-loaded);
Oxigraph (``/store``), Fuseki (``/{dataset}/data``), GraphDB
(``/repositories/{id}/rdf-graphs/service``) and Virtuoso
(``/sparql-graph-crud-auth``, with authentication) speak it. Credentials
come from options or the environment (``OSCE_KG_USER``,
``OSCE_KG_PASSWORD``, read by the CLI) and are never printed: messages name
the endpoint without its user-info. They are sent as HTTP Basic, and as HTTP
Digest when the server asks for it (Virtuoso's ``-auth`` services take
Digest only; :class:`AutoAuth`), or as one scheme only
(:attr:`Credentials.scheme`).
A request that fails with a connection error, a timeout or a 5xx status is
retried ``retries`` times, waiting ``backoff``, ``2*backoff``, ``4*backoff``
... seconds; then :class:`~osce_kg.errors.StoreError` (exit code 3) names the
endpoint, the graph and the last problem. 4xx statuses are not retried.

Queries (SPARQL 1.1 Protocol, §2.1): SELECT, ASK, CONSTRUCT and DESCRIBE.
The query is parsed here first (a syntax error never reaches the store),
then sent as a GET when short, else as a form-encoded POST: the two ways
every store answers (Virtuoso does not answer a POST of
``application/sparql-query``, which ``method="direct"`` still sends).
Results are read as SPARQL JSON or XML results, graphs as N-Triples, Turtle
or RDF/XML. The endpoint must show the union of its graphs as the default
graph, as ``osce-kg serve`` does (``oxigraph serve --union-default-graph``;
Fuseki: ``unionDefaultGraph``; GraphDB and Virtuoso do by default).
"""

from __future__ import annotations

import base64
import errno
import gzip
import ipaddress
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from .bulkload import LoadOutcome, LoadProgress, bulk_load_store, keep_pins_across_exec, pin_store
from .errors import SourceError, StoreError, UsageError

__all__ = [
    "dump_format",
    "AUTH_SCHEMES",
    "QUERY_METHODS",
    "AutoAuth",
    "Credentials",
    "QueryAnswer",
    "query_form",
    "query_store",
    "query_endpoint",
    "query_request",
    "QUERY_FORMS",
    "RetryPolicy",
    "GraphLoad",
    "DUMP_FORMATS",
    "dump_files",
    "file_graph_iri",
    "read_graphs",
    "open_store",
    "load_store",
    "load_store_folder",
    "load_endpoint",
    "PARALLEL_FROM",
    "check_graph_iri",
    "select_store",
    "select_endpoint",
    "public_url",
    "oxigraph_executable",
    "serve_command",
    "serve",
]

log = logging.getLogger(__name__)

#: extension -> (pyoxigraph format, keeps graph names?)
DUMP_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    ".nq": (ox.RdfFormat.N_QUADS, True),
    ".nquads": (ox.RdfFormat.N_QUADS, True),
    ".trig": (ox.RdfFormat.TRIG, True),
    ".jsonld": (ox.RdfFormat.JSON_LD, True),
    ".json-ld": (ox.RdfFormat.JSON_LD, True),
    ".nt": (ox.RdfFormat.N_TRIPLES, False),
    ".ntriples": (ox.RdfFormat.N_TRIPLES, False),
    ".ttl": (ox.RdfFormat.TURTLE, False),
    ".turtle": (ox.RdfFormat.TURTLE, False),
    ".rdf": (ox.RdfFormat.RDF_XML, False),
    ".owl": (ox.RdfFormat.RDF_XML, False),
}

#: what a folder given to ``load`` stands for, in order of preference
FOLDER_PATTERNS: tuple[str, ...] = ("*.nq", "*.nq.gz", "*.trig", "*.trig.gz")

GraphName = ox.NamedNode | ox.DefaultGraph


#: HTTP authentication schemes of :class:`Credentials`
AUTH_SCHEMES: tuple[str, ...] = ("auto", "basic", "digest")

#: how a query is sent (SPARQL 1.1 Protocol §2.1): ``auto`` is GET for a
#: short query, else a form-encoded POST; ``direct`` POSTs the query as
#: ``application/sparql-query`` (§2.1.3), which Virtuoso does not answer
QUERY_METHODS: tuple[str, ...] = ("auto", "get", "post", "direct")

#: longest request URL ``auto`` sends as a GET; longer queries are POSTed
GET_URL_LIMIT = 2000


class AutoAuth(httpx.Auth):
    """HTTP Basic sent with the first request; when the server refuses it
    (401) and challenges for ``Digest`` (Virtuoso's ``/sparql-auth`` and
    ``/sparql-graph-crud-auth`` take Digest only, and answer Basic with a
    401 that names no scheme), HTTP Digest (RFC 7616,
    :class:`httpx.DigestAuth`) for that request and every later one."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        self.basic_header = f"Basic {token}"
        self.digest = httpx.DigestAuth(user, password)
        self.use_digest = False

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if self.use_digest:
            yield from self.digest.auth_flow(request)
            return
        request.headers["Authorization"] = self.basic_header
        response = yield request
        if response.status_code != 401:
            return
        # Virtuoso answers Basic with a bare 401: ask again without
        # credentials to see the challenges the server offers
        del request.headers["Authorization"]
        response = yield request
        challenges = response.headers.get_list("www-authenticate") if response.status_code == 401 else []
        if any(c.strip().lower().startswith("digest") for c in challenges):
            log.debug("the server asks for HTTP Digest authentication")
            self.use_digest = True
            yield from self.digest.auth_flow(request)


@dataclass(frozen=True)
class Credentials:
    """HTTP credentials. The password is left out of ``repr``.

    Attributes:
        user: the user name.
        password: the password.
        scheme: ``basic`` (sent with every request), ``digest`` (answers the
            server's challenge) or ``auto`` (Basic, then Digest when the
            server asks for it; see :class:`AutoAuth`).
    """

    user: str
    password: str = field(default="", repr=False)
    scheme: str = "auto"

    def auth(self) -> httpx.Auth:
        """The :mod:`httpx` authentication of :attr:`scheme`.

        Raises:
            UsageError: for a scheme not in :data:`AUTH_SCHEMES`.
        """
        if self.scheme == "basic":
            return httpx.BasicAuth(self.user, self.password)
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password)
        if self.scheme == "auto":
            return AutoAuth(self.user, self.password)
        raise UsageError(f"unknown authentication scheme {self.scheme!r}; use one of: {', '.join(AUTH_SCHEMES)}")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try an HTTP request.

    Attributes:
        retries: further attempts after a failed one (connection error,
            timeout, 5xx); 0 tries once.
        backoff: seconds to wait before the first retry; doubled each time.
        timeout: seconds for connecting, reading and writing, per attempt.
    """

    retries: int = 3
    backoff: float = 0.5
    timeout: float = 30.0


@dataclass(frozen=True)
class GraphLoad:
    """The load of one graph.

    Attributes:
        graph: the graph IRI; empty for the default graph.
        triples: distinct triples loaded into it.
        status: the HTTP status of the ``PUT`` (remote store), else None.
        source: the dump file it came from.
    """

    graph: str
    triples: int
    status: int | None
    source: Path

    @property
    def label(self) -> str:
        return self.graph or "(default graph)"


# ---------------------------------------------------------------------------
# reading dumps


def dump_format(path: Path) -> tuple[ox.RdfFormat, bool, bool]:
    """(format, whether it keeps named graphs, whether it is gzipped) of a
    dump file, from its extension (``.nq``, ``.trig.gz``...).

    Raises:
        SourceError: an extension no dump format has.
    """
    name = path.name.lower()
    gzipped = name.endswith(".gz")
    suffix = Path(name[:-3] if gzipped else name).suffix
    if suffix not in DUMP_FORMATS:
        known = ", ".join(sorted(DUMP_FORMATS))
        raise SourceError(path, f"unknown RDF dump extension {suffix or '(none)'!r} (known: {known}, also .gz)")
    fmt, quads = DUMP_FORMATS[suffix]
    return fmt, quads, gzipped


def dump_files(sources: Sequence[Path]) -> list[Path]:
    """The dump files that ``sources`` stand for: files as given, a folder as
    its quad dump(s) (:data:`FOLDER_PATTERNS`, first pattern that matches).

    Raises:
        SourceError: for a missing path, or a folder without a quad dump.
    """
    files: list[Path] = []
    for raw in sources:
        path = Path(raw)
        if path.is_dir():
            for pattern in FOLDER_PATTERNS:
                found = sorted(path.glob(pattern))
                if found:
                    files.extend(found)
                    break
            else:
                raise SourceError(path, f"no quad dump in this folder (looked for {', '.join(FOLDER_PATTERNS)})")
        elif path.is_file():
            dump_format(path)
            files.append(path)
        else:
            raise SourceError(path, "file not found")
    return files


def file_graph_iri(path: Path) -> str:
    """The graph a triple dump is loaded into by default: the ``file:`` IRI
    of the file, without ``.gz``."""
    resolved = Path(path).resolve()
    if resolved.name.lower().endswith(".gz"):
        resolved = resolved.with_name(resolved.name[:-3])
    return resolved.as_uri()


def read_graphs(path: Path, graph: str | None = None) -> dict[GraphName, list[ox.Triple]]:
    """The triples of the dump ``path`` by graph, in file order, without
    duplicates. Triples outside a named graph go to ``graph`` (default:
    :func:`file_graph_iri`).

    Raises:
        SourceError: when the file cannot be read or parsed (with the parser's
            message, which gives the line).
    """
    fmt, keeps_graphs, gzipped = dump_format(path)
    target: GraphName = ox.NamedNode(graph or file_graph_iri(path))
    try:
        data = gzip.decompress(path.read_bytes()) if gzipped else path.read_bytes()
        graphs: dict[GraphName, dict[ox.Triple, None]] = {}
        for item in ox.parse(data, format=fmt, base_iri=Path(path).resolve().as_uri()):
            if keeps_graphs and not isinstance(item.graph_name, ox.DefaultGraph):
                name: GraphName = item.graph_name
            else:
                name = target
            graphs.setdefault(name, {})[ox.Triple(item.subject, item.predicate, item.object)] = None
    except FileNotFoundError as exc:
        raise SourceError(path, "file not found") from exc
    except (OSError, EOFError) as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc
    except (SyntaxError, ValueError) as exc:
        raise SourceError(path, f"cannot parse: {' '.join(str(exc).split())}") from exc
    if any(isinstance(name, ox.BlankNode) for name in graphs):
        raise SourceError(path, "a graph is named by a blank node; only IRIs can be loaded by graph")
    return {name: list(triples) for name, triples in graphs.items()}


def _graph_label(name: GraphName) -> str:
    return "" if isinstance(name, ox.DefaultGraph) else name.value


# ---------------------------------------------------------------------------
# embedded store


def open_store(path: Path, *, read_only: bool = False) -> ox.Store:
    """Open the Oxigraph store in the folder ``path`` (created when missing,
    unless ``read_only``). Read-only, the generation ``path`` names now is
    opened and held for this process (:func:`osce_kg.bulkload.pin_store`):
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
            check_not_written(Path(path))
            folder = pin_store(Path(path))
            return ox.Store.read_only(str(folder))
        return ox.Store(str(path))
    except StoreError:
        raise
    except OSError as exc:
        raise StoreError(f"cannot open the store {path}: {' '.join(str(exc).split())}") from exc


def check_graph_iri(graph: str | None) -> None:
    """Check the ``--graph`` IRI of a load.

    Raises:
        UsageError: when ``graph`` is not an absolute IRI (a scheme, then no
            space, control character or ``<>"{}|\\^```).
    """
    if graph is not None and not _ABSOLUTE_IRI.fullmatch(graph):
        raise UsageError(f"--graph must be an absolute IRI (e.g. https://example.org/graph/a), got {graph!r}")


_ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|\\^`\x7f]+')


@dataclass
class _CheckedGraph:
    """A graph of a dump, read and checked, waiting to be loaded."""

    name: ox.NamedNode
    triples: int
    ntriples: bytes
    source: Path


def _check_dumps(files: Sequence[Path], graph: str | None) -> list[_CheckedGraph]:
    """Read and check every dump before anything is loaded; the graphs in
    load order, a graph given by several files taking the last file's
    triples (as loading them one after the other would).

    Raises:
        SourceError: for the first dump that cannot be read or parsed.
    """
    checked: dict[str, _CheckedGraph] = {}
    for path in files:
        for name, triples in read_graphs(path, graph).items():
            assert isinstance(name, ox.NamedNode)  # read_graphs names every graph
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            checked.pop(name.value, None)
            checked[name.value] = _CheckedGraph(name, len(triples), body, path)
    return list(checked.values())


def load_store(
    store: Path | ox.Store,
    sources: Sequence[Path],
    *,
    graph: str | None = None,
    on_graph: Callable[[GraphLoad], None] | None = None,
    progress: LoadProgress | None = None,
) -> list[GraphLoad]:
    """Load the dumps ``sources`` (files or build folders) into the embedded
    store ``store``, all or nothing, replacing each graph they give (a graph
    given by several files takes the last file's triples) and refreshing
    the materialised union (:func:`refresh_union`).

    - A store folder: :func:`load_store_folder` (the bulk loader into a new
      generation, switched to in one step; the listing index of the named
      queries is built there). Each dump is parsed once, while it is
      loaded. ``progress`` gets the phases (:data:`osce_kg.bulkload.LoadProgress`).
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
        return load_store_folder(Path(store), sources, graph=graph, on_graph=on_graph, progress=progress).loads
    check_graph_iri(graph)
    files = dump_files(sources)
    checked = _check_dumps(files, graph)
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
) -> LoadOutcome:
    """Load the dumps ``sources`` (files or build folders) into the store
    folder ``path`` at the speed of the bulk loader, all or nothing
    (:func:`osce_kg.bulkload.bulk_load_store`); ``on_graph`` is called for
    each graph afterwards, ``progress`` during the load.

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
    outcome = bulk_load_store(Path(path), files, graph=graph, progress=progress)
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
    large build ran out of memory. :func:`select_store` queries this
    materialised union when it is there.
    """
    store.update("CLEAR SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))


def named_quads(store: ox.Store) -> int:
    """Quads in the store's named graphs (the loaded dumps), not counting the
    materialised union in the default graph."""
    return sum(1 for q in store if not isinstance(q.graph_name, ox.DefaultGraph))


def _has_default_graph(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class QueryAnswer:
    """The answer to a SPARQL query, whatever its form.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        variables: the projected variables (SELECT).
        rows: one tuple per solution, aligned with ``variables``, ``None``
            where unbound (SELECT).
        boolean: the answer of an ASK query, else None.
        triples: the graph of a CONSTRUCT or DESCRIBE query.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[OxTerm | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()


#: query forms :func:`query_form` tells apart
QUERY_FORMS: tuple[str, ...] = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str:
    """The form of the SPARQL 1.1 query ``text`` (one of :data:`QUERY_FORMS`),
    read with rdflib's parser: the syntax is checked here, before the query
    goes to any store.

    Raises:
        SyntaxError: when ``text`` is not a SPARQL 1.1 query (an update
            included); the message gives the line and column.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from .sparql_lexer import parser_stack

    try:
        with parser_stack():
            parsed = parseQuery(text)
    except ParseBaseException as exc:
        try:
            parseUpdate(text)
        except ParseBaseException:
            raise SyntaxError(" ".join(str(exc).split())) from None
        raise SyntaxError("this is a SPARQL update, not a query; updates are not run by osce-kg") from None
    name = str(parsed[1].name)
    return name[: -len("Query")].upper() if name.endswith("Query") else name.upper()


def _answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, form: str) -> QueryAnswer:
    if isinstance(result, ox.QuerySolutions) and form == "ASK":
        # Virtuoso 7 answers ASK with one solution binding __ASK_RETVAL to 1 or 0
        values = [solution[v] for solution in result for v in result.variables]
        return QueryAnswer("ASK", boolean=any(getattr(value, "value", "") in ("1", "true") for value in values))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(solution[v] for v in variables) for solution in result)
        return QueryAnswer("SELECT", variables=variables, rows=rows)
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer("ASK", boolean=bool(result))
    return QueryAnswer(form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", triples=tuple(result))


def query_store(store: Path | ox.Store, text: str) -> QueryAnswer:
    """Run the query ``text`` (any form) on the embedded store (opened
    read-only when a folder is given), over the union of its graphs: the
    materialised union of :func:`refresh_union` when the store has one, else
    Oxigraph's union default graph.

    Raises:
        StoreError: when the store cannot be opened.
        SyntaxError: when the query does not parse (the caller names the file).
    """
    form = query_form(text)
    target = open_store(Path(store), read_only=True) if not isinstance(store, ox.Store) else store
    try:
        result = target.query(text, use_default_graph_as_union=not _has_default_graph(target))
        return _answer(result, form)
    except OSError as exc:
        raise _read_error(store, text, exc) from exc


def _read_error(store: Path | ox.Store, text: str, exc: OSError) -> StoreError:
    """The error of a query the store failed: the SERVICE request when the
    query has one, else the store."""
    from .guard import uses_service

    if uses_service(text):
        return StoreError(f"the query's SERVICE request failed: {exc}")
    return StoreError(f"cannot read the store {store}: {exc}")


def stream_store(store: Path | ox.Store, text: str) -> tuple[tuple[str, ...], Iterator[tuple[OxTerm | None, ...]]]:
    """Run the SELECT query ``text`` on the embedded store (see
    :func:`query_store`) and give its rows as Oxigraph yields them: nothing
    is read before the caller asks for the first row, and a query without a
    blocking operator (``ORDER BY``, aggregates) yields its first rows at
    once. The store stays open while the rows are read.

    Returns:
        (variable names, iterator of rows of pyoxigraph terms or None).

    The text is parsed by Oxigraph only (not first by rdflib, as
    :func:`query_store` does: that costs more than a selective query).

    Raises:
        StoreError: when the store cannot be opened or read (also while the
            rows are read).
        SyntaxError: when the query does not parse.
        UsageError: for an ASK, CONSTRUCT or DESCRIBE query.
    """
    target = open_store(Path(store), read_only=True) if not isinstance(store, ox.Store) else store
    try:
        result = target.query(text, use_default_graph_as_union=not _has_default_graph(target))
    except OSError as exc:
        raise _read_error(store, text, exc) from exc
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError("this is not a SELECT query; a SELECT query is needed here")
    variables = tuple(v.value for v in result.variables)

    def rows() -> Iterator[tuple[OxTerm | None, ...]]:
        keep_open = target  # noqa: F841 - the store must outlive the iteration
        try:
            for solution in result:
                yield tuple(solution[v] for v in variables)
        except OSError as exc:
            raise _read_error(store, text, exc) from exc

    return variables, rows()


def select_store(store: Path | ox.Store, text: str) -> tuple[tuple[str, ...], list[tuple[OxTerm | None, ...]]]:
    """Run the SELECT query ``text`` on the embedded store (see
    :func:`query_store`).

    Returns:
        (variable names, rows of pyoxigraph terms or None for unbound).

    Raises:
        StoreError: when the store cannot be opened.
        SyntaxError: when the query does not parse (the caller names the file).
        UsageError: for an ASK, CONSTRUCT or DESCRIBE query.
    """
    answer = query_store(store, text)
    if answer.form != "SELECT":
        raise UsageError(f"this is a {answer.form} query; a SELECT query is needed here")
    return answer.variables, list(answer.rows)


# ---------------------------------------------------------------------------
# HTTP


def public_url(url: str) -> str:
    """``url`` without user-info (``user:password@``), fit for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _redact(text: str, credentials: Credentials | None, url: str) -> str:
    parts = urlsplit(url)
    for secret in (credentials.password if credentials else "", parts.password or ""):
        if secret:
            text = text.replace(secret, "***")
    return text


def _check_endpoint(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"endpoint must be an http(s) URL, got {public_url(url)!r}")


def _client(credentials: Credentials | None, policy: RetryPolicy) -> httpx.Client:
    return httpx.Client(
        auth=credentials.auth() if credentials else None,
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
        headers={"User-Agent": "osce-kg"},
    )


def _send(
    client: httpx.Client,
    request: httpx.Request,
    *,
    what: str,
    endpoint: str,
    policy: RetryPolicy,
    credentials: Credentials | None,
    sleep: Callable[[float], None] = time.sleep,
) -> httpx.Response:
    """Send ``request``, retrying connection errors, timeouts and 5xx
    statuses; return the first response with a status below 500.

    Raises:
        StoreError: after the last attempt, naming ``endpoint`` and ``what``.
    """
    attempts = max(0, policy.retries) + 1
    problem = ""
    for attempt in range(attempts):
        try:
            response = client.send(request)
        except httpx.TransportError as exc:  # connect errors, timeouts, broken connections
            problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            if response.status_code < 500:
                return response
            problem = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
            excerpt = " ".join(response.text.split())[:200]
            if excerpt:
                problem += f": {excerpt}"
        problem = _redact(problem, credentials, str(request.url))
        if attempt + 1 < attempts:
            delay = policy.backoff * (2**attempt)
            log.warning("%s at %s: %s; retry %d/%d in %.2fs", what, endpoint, problem, attempt + 1, attempts - 1, delay)
            sleep(delay)
    raise StoreError(f"{endpoint}: {what} failed after {attempts} attempt(s): {problem}")


def _graph_url(url: str, name: GraphName) -> httpx.URL:
    base = httpx.URL(url)
    if isinstance(name, ox.DefaultGraph):
        query = base.query.decode("ascii")
        return base.copy_with(query=(query + "&" if query else "").encode("ascii") + b"default")
    return base.copy_merge_params({"graph": name.value})


#: graphs of a remote load from which they are sent in parallel batches
PARALLEL_FROM = 64


def load_endpoint(
    endpoint: str,
    sources: Sequence[Path],
    *,
    graph: str | None = None,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    on_graph: Callable[[GraphLoad], None] | None = None,
    client: httpx.Client | None = None,
    parallel: int = 4,
) -> list[GraphLoad]:
    """Load the dumps ``sources`` into the remote store whose Graph Store
    Protocol service is ``endpoint`` (e.g. ``http://localhost:7878/store``):
    every dump is read and checked first (nothing is sent for a bad one),
    then one ``PUT`` per graph, body ``application/n-triples``, each replacing
    one graph in one request. From :data:`PARALLEL_FROM` graphs on (a site's
    release: one graph per page), the first graph is sent alone (the
    authentication scheme is settled on it), then the others in batches of
    ``parallel`` requests at once, a batch after the other (at most
    ``parallel`` requests in flight). The protocol has no transaction over
    several graphs: when a ``PUT`` fails, the rest of its batch is still
    awaited and the error says which graphs were replaced and which were not
    (load again to finish). ``on_graph`` is called after each graph, in the
    order of the graphs. For very large loads the store's own bulk loader is
    faster still (README, "Virtuoso, Jena, Fuseki, GraphDB").

    Raises:
        UsageError: when ``endpoint`` is not an http(s) URL, or ``parallel``
            is below 1.
        SourceError: for a dump that cannot be read or parsed.
        StoreError: when a request still fails after the retries, or the
            store answers 4xx; the message names the endpoint and the graph.
    """
    from concurrent.futures import ThreadPoolExecutor

    _check_endpoint(endpoint)
    check_graph_iri(graph)
    if parallel < 1:
        raise UsageError(f"--parallel must be 1 or more, got {parallel}")
    policy = policy or RetryPolicy()
    shown = public_url(endpoint)
    checked = _check_dumps(dump_files(sources), graph)
    loads: list[GraphLoad] = []
    own = client is None
    http = client or _client(credentials, policy)

    def put(item: _CheckedGraph) -> GraphLoad:
        label = item.name.value
        request = http.build_request(
            "PUT", _graph_url(endpoint, item.name), content=item.ntriples,
            headers={"Content-Type": "application/n-triples"},
        )
        response = _send(http, request, what=f"PUT of graph {label}", endpoint=shown, policy=policy, credentials=credentials)
        if response.status_code >= 300:
            excerpt = _redact(" ".join(response.text.split())[:200], credentials, endpoint)
            raise StoreError(
                f"{shown}: PUT of graph {label} refused: HTTP {response.status_code} {response.reason_phrase}"
                + (f": {excerpt}" if excerpt else "")
            )
        return GraphLoad(label, item.triples, response.status_code, item.source)

    def done(load: GraphLoad) -> None:
        log.info("loaded %s: %d triples, HTTP %s", load.graph, load.triples, load.status)
        loads.append(load)
        if on_graph is not None:
            on_graph(load)

    def failed(exc: StoreError) -> StoreError:
        replaced = {load.graph for load in loads}
        return StoreError(f"{exc}; {_progress_note(loads, [item for item in checked if item.name.value not in replaced])}")

    width = parallel if len(checked) >= PARALLEL_FROM else 1
    try:
        if width == 1:
            for item in checked:
                try:
                    done(put(item))
                except StoreError as exc:
                    raise failed(exc) from exc
        else:
            try:
                done(put(checked[0]))
            except StoreError as exc:
                raise failed(exc) from exc
            log.info("sending %d graphs, %d at a time", len(checked) - 1, width)
            with ThreadPoolExecutor(max_workers=width, thread_name_prefix="gsp-put") as pool:
                for start in range(1, len(checked), width):
                    futures = [pool.submit(put, item) for item in checked[start : start + width]]
                    first: StoreError | None = None
                    for future in futures:
                        try:
                            done(future.result())
                        except StoreError as exc:
                            first = first or exc
                    if first is not None:
                        raise failed(first) from first
    finally:
        if own:
            http.close()
    return loads


def _progress_note(done: list[GraphLoad], left: list[_CheckedGraph]) -> str:
    """Which graphs a failed remote load replaced, and which it did not."""
    replaced = ", ".join(load.graph for load in done[:20]) + (" ..." if len(done) > 20 else "")
    kept = ", ".join(item.name.value for item in left[:20]) + (" ..." if len(left) > 20 else "")
    head = f"{len(done)} of {len(done) + len(left)} graph(s) were replaced before that" + (f" ({replaced})" if done else "")
    return f"{head}; not replaced: {kept}"


#: media types of graph results -> pyoxigraph format
GRAPH_RESULT_FORMATS: dict[str, ox.RdfFormat] = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

#: media types of SELECT/ASK results -> pyoxigraph format
SOLUTION_RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

_ACCEPT = {
    "SELECT": "application/sparql-results+json, application/sparql-results+xml;q=0.8",
    "ASK": "application/sparql-results+json, application/sparql-results+xml;q=0.8",
    "CONSTRUCT": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5",
    "DESCRIBE": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5",
}


def query_request(client: httpx.Client, endpoint: str, text: str, *, accept: str, method: str = "auto") -> httpx.Request:
    """The SPARQL 1.1 Protocol request (§2.1) that sends the query ``text``
    to ``endpoint``: ``get`` (§2.1.1, ``?query=`` in the URL), ``post``
    (§2.1.2, form-encoded body: what every store answers, Virtuoso included),
    ``direct`` (§2.1.3, the query as the ``application/sparql-query`` body)
    or ``auto`` (GET when the URL stays within :data:`GET_URL_LIMIT`
    characters, else form-encoded POST).

    Raises:
        UsageError: for a method not in :data:`QUERY_METHODS`.
    """
    headers = {"Accept": accept}
    if method in ("auto", "get"):
        url = httpx.URL(endpoint).copy_merge_params({"query": text})
        if method == "get" or len(str(url)) <= GET_URL_LIMIT:
            return client.build_request("GET", url, headers=headers)
        method = "post"
    if method == "post":
        return client.build_request("POST", endpoint, data={"query": text}, headers=headers)
    if method == "direct":
        headers["Content-Type"] = "application/sparql-query; charset=utf-8"
        return client.build_request("POST", endpoint, content=text.encode("utf-8"), headers=headers)
    raise UsageError(f"unknown query method {method!r}; use one of: {', '.join(QUERY_METHODS)}")


def query_endpoint(
    endpoint: str,
    text: str,
    *,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    client: httpx.Client | None = None,
    method: str = "auto",
) -> QueryAnswer:
    """Send the query ``text`` (any form; its syntax is checked first, by
    :func:`query_form`) to the SPARQL endpoint ``endpoint`` (e.g.
    ``http://localhost:7878/query``, Virtuoso's ``http://host:8890/sparql``,
    Fuseki's ``http://host:3030/ds/query``) as :func:`query_request` builds
    it, and read the answer: SPARQL JSON or XML results (SELECT, ASK),
    N-Triples, Turtle or RDF/XML (CONSTRUCT, DESCRIBE).

    Raises:
        SyntaxError: when ``text`` does not parse (nothing is sent).
        UsageError: for a non-http(s) endpoint or an unknown method.
        StoreError: when the request fails after the retries, the endpoint
            answers 4xx (its message, e.g. a syntax error, is quoted), or the
            answer cannot be read.
    """
    form = query_form(text)
    _check_endpoint(endpoint)
    policy = policy or RetryPolicy()
    shown = public_url(endpoint)
    own = client is None
    http = client or _client(credentials, policy)
    try:
        request = query_request(http, endpoint, text, accept=_ACCEPT[form], method=method)
        response = _send(http, request, what="query", endpoint=shown, policy=policy, credentials=credentials)
        if response.status_code >= 300:
            excerpt = _redact(" ".join(response.text.split())[:300], credentials, endpoint)
            raise StoreError(f"{shown}: query refused: HTTP {response.status_code} {response.reason_phrase}" + (f": {excerpt}" if excerpt else ""))
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if form in ("SELECT", "ASK"):
                if media not in SOLUTION_RESULT_FORMATS:
                    raise StoreError(f"{shown} answered {media or 'no content type'}, not SPARQL query results")
                return _answer(ox.parse_query_results(response.content, format=SOLUTION_RESULT_FORMATS[media]), form)
            if media not in GRAPH_RESULT_FORMATS:
                raise StoreError(f"{shown} answered {media or 'no content type'}, not an RDF graph")
            triples = tuple(
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(response.content, format=GRAPH_RESULT_FORMATS[media], base_iri=str(request.url))
            )
            return QueryAnswer(form, triples=triples)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{shown}: unreadable query results: {' '.join(str(exc).split())}") from exc
    finally:
        if own:
            http.close()


def select_endpoint(
    endpoint: str,
    text: str,
    *,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    client: httpx.Client | None = None,
    method: str = "auto",
) -> tuple[tuple[str, ...], list[tuple[OxTerm | None, ...]]]:
    """Send the SELECT query ``text`` to ``endpoint`` (see
    :func:`query_endpoint`).

    Returns:
        (variable names, rows of pyoxigraph terms or None for unbound).

    Raises:
        SyntaxError: when ``text`` does not parse.
        UsageError: for a non-http(s) endpoint, or a query that is not SELECT.
        StoreError: when the request fails after the retries or the endpoint
            answers 4xx.
    """
    answer = query_endpoint(endpoint, text, credentials=credentials, policy=policy, client=client, method=method)
    if answer.form != "SELECT":
        raise UsageError(f"this is a {answer.form} query; a SELECT query is needed here")
    return answer.variables, list(answer.rows)


# ---------------------------------------------------------------------------
# server


def oxigraph_executable() -> str:
    """The ``oxigraph`` program of the ``oxigraph`` package: next to the
    running Python first (a virtual environment's ``bin``), else on PATH.

    Raises:
        StoreError: when it is not installed.
    """
    names = ["oxigraph.exe", "oxigraph"] if os.name == "nt" else ["oxigraph"]
    for folder in (Path(sys.executable).parent, Path(sys.executable).resolve().parent):
        for name in names:
            candidate = folder / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the oxigraph server is not installed (pip install oxigraph)")


#: ``serve`` query timeout by default, in seconds (oxigraph ``--timeout-s``)
DEFAULT_QUERY_TIMEOUT = 60


def _split_bind(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) as (host, port).

    Raises:
        UsageError: when ``bind`` is not of that form.
    """
    host, sep, port = bind.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--bind must be HOST:PORT (e.g. 127.0.0.1:7878), got {bind!r}")
    return host, int(port)


def is_loopback(host: str) -> bool:
    """True when ``host`` (a name or an address) is only reachable from this
    machine: ``localhost``, 127.0.0.0/8, ``::1``."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port_free(bind: str) -> None:
    """Make sure the server can listen on ``bind``.

    Raises:
        UsageError: for a malformed ``bind`` or a host that does not resolve.
        StoreError: when the address is in use or cannot be listened on; the
            message names the address.
    """
    host, port = _split_bind(bind)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--bind {bind}: unknown host {host!r} ({exc.strerror})") from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        try:
            if os.name == "posix":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StoreError(f"cannot serve on {bind}: the address is already in use (another server? choose another port with --bind HOST:PORT)") from exc
            raise StoreError(f"cannot serve on {bind}: {exc.strerror or exc}") from exc


def store_writer(path: Path) -> int | None:
    """The id of a process that has the Oxigraph store at ``path`` open for
    writing (a ``serve --writable``, a ``load``), or None when there is none.
    -1 when a process holds it but its id is not known.

    Oxigraph (RocksDB) holds a POSIX lock on the store's ``LOCK`` file while
    it is open for writing; a read-only open ignores that lock, and reading a
    store that another process writes gives stale data (or worse), so readers
    ask first. The lock is looked up in ``/proc/locks`` (Linux) by the
    file's device and inode, without opening the file: closing any file
    descriptor of a file drops the POSIX locks this process holds on it. On
    systems without ``/proc/locks`` nothing is found (None).
    """
    try:
        info = (Path(path) / "LOCK").stat()
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in table.splitlines():
        fields = line.split()
        if "->" in fields:  # a process waiting for the lock, not holding it
            continue
        if len(fields) >= 6 and fields[5] == wanted and fields[3] == "WRITE":
            return int(fields[4]) if fields[4].lstrip("-").isdigit() and int(fields[4]) > 0 else -1
    return None


def check_not_written(path: Path) -> None:
    """Refuse to read the store at ``path`` while another process writes it.

    Raises:
        StoreError: naming the store and the process.
    """
    writer = store_writer(path)
    if writer is not None:
        who = f"process {writer}" if writer > 0 else "another process"
        raise StoreError(
            f"the store {path} is open for writing by {who} (a serve --writable or a load): reading it now would give "
            "stale data, so it is not opened; query that server's endpoint instead (osce-kg query --endpoint "
            "http://HOST:PORT/query), or stop it first"
        )


def serve_command(
    store: Path,
    bind: str = "127.0.0.1:7878",
    *,
    writable: bool = False,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    cors: bool = False,
) -> list[str]:
    """The command line that serves ``store`` with the SPARQL 1.1 Protocol at
    ``http://{bind}/query`` (and the Graph Store Protocol at ``/store``),
    the default graph being the union of all graphs; queries stop after
    ``timeout`` seconds; cross-origin requests are allowed with ``cors``.

    Raises:
        StoreError: when the oxigraph program is missing, or ``store`` does not
            exist and the server is to be read-only.
    """
    if not writable and not Path(store).is_dir():
        raise StoreError(f"no store at {store} (load data into it first: osce-kg load DUMP --store {store}, or serve with --writable)")
    mode = "serve" if writable else "serve-read-only"
    # the generation the store path names now, held while this process runs
    location = pin_store(Path(store)) if Path(store).is_dir() else Path(store)
    command = [oxigraph_executable(), mode, "--location", str(location), "--bind", bind, "--timeout-s", f"{timeout:g}"]
    if cors:
        command.append("--cors")
    if writable or not _store_has_union(location):
        # no materialised union (see refresh_union): let the server make one
        command.append("--union-default-graph")
    return command


def _store_has_union(path: Path) -> bool:
    """True when the store at ``path`` holds the materialised union of its
    graphs as its default graph (stores filled by :func:`load_store` do)."""
    try:
        store = ox.Store.read_only(str(path))
    except OSError:
        return False
    try:
        return _has_default_graph(store)
    finally:
        del store


def serve(
    store: Path,
    bind: str = "127.0.0.1:7878",
    *,
    writable: bool = False,
    allow_anonymous_updates: bool = False,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    cors: bool = False,
    allow_service: bool = False,
    on_ready: Callable[[str], None] | None = None,
    max_result_bytes: int | None = None,
) -> int:
    """Serve ``store`` on ``bind`` until stopped (Ctrl-C, SIGTERM).

    The oxigraph server answers; queries stop after ``timeout`` seconds;
    ``cors`` allows cross-origin requests. Unless ``allow_service``, it
    listens on a free loopback port behind :mod:`osce_kg.guard`, which
    refuses SPARQL ``SERVICE`` (the server would fetch any URL a client
    names); with ``allow_service`` the process becomes the server (exec on
    POSIX), listening on ``bind`` itself. ``on_ready`` is called with the
    server's URL once it listens (behind the guard only; oxigraph says so
    itself). Behind the guard a SPARQL answer is sent only when whole: one
    cancelled at ``timeout`` (or not whole 1.5 s after it) gets HTTP 504, one
    larger than ``max_result_bytes`` (:data:`osce_kg.guard.MAX_RESULT_BYTES`
    by default) gets 507.

    Returns:
        the server's exit status.

    Raises:
        UsageError: for a malformed ``bind``, or ``writable`` on an address
            other than loopback without ``allow_anonymous_updates``.
        StoreError: when the store is missing (read-only), another process
            writes it, the address is in use, or the server does not start.
    """
    host, port = _split_bind(bind)
    if writable and not is_loopback(host) and not allow_anonymous_updates:
        raise UsageError(
            f"--writable on {bind}, an address other than loopback, would let anyone who can connect change the store "
            "without a password; serve on 127.0.0.1 behind a reverse proxy that authenticates (README, \"Serving\"), "
            "or accept it explicitly with --allow-anonymous-updates"
        )
    if Path(store).is_dir():
        check_not_written(Path(store))
    check_port_free(bind)
    if allow_service:
        command = serve_command(store, bind, writable=writable, timeout=timeout, cors=cors)
        log.warning("SPARQL SERVICE is allowed: clients can make this server fetch any URL")
        log.info("running %s", " ".join(command))
        sys.stdout.flush()
        sys.stderr.flush()
        if os.name == "posix":
            keep_pins_across_exec()
            os.execv(command[0], command)
        return subprocess.call(command)  # pragma: no cover - Windows
    return _serve_guarded(
        store, host, port, writable=writable, timeout=timeout, cors=cors, on_ready=on_ready, max_result_bytes=max_result_bytes
    )


def _serve_guarded(
    store: Path, host: str, port: int, *, writable: bool, timeout: float, cors: bool, on_ready: Callable[[str], None] | None,
    max_result_bytes: int | None = None,
) -> int:
    """oxigraph on a free loopback port, :mod:`osce_kg.guard` on ``host:port``."""
    import signal

    from .guard import Backend, make_guard

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        backend_port = int(probe.getsockname()[1])
    command = serve_command(store, f"127.0.0.1:{backend_port}", writable=writable, timeout=timeout, cors=cors)
    log.info("running %s", " ".join(command))
    backend = Backend(command, backend_port)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    guard = None
    try:
        try:
            backend.start()
        except OSError as exc:
            raise StoreError(str(exc)) from None
        try:
            guard = make_guard(host, port, backend_port, backend_timeout=timeout + 30)
        except OSError as exc:
            raise StoreError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
        guard.backend = backend
        guard.query_timeout = timeout
        if max_result_bytes is not None:
            guard.max_result_bytes = max_result_bytes
        backend.watch(guard.shutdown)
        shown = f"[{host}]" if ":" in host else host
        log.info("guard on %s:%d in front of oxigraph on 127.0.0.1:%d", host, port, backend_port)
        if on_ready is not None:
            on_ready(f"http://{shown}:{port}/")
        guard.serve_forever()
        if backend.failure:
            raise StoreError(backend.failure)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if guard is not None:
            guard.server_close()
        backend.stop()
    return 0  # pragma: no cover - serve_forever returns only on shutdown
