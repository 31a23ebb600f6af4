"""``osce-kg site-serve``: dereferencing of the entity IRIs with content
negotiation, over the sites of an output folder's releases (README,
"Linked-data site"; ARCHITECTURE.md, "Site").

URL pattern (direct negotiation on the IRI, as Trifid does; no 303):

- ``GET {prefix}/id/person/x`` answers the entity's description in the
  format the ``Accept`` header prefers: HTML (browsers; also ``*/*`` and
  no ``Accept``), Turtle, JSON-LD, N-Triples or RDF/XML; ``406`` when none
  is acceptable. ``Content-Location`` names the file of that format.
- ``GET {prefix}/id/person/x.html|.ttl|.jsonld|.nt|.rdf``: that format.
- Every other IRI minted under the base is a resource the same way: a
  named graph ``/id/graph/...`` (also ``.trig``, ``.nq``: its quads), the
  dataset ``/id/dataset`` and each IRI of its description, the change
  stream ``/id/dataset/feed`` (its JSON-LD also for
  ``application/activity+json``), the ontology ``/ontology``. A resource is
  a site path with an ``.html`` and a ``.ttl`` file; it has the formats of
  :data:`ALL_FORMATS` it has files of.
- The dumps are served at their ``dcat:downloadURL`` (``/id/dataset/osce-kg.nq``:
  files of the site).
- Every entity answer has ``Vary: Accept``, a strong ``ETag`` (release id
  and format; releases never change), ``Last-Modified`` (the file's time),
  ``Link`` headers (``rel="alternate"``) to the other formats; conditional
  requests (``If-None-Match``, ``If-Modified-Since``) get ``304``.
- ``404`` for a path that is no entity (nor another file) of the current
  release (also a segment longer than 200 characters); ``410 Gone`` for an entity an older release kept in
  ``releases/`` has and the current one has not, with
  ``Link: <{prefix}/releases/<id>/id/...>; rel="memento"`` to it.
- ``{prefix}/search/?q=NAME[&kind=person|meeting|structure|state]``: the
  persons, meetings, OSCE structures and States whose names match, from the
  release's name index (``site/search/names.json``); without ``q``, the
  static listing of every name (what a static host serves for the same URL).
- ``{prefix}/releases/<id>/...`` serves a kept release the same way (its
  site, else its files: dumps, ``void.ttl``, ``changes/``); other paths are
  the current release's site, then its files (``{prefix}/osce-kg.nt``).

``prefix`` is the path the site is mounted under (``/osce-kg`` when
``https://w3id.org/osce-kg/`` redirects to ``https://host/osce-kg/``);
``{prefix}`` and other folders without their trailing slash redirect (301)
to it, so that the pages' relative links resolve. 404 and 410 are HTML
pages for clients that prefer HTML (browsers), plain text otherwise; an
``Accept`` header without any media range (``,,,,``) counts as none.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import re
import socketserver
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from html import escape as html_escape
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pyoxigraph as ox

from .errors import StoreError, UsageError, display
from .publish.release import CURRENT, RELEASES, STORE
from .publish.search import NAME_INDEX, NameIndex
from .publish.site import (
    ENTITY_FORMATS, GRAPH_FORMATS, SITE, PageRenderer, entity_path, is_entity, name_index, render_graph, render_search, site_links, site_root,
    template_environment,
)
from .publish.formats import ONTOLOGY_GRAPH
from .publish.jsonld import JsonLdWriter
from .publish.storeindex import StoreIndex, entity_triples, graph_quads, has_subject, is_graph, stating_graphs
from .serialize import load_context
from .store import open_store
from .store.server import split_bind

__all__ = ["ALL_FORMATS", "FORMATS", "STORE", "ReleaseStore", "SiteApp", "make_site_server", "negotiate", "serve_site"]

log = logging.getLogger(__name__)

#: suffix -> media type, in the order of preference when ``Accept`` ties
FORMATS: dict[str, str] = {**ENTITY_FORMATS, "rdf": ox.RdfFormat.RDF_XML.media_type}
#: every format a resource may have: those of an entity, then a named
#: graph's quads (TriG, N-Quads); a resource has those whose files exist
ALL_FORMATS: dict[str, str] = {**FORMATS, **{k: v for k, v in GRAPH_FORMATS.items() if k not in FORMATS}}
_ALIASES = {"application/xhtml+xml": "html", "application/x-turtle": "ttl", "application/json": "jsonld", "text/plain": "nt", "application/xml": "rdf", "text/xml": "rdf",
            "application/activity+json": "jsonld"}
#: formats whose media type is text (a charset parameter is sent)
_TEXT = ("html", "ttl", "trig")
_STATIC_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".ttl": "text/turtle; charset=utf-8", ".nt": "application/n-triples",
                 ".nq": "application/n-quads", ".trig": "application/trig", ".jsonld": "application/ld+json", ".json": "application/json", ".gz": "application/gzip"}
_RELEASE_ID = re.compile(r"^[0-9]{8}-[0-9a-f]{12}$")
_SEGMENT = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$")
_DCTERMS_LICENSE = "http://purl.org/dc/terms/license"
_VOID_URI_SPACE = "http://rdfs.org/ns/void#uriSpace"
#: an answer rendered from a store in more seconds than this is kept ...
_SLOW_RENDER = 0.05
#: ... the most recent ones up to this many bytes in all (per release)
_KEPT_BYTES = 32 * 2**20
#: stores of kept releases held open at once (the current one and the
#: older ones asked for 410 answers and their own pages)
_OPEN_STORES = 4
#: longest path segment looked up (a file name has at most 255 bytes, and
#: the site adds suffixes such as ``.jsonld``)
_MAX_SEGMENT = 200


def negotiate(accept: str | None, formats: dict[str, str] = FORMATS) -> str | None:
    """The suffix of ``formats`` (a resource's: suffix -> media type, in the
    order of preference) that ``accept`` prefers (q-values, then the
    table's order; exact types before ``type/*`` before ``*/*``);
    ``"html"`` for a missing or empty header, or one without any media
    range; None when nothing fits."""
    if not accept or not any(part.split(";")[0].strip() for part in accept.split(",")):
        return "html"  # no media range at all (``Accept: ,,,,``): as no header
    best: tuple[float, int, int] | None = None
    choice = None
    for n, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0 or not media:
            continue
        if media == "*/*":
            candidates, specificity = list(formats), 0
        elif media.endswith("/*"):
            major = media[:-1]
            candidates, specificity = [k for k, v in formats.items() if v.startswith(major)], 1
        else:
            exact = [k for k, v in formats.items() if v == media] or ([_ALIASES[media]] if _ALIASES.get(media) in formats else [])
            candidates, specificity = exact, 2
        for suffix in candidates:
            key = (q, specificity, -list(formats).index(suffix))
            if best is None or key > best:
                best, choice = key, suffix
    return choice


class ReleaseStore:
    """The Oxigraph store of one release (``<release>/store/``), opened
    read-only, and what rendering its entities needs: the base IRI
    (``void:uriSpace`` of its ``void.ttl``), the licence
    (``dcterms:license``), the release's time (``Last-Modified``: that of
    its ``void.ttl``). Pages are made by the static export's renderer
    (:class:`~.publish.site.PageRenderer`) over a
    :class:`~.publish.storeindex.StoreIndex` made for each request.

    Raises:
        StoreError: the store cannot be opened (a load under way, no store).
        UsageError: the release has no ``void.ttl`` with a ``void:uriSpace``.
    """

    def __init__(self, release: Path, env: object, context: dict, writer: JsonLdWriter) -> None:
        self.release = release
        self.version = release.name
        void = release / "void.ttl"
        base, license = None, None
        if void.is_file():
            for t in ox.parse(path=str(void), format=ox.RdfFormat.TURTLE):
                if t.predicate.value == _VOID_URI_SPACE and isinstance(t.object, ox.Literal):
                    base = t.object.value
            for t in ox.parse(path=str(void), format=ox.RdfFormat.TURTLE):
                if t.predicate.value == _DCTERMS_LICENSE and base is not None and t.subject == ox.NamedNode(base + "dataset"):
                    license = t.object.value
        if base is None:
            raise UsageError(f"{display(release)} has no void.ttl with its base IRI (void:uriSpace)")
        self.base: str = base
        self.root = site_root(base)
        self.license = license
        self.modified = (void if void.is_file() else release).stat().st_mtime
        self.skip = frozenset({f"{base}graph/{ONTOLOGY_GRAPH}"})
        self.store = open_store(release / STORE, read_only=True)
        self._env, self._context, self._writer = env, context, writer
        self._links: tuple[set[str], set[str]] | None = None
        self._guard = threading.Lock()
        self._kept: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._kept_bytes = 0
        log.info("site-serve: release %s answers from its store (base %s)", release.name, base)

    def iri(self, local: str) -> str | None:
        """The IRI at site path ``local`` when it is under the base, else None."""
        iri = self.root + local
        return iri if is_entity(iri, self.base) else None

    def formats(self, local: str) -> dict[str, str]:
        """The formats the store answers the resource at ``local`` in: those
        of :data:`ALL_FORMATS` for a named graph (its quads too), of
        :data:`FORMATS` for an entity (an IRI subject of the union); empty
        for anything else (the dataset, the feed, ...: the release's files
        answer those)."""
        iri = self.iri(local)
        if iri is None:
            return {}
        if is_graph(self.store, iri):
            return ALL_FORMATS
        return FORMATS if has_subject(self.store, iri) else {}

    def has(self, local: str) -> bool:
        """True when the store has the resource at ``local`` (an entity or a
        named graph): for the 410 of a newer release that lacks it."""
        iri = self.iri(local)
        return iri is not None and (has_subject(self.store, iri) or is_graph(self.store, iri))

    def render(self, local: str, suffix: str) -> bytes:
        """The resource at ``local`` (see :meth:`formats`) in the format
        ``suffix``, as the static export writes it. An answer that took
        longer than :data:`_SLOW_RENDER` to make (a hub's page: a State's
        meetings, a person's hundreds of statements) is kept, the most
        recent up to :data:`_KEPT_BYTES` in all."""
        key = (local, suffix)
        with self._guard:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        started = time.perf_counter()
        body = self._render(local, suffix)
        if time.perf_counter() - started > _SLOW_RENDER and len(body) <= _KEPT_BYTES:
            with self._guard:
                if key not in self._kept:
                    self._kept[key] = body
                    self._kept_bytes += len(body)
                while self._kept_bytes > _KEPT_BYTES:
                    _old, dropped = self._kept.popitem(last=False)
                    self._kept_bytes -= len(dropped)
        return body

    def _render(self, local: str, suffix: str) -> bytes:
        iri = self.iri(local)
        assert iri is not None
        index = StoreIndex(self.store, self.base)
        pages = PageRenderer(self.base, index, version=self.version, license=self.license, meetings_by_state=index.meetings_by_state,
                             env=self._env, context=self._context, writer=self._writer)
        if is_graph(self.store, iri):
            with self._guard:
                if self._links is None:
                    self._links = site_links(self.release, self.base)
            pages.renderer.pages.update(self._links[0])
            pages.renderer.files.update(self._links[1])
            return render_graph(pages, iri, graph_quads(self.store, iri), suffix)
        subject = ox.NamedNode(iri)
        triples = entity_triples(self.store, subject)
        sources = stating_graphs(self.store, subject, self.skip) if suffix == "html" else []
        return pages.render(subject, triples, sources, suffix)

    def names(self) -> NameIndex:
        """The name index of the release's persons, meetings, structures and
        States (what ``site/search/names.json`` holds), from the store."""
        return name_index(StoreIndex(self.store, self.base), self.base, self.version, self.license)


class SiteApp:
    """The WSGI application over an output folder (``DIR/current``,
    ``DIR/releases/``) or one release folder.

    A release with a store (``<release>/store/``, see :class:`ReleaseStore`)
    answers its entities from it, rendered on request; everything else
    (and every entity of a release without a store) comes from its static
    site (``<release>/site/``) and its files.

    Raises:
        UsageError: when ``folder`` holds no release with a site or a store.
    """

    def __init__(self, folder: Path, prefix: str = "") -> None:
        folder = Path(folder)
        if (folder / CURRENT).exists():
            self.output: Path | None = folder
            self._release = None
        elif (folder / SITE).is_dir() or (folder / STORE).is_dir():
            self.output = None
            self._release = folder.resolve()
        else:
            raise UsageError(f"{display(folder)} holds no release with a site or a store (build it with: osce-kg build --store -o {display(folder)})")
        if not (self.current / SITE).is_dir() and not (self.current / STORE).is_dir():
            raise UsageError(f"the current release {self.current.name} has no site and no store (build it with: osce-kg build --store, or --site)")
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self._subjects: dict[str, frozenset[str]] = {}
        self._names: dict[str, NameIndex] = {}
        self._env = template_environment()
        self._context = load_context()
        self._writer = JsonLdWriter(self._context)
        self._stores: dict[str, ReleaseStore | None] = {}
        self._lock = threading.Lock()
        self.store(self.current, strict=True)  # fails now, not at the first request, when the store cannot be opened

    @property
    def current(self) -> Path:
        """The current release, read again at each request: a new build
        that switches ``current`` is served at once."""
        if self._release is not None:
            return self._release
        assert self.output is not None
        return Path(os.path.realpath(self.output / CURRENT))

    # -- the releases -----------------------------------------------------
    def releases(self, current: Path) -> list[Path]:
        """Kept releases other than ``current``, newest first."""
        if self.output is None:
            return []
        found = [p for p in (self.output / RELEASES).iterdir() if p.is_dir() and _RELEASE_ID.match(p.name) and p != current]
        return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)

    def store(self, release: Path, *, strict: bool = False) -> ReleaseStore | None:
        """The store of ``release`` (opened at its first use, kept open),
        or None when it has none, or (unless ``strict``) when it cannot be
        opened now (logged; its site answers, and the store is tried again
        at the next request).

        Raises:
            StoreError, UsageError: with ``strict``, see :class:`ReleaseStore`.
        """
        with self._lock:
            if release.name in self._stores:
                return self._stores[release.name]
        try:
            found = ReleaseStore(release, self._env, self._context, self._writer) if (release / STORE).is_dir() else None
        except (StoreError, UsageError) as exc:
            if strict:
                raise
            log.warning("release %s: its store is not used: %s", release.name, exc)
            return None
        with self._lock:
            if release.name not in self._stores:
                while len(self._stores) >= _OPEN_STORES:  # the oldest opened first
                    self._stores.pop(next(iter(self._stores)))
                self._stores[release.name] = found
            return self._stores[release.name]

    def _old_has(self, release: Path, local: str) -> bool:
        """Whether an older release has the entity at site path ``local``."""
        store = self.store(release)
        if store is not None and store.has(local):
            return True
        if (release / SITE / (local + ".html")).is_file():
            return True
        if (release / SITE).is_dir():
            return False
        with self._lock:
            paths = self._subjects.get(release.name)
            if paths is None:
                paths = frozenset(_subject_paths(release))
                self._subjects[release.name] = paths
        return local in paths

    # -- WSGI ---------------------------------------------------------------
    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        try:
            status, headers, body = self.respond(method, path, environ)
        except OSError as exc:  # a path the file system refuses: no such resource
            log.info("%s: %s", display(path), exc.strerror or exc)
            status, headers, body = _error("404 Not Found", "no such resource", environ)
        if status.startswith(("404", "410")) and negotiate(environ.get("HTTP_ACCEPT")) == "html":
            status, headers, body = _error(status, body.decode("utf-8").strip(), environ, [h for h in headers if h[0] in ("Link", "Vary")])
        if method == "HEAD":
            body = b""
        start_response(status, headers)
        return [body]

    def respond(self, method: str, path: str, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
        if method not in ("GET", "HEAD"):
            return _plain("405 Method Not Allowed", "only GET and HEAD\n", [("Allow", "GET, HEAD")])
        if self.prefix:
            if path == self.prefix:  # the site's links are relative to {prefix}/
                return _redirect(self.prefix + "/", environ)
            if not path.startswith(self.prefix + "/"):
                return _plain("404 Not Found", "not under " + self.prefix + "/\n")
            path = path[len(self.prefix):]
        parts = [p for p in path.split("/") if p]
        if any(len(p) > _MAX_SEGMENT or (p != ".well-known" and not _SEGMENT.match(p)) for p in parts):
            return _plain("404 Not Found", "no such resource\n")
        current = self.current
        release, mount = current, ""
        if len(parts) >= 2 and parts[0] == RELEASES and self.output is not None:
            candidate = self.output / RELEASES / parts[1]
            if not _RELEASE_ID.match(parts[1]) or not candidate.is_dir():
                return _plain("404 Not Found", f"no release {parts[1]}\n")
            release, mount, parts = candidate, f"/{RELEASES}/{parts[1]}", parts[2:]
        local = "/".join(parts) or "index.html"
        if local == "search" and path.endswith("/") and environ.get("QUERY_STRING"):
            return self._search(release, environ)
        folder_page = (not parts and bool(mount)) or (bool(parts) and (release / SITE / local / "index.html").is_file())
        if folder_page and not path.endswith("/"):
            # a folder's page: its relative links need the slash
            return _redirect(f"{self.prefix}{environ.get('PATH_INFO', path).removeprefix(self.prefix)}/", environ)
        if parts and path.endswith("/") and not folder_page:
            # a resource asked for as a folder: its relative links would miss
            return _redirect(f"{self.prefix}{environ.get('PATH_INFO', path).removeprefix(self.prefix).rstrip('/')}", environ)
        return self._resource(current, release, mount, local, environ)

    def _resource(self, current: Path, release: Path, mount: str, local: str, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
        site = release / SITE
        stem, dot, suffix = local.rpartition(".")
        store = self.store(release)
        if store is not None:
            if dot and suffix in ALL_FORMATS and suffix in (formats := store.formats(stem)):
                return self._rendered(store, mount, stem, suffix, formats, environ, negotiated=False)
            formats = store.formats(local)
            if formats:
                suffix = negotiate(environ.get("HTTP_ACCEPT"), formats)
                if suffix is None:
                    return _plain("406 Not Acceptable", "available: " + ", ".join(formats.values()) + "\n", [("Vary", "Accept"), *self._links(mount, local, formats)])
                return self._rendered(store, mount, local, suffix, formats, environ, negotiated=True)
        if dot and suffix in ALL_FORMATS:
            formats = _formats(site, stem)
            if suffix in formats:
                return self._entity(release, mount, stem, suffix, formats, environ, negotiated=False)
        formats = _formats(site, local)
        if formats:
            suffix = negotiate(environ.get("HTTP_ACCEPT"), formats)
            if suffix is None:
                links = self._links(mount, local, formats)
                return _plain("406 Not Acceptable", "available: " + ", ".join(formats.values()) + "\n", [("Vary", "Accept"), *links])
            return self._entity(release, mount, local, suffix, formats, environ, negotiated=True)
        for folder in (site, release):
            target = folder / local
            if target.is_dir() and (target / "index.html").is_file():
                target = target / "index.html"
            if target.is_file() and (folder is site or target.parent == release or target.parent.name == "changes"):
                return self._file(release, target, environ)
        if release == current:
            entity = stem if dot and suffix in ALL_FORMATS else local
            for old in self.releases(current):
                if self._old_has(old, entity):
                    link = f"<{self.prefix}/{RELEASES}/{old.name}/{local}>; rel=\"memento\""
                    return _plain("410 Gone", f"{local} is not in the current release {current.name}; release {old.name} had it\n", [("Link", link)])
        return _plain("404 Not Found", f"{local}: not in release {release.name}\n")

    def _search(self, release: Path, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
        """``GET {prefix}/search/?q=NAME[&kind=KIND]``: the names of the
        release's name index that match (HTML; the static listing
        ``search/index.html`` without ``q``)."""
        form = parse_qs(environ.get("QUERY_STRING", ""), max_num_fields=10)
        query = (form.get("q") or [""])[0][:200]
        kind = (form.get("kind") or [""])[0][:40]
        with self._lock:
            names = self._names.get(release.name)
        if names is None:
            store = self.store(release)
            try:
                names = NameIndex.read(release / SITE / NAME_INDEX) if store is None or (release / SITE / NAME_INDEX).is_file() else store.names()
            except (OSError, ValueError) as exc:
                log.info("no name index in %s: %s", display(release), exc)
                return _plain("404 Not Found", "this release has no name index\n")
            with self._lock:
                self._names[release.name] = names
        body = render_search(self._env, names, query=query, kind=kind, root="../").encode("utf-8")
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), ("Cache-Control", "no-cache")]
        return "200 OK", headers, body

    def _links(self, mount: str, local: str, formats: dict[str, str]) -> list[tuple[str, str]]:
        base = f"{self.prefix}{mount}/{local}"
        return [("Link", ", ".join(f'<{base}.{ext}>; rel="alternate"; type="{media}"' for ext, media in formats.items()))]

    def _rendered(self, store: ReleaseStore, mount: str, local: str, suffix: str, formats: dict[str, str], environ: dict,
                  negotiated: bool) -> tuple[str, list[tuple[str, str]], bytes]:
        """An entity answered from the release's store, rendered now (not
        when the request is conditional and its answer not modified)."""
        status, headers = self._headers(store.version, mount, local, suffix, formats, environ, negotiated, store.modified)
        if status.startswith("304"):
            return status, headers, b""
        body = store.render(local, suffix)
        headers.append(("Content-Length", str(len(body))))
        return status, headers, body

    def _headers(self, version: str, mount: str, local: str, suffix: str, formats: dict[str, str], environ: dict, negotiated: bool,
                 mtime: float) -> tuple[str, list[tuple[str, str]]]:
        """The status (``200 OK``, or ``304 Not Modified`` for a conditional
        request that matches) and headers of an entity's answer but its
        ``Content-Length``: the same for a file of the site and a page
        rendered from the store."""
        etag = '"' + hashlib.sha256(f"{version}/{local}.{suffix}".encode()).hexdigest()[:24] + '"'
        modified = email.utils.formatdate(mtime, usegmt=True)
        media = formats[suffix]
        headers = [
            ("Content-Type", media + ("; charset=utf-8" if suffix in _TEXT else "")),
            ("Vary", "Accept"),
            ("ETag", etag),
            ("Last-Modified", modified),
            *self._links(mount, local, formats),
        ]
        if negotiated:
            headers.append(("Content-Location", f"{self.prefix}{mount}/{local}.{suffix}"))
        if _not_modified(environ, etag, mtime):
            return "304 Not Modified", [h for h in headers if h[0] != "Content-Type"]
        return "200 OK", headers

    def _entity(self, release: Path, mount: str, local: str, suffix: str, formats: dict[str, str], environ: dict,
                negotiated: bool) -> tuple[str, list[tuple[str, str]], bytes]:
        site = release / SITE
        source = site / (local + (".nt" if suffix == "rdf" else "." + suffix))
        stat = source.stat()
        status, headers = self._headers(release.name, mount, local, suffix, formats, environ, negotiated, stat.st_mtime)
        if status.startswith("304"):
            return status, headers, b""
        if suffix == "rdf":
            body = ox.serialize(ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.RDF_XML) or b""
        else:
            body = source.read_bytes()
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, body

    def _file(self, release: Path, target: Path, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
        stat = target.stat()
        etag = '"' + hashlib.sha256(f"{release.name}/{target}".encode()).hexdigest()[:24] + '"'
        kind = "text/turtle; charset=utf-8" if target.name == "void" else _STATIC_TYPES.get(target.suffix, "application/octet-stream")
        headers = [("Content-Type", kind), ("ETag", etag), ("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))]
        if _not_modified(environ, etag, stat.st_mtime):
            return "304 Not Modified", headers[1:], b""
        body = target.read_bytes()
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, body


def _formats(site: Path, local: str) -> dict[str, str]:
    """The formats of :data:`ALL_FORMATS` the resource at site path
    ``local`` has files of (RDF/XML made from its N-Triples); empty when it
    is no resource (a resource has an ``.html`` and a ``.ttl`` file: an
    entity, a named graph, the dataset and the parts of its description,
    the ontology, the change stream)."""
    if not local or not (site / (local + ".ttl")).is_file() or not (site / (local + ".html")).is_file():
        return {}
    return {ext: media for ext, media in ALL_FORMATS.items() if (site / (local + "." + ("nt" if ext == "rdf" else ext))).is_file()}


def _not_modified(environ: dict, etag: str, mtime: float) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        return match.strip() == "*" or etag in [m.strip().removeprefix("W/") for m in match.split(",")]
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(mtime) <= when
    return False


def _redirect(location: str, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """A 301 to ``location`` (the query string kept)."""
    query = environ.get("QUERY_STRING")
    target = location + (f"?{query}" if query else "")
    return _plain("301 Moved Permanently", f"moved to {target}\n", [("Location", target)])


def _error(status: str, text: str, environ: dict, extra: list[tuple[str, str]] | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
    """An error answer as HTML (for a client that prefers it: browsers) or
    plain text."""
    if negotiate(environ.get("HTTP_ACCEPT")) != "html":
        return _plain(status, text + "\n", extra)
    title = html_escape(status)
    body = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{html_escape(text)}</p></body></html>\n"
    ).encode("utf-8")
    return status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), *(extra or [])], body


def _plain(status: str, text: str, extra: list[tuple[str, str]] | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
    body = text.encode("utf-8")
    return status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))), *(extra or [])], body


def _subject_paths(release: Path) -> Iterable[str]:
    """Site paths of the IRI subjects of a release without a site (its
    ``osce-kg.nt``), under the base IRI its ``void.ttl`` gives."""
    void = release / "void.ttl"
    match = re.search(r'void:uriSpace "([^"]+)"', void.read_text(encoding="utf-8")) if void.is_file() else None
    if match is None or not (release / "osce-kg.nt").is_file():
        return []
    base = match[1]
    seen = set()
    for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES):
        if isinstance(t.subject, ox.NamedNode) and is_entity(t.subject.value, base):
            seen.add(entity_path(t.subject.value, base))
    return seen


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)


def make_site_server(folder: Path, bind: str = "127.0.0.1:8080", prefix: str = "") -> WSGIServer:
    """A threading WSGI server of :class:`SiteApp` bound to ``bind`` (port 0:
    a free one; ``server.server_port`` tells which); call ``serve_forever``.

    Raises:
        UsageError: no site in ``folder``, a bad ``bind``.
        StoreError: the address is in use (exit 3).
    """
    app = SiteApp(folder, prefix)
    host, port = split_bind(bind if not bind.startswith(":") else "127.0.0.1" + bind, example="127.0.0.1:8080", free_port=True)
    try:
        server = make_server(host, port, app, server_class=_Server, handler_class=_Quiet)
    except OSError as exc:
        raise StoreError(f"cannot listen on {bind}: {exc.strerror or exc}") from exc
    return server


def serve_site(folder: Path, bind: str = "127.0.0.1:8080", prefix: str = "", on_ready: Callable[[str], None] | None = None) -> None:
    """Serve ``folder`` (see :class:`SiteApp`) on ``bind`` until stopped
    (errors: :func:`make_site_server`)."""
    server = make_site_server(folder, bind, prefix)
    app = server.get_app()
    host = bind.rpartition(":")[0] or "127.0.0.1"
    if on_ready is not None:
        on_ready(f"http://{host}:{server.server_port}{app.prefix}/")
    try:
        server.serve_forever()
    finally:
        server.server_close()
