"""Shared helpers of the robustness tests (test_malformed.py, test_kill.py,
test_injection.py, test_properties.py): running the command line in a real
process, checking IRIs strictly, reading dumps with independent parsers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
MALFORMED = REPO / "tests" / "malformed"
PAGES = REPO / "tests" / "pages"

#: the dump files of a build folder (the data; reports are not dumps)
DUMP_FILES = ("osce-kg.ttl", "osce-kg.jsonld", "osce-kg.nt", "osce-kg.nq", "osce-kg.trig", "void.ttl")

#: an absolute IRI (RFC 3987): a scheme, then no character that RFC 3987
#: excludes from IRIs: controls, space, ``<>"{}|\^``` and the backquote, C1
#: controls; nor the bidirectional formatting characters that RFC 3987
#: section 4.1 forbids (U+200E, U+200F, U+202A-U+202E), nor zero-width
#: characters or U+FEFF
STRICT_IRI = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.\-]*:"
    r"[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*$"
)

_RAPPER = shutil.which("rapper")


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m osce_kg.cli ARGS`` in a new process: the real exit code,
    stdout and stderr, as a user sees them."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "osce_kg.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Name -> bytes of every file in ``folder`` (not recursive)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


_OX_FORMATS = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
}


def ox_quads(path: Path) -> list[ox.Quad]:
    """The statements of a dump, parsed by pyoxigraph (not rdflib)."""
    return list(ox.parse(path=str(path), format=_OX_FORMATS[path.suffix]))


def iris_of_quads(quads: Iterable[ox.Quad]) -> Iterator[str]:
    """Every IRI of ``quads``: subjects, predicates, objects, graph names, datatypes."""
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                yield term.value
            elif isinstance(term, ox.Literal):
                yield term.datatype.value


def bad_iris(iris: Iterable[str]) -> list[str]:
    """The IRIs of ``iris`` that :data:`STRICT_IRI` rejects."""
    return sorted({iri for iri in iris if not STRICT_IRI.match(iri)})


def rapper_count(path: Path, syntax: str) -> int | None:
    """Statements ``rapper`` (Raptor) parses from ``path`` in ``syntax``
    (``ntriples``, ``nquads``, ``turtle``, ``trig``), or ``None`` when rapper
    is not installed. Fails the test when rapper reports an error."""
    if _RAPPER is None:
        return None
    proc = subprocess.run([_RAPPER, "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, f"rapper cannot parse {path.name}: {proc.stderr}"
    match = re.search(r"returned (\d+) (?:triples|statements)", proc.stderr)
    assert match, proc.stderr
    return int(match.group(1))


def temp_files(folder: Path) -> list[str]:
    """Files of ``folder`` that are not output: temporary files of an
    atomic write (``.NAME.*.tmp``) and anything else hidden or ``*.tmp``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith((".tmp", ".part", "~")))
