"""What a page knows of the data, read from a release's Oxigraph store on
request (``site-serve`` over ``<release>/store/``; ARCHITECTURE.md, "Site").

:class:`StoreIndex` has the attributes of :class:`~.siteindex.SiteIndex`
that the renderer and the views read (``publish/site.py``, ``PageRenderer``;
``publish/views.py``), each a mapping computed key by key from the store's
default graph (the materialised union of the named graphs, written by
``osce-kg load`` and ``osce-kg build --store``) and kept for the life of
the index: one index per request keeps the server's memory flat. The
values are those :func:`~.siteindex.read_index` gives for the same data:
where a dump line order decides (the first label of equal rank, the last
of several values), the lines of the sorted union dump are followed
(objects in the order of their N-Triples text).

Single-subject lookups use :meth:`pyoxigraph.Store.quads_for_pattern`, no
SPARQL: one call gives a subject's triples, one the subjects linking to an
object by a property.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import pyoxigraph as ox

from .siteindex import (
    ALT_LABELS, DATES, LABELS, MAX_INCOMING, OSCE, PROV_DERIVED, RDF_TYPE, SCHEMA, Interval, Membership, SiteIndex, is_entity,
)

__all__ = ["SMALL", "StoreIndex", "entity_triples", "graph_quads", "has_subject", "is_graph", "stating_graphs"]

log = logging.getLogger(__name__)

_ORG = "http://www.w3.org/ns/org#"
_TIME = "http://www.w3.org/2006/time#"
_DEFAULT = ox.DefaultGraph()
_MEETING = OSCE + "Meeting"
#: triples of a subject read in one lookup; a subject with more (a hub) is
#: read property by property
SMALL = 64

V = TypeVar("V")


def _key(term: Any) -> str:
    """The order of a term in the sorted union dump: its N-Triples text."""
    return str(term)


def entity_triples(store: ox.Store, subject: ox.NamedNode) -> list[ox.Triple]:
    """The triples of ``subject`` in the union (the store's default graph),
    in the order of the sorted union dump (by property, then object)."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None, _DEFAULT)]
    triples.sort(key=lambda t: f"{t.predicate} {t.object} .")
    return triples


def has_subject(store: ox.Store, iri: str) -> bool:
    """True when the IRI is the subject of a triple of the union."""
    return next(iter(store.quads_for_pattern(ox.NamedNode(iri), None, None, _DEFAULT)), None) is not None


def is_graph(store: ox.Store, iri: str) -> bool:
    """True when the IRI names a graph of the store that holds a quad."""
    return next(iter(store.quads_for_pattern(None, None, None, ox.NamedNode(iri))), None) is not None


def graph_quads(store: ox.Store, iri: str) -> list[ox.Quad]:
    """The quads of the named graph ``iri``, sorted as the N-Quads dump has
    them (IRI subjects first, then by subject, property, object)."""
    quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    quads.sort(key=lambda q: (0 if isinstance(q.subject, ox.NamedNode) else 1, q.subject.value, q.predicate.value, str(q.object)))
    return quads


def stating_graphs(store: ox.Store, subject: ox.NamedNode, skip: frozenset[str] = frozenset()) -> list[str]:
    """The named graphs that state something of ``subject`` (sorted), but
    those of ``skip``."""
    found = {q.graph_name.value for q in store.quads_for_pattern(subject, None, None)
             if isinstance(q.graph_name, ox.NamedNode)}
    return sorted(found - skip)


class _Lazy(dict, Generic[V]):  # type: ignore[type-arg]
    """A dict whose values are computed key by key (``compute(key)``;
    None: no value, as a key missing from the dict) and then kept."""

    def __init__(self, compute: Callable[[str], V | None], empty: Callable[[], V] | None = None) -> None:
        super().__init__()
        self._compute = compute
        self._empty = empty

    def _find(self, key: str) -> V | None:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)  # type: ignore[no-any-return]
        value = self._compute(key)
        dict.__setitem__(self, key, value)
        return value

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        value = self._find(key)
        return default if value is None else value

    def __getitem__(self, key: str) -> V:
        value = self._find(key)
        if value is None:
            if self._empty is None:
                raise KeyError(key)
            return self._empty()  # as a defaultdict gives an empty value
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) is not None


class _Subjects(set):  # type: ignore[type-arg]
    """The IRI subjects under the base: membership asked of the store."""

    def __init__(self, index: StoreIndex) -> None:
        super().__init__()
        self._index = index
        self._known: dict[str, bool] = {}

    def __contains__(self, iri: object) -> bool:
        if not isinstance(iri, str):
            return False
        found = self._known.get(iri)
        if found is None:
            found = self._known[iri] = is_entity(iri, self._index.base) and has_subject(self._index.store, iri)
        return found

    def __iter__(self) -> Iterator[str]:
        raise TypeError("the subjects of a store index are not listed")


class StoreIndex(SiteIndex):
    """A :class:`~.siteindex.SiteIndex` over the store ``store`` (see the
    module doc): the same attributes, computed on demand. ``subjects``
    answers ``in`` only; ``class_members`` lists the entities of a class
    (the whole class: for the landing page and the name index, not pages).
    ``meetings_by_state`` is the mapping :func:`~.views.state_view` takes.
    """

    def __init__(self, store: ox.Store, base_iri: str) -> None:
        super().__init__()
        self.store = store
        self.base = base_iri
        self._po: dict[str, dict[str, list[Any]] | None] = {}
        self._spo: dict[tuple[str, str], list[Any]] = {}
        self.labels = _Lazy(self._label)
        self.alt_names = _Lazy(self._alt_names, list)
        self.types = _Lazy(lambda s: [o.value for o in self.objects(s, RDF_TYPE) if isinstance(o, ox.NamedNode)] or None, list)
        self.incoming = _Lazy(self._incoming, list)
        self.incoming_more = _Lazy(lambda o: self._incoming_more.get(o, 0) if self.incoming[o] is not None else 0, int)
        self._incoming_more: dict[str, int] = {}
        self.dates = _Lazy(self._date)
        self.statements = _Lazy(self._statement, dict)
        self.class_members = _Lazy(self._members, list)
        self.subjects = _Subjects(self)
        self.by_speaker = _Lazy(lambda o: self._linking(SCHEMA + "creator", o), list)
        self.by_meeting = _Lazy(lambda o: self._linking(SCHEMA + "recordedAt", o), list)
        self.memberships = _Lazy(self._membership, Membership)
        self.by_member = _Lazy(lambda o: self._linking(_ORG + "member", o), list)
        self.intervals = _Lazy(self._interval, Interval)
        self.instants = _Lazy(lambda s: self._last_literal(s, _TIME + "inXSDDate"))
        self.locations = _Lazy(lambda s: self._last_iri(s, SCHEMA + "location"))
        self.contained = _Lazy(lambda s: self._last_iri(s, SCHEMA + "containedInPlace"))
        self.derived = _Lazy(lambda s: [o.value for o in self.objects(s, PROV_DERIVED) if isinstance(o, ox.NamedNode)] or None, list)
        self.meetings_by_state: _Lazy[list[str]] = _Lazy(self._meetings_in, list)

    # -- the store ------------------------------------------------------
    def properties(self, iri: str) -> dict[str, list[Any]] | None:
        """property -> objects (in dump order) of the IRI subject ``iri``
        in the union, read in one lookup; ``{}`` when it is no subject,
        None when it has more than :data:`SMALL` triples (a hub: its
        properties are then read one by one, :meth:`objects`)."""
        if iri in self._po:
            return self._po[iri]
        found: dict[str, list[Any]] | None = {}
        try:
            node = ox.NamedNode(iri)
        except ValueError:  # no IRI ("": a missing value): no subject
            self._po[iri] = found
            return found
        for n, q in enumerate(self.store.quads_for_pattern(node, None, None, _DEFAULT)):
            if n == SMALL:
                found = None
                break
            found.setdefault(q.predicate.value, []).append(q.object)
        if found:
            for values in found.values():
                values.sort(key=_key)
        self._po[iri] = found
        return found

    def objects(self, s: str, p: str) -> list[Any]:
        """The objects of ``s`` and ``p`` in the union, in dump order."""
        props = self.properties(s)
        if props is not None:
            return props.get(p, [])
        key = (s, p)
        found = self._spo.get(key)
        if found is None:
            found = self._spo[key] = sorted((q.object for q in self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, _DEFAULT)), key=_key)
        return found

    def _linking(self, p: str, o: str) -> list[str] | None:
        """IRI subjects with ``p`` to the IRI ``o``, in dump order."""
        found = sorted({q.subject.value for q in self.store.quads_for_pattern(None, ox.NamedNode(p), ox.NamedNode(o), _DEFAULT)
                        if isinstance(q.subject, ox.NamedNode)}, key=lambda s: f"<{s}>")
        return found or None

    def _last_iri(self, s: str, p: str) -> str | None:
        values = [o.value for o in self.objects(s, p) if isinstance(o, ox.NamedNode)]
        return values[-1] if values else None

    def _last_literal(self, s: str, p: str) -> str | None:
        values = [o.value for o in self.objects(s, p) if isinstance(o, ox.Literal)]
        return values[-1] if values else None

    # -- the attributes -------------------------------------------------
    def _label(self, s: str) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        for n, p in enumerate(LABELS):
            for o in self.objects(s, p):
                if isinstance(o, ox.Literal):
                    rank = n * 2 + (0 if o.language in ("en", None) else 1)
                    if best is None or rank < best[0]:
                        best = (rank, o.value)
        if best is None:  # a statement is named by its words
            text = next((o.value for o in self.objects(s, SCHEMA + "text") if isinstance(o, ox.Literal)), None)
            if text is not None:
                best = (len(LABELS) * 2, text if len(text) <= 80 else text[:79] + "…")
        return best

    def _alt_names(self, s: str) -> list[str] | None:
        names = []
        for p in sorted((*LABELS, *ALT_LABELS), key=lambda p: f"<{p}>"):
            if p in LABELS:
                names += [o.value for o in self.objects(s, p) if isinstance(o, ox.Literal) and o.language not in ("en", None)]
            else:
                names += [o.value for o in self.objects(s, p) if isinstance(o, ox.Literal)]
        return names or None

    def _incoming(self, o: str) -> list[tuple[str, str]] | None:
        if not is_entity(o, self.base):
            return None
        links = sorted({(q.subject.value, q.predicate.value) for q in self.store.quads_for_pattern(None, None, ox.NamedNode(o), _DEFAULT)
                        if isinstance(q.subject, ox.NamedNode) and q.predicate.value != RDF_TYPE}, key=lambda sp: f"<{sp[0]}> <{sp[1]}>")
        self._incoming_more[o] = max(0, len(links) - MAX_INCOMING)
        return links[:MAX_INCOMING] or None

    def _date(self, s: str) -> str | None:
        start = [o.value for o in self.objects(s, DATES[0]) if isinstance(o, ox.Literal)]
        if start:
            return start[-1]
        for p in sorted(DATES[1:], key=lambda p: f"<{p}>"):
            values = [o.value for o in self.objects(s, p) if isinstance(o, ox.Literal)]
            if values:
                return values[0]
        return None

    def _statement(self, s: str) -> dict[str, str] | None:
        info: dict[str, str] = {}
        text = self._last_literal(s, SCHEMA + "text")
        if text is not None:
            info["text"] = text
        for p in (SCHEMA + "recordedAt", PROV_DERIVED, SCHEMA + "creator"):
            value = self._last_iri(s, p)
            if value is not None:
                info[p] = value
        return info or None

    def _members(self, cls: str) -> list[str] | None:
        found = sorted({q.subject.value for q in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls), _DEFAULT)
                        if isinstance(q.subject, ox.NamedNode) and is_entity(q.subject.value, self.base)}, key=lambda s: f"<{s}>")
        return found or None

    def _membership(self, m: str) -> Membership | None:
        iris = {p: [o.value for o in self.objects(m, p) if isinstance(o, ox.NamedNode)] for p in (_ORG + "member", OSCE + "post", _ORG + "memberDuring", PROV_DERIVED)}
        if not any(iris.values()) and not has_subject(self.store, m):
            return None
        return Membership(
            member=(iris[_ORG + "member"] or [""])[-1], post=(iris[OSCE + "post"] or [""])[-1],
            intervals=iris[_ORG + "memberDuring"], derived=iris[PROV_DERIVED],
        )

    def _interval(self, iv: str) -> Interval | None:
        keys = (_TIME + "hasBeginning", _TIME + "hasEnd", OSCE + "evidenceBased", OSCE + "openEnded", OSCE + "datePrecision")
        if not any(self.objects(iv, k) for k in keys):
            return None
        flag = (lambda p: (self._last_literal(iv, p) or "") == "true")
        return Interval(
            begin=self._last_iri(iv, _TIME + "hasBeginning") or "", end=self._last_iri(iv, _TIME + "hasEnd") or "",
            evidence=flag(OSCE + "evidenceBased"), open_ended=flag(OSCE + "openEnded"),
            precision=self._last_literal(iv, OSCE + "datePrecision") or "",
        )

    def _meetings_in(self, state: str) -> list[str] | None:
        """The meetings whose State (:meth:`country_of`) is ``state``."""
        places = [state, *(self._linking(SCHEMA + "containedInPlace", state) or [])]
        found = set()
        for place in places:
            for m in self._linking(SCHEMA + "location", place) or []:
                if _MEETING in self.types.get(m, ()) and is_entity(m, self.base) and self.country_of(m) == state:
                    found.add(m)
        return sorted(found) or None
