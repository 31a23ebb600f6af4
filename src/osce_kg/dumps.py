"""Linked-open-data dumps: N-Triples, N-Quads and TriG, gzip copies, and the
VoID/DCAT description of them all (:mod:`osce_kg.void`).

Files written by ``osce-kg build`` (the Turtle and JSON-LD dumps come from
:mod:`osce_kg.serialize`):

=====================  ======================================================
file                   content
=====================  ======================================================
``osce-kg.ttl``        union of the data graphs (Turtle)
``osce-kg.jsonld``     union of the data graphs (JSON-LD, embedded context)
``osce-kg.nt``         union of the data graphs (N-Triples, sorted lines)
``osce-kg.nq``         one named graph per source page, one for reference data
                       (``{base}graph/reference``), one for the ontology
                       (``{base}graph/ontology``); N-Quads, sorted lines
``osce-kg.trig``       the same quads as ``osce-kg.nq``, TriG
``*.gz``               with ``--compress``: a gzip copy of each of the five
``void.ttl``           VoID + DCAT description of the dataset and every file
=====================  ======================================================

So ``.ttl``, ``.jsonld`` and ``.nt`` hold the same triples (the data); ``.nq``
and ``.trig`` hold those triples by graph plus the ontology graph.

Determinism: the N-Triples and N-Quads lines are sorted (byte order, one
statement a line, no duplicates), the TriG quads are sorted by graph, subject,
predicate and object before writing, blank nodes (none in the data today) are
relabelled with RDFC-1.0 first, and gzip files carry no name and mtime 0: the
same input gives the same bytes. Every file is written atomically
(:func:`osce_kg.serialize.atomic_output`).

pyoxigraph writes these formats (N-Triples, N-Quads, TriG: W3C RDF 1.1
recommendations); it is far faster than rdflib's writers on large graphs.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .errors import SourceError, UsageError
from .oxterms import dataset_quads
from .resources import ontology_file
from .serialize import atomic_output, staged_path
from .vocab import PREFIXES, IriMinter

__all__ = [
    "DUMP_FILES",
    "MEDIA_TYPES",
    "ONTOLOGY_GRAPH",
    "DumpFile",
    "Publication",
    "dump_quads",
    "ntriples_bytes",
    "nquads_bytes",
    "trig_bytes",
    "write_gzip",
    "describe_file",
    
]

log = logging.getLogger(__name__)

#: kind -> file name of the dumps this module writes
DUMP_FILES: dict[str, str] = {
    "ntriples": "osce-kg.nt",
    "nquads": "osce-kg.nq",
    "trig": "osce-kg.trig",
}

#: kind -> IANA media type of every dump kind (Turtle and JSON-LD included)
MEDIA_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
}

#: kinds whose files hold quads (named graphs, the ontology graph included)
QUAD_KINDS = frozenset({"nquads", "trig"})

#: name of the ontology graph in the quad dumps, relative to ``{base}graph/``
ONTOLOGY_GRAPH = "ontology"

#: file name of the VoID/DCAT description
VOID_FILE = "void.ttl"


@dataclass(frozen=True)
class Publication:
    """How the dumps are published (options of ``osce-kg build``).

    Attributes:
        compress: also write a ``.gz`` copy of every dump.
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
        kind: one of :data:`MEDIA_TYPES` (``turtle``, ``jsonld``, ``ntriples``,
            ``nquads``, ``trig``).
        path: the file.
        compressed: True for a gzip file (``.gz``).
        triples: statements the file holds: triples for the triple formats,
            quads (triples summed over graphs, ontology graph included) for
            N-Quads and TriG.
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
        return MEDIA_TYPES[self.kind]


def _ontology_quads(graph_name: ox.NamedNode, path: Path | None = None) -> list[ox.Quad]:
    """The ontology's triples as quads of the graph ``graph_name``.

    Raises:
        SourceError: when the ontology file is missing or does not parse.
    """
    file = path or ontology_file()
    try:
        return [ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE)]
    except FileNotFoundError as exc:
        raise SourceError(file, "ontology file not found") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise SourceError(file, f"cannot parse ontology: {exc}") from exc


def _sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))


def dump_quads(dataset: Dataset, base_iri: str, *, ontology: Path | None = None, with_ontology: bool = True) -> list[ox.Quad]:
    """All quads of ``dataset``, plus the ontology as graph
    ``{base}graph/ontology`` (when ``with_ontology``), without duplicates,
    sorted by graph, subject, predicate, object; blank nodes (if any) are
    relabelled canonically (RDFC-1.0), so the result depends only on the data.

    Raises:
        SourceError: when the ontology file cannot be read.
    """
    quads: Iterable[ox.Quad] = dataset_quads(dataset)
    if with_ontology:
        name = ox.NamedNode(str(IriMinter(base_iri).graph(ONTOLOGY_GRAPH)))
        quads = [*quads, *_ontology_quads(name, ontology)]
    store = ox.Dataset(quads)
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) or isinstance(q.graph_name, ox.BlankNode) for q in store):
        store.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(store, key=_sort_key)


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.split(b"\n") if line})
    return b"".join(line + b"\n" for line in lines)


def ntriples_bytes(quads: Iterable[ox.Quad], *, exclude: Sequence[ox.NamedNode] = ()) -> bytes:
    """N-Triples of the union of ``quads`` (graph names dropped, graphs in
    ``exclude`` left out): one triple a line, lines sorted in byte order,
    duplicates removed, UTF-8."""
    skip = set(exclude)
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name not in skip)
    return _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


def nquads_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """N-Quads of ``quads``: one quad a line, lines sorted in byte order,
    duplicates removed, UTF-8."""
    return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def trig_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """TriG of ``quads`` with the prefixes of :data:`osce_kg.vocab.PREFIXES`;
    quads are sorted first (graph, subject, predicate, object), so each graph is
    one block and the text depends only on the quads."""
    ordered = sorted(set(quads), key=_sort_key)
    return ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES))


def _write(data: bytes, path: Path) -> None:
    with atomic_output(path) as out:
        out.write(data)


def write_gzip(path: Path) -> Path:
    """Write ``path`` + ``.gz``: gzip of the file's bytes, reproducible (no
    file name, mtime 0, level 9), atomically. Returns the new file."""
    target = path.with_name(path.name + ".gz")
    _write(gzip.compress(staged_path(path).read_bytes(), compresslevel=9, mtime=0), target)
    return target


def describe_file(path: Path, kind: str, triples: int) -> DumpFile:
    """Size and SHA-256 of the written file ``path``."""
    digest = hashlib.sha256()
    size = 0
    with open(staged_path(path), "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return DumpFile(kind=kind, path=path, compressed=path.name.endswith(".gz"), triples=triples, byte_size=size, sha256=digest.hexdigest())


_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`]+$")


def _check_iri(value: str | None, option: str) -> None:
    if value is not None and not _ABSOLUTE_IRI.match(value):
        raise UsageError(f"{option} must be an absolute IRI without spaces or any of <>\"{{}}|\\^`, got {value!r}")


