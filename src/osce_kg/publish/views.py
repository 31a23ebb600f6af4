"""What the pages of a kind show beyond an entity's properties (README,
"Linked-data site"): a person's posts held and statements over time, a
meeting's statements in order, a State's meetings, and the landing page's
counts and charts. Each function reads a :class:`~.siteindex.SiteIndex`
and returns plain values for the templates (links are made by the
caller's ``link(iri) -> Markup``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from .charts import Span, bar_chart, timeline
from .siteindex import OSCE, PROV_DERIVED, SCHEMA, STATEMENT, SiteIndex

__all__ = ["KINDS", "Kind", "PostHeld", "kind_of", "landing_view", "meeting_view", "person_view", "state_view"]

Link = Callable[[str], Markup]


@dataclass(frozen=True)
class Kind:
    """A kind of entity with a page of its own and a place in the search:
    its id (``person``), plural label, label of one, and the classes whose
    members it has."""

    id: str
    label: str
    one: str
    classes: tuple[str, ...]


#: the kinds searched by name and counted on the landing page, in that order
KINDS: tuple[Kind, ...] = (
    Kind("person", "Persons", "person", (SCHEMA + "Person",)),
    Kind("meeting", "Meetings", "meeting", (OSCE + "Meeting",)),
    Kind("structure", "OSCE structures", "OSCE structure", tuple(OSCE + c for c in (
        "Institution", "FieldOperation", "SecretariatUnit", "DecisionMakingBody", "RelatedBody", "Chairpersonship"))),
    Kind("state", "States", "State", (OSCE + "ParticipatingState", OSCE + "PartnerForCooperation")),
)
_KIND_OF_CLASS = {cls: kind for kind in KINDS for cls in kind.classes}


def kind_of(types: Iterable[str]) -> Kind | None:
    """The :data:`KINDS` entry of an entity of ``types`` (the first that
    fits), or None."""
    for t in types:
        if t in _KIND_OF_CLASS:
            return _KIND_OF_CLASS[t]
    return None


@dataclass(frozen=True)
class PostHeld:
    """One row of a person's posts: the post's link, the first and last day
    (``YYYY-MM-DD``, empty when unknown), where the dates come from
    ("office-holder table" or "pages"), whether the holder was still in post
    when the table was checked, and the number of items giving evidence."""

    post: Markup
    label: str
    start: str
    end: str
    source: str
    open_ended: bool
    items: int


def _years(dates: Iterable[str]) -> Counter[int]:
    return Counter(int(d[:4]) for d in dates if d[:4].isdigit())


def _ordered_statements(index: SiteIndex, statements: Iterable[str]) -> list[str]:
    """Statements in order: by date (:meth:`~.siteindex.SiteIndex.statement_date`),
    then by the publication of their items (the reports of one meeting, day
    after day), then by item and text (the data keep no position of a
    statement within its item)."""
    unique = [s for s in dict.fromkeys(statements) if STATEMENT in index.types.get(s, ())]

    def key(s: str) -> tuple[str, str, str, str]:
        item = index.statements[s].get(PROV_DERIVED, "")
        return (index.statement_date(s) or "9999", index.dates.get(item, "9999"), item, index.statements[s].get("text", ""))

    return sorted(unique, key=key)


def _statement_rows(index: SiteIndex, statements: list[str], link: Link, short: Callable[[str, str], Markup]) -> list[dict]:
    rows = []
    for s in statements:
        info = index.statements[s]
        speaker, meeting = info.get(SCHEMA + "creator"), info.get(SCHEMA + "recordedAt")
        rows.append({
            "statement": short(s, info.get("text", "")), "speaker": link(speaker) if speaker else "",
            "meeting": link(meeting) if meeting else "", "date": index.statement_date(s),
        })
    return rows


def person_view(index: SiteIndex, person: str, link: Link, short: Callable[[str, str], Markup]) -> dict:
    """A person's page: ``posts`` (:class:`PostHeld`, by start), the
    ``timeline`` SVG of them, ``statements`` (rows: statement, meeting,
    date; in order) and the ``chart`` of statements per year."""
    posts: list[PostHeld] = []
    for m in dict.fromkeys(index.by_member.get(person, [])):
        membership = index.memberships[m]
        if not membership.post:
            continue
        label = index.labels.get(membership.post, (0, membership.post.rsplit("/", 1)[-1]))[1]
        items = len(set(membership.derived))
        for iv in membership.intervals or [""]:
            interval = index.intervals.get(iv) if iv else None
            start = index.instants.get(interval.begin, "") if interval else ""
            end = index.instants.get(interval.end, "") if interval else ""
            source = "pages" if interval is None or interval.evidence else "office-holder table"
            posts.append(PostHeld(link(membership.post), label, start, end, source, bool(interval and interval.open_ended), items))
    posts.sort(key=lambda p: (p.start or p.end or "9999", p.label))
    statements = _ordered_statements(index, index.by_speaker.get(person, []))
    return {
        "posts": posts,
        "timeline": timeline([Span(p.label, p.start, p.end, p.source == "pages") for p in posts], title="Posts held"),
        "statements": _statement_rows(index, statements, link, short),
        "chart": bar_chart(_years(index.statement_date(s) for s in statements), title="Statements per year", unit="statements"),
    }


def meeting_view(index: SiteIndex, meeting: str, link: Link, short: Callable[[str, str], Markup]) -> dict:
    """A meeting's page: its ``statements`` in order (rows: statement,
    speaker, date) and its ``state`` (link or "")."""
    state = index.country_of(meeting)
    return {
        "statements": _statement_rows(index, _ordered_statements(index, index.by_meeting.get(meeting, [])), link, short),
        "state": link(state) if state and state != meeting else "",
    }


def state_view(index: SiteIndex, state: str, link: Link, meetings_by_state: dict[str, list[str]]) -> dict:
    """A State's page: the ``meetings`` held there (rows: date, meeting,
    place, statements; by date) and the ``chart`` of them per year.
    ``meetings_by_state``: from :func:`landing_view`."""
    meetings = sorted(meetings_by_state.get(state, []), key=lambda m: (index.dates.get(m, "9999"), m))
    rows = [{"date": index.dates.get(m, ""), "meeting": link(m), "place": link(index.locations[m]) if m in index.locations else "",
             "statements": len(set(index.by_meeting.get(m, [])))} for m in meetings]
    return {"meetings": rows, "chart": bar_chart(_years(index.dates.get(m, "") for m in meetings), title="Meetings per year", unit="meetings")}


def landing_view(index: SiteIndex) -> dict:
    """The landing page: ``counts`` (label, number, class IRI of each kind,
    then statements and news items), the ``statements_chart`` and
    ``meetings_chart`` per year, and ``meetings_by_state`` (State ->
    meetings held there)."""
    counts = []
    for kind in KINDS:
        members = {e for cls in kind.classes for e in index.class_members.get(cls, [])}
        counts.append({"label": kind.label, "count": len(members), "kind": kind.id})
    statements = set(index.class_members.get(STATEMENT, []))
    meetings = set(index.class_members.get(OSCE + "Meeting", []))
    counts.append({"label": "Statements", "count": len(statements), "kind": ""})
    counts.append({"label": "News items", "count": len(set(index.class_members.get(OSCE + "NewsItem", []))), "kind": ""})
    by_state: dict[str, list[str]] = {}
    for m in sorted(meetings):
        state = index.country_of(m)
        if state:
            by_state.setdefault(state, []).append(m)
    return {
        "counts": counts,
        "statements_chart": bar_chart(_years(index.statement_date(s) for s in statements), title="Statements per year", unit="statements", width=420),
        "meetings_chart": bar_chart(_years(index.dates.get(m, "") for m in meetings), title="Meetings per year", unit="meetings", width=420),
        "meetings_by_state": by_state,
    }
