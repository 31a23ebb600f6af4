"""Dump files: their formats (from the extension, on the one format table
:mod:`osce_kg.publish.formats`), which files a folder stands for, the graph
a triple dump goes into, and reading and checking a dump before anything is
loaded (ARCHITECTURE.md, "Stores").

- Quad dumps (``.nq``, ``.trig``, ``.jsonld``) keep their graph names;
  triples outside any named graph, and all triples of a triple dump
  (``.ttl``, ``.nt``, ``.rdf``), go into the graph ``--graph IRI``, by default
  the ``file:`` IRI of the dump (``.gz`` stripped), so they are replaced too
  when the same file is loaded again. Each may end in ``.gz``.
- A folder means the build's quad dump in it: ``*.nq``, else ``*.nq.gz``,
  else ``*.trig``, else ``*.trig.gz`` (the other dumps hold the same triples).
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceError, UsageError
from ..publish.formats import format_of

__all__ = [
    "FOLDER_PATTERNS",
    "GraphName",
    "GraphLoad",
    "CheckedGraph",
    "dump_format",
    "dump_files",
    "file_graph_iri",
    "read_graphs",
    "graph_label",
    "check_graph_iri",
    "check_dumps",
]

#: what a folder given to ``load`` stands for, in order of preference
FOLDER_PATTERNS: tuple[str, ...] = ("*.nq", "*.nq.gz", "*.trig", "*.trig.gz")

#: a graph of a store: a named graph or the default graph
GraphName = ox.NamedNode | ox.DefaultGraph


@dataclass(frozen=True)
class GraphLoad:
    """The load of one graph.

    Attributes:
        graph: the graph IRI; empty for the default graph.
        triples: distinct triples loaded into it.
        status: the HTTP status of the ``PUT`` (remote store), else None.
        source: the dump file it came from.
    """

    graph: str
    triples: int
    status: int | None
    source: Path

    @property
    def label(self) -> str:
        return self.graph or "(default graph)"


# ---------------------------------------------------------------------------
# reading dumps


def dump_format(path: Path) -> tuple[ox.RdfFormat, bool, bool]:
    """(format, whether it keeps named graphs, whether it is gzipped) of a
    dump file, from its extension (``.nq``, ``.trig.gz``...; the table of
    :data:`osce_kg.publish.formats.READABLE`, JSON-LD read by pyoxigraph).

    Raises:
        SourceError: an extension no RDF format has.
    """
    _ext, fmt, gzipped = format_of(path)
    fmt = fmt or ox.RdfFormat.JSON_LD
    return fmt, fmt.supports_datasets, gzipped


def dump_files(sources: Sequence[Path]) -> list[Path]:
    """The dump files that ``sources`` stand for: files as given, a folder as
    its quad dump(s) (:data:`FOLDER_PATTERNS`, first pattern that matches).

    Raises:
        SourceError: for a missing path, or a folder without a quad dump.
    """
    files: list[Path] = []
    for raw in sources:
        path = Path(raw)
        if path.is_dir():
            for pattern in FOLDER_PATTERNS:
                found = sorted(path.glob(pattern))
                if found:
                    files.extend(found)
                    break
            else:
                raise SourceError(path, f"no quad dump in this folder (looked for {', '.join(FOLDER_PATTERNS)})")
        elif path.is_file():
            dump_format(path)
            files.append(path)
        else:
            raise SourceError(path, "file not found")
    return files


def file_graph_iri(path: Path) -> str:
    """The graph a triple dump is loaded into by default: the ``file:`` IRI
    of the file, without ``.gz``."""
    resolved = Path(path).resolve()
    if resolved.name.lower().endswith(".gz"):
        resolved = resolved.with_name(resolved.name[:-3])
    return resolved.as_uri()


def read_graphs(path: Path, graph: str | None = None) -> dict[GraphName, list[ox.Triple]]:
    """The triples of the dump ``path`` by graph, in file order, without
    duplicates. Triples outside a named graph go to ``graph`` (default:
    :func:`file_graph_iri`).

    Raises:
        SourceError: when the file cannot be read or parsed (with the parser's
            message, which gives the line).
    """
    fmt, keeps_graphs, gzipped = dump_format(path)
    target: GraphName = ox.NamedNode(graph or file_graph_iri(path))
    try:
        data = gzip.decompress(path.read_bytes()) if gzipped else path.read_bytes()
        graphs: dict[GraphName, dict[ox.Triple, None]] = {}
        for item in ox.parse(data, format=fmt, base_iri=Path(path).resolve().as_uri()):
            if keeps_graphs and not isinstance(item.graph_name, ox.DefaultGraph):
                name: GraphName = item.graph_name
            else:
                name = target
            graphs.setdefault(name, {})[ox.Triple(item.subject, item.predicate, item.object)] = None
    except FileNotFoundError as exc:
        raise SourceError(path, "file not found") from exc
    except (OSError, EOFError) as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc
    except (SyntaxError, ValueError) as exc:
        raise SourceError(path, f"cannot parse: {' '.join(str(exc).split())}") from exc
    if any(isinstance(name, ox.BlankNode) for name in graphs):
        raise SourceError(path, "a graph is named by a blank node; only IRIs can be loaded by graph")
    return {name: list(triples) for name, triples in graphs.items()}


def graph_label(name: GraphName) -> str:
    return "" if isinstance(name, ox.DefaultGraph) else name.value



def check_graph_iri(graph: str | None) -> None:
    """Check the ``--graph`` IRI of a load.

    Raises:
        UsageError: when ``graph`` is not an absolute IRI (a scheme, then no
            space, control character or ``<>"{}|\\^```).
    """
    try:
        if graph is not None:
            ox.NamedNode(graph)
    except ValueError:
        raise UsageError(f"--graph must be an absolute IRI (e.g. https://example.org/graph/a), got {graph!r}") from None


@dataclass
class CheckedGraph:
    """A graph of a dump, read and checked, waiting to be loaded."""

    name: ox.NamedNode
    triples: int
    ntriples: bytes
    source: Path


def check_dumps(files: Sequence[Path], graph: str | None) -> list[CheckedGraph]:
    """Read and check every dump before anything is loaded; the graphs in
    load order, a graph given by several files taking the last file's
    triples (as loading them one after the other would).

    Raises:
        SourceError: for the first dump that cannot be read or parsed.
    """
    checked: dict[str, CheckedGraph] = {}
    for path in files:
        for name, triples in read_graphs(path, graph).items():
            assert isinstance(name, ox.NamedNode)  # read_graphs names every graph
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            checked.pop(name.value, None)
            checked[name.value] = CheckedGraph(name, len(triples), body, path)
    return list(checked.values())
