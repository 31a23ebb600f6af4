"""Every entity IRI of a release dereferences in every format (issue 14):
``python benchmarks/deref_check.py OUT [--limit N]``.

OUT is an output folder built with ``osce-kg build --site``. For every IRI
subject of the current release's ``osce-kg.nt`` under its base IRI, the
script asks the dereferencing application of ``osce-kg site-serve`` (called
in this process as a WSGI application, no sockets) for the entity's path
with each ``Accept`` of the table below and with each suffix, and counts
answers that are not ``200`` with the expected ``Content-Type``, ``Vary:
Accept`` (negotiated answers), an ``ETag`` and a non-empty body. Prints the
counts and the first failures; exit status 1 when any failed. A script that
prints figures, not a test.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import pyoxigraph as ox  # noqa: E402

from osce_kg.publish.site import entity_path, is_entity  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="check only the first N entities (0: all)")
    args = parser.parse_args()
    release = (args.out / "current").resolve()
    base = re.search(r'void:uriSpace "([^"]+)"', (release / "void.ttl").read_text(encoding="utf-8"))[1]
    paths: list[str] = []
    seen: set[str] = set()
    for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES):
        if isinstance(t.subject, ox.NamedNode) and is_entity(t.subject.value, base) and t.subject.value not in seen:
            seen.add(t.subject.value)
            paths.append(entity_path(t.subject.value, base))
    if args.limit:
        paths = paths[: args.limit]
    app = SiteApp(args.out)
    started = time.perf_counter()
    requests = failures = 0
    shown: list[str] = []
    for path in paths:
        asks = [(f"/{path}", accept, media, True) for accept, media in ACCEPTS.items()]
        asks += [(f"/{path}{suffix}", "*/*", media, False) for suffix, media in SUFFIXES.items()]
        for url, accept, media, negotiated in asks:
            requests += 1
            status, headers, body = app.respond("GET", url, {"HTTP_ACCEPT": accept})
            h = {k.lower(): v for k, v in headers}
            ok = status.startswith("200") and h.get("content-type", "").startswith(media) and body and "etag" in h
            ok = ok and (not negotiated or "accept" in h.get("vary", "").lower())
            if not ok:
                failures += 1
                if len(shown) < 10:
                    shown.append(f"{url} (Accept: {accept}): {status} {h.get('content-type')}")
    seconds = time.perf_counter() - started
    print(f"entities: {len(paths):,}; requests: {requests:,}; failures: {failures:,}; {seconds:.1f} s ({requests / max(seconds, 1e-9):,.0f} requests/s)")
    for line in shown:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
