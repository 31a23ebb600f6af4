"""Dates as the pages write them, in every language that has data.

Calendar dates in prose and date lines ("7 October 2021", "7. Dezember
2017", "July 1, 2024", "2 décembre 2022", "25. Jan 2021.", "01.07.2022,
06:22", "22.05.18", "04/09/2019"), ranges ("14 and 15 May 2019", "28
February to 2 March 2023", "November 5-7, 2019", "27-28 November") and
relative days ("today", "on Wednesday", "hier et aujourd'hui") resolved only
against a date the page gives.

Numeric dates: dots and hyphens are read day first (the European order),
slashes month first (the order of the US distributors that write them),
ISO 8601 as such. A whole line that is only a date (with a time, a weekday,
a "Published:" label) is read by :func:`parse_date_line`; lines in formats
these patterns do not know go to dateparser (strict: day, month and year
required). A date that does not exist ("31 February") is no date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from .language import Language, alternation, languages
from .text import matches_at

__all__ = ["DateSpan", "DateReader", "date_reader", "parse_date_line", "relative_date"]

YEAR = r"(?:1[89]\d\d|20\d\d)"
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
DAY = r"(?:[0-3]?\d)"


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class DateSpan:
    """A date or a date range found in text, with its position.

    ``end`` is ``None`` for a single day; ``begin``/``finish`` are character
    offsets in the searched text; ``derived`` is set when the year was taken
    from the page's date ("27-28 November" on a page of 27 October 2000).
    """

    start: dt.date
    end: dt.date | None
    begin: int
    finish: int
    derived: bool = False


class DateReader:
    """The date patterns of every language, compiled once (months of all the
    language files: a French page may quote an English date)."""

    def __init__(self, langs: dict[str, Language]) -> None:
        months: dict[str, int] = {}
        for lang in langs.values():
            months.update(lang.months)
        self.months = months
        #: languages that write a numeric date with slashes day first ("03/12/2015":
        #: 3 December), from each file's ``slash_dates`` ("dmy" or "mdy")
        self.slash_day_first = frozenset(code for code, lang in langs.items() if lang.data.get("slash_dates") == "dmy")
        # any word where a month may stand: each match is checked against the
        # month names of the language files (a short character class is much
        # faster to scan than an alternation of every month of every language)
        month = r"[^\W\d_]{3,12}"
        # the words between the days of a range, and between a day, its
        # month and its year ("25 de octubre de 2018"), of every language
        range_words = {w for lang in langs.values() for w in lang.words("range_words")} | {"-", "–", "—"}
        rng = r"\s*" + alternation(sorted(range_words)) + r"\s*"
        connectors = sorted({w for lang in langs.values() for w in lang.words("date_connectors")})
        link = rf"\s+(?:{alternation(connectors)}\s+)?" if connectors else r"\s+"
        # a day's ordinal mark: "1.", "1er", "1st"
        day = rf"({DAY})(?:\.|er|re|º|°|st|nd|rd|th)?"
        self.dmy = re.compile(rf"\b{day}{link}({month})\.?,?{link}({YEAR})\b", re.IGNORECASE)
        self.mdy = re.compile(rf"\b({month})\.?\s+({DAY})(?:st|nd|rd|th)?,?\s+({YEAR})\b", re.IGNORECASE)
        self.dm = re.compile(rf"\b{day}{link}({month})\b(?!\.?,?{link}{YEAR})", re.IGNORECASE)
        # "December 5" without its year (read only with a context, as "5 December")
        self.month_before = re.compile(rf"(?<![^\W\d_]){month}\.?\s+$")
        self.md = re.compile(rf"\b({month})\.?\s+({DAY})(?:st|nd|rd|th)?(?![\d:])(?!\.?,?\s+{YEAR})", re.IGNORECASE)
        self.day_range = re.compile(rf"\b{day}{rng}{day}{link}({month})\.?,?{link}({YEAR})\b", re.IGNORECASE)
        self.day_range_noyear = re.compile(rf"\b{day}{rng}{day}{link}({month})\b(?!\.?,?{link}{YEAR})", re.IGNORECASE)
        self.month_range = re.compile(
            rf"\b{day}{link}({month})\.?(?:,?{link}({YEAR}))?{rng}{day}{link}({month})\.?,?{link}({YEAR})\b", re.IGNORECASE
        )
        self.month_range_noyear = re.compile(
            rf"\b{day}{link}({month})\.?{rng}{day}{link}({month})\b(?!\.?,?{link}{YEAR})", re.IGNORECASE
        )
        self.mdy_range = re.compile(rf"\b({month})\.?\s+({DAY}){rng}({DAY}),?\s+({YEAR})\b", re.IGNORECASE)
        self.numeric_dot = re.compile(r"(?<![\d.])([0-3]?\d)\.([01]?\d)\.(\d{4}|\d{2})(?![\d])")
        self.numeric_slash = re.compile(r"(?<![\d/])([0-3]?\d)/([0-3]?\d)/(\d{4})(?![\d/])")
        self.iso = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
        # the end of "July 1, 2024" and "November 5-7, 2019": text without it
        # has no date that opens with the month (faster to look for: it
        # starts with white space, not with any word)
        self.mdy_tail = re.compile(rf"\s{DAY}(?:st|nd|rd|th)?,?\s+{YEAR}\b", re.IGNORECASE)
        self.mdy_range_tail = re.compile(rf"\s{DAY}{rng}{DAY},?\s+{YEAR}\b", re.IGNORECASE)
        self._langs = langs
        self._all = RelativeWords.of(list(langs.values()))
        self._relative_memo = functools.lru_cache(maxsize=4096)(self._relative)
        self._first_memo = functools.lru_cache(maxsize=4096)(self._first)

    @functools.lru_cache(maxsize=32)  # noqa: B019 - one reader, built once
    def relative_words(self, lang: str | None = None) -> RelativeWords:
        """The relative days and weekdays of ``lang`` and English (of every
        language when ``lang`` is ``None``), compiled."""
        if lang is None or lang not in self._langs:
            return self._all
        return RelativeWords.of([self._langs[code] for code in dict.fromkeys((lang, "en")) if code in self._langs])

    def has_cue(self, text: str, lang: str | None = None) -> bool:
        """False when ``text`` holds no cue (the first five letters of a
        relative day or a weekday of ``lang`` and English, in lower case):
        then :meth:`relative` finds nothing in it."""
        low = text.lower()
        return any(map(low.__contains__, self.relative_words(lang).cues))  # `cue in low` for each, without a Python step per cue

    def parts_may_have_cues(self, text: str, lang: str | None = None) -> bool:
        """False when no part of ``text`` (a sentence of a paragraph) has a
        cue (:meth:`has_cue`): lower case is taken letter by letter but for
        the sigma, which no cue holds (else this is always true)."""
        return not self.relative_words(lang).no_sigma or self.has_cue(text, lang)

    def _month(self, name: str) -> int | None:
        return self.months.get(name.lower().rstrip("."))

    def find(self, text: str, context: dt.date | None = None, lang: str | None = None) -> list[DateSpan]:
        """Every date and range of ``text``, in order; ranges win over the
        dates inside them. Day-month without a year takes the year of
        ``context`` (the page's date) that puts it nearest to it, and only
        when there is a ``context``. A numeric date with slashes is read
        month first ("7/4/2024": 4 July), but day first when its first number
        is over 12 or ``lang`` writes dates so (``slash_dates`` "dmy")."""
        spans: list[DateSpan] = []
        # every calendar date has a day number; the patterns but the two that
        # open with the month match only where a run of digits starts
        if not _DIGIT.search(text):
            return spans
        starts = [m.start() for m in _DIGITS.finditer(text)]
        taken = bytearray(len(text))  # 1 where a date or range was already read

        def free(a: int, b: int) -> bool:
            return not any(taken[a:b])

        def add(start: dt.date | None, end: dt.date | None, m: re.Match[str], derived: bool = False) -> None:
            if start is None or not free(*m.span()):
                return
            if end is not None and end < start:
                return
            spans.append(DateSpan(start, end if end != start else None, m.start(), m.end(), derived))
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())

        for m in matches_at(self.month_range, text, starts):
            d1, m1, y1, d2, m2, y2 = m.groups()
            mo1, mo2 = self._month(m1), self._month(m2)
            if mo1 is None or mo2 is None:
                continue
            end = _make(int(y2), mo2, int(d2))
            start = _make(int(y1 or y2), mo1, int(d1))
            if start and end and start > end and not y1:
                start = _make(int(y2) - 1, mo1, int(d1))
            add(start, end, m)
        for m in matches_at(self.day_range, text, starts):
            d1, d2, mon, year = m.groups()
            mo = self._month(mon)
            if mo:
                add(_make(int(year), mo, int(d1)), _make(int(year), mo, int(d2)), m)
        for m in (self.mdy_range.finditer(text) if self.mdy_range_tail.search(text) else ()):
            mon, d1, d2, year = m.groups()
            mo = self._month(mon)
            if mo:
                add(_make(int(year), mo, int(d1)), _make(int(year), mo, int(d2)), m)
        for m in matches_at(self.dmy, text, starts):
            mo = self._month(m.group(2))
            if mo:
                add(_make(int(m.group(3)), mo, int(m.group(1))), None, m)
        for m in (self.mdy.finditer(text) if self.mdy_tail.search(text) else ()):
            mo = self._month(m.group(1))
            if mo:
                add(_make(int(m.group(3)), mo, int(m.group(2))), None, m)
        for m in matches_at(self.iso, text, starts):
            add(_make(int(m.group(1)), int(m.group(2)), int(m.group(3))), None, m)
        for m in matches_at(self.numeric_dot, text, starts):
            add(_numeric(m.group(3), m.group(2), m.group(1)), None, m)
        day_first = lang in self.slash_day_first
        for m in matches_at(self.numeric_slash, text, starts):
            if day_first or int(m.group(1)) > 12:
                add(_numeric(m.group(3), m.group(2), m.group(1)), None, m)
            else:
                add(_numeric(m.group(3), m.group(1), m.group(2)), None, m)
        if context is not None:
            for m in matches_at(self.month_range_noyear, text, starts):
                d1, m1, d2, m2 = m.groups()
                mo1, mo2 = self._month(m1), self._month(m2)
                if mo1 is None or mo2 is None:
                    continue
                year = _nearest_year(context, mo2, int(d2))
                start = _make(year if mo1 <= mo2 else year - 1, mo1, int(d1))
                add(start, _make(year, mo2, int(d2)), m, derived=True)
            for m in matches_at(self.day_range_noyear, text, starts):
                mo = self._month(m.group(3))
                if mo:
                    year = _nearest_year(context, mo, int(m.group(1)))
                    add(_make(year, mo, int(m.group(1))), _make(year, mo, int(m.group(2))), m, derived=True)
            for m in matches_at(self.dm, text, starts):
                mo = self._month(m.group(2))
                if mo:
                    year = _nearest_year(context, mo, int(m.group(1)))
                    add(_make(year, mo, int(m.group(1))), None, m, derived=True)
            # a month name ends right before the day's digits: look back from each
            for d in starts:
                if d == 0 or not text[d - 1].isspace():
                    continue
                back = self.month_before.search(text, max(0, d - 16), d)
                if back is None:
                    continue
                m = self.md.match(text, back.start())
                if m is None:
                    continue
                mo = self._month(m.group(1))
                if mo and m.group(1)[:1].isupper():  # "may 15" is no date
                    year = _nearest_year(context, mo, int(m.group(2)))
                    add(_make(year, mo, int(m.group(2))), None, m, derived=True)
        spans.sort(key=lambda s: s.begin)
        return spans

    def first(self, text: str, lang: str | None = None) -> dt.date | None:
        """The first complete date of ``text`` (with a year), or ``None``
        (memoised for short texts: the date labels of pages recur);
        ``lang`` as for :meth:`find`."""
        return self._first_memo(text, lang) if len(text) <= 200 else self._first(text, lang)

    def _first(self, text: str, lang: str | None = None) -> dt.date | None:
        spans = [s for s in self.find(text, lang=lang) if not s.derived]
        return spans[0].start if spans else None

    def relative(self, text: str, reference: dt.date | None, forward: bool = False, lang: str | None = None) -> list[DateSpan]:
        """Relative days of ``text`` ("today", "on Wednesday", "yesterday and
        today") in ``lang`` and English (every language: ``None``), resolved
        against ``reference``; nothing without one. A weekday is the last one
        on or before ``reference``, or with ``forward`` (a sentence in the
        future) the next one on or after it."""
        if reference is None:
            return []
        if len(text) > 5000:  # memoised but for very long texts (the memory held stays bounded)
            return list(self._relative(text, reference, forward, lang))
        return list(self._relative_memo(text, reference, forward, lang))

    def _relative(self, text: str, reference: dt.date, forward: bool = False, lang: str | None = None) -> tuple[DateSpan, ...]:
        # memoised in __init__: the meeting finder asks for every sentence
        # of an item, then again for the sentences it reads a date from
        words = self.relative_words(lang)
        if not self.has_cue(text, lang):
            return ()  # no relative day, weekday or "yesterday and today" at all
        out: list[DateSpan] = []
        for m in words.yesterday_today.finditer(text):
            out.append(DateSpan(reference - dt.timedelta(days=1), reference, m.start(), m.end(), True))
        for m in words.relative_re.finditer(text):
            if any(s.begin <= m.start() < s.finish for s in out):
                continue
            out.append(DateSpan(reference + dt.timedelta(days=words.relative_days[m.group(1).lower()]), None, m.start(), m.end(), True))
        for m in words.weekday_re.finditer(text):
            wd = words.weekdays.get(m.group(1).lower())
            if wd is None:
                continue
            if forward:
                day = reference + dt.timedelta(days=(wd - reference.weekday()) % 7)
            else:
                day = reference - dt.timedelta(days=(reference.weekday() - wd) % 7)
            out.append(DateSpan(day, None, m.start(1), m.end(1), True))
        out.sort(key=lambda s: s.begin)
        return tuple(out)


@dataclass(frozen=True)
class RelativeWords:
    """The relative days and weekdays of some languages, compiled: the words
    (lower case) and their offsets or weekday numbers, the patterns, the
    cues (first five letters of each word) and "yesterday and today" (the
    day -1 word, a conjunction, the day 0 word of one language)."""

    relative_days: dict[str, int]
    weekdays: dict[str, int]
    relative_re: re.Pattern[str]
    weekday_re: re.Pattern[str]
    yesterday_today: re.Pattern[str]
    cues: tuple[str, ...]
    no_sigma: bool

    @classmethod
    def of(cls, langs: list[Language]) -> RelativeWords:
        relative: dict[str, int] = {}
        weekdays: dict[str, int] = {}
        pairs: list[str] = []
        for lang in langs:
            relative.update(lang.relative_days)
            weekdays.update(lang.weekdays)
            before = [w for w, n in lang.relative_days.items() if n == -1]
            today = [w for w, n in lang.relative_days.items() if n == 0]
            conj = lang.words("conjunctions")
            if before and today and conj:
                pairs.append(rf"{alternation(before)}\s+{alternation(conj)}\s+{alternation(today)}")
        cues = tuple(sorted({w.lower()[:5] for w in (*relative, *weekdays)}))
        return cls(
            relative,
            weekdays,
            re.compile(rf"(?<!\w)({alternation(list(relative))})(?!\w)", re.IGNORECASE),
            re.compile(rf"(?<!\w)({alternation(list(weekdays))})(?!\w)", re.IGNORECASE),
            re.compile(rf"(?<!\w)(?:{'|'.join(pairs) or '(?!)'})(?!\w)", re.IGNORECASE),
            cues,
            not any(ch in cue for cue in cues for ch in "σςΣ"),
        )


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def year_context(text: str) -> dt.date | None:
    """The middle of the one year ``text`` names, as a context for its days
    written without a year (see :meth:`DateReader.find`); ``None`` when it
    names none or several."""
    years = set(_YEAR.findall(text))
    return dt.date(int(years.pop()), 7, 1) if len(years) == 1 else None


def _numeric(year: str, month: str, day: str) -> dt.date | None:
    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 70 else 1900
    return _make(y, int(month), int(day))


def _nearest_year(context: dt.date, month: int, day: int) -> int:
    best = context.year
    best_gap = None
    for year in (context.year - 1, context.year, context.year + 1):
        date = _make(year, month, day)
        if date is None:
            continue
        gap = abs((date - context).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


@functools.lru_cache(maxsize=1)
def date_reader() -> DateReader:
    """The :class:`DateReader` of all languages with data (built once)."""
    return DateReader(languages())


_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_LINE_NOISE = re.compile(r"^(?:published|publishing date|date|issued on|datum|publié le)\s*:\s*", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def parse_date_line(line: str, lang: str = "en") -> dt.date | None:
    """The date of a line that holds a date and little else ("25. Jan
    2021.", "01.07.2022, 06:22", "Published: July 1, 2024; 10:46",
    "20.03.2014"), or ``None`` when the line is prose or no date."""
    text = _LINE_NOISE.sub("", line.strip())
    if not text or len(text) > 60 or not re.search(r"\d", text):
        return None
    reader = date_reader()
    spans = [s for s in reader.find(text, lang=lang) if not s.derived]
    if spans:
        rest = text[: spans[0].begin] + text[spans[0].finish :]
        rest = _TIME.sub("", rest)
        if len(re.findall(r"[^\W\d_]{3,}", rest)) <= 3:
            return spans[0].start
        return None
    stripped = _TIME.sub("", text).strip(" ,;.")
    if len(stripped.split()) > 4:
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - a dependency
        return None
    found = dateparser.parse(
        stripped,
        languages=[lang] if lang in languages() else None,
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"},
    )
    return found.date() if found else None


def relative_date(text: str, reference: dt.date | None) -> list[DateSpan]:
    """Shortcut for :meth:`DateReader.relative`."""
    return date_reader().relative(text, reference)
