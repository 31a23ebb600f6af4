"""Mentions of known States and structures in an item's text, found once.

:meth:`ReferenceData.find_countries` and :meth:`ReferenceData.find_structures`
are pure functions of the text, and the extractors ask them about the same
paragraphs more than once: the person finder for each paragraph, the item
for its whole text (headline and paragraphs joined by newlines). This module
memoises their answers per reference data (:func:`countries_in`,
:func:`structures_in`), and :func:`item_mentions` scans the joined text once
and hands each paragraph its share of the matches, so that a paragraph is
not scanned again.

Its share is exactly what a scan of the paragraph alone finds, unless a
match runs across the newline at one of its ends (a label's white space
matches a newline): a scan of the joined text tries the same positions with
the same alternatives in the same order, the newline before and after a
paragraph satisfies the patterns' ``(?<!\\w)`` and ``(?!\\w)`` as the ends of
the paragraph alone do, and a match that stays inside the paragraph is found
the same way in both. A paragraph touched by a match across its ends is left
to be scanned alone, and so is an ASCII paragraph that the accent folding of
a non-ASCII text would change (the folding leaves ASCII text as it is).

The joined text is folded once for both scans (the reference data's own
search folds the text for each), with the same table, letter by letter.
"""

from __future__ import annotations

import bisect
import logging
import re

from ..reference import FOLD_TABLE, Match, ReferenceData, fold_text

__all__ = ["countries_in", "item_mentions", "structures_in"]

#: remembered answers per reference data (the memo is emptied when full)
_MEMO_SIZE = 4096
#: longest text whose answers are remembered
_MEMO_CHARS = 5000

#: ASCII characters that the accent folding changes in a text that is not
#: ASCII (and keeps in an ASCII text, which it returns as it is)
_ASCII_FOLDED = frozenset(c for c in map(chr, range(128)) if fold_text("\u00e9" + c)[1:] != c)
#: runs of the characters the folding may change
_FOLDABLE = re.compile("(?:[^\x00-\x7f]" + "".join("|" + re.escape(c) for c in sorted(_ASCII_FOLDED)) + ")+")

logger = logging.getLogger("osce_kg.reference")


def _fold_once(text: str) -> str:
    """``fold_text(text)`` of the reference data: the runs that may change
    translated with its table, the other characters (ASCII ones the table
    keeps) left as they are."""
    if text.isascii():
        return text
    return _FOLDABLE.sub(lambda m: m.group().translate(FOLD_TABLE), text)


def _searches(ref: ReferenceData, text: str) -> list[tuple[str, list[Match]]]:
    """("c", countries) and ("s", structures) of ``text``, folded once."""
    countries, structures = ref.find_in_folded(text, _fold_once(text))
    return [("c", countries), ("s", structures)]


def _memo(ref: ReferenceData) -> dict[tuple[str, str], tuple[Match, ...]]:
    return ref.memo("mentions")


def _remember(memo: dict[tuple[str, str], tuple[Match, ...]], key: tuple[str, str], found: tuple[Match, ...]) -> None:
    if len(key[1]) > _MEMO_CHARS:
        return  # a very long text is not kept (the memory held stays bounded)
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = found


def _remembered(kind: str, text: str, ref: ReferenceData, remember: bool) -> list[Match]:
    memo = _memo(ref)
    found = memo.get((kind, text))
    if found is None:
        found = tuple(ref.find_countries(text) if kind == "c" else ref.find_structures(text))
        if remember:
            _remember(memo, (kind, text), found)
    return list(found)


def countries_in(text: str, ref: ReferenceData, remember: bool = True) -> list[Match]:
    """``ref.find_countries(text)``, memoised (``remember=False``: only read
    the memo, for texts that recur rarely)."""
    return _remembered("c", text, ref, remember)


def structures_in(text: str, ref: ReferenceData, remember: bool = True) -> list[Match]:
    """``ref.find_structures(text)``, memoised (see :func:`countries_in`)."""
    return _remembered("s", text, ref, remember)


def item_mentions(paragraphs: list[str], ref: ReferenceData) -> tuple[list[Match], list[Match]]:
    """(``ref.find_countries(text)``, ``ref.find_structures(text)``) of
    ``text = "\\n".join(paragraphs)``; each paragraph's share is remembered as
    its own answer where that is exact (see the module doc)."""
    text = "\n".join(paragraphs)
    starts: list[int] = []
    offset = 0
    for para in paragraphs:
        starts.append(offset)
        offset += len(para) + 1
    memo = _memo(ref)
    folds_ascii = not text.isascii()
    out: list[list[Match]] = []
    for kind, matches in _searches(ref, text):
        out.append(matches)
        shares: list[list[Match]] = [[] for _ in paragraphs]
        exact = [True] * len(paragraphs)
        for m in matches:
            first = bisect.bisect_right(starts, m.start) - 1
            last = bisect.bisect_right(starts, m.end - 1) - 1
            if first != last:  # across a newline
                for k in range(first, last + 1):
                    exact[k] = False
                continue
            a = starts[first]
            shares[first].append(Match(m.start - a, m.end - a, m.text, m.target))
        for k, para in enumerate(paragraphs):
            if not exact[k] or not para:
                continue
            if folds_ascii and para.isascii() and not _ASCII_FOLDED.isdisjoint(para):
                continue
            _remember(memo, (kind, para), tuple(shares[k]))
    return out[0], out[1]
