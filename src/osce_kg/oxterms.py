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
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Identifier

__all__ = ["to_ox", "from_ox", "graph_name_to_ox", "dataset_quads", "graph_triples", "XSD_STRING"]

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


def graph_name_to_ox(name: Identifier | None) -> OxGraphName:
    """The pyoxigraph graph name of an rdflib graph identifier: an IRI or
    blank node as it is; ``None`` or rdflib's default-graph IRI
    (``urn:x-rdflib:default``) is the default graph."""
    if name is None or str(name) == str(DATASET_DEFAULT_GRAPH_ID):
        return ox.DefaultGraph()
    if isinstance(name, BNode):
        return ox.BlankNode(str(name))
    return ox.NamedNode(str(name))


def graph_triples(graph: Graph) -> Iterator[ox.Triple]:
    """The triples of a plain rdflib graph as pyoxigraph triples (a dataset is
    flattened: its graph names are dropped)."""
    for s, p, o in graph.triples((None, None, None)):
        yield ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]


def dataset_quads(dataset: Dataset, graphs: Iterable[Graph] | None = None) -> Iterator[ox.Quad]:
    """Every quad of ``dataset`` (or of the given ``graphs`` of it) as
    pyoxigraph quads, each graph's triples named by the graph identifier."""
    for graph in graphs if graphs is not None else dataset.graphs():
        name = graph_name_to_ox(graph.identifier)
        for s, p, o in graph.triples((None, None, None)):
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)  # type: ignore[arg-type]
