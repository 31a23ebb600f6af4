"""The one table of RDF formats the project reads and writes, on
:class:`pyoxigraph.RdfFormat` (media types and file extensions are
pyoxigraph's, i.e. the W3C/IANA registrations), and the publication options.

==============  =====================  ===============================================
kind            file of a release      content
==============  =====================  ===============================================
``turtle``      ``osce-kg.ttl``        union of the data graphs
``jsonld``      ``osce-kg.jsonld``     union of the data graphs, context embedded
``ntriples``    ``osce-kg.nt``         union of the data graphs
``nquads``      ``osce-kg.nq``         one named graph per source page, the reference
                                       graph and the ontology graph
``trig``        ``osce-kg.trig``       the same quads as ``osce-kg.nq``
==============  =====================  ===============================================
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceError, UsageError

__all__ = [
    "DUMPS",
    "Dump",
    "DumpFile",
    "ONTOLOGY_GRAPH",
    "Publication",
    "READABLE",
    "check_iri",
    "format_of",
]

#: name of the ontology graph in the quad dumps, relative to ``{base}graph/``
ONTOLOGY_GRAPH = "ontology"


@dataclass(frozen=True)
class Dump:
    """One dump kind: its file name in a release and its pyoxigraph format
    (``None`` for JSON-LD, which :mod:`osce_kg.publish.jsonld` writes)."""

    kind: str
    file: str
    format: ox.RdfFormat | None
    media_type: str
    quads: bool


#: the dumps of a release, in the order they are written
DUMPS: tuple[Dump, ...] = (
    Dump("nquads", "osce-kg.nq", ox.RdfFormat.N_QUADS, ox.RdfFormat.N_QUADS.media_type, True),
    Dump("trig", "osce-kg.trig", ox.RdfFormat.TRIG, ox.RdfFormat.TRIG.media_type, True),
    Dump("ntriples", "osce-kg.nt", ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_TRIPLES.media_type, False),
    Dump("turtle", "osce-kg.ttl", ox.RdfFormat.TURTLE, ox.RdfFormat.TURTLE.media_type, False),
    Dump("jsonld", "osce-kg.jsonld", None, "application/ld+json", False),
)

#: file extension (lower case, no dot) -> format of the files ``load``,
#: ``validate`` and ``query`` read (a further ``.gz`` is allowed); JSON-LD is
#: ``None`` (read with rdflib)
READABLE: dict[str, ox.RdfFormat | None] = {
    **{ext: fmt for fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML) for ext in [fmt.file_extension]},
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "jsonld": None,
    "json-ld": None,
    "json": None,
}


def format_of(path: Path) -> tuple[str, ox.RdfFormat | None, bool]:
    """``(extension, format or None for JSON-LD, gzipped?)`` of ``path``.

    Raises:
        SourceError: for an extension not in :data:`READABLE`.
    """
    name = Path(path).name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    ext = name.rsplit(".", 1)[1] if "." in name else ""
    if ext not in READABLE:
        known = ", ".join(f".{e}" for e in sorted(READABLE))
        raise SourceError(path, f"unknown RDF file extension {'.' + ext if ext else '(none)'!r} (known: {known}, also .gz)")
    return ext, READABLE[ext], gzipped


@dataclass(frozen=True)
class Publication:
    """How a release is published (options of ``osce-kg build``).

    Attributes:
        compress: also write a reproducible ``.gz`` copy of every dump.
        license: IRI of the licence of the data (``dcterms:license``), or None.
        sparql_endpoint: URL of a public SPARQL endpoint serving the data
            (``void:sparqlEndpoint``), or None.
        download_base: URL the dump files will be downloadable under; each
            file's ``dcat:downloadURL`` is ``download_base`` + file name. None:
            ``{base}dataset/`` (next to the dataset IRI ``{base}dataset``).
    """

    compress: bool = False
    license: str | None = None
    sparql_endpoint: str | None = None
    download_base: str | None = None


@dataclass(frozen=True)
class DumpFile:
    """One written dump file, as the DCAT distribution describes it.

    Attributes:
        kind: a :data:`DUMPS` kind.
        path: the file.
        compressed: True for a gzip file (``.gz``).
        triples: statements the file holds: triples for the triple formats,
            quads (ontology graph included) for N-Quads and TriG.
        byte_size: size of the file in bytes.
        sha256: SHA-256 of the file's bytes, 64 lower-case hex digits.
    """

    kind: str
    path: Path
    compressed: bool
    triples: int
    byte_size: int
    sha256: str

    @property
    def media_type(self) -> str:
        """IANA media type of the (uncompressed) content."""
        return next(d.media_type for d in DUMPS if d.kind == self.kind)


def check_iri(value: str | None, option: str) -> None:
    """Refuse an ``option`` value that is not an absolute IRI (the one IRI
    check: pyoxigraph's parser, :class:`pyoxigraph.NamedNode`).

    Raises:
        UsageError: naming the option, the value and what is wrong with it.
    """
    if value is None:
        return
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise UsageError(f"{option} must be an absolute IRI without spaces or any of <>\"{{}}|\\^`, got {value!r} ({exc})") from None
