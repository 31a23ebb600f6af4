"""Search by name: the name index the site build writes and the matching
``site-serve`` does over it (README, "Linked-data site"; no JavaScript).

The index is ``site/search/names.json``::

    {"version": RELEASE, "license": IRI or null,
     "entries": [[KIND, LABEL, [OTHER NAMES...], SITE PATH], ...]}

one entry per person, meeting, OSCE structure and State
(:data:`~.views.KINDS`), sorted by kind and label; ``SITE PATH`` is the
entity's page without ``.html`` (``id/person/x``). A query matches an
entry when each of its words begins a word of the label or of another name,
compared folded (:func:`fold`: any script in Latin letters, no
diacritics, lower case), so "lavrov" finds "Сергей Лавров".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii

__all__ = ["NAME_INDEX", "NameEntry", "NameIndex", "fold"]

#: the name index's path in a site
NAME_INDEX = "search/names.json"
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """``text`` for comparison: transliterated to Latin (``anyascii``),
    without diacritics, lower-cased."""
    decomposed = unicodedata.normalize("NFKD", text)
    return anyascii("".join(ch for ch in decomposed if not unicodedata.combining(ch))).lower()


@dataclass(frozen=True)
class NameEntry:
    """One searchable entity: its kind (``person``, ``meeting``,
    ``structure``, ``state``), label, other names and site path."""

    kind: str
    label: str
    names: tuple[str, ...]
    path: str


class NameIndex:
    """The entries of a name index with their folded words, and the
    release's ``version`` and ``license`` (for the pages' footer)."""

    def __init__(self, entries: Iterable[NameEntry], version: str = "", license: str | None = None) -> None:
        self.entries = list(entries)
        self.version = version
        self.license = license
        self._words = [tuple(_WORD.findall(fold(" ".join((e.label, *e.names))))) for e in self.entries]
        self._labels = [fold(e.label) for e in self.entries]

    def write(self, path: Path) -> None:
        """Write the index as JSON (the module doc's shape) to ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": self.version, "license": self.license,
                "entries": [[e.kind, e.label, list(e.names), e.path] for e in self.entries]}
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> NameIndex:
        """The index written by :meth:`write`.

        Raises:
            OSError: the file cannot be read.
            ValueError: it is not a name index.
        """
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ValueError(f"{path}: not a name index")
        entries = (NameEntry(str(k), str(label), tuple(str(n) for n in names), str(p)) for k, label, names, p in data["entries"])
        return cls(entries, str(data.get("version") or ""), data.get("license"))

    def search(self, query: str, kind: str = "", limit: int = 100) -> tuple[int, list[NameEntry]]:
        """``(number of matches, the first limit of them)`` for ``query``
        (see the module doc), of one ``kind`` when given: a label equal to
        the query first, then labels beginning with it, then the others,
        each by label. An empty query matches nothing."""
        words = _WORD.findall(fold(query))
        if not words:
            return 0, []
        folded = " ".join(words)
        found: list[tuple[int, str, int]] = []
        for n, entry in enumerate(self.entries):
            if kind and entry.kind != kind:
                continue
            own = self._words[n]
            if all(any(w.startswith(q) for w in own) for q in words):
                label = " ".join(_WORD.findall(self._labels[n]))
                rank = 0 if label == folded else 1 if label.startswith(folded) else 2
                found.append((rank, self._labels[n], n))
        found.sort()
        return len(found), [self.entries[n] for _r, _l, n in found[:limit]]
