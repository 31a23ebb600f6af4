"""Conversion of RDF terms between rdflib and pyoxigraph.

rdflib is the graph model of the pipeline; pyoxigraph writes the large dumps
(N-Triples, N-Quads, TriG), is the embedded store and parses query results.
The two models agree on RDF 1.1 terms with these mappings:

==========================  =====================================================
rdflib                      pyoxigraph
==========================  =====================================================
``URIRef``                  ``NamedNode``
``BNode``                   ``BlankNode`` (same label)
``Literal`` with language   ``Literal(value, language=...)``
``Literal`` with datatype   ``Literal(value, datatype=NamedNode(...))``
plain ``Literal``           ``Literal(value)`` (``xsd:string``, RDF 1.1 §3.3)
==========================  =====================================================

The way back maps ``xsd:string`` literals to plain rdflib literals (no
datatype), as rdflib's own parsers and SPARQL engine produce them, so results
of all three query backends compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .vocab import PREFIXES

__all__ = [
    "OxNamespace",
    "Triples",
    "XSD_OX",
    "XSD_STRING",
    "boolean",
    "from_ox",
    "graph_triples",
    "integer",
    "rdflib_graph",
    "to_ox",
    "typed",
]

#: the datatype of plain literals in RDF 1.1
XSD_STRING = str(XSD.string)

_OX_XSD_STRING = ox.NamedNode(XSD_STRING)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxGraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


def to_ox(term: Identifier) -> OxTerm:
    """The pyoxigraph term equal to the rdflib ``term``.

    Raises:
        TypeError: for anything that is not an IRI, blank node or literal
            (a variable, a quoted graph).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: OxTerm) -> Identifier:
    """The rdflib term equal to the pyoxigraph ``term`` (``xsd:string``
    literals become plain literals).

    Raises:
        TypeError: for a pyoxigraph term rdflib cannot hold (an RDF-star triple).
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _OX_XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an IRI, blank node or literal: {term!r}")


def graph_triples(graph: Graph) -> Iterator[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples (a dataset is
    flattened: its graph names are dropped, every graph's triples given)."""
    source = (q[:3] for q in graph.quads((None, None, None, None))) if graph.context_aware else graph.triples((None, None, None))  # type: ignore[attr-defined]
    for s, p, o in source:
        yield ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- building graphs in pyoxigraph terms

_XSD = "http://www.w3.org/2001/XMLSchema#"


class OxNamespace:
    """IRIs of one namespace as pyoxigraph :class:`~pyoxigraph.NamedNode`
    (``OSCE_OX.Meeting``, ``OSCE_OX["class"]``), made once and kept."""

    def __init__(self, base: str) -> None:
        self._base = str(base)
        self._made: dict[str, ox.NamedNode] = {}

    def __getitem__(self, local: str) -> ox.NamedNode:
        node = self._made.get(local)
        if node is None:
            node = self._made[local] = ox.NamedNode(self._base + local)
        return node

    def __getattr__(self, local: str) -> ox.NamedNode:
        if local.startswith("_"):
            raise AttributeError(local)
        return self[local]


XSD_OX = OxNamespace(_XSD)


def typed(value: str, datatype: ox.NamedNode) -> ox.Literal:
    """A literal of ``datatype`` with the lexical form ``value``."""
    return ox.Literal(value, datatype=datatype)


def boolean(value: bool) -> ox.Literal:
    """``"true"``/``"false"`` as ``xsd:boolean`` (rdflib's ``Literal(True)``)."""
    return ox.Literal("true" if value else "false", datatype=XSD_OX.boolean)


def integer(value: int) -> ox.Literal:
    """An ``xsd:integer`` literal (rdflib's ``Literal(3)``)."""
    return ox.Literal(str(int(value)), datatype=XSD_OX.integer)


class Triples:
    """The triples of one graph being built, in insertion order, each once
    (what the mapping writes into; rdflib's :class:`~rdflib.Graph` is not
    needed for that). Iterating yields :class:`pyoxigraph.Triple`."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[OxTerm, ox.NamedNode, OxTerm], None] = {}

    def add(self, triple: tuple[OxTerm, ox.NamedNode, OxTerm]) -> None:
        """Add ``(subject, predicate, object)`` (pyoxigraph terms)."""
        self._seen[triple] = None

    def subjects(self, predicate: ox.NamedNode, obj: OxTerm) -> list[OxTerm]:
        """Subjects of the triples ``(?, predicate, obj)``, in order."""
        return list(dict.fromkeys(s for s, p, o in self._seen if p == predicate and o == obj))

    def __len__(self) -> int:
        return len(self._seen)

    def __iter__(self) -> Iterator[ox.Triple]:
        return (ox.Triple(s, p, o) for s, p, o in self._seen)

    def quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        """The triples as quads of the named graph ``graph``."""
        return [ox.Quad(s, p, o, graph) for s, p, o in self._seen]


def rdflib_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """An rdflib :class:`~rdflib.Graph` of pyoxigraph triples (graph names of
    quads dropped): for users and checks that ask for an rdflib graph."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for t in triples:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))  # type: ignore[arg-type]
    return graph
