"""The change set between two releases (ARCHITECTURE.md, "Releases";
README, "Releases and their changes").

Compared are the quads of ``osce-kg.nq`` (every named graph: the page
graphs, the reference data, the ontology). A build whose output folder
already has a current release writes, into the new release::

    changes/added.nq      quads of the new release the previous one lacks
    changes/removed.nq    quads of the previous release the new one lacks
    changes/summary.json  {"previous": id, "added": n, "removed": n,
                           "graphs": {graph IRI: {"added": n, "removed": n}}}

Both files are sorted by graph, then by line: the same two releases give
the same bytes. ``osce-kg diff A B`` computes the same for any two release
folders. The lines of the two dumps are compared as they are written (one
canonical N-Quads line per quad, from the same writer); only the lines
that differ are parsed, to find their graph. Memory: the lines of the older
dump.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import UsageError, display

__all__ = ["CHANGES", "ChangeSet", "diff_releases", "graph_names", "release_folder", "write_changes"]

#: sub-folder of a release that holds its change set
CHANGES = "changes"


@dataclass
class ChangeSet:
    """Quads added and removed between two releases.

    Attributes:
        old / new: the release ids (folder names).
        added / removed: N-Quads lines (with their newline), sorted by graph then line.
        graphs: graph IRI -> ``{"added": n, "removed": n}``.
    """

    old: str
    new: str
    added: list[bytes] = field(default_factory=list)
    removed: list[bytes] = field(default_factory=list)
    graphs: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed

    def summary(self) -> dict:
        return {"previous": self.old, "release": self.new, "added": len(self.added), "removed": len(self.removed), "graphs": self.graphs}


def release_folder(path: Path) -> Path:
    """A release folder from a release folder or an output folder (its
    ``current`` release).

    Raises:
        UsageError: when ``path`` holds no ``osce-kg.nq``.
    """
    path = Path(path)
    for candidate in (path / "current", path):
        if (candidate / "osce-kg.nq").is_file():
            return Path(os.path.realpath(candidate))
    raise UsageError(f"{display(path)} is not a release folder (no osce-kg.nq in it or in its current release)")


def _lines(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip() and not line.lstrip().startswith(b"#"):
                yield line if line.endswith(b"\n") else line + b"\n"


def _graph(line: bytes) -> str:
    quad = next(iter(ox.parse(line, format=ox.RdfFormat.N_QUADS)))
    g = quad.graph_name
    return g.value if isinstance(g, ox.NamedNode) else ""


def graph_names(nq: Path) -> set[str]:
    """The names of the named graphs of the N-Quads file ``nq`` (a
    release's ``osce-kg.nq``); default-graph statements have none."""
    return {q.graph_name.value for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS) if isinstance(q.graph_name, ox.NamedNode)}


def _sorted(lines: set[bytes]) -> tuple[list[bytes], dict[str, int]]:
    keyed = sorted((_graph(line), line) for line in lines)
    counts: dict[str, int] = defaultdict(int)
    for g, _ in keyed:
        counts[g] += 1
    return [line for _, line in keyed], dict(counts)


def diff_releases(old: Path, new: Path) -> ChangeSet:
    """The change set from release ``old`` to release ``new`` (folders)."""
    old, new = release_folder(old), release_folder(new)
    before = set(_lines(old / "osce-kg.nq"))
    added: set[bytes] = set()
    kept: set[bytes] = set()
    for line in _lines(new / "osce-kg.nq"):
        if line in before:
            kept.add(line)
        else:
            added.add(line)
    removed = before - kept
    del before, kept
    add_lines, add_counts = _sorted(added)
    rem_lines, rem_counts = _sorted(removed)
    graphs = {g: {"added": add_counts.get(g, 0), "removed": rem_counts.get(g, 0)} for g in sorted({*add_counts, *rem_counts})}
    return ChangeSet(old.name, new.name, add_lines, rem_lines, graphs)


def write_changes(changes: ChangeSet, release: Path) -> Path:
    """Write ``changes`` into ``release/changes/``; returns that folder."""
    folder = release / CHANGES
    folder.mkdir(exist_ok=True)
    (folder / "added.nq").write_bytes(b"".join(changes.added))
    (folder / "removed.nq").write_bytes(b"".join(changes.removed))
    (folder / "summary.json").write_text(json.dumps(changes.summary(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return folder
