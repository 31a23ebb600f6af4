"""Layout ``dated-listing``: listings whose items open with a date line.

oscepa.org's listings: per item a date line ("28 June 2018"), the title,
then the lead (often a photo caption glued to the dateline, cut off by
:func:`~osce_kg.extract.layouts.split_glued_datelines`).
"""

from __future__ import annotations

from ..dates import parse_date_line
from .raw import RawItem, RawPage, split_glued_datelines

NAME = "dated-listing"


def _starts(lines: list[str]) -> list[int]:
    return [
        i for i, line in enumerate(lines[:-1])
        if parse_date_line(line) is not None and len(line) < 40 and parse_date_line(lines[i + 1]) is None and len(lines[i + 1].split()) >= 4
    ]


def detect(lines: list[str]) -> bool:
    starts = _starts(lines)
    return len(starts) >= 2 and starts[0] == 0


def parse(lines: list[str]) -> RawPage:
    lines = split_glued_datelines(lines)
    starts = _starts(lines)
    items: list[RawItem] = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        item = RawItem(headline=lines[start + 1], date=lines[start], date_value=parse_date_line(lines[start]))
        item.body = lines[start + 2 : stop]
        items.append(item)
    return RawPage(NAME if len(items) > 1 else "dated-item", items=items)
