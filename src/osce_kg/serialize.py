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
import contextvars
import gzip
import io
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.shared.jsonld.context import Context as JsonLdContext

from .errors import SourceError
from .resources import context_file
from .vocab import PREFIXES

log = logging.getLogger(__name__)

__all__ = [
    "safe_context",
    "RDF_FORMATS",
    "atomic_output",
    "write_turtle",
    "write_jsonld",
    "write_report",
    "read_rdf",
    "rdf_format",
    "load_context",
]

#: file extension -> rdflib parser name. A further ``.gz`` is allowed.
RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".n3": "n3",
}

_DEFAULT_FILE_MODE = 0o644


_STAGE: contextvars.ContextVar[dict[Path, tuple[Path, int]] | None] = contextvars.ContextVar("osce_kg_stage", default=None)
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Open a binary stream whose bytes replace ``path`` only on success.

    The bytes go to a temporary file ``.NAME.PID.RANDOM.tmp`` in the folder
    of ``path`` (created if missing), which is flushed, synced and moved onto
    ``path`` with :func:`os.replace` (atomic on POSIX and Windows) when the
    ``with`` block ends normally. When the block raises, the temporary file is
    deleted, the previous ``path`` (if any) is left untouched, and the
    exception propagates. The new file gets the mode of the file it replaces,
    or 0644. Inside :func:`staged_outputs`, the move is deferred to the end of
    the stage. A process killed before the move leaves only the temporary
    file, which :func:`remove_stale_temporaries` deletes later.

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
    stage = _STAGE.get()
    try:
        with handle:
            yield handle  # type: ignore[misc]
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if stage is not None:
            previous = stage.pop(target, None)
            if previous is not None:
                with contextlib.suppress(OSError):
                    previous[0].unlink()
            stage[target] = (tmp, mode)
        else:
            os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    log.debug("wrote %s", target)


@contextlib.contextmanager
def staged_outputs() -> Iterator[dict[Path, tuple[Path, int]]]:
    """Defer the moves of every :func:`atomic_output` inside the block to its
    end, where all files are moved in one quick loop: a build killed while
    writing leaves the previous set of dumps (each file whole, and all of one
    build), not a mix of two builds. On an exception every staged file is
    deleted and nothing is replaced. Use :func:`staged_path` to read a file
    written earlier in the stage."""
    stage: dict[Path, tuple[Path, int]] = {}
    token = _STAGE.set(stage)
    try:
        yield stage
    except BaseException:
        for tmp, _mode in stage.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    else:
        for target, (tmp, _mode) in stage.items():
            os.replace(tmp, target)
    finally:
        _STAGE.reset(token)


def staged_path(path: Path) -> Path:
    """Where the bytes of ``path`` are now: its staged temporary file inside
    :func:`staged_outputs`, else ``path`` itself."""
    stage = _STAGE.get()
    if stage and Path(path) in stage:
        return stage[Path(path)][0]
    return Path(path)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files of :func:`atomic_output` in ``folder`` that a
    process which no longer runs left behind (killed before its move);
    returns them."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(".*.tmp"):
        m = _TEMP_NAME.match(path.name)
        if not m:
            continue
        pid = int(m.group("pid"))
        if pid != os.getpid() and _alive(pid):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_bytes(data: bytes, path: Path) -> None:
    """Write ``data`` atomically; gzip it (reproducibly, mtime 0) for ``*.gz``."""
    target = Path(path)
    if target.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    with atomic_output(target) as out:
        out.write(data)


def _triples_graph(graph: Graph) -> Graph:
    """A plain graph with all triples of ``graph`` (datasets are flattened)."""
    if not graph.context_aware:
        return graph
    merged = Graph()
    for s, p, o, _ in graph.quads((None, None, None, None)):  # type: ignore[attr-defined]
        merged.add((s, p, o))
    return merged


def _has_bnodes(graph: Graph) -> bool:
    return any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in graph)


def _bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def write_turtle(graph: Graph, path: Path) -> None:
    """Write ``graph`` as Turtle to ``path`` (gzipped when it ends in ``.gz``).

    Prefixes of :data:`osce_kg.vocab.PREFIXES` are declared and used; the
    rdflib Turtle serializer sorts subjects, predicates and objects, so the
    text depends only on the triples. Blank nodes, if any, are relabelled
    canonically first (RDFC-like hashing of :mod:`rdflib.compare`), so their
    labels are stable too. A :class:`rdflib.Dataset` is written as the union
    of its graphs (Turtle has no named graphs).
    """
    source = _triples_graph(graph)
    out = Graph()
    for prefix, namespace in source.namespaces():
        out.bind(prefix, namespace, override=False)
    _bind_prefixes(out)
    out += to_canonical_graph(source) if _has_bnodes(source) else source
    data = out.serialize(format="turtle", encoding="utf-8")
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


def _list_terms(context: Mapping[str, Any]) -> set[str]:
    """Terms of ``context`` whose values are ordered (``@container: @list``)."""
    terms = set()
    for term, definition in context.items():
        if isinstance(definition, dict):
            container = definition.get("@container")
            containers = container if isinstance(container, list) else [container]
            if "@list" in containers:
                terms.add(term)
    return terms


def _id_keys(context: Mapping[str, Any]) -> set[str]:
    return {"@id"} | {term for term, definition in context.items() if definition == "@id"}


def _canonical(obj: Any, ordered_keys: set[str], id_keys: set[str]) -> Any:
    """Sort every unordered JSON array of a JSON-LD document, recursively.

    Arrays under ``@list`` or a ``@list``-container term keep their order;
    the ``@context`` is left as it is. Node objects sort by their ``@id``,
    then by their canonical JSON text.
    """
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for key, value in obj.items():
            if key == "@context":
                out[key] = value
            elif isinstance(value, list):
                items = [_canonical(item, ordered_keys, id_keys) for item in value]
                if key != "@list" and key not in ordered_keys:
                    items.sort(key=lambda item: _sort_key(item, id_keys))
                out[key] = items
            else:
                out[key] = _canonical(value, ordered_keys, id_keys)
        return out
    if isinstance(obj, list):
        items = [_canonical(item, ordered_keys, id_keys) for item in obj]
        items.sort(key=lambda item: _sort_key(item, id_keys))
        return items
    return obj


def _sort_key(item: Any, id_keys: set[str]) -> tuple[str, str]:
    node_id = ""
    if isinstance(item, dict):
        for key in id_keys:
            if isinstance(item.get(key), str):
                node_id = item[key]
                break
    return (node_id, json.dumps(item, sort_keys=True, ensure_ascii=False))


def _expand_term(value: str, context: Mapping[str, Any]) -> str:
    prefix, sep, rest = value.partition(":")
    namespace = context.get(prefix) if sep else None
    return namespace + rest if isinstance(namespace, str) else value


def safe_context(graph: Graph, context: Mapping[str, Any]) -> dict[str, Any]:
    """``context`` without the ``"@language": null`` terms whose property has
    a language-tagged value in ``graph``: rdflib's compaction would write
    such a value as a bare string under the term, which reads back without
    its language. Those values then go under the prefixed property name
    (valid data never has them: the shapes want xsd:string there)."""
    plain = {
        str(_expand_term(definition["@id"], context)): term
        for term, definition in context.items()
        if isinstance(definition, dict) and "@language" in definition and definition["@language"] is None
    }
    if not plain:
        return dict(context)
    def tagged(iri: str) -> bool:
        pattern = (None, URIRef(iri), None)
        objects = (q[2] for q in graph.quads(pattern)) if isinstance(graph, Dataset) else graph.objects(None, URIRef(iri))
        return any(isinstance(o, Literal) and o.language for o in objects)

    dropped = {term for iri, term in plain.items() if tagged(iri)}
    return {term: definition for term, definition in context.items() if term not in dropped}


def write_jsonld(
    graph: Graph,
    path: Path,
    *,
    context: Path | Mapping[str, Any] | None = None,
) -> None:
    """Write ``graph`` as compacted JSON-LD with an embedded context.

    The context is the ``@context`` object of ``ontology/context.jsonld``
    (or ``context``, see :func:`load_context`), embedded in the file as an
    object, so reading the file needs no network. A :class:`rdflib.Dataset`
    keeps its named graphs (``{"@id": graph, "@graph": [...]}``).

    Deterministic: keys are sorted, node objects are ordered by ``@id``,
    multi-valued properties by value; blank nodes, if any, are relabelled
    canonically (plain graphs only). Two writes of the same graph give the
    same bytes.

    Raises:
        SourceError: when the context file cannot be read.
    """
    inner = safe_context(graph, load_context(context))
    if graph.context_aware:
        source: Graph = graph
    else:
        source = to_canonical_graph(graph) if _has_bnodes(graph) else graph
    text = source.serialize(format="json-ld", context=inner, auto_compact=True, sort_keys=True, indent=2)
    document = json.loads(text)
    if not isinstance(document, dict):  # rdflib returns a bare array for an empty graph
        document = {"@context": inner, "@graph": document}
    document["@context"] = inner
    document = _canonical(document, _list_terms(inner), _id_keys(inner))
    data = (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    _write_bytes(data, path)


def jsonld_nodes(graph: Graph, context: Mapping[str, Any]) -> list[str]:
    """The node objects of ``graph`` compacted with ``context`` (the inner
    ``@context`` object), each as indented JSON text, sorted by ``@id``, in
    the form :func:`write_jsonld` writes them. Used to write the JSON-LD dump
    of a large build page by page: an ``@graph`` array may hold several node
    objects with the same ``@id``; JSON-LD merges them.

    Calls rdflib's JSON-LD converter directly with a parsed context kept
    between calls (parsing the context was a fifth of the time per page),
    with the same options as ``graph.serialize(format="json-ld",
    auto_compact=True)``.
    """
    if not len(graph):
        return []
    source = to_canonical_graph(graph) if _has_bnodes(graph) else graph
    context = safe_context(source, context)
    # rdflib's serializer passes use_native_types as a one-element tuple
    # (truthy); do the same so both paths give the same document
    document = from_rdf(source, _parsed_context(context), None, True, False, auto_compact=True)
    if isinstance(document, list):
        nodes = document
    elif "@graph" in document:
        nodes = document["@graph"]
    else:
        nodes = [{k: v for k, v in document.items() if k != "@context"}]
    nodes = _canonical(json.loads(json.dumps(nodes)), _list_terms(context), _id_keys(context))
    return [json.dumps(node, indent=2, sort_keys=True, ensure_ascii=False) for node in nodes]


_CONTEXTS: dict[str, JsonLdContext] = {}


def _parsed_context(context: Mapping[str, Any]) -> JsonLdContext:
    key = json.dumps(context, sort_keys=True)
    parsed = _CONTEXTS.get(key)
    if parsed is None:
        parsed = _CONTEXTS[key] = JsonLdContext(dict(context))
    return parsed


def write_jsonld_nodes(chunks: Iterable[Iterable[str]], context: Mapping[str, Any], path: Path) -> None:
    """Write a JSON-LD document ``{"@context": context, "@graph": [...]}``
    from node texts made by :func:`jsonld_nodes`, streaming, atomically."""
    with atomic_output(path) as fh:
        head = json.dumps({"@context": context}, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write(head[: head.rindex("}")].rstrip().encode("utf-8") + b',\n  "@graph": [')
        first = True
        for chunk in chunks:
            for node in chunk:
                fh.write(b"\n" if first else b",\n")
                first = False
                fh.write(("    " + node.replace("\n", "\n    ")).encode("utf-8"))
        fh.write(b"\n  ]\n}\n")


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


def rdf_format(path: Path) -> tuple[str, bool]:
    """``(rdflib format name, gzipped?)`` of ``path``, from its extension.

    Raises:
        SourceError: for an extension not in :data:`RDF_FORMATS`.
    """
    name = Path(path).name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    suffix = Path(name).suffix
    fmt = RDF_FORMATS.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(RDF_FORMATS))
        raise SourceError(path, f"unknown RDF file extension {suffix or '(none)'!r} (known: {known}, also .gz)")
    return fmt, gzipped


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

    The format comes from the extension (:data:`RDF_FORMATS`; ``.ttl``,
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
        fmt, gzipped = rdf_format(path)
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
