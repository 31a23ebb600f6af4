"""Typed parameters of the named queries as pyoxigraph terms, and how they
are bound (ARCHITECTURE.md, "Queries").

A value typed by the user (``--param NAME=VALUE``) becomes one term
(:func:`bind_parameters`): ``iri`` -> :class:`pyoxigraph.NamedNode` (checked
by pyoxigraph's IRI parser; ``id:`` and the prefixes of
:data:`osce_kg.vocab.PREFIXES` are expanded), ``literal`` -> a plain
literal, ``date`` -> ``xsd:date``, ``integer`` -> ``xsd:integer``,
``boolean`` -> ``xsd:boolean``. A ``folded`` literal is not bound: osce-kg
keeps the rows whose column holds it, case and accents ignored
(:func:`folded_filters`, :func:`fold`).

Binding never splices user text into a query: every engine (a store on
disk, files loaded into memory, a remote endpoint) gets the same text, the
given parameters' hint lines made part of it and their terms, written by
pyoxigraph in N-Triples form, in an inline ``VALUES`` block at the start of
the WHERE group and of each sub-select that reads them
(:func:`prepare_text`). A parameter not given stays unbound, so
``!BOUND(?param_NAME)`` holds. Oxigraph's ``substitutions`` are not used:
in pyoxigraph 0.5 they need the variable projected, leave ``BOUND`` of it
false and do not reach sub-selects.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ..errors import UsageError
from ..oxterms import OxTerm, boolean, integer, typed, XSD_OX
from ..resources import languages_dir
from ..vocab import DEFAULT_BASE_IRI, PREFIXES
from .catalog import HINT_LINE, NamedQuery, QueryParameter, closing_brace, group_braces, masked, where_brace

__all__ = [
    "IRI_PREFIXES",
    "IRI_SCHEMES",
    "bind_parameters",
    "fold",
    "folded_filters",
    "with_hints",
    "data_languages",
    "literal_candidates",
    "values_block",
    "with_values",
    "prepare_text",
]

#: prefixes an ``iri`` parameter may use: those of the tables (``id:`` is
#: the default base of the data) and :data:`osce_kg.vocab.PREFIXES`
IRI_PREFIXES: dict[str, str] = {"id": DEFAULT_BASE_IRI, **PREFIXES}

#: IRI schemes taken as they are; any other ``x:`` must be a known prefix
IRI_SCHEMES: frozenset[str] = frozenset({"http", "https", "urn", "file", "mailto", "tag", "did", "ftp"})

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _iri(value: str, name: str) -> ox.NamedNode:
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme and scheme not in IRI_SCHEMES and not value[len(scheme) + 1 :].startswith("//"):
        namespace = IRI_PREFIXES.get(value.split(":", 1)[0])
        if namespace is None:
            known = ", ".join(f"{p}:" for p in IRI_PREFIXES)
            raise UsageError(f"parameter {name!r}: unknown prefix in {value!r}; give a full IRI or use one of {known}")
        value = namespace + value.split(":", 1)[1]
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise UsageError(
            f"parameter {name!r} must be an absolute IRI without spaces or any of <>\"{{}}|\\^`, got {value!r}"
        ) from None


def _term(parameter: QueryParameter, value: str) -> OxTerm:
    name, kind = parameter.name, parameter.kind
    if kind == "iri":
        return _iri(value, name)
    if kind == "literal":
        return ox.Literal(value)
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            dt.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"parameter {name!r} must be a date YYYY-MM-DD, got {value!r}") from None
        return typed(value, XSD_OX.date)
    if kind == "integer":
        if not _INTEGER.match(value.strip()):
            raise UsageError(f"parameter {name!r} must be an integer, got {value!r}")
        return integer(int(value.strip()))
    if kind == "boolean":
        flag = _BOOLEANS.get(value.strip().lower())
        if flag is None:
            raise UsageError(f"parameter {name!r} must be true or false, got {value!r}")
        return boolean(flag)
    raise UsageError(f"parameter {name!r} has unknown kind {kind!r}")  # pragma: no cover - checked on read


def bind_parameters(query: NamedQuery, params: Mapping[str, str]) -> dict[str, OxTerm]:
    """The terms of the parameter values ``params`` (name -> value as typed).

    Returns:
        SPARQL variable name (``param_NAME``, without ``?``) -> term (see the
        module doc). ``folded`` parameters and parameters not given are left
        out (the query's FILTER then holds).

    Raises:
        UsageError: for a name the query does not declare (the message lists
            the declared ones), or a value not valid for its kind (an IRI that
            pyoxigraph does not accept, a date not ``YYYY-MM-DD``, ...).
    """
    declared = {p.name: p for p in query.parameters}
    bindings: dict[str, OxTerm] = {}
    for name, value in params.items():
        parameter = declared.get(name)
        if parameter is None:
            known = ", ".join(declared) or "none"
            raise UsageError(f"query {query.name!r} has no parameter {name!r}; its parameters: {known}")
        if parameter.match == "folded":
            continue  # applied to the rows: folded_filters
        bindings[parameter.variable] = _term(parameter, value)
    return bindings


def fold(text: str) -> str:
    """``text`` without accents and case: NFKD, combining marks dropped,
    :meth:`str.casefold` ("Håkan" -> "hakan", "STRAßE" -> "strasse"). The
    one text fold of osce-kg."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def folded_filters(query: NamedQuery, params: Mapping[str, str]) -> dict[tuple[str, ...], str]:
    """The ``folded`` parameters of ``params``: the result columns each
    matches (any of them) -> folded value. osce-kg applies them to the rows,
    not the engine: SPARQL has no accent folding, and Virtuoso's ``REGEX``
    and ``ENCODE_FOR_URI`` mishandle non-ASCII text."""
    declared = {p.name: p for p in query.parameters}
    return {declared[name].columns: fold(value) for name, value in params.items() if name in declared and declared[name].match == "folded"}


def with_hints(query: NamedQuery, variables: Sequence[str]) -> str:
    """The text of ``query`` with the hint lines (``#+NAME``) of the
    parameters whose variables are ``variables`` made part of it: their
    ``#+NAME`` marker blanked out. A hint restates the parameter's FILTER as
    graph patterns, so the rows are the same and the engine starts from the
    value; to any other reader the line is a comment."""
    active = {name[len("param_") :] for name in variables}

    def activate(match: re.Match[str]) -> str:
        if match.group("name") not in active:
            return match.group(0)
        return match.group("indent") + " " * (len(match.group("name")) + 2)

    return HINT_LINE.sub(activate, query.text)


def data_languages() -> tuple[str, ...]:
    """The language tags the data's literals carry: one per file of
    ``data/languages/`` (``de``, ``en``, ``fr`` ...)."""
    return tuple(sorted(path.stem for path in languages_dir().glob("*.json")))


def literal_candidates(term: ox.Literal) -> list[ox.Literal]:
    """The literals an ``exact`` literal parameter stands for where a hint
    line joins it as a term: its text as a plain literal and tagged with
    each of :func:`data_languages` (its FILTER still compares the text)."""
    return [ox.Literal(term.value), *(ox.Literal(term.value, language=tag) for tag in data_languages())]


def values_block(names: Sequence[str], rows: Sequence[Sequence[OxTerm]]) -> str:
    """An inline ``VALUES`` block of ``rows`` of terms for the variables
    ``names``: the terms in N-Triples form, written by pyoxigraph (IRIs
    checked by its parser, quotes and line breaks escaped), never raw text."""
    if len(names) == 1:
        return f"VALUES ?{names[0]} {{ " + " ".join(str(row[0]) for row in rows) + " }"
    body = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    return "VALUES (" + " ".join(f"?{name}" for name in names) + ") { " + body + " }"


def with_values(text: str, bindings: Mapping[str, OxTerm]) -> str:
    """``text`` with ``bindings`` (variable name -> term, as from
    :func:`bind_parameters`) in one inline ``VALUES`` block at the start of
    its WHERE group: a trailing ``VALUES`` clause would be joined after the
    group's FILTERs ran (SPARQL 1.1 §18.2.4.3)."""
    if not bindings:
        return text
    names = sorted(bindings)
    at = where_brace(text) + 1
    block = "VALUES (" + " ".join(f"?{name}" for name in names) + ") { (" + " ".join(str(bindings[name]) for name in names) + ") }"
    return f"{text[:at]}\n  {block}\n{text[at:]}"


def prepare_text(query: NamedQuery, params: Mapping[str, str] | None = None) -> str:
    """The text every engine runs for ``query`` with ``params``:
    the hint lines of the given parameters made part of the query
    (:func:`with_hints`), and the terms in an inline ``VALUES`` block at
    the start of the WHERE group and of every sub-select that reads the
    variable (one row: an aggregate must not see it more than once), so the
    sub-select's FILTER restricts what it computes. An ``exact`` literal
    parameter with a hint line is given at the top as the few terms it may
    match (:func:`literal_candidates`: a hint joins terms, the FILTER
    compares text).

    Raises:
        UsageError: for bad parameters (see :func:`bind_parameters`).
    """
    bindings = bind_parameters(query, params or {})
    if not bindings:
        return query.text
    names = sorted(bindings)
    text = with_hints(query, names)
    declared = {p.variable: p for p in query.parameters}
    choices: list[list[OxTerm]] = []
    for name in names:
        parameter, term = declared[name], bindings[name]
        if parameter.kind == "literal" and parameter.name in query.hinted and isinstance(term, ox.Literal):
            choices.append(list(literal_candidates(term)))
        else:
            choices.append([term])
    hidden = masked(text)
    inserts: list[tuple[int, str]] = []
    for n, (brace, _projection) in enumerate(group_braces(text)):
        if n == 0:
            continue
        group = hidden[brace : closing_brace(hidden, brace)]
        used = [name for name in names if re.search(rf"[?$]{re.escape(name)}\b", group)]
        if used:
            inserts.append((brace + 1, values_block(used, [[bindings[name] for name in used]])))
    inserts.append((where_brace(text) + 1, values_block(names, [list(row) for row in itertools.product(*choices)])))
    for at, block in sorted(inserts, reverse=True):
        text = f"{text[:at]}\n  {block}\n{text[at:]}"
    return text
