"""``void.ttl``: the description of the dataset and of its dump files, in
VoID (https://www.w3.org/TR/void/) and DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/).

One node ``{base}dataset`` is both a ``void:Dataset`` and a ``dcat:Dataset``:

- VoID statistics of the data (the union of the data graphs, the triples of
  ``osce-kg.ttl``; the ontology graph of the quad dumps is not counted here):
  ``void:triples``, ``void:entities`` (distinct IRI subjects that have an
  ``rdf:type``), ``void:classes``, ``void:properties``,
  ``void:distinctSubjects``, ``void:distinctObjects``; one
  ``void:classPartition`` per class (``void:class``, ``void:entities``) at
  ``{base}dataset/class/{slug}``, one ``void:propertyPartition`` per
  property (``void:property``, ``void:triples``) at
  ``{base}dataset/property/{slug}``; ``void:vocabulary`` for each namespace
  whose classes or properties are used; ``void:uriSpace``;
  ``void:dataDump`` for each file; ``void:sparqlEndpoint`` when given.
- DCAT: ``dcterms:title``, ``dcterms:description``, ``dcterms:publisher``
  (``{base}dataset/publisher``, a ``foaf:Agent``), ``dcterms:license`` when
  given, ``dcterms:modified`` (the newest modification time of the source
  pages, ``xsd:dateTime`` in UTC: never the time of the run), and one
  ``dcat:Distribution`` per file at ``{base}dataset/distribution/{file name}``
  with ``dcat:downloadURL`` / ``dcat:accessURL``, ``dcat:mediaType`` (IANA
  media type IRI), ``dcat:compressFormat`` (gzip files), ``dcat:byteSize``
  (``xsd:nonNegativeInteger``, DCAT 3), ``spdx:checksum`` (SHA-256, SPDX 2.3
  RDF terms, ``spdx:checksumValue`` as ``xsd:hexBinary``), and its own
  ``void:triples``: the triples in the file, for N-Quads and TriG the quads
  (ontology graph included).
- PROV, when pages were fetched (``osce-kg fetch``, WARC files): the dataset
  ``prov:wasGeneratedBy`` the crawl ``{base}dataset/crawl``, a
  ``prov:Activity`` with ``prov:startedAtTime`` / ``prov:endedAtTime`` the
  first and last fetch time of the pages (the crawl's date range).

No blank nodes, no run timestamps: the same build gives the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, VOID, XSD

from ..serialize import write_turtle
from ..vocab import PREFIXES, slugify
from .dumps import DataStats
from .feed import feed_iri
from .formats import DumpFile, Publication

__all__ = ["SPDX", "IANA_MEDIA_TYPES", "AS2_SPEC", "add_crawl", "add_feed", "add_version", "dataset_iri", "download_base", "describe_dataset", "release_iri", "write_void"]

#: SPDX 2.3 RDF terms (checksums)
SPDX = Namespace("http://spdx.org/rdf/terms#")

#: the specification the change feed conforms to (``dcterms:conformsTo``)
AS2_SPEC = "https://www.w3.org/TR/activitystreams-core/"

#: base of the IANA media type IRIs (DCAT 3, dcat:mediaType examples)
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"


#: namespaces recognised as vocabularies, besides :data:`osce_kg.vocab.PREFIXES`
_EXTRA_VOCABULARIES = ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://xmlns.com/foaf/0.1/")


def dataset_iri(base_iri: str) -> URIRef:
    """The IRI of the dataset: ``{base}dataset``."""
    return URIRef(f"{base_iri}dataset")


def download_base(base_iri: str, publication: Publication) -> str:
    """The URL the dump file names are appended to: ``--download-base`` (a
    ``/`` added when missing), else ``{base}dataset/``."""
    base = publication.download_base or f"{dataset_iri(base_iri)}/"
    return base if base.endswith("/") else base + "/"


def _vocabulary(iri: str) -> str:
    known = sorted({*PREFIXES.values(), *_EXTRA_VOCABULARIES}, key=len, reverse=True)
    for namespace in known:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return namespace
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def _slugs(iris: Iterable[str]) -> dict[str, str]:
    """IRI -> a readable slug, unique among ``iris`` (compact name slugified,
    ``-2``, ``-3`` ... appended on a clash, in sorted IRI order)."""
    prefixes = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)
    out: dict[str, str] = {}
    used: set[str] = set()
    for iri in sorted(iris):
        name = next((f"{p}-{iri[len(ns):]}" for p, ns in prefixes if iri.startswith(ns) and len(iri) > len(ns)), iri)
        slug = base = slugify(name)
        n = 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        out[iri] = slug
    return out


def describe_dataset(
    stats: DataStats,
    files: Sequence[DumpFile],
    *,
    base_iri: str,
    publication: Publication,
    modified: dt.datetime | None,
    pages: int,
    crawl: tuple[dt.datetime, dt.datetime] | None = None,
    version: str | None = None,
    previous: str | None = None,
    changes: dict | None = None,
) -> Graph:
    """The VoID/DCAT graph of the data (``stats``: counts of the union of the
    data graphs, without the ontology) and of the dump
    ``files``. See the module docstring for the terms used and the IRIs
    minted under ``{base}dataset``."""
    properties = stats.properties
    vocabularies = {_vocabulary(iri) for iri in [*properties, *stats.class_entities]}

    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("spdx", SPDX)
    g.bind("foaf", FOAF)
    ds = dataset_iri(base_iri)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("osce-kg: the OSCE's public record as a knowledge graph", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Participating States, Partners for Co-operation, OSCE structures and field operations, meetings, "
        f"persons and the statements they made, extracted from {pages} public web page(s) of the OSCE, with "
        "curated reference data; one named graph per source page and one for the reference data.",
        lang="en",
    )))
    publisher = URIRef(f"{ds}/publisher")
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("osce-kg contributors")))
    if publication.license:
        g.add((ds, DCTERMS.license, URIRef(publication.license)))
    if modified is not None:
        stamp = modified.astimezone(dt.timezone.utc).replace(microsecond=0)
        g.add((ds, DCTERMS.modified, Literal(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)))
    if publication.sparql_endpoint:
        g.add((ds, VOID.sparqlEndpoint, URIRef(publication.sparql_endpoint)))
    if crawl is not None:
        add_crawl(g, ds, *crawl)
    if version is not None:
        add_version(g, ds, version, previous, changes, download_base(base_iri, publication))
        add_feed(g, ds, feed_iri(base_iri))
    g.add((ds, VOID.uriSpace, Literal(base_iri)))
    g.add((ds, VOID.triples, Literal(stats.triples)))
    g.add((ds, VOID.entities, Literal(stats.entities)))
    g.add((ds, VOID.classes, Literal(len(stats.class_entities))))
    g.add((ds, VOID.properties, Literal(len(properties))))
    g.add((ds, VOID.distinctSubjects, Literal(stats.subjects)))
    g.add((ds, VOID.distinctObjects, Literal(stats.objects)))
    for vocabulary in sorted(vocabularies):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    for iri, slug in _slugs(stats.class_entities).items():
        part = URIRef(f"{ds}/class/{slug}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(iri)))
        g.add((part, VOID.entities, Literal(stats.class_entities[iri])))
    for iri, slug in _slugs(properties).items():
        part = URIRef(f"{ds}/property/{slug}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(iri)))
        g.add((part, VOID.triples, Literal(properties[iri])))

    downloads = download_base(base_iri, publication)
    for file in files:
        name = file.path.name
        dist = URIRef(f"{ds}/distribution/{name}")
        url = URIRef(downloads + name)
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(name)))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + file.media_type)))
        if file.compressed:
            g.add((dist, DCAT.compressFormat, URIRef(IANA_MEDIA_TYPES + "application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(str(file.byte_size), datatype=XSD.nonNegativeInteger)))
        g.add((dist, VOID.triples, Literal(file.triples)))
        checksum = URIRef(f"{dist}#sha256")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))
        if file.kind in ("nquads", "trig"):
            g.add((dist, DCTERMS.description, Literal(
                "Quads: one named graph per source page, one for the reference data and one for the "
                "ontology; void:triples counts the statements of all graphs.", lang="en")))
        else:
            g.add((dist, DCTERMS.description, Literal(
                "Triples: the union of the data graphs (no ontology).", lang="en")))
    return g


def release_iri(ds: URIRef, version: str) -> URIRef:
    """The IRI of the release ``version`` of the dataset ``ds``: ``{ds}/release/{version}``."""
    return URIRef(f"{ds}/release/{version}")


def add_version(g: Graph, ds: URIRef, version: str, previous: str | None, changes: dict | None, downloads: str) -> None:
    """The release as a version in the series (DCAT 3, "Dataset series",
    "Versioning"): ``{ds}`` has ``dcat:version`` (the release id),
    ``dcterms:issued`` (its date, from the id), ``dcat:inSeries`` the
    ``dcat:DatasetSeries`` ``{ds}/series``, ``dcterms:identifier`` and
    ``dcat:hasVersion`` its release IRI ``{ds}/release/{id}``, and
    ``dcat:previousVersion`` the previous release's IRI. ``changes`` (the
    summary of :mod:`.changes`) adds two ``void:Dataset`` nodes,
    ``{ds}/changes/added`` and ``{ds}/changes/removed``, with
    ``void:triples`` (quads) and ``void:dataDump`` (``changes/added.nq``,
    ``changes/removed.nq``), linked from ``{ds}`` by ``rdfs:seeAlso``."""

    series = URIRef(f"{ds}/series")
    g.add((series, RDF.type, URIRef(str(DCAT) + "DatasetSeries")))
    g.add((series, DCTERMS.title, Literal("osce-kg releases", lang="en")))
    g.add((ds, URIRef(str(DCAT) + "inSeries"), series))
    g.add((ds, URIRef(str(DCAT) + "version"), Literal(version)))
    g.add((ds, DCTERMS.identifier, Literal(version)))
    g.add((ds, URIRef(str(DCAT) + "hasVersion"), release_iri(ds, version)))
    for v in (version, previous):
        if v is not None:  # each version IRI has a description to dereference to
            g.add((release_iri(ds, v), RDF.type, DCAT.Dataset))
            g.add((release_iri(ds, v), URIRef(str(DCAT) + "version"), Literal(v)))
            g.add((release_iri(ds, v), DCTERMS.title, Literal(f"osce-kg release {v}", lang="en")))
    day = version.split("-", 1)[0]
    if len(day) == 8 and day.isdigit():
        g.add((ds, DCTERMS.issued, Literal(f"{day[:4]}-{day[4:6]}-{day[6:]}", datatype=XSD.date)))
    if previous is not None:
        g.add((ds, URIRef(str(DCAT) + "previousVersion"), release_iri(ds, previous)))
    if changes is not None:
        for kind in ("added", "removed"):
            node = URIRef(f"{ds}/changes/{kind}")
            g.add((ds, RDFS.seeAlso, node))
            g.add((node, RDF.type, VOID.Dataset))
            g.add((node, DCTERMS.title, Literal(f"Quads {kind} since release {changes['previous']}", lang="en")))
            g.add((node, VOID.triples, Literal(changes[kind])))
            g.add((node, VOID.dataDump, URIRef(f"{downloads}changes/{kind}.nq")))


def add_feed(g: Graph, ds: URIRef, feed: str) -> URIRef:
    """State the change stream ``feed`` (:mod:`.feed`) as a distribution of
    ``ds`` (DCAT 3: a distribution may be "an API or an RSS feed"):
    ``{ds}/distribution/feed``, a ``dcat:Distribution`` with
    ``dcat:accessURL`` the feed (no ``dcat:downloadURL``: it is no single
    file), ``dcat:mediaType`` JSON-LD and ``dcterms:conformsTo`` Activity
    Streams 2.0; returns the distribution's IRI."""
    dist = URIRef(f"{ds}/distribution/feed")
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal("Change stream (Activity Streams 2.0)", lang="en")))
    g.add((dist, DCTERMS.description, Literal(
        "Every release's changes, one Activity per changed named graph, newest release first "
        "(an OrderedCollection of OrderedCollectionPages).", lang="en")))
    g.add((dist, DCAT.accessURL, URIRef(feed)))
    g.add((dist, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + "application/ld+json")))
    g.add((dist, DCTERMS.conformsTo, URIRef(AS2_SPEC)))
    return dist


def add_crawl(g: Graph, ds: URIRef, first: dt.datetime, last: dt.datetime) -> URIRef:
    """State that the dataset ``ds`` was generated by the crawl that fetched
    its pages from ``first`` to ``last`` (see the module doc); returns the crawl's IRI."""
    crawl = URIRef(f"{ds}/crawl")
    g.bind("prov", PROV)
    g.add((ds, PROV.wasGeneratedBy, crawl))
    g.add((crawl, RDF.type, PROV.Activity))
    g.add((crawl, RDFS.label, Literal("Fetch of the source pages", lang="en")))
    for predicate, moment in ((PROV.startedAtTime, first), (PROV.endedAtTime, last)):
        stamp = moment.astimezone(dt.timezone.utc).replace(microsecond=0)
        g.add((crawl, predicate, Literal(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)))
    return crawl


def write_void(graph: Graph, path: Path) -> None:
    """Write the VoID/DCAT ``graph`` as Turtle, deterministically and atomically."""
    write_turtle(graph, path)
