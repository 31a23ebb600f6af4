"""Mapping: records to RDF with the terms of the ontology contract
(ARCHITECTURE.md, "Ontology contract"; ``ontology/osce.ttl``).

The result is an :class:`rdflib.Dataset` with one named graph for the reference
data (``{base}graph/reference``) and one per source page
(``{base}graph/{slug of the page key}``): the named graph is the provenance of
every fact in it. IRIs are minted by :class:`~osce_kg.vocab.IriMinter`:

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
news item                     ``item/{date}-{headline slug}-{hash of the page and the item}`` (see :meth:`Mapper.item_slug`)
statement                     ``statement/{item slug}-{hash of its text and speaker}``
============================  ==========================================

Text is tagged ``@en``; names of persons and codes are plain literals; dates
are ``xsd:date``, years ``xsd:gYear``, counts ``xsd:integer``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, SKOS, TIME, XSD

from .records import Chairpersonship, Meeting, NewsItem, OrgRef, PageRecord, Person, Place
from .reference import OfficeHolder, ReferenceData
from .vocab import GEONAMES, ORG, OSCE, PREFIXES, SCHEMA, IriMinter, slugify

__all__ = ["Mapper", "REFERENCE_GRAPH", "SCHEMA_TYPES", "add_schema_types"]

logger = logging.getLogger(__name__)

#: name of the reference-data graph, relative to the base IRI
REFERENCE_GRAPH = "reference"

#: the schema.org type every node of a class also gets, so that consumers who
#: read schema.org only (search engines, web developers) find it typed; the
#: ontology states the same as rdfs:subClassOf
SCHEMA_TYPES: dict[URIRef, URIRef] = {
    OSCE.ParticipatingState: SCHEMA.Country,
    OSCE.PartnerForCooperation: SCHEMA.Country,
    ORG.Organization: SCHEMA.Organization,
    OSCE.Meeting: SCHEMA.Event,
    OSCE.MeetingSeries: SCHEMA.EventSeries,
    OSCE.Statement: SCHEMA.Quotation,
    OSCE.NewsItem: SCHEMA.NewsArticle,
    SKOS.Concept: SCHEMA.DefinedTerm,
}


def add_schema_types(g: Graph) -> Graph:
    """Add to ``g`` the schema.org type of :data:`SCHEMA_TYPES` of every
    node typed with one of its classes; returns ``g``."""
    for cls, schema_type in SCHEMA_TYPES.items():
        for s in list(g.subjects(RDF.type, cls)):
            g.add((s, RDF.type, schema_type))
    return g


#: the concept schemes of the reference graph (the ontology declares them,
#: with a comment): name -> label
SCHEME_LABELS: dict[str, str] = {"FieldsOfWork": "OSCE fields of work", "MeetingCategories": "OSCE meeting categories"}

#: Wikidata items (``owl:sameAs`` of States, Partners, structures and persons)
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

_SCHEMES = {"FieldsOfWork": ("field-of-work", OSCE.FieldsOfWork), "MeetingCategories": ("meeting-category", OSCE.MeetingCategories)}


def _short_hash(text: str) -> str:
    """8 hex digits of the SHA-256 of ``text``: disambiguates readable slugs."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def new_dataset() -> Dataset:
    """An empty dataset with the project's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


class Mapper:
    """Maps reference data and page records to RDF graphs for one base IRI."""

    def __init__(self, ref: ReferenceData, minter: IriMinter) -> None:
        self.ref = ref
        self.minter = minter
        chair = next((s for s in ref.structures.values() if "Chairpersonship" in s.kinds), None)
        self._chair_structure = chair.id if chair else None

    # ------------------------------------------------------------------ IRIs
    def country_iri(self, iso2: str) -> URIRef:
        return self.minter.iri_from_slug("country", iso2.lower())

    def structure_iri(self, structure_id: str) -> URIRef:
        return self.minter.iri_from_slug("org", structure_id)

    def org_iri(self, org: OrgRef) -> URIRef:
        if org.chair_year is not None:
            return self.minter.iri_from_slug("chairpersonship", str(org.chair_year))
        if org.structure_id:
            return self.structure_iri(org.structure_id)
        return self.minter.iri("org", org.name)

    def concept_iri(self, scheme: str, concept_id: str) -> URIRef:
        return self.minter.iri_from_slug(_SCHEMES[scheme][0], concept_id)

    def person_iri(self, name: str) -> URIRef:
        return self.minter.iri("person", name)

    def place_iri(self, place: Place) -> URIRef:
        name = f"{place.name} {place.country}" if place.country else place.name
        return self.minter.iri("place", name)

    def meeting_iri(self, meeting: Meeting) -> URIRef:
        key = f"{meeting.start.isoformat()} {meeting.name}" if meeting.start else meeting.name
        return self.minter.iri("meeting", key)

    def item_slug(self, item: NewsItem, page_key: str = "") -> str:
        """Readable and unique: date, the headline's first words (the first
        words of the text when there is no headline), and 8 hex digits of a
        hash of the page, the headline, date, content type and URL and the
        item's place on its page. Items never merge across pages: two pages
        whose headline is the same site banner stay two items."""
        date = item.date_published.isoformat() if item.date_published else ""
        title = item.headline or (item.lead or (item.body[0] if item.body else ""))[:60]
        digest = _short_hash(
            f"{page_key}\n{item.index}\n{item.headline or ''}\n{date}\n{item.content_type or ''}" + (f"\n{item.url}" if item.url else "")
            + ("" if item.headline else "\n" + "\n".join(item.body))
        )
        return f"{slugify(f'{date} {title}', max_length=60)}-{digest}"

    def graph_iri(self, name: str) -> URIRef:
        return self.minter.graph(name)

    # ------------------------------------------------------------------ reference
    def map_reference(self) -> Graph:
        """The reference graph: States, Partners, structures, posts, concepts."""
        g = Graph()
        ref = self.ref
        for country in ref.countries.values():
            s = self.country_iri(country.iso2)
            g.add((s, RDF.type, OSCE.PartnerForCooperation if country.partner_group else OSCE.ParticipatingState))
            g.add((s, SKOS.prefLabel, _en(country.pref_label)))
            for alt in country.alt_labels:
                g.add((s, SKOS.altLabel, _en(alt)))
            g.add((s, OSCE.iso3166Alpha2, Literal(country.iso2)))
            if country.geonames_id:
                g.add((s, OWL.sameAs, GEONAMES[f"{country.geonames_id}/"]))
            if country.partner_group:
                g.add((s, OSCE.partnerGroup, Literal(country.partner_group)))
        for structure in ref.structures.values():
            s = self.structure_iri(structure.id)
            g.add((s, RDF.type, ORG.Organization))
            for kind in structure.kinds:
                g.add((s, RDF.type, OSCE[kind]))
            g.add((s, SKOS.prefLabel, _en(structure.pref_label)))
            for alt in structure.alt_labels:
                g.add((s, SKOS.altLabel, _en(alt)))
            if structure.parent:
                g.add((s, ORG.subOrganizationOf, self.structure_iri(structure.parent)))
            if structure.host_country:
                g.add((s, OSCE.hostCountry, self.country_iri(structure.host_country)))
            if structure.closed is not None:
                g.add((s, OSCE.closed, Literal(structure.closed)))
        for office in ref.offices.values():
            s = self.minter.iri_from_slug("post", office.id)
            g.add((s, RDF.type, ORG.Post))
            g.add((s, SKOS.prefLabel, _en(office.title)))
            for alt in office.alt_titles:
                g.add((s, SKOS.altLabel, _en(alt)))
            g.add((s, ORG.postIn, self.structure_iri(office.organization)))
        for concepts in (ref.fields_of_work, ref.meeting_categories):
            for concept in concepts.values():
                s = self.concept_iri(concept.scheme, concept.id)
                g.add((s, RDF.type, SKOS.Concept))
                g.add((s, SKOS.inScheme, _SCHEMES[concept.scheme][1]))
                g.add((s, SKOS.prefLabel, _en(concept.pref_label)))
                for alt in concept.alt_labels:
                    g.add((s, SKOS.altLabel, _en(alt)))
        for name, label in SCHEME_LABELS.items():
            scheme = _SCHEMES[name][1]
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            g.add((scheme, SKOS.prefLabel, _en(label)))
        self._map_wikidata_links(g)
        self._map_office_holders(g)
        return add_schema_types(g)

    # ------------------------------------------------------------------ pages
    def map_page(self, record: PageRecord) -> Graph:
        """The graph of one page: its items, meetings, persons, statements,
        places, non-reference organisations and Chairpersonships."""
        g = Graph()
        chairs: list[Chairpersonship] = []
        if record.navigation is not None:
            chairs.extend(record.navigation.chairpersonships)
        for item in record.items:
            self._map_item(g, item, record.source.key)
            chairs.extend(item.chairpersonships)
        for chair in dict.fromkeys(chairs):
            self._add_chairpersonship(g, chair)
        return add_schema_types(g)

    def _add_chairpersonship(self, g: Graph, chair: Chairpersonship) -> URIRef:
        s = self.minter.iri_from_slug("chairpersonship", str(chair.year))
        country = self.ref.countries.get(chair.state)
        state_name = country.pref_label if country else chair.state
        g.add((s, RDF.type, ORG.Organization))
        g.add((s, RDF.type, OSCE.Chairpersonship))
        g.add((s, SKOS.prefLabel, _en(f"OSCE Chairpersonship {chair.year} ({state_name})")))
        g.add((s, OSCE.year, Literal(str(chair.year), datatype=XSD.gYear)))
        g.add((s, OSCE.chairingState, self.country_iri(chair.state)))
        if self._chair_structure:
            g.add((s, ORG.subOrganizationOf, self.structure_iri(self._chair_structure)))
        expected = self.ref.chairpersonships.get(chair.year)
        if expected and expected != chair.state:
            logger.warning("Chairpersonship %s: page says %s, reference table says %s", chair.year, chair.state, expected)
        return s

    def _org(self, g: Graph, org: OrgRef) -> URIRef:
        s = self.org_iri(org)
        if org.chair_year is not None and org.country:
            return self._add_chairpersonship(g, Chairpersonship(org.chair_year, org.country))
        if org.structure_id is None:
            g.add((s, RDF.type, ORG.Organization))
            g.add((s, SKOS.prefLabel, _en(org.name)))
            if org.acronym:
                g.add((s, SKOS.altLabel, _en(org.acronym)))
            if org.country and org.country in self.ref.countries:
                g.add((s, OSCE.country, self.country_iri(org.country)))
        return s

    def _place(self, g: Graph, place: Place) -> URIRef:
        s = self.place_iri(place)
        g.add((s, RDF.type, SCHEMA.Place))
        g.add((s, SCHEMA.name, _en(place.name)))
        if place.country and place.country in self.ref.countries:
            g.add((s, SCHEMA.containedInPlace, self.country_iri(place.country)))
        if place.geonames_id:
            g.add((s, OWL.sameAs, GEONAMES[f"{place.geonames_id}/"]))
        return s

    def _person(self, g: Graph, person: Person, lang: str = "en") -> URIRef:
        s = self.person_iri(person.name)
        g.add((s, RDF.type, SCHEMA.Person))
        g.add((s, SCHEMA.name, Literal(person.name)))
        if person.honorific:
            g.add((s, SCHEMA.honorificPrefix, Literal(person.honorific)))
        if person.job_title:
            g.add((s, SCHEMA.jobTitle, Literal(person.job_title, lang=lang)))
        if person.affiliation is not None:
            g.add((s, SCHEMA.affiliation, self._org(g, person.affiliation)))
        elif person.affiliation_country:
            g.add((s, SCHEMA.affiliation, self.country_iri(person.affiliation_country)))
        return s

    def _meeting(self, g: Graph, meeting: Meeting, lang: str = "en") -> URIRef:
        s = self.meeting_iri(meeting)
        g.add((s, RDF.type, OSCE.Meeting))
        g.add((s, SCHEMA.name, Literal(meeting.name, lang=lang)))
        if meeting.acronym:
            g.add((s, SCHEMA.alternateName, _en(meeting.acronym)))
        if meeting.theme:
            g.add((s, OSCE.theme, _en(meeting.theme)))
        if meeting.start:
            g.add((s, SCHEMA.startDate, Literal(meeting.start, datatype=XSD.date)))
        if meeting.end:
            g.add((s, SCHEMA.endDate, Literal(meeting.end, datatype=XSD.date)))
        if meeting.place:
            g.add((s, SCHEMA.location, self._place(g, meeting.place)))
        if meeting.attendance:
            g.add((s, SCHEMA.eventAttendanceMode, SCHEMA[meeting.attendance.value]))
        for org in meeting.organizers:
            g.add((s, SCHEMA.organizer, self._org(g, org)))
        for org in meeting.supporters:
            g.add((s, OSCE.supportedBy, self._org(g, org)))
        if meeting.participants is not None:
            g.add((s, OSCE.participantCount, Literal(meeting.participants, datatype=XSD.integer)))
        if meeting.participants_min is not None:
            g.add((s, OSCE.minimumParticipantCount, Literal(meeting.participants_min, datatype=XSD.integer)))
        if meeting.series:
            series = self.minter.iri("meeting-series", meeting.series)
            g.add((series, RDF.type, OSCE.MeetingSeries))
            g.add((series, SCHEMA.name, _en(meeting.series)))
            g.add((s, SCHEMA.superEvent, series))
            if meeting.category_id:
                g.add((series, OSCE.meetingCategory, self.concept_iri("MeetingCategories", meeting.category_id)))
        if meeting.category_id:
            g.add((s, OSCE.meetingCategory, self.concept_iri("MeetingCategories", meeting.category_id)))
        for field_id in meeting.fields_of_work:
            g.add((s, SCHEMA.about, self.concept_iri("FieldsOfWork", field_id)))
        return s

    def _map_item(self, g: Graph, item: NewsItem, page_key: str = "") -> None:
        slug = self.item_slug(item, page_key)
        s = self.minter.iri_from_slug("item", slug)
        g.add((s, RDF.type, OSCE.NewsItem))
        lang = item.language or "en"
        if item.headline:
            g.add((s, SCHEMA.headline, Literal(item.headline, lang=lang)))
        if item.lead:
            g.add((s, SCHEMA.abstract, Literal(item.lead, lang=lang)))
        if item.content_type:
            g.add((s, OSCE.contentType, Literal(item.content_type)))
        if item.date_published:
            g.add((s, SCHEMA.datePublished, Literal(item.date_published, datatype=XSD.date)))
        if item.url:
            g.add((s, SCHEMA.url, Literal(item.url, datatype=XSD.anyURI)))
        for org in item.publishers:
            g.add((s, SCHEMA.publisher, self._org(g, org)))
        for field_id in item.fields_of_work:
            g.add((s, SCHEMA.about, self.concept_iri("FieldsOfWork", field_id)))
        if item.dateline_place:
            g.add((s, SCHEMA.locationCreated, self._place(g, item.dateline_place)))
        for code in (*item.states_mentioned, *item.partners_mentioned):
            g.add((s, SCHEMA.mentions, self.country_iri(code)))
        for org in item.orgs_mentioned:
            g.add((s, SCHEMA.mentions, self._org(g, org)))
        for chair in item.chairpersonships:
            g.add((s, SCHEMA.mentions, self._add_chairpersonship(g, chair)))
        persons = {p.name: self._person(g, p, lang) for p in item.persons}
        for person_iri in persons.values():
            g.add((s, SCHEMA.mentions, person_iri))
        persons.update(self._map_posts_of_item(g, item, s, persons))
        meetings = {m.name: self._meeting(g, m, lang) for m in item.meetings}
        for meeting_iri in meetings.values():
            g.add((s, SCHEMA.mentions, meeting_iri))
        for statement in item.statements:
            by_date = statement.rule.endswith(".date")  # the IRI does not change when resolved by date
            speaker = (statement.speaker_role if by_date else statement.speaker) or statement.speaker_role or ""
            st = self.minter.iri_from_slug("statement", f"{slug}-{_short_hash(statement.text + chr(10) + speaker)}")
            g.add((st, RDF.type, OSCE.Statement))
            g.add((st, SCHEMA.text, Literal(statement.text, lang=lang)))
            g.add((st, OSCE.attributedBy, Literal(statement.rule)))
            if statement.speaker and statement.speaker in persons:
                g.add((st, SCHEMA.creator, persons[statement.speaker]))
            if statement.speaker_role:
                g.add((st, OSCE.speakerRole, Literal(statement.speaker_role, lang=lang)))
            if statement.meeting and statement.meeting in meetings:
                g.add((st, SCHEMA.recordedAt, meetings[statement.meeting]))
            g.add((st, PROV.wasDerivedFrom, s))

    # ------------------------------------------------------------------ posts, holders, links out
    def post_iri(self, post_id: str) -> URIRef:
        return self.minter.iri_from_slug("post", post_id)

    def membership_iri(self, name: str, post_id: str) -> URIRef:
        """One membership per person and post: the person's slug and the post id."""
        person_slug = str(self.person_iri(name)).rsplit("/", 1)[1]
        return self.minter.iri_from_slug("membership", f"{person_slug}-{post_id}")

    def instant(self, g: Graph, day: dt.date) -> URIRef:
        """The ``time:Instant`` of ``day`` (``instant/{YYYY-MM-DD}``), added to ``g``."""
        s = self.minter.iri_from_slug("instant", day.isoformat())
        g.add((s, RDF.type, TIME.Instant))
        g.add((s, TIME.inXSDDate, Literal(day, datatype=XSD.date)))
        return s

    def _map_wikidata_links(self, g: Graph) -> None:
        """``owl:sameAs`` the Wikidata item of every State, Partner and
        structure whose table row gives one."""
        for country in self.ref.countries.values():
            if country.wikidata:
                g.add((self.country_iri(country.iso2), OWL.sameAs, WIKIDATA[country.wikidata]))
        for structure in self.ref.structures.values():
            if structure.wikidata:
                g.add((self.structure_iri(structure.id), OWL.sameAs, WIKIDATA[structure.wikidata]))

    def _map_office_holders(self, g: Graph) -> None:
        """The rows of the office-holder table: a person (``owl:sameAs`` its
        Wikidata item when the row gives one: name and post match by
        construction), one ``org:Membership`` per person and post with
        ``org:memberDuring`` the days the table is sure of (its
        :attr:`~osce_kg.reference.OfficeHolder.span`), and ``org:heldBy``
        on the post."""
        for post_id, rows in self.ref.office_holders.items():
            post = self.post_iri(post_id)
            g.add((post, OSCE.singleHolder, Literal(True)))
            for row in rows:
                person = self._table_person(g, row)
                g.add((post, ORG.heldBy, person))
                m = self._membership(g, row.name, post_id, person)
                first, last = row.span
                interval = self.minter.iri_from_slug("interval", f"{str(m).rsplit('/', 1)[1]}-{row.start}")
                g.add((m, ORG.memberDuring, interval))
                g.add((interval, RDF.type, TIME.Interval))
                g.add((interval, TIME.hasBeginning, self.instant(g, first)))
                g.add((interval, TIME.hasEnd, self.instant(g, last)))
                g.add((interval, OSCE.datePrecision, Literal(row.precision)))
                if row.end is None:
                    g.add((interval, OSCE.openEnded, Literal(True)))

    def _table_person(self, g: Graph, row: OfficeHolder) -> URIRef:
        person = self.person_iri(row.name)
        g.add((person, RDF.type, SCHEMA.Person))
        g.add((person, SCHEMA.name, Literal(row.name)))
        if row.wikidata:
            g.add((person, OWL.sameAs, WIKIDATA[row.wikidata]))
        return person

    def _membership(self, g: Graph, name: str, post_id: str, person: URIRef) -> URIRef:
        m = self.membership_iri(name, post_id)
        office = self.ref.offices[post_id]
        g.add((m, RDF.type, ORG.Membership))
        g.add((m, ORG.member, person))
        g.add((m, ORG.organization, self.structure_iri(office.organization)))
        g.add((m, OSCE.post, self.post_iri(post_id)))
        return m

    def _map_posts_of_item(self, g: Graph, item: NewsItem, item_iri: URIRef, persons: dict[str, URIRef]) -> dict[str, URIRef]:
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
                g.add((persons[person.name], OWL.sameAs, WIKIDATA[qid]))
            if item.date_published is not None:
                m = self._membership(g, person.name, office.id, persons[person.name])
                g.add((m, PROV.wasDerivedFrom, item_iri))
        resolved: dict[str, URIRef] = {}
        for person in item.resolved_persons:
            s = self.person_iri(person.name)
            g.add((s, RDF.type, SCHEMA.Person))
            g.add((s, SCHEMA.name, Literal(person.name)))
            office = self.ref.office(person.job_title) if person.job_title else None
            if office is not None:
                for qid in dict.fromkeys(r.wikidata for r in self.ref.holder_rows(person.name, office.id) if r.wikidata):
                    g.add((s, OWL.sameAs, WIKIDATA[qid]))
            resolved[person.name] = s
        return resolved

    # ------------------------------------------------------------------ dataset
    def build_dataset(self, records: Iterable[PageRecord]) -> Dataset:
        """A dataset with the reference graph and one named graph per page."""
        ds = new_dataset()
        ref_graph = ds.graph(self.graph_iri(REFERENCE_GRAPH))
        for triple in self.map_reference():
            ref_graph.add(triple)
        for record in records:
            self.add_page(ds, record)
        return ds

    def add_page(self, ds: Dataset, record: PageRecord) -> URIRef:
        """Add the named graph of ``record`` to ``ds``; returns the graph IRI."""
        name = self.graph_iri(f"page {record.source.key}")
        graph = ds.graph(name)
        for triple in self.map_page(record):
            graph.add(triple)
        return name
