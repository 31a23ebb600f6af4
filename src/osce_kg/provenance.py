"""Provenance of the fetch of a page, in the page's own named graph.

A page that was fetched (a page file with ``.fetch.json`` metadata, or a
WARC response record) gets, about its named graph ``{base}graph/{slug}``::

    <graph> a prov:Entity ;
        schema:url "https://www.osce.org/..."^^xsd:anyURI ;   # the URL fetched (after redirects)
        prov:wasDerivedFrom <https://www.osce.org/...> ;
        prov:generatedAtTime "2024-05-06T07:08:09Z"^^xsd:dateTime ;  # fetch time / WARC-Date
        osce:warcRecordId "urn:uuid:..."^^xsd:anyURI .       # when a WARC record holds it

The fetch time says when the page was seen, never when it was published:
``schema:datePublished`` comes from the page's text only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import quote

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF

from .oxterms import XSD_OX, OxNamespace, Triples, typed

from .records import SourcePage
from .vocab import OSCE, SCHEMA

_PROV, _RDF, _OSCE, _SCHEMA = (OxNamespace(ns) for ns in (PROV, RDF, OSCE, SCHEMA))

__all__ = ["add_fetch_provenance", "crawl_range", "provenance_key"]

#: characters kept as they are when a URL is made an IRI (RFC 3986 reserved and unreserved, and %)
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def _iri(url: str) -> str:
    return quote(url, safe=_IRI_SAFE)


def _timestamp(moment: dt.datetime) -> ox.Literal:
    stamp = moment.astimezone(dt.timezone.utc).replace(microsecond=0)
    return typed(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), XSD_OX.dateTime)


def add_fetch_provenance(graph: Triples, graph_iri: ox.NamedNode, page: SourcePage) -> None:
    """Add the provenance of the fetch of ``page`` (see the module doc) to
    ``graph``, the page's named graph ``graph_iri``; nothing for a page that
    was not fetched (no URL and no fetch time known)."""
    if page.url is None and page.fetched is None:
        return
    graph.add((graph_iri, _RDF.type, _PROV.Entity))
    if page.url is not None:
        iri = _iri(page.url)
        graph.add((graph_iri, _SCHEMA.url, typed(iri, XSD_OX.anyURI)))
        graph.add((graph_iri, _PROV.wasDerivedFrom, ox.NamedNode(iri)))
    if page.fetched is not None:
        graph.add((graph_iri, _PROV.generatedAtTime, _timestamp(page.fetched)))
    if page.record_id:
        graph.add((graph_iri, _OSCE.warcRecordId, typed(_iri(page.record_id), XSD_OX.anyURI)))


def provenance_key(page: SourcePage) -> str:
    """The provenance of ``page`` as a short text: part of a cache key, so
    that a page fetched again with the same content gets its new provenance."""
    fetched = page.fetched.isoformat() if page.fetched else ""
    return f"{page.url or ''}\n{fetched}\n{page.record_id or ''}"


def crawl_range(times: Iterable[dt.datetime | None]) -> tuple[dt.datetime, dt.datetime] | None:
    """The first and last fetch time among ``times`` (``None`` ignored), or
    ``None`` when no page was fetched."""
    known = [t for t in times if t is not None]
    return (min(known), max(known)) if known else None
