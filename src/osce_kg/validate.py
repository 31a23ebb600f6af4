"""Validate an osce-kg graph against the SHACL shapes in ``shapes/``.

Validation runs pySHACL with the ontology (``ontology/osce.ttl``) mixed in as
``ont_graph`` so that ``sh:targetClass`` and ``sh:class`` see the ontology's
``rdfs:subClassOf`` triples, with ``inference="none"`` (nothing is entailed
into the data), SHACL Advanced Features enabled, and results of severity
``sh:Warning`` or ``sh:Info`` listed but not counted against conformance.

Source: ARCHITECTURE.md, "Pipeline" (validate stage) and "Ontology contract"; SHACL
validation report vocabulary: https://www.w3.org/TR/shacl/#validation-report.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import SourceError
from .resources import ontology_file, shapes_dir
from .vocab import DEFAULT_BASE_IRI, PREFIXES

log = logging.getLogger(__name__)

__all__ = [
    "Violation",
    "ValidationReport",
    "load_shapes",
    "load_ontology",
    "validate_graph",
    "union_graph",
]

#: Severities in the order the summary lists them.
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

#: Prefixes used to shorten IRIs in human-readable output (not in data).
_DISPLAY_PREFIXES: dict[str, str] = {**PREFIXES, "sh": str(SH), "id": DEFAULT_BASE_IRI}


def compact_iri(iri: str) -> str:
    """Shorten ``iri`` to ``prefix:local`` for display, else return ``<iri>``.

    Uses the prefixes of :data:`osce_kg.vocab.PREFIXES` plus ``sh:`` and
    ``id:`` (the default data base IRI). The longest matching namespace wins;
    a local part holding whitespace or ``<>"`` is not compacted. The result is
    meant for people (summaries, tables), not for Turtle: ``id:person/x`` is
    not a valid Turtle prefixed name.
    """
    best: tuple[str, str] | None = None
    for prefix, namespace in _DISPLAY_PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is not None:
        local = iri[len(best[1]) :]
        if not any(ch.isspace() or ch in '<>"' for ch in local):
            return f"{best[0]}:{local}"
    return f"<{iri}>"


@dataclass(frozen=True)
class Violation:
    """One result of a SHACL validation report (any severity).

    Attributes:
        focus_node: the node that failed: a full IRI, ``_:label`` for a
            blank node, or the N3 form of a literal (``"text"@en``).
        path: the ``sh:resultPath``: a full IRI for a simple path, a SPARQL
            property path (``^<iri>``, ``<a>/<b>``, ...) for a complex one;
            ``None`` for node-level results.
        message: the ``sh:resultMessage`` (several joined with ``"; "``);
            falls back to the constraint component's local name.
        severity: ``"Violation"``, ``"Warning"`` or ``"Info"``.
        source_shape: IRI of the shape (``_:label`` for a blank-node shape).
        value: the ``sh:value`` at fault, written like ``focus_node`` (a
            literal in N3: ``"Sweden"``, ``"2021"^^<...#gYear>``), ``None``
            when the result has none.
    """

    focus_node: str
    path: str | None
    message: str
    severity: str
    source_shape: str
    value: str | None

    def line(self) -> str:
        """``"Violation: id:person/x schema:name: message"``, IRIs compacted."""
        focus = _display(self.focus_node)
        where = f"{focus} {_display_path(self.path)}" if self.path else focus
        text = f"{self.severity}: {where}: {self.message}"
        if self.value is not None and self.value != self.focus_node:
            text += f" (value: {_display(self.value)})"
        return text


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of :func:`validate_graph`.

    Attributes:
        conforms: ``True`` when no result has severity ``sh:Violation``.
        violations: every result, warnings and infos included, ordered by
            severity, focus node, path and message (stable across runs).
        report_graph: the SHACL validation report as an RDF graph, as pySHACL
            produced it (write it with :func:`osce_kg.serialize.write_report`).
    """

    conforms: bool
    violations: tuple[Violation, ...]
    report_graph: Graph

    def counts(self) -> dict[str, int]:
        """Number of results per severity, e.g. ``{"Violation": 3, "Warning": 1}``."""
        counted = Counter(v.severity for v in self.violations)
        return {sev: counted[sev] for sev in sorted(counted, key=_severity_rank)}

    def summary(self, limit: int = 20) -> str:
        """Readable text of the report, one line per distinct result.

        The first line says whether the graph conforms and counts results per
        severity. Then come up to ``limit`` lines ``"Violation: <focus>
        <path>: <message>"`` (IRIs shortened to prefixed names), most severe
        first; identical lines are shown once with ``"(xN)"``. When more
        distinct lines exist, a last line says ``"... and N more"``.
        """
        counts = self.counts()
        if counts:
            parts = ", ".join(f"{n} {_plural(sev.lower(), n)}" for sev, n in counts.items())
        else:
            parts = "no results"
        verdict = "conforms" if self.conforms else "does not conform"
        lines = [f"SHACL validation: the graph {verdict} ({parts})."]
        distinct = Counter(v.line() for v in self.violations)
        ordered = list(dict.fromkeys(v.line() for v in self.violations))
        for text in ordered[: max(limit, 0)]:
            n = distinct[text]
            lines.append(f"{text} (x{n})" if n > 1 else text)
        rest = len(ordered) - max(limit, 0)
        if rest > 0:
            lines.append(f"... and {rest} more")
        return "\n".join(lines)


def load_shapes(directory: Path | None = None) -> Graph:
    """Read every ``*.ttl`` file of ``directory`` (default :func:`shapes_dir`).

    Files are read in sorted order into one graph.

    Raises:
        SourceError: when the folder is missing, holds no ``*.ttl`` file, or a
            file does not parse (the parser's message names the line).
    """
    folder = Path(directory) if directory is not None else shapes_dir()
    if not folder.is_dir():
        raise SourceError(folder, "shapes folder not found")
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise SourceError(folder, "no SHACL shapes files (*.ttl) in folder")
    shapes = Graph()
    for file in files:
        _parse_turtle_into(shapes, file)
    log.debug("loaded %d shapes triples from %d files in %s", len(shapes), len(files), folder)
    return shapes


def load_ontology(path: Path | None = None) -> Graph:
    """Read the ontology (default :func:`ontology_file`, Turtle).

    Raises:
        SourceError: when the file is missing or does not parse.
    """
    file = Path(path) if path is not None else ontology_file()
    ontology = Graph()
    _parse_turtle_into(ontology, file)
    return ontology


def union_graph(data: Graph) -> Graph:
    """The triples of every graph of ``data`` as one plain :class:`Graph`.

    A :class:`rdflib.Dataset` (or any context-aware graph) is flattened: the
    default graph and all named graphs are merged, graph names dropped. A
    plain graph is returned as it is. Namespace bindings are kept.
    """
    if not data.context_aware:
        return data
    merged = Graph()
    for prefix, namespace in data.namespaces():
        merged.bind(prefix, namespace, override=False)
    for s, p, o, _ in data.quads((None, None, None, None)):  # type: ignore[attr-defined]
        merged.add((s, p, o))
    return merged


class _MemberSet(list):  # type: ignore[type-arg]
    """A list with set-speed ``in`` (see :func:`_speed_up_pyshacl`)."""

    def __init__(self, items: list) -> None:  # type: ignore[type-arg]
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _speed_up_pyshacl() -> None:
    """pyshacl tests each predicate of a shape against its list of ~40
    constraint parameters with ``in`` on a list, once per shape evaluation
    (sh:or alternatives are evaluated per value node): a fifth of the
    validation time of a page. It caches that list as
    ``pyshacl.shape.CONSTRAINT_PARAMS``; seeding the cache with the same
    items in a list with set-speed membership gives the same results faster.
    Nothing is done when pyshacl's internals differ from this expectation."""
    try:
        import pyshacl.shape as shape_module
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:  # pragma: no cover - another pyshacl layout
        return
    if getattr(shape_module, "CONSTRAINT_PARAMS", None) is None:
        shape_module.CONSTRAINT_PARAMS = (_MemberSet(list(ALL_CONSTRAINT_PARAMETERS)), CONSTRAINT_PARAMETERS_MAP)


_speed_up_pyshacl()


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    focus_nodes: list[URIRef] | None = None,
) -> ValidationReport:
    """Validate ``data`` against the SHACL ``shapes``.

    Args:
        data: the graph to check. A :class:`rdflib.Dataset` is validated as
            the union of its default graph and all its named graphs (one
            graph per source page plus the reference graph): constraints such
            as "the speaker is a ``schema:Person``" cross graph boundaries.
            ``data`` is not modified.
        shapes: the shapes graph; default :func:`load_shapes`.
        ontology: mixed into (a copy of) the data graph so class hierarchies
            are visible; default :func:`load_ontology`. The shapes name every
            class they accept (``sh:or``), so an empty graph may be passed to
            save time.
        focus_nodes: validate only these nodes (pyshacl ``focus_nodes``), e.g.
            the subjects of one page's graph when the data graph also holds
            the reference nodes it links to; default: every target.

    Returns:
        The report; ``conforms`` is ``False`` only for ``sh:Violation``
        results, warnings and infos are listed in ``violations`` all the same.

    Raises:
        SourceError: when the default shapes or ontology cannot be read.
    """
    shapes_graph = shapes if shapes is not None else load_shapes()
    ontology_graph = ontology if ontology is not None else load_ontology()
    data_graph = union_graph(data)
    log.info("validating %d triples against %d shapes triples", len(data_graph), len(shapes_graph))
    conforms, report_graph, _text = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph,
        ont_graph=ontology_graph,
        inference="none",
        advanced=False,  # the shapes use SHACL Core only; SHACL-AF costs ~25% more time
        allow_warnings=True,
        allow_infos=True,
        inplace=False,
        focus_nodes=focus_nodes,
    )
    assert isinstance(report_graph, Graph)
    for prefix, namespace in _DISPLAY_PREFIXES.items():
        if prefix != "id":
            report_graph.bind(prefix, namespace, override=False)
    violations = _violations(report_graph)
    log.info("validation: conforms=%s, %d results", conforms, len(violations))
    return ValidationReport(conforms=bool(conforms), violations=violations, report_graph=report_graph)


def validate_batch(data: bytes, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate N-Triples (or N-Quads: graph names ignored) ``data`` against
    the ``shapes`` (default :func:`load_shapes`), with no ontology mixed in
    (the shapes name every class they accept)."""
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return validate_graph(graph, shapes=shapes, ontology=Graph())


def focus_counts(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> dict[str, int]:
    """How many nodes of ``data`` each node shape targets, by the shape's
    prefixed name, or its local name (``NewsItemShape``), sorted by IRI:
    distinct instances of its ``sh:targetClass`` (or of a subclass of it in
    ``ontology``, default :func:`load_ontology`), plus its ``sh:targetNode``
    values that occur in ``data``. A :class:`rdflib.Dataset` counts as the
    union of its graphs."""
    from rdflib.namespace import RDFS, SH

    shapes_graph = shapes if shapes is not None else load_shapes()
    ontology_graph = ontology if ontology is not None else load_ontology()
    union = union_graph(data)
    counts: dict[str, int] = {}
    for shape in sorted(set(shapes_graph.subjects(SH.targetClass)) | set(shapes_graph.subjects(SH.targetNode)), key=str):
        classes = set(shapes_graph.objects(shape, SH.targetClass))
        frontier = list(classes)
        while frontier:  # subclasses, transitively
            for sub in ontology_graph.subjects(RDFS.subClassOf, frontier.pop()):
                if sub not in classes:
                    classes.add(sub)
                    frontier.append(sub)
        nodes = {s for c in classes for s in union.subjects(RDF.type, c)}
        nodes |= {n for n in shapes_graph.objects(shape, SH.targetNode) if (n, None, None) in union or (None, None, n) in union}
        name = compact_iri(str(shape))
        counts[name.strip("<>").rsplit("#", 1)[-1] if name.startswith("<") else name] = len(nodes)
    return counts


# ---------------------------------------------------------------------------
# helpers


def _parse_turtle_into(graph: Graph, file: Path) -> None:
    if not file.is_file():
        raise SourceError(file, "file not found")
    try:
        graph.parse(file, format="turtle")
    except Exception as exc:  # rdflib raises many kinds (BadSyntax, ValueError, ...)
        raise SourceError(file, _short(str(exc))) from exc


def _short(message: str, limit: int = 300) -> str:
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word if word == "info" else word + "s"


def _severity_rank(severity: str) -> int:
    return _SEVERITY_ORDER.get(severity, len(_SEVERITY_ORDER))


def _term_text(term: Node) -> str:
    """IRI as is, blank node as ``_:label``, literal in N3 (``"x"@en``)."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


def _display(text: str) -> str:
    if text.startswith(("_:", '"')):
        return text
    return compact_iri(text)


def _display_path(path: str) -> str:
    if path.startswith(("<", "^", "(")):
        # a complex path in SPARQL syntax: compact every <iri> in it
        out: list[str] = []
        i = 0
        while i < len(path):
            if path[i] == "<":
                end = path.index(">", i)
                out.append(compact_iri(path[i + 1 : end]))
                i = end + 1
            else:
                out.append(path[i])
                i += 1
        return "".join(out)
    return compact_iri(path)


def _path_text(graph: Graph, path: Node) -> str:
    """Render a SHACL path node: an IRI as is, a complex path as SPARQL."""
    if isinstance(path, URIRef):
        return str(path)
    return _sparql_path(graph, path)


def _sparql_path(graph: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in graph:
        return "(" + " / ".join(_sparql_path(graph, p) for p in Collection(graph, path)) + ")"
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _sparql_path(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(_sparql_path(graph, p) for p in Collection(graph, alternatives)) + ")"
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return _sparql_path(graph, inner) + suffix
    return _term_text(path)


def _violations(report: Graph) -> tuple[Violation, ...]:
    found: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        value = report.value(result, SH.value)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        if not messages:
            component = report.value(result, SH.sourceConstraintComponent)
            messages = [str(component).rsplit("#", 1)[-1] if component is not None else "constraint violated"]
        sev_text = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        found.append(
            Violation(
                focus_node=_term_text(focus) if focus is not None else "",
                path=_path_text(report, path) if path is not None else None,
                message="; ".join(messages),
                severity=sev_text,
                source_shape=_term_text(shape) if shape is not None else "",
                value=_term_text(value) if value is not None else None,
            )
        )
    found.sort(key=lambda v: (_severity_rank(v.severity), v.focus_node, v.path or "", v.message, v.value or ""))
    return tuple(found)
