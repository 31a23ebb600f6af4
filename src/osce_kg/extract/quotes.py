"""Quotations and their attribution: an ordered table of rules with ids.

Quotation marks are those of the language files (curly “ ”, low-high „ “,
guillemets « », straight " "; single ‘ ’ and ' only where a paragraph has no
double marks, as copies that use them for quotations do). A closing mark
with no opening mark before it in its paragraph opens the quotation at the
paragraph's start (a lost opening mark). A quotation left open at the end of
a paragraph continues in the next paragraph that opens with a quotation
mark; one left open at the end of the item was cut by the page's length
limit and is kept as far as it goes; any other unclosed quotation has no
known extent and is no statement.

A quotation is a statement when it reads as speech: at least four words,
and ending with punctuation or at least eight words; a quoted title, theme,
name or slogan (introduced by "titled", "the theme", ...) never is.

Attribution: the rules of :data:`RULES` are tried in order; the first that
finds a reference gives the speaker. A rule id is ``POSITION.KIND``:

- POSITION: ``after`` (``“…,” said X`` / ``“…,” X said`` / ``«…», - сказал
  X`` / ``„…“, so X``), ``before`` (``X said: “…”`` / ``X a déclaré : « …``),
  ``subject`` (``Opening the seminar, X, TITLE, said: “…”``), ``colon`` (the
  sentence before ends with a colon: its subject spoke), ``sentence`` (the
  sentence just before names the subject of a speech verb: "Kurz stressed
  that …. “…”"), ``following`` ("X issued the following statement:"),
  ``continued`` (continues an attributed quotation: in the same paragraph,
  or a paragraph of its own right after it), ``headline`` ("X: “…”");
- KIND: how the reference resolved: ``name`` (a full name), ``surname``,
  ``honorific`` (honorific + surname), ``pronoun`` (the last person named
  before it whose gender fits), ``office`` (the person named on the page
  with that office), ``anaphor`` ("the senior diplomat": the last speaker),
  ``role`` (an office held by no person named: the statement keeps the
  office as ``speaker_role`` and has no speaker), ``organisation``.

A statement no rule attributes has rule ``none`` and no speaker.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..records import Person, Statement
from ..reference import ReferenceData
from .language import Language, alternation, language, languages
from .mentions import countries_in
from .orgs import split_job_title
from .people import HONORIFICS, PeopleIndex, Position, full_names_ending, given_name_gender, is_title_word, name_runs
from .text import ABBREVIATIONS, UPPER, clean

__all__ = ["Quote", "RULE_POSITIONS", "attribute", "find_quotes", "is_statement", "scan_quotes"]

#: patterns of the helpers below, compiled once
_BRACKETED = re.compile(r"\s*\([^()]{1,40}\)")
_POSSESSOR = re.compile(r"^[A-Z][\w .-]*?['’]s\s+(?=\S)")
_WORD_OR_COMMA = re.compile(r"[^\W\d_][\w'’-]*|,")
_ACRONYM_IN = re.compile(r"\(([A-Z][A-Za-z]{1,10})\)")
_SENTENCE_CUT = re.compile(r"\.(?=\s|$)|[“\"«„]")
_LAST_WORD = re.compile(r"(\w+)$")
_SENTENCE_GAP = re.compile(r"[.!?][”\"»]?\s+(?=[\"“«„‘']?[^\W\d_])")
_WORD_BEFORE_GAP = re.compile(r"(\w+)[.!?]?[”\"»]?\s*$")
_HEADLINE_QUOTE = re.compile(r"^(?P<ref>[^:“”\"«»„]{2,60}):\s*[“\"«„](?P<text>[^“”\"«»„]{8,})[”\"»“]\s*$")
_OPENING_MARK = re.compile(r"[“\"«„]")
_SUBJECT = re.compile(rf"^(?P<ref>(?:(?:the|The|der|Der|die|Die|le|Le|la|La)\s+)?(?:{UPPER}[\w'’.-]*(?:\s+|$)){{1,6}}|(?:He|She|Er|Sie|Il|Elle|Он|Она)\b)")
# (look-behinds after the mark they guard: the same test, and a pattern that
# starts with the mark, which the regex engine skips to)
_CLAUSE_END = re.compile(r"[.;](?<![A-Z][a-z][.;])(?<!Mr[.;])(?<!Ms[.;])(?<!Dr[.;])(?<!\b[A-Z][.;])\s+|,\s+|\s[-–—]\s")
_LAST_SENTENCE_GAP = re.compile(r"[.!?](?<!\bMr[.!?])(?<!\bMs[.!?])(?<!\bDr[.!?])(?<!\bMrs[.!?])[”\"»]?\s+")
_SENTENCE_STOP = re.compile(r"\.(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)\s+")
_END_MARK = re.compile(r"[.!?,;…:]$")
_AFTER_CONTINUES = re.compile(r"\s*,|\s*[-–—]\s")
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")

#: the positions of the attribution rules, in the order they are tried
RULE_POSITIONS = ("after", "before", "subject", "colon", "sentence", "following", "continued", "headline")

#: characters of context kept on each side of a quotation for attribution
_CONTEXT = 400


@functools.lru_cache(maxsize=1)
def _pairs() -> tuple[dict[str, str], dict[str, str]]:
    """(double-mark pairs, single-mark pairs) of every language."""
    double: dict[str, str] = {}
    single: dict[str, str] = {}
    for lang in languages().values():
        for opener, closer in lang.quote_pairs.items():
            (single if opener in "‘'‚‹" else double).setdefault(opener, closer)
    return double, single


@dataclass
class Quote:
    """A quotation: where it starts and ends, its words, its context.

    ``parts`` are (paragraph, text) of each paragraph it spans; ``cut`` is
    set for a quotation left open at the end of the item."""

    text: str
    start: Position
    end: Position
    closed: bool
    before: str
    after: str
    parts: list[tuple[int, str]] = field(default_factory=list)
    cut: bool = False


#: closing marks accepted for an opening mark: copies mix straight and curly
#: marks ("…” after a straight opening ")
_MIXED_CLOSERS = {'"': "”", "“": '"', "„": "”\""}


def _closing(paragraph: str, start: int, closer: str) -> int:
    """Offset of the mark closing the quotation opened at ``start`` (the
    paragraph's length when there is none); a straight mark closes only
    where no letter follows it."""
    n = len(paragraph)
    j = paragraph.find(closer, start + 1)
    while j != -1:
        if (
            closer not in "\"'" or j + 1 == n or not paragraph[j + 1].isalnum()
        ) and not (closer in "\"'" and paragraph[j - 1] == " " and j + 1 < n and paragraph[j + 1].isalnum()):
            return j
        j = paragraph.find(closer, j + 1)
    return n


@functools.lru_cache(maxsize=1)
def _mark_sets() -> tuple[tuple[dict[str, str], frozenset[str], re.Pattern[str]], ...]:
    """(pairs, closers without an opener of their own, regex of every mark)
    for the double and the single marks, built once."""
    out = []
    for pairs in _pairs():
        closers = frozenset(set(pairs.values()) - set(pairs))
        marks = set(pairs) | closers
        out.append((pairs, closers, re.compile("[" + "".join(re.escape(m) for m in sorted(marks)) + "]" if marks else "(?!)")))
    return tuple(out)


def _scan_marks(paragraph: str, pairs: dict[str, str], closers: frozenset[str], marks: re.Pattern[str]) -> list[tuple[int, int, bool]]:
    spans: list[tuple[int, int, bool]] = []
    n = len(paragraph)
    positions = [m.start() for m in marks.finditer(paragraph)]
    k = 0
    first_open = None
    while k < len(positions):
        i = positions[k]
        ch = paragraph[i]
        straight = ch in "\"'"
        if ch in pairs and (not straight or i == 0 or not paragraph[i - 1].isalnum()):
            if straight and (i + 1 >= n or paragraph[i + 1] == " "):
                k += 1
                continue
            if first_open is None:
                first_open = i
            j = _closing(paragraph, i, pairs[ch])
            if j >= n:
                # copies mix straight and curly marks: '"… ”' and '“… "'
                for other in _MIXED_CLOSERS.get(ch, ""):
                    j = _closing(paragraph, i, other)
                    if j < n:
                        break
            spans.append((i, j, j < n))
            while k < len(positions) and positions[k] <= j:
                k += 1
            continue
        if ch in closers and first_open is None and not spans and len(paragraph[:i].split()) >= 4:
            spans.append((-1, i, True))  # the opening mark is missing
            first_open = i
        k += 1
    return spans


def scan_quotes(paragraph: str) -> list[tuple[int, int, bool]]:
    """(open, close, closed) offsets of the quotations of one paragraph;
    ``open`` is -1 when the opening mark is missing, ``close`` the offset of
    the closing mark or the paragraph's end."""
    # memoised (but very long paragraphs, to bound the memory held): an
    # item's paragraphs are scanned by the person finder, the quotation
    # finder and the attribution rules
    return list(_scan_quotes_memo(paragraph) if len(paragraph) <= _MEMO_CHARS else _scan_quotes(paragraph))


#: longest paragraph whose quotations are memoised
_MEMO_CHARS = 5000


def _scan_quotes(paragraph: str) -> tuple[tuple[int, int, bool], ...]:
    double, single = _mark_sets()
    spans = _scan_marks(paragraph, *double)
    if not spans:
        spans = [s for s in _scan_marks(paragraph, *single) if s[0] != -1]
    return tuple(spans)


_scan_quotes_memo = functools.lru_cache(maxsize=4096)(_scan_quotes)


def find_quotes(paragraphs: list[str]) -> list[Quote]:
    """Quotations of an item, multi-paragraph ones joined, in text order."""
    quotes: list[Quote] = []
    open_quote: Quote | None = None
    last = len(paragraphs) - 1
    for p_idx, para in enumerate(paragraphs):
        spans = scan_quotes(para)
        for k, (s, e, closed) in enumerate(spans):
            inner = clean(para[s + 1 : e])
            if open_quote is not None and k == 0 and s <= 0:
                open_quote.text = f"{open_quote.text} {inner}".strip()
                open_quote.parts.append((p_idx, inner))
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
            start = max(s, 0)
            before = para[max(0, start - _CONTEXT) : start] if s >= 0 else ""
            after = para[e + 1 : e + 1 + _CONTEXT] if closed else ""
            quote = Quote(inner, Position(p_idx, start), Position(p_idx, e + 1), closed, before, after, [(p_idx, inner)])
            if closed:
                quotes.append(quote)
            else:
                open_quote = quote
        if open_quote is not None and open_quote.start.paragraph != p_idx and not (spans and spans[0][0] <= 0):
            quotes.append(open_quote)
            open_quote = None
    if open_quote is not None:
        if open_quote.end.paragraph == last:
            open_quote.cut = True
        quotes.append(open_quote)
    return quotes


@functools.lru_cache(maxsize=1)
def _theme_before() -> tuple[re.Pattern[str], int]:
    """The pattern of a theme or title word ending the text before a
    quotation, and how many chunks (runs of non-space) a match spans at most:
    the words of the longest phrase, "of"/"was"/"is" and a colon or comma."""
    words = [w for lang in languages().values() for w in lang.words("theme_before")]
    chunks = max((len(w.split()) for w in words), default=0) + 2
    return re.compile(alternation(words) + r"\s*(?:of|was|is)?\s*[:,]?\s*$", re.IGNORECASE), chunks


def _last_chunks_start(text: str, chunks: int) -> int:
    """Offset where the last ``chunks`` runs of non-space characters of
    ``text`` start (0 when it has no more): a match that ends the text and
    spans at most that many chunks starts there or after."""
    head = text.rsplit(None, chunks)
    if len(head) <= chunks:
        return 0
    cut = len(head[0])  # the head ends before the white space ahead of those chunks
    return len(text) - len(text[cut:].lstrip())


def is_statement(quote: Quote) -> bool:
    """True when the quotation reads as speech (see module doc)."""
    text = quote.text.strip()
    n_words = len(text.split())
    theme, chunks = _theme_before()
    if n_words < 4 or theme.search(quote.before, _last_chunks_start(quote.before, chunks)):
        return False
    punctuated = bool(_END_MARK.search(text)) or bool(_AFTER_CONTINUES.match(quote.after))
    if not _END_MARK.search(text) and _title_case(text):
        return False  # “Spotlight on Artificial Intelligence and Freedom of Expression”: a title
    return punctuated or n_words >= 8 or quote.cut


_TITLE_FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with against about under de des du la le les et und der die das für von zu и в на".split()
)


def _title_case(text: str) -> bool:
    """True when every word is capitalised but the function words, as the
    titles of documents, events and programmes are written."""
    words_ = _WORD_RE.findall(text)
    if len(words_) < 3:
        return False
    return all(w[:1].isupper() or w.lower() in _TITLE_FUNCTION_WORDS for w in words_) and sum(w[:1].isupper() for w in words_) >= 3


# --------------------------------------------------------------------------- patterns


@dataclass(frozen=True)
class _Patterns:
    after_verb_first: re.Pattern[str]
    after_ref_first: re.Pattern[str]
    before: re.Pattern[str]
    verb_at_end: re.Pattern[str]
    following: re.Pattern[str]
    speech_sentence: re.Pattern[str]
    pronouns: dict[str, str | None]
    inverted: re.Pattern[str] | None
    inverted_gender: dict[str, str | None]
    anaphor: re.Pattern[str]
    organisations: frozenset[str]
    according: re.Pattern[str]


_NAME_START = rf"(?:{UPPER}|(?:van|von|de|da|di|du|der|den|al|el|bin|ter)\s+{UPPER})"


@functools.lru_cache(maxsize=8)
def patterns(code: str) -> _Patterns:
    """The attribution patterns of a language (its words and English's)."""
    lang = language(code)
    en = language("en")
    verbs = alternation(lang.words("speech_verbs") + en.words("speech_verbs"))
    colon_verbs = alternation(lang.words("speech_nouns_before_colon") + en.words("speech_nouns_before_colon") + lang.words("speech_verbs"))
    adverbs = alternation(lang.words("adverbs") + en.words("adverbs"))
    pronouns = {**en.pronouns, **lang.pronouns}
    pron = alternation(list(pronouns))
    arts = [a for a in lang.words("articles") + en.words("articles")]
    art = alternation([a for a in arts if not a.endswith(("'", "’"))])
    lower_ref = rf"(?:{art})\s+[^\W\d_][^“”\"«»„]{{0,160}}?"
    ref = rf"(?P<ref>{pron}|{lower_ref}|{_NAME_START}[^“”\"«»„]{{0,160}}?)"
    dash = r"(?:[-–—]\s*)?"
    return _Patterns(
        after_verb_first=re.compile(
            rf"^\s*[,.]?\s*{dash}(?:{verbs})(?:\s+(?:{adverbs}))*\s+(?P<ref>{pron}\b|(?:{art}\s+)?[^\W\d_][^“”\"«»„]*)"
        ),
        after_ref_first=re.compile(rf"^\s*[,.]?\s*{dash}{ref}\s+(?:(?:{adverbs})\s+)*(?:{verbs})\b"),
        before=re.compile(rf"{ref}\s+(?:(?:{adverbs})\s+)*(?:{colon_verbs})(?:\s+(?:{adverbs}))*\s*[,:]?\s*$"),
        verb_at_end=re.compile(rf"\b(?:{colon_verbs})(?:\s+(?:{adverbs}))*\s*[,:]?\s*$"),
        following=re.compile(
            rf"(?P<ref>(?:[Tt]he\s+)?{UPPER}[^.“”\"]{{0,160}}?)\s+{alternation(lang.words('following_statement') + en.words('following_statement'))}\s*:?\s*$"
        ),
        speech_sentence=re.compile(rf"^(?P<ref>.{{1,160}}?)\s+(?:(?:{adverbs})\s+)*(?:{verbs})\b"),
        pronouns=pronouns,
        # "», a-t-il déclaré", "», estime-t-elle": the verb carries the pronoun
        inverted=(
            re.compile(rf"^\s*[,.]?\s*{dash}[^\W\d_]+(?:-t)?-(?P<pron>{alternation(list(lang.data['pronoun_suffixes']))})\b")
            if lang.data.get("pronoun_suffixes")
            else None
        ),
        inverted_gender=dict(lang.data.get("pronoun_suffixes") or {}),
        anaphor=re.compile(r"^" + alternation(lang.words("anaphors") + en.words("anaphors")) + r"$", re.IGNORECASE),
        organisations=lang.organisation_speakers | en.organisation_speakers,
        # "Selon X, « … »", "According to X: “…”": the words before the
        # quotation end with the marker and the reference
        according=re.compile(
            rf"(?:^|[.;]\s+|\s)(?:{alternation(lang.words('according_to') + en.words('according_to'))})\s+"
            rf"(?P<ref>(?:{art}\s+)?[^\W\d_][^“”\"«»„.;]{{0,120}}?)\s*[,:]?\s*$",
            re.IGNORECASE,
        ),
    )


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class Resolution:
    """What a reference resolved to: a person, or only a role; ``kind`` is
    the KIND part of the rule id (see module doc)."""

    person: Person | None
    role: str | None
    kind: str


class Attributor:
    """Resolves speaker references of one item to its persons."""

    def __init__(self, people: PeopleIndex, ref: ReferenceData, orgs: list, lang: str = "en", paragraphs: list[str] | None = None) -> None:
        self.people = people
        self.paragraphs = paragraphs or []
        self.ref = ref
        self.orgs = orgs
        self.lang = lang
        self.language: Language = language(lang)
        self.patterns = patterns(lang)
        self.last_speaker: Person | None = None

    def resolve(self, ref_text: str, at: Position, name_first: bool) -> Resolution | None:
        """The :class:`Resolution` of a reference written at ``at``, or ``None``.

        ``name_first``: the reference follows a speech verb ("said NAME,
        TITLE"), so a name opens it or ends its title; otherwise the name
        closes it ("TITLE NAME said")."""
        ref_text = clean(_BRACKETED.sub("", ref_text)).rstrip(".,;:")
        relative = self.language.relative_clause_re.search(ref_text)
        if relative:
            ref_text = ref_text[: relative.start()]  # "der amtierende Vorsitzende, der …"
        bare = ref_text.strip()
        if not bare:
            return None
        pats = self.patterns
        if bare in pats.pronouns or bare.lower() in {p.lower() for p in pats.pronouns}:
            gender = pats.pronouns.get(bare) or pats.pronouns.get(bare.lower())
            person = self.people.last_before(at, gender, self.paragraphs)
            return Resolution(person, None, "pronoun") if person else None
        if bare.lower() in pats.organisations:
            return Resolution(None, self.language.strip_article(bare), "organisation")
        runs = name_runs(bare, self.ref, self.lang)
        if name_first:
            opening = [r for r in runs if r.lead_start == 0][:1]
            if not opening:
                # "said the Head of … Kosovo Jean-Claude Schlumberger", "a déclaré
                # le nouveau président …, le ministre …, Bujar Osmani": titles first,
                # the name last
                multi = [r for r in runs if len(r.name.split()) >= 2 and given_name_gender(r.name.split()[0])]
                multi = multi or [r for r in runs if len(r.name.split()) >= 2]
                # "ha dichiarato il ministro Roveri", "a déclaré le ministre
                # Lavrov": a known surname after a title in lower case
                multi = multi or [r for r in runs if r.end == len(bare) and (r.name in self.people.persons or self.people.by_surname(r.name))]
                opening = multi[-1:] if multi else []
            runs = opening
        else:
            runs = [r for r in runs if r.end == len(bare)][-1:]
        if runs:
            run = runs[0]
            name = run.name
            if name in self.people.persons:
                return Resolution(self.people.persons[name], None, "name")
            matches = self.people.by_surname(name)
            if matches:
                person = matches[0] if len(matches) == 1 else self.people.last_before(at)
                return Resolution(person, None, "honorific" if run.honorific else "surname")
            title = None
            if run.start > 0 and not run.honorific:
                title = self.language.strip_article(bare[: run.start].strip().rstrip(",")) or None
            job, affiliation = split_job_title(title, self.ref, self.orgs) if title else (None, None)
            if len(name.split()) >= 2:
                person = self.people.add(Person(name, run.honorific, job, affiliation), at)
                return Resolution(person, None, "name")
            if name not in HONORIFICS and not is_title_word(name, self.lang):
                full = full_names_ending(self.paragraphs, name, self.ref, self.lang)
                if len(full) == 1:
                    # the item names the speaker in full somewhere, with no
                    # other evidence there ("…, Harlem Desir, …" / "Mr. Desir wrote")
                    (full_name, first_at), = full.items()
                    self.people.add(Person(full_name, run.honorific, job, affiliation), first_at)
                    person = self.people.add(Person(full_name), at)
                    return Resolution(person, None, "honorific" if run.honorific else "surname")
                # "said Rau" with no fuller name on the page: the page names
                # the speaker by surname only
                person = self.people.add(Person(name, run.honorific, job, affiliation), at)
                return Resolution(person, None, "surname")
        role = self.language.strip_article(language("en").strip_article(bare))
        role = _POSSESSOR.sub("", role)  # "North Macedonia’s foreign minister"
        if not role or role.split()[0] in HONORIFICS:
            return None
        if len(role.split()) > 12:
            return None
        person = self._person_with_office(role, at)
        if person is not None:
            return Resolution(person, None, "office")
        if pats.anaphor.match(bare) or pats.anaphor.match(role):
            person = self.last_speaker or self.people.last_before(at)
            if person is not None:
                return Resolution(person, None, "anaphor")
        if not any(is_title_word(w, self.lang) for w in role.split()):
            return None
        return Resolution(None, role, "role")

    def _person_with_office(self, role: str, at: Position) -> Person | None:
        """The person named on the page with the office ``role``: the same
        office of the reference data, or a title holding every word of the
        role (acronyms included); the most recently named one when several."""
        office = self.ref.office(role)
        wanted = _content_words(role)
        if not wanted:
            return None
        candidates: list[Person] = []
        relaxed: list[Person] = []  # the title leaves out the role's nationality
        for person in self.people.persons.values():
            parts = [t for t in (person.job_title, self._introduction(person.name)) if t]
            title = " ".join(parts)
            if not title:
                continue
            if office is not None and self.ref.office(title) == office:
                candidates.append(person)
                continue
            have = _content_words(title) | _acronyms(title)
            # a nationality the title leaves out ("Austrian Foreign Minister"
            # for "Foreign Minister X") when the person is of that State
            missing = wanted - have
            if not any(_holds(part, role) for part in parts):
                continue
            if not missing:
                candidates.append(person)
            elif all(self._nationality_of(w, person) for w in missing):
                # ... unless the title names another State ("Foreign Minister of Poland")
                states = {self.ref.country_by_demonym(w.capitalize()).iso2 for w in missing}  # type: ignore[union-attr]
                if {m.target.iso2 for m in countries_in(title, self.ref)} <= states:
                    relaxed.append(person)
        candidates = candidates or relaxed
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        names = {p.name for p in candidates}
        for pos, name in reversed(self.people.mentions):
            if name in names and (pos.paragraph, pos.offset) < (at.paragraph, at.offset):
                return self.people.persons[name]
        return candidates[-1]


    def _nationality_of(self, word: str, person: Person) -> bool:
        """True when ``word`` is a demonym ("austrian") of a State the item
        names (``person``'s nationality is then the page's to state; the
        title the page gives the person may leave it out)."""
        state = self.ref.country_by_demonym(word.capitalize())
        return state is not None and state.iso2 in self._states_named

    @functools.cached_property
    def _states_named(self) -> frozenset[str]:
        """ISO codes of the States the item's paragraphs name."""
        return frozenset(m.target.iso2 for para in self.paragraphs for m in countries_in(para, self.ref))

    def _introduction(self, name: str) -> str:
        """The words the page writes before a person's first mention, in the
        same sentence ("The OSCE Chairperson-in-Office, Austrian Foreign
        Minister" before "Benita Ferrero-Waldner"): the offices it is
        introduced with."""
        for pos, mentioned in self.people.mentions:
            if mentioned != name or pos.paragraph >= len(self.paragraphs):
                continue
            # from the end of the last other person named before it in the
            # paragraph ("Chairperson-in-Office X … met with Director Y":
            # "Director" introduces Y, not "Chairperson-in-Office")
            start = max(0, pos.offset - 200)
            after_other = False
            for other_pos, other in self.people.mentions:
                if other_pos.paragraph == pos.paragraph and other_pos.offset < pos.offset and other != name:
                    start = max(start, other_pos.offset + len(other))
                    after_other = True
            before = self.paragraphs[pos.paragraph][start : pos.offset]
            if after_other and before.startswith(", ") and ", " in before[2:]:
                before = before[before.index(", ", 2) + 2 :]  # the other person's apposition
            # the sentence's start: after a full stop that ends no honorific
            # or abbreviation ("Mrs. Benita …"), or a quotation mark
            stops = [m.start() for m in _STOP_BEFORE.finditer(before) if not _ends_abbreviation(before[: m.start() + 1])]
            cut = max([*stops[-1:], before.rfind("“"), before.rfind("”"), before.rfind('"'), -1])
            return before[cut + 1 :] if cut >= 0 else before
        return ""


_STOP_BEFORE = re.compile(r"\.\s")


def _ends_abbreviation(text: str) -> bool:
    """True when ``text`` ends with an honorific or an abbreviation and its
    period ("… Mrs.", "… Amb.")."""
    word = _LAST_WORD.search(text[:-1])
    return bool(word) and (word.group(1) + "." in HONORIFICS or word.group(1) in HONORIFICS or word.group(1) in ABBREVIATIONS)


_IGNORED = frozenset({"osce", "the", "of", "a", "an", "der", "die", "le", "la", "de", "des", "du", "and", "for", "on", "in", "to"})


_COMPLEMENT = frozenset({"of", "to", "for", "on", "de", "des", "du", "der", "des", "при"})


def _holds(title: str, role: str) -> bool:
    """True when the title holds the role's head word and not only as a
    complement: "Special Representative of the OSCE Chairperson-in-Office"
    does not hold the office "Chairperson-in-Office"; "Head of the OSCE
    Mission to Moldova" holds "Head of Mission"."""
    role_words = _WORD_OR_COMMA.findall(role.lower())
    # the head of "Head of Mission" is "head"; of "Foreign Minister", "minister"
    cut = next((i for i, w in enumerate(role_words) if w in _COMPLEMENT and i > 0), len(role_words))
    head = role_words[cut - 1] if role_words else ""
    words = _WORD_OR_COMMA.findall(title.lower())
    for i, word in enumerate(words):
        if word != head:
            continue
        segment = words[:i]
        if "," in segment:
            segment = segment[len(segment) - segment[::-1].index(","):]
        if not any(w in _COMPLEMENT for w in segment):
            return True
    return False


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD_RE.findall(text) if w.lower() not in _IGNORED}


def _acronyms(text: str) -> set[str]:
    return {a.lower() for a in _ACRONYM_IN.findall(text)}


# --------------------------------------------------------------------------- rules


def _clause_tail(text: str) -> str:
    """The last clause of ``text`` (after the last sentence end or comma)."""
    parts = _CLAUSE_END.split(text)
    return parts[-1] if parts else text


def _cut_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (not after an
    abbreviation or an initial) or a quotation mark."""
    for m in _SENTENCE_CUT.finditer(text):
        if m.group() == ".":
            word = _LAST_WORD.search(text[max(0, m.start() - 40) : m.start()])
            if word and (word.group(1) in ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        return text[: m.start()]
    return text


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``text`` (periods after
    abbreviations, initials and inside quotations do not end one)."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_GAP.finditer(text):
        word = _WORD_BEFORE_GAP.search(text[max(start, m.end() - 40) : m.end()])
        if word and (word.group(1) in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


@dataclass
class AttributionContext:
    """What the attribution rules of one item read and remember.

    Attributes:
        attributor: resolves a reference to a person of the item.
        paragraphs: the item's body.
        statements: the statements found so far (a rule may add one: the
            first of two quotations joined by an inserted attribution).
        last_in_paragraph: paragraph -> (end, person, role) of its last
            attributed quotation.
        last_statement_paragraph: paragraph -> (person, role) of its last
            attributed quotation.
    """

    attributor: Attributor
    paragraphs: list[str]
    statements: list[Statement] = field(default_factory=list)
    last_in_paragraph: dict[int, tuple[Position, Person | None, str | None]] = field(default_factory=dict)
    last_statement_paragraph: dict[int, tuple[Person | None, str | None]] = field(default_factory=dict)


@dataclass
class Attempt:
    """One quotation being attributed: the resolution found so far, at which
    position, and where its text starts when a rule split off its first part."""

    quote: Quote
    res: Resolution | None = None
    position: str = "none"
    split_at: int | None = None


@dataclass(frozen=True)
class Rule:
    """An attribution rule: ``id`` names it, ``position`` is the POSITION of
    the rule ids it records, ``when`` says when it is tried ("unresolved":
    no earlier rule resolved the quotation; "no-person": none found a
    person; "always"), ``find`` returns a resolution or ``None``."""

    id: str
    position: str
    when: str
    find: Callable[[AttributionContext, Attempt], Resolution | None]


def _rule_after(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """“…,” said X / “…,” X said / «…», - сказал X / „…“, so X; a pronoun
    after an inverted verb ("«…», a-t-il déclaré")."""
    pats, quote = ctx.attributor.patterns, attempt.quote
    inv = pats.inverted.match(quote.after) if pats.inverted is not None else None
    if inv:
        person = ctx.attributor.people.last_before(quote.start, pats.inverted_gender.get(inv.group("pron").lower()), ctx.paragraphs)
        return Resolution(person, None, "pronoun") if person is not None else None
    m = pats.after_verb_first.match(quote.after) or pats.after_ref_first.match(quote.after)
    if not m:
        return None
    ref_text = m.group("ref")
    if m.re is pats.after_verb_first:
        ref_text = _cut_sentence(ref_text)
    return ctx.attributor.resolve(ref_text, quote.end, m.re is pats.after_verb_first)


def _rule_before(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """X said: “…” / X a déclaré : « … »; when the quotation after names
    another speaker, "« … (X a déclaré) » « … », a déclaré Y" is two
    statements: the first part is X's."""
    quote = attempt.quote
    if not quote.before.strip():
        return None
    pats = ctx.attributor.patterns
    intro = quote.before.rstrip(" ,:")
    bm = pats.before.search(_clause_tail(quote.before.rstrip(" ,:")) + " :") or pats.before.search(_clause_tail(intro))
    if not bm:
        return None
    found = ctx.attributor.resolve(bm.group("ref"), quote.start, False)
    res = attempt.res
    if res is None or res.person is None:
        return found
    if found is not None and found.person is not None and found.person.name != res.person.name and len(quote.parts) > 1:
        attempt.split_at = quote.parts[1][0]
        ctx.statements.append(
            Statement(text=quote.parts[0][1].rstrip(" ,"), speaker=found.person.name, paragraph=quote.start.paragraph, rule=f"before.{found.kind}")
        )
    return None


def _rule_according(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """« Selon X, « … » », "According to X, “…”": the reference after the
    marker that ends the text before the quotation."""
    quote = attempt.quote
    if not quote.before.strip():
        return None
    m = ctx.attributor.patterns.according.search(quote.before)
    return ctx.attributor.resolve(m.group("ref"), quote.start, True) if m else None


def _rule_subject(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """Opening the seminar, X, TITLE, said: “…”: the person named in the
    sentence before the speech verb that ends the text before the quotation."""
    quote = attempt.quote
    vm = ctx.attributor.patterns.verb_at_end.search(quote.before)
    if not vm:
        return None
    sentence_start = _last_sentence_start(quote.before[: vm.start()])
    offset = quote.start.offset - len(quote.before)
    person = ctx.attributor.people.last_between(
        Position(quote.start.paragraph, offset + sentence_start),
        Position(quote.start.paragraph, offset + vm.start()),
    )
    return Resolution(person, None, "name") if person is not None else None


def _rule_colon(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """The sentence before the quotation ends with a colon: its subject spoke."""
    quote = attempt.quote
    if not quote.before.rstrip().endswith(":"):
        return None
    return _subject_of(ctx.attributor, quote.before.rstrip()[:-1], Position(quote.start.paragraph, max(0, quote.start.offset - len(quote.before))))


def _rule_following(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """A quotation opening its paragraph after "X issued the following statement:"."""
    quote = attempt.quote
    if quote.before.strip() or quote.start.paragraph == 0:
        return None
    fm = ctx.attributor.patterns.following.search(_sentence_tail(ctx.paragraphs[quote.start.paragraph - 1]))
    return ctx.attributor.resolve(fm.group("ref"), quote.start, False) if fm else None


def _rule_colon_paragraph(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """A quotation opening its paragraph after a paragraph that ends with a
    colon (and holds no quotation): its subject spoke."""
    quote = attempt.quote
    if quote.before.strip() or quote.start.paragraph == 0:
        return None
    prev = ctx.paragraphs[quote.start.paragraph - 1]
    if not prev.rstrip().endswith(":") or scan_quotes(prev):
        return None
    return _subject_of(ctx.attributor, prev.rstrip()[:-1], Position(quote.start.paragraph - 1, 0))


def _rule_continued_in_paragraph(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """A quotation after an attributed one in the same paragraph, with no
    other quotation mark between them and less than 300 characters."""
    quote = attempt.quote
    last = ctx.last_in_paragraph.get(quote.start.paragraph)
    if last is None:
        return None
    prev_end, prev_person, prev_role = last
    between = ctx.paragraphs[quote.start.paragraph][prev_end.offset : quote.start.offset]
    if len(between) >= 300 or _OPENING_MARK.search(between):
        return None
    return Resolution(prev_person, prev_role, "name" if prev_person else "role")


def _rule_sentence(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """The sentence before the quotation names the subject of a speech verb
    ("Kurz stressed that …. “…”")."""
    quote = attempt.quote
    if not quote.before.strip():
        return None
    return _sentence_subject(ctx.attributor, quote.before, quote.start)


def _rule_continued_paragraph(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """A quotation in a paragraph of its own right after an attributed one."""
    quote = attempt.quote
    if quote.before.strip() or quote.start.paragraph == 0:
        return None
    last = ctx.last_statement_paragraph.get(quote.start.paragraph - 1)
    if last is None:
        return None
    prev_person, prev_role = last
    return Resolution(prev_person, prev_role, "name" if prev_person else "role")


def _rule_sentence_paragraph(ctx: AttributionContext, attempt: Attempt) -> Resolution | None:
    """A quotation in a paragraph of its own after a paragraph without
    quotations whose last sentence names the subject of a speech verb."""
    quote = attempt.quote
    prev_idx = quote.start.paragraph - 1
    if quote.before.strip() or prev_idx < 0 or prev_idx in ctx.last_statement_paragraph or scan_quotes(ctx.paragraphs[prev_idx]):
        return None
    return _sentence_subject(ctx.attributor, ctx.paragraphs[prev_idx], Position(prev_idx, len(ctx.paragraphs[prev_idx])), last_only=True)


#: the attribution rules, tried in this order (see the module doc): the first
#: that resolves the quotation gives its speaker and the POSITION of its rule
#: id; "before" may still replace a resolution that found only a role
RULES: tuple[Rule, ...] = (
    Rule("after", "after", "unresolved", _rule_after),
    Rule("before", "before", "always", _rule_before),
    Rule("according", "before", "unresolved", _rule_according),
    Rule("subject", "subject", "unresolved", _rule_subject),
    Rule("colon", "colon", "unresolved", _rule_colon),
    Rule("following", "following", "unresolved", _rule_following),
    Rule("colon-paragraph", "colon", "unresolved", _rule_colon_paragraph),
    Rule("continued-in-paragraph", "continued", "unresolved", _rule_continued_in_paragraph),
    Rule("sentence", "sentence", "unresolved", _rule_sentence),
    Rule("continued-paragraph", "continued", "unresolved", _rule_continued_paragraph),
    Rule("sentence-paragraph", "sentence", "unresolved", _rule_sentence_paragraph),
)


def attribute(
    paragraphs: list[str],
    people: PeopleIndex,
    ref: ReferenceData,
    orgs: list,
    lang: str = "en",
    headline: str | None = None,
) -> list[Statement]:
    """Statements of an item with their speakers and rule ids, in text order
    (a quotation in the ``headline`` first); each quotation goes through
    :data:`RULES`."""
    attributor = Attributor(people, ref, orgs, lang, paragraphs)
    ctx = AttributionContext(attributor, paragraphs)

    if headline:
        m = _HEADLINE_QUOTE.match(headline)
        if m:
            res = attributor.resolve(m.group("ref"), Position(len(paragraphs), 0), False)
            if res is not None and res.person is not None:
                ctx.statements.append(Statement(text=m.group("text").strip(), speaker=res.person.name, paragraph=-1, rule=f"headline.{res.kind}"))

    for quote in find_quotes(paragraphs):
        if not (quote.closed or quote.cut) or not is_statement(quote):
            continue
        attempt = Attempt(quote)
        for rule in RULES:
            if rule.when == "unresolved" and attempt.res is not None:
                continue
            found = rule.find(ctx, attempt)
            if found is not None:
                attempt.res, attempt.position = found, rule.position
        res = attempt.res
        person = res.person if res else None
        role = None if person else (res.role if res else None)
        rule_id = f"{attempt.position}.{res.kind}" if res else "none"
        if res is not None:
            ctx.last_in_paragraph[quote.end.paragraph] = (quote.end, person, role)
            ctx.last_statement_paragraph[quote.end.paragraph] = (person, role)
            if person is not None:
                attributor.last_speaker = person
        text = quote.text
        if attempt.split_at is not None:
            text = " ".join(t for p, t in quote.parts[1:])
        ctx.statements.append(
            Statement(text=text.rstrip(" ,"), speaker=person.name if person else None, speaker_role=role, paragraph=quote.start.paragraph, rule=rule_id)
        )
    return ctx.statements


def _subject_of(attributor: Attributor, text: str, at: Position) -> Resolution | None:
    """The speaker of a sentence that ends with a colon before a quotation
    ("The Chairperson-in-Office also emphasized …:", "Spindelegger begrüßte
    … zu stärken:"): the reference that opens its last sentence."""
    sentences = _sentences(text)
    if not sentences:
        return None
    s, e = sentences[-1]
    sentence = text[s:e].strip()
    m = _SUBJECT.match(sentence)
    if not m:
        return None
    words_ = m.group("ref").split()
    # the reference ends where the verb phrase starts (first lower-case word)
    ref_text = " ".join(words_)
    return attributor.resolve(ref_text, Position(at.paragraph, at.offset + s + len(ref_text)), False)


def _sentence_subject(attributor: Attributor, before: str, at: Position, last_only: bool = False) -> Resolution | None:
    """The subject of a speech verb in the sentence right before a
    quotation ("Kurz stressed that Austria … . “…”", "The Representative also
    said that …" as the paragraph before): its reference."""
    sentences = _sentences(before)
    if not sentences:
        return None
    s, e = sentences[-1]
    sentence = before[s:e].strip()
    if not sentence:
        return None
    m = attributor.patterns.speech_sentence.match(sentence)
    if not m:
        return None
    ref_text = m.group("ref")
    if len(ref_text.split()) > 10:
        ref_text = _clause_tail(ref_text)
    return attributor.resolve(ref_text, at, False)


def _last_sentence_start(text: str) -> int:
    """Offset where the last sentence of ``text`` starts."""
    start = 0
    for m in _LAST_SENTENCE_GAP.finditer(text):
        start = m.end()
    return start


def _sentence_tail(text: str) -> str:
    parts = _SENTENCE_STOP.split(text.strip())
    return parts[-1]
