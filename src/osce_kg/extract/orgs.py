"""Organisation names in prose: resolving them, and splitting job titles.

A job title as the site writes it ("Director of the Division for Treaty
Affairs at the United Nations Office on Drugs and Crime (UNODC)") is cut into
the title as stated and the organisation it names; organisations are resolved
through the reference data (structures, offices, demonyms and possessives of
States) and otherwise kept as plain named organisations.
"""

from __future__ import annotations

import re

from ..records import OrgRef
from ..reference import ReferenceData
from .language import languages
from .text import clean

#: patterns of the helpers below, compiled once
_ARTICLE = re.compile(r"^(?:the|The|a|an|An|A)\s+")
_NAME_WORD = re.compile(r"[\w'’]+")
_CLOSED_END = re.compile(r"\(closed\)\s*$", re.IGNORECASE)
_CLOSED_TAIL = re.compile(r"\s*\(closed\)\s*$", re.IGNORECASE)
_OF_TAIL = re.compile(r"\bof\s+(?:the\s+)?([A-Z][\w ]+)$")

#: head nouns that make a capitalised phrase an organisation name, in every
#: language with data (the language files' ``organisation_words``)
ORG_WORDS = frozenset(w for lang in languages().values() for w in lang.words("organisation_words"))

_ACRONYM_TAIL = re.compile(r"\s*\(([A-Z][A-Za-z0-9&-]{1,12})\)\s*$")
_POSSESSIVE = re.compile(r"^(?:the\s+)?(?P<owner>[A-Z][\w .-]*?)['’]s\s+(?P<org>.+)$")
_CHAIR_RE = re.compile(
    r"\b(?:the\s+)?(?:(?P<year>(?:19|20)\d\d)\s+)?(?P<demonym>[A-Z][a-z]+)\s+(?:OSCE\s+)?Chair(?:person|man)ship(?:-in-Office)?(?:\s+(?:in\s+)?(?P<year2>(?:19|20)\d\d))?\b"
)


def strip_article(text: str) -> str:
    """``text`` without a leading "the"/"The"/"a"/"an"."""
    return _ARTICLE.sub("", text.strip())


def is_org_like(name: str, ref: ReferenceData) -> bool:
    """True when ``name`` reads as an organisation: a known structure, or a
    capitalised phrase holding an organisation head noun ("Judicial Academy")."""
    if ref.structure(name) is not None:
        return True
    tokens = _NAME_WORD.findall(name)
    if not tokens or not tokens[0][:1].isupper():
        return False
    return any(t in ORG_WORDS for t in tokens)


def resolve_org(name: str, ref: ReferenceData, known: list[OrgRef] | None = None) -> OrgRef:
    """Resolve an organisation name as written to an :class:`OrgRef`.

    - "(closed)" is removed and sets ``closed``; a trailing "(ACRONYM)" is
      kept as ``acronym``;
    - a known structure gives its ``structure_id``;
    - "Sweden's Ministry for Foreign Affairs" becomes "Ministry for Foreign
      Affairs of Sweden" with ``country="SE"``;
    - a short form of an organisation already named on the page ("Judicial
      Academy" after "Judicial Academy of Serbia") becomes that organisation.
    """
    text = clean(name)
    closed = None
    if _CLOSED_END.search(text):
        closed = True
        text = _CLOSED_TAIL.sub("", text)
    acronym = None
    m = _ACRONYM_TAIL.search(text)
    if m:
        acronym = m.group(1)
        text = text[: m.start()]
    text = strip_article(text).rstrip(".,;: ")
    chair = chairpersonship_in(text, ref)
    if chair is not None and chair[1] == (0, len(text)):
        year, iso = chair[0]
        return OrgRef(name=text, structure_id=None, country=iso, closed=closed, acronym=acronym, chair_year=year)
    structure = ref.structure(text)
    if structure is not None:
        return OrgRef(name=text, structure_id=structure.id, closed=closed or structure.closed or None, acronym=acronym)
    country = None
    pm = _POSSESSIVE.match(text)
    if pm:
        owner = ref.country(pm.group("owner"))
        if owner is not None:
            country = owner.iso2
            text = f"{pm.group('org')} of {owner.pref_label}"
    if country is None:
        tail = _OF_TAIL.search(text)
        if tail:
            owner = ref.country(tail.group(1))
            country = owner.iso2 if owner else None
    for other in known or ():
        if other.name != text and other.name.lower().startswith(text.lower() + " "):
            return other
    return OrgRef(name=text, country=country, closed=closed, acronym=acronym)


def chairpersonship_in(text: str, ref: ReferenceData) -> tuple[tuple[int, str], tuple[int, int]] | None:
    """Find "the 2021 Swedish OSCE Chairpersonship" / "Swedish OSCE
    Chairmanship in 2021" in ``text``: ``((year, iso2), (start, end))``.

    Only when both the year and the State are written; the State is read
    from its demonym ("Swedish") or name. ``None`` otherwise.
    """
    if "Chair" not in text:
        return None  # every match holds it (the pattern is case-sensitive): no scan
    for m in _CHAIR_RE.finditer(text):
        year = m.group("year") or m.group("year2")
        if not year:
            continue
        country = ref.country_by_demonym(m.group("demonym")) or ref.country(m.group("demonym"))
        if country is None:
            continue
        start = m.start()
        if text[start : start + 4] == "the ":
            start += 4
        return (int(year), country.iso2), (start, m.end())
    return None


_SPLIT_AT = re.compile(r"\s+(?:at|from|with)\s+(?=(?:the\s+)?[A-Z])")
_SPLIT_OF = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?(?=[A-Z])")


def split_job_title(title: str, ref: ReferenceData, known: list[OrgRef] | None = None) -> tuple[str, OrgRef | None]:
    """Cut a stated title into (job title, affiliation).

    "Special Envoy on Organized Crime from Sweden’s Ministry for Foreign
    Affairs" -> ("Special Envoy on Organized Crime", Ministry for Foreign
    Affairs of Sweden); "Head of the OSCE Programme Office in Dushanbe" ->
    (unchanged, the Programme Office); "a media lawyer from Osh" -> ("media
    lawyer", None): "from" a place is an origin, not an affiliation. An office
    of ``offices.csv`` ("OSCE Co-ordinator of Activities to Address
    Transnational Threats") gives the structure the office belongs to.
    """
    title = strip_article(clean(title)).rstrip(".,;: ")
    job = title
    affiliation: OrgRef | None = None
    m = None
    for m in _SPLIT_AT.finditer(title):
        pass
    if m is not None:
        job = title[: m.start()].strip()
        rest = title[m.end() :]
        if is_org_like(strip_article(_ACRONYM_TAIL.sub("", rest)), ref) or _POSSESSIVE.match(rest):
            affiliation = resolve_org(rest, ref, known)
    if affiliation is None:
        office = ref.office(job)
        if office is not None:
            structure = ref.structures.get(office.organization)
            if structure is not None:
                affiliation = OrgRef(name=structure.pref_label, structure_id=structure.id)
    if affiliation is None:
        found = ref.find_structures(job)
        if found:
            longest = max(found, key=lambda match: match.end - match.start)
            affiliation = OrgRef(name=longest.target.pref_label, structure_id=longest.target.id)
    if affiliation is None:
        chair = chairpersonship_in(job, ref)
        if chair is not None:
            year, iso = chair[0]
            s, e = chair[1]
            affiliation = OrgRef(name=job[s:e], country=iso, chair_year=year)
    if affiliation is None:
        of = _SPLIT_OF.search(job)
        if of is not None:
            rest = job[of.end() :]
            if is_org_like(strip_article(_ACRONYM_TAIL.sub("", rest)), ref):
                affiliation = resolve_org(rest, ref, known)
    return _ACRONYM_TAIL.sub("", job), affiliation
