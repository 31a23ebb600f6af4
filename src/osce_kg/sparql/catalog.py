"""The named queries: the ``.rq`` files of ``sparql/queries/``
(:func:`osce_kg.resources.queries_dir`) or any ``.rq`` file, their header
comments, the local check of a query text, and the positions in a text that
the binding of parameters and the listing index need (read on the tokens of
:mod:`osce_kg.sparql_lexer`, never text patterns).

Comment lines at the top declare a query's metadata::

    # title: Statements with their speaker, role, meeting, date and source
    # param: speaker (literal) - exact name of the speaker, e.g. "Håkan Jeverell"
    # param: meeting (iri) - IRI of a meeting
    # join: role
    # key: statement

Parameter kinds: ``literal``, ``iri``, ``date`` (``YYYY-MM-DD``),
``integer`` and ``boolean`` (``true``/``false``). The parameter ``NAME`` is
the SPARQL variable ``?param_NAME`` (:mod:`osce_kg.sparql.params` binds it);
the query reads it in a ``FILTER`` that holds when no value is given::

    FILTER(!BOUND(?param_speaker) || STR(?speaker) = STR(?param_speaker))

A given value is bound as a term in an inline ``VALUES`` block, the same
text on every engine (:func:`osce_kg.sparql.params.prepare_text`); a value
not given leaves the variable unbound, which every engine reads as a
constant.

A hint line ``#+NAME pattern`` inside the WHERE group restates that FILTER
as a graph pattern on ``?param_NAME``; osce-kg makes it part of the query
when NAME is given (:func:`osce_kg.sparql.params.prepare_text`), so the
engine starts from the value. ``# join:`` columns are joined by osce-kg
(:func:`osce_kg.sparql.run.join_adjacent`); the ``# key:`` variable names the
entity every row belongs to (:mod:`osce_kg.sparql.listing`). A ``folded``
parameter matches the result column of its name, or any of the columns a
``# fold: NAME COLUMN...`` line lists (a joined column: any of its values).

A lookup line ``# lookup: NAME VARIABLE pattern`` says how to find, from
the value of the parameter NAME alone, every value of ``?VARIABLE`` the
query's FILTER on NAME can keep: the pattern reads ``?param_NAME`` and
binds ``?VARIABLE``. On the pyoxigraph engine osce-kg runs it first and
restricts the query to the IRIs it finds (:func:`osce_kg.sparql.run.stream_query`),
in the WHERE group and in every sub-select that projects ``?VARIABLE``, so
the engine computes the sub-selects for those IRIs only; the FILTER stays,
so the rows are those of the query without the restriction::

    # lookup: person person ?person schema:name ?n . FILTER(CONTAINS(?n, ?param_person))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceError, UsageError
from ..guard import uses_service, without_literals
from ..resources import queries_dir
from ..sparql_lexer import MAX_NESTING, LexError, nesting_depth, tokenize

__all__ = [
    "PARAMETER_KINDS",
    "MATCH_MODES",
    "PARAM_VARIABLE_PREFIX",
    "HINT_LINE",
    "QueryParameter",
    "Lookup",
    "NamedQuery",
    "query_from_text",
    "read_query",
    "list_queries",
    "get_query",
    "check_query",
    "query_kind",
    "masked",
    "group_braces",
    "where_brace",
    "closing_brace",
    "project",
]

#: Kinds a parameter can be declared with.
PARAMETER_KINDS: tuple[str, ...] = ("literal", "iri", "date", "integer", "boolean")

#: How a literal parameter matches (``# param: NAME (literal, MATCH)``):
#: ``exact`` compares the text (``STR``) whole, case and accents included;
#: ``part`` is a case-insensitive substring (the query's FILTER compares
#: ``CONTAINS(LCASE(...))``; bound as ``exact`` is, the label tells users);
#: ``folded`` is a case- and accent-insensitive substring of the result
#: column of the same name, applied by osce-kg to the rows the engine gives
#: (:func:`osce_kg.sparql.params.folded_filters`): the same rows on every engine.
MATCH_MODES: dict[str, str] = {
    "exact": "exact text, case and accents included",
    "part": "part of the text, any case, accents as written",
    "folded": "part of the text, any case, accents ignored",
}

#: Prefix of the SPARQL variable that carries a parameter's value.
PARAM_VARIABLE_PREFIX = "param_"

_JOIN_LINE = re.compile(r"^#\s*join\s*:\s*(?P<names>.+?)\s*$", re.IGNORECASE)
_FOLD_LINE = re.compile(r"^#\s*fold\s*:\s*(?P<name>[A-Za-z][A-Za-z0-9_]*)\s+(?P<columns>.+?)\s*$", re.IGNORECASE)
_KEY_LINE = re.compile(r"^#\s*key\s*:\s*(?P<name>\S+)\s*$", re.IGNORECASE)
#: a hint line: ``#+NAME`` then graph patterns, made part of the query when
#: the parameter NAME is given (:func:`prepare_text`)
HINT_LINE = re.compile(r"^(?P<indent>[ \t]*)#\+(?P<name>[A-Za-z][A-Za-z0-9_]*)(?=[ \t])", re.MULTILINE)
_LOOKUP_LINE = re.compile(
    r"^#\s*lookup\s*:\s*(?P<name>[A-Za-z][A-Za-z0-9_]*)\s+[?$]?(?P<variable>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<pattern>\S.*?)\s*$", re.IGNORECASE
)
_TITLE_LINE = re.compile(r"^#\s*title\s*:\s*(?P<title>.+?)\s*$", re.IGNORECASE)
_PARAM_LINE = re.compile(
    r"^#\s*param\s*:\s*(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\(\s*(?P<kind>[A-Za-z]+)\s*(?:,\s*(?P<match>[A-Za-z-]+)\s*)?\)"
    r"\s*(?:[-–—:]\s*(?P<description>.*?))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QueryParameter:
    """A parameter declared in a query's header.

    Attributes:
        name: the name used on the command line (``--param NAME=value``).
        kind: one of :data:`PARAMETER_KINDS`.
        description: the text after the dash, for ``osce-kg query --list``.
        match: for a literal, one of :data:`MATCH_MODES` (default ``exact``).
        columns: for a ``folded`` parameter, the result columns it matches
            (any of them holds the value): its ``# fold:`` line's, else its
            own name.
    """

    name: str
    kind: str
    description: str
    match: str = "exact"
    columns: tuple[str, ...] = ()

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
class Lookup:
    """A ``# lookup:`` line (see the module docstring).

    Attributes:
        parameter: the parameter's name (``person``).
        variable: the variable (without ``?``) the pattern binds and the
            query is restricted on.
        pattern: a group graph pattern reading ``?param_<parameter>``.
    """

    parameter: str
    variable: str
    pattern: str


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
        lookups: the ``# lookup:`` lines, in file order.
    """

    name: str
    title: str
    text: str
    parameters: tuple[QueryParameter, ...]
    path: Path
    joined: tuple[str, ...] = ()
    key: str | None = None
    hinted: tuple[str, ...] = ()
    lookups: tuple[Lookup, ...] = ()



def read_query(path: Path) -> NamedQuery:
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
    folds: dict[str, tuple[str, ...]] = {}
    lookups: list[Lookup] = []
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
        elif (match := _LOOKUP_LINE.match(stripped)) is not None:
            variable = match.group("variable")
            if not re.search(rf"SELECT\b[^{{]*[?$]{re.escape(variable)}\b", text, re.IGNORECASE):
                raise SourceError(path, f"the lookup variable {variable!r} is not a result column of the query")
            lookups.append(Lookup(match.group("name"), variable, match.group("pattern")))
        elif (match := _FOLD_LINE.match(stripped)) is not None:
            columns = tuple(re.split(r"[\s,]+", match.group("columns")))
            for column in columns:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", column) or not re.search(rf"SELECT\b[^{{]*[?$]{re.escape(column)}\b", text, re.IGNORECASE):
                    raise SourceError(path, f"the fold column {column!r} is not a result column of the query")
            folds[match.group("name")] = columns
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
            if parameter.match != "folded" and not re.search(rf"\?{re.escape(parameter.variable)}\b", text):
                raise SourceError(path, f"parameter {parameter.name!r} is declared but ?{parameter.variable} is not used in the query")
            parameters.append(parameter)
    for name_, columns in folds.items():
        found = [i for i, p in enumerate(parameters) if p.name == name_ and p.match == "folded"]
        if not found:
            raise SourceError(path, f"the fold line names {name_!r}, which is not a folded parameter")
        parameters[found[0]] = replace(parameters[found[0]], columns=columns)
    for i, parameter in enumerate(parameters):
        if parameter.match == "folded" and not parameter.columns:
            if not re.search(rf"SELECT\b[^{{]*\?{re.escape(parameter.name)}\b", text, re.IGNORECASE):
                raise SourceError(path, f"folded parameter {parameter.name!r} needs a result column ?{parameter.name} (or a '# fold: {parameter.name} COLUMN...' line)")
            parameters[i] = replace(parameter, columns=(parameter.name,))
    declared = {p.name: p for p in parameters}
    for lookup in lookups:
        if lookup.parameter not in declared or declared[lookup.parameter].match == "folded":
            raise SourceError(path, f"the lookup line names {lookup.parameter!r}, which is no parameter the query filters on")
        if not re.search(rf"[?$]{re.escape(PARAM_VARIABLE_PREFIX + lookup.parameter)}\b", lookup.pattern):
            raise SourceError(path, f"the lookup pattern of {lookup.parameter!r} does not read ?{PARAM_VARIABLE_PREFIX + lookup.parameter}")
        if not re.search(rf"[?$]{re.escape(lookup.variable)}\b", lookup.pattern):
            raise SourceError(path, f"the lookup pattern of {lookup.parameter!r} does not bind ?{lookup.variable}")
    hinted: list[str] = []
    for match in HINT_LINE.finditer(text):
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
        lookups=tuple(lookups),
    )


def list_queries() -> list[NamedQuery]:
    """The named queries shipped with osce-kg, sorted by name.

    Raises:
        SourceError: when a shipped query file has a malformed header.
    """
    folder = queries_dir()
    if not folder.is_dir():
        return []
    return sorted((read_query(path) for path in folder.glob("*.rq")), key=lambda q: q.name)


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
        return read_query(path)
    candidate = queries_dir() / f"{name_or_path}.rq"
    if re.fullmatch(r"[A-Za-z0-9_.\-]+", name_or_path) and candidate.is_file():
        return read_query(candidate)
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


def query_kind(text: str) -> str:
    """The form of the query ``text`` (``SELECT``, ``ASK``, ``CONSTRUCT``,
    ``DESCRIBE``) from its first keyword after the prologue, without
    parsing it (parsing takes longer than a selective query on the store);
    ``SELECT`` when none is found (the engine then reports the syntax
    error)."""
    hidden = _PROLOGUE.sub("", masked(text), count=1)
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", hidden, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def masked(text: str) -> str:
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


def group_braces(text: str) -> list[tuple[int, str]]:
    """The WHERE group of every SELECT in ``text`` (the query's and each
    sub-select's): (index of its ``{``, the projection text before it)."""
    hidden = masked(text)
    found = []
    for match in re.finditer(r"\bSELECT\b", hidden, re.IGNORECASE):
        depth = 0
        for i in range(match.end(), len(hidden)):
            c = hidden[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "{" and depth <= 0:
                found.append((i, hidden[match.end() : i]))
                break
    return found



def where_brace(text: str) -> int:
    """Index of the ``{`` that opens the WHERE group of the SELECT query
    ``text``: the first ``{`` outside comments, strings, IRIs and
    parentheses (a projection expression may hold ``EXISTS { }``), found on
    the tokens of :mod:`osce_kg.sparql_lexer`.

    Raises:
        UsageError: when the query has no such brace.
    """
    hidden = masked(text)
    depth = 0
    for i, c in enumerate(hidden):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "{" and depth <= 0:
            return i
    raise UsageError("the query has no WHERE group to bind parameters in")


def closing_brace(hidden: str, start: int) -> int:
    """Index of the ``}`` that closes the ``{`` at ``start`` of a masked text."""
    depth = 0
    for i in range(start, len(hidden)):
        if hidden[i] == "{":
            depth += 1
        elif hidden[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(hidden)



def project(text: str, key: str) -> str:
    """``text`` with ``?key`` added to the projection of its SELECT (the
    listing index's key; unchanged when it projects ``*`` or the variable already)."""
    braces = group_braces(text)
    if not braces or re.search(rf"[?$]{re.escape(key)}\b|^\s*(DISTINCT|REDUCED)?\s*\*", braces[0][1], re.IGNORECASE):
        return text
    match = re.search(r"\bSELECT\b(\s+(DISTINCT|REDUCED)\b)?", masked(text), re.IGNORECASE)
    assert match is not None
    return f"{text[: match.end()]} ?{key}{text[match.end() :]}"

