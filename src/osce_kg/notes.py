"""Warnings of a build grouped by kind: the same note on 63 pages is one
line with a count and the first pages, in the terminal and in
``build-report.json`` (``"warning_groups"``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["WarningGroup", "group_warnings", "warning_kind", "FIRST_PAGES"]

#: pages named per group
FIRST_PAGES = 5

_QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
_NUMBER = re.compile(r"\b\d+\b")


@dataclass(frozen=True)
class WarningGroup:
    """The warnings of one kind.

    Attributes:
        kind: the message with its quoted values and numbers as ``…``.
        count: warnings of this kind.
        pages: the pages they are on, in build order, each once.
        example: the first message, as written.
    """

    kind: str
    count: int
    pages: tuple[str, ...]
    example: str

    def line(self) -> str:
        """One line for the terminal."""
        shown = ", ".join(self.pages[:FIRST_PAGES]) + (", …" if len(self.pages) > FIRST_PAGES else "")
        return f"{self.count} × {self.kind} on {len(self.pages)} page(s): {shown} (e.g. {self.example})"

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "count": self.count, "pages": len(self.pages), "first_pages": list(self.pages[:FIRST_PAGES]), "example": self.example}


def warning_kind(message: str) -> str:
    """``message`` without what varies between pages: quoted values and
    numbers become ``…``."""
    return _NUMBER.sub("…", _QUOTED.sub("…", message))


def group_warnings(warnings: Iterable[tuple[str, str]]) -> list[WarningGroup]:
    """``(page, message)`` pairs grouped by :func:`warning_kind`, the most
    frequent kind first (then by kind)."""
    groups: dict[str, tuple[list[str], dict[str, None], str]] = {}
    for page, message in warnings:
        kind = warning_kind(message)
        entry = groups.setdefault(kind, ([], {}, message))
        entry[0].append(page)
        entry[1][page] = None
    out = [WarningGroup(kind, len(hits), tuple(pages), example) for kind, (hits, pages, example) in groups.items()]
    return sorted(out, key=lambda g: (-g.count, g.kind))
