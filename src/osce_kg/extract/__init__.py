"""Extraction: from a source page to typed records (ARCHITECTURE.md, "Pipeline").

:func:`extract_page` detects the layout (:mod:`.layouts`, :mod:`.html`), reads
the navigation block (:mod:`.navigation`), and for each item the metadata,
dateline, meetings (:mod:`.meetings`), persons (:mod:`.people`), quotations
and their speakers (:mod:`.quotes`) and the States and structures it mentions.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from ..errors import SourceError
from ..offices import resolve_by_date
from ..records import Chairpersonship, NewsItem, OrgRef, PageRecord, Place, SourcePage
from ..reference import ReferenceData
from .layouts import RawItem, RawPage, parse_text
from .layouts.html import parse_html
from .meetings import find_meetings
from .mentions import item_mentions
from .navigation import parse_navigation
from .orgs import chairpersonship_in, resolve_org
from .people import find_people
from .places import resolve_place, split_dateline
from .dates import date_reader, parse_date_line
from .language import detect_language
from .quotes import scan_quotes
from .quotes import attribute
from .text import parse_iso_datetime

__all__ = ["extract_page"]

logger = logging.getLogger(__name__)


def extract_page(source: SourcePage, ref: ReferenceData) -> PageRecord:
    """Extract everything ``source`` says (see :mod:`osce_kg.records`).

    Raises:
        SourceError: when the page holds no item (empty, navigation only, no
            title), naming the file and the reason.
    """
    try:
        raw = parse_html(source.text) if source.media_type == "text/html" else parse_text(source.text)
    except ValueError as exc:
        raise SourceError(source.path, str(exc)) from exc
    sample = "\n".join(t for item in raw.items for t in [item.headline or "", *item.body[:20]])
    lang = detect_language(sample, raw.language_hint)
    record = PageRecord(source=source, layout=raw.layout, language=lang)
    if raw.navigation:
        record.navigation = parse_navigation(raw.navigation, ref)
        for section, name in record.navigation.unknown:
            record.warnings.append(f"navigation: unknown name {name!r} under {section!r}")
    for index, raw_item in enumerate(raw.items):
        if raw_item.headline is None and not raw_item.body:
            continue
        record.items.append(_extract_item(raw_item, raw, index, ref, record.warnings, lang))
    if not record.items:
        raise SourceError(source.path, "no news item found on the page")
    return record


def _extract_item(raw: RawItem, page: RawPage, index: int, ref: ReferenceData, warnings: list[str], lang: str = "en") -> NewsItem:
    item = NewsItem(headline=raw.headline, content_type=raw.content_type, url=raw.url, index=index, language=lang)
    if raw.date_value is not None:
        # read again in the page's language, which the layout did not know
        # ("03/12/2015" on a Serbian page is 3 December)
        item.date_published = (parse_date_line(raw.date, lang) if raw.date else None) or raw.date_value
    elif raw.date:
        item.date_published = date_reader().first(raw.date, lang)
        if item.date_published is None:
            warnings.append(f"item {index}: unreadable date {raw.date!r}")
    if item.date_published is None and raw.date_iso:
        item.date_published = parse_iso_datetime(raw.date_iso)
    known_orgs: list[OrgRef] = []
    for name in raw.publishers:
        org = resolve_org(name, ref)
        item.publishers.append(org)
        known_orgs.append(org)
    for name in raw.fields:
        concept = ref.field_of_work(name)
        if concept is None:
            warnings.append(f"item {index}: unknown field of work {name!r}")
        elif concept.id not in item.fields_of_work:
            item.fields_of_work.append(concept.id)

    body = list(raw.body)
    if raw.lead_is_cut and body:
        body[-1] = re.sub(r"\s*(?:\.\.\.|…)$", "", body[-1])
    item.lead = raw.lead or (body[0] if page.layout == "new-design-listing" and body else None)
    dateline_day = None
    if body:
        place_name, dateline_date, rest = split_dateline(body[0])
        dateline_day = dateline_date
        if place_name:
            item.dateline_place = resolve_place(place_name, ref) or Place(place_name)
            body[0] = rest
            if dateline_date is not None and (item.date_published is None or raw.header_date):
                item.date_published = dateline_date
    if raw.lead and not any(raw.lead in para for para in body) and not re.search(r"[“”\"«»„]", raw.lead):
        # a lead the body does not repeat still names persons and meetings
        body.insert(0, raw.lead)
    item.body = body
    # States and structures of the whole text; the person finder reuses each paragraph's share
    countries, structures = item_mentions([item.headline or "", *body], ref)

    # relative days ("today") are read against the dateline's date, the day the item was written
    item.meetings = find_meetings(
        body, ref, known_orgs, dateline_day or item.date_published, item.dateline_place, lang, item.headline
    )
    quoted = [[(max(a, 0), b) for a, b, _closed in scan_quotes(para)] for para in body]
    # the stored text of the page stops inside the last item's last paragraph
    # (unless a listing cut its lead with "..."): its last name may be cut
    text_cut = index == len(page.items) - 1 and not raw.lead_is_cut
    people = find_people(body, ref, known_orgs, lang, quoted, text_cut=text_cut)
    statements = attribute(body, people, ref, known_orgs, lang, item.headline)
    item.persons = list(people.persons.values())
    if len(item.meetings) == 1:
        name = item.meetings[0].name
        statements = [replace(s, meeting=name) for s in statements]
    item.statements = statements
    resolve_by_date(item, ref)
    if item.fields_of_work:
        item.meetings = [m if m.fields_of_work else replace(m, fields_of_work=tuple(item.fields_of_work)) for m in item.meetings]

    for match in countries:
        code = match.target.iso2
        target = item.partners_mentioned if match.target.partner_group else item.states_mentioned
        if code not in target:
            target.append(code)
    seen: set[str] = set()
    for match in structures:
        if match.target.id not in seen:
            seen.add(match.target.id)
            item.orgs_mentioned.append(OrgRef(match.target.pref_label, structure_id=match.target.id))
    extra = [p.affiliation for p in item.persons if p.affiliation]
    extra += [o for m in item.meetings for o in (*m.organizers, *m.supporters)]
    for org in extra:
        key = org.structure_id or org.name
        if key not in seen and org.chair_year is None:
            seen.add(key)
            item.orgs_mentioned.append(org)
    chairs: list[Chairpersonship] = []
    for para in [item.headline or "", *body]:
        rest = para
        while True:
            found = chairpersonship_in(rest, ref)
            if found is None:
                break
            (year, iso), (_s, e) = found
            if Chairpersonship(year, iso) not in chairs:
                chairs.append(Chairpersonship(year, iso))
            rest = rest[e:]
    for org in extra:
        if org.chair_year is not None and org.country and Chairpersonship(org.chair_year, org.country) not in chairs:
            chairs.append(Chairpersonship(org.chair_year, org.country))
    item.chairpersonships = chairs
    return item
