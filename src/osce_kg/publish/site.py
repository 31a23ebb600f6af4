"""The static linked-data site of a release (``osce-kg build --site``;
ARCHITECTURE.md, "Site"; README, "Linked-data site").

``<release>/site/`` holds, for the base IRI ``https://w3id.org/osce-kg/id/``
(the site's root is the folder above the base, ``https://w3id.org/osce-kg/``,
so a file's path is its IRI's path)::

    index.html                    landing page: description, search form, counts,
                                  charts per year, licence, downloads (size,
                                  SHA-256 from void.ttl), ontology
    id/person/<slug>.html         one page per entity IRI: label, types, every
                                  property, incoming links, the source graphs; its
                                  JSON-LD embedded; a person's posts held and
                                  statements, a meeting's statements, a State's
                                  meetings (``publish/views.py``)
    search/index.html, names.json the listing of every name by kind, and the name
                                  index site-serve searches (``publish/search.py``)
    id/person/<slug>.ttl|.jsonld|.nt   the entity's description (its triples in
                                  the union graph, ``osce-kg.nt``)
    class/<slug>/index.html, page-2.html ...   entities of each class, paged
    id/graph/<name>.html|.ttl|.jsonld|.nt|.trig|.nq   every named graph: an HTML
                                  view, its triples, its quads
    id/dataset.html|.ttl|...      the VoID/DCAT description; each IRI of it under
                                  the base (distributions, partitions, releases)
    id/dataset/osce-kg.nq ...     the dumps and changes/ at their dcat:downloadURL
                                  (hard links to the release's files)
    id/dataset/feed.*, id/dataset/feed/<release>.*   the change stream (.feed)
    ontology.html|.ttl|...        the ontology (pyLODE's page when installed)
    sitemap.xml                   (a sitemap index of sitemap-N.xml beyond 50,000 URLs)
    void.ttl, .well-known/void    the release's VoID/DCAT description

An entity is an IRI subject of ``osce-kg.nt`` under the base IRI whose
local part is a safe path (letters, digits, ``-._~``, ``/``; no ``..``).
The dumps are read as streams: one pass over ``osce-kg.nt`` for labels,
types, incoming links and statements, one over ``osce-kg.nq`` for the
graphs stating each subject, and a second pass over ``osce-kg.nt``, whose
lines are sorted by subject, writes the pages subject by subject. Links
between pages are relative, so the site works under any prefix.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
from markupsafe import Markup, escape

from ..docs import write_ontology_docs
from ..errors import OsceKgError
from ..serialize import load_context
from ..vocab import PREFIXES, slugify
from .feed import feed_documents, feed_triples
from .formats import ONTOLOGY_GRAPH
from .jsonld import JsonLdWriter
from .release import SITE_WITHOUT_ENTITIES
from .search import NAME_INDEX, NameEntry, NameIndex, fold
from .views import KINDS, kind_of, landing_view, meeting_view, person_view, state_view
from .void import SPDX
from .siteindex import RDF_TYPE, SCHEMA, STATEMENT, SiteIndex, entity_path, is_entity, read_index, site_root

__all__ = [
    "SITE", "ENTITY_FORMATS", "GRAPH_FORMATS", "PageRenderer", "SiteStats", "entity_path", "is_entity", "name_index", "render_graph", "render_search",
    "site_links", "site_root", "template_environment", "write_site",
]

log = logging.getLogger(__name__)

#: sub-folder of a release that holds the site
SITE = "site"
#: suffix -> media type of the files written for each entity
ENTITY_FORMATS: dict[str, str] = {
    "html": "text/html",
    "ttl": ox.RdfFormat.TURTLE.media_type,
    "jsonld": "application/ld+json",
    "nt": ox.RdfFormat.N_TRIPLES.media_type,
}
#: suffix -> media type of the files written for each named graph: its
#: triples as an entity's, and its quads (TriG, N-Quads)
GRAPH_FORMATS: dict[str, str] = {
    **ENTITY_FORMATS,
    "trig": ox.RdfFormat.TRIG.media_type,
    "nq": ox.RdfFormat.N_QUADS.media_type,
}
#: entities listed on one class page
PAGE_SIZE = 500
_SITEMAP_URLS = 50_000

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$")


@dataclass(frozen=True)
class SiteStats:
    """What :func:`write_site` wrote: entities, class pages, files."""

    entities: int
    class_pages: int
    files: int


def _read_graphs(nq: Path, base_iri: str, skip: set[str]) -> dict[str, list[str]]:
    """subject -> the named graphs that state something of it."""
    graphs: dict[str, set[str]] = defaultdict(set)
    for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS):
        g = q.graph_name
        if isinstance(q.subject, ox.NamedNode) and isinstance(g, ox.NamedNode) and g.value not in skip:
            graphs[q.subject.value].add(g.value)
    return {s: sorted(gs) for s, gs in graphs.items()}


class _Renderer:
    def __init__(self, base_iri: str, index: SiteIndex, writer: JsonLdWriter) -> None:
        self.base = base_iri
        self.root = site_root(base_iri)
        self.index = index
        self.writer = writer
        self._links: dict[tuple[str, str], Markup] = {}
        #: IRIs of documents that have a page (added as they are known; the
        #: entities, ``index.subjects``, have one too)
        self.pages: set[str] = set()
        #: IRIs that are files of the site (downloads): linked as they are
        self.files: set[str] = set()

    def label(self, iri: str) -> str:
        found = self.index.labels.get(iri)
        if found:
            return found[1]
        return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri

    def compact(self, iri: str) -> str:
        return self.writer.compact_iri(iri)

    def link(self, iri: str, up: str) -> Markup:
        """An ``<a>`` to ``iri``: the site's file or page of it (relative),
        else the IRI (cached: the same links recur on many pages)."""
        key = (iri, up)
        found = self._links.get(key)
        if found is None:
            if iri in self.files:
                href, text = up + entity_path(iri, self.base), self.compact(iri)
            elif iri in self.pages or iri in self.index.subjects:
                href, text = up + entity_path(iri, self.base) + ".html", self.label(iri)
            else:
                href, text = iri, self.compact(iri)
            found = self._links[key] = Markup(f'<a href="{escape(href)}">{escape(text)}</a>')
        return found

    def short(self, statement: str, text: str = "", up: str = "") -> Markup:
        """An ``<a>`` to a statement's page whose text is the statement's
        words (``text``, else its label), cut at 160 characters."""
        text = text or self.index.statements.get(statement, {}).get("text", "") or self.label(statement)
        text = text if len(text) <= 160 else text[:157] + "…"
        return Markup(f'<a href="{escape(up + entity_path(statement, self.base) + ".html")}">{escape(text)}</a>')

    def value(self, o: ox.NamedNode | ox.BlankNode | ox.Literal, up: str) -> Markup:
        if isinstance(o, ox.NamedNode):
            return self.link(o.value, up)
        if isinstance(o, ox.BlankNode):
            return Markup(f"<code>_:{escape(o.value)}</code>")
        if o.language:
            lang = escape(o.language)
            return Markup(f'<span lang="{lang}">{escape(o.value)}</span> <span class="muted">@{lang}</span>')
        datatype = o.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return escape(o.value)
        return Markup(f'{escape(o.value)} <span class="muted">{escape(self.compact(datatype))}</span>')


class PageRenderer:
    """The one renderer of an entity's description (the static export
    writes its files with it, ``site-serve`` renders a request with it):
    its RDF formats, its JSON-LD and its HTML page (``entity.html``, or
    the page of its kind: ``person.html``, ``meeting.html``, ``state.html``).

    ``index`` is what the page knows of the other subjects: a
    :class:`~.siteindex.SiteIndex` read from the union dump (the static
    export) or a store-backed one with the same attributes
    (:class:`~.storeindex.StoreIndex`). ``meetings_by_state``: State ->
    the meetings held there (``landing_view``'s, or a store-backed mapping).
    ``env``, ``context`` and ``writer`` may be shared between renderers
    (they hold no state of a page); made here when not given.
    """

    def __init__(self, base_iri: str, index: SiteIndex, *, version: str, license: str | None,
                 meetings_by_state: Mapping[str, list[str]], env: Any = None, context: dict[str, Any] | None = None,
                 writer: JsonLdWriter | None = None) -> None:
        self.base = base_iri
        self.index = index
        self.env = env if env is not None else template_environment()
        self.context = context if context is not None else load_context()
        self.writer = writer if writer is not None else JsonLdWriter(self.context)
        self.renderer = _Renderer(base_iri, index, self.writer)
        self.meetings_by_state = meetings_by_state
        self.common = {"version": version, "license": license}

    def rdf(self, triples: list[ox.Triple], suffix: str) -> bytes:
        """``triples`` as ``nt``, ``ttl`` (with the prefixes) or ``rdf`` (RDF/XML)."""
        if suffix == "ttl":
            return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b""
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML if suffix == "rdf" else ox.RdfFormat.N_TRIPLES) or b""

    def jsonld(self, subject: ox.NamedNode, triples: list[ox.Triple]) -> str:
        """The JSON-LD document of one subject (its node object with the
        part of the context it uses), without a final newline."""
        node = self.writer.node(subject, ((t.predicate, t.object) for t in triples))
        document = {"@context": _context_for(node, self.context), **node}
        return json.dumps(document, ensure_ascii=False, sort_keys=True)

    def html(self, iri: str, triples: list[ox.Triple], sources: list[str], jsonld: str) -> str:
        """The HTML page of the entity ``iri``: ``triples`` its description
        (in the order shown), ``sources`` the named graphs stating it,
        ``jsonld`` its JSON-LD (embedded)."""
        index, r, base_iri = self.index, self.renderer, self.base
        path = entity_path(iri, base_iri)
        name = path.rpartition("/")[2]
        up = "../" * path.count("/")
        rows = [
            {"property": r.link(t.predicate.value, up), "value": r.value(t.object, up)}
            for t in triples
            if t.predicate.value != RDF_TYPE
        ]
        types = [r.link(t, up) for t in index.types.get(iri, [])]
        incoming = [{"subject": r.link(s, up), "property": r.link(p, up)} for s, p in index.incoming.get(iri, [])]
        kind = kind_of(index.types.get(iri, ()))
        link = functools.partial(r.link, up=up)
        short = functools.partial(r.short, up=up)
        view: dict[str, Any] = {}
        if kind is not None and kind.id == "person":
            view = person_view(index, iri, link, short)
        elif kind is not None and kind.id == "meeting":
            view = meeting_view(index, iri, link, short)
        elif kind is not None and kind.id == "state":
            view = state_view(index, iri, link, self.meetings_by_state)
        statements = view.get("statements", []) if kind is not None and kind.id == "person" else [
            {"statement": short(s), "meeting": link(m) if (m := index.statements[s].get(SCHEMA + "recordedAt")) else "", "date": index.statement_date(s)}
            for s in dict.fromkeys(index.by_speaker.get(iri, [])) if STATEMENT in index.types.get(s, ())
        ]
        alternates = [{"href": name + "." + ext, "type": media, "name": ext} for ext, media in ENTITY_FORMATS.items() if ext != "html"]
        template = self.env.get_template(f"{kind.id}.html" if kind is not None and kind.id in ("person", "meeting", "state") else "entity.html")
        return template.render(
            title=r.label(iri), label=r.label(iri), iri=iri, types=types, properties=rows, incoming=incoming,
            incoming_more=index.incoming_more.get(iri, 0), statements=statements, view=view,
            sources=[{"iri": g, "href": up + entity_path(g, base_iri) + ".html" if is_entity(g, base_iri) else None} for g in sources],
            alternates=alternates, root=up, crumbs=[], jsonld=Markup(jsonld.replace("</", "<\\/")), **self.common,
        )

    def render(self, subject: ox.NamedNode, triples: list[ox.Triple], sources: list[str], suffix: str) -> bytes:
        """One format of the entity (``html``, ``ttl``, ``jsonld``, ``nt``,
        ``rdf``) as the static export writes its file (RDF/XML: made from
        the triples). Raises ValueError for another suffix."""
        if suffix in ("nt", "ttl", "rdf"):
            return self.rdf(triples, suffix)
        if suffix == "jsonld":
            return (self.jsonld(subject, triples) + "\n").encode("utf-8")
        if suffix == "html":
            return self.html(subject.value, triples, sources, self.jsonld(subject, triples)).encode("utf-8")
        raise ValueError(f"no entity format {suffix!r}")


def template_environment() -> Any:
    """The Jinja2 environment of the site's templates (``publish/templates/``,
    autoescaped): the build and ``site-serve`` render with it."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("osce_kg.publish", "templates"), autoescape=select_autoescape(default=True), trim_blocks=False)


def render_search(env: Any, names: NameIndex, *, query: str = "", kind: str = "", root: str = "../", limit: int = 100,
                  listing: int = 5000) -> str:
    """The search page (``search.html``) of ``names``: the matches of
    ``query`` (of one ``kind`` when given; at most ``limit``), or without
    a query the listing of every name by kind (at most ``listing`` per
    kind, the rest counted), as the static site has it. ``root``: the
    relative path to the site root."""
    kind = kind if any(k.id == kind for k in KINDS) else ""
    values: dict[str, Any] = {"query": query.strip(), "kind": kind, "kinds": KINDS, "kind_labels": {k.id: k.one for k in KINDS}}
    if values["query"]:
        total, results = names.search(values["query"], kind, limit)
        values.update(total=total, results=results, label="Search: " + values["query"])
    else:
        groups = []
        for k in KINDS:
            entries = [e for e in names.entries if e.kind == k.id]
            groups.append({"kind": k.id, "label": k.label, "entries": entries[:listing], "more": max(0, len(entries) - listing)})
        values.update(groups=groups, static=True, label="Search by name")
    return env.get_template("search.html").render(
        title=values["label"], root=root, crumbs=[], alternates=[], jsonld=None, version=names.version, license=names.license, **values,
    )


def name_index(index: SiteIndex, base_iri: str, version: str, license: str | None) -> NameIndex:
    """The entities of :data:`~.views.KINDS` with their names, sorted by
    kind and folded label (``index``: a :class:`~.siteindex.SiteIndex`, or
    a store-backed one: its ``class_members``, ``labels``, ``alt_names``)."""
    entries = []
    for n, k in enumerate(KINDS):
        members = {e for cls in k.classes for e in index.class_members.get(cls, [])}
        for iri in members:
            label = index.labels.get(iri, (0, iri.rsplit("/", 1)[-1]))[1]
            names = tuple(dict.fromkeys(a for a in index.alt_names.get(iri, []) if a != label))
            entries.append((n, fold(label), NameEntry(k.id, label, names, entity_path(iri, base_iri))))
    entries.sort(key=lambda e: (e[0], e[1], e[2].path))
    return NameIndex((e[2] for e in entries), version, license)


def _context_for(node: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """The part of ``context`` a node object needs: every prefix, the
    default language and the terms it uses."""
    small = {k: v for k, v in context.items() if k.startswith("@") or isinstance(v, str)}
    for key in node:
        if not key.startswith("@") and key in context:
            small[key] = context[key]
    return small


def _write(path: Path, data: bytes | str) -> None:
    """One small file, in one system call each to open, write and close."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write_site(
    release: Path,
    base_iri: str,
    *,
    version: str,
    license: str | None = None,
    previous: str | None = None,
    page_size: int = PAGE_SIZE,
    entities: bool = True,
) -> SiteStats:
    """Write ``release/site/`` from the release's dumps (see the module doc).

    Without ``entities`` (``build --store`` without ``--site``: the
    release's store answers the entities and the named graphs, rendered on
    request by ``site-serve``) the files of the entities and of the named
    graphs are not written, and the rest is: the landing page, the class
    pages, the name index and listing, the dataset's description, the
    ontology, the feed, the sitemap (every page, written or not).

    Args:
        release: a release folder (``osce-kg.nt``, ``osce-kg.nq``, ``void.ttl``).
        base_iri: the base of the data IRIs.
        version: the release's id, shown on every page.
        license: the licence IRI of the data, or None.
        previous: the id of the previous release, or None.
        page_size: entities on one class page.
        entities: write the files of each entity and named graph.
    """
    env = template_environment()
    out = release / SITE
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    nt, nq = release / "osce-kg.nt", release / "osce-kg.nq"
    context = load_context()
    writer = JsonLdWriter(context)
    index = read_index(nt, base_iri)
    landing = landing_view(index)

    graphs = _read_graphs(nq, base_iri, {f"{base_iri}graph/{ONTOLOGY_GRAPH}"}) if entities else {}
    pages = PageRenderer(base_iri, index, version=version, license=license, meetings_by_state=landing["meetings_by_state"],
                         env=env, context=context, writer=writer)
    r = pages.renderer
    root = site_root(base_iri)
    urls: list[str] = [root + "index.html"]
    files = 0
    made: set[str] = set()
    written = 0
    common = {"version": version, "license": license}
    subjects = ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES) if entities else iter(())
    if not entities:
        urls += [root + entity_path(iri, base_iri) + ".html" for iri in sorted(index.subjects, key=lambda iri: f"<{iri}>")]
    for subject, group in groupby(subjects, key=lambda t: t.subject):
        if not isinstance(subject, ox.NamedNode) or not is_entity(subject.value, base_iri):
            continue
        iri = subject.value
        triples = list(group)
        path = entity_path(iri, base_iri)
        folder, _, name = path.rpartition("/")
        if folder not in made:
            (out / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        target = out / folder / name
        _write(target.with_name(name + ".nt"), pages.rdf(triples, "nt"))
        _write(target.with_name(name + ".ttl"), pages.rdf(triples, "ttl"))
        jsonld = pages.jsonld(subject, triples)
        _write(target.with_name(name + ".jsonld"), jsonld + "\n")
        _write(target.with_name(name + ".html"), pages.html(iri, triples, graphs.get(iri, []), jsonld))
        files += 4
        written += 1
        urls.append(root + path + ".html")

    class_pages, class_rows = _write_classes(env, out, r, index, page_size, common, urls)
    files += class_pages
    docs = _Documents(env, out, r, context, common, urls)
    void_triples = list(ox.parse(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE)) if (release / "void.ttl").is_file() else []
    downloads = _link_downloads(release, out, root, void_triples)
    r.files.update(downloads)
    feed = list(feed_documents(release))
    r.pages.update(d["id"] for d in feed if is_entity(d["id"], base_iri))
    r.pages.update(_void_documents(void_triples, base_iri))
    ontology = _write_graphs(docs, nq, ontology_graph=f"{base_iri}graph/{ONTOLOGY_GRAPH}", write=entities)
    ontology_page = _write_ontology(docs, ontology)
    _write_dataset(docs, void_triples)
    feed_page = _write_feed(docs, feed)
    files += docs.files + len(downloads)
    links = {
        "dataset": {"iri": f"{base_iri}dataset", "href": entity_path(f"{base_iri}dataset", base_iri) + ".html"},
        "ontology": ontology_page,
        "feed": feed_page,
    }
    names = name_index(index, base_iri, version, license)
    names.write(out / NAME_INDEX)
    _write(out / "search" / "index.html", render_search(env, names))
    urls.append(root + "search/")
    files += 2
    count = written if entities else len(index.subjects)
    if not entities:
        _write(out / SITE_WITHOUT_ENTITIES, "The release's store answers the entities and named graphs of this site (osce-kg site-serve).\n")
        files += 1
    files += _write_landing(env, release, out, r, base_iri, class_rows, common, previous, count, links,
                            {k: v for k, v in landing.items() if k != "meetings_by_state"})
    files += _write_sitemaps(out, urls)
    log.info("site: %d entities (%s), %d class pages, %d files in %s", count, "written" if entities else "answered by the store", class_pages, files, out)
    return SiteStats(entities=count, class_pages=class_pages, files=files)


def _class_slug(iri: str, writer: JsonLdWriter) -> str:

    return slugify(writer.compact_iri(iri).replace(":", "-"))


def _write_classes(env: Any, out: Path, r: _Renderer, index: SiteIndex, page_size: int, common: dict, urls: list[str]) -> tuple[int, list[dict]]:
    template = env.get_template("class.html")
    written = 0
    rows = []
    used: set[str] = set()
    for cls in sorted(index.class_members):
        members = index.class_members[cls]
        slug = base = _class_slug(cls, r.writer)
        n = 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        folder = out / "class" / slug
        folder.mkdir(parents=True, exist_ok=True)
        pages = max(1, -(-len(members) // page_size))
        label = r.compact(cls)
        rows.append({"href": f"class/{slug}/index.html", "label": label, "count": len(members), "iri": cls})
        for page in range(1, pages + 1):
            chunk = members[(page - 1) * page_size: page * page_size]
            name = "index.html" if page == 1 else f"page-{page}.html"
            html = template.render(
                title=label, label=label, iri=cls, total=len(members), page=page, pages=pages,
                entities=[{"href": "../../" + entity_path(e, r.base) + ".html", "label": r.label(e)} for e in chunk],
                prev=None if page == 1 else ("index.html" if page == 2 else f"page-{page - 1}.html"),
                next=f"page-{page + 1}.html" if page < pages else None,
                root="../../", crumbs=[], alternates=[], jsonld=None, **common,
            )
            _write(folder / name, html)
            urls.append(r.root + f"class/{slug}/{name}")
            written += 1
    return written, rows


def _downloads(void: Path) -> tuple[list[dict], dict[str, str]]:
    """The distributions of ``void.ttl`` (name, URL, media type, size,
    SHA-256) and the dataset's title, description, counts."""
    from rdflib import Graph
    from rdflib.namespace import DCAT, DCTERMS, VOID


    g = Graph()
    g.parse(void, format="turtle")
    rows = []
    for dist in sorted(set(g.subjects(DCAT.downloadURL, None))):
        checksum = g.value(dist, SPDX.checksum)
        media = str(g.value(dist, DCAT.mediaType) or "")
        rows.append({
            "name": str(g.value(dist, DCTERMS.title) or dist),
            "url": str(g.value(dist, DCAT.downloadURL)),
            "media_type": media.rsplit("media-types/", 1)[-1],
            "size": str(g.value(dist, DCAT.byteSize) or ""),
            "sha256": str(g.value(checksum, SPDX.checksumValue) or "") if checksum is not None else "",
        })
    info: dict[str, str] = {}
    for ds in g.subjects(VOID.uriSpace, None):  # the dataset (not a file, not a change set)
        if g.value(ds, DCTERMS.title) is not None:
            info = {
                "title": str(g.value(ds, DCTERMS.title)),
                "description": str(g.value(ds, DCTERMS.description) or ""),
                "triples": str(g.value(ds, VOID.triples) or ""),
                "entities": str(g.value(ds, VOID.entities) or ""),
            }
    return rows, info


def _write_landing(env: Any, release: Path, out: Path, r: _Renderer, base_iri: str, classes: list[dict], common: dict, previous: str | None,
                   entities: int, links: dict[str, Any], view: dict[str, Any]) -> int:
    """``index.html`` (with ``view``: counts and charts, from
    :func:`~.views.landing_view`), ``void.ttl`` and ``.well-known/void``;
    returns the number of files."""
    void = release / "void.ttl"
    downloads, info = _downloads(void) if void.is_file() else ([], {})
    for row in downloads:  # a file the site serves: a relative link (the site works under any path)
        if row["url"].startswith(r.root):
            row["url"] = row["url"][len(r.root):]
    shutil.copyfile(void, out / "void.ttl") if void.is_file() else None
    (out / ".well-known").mkdir(exist_ok=True)
    if void.is_file():
        shutil.copyfile(void, out / ".well-known" / "void")
    html = env.get_template("landing.html").render(
        title=info.get("title", "osce-kg"), description=info.get("description", ""), triples=info.get("triples", ""),
        entities=info.get("entities", entities), classes=classes, downloads=downloads, previous=previous,
        ontology=links["ontology"], dataset=links["dataset"], feed=links["feed"], root="", crumbs=[],
        alternates=[{"type": "text/turtle", "href": "void.ttl"}], jsonld=None, kinds=KINDS, kind="", query="", **view, **common,
    )
    _write(out / "index.html", html)
    return 3

class _Documents:
    """Writes documents of several subjects (a named graph, the VoID
    description, the ontology, the feed) as the site writes an entity: one
    file per format of :data:`ENTITY_FORMATS` (and :data:`GRAPH_FORMATS`
    for a graph) at the IRI's path, the HTML from ``document.html``."""

    def __init__(self, env: Any, out: Path | None, r: _Renderer, context: dict[str, Any], common: dict, urls: list[str]) -> None:
        self.env = env
        self.out = out
        self.r = r
        self.context = context
        self.common = common
        self.urls = urls
        self.files = 0
        self._folders: set[Path] = set()

    def target(self, iri: str) -> tuple[Path, str]:
        """(file path without suffix, relative path to the site root) of ``iri``."""
        path = iri[len(self.r.root):]
        assert self.out is not None, "a renderer of documents writes no files"
        target = self.out / path
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target, "../" * path.count("/")

    def jsonld(self, iri: str, triples: list[ox.Triple], graph: bool) -> str:
        """The JSON-LD of ``triples`` (sorted by subject): ``@graph`` of their
        node objects, named ``iri`` when ``graph``."""
        nodes = list(self.r.writer.nodes(triples))
        context: dict[str, Any] = {}
        for node in nodes:
            context.update(_context_for(node, self.context))
        document: dict[str, Any] = {"@context": context}
        if graph:
            document["@id"] = iri
        document["@graph"] = nodes
        return json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n"

    def rdf_files(self, iri: str, triples: list[ox.Triple], *, quads: list[ox.Quad] | None = None, jsonld: str | None = None,
                  only: str | None = None) -> dict[str, bytes]:
        """suffix -> bytes of the RDF files of ``iri``: ``ttl``, ``nt``,
        ``jsonld`` (given, or made from ``triples``) and, for a named graph
        (``quads``), ``trig`` and ``nq``; only the file ``only`` when given."""
        ordered = sorted(triples, key=_statement_key)
        files: dict[str, bytes] = {}
        if only in (None, "nt"):
            files["nt"] = ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES) or b""
        if only in (None, "ttl"):
            files["ttl"] = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b""
        if only in (None, "jsonld"):
            files["jsonld"] = (jsonld if jsonld is not None else self.jsonld(iri, ordered, graph=quads is not None)).encode("utf-8")
        if quads is not None and only in (None, "trig"):
            files["trig"] = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES)) or b""
        if quads is not None and only in (None, "nq"):
            files["nq"] = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        return files

    def rdf(self, iri: str, triples: list[ox.Triple], *, quads: list[ox.Quad] | None = None, jsonld: str | None = None) -> None:
        """Write the RDF files of ``iri`` (:meth:`rdf_files`)."""
        target, _up = self.target(iri)
        files = self.rdf_files(iri, triples, quads=quads, jsonld=jsonld)
        for suffix, data in files.items():
            _write(target.with_name(target.name + "." + suffix), data)
        self.files += len(files)

    def alternates(self, iri: str, formats: dict[str, str]) -> list[dict[str, str]]:
        name = iri.rstrip("/").rsplit("/", 1)[-1]
        return [{"href": f"{name}.{ext}", "type": media, "name": ext} for ext, media in formats.items() if ext != "html"]

    def html_text(self, template: str, iri: str, label: str, formats: dict[str, str], **values: Any) -> str:
        """The HTML page of the document ``iri`` from ``template``."""
        up = "../" * iri[len(self.r.root):].count("/")
        return self.env.get_template(template).render(  # type: ignore[no-any-return]
            title=label, label=label, iri=iri, alternates=self.alternates(iri, formats), root=up, crumbs=[], jsonld=None,
            **values, **self.common,
        )

    def html(self, template: str, iri: str, label: str, formats: dict[str, str], **values: Any) -> None:
        target, _up = self.target(iri)
        _write(target.with_name(target.name + ".html"), self.html_text(template, iri, label, formats, **values))
        self.files += 1
        self.urls.append(iri + ".html")

    def rows(self, iri: str, triples: list[ox.Triple]) -> list[dict[str, Markup]]:
        """The rows (subject, property, value) of a document's page."""
        up = "../" * iri[len(self.r.root):].count("/")
        return [
            {"subject": self.r.value(t.subject, up), "property": self.r.link(t.predicate.value, up), "value": self.r.value(t.object, up)}
            for t in sorted(triples, key=_statement_key)
        ]

    def document(self, iri: str, triples: list[ox.Triple], label: str, intro: str, *, quads: list[ox.Quad] | None = None,
                 links: list[dict[str, str]] | None = None) -> None:
        """Every file of one document (see the class doc)."""
        self.rdf(iri, triples, quads=quads)
        self.html("document.html", iri, label, GRAPH_FORMATS if quads is not None else ENTITY_FORMATS, intro=intro, rows=self.rows(iri, triples),
                  links=links or [])


def render_graph(pages: PageRenderer, iri: str, quads: list[ox.Quad], suffix: str) -> bytes:
    """One format of the document of the named graph ``iri`` (of
    :data:`GRAPH_FORMATS`, or ``rdf``: RDF/XML of its triples), as the
    static export writes its file; ``quads``: the graph's, in the order of
    the N-Quads dump. ``pages`` gives the renderer (its ``renderer.pages``
    and ``renderer.files``: the documents and downloads of the site,
    :func:`site_links`). Raises ValueError for another suffix."""
    docs = _Documents(pages.env, None, pages.renderer, pages.context, pages.common, [])
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    if suffix == "html":
        return docs.html_text("document.html", iri, iri.rsplit("/", 1)[-1], GRAPH_FORMATS, intro=_graph_intro(quads),
                              rows=docs.rows(iri, triples), links=[]).encode("utf-8")
    if suffix == "rdf":
        return ox.serialize(sorted(triples, key=_statement_key), format=ox.RdfFormat.RDF_XML) or b""
    if suffix not in GRAPH_FORMATS:
        raise ValueError(f"no graph format {suffix!r}")
    return docs.rdf_files(iri, triples, quads=quads, only=suffix)[suffix]


def site_links(release: Path, base_iri: str) -> tuple[set[str], set[str]]:
    """(the IRIs of the documents of the release's site that are not
    entities: the dataset and the parts of its description, the change
    stream's pages; the download URLs that are files of the site), which
    the pages of the named graphs link to as the static export does."""
    void = release / "void.ttl"
    void_triples = list(ox.parse(path=str(void), format=ox.RdfFormat.TURTLE)) if void.is_file() else []
    documents = {d["id"] for d in feed_documents(release) if is_entity(d["id"], base_iri)}
    documents.update(_void_documents(void_triples, base_iri))
    return documents, set(_download_sources(release, site_root(base_iri), void_triples))


def _graph_intro(quads: list[ox.Quad]) -> str:
    return f"Named graph: {len(quads)} statements. As TriG or N-Quads its statements keep the graph's name."


def _statement_key(t: ox.Triple) -> tuple[int, str, str, str]:
    """IRI subjects first, then by subject, predicate and object."""
    return (0 if isinstance(t.subject, ox.NamedNode) else 1, t.subject.value, t.predicate.value, str(t.object))


def _write_graphs(docs: _Documents, nq: Path, ontology_graph: str, write: bool = True) -> list[ox.Triple]:
    """One document per named graph of ``nq`` (its triples, its quads as
    TriG and N-Quads, its HTML view; without ``write`` only its page in the
    sitemap); returns the triples of the ontology graph."""
    ontology: list[ox.Triple] = []
    r = docs.r
    for graph, group in groupby(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS), key=lambda q: q.graph_name):
        if not isinstance(graph, ox.NamedNode) or not is_entity(graph.value, r.base):
            continue
        quads = list(group)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        if graph.value == ontology_graph:
            ontology = triples
        if not write:
            docs.urls.append(graph.value + ".html")
            continue
        docs.document(graph.value, triples, graph.value.rsplit("/", 1)[-1], _graph_intro(quads), quads=quads)
    return ontology


def _write_ontology(docs: _Documents, triples: list[ox.Triple]) -> dict[str, str]:
    """The ontology document at the ontology's IRI (when under the site
    root): its Turtle, N-Triples, JSON-LD and, with pyLODE installed, the
    pyLODE page (else the document page). Returns the landing page's link."""

    iri = PREFIXES["osce"].rstrip("#/")
    if not iri.startswith(docs.r.root) or not triples:
        return {"iri": iri, "href": iri}
    docs.rdf(iri, triples)
    target, _up = docs.target(iri)
    try:
        page = write_ontology_docs(target.parent, target.with_name(target.name + ".ttl"))
        if page != target.with_name(target.name + ".html"):
            os.replace(page, target.with_name(target.name + ".html"))
        docs.files += 1
        docs.urls.append(iri + ".html")
    except OsceKgError as exc:  # pyLODE missing or failing: the site's own page
        log.info("ontology page without pyLODE: %s", exc)
        docs.html("document.html", iri, "osce-kg ontology", ENTITY_FORMATS, intro="The ontology of the data.",
                  rows=[{"subject": docs.r.value(t.subject, ""), "property": docs.r.link(t.predicate.value, ""), "value": docs.r.value(t.object, "")}
                        for t in sorted(triples, key=_statement_key)], links=[])
    return {"iri": iri, "href": iri[len(docs.r.root):] + ".html"}


def _void_documents(void: list[ox.Triple], base_iri: str) -> dict[str, list[ox.Triple]]:
    """IRI -> statements of each document of ``void.ttl`` (see
    :func:`_write_dataset`); the dataset's holds them all."""
    dataset = f"{base_iri}dataset"
    groups: dict[str, list[ox.Triple]] = defaultdict(list)
    if void:
        groups[dataset] = list(void)
    for t in void:
        if isinstance(t.subject, ox.NamedNode):
            key = t.subject.value.split("#", 1)[0]
            if key != dataset and is_entity(key, base_iri):
                groups[key].append(t)
    return groups


def _write_dataset(docs: _Documents, void: list[ox.Triple]) -> None:
    """One document per IRI of ``void.ttl`` under the base (a hash IRI is
    part of its document): the dataset's is the whole description, the
    others (distributions, partitions, releases, ...) their statements."""
    r = docs.r
    dataset = f"{r.base}dataset"
    groups = _void_documents(void, r.base)
    groups.pop(dataset, None)
    if void:
        docs.document(dataset, void, "Dataset description", "The dataset, its releases, distributions and statistics (VoID, DCAT).")
    for iri, triples in sorted(groups.items()):
        title = next((t.object.value for t in triples if t.subject.value == iri and t.predicate.value == "http://purl.org/dc/terms/title"), iri.rsplit("/", 1)[-1])
        up = "../" * (iri[len(r.root):].count("/"))
        docs.document(iri, triples, title, "Part of the description of the dataset.",
                      links=[{"href": up + entity_path(dataset, r.base) + ".html", "label": "The dataset"}])


def _download_sources(release: Path, root: str, void: list[ox.Triple]) -> dict[str, tuple[Path, list[str]]]:
    """URL -> (the release's file, the site path's parts) of every download
    URL of ``void.ttl`` under the site root whose file the release has (its
    name, or ``changes/`` and name, ends the URL)."""
    targets = {"http://rdfs.org/ns/void#dataDump", "http://www.w3.org/ns/dcat#downloadURL"}
    found: dict[str, tuple[Path, list[str]]] = {}
    for url in sorted({t.object.value for t in void if t.predicate.value in targets and isinstance(t.object, ox.NamedNode)}):
        if not url.startswith(root) or not _SAFE_LOCAL.match(url[len(root):]):
            continue
        parts = url[len(root):].split("/")
        source = next((release.joinpath(*parts[-k:]) for k in (1, 2) if len(parts) >= k and release.joinpath(*parts[-k:]).is_file()), None)
        if source is None:
            log.warning("site: no file of the release for the download URL %s", url)
            continue
        found[url] = (source, parts)
    return found


def _link_downloads(release: Path, out: Path, root: str, void: list[ox.Triple]) -> set[str]:
    """Make every download URL of ``void.ttl`` under the site root a file of
    the site (:func:`_download_sources`): a hard link to the release's file
    (a copy where links fail). Returns the URLs."""
    made: set[str] = set()
    for url, (source, parts) in _download_sources(release, root, void).items():
        target = out.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        made.add(url)
    return made


def _write_feed(docs: _Documents, feed: list[dict[str, Any]]) -> dict[str, str] | None:
    """The feed's collection and pages (:mod:`.feed`, ``feed_documents``)
    as documents: the Activity Streams JSON as their JSON-LD, their
    statements as Turtle and N-Triples, an HTML view. Returns the landing
    page's link, or None."""
    r = docs.r
    first = None
    for document in feed:
        iri = document["id"]
        if not is_entity(iri, r.base):
            continue
        _target, up = docs.target(iri)
        docs.rdf(iri, feed_triples(document), jsonld=json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        members = [
            {"type": m["type"], "graph": r.link(m["object"], up), "version": m["version"], "summary": m["summary"]}
            for m in document.get("orderedItems", [])
        ]
        nav = []
        for key, rel, label in (("first", "first", "newest changes"), ("prev", "prev", "newer"), ("next", "next", "older"),
                                ("last", "last", "oldest changes"), ("partOf", "up", "the change stream")):
            if key in document:
                link = document[key]["id"] if isinstance(document[key], dict) else document[key]
                if is_entity(link, r.base):
                    nav.append({"href": up + entity_path(link, r.base) + ".html", "rel": rel, "label": label})
        if document["type"] == "OrderedCollection":
            first = {"iri": iri, "href": entity_path(iri, r.base) + ".html"}
            label = "Change stream"
            intro = f"{document['totalItems']} changed graphs over the releases, newest first (release {document['version']} is the newest)."
        else:
            label = f"Changes, page {iri.rsplit('/', 1)[-1]}"
            intro = "Each named graph a release changed: created, updated or deleted, with its quads added and removed."
        docs.html("feed.html", iri, label, ENTITY_FORMATS, intro=intro, members=members, nav=nav)
    return first


def _write_sitemaps(out: Path, urls: list[str]) -> int:
    def body(chunk: Iterable[str]) -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        for url in chunk:
            yield f"  <url><loc>{xml_escape(url)}</loc></url>\n"
        yield "</urlset>\n"

    if len(urls) <= _SITEMAP_URLS:
        _write(out / "sitemap.xml", "".join(body(urls)))
        return 1
    root = urls[0].rsplit("/", 1)[0] + "/"
    names = []
    for n, start in enumerate(range(0, len(urls), _SITEMAP_URLS), start=1):
        name = f"sitemap-{n}.xml"
        _write(out / name, "".join(body(urls[start: start + _SITEMAP_URLS])))
        names.append(name)
    index = ['<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    index += [f"  <sitemap><loc>{xml_escape(root + name)}</loc></sitemap>\n" for name in names]
    index.append("</sitemapindex>\n")
    _write(out / "sitemap.xml", "".join(index))
    return len(names) + 1


def site_files(folder: Path) -> Iterator[Path]:
    """Every file of a site folder (for tests and checks)."""
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            yield Path(dirpath) / name
