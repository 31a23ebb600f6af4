"""What the site knows of the data before it writes a page: one pass over a
release's union dump ``osce-kg.nt`` (ARCHITECTURE.md, "Site").

:func:`read_index` gives a :class:`SiteIndex`: labels, types, dates,
incoming links and the class members of every subject, and what the
pages of a kind show (``publish/views.py``): statements by speaker and by
meeting, memberships with their intervals, meetings by State.
:func:`is_entity`, :func:`entity_path` and :func:`site_root` say which IRIs
have a page and where.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..vocab import PREFIXES

__all__ = [
    "ALT_LABELS", "DATES", "Interval", "LABELS", "MAX_INCOMING", "Membership", "OSCE", "PROV_DERIVED", "RDF_TYPE", "SCHEMA", "STATEMENT", "SiteIndex",
    "entity_path", "is_entity", "read_index", "site_root",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "https://schema.org/"
OSCE = PREFIXES["osce"]
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
STATEMENT = OSCE + "Statement"
#: label properties, best first (an English or untagged literal before another language)
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    SCHEMA + "name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    SCHEMA + "headline",
)
#: date properties: a meeting's start, an item's publication, ...
DATES = (SCHEMA + "startDate", SCHEMA + "datePublished", SCHEMA + "dateCreated")
#: other names, searched by name (``publish/search.py``)
ALT_LABELS = ("http://www.w3.org/2004/02/skos/core#altLabel", SCHEMA + "alternateName")
#: incoming links kept per entity (the rest are counted)
MAX_INCOMING = 500

_ORG = "http://www.w3.org/ns/org#"
_TIME = "http://www.w3.org/2006/time#"
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$")


def site_root(base_iri: str) -> str:
    """The site's root URL: the base IRI without its last path segment
    (``https://w3id.org/osce-kg/id/`` -> ``https://w3id.org/osce-kg/``)."""
    trimmed = base_iri.rstrip("/")
    cut = trimmed.rfind("/")
    return trimmed[: cut + 1] if cut > len("https://") else base_iri


def is_entity(iri: str, base_iri: str) -> bool:
    """True for an IRI the site has a page for: under the base, its local
    part a safe path (letters, digits, ``-._~``, ``/``; no ``..``)."""
    return iri.startswith(base_iri) and bool(_SAFE_LOCAL.match(iri[len(base_iri):]))


def entity_path(iri: str, base_iri: str) -> str:
    """The path of an entity relative to the site root, without suffix
    (``https://w3id.org/osce-kg/id/person/x`` -> ``id/person/x``)."""
    return iri[len(site_root(base_iri)):]


@dataclass
class Membership:
    """An ``org:Membership``: its person (``org:member``), post
    (``osce:post``), intervals (``org:memberDuring``) and the items it was
    derived from (``prov:wasDerivedFrom``: a page's evidence)."""

    member: str = ""
    post: str = ""
    intervals: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)


@dataclass
class Interval:
    """A ``time:Interval``: its beginning and end instants, whether it is
    ``osce:evidenceBased`` (from the items of the pages, not the table) or
    ``osce:openEnded``, and its ``osce:datePrecision``."""

    begin: str = ""
    end: str = ""
    evidence: bool = False
    open_ended: bool = False
    precision: str = ""


class SiteIndex:
    """What :func:`read_index` learns of every subject (IRIs as strings).

    Attributes:
        labels: subject -> (rank, label): the best label (see :data:`LABELS`).
        alt_names: subject -> other names (``skos:altLabel``, ``schema:alternateName``).
        types: subject -> its ``rdf:type`` IRIs.
        incoming: object -> up to :data:`MAX_INCOMING` (subject, property) links to it.
        incoming_more: object -> the number of links beyond those.
        dates: subject -> ``YYYY-MM-DD`` (a meeting's start, an item's publication).
        statements: statement -> {"text", ``schema:recordedAt``, ``prov:wasDerivedFrom``, ``schema:creator``}.
        class_members: class -> its entities (IRIs under the base), in file order.
        subjects: the IRI subjects under the base (each gets a page).
        by_speaker: person -> their statements; by_meeting: meeting -> its statements.
        memberships: membership -> :class:`Membership`; by_member: person -> memberships.
        intervals: interval -> :class:`Interval`; instants: instant -> ``YYYY-MM-DD``.
        locations: meeting -> place (``schema:location``);
        contained: place -> the place it is in (``schema:containedInPlace``: a State).
        derived: subject -> what it was derived from (``prov:wasDerivedFrom``).
    """

    def __init__(self) -> None:
        self.labels: dict[str, tuple[int, str]] = {}
        self.alt_names: dict[str, list[str]] = defaultdict(list)
        self.types: dict[str, list[str]] = defaultdict(list)
        self.incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.incoming_more: dict[str, int] = defaultdict(int)
        self.dates: dict[str, str] = {}
        self.statements: dict[str, dict[str, str]] = {}
        self.class_members: dict[str, list[str]] = defaultdict(list)
        self.subjects: set[str] = set()
        self.by_speaker: dict[str, list[str]] = defaultdict(list)
        self.by_meeting: dict[str, list[str]] = defaultdict(list)
        self.memberships: dict[str, Membership] = defaultdict(Membership)
        self.by_member: dict[str, list[str]] = defaultdict(list)
        self.intervals: dict[str, Interval] = defaultdict(Interval)
        self.instants: dict[str, str] = {}
        self.locations: dict[str, str] = {}
        self.contained: dict[str, str] = {}
        self.derived: dict[str, list[str]] = defaultdict(list)

    def statement_date(self, statement: str) -> str:
        """``YYYY-MM-DD`` of a statement: its meeting's start, else its
        item's publication; ``""`` when neither is known."""
        info = self.statements.get(statement, {})
        meeting, item = info.get(SCHEMA + "recordedAt", ""), info.get(PROV_DERIVED, "")
        return self.dates.get(meeting, "") or self.dates.get(item, "")

    def country_of(self, meeting: str) -> str | None:
        """The State a meeting took place in: its place's
        ``schema:containedInPlace`` (or the place itself when a State is
        its location); None when unknown."""
        place = self.locations.get(meeting)
        if place is None:
            return None
        return self.contained.get(place, place)


_SINGLE = {
    SCHEMA + "recordedAt": "recordedAt", PROV_DERIVED: "derived", SCHEMA + "creator": "creator",
    SCHEMA + "location": "location", SCHEMA + "containedInPlace": "contained",
    _ORG + "member": "member", OSCE + "post": "post", _ORG + "memberDuring": "during",
    _TIME + "hasBeginning": "begin", _TIME + "hasEnd": "end",
}


def read_index(nt: Path, base_iri: str) -> SiteIndex:
    """One pass over the N-Triples file ``nt`` (the union dump) into a
    :class:`SiteIndex` of the entities under ``base_iri``."""
    index = SiteIndex()
    for t in ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES):
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, ox.NamedNode):
            continue
        sv = s.value
        entity = is_entity(sv, base_iri)
        if entity:
            index.subjects.add(sv)
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            index.types[sv].append(o.value)
            if entity:
                index.class_members[o.value].append(sv)
            continue
        if isinstance(o, ox.Literal):
            _literal(index, sv, p, o)
        elif isinstance(o, ox.NamedNode):
            if is_entity(o.value, base_iri):
                if len(index.incoming[o.value]) < MAX_INCOMING:
                    index.incoming[o.value].append((sv, p))
                else:
                    index.incoming_more[o.value] += 1
            _link(index, sv, p, o.value)
    for iri, membership in index.memberships.items():
        membership.derived = index.derived.get(iri, [])
    return index


def _literal(index: SiteIndex, s: str, p: str, o: ox.Literal) -> None:
    if p in LABELS:
        rank = LABELS.index(p) * 2 + (0 if o.language in ("en", None) else 1)
        if s not in index.labels or rank < index.labels[s][0]:
            index.labels[s] = (rank, o.value)
        if o.language not in ("en", None):
            index.alt_names[s].append(o.value)
    elif p in ALT_LABELS:
        index.alt_names[s].append(o.value)
    elif p in DATES and (s not in index.dates or p == DATES[0]):
        index.dates[s] = o.value
    elif p == SCHEMA + "text":
        index.statements.setdefault(s, {})["text"] = o.value
        if s not in index.labels:  # a statement is named by its words
            index.labels[s] = (len(LABELS) * 2, o.value if len(o.value) <= 80 else o.value[:79] + "…")
    elif p == _TIME + "inXSDDate":
        index.instants[s] = o.value
    elif p == OSCE + "evidenceBased":
        index.intervals[s].evidence = o.value == "true"
    elif p == OSCE + "openEnded":
        index.intervals[s].open_ended = o.value == "true"
    elif p == OSCE + "datePrecision":
        index.intervals[s].precision = o.value


def _link(index: SiteIndex, s: str, p: str, o: str) -> None:
    kind = _SINGLE.get(p)
    if kind is None:
        return
    if kind in ("recordedAt", "derived", "creator"):
        index.statements.setdefault(s, {})[p] = o
        if kind == "creator":
            index.by_speaker[o].append(s)
        elif kind == "recordedAt":
            index.by_meeting[o].append(s)
        else:
            index.derived[s].append(o)
    elif kind == "location":
        index.locations[s] = o
    elif kind == "contained":
        index.contained[s] = o
    elif kind == "member":
        index.memberships[s].member = o
        index.by_member[o].append(s)
    elif kind == "post":
        index.memberships[s].post = o
    elif kind == "during":
        index.memberships[s].intervals.append(o)
    elif kind == "begin":
        index.intervals[s].begin = o
    elif kind == "end":
        index.intervals[s].end = o
