"""Mapping: records to RDF with the terms of the ontology contract
(ARCHITECTURE.md, "Ontology contract"; ``ontology/osce.ttl``).

The result is in pyoxigraph terms (:class:`~osce_kg.oxterms.Triples`, the
form the store takes): the triples of the reference graph
(``{base}graph/reference``) and of each source page (its graph
``{base}graph/page-{slug of the page key}``, see
:meth:`~osce_kg.vocab.IriMinter.page_graph`): the named graph is the
provenance of every fact in it. IRIs are minted by :class:`~osce_kg.vocab.IriMinter`:

============================  ==========================================
thing                         IRI (relative to the base)
============================  ==========================================
State / Partner               ``country/{iso2 lower-case}``
OSCE structure                ``org/{id of structures.csv}``
other organisation            ``org/{slug of its name}``
post (office)                 ``post/{id of offices.csv}``
field of work / category      ``field-of-work/{id}``, ``meeting-category/{id}``
Chairpersonship of a year     ``chairpersonship/{year}``
place                         ``place/{slug of name}-{iso2}`` (``place/{slug}`` when unresolved)
person                        ``person/{slug of full name}``
meeting                       ``meeting/{start date}-{slug of name}``
meeting series                ``meeting-series/{slug of name}``
membership (person in a post) ``membership/{slug of the person's IRI}-{post id}``
interval / instant            ``interval/{membership slug}-{start}``, ``instant/{YYYY-MM-DD}``
news item                     ``item/{slug of its URL, else of its page key and place}-{hash}`` (see :meth:`Mapper.item_slug`)
statement                     ``statement/{item slug}-{hash of its text and speaker}``
============================  ==========================================

Text is tagged ``@en``; names of persons and codes are plain literals; dates
are ``xsd:date``, years ``xsd:gYear``, counts ``xsd:integer``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections import Counter
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
from rdflib.namespace import OWL, PROV, RDF, SKOS, TIME

from .oxterms import XSD_OX, OxNamespace, Triples, boolean, integer, typed
from .records import Chairpersonship, Meeting, NewsItem, OrgRef, PageRecord, Person, PersonMention, Place
from .reference import OfficeHolder, ReferenceData
from .vocab import GEONAMES, ORG, OSCE, SCHEMA, IriMinter, slugify

__all__ = ["IDENTITY_GRAPH", "Mapper", "REFERENCE_GRAPH", "SCHEMA_TYPES", "add_schema_types", "location_slug"]

logger = logging.getLogger(__name__)

#: Wikidata items (``owl:sameAs`` of States, Partners, structures and persons)
WIKIDATA = "http://www.wikidata.org/entity/"

OSCE_OX, SCHEMA_OX, ORG_OX, GEONAMES_OX = (OxNamespace(ns) for ns in (OSCE, SCHEMA, ORG, GEONAMES))
SKOS_OX, OWL_OX, PROV_OX, TIME_OX, RDF_OX = (OxNamespace(ns) for ns in (SKOS, OWL, PROV, TIME, RDF))
WIKIDATA_OX = OxNamespace(WIKIDATA)

#: name of the reference-data graph, relative to the base IRI
REFERENCE_GRAPH = "reference"
#: name of the graph of what person resolution adds across pages (evidence-based intervals)
IDENTITY_GRAPH = "identity"

#: the schema.org type every node of a class also gets, so that consumers who
#: read schema.org only (search engines, web developers) find it typed; the
#: ontology states the same as rdfs:subClassOf
SCHEMA_TYPES: dict[ox.NamedNode, ox.NamedNode] = {
    OSCE_OX.ParticipatingState: SCHEMA_OX.Country,
    OSCE_OX.PartnerForCooperation: SCHEMA_OX.Country,
    ORG_OX.Organization: SCHEMA_OX.Organization,
    OSCE_OX.Meeting: SCHEMA_OX.Event,
    OSCE_OX.MeetingSeries: SCHEMA_OX.EventSeries,
    OSCE_OX.Statement: SCHEMA_OX.Quotation,
    OSCE_OX.NewsItem: SCHEMA_OX.NewsArticle,
    SKOS_OX.Concept: SCHEMA_OX.DefinedTerm,
}


def add_schema_types(g: Triples) -> Triples:
    """Add to ``g`` the schema.org type of :data:`SCHEMA_TYPES` of every
    node typed with one of its classes; returns ``g``."""
    for cls, schema_type in SCHEMA_TYPES.items():
        for s in list(g.subjects(RDF_OX.type, cls)):
            g.add((s, RDF_OX.type, schema_type))
    return g


#: the concept schemes of the reference graph (the ontology declares them,
#: with a comment): name -> label
SCHEME_LABELS: dict[str, str] = {"FieldsOfWork": "OSCE fields of work", "MeetingCategories": "OSCE meeting categories"}

_SCHEMES = {"FieldsOfWork": ("field-of-work", OSCE_OX.FieldsOfWork), "MeetingCategories": ("meeting-category", OSCE_OX.MeetingCategories)}


def _short_hash(text: str) -> str:
    """8 hex digits of the SHA-256 of ``text``: disambiguates readable slugs."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


#: path segments that say nothing of the item: index pages, language folders
_GENERIC_SEGMENT = re.compile(r"(?:index|default|home|[a-z]{2}(?:[-_][a-z]{2})?)", re.IGNORECASE)
#: date folders (``/2023/11/``), left out unless last
_DATE_SEGMENT = re.compile(r"\d{1,2}|(?:19|20)\d\d")
#: a file suffix of a page (``.html``, ``.php``, ``.txt``) ...
_PAGE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def location_slug(location: str, segments: int = 2) -> str:
    """Readable slug of where an item lives: the last ``segments``
    meaningful path segments of a URL or page key (index pages, language
    folders, date folders and file suffixes left out; a URL's query values
    after them),
    slugged (:func:`~osce_kg.vocab.slugify`, at most 60 characters); the host
    when the path has none, ``item`` when there is nothing.

    >>> location_slug("https://www.osce.org/secretariat/news/2023/11/new-tools-to-prevent-crime")
    'news-new-tools-to-prevent-crime'
    >>> location_slug("https://www.osce.org/ru/chairpersonship/553606")
    'chairpersonship-553606'
    >>> location_slug("000_c1c7cd6cd095379c.txt")
    '000-c1c7cd6cd095379c'
    """
    parts = urlsplit(location) if "://" in location else None
    path = parts.path if parts is not None else location
    names = [_PAGE_SUFFIX.sub("", unquote(segment)) for segment in path.split("/")]
    names = [name for name in names if name and not _GENERIC_SEGMENT.fullmatch(name)]
    names = [name for i, name in enumerate(names) if i == len(names) - 1 or not _DATE_SEGMENT.fullmatch(name)]
    words = names[-segments:]
    if parts is not None and parts.query:
        words += [value for _, _, value in (pair.partition("=") for pair in parts.query.split("&")) if value]
    if not words and parts is not None and parts.hostname:
        words = [parts.hostname]
    return slugify(" ".join(words), max_length=60) if words else "item"


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


class Mapper:
    """Maps reference data and page records to RDF graphs for one base IRI."""

    def __init__(self, ref: ReferenceData, minter: IriMinter) -> None:
        self.ref = ref
        self.minter = minter
        chair = next((s for s in ref.structures.values() if "Chairpersonship" in s.kinds), None)
        self._chair_structure = chair.id if chair else None

    # ------------------------------------------------------------------ IRIs
    def _slug_iri(self, kind: str, slug: str) -> ox.NamedNode:
        return ox.NamedNode(self.minter.iri_from_slug(kind, slug))

    def _named_iri(self, kind: str, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.minter.iri(kind, name))

    def country_iri(self, iso2: str) -> ox.NamedNode:
        return self._slug_iri("country", iso2.lower())

    def structure_iri(self, structure_id: str) -> ox.NamedNode:
        return self._slug_iri("org", structure_id)

    def org_iri(self, org: OrgRef) -> ox.NamedNode:
        if org.chair_year is not None:
            return self._slug_iri("chairpersonship", str(org.chair_year))
        if org.structure_id:
            return self.structure_iri(org.structure_id)
        return self._named_iri("org", org.name)

    def concept_iri(self, scheme: str, concept_id: str) -> ox.NamedNode:
        return self._slug_iri(_SCHEMES[scheme][0], concept_id)

    def person_iri(self, name: str) -> ox.NamedNode:
        return self._named_iri("person", name)

    def place_iri(self, place: Place) -> ox.NamedNode:
        name = f"{place.name} {place.country}" if place.country else place.name
        return self._named_iri("place", name)

    def meeting_iri(self, meeting: Meeting) -> ox.NamedNode:
        key = f"{meeting.start.isoformat()} {meeting.name}" if meeting.start else meeting.name
        return self._named_iri("meeting", key)

    def item_slug(self, item: NewsItem, page_key: str = "", *, url_shared: bool = False) -> str:
        """The slug of an item's IRI, from where the item lives, never from
        its headline or date (a corrected headline keeps the IRI; see
        ARCHITECTURE.md, "Item IRIs").

        With its own URL (``item.url``): the URL's last meaningful path
        segments (:func:`location_slug`) and 8 hex digits of a hash of the
        page key and the URL. Without: the page key's last segments and the
        item's place on its page (``item.index``), with a hash of both.
        ``url_shared`` (several items of one page give the same URL) adds the
        place to the hash, so they stay apart. The page key is always in the
        hash: items of two pages are two nodes, even with the same URL, so
        the merged data never has two headlines or dates for one item.
        """
        if item.url:
            readable = location_slug(item.url)
            basis = f"{page_key}\n{item.url}" + (f"\n{item.index}" if url_shared else "")
        else:
            readable = slugify(f"{location_slug(page_key)} {item.index}", max_length=60)
            basis = f"{page_key}\n{item.index}"
        return f"{readable}-{_short_hash(basis)}"

    def graph_iri(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.minter.graph(name))

    # ------------------------------------------------------------------ reference
    def map_reference(self) -> Triples:
        """The reference graph: States, Partners, structures, posts, concepts."""
        g = Triples()
        ref = self.ref
        for country in ref.countries.values():
            s = self.country_iri(country.iso2)
            g.add((s, RDF_OX.type, OSCE_OX.PartnerForCooperation if country.partner_group else OSCE_OX.ParticipatingState))
            g.add((s, SKOS_OX.prefLabel, _en(country.pref_label)))
            for alt in country.alt_labels:
                g.add((s, SKOS_OX.altLabel, _en(alt)))
            g.add((s, OSCE_OX.iso3166Alpha2, ox.Literal(country.iso2)))
            if country.geonames_id:
                g.add((s, OWL_OX.sameAs, GEONAMES_OX[f"{country.geonames_id}/"]))
            if country.partner_group:
                g.add((s, OSCE_OX.partnerGroup, ox.Literal(country.partner_group)))
        for structure in ref.structures.values():
            s = self.structure_iri(structure.id)
            g.add((s, RDF_OX.type, ORG_OX.Organization))
            for kind in structure.kinds:
                g.add((s, RDF_OX.type, OSCE_OX[kind]))
            g.add((s, SKOS_OX.prefLabel, _en(structure.pref_label)))
            for alt in structure.alt_labels:
                g.add((s, SKOS_OX.altLabel, _en(alt)))
            if structure.parent:
                g.add((s, ORG_OX.subOrganizationOf, self.structure_iri(structure.parent)))
            if structure.host_country:
                g.add((s, OSCE_OX.hostCountry, self.country_iri(structure.host_country)))
            if structure.closed is not None:
                g.add((s, OSCE_OX.closed, boolean(structure.closed)))
        for office in ref.offices.values():
            s = self._slug_iri("post", office.id)
            g.add((s, RDF_OX.type, ORG_OX.Post))
            g.add((s, SKOS_OX.prefLabel, _en(office.title)))
            for alt in office.alt_titles:
                g.add((s, SKOS_OX.altLabel, _en(alt)))
            g.add((s, ORG_OX.postIn, self.structure_iri(office.organization)))
        for concepts in (ref.fields_of_work, ref.meeting_categories):
            for concept in concepts.values():
                s = self.concept_iri(concept.scheme, concept.id)
                g.add((s, RDF_OX.type, SKOS_OX.Concept))
                g.add((s, SKOS_OX.inScheme, _SCHEMES[concept.scheme][1]))
                g.add((s, SKOS_OX.prefLabel, _en(concept.pref_label)))
                for alt in concept.alt_labels:
                    g.add((s, SKOS_OX.altLabel, _en(alt)))
        for name, label in SCHEME_LABELS.items():
            scheme = _SCHEMES[name][1]
            g.add((scheme, RDF_OX.type, SKOS_OX.ConceptScheme))
            g.add((scheme, SKOS_OX.prefLabel, _en(label)))
        self._map_wikidata_links(g)
        self._map_office_holders(g)
        return add_schema_types(g)

    # ------------------------------------------------------------------ pages
    def map_page(self, record: PageRecord) -> Triples:
        """The graph of one page: its items, meetings, persons, statements,
        places, non-reference organisations and Chairpersonships."""
        g = Triples()
        chairs: list[Chairpersonship] = []
        if record.navigation is not None:
            chairs.extend(record.navigation.chairpersonships)
        urls = Counter(item.url for item in record.items if item.url)
        for item in record.items:
            self._map_item(g, item, record.source.key, url_shared=urls[item.url] > 1 if item.url else False)
            chairs.extend(item.chairpersonships)
        for chair in dict.fromkeys(chairs):
            self._add_chairpersonship(g, chair)
        return add_schema_types(g)

    def person_mentions(self, record: PageRecord) -> list[PersonMention]:
        """The persons of the page as :meth:`map_page` names them, with the
        evidence person resolution weighs (:mod:`osce_kg.identity`): one
        mention per person and item, in page order."""
        mentions: list[PersonMention] = []
        for item in record.items:
            date = item.date_published.isoformat() if item.date_published else ""
            for person in item.persons:
                iri = self.person_iri(person.name).value
                office = self.ref.office(person.job_title) if person.job_title else None
                if person.affiliation is not None:
                    affiliations: tuple[str, ...] = (self.org_iri(person.affiliation).value,)
                elif person.affiliation_country:
                    affiliations = (self.country_iri(person.affiliation_country).value,)
                else:
                    affiliations = ()
                qids: tuple[str, ...] = ()
                memberships: tuple[tuple[str, str, str], ...] = ()
                if office is not None:
                    qids = tuple(dict.fromkeys(r.wikidata for r in self.ref.holder_rows(person.name, office.id) if r.wikidata))
                    if date:
                        memberships = ((self.membership_iri(person.name, office.id).value, office.id, date),)
                mentions.append(PersonMention(
                    iri, person.name, item.language or "en", (office.id,) if office else (), affiliations, qids,
                    (date,) if date else (), memberships,
                ))
        return mentions

    def _add_chairpersonship(self, g: Triples, chair: Chairpersonship) -> ox.NamedNode:
        s = self._slug_iri("chairpersonship", str(chair.year))
        country = self.ref.countries.get(chair.state)
        state_name = country.pref_label if country else chair.state
        g.add((s, RDF_OX.type, ORG_OX.Organization))
        g.add((s, RDF_OX.type, OSCE_OX.Chairpersonship))
        g.add((s, SKOS_OX.prefLabel, _en(f"OSCE Chairpersonship {chair.year} ({state_name})")))
        g.add((s, OSCE_OX.year, typed(str(chair.year), XSD_OX.gYear)))
        g.add((s, OSCE_OX.chairingState, self.country_iri(chair.state)))
        if self._chair_structure:
            g.add((s, ORG_OX.subOrganizationOf, self.structure_iri(self._chair_structure)))
        expected = self.ref.chairpersonships.get(chair.year)
        if expected and expected != chair.state:
            logger.warning("Chairpersonship %s: page says %s, reference table says %s", chair.year, chair.state, expected)
        return s

    def _org(self, g: Triples, org: OrgRef) -> ox.NamedNode:
        s = self.org_iri(org)
        if org.chair_year is not None and org.country:
            return self._add_chairpersonship(g, Chairpersonship(org.chair_year, org.country))
        if org.structure_id is None:
            g.add((s, RDF_OX.type, ORG_OX.Organization))
            g.add((s, SKOS_OX.prefLabel, _en(org.name)))
            if org.acronym:
                g.add((s, SKOS_OX.altLabel, _en(org.acronym)))
            if org.country and org.country in self.ref.countries:
                g.add((s, OSCE_OX.country, self.country_iri(org.country)))
        return s

    def _place(self, g: Triples, place: Place) -> ox.NamedNode:
        s = self.place_iri(place)
        g.add((s, RDF_OX.type, SCHEMA_OX.Place))
        g.add((s, SCHEMA_OX.name, _en(place.name)))
        if place.country and place.country in self.ref.countries:
            g.add((s, SCHEMA_OX.containedInPlace, self.country_iri(place.country)))
        if place.geonames_id:
            g.add((s, OWL_OX.sameAs, GEONAMES_OX[f"{place.geonames_id}/"]))
        return s

    def _person(self, g: Triples, person: Person, lang: str = "en") -> ox.NamedNode:
        s = self.person_iri(person.name)
        g.add((s, RDF_OX.type, SCHEMA_OX.Person))
        table_name = self._table_names.get(s)
        if table_name is not None and table_name != person.name:
            # the office-holder table names this person (the same IRI: the
            # same name but for hyphens and case, "Frank Walter Steinmeier"):
            # its form is the name, the page's is kept as an alternate name
            g.add((s, SCHEMA_OX.alternateName, ox.Literal(person.name, language=lang)))
        else:
            g.add((s, SCHEMA_OX.name, ox.Literal(person.name)))
        if person.honorific:
            g.add((s, SCHEMA_OX.honorificPrefix, ox.Literal(person.honorific)))
        if person.job_title:
            g.add((s, SCHEMA_OX.jobTitle, ox.Literal(person.job_title, language=lang)))
        if person.affiliation is not None:
            g.add((s, SCHEMA_OX.affiliation, self._org(g, person.affiliation)))
        elif person.affiliation_country:
            g.add((s, SCHEMA_OX.affiliation, self.country_iri(person.affiliation_country)))
        return s

    def _meeting(self, g: Triples, meeting: Meeting, lang: str = "en") -> ox.NamedNode:
        s = self.meeting_iri(meeting)
        g.add((s, RDF_OX.type, OSCE_OX.Meeting))
        g.add((s, SCHEMA_OX.name, ox.Literal(meeting.name, language=lang)))
        if meeting.acronym:
            g.add((s, SCHEMA_OX.alternateName, _en(meeting.acronym)))
        if meeting.theme:
            g.add((s, OSCE_OX.theme, _en(meeting.theme)))
        if meeting.start:
            g.add((s, SCHEMA_OX.startDate, typed(meeting.start.isoformat(), XSD_OX.date)))
        if meeting.end:
            g.add((s, SCHEMA_OX.endDate, typed(meeting.end.isoformat(), XSD_OX.date)))
        if meeting.place:
            g.add((s, SCHEMA_OX.location, self._place(g, meeting.place)))
        if meeting.attendance:
            g.add((s, SCHEMA_OX.eventAttendanceMode, SCHEMA_OX[meeting.attendance.value]))
        for org in meeting.organizers:
            g.add((s, SCHEMA_OX.organizer, self._org(g, org)))
        for org in meeting.supporters:
            g.add((s, OSCE_OX.supportedBy, self._org(g, org)))
        if meeting.participants is not None:
            g.add((s, OSCE_OX.participantCount, integer(meeting.participants)))
        if meeting.participants_min is not None:
            g.add((s, OSCE_OX.minimumParticipantCount, integer(meeting.participants_min)))
        if meeting.series:
            series = self._named_iri("meeting-series", meeting.series)
            g.add((series, RDF_OX.type, OSCE_OX.MeetingSeries))
            g.add((series, SCHEMA_OX.name, _en(meeting.series)))
            g.add((s, SCHEMA_OX.superEvent, series))
            if meeting.category_id:
                g.add((series, OSCE_OX.meetingCategory, self.concept_iri("MeetingCategories", meeting.category_id)))
        if meeting.category_id:
            g.add((s, OSCE_OX.meetingCategory, self.concept_iri("MeetingCategories", meeting.category_id)))
        for field_id in meeting.fields_of_work:
            g.add((s, SCHEMA_OX.about, self.concept_iri("FieldsOfWork", field_id)))
        return s

    def _map_item(self, g: Triples, item: NewsItem, page_key: str = "", *, url_shared: bool = False) -> None:
        slug = self.item_slug(item, page_key, url_shared=url_shared)
        s = self._slug_iri("item", slug)
        g.add((s, RDF_OX.type, OSCE_OX.NewsItem))
        lang = item.language or "en"
        if item.headline:
            g.add((s, SCHEMA_OX.headline, ox.Literal(item.headline, language=lang)))
        if item.lead:
            g.add((s, SCHEMA_OX.abstract, ox.Literal(item.lead, language=lang)))
        if item.content_type:
            g.add((s, OSCE_OX.contentType, ox.Literal(item.content_type)))
        if item.date_published:
            g.add((s, SCHEMA_OX.datePublished, typed(item.date_published.isoformat(), XSD_OX.date)))
        if item.url:
            g.add((s, SCHEMA_OX.url, typed(item.url, XSD_OX.anyURI)))
        for org in item.publishers:
            g.add((s, SCHEMA_OX.publisher, self._org(g, org)))
        for field_id in item.fields_of_work:
            g.add((s, SCHEMA_OX.about, self.concept_iri("FieldsOfWork", field_id)))
        if item.dateline_place:
            g.add((s, SCHEMA_OX.locationCreated, self._place(g, item.dateline_place)))
        for code in (*item.states_mentioned, *item.partners_mentioned):
            g.add((s, SCHEMA_OX.mentions, self.country_iri(code)))
        for org in item.orgs_mentioned:
            g.add((s, SCHEMA_OX.mentions, self._org(g, org)))
        for chair in item.chairpersonships:
            g.add((s, SCHEMA_OX.mentions, self._add_chairpersonship(g, chair)))
        persons = {p.name: self._person(g, p, lang) for p in item.persons}
        for person_iri in persons.values():
            g.add((s, SCHEMA_OX.mentions, person_iri))
        persons.update(self._map_posts_of_item(g, item, s, persons))
        meetings = {m.name: self._meeting(g, m, lang) for m in item.meetings}
        for meeting_iri in meetings.values():
            g.add((s, SCHEMA_OX.mentions, meeting_iri))
        for statement in item.statements:
            by_date = statement.rule.endswith(".date")  # the IRI does not change when resolved by date
            speaker = (statement.speaker_role if by_date else statement.speaker) or statement.speaker_role or ""
            st = self._slug_iri("statement", f"{slug}-{_short_hash(statement.text + chr(10) + speaker)}")
            g.add((st, RDF_OX.type, OSCE_OX.Statement))
            g.add((st, SCHEMA_OX.text, ox.Literal(statement.text, language=lang)))
            g.add((st, OSCE_OX.attributedBy, ox.Literal(statement.rule)))
            if statement.speaker and statement.speaker in persons:
                g.add((st, SCHEMA_OX.creator, persons[statement.speaker]))
            if statement.speaker_role:
                g.add((st, OSCE_OX.speakerRole, ox.Literal(statement.speaker_role, language=lang)))
            if statement.meeting and statement.meeting in meetings:
                g.add((st, SCHEMA_OX.recordedAt, meetings[statement.meeting]))
            g.add((st, PROV_OX.wasDerivedFrom, s))

    # ------------------------------------------------------------------ posts, holders, links out
    def post_iri(self, post_id: str) -> ox.NamedNode:
        return self._slug_iri("post", post_id)

    def membership_iri(self, name: str, post_id: str) -> ox.NamedNode:
        """One membership per person and post: the person's slug and the post id."""
        return self.membership_of(self.person_iri(name).value, post_id)

    def membership_of(self, person_iri: str, post_id: str) -> ox.NamedNode:
        """The membership of the person ``person_iri`` in ``post_id``."""
        return self._slug_iri("membership", f"{person_iri.rsplit('/', 1)[1]}-{post_id}")

    def map_evidence_intervals(self, intervals: list[tuple[str, str, str]]) -> Triples:
        """``org:memberDuring`` of memberships no table row gives: an
        ``osce:evidenceBased`` ``time:Interval`` from the first to the last
        day (``YYYY-MM-DD``) an item gave evidence of it
        (:attr:`osce_kg.identity.Resolution.intervals`)."""
        g = Triples()
        for membership, first, last in intervals:
            m = ox.NamedNode(membership)
            interval = self._slug_iri("interval", f"{membership.rsplit('/', 1)[1]}-evidence")
            g.add((m, ORG_OX.memberDuring, interval))
            g.add((interval, RDF_OX.type, TIME_OX.Interval))
            g.add((interval, TIME_OX.hasBeginning, self.instant(g, dt.date.fromisoformat(first))))
            g.add((interval, TIME_OX.hasEnd, self.instant(g, dt.date.fromisoformat(last))))
            g.add((interval, OSCE_OX.evidenceBased, boolean(True)))
        return g

    def instant(self, g: Triples, day: dt.date) -> ox.NamedNode:
        """The ``time:Instant`` of ``day`` (``instant/{YYYY-MM-DD}``), added to ``g``."""
        s = self._slug_iri("instant", day.isoformat())
        g.add((s, RDF_OX.type, TIME_OX.Instant))
        g.add((s, TIME_OX.inXSDDate, typed(day.isoformat(), XSD_OX.date)))
        return s

    def _map_wikidata_links(self, g: Triples) -> None:
        """``owl:sameAs`` the Wikidata item of every State, Partner and
        structure whose table row gives one."""
        for country in self.ref.countries.values():
            if country.wikidata:
                g.add((self.country_iri(country.iso2), OWL_OX.sameAs, WIKIDATA_OX[country.wikidata]))
        for structure in self.ref.structures.values():
            if structure.wikidata:
                g.add((self.structure_iri(structure.id), OWL_OX.sameAs, WIKIDATA_OX[structure.wikidata]))

    def _map_office_holders(self, g: Triples) -> None:
        """The rows of the office-holder table: a person (``owl:sameAs`` its
        Wikidata item when the row gives one: name and post match by
        construction), one ``org:Membership`` per person and post with
        ``org:memberDuring`` the days the table is sure of (its
        :attr:`~osce_kg.reference.OfficeHolder.span`), and ``org:heldBy``
        on the post."""
        for post_id, rows in self.ref.office_holders.items():
            post = self.post_iri(post_id)
            g.add((post, OSCE_OX.singleHolder, boolean(True)))
            for row in rows:
                person = self._table_person(g, row)
                g.add((post, ORG_OX.heldBy, person))
                m = self._membership(g, row.name, post_id, person)
                first, last = row.span
                interval = self._slug_iri("interval", f"{m.value.rsplit('/', 1)[1]}-{row.start}")
                g.add((m, ORG_OX.memberDuring, interval))
                g.add((interval, RDF_OX.type, TIME_OX.Interval))
                g.add((interval, TIME_OX.hasBeginning, self.instant(g, first)))
                g.add((interval, TIME_OX.hasEnd, self.instant(g, last)))
                g.add((interval, OSCE_OX.datePrecision, ox.Literal(row.precision)))
                if row.end is None:
                    g.add((interval, OSCE_OX.openEnded, boolean(True)))

    @functools.cached_property
    def _table_names(self) -> dict[ox.NamedNode, str]:
        """Person IRI -> name of the persons of the office-holder table."""
        return {self.person_iri(row.name): row.name for rows in self.ref.office_holders.values() for row in rows}

    def _table_person(self, g: Triples, row: OfficeHolder) -> ox.NamedNode:
        person = self.person_iri(row.name)
        g.add((person, RDF_OX.type, SCHEMA_OX.Person))
        g.add((person, SCHEMA_OX.name, ox.Literal(row.name)))
        if row.wikidata:
            g.add((person, OWL_OX.sameAs, WIKIDATA_OX[row.wikidata]))
        return person

    def _membership(self, g: Triples, name: str, post_id: str, person: ox.NamedNode) -> ox.NamedNode:
        m = self.membership_iri(name, post_id)
        office = self.ref.offices[post_id]
        g.add((m, RDF_OX.type, ORG_OX.Membership))
        g.add((m, ORG_OX.member, person))
        g.add((m, ORG_OX.organization, self.structure_iri(office.organization)))
        g.add((m, OSCE_OX.post, self.post_iri(post_id)))
        return m

    def _map_posts_of_item(self, g: Triples, item: NewsItem, item_iri: ox.NamedNode, persons: dict[str, ox.NamedNode]) -> dict[str, ox.NamedNode]:
        """Posts the item gives evidence of, and the persons it resolved by date.

        A person named with a job title that is an office (``offices.csv``),
        on an item with a date: the membership of that person and post,
        ``prov:wasDerivedFrom`` the item (the evidence; its date is the
        item's ``schema:datePublished``), and ``owl:sameAs`` the person's
        Wikidata item when a row of the office-holder table has both that
        name and that post. A person resolved by date
        (``item.resolved_persons``): a node with the name the table gives,
        ``owl:sameAs`` its Wikidata item; it is not mentioned by the item.
        Returns the resolved persons by name."""
        for person in item.persons:
            office = self.ref.office(person.job_title) if person.job_title else None
            if office is None:
                continue
            rows = self.ref.holder_rows(person.name, office.id)
            for qid in dict.fromkeys(r.wikidata for r in rows if r.wikidata):
                g.add((persons[person.name], OWL_OX.sameAs, WIKIDATA_OX[qid]))
            if item.date_published is not None:
                m = self._membership(g, person.name, office.id, persons[person.name])
                g.add((m, PROV_OX.wasDerivedFrom, item_iri))
        resolved: dict[str, ox.NamedNode] = {}
        for person in item.resolved_persons:
            s = self.person_iri(person.name)
            g.add((s, RDF_OX.type, SCHEMA_OX.Person))
            g.add((s, SCHEMA_OX.name, ox.Literal(person.name)))
            office = self.ref.office(person.job_title) if person.job_title else None
            if office is not None:
                for qid in dict.fromkeys(r.wikidata for r in self.ref.holder_rows(person.name, office.id) if r.wikidata):
                    g.add((s, OWL_OX.sameAs, WIKIDATA_OX[qid]))
            resolved[person.name] = s
        return resolved
