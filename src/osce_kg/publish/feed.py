"""The change stream of the releases: every release's change set as an
Activity Streams 2.0 feed (ARCHITECTURE.md, "Change stream"; README,
"Releases and their changes").

A release whose build found a previous release writes, beside its
``changes/`` (:mod:`.changes`), ``feed/``::

    feed/index.jsonld         the OrderedCollection {base}dataset/feed
    feed/<release>.jsonld     OrderedCollectionPage {base}dataset/feed/<release>
    feed/<release>-2.jsonld   ... the release's further pages (PAGE_SIZE members each)

Each member is one Activity for one named graph the release changed
(``Create``: the previous release lacked the graph; ``Delete``: this
release lacks it; ``Update``: both have it), with::

    "object":  the graph IRI (dereferences to the graph's current quads)
    "version": the release id (dcat:version)
    "summary": "N quads added, M removed"
    "result":  a Link to the graph's quads in that release
               ({root}releases/<release>/<graph path>.nq, served by site-serve
               while the release is kept); absent for a Delete

and each page names the release its members' changes are from
(``previousVersion``, ``dcat:previousVersion``: ``{base}dataset/release/<id>``,
as in ``void.ttl``), so that a client holding that release knows the feed
reaches back to it even when that release has no page of its own (a first
release): ``osce-kg sync`` (:mod:`osce_kg.store.sync`).

Pages are ordered newest first: ``first`` is the newest release's first
page, ``next`` leads to older pages, ``prev`` to newer ones; within a
release, members are sorted by graph IRI. A page's IRI names its release,
so a page never changes its members: a new release adds its pages before
the old ones (whose ``prev`` then names the new ones) and carries the
history of the previous release's feed forward. A release without a
previous one has an empty collection (``totalItems`` 0): a client starts
from its dumps.

The JSON documents are plain JSON as Activity Streams 2.0 consumers read
them (``@context``: the Activity Streams context and ``version`` as
``dcat:version``); :func:`feed_triples` gives the same statements as RDF
for the Turtle and N-Triples representations of the site.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .changes import ChangeSet, graph_names
from .formats import DUMPS

__all__ = [
    "AS",
    "AS_CONTEXT",
    "FEED",
    "FEED_INDEX",
    "PAGE_SIZE",
    "feed_documents",
    "feed_iri",
    "feed_triples",
    "page_file",
    "read_feed",
    "release_of_iri",
    "write_feed",
]

log = logging.getLogger(__name__)

#: sub-folder of a release that holds its feed
FEED = "feed"
#: members on one page at most (a release with more changed graphs has several pages)
PAGE_SIZE = 500
#: the Activity Streams 2.0 namespace and context
AS = "https://www.w3.org/ns/activitystreams#"
AS_CONTEXT: list[Any] = [
    "https://www.w3.org/ns/activitystreams",
    {"dcat": "http://www.w3.org/ns/dcat#", "version": "dcat:version", "previousVersion": {"@id": "dcat:previousVersion", "@type": "@id"}},
]
#: the collection's file in ``feed/``
FEED_INDEX = "index.jsonld"
_INDEX = FEED_INDEX
_NQUADS = next(d.media_type for d in DUMPS if d.kind == "nquads")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCAT_VERSION = "http://www.w3.org/ns/dcat#version"
_DCAT_PREVIOUS = "http://www.w3.org/ns/dcat#previousVersion"


def feed_iri(base_iri: str) -> str:
    """The IRI of the feed (the OrderedCollection): ``{base}dataset/feed``."""
    return f"{base_iri}dataset/feed"


def page_file(iri: str) -> str:
    """The file name in ``feed/`` of the page (or collection) ``iri``:
    its last path segment and ``.jsonld``."""
    return iri.rsplit("/", 1)[-1] + ".jsonld"


def release_of_iri(iri: str) -> str:
    """The release id a release IRI names (``{base}dataset/release/<id>``,
    the ``previousVersion`` of a page): its last path segment."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _graph_url(graph: str, release: str, root: str) -> str | None:
    """``{root}releases/<release>/<path of graph>.nq``, or None for a graph
    outside the site root."""
    if not graph.startswith(root) or "#" in graph:
        return None
    return f"{root}releases/{release}/{graph[len(root):]}.nq"


def _members(changes: ChangeSet, version: str, before: set[str], after: set[str], page_iri: str, root: str) -> list[dict[str, Any]]:
    members = []
    for graph, counts in sorted(changes.graphs.items()):
        kind = "Create" if graph not in before else "Delete" if graph not in after else "Update"
        local = graph.rstrip("/").rsplit("/", 1)[-1]
        member: dict[str, Any] = {
            "id": f"{page_iri}#{local}",
            "type": kind,
            "object": graph,
            "version": version,
            "summary": f"{counts['added']} quads added, {counts['removed']} removed",
        }
        url = _graph_url(graph, version, root)
        if kind != "Delete" and url is not None:
            member["result"] = {"type": "Link", "href": url, "mediaType": _NQUADS}
        members.append(member)
    return members


def read_feed(release: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """The pages of ``release``'s feed, newest first: ``[(page IRI,
    members)]`` (following ``next`` from ``first``); ``[]`` when the
    release has no feed.

    Raises:
        ValueError: a page the collection names is missing or not JSON
            (a damaged release).
    """
    return [(page["id"], list(page.get("orderedItems", []))) for page in _read_pages(release)]


def _read_pages(release: Path) -> list[dict[str, Any]]:
    """The page documents of ``release``'s feed, newest first (their
    ``id`` the IRI followed); see :func:`read_feed`."""
    folder = release / FEED
    index = folder / _INDEX
    if not index.is_file():
        return []
    collection = json.loads(index.read_text(encoding="utf-8"))
    pages = []
    link = collection.get("first")
    seen: set[str] = set()
    while link:
        iri = link["id"] if isinstance(link, dict) else link
        if iri in seen:
            raise ValueError(f"{index}: the pages loop at {iri}")
        seen.add(iri)
        path = folder / page_file(iri)
        try:
            page = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from exc
        if not isinstance(page, dict):
            raise ValueError(f"{path}: not a JSON object")
        page["id"] = iri
        pages.append(page)
        link = page.get("next")
    return pages


def _write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_feed(release: Path, base_iri: str, root: str, version: str, changes: ChangeSet | None, previous: Path | None) -> Path:
    """Write ``release/feed/`` (see the module doc): the pages of
    ``changes`` (None: no previous release) before the pages of
    ``previous``'s feed. ``root`` is the URL the site is served at
    (``https://w3id.org/osce-kg/`` for the default base), ``version`` the
    release's id (the release folder may still have its incoming name).
    Returns the folder. A damaged feed in ``previous`` (a page missing or
    not JSON) is logged and its history left out.
    """
    collection_iri = feed_iri(base_iri)
    pages: list[tuple[str, list[dict[str, Any]]]] = []
    origins: dict[str, str] = {}  # page IRI -> the IRI of the release its changes are from
    if changes is not None and previous is not None and not changes.empty:
        before = graph_names(previous / "osce-kg.nq")
        after = graph_names(release / "osce-kg.nq")
        first = f"{collection_iri}/{version}"
        members = _members(changes, version, before, after, first, root)
        for n, start in enumerate(range(0, len(members), PAGE_SIZE), start=1):
            iri = first if n == 1 else f"{first}-{n}"
            chunk = members[start: start + PAGE_SIZE]
            for m in chunk:  # the member's id is a fragment of its page
                m["id"] = iri + "#" + m["id"].rsplit("#", 1)[1]
            pages.append((iri, chunk))
            origins[iri] = f"{base_iri}dataset/release/{changes.old}"
    if previous is not None:
        try:
            for old in _read_pages(previous):
                pages.append((old["id"], list(old.get("orderedItems", []))))
                if isinstance(old.get("previousVersion"), str):
                    origins[old["id"]] = old["previousVersion"]
        except ValueError as exc:  # a damaged previous feed: the history starts here
            log.warning("the feed of the previous release is damaged, its history is not carried over: %s", exc)
    folder = release / FEED
    folder.mkdir(exist_ok=True)
    total = sum(len(members) for _, members in pages)
    collection: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": collection_iri,
        "type": "OrderedCollection",
        "name": "osce-kg changes",
        "summary": "One Activity per named graph each release changed, newest release first.",
        "version": version,
        "totalItems": total,
    }
    if pages:
        collection["first"] = {"id": pages[0][0], "type": "OrderedCollectionPage"}
        collection["last"] = {"id": pages[-1][0], "type": "OrderedCollectionPage"}
    _write_json(folder / _INDEX, collection)
    start = 0
    for n, (iri, members) in enumerate(pages):
        page: dict[str, Any] = {"@context": AS_CONTEXT, "id": iri, "type": "OrderedCollectionPage", "partOf": collection_iri, "startIndex": start}
        if n > 0:
            page["prev"] = pages[n - 1][0]
        if n + 1 < len(pages):
            page["next"] = pages[n + 1][0]
        if iri in origins:
            page["previousVersion"] = origins[iri]
        page["orderedItems"] = members
        _write_json(folder / page_file(iri), page)
        start += len(members)
    log.info("feed: %d page(s), %d member(s)", len(pages), total)
    return folder


def feed_documents(release: Path) -> Iterator[dict[str, Any]]:
    """The JSON documents of ``release``'s feed: the collection, then its
    pages newest first (nothing when the release has no feed)."""
    folder = release / FEED
    index = folder / _INDEX
    if not index.is_file():
        return
    collection = json.loads(index.read_text(encoding="utf-8"))
    yield collection
    for iri, _members in read_feed(release):
        yield json.loads((folder / page_file(iri)).read_text(encoding="utf-8"))


def feed_triples(document: dict[str, Any]) -> list[ox.Triple]:
    """The RDF statements of one feed document (a collection or a page, as
    :func:`write_feed` writes them) in the Activity Streams vocabulary:
    ``orderedItems`` is the list ``as:items``, ``version`` ``dcat:version``,
    a Link result a blank node with ``as:href`` and ``as:mediaType``."""
    triples: list[ox.Triple] = []
    subject = ox.NamedNode(document["id"])

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    add(subject, _RDF + "type", ox.NamedNode(AS + document["type"]))
    for key in ("name", "summary"):
        if key in document:
            add(subject, AS + key, ox.Literal(document[key]))
    if "version" in document:
        add(subject, _DCAT_VERSION, ox.Literal(document["version"]))
    for key in ("totalItems", "startIndex"):
        if key in document:
            add(subject, AS + key, ox.Literal(str(document[key]), datatype=ox.NamedNode(_XSD + "nonNegativeInteger")))
    for key in ("first", "last", "prev", "next", "partOf"):
        if key in document:
            link = document[key]
            add(subject, AS + key, ox.NamedNode(link["id"] if isinstance(link, dict) else link))
    if "previousVersion" in document:
        add(subject, _DCAT_PREVIOUS, ox.NamedNode(document["previousVersion"]))
    if "orderedItems" in document:
        items = document["orderedItems"]
        head: ox.NamedNode | ox.BlankNode = ox.NamedNode(_RDF + "nil")
        for member in reversed(items):
            cell = ox.BlankNode()
            add(cell, _RDF + "first", ox.NamedNode(member["id"]))
            add(cell, _RDF + "rest", head)
            head = cell
        add(subject, AS + "items", head)
        for member in items:
            node = ox.NamedNode(member["id"])
            add(node, _RDF + "type", ox.NamedNode(AS + member["type"]))
            add(node, AS + "object", ox.NamedNode(member["object"]))
            add(node, _DCAT_VERSION, ox.Literal(member["version"]))
            add(node, AS + "summary", ox.Literal(member["summary"]))
            if "result" in member:
                link = ox.BlankNode()
                add(node, AS + "result", link)
                add(link, _RDF + "type", ox.NamedNode(AS + "Link"))
                add(link, AS + "href", ox.NamedNode(member["result"]["href"]))
                add(link, AS + "mediaType", ox.Literal(member["result"]["mediaType"]))
    return triples
