"""What every layout produces and shares: the raw item and page as cut
from the text (fields as written), the content-type labels, and the cut of
a photo caption glued to a dateline. The layouts import it; the package
(:mod:`osce_kg.extract.layouts`) lists them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..text import clean

__all__ = ["CONTENT_TYPES", "RawItem", "RawPage", "normalise_content_type", "split_glued_datelines"]

#: content-type lines and labels and their names in the graph
CONTENT_TYPES: dict[str, str] = {
    "news item": "News",
    "news": "News",
    "press release": "Press release",
    "press statement": "Press statement",
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


def normalise_content_type(value: str) -> str:
    """Site content-type label -> the name used in the graph ("News Item" -> "News")."""
    key = clean(value).lower().rstrip(":")
    return CONTENT_TYPES.get(key, clean(value)[:1].upper() + clean(value)[1:].lower())


@dataclass
class RawItem:
    """One item as cut from a page, fields as written (whitespace-cleaned).

    ``headline`` is ``None`` when the stored text has none (a copy that
    starts with its first paragraph); ``date`` and ``publishers`` / ``fields``
    are raw label values; ``date_iso`` is machine-readable metadata (HTML);
    ``date_value`` a date a layout already read (a date line); ``body`` holds
    paragraphs; ``headline_quote`` is set when the title itself is a
    quotation introduced by a name ("Spindelegger: “…”").
    """

    headline: str | None
    content_type: str | None = None
    date: str | None = None
    date_iso: str | None = None
    date_value: dt.date | None = None
    publishers: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    lead: str | None = None
    body: list[str] = field(default_factory=list)
    url: str | None = None
    lead_is_cut: bool = False
    #: the date came from a date line above the headline (which a site may
    #: print with today's date) or from a date line in the text: a dateline
    #: wins over it
    header_date: bool = False


@dataclass
class RawPage:
    """A page cut into navigation lines (old design only) and raw items.

    ``language_hint`` is the page's declared language (HTML ``lang``)."""

    layout: str
    navigation: list[str] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)
    language_hint: str | None = None


#: "...28 June 2018LONDON, 28 June 2018 –": a photo caption glued to the dateline
_GLUED = re.compile(r"(?<=[a-z0-9.)])(?=[A-ZÀ-ÝŁŚŻ][A-ZÀ-ÝŁŚŻ .'’/-]{2,}(?:,\s*[A-Z][a-z]+)?,\s+\d{1,2}\s+[A-Za-z]+\.?\s+\d{4})")


def split_glued_datelines(lines: list[str]) -> list[str]:
    """Lines with a caption glued to a dateline cut in two (the caption is
    dropped: photo captions are not the item's text)."""
    out: list[str] = []
    for line in lines:
        m = _GLUED.search(line)
        if m and m.start() < 200:
            out.append(line[m.start() :])
        else:
            out.append(line)
    return out
