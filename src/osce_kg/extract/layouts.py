"""Detect the layout of a page and cut it into raw items.

Layouts (see ``../shared/corpus/README.md``):

- ``old-design``: a navigation block of ``-`` / ``- name`` lines, then a
  content-type line ("News Item", "Press Release"), the title, the lead, a
  metadata list ``- Issued on:`` / ``- Issued by:`` / ``- Fields of work:`` with
  values on ``- value`` lines, then the body.
- ``new-design`` and ``new-design-listing``: a title line followed by
  ``Publishing date:``, ``Content type:``, ``Where we are:``, ``What we do:``
  label lines, then the body; a listing page repeats the group per item.
- ``mirror``: no navigation and no labels: ``Newsroom``, the title, a
  dateline-like line "COPENHAGEN 4 February 2011", the body.
- ``html``: handled by :mod:`osce_kg.extract.html`, which produces the same
  :class:`RawPage`.

The output keeps text as written; interpretation happens in later steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import DATE_RE, clean

#: content-type lines of the old design and their normalised names
CONTENT_TYPES: dict[str, str] = {
    "news item": "News",
    "news": "News",
    "press release": "Press release",
    "statement": "Statement",
    "report": "Report",
    "daily report": "Daily report",
    "spot report": "Spot report",
    "feature": "Feature",
    "story": "Story",
    "speech": "Speech",
    "op-ed": "Op-ed",
    "interview": "Interview",
    "announcement": "Announcement",
    "blog": "Blog",
}

_OLD_LABELS = {"issued on": "date", "issued by": "publishers", "fields of work": "fields", "content type": "type"}
_NEW_LABELS = {
    "publishing date": "date",
    "published on": "date",
    "issued on": "date",
    "content type": "type",
    "where we are": "publishers",
    "issued by": "publishers",
    "what we do": "fields",
    "fields of work": "fields",
}
_NEW_LABEL_RE = re.compile(
    r"^(Publishing date|Published on|Issued on|Content type|Where we are|Issued by|What we do|Fields of work):\s*(.*)$",
    re.IGNORECASE,
)
_MIRROR_DATE_RE = re.compile(rf"^([A-Z][A-Z .'’/-]+?),?\s+{DATE_RE.pattern}$")
_PAGE_HEADERS = {"newsroom", "news", "press releases", "news and press releases"}


def normalise_content_type(value: str) -> str:
    """Site content-type label -> the name used in the graph ("News Item" -> "News")."""
    key = clean(value).lower().rstrip(":")
    return CONTENT_TYPES.get(key, clean(value)[:1].upper() + clean(value)[1:].lower())


@dataclass
class RawItem:
    """One item as cut from a page, fields as written (whitespace-cleaned).

    ``date``, ``publishers`` and ``fields`` are the raw label values;
    ``date_iso`` is set by the HTML reader when machine-readable metadata
    gives the date; ``body`` holds paragraphs.
    """

    headline: str
    content_type: str | None = None
    date: str | None = None
    date_iso: str | None = None
    publishers: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    lead: str | None = None
    body: list[str] = field(default_factory=list)
    url: str | None = None
    lead_is_cut: bool = False


@dataclass
class RawPage:
    """A page cut into navigation lines (old design only) and raw items."""

    layout: str
    navigation: list[str] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)


def _split_values(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        for part in re.split(r",\s+|;\s+", value):
            part = clean(part)
            if part:
                out.append(part)
    return out


def _is_nav_line(line: str) -> bool:
    return line == "-" or line.startswith("- ")


def _navigation_end(lines: list[str]) -> int:
    """Index of the first line after the navigation block (0 when there is none).

    The block is made of ``-`` lines, ``- name`` lines, and heading lines that
    directly follow a lone ``-``.
    """
    if not lines or lines[0] != "-":
        return 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_nav_line(line):
            i += 1
        elif i > 0 and lines[i - 1] == "-":
            i += 1  # heading
        else:
            break
    return i


def parse_text(text: str) -> RawPage:
    """Cut a plain-text page dump into a :class:`RawPage`, detecting the layout.

    Raises:
        ValueError: when no title can be found (an empty page or navigation only).
    """
    lines = [clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("the page has no text")
    nav_end = _navigation_end(lines)
    navigation = lines[:nav_end]
    rest = lines[nav_end:]
    if nav_end and not rest:
        raise ValueError("the page holds a navigation block only, no item")
    if any(_NEW_LABEL_RE.match(line) and not line.startswith("- ") for line in rest):
        page = _parse_new_design(rest)
    elif any(line.lower().rstrip(":") in ("- issued on", "- issued by", "- fields of work") for line in rest):
        page = RawPage("old-design", items=[_parse_old_item(rest)])
    else:
        page = RawPage("mirror", items=[_parse_mirror(rest)])
    page.navigation = navigation
    if navigation and page.layout == "mirror":
        page.layout = "old-design"
    return page


def _parse_old_item(lines: list[str]) -> RawItem:
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
    # metadata list: "- Label:" then "- value" lines
    current: str | None = None
    values: dict[str, list[str]] = {}
    while i < len(lines) and lines[i].startswith("- "):
        entry = lines[i][2:].strip()
        label = entry.rstrip(":").lower()
        if entry.endswith(":") and label in _OLD_LABELS:
            current = _OLD_LABELS[label]
            values.setdefault(current, [])
        elif current is not None:
            values[current].append(entry)
        i += 1
    if values.get("date"):
        item.date = " ".join(values["date"])
    item.publishers = _split_values(values.get("publishers", []))
    item.fields = _split_values(values.get("fields", []))
    if values.get("type"):
        item.content_type = normalise_content_type(values["type"][0])
    body = lines[i:]
    if lead:
        item.lead = " ".join(lead)
    item.body = body
    return item


def _parse_new_design(lines: list[str]) -> RawPage:
    starts: list[int] = []  # index of each item's headline
    for i, line in enumerate(lines):
        if _NEW_LABEL_RE.match(line) and i > 0 and not _NEW_LABEL_RE.match(lines[i - 1]):
            starts.append(i - 1)
    items: list[RawItem] = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[start:stop]
        item = RawItem(headline=block[0])
        j = 1
        while j < len(block):
            m = _NEW_LABEL_RE.match(block[j])
            if not m:
                break
            kind = _NEW_LABELS[m.group(1).lower()]
            value = m.group(2).strip()
            if kind == "date":
                item.date = value or None
            elif kind == "type":
                item.content_type = normalise_content_type(value) if value else None
            elif kind == "publishers":
                item.publishers = _split_values([value])
            elif kind == "fields":
                item.fields = _split_values([value])
            j += 1
        item.body = block[j:]
        if item.body and item.body[-1].endswith(("...", "…")):
            item.lead_is_cut = True
        items.append(item)
    layout = "new-design-listing" if len(items) > 1 else "new-design"
    return RawPage(layout, items=items)


def _parse_mirror(lines: list[str]) -> RawItem:
    i = 0
    while i < len(lines) - 1 and lines[i].lower() in _PAGE_HEADERS:
        i += 1
    content_type = None
    if lines[i].lower() in CONTENT_TYPES and i + 1 < len(lines):
        content_type = normalise_content_type(lines[i])
        i += 1
    item = RawItem(headline=lines[i], content_type=content_type)
    i += 1
    if i < len(lines):
        m = _MIRROR_DATE_RE.match(lines[i])
        if m or DATE_RE.fullmatch(lines[i]):
            item.date = lines[i]
            i += 1
    item.body = lines[i:]
    return item
