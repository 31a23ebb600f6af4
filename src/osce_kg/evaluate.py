"""Evaluation of the build against gold files (issue 3, point 7).

A gold file ``NAME.gold.json`` says what a correct extraction of one page finds
(format: ``tests/corpus-dev/README.md``). The page is the file beside it with
the same stem (``NAME.txt``, ``NAME.html``, ``NAME.htm``), or the file its
``"source"`` field names, relative to the gold file.

What is evaluated is the **graph** the build produces, not the extraction
records: each page is built with :func:`osce_kg.pipeline.build` (no
output files) and the facts are read with SPARQL from the page's named graph
together with the reference graph, as a user of the dumps would read them.

Matching rules, per page:

- **partial and optional quotations**: gold statements marked ``"partial":
  true`` (a short quotation inside a sentence) are counted apart (found or
  not: ``partial_found`` / ``partial_gold``) and ``optionalStatements`` not
  at all; a graph statement that matches either is never spurious;
- **statements**: a graph ``osce:Statement`` matches a gold statement when its
  ``schema:text`` contains the gold opening words, both normalised (curly and
  low quotes ``‘ ’ ‚ “ ” „`` and guillemets to straight ones, white space
  collapsed, Unicode NFC). Matching is one to one: each gold statement takes at
  most one graph statement and the other way round, statements with the right
  speaker being preferred. A matched statement is *rightly attributed* when its
  single ``schema:creator`` has the gold speaker as its ``schema:name`` or
  one of its ``schema:alternateName`` values (the page's form of a name the
  office-holder table writes otherwise) (a
  gold speaker ``null`` means: no ``schema:creator`` at all) and, when the gold
  gives ``speakerRole``, its ``osce:speakerRole`` equals it. A graph statement
  that matches no gold one (a duplicate included) is *spurious*.
- **speakers resolved by date**: the gold says what the page says, so a
  statement the page attributes only to an office has gold speaker ``null``
  and its ``speakerRole``; when the graph resolved it by the page's date
  (rule ``POSITION.date``: a ``schema:creator`` from the office-holder table,
  ``osce:speakerRole`` kept) it is rightly attributed when the role is right,
  and it is counted apart (``statements_resolved_by_date``), never as a
  speaker the page names; each one is listed in the notes with its person.
- **persons**: a gold person is found when a ``schema:Person`` of the page has
  that ``schema:name`` or ``schema:alternateName``; a graph person whose name is in no gold entry is
  *extra*. Persons of the reference graph (the office-holder table) are not
  the page's, and a person the page does not mention who is only the speaker
  of statements resolved by date is not named by the page: neither counts.
- **items**: a gold document is right when an ``osce:NewsItem`` of the page has
  its ``schema:headline``, its ``schema:datePublished`` (gold ``null``: the
  graph gives no date) and, when the gold has the key ``contentType``, its
  ``osce:contentType`` (``null``: none in the graph).
- **meetings**: a gold meeting is right when one (not yet matched) graph
  ``osce:Meeting`` has its ``schema:startDate``, its ``schema:endDate`` (no gold
  end date: the graph has none, or the same day as the start) and a
  ``schema:location`` whose ``schema:name`` is the gold location (``null``: no
  location in the graph).

Rates are fractions in [0, 1]; a rate over nothing (no gold statements, no
extracted statements) is ``None`` and meets every threshold.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from .errors import SourceError, UsageError
from .mapping import REFERENCE_GRAPH
from .pipeline import BuildConfig, build

from .sources import SUFFIXES
from .vocab import DEFAULT_BASE_IRI, OSCE, SCHEMA, IriMinter

__all__ = [
    "Counts",
    "EvalReport",
    "GOLD_SUFFIX",
    "GoldPage",
    "ItemResult",
    "MeetingResult",
    "PageResult",
    "StatementResult",
    "THRESHOLDS",
    "evaluate",
    "evaluate_graph",
    "find_gold_pages",
    "normalise_text",
    "page_notes",
]

logger = logging.getLogger(__name__)

GOLD_SUFFIX = ".gold.json"

#: threshold name (CLI option ``--min-NAME``) -> the :class:`Counts` rate it bounds
THRESHOLDS: dict[str, str] = {
    "found": "found_rate",
    "attribution": "attribution_rate",
    "precision": "precision",
    "persons": "persons_rate",
    "meetings": "meetings_rate",
}

_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    }
)


def normalise_text(text: str) -> str:
    """``text`` with typographic quotes made straight, Unicode NFC and every
    run of white space (non-breaking spaces included) collapsed to one space."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldPage:
    """A gold file and the page it describes.

    Attributes:
        gold_path: the ``*.gold.json`` file.
        page_path: the page it describes.
        data: the parsed gold JSON object.
    """

    gold_path: Path
    page_path: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        """The gold file's name without ``.gold.json`` ("00-seed")."""
        return self.gold_path.name[: -len(GOLD_SUFFIX)]

    @property
    def documents(self) -> list[dict[str, Any]]:
        """``documents`` of a listing page, else the single ``document``."""
        if "documents" in self.data:
            return list(self.data["documents"] or [])
        return [self.data["document"]] if self.data.get("document") else []


def _read_gold(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(path, f"cannot read gold file: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    if not isinstance(data, dict):
        raise SourceError(path, "a gold file holds a JSON object")
    for key in ("statements", "persons", "meetings"):
        if not isinstance(data.get(key, []), list):
            raise SourceError(path, f"{key!r} must be a list")
    return data


def _page_of_gold(gold_path: Path, data: dict[str, Any]) -> Path:
    source = data.get("source")
    if source:
        page = (gold_path.parent / source).resolve()
        if not page.is_file():
            raise UsageError(f"{gold_path}: its \"source\" {source!r} is no file ({page})")
        return page
    stem = gold_path.name[: -len(GOLD_SUFFIX)]
    for suffix in SUFFIXES:
        page = gold_path.with_name(stem + suffix)
        if page.is_file():
            return page
    raise UsageError(f"{gold_path}: no page {stem}.txt/.html beside it and no \"source\" field")


def _gold_of_page(page: Path) -> Path:
    gold = page.with_name(page.stem + GOLD_SUFFIX)
    if not gold.is_file():
        raise UsageError(f"{page}: no gold file {gold.name} beside it")
    return gold


def find_gold_pages(paths: Sequence[Path]) -> list[GoldPage]:
    """The (gold, page) pairs that ``paths`` name, in order, without repeats.

    A folder stands for every ``*.gold.json`` under it (recursively, sorted);
    a ``*.gold.json`` file for itself; a page file (``.txt``, ``.html``,
    ``.htm``) for the gold file beside it.

    Raises:
        UsageError: a path that does not exist, a page without a gold file, a
            gold file whose page cannot be found, or no gold file at all.
        SourceError: a gold file that is not readable JSON.
    """
    gold_files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*" + GOLD_SUFFIX) if p.is_file())
            if not found:
                logger.warning("%s: no *%s file in the folder", path, GOLD_SUFFIX)
            gold_files.extend(found)
        elif path.is_file() and path.name.endswith(GOLD_SUFFIX):
            gold_files.append(path)
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            gold_files.append(_gold_of_page(path))
        elif path.is_file():
            raise UsageError(f"{path}: neither a page ({', '.join(sorted(SUFFIXES))}) nor a *{GOLD_SUFFIX} file")
        else:
            raise UsageError(f"{path}: no such file or folder")
    pages: list[GoldPage] = []
    seen: set[Path] = set()
    for gold in gold_files:
        key = gold.resolve()
        if key in seen:
            continue
        seen.add(key)
        data = _read_gold(gold)
        pages.append(GoldPage(gold, _page_of_gold(gold, data), data))
    if not pages:
        raise UsageError("no gold file found in " + ", ".join(str(p) for p in paths))
    return pages


# --------------------------------------------------------------------------- results


@dataclass
class Counts:
    """Counts of one page or of all pages.

    Attributes:
        statements_gold: statements in the gold file.
        statements_found: gold statements matched by a graph statement.
        statements_attributed: matched ones with the right speaker (and role).
        statements_resolved_by_date: matched ones whose speaker the graph
            resolved from the office-holder table on the page's date (rule
            ``POSITION.date``), a subset of neither the page's names nor the
            gold's speakers.
        statements_graph: statements in the graph.
        statements_spurious: graph statements matched to no gold statement.
        persons_gold / persons_found / persons_extra: see the module doc.
        items_gold: gold documents; ``items_right``: documents right in
            headline, date and content type; ``items_headline_date_right``:
            right in headline and date (content type not checked).
        meetings_gold / meetings_right: see the module doc.
        pages_failed: pages the build could not read or extract.
    """

    statements_gold: int = 0
    statements_found: int = 0
    statements_attributed: int = 0
    statements_graph: int = 0
    statements_spurious: int = 0
    persons_gold: int = 0
    persons_found: int = 0
    persons_extra: int = 0
    items_gold: int = 0
    items_right: int = 0
    items_headline_date_right: int = 0
    meetings_gold: int = 0
    meetings_right: int = 0
    pages_failed: int = 0
    partial_gold: int = 0
    partial_found: int = 0
    items_extra: int = 0
    statements_resolved_by_date: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def found_rate(self) -> float | None:
        """Gold statements found / gold statements."""
        return self._rate(self.statements_found, self.statements_gold)

    @property
    def attribution_rate(self) -> float | None:
        """Gold statements found *and* rightly attributed / gold statements."""
        return self._rate(self.statements_attributed, self.statements_gold)

    @property
    def precision(self) -> float | None:
        """Rightly attributed gold statements / (gold statements found +
        spurious statements): a statement found with the wrong speaker counts
        against precision as much as one that is not a statement."""
        return self._rate(self.statements_attributed, self.statements_found + self.statements_spurious)

    @property
    def persons_rate(self) -> float | None:
        """Gold persons found / gold persons."""
        return self._rate(self.persons_found, self.persons_gold)

    @property
    def items_rate(self) -> float | None:
        """Gold items right / gold items."""
        return self._rate(self.items_right, self.items_gold)

    @property
    def items_headline_date_rate(self) -> float | None:
        """Gold items with the right headline and date / gold items."""
        return self._rate(self.items_headline_date_right, self.items_gold)

    @property
    def meetings_rate(self) -> float | None:
        """Gold meetings right / gold meetings."""
        return self._rate(self.meetings_right, self.meetings_gold)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        for name in ("found_rate", "attribution_rate", "precision", "persons_rate", "items_rate", "items_headline_date_rate", "meetings_rate"):
            out[name] = getattr(self, name)
        return out


@dataclass(frozen=True)
class StatementResult:
    """One gold statement and the graph statement matched to it.

    ``speaker`` / ``role`` are what the graph says (``None``: nothing); a
    statement with several creators lists them joined with " | ".
    """

    gold_text: str
    gold_speaker: str | None
    gold_role: str | None
    found: bool
    attributed: bool
    text: str | None = None
    speaker: str | None = None
    role: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class ItemResult:
    """One gold document: whether its headline is in the graph, and the
    date and content type the graph gives that item."""

    headline: str
    gold_date: str | None
    gold_content_type: str | None
    headline_found: bool
    date: str | None = None
    content_type: str | None = None
    date_right: bool = False
    content_type_right: bool = False

    @property
    def right(self) -> bool:
        return self.headline_found and self.date_right and self.content_type_right


@dataclass(frozen=True)
class MeetingResult:
    """One gold meeting and the graph meeting that has its dates and place
    (``None`` when no graph meeting has them)."""

    name: str
    start: str | None
    end: str | None
    location: str | None
    right: bool
    matched: str | None = None


@dataclass
class PageResult:
    """The evaluation of one page.

    Attributes:
        name: the gold file's name without ``.gold.json``.
        page: the page file; ``gold``: the gold file.
        counts: the page's :class:`Counts`.
        statements: one entry per gold statement, in gold order.
        spurious: texts of the graph statements that match no gold one.
        persons_missing / persons_extra: names.
        items / meetings: one entry per gold document / meeting.
        meetings_extra: the graph's meetings that match no gold meeting
            (``name``, ``start``, ``end``, ``places``), to see what was found instead.
        error: why the page could not be built (then nothing was found).
    """

    name: str
    page: Path
    gold: Path
    counts: Counts
    statements: list[StatementResult] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    persons_missing: list[str] = field(default_factory=list)
    persons_extra: list[str] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    meetings: list[MeetingResult] = field(default_factory=list)
    error: str | None = None
    layout: str | None = None
    language: str | None = None
    spurious_rules: list[str] = field(default_factory=list)
    meetings_extra: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "layout": self.layout,
            "language": self.language,
            "page": str(self.page),
            "gold": str(self.gold),
            "error": self.error,
            "counts": self.counts.to_dict(),
            "statements": [asdict(s) for s in self.statements],
            "spurious": list(self.spurious),
            "personsMissing": list(self.persons_missing),
            "personsExtra": list(self.persons_extra),
            "items": [{**asdict(i), "right": i.right} for i in self.items],
            "meetings": [asdict(m) for m in self.meetings],
            "meetingsExtra": list(self.meetings_extra),
        }


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f}%"


@dataclass
class EvalReport:
    """Per-page results and their totals."""

    pages: list[PageResult]

    @property
    def total(self) -> Counts:
        """The counts of all pages added up."""
        total = Counts()
        for page in self.pages:
            total = total + page.counts
        return total

    def check(self, **minimums: float | None) -> list[str]:
        """Thresholds not met by the totals, as sentences (empty: all met).

        Keywords are the names of :data:`THRESHOLDS` (``found=0.95`` ...), the
        values fractions in [0, 1]; ``None`` means no threshold. A rate over
        nothing meets every threshold.

        Raises:
            UsageError: for an unknown name or a value outside [0, 1].
        """
        total = self.total
        failures: list[str] = []
        for name, minimum in minimums.items():
            if name not in THRESHOLDS:
                raise UsageError(f"unknown threshold {name!r} (known: {', '.join(THRESHOLDS)})")
            if minimum is None:
                continue
            if not 0.0 <= minimum <= 1.0:
                raise UsageError(f"threshold {name} must be a fraction between 0 and 1, got {minimum}")
            rate = getattr(total, THRESHOLDS[name])
            if rate is not None and rate < minimum:
                failures.append(f"{name}: {_pct(rate)} ({rate:.3f}) is below the minimum {minimum:g}")
        return failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": [p.to_dict() for p in self.pages],
            "total": self.total.to_dict(),
            "byLayout": {k: v.to_dict() for k, v in self.by("layout").items()},
            "byLanguage": {k: v.to_dict() for k, v in self.by("language").items()},
            "byRule": self.rules(),
        }

    def by(self, attribute: str) -> dict[str, Counts]:
        """Totals per page ``layout`` or per ``language``."""
        out: dict[str, Counts] = {}
        for page in self.pages:
            key = getattr(page, attribute) or ("(not built)" if page.error else "-")
            out[key] = out.get(key, Counts()) + page.counts
        return dict(sorted(out.items()))

    def rules(self) -> dict[str, dict[str, Any]]:
        """Per attribution rule id: statements it attributed that match a
        gold one, how many of those are right, spurious ones, precision."""
        table: dict[str, dict[str, Any]] = {}
        for page in self.pages:
            for st in page.statements:
                if st.found and st.rule:
                    row = table.setdefault(st.rule, {"matched": 0, "right": 0, "spurious": 0})
                    row["matched"] += 1
                    row["right"] += int(st.attributed)
            for rule in page.spurious_rules:
                row = table.setdefault(rule, {"matched": 0, "right": 0, "spurious": 0})
                row["spurious"] += 1
        for row in table.values():
            whole = row["matched"] + row["spurious"]
            row["precision"] = row["right"] / whole if whole else None
        return dict(sorted(table.items()))

    def to_json(self) -> str:
        """The report as a JSON document (``pages`` and ``total``)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def format_text(self, details: bool = True) -> str:
        """An aligned table, one row per page and a total row, then (with
        ``details``) the misses of each page: statements not found or wrongly
        attributed, spurious statements, persons missing or extra, items and
        meetings not right."""
        header1 = ["", "statements", "", "", "persons", "", "items", "meetings"]
        header2 = ["page", "found", "attributed", "spurious", "found", "extra", "right", "right"]

        def frac(part: int, whole: int) -> str:
            return f"{part}/{whole} {_pct(part / whole if whole else None)}"

        def row(name: str, c: Counts) -> list[str]:
            return [
                name,
                frac(c.statements_found, c.statements_gold),
                frac(c.statements_attributed, c.statements_gold),
                frac(c.statements_spurious, c.statements_graph),
                frac(c.persons_found, c.persons_gold),
                str(c.persons_extra),
                frac(c.items_right, c.items_gold),
                frac(c.meetings_right, c.meetings_gold),
            ]

        rows = [row(p.name + (" (FAILED)" if p.error else ""), p.counts) for p in self.pages]
        total = row("total", self.total)
        table = [header1, header2, *rows, total]
        widths = [max(len(r[i]) for r in table) for i in range(len(header2))]

        def line(cells: list[str]) -> str:
            first = cells[0].ljust(widths[0])
            rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]
            return "  ".join([first, *rest]).rstrip()

        rule = "  ".join("-" * w for w in widths)
        out = [line(header1), line(header2), rule, *(line(r) for r in rows), rule, line(total)]
        total_c = self.total
        out.append("")
        out.append(
            f"partial quotations found: {total_c.partial_found}/{total_c.partial_gold}; "
            f"statement precision (right / (found + spurious)): {_pct(total_c.precision)}; "
            f"items with the right headline and date: {total_c.items_headline_date_right}/{total_c.items_gold} "
            f"{_pct(total_c.items_headline_date_rate)}; items without a gold document: {total_c.items_extra}"
        )
        out.append(
            f"speakers resolved by the page's date (office-holder table, not named on the page): "
            f"{total_c.statements_resolved_by_date} of {total_c.statements_found} statements found"
        )
        for title, groups in (("layout", self.by("layout")), ("language", self.by("language"))):
            out.append("")
            grows = [[f"{title}: {k}", *row(k, c)[1:]] for k, c in groups.items()]
            gw = [max(len(r[i]) for r in [header2, *grows]) for i in range(len(header2))]
            out.append("  ".join([header2[0].replace("page", title).ljust(gw[0]), *(h.rjust(w) for h, w in zip(header2[1:], gw[1:]))]).rstrip())
            for r in grows:
                out.append("  ".join([r[0].ljust(gw[0]), *(c.rjust(w) for c, w in zip(r[1:], gw[1:]))]).rstrip())
        rules = self.rules()
        if rules:
            out.append("")
            out.append("attribution rule      matched  right  spurious  precision")
            for rule, r in rules.items():
                out.append(f"{rule:<20}  {r['matched']:>7}  {r['right']:>5}  {r['spurious']:>8}  {_pct(r['precision']):>9}")
        if details:
            notes = [n for p in self.pages for n in page_notes(p)]
            if notes:
                out.append("")
                out.extend(notes)
        return "\n".join(out) + "\n"


def page_notes(page: PageResult) -> list[str]:
    """The lines that say what went wrong on ``page`` (one per statement,
    person, item or meeting not right), as ``eval`` prints them."""
    notes: list[str] = []
    if page.error:
        notes.append(f"{page.name}: not built: {page.error}")
    for s in page.statements:
        if s.found and s.rule and s.rule.endswith(".date"):
            notes.append(f"{page.name}: resolved by date: {_short(s.gold_text)!r} ({s.role}) -> {s.speaker} [{s.rule}]")
        if not s.found:
            notes.append(f"{page.name}: statement not found: {_short(s.gold_text)!r} ({s.gold_speaker or s.gold_role})")
        elif not s.attributed:
            want = s.gold_speaker if s.gold_speaker else f"no speaker, role {s.gold_role!r}"
            got = s.speaker if s.speaker else f"no speaker, role {s.role!r}"
            notes.append(f"{page.name}: statement {_short(s.gold_text)!r}: speaker {got}, expected {want}")
    for text in page.spurious:
        notes.append(f"{page.name}: spurious statement: {_short(text)!r}")
    for name in page.persons_missing:
        notes.append(f"{page.name}: person not found: {name}")
    for name in page.persons_extra:
        notes.append(f"{page.name}: extra person: {name}")
    for item in page.items:
        if not item.headline_found:
            notes.append(f"{page.name}: item not found: {_short(item.headline)!r}")
        elif not item.right:
            notes.append(
                f"{page.name}: item {_short(item.headline)!r}: date {item.date} (expected {item.gold_date}), "
                f"content type {item.content_type} (expected {item.gold_content_type})"
            )
    for m in page.meetings:
        if not m.right:
            notes.append(f"{page.name}: meeting not right: {m.name!r} ({m.start}..{m.end or m.start}, {m.location})")
    for m in page.meetings_extra:
        places = ", ".join(m["places"]) or None
        notes.append(f"{page.name}: graph meeting matching no gold one: {m['name']!r} ({m['start']}..{m['end'] or m['start']}, {places})")
    return notes


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- the graph

_PREFIXES = {"schema": SCHEMA, "osce": OSCE}

_Q_STATEMENTS = prepareQuery(
    """SELECT ?st ?text ?speaker ?role ?rule WHERE {
         ?st a osce:Statement ; schema:text ?text .
         OPTIONAL { ?st schema:creator ?creator . OPTIONAL { ?creator schema:name|schema:alternateName ?speaker } }
         OPTIONAL { ?st osce:speakerRole ?role }
         OPTIONAL { ?st osce:attributedBy ?rule }
       } ORDER BY ?st""",
    initNs=_PREFIXES,
)
_Q_PERSONS = prepareQuery(
    """SELECT DISTINCT ?p ?name WHERE {
         ?p a schema:Person ; schema:name|schema:alternateName ?name .
         FILTER (EXISTS { ?item schema:mentions ?p }
                 || NOT EXISTS { ?st schema:creator ?p ; osce:attributedBy ?rule . FILTER(STRENDS(STR(?rule), ".date")) })
       }""",
    initNs=_PREFIXES,
)
_Q_ITEMS = prepareQuery(
    """SELECT ?item ?headline ?date ?type WHERE {
         ?item a osce:NewsItem ; schema:headline ?headline .
         OPTIONAL { ?item schema:datePublished ?date }
         OPTIONAL { ?item osce:contentType ?type }
       } ORDER BY ?item""",
    initNs=_PREFIXES,
)
_Q_MEETINGS = prepareQuery(
    """SELECT ?m ?name ?start ?end ?place WHERE {
         ?m a osce:Meeting .
         OPTIONAL { ?m schema:name ?name }
         OPTIONAL { ?m schema:startDate ?start }
         OPTIONAL { ?m schema:endDate ?end }
         OPTIONAL { ?m schema:location ?loc . OPTIONAL { ?loc schema:name ?place } }
       } ORDER BY ?m""",
    initNs=_PREFIXES,
)


@dataclass
class _GraphStatement:
    iri: str
    text: str
    speakers: set[str] = field(default_factory=set)
    creators: int = 0
    roles: set[str] = field(default_factory=set)
    rule: str | None = None

    @property
    def speaker(self) -> str | None:
        return " | ".join(sorted(self.speakers)) if self.speakers else None

    @property
    def role(self) -> str | None:
        return " | ".join(sorted(self.roles)) if self.roles else None


def _str(term: Any) -> str | None:
    if term is None:
        return None
    return normalise_text(str(term))


def _date(term: Any) -> str | None:
    """The ``YYYY-MM-DD`` of an ``xsd:date`` (or dateTime) literal."""
    if term is None:
        return None
    return str(term)[:10]


def _graph_statements(graph: Graph) -> list[_GraphStatement]:
    by_iri: dict[str, _GraphStatement] = {}
    creators: dict[str, set[str]] = {}
    for row in graph.query(_Q_STATEMENTS):
        iri = str(row.st)
        st = by_iri.setdefault(iri, _GraphStatement(iri, normalise_text(str(row.text))))
        if row.speaker is not None:
            st.speakers.add(normalise_text(str(row.speaker)))
        if row.role is not None:
            st.roles.add(normalise_text(str(row.role)))
        if row.rule is not None:
            st.rule = str(row.rule)
    for st_iri, _p, creator in graph.triples((None, SCHEMA.creator, None)):
        creators.setdefault(str(st_iri), set()).add(str(creator))
    for iri, st in by_iri.items():
        st.creators = len(creators.get(iri, ()))
    return list(by_iri.values())


def _by_date(st: _GraphStatement) -> bool:
    return bool(st.rule and st.rule.endswith(".date"))


def _attribution_right(gold: dict[str, Any], st: _GraphStatement) -> bool:
    speaker = gold.get("speaker")
    if speaker is None:
        if st.creators and not (_by_date(st) and gold.get("speakerRole") is not None):
            return False
    elif st.creators != 1 or normalise_text(speaker) not in st.speakers:
        return False
    role = gold.get("speakerRole")
    if role is not None and st.roles != {normalise_text(role)}:
        return False
    return True


def _match_statements(gold: list[dict[str, Any]], found: list[_GraphStatement]) -> tuple[list[StatementResult], list[int]]:
    """One-to-one matching: rightly attributed pairs first, then any pair."""
    keys = [normalise_text(str(g.get("text") or "")) for g in gold]
    candidates = [[j for j, st in enumerate(found) if key and key in st.text] for key in keys]
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for prefer_right in (True, False):
        for i, cands in enumerate(candidates):
            if i in assigned:
                continue
            for j in cands:
                if j not in used and (not prefer_right or _attribution_right(gold[i], found[j])):
                    assigned[i] = j
                    used.add(j)
                    break
    results: list[StatementResult] = []
    for i, g in enumerate(gold):
        base = {"gold_text": str(g.get("text") or ""), "gold_speaker": g.get("speaker"), "gold_role": g.get("speakerRole")}
        if i not in assigned:
            results.append(StatementResult(**base, found=False, attributed=False))
            continue
        st = found[assigned[i]]
        results.append(
            StatementResult(**base, found=True, attributed=_attribution_right(g, st), text=st.text, speaker=st.speaker, role=st.role, rule=st.rule)
        )
    spurious = [j for j, st in enumerate(found) if j not in used]
    return results, spurious


def _match_items(documents: list[dict[str, Any]], graph: Graph) -> list[ItemResult]:
    rows = [(_str(r.headline), _date(r.date), _str(r.type)) for r in graph.query(_Q_ITEMS)]
    used: set[int] = set()
    results: list[ItemResult] = []
    for doc in documents:
        headline = normalise_text(str(doc.get("headline") or ""))
        gold_date = doc.get("datePublished")
        check_type = "contentType" in doc
        gold_type = doc.get("contentType")

        def judged(row: tuple[str | None, str | None, str | None]) -> tuple[bool, bool]:
            date_ok = row[1] == gold_date
            type_ok = not check_type or row[2] == (normalise_text(gold_type) if gold_type else None)
            return date_ok, type_ok

        candidates = [j for j, row in enumerate(rows) if j not in used and row[0] == headline]
        if not candidates:
            results.append(ItemResult(str(doc.get("headline")), gold_date, gold_type, headline_found=False))
            continue
        best = max(candidates, key=lambda j: sum(judged(rows[j])))
        used.add(best)
        date_ok, type_ok = judged(rows[best])
        results.append(
            ItemResult(str(doc.get("headline")), gold_date, gold_type, True, rows[best][1], rows[best][2], date_ok, type_ok)
        )
    return results


def _graph_meetings(graph: Graph) -> dict[str, tuple[str | None, str | None, set[str], str | None]]:
    """Meeting IRI -> (start, end, place names, name) of the graph's meetings."""
    rows: dict[str, tuple[str | None, str | None, set[str], str | None]] = {}
    for r in graph.query(_Q_MEETINGS):
        start, end, places, name = rows.get(str(r.m), (None, None, set(), None))
        if r.place is not None:
            places.add(normalise_text(str(r.place)))
        rows[str(r.m)] = (start or _date(r.start), end or _date(r.end), places, name or _str(r.name))
    return rows


def _match_meetings(
    meetings: list[dict[str, Any]], rows: dict[str, tuple[str | None, str | None, set[str], str | None]]
) -> list[MeetingResult]:
    used: set[str] = set()
    results: list[MeetingResult] = []
    for m in meetings:
        start, end, location = m.get("startDate"), m.get("endDate"), m.get("location")
        match = None
        for iri, (g_start, g_end, places, _name) in rows.items():
            if iri in used or g_start != start:
                continue
            if not (g_end == end or (end is None and (g_end is None or g_end == g_start))):
                continue
            if not (normalise_text(location) in places if location else not places):
                continue
            match = iri
            break
        if match is not None:
            used.add(match)
        results.append(MeetingResult(str(m.get("name")), start, end, location, match is not None, match))
    return results


def evaluate_graph(gold: GoldPage, graph: Graph, persons_graph: Graph | None = None) -> PageResult:
    """Compare ``graph`` (the page's named graph, with the reference graph
    or not) with ``gold``; see the module doc for the rules. Persons are read
    from ``persons_graph`` when given (the page's graph without the
    reference graph, whose persons are the office-holder table's)."""
    data = gold.data
    gold_persons = [normalise_text(str(p.get("name"))) for p in data.get("persons") or [] if p.get("name")]
    gold_meetings = list(data.get("meetings") or [])
    documents = gold.documents

    all_gold = list(data.get("statements") or [])
    gold_statements = [g for g in all_gold if not g.get("partial")]
    partial = [g for g in all_gold if g.get("partial")]
    # an optional statement is an object with "text", or (older gold files) the text itself
    optional = [o if isinstance(o, dict) else {"text": str(o)} for o in data.get("optionalStatements") or []]
    found = _graph_statements(graph)
    statements, spurious_idx = _match_statements(gold_statements, found)
    # partial and optional quotations: matched apart, never spurious
    rest = [found[j] for j in spurious_idx]
    partial_results, rest_idx = _match_statements(partial, rest)
    rest = [rest[j] for j in rest_idx]
    _optional_results, rest_idx = _match_statements(optional, rest)
    rest = [rest[j] for j in rest_idx]
    spurious = [st.text for st in rest]
    spurious_rules = [st.rule or "none" for st in rest]
    by_person: dict[str, set[str]] = {}
    for r in (graph if persons_graph is None else persons_graph).query(_Q_PERSONS):
        by_person.setdefault(str(r.p), set()).add(normalise_text(str(r.name)))
    names = set().union(*by_person.values()) if by_person else set()
    persons_missing = [n for n in gold_persons if n not in names]
    # a person is extra when none of its names (the resolved one, the page's forms) is a gold one
    persons_extra = sorted(min(forms) for forms in by_person.values() if not forms & set(gold_persons))
    items = _match_items(documents, graph)
    graph_meetings = _graph_meetings(graph)
    meetings = _match_meetings(gold_meetings, graph_meetings)
    matched = {m.matched for m in meetings if m.matched}
    meetings_extra = [
        {"name": name, "start": start, "end": end, "places": sorted(places)}
        for iri, (start, end, places, name) in graph_meetings.items()
        if iri not in matched
    ]
    counts = Counts(
        statements_gold=len(gold_statements),
        statements_found=sum(s.found for s in statements),
        statements_attributed=sum(s.attributed for s in statements),
        statements_graph=len(found),
        statements_spurious=len(spurious),
        partial_gold=len(partial),
        partial_found=sum(r.found for r in partial_results),
        items_extra=_extra_headlines(graph, documents),
        statements_resolved_by_date=sum(1 for r in statements if r.found and r.rule and r.rule.endswith(".date")),
        persons_gold=len(gold_persons),
        persons_found=len(gold_persons) - len(persons_missing),
        persons_extra=len(persons_extra),
        items_gold=len(documents),
        items_right=sum(i.right for i in items),
        items_headline_date_right=sum(i.headline_found and i.date_right for i in items),
        meetings_gold=len(gold_meetings),
        meetings_right=sum(m.right for m in meetings),
    )
    return PageResult(
        gold.name, gold.page_path, gold.gold_path, counts, statements, spurious, persons_missing, persons_extra, items, meetings,
        spurious_rules=spurious_rules, meetings_extra=meetings_extra,
    )


def _extra_headlines(graph: Graph, documents: list[dict[str, Any]]) -> int:
    """Headlines of the graph that no gold document has (on a page whose
    gold says ``document: null``, every headline)."""
    gold = {normalise_text(str(d.get("headline") or "")) for d in documents}
    return sum(1 for h in graph.objects(None, SCHEMA.headline) if normalise_text(str(h)) not in gold)


def _failed(gold: GoldPage, reason: str) -> PageResult:
    """A page the build could not read: the gold counts, nothing found."""
    result = evaluate_graph(gold, Graph())
    result.counts.pages_failed = 1
    result.error = reason
    return result


def _page_graph(dataset: Dataset, reference_iri: URIRef, with_reference: bool = True) -> Graph:
    """The facts of a one-page build as one graph: the page's named graph
    (every non-empty graph that is not the reference graph) and the
    reference graph."""
    out = Graph()
    for graph in dataset.graphs():
        if graph.identifier != reference_iri and len(graph):
            out += graph
    if with_reference:
        out += dataset.graph(reference_iri)
    return out


def evaluate(
    paths: Sequence[Path],
    base_iri: str = DEFAULT_BASE_IRI,
    reference: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> EvalReport:
    """Build each gold page of ``paths`` (see :func:`find_gold_pages`) and
    compare its graph with its gold file.

    Each page is built on its own with :func:`osce_kg.pipeline.build` (in
    memory: the reference graph and the page's named graph), so that
    two pages with the same file name never share a graph. A page the build
    cannot read counts with nothing found and its reason in ``error``.

    ``progress(done, total, page)`` is called after each page.

    Raises:
        UsageError: see :func:`find_gold_pages`; a bad ``base_iri``.
        SourceError: a gold file that is not readable JSON.
    """
    gold_pages = find_gold_pages(paths)
    minter = IriMinter(base_iri)
    reference_iri = minter.graph(REFERENCE_GRAPH)
    results: list[PageResult] = []
    for gold in gold_pages:
        built = build(BuildConfig((gold.page_path,), base_iri=base_iri, reference=reference, keep_records=True))
        records = built.records
        if built.skipped or not records:
            reason = built.skipped[0].reason if built.skipped else "no item extracted"
            results.append(_failed(gold, reason))
            continue
        dataset = built.dataset
        graph = _page_graph(dataset, reference_iri)
        result = evaluate_graph(gold, graph, _page_graph(dataset, reference_iri, with_reference=False))
        result.layout = records[0].layout
        result.language = records[0].language
        results.append(result)
        if progress is not None:
            progress(len(results), len(gold_pages), gold.name)
    return EvalReport(results)
