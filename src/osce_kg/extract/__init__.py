"""Extraction: from a source page to typed records (ARCHITECTURE.md, "Pipeline").

:func:`extract_page` detects the layout (:mod:`.layouts`, :mod:`.html`), reads
the navigation block (:mod:`.navigation`), and for each item the metadata,
dateline, meetings (:mod:`.meetings`), persons (:mod:`.people`), quotations
and their speakers (:mod:`.quotes`) and the States and structures it mentions:
the components of :mod:`.item`, in order, over one item context.
"""

from __future__ import annotations

import logging

from ..errors import SourceError
from ..records import PageRecord, SourcePage
from ..reference import ReferenceData
from .item import extract_item
from .language import detect_language
from .layouts import parse_text
from .layouts.html import parse_html
from .navigation import parse_navigation

__all__ = ["extract_page"]

logger = logging.getLogger(__name__)


def extract_page(source: SourcePage, ref: ReferenceData) -> PageRecord:
    """Extract everything ``source`` says (see :mod:`osce_kg.records`).

    Raises:
        SourceError: when the page holds no item (empty, navigation only, no
            title), naming the file and the reason.
    """
    try:
        raw = parse_html(source.text) if source.media_type == "text/html" else parse_text(source.text)
    except ValueError as exc:
        raise SourceError(source.path, str(exc)) from exc
    sample = "\n".join(t for item in raw.items for t in [item.headline or "", *item.body[:20]])
    lang = detect_language(sample, raw.language_hint)
    record = PageRecord(source=source, layout=raw.layout, language=lang)
    if raw.navigation:
        record.navigation = parse_navigation(raw.navigation, ref)
        for section, name in record.navigation.unknown:
            record.warnings.append(f"navigation: unknown name {name!r} under {section!r}")
    for index, raw_item in enumerate(raw.items):
        if raw_item.headline is None and not raw_item.body:
            continue
        record.items.append(extract_item(raw_item, raw, index, ref, record.warnings, lang))
    if not record.items:
        raise SourceError(source.path, "no news item found on the page")
    return record
