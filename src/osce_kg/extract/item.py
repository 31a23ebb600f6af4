"""One item's extraction: an :class:`ItemContext` and the ordered
:data:`COMPONENTS` that read and add to it (ARCHITECTURE.md, "Extraction").

A component is a function of the context with a name and the fields it
reads and adds (:class:`Component`); :data:`COMPONENTS` runs them in order,
and a test checks that each field a component reads is an input of the item
or added by an earlier component. The text is cut once: the body's
paragraphs, each paragraph's quotations (offsets), the States and
structures it names; every later component reads those.

Inputs (set before the first component): ``raw``, ``page``, ``index``,
``ref``, ``lang``, ``warnings``, ``item`` (headline, content type, URL).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..offices import resolve_by_date
from ..records import Chairpersonship, NewsItem, OrgRef, Place
from ..reference import Match, ReferenceData
from .dates import date_reader, parse_date_line
from .layouts import RawItem, RawPage
from .meetings import find_meetings
from .mentions import item_mentions
from .orgs import chairpersonship_in, resolve_org
from .people import PeopleIndex, find_people
from .places import resolve_place, split_dateline
from .quotes import attribute, scan_quotes
from .text import parse_iso_datetime

__all__ = ["COMPONENTS", "INPUTS", "Component", "ItemContext", "extract_item"]


@dataclass
class ItemContext:
    """Everything known about one item while it is extracted.

    Attributes:
        raw / page: the layout's item and page; ``index`` the item's place
            on the page; ``ref`` the reference data; ``lang`` the page's
            language code; ``warnings`` the page's notes (appended to).
        item: the record being filled.
        body: the body's paragraphs, the dateline cut off, a lead the body
            does not repeat put first.
        dateline_day: the dateline's date (relative days are read against it).
        known_orgs: organisations named so far (publishers, organisers...).
        quoted: per paragraph, the (start, end) offsets of its quotations.
        countries / structures: the States and structures the headline and
            body name.
        people: the persons of the item and their mentions.
    """

    raw: RawItem
    page: RawPage
    index: int
    ref: ReferenceData
    lang: str
    warnings: list[str]
    item: NewsItem
    body: list[str] = field(default_factory=list)
    dateline_day: dt.date | None = None
    known_orgs: list[OrgRef] = field(default_factory=list)
    quoted: list[list[tuple[int, int]]] = field(default_factory=list)
    countries: list[Match] = field(default_factory=list)
    structures: list[Match] = field(default_factory=list)
    people: PeopleIndex | None = None


@dataclass(frozen=True)
class Component:
    """A step of an item's extraction: ``run`` reads the context fields
    ``reads`` and sets or extends ``adds`` (dotted names are the record's
    fields: ``item.meetings``)."""

    name: str
    reads: tuple[str, ...]
    adds: tuple[str, ...]
    run: Callable[[ItemContext], None]


#: the fields set before the first component runs
INPUTS = ("raw", "page", "index", "ref", "lang", "warnings", "item.headline", "item.content_type", "item.url")


def _metadata(ctx: ItemContext) -> None:
    """The date, publishers and fields of work the page's metadata give."""
    raw, item = ctx.raw, ctx.item
    if raw.date_value is not None:
        # read again in the page's language, which the layout did not know
        # ("03/12/2015" on a Serbian page is 3 December)
        item.date_published = (parse_date_line(raw.date, ctx.lang) if raw.date else None) or raw.date_value
    elif raw.date:
        item.date_published = date_reader().first(raw.date, ctx.lang)
        if item.date_published is None:
            ctx.warnings.append(f"item {ctx.index}: unreadable date {raw.date!r}")
    if item.date_published is None and raw.date_iso:
        item.date_published = parse_iso_datetime(raw.date_iso)
    for name in raw.publishers:
        org = resolve_org(name, ctx.ref)
        item.publishers.append(org)
        ctx.known_orgs.append(org)
    for name in raw.fields:
        concept = ctx.ref.field_of_work(name)
        if concept is None:
            ctx.warnings.append(f"item {ctx.index}: unknown field of work {name!r}")
        elif concept.id not in item.fields_of_work:
            item.fields_of_work.append(concept.id)


def _text(ctx: ItemContext) -> None:
    """The body: a listing's cut lead without its "...", the dateline cut
    off (its place and date), a lead the body does not repeat first."""
    raw, item = ctx.raw, ctx.item
    body = list(raw.body)
    if raw.lead_is_cut and body:
        body[-1] = re.sub(r"\s*(?:\.\.\.|…)$", "", body[-1])
    item.lead = raw.lead or (body[0] if ctx.page.layout == "new-design-listing" and body else None)
    if body:
        at = 0
        place_name, dateline_date, rest = split_dateline(body[0])
        if not place_name and len(body) > 1 and len(body[0]) < 200 and not body[0].rstrip().endswith((".", "!", "?", ":")):
            # a subtitle between the headline and the dateline's paragraph
            at = 1
            place_name, dateline_date, rest = split_dateline(body[1])
        ctx.dateline_day = dateline_date
        if place_name:
            item.dateline_place = resolve_place(place_name, ctx.ref, lang=ctx.lang) or Place(place_name)
            body[at] = rest
            if dateline_date is not None and (item.date_published is None or raw.header_date):
                item.date_published = dateline_date
    if raw.lead and not any(raw.lead in para for para in body) and not re.search(r"[“”\"«»„]", raw.lead):
        # a lead the body does not repeat still names persons and meetings
        body.insert(0, raw.lead)
    item.body = body
    ctx.body = body


def _mentions(ctx: ItemContext) -> None:
    """The States and structures of the headline and body (the person
    finder reuses each paragraph's share)."""
    ctx.countries, ctx.structures = item_mentions([ctx.item.headline or "", *ctx.body], ctx.ref)


def _meetings(ctx: ItemContext) -> None:
    # relative days ("today") are read against the dateline's date, the day the item was written
    item = ctx.item
    item.meetings = find_meetings(
        ctx.body, ctx.ref, ctx.known_orgs, ctx.dateline_day or item.date_published, item.dateline_place, ctx.lang, item.headline
    )


def _quotations(ctx: ItemContext) -> None:
    ctx.quoted = [[(max(a, 0), b) for a, b, _closed in scan_quotes(para)] for para in ctx.body]


def _persons(ctx: ItemContext) -> None:
    # the stored text of the page stops inside the last item's last paragraph
    # (unless a listing cut its lead with "..."): its last name may be cut
    text_cut = ctx.index == len(ctx.page.items) - 1 and not ctx.raw.lead_is_cut
    ctx.people = find_people(ctx.body, ctx.ref, ctx.known_orgs, ctx.lang, ctx.quoted, text_cut=text_cut)
    ctx.item.persons = list(ctx.people.persons.values())


def _statements(ctx: ItemContext) -> None:
    """Quotations with their speakers; an item reporting one meeting records
    its statements there."""
    assert ctx.people is not None
    item = ctx.item
    statements = attribute(ctx.body, ctx.people, ctx.ref, ctx.known_orgs, ctx.lang, item.headline)
    item.persons = list(ctx.people.persons.values())  # attribution may add a person
    if len(item.meetings) == 1 and not _after_item(item.meetings[0].start, item.date_published):
        # (never at a meeting that had not started when the item was written)
        statements = [replace(s, meeting=item.meetings[0].name) for s in statements]
    item.statements = statements


def _after_item(start: dt.date | None, published: dt.date | None) -> bool:
    return start is not None and published is not None and start > published


def _offices_by_date(ctx: ItemContext) -> None:
    resolve_by_date(ctx.item, ctx.ref)


def _fields_of_meetings(ctx: ItemContext) -> None:
    """A meeting without fields of work of its own has the item's."""
    item = ctx.item
    if item.fields_of_work:
        item.meetings = [m if m.fields_of_work else replace(m, fields_of_work=tuple(item.fields_of_work)) for m in item.meetings]


def _states_and_structures(ctx: ItemContext) -> None:
    """The States, Partners and organisations the item mentions."""
    item = ctx.item
    for match in ctx.countries:
        code = match.target.iso2
        target = item.partners_mentioned if match.target.partner_group else item.states_mentioned
        if code not in target:
            target.append(code)
    seen: set[str] = set()
    for match in ctx.structures:
        if match.target.id not in seen:
            seen.add(match.target.id)
            item.orgs_mentioned.append(OrgRef(match.target.pref_label, structure_id=match.target.id))
    for org in _other_orgs(item):
        key = org.structure_id or org.name
        if key not in seen and org.chair_year is None:
            seen.add(key)
            item.orgs_mentioned.append(org)


def _other_orgs(item: NewsItem) -> list[OrgRef]:
    """Affiliations of the item's persons, organisers and supporters of its meetings."""
    extra = [p.affiliation for p in item.persons if p.affiliation]
    return extra + [o for m in item.meetings for o in (*m.organizers, *m.supporters)]


def _chairpersonships(ctx: ItemContext) -> None:
    """The Chairpersonships the headline and body name, and those of the
    organisations the item names."""
    item = ctx.item
    chairs: list[Chairpersonship] = []
    for para in [item.headline or "", *ctx.body]:
        rest = para
        while True:
            found = chairpersonship_in(rest, ctx.ref)
            if found is None:
                break
            (year, iso), (_s, e) = found
            if Chairpersonship(year, iso) not in chairs:
                chairs.append(Chairpersonship(year, iso))
            rest = rest[e:]
    for org in _other_orgs(item):
        if org.chair_year is not None and org.country and Chairpersonship(org.chair_year, org.country) not in chairs:
            chairs.append(Chairpersonship(org.chair_year, org.country))
    item.chairpersonships = chairs


#: the components of an item's extraction, in the order they run
COMPONENTS: tuple[Component, ...] = (
    Component("metadata", ("raw", "ref", "lang"), ("item.date_published", "item.publishers", "item.fields_of_work", "known_orgs"), _metadata),
    Component("text", ("raw", "page", "ref", "item.date_published"), ("body", "item.body", "item.lead", "item.dateline_place", "dateline_day"), _text),
    Component("mentions", ("item.headline", "body", "ref"), ("countries", "structures"), _mentions),
    Component(
        "meetings",
        ("body", "ref", "known_orgs", "dateline_day", "item.date_published", "item.dateline_place", "lang", "item.headline"),
        ("item.meetings", "known_orgs"),
        _meetings,
    ),
    Component("quotations", ("body",), ("quoted",), _quotations),
    Component("persons", ("body", "ref", "known_orgs", "lang", "quoted", "page", "raw"), ("people", "item.persons"), _persons),
    Component("statements", ("body", "people", "ref", "known_orgs", "lang", "item.headline", "item.meetings"), ("item.statements", "item.persons"), _statements),
    Component("offices-by-date", ("item.statements", "item.date_published", "ref"), ("item.statements", "item.persons"), _offices_by_date),
    Component("fields-of-meetings", ("item.fields_of_work", "item.meetings"), ("item.meetings",), _fields_of_meetings),
    Component("states-and-structures", ("countries", "structures", "item.persons", "item.meetings"), ("item.states_mentioned", "item.partners_mentioned", "item.orgs_mentioned"), _states_and_structures),
    Component("chairpersonships", ("item.headline", "body", "ref", "item.persons", "item.meetings"), ("item.chairpersonships",), _chairpersonships),
)


def extract_item(raw: RawItem, page: RawPage, index: int, ref: ReferenceData, warnings: list[str], lang: str = "en") -> NewsItem:
    """The :class:`NewsItem` of one layout item: :data:`COMPONENTS` run in
    order over its :class:`ItemContext`."""
    item = NewsItem(headline=raw.headline, content_type=raw.content_type, url=raw.url, index=index, language=lang)
    ctx = ItemContext(raw=raw, page=page, index=index, ref=ref, lang=lang, warnings=warnings, item=item)
    for component in COMPONENTS:
        component.run(ctx)
    return item
