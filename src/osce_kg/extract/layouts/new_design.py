"""Layouts ``new-design`` and ``new-design-listing``: the newer osce.org
design and its sub-sites.

A title line followed by label lines ("Publishing date:", "Content type:",
"Where we are:", "What we do:", and on sub-sites "Date:", "Location:" /
"Locations:"), then the body; a listing page repeats the group per item
(the site's heading lines before the first title are not items). Labels are
those of the language files (``labels``).
"""

from __future__ import annotations

import re

from ..language import languages
from .raw import RawItem, RawPage, normalise_content_type, split_glued_datelines
from .old_design import split_values

NAME = "new-design"


def _label_re() -> re.Pattern[str]:
    labels: set[str] = set()
    for lang in languages().values():
        labels.update(lang.label_kinds)
    alt = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^({alt})\s*:\s*(.*)$", re.IGNORECASE)


_LABEL: re.Pattern[str] | None = None


def label_match(line: str) -> re.Match[str] | None:
    """The label of a label line ("Publishing date: 6 May 2019"), if it is one."""
    global _LABEL
    if _LABEL is None:
        _LABEL = _label_re()
    if line.startswith("- "):
        return None
    return _LABEL.match(line)


def _kind(label: str) -> str | None:
    for lang in languages().values():
        kind = lang.label_kinds.get(label.lower())
        if kind:
            return kind
    return None


def detect(lines: list[str]) -> bool:
    hits = [i for i, line in enumerate(lines) if label_match(line) and _kind(label_match(line).group(1)) in ("date", "type", "publishers", "fields")]
    # a label group right after a title line, not a lone "Published:" line of a copy
    return any(i > 0 and not label_match(lines[i - 1]) and (i + 1 < len(lines) and label_match(lines[i + 1]) or _kind(label_match(lines[i]).group(1)) != "date") for i in hits) or any(
        _kind(label_match(lines[i]).group(1)) == "date" and label_match(lines[i]).group(1).lower() == "publishing date" for i in hits
    )


def parse(lines: list[str]) -> RawPage:
    lines = split_glued_datelines(lines)
    starts: list[int] = []
    for i, line in enumerate(lines):
        if label_match(line) and i > 0 and not label_match(lines[i - 1]):
            starts.append(i - 1)
    items: list[RawItem] = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[start:stop]
        item = RawItem(headline=block[0])
        j = 1
        while j < len(block):
            m = label_match(block[j])
            if not m:
                break
            kind = _kind(m.group(1))
            value = m.group(2).strip()
            if kind == "date":
                item.date = value or None
            elif kind == "type":
                item.content_type = normalise_content_type(value) if value else None
            elif kind == "publishers":
                item.publishers = split_values([value])
            elif kind == "fields":
                item.fields = split_values([value])
            j += 1
        item.body = block[j:]
        if item.body and item.body[-1].endswith(("...", "…")):
            item.lead_is_cut = True
        items.append(item)
    layout = "new-design-listing" if len(items) > 1 else NAME
    return RawPage(layout, items=items)
