"""Quotations and their attribution.

Quotation marks: curly (“ ”), low-high („ “), guillemets (« ») and straight
(") quotes; single quotes inside a quotation (‘ ’) are nested quotes and do not
end it. A paragraph that opens a quotation and does not close it continues in
the next paragraph that opens with a quotation mark.

A quotation that is never closed is not a statement (its extent is
unknown). A quotation is a statement when it reads as speech: at least four words, and
either ending with punctuation inside the marks or at least eight words; a
quoted phrase introduced as a theme, title, slogan or name never is.

Attribution, first match wins:

1. after the quotation: ``“…,” said NAME[, TITLE]`` / ``“…,” NAME said`` /
   ``“…,” she said`` / ``“…,” the OFFICE said``;
2. before it: ``NAME said: “…”`` / ``..., she said, “…”``;
3. a paragraph ending "NAME issued the following statement:" before it;
4. a quotation continued after an attributed one in the same paragraph
   (``“…,” said X. “…”``) has the same speaker.

References resolve to persons of the item: full name, surname, honorific +
surname, a pronoun (the last fitting person named before), or an office
("the Chairman-in-Office"), which resolves to the person introduced with that
office, or to no person: then the statement keeps the office as its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Person, Statement
from ..reference import ReferenceData
from .orgs import strip_article
from .people import HONORIFICS, SPEECH_VERBS, PeopleIndex, Position, name_runs, split_job_title, _title_after
from .text import ABBREVIATIONS, UPPER, clean

_OPEN = {"“": "”", "„": "“", "«": "»", '"': '"'}
_THEME_BEFORE = re.compile(
    r"(?:theme|title|titled|entitled|called|named|motto|slogan|heading|dubbed|known as|the words?|the phrase|"
    r"the term|hashtag|campaign|programme|project|initiative|publication|report|handbook|guide|book|film)"
    r"\s*(?:of|was|is)?\s*[:,]?\s*$",
    re.IGNORECASE,
)


@dataclass
class Quote:
    """A quotation found in the text: where it starts and ends, its words."""

    text: str
    start: Position
    end: Position  # position just after the closing mark (or paragraph end)
    closed: bool
    before: str  # text of the starting paragraph before the opening mark
    after: str  # text of the ending paragraph after the closing mark


#: characters of context kept on each side of a quotation for attribution
_CONTEXT = 400


def _scan(paragraph: str) -> list[tuple[int, int, bool]]:
    """(open, close, closed) offsets of quotations in one paragraph; ``close``
    is the offset of the closing mark or the paragraph's end."""
    spans: list[tuple[int, int, bool]] = []
    i, n = 0, len(paragraph)
    while i < n:
        ch = paragraph[i]
        if ch in _OPEN and (ch != '"' or i == 0 or not paragraph[i - 1].isalnum()):
            closer = _OPEN[ch]
            j = i + 1
            while j < n:
                if paragraph[j] == closer and (closer != '"' or j + 1 == n or not paragraph[j + 1].isalnum()):
                    break
                j += 1
            spans.append((i, j, j < n))
            i = j + 1
        else:
            i += 1
    return spans


def find_quotes(paragraphs: list[str]) -> list[Quote]:
    """Quotations of an item, multi-paragraph ones joined, in text order."""
    quotes: list[Quote] = []
    open_quote: Quote | None = None
    for p_idx, para in enumerate(paragraphs):
        spans = _scan(para)
        for k, (s, e, closed) in enumerate(spans):
            inner = clean(para[s + 1 : e])
            if open_quote is not None and k == 0 and s == 0:
                open_quote.text = f"{open_quote.text} {inner}".strip()
                open_quote.end = Position(p_idx, e + 1)
                open_quote.closed = closed
                open_quote.after = para[e + 1 : e + 1 + _CONTEXT] if closed else ""
                if closed:
                    quotes.append(open_quote)
                    open_quote = None
                continue
            if open_quote is not None:
                quotes.append(open_quote)
                open_quote = None
            before = para[max(0, s - _CONTEXT) : s]
            after = para[e + 1 : e + 1 + _CONTEXT] if closed else ""
            quote = Quote(inner, Position(p_idx, s), Position(p_idx, e + 1), closed, before, after)
            if closed:
                quotes.append(quote)
            else:
                open_quote = quote
        if open_quote is not None and open_quote.start.paragraph != p_idx and not (spans and spans[0][0] == 0):
            quotes.append(open_quote)
            open_quote = None
    if open_quote is not None:
        quotes.append(open_quote)
    return quotes


def is_statement(quote: Quote) -> bool:
    """True when the quotation reads as speech (see module doc)."""
    text = quote.text.strip()
    n_words = len(text.split())
    if n_words < 4 or _THEME_BEFORE.search(quote.before):
        return False
    return bool(re.search(r"[.!?,;…:]$", text)) or n_words >= 8


_NAME_START = rf"(?:{UPPER}|(?:van|von|de|da|di|du|der|den|al|el|bin|ter)\s+{UPPER})"
_REF = rf"(?P<ref>(?:[Tt]he\s+)?{_NAME_START}[^“”\"]{{0,160}}?|[Hh]e|[Ss]he|[Tt]hey)"
_AFTER_VERB_FIRST = re.compile(r"^\s*,?\s*(?:" + SPEECH_VERBS + rf")\s+(?P<ref>(?:the\s+)?{_NAME_START}[^“”\"]*|he|she)")
_AFTER_REF_FIRST = re.compile(r"^\s*,?\s*" + _REF + r"\s+(?:" + SPEECH_VERBS + r")\b")
_BEFORE = re.compile(_REF + r"\s+(?:" + SPEECH_VERBS + r")(?:\s+(?:today|also|then|later))?\s*[,:]?\s*$")
_VERB_AT_END = re.compile(r"\b(?:" + SPEECH_VERBS + r")(?:\s+(?:today|also|then|later))?\s*[,:]?\s*$")
_FOLLOWING_STATEMENT = re.compile(
    rf"(?P<ref>(?:[Tt]he\s+)?{UPPER}[^.“”\"]{{0,160}}?)\s+(?:issued|made|delivered|released|gave|published)\s+the\s+following\s+statement\s*:?\s*$"
)


def _clause_tail(text: str) -> str:
    """The last clause of ``text`` (after the last sentence end or comma)."""
    parts = re.split(r"(?<![A-Z][a-z])(?<!Mr)(?<!Ms)(?<!Dr)[.;]\s+|,\s+", text)
    return parts[-1] if parts else text


class Attributor:
    """Resolves speaker references of one item to its persons."""

    def __init__(self, people: PeopleIndex, ref: ReferenceData, orgs: list) -> None:
        self.people = people
        self.ref = ref
        self.orgs = orgs

    def resolve(self, ref_text: str, at: Position, name_first: bool) -> tuple[Person | None, str | None]:
        """(person, role) for a reference written at ``at``; at most one is set.

        ``name_first``: the reference follows a speech verb ("said NAME,
        TITLE"), so the name opens it; otherwise the name closes it
        ("TITLE NAME said").
        """
        ref_text = clean(ref_text).rstrip(".,;:")
        bare = ref_text.strip()
        if bare.lower() in ("he", "she", "they"):
            return self.people.last_before(at, bare.lower()), None
        # name, possibly with honorific and an apposed title
        runs = name_runs(bare, self.ref)
        if name_first:
            runs = [r for r in runs if r.lead_start == 0][:1]
        else:
            runs = [r for r in runs if r.end == len(bare)][-1:]
        if runs:
            run = runs[0]
            name = run.name
            if name in self.people.persons:
                return self.people.persons[name], None
            matches = self.people.by_surname(name)
            if matches:
                return (matches[0] if len(matches) == 1 else self.people.last_before(at)), None
            if len(name.split()) == 1:
                pass
            elif len(name.split()) >= 2:
                title, _ = _title_after(bare, run.end)
                if title is None and run.start > 0 and not run.honorific:
                    lead = strip_article(bare[: run.start].strip().rstrip(","))
                    title = lead or None
                job, affiliation = split_job_title(title, self.ref, self.orgs) if title else (None, None)
                person = Person(name, run.honorific, job, affiliation)
                return self.people.add(person, at), None
        # an office: "the OSCE Secretary General", "the Minister"
        role = strip_article(bare)
        if not role or role.split()[0] in HONORIFICS:
            return None, None
        return self._person_with_office(role, at), role

    def _person_with_office(self, role: str, at: Position) -> Person | None:
        office = self.ref.office(role)
        role_l = role.lower().removeprefix("osce ").strip()
        candidates = []
        for person in self.people.persons.values():
            title = (person.job_title or "").lower().removeprefix("osce ").strip()
            if not title:
                continue
            if office is not None and self.ref.office(person.job_title or "") == office:
                candidates.append(person)
            elif title == role_l or title.startswith(role_l + " "):
                candidates.append(person)
        if len(candidates) == 1:
            return candidates[0]
        return None


def attribute(paragraphs: list[str], people: PeopleIndex, ref: ReferenceData, orgs: list) -> list[Statement]:
    """Statements of an item with their speakers, in text order."""
    attributor = Attributor(people, ref, orgs)
    statements: list[Statement] = []
    last_in_paragraph: dict[int, tuple[Position, Person | None, str | None]] = {}
    for quote in find_quotes(paragraphs):
        # an unclosed quotation has no known extent (a typo, or a lead cut
        # with "..."): it is not taken as a statement
        if not quote.closed or not is_statement(quote):
            continue
        person: Person | None = None
        role: str | None = None
        found = False
        after = quote.after
        m = _AFTER_VERB_FIRST.match(after) or _AFTER_REF_FIRST.match(after)
        if m:
            ref_text = m.group("ref")
            if m.re is _AFTER_VERB_FIRST:
                ref_text = _cut_sentence(ref_text)
            person, role = attributor.resolve(ref_text, quote.end, m.re is _AFTER_VERB_FIRST)
            found = person is not None or role is not None
        if not found:
            bm = _BEFORE.search(_clause_tail(quote.before.rstrip(" ,:"))) if quote.before.strip() else None
            if bm:
                person, role = attributor.resolve(bm.group("ref"), quote.start, False)
                found = person is not None or role is not None
        if not found:
            # "Opening the seminar, NAME, TITLE, said: “…”": the subject sits
            # before apposed commas; take the last person named in the
            # sentence before the speech verb
            vm = _VERB_AT_END.search(quote.before)
            if vm:
                sentence_start = _last_sentence_start(quote.before[: vm.start()])
                offset = quote.start.offset - len(quote.before)
                person = people.last_between(
                    Position(quote.start.paragraph, offset + sentence_start),
                    Position(quote.start.paragraph, offset + vm.start()),
                )
                found = person is not None
        if not found and not quote.before.strip() and quote.start.paragraph > 0:
            fm = _FOLLOWING_STATEMENT.search(_sentence_tail(paragraphs[quote.start.paragraph - 1]))
            if fm:
                person, role = attributor.resolve(fm.group("ref"), quote.start, False)
                found = person is not None or role is not None
        if not found and quote.start.paragraph in last_in_paragraph:
            prev_end, prev_person, prev_role = last_in_paragraph[quote.start.paragraph]
            between = paragraphs[quote.start.paragraph][prev_end.offset : quote.start.offset]
            if len(between) < 300 and not re.search(r"[“\"]", between):
                person, role, found = prev_person, prev_role, True
        if found:
            last_in_paragraph[quote.end.paragraph] = (quote.end, person, role)
        statements.append(
            Statement(text=quote.text.rstrip(" ,"), speaker=person.name if person else None, speaker_role=None if person else role, paragraph=quote.start.paragraph)
        )
    return statements


def _last_sentence_start(text: str) -> int:
    """Offset where the last sentence of ``text`` starts."""
    start = 0
    for m in re.finditer(r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)[.!?][”\"]?\s+", text):
        start = m.end()
    return start


def _cut_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (a period after an
    abbreviation such as "Prof." or "Dr." does not end it) or a quotation mark."""
    for m in re.finditer(r"\.(?=\s|$)|[“\"]", text):
        if m.group() == ".":
            word = re.search(r"(\w+)$", text[: m.start()])
            if word and word.group(1) in ABBREVIATIONS:
                continue
        return text[: m.start()]
    return text


def _sentence_tail(text: str) -> str:
    parts = re.split(r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)\.\s+", text.strip())
    return parts[-1]
