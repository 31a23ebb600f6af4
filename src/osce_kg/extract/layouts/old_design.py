"""Layout ``old-design``: the old osce.org design.

A navigation block of ``-`` / ``- name`` lines (a lone ``-`` before each
heading), then a content-type line ("News Item", "Press Release"), the
title, the lead, a metadata list ``- Issued on:`` / ``- Issued by:`` /
``- Fields of work:`` with values on ``- value`` lines, then the body. A
page whose navigation is followed by no such list is read as a mirror page
with navigation.
"""

from __future__ import annotations

import re

from . import mirror
from .raw import CONTENT_TYPES, RawItem, RawPage, normalise_content_type

NAME = "old-design"

_LABELS = {"issued on": "date", "issued by": "publishers", "fields of work": "fields", "content type": "type"}


def _is_nav_line(line: str) -> bool:
    return line == "-" or line.startswith("- ")


def navigation_end(lines: list[str]) -> int:
    """Index of the first line after the navigation block (0: none)."""
    if not lines or lines[0] != "-":
        return 0
    i, n = 0, len(lines)
    previous = None
    while i < n:
        line = lines[i]  # a navigation line (what _is_nav_line tells), or the heading after a lone "-"
        if line == "-" or line.startswith("- ") or (i > 0 and previous == "-"):
            previous = line
            i += 1
        else:
            break
    return i


def _has_metadata_list(lines: list[str]) -> bool:
    return any(line.lower().rstrip(":") in ("- issued on", "- issued by", "- fields of work") for line in lines)


def detect(lines: list[str]) -> bool:
    """The navigation block, or the "- Issued on:" metadata list of the
    design's item (pages stored without their navigation)."""
    return navigation_end(lines) > 0 or _has_metadata_list(lines)


def split_values(values: list[str]) -> list[str]:
    """Label values split at commas and semicolons."""
    out: list[str] = []
    for value in values:
        for part in re.split(r",\s+|;\s+", value):
            part = part.strip()
            if part:
                out.append(part)
    return out


def parse(lines: list[str]) -> RawPage:
    """Raises: ValueError when the navigation is all there is."""
    end = navigation_end(lines)
    navigation, rest = lines[:end], lines[end:]
    if not rest:
        raise ValueError("the page holds a navigation block only, no item")
    if _has_metadata_list(rest):
        page = RawPage(NAME, items=[_parse_item(rest)])
    else:
        page = mirror.parse(rest)
        page.layout = NAME
    page.navigation = navigation
    return page


def _parse_item(lines: list[str]) -> RawItem:
    i = 0
    content_type = None
    if lines and lines[0].lower() in CONTENT_TYPES:
        content_type = normalise_content_type(lines[0])
        i = 1
    if i >= len(lines):
        raise ValueError("no title after the content-type line")
    item = RawItem(headline=lines[i], content_type=content_type)
    i += 1
    lead: list[str] = []
    while i < len(lines) and not (lines[i].startswith("- ") and lines[i].endswith(":")):
        lead.append(lines[i])
        i += 1
    current: str | None = None
    values: dict[str, list[str]] = {}
    while i < len(lines) and lines[i].startswith("- "):
        entry = lines[i][2:].strip()
        label = entry.rstrip(":").lower()
        if entry.endswith(":") and label in _LABELS:
            current = _LABELS[label]
            values.setdefault(current, [])
        elif current is not None:
            values[current].append(entry)
        i += 1
    if values.get("date"):
        item.date = " ".join(values["date"])
    item.publishers = split_values(values.get("publishers", []))
    item.fields = split_values(values.get("fields", []))
    if values.get("type"):
        item.content_type = normalise_content_type(values["type"][0])
    if lead:
        item.lead = " ".join(lead)
    item.body = lines[i:]
    return item
