"""Layout ``top-stories``: the old osce.org "top stories" feed.

"Skip navigation", then per item a node id line ("123070"), a language line
("English"), "Yes"/"No" flag lines, the title, the body, a date line ("29
August 2014") closing the item, and a teaser repeated from the body. An item
cut before its date line has no body and is left out.
"""

from __future__ import annotations

import re

from ..dates import parse_date_line
from .raw import RawItem, RawPage

NAME = "top-stories"
_ID = re.compile(r"^\d{4,7}$")
_FLAGS = {"yes", "no", "english", "russian", "french", "german"}


def detect(lines: list[str]) -> bool:
    return bool(lines) and lines[0].lower() == "skip navigation" and any(_ID.match(line) for line in lines[1:4])


def parse(lines: list[str]) -> RawPage:
    items: list[RawItem] = []
    starts = [i for i, line in enumerate(lines) if _ID.match(line)]
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[start + 1 : stop]
        while block and block[0].lower() in _FLAGS:
            block = block[1:]
        if len(block) < 2:
            continue
        item = RawItem(headline=block[0])
        body: list[str] = []
        for line in block[1:]:
            date = parse_date_line(line)
            if date is not None:
                item.date = line
                item.date_value = date
                break
            body.append(line)
        while body and body[-1].lower() in _FLAGS:
            body.pop()
        item.body = body
        if body:
            items.append(item)
    return RawPage(NAME, items=items)
