"""Small text helpers shared by the extractors: white space, dates, words.

Dates are read with python-dateutil; this module only finds the date
expressions of the site's English prose ("7 October 2021", "14 and 15 May
2019", "from 28 February to 2 March 2023", "16 October ... until 27 October").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil import parser as date_parser

from .language import language, languages

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_MONTH = rf"(?:{MONTHS}|(?:{_MONTH_ABBR})\.?)"
DAY = r"(?:[0-3]?\d)"
YEAR = r"(?:1[89]\d\d|20\d\d)"

#: "7 October 2021"
DATE_RE = re.compile(rf"\b({DAY})\s+({_MONTH})\s+({YEAR})\b")
#: "14 and 15 May 2019", "14-15 May 2019", "14 to 16 May 2019"
DAY_RANGE_RE = re.compile(
    rf"\b({DAY})\s*(?:and|to|until|till|-|–|—)\s*({DAY})\s+({_MONTH})\s+({YEAR})\b"
)
#: "28 February to 2 March 2023", "30 November – 2 December 2022"
MONTH_RANGE_RE = re.compile(
    rf"\b({DAY})\s+({_MONTH})(?:\s+({YEAR}))?\s*(?:and|to|until|till|-|–|—)\s*({DAY})\s+({_MONTH})\s+({YEAR})\b"
)
#: "16 October ... until 27 October 2021": an open start given without year.
DAY_MONTH_RE = re.compile(rf"\b({DAY})\s+({_MONTH})\b(?!\s+{YEAR})")

ABBREVIATIONS = frozenset(
    {"Mr", "Ms", "Mrs", "Dr", "Prof", "St", "No", "Amb", "Gen", "Col", "Lt", "Jr", "Sr", "Rev", "e.g", "i.e", "etc", "vs"}
)


_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
#: control characters (C0, DEL, C1): never text; HTML entities such as
#: ``&#1;`` or ``&#x81;`` can still bring them in after decoding
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """NFC-normalised text with runs of white space (incl. NBSP, zero-width)
    collapsed and control characters read as white space.

    Short texts are memoised: the lines of a page's menus and navigation
    block recur on every page.
    """
    return _clean_short(text) if len(text) <= _CLEAN_MEMO_CHARS else _clean(text)


#: longest text whose cleaned form is memoised
_CLEAN_MEMO_CHARS = 400


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROLS.sub(" ", text)
    # str.split() splits at exactly the characters \s matches (str.isspace):
    # joining its parts collapses the runs and strips the ends
    return " ".join(text.split())


_clean_short = functools.lru_cache(maxsize=1 << 14)(_clean)


@functools.lru_cache(maxsize=4096)
def parse_date(day: str, month: str, year: str) -> dt.date | None:
    """The date of a day/month/year triple as written; ``None`` when impossible
    ("31 February 2021") rather than an error."""
    try:
        return date_parser.parse(f"{day} {month} {year}", dayfirst=True, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def find_date(text: str) -> dt.date | None:
    """The first complete date ("7 October 2021") in ``text``, or ``None``."""
    for m in DATE_RE.finditer(text):
        date = parse_date(*m.groups())
        if date:
            return date
    return None


def parse_iso_datetime(value: str) -> dt.date | None:
    """The date part of an ISO 8601 date or date-time (HTML ``<time datetime>``,
    ``article:published_time``), or ``None`` when it is not one."""
    try:
        return date_parser.isoparse(value.strip()).date()
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class DateSpan:
    """A date or date range found in text, with its position.

    ``end`` is ``None`` for a single day. Offsets are character positions in
    the searched text.
    """

    start: dt.date
    end: dt.date | None
    begin: int
    finish: int


def find_date_spans(text: str) -> list[DateSpan]:
    """All dates and date ranges in ``text``, in order, ranges taking
    precedence over the single dates inside them. Impossible dates are skipped.
    """
    spans: list[DateSpan] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in MONTH_RANGE_RE.finditer(text):
        d1, m1, y1, d2, m2, y2 = m.groups()
        end = parse_date(d2, m2, y2)
        start = parse_date(d1, m1, y1 or y2)
        if start and end and start > end and not y1:
            start = parse_date(d1, m1, str(int(y2) - 1))
        if start and end and start <= end:
            spans.append(DateSpan(start, end, m.start(), m.end()))
            taken.append(m.span())
    for m in DAY_RANGE_RE.finditer(text):
        if not free(*m.span()):
            continue
        d1, d2, mon, year = m.groups()
        start, end = parse_date(d1, mon, year), parse_date(d2, mon, year)
        if start and end and start <= end:
            spans.append(DateSpan(start, end, m.start(), m.end()))
            taken.append(m.span())
    for m in DATE_RE.finditer(text):
        if not free(*m.span()):
            continue
        date = parse_date(*m.groups())
        if date:
            spans.append(DateSpan(date, None, m.start(), m.end()))
            taken.append(m.span())
    # "16 October ... until 27 October 2021": a bare day-month before a full date
    for m in DAY_MONTH_RE.finditer(text):
        if not free(*m.span()):
            continue
        later = [s for s in spans if s.begin > m.end() and s.end is None]
        if not later:
            continue
        nxt = min(later, key=lambda s: s.begin)
        between = text[m.end() : nxt.begin]
        if not re.search(r"\b(?:until|till|to|through)\b", between) or len(between) > 200:
            continue
        start = parse_date(m.group(1), m.group(2), str(nxt.start.year))
        if start and start <= nxt.start:
            spans.remove(nxt)
            spans.append(DateSpan(start, nxt.start, m.start(), nxt.finish))
            taken.append((m.start(), nxt.finish))
    spans.sort(key=lambda s: s.begin)
    return spans


_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


@functools.lru_cache(maxsize=1)
def _month_names() -> frozenset[str]:
    """Month names (lower case) of every language file."""
    return frozenset(m.lower() for lang in languages().values() for m in lang.data.get("months") or {})


def _month_follows(text: str, at: int) -> bool:
    """True when the word after offset ``at`` is a month name."""
    m = _NEXT_WORD.match(text, at)
    return bool(m) and m.group(1).lower() in _month_names()


_SENTENCE_END = re.compile(r"[.!?](?=[\"”’)]?\s+(?:[\"“‘(]?[A-Z0-9]))")
_SENTENCE_MARK = re.compile(r'[“”".!?]')
_LAST_WORD = re.compile(r"([\w.]+)$")


def sentence_bounds(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a paragraph.

    A period after an abbreviation ("Mr.", "Dr.") or inside quotation marks
    does not end a sentence, nor one after a day's number before a month
    ("am 7. Dezember"), nor, in a language that writes ordinals with a
    period (``ordinal_period``: German, Serbian, Polish), one after a number
    of one or two digits ("den 30. OSZE-Ministerrat").
    """
    ordinals = bool(lang) and language(lang).ordinal_period
    bounds: list[tuple[int, int]] = []
    start = 0
    depth = 0
    n = len(text)
    for mark in _SENTENCE_MARK.finditer(text):  # only these characters change the state
        ch = mark.group()
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch == '"':
            # straight quotes toggle
            depth = 0 if depth else 1
        elif depth == 0:
            i = mark.start()
            if _SENTENCE_END.match(text, i):
                word = _LAST_WORD.search(text, max(start, i - 24), i)  # a bounded look back: linear
                if ch == "." and word and word.group(1).isdigit() and len(word.group(1)) <= 2 and (ordinals or _month_follows(text, i + 1)):
                    continue  # "am 7. Dezember", "den 30. Ministerrat": an ordinal, no sentence's end
                if not (ch == "." and word and word.group(1).split(".")[-1] in ABBREVIATIONS):
                    end = i + 1
                    bounds.append((start, end))
                    start = end
                    while start < n and text[start] == " ":
                        start += 1
    if start < n:
        bounds.append((start, n))
    return bounds


#: the characters besides the ASCII letters that ``re.IGNORECASE`` matches
#: to an ASCII letter (dotted and dotless I, long s, Kelvin sign); a test
#: checks this list against every character
IGNORECASE_ODD = "\u0130\u0131\u017f\u212a"


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """False only when ``text`` holds none of ``words`` (lower-case ASCII
    letters) as a pattern compiled with ``re.IGNORECASE`` matches them: a
    quick check before a slower pattern each of whose matches holds one.
    (Lower case maps each letter the pattern would match to its ASCII
    letter, unless the text has one of :data:`IGNORECASE_ODD`.)"""
    if any(map(text.__contains__, IGNORECASE_ODD)):
        return True
    low = text.lower()
    return any(map(low.__contains__, words))


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches can only start
    at the offsets ``starts`` (in order): it is tried there and nowhere else
    (``match`` at an offset sees the text before it, as a search does)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        m = pattern.match(text, start)
        if m is not None:
            yield m
            end = m.end()


def words(text: str) -> list[str]:
    """Words of ``text`` (letters, digits, inner hyphens and apostrophes)."""
    return re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text)


#: a regex character class of the upper-case letters (Unicode, not only A-Z),
#: for names such as "Ștefan", "Þórsson", "Šarić"
UPPER = "[" + "".join(re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper() and chr(c).isalpha()) + "]"
