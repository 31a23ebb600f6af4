"""Typed records produced by extraction and consumed by mapping.

The records hold what a page *says*, with names as written and, where the
reference data knows them, the resolved identifiers (ISO 3166 alpha-2 codes,
ids of ``data/reference/structures.csv``). A value the page does not give is
``None`` or an empty tuple: nothing here is guessed (ARCHITECTURE.md, "Guess nothing").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class AttendanceMode(str, Enum):
    """How a meeting was attended, as schema.org's EventAttendanceModeEnumeration."""

    ONLINE = "OnlineEventAttendanceMode"
    OFFLINE = "OfflineEventAttendanceMode"
    MIXED = "MixedEventAttendanceMode"


@dataclass(frozen=True)
class SourcePage:
    """One input file.

    Attributes:
        path: the file as given on the command line (or found in a folder).
        key: stable identifier of the page within the build: the path
            relative to the folder it was found in, with ``/`` separators
            (the file name for a single file). Used for the named graph IRI.
        text: the decoded content (UTF-8 or detected), newlines normalised.
        media_type: ``"text/plain"`` for page dumps, ``"text/html"`` for HTML.
        sha256: hex digest of the raw bytes.
        modified: the file's modification time (UTC), for dataset metadata only.
        url: the URL the page was fetched from (after redirects), when known
            (a fetched page's metadata, a WARC record's target URI).
        fetched: when it was fetched (the fetch metadata, the WARC-Date);
            provenance only, never a publication date.
        record_id: the WARC-Record-ID of its response record, when known.
    """

    path: Path
    key: str
    text: str
    media_type: str
    sha256: str
    modified: dt.datetime
    url: str | None = None
    fetched: dt.datetime | None = None
    record_id: str | None = None


@dataclass(frozen=True)
class OrgRef:
    """An organisation named on a page.

    Attributes:
        name: the name as written, without a trailing "(closed)".
        structure_id: id in ``structures.csv`` when it is a known structure,
            else ``None`` (then it is minted as a plain ``org:Organization``).
        country: ISO 3166 alpha-2 of the State it belongs to, when the page
            says so ("Sweden's Ministry for Foreign Affairs" -> ``"SE"``).
        closed: ``True`` when the page marks it "(closed)", else ``None``.
        acronym: the acronym written after it in brackets ("UNODC"), or ``None``.
        chair_year: set when the name is a year's OSCE Chairpersonship ("the
            2021 Swedish OSCE Chairpersonship"); ``country`` is then the
            chairing State.
    """

    name: str
    structure_id: str | None = None
    country: str | None = None
    closed: bool | None = None
    acronym: str | None = None
    chair_year: int | None = None


@dataclass(frozen=True)
class Place:
    """A place named on a page, resolved through the gazetteer when possible.

    Attributes:
        name: the place name as written ("Vienna").
        country: ISO 3166 alpha-2 of the State it lies in, or ``None``.
        geonames_id: GeoNames id of the place, or ``None`` when not resolved.
    """

    name: str
    country: str | None = None
    geonames_id: int | None = None


@dataclass(frozen=True)
class Person:
    """A person named on a page.

    Attributes:
        name: full name as written, without honorific ("Tomasz Wierzbicki").
        honorific: "Ambassador", "Mr.", "Ms.", "Dr." ... or ``None``.
        job_title: the title as stated on the page, or ``None``.
        affiliation: the organisation the title names, or ``None``.
        affiliation_country: ISO alpha-2 when the affiliation is a State itself.
    """

    name: str
    honorific: str | None = None
    job_title: str | None = None
    affiliation: OrgRef | None = None
    affiliation_country: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A meeting or event that an item reports on.

    Attributes:
        name: name as written ("2021 OSCE Annual Police Experts Meeting").
        acronym: acronym given in brackets ("APEM"), or ``None``.
        series: the recurring series ("OSCE Annual Police Experts Meeting").
        category_id: id of a meeting category of the reference data, or ``None``.
        theme: the stated theme, or ``None``.
        start: first day; ``end``: last day when it differs from ``start``.
        place: where it was held.
        attendance: online / in person / both, when the page says so.
        organizers: organising bodies; ``supporters``: bodies "with the support of".
        participants: exact number of participants when given.
        participants_min: lower bound ("over 100", "more than 100").
        fields_of_work: ids of fields of work of the item it comes from.
    """

    name: str
    acronym: str | None = None
    series: str | None = None
    category_id: str | None = None
    theme: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    place: Place | None = None
    attendance: AttendanceMode | None = None
    organizers: tuple[OrgRef, ...] = ()
    supporters: tuple[OrgRef, ...] = ()
    participants: int | None = None
    participants_min: int | None = None
    fields_of_work: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A quotation and who said it.

    Attributes:
        text: the quoted words, quotes removed, parts of a split quotation
            joined with a space.
        speaker: name of the :class:`Person` who said it (key into the
            item's ``persons``), or ``None`` when the page does not say.
        speaker_role: the office the page names the speaker by when no person
            is named ("the OSCE Secretary General"), else ``None``.
        meeting: name of the :class:`Meeting` it was said at, or ``None``.
        paragraph: index of the body paragraph where the quotation starts
            (-1: the headline).
        rule: id of the attribution rule that found the speaker (see
            ``data/languages/README.md``), ``"none"`` when no rule did.
    """

    text: str
    speaker: str | None = None
    speaker_role: str | None = None
    meeting: str | None = None
    paragraph: int = 0
    rule: str = "none"


@dataclass(frozen=True)
class Chairpersonship:
    """The OSCE Chairpersonship of one year, held by one participating State."""

    year: int
    state: str  # ISO 3166 alpha-2


@dataclass
class Navigation:
    """The lists of the site's navigation block (old design), as written.

    Each list keeps the names in page order; ``unknown`` holds the names the
    reference data does not know, as ``(list name, name)`` pairs.
    """

    fields_of_work: list[str] = field(default_factory=list)
    meeting_categories: list[str] = field(default_factory=list)
    participating_states: list[str] = field(default_factory=list)
    partner_groups: list[str] = field(default_factory=list)
    secretariat: list[str] = field(default_factory=list)
    structures: list[str] = field(default_factory=list)
    field_operations: list[str] = field(default_factory=list)
    chairpersonships: list[Chairpersonship] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class NewsItem:
    """One item of a page: a news item, press release, statement or report.

    Attributes:
        headline: the title, or ``None`` when the stored text has none.
        content_type: "News", "Press release", "Statement", ... or ``None``.
        date_published: the publication date when the page gives it.
        url: canonical URL when known.
        lead: the lead paragraph (listing pages: as cut, with "...").
        publishers: issuing structures ("Issued by" / "Where we are").
        fields_of_work: ids of fields of work ("Fields of work" / "What we do").
        dateline_place: first place of the dateline ("VIENNA/WARSAW, ..." -> Vienna).
        body: body paragraphs, in order.
        persons: persons named in the item, one per name.
        meetings: meetings the item reports on.
        statements: quotations, in page order.
        states_mentioned: ISO codes of participating States named in the text.
        partners_mentioned: ISO codes of Partners for Co-operation named.
        orgs_mentioned: organisations named in the text.
        chairpersonships: Chairpersonships named in the text ("the 2021
            Swedish OSCE Chairpersonship").
        resolved_persons: persons the item names only by an office, held on
            the item's date by them according to the office-holder table
            (:mod:`osce_kg.offices`); not persons the page names.
        index: position of the item on its page (0 for single-item pages).
        language: ISO 639-1 code of the item's language (the language tag
            of its texts).
    """

    headline: str | None
    content_type: str | None = None
    date_published: dt.date | None = None
    url: str | None = None
    lead: str | None = None
    publishers: list[OrgRef] = field(default_factory=list)
    fields_of_work: list[str] = field(default_factory=list)
    dateline_place: Place | None = None
    body: list[str] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    states_mentioned: list[str] = field(default_factory=list)
    partners_mentioned: list[str] = field(default_factory=list)
    orgs_mentioned: list[OrgRef] = field(default_factory=list)
    chairpersonships: list[Chairpersonship] = field(default_factory=list)
    resolved_persons: list[Person] = field(default_factory=list)
    index: int = 0
    language: str = "en"


@dataclass
class PageRecord:
    """Everything extracted from one source page.

    Attributes:
        source: the page.
        layout: the name of the layout that read the page (see
            :mod:`osce_kg.extract.layouts`).
        language: ISO 639-1 code of the page's language.
        navigation: the navigation block, when the page has one.
        items: the items of the page (several on a listing page).
        warnings: human-readable notes (unknown names, skipped parts).
    """

    source: SourcePage
    layout: str
    language: str = "en"
    navigation: Navigation | None = None
    items: list[NewsItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PersonMention:
    """A person as one page's graph names it: what person resolution
    (:mod:`osce_kg.identity`) reads of each page. Strings only, so that it
    pickles and caches as JSON.

    Attributes:
        iri: the person's IRI in the page's graph (minted from ``name``).
        name: the name as the page writes it.
        language: the language tag of the item that names the person.
        offices: ids of the posts (``offices.csv``) the page's job title names.
        affiliations: IRIs of the organisations or States the page affiliates
            the person with.
        wikidata: Wikidata ids (``Q…``) the office-holder table gives for
            this name and post.
        dates: ``YYYY-MM-DD`` publication dates of the items that name the
            person (empty when no item is dated).
        memberships: ``(membership IRI, post id, YYYY-MM-DD)`` of the
            memberships the page gives evidence of.
    """

    iri: str
    name: str
    language: str
    offices: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    wikidata: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    memberships: tuple[tuple[str, str, str], ...] = ()

    def as_json(self) -> list[object]:
        """A compact JSON array (the cache's form); :meth:`from_json` reads it."""
        return [self.iri, self.name, self.language, list(self.offices), list(self.affiliations),
                list(self.wikidata), list(self.dates), [list(m) for m in self.memberships]]

    @classmethod
    def from_json(cls, data: list) -> PersonMention:  # type: ignore[type-arg]
        """The mention :meth:`as_json` wrote. Raises ``ValueError`` on another shape."""
        if not isinstance(data, list) or len(data) != 8:
            raise ValueError("not a person mention")
        iri, name, language, offices, affiliations, wikidata, dates, memberships = data
        return cls(str(iri), str(name), str(language), tuple(map(str, offices)), tuple(map(str, affiliations)),
                   tuple(map(str, wikidata)), tuple(map(str, dates)),
                   tuple((str(m[0]), str(m[1]), str(m[2])) for m in memberships))
