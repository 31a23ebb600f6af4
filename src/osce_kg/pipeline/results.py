"""What the processing of one page gives back to the build: its
diagnostics and its :class:`PageResult` (data only: picklable, and cached
as JSON plus N-Quads by :mod:`osce_kg.pipeline.cache`). The stages
(:mod:`osce_kg.pipeline.stages`) fill them in, the runner collects them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from ..records import PageRecord, PersonMention
from ..validate import Violation

__all__ = ["Diagnostic", "PageResult"]


@dataclass(frozen=True)
class Diagnostic:
    """One note on a page: ``stage`` (read, extract, ...), ``level``
    (``warning``, ``error``), ``code`` (what kind: the logger or rule that
    said it) and the ``message`` in words."""

    page: str
    stage: str
    level: str
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class PageResult:
    """What the processing of one page gives back to the build (data only:
    picklable, and cached as JSON plus N-Quads).

    Attributes:
        key: the page's key (path relative to its source folder).
        path: the file.
        sha256: hash of the file's bytes.
        modified / fetched: the file's modification time, when the page was
            fetched (UTC), if known.
        skipped: the reason the page is not exported, or ``None``.
        diagnostics: notes on the page, of every stage.
        graph: IRI of the page's named graph.
        nquads: the page's graph as N-Quads, UTF-8.
        trig: the page's graph as a TriG block.
        triples / items / statements: counts in the page's graph.
        persons: the persons the graph names, for person resolution
            (:mod:`osce_kg.identity`).
        violations: SHACL results on the page's own nodes.
        report_nt: those results as an N-Triples SHACL report ("" when none).
        timings: stage -> seconds spent on this page.
        cached: True when this result came from the cache.
        record: the extracted record (with ``keep_records`` only; not cached).
    """

    key: str
    path: str
    sha256: str = ""
    modified: dt.datetime | None = None
    fetched: dt.datetime | None = None
    skipped: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    graph: str = ""
    nquads: bytes = b""
    trig: bytes = b""
    triples: int = 0
    items: int = 0
    statements: int = 0
    persons: list[PersonMention] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    report_nt: bytes = b""
    timings: dict[str, float] = field(default_factory=dict)
    cached: bool = False
    record: PageRecord | None = None

    @property
    def warnings(self) -> list[str]:
        """The extraction's notes on the page (unknown names, unreadable dates)."""
        return [d.message for d in self.diagnostics if d.stage == "extract" and d.level == "warning"]

    @property
    def conforms(self) -> bool:
        """True when the page's graph has no ``sh:Violation``."""
        return not any(v.severity.endswith("Violation") for v in self.violations)
