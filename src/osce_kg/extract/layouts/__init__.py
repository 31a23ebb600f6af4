"""Page layouts as plugins: each module of this package is one layout.

A layout has a ``NAME``, a ``detect(lines) -> bool`` and a
``parse(lines) -> RawPage`` (for HTML: ``parse_html(markup)``). :data:`REGISTRY`
lists the text layouts in the order they are tried; the first whose
``detect`` says yes parses the page, and the generic article layout
(:mod:`.article`), which accepts any text, comes last. Adding a layout is
adding a module with those three names and one line in :data:`REGISTRY`.

Text layouts (the page as the archive stores it, one paragraph per line):

- ``old-design`` (:mod:`.old_design`): the old osce.org design with its
  navigation block of ``-`` lines;
- ``new-design`` / ``new-design-listing`` (:mod:`.new_design`): "Publishing
  date:" / "Content type:" / "Where we are:" / "What we do:" label lines,
  one group per item on a listing page (also "Location(s):" and "Date:");
- ``top-stories`` (:mod:`.top_stories`): the old osce.org feed with node ids
  and "Yes"/"No" flags;
- ``dated-listing`` (:mod:`.dated_listing`): items each opened by a date line
  and a title (oscepa.org);
- ``mirror`` (:mod:`.mirror`): "Newsroom", title, a date line;
- ``article`` (:mod:`.article`): any other page: an osce.org item stored
  without navigation (title, dateline), or a copy on another site with
  banners, captions, time and date lines, bylines and menus around it.

The output keeps the text as written; interpretation happens later.
"""

from __future__ import annotations

from types import ModuleType

from ..text import clean
from . import article, dated_listing, mirror, new_design, old_design, top_stories
from .raw import CONTENT_TYPES, RawItem, RawPage, normalise_content_type, split_glued_datelines

__all__ = ["CONTENT_TYPES", "RawItem", "RawPage", "REGISTRY", "normalise_content_type", "parse_text", "split_glued_datelines"]

#: the text layouts in the order they are tried (the article layout, which
#: accepts any text, last)
REGISTRY: list[ModuleType] = [old_design, new_design, top_stories, dated_listing, mirror, article]


def parse_text(text: str) -> RawPage:
    """Cut a plain-text page into a :class:`RawPage` with the first layout of
    :data:`REGISTRY` that detects it.

    Raises:
        ValueError: when the page has no text, or a navigation block only.
    """
    lines = [clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("the page has no text")
    for layout in REGISTRY:
        if layout.detect(lines):
            return layout.parse(lines)
    raise ValueError("no layout accepts the page")  # pragma: no cover - article accepts all
