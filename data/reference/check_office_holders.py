#!/usr/bin/env python3
"""Check ``office_holders.csv`` (the holders of the single-holder posts over
time) and the Wikidata ids of the reference tables; print ``OK`` or the problems.

    python data/reference/check_office_holders.py          # exit 0 when OK, 1 otherwise
    python data/reference/check_office_holders.py --table  # print posts x years covered

Checks: every row's post is an office of ``offices.csv``; start, end and
checked are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and ``precision`` is the
coarsest of them (both enforced by the loader); the end is not before the
start; two holders of one post never certainly overlap (the later one
certainly started before the earlier one certainly left; a hand-over day
shared by both is allowed); only the last row of a post may be open (no end);
every Chairperson-in-Office row lies inside one year of the Chairpersonship
table and the rows of each year 1995-2025 cover it from 1 January to 31
December; every post whose ``coverage`` in ``offices.csv`` is ``complete``
has no gap: each day from its creation (or 1 January 1995, whichever is
later) to the table's checked date (``COVERED_UNTIL``) may be a day of a
holder's row or of a known vacancy (a row named ``(vacant)``), else the
uncovered interval is reported; a vacancy never certainly overlaps a holder;
every row's source names at least one public address (``http``); every Wikidata id (persons, States, Partners, structures) is
``Q`` followed by digits and no id names two different persons; the
reference graph (posts, memberships, intervals) conforms to the shapes and
to ``shapes/sparql/posts.ttl`` (no single-holder post with two holders at once).

Run by ``tests/test_office_holders.py``; ``check_reference.py`` runs it too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))

from osce_kg.errors import ReferenceDataError  # noqa: E402
from osce_kg.reference import ReferenceData, partial_date_range  # noqa: E402

QID = re.compile(r"Q[1-9][0-9]*")
FIRST_YEAR, LAST_YEAR = 1995, 2025
#: The first day the gap check covers (posts created earlier are checked from it).
COVERED_FROM = dt.date(FIRST_YEAR, 1, 1)
#: The table's checked date: the gap check covers every day up to it.
COVERED_UNTIL = dt.date(2025, 6, 30)
URL = re.compile(r"https?://\S+")


def check(ref: ReferenceData | None = None) -> list[str]:
    """The problems of the office-holder table (empty when it is right)."""
    problems: list[str] = []
    if ref is None:
        try:
            ref = ReferenceData.load(HERE)
        except ReferenceDataError as exc:
            return [f"cannot load: {exc}"]
    if not ref.office_holders:
        return ["office_holders.csv: no rows"]
    persons: dict[str, str] = {}
    posts = dict.fromkeys([*ref.office_holders, *ref.vacancies])
    for post in posts:
        rows = tuple(sorted((*ref.office_holders.get(post, ()), *ref.vacancies.get(post, ())), key=lambda h: h.bounds[0]))
        if post not in ref.offices:
            problems.append(f"{post}: not an office of offices.csv")
        for row in rows:
            first, last = row.bounds
            if last is not None and last < first:
                problems.append(f"{post} {row.name}: end {row.end} before start {row.start}")
            if row.span[1] < row.span[0] and row.end is not None and row.precision == "day":
                problems.append(f"{post} {row.name}: certain span is empty")
            if row.wikidata is not None:
                if not QID.fullmatch(row.wikidata):
                    problems.append(f"{post} {row.name}: wikidata {row.wikidata!r} is not Q followed by digits")
                other = persons.setdefault(row.wikidata, row.name)
                if other != row.name:
                    problems.append(f"wikidata {row.wikidata} names both {other!r} and {row.name!r}")
            if not row.source:
                problems.append(f"{post} {row.name}: no source")
            elif not URL.search(row.source):
                problems.append(f"{post} {row.name} (from {row.start}): source {row.source!r} names no public address (http...)")
        for earlier, later in zip(rows, rows[1:]):
            if earlier.end is None:
                problems.append(f"{post}: {earlier.name} has no end but {later.name} follows")
                continue
            if later.span[0] < earlier.span[1]:
                problems.append(
                    f"{post}: {later.name} (from {later.start}) overlaps {earlier.name} (until {earlier.end})"
                )
    for row in ref.office_holders.get("chairperson-in-office", ()):
        first, last = row.bounds
        if last is None or first.year != last.year or first.year not in ref.chairpersonships:
            problems.append(f"chairperson-in-office {row.name}: not inside one Chairpersonship year")
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        rows = [r for r in ref.office_holders.get("chairperson-in-office", ()) if r.bounds[0].year == year]
        if not rows:
            problems.append(f"chairperson-in-office: no row for {year}")
            continue
        if rows[0].bounds[0] != dt.date(year, 1, 1) or rows[-1].bounds[1] != dt.date(year, 12, 31):
            problems.append(f"chairperson-in-office {year}: rows do not run from 1 January to 31 December")
        for earlier, later in zip(rows, rows[1:]):
            if later.start != earlier.end:
                problems.append(f"chairperson-in-office {year}: {earlier.name} ends {earlier.end}, {later.name} starts {later.start}")
    problems.extend(gaps(ref))
    for country in ref.countries.values():
        if country.wikidata is not None and not QID.fullmatch(country.wikidata):
            problems.append(f"{country.iso2}: wikidata {country.wikidata!r} is not Q followed by digits")
    for structure in ref.structures.values():
        if structure.wikidata is not None and not QID.fullmatch(structure.wikidata):
            problems.append(f"{structure.id}: wikidata {structure.wikidata!r} is not Q followed by digits")
    ids = [c.wikidata for c in ref.countries.values() if c.wikidata] + [s.wikidata for s in ref.structures.values() if s.wikidata]
    if len(ids) != len(set(ids)):
        problems.append("a Wikidata id is given to two States, Partners or structures")
    problems.extend(check_graph(ref))
    return problems


def uncovered(ref: ReferenceData, post: str, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The intervals of days between ``first`` and ``last`` that no row of
    ``post`` (holder or vacancy) may cover; an open row covers up to its
    ``checked`` day."""
    spans = []
    for row in (*ref.office_holders.get(post, ()), *ref.vacancies.get(post, ())):
        begin, end = row.bounds
        if end is None:
            end = partial_date_range(row.checked)[1] if row.checked else begin
        spans.append((begin, end))
    holes: list[tuple[dt.date, dt.date]] = []
    day = first
    for begin, end in sorted(spans):
        if day > last:
            break
        if begin > day:
            holes.append((day, min(begin - dt.timedelta(days=1), last)))
        day = max(day, end + dt.timedelta(days=1))
    if day <= last:
        holes.append((day, last))
    return holes


def gaps(ref: ReferenceData, until: dt.date = COVERED_UNTIL) -> list[str]:
    """The gaps of the posts whose coverage is ``complete``: every day from
    the creation of the post (or :data:`COVERED_FROM`) to ``until``."""
    problems = []
    for office in ref.offices.values():
        if office.coverage != "complete":
            continue
        if office.created is None:
            problems.append(f"{office.id}: coverage complete but no created date")
            continue
        first = max(partial_date_range(office.created)[0], COVERED_FROM)
        for begin, end in uncovered(ref, office.id, first, until):
            problems.append(
                f"{office.id}: gap from {begin.isoformat()} to {end.isoformat()}: no holder and no known vacancy"
                " (add the holder, an acting holder or a (vacant) row)"
            )
    return problems


def check_graph(ref: ReferenceData) -> list[str]:
    """The reference graph's memberships against ``shapes/sparql/posts.ttl``
    (intervals in order, one holder at a time) and the core shapes."""
    from rdflib import Graph

    from osce_kg.mapping import Mapper
    from osce_kg.oxterms import rdflib_graph
    from osce_kg.validate import load_shapes, validate_graph
    from osce_kg.vocab import IriMinter

    graph = rdflib_graph(Mapper(ref, IriMinter()).map_reference())
    shapes = load_shapes()
    shapes.parse(REPO / "shapes" / "sparql" / "posts.ttl", format="turtle")
    report = validate_graph(graph, shapes=shapes, ontology=Graph())
    return [f"reference graph: {v.line()}" for v in report.violations]


def coverage(ref: ReferenceData) -> str:
    """Posts x years (1995-2025), one day a week sampled: ``#`` a year the
    table resolves every sampled day of to a holder, ``+`` some days (the
    others uncertain between two rows or known vacancies), ``v`` no holder
    but known vacancies, ``.`` none; `` `` before the post was created.
    Then each post's coverage and gaps."""
    lines = ["post".ljust(60) + "".join(str(y)[-1] for y in range(FIRST_YEAR, LAST_YEAR + 1))]
    for post, office in ref.offices.items():
        created = partial_date_range(office.created)[0] if office.created else None
        cells = []
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            days = [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(0, 365, 7)]
            if created is not None and days[-1] < created:
                cells.append(" ")
                continue
            hits = sum(ref.holder_on(post, d) is not None for d in days)
            vacant = any(v.span[0] <= d <= v.span[1] for v in ref.vacancies.get(post, ()) for d in days)
            cells.append("#" if hits == len(days) else "+" if hits else "v" if vacant else ".")
        label = f"{post} [{office.coverage or 'no rows'}]"
        lines.append(label.ljust(60) + "".join(cells))
    holes = gaps(ref)
    lines.append("gaps: " + ("; ".join(holes) if holes else f"none (complete posts, creation or {COVERED_FROM} to {COVERED_UNTIL})"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", action="store_true", help="print posts x years covered")
    args = parser.parse_args(argv)
    if args.table:
        print(coverage(ReferenceData.load(HERE)))
        return 0
    problems = check()
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
