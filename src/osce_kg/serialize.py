"""Write the graph as Turtle and JSON-LD, write validation reports, read RDF.

Every file is written through :func:`atomic_output`: a half-written dump is
never left in the output folder (ARCHITECTURE.md, "Command line": "Nothing
half-written is ever left in DIR"). Output is deterministic: the same graph
gives the same bytes on every run and machine, so dumps can be compared and
cached.

Formats: Turtle 1.1 (https://www.w3.org/TR/turtle/), JSON-LD 1.1 compacted
form (https://www.w3.org/TR/json-ld11/#compacted-document-form) with the
context of ``ontology/context.jsonld`` embedded.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .oxterms import graph_triples
from .publish.formats import format_of
from .publish.jsonld import JsonLdWriter

from .errors import SourceError
from .resources import context_file
from .vocab import PREFIXES

log = logging.getLogger(__name__)

__all__ = [
    "atomic_output",
    "write_turtle",
    "write_jsonld",
    "jsonld_node_objects",
    "write_report",
    "read_rdf",
    "load_context",
]

_DEFAULT_FILE_MODE = 0o644

#: rdflib's parser of each format of the format table (JSON-LD: ``None``)
_RDFLIB_NAMES = {
    ox.RdfFormat.TURTLE: "turtle",
    ox.RdfFormat.N_TRIPLES: "nt",
    ox.RdfFormat.N_QUADS: "nquads",
    ox.RdfFormat.TRIG: "trig",
    ox.RdfFormat.N3: "n3",
    ox.RdfFormat.RDF_XML: "xml",
    None: "json-ld",
}




@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Open a binary stream whose bytes replace ``path`` only on success.

    The bytes go to a temporary file ``.NAME.PID.RANDOM.tmp`` in the folder
    of ``path`` (created if missing), which is flushed, synced and moved onto
    ``path`` with :func:`os.replace` (atomic on POSIX and Windows) when the
    ``with`` block ends normally. When the block raises, the temporary file is
    deleted, the previous ``path`` (if any) is left untouched, and the
    exception propagates. The new file gets the mode of the file it replaces,
    or 0644. A process killed before the move leaves only the temporary
    file (a release's files are written inside its incoming folder, which
    the next build removes).

    Example::

        with atomic_output(Path("dist/osce-kg.ttl")) as out:
            out.write(data)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o777 if target.exists() else _DEFAULT_FILE_MODE
    handle = tempfile.NamedTemporaryFile(
        mode="wb", dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", delete=False
    )
    tmp = Path(handle.name)
    try:
        with handle:
            yield handle  # type: ignore[misc]
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    log.debug("wrote %s", target)


def _write_bytes(data: bytes, path: Path) -> None:
    """Write ``data`` atomically; gzip it (reproducibly, mtime 0) for ``*.gz``."""
    target = Path(path)
    if target.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    with atomic_output(target) as out:
        out.write(data)


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    """The triples of ``graph`` (a dataset is flattened) as pyoxigraph
    triples, blank nodes relabelled canonically (RDFC-1.0) and sorted by
    subject, predicate and object: the same graph gives the same list."""
    triples = set(graph_triples(graph))
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in dataset}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def write_turtle(graph: Graph, path: Path) -> None:
    """Write an rdflib ``graph`` (small: a report, a description) as Turtle
    to ``path`` (gzipped when it ends in ``.gz``), atomically, with the
    prefixes of :data:`osce_kg.vocab.PREFIXES` and those bound in ``graph``.

    Deterministic: triples sorted, blank nodes relabelled canonically; a
    :class:`rdflib.Dataset` is written as the union of its graphs. The data
    dumps of a build are written from the store
    (:mod:`osce_kg.publish.dumps`) by the same pyoxigraph serializer.
    """
    prefixes = {str(prefix): str(ns) for prefix, ns in graph.namespaces() if prefix}
    prefixes.update(PREFIXES)
    data = ox.serialize(_ox_triples(graph), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    _write_bytes(data, path)


def load_context(source: Path | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The inner ``@context`` object of a JSON-LD context document.

    Args:
        source: a path to a context file (default :func:`context_file`),
            or an already loaded mapping, either the whole document
            ``{"@context": {...}}`` or the inner object itself.

    Raises:
        SourceError: when the file is missing, is not JSON, or holds no
            ``@context`` object.
    """
    if source is None or isinstance(source, (str, Path)):
        file = Path(source) if source is not None else context_file()
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SourceError(file, "JSON-LD context file not found") from exc
        except (OSError, ValueError) as exc:
            raise SourceError(file, f"not a JSON-LD context: {exc}") from exc
        origin: Path | str = file
    else:
        document = dict(source)
        origin = "<context>"
    inner = document.get("@context", document) if isinstance(document, dict) else None
    if not isinstance(inner, dict):
        raise SourceError(origin, "no @context object (remote or array contexts are not supported)")
    return dict(inner)


def write_jsonld(
    graph: Graph,
    path: Path,
    *,
    context: Path | Mapping[str, Any] | None = None,
) -> None:
    """Write an rdflib ``graph`` as compacted JSON-LD with the context of
    ``ontology/context.jsonld`` (or ``context``, see :func:`load_context`)
    embedded, compacted by the writer of the data dumps
    (:mod:`osce_kg.publish.jsonld`). A :class:`rdflib.Dataset` keeps its
    named graphs (``{"@id": graph, "@graph": [...]}``). Deterministic:
    triples sorted, blank nodes relabelled canonically.

    Raises:
        SourceError: when the context file cannot be read.
    """
    inner = load_context(context)
    writer = JsonLdWriter(inner)
    if graph.context_aware:
        nodes: list[dict[str, Any]] = []
        for part in sorted(graph.graphs(), key=lambda g: str(g.identifier)):  # type: ignore[attr-defined]
            if not len(part):
                continue
            objects = list(writer.nodes(_ox_triples(part)))
            if str(part.identifier) == str(DATASET_DEFAULT_GRAPH_ID):
                nodes.extend(objects)
            else:
                nodes.append({"@id": str(part.identifier), "@graph": objects})
    else:
        nodes = list(writer.nodes(_ox_triples(graph)))
    document = {"@context": inner, "@graph": nodes}
    _write_bytes((json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"), path)


def jsonld_node_objects(graph: Graph, context: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The node objects of ``graph`` compacted with ``context`` (the inner
    ``@context`` object), one per subject, in subject order."""
    return list(JsonLdWriter(context).nodes(_ox_triples(graph)))


def write_report(report_graph: Graph, path: Path) -> None:
    """Write a SHACL validation report graph as Turtle (see :func:`write_turtle`).

    The report's blank nodes (``sh:ValidationResult`` nodes) are relabelled
    canonically, so the same report gives the same file.
    """
    report = Graph()
    for prefix, namespace in report_graph.namespaces():
        report.bind(prefix, namespace, override=False)
    report.bind("sh", "http://www.w3.org/ns/shacl#", override=True)
    report += report_graph
    write_turtle(report, path)


def _parse_error(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    # rdflib's Turtle errors repeat the whole input after "in:"; keep the line part
    if " in: " in text:
        text = text.split(" in: ", 1)[0]
    text = text.replace("of <>:", "").replace("  ", " ")
    if text.endswith(" at ^"):
        text = text[: -len(" at ^")]
    if len(text) > 240:
        text = text[:239] + "…"
    return f"cannot parse: {text or type(exc).__name__}"


def read_rdf(paths: Sequence[Path]) -> Dataset:
    """Load RDF files into one :class:`rdflib.Dataset`.

    The format comes from the extension
    (:data:`osce_kg.publish.formats.READABLE`; ``.ttl``,
    ``.nt``, ``.nq``, ``.trig``, ``.jsonld``/``.json-ld``, ``.rdf``/``.xml``,
    each optionally followed by ``.gz``). Triples of triple formats (Turtle,
    N-Triples, RDF/XML, JSON-LD without named graphs) go into the default
    graph; quads (N-Quads, TriG, JSON-LD named graphs) keep their graph
    names. The dataset has ``default_union=True``: SPARQL queries and
    ``triples()`` see all graphs together.

    Raises:
        SourceError: naming the file when it is missing, unreadable, has an
            unknown extension, or does not parse (with the parser's message,
            which gives the line for Turtle/TriG/N-Triples).
    """
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    for raw in paths:
        path = Path(raw)
        _ext, oxfmt, gzipped = format_of(path)
        fmt = _RDFLIB_NAMES[oxfmt]
        if not path.is_file():
            raise SourceError(path, "file not found")
        try:
            if gzipped:
                with gzip.open(path, "rb") as compressed:
                    data = compressed.read()
                dataset.parse(source=io.BytesIO(data), format=fmt, publicID=path.resolve().as_uri())
            else:
                dataset.parse(source=str(path), format=fmt)
        except SourceError:
            raise
        except OSError as exc:
            raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
        except Exception as exc:  # rdflib parsers raise BadSyntax, ValueError, SAX errors, ...
            raise SourceError(path, _parse_error(exc)) from exc
        log.debug("read %s (%s)", path, fmt)
    return dataset
