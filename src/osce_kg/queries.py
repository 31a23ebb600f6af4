"""Named SPARQL queries over the osce-kg graph, with typed parameters.

A named query is a ``NAME.rq`` file in the package folder
``src/osce_kg/queries/`` (:func:`osce_kg.resources.queries_dir`), or any
``.rq`` file given by path. Comment lines at the top declare its metadata::

    # title: Statements with their speaker, role, meeting, date and source
    # param: speaker (literal) - exact name of the speaker, e.g. "Håkan Jeverell"
    # param: meeting (iri) - IRI of a meeting

Parameter kinds: ``literal``, ``iri``, ``date`` (``YYYY-MM-DD``),
``integer`` and ``boolean`` (``true``/``false``).

Parameters are never spliced into the query text. The parameter ``NAME`` is
the SPARQL variable ``?param_NAME``; its value is passed to rdflib as an
initial binding (``initBindings``), and the query uses that variable only in
a ``FILTER`` that holds when it is unbound, e.g.
``FILTER(!BOUND(?param_speaker) || STR(?speaker) = STR(?param_speaker))``.
Why a separate variable: rdflib applies ``initBindings`` as bindings that are
in scope everywhere in the query, so binding an output variable that is set
inside an ``OPTIONAL`` does not filter (rows where the ``OPTIONAL`` fails keep
the bound value) and bindings do not reach sub-queries; a variable read only by
a ``FILTER`` behaves as a filter would (see tests/test_queries.py).

The same query runs on RDF files (rdflib), on the embedded Oxigraph store
(:func:`run_query_store`) and at a SPARQL endpoint (:func:`run_query_endpoint`),
giving the same rows. Those two take no initial bindings, so the parameters
become an inline ``VALUES`` block at the start of the WHERE group
(:func:`with_values`). The shipped queries are ``SELECT DISTINCT`` and
aggregate only over ``DISTINCT`` sub-selects: stores whose union default graph
is a multiset (Oxigraph 0.5, Virtuoso) see a triple once per graph holding it
(a Chairpersonship named on several pages), and the rows must not depend on
that.

Literal parameters are compared by their text (``STR``), so ``"Sweden"``
matches ``"Sweden"``, ``"Sweden"@en`` and ``"Sweden"^^xsd:string`` alike
(in a store or at an endpoint, a parameter with a hint line matches the
plain literal and the literals tagged with a language of the data,
:func:`literal_candidates`).

Site scale (tens of thousands of pages): a FILTER on ``?param_NAME`` is
tested on every row, so a query with a selective parameter would cost as
much as the whole listing. A hint line ``#+NAME pattern`` inside the WHERE
group restates that FILTER as a graph pattern on ``?param_NAME``; osce-kg
makes it part of the query when NAME is given (:func:`prepare_text`), and
the engine starts from the value. The shipped queries are plain patterns
from the row's subject, which Oxigraph evaluates as index lookups, with
sub-selects only for aggregates. A ``# key: VAR`` line names the variable
every row belongs to: ``osce-kg load`` writes a listing index of those
values in row order into the store folder (:func:`build_listing_index`),
and a listing without parameters is read batch by batch along it
(:func:`stream_query_store`), so its first rows come without sorting every
row. Rows are streamed: ``osce-kg query`` prints them as they come, and
``--limit``/``--offset`` cut the joined rows.

Result formats follow the W3C SPARQL 1.1 Query Results JSON Format
(https://www.w3.org/TR/sparql11-results-json/) and CSV (RFC 4180).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from xml.sax.saxutils import escape as xml_escape
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import SourceError, UsageError
from .oxterms import XSD_STRING, from_ox, to_ox
from .resources import queries_dir
from .sparql_lexer import LexError, parser_stack, tokenize
from .store import Credentials, QueryAnswer, RetryPolicy, query_endpoint, query_form, query_store
from .validate import compact_iri
from .vocab import DEFAULT_BASE_IRI, PREFIXES

log = logging.getLogger(__name__)

__all__ = [
    "PARAMETER_KINDS",
    "RESULT_FORMATS",
    "QueryParameter",
    "NamedQuery",
    "QueryResult",
    "list_queries",
    "get_query",
    "bind_parameters",
    "run_query",
    "run_query_store",
    "run_query_endpoint",
    "with_values",
    "check_query",
    "fold",
    "folded_filters",
    "apply_folded",
    "MATCH_MODES",
    "IRI_PREFIXES",
    "format_result",
    "join_values",
    "query_from_text",
    "GRAPH_FORMATS",
    "JOIN_SEPARATOR",
    "query_kind",
    "restrict_to_keys",
    "join_adjacent",
    "clear_listing_index",
    "build_listing_index",
    "prepare_text",
    "write_stream",
    "stream_result",
    "stream_query_store",
    "QueryStream",
]

#: Kinds a parameter can be declared with.
PARAMETER_KINDS: tuple[str, ...] = ("literal", "iri", "date", "integer", "boolean")

#: Output formats of :func:`format_result` for SELECT and ASK results.
RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml")

#: Output formats of :func:`format_result` for CONSTRUCT and DESCRIBE
#: results (rdflib serializer names); ``table`` means ``turtle``, ``json``
#: ``json-ld`` and ``xml`` RDF/XML.
GRAPH_FORMATS: tuple[str, ...] = ("turtle", "nt", "nquads", "trig", "json-ld", "xml")

#: How the values of a ``# join:`` column are joined.
JOIN_SEPARATOR = "; "

#: How a literal parameter matches (``# param: NAME (literal, MATCH)``):
#: ``exact`` compares the text (``STR``) whole, case and accents included;
#: ``folded`` is a case- and accent-insensitive substring of the result
#: column of the same name, applied by osce-kg to the rows the engine gives
#: (:func:`apply_folded`): the same rows on every engine.
MATCH_MODES: dict[str, str] = {
    "exact": "exact text, case and accents included",
    "folded": "part of the text, any case, accents ignored",
}

#: Prefix of the SPARQL variable that carries a parameter's value.
PARAM_VARIABLE_PREFIX = "param_"

#: Widest cell of the ``table`` format, in characters; longer values are cut.
TABLE_CELL_WIDTH = 120

_JOIN_LINE = re.compile(r"^#\s*join\s*:\s*(?P<names>.+?)\s*$", re.IGNORECASE)
_KEY_LINE = re.compile(r"^#\s*key\s*:\s*(?P<name>\S+)\s*$", re.IGNORECASE)
#: a hint line: ``#+NAME`` then graph patterns, made part of the query when
#: the parameter NAME is given (:func:`prepare_text`)
_HINT_LINE = re.compile(r"^(?P<indent>[ \t]*)#\+(?P<name>[A-Za-z][A-Za-z0-9_]*)(?=[ \t])", re.MULTILINE)
_TITLE_LINE = re.compile(r"^#\s*title\s*:\s*(?P<title>.+?)\s*$", re.IGNORECASE)
_PARAM_LINE = re.compile(
    r"^#\s*param\s*:\s*(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\(\s*(?P<kind>[A-Za-z]+)\s*(?:,\s*(?P<match>[A-Za-z-]+)\s*)?\)"
    r"\s*(?:[-–—:]\s*(?P<description>.*?))?\s*$",
    re.IGNORECASE,
)
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`]')
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


@dataclass(frozen=True)
class QueryParameter:
    """A parameter declared in a query's header.

    Attributes:
        name: the name used on the command line (``--param NAME=value``).
        kind: one of :data:`PARAMETER_KINDS`.
        description: the text after the dash, for ``osce-kg query --list``.
        match: for a literal, one of :data:`MATCH_MODES` (default ``exact``).
    """

    name: str
    kind: str
    description: str
    match: str = "exact"

    @property
    def semantics(self) -> str:
        """How the value is compared, in words (``query --list``)."""
        if self.kind == "literal":
            return MATCH_MODES[self.match]
        if self.kind == "iri":
            return "an absolute IRI, or a prefixed one such as id:meeting/…"
        if self.kind == "date":
            return "a date YYYY-MM-DD"
        return f"{'true or false' if self.kind == 'boolean' else 'an integer'}"

    @property
    def variable(self) -> str:
        """The SPARQL variable (without ``?``) that receives the value."""
        return PARAM_VARIABLE_PREFIX + self.name


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL SELECT query read from an ``.rq`` file.

    Attributes:
        name: the file name without ``.rq``.
        title: the ``# title:`` line, else the name.
        text: the whole file, as read (never modified).
        parameters: the ``# param:`` lines, in file order.
        path: the file (``-`` for standard input, ``<--query>`` for inline
            text).
        joined: the ``# join:`` columns: the query gives one row per value
            of each, and :func:`join_values` makes them one row with the
            values joined by :data:`JOIN_SEPARATOR` in code point order (the
            same on every engine, unlike ``GROUP_CONCAT``, whose order
            SPARQL leaves open).
        key: the ``# key:`` variable: every row belongs to one value of
            it (bound in every solution, an IRI), and the rows of the query
            restricted to some of its values are those rows of the whole
            query; a store's listing index can then give the rows batch
            by batch (:func:`stream_query_store`).
        hinted: the parameters that have ``#+NAME`` hint lines.
    """

    name: str
    title: str
    text: str
    parameters: tuple[QueryParameter, ...]
    path: Path
    joined: tuple[str, ...] = ()
    key: str | None = None
    hinted: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: rows (SELECT), a boolean (ASK) or a graph
    (CONSTRUCT, DESCRIBE).

    Attributes:
        variables: the projected variable names, in SELECT order.
        rows: one tuple per solution, aligned with ``variables``; ``None``
            where a variable is unbound.
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        boolean: the answer of an ASK query.
        graph: the triples of a CONSTRUCT or DESCRIBE query.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Identifier | None, ...], ...]
    form: str = "SELECT"
    boolean: bool | None = None
    graph: Graph | None = None


def _read_query(path: Path) -> NamedQuery:
    """Parse the header of the ``.rq`` file ``path``.

    Raises:
        SourceError: when the file cannot be read, a ``# param:`` line is
            malformed, has an unknown kind or a repeated name, or a declared
            parameter's variable ``?param_NAME`` does not occur in the query.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SourceError(path, "query file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot read query file: {exc}") from exc
    return query_from_text(text, path)


def query_from_text(text: str, path: Path | str = "<--query>", name: str | None = None) -> NamedQuery:
    """A query from its text (a file's, standard input's or ``--query``'s),
    with the metadata of its header comments (see the module docstring).

    Raises:
        SourceError: when a ``# param:`` line is malformed, has an unknown
            kind or a repeated name, or a declared parameter's variable
            ``?param_NAME`` does not occur in the query; or a ``# join:``
            column is not projected.
    """
    path = Path(path)
    title: str | None = None
    key: str | None = None
    parameters: list[QueryParameter] = []
    joined: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        if (match := _TITLE_LINE.match(stripped)) is not None:
            title = match.group("title")
        elif (match := _KEY_LINE.match(stripped)) is not None:
            key = match.group("name").lstrip("?$")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) or not re.search(rf"[?$]{re.escape(key)}\b", text):
                raise SourceError(path, f"the key {key!r} is not a variable of the query")
        elif (match := _JOIN_LINE.match(stripped)) is not None:
            for column in re.split(r"[\s,]+", match.group("names")):
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", column) or not re.search(rf"[?$]{re.escape(column)}\b", text):
                    raise SourceError(path, f"the join column {column!r} is not a variable of the query")
                joined.append(column)
        elif re.match(r"^#\s*param\s*:", stripped, re.IGNORECASE):
            match = _PARAM_LINE.match(stripped)
            if match is None:
                raise SourceError(path, f"malformed parameter line (want '# param: NAME (KIND) - text'): {stripped}")
            kind = match.group("kind").lower()
            if kind not in PARAMETER_KINDS:
                raise SourceError(path, f"parameter {match.group('name')!r} has unknown kind {kind!r} (known: {', '.join(PARAMETER_KINDS)})")
            mode = (match.group("match") or "exact").lower()
            if mode not in MATCH_MODES or (kind != "literal" and match.group("match")):
                raise SourceError(path, f"parameter {match.group('name')!r}: unknown match {mode!r} (literal parameters: {', '.join(MATCH_MODES)})")
            parameter = QueryParameter(match.group("name"), kind, match.group("description") or "", mode)
            if any(p.name == parameter.name for p in parameters):
                raise SourceError(path, f"parameter {parameter.name!r} declared twice")
            if parameter.match == "folded":
                if not re.search(rf"SELECT\b[^{{]*\?{re.escape(parameter.name)}\b", text, re.IGNORECASE):
                    raise SourceError(path, f"folded parameter {parameter.name!r} needs a result column ?{parameter.name}")
            elif not re.search(rf"\?{re.escape(parameter.variable)}\b", text):
                raise SourceError(path, f"parameter {parameter.name!r} is declared but ?{parameter.variable} is not used in the query")
            parameters.append(parameter)
    declared = {p.name: p for p in parameters}
    hinted: list[str] = []
    for match in _HINT_LINE.finditer(text):
        hint = match.group("name")
        if hint not in declared:
            raise SourceError(path, f"the hint line #+{hint} names no declared parameter")
        if declared[hint].match == "folded":
            raise SourceError(path, f"the hint line #+{hint}: a folded parameter is applied to the rows, it takes no hint")
        if hint not in hinted:
            hinted.append(hint)
    stem = name or path.stem
    return NamedQuery(
        name=stem,
        title=title or stem,
        text=text,
        parameters=tuple(parameters),
        path=path,
        joined=tuple(joined),
        key=key,
        hinted=tuple(hinted),
    )


def list_queries() -> list[NamedQuery]:
    """The named queries shipped with osce-kg, sorted by name.

    Raises:
        SourceError: when a shipped query file has a malformed header.
    """
    folder = queries_dir()
    if not folder.is_dir():
        return []
    return sorted((_read_query(path) for path in folder.glob("*.rq")), key=lambda q: q.name)


def get_query(name_or_path: str) -> NamedQuery:
    """A shipped query by name (``"statements"``), or any ``.rq`` file by path.

    A value ending in ``.rq`` or holding a path separator is taken as a path.

    Raises:
        UsageError: for an unknown name; the message lists the known names.
        SourceError: when the file cannot be read or its header is malformed.
    """
    looks_like_path = name_or_path.endswith(".rq") or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise SourceError(path, "query file not found")
        return _read_query(path)
    candidate = queries_dir() / f"{name_or_path}.rq"
    if re.fullmatch(r"[A-Za-z0-9_.\-]+", name_or_path) and candidate.is_file():
        return _read_query(candidate)
    known = ", ".join(q.name for q in list_queries()) or "(none)"
    raise UsageError(f"unknown query {name_or_path!r}; known queries: {known}")


#: the first word of a SPARQL update (after its prologue)
_UPDATE_WORDS = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*", re.IGNORECASE)


def check_query(query: NamedQuery) -> None:
    """Check ``query`` before it is run anywhere: an update is refused with
    its own message, and the text is parsed here (by Oxigraph's SPARQL 1.1
    parser), so that a syntax error never travels to an endpoint.

    Raises:
        UsageError: when the text is a SPARQL update (``DROP``, ``INSERT``,
            ``LOAD`` ...): ``query`` never changes data.
        SourceError: when the text does not parse (the message gives the
            line and column), or nests deeper than
            :data:`osce_kg.sparql_lexer.MAX_NESTING` levels (no parser is
            asked then: deep nesting overflows their stacks).
    """
    from .guard import uses_service, without_literals
    from .sparql_lexer import MAX_NESTING, nesting_depth

    depth = nesting_depth(query.text, strict=False)
    if depth > MAX_NESTING:
        raise SourceError(
            query.path, f"the query nests {{, ( and [ {depth} levels deep; at most {MAX_NESTING} are accepted (not parsed)"
        )
    bare = without_literals(query.text)
    first = _PROLOGUE.sub("", bare, count=1).split(None, 1)
    if first and first[0].lower().rstrip("{") in _UPDATE_WORDS:
        raise UsageError(
            f"{query.path} is a SPARQL update ({first[0].upper()} ...), not a query: osce-kg query runs SELECT queries "
            "and never changes data; updates are not run"
        )
    if uses_service(query.text):
        return  # evaluating it, even on an empty store, would send the SERVICE request
    try:
        ox.Store().query(query.text)
    except SyntaxError as exc:
        raise SourceError(query.path, f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
#: prefixes an ``iri`` parameter may use: those of the tables (``id:`` is
#: the default base of the data) and :data:`osce_kg.vocab.PREFIXES`
IRI_PREFIXES: dict[str, str] = {"id": DEFAULT_BASE_IRI, **PREFIXES}

#: IRI schemes taken as they are; any other ``x:`` must be a known prefix
IRI_SCHEMES: frozenset[str] = frozenset({"http", "https", "urn", "file", "mailto", "tag", "did", "ftp"})


def _check_iri(value: str, name: str) -> URIRef:
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme and scheme not in IRI_SCHEMES and not value[len(scheme) + 1 :].startswith("//"):
        namespace = IRI_PREFIXES.get(value.split(":", 1)[0])
        if namespace is None:
            known = ", ".join(f"{p}:" for p in IRI_PREFIXES)
            raise UsageError(f"parameter {name!r}: unknown prefix in {value!r}; give a full IRI or use one of {known}")
        value = namespace + value.split(":", 1)[1]
    if not _IRI_SCHEME.match(value) or _IRI_FORBIDDEN.search(value):
        raise UsageError(
            f"parameter {name!r} must be an absolute IRI without spaces or any of <>\"{{}}|\\^`, got {value!r}"
        )
    return URIRef(value)


def _convert(parameter: QueryParameter, value: str) -> Identifier:
    name, kind = parameter.name, parameter.kind
    if kind == "iri":
        return _check_iri(value, name)
    if kind == "literal":
        return Literal(value)
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            dt.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"parameter {name!r} must be a date YYYY-MM-DD, got {value!r}") from None
        return Literal(value, datatype=XSD.date)
    if kind == "integer":
        if not _INTEGER.match(value.strip()):
            raise UsageError(f"parameter {name!r} must be an integer, got {value!r}")
        return Literal(int(value.strip()))
    if kind == "boolean":
        flag = _BOOLEANS.get(value.strip().lower())
        if flag is None:
            raise UsageError(f"parameter {name!r} must be true or false, got {value!r}")
        return Literal(flag)
    raise UsageError(f"parameter {name!r} has unknown kind {kind!r}")  # pragma: no cover - checked on read


def fold(text: str) -> str:
    """``text`` without accents and case: NFKD, combining marks dropped,
    :meth:`str.casefold` ("Håkan" -> "hakan", "STRAßE" -> "strasse")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def folded_filters(query: NamedQuery, params: Mapping[str, str]) -> dict[str, str]:
    """The ``folded`` parameters of ``params``: result column -> folded
    value. osce-kg applies them to the rows (:func:`apply_folded`), not the
    engine: SPARQL has no accent folding, and Virtuoso's ``REGEX`` and
    ``ENCODE_FOR_URI`` mishandle non-ASCII text."""
    declared = {p.name: p for p in query.parameters}
    return {name: fold(value) for name, value in params.items() if name in declared and declared[name].match == "folded"}


def apply_folded(result: QueryResult, filters: Mapping[str, str]) -> QueryResult:
    """The rows of ``result`` whose column holds each folded value of
    ``filters`` (column -> folded value) as a part of its folded text."""
    if not filters or result.form != "SELECT":
        return result
    positions = {result.variables.index(column): value for column, value in filters.items() if column in result.variables}
    rows = tuple(
        row for row in result.rows
        if all(row[i] is not None and value in fold(str(row[i])) for i, value in positions.items())
    )
    return QueryResult(variables=result.variables, rows=rows)


def bind_parameters(query: NamedQuery, params: Mapping[str, str]) -> dict[str, Identifier]:
    """Convert command-line parameter values to RDF terms for ``initBindings``.

    Args:
        query: the query whose ``# param:`` declarations give the kinds.
        params: parameter name -> value as typed by the user.

    Returns:
        SPARQL variable name (``param_NAME``, without ``?``) -> term:
        ``iri`` -> :class:`URIRef`; ``literal`` -> plain :class:`Literal`
        (xsd:string; the queries compare with ``STR()``, so it also matches
        ``@en`` text); ``date`` -> ``xsd:date``; ``integer`` -> ``xsd:integer``;
        ``boolean`` -> ``xsd:boolean``. Parameters not given are left out
        (unbound: the filter does not apply).

    Raises:
        UsageError: for a name the query does not declare (the message lists
            the declared ones), or a value not valid for its kind (an IRI that
            is not absolute or holds spaces or ``<>"{}|\\^```, a date not
            ``YYYY-MM-DD``, ...).
    """
    declared = {p.name: p for p in query.parameters}
    bindings: dict[str, Identifier] = {}
    for name, value in params.items():
        parameter = declared.get(name)
        if parameter is None:
            known = ", ".join(declared) or "none"
            raise UsageError(f"query {query.name!r} has no parameter {name!r}; its parameters: {known}")
        if parameter.match == "folded":
            continue  # applied to the rows: folded_filters
        bindings[parameter.variable] = _convert(parameter, value)
    return bindings


def _query_target(graph: Graph) -> Graph:
    """The graph to query: a dataset is seen as the union of all its graphs."""
    if isinstance(graph, Dataset) and not graph.default_union:
        return Dataset(store=graph.store, default_union=True)
    return graph


def join_values(result: QueryResult, joined: tuple[str, ...]) -> QueryResult:
    """``result`` with the rows that differ only in the ``joined`` columns
    made one: each joined column holds the distinct texts of its values
    (``str``), sorted by code point and joined with :data:`JOIN_SEPARATOR`
    as a plain literal, or is unbound when none was bound. Rows keep the
    order of their first occurrence (the query's ``ORDER BY``).
    """
    positions = [i for i, name in enumerate(result.variables) if name in joined]
    if result.form != "SELECT" or not positions:
        return result
    groups: dict[tuple[Identifier | None, ...], list[dict[str, None]]] = {}
    for row in result.rows:
        key = tuple(None if i in positions else cell for i, cell in enumerate(row))
        values = groups.setdefault(key, [{} for _ in positions])
        for seen, i in zip(values, positions):
            if row[i] is not None:
                seen[str(row[i])] = None
    rows = []
    for key, values in groups.items():
        cells = list(key)
        for seen, i in zip(values, positions):
            cells[i] = Literal(JOIN_SEPARATOR.join(sorted(seen))) if seen else None
        rows.append(tuple(cells))
    return QueryResult(variables=result.variables, rows=tuple(rows))


def _check_syntax(query: NamedQuery) -> str:
    try:
        return query_form(query.text)
    except SyntaxError as exc:
        raise SourceError(query.path, f"SPARQL syntax error: {exc}") from exc


def run_query(
    graph: Graph | Dataset,
    query: NamedQuery,
    params: Mapping[str, str] | None = None,
) -> QueryResult:
    """Run ``query`` on ``graph`` with ``params`` as initial bindings; the
    ``# join:`` columns joined by :func:`join_values`.

    A :class:`rdflib.Dataset` is queried as the union of its default graph
    and all named graphs (a ``default_union`` view over the same store; the
    dataset itself is not changed). The prefixes of
    :data:`osce_kg.vocab.PREFIXES` are predeclared, though the shipped
    queries declare their own so they also run in other stores.

    Raises:
        UsageError: for bad parameters (see :func:`bind_parameters`).
        SourceError: when the query text does not parse.
    """
    _check_syntax(query)
    bindings = bind_parameters(query, params or {})
    target = _query_target(graph)
    try:
        with parser_stack():
            result = target.query(query.text, initNs=PREFIXES, initBindings=bindings)
    except ParseException as exc:
        raise SourceError(query.path, f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
    if result.type == "ASK":
        return QueryResult((), (), form="ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = Graph()
        for triple in result.graph or ():
            out.add(triple)
        form = "DESCRIBE" if re.search(r"\bDESCRIBE\b", query.text, re.IGNORECASE) else "CONSTRUCT"
        return QueryResult((), (), form=form, graph=out)
    variables = tuple(str(v) for v in (result.vars or []))
    rows = tuple(tuple(row[i] for i in range(len(variables))) for row in result)  # type: ignore[index]
    log.debug("query %s: %d rows", query.name, len(rows))
    return apply_folded(join_values(QueryResult(variables=variables, rows=rows), query.joined), folded_filters(query, params or {}))


# ---------------------------------------------------------------------------
# other backends: the embedded Oxigraph store and remote SPARQL endpoints

def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the WHERE group of the SELECT query
    ``text``: the first ``{`` outside comments, strings, IRIs and
    parentheses (a projection expression may hold ``EXISTS { }``), found on
    the tokens of :mod:`osce_kg.sparql_lexer`.

    Raises:
        UsageError: when the query has no such brace.
    """
    masked = _masked(text)
    depth = 0
    for i, c in enumerate(masked):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "{" and depth <= 0:
            return i
    raise UsageError("the query has no WHERE group to bind parameters in")


def with_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` with the parameter ``bindings`` (variable name -> term, as
    from :func:`bind_parameters`) as an inline ``VALUES`` block at the start
    of the WHERE group, for engines that take no initial bindings (a remote
    endpoint; pyoxigraph, whose ``substitutions`` only accept projected
    variables).

    Inline, not a trailing ``VALUES`` clause: a trailing one is joined after
    the WHERE group's ``FILTER``s ran (SPARQL 1.1 §18.2.4.3), which would see
    ``?param_NAME`` unbound; a ``VALUES`` inside the group is joined before
    the group's filters, as rdflib's ``initBindings`` are. Terms are written
    by pyoxigraph in N-Triples form (quotes, backslashes and line breaks
    escaped; IRIs already checked by :func:`bind_parameters`), never spliced
    as raw text.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    block = "VALUES (" + " ".join(f"?{name}" for name in names) + ") { (" + " ".join(str(to_ox(bindings[name])) for name in names) + ") }"
    at = _where_brace(text) + 1
    return f"{text[:at]}\n  {block}\n{text[at:]}"


def _masked(text: str) -> str:
    """``text`` with its comments, string literals and IRIs blanked out
    (same length, line breaks kept), so keywords and braces can be found
    by position. The tokens are those of :mod:`osce_kg.sparql_lexer`
    (comments end at a line feed or a carriage return); from a
    string that does not end, the rest is blanked."""
    out = list(text)

    def blank(start: int, end: int) -> None:
        for k in range(start, end):
            if out[k] not in "\r\n":
                out[k] = " "

    position = 0
    while position < len(text):
        try:
            for token in tokenize(text, position):
                if token.kind in ("comment", "string", "iri"):
                    blank(token.start, token.start + len(token.text))
                position = token.start + len(token.text)
        except LexError as exc:
            if text[exc.position] in "'\"":  # an unterminated string: the rest is in it
                blank(exc.position, len(text))
                break
            position = exc.position + 1  # a character no token starts with: left as it is
    return "".join(out)


def _group_braces(text: str) -> list[tuple[int, str]]:
    """The WHERE group of every SELECT in ``text`` (the query's and each
    sub-select's): (index of its ``{``, the projection text before it)."""
    masked = _masked(text)
    found = []
    for match in re.finditer(r"\bSELECT\b", masked, re.IGNORECASE):
        depth = 0
        for i in range(match.end(), len(masked)):
            c = masked[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "{" and depth <= 0:
                found.append((i, masked[match.end() : i]))
                break
    return found


def _values_text(names: list[str], rows: list[tuple[Identifier, ...]]) -> str:
    """An inline ``VALUES`` block: terms in N-Triples form, written by
    pyoxigraph (never spliced as raw text)."""
    if len(names) == 1:
        return f"VALUES ?{names[0]} {{ " + " ".join(str(to_ox(row[0])) for row in rows) + " }"
    body = " ".join("(" + " ".join(str(to_ox(term)) for term in row) + ")" for row in rows)
    return "VALUES (" + " ".join(f"?{name}" for name in names) + ") { " + body + " }"


def data_languages() -> tuple[str, ...]:
    """The language tags the data's literals carry: one per file of
    ``data/languages/`` (``de``, ``en``, ``fr`` ...)."""
    from .resources import languages_dir

    return tuple(sorted(path.stem for path in languages_dir().glob("*.json")))


def literal_candidates(term: Literal) -> list[Literal]:
    """The literals an ``exact`` literal parameter stands for where it is
    joined as a term (a hint line): its text as a plain literal and tagged
    with each of :func:`data_languages`."""
    text = str(term)
    return [Literal(text), *(Literal(text, lang=tag) for tag in data_languages())]


def prepare_text(query: NamedQuery, params: Mapping[str, str] | None = None) -> str:
    """The text sent to the embedded store or an endpoint for ``query``
    with ``params``: the hint lines of the given parameters made part of
    the query, and the parameters' values as an inline ``VALUES`` block at
    the start of the WHERE group (:func:`with_values`).

    A hint line (``#+NAME`` followed by graph patterns, at the top level
    of the WHERE group) restates what the FILTER of the parameter NAME
    already requires, with the parameter's variable in a triple pattern
    (``#+meeting ?statement schema:recordedAt ?param_meeting .``): the rows
    are the same with or without it, but the engine can start from the
    value (an index lookup) instead of testing every row. To a SPARQL engine
    that reads the file as it is, the line is a comment. An ``exact``
    literal parameter with a hint is given as the few terms it may match
    (:func:`literal_candidates`); its FILTER still compares the text. A
    sub-select that reads ``?param_NAME`` gets the value as well, in a
    ``VALUES`` block of its own, so that its FILTER can restrict what it
    computes; that FILTER must only restate the query's (rdflib's initial
    bindings do not reach sub-selects).

    Raises:
        UsageError: for bad parameters (see :func:`bind_parameters`).
    """
    bindings = bind_parameters(query, params or {})
    if not bindings:
        return query.text
    declared = {p.variable: p for p in query.parameters}
    active = {declared[name].name for name in bindings}

    def activate(match: re.Match[str]) -> str:
        if match.group("name") not in active:
            return match.group(0)
        return match.group("indent") + " " * (len(match.group("name")) + 2)

    text = _HINT_LINE.sub(activate, query.text)
    names = sorted(bindings)
    choices: list[list[Identifier]] = []
    for name in names:
        parameter, term = declared[name], bindings[name]
        if parameter.kind == "literal" and parameter.name in query.hinted and isinstance(term, Literal):
            choices.append(list(literal_candidates(term)))
        else:
            choices.append([term])
    rows = [tuple(row) for row in itertools.product(*choices)]
    # the sub-selects that read a parameter get its value too (one row:
    # an aggregate must not see it more than once); their FILTER on it may
    # only restate the query's own, as rdflib's initBindings do not reach
    # sub-selects
    masked = _masked(text)
    inserts: list[tuple[int, str]] = []
    for n, (brace, _projection) in enumerate(_group_braces(text)):
        if n == 0:
            continue
        group = masked[brace : _closing_brace(masked, brace)]
        used = [name for name in names if re.search(rf"[?$]{re.escape(name)}\b", group)]
        if used:
            inserts.append((brace + 1, _values_text(used, [tuple(bindings[name] for name in used)])))
    inserts.append((_where_brace(text) + 1, _values_text(names, rows)))
    for at, block in sorted(inserts, reverse=True):
        text = f"{text[:at]}\n  {block}\n{text[at:]}"
    return text


def _closing_brace(masked: str, start: int) -> int:
    """Index of the ``}`` that closes the ``{`` at ``start`` of a masked text."""
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(masked)


def restrict_to_keys(text: str, key: str, values: Sequence[Identifier]) -> str:
    """``text`` restricted to the rows whose ``?key`` is one of ``values``:
    a ``VALUES ?key`` block at the start of the WHERE group, and of every
    sub-select that projects ``?key`` (each is joined on it, so restricting
    it changes no row that is kept, and the engine need not compute it for
    every other value)."""
    block = _values_text([key], [(value,) for value in values])
    braces = [i for n, (i, projection) in enumerate(_group_braces(text)) if n == 0 or re.search(rf"[?$]{re.escape(key)}\b", projection)]
    for at in sorted(braces, reverse=True):
        text = f"{text[: at + 1]}\n  {block}\n{text[at + 1 :]}"
    return text


def project_key(text: str, key: str) -> str:
    """``text`` with ``?key`` added to the projection of its SELECT (for
    the listing index; unchanged when it projects ``*`` or the key)."""
    braces = _group_braces(text)
    if not braces or re.search(rf"[?$]{re.escape(key)}\b|^\s*(DISTINCT|REDUCED)?\s*\*", braces[0][1], re.IGNORECASE):
        return text
    match = re.search(r"\bSELECT\b(\s+(DISTINCT|REDUCED)\b)?", _masked(text), re.IGNORECASE)
    assert match is not None
    return f"{text[: match.end()]} ?{key}{text[match.end() :]}"


def query_kind(text: str) -> str:
    """The form of the query ``text`` (``SELECT``, ``ASK``, ``CONSTRUCT``,
    ``DESCRIBE``) from its first keyword after the prologue, without
    parsing it (:func:`osce_kg.store.query_form` parses it with rdflib, which
    takes longer than a selective query on the store); ``SELECT`` when none
    is found (the engine then reports the syntax error)."""
    masked = _PROLOGUE.sub("", _masked(text), count=1)
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", masked, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def _from_answer(answer: QueryAnswer, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    if answer.form == "ASK":
        return QueryResult((), (), form="ASK", boolean=answer.boolean)
    if answer.form in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph()
        for triple in answer.triples:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))  # type: ignore[arg-type]
        return QueryResult((), (), form=answer.form, graph=graph)
    rows = tuple(tuple(None if cell is None else from_ox(cell) for cell in row) for row in answer.rows)  # type: ignore[arg-type]
    return apply_folded(join_values(QueryResult(variables=answer.variables, rows=rows), query.joined), folded_filters(query, params or {}))


def run_query_store(store: Path | ox.Store, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run ``query`` on the embedded Oxigraph store ``store`` (a folder, opened
    read-only, or an open :class:`pyoxigraph.Store`) over the union of its
    graphs; same rows as :func:`run_query` on the same data: all the rows
    of :func:`stream_query_store`.

    Raises:
        UsageError: for bad parameters.
        SourceError: when the query text does not parse.
        StoreError: when the store cannot be opened.
    """
    if query_kind(query.text) != "SELECT":
        _check_syntax(query)
        text = prepare_text(query, params)
        try:
            answer = query_store(store, text)
        except SyntaxError as exc:
            raise SourceError(query.path, f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
        return _from_answer(answer, query, params)
    stream = stream_query_store(store, query, params)
    rows = tuple(stream.rows)
    log.debug("query %s on store %s: %d rows", query.name, store, len(rows))
    return QueryResult(variables=stream.variables, rows=rows)


@dataclass
class QueryStream:
    """The rows of a SELECT query as they come (:func:`stream_query_store`).

    Attributes:
        variables: the projected variable names, in SELECT order.
        rows: an iterator of rows (as in :class:`QueryResult`), read once.
        indexed: True when the rows come batch by batch from the store's
            listing index (:func:`build_listing_index`).
    """

    variables: tuple[str, ...]
    rows: Iterator[tuple[Identifier | None, ...]]
    indexed: bool = False


def stream_result(result: QueryResult, *, limit: int | None = None, offset: int = 0) -> QueryStream:
    """A materialised SELECT result as a :class:`QueryStream`, ``offset``
    rows skipped and at most ``limit`` given."""
    return QueryStream(result.variables, _slice(iter(result.rows), limit, offset))


def _slice(rows: Iterator[tuple[Identifier | None, ...]], limit: int | None, offset: int) -> Iterator[tuple[Identifier | None, ...]]:
    if limit is not None and limit < 0 or offset < 0:
        raise UsageError("--limit and --offset must not be negative")
    return itertools.islice(rows, offset, None if limit is None else offset + limit)


def join_adjacent(
    variables: Sequence[str], rows: Iterable[tuple[Identifier | None, ...]], joined: Sequence[str]
) -> Iterator[tuple[Identifier | None, ...]]:
    """The streaming :func:`join_values`: consecutive rows that differ only
    in the ``joined`` columns made one, each joined column the distinct
    texts of its values sorted by code point and joined with
    :data:`JOIN_SEPARATOR` (unbound when none); a row equal to the one
    before it is dropped (the engine's ``DISTINCT`` over batches). Rows that
    belong together must be adjacent: a query with ``# join:`` columns
    orders by every column that is not joined."""
    positions = [i for i, name in enumerate(variables) if name in joined]
    last_key: tuple[Identifier | None, ...] | None = None
    seen: list[dict[str, None]] = []
    last_row: tuple[Identifier | None, ...] | None = None

    def finish() -> tuple[Identifier | None, ...]:
        assert last_key is not None
        cells = list(last_key)
        for values, i in zip(seen, positions):
            cells[i] = Literal(JOIN_SEPARATOR.join(sorted(values))) if values else None
        return tuple(cells)

    for row in rows:
        if not positions:
            if row != last_row:
                yield row
            last_row = row
            continue
        key = tuple(None if i in positions else cell for i, cell in enumerate(row))
        if key != last_key:
            if last_key is not None:
                yield finish()
            last_key, seen = key, [{} for _ in positions]
        for values, i in zip(seen, positions):
            if row[i] is not None:
                values[str(row[i])] = None
    if positions and last_key is not None:
        yield finish()


def _folded_rows(
    variables: Sequence[str], rows: Iterable[tuple[Identifier | None, ...]], filters: Mapping[str, str]
) -> Iterator[tuple[Identifier | None, ...]]:
    positions = {list(variables).index(column): value for column, value in filters.items() if column in variables}
    for row in rows:
        if all(row[i] is not None and value in fold(str(row[i])) for i, value in positions.items()):
            yield row


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
    """Remove the listing index of the store folder ``store`` (before the
    store is changed in place: a missing index only makes listings slower, a
    stale one would make them wrong; ``load`` writes a new generation with
    its own index instead, :mod:`osce_kg.bulkload`)."""
    import shutil

    shutil.rmtree(Path(store) / LISTING_INDEX_DIR, ignore_errors=True)


def build_listing_index(
    store: Path, opened: ox.Store | None = None, queries: Sequence[NamedQuery] | None = None, *, cancel: threading.Event | None = None
) -> dict[str, int]:
    """Write the listing index of the store folder ``store`` (read from
    ``opened`` when given): for each query with a ``# key:`` (the shipped
    ones by default), the key values in the order of the query's rows (the
    first row of each), one IRI a line, in ``LISTING_INDEX_DIR/DIGEST.keys``
    where DIGEST is the SHA-256 of the query text. :func:`stream_query_store`
    then reads a listing without parameters batch by batch: the query
    restricted to :data:`LISTING_BATCH` keys at a time, each batch ordered
    by the query's ``ORDER BY``; the first rows come without evaluating (and
    sorting) every row.

    The index describes the store as this call sees it, as the materialised
    union does (:func:`osce_kg.store.refresh_union`): ``load`` rewrites
    both; a store changed otherwise (``serve --writable``) needs a new
    ``load``. A query whose key is not an IRI in every row gets no index.

    ``cancel`` set (a load that failed) stops it within a thousand rows of
    a query, writing nothing more.

    Returns:
        query name -> number of keys indexed.
    """
    folder = Path(store) / LISTING_INDEX_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = opened if opened is not None else Path(store)
    done: dict[str, int] = {}
    for query in queries if queries is not None else list_queries():
        if query.key is None:
            continue
        text = project_key(query.text, query.key)
        variables, rows = _stream_text(target, text, query)
        position = variables.index(query.key)
        order: dict[str, None] = {}
        usable = True
        for n, row in enumerate(rows):
            if cancel is not None and n % 1000 == 0 and cancel.is_set():
                return done
            value = row[position]
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


def _index_keys(store: Path | ox.Store, query: NamedQuery) -> Iterator[str] | None:
    if isinstance(store, ox.Store) or query.key is None:
        return None
    path = listing_index_file(Path(store), query)
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return None
    if handle.readline().rstrip("\n") != f"{_LISTING_HEADER} {query.key}":
        handle.close()
        return None

    def keys() -> Iterator[str]:
        with handle:
            for line in handle:
                yield line.rstrip("\n")

    return keys()


def _stream_text(store: Path | ox.Store, text: str, query: NamedQuery) -> tuple[tuple[str, ...], Iterator[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]]]:
    from .store import stream_store

    try:
        return stream_store(store, text)
    except SyntaxError as exc:
        raise SourceError(query.path, f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc


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
    """The rows of the SELECT ``query`` on the embedded store as they come:
    the ``# join:`` columns joined (:func:`join_adjacent`), ``folded``
    parameters applied, ``offset`` rows skipped and at most ``limit``
    given; the same rows as :func:`run_query` on the same data. ``opened``:
    the store of the folder ``store`` already open (read from it rather
    than opening the folder again).

    Without parameters, a query with a ``# key:`` that the store's listing
    index holds (:func:`build_listing_index`) is read batch by batch along
    the index, so the first rows come at once; otherwise Oxigraph evaluates
    the query and the rows are read as it yields them (after its ``ORDER
    BY`` sorted them all).

    Raises:
        UsageError: for bad parameters, a negative ``limit`` or ``offset``,
            or a query that is not a SELECT.
        SourceError: when the query text does not parse.
        StoreError: when the store cannot be opened or read.
    """
    form = query_kind(query.text)
    if form != "SELECT":
        raise UsageError(f"this is a {form} query; a SELECT query is needed here")
    if not isinstance(store, ox.Store) and opened is None:
        from .bulkload import pin_store
        from .store import check_not_written

        check_not_written(Path(store))
        store = pin_store(Path(store))  # the index and the data of one generation
    params = params or {}
    text = prepare_text(query, params)
    keys = _index_keys(store, query) if use_index and not params else None
    if keys is None:
        variables, raw = _stream_text(opened if opened is not None else store, text, query)
        batches: Iterator[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]] = raw
    else:
        opened = opened if opened is not None else open_store_once(store)
        variables, _ = _stream_text(opened, restrict_to_keys(text, query.key or "", []), query)
        batches = _batched(opened, text, query, keys)
    converted = _converted(batches)
    rows: Iterator[tuple[Identifier | None, ...]] = join_adjacent(variables, converted, query.joined)
    filters = folded_filters(query, params)
    if filters:
        rows = _folded_rows(variables, rows, filters)
    return QueryStream(variables, _slice(rows, limit, offset), indexed=keys is not None)


def _converted(rows: Iterable[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]]) -> Iterator[tuple[Identifier | None, ...]]:
    """Rows of pyoxigraph terms as rows of rdflib terms; a term met again
    (a speaker, a meeting, a date) is converted once."""
    cache: dict[object, Identifier] = {}
    for row in rows:
        cells: list[Identifier | None] = []
        for cell in row:
            if cell is None:
                cells.append(None)
                continue
            term = cache.get(cell)
            if term is None:
                if len(cache) > 100_000:
                    cache.clear()
                term = cache[cell] = from_ox(cell)
            cells.append(term)
        yield tuple(cells)


def _batched(
    store: Path | ox.Store, text: str, query: NamedQuery, keys: Iterator[str]
) -> Iterator[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]]:
    assert query.key is not None
    while True:
        batch = [URIRef(value) for value in itertools.islice(keys, LISTING_BATCH)]
        if not batch:
            return
        _, rows = _stream_text(store, restrict_to_keys(text, query.key, batch), query)
        yield from rows


def open_store_once(store: Path | ox.Store) -> ox.Store:
    """``store`` opened read-only when it is a folder (one open for all the
    batches of a listing)."""
    from .store import open_store

    return store if isinstance(store, ox.Store) else open_store(Path(store), read_only=True)


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
    query URL, e.g. ``http://localhost:7878/query``), parameters bound with
    :func:`with_values`; same rows as :func:`run_query` on the same data when
    the endpoint's default graph is the union of its graphs. The syntax is
    checked here first: a query that does not parse is never sent.

    ``credentials``: HTTP credentials; ``policy``: retries, backoff and
    timeout (default :class:`osce_kg.store.RetryPolicy`); ``method``: see
    :func:`osce_kg.store.query_request`.

    Raises:
        UsageError: for bad parameters or a bad URL.
        SourceError: when the query does not parse.
        StoreError: when the endpoint cannot be reached after the retries or
            refuses the query (its message is quoted).
    """
    _check_syntax(query)
    text = prepare_text(query, params)
    try:
        answer = query_endpoint(endpoint, text, credentials=credentials, policy=policy, method=method)
    except SyntaxError as exc:
        raise SourceError(query.path, f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
    log.debug("query %s at %s: %d rows", query.name, endpoint, len(answer.rows))
    return _from_answer(answer, query, params)


# ---------------------------------------------------------------------------
# formatting


def _cell_text(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())


def _cut(text: str, width: int = TABLE_CELL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _format_table(result: QueryResult) -> str:
    header = list(result.variables)
    body = [[_cut(_cell_text(cell)) for cell in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    lines = [line(header), line(["-" * w for w in widths])]
    lines.extend(line(r) for r in body)
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv_text(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _format_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_text(cell) for cell in row])
    return buffer.getvalue()


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def _format_json(result: QueryResult) -> str:
    bindings = [
        {var: _json_term(cell) for var, cell in zip(result.variables, row) if cell is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _tsv_term(term: Identifier | None) -> str:
    if term is None:
        return ""
    text = str(to_ox(term))  # N-Triples form: quotes, backslashes, line breaks escaped
    return text.replace("\t", "\\t")


def _format_tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join(_tsv_term(cell) for cell in row) for row in result.rows)
    return "\n".join(lines) + "\n"


def _xml_term(term: Identifier) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{xml_escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{xml_escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f'<literal xml:lang="{xml_escape(term.language)}">{xml_escape(str(term))}</literal>'
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return f'<literal datatype="{xml_escape(str(term.datatype))}">{xml_escape(str(term))}</literal>'
    return f"<literal>{xml_escape(str(term))}</literal>"


def _format_xml(result: QueryResult) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    lines.extend(f'    <variable name="{v}"/>' for v in result.variables)
    lines.append("  </head>")
    if result.form == "ASK":
        lines.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        lines.append("  <results>")
        for row in result.rows:
            lines.append("    <result>")
            lines.extend(
                f'      <binding name="{v}">{_xml_term(cell)}</binding>' for v, cell in zip(result.variables, row) if cell is not None
            )
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _format_graph(result: QueryResult, fmt: str) -> str:
    name = {"table": "turtle", "json": "json-ld", "ttl": "turtle", "ntriples": "nt", "rdfxml": "xml"}.get(fmt, fmt)
    if name not in GRAPH_FORMATS:
        raise UsageError(
            f"a {result.form} query gives a graph: use --format {', '.join(GRAPH_FORMATS)} (table means turtle), not {fmt!r}"
        )
    graph = result.graph if result.graph is not None else Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    if name in ("nquads", "trig"):
        dataset = Dataset()
        for triple in graph:
            dataset.add(triple)
        text = dataset.serialize(format=name)
    else:
        text = graph.serialize(format=name)
    return text if text.endswith("\n") else text + "\n"


def write_stream(stream: QueryStream, fmt: str, write: Callable[[str], None], *, table_rows: int = 100) -> int:
    """Write the rows of ``stream`` in the SELECT format ``fmt`` (one of
    :data:`RESULT_FORMATS`, as :func:`format_result` writes them) as they
    come: ``write`` gets the header, then each row (``table``: the first
    ``table_rows`` rows at once, their widths setting the columns; a later
    wider cell widens its own line only), so the first rows are printed
    before the last are read. Returns the number of rows.

    Raises:
        UsageError: for an unknown format.
    """
    variables = stream.variables
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown result format {fmt!r}; use one of: {', '.join(RESULT_FORMATS)}")
    count = 0
    if fmt == "table":
        first = list(itertools.islice(stream.rows, table_rows))
        body = [[_cut(_cell_text(cell)) for cell in row] for row in first]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(variables)]

        def line(cells: list[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n"

        write(line(list(variables)) + line(["-" * w for w in widths]))
        for cells in body:
            write(line(cells))
        count = len(first)
        for row in stream.rows:
            write(line([_cut(_cell_text(cell)) for cell in row]))
            count += 1
        write(f"({count} row{'s' if count != 1 else ''})\n")
        return count
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")

        def emit(cells: list[str]) -> None:
            writer.writerow(cells)
            write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()

        emit(list(variables))
        for row in stream.rows:
            emit([_csv_text(cell) for cell in row])
            count += 1
        return count
    if fmt == "tsv":
        write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in stream.rows:
            write("\t".join(_tsv_term(cell) for cell in row) + "\n")
            count += 1
        return count
    if fmt == "json":  # the text of format_result's json.dumps(..., indent=2), piece by piece
        head = json.dumps({"head": {"vars": list(variables)}}, indent=2, ensure_ascii=False)
        write(head[: -len("\n}")] + ',\n  "results": {\n    "bindings": [')
        for row in stream.rows:
            binding = {var: _json_term(cell) for var, cell in zip(variables, row) if cell is not None}
            text = json.dumps(binding, indent=2, ensure_ascii=False).replace("\n", "\n      ")
            write(("," if count else "") + "\n      " + text)
            count += 1
        write(("\n    " if count else "") + "]\n  }\n}\n")
        return count
    write('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n  <head>\n')
    write("".join(f'    <variable name="{v}"/>\n' for v in variables) + "  </head>\n  <results>\n")
    for row in stream.rows:
        cells = "".join(f'      <binding name="{v}">{_xml_term(cell)}</binding>\n' for v, cell in zip(variables, row) if cell is not None)
        write(f"    <result>\n{cells}    </result>\n")
        count += 1
    write("  </results>\n</sparql>\n")
    return count


def format_result(result: QueryResult, fmt: str) -> str:
    """Render ``result`` as text.

    Formats of SELECT results (:data:`RESULT_FORMATS`):
        ``table``: aligned columns for people; IRIs as prefixed names
        (``id:`` is the default data base IRI), literals as their text
        (whitespace collapsed, cells cut at :data:`TABLE_CELL_WIDTH`
        characters with "…"), unbound as empty; ends with ``(N rows)``.
        ``csv``: W3C SPARQL 1.1 CSV results (RFC 4180: CRLF line ends,
        quoting by the :mod:`csv` module), a header row of variable names,
        full IRIs, literals' lexical forms, unbound as empty.
        ``tsv``: W3C SPARQL 1.1 TSV results (header ``?var``; terms in
        N-Triples form, unbound as empty).
        ``json``: W3C SPARQL 1.1 Query Results JSON (``head.vars``,
        ``results.bindings`` with ``type`` uri/literal/bnode, ``xml:lang``,
        ``datatype``; unbound variables omitted).
        ``xml``: W3C SPARQL Query Results XML.

    ASK: ``true``/``false`` (table, csv, tsv), ``{"head": {}, "boolean": ...}``
    (json) or the XML boolean form. CONSTRUCT and DESCRIBE: RDF in one of
    :data:`GRAPH_FORMATS` (``table`` gives Turtle, ``json`` JSON-LD,
    ``xml`` RDF/XML).

    Raises:
        UsageError: for a format that does not fit the result.
    """
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return _format_graph(result, fmt)
    if result.form == "ASK":
        if fmt in ("table", "csv", "tsv"):
            return ("true" if result.boolean else "false") + "\n"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        if fmt == "xml":
            return _format_xml(result)
    if fmt == "table":
        return _format_table(result)
    if fmt == "csv":
        return _format_csv(result)
    if fmt == "tsv":
        return _format_tsv(result)
    if fmt == "json":
        return _format_json(result)
    if fmt == "xml":
        return _format_xml(result)
    raise UsageError(f"unknown result format {fmt!r}; use one of: {', '.join(RESULT_FORMATS)}")
