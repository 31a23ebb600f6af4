"""Layout ``mirror``: copies of osce.org items on mirror sites.

No navigation and no labels: a page header ("Newsroom"), the title, a date
line such as "COPENHAGEN 4 February 2011", the body.
"""

from __future__ import annotations

from ..dates import parse_date_line
from ..language import language
from .raw import CONTENT_TYPES, RawItem, RawPage, normalise_content_type, split_glued_datelines

NAME = "mirror"


def detect(lines: list[str]) -> bool:
    headers = language("en").page_headers
    return bool(lines) and lines[0].lower() in headers and lines[0].lower() not in ("skip navigation",)


def parse(lines: list[str]) -> RawPage:
    lines = split_glued_datelines(lines)
    headers = language("en").page_headers
    i = 0
    while i < len(lines) - 1 and lines[i].lower() in headers:
        i += 1
    content_type = None
    if lines[i].lower() in CONTENT_TYPES and i + 1 < len(lines):
        content_type = normalise_content_type(lines[i])
        i += 1
    item = RawItem(headline=lines[i], content_type=content_type)
    i += 1
    if i < len(lines):
        line = lines[i]
        head = line.split(" ", 1)
        date = parse_date_line(line) or (parse_date_line(head[1]) if len(head) > 1 and head[0].isupper() else None)
        if date is not None:
            item.date = line
            item.date_value = date
            i += 1
    item.body = lines[i:]
    return RawPage(NAME, items=[item])
