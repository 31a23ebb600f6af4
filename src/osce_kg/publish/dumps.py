"""Every dump of a release, written as the pages arrive (ARCHITECTURE.md,
"Publishing"). Nothing grows with the site but files on disk:

- ``osce-kg.nq`` is each page's graph as it comes (N-Quads), then the
  reference and ontology graphs; ``osce-kg.trig`` the same graphs, one
  block each;
- the union of the data graphs (pages and reference data, each triple once)
  is an external merge sort of N-Triples lines: runs of at most
  ``run_lines`` lines are sorted and written to scratch files, then merged
  without duplicates. One pass over the merged lines writes
  ``osce-kg.nt``, feeds ``osce-kg.ttl`` (pyoxigraph's Turtle writer),
  writes ``osce-kg.jsonld`` (:mod:`.jsonld`), counts the VoID statistics
  and runs the checks only merged data can fail (:class:`MergedChecks`):
  sorted lines put each subject's triples together.

Determinism: pages arrive in input order whatever executor ran them, and
the union is in byte order of its N-Triples lines, so the same input gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import heapq
import logging
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..vocab import PREFIXES
from .formats import DUMPS, DumpFile
from .jsonld import JsonLdDocument, JsonLdWriter

__all__ = ["DataStats", "MergedCheck", "MergedFinding", "ReleaseWriter", "compress", "file_sha256", "trig_block"]

log = logging.getLogger(__name__)

_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD_DATE = '"^^<http://www.w3.org/2001/XMLSchema#date>'


@dataclass(frozen=True)
class DataStats:
    """Counts VoID reports for the data (the union of the data graphs).

    Attributes:
        triples: distinct triples.
        subjects / objects: distinct subjects / objects.
        properties: property IRI -> number of triples using it.
        class_entities: class IRI -> number of distinct IRIs typed with it.
        entities: distinct IRIs typed with any class.
    """

    triples: int
    subjects: int
    objects: int
    properties: dict[str, int]
    class_entities: dict[str, int]
    entities: int


@dataclass(frozen=True)
class MergedCheck:
    """A constraint of the shapes that merging pages can break: at most
    ``max_count`` values of ``path`` on a node of class ``target``, or every
    value of ``path`` ≤ every value of ``other`` (``sh:lessThanOrEquals``,
    compared as ``xsd:date``)."""

    target: str
    path: str
    shape: str
    message: str
    max_count: int | None = None
    other: str | None = None


@dataclass(frozen=True)
class MergedFinding:
    """A node of the merged data that fails a :class:`MergedCheck`."""

    focus: str
    check: MergedCheck


class _HashingWriter:
    """A binary file that hashes and counts what is written to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("wb")
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        self.file.close()


def _term(text: bytes) -> str:
    return text[1:-1].decode("utf-8") if text.startswith(b"<") else text.decode("utf-8")


def _split(line: bytes) -> tuple[bytes, bytes, bytes]:
    """Subject, predicate and object of an N-Triples line (no newline): a
    subject and a predicate never hold a space in N-Triples."""
    s, p, rest = line.split(b" ", 2)
    return s, p, rest[:-2] if rest.endswith(b" .") else rest


def _date(obj: bytes) -> dt.date | None:
    text = obj.decode("utf-8")
    if not text.endswith(_XSD_DATE):
        return None
    try:
        return dt.date.fromisoformat(text[1 : -len(_XSD_DATE)])
    except ValueError:
        return None


@dataclass
class _Union:
    """The external sort of the union's lines."""

    scratch: Path
    run_lines: int
    buffer: list[bytes] = field(default_factory=list)
    runs: list[Path] = field(default_factory=list)

    def add(self, lines: Iterable[bytes]) -> None:
        self.buffer.extend(lines)
        if len(self.buffer) >= self.run_lines:
            self.spill()

    def spill(self) -> None:
        if not self.buffer:
            return
        path = self.scratch / f"run-{len(self.runs):05d}.nt"
        with path.open("wb") as fh:
            fh.write(b"\n".join(sorted(set(self.buffer))) + b"\n")
        self.runs.append(path)
        self.buffer = []

    def merged(self) -> Iterator[bytes]:
        """Every line once, in byte order (without the newline)."""
        self.spill()
        files = [path.open("rb", buffering=1 << 20) for path in self.runs]
        try:
            previous = None
            for line in heapq.merge(*files):
                if line != previous:
                    previous = line
                    yield line[:-1]
        finally:
            for fh in files:
                fh.close()


def trig_block(graph: str, triples: Iterable[ox.Triple]) -> bytes:
    """The TriG block ``<graph> { ... }`` of ``triples``, with the prefixes
    of :data:`osce_kg.vocab.PREFIXES` (declared once at the top of the file
    by :class:`ReleaseWriter`)."""
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    lines = [line for line in body.split(b"\n") if line and not line.startswith(b"@prefix ")]
    return f"<{graph}> {{\n".encode("utf-8") + b"".join(line + b"\n" for line in lines) + b"}\n"


class ReleaseWriter:
    """Writes the dumps of one release into ``folder`` as graphs arrive.

    Args:
        folder: the (incoming) release folder.
        scratch: a folder for the sort runs.
        context: the inner JSON-LD ``@context`` object.
        checks: the constraints :meth:`finish` checks on the merged data.
        run_lines: lines per sort run (memory: about 150 bytes a line).

    Use :meth:`add_graph` for every graph, then :meth:`finish` once.
    """

    def __init__(self, folder: Path, scratch: Path, context: Mapping[str, Any], checks: Iterable[MergedCheck] = (), run_lines: int = 400_000) -> None:
        self.folder = folder
        self.context = context
        self.checks = tuple(checks)
        self.prefixes = dict(PREFIXES)
        self.files = {d.kind: folder / d.file for d in DUMPS}
        self.nq = _HashingWriter(self.files["nquads"])
        self.trig = _HashingWriter(self.files["trig"])
        self.trig.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.prefixes.items()).encode("utf-8"))
        self.quads = 0
        self.union = _Union(scratch, run_lines)

    def add_graph(self, graph: str, nquads: bytes, block: bytes | None = None, *, in_union: bool = True,
                  union_part: bytes | None = None) -> None:
        """Add the named graph ``graph`` given as N-Quads (each quad of that
        graph, each once) and, when already made, its TriG ``block``
        (:func:`trig_block`); ``in_union``: its triples are data (not the
        ontology); ``union_part``: only these of its quads go to the union
        now, the others went before (:meth:`add_to_union`)."""
        if not nquads:
            return
        self.nq.write(nquads)
        self.quads += nquads.count(b"\n")
        lines = self._lines(graph, nquads) if block is None or (in_union and union_part is None) else []
        if block is None:
            block = trig_block(graph, ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES))
        self.trig.write(block)
        if in_union:
            self.union.add(lines if union_part is None else self._lines(graph, union_part))

    def add_to_union(self, graph: str, nquads: bytes) -> None:
        """Put some quads of data graph ``graph`` into the union now (the
        sorting overlaps the work of the pages still coming); the graph
        itself comes later, with the rest as :meth:`add_graph`'s ``union_part``."""
        self.union.add(self._lines(graph, nquads))

    @staticmethod
    def _lines(graph: str, nquads: bytes) -> list[bytes]:
        """The N-Triples lines of ``graph``'s N-Quads (without newlines)."""
        lines = nquads.replace(f" <{graph}> .\n".encode("utf-8"), b" .\n").split(b"\n")
        if lines and not lines[-1]:
            lines.pop()
        return lines

    def finish(self) -> tuple[list[DumpFile], DataStats, list[MergedFinding]]:
        """Write the union dumps; close every file. Returns the plain dump
        files (size, SHA-256, statements), the statistics and the findings
        of the merged checks."""
        self.nq.close()
        self.trig.close()
        nt = _HashingWriter(self.files["ntriples"])
        ttl = _HashingWriter(self.files["turtle"])
        js = _HashingWriter(self.files["jsonld"])
        state = _Pass(self.checks, JsonLdWriter(self.context), js, nt)
        try:
            ox.serialize(state.triples(self.union.merged()), ttl, ox.RdfFormat.TURTLE, prefixes=self.prefixes)
            state.close()
        finally:
            for writer in (nt, ttl, js):
                writer.close()
        files = [
            DumpFile("nquads", self.nq.path, False, self.quads, self.nq.size, self.nq.sha256.hexdigest()),
            DumpFile("trig", self.trig.path, False, self.quads, self.trig.size, self.trig.sha256.hexdigest()),
        ]
        for kind, writer in (("ntriples", nt), ("turtle", ttl), ("jsonld", js)):
            files.append(DumpFile(kind, writer.path, False, state.count, writer.size, writer.sha256.hexdigest()))
        order = [d.kind for d in DUMPS]
        files.sort(key=lambda f: order.index(f.kind))
        return files, state.stats(), state.findings


class _Pass:
    """The one pass over the merged union lines (see the module doc)."""

    def __init__(self, checks: tuple[MergedCheck, ...], jsonld: JsonLdWriter, js: _HashingWriter, nt: _HashingWriter) -> None:
        self.checks = checks
        self.jsonld = jsonld
        self.nt = nt
        self.count = 0
        self.subjects = 0
        self.objects: set[int] = set()
        self.properties: Counter[bytes] = Counter()
        self.classes: dict[bytes, int] = defaultdict(int)
        self.entities = 0
        self.findings: list[MergedFinding] = []
        self.document = JsonLdDocument(jsonld, js)

    def triples(self, lines: Iterator[bytes]) -> Iterator[ox.Triple]:
        group: list[bytes] = []
        subject = None
        for line in lines:
            s = line[: line.index(b" ")]
            if s != subject and group:
                yield from self._group(subject, group)  # type: ignore[arg-type]
                group = []
            subject = s
            group.append(line)
        if group:
            yield from self._group(subject, group)  # type: ignore[arg-type]

    def _group(self, subject: bytes, lines: list[bytes]) -> list[ox.Triple]:
        data = b"\n".join(lines) + b"\n"
        self.nt.write(data)
        self.count += len(lines)
        self.subjects += 1
        split = [_split(line) for line in lines]
        types = [o for _, p, o in split if p == _TYPE and o.startswith(b"<")]
        if types and subject.startswith(b"<"):
            self.entities += 1
            for t in set(types):
                self.classes[t] += 1
        for _, p, o in split:
            self.properties[p] += 1
            self.objects.add(hash(o))
        if self.checks and types:
            self._check(subject, split, {_term(t) for t in types})
        triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        node = self.jsonld.node(triples[0].subject, ((t.predicate, t.object) for t in triples))
        self.document.add(node)
        return triples

    def _check(self, subject: bytes, split: list[tuple[bytes, bytes, bytes]], types: set[str]) -> None:
        values: dict[str, list[bytes]] = defaultdict(list)
        for _, p, o in split:
            values[_term(p)].append(o)
        for check in self.checks:
            if check.target not in types:
                continue
            found = values.get(check.path, [])
            if check.max_count is not None and len(found) > check.max_count:
                self.findings.append(MergedFinding(_term(subject), check))
            if check.other is not None:
                lows = [d for d in map(_date, found) if d is not None]
                highs = [d for d in map(_date, values.get(check.other, [])) if d is not None]
                if any(a > b for a in lows for b in highs):
                    self.findings.append(MergedFinding(_term(subject), check))

    def close(self) -> None:
        self.document.close()

    def stats(self) -> DataStats:
        return DataStats(
            triples=self.count,
            subjects=self.subjects,
            objects=len(self.objects),
            properties={_term(p): n for p, n in self.properties.items()},
            class_entities={_term(c): n for c, n in self.classes.items()},
            entities=self.entities,
        )


def compress(file: DumpFile) -> DumpFile:
    """Write ``file`` + ``.gz`` (reproducible: no name, mtime 0) and describe it."""
    gz = file.path.with_name(file.path.name + ".gz")
    with file.path.open("rb") as src, gz.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    return DumpFile(file.kind, gz, True, file.triples, gz.stat().st_size, file_sha256(gz))


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, 64 lower-case hex digits (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
