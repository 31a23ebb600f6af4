"""One lexer for SPARQL 1.1 text (queries and updates): the tokens of the
grammar's terminals (SPARQL 1.1 Query Language, section 19.8), enough to
find keywords and nesting without parsing.

Used wherever a SPARQL text is judged before a parser sees it: the guard
of ``osce-kg serve`` (:mod:`osce_kg.guard`: ``SERVICE`` and ``LOAD``
refused, nesting limited), the local check of ``osce-kg query``
(:func:`osce_kg.sparql.catalog.check_query`) and the error mapping of a failed
``SERVICE`` request.

What it knows:

- white space (space, tab, CR, LF) and comments, which end at a CR *or* a
  LF (section 19.6: ``#`` to the end of the line, and a line ends at
  either);
- strings: short (``'...'``, ``"..."``, no raw line break) and long
  (``'''...'''``, ``\"\"\"...\"\"\"``), with the escapes ``\\t \\b \\n \\r \\f
  \\" \\' \\\\`` (section 19.7) and ``\\u``, ``\\U``; any other escape is an error;
- IRIs (``<...>``, IRIREF), variables, blank node labels, language tags,
  numbers, prefixed names (with the ``\\``-escapes of PN_LOCAL), bare words
  (keywords) and punctuation;
- ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes, which section 19.2 resolves before
  the grammar: :func:`unescape_codepoints` gives that text, and the keyword
  check reads both it and the raw text.

Why keywords are looked for in a generous way (:func:`keyword_hits`):
parsers of the PEG family (Oxigraph's among them) match a keyword without a
word boundary, so ``SERVICESILENT<u>{}``, ``SERVICE:x {}`` and
``trueSERVICE<u>{}`` (the object ``true`` then the keyword) all run a
SERVICE request. A keyword is therefore found *anywhere* in a bare word, in
the prefix of a prefixed name, in a language tag or a blank node label;
only variables and the local part of prefixed names (which every parser
reads whole) are not searched. And ``<`` is both the start of an IRI and
the operator "less than": where an IRI holds ``#`` or ``'`` (the start of
a comment or a string in the other reading) the text after ``<`` is read
the other way as well, and a keyword in either reading counts.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "MAX_NESTING",
    "LexError",
    "Token",
    "tokenize",
    "unescape_codepoints",
    "nesting_depth",
    "parser_stack",
    "keyword_hits",
    "without_literals",
    "check_text",
    "SparqlRefusal",
]

#: deepest nesting of ``{``, ``(`` and ``[`` (all kinds counted together)
#: a SPARQL text may have; deeper texts are refused before any parser sees
#: them (Oxigraph's and rdflib's parsers recurse per level: a few thousand
#: levels overflow the stack). The shipped queries nest at most 6 deep.
MAX_NESTING = 64

#: keywords whose requests leave the server: ``SERVICE`` (a query fetches
#: any URL) and ``LOAD`` (an update fetches any URL)
NETWORK_KEYWORDS: tuple[str, ...] = ("service", "load")

#: most readings of ``<`` (see the module doc) tried for one text, and the
#: characters all readings may read together (fewer readings for a long text)
_MAX_READINGS = 256
_MAX_READ_CHARS = 64_000_000

_ECHAR = r"""\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
_PN_ESC = r"""\\[_~.\-!$&'()*+,;=/?#@%]"""
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\\-\u00b7\u0300-\u036f\u203f-\u2040"
_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_LOCAL_CHAR = f"(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|{_PN_ESC})"
_LOCAL_FIRST = f"(?:[{_PN_CHARS_BASE}_:0-9]|%[0-9A-Fa-f]{{2}}|{_PN_ESC})"
_LOCAL = f"{_LOCAL_FIRST}(?:(?:{_LOCAL_CHAR}|\\.)*{_LOCAL_CHAR})?"

#: token kinds, tried in this order at each position
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>[ \t\r\n]+)",
            r"(?P<comment>#[^\r\n]*)",
            rf"""(?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"""
            rf'''|"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""'''
            rf"""|'(?:[^'\\\n\r]|{_ECHAR})*'"""
            rf'''|"(?:[^"\\\n\r]|{_ECHAR})*")''',
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            rf"(?P<var>[?$][{_PN_CHARS}]+)",
            rf"(?P<bnode>_:[{_PN_CHARS_BASE}_0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            r"(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)",
            rf"(?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)",
            rf"(?P<word>[{_PN_CHARS_BASE}_][{_PN_CHARS}]*)",
            r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\],;.*+\-/!=<>|^?@&])",
        ]
    ),
    re.DOTALL,
)

_OPENERS = {"{": "}", "(": ")", "[": "]"}
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class LexError(ValueError):
    """A SPARQL text that cannot be cut into tokens (an unterminated string,
    a character no token starts with).

    Attributes:
        position: the offset (0-based, in characters) where reading failed.
        reason: what is wrong, in a few words.
    """

    def __init__(self, position: int, reason: str) -> None:
        self.position = position
        self.reason = reason
        super().__init__(f"{reason} at character {position + 1}")


class SparqlRefusal(ValueError):
    """A SPARQL text refused before any parser sees it: a network keyword
    (``SERVICE``, ``LOAD``), nesting deeper than :data:`MAX_NESTING`, or a
    text the lexer cannot read.

    Attributes:
        kind: ``"service"``, ``"load"``, ``"nesting"`` or ``"unreadable"``.
        reason: a one-line reason for the client.
    """

    def __init__(self, kind: str, reason: str) -> None:
        self.kind = kind
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (``ws``, ``comment``, ``string``, ``iri``,
    ``var``, ``bnode``, ``langtag``, ``number``, ``pname``, ``word``,
    ``punct``), its text and its offset in the text."""

    kind: str
    text: str
    start: int


def tokenize(text: str, start: int = 0) -> Iterator[Token]:
    """The tokens of ``text`` from offset ``start`` on, white space and
    comments included.

    Raises:
        LexError: at the first place no token matches (the tokens before it
            have been yielded).
    """
    pos = start
    end = len(text)
    match = _TOKEN.match
    while pos < end:
        found = match(text, pos)
        if found is None or found.end() == pos:
            ch = text[pos]
            if ch in "'\"":
                raise LexError(pos, "unterminated string")
            raise LexError(pos, f"unexpected character {ch!r}")
        kind = found.lastgroup or "punct"
        yield Token(kind, found.group(), pos)
        pos = found.end()


def unescape_codepoints(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by
    their characters (SPARQL 1.1, section 19.2); an escape of a surrogate
    or beyond U+10FFFF is left as it is."""

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group()
        return chr(code)

    return _CODEPOINT.sub(one, text) if "\\" in text else text


def nesting_depth(text: str, *, strict: bool = True) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in ``text`` (outside
    strings, IRIs and comments), without a parser. With ``strict`` false, a
    text that cannot be read gives the depth reached before the failure.

    Raises:
        LexError: (``strict`` only) when the text cannot be read.
    """
    depth = deepest = 0
    try:
        for token in tokenize(text):
            if token.kind != "punct":
                continue
            if token.text in _OPENERS:
                depth += 1
                deepest = max(deepest, depth)
            elif token.text in ("}", ")", "]") and depth:
                depth -= 1
    except LexError:
        if strict:
            raise
    return deepest


#: Python frames rdflib's SPARQL parser and evaluator may use for a text of
#: :data:`MAX_NESTING` levels (about 40 per level, measured)
_PARSER_FRAMES = 200 * MAX_NESTING


@contextlib.contextmanager
def parser_stack() -> Iterator[None]:
    """Room on the Python stack for rdflib's recursive parser (pyparsing)
    and evaluator on a text of up to :data:`MAX_NESTING` levels: the
    recursion limit is raised while the block runs (a limit of 1,000 stops
    rdflib at about 30 levels)."""
    previous = sys.getrecursionlimit()
    if previous < _PARSER_FRAMES:
        sys.setrecursionlimit(_PARSER_FRAMES)
    try:
        yield
    finally:
        if previous < _PARSER_FRAMES:
            sys.setrecursionlimit(previous)


def _searched(token: Token) -> str | None:
    """The part of ``token`` a keyword is looked for in (module doc), or None."""
    if token.kind in ("word", "langtag", "bnode"):
        return token.text
    if token.kind == "pname":
        return token.text.split(":", 1)[0]
    return None


def _may_be_operator(token: Token) -> bool:
    """True for an IRI token whose ``<`` read as "less than" would start a
    comment or a string inside it (the module doc)."""
    return token.kind == "iri" and ("#" in token.text or "'" in token.text)


def keyword_hits(text: str, keywords: tuple[str, ...] = NETWORK_KEYWORDS) -> set[str]:
    """The ``keywords`` (lower case) found in ``text`` in any reading a
    SPARQL parser may take (see the module doc): in the raw text and in the
    text with its codepoint escapes resolved, with ``<`` read as an IRI and,
    where that matters, as an operator. A reading that cannot be cut into
    tokens is read on from the character after the failure.

    Raises:
        SparqlRefusal: (kind ``unreadable``) when the text has more readings
            than are tried.
    """
    hits: set[str] = set()
    texts = [text]
    unescaped = unescape_codepoints(text)
    if unescaped != text:
        texts.append(unescaped)
    budget = max(4, min(_MAX_READINGS, _MAX_READ_CHARS // max(1, len(text))))
    for variant in texts:
        todo = [0]
        seen = {0}
        while todo:
            start = todo.pop()
            try:
                for token in tokenize(variant, start):
                    part = _searched(token)
                    if part is not None:
                        folded = part.casefold()
                        hits.update(k for k in keywords if k in folded)
                    elif _may_be_operator(token) and token.start + 1 not in seen:
                        if len(seen) >= budget:
                            raise SparqlRefusal("unreadable", "the query has too many IRIs holding '#' or \"'\" to be checked")
                        seen.add(token.start + 1)
                        todo.append(token.start + 1)
            except LexError as exc:
                # read on after the character that failed: a keyword after
                # it still counts (more refusals, never fewer)
                if exc.position + 1 not in seen and exc.position + 1 < len(variant):
                    if len(seen) >= budget:
                        raise SparqlRefusal("unreadable", "the SPARQL text has too many unreadable places to be checked") from None
                    seen.add(exc.position + 1)
                    todo.append(exc.position + 1)
    return hits


def without_literals(text: str) -> str:
    """``text`` with its comments, strings and IRIs made single spaces
    (keywords, names, variables and punctuation are left). A text the lexer
    cannot read is kept from the failing place on."""
    parts: list[str] = []
    pos = 0
    try:
        for token in tokenize(text):
            parts.append(" " if token.kind in ("comment", "string", "iri") else token.text)
            pos = token.start + len(token.text)
    except LexError:
        parts.append(text[pos:])
    return "".join(parts)


def check_text(text: str, *, allow: tuple[str, ...] = ()) -> None:
    """Refuse ``text`` when it uses a network keyword not in ``allow``
    (:data:`NETWORK_KEYWORDS`), nests deeper than :data:`MAX_NESTING`, or
    cannot be cut into tokens. Cheap and parser-free: meant to run before
    any parser sees a text from a client.

    Raises:
        SparqlRefusal: with the kind and a one-line reason.
    """
    try:
        depth = nesting_depth(text)
    except LexError as exc:
        raise SparqlRefusal("unreadable", f"the SPARQL text cannot be read: {exc}") from None
    if depth > MAX_NESTING:
        raise SparqlRefusal(
            "nesting", f"the SPARQL text nests {{, ( and [ {depth} deep; at most {MAX_NESTING} levels are accepted"
        )
    hits = keyword_hits(text)
    for keyword in NETWORK_KEYWORDS:
        if keyword in hits and keyword not in allow:
            name = keyword.upper()
            raise SparqlRefusal(keyword, f"SPARQL {name} is disabled on this server (it would make the server fetch a URL)")
