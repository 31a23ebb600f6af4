"""The navigation block of the old site design, checked against the reference data.

The block is a run of ``-`` lines: a lone ``-`` precedes each heading ("Fields
of work", "Meetings and conferences", "Participating States", "Secretariat",
"Field operations", ...), and ``- name`` lines list the entries under it.
Entries that are menu links rather than entities ("All", "Projects",
"Closed field activities", "About us") are recognised and skipped; any other
name the reference data does not know is reported in ``Navigation.unknown``.
"""

from __future__ import annotations

import re
from dataclasses import fields

from ..records import Chairpersonship, Navigation
from ..reference import ReferenceData

#: menu links that name no entity
MENU_LINKS = frozenset(
    {
        "all", "projects", "partnerships", "closed field activities", "organizational structure", "about us",
        "institutions", "field operations", "our work", "countries", "structures and institutions",
        "meetings and conferences", "fields of work", "partners for co-operation", "newsroom", "publications",
        "resources", "events", "news", "press releases", "contacts", "jobs",
    }
)
_CHAIR_LINE = re.compile(r"^(?P<state>.+?)\s+[–—-]\s+OSCE\s+Chair(?:person|man)ship\s+(?P<year>(?:19|20)\d\d)$")
_SECTIONS = {
    "fields of work": "fields_of_work",
    "meetings and conferences": "meeting_categories",
    "participating states": "participating_states",
    "countries": "countries",
    "structures and institutions": "structures",
    "secretariat": "secretariat",
    "field operations": "field_operations",
    "our work": "our_work",
}


#: navigation blocks remembered per reference data (the block is the same on
#: most pages of the old design)
_MEMO_SIZE = 64


def parse_navigation(lines: list[str], ref: ReferenceData) -> Navigation:
    """Read the navigation ``lines`` (as cut by the layout step) into lists of
    names, each checked against ``ref``; see :class:`~osce_kg.records.Navigation`.

    Memoised per ``ref``; each call returns lists of its own."""
    memo: dict[tuple[str, ...], Navigation] = ref.memo("navigation")
    key = tuple(lines)
    nav = memo.get(key)
    if nav is None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        nav = memo[key] = _parse_navigation(lines, ref)
    return Navigation(**{f.name: list(getattr(nav, f.name)) for f in fields(Navigation)})


def _parse_navigation(lines: list[str], ref: ReferenceData) -> Navigation:
    nav = Navigation()
    section: str | None = None
    for i, line in enumerate(lines):
        if line == "-":
            continue
        if not line.startswith("- "):
            section = _SECTIONS.get(line.lower(), line.lower())
            continue
        name = line[2:].strip()
        lowered = name.lower()
        chair = _CHAIR_LINE.match(name)
        if chair:
            state = ref.country(chair.group("state"))
            if state is None:
                nav.unknown.append((section or "", name))
                continue
            nav.participating_states.append(state.pref_label)
            nav.chairpersonships.append(Chairpersonship(int(chair.group("year")), state.iso2))
            continue
        if section == "fields_of_work":
            if ref.field_of_work(name):
                nav.fields_of_work.append(name)
                continue
        elif section == "meeting_categories":
            if ref.meeting_category(name):
                nav.meeting_categories.append(name)
                continue
        elif section == "participating_states":
            country = ref.country(name)
            if country is not None and country.is_participating_state:
                nav.participating_states.append(name)
                continue
            if re.match(r"^(asian|mediterranean) partners for co-operation$", lowered):
                nav.partner_groups.append(name)
                continue
        elif section == "secretariat":
            if ref.structure(name) is not None or ref.office(name) is not None:
                nav.secretariat.append(name)
                continue
        elif section == "field_operations":
            structure = ref.structure(name)
            if structure is not None and "FieldOperation" in structure.kinds:
                nav.field_operations.append(name)
                continue
            if structure is not None:
                nav.structures.append(name)
                continue
        elif section == "structures":
            if ref.structure(name) is not None:
                nav.structures.append(name)
                continue
        if lowered in MENU_LINKS:
            continue
        if ref.structure(name) is not None:
            nav.structures.append(name)
            continue
        nav.unknown.append((section or "", name))
    return nav
