"""Score a gold corpus in two parts: the pages rules are written against, and
the pages kept out of sight while writing them.

The split is fixed before any rule is written and never changes: a page whose
leading number is divisible by 3 (``03-...``, ``105-...``) is *held out*;
every other page is *seen*. Only the seen pages' notes are printed (what a
rule writer may look at); the held-out part is reported as figures only, so
that the gap between the two parts shows how much the rules were fitted.

Usage::

    python benchmarks/eval_split.py ../shared/corpus/real [--json OUT.json] [--notes]

Prints, for each part and for the whole: statements found, rightly attributed,
precision, spurious, persons found and invented, items right, meetings right;
then the same per language and per layout for each part.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from osce_kg.evaluate import Counts, EvalReport, PageResult, evaluate, page_notes


def held_out(name: str) -> bool:
    """True for a page kept out of sight: its leading number is divisible by 3."""
    match = re.match(r"(\d+)", name)
    return bool(match) and int(match.group(1)) % 3 == 0


def _line(label: str, c: Counts) -> str:
    def frac(a: int, b: int) -> str:
        return f"{a}/{b} {a / b:.0%}" if b else f"{a}/0 -"

    spurious_base = c.statements_found + c.statements_spurious
    persons_total = c.persons_found + c.persons_extra
    return (
        f"{label:<28} found {frac(c.statements_found, c.statements_gold):>12}  "
        f"attributed {frac(c.statements_attributed, c.statements_gold):>12}  "
        f"precision {frac(c.statements_attributed, spurious_base):>12}  "
        f"spurious {c.statements_spurious:>3}  "
        f"persons {frac(c.persons_found, c.persons_gold):>12} invented {frac(c.persons_extra, persons_total):>10}  "
        f"items {frac(c.items_right, c.items_gold):>12}  meetings {frac(c.meetings_right, c.meetings_gold):>12}"
    )


def _total(pages: list[PageResult]) -> Counts:
    total = Counts()
    for page in pages:
        total = total + page.counts
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="write the whole report (JSON) here")
    parser.add_argument("--notes", action="store_true", help="print the notes of the seen pages")
    args = parser.parse_args(argv)
    report: EvalReport = evaluate(args.paths)
    seen = [p for p in report.pages if not held_out(p.name)]
    held = [p for p in report.pages if held_out(p.name)]
    print(f"pages: {len(report.pages)} ({len(seen)} seen, {len(held)} held out)")
    for label, pages in (("seen", seen), ("held out", held), ("all", report.pages)):
        print(_line(label, _total(pages)))
    for attribute in ("language", "layout"):
        print()
        for label, pages in (("seen", seen), ("held out", held)):
            groups: dict[str, list[PageResult]] = {}
            for page in pages:
                groups.setdefault(str(getattr(page, attribute)), []).append(page)
            for key in sorted(groups):
                print(_line(f"{label} {attribute} {key}", _total(groups[key])))
    if args.notes:
        print()
        for page in seen:
            for note in page_notes(page):
                print(note)
    if args.json:
        args.json.write_text(report.to_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
