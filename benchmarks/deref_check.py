"""Every IRI of a release dereferences (issues 14 and 23):
``python benchmarks/deref_check.py OUT [--limit N]``.

OUT is an output folder built with ``osce-kg build --site``. The script
asks the dereferencing application of ``osce-kg site-serve`` (called in
this process as a WSGI application, no sockets):

1. for every IRI subject of the current release's ``osce-kg.nt`` under its
   base IRI (an entity), the entity's path with each ``Accept`` of the
   table below and with each suffix;
2. for every other IRI under the site root (the folder above the base IRI)
   that the release states: the subjects, predicates, objects and graph
   names of ``osce-kg.nq`` and of ``void.ttl`` (the dataset, its
   distributions, partitions and releases, the change stream, the
   ontology and its terms; a fragment is left out, as a client does), its
   path in HTML and Turtle (and, for a graph name, in TriG and N-Quads);
   a download URL (``dcat:downloadURL``, ``void:dataDump``) must answer the
   file, with its ``dcat:byteSize`` and SHA-256 when ``void.ttl`` gives them.

An answer counts as a failure unless it is ``200`` with the expected
``Content-Type``, ``Vary: Accept`` (negotiated answers), an ``ETag`` and a
non-empty body. Prints the counts and the first failures; exit status 1
when any failed. ``--limit N`` checks only the first N IRIs of each kind.
A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import pyoxigraph as ox  # noqa: E402

from osce_kg.publish.site import entity_path, is_entity, site_root  # noqa: E402
from osce_kg.siteserve import SiteApp  # noqa: E402

#: Accept header -> expected media type; suffix -> expected media type
ACCEPTS = {
    "text/html": "text/html",
    "text/turtle": "text/turtle",
    "application/ld+json": "application/ld+json",
    "application/n-triples": "application/n-triples",
    "application/rdf+xml": "application/rdf+xml",
}
SUFFIXES = {".html": "text/html", ".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}
#: Accept headers asked of every other IRI, and of graph names besides
DOCUMENT_ACCEPTS = {"text/html": "text/html", "text/turtle": "text/turtle"}
GRAPH_ACCEPTS = {"application/trig": "application/trig", "application/n-quads": "application/n-quads"}
_DOWNLOADS = ("http://www.w3.org/ns/dcat#downloadURL", "http://rdfs.org/ns/void#dataDump")
_DCAT = "http://www.w3.org/ns/dcat#"
_SPDX = "http://spdx.org/rdf/terms#"


def release_iris(release: Path, base: str) -> tuple[list[str], list[str], dict[str, tuple[int | None, str | None]]]:
    """(IRIs under the site root but the entities, without fragment; graph
    names; download URL -> (byte size, SHA-256) or Nones) of ``release``."""
    root = site_root(base)
    entities = {t.subject.value for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES)
                if isinstance(t.subject, ox.NamedNode) and is_entity(t.subject.value, base)}
    found: set[str] = set()
    graphs: set[str] = set()
    void = list(ox.parse(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE))
    statements = [*ox.parse(path=str(release / "osce-kg.nq"), format=ox.RdfFormat.N_QUADS), *void]
    for q in statements:
        terms = [q.subject, q.predicate, q.object]
        if isinstance(q, ox.Quad) and isinstance(q.graph_name, ox.NamedNode):
            terms.append(q.graph_name)
            if q.graph_name.value.startswith(root):
                graphs.add(q.graph_name.value)
        for term in terms:
            if isinstance(term, ox.NamedNode) and term.value.startswith(root):
                found.add(term.value.split("#", 1)[0])
    downloads: dict[str, tuple[int | None, str | None]] = {}
    for t in void:
        if t.predicate.value in _DOWNLOADS and t.object.value.startswith(root):
            downloads.setdefault(t.object.value, (None, None))
    by_subject: dict[str, dict[str, str]] = {}
    for t in void:
        by_subject.setdefault(t.subject.value, {})[t.predicate.value] = t.object.value
    for dist, values in by_subject.items():
        url = values.get(_DCAT + "downloadURL")
        if url in downloads:
            checksum = by_subject.get(values.get(_SPDX + "checksum", ""), {})
            size = values.get(_DCAT + "byteSize")
            downloads[url] = (int(size) if size else None, checksum.get(_SPDX + "checksumValue"))
    others = sorted(found - entities - set(downloads) - graphs)
    return others, sorted(graphs), downloads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="check only the first N IRIs of each kind (0: all)")
    args = parser.parse_args()
    release = (args.out / "current").resolve()
    base = re.search(r'void:uriSpace "([^"]+)"', (release / "void.ttl").read_text(encoding="utf-8"))[1]
    root = site_root(base)
    paths: list[str] = []
    seen: set[str] = set()
    for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES):
        if isinstance(t.subject, ox.NamedNode) and is_entity(t.subject.value, base) and t.subject.value not in seen:
            seen.add(t.subject.value)
            paths.append(entity_path(t.subject.value, base))
    others, graphs, downloads = release_iris(release, base)
    if args.limit:
        paths, others, graphs = paths[: args.limit], others[: args.limit], graphs[: args.limit]
        downloads = dict(list(downloads.items())[: args.limit])
    app = SiteApp(args.out)
    started = time.perf_counter()
    requests = failures = 0
    shown: list[str] = []

    def fail(line: str) -> None:
        nonlocal failures
        failures += 1
        if len(shown) < 10:
            shown.append(line)

    asks: list[tuple[str, str, str, bool]] = []
    for path in paths:
        asks += [(f"/{path}", accept, media, True) for accept, media in ACCEPTS.items()]
        asks += [(f"/{path}{suffix}", "*/*", media, False) for suffix, media in SUFFIXES.items()]
    for iri in others:
        asks += [("/" + iri[len(root):], accept, media, True) for accept, media in DOCUMENT_ACCEPTS.items()]
    for iri in graphs:
        asks += [("/" + iri[len(root):], accept, media, True) for accept, media in {**DOCUMENT_ACCEPTS, **GRAPH_ACCEPTS}.items()]
    for url, accept, media, negotiated in asks:
        requests += 1
        status, headers, body = app.respond("GET", url, {"HTTP_ACCEPT": accept})
        h = {k.lower(): v for k, v in headers}
        ok = status.startswith("200") and h.get("content-type", "").startswith(media) and body and "etag" in h
        ok = ok and (not negotiated or "accept" in h.get("vary", "").lower())
        if not ok:
            fail(f"{url} (Accept: {accept}): {status} {h.get('content-type')}")
    for url, (size, sha256) in sorted(downloads.items()):
        requests += 1
        status, headers, body = app.respond("GET", "/" + url[len(root):], {"HTTP_ACCEPT": "*/*"})
        if not status.startswith("200"):  # a change set may be empty
            fail(f"{url} (download): {status}")
        elif (size is not None and len(body) != size) or (sha256 is not None and hashlib.sha256(body).hexdigest() != sha256):
            fail(f"{url} (download): {len(body)} bytes, not the size or SHA-256 void.ttl gives")
    seconds = time.perf_counter() - started
    print(f"entities: {len(paths):,}; other IRIs: {len(others):,}; graphs: {len(graphs):,}; downloads: {len(downloads):,}; "
          f"requests: {requests:,}; failures: {failures:,}; {seconds:.1f} s ({requests / max(seconds, 1e-9):,.0f} requests/s)")
    for line in shown:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
