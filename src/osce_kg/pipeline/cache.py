"""The page cache: results of pages stored as data, never as code
(ARCHITECTURE.md, "Cache").

An entry is two files named by a hash of the code fingerprint, the base
IRI, the page key and the page's content hash (and fetch provenance)::

    <cache>/ab/abcdef....nq     the page's graph, N-Quads
    <cache>/ab/abcdef....json   {"format": "osce-kg-cache/2", "key": ..., "source": ...,
                                 "fingerprint": ..., "base": ..., "nquads_sha256": ...,
                                 "result": {...counts, diagnostics, violations...},
                                 "sha256": hash of the rest of this object}

The JSON file is written last (so an entry is complete when it exists) and
read with :func:`json.loads`; the N-Quads are data for the store. An entry
is used only when its JSON parses, has the expected format, names this
page, source, fingerprint and base, its own hash matches and the N-Quads
file has the recorded hash; anything else (damaged, truncated, crafted,
another version) is ignored, named in a warning, and the page processed
again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from ..records import PersonMention
from ..serialize import atomic_output
from ..validate import Violation
from .results import Diagnostic, PageResult

__all__ = ["CACHE_FORMAT", "PageCache"]

logger = logging.getLogger(__name__)

CACHE_FORMAT = "osce-kg-cache/2"


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()


class PageCache:
    """The cache folder of one build configuration.

    Args:
        folder: the cache folder (created when missing).
        fingerprint: code/ontology/shapes/reference fingerprint.
        base: the base IRI.
    """

    def __init__(self, folder: Path, fingerprint: str, base: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.base = base
        self.rejected: list[tuple[str, str]] = []

    def _paths(self, key: str, source: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(f"{self.fingerprint}\n{self.base}\n{key}\n{source}".encode()).hexdigest()
        stem = self.folder / digest[:2] / digest
        return stem.with_suffix(".json"), stem.with_suffix(".nq")

    def get(self, key: str, source: str) -> PageResult | None:
        """The cached result of page ``key`` with content ``source``, or
        ``None`` (no entry, or one that fails a check: then it is removed)."""
        meta_path, nq_path = self._paths(key, source)
        if not meta_path.exists():
            return None
        try:
            entry = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
                raise ValueError("not a cache entry of this version")
            claimed = entry.pop("sha256", None)
            if claimed != _digest(entry):
                raise ValueError("its content does not match its hash")
            expected = {"key": key, "source": source, "fingerprint": self.fingerprint, "base": self.base}
            for name, value in expected.items():
                if entry.get(name) != value:
                    raise ValueError(f"it is the entry of another {name}")
            nquads = nq_path.read_bytes()
            if hashlib.sha256(nquads).hexdigest() != entry.get("nquads_sha256"):
                raise ValueError("its N-Quads do not match their hash")
            data = entry["result"]
            result = PageResult(
                key=key,
                path=str(data["path"]),
                sha256=str(data["sha256"]),
                graph=str(data["graph"]),
                nquads=nquads,
                trig=str(data["trig"]).encode("utf-8"),
                triples=int(data["triples"]),
                items=int(data["items"]),
                statements=int(data["statements"]),
                persons=[PersonMention.from_json(m) for m in data["persons"]],
                diagnostics=[Diagnostic(**{k: str(v) for k, v in d.items()}) for d in data["diagnostics"]],
                violations=[Violation(**v) for v in data["violations"]],
                report_nt=str(data["report_nt"]).encode("utf-8"),
                skipped=None,
            )
        except Exception as exc:  # noqa: BLE001 - any damage: ignore the entry, process the page again
            reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
            logger.warning("%s: cache entry %s ignored (%s); the page is processed again", key, meta_path, reason)
            self.rejected.append((key, f"cache entry {meta_path.name} ignored: {reason}"))
            for path in (meta_path, nq_path):
                with contextlib.suppress(OSError):
                    path.unlink()
            return None
        return result

    def put(self, key: str, source: str, result: PageResult) -> None:
        """Store ``result`` (a page that was processed, not skipped)."""
        meta_path, nq_path = self._paths(key, source)
        entry: dict[str, Any] = {
            "format": CACHE_FORMAT,
            "key": key,
            "source": source,
            "fingerprint": self.fingerprint,
            "base": self.base,
            "nquads_sha256": hashlib.sha256(result.nquads).hexdigest(),
            "result": {
                "path": result.path,
                "sha256": result.sha256,
                "graph": result.graph,
                "triples": result.triples,
                "items": result.items,
                "statements": result.statements,
                "persons": [m.as_json() for m in result.persons],
                "diagnostics": [d.as_json() for d in result.diagnostics],
                "violations": [
                    {"focus_node": v.focus_node, "path": v.path, "message": v.message, "severity": v.severity,
                     "source_shape": v.source_shape, "value": v.value}
                    for v in result.violations
                ],
                "report_nt": result.report_nt.decode("utf-8"),
                "trig": result.trig.decode("utf-8"),
            },
        }
        entry["sha256"] = _digest(entry)
        try:
            with atomic_output(nq_path) as fh:
                fh.write(result.nquads)
            with atomic_output(meta_path) as fh:
                fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        except OSError as exc:
            logger.warning("cannot write cache entry %s: %s", meta_path, exc)
