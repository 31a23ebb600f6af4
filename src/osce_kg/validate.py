"""Validate an osce-kg graph against the SHACL shapes in ``shapes/``.

Two SHACL engines run the same shapes: pySHACL, the reference, and
pyshacl-turbo (a SHACL Core engine in Rust with pySHACL's interface), which
validates a batch of pages several times faster and reports the same
results (``tests/test_validation_engines.py``; figures in
``benchmarks/RESULTS.md``, "Validation engines"). :func:`validate_graph`
takes an rdflib graph and uses pySHACL unless told otherwise;
:func:`validate_batch` takes N-Triples or N-Quads text, as the build hands
over a batch of pages, and uses the fastest engine shown equal
(``engine="auto"``).

The ontology (``ontology/osce.ttl``) may be mixed into the data so that
``sh:targetClass`` and ``sh:class`` see its ``rdfs:subClassOf`` triples;
nothing is entailed (``inference="none"``), SHACL Advanced Features are off
(the shapes are SHACL Core), and results of severity ``sh:Warning`` or
``sh:Info`` are listed but not counted against conformance.

Source: ARCHITECTURE.md, "Pipeline" (validate stage) and "Ontology contract"; SHACL
validation report vocabulary: https://www.w3.org/TR/shacl/#validation-report.
"""

from __future__ import annotations

import functools
import logging
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import SourceError, UsageError
from .resources import ontology_file, shapes_dir
from .vocab import DEFAULT_BASE_IRI, PREFIXES

log = logging.getLogger(__name__)

__all__ = [
    "ENGINES",
    "Violation",
    "ValidationReport",
    "available_engines",
    "load_shapes",
    "load_ontology",
    "resolve_engine",
    "validate_batch",
    "validate_graph",
    "union_graph",
]

#: The SHACL engines, the reference first.
ENGINES = ("pyshacl", "pyshacl-turbo")

#: pyshacl-turbo releases ``engine="auto"`` uses: the series whose results
#: tests/test_validation_engines.py compares with pySHACL's (another series
#: must be tried with ``engine="pyshacl-turbo"`` and those tests first).
TURBO_SERIES = ("0.6.",)

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
        report_graph: the SHACL validation report as an RDF graph, as the
            engine produced it (write it with :func:`osce_kg.serialize.write_report`).
        engine: the engine that made the report, one of :data:`ENGINES`.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    report_graph: Graph
    engine: str = "pyshacl"

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


def available_engines() -> tuple[str, ...]:
    """The engines of :data:`ENGINES` that can run here (pyshacl always)."""
    return tuple(name for name in ENGINES if name == "pyshacl" or _turbo_module() is not None)


def resolve_engine(engine: str = "auto") -> str:
    """The engine ``engine`` names: ``"pyshacl"``, ``"pyshacl-turbo"``, or
    for ``"auto"`` pyshacl-turbo when a release of the series the tests
    compare with pyshacl (:data:`TURBO_SERIES`) is installed, else pyshacl.

    Raises:
        UsageError: for an unknown name, or ``"pyshacl-turbo"`` when it is
            not installed.
    """
    if engine == "auto":
        module = _turbo_module()
        if module is not None and str(getattr(module, "__version__", "")).startswith(TURBO_SERIES):
            return "pyshacl-turbo"
        return "pyshacl"
    if engine not in ENGINES:
        raise UsageError(f"unknown SHACL engine {engine!r}; choose one of: auto, {', '.join(ENGINES)}")
    if engine == "pyshacl-turbo" and _turbo_module() is None:
        raise UsageError("SHACL engine 'pyshacl-turbo' is not installed (pip install pyshacl-turbo)")
    return engine


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    focus_nodes: list[URIRef] | None = None,
    engine: str = "pyshacl",
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
        engine: ``"pyshacl"`` (the reference, the default),
            ``"pyshacl-turbo"`` or ``"auto"`` (see :func:`resolve_engine`
            and :func:`validate_batch` for what ``"auto"`` guarantees).

    Returns:
        The report; ``conforms`` is ``False`` only for ``sh:Violation``
        results, warnings and infos are listed in ``violations`` all the same.

    Raises:
        SourceError: when the default shapes or ontology cannot be read.
        UsageError: for an unknown or missing ``engine``.
    """
    name = resolve_engine(engine)
    shapes_graph = shapes if shapes is not None else load_shapes()
    ontology_graph = ontology if ontology is not None else load_ontology()
    data_graph = union_graph(data)
    log.info("validating %d triples against %d shapes triples (%s)", len(data_graph), len(shapes_graph), name)

    def reference() -> ValidationReport:
        return _run_pyshacl(data_graph, shapes_graph, ontology_graph, focus_nodes, copy=True)

    if name == "pyshacl":
        return reference()
    mixed = data_graph
    if len(ontology_graph):
        # what pyshacl does with ont_graph: the ontology mixed into a copy
        mixed = Graph()
        mixed += data_graph
        mixed += ontology_graph
    report = _run_turbo(mixed, shapes_graph, focus_nodes)
    if engine == "auto" and _needs_reference(report):
        return _reference_instead(report, reference)
    return report


def validate_batch(
    data: bytes,
    *,
    shapes: Graph | None = None,
    focus_nodes: Iterable[str] | None = None,
    engine: str = "auto",
) -> ValidationReport:
    """Validate N-Triples or N-Quads ``data`` (the union of its graphs:
    graph names are ignored) against the SHACL ``shapes``, with no ontology
    mixed in (the shapes name every class they accept), as the build does for
    a batch of pages and the reference graph.

    ``data`` is read as it is written: the literals' lexical forms are those
    of the text (rdflib's parser would rewrite some, e.g. drop the time zone
    of an ``xsd:date``), language tags are compared in lower case.

    With ``engine="auto"`` and pyshacl-turbo installed, the batch is
    validated by pyshacl-turbo (single-threaded, no Python per triple); the
    results are the same :class:`Violation` values pyshacl reports on
    everything the tests compare (``tests/test_validation_engines.py``). The
    engines were seen to part only on ill-typed or mistyped literals, where
    pyshacl departs from SHACL and XSD: ``sh:lessThanOrEquals`` between an
    impossible ``xsd:date`` ("2021-02-30") and a date, or an ``xsd:date``
    and an ``xsd:dateTime``, holds for pyshacl when the first is not greater
    as text (rdflib raises ``TypeError`` otherwise, and so does pyshacl),
    where SHACL wants a result ("cannot be compared"); and pyshacl accepts
    ``" 7"^^xsd:integer``, outside the XSD lexical space. Every such literal
    breaks a ``sh:datatype`` constraint of these shapes, so ``"auto"`` checks
    the fast engine's report: when it holds a ``sh:datatype`` result the
    batch is validated again with pyshacl and pyshacl's report is returned
    (if pyshacl raises on that data, the fast engine's report is returned
    and the failure logged). ``engine="pyshacl-turbo"`` returns the fast
    engine's report as it is.

    Args:
        data: UTF-8 N-Triples or N-Quads (N-Triples is a subset of N-Quads).
        shapes: the shapes graph; default: :func:`load_shapes`, read once per
            process. Compiled once per graph for pyshacl-turbo (a graph must
            not be changed after its first use here).
        focus_nodes: IRIs of the only nodes to validate (each must be a
            target of some shape to be checked); default: every target.
        engine: ``"auto"`` (default), ``"pyshacl"`` or ``"pyshacl-turbo"``.

    Returns:
        The report (``report.engine`` names the engine that made it).

    Raises:
        ValueError: when ``data`` is not N-Triples/N-Quads in UTF-8.
        SourceError: when the default shapes cannot be read.
        UsageError: for an unknown or missing ``engine``.
    """
    name = resolve_engine(engine)
    shapes_graph = shapes if shapes is not None else _default_shapes()
    focus = [URIRef(str(node)) for node in focus_nodes] if focus_nodes is not None else None

    def reference() -> ValidationReport:
        return _run_pyshacl(_graph_from_bytes(data), shapes_graph, None, focus, copy=False)

    if name == "pyshacl":
        return reference()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"data is not UTF-8: {exc}") from exc
    report = _run_turbo(_turbo_text(text), shapes_graph, focus)
    if engine == "auto" and _needs_reference(report):
        return _reference_instead(report, reference)
    return report


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
    """IRI as is, blank node as ``_:label``, literal in N3 (``"x"@en``,
    the language tag in lower case: tags are case-insensitive, RDF 1.1
    section 3.3, and engines differ in the case they keep)."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.language and term.language != term.language.lower():
            term = Literal(str(term), lang=term.language.lower())
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


# ---------------------------------------------------------------------------
# engines


@functools.cache
def _turbo_module() -> ModuleType | None:
    try:
        import pyshacl_turbo
    except ImportError:
        return None
    return pyshacl_turbo


@functools.cache
def _default_shapes() -> Graph:
    """:func:`load_shapes` once per process (the build validates many batches)."""
    return load_shapes()


#: compiled pyshacl-turbo shapes by ``id`` of the shapes graph: (a weak
#: reference to the graph, its size when compiled, the compiled shapes)
_COMPILED: dict[int, tuple[weakref.ref[Graph], int, Any]] = {}


def _turbo_program(shapes: Graph) -> Any:
    entry = _COMPILED.get(id(shapes))
    if entry is not None and entry[0]() is shapes and entry[1] == len(shapes):
        return entry[2]
    module = _turbo_module()
    assert module is not None
    program = module.compile_shapes(shapes)
    for key in [key for key, (ref, _n, _p) in _COMPILED.items() if ref() is None]:
        del _COMPILED[key]
    _COMPILED[id(shapes)] = (weakref.ref(shapes), len(shapes), program)
    return program


def _turbo_text(text: str) -> Any:
    """N-Quads text as pyshacl-turbo's input, parsed by its native parser
    (the union of the graphs is validated, as for an rdflib Dataset)."""
    from pyshacl_turbo.rdf import Input

    return Input(text, "nquads", None, {})


def _run_pyshacl(data: Graph, shapes: Graph, ontology: Graph | None, focus_nodes: list[URIRef] | None, *, copy: bool) -> ValidationReport:
    conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=False,  # the shapes use SHACL Core only; SHACL-AF costs ~25% more time
        allow_warnings=True,
        allow_infos=True,
        inplace=not copy,
        focus_nodes=focus_nodes,
    )
    return _report(bool(conforms), report_graph, "pyshacl")


def _run_turbo(data: Any, shapes: Graph, focus_nodes: list[URIRef] | None) -> ValidationReport:
    conforms, report_graph, _text = _turbo_program(shapes).validate(
        data,
        allow_warnings=True,
        allow_infos=True,
        focus_nodes=[str(node) for node in focus_nodes] if focus_nodes is not None else None,
    )
    return _report(bool(conforms), report_graph, "pyshacl-turbo")


def _report(conforms: bool, report_graph: object, engine: str) -> ValidationReport:
    assert isinstance(report_graph, Graph)
    for prefix, namespace in _DISPLAY_PREFIXES.items():
        if prefix != "id":
            report_graph.bind(prefix, namespace, override=False)
    violations = _violations(report_graph)
    log.info("validation (%s): conforms=%s, %d results", engine, conforms, len(violations))
    return ValidationReport(conforms=conforms, violations=violations, report_graph=report_graph, engine=engine)


def _needs_reference(report: ValidationReport) -> bool:
    """Whether ``engine="auto"`` must ask pySHACL: the fast engine's report
    holds a ``sh:datatype`` result (see :func:`validate_batch`)."""
    return (None, SH.sourceConstraintComponent, SH.DatatypeConstraintComponent) in report.report_graph


def _reference_instead(report: ValidationReport, run: Callable[[], ValidationReport]) -> ValidationReport:
    log.info("sh:datatype results: validating again with pyshacl, the reference engine")
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - pyshacl raises TypeError on some ill-typed literals
        log.warning("pyshacl failed on data with ill-typed or mistyped literals (%s: %s); keeping the report of pyshacl-turbo", type(exc).__name__, _short(str(exc)))
        return report


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _graph_from_bytes(data: bytes) -> Graph:
    """An rdflib graph of the N-Triples/N-Quads ``data`` (graph names
    dropped), the literals' lexical forms as written (rdflib's parser would
    normalise them, pyshacl-turbo reads them as they are)."""
    graph = Graph()
    terms: dict[object, Node] = {}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = terms.get(node)
        if found is None:
            if isinstance(node, ox.NamedNode):
                found = URIRef(node.value)
            elif isinstance(node, ox.BlankNode):
                found = BNode(node.value)
            elif node.language:
                found = Literal(node.value, lang=node.language)
            elif node.datatype.value == _XSD_STRING:
                found = Literal(node.value)
            else:
                found = Literal(node.value, datatype=URIRef(node.datatype.value), normalize=False)
            terms[node] = found
        return found

    add = graph.add
    try:
        for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            add((term(quad.subject), term(quad.predicate), term(quad.object)))  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise ValueError(f"data is not N-Triples/N-Quads: {exc}") from exc
    return graph
