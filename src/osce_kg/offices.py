"""Offices over time: a statement named only by an office, resolved on the
page's date to the person who held it (``data/reference/office_holders.csv``).

A quotation attributed to "the OSCE Chairperson-in-Office" with no person on
the page holding that office has rule ``POSITION.role``, no speaker and the
office in ``speaker_role`` (:mod:`osce_kg.extract.quotes`). When

- the item gives its date (``date_published``; an item without a date
  resolves nothing),
- the office is a post of ``offices.csv`` with rows in the office-holder table
  (every post there has one holder at a time), named by its title or an
  alternative title of more than one word or a hyphenated one (a bare
  "Chairperson" may chair anything; "Chairperson-in-Office" and an acronym
  such as "CiO" count),
- and the table knows, for that day, exactly one holder
  (:meth:`~osce_kg.reference.ReferenceData.holder_on`: a change of holder in
  a month the table gives no day of resolves nothing),

the statement gets that person as speaker and the rule ``POSITION.date``; it
keeps ``speaker_role``, so a name on the page and a resolution by date stay
apart. The person is added to the item's ``resolved_persons`` (not to its
``persons``: the page does not name them).

:func:`resolve_by_date` is called once per item by
:func:`osce_kg.extract.extract_page`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from .records import NewsItem, Person, Statement
from .reference import Office, OfficeHolder, ReferenceData

__all__ = ["resolve_by_date", "resolvable_office", "DATE_KIND"]

logger = logging.getLogger(__name__)

#: the KIND part of the rule id of a speaker resolved by date
DATE_KIND = "date"

_ACRONYM = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*")


def resolvable_office(role: str, ref: ReferenceData) -> Office | None:
    """The office a role names when speakers of it can be resolved by date:
    a post with rows in the office-holder table, named by more than one
    word, a hyphenated word or an acronym; else ``None``."""
    office = ref.office(role)
    if office is None or office.id not in ref.office_holders:
        return None
    words = re.sub(r"^(?:the|osce)\s+", "", role.strip(), flags=re.IGNORECASE).split()
    if len(words) < 2 and not (words and ("-" in words[0] or _ACRONYM.fullmatch(words[0]))):
        return None
    return office


def _resolve(statement: Statement, item: NewsItem, ref: ReferenceData) -> OfficeHolder | None:
    if statement.speaker is not None or not statement.speaker_role or not statement.rule.endswith(".role"):
        return None
    if item.date_published is None:
        return None
    office = resolvable_office(statement.speaker_role, ref)
    if office is None:
        return None
    return ref.holder_on(office.id, item.date_published)


def resolve_by_date(item: NewsItem, ref: ReferenceData) -> None:
    """Resolve the item's role-only statements on its date, in place (see
    the module doc); every other statement is left as it is."""
    statements: list[Statement] = []
    resolved: dict[str, Person] = {p.name: p for p in item.resolved_persons}
    for statement in item.statements:
        holder = _resolve(statement, item, ref)
        if holder is None:
            statements.append(statement)
            continue
        position = statement.rule.rsplit(".", 1)[0]
        office = ref.offices[holder.post]
        logger.debug("%r resolved on %s to %s (%s)", statement.speaker_role, item.date_published, holder.name, office.id)
        statements.append(replace(statement, speaker=holder.name, rule=f"{position}.{DATE_KIND}"))
        resolved.setdefault(holder.name, Person(name=holder.name, job_title=office.title))
    item.statements = statements
    named = {p.name for p in item.persons}
    item.resolved_persons = [p for name, p in resolved.items() if name not in named]
