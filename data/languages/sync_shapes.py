#!/usr/bin/env python3
"""Write the language tags of the language files into the shapes.

The shapes (``shapes/osce-shapes.ttl``) accept on text that a page writes
(headlines, statements, job titles...) the tags of the languages that have a
file in this folder: every ``sh:languageIn`` list holding more than English
is that list of codes, sorted. Run this after adding a language file::

    python data/languages/sync_shapes.py           # rewrite the shapes
    python data/languages/sync_shapes.py --check   # exit 1 when they are out of date

A test (``tests/test_languages.py``) runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHAPES = HERE.parent.parent / "shapes" / "osce-shapes.ttl"
#: a ``sh:languageIn`` list of more than one tag
LIST = re.compile(r'(sh:languageIn\s*\()((?:\s*"[a-z-]+"){2,})(\s*\))')


def codes() -> list[str]:
    """The codes of the language files of this folder, sorted."""
    return sorted(p.stem for p in HERE.glob("*.json"))


def synced(text: str) -> str:
    """``text`` (the shapes' Turtle) with every multi-language list made
    the language files' codes."""
    tags = "".join(f' "{code}"' for code in codes())
    return LIST.sub(lambda m: m.group(1) + tags + m.group(3), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the shapes are out of date")
    args = parser.parse_args(argv)
    text = SHAPES.read_text(encoding="utf-8")
    new = synced(text)
    if args.check:
        if new != text:
            print(f"{SHAPES}: sh:languageIn lists differ from the language files {codes()}; run {Path(__file__).name}")
            return 1
        print("OK")
        return 0
    if new != text:
        SHAPES.write_text(new, encoding="utf-8")
        print(f"{SHAPES}: language lists set to {codes()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
