"""Find the persons an item names, with honorific, job title and affiliation.

A run of capitalised words is taken for a person's name only with evidence
from its context (layouts of the site's prose):

- an honorific before it: "Ambassador Tomasz Wierzbicki", "Ms. Ingrid Halvorsen";
- a title in apposition after it: "Alena Kupchyna, OSCE Co-ordinator of ...,";
- a title in apposition before it: "The Director of the Judicial Academy, Nikola Stanković,";
- a title run into it: "Deputy Head of the OSCE Mission to Serbia Jelena Marković said";
- a speech verb next to it: "said Stanković", "Wierzbicki said".

Every later occurrence of the full name or the surname is recorded as a
mention, so that pronouns ("she said") resolve to the last person named.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field, replace

from ..records import OrgRef, Person
from ..reference import ReferenceData
from .orgs import ORG_WORDS, split_job_title, strip_article
from .language import alternation, language, languages
from .mentions import countries_in, structures_in
from .places import city_population, resolve_place
from .text import ABBREVIATIONS


#: patterns of the helpers below, compiled once
_SENTENCE_GAP = re.compile(r"[.!?][”\"»]?\s+(?=\S)")
_WORD_BEFORE_GAP = re.compile(r"(\w+)[.!?]?[”\"»]?\s*$")
_POSSESSIVE_END = re.compile(r"['’]s$")
_FUNCTION_WORD_BEFORE = re.compile(r"\b(?:in|to|of|for|at|on|and|the)\s+$")
_COMMA_GAP = re.compile(r",\s+")
_LAST_WORD = re.compile(r"(\w+)$")
_INDEFINITE_START = re.compile(r"^(?:a|an)\s+[a-z]")
_THE_START = re.compile(r"^(?:the|The)\s+")
_TITLE_WORD = re.compile(r"[\w'’-]+")
_COMMA_END = re.compile(r",\s*$")
_CLAUSE_MARK = re.compile(r"[,;:“”\"]")
_CLAUSE_SPLIT = re.compile(r"[,;:.!?()«»“”\"]|\s[-–—]\s")
_ARTICLE_START = re.compile(r"^(?:la|le|les|l['’]|die|der|das)\s*", re.IGNORECASE)

_EN = language("en")
#: honorific as written -> as published ("Mr" -> "Mr."), every language
HONORIFICS: dict[str, str] = {}
#: the gender an honorific implies ("m", "f"), for resolving pronouns
HONORIFIC_GENDER: dict[str, str] = {}
for _lang in languages().values():
    for _word, _gender in _lang.honorifics.items():
        HONORIFICS.setdefault(_word, _lang.honorific_display.get(_word, _word))
        if _gender:
            HONORIFIC_GENDER.setdefault(HONORIFICS[_word], _gender)
TITLE_WORDS = frozenset(w.lower() for lang_ in languages().values() for w in lang_.words("title_words"))
#: words that never belong to a person's name and split a run of
#: capitalised words in two ("Benita Ferrero-Waldner Montag Vormittag"):
#: each language's ``name_breaks`` (times of day, "Seit", "Since"...), and
#: month and weekday names and relative days of every language but those
#: that are given names too ("Marta", "Maja", "April": see :func:`is_name_break`)
NAME_BREAKS = frozenset(w for lang_ in languages().values() for w in lang_.words("name_breaks"))
_CALENDAR_WORDS = frozenset(
    w
    for lang_ in languages().values()
    for w in (
        *(m.capitalize() for m in lang_.months if len(m) > 3),
        *(d.capitalize() for d in lang_.weekdays),
        *(d.capitalize() for d in lang_.relative_days),
    )
)


#: every word :func:`is_name_break` may be true for (a set test first: most
#: words of a page are none of them)
_BREAK_CANDIDATES = NAME_BREAKS | _CALENDAR_WORDS | frozenset(w + "." for w in NAME_BREAKS | _CALENDAR_WORDS)


@functools.lru_cache(maxsize=4096)
def is_name_break(word: str) -> bool:
    """True when ``word`` (capitalised) is never part of a person's name: a
    ``name_breaks`` word, or a month, weekday or relative day of a language
    with data that is not also a given name."""
    word = word.rstrip(".")
    return word in NAME_BREAKS or (word in _CALENDAR_WORDS and given_name_gender(word) is None)


#: the last word of a run that makes it a place or a venue, not a person
#: ("New York City", "Aleksandar Palace Hotel"): ``non_person_tails``
NON_PERSON_TAILS = frozenset(w for lang_ in languages().values() for w in lang_.words("non_person_tails"))
STOP_WORDS = (
    frozenset(w for lang_ in languages().values() for w in lang_.words("stop_words"))
    | frozenset(m.capitalize() for m in _EN.months if len(m) > 3)
    | ORG_WORDS
    | frozenset(w.capitalize() for w in _EN.weekdays)
)
#: English speech verbs (alternation), kept for callers that read English titles
SPEECH_VERBS = _EN.speech_verbs[3:-1]


@functools.lru_cache(maxsize=8)
def _speech(lang: str) -> str:
    """Speech verbs of ``lang`` and of English, one alternation."""
    return alternation(language(lang).words("speech_verbs") + _EN.words("speech_verbs"))


@functools.lru_cache(maxsize=8)
def _adverbs(lang: str) -> str:
    return alternation(language(lang).words("adverbs") + _EN.words("adverbs"))


@functools.lru_cache(maxsize=8)
def _verb_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A speech verb (after adverbs) right after a name, and one ending the
    text before it: compiled once per language."""
    verbs = _speech(lang)
    adverbs = _adverbs(lang)
    return re.compile(rf"^\s+(?:{adverbs}\s+)*(?:{verbs})\b"), re.compile(rf"\b(?:{verbs})\s+$")


@functools.lru_cache(maxsize=8)
def _non_person_head(lang: str) -> re.Pattern[str]:
    """Nouns that make the name after them a publication, a ship, a prize...
    (language files' ``non_person_heads``, the page's language and English)."""
    words = language(lang).words("non_person_heads") + _EN.words("non_person_heads")
    return re.compile(rf"\b{alternation(words)}\s+$", re.IGNORECASE)


@functools.lru_cache(maxsize=65536)
def is_title_word(word: str, lang: str = "en") -> bool:
    """True when ``word`` is a title word of ``lang`` or of English (Russian
    words in any case: "премьер-министром")."""
    if language(lang).is_title_word(word) or _EN.is_title_word(word):
        return True
    if "-" in word.strip("-") and is_title_word(word.strip("-").rsplit("-", 1)[1], lang):
        return True  # "OSZE-Experte", "US-Außenminister", "Vice-President"
    if _CYRILLIC.search(word):
        lemma = _morph_parse(word.strip(".,;:"))[0].normal_form
        return language("ru").is_title_word(lemma)
    return False


@functools.lru_cache(maxsize=4096)
def _big_city(word: str) -> bool:
    """True when ``word`` names a city of 200,000 people or more ("Vienna",
    "Milan"): then a given name of the same spelling is no evidence."""
    return city_population(word) >= 200_000


@functools.lru_cache(maxsize=1)
def _given_names():
    import gender_guesser.detector as gender_detector

    return gender_detector.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=65536)
def _morph_parse(word: str) -> tuple:
    """pymorphy3's readings of ``word``, memoised (names and title words
    recur in an item and across items)."""
    return tuple(_morph().parse(word))


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=65536)
def given_name_gender(word: str) -> str | None:
    """"m" or "f" when ``word`` is a known given name (gender-guesser's list
    for Latin script, pymorphy3's Name tag for Cyrillic), "?" for a given
    name of either gender, ``None`` when it is not a known given name."""
    bare = word.rstrip(".")
    if len(bare) < 2 or not bare[:1].isupper():
        return None
    if _CYRILLIC.search(bare):
        for parse in _morph_parse(bare):
            if "Name" in parse.tag.grammemes and parse.score >= 0.2:
                return "f" if "femn" in parse.tag.grammemes else "m"
        return None
    detector = _given_names()
    parts = bare.split("-")
    if len(parts) > 1 and detector.get_gender(bare) == "unknown" and any(detector.get_gender(p) == "unknown" for p in parts):
        return None  # "Anti-Terrorist": not every part is a given name ("Jean-Claude" is)
    answer = detector.get_gender(parts[0])
    if answer in ("male", "mostly_male"):
        return "m"
    if answer in ("female", "mostly_female"):
        return "f"
    if answer == "andy":
        return "?"
    return None


@functools.lru_cache(maxsize=16384)
def nominative(name: str) -> str:
    """A Russian name written in an oblique case ("Мухаммедкалыем
    Абылгазиевым", "Горана Ленмаркера") in the nominative; any other name
    unchanged. Only when the given name's reading in that case is clear.
    (Memoised: a name recurs in the item.)"""
    tokens = name.split()
    if not tokens or not _CYRILLIC.search(tokens[0]):
        return name
    parses = [p for p in _morph_parse(tokens[0]) if "Name" in p.tag.grammemes]
    if not parses or parses[0].tag.case in (None, "nomn") or any(p.tag.case == "nomn" for p in parses):
        return name
    case = parses[0].tag.case
    out = []
    for token in tokens:
        options = [p for p in _morph_parse(token) if p.tag.case == case and ({"Name", "Surn", "Patr"} & p.tag.grammemes)]
        if not options:
            options = [p for p in _morph_parse(token) if p.tag.case == case]
        lemma = options[0].normal_form if options else token.lower()
        out.append("-".join(part[:1].upper() + part[1:] for part in lemma.split("-")))
    return " ".join(out)


#: a word: letters of one script (a change between Latin and Cyrillic
#: letters starts a new word: "MCМаргарета"), hyphenated parts joined
#: (hyphens: ASCII, U+2010, U+2011 non-breaking), a final period kept
_LETTERS_OF_SCRIPT = r"(?:[\u0400-\u04ff]+|[^\W\d_\u0400-\u04ff]+)"
_TOKEN_BY_SCRIPT = re.compile(rf"{_LETTERS_OF_SCRIPT}(?:[-'’\u2010\u2011]{_LETTERS_OF_SCRIPT})*\.?")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’\u2010\u2011][^\W\d_]+)*\.?")
#: Latin and Cyrillic letters side by side: only then are words cut by script
_MIXED_SCRIPTS = re.compile(r"[^\W\d_\u0400-\u04ff][\u0400-\u04ff]|[\u0400-\u04ff][^\W\d_\u0400-\u04ff]")
_POSSESSIVE_TOKEN = re.compile(r"^(?P<name>.+?)['’]s\.?$")
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "dos", "das", "ter"})


@dataclass(frozen=True)
class Position:
    """Where something is in an item: paragraph index and character offset."""

    paragraph: int
    offset: int


@dataclass
class PeopleIndex:
    """Persons of one item and every place they are mentioned.

    Attributes:
        persons: by full name, in order of first mention.
        mentions: (position, full name) pairs, in text order.
    """

    persons: dict[str, Person] = field(default_factory=dict)
    mentions: list[tuple[Position, str]] = field(default_factory=list)
    #: mentions inside quotations (not antecedents of pronouns), by position
    quoted_mentions: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    _seen: set[tuple[Position, str]] = field(default_factory=set, repr=False)
    #: sentence gaps of the paragraphs, found once (see :meth:`_sentence_start`)
    _gaps: dict[int, tuple[str, list[int]]] = field(default_factory=dict, repr=False)

    def add(self, person: Person, at: Position) -> Person:
        """Record ``person`` (merging title/affiliation with an earlier record)."""
        known = self.persons.get(person.name)
        if known is None:
            self.persons[person.name] = person
            known = person
        else:
            known = replace(
                known,
                honorific=known.honorific or person.honorific,
                job_title=known.job_title or person.job_title,
                affiliation=known.affiliation or person.affiliation,
            )
            self.persons[person.name] = known
        self.mention(person.name, at)
        return known

    def mention(self, name: str, at: Position) -> None:
        """Record that ``name`` (a known person) is mentioned at ``at``."""
        if (at, name) not in self._seen:
            self._seen.add((at, name))
            bisect.insort(self.mentions, (at, name), key=lambda m: (m[0].paragraph, m[0].offset))

    def merge_into(self, short: str, full: str) -> None:
        """Make every mention of the person ``short`` (a surname recorded on
        its own) one of ``full``, and forget ``short``."""
        person = self.persons.pop(short)
        known = self.persons[full]
        self.persons[full] = replace(
            known,
            honorific=known.honorific or person.honorific,
            job_title=known.job_title or person.job_title,
            affiliation=known.affiliation or person.affiliation,
        )
        self.mentions = [(at, full if name == short else name) for at, name in self.mentions]
        self._seen = {(at, full if name == short else name) for at, name in self._seen}
        for names in self.quoted_mentions.values():
            if short in names:
                names.discard(short)
                names.add(full)

    def by_surname(self, surname: str) -> list[Person]:
        """Persons whose name ends with ``surname`` (one or more words, a
        proper suffix of the full name: "Wierzbicki", "Fernández Castro";
        case-sensitive)."""
        words_ = surname.split()
        return [
            p for p in self.persons.values()
            if len(p.name.split()) > len(words_) and p.name.split()[-len(words_):] == words_
        ]

    def last_between(self, start: Position, end: Position) -> Person | None:
        """The last person mentioned at or after ``start`` and before ``end``."""
        lo, hi = (start.paragraph, start.offset), (end.paragraph, end.offset)
        for pos, name in reversed(self.mentions):
            if lo <= (pos.paragraph, pos.offset) < hi:
                return self.persons[name]
        return None

    def last_before(self, at: Position, pronoun: str | None = None, paragraphs: list[str] | None = None) -> Person | None:
        """The person a pronoun written at ``at`` refers to: of the persons
        mentioned (outside quotations) before it whose gender fits
        ``pronoun`` ("m", "f" or ``None``), the most salient one of the
        latest sentence that names one: its first person, a known fitting
        gender before an unknown one ("Генеральный секретарь X …, сообщила
        пресс-секретарь Кэти Бертон. «…», — сказала она" -> Бертон). Without
        ``paragraphs``, simply the last one mentioned."""
        # the latest fitting mention before ``at`` is found backwards from
        # it, then its sentence's first fitting one (a known fitting gender
        # first) forwards from the sentence's start: not every mention of the
        # page for every pronoun (quadratic on a long page)
        key = lambda m: (m[0].paragraph, m[0].offset)  # noqa: E731
        j = bisect.bisect_left(self.mentions, (at.paragraph, at.offset), key=key)
        while j > 0:
            j -= 1
            last_pos, last_name = self.mentions[j]
            if self._fits(last_pos, last_name, pronoun) is not None:
                break
        else:
            return None
        if not paragraphs or last_pos.paragraph >= len(paragraphs):
            return self.persons[last_name]
        start = self._sentence_start(paragraphs[last_pos.paragraph], last_pos.paragraph, last_pos.offset)
        first: str | None = None
        for k in range(bisect.bisect_left(self.mentions, (last_pos.paragraph, start), key=key), j + 1):
            pos, name = self.mentions[k]
            fits = self._fits(pos, name, pronoun)
            if fits:
                return self.persons[name]
            if fits is not None and first is None:
                first = name
                if pronoun not in ("m", "f"):
                    break  # no gender is known to fit: the first fitting one
        return self.persons[first if first is not None else last_name]

    def _fits(self, pos: Position, name: str, pronoun: str | None) -> bool | None:
        """``None`` when the mention at ``pos`` cannot be what ``pronoun``
        refers to (it is quoted, or of the other gender), else whether its
        gender is known to fit."""
        if name in self.quoted_mentions.get((pos.paragraph, pos.offset), ()):
            return None
        gender = self.gender(name)
        if pronoun in ("m", "f") and gender in ("m", "f") and gender != pronoun:
            return None
        return pronoun in ("m", "f") and gender == pronoun

    def _sentence_start(self, text: str, paragraph: int, offset: int) -> int:
        """Where the sentence holding ``offset`` of paragraph ``text``
        starts: after the last sentence gap before it (one after an
        abbreviation or an initial does not count). The gaps of a paragraph
        are found once (a gap of the whole paragraph ending before
        ``offset`` is one of ``text[:offset]``: the pattern looks no further
        than the character after it)."""
        cached = self._gaps.get(paragraph)
        if cached is None or cached[0] is not text:
            ends = []
            for m in _SENTENCE_GAP.finditer(text):
                word = _WORD_BEFORE_GAP.search(text[max(0, m.end() - 40) : m.end()])
                if word and (word.group(1) in ABBREVIATIONS or len(word.group(1)) == 1):
                    continue
                ends.append(m.end())
            cached = self._gaps[paragraph] = (text, ends)
        ends = cached[1]
        k = bisect.bisect_left(ends, offset)
        return ends[k - 1] if k else 0

    def gender(self, name: str) -> str | None:
        """"m"/"f" from the person's honorific, else from the given name."""
        person = self.persons.get(name)
        if person is None:
            return None
        by_title = HONORIFIC_GENDER.get(person.honorific or "")
        if by_title:
            return by_title
        first = name.split()[0] if len(name.split()) > 1 else ""
        gender = given_name_gender(first) if first else None
        return gender if gender in ("m", "f") else None


def _is_name_token(token: str, ref: ReferenceData, lang: str = "en") -> bool:
    """True when ``token`` can be a word of a person's name (memoised per
    reference data: the same words recur on every page)."""
    cache: dict[tuple[str, str], bool] = ref.memo("name-tokens")
    key = (token, lang)
    known = cache.get(key)
    if known is None:
        if len(cache) >= _NAME_TOKEN_MEMO:
            cache.clear()  # bounded: memory does not grow with the site
        known = cache[key] = _name_token(token, ref) and not is_title_word(token, lang)
    return known


#: words whose answer :func:`_is_name_token` remembers
_NAME_TOKEN_MEMO = 1 << 16


def _is_city(token: str, ref: ReferenceData) -> bool:
    return resolve_place(token, ref) is not None


@functools.lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Names of countries in the languages with data (pycountry's ISO 3166
    translations: "Macédoine du Nord", "Nordmazedonien", "Германия")."""
    import gettext

    import pycountry

    names: set[str] = set()
    for code in languages():
        try:
            translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code])
        except OSError:
            translation = gettext.NullTranslations()
        for country in pycountry.countries:
            for name in (country.name, getattr(country, "common_name", None)):
                if name:
                    names.add(translation.gettext(name).lower())
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def _country_prefixes() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for name in _country_names():
        words_ = name.split()
        if words_ and len(words_[0]) >= 6:
            out.setdefault(words_[0][:6], []).append(words_)
    return out


def is_country_name(text: str) -> bool:
    """True when ``text`` names a country in one of the languages with data,
    its first word possibly inflected ("Macedoniei de Nord" for "Macedonia de
    Nord"): the same words after a common stem of six letters or more."""
    low = text.lower().strip()
    if low in _country_names():
        return True
    words_ = low.split()
    if not words_ or len(words_[0]) < 6:
        return False
    for name in _country_prefixes().get(words_[0][:6], ()):
        if len(name) == len(words_) and name[1:] == words_[1:] and name[0] != words_[0]:
            stem = 0
            while stem < min(len(name[0]), len(words_[0])) and name[0][stem] == words_[0][stem]:
                stem += 1
            if stem >= max(6, min(len(name[0]), len(words_[0])) - 3):
                return True
    return False


def _name_token(token: str, ref: ReferenceData) -> bool:
    bare = token.rstrip(".")
    if not bare[:1].isupper() or bare.isupper() and len(bare) > 1:
        return False
    if _POSSESSIVE_END.search(bare):  # "Assembly’s": a possessive is no name
        return False
    if bare.endswith("s") and bare[:-1] in STOP_WORDS:  # "Committees", "Councils"
        return False
    if len(bare) > 5 and bare.endswith("ing") and not _CYRILLIC.search(bare):  # "Combating", "Countering"
        return False
    if _CYRILLIC.search(bare):
        parses = _morph_parse(bare)
        if (
            parses
            and "Geox" in parses[0].tag.grammemes
            and len(parses[0].methods_stack) == 1  # a word of the dictionary, not a guess from its ending
            and not any("Name" in p.tag.grammemes or "Surn" in p.tag.grammemes for p in parses)
        ):
            return False
    if bare in STOP_WORDS or bare.lower() in TITLE_WORDS or bare in HONORIFICS:
        return False
    if ref.country(bare) is not None or ref.country_by_demonym(bare) is not None:
        return False
    return True


def _is_initial(word: str) -> bool:
    """"G.", "W.": an initial inside a name."""
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _within(spans: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    """A test of whether an offset lies in one of the (start, end) ``spans``
    (``any(a <= x < b ...)`` in logarithmic time: the spans sorted by start,
    the furthest end reached so far, for a paragraph with many quotations)."""
    order = sorted(spans)
    starts = [a for a, _b in order]
    reach = list(itertools.accumulate((b for _a, b in order), max))

    def inside(x: int) -> bool:
        k = bisect.bisect_right(starts, x)
        return k > 0 and reach[k - 1] > x

    return inside


@dataclass(frozen=True)
class NameRun:
    """A candidate person name in a paragraph: offsets of the name itself, the
    honorific before it, and the capitalised words before it that are not
    part of the name (a run-in title's tail, e.g. "Serbia")."""

    name: str
    start: int
    end: int
    honorific: str | None
    lead_start: int


def name_runs(text: str, ref: ReferenceData, lang: str = "en") -> list[NameRun]:
    """Candidate names of 1 to 4 words in ``text``, honorifics split off.

    Words inside the name of a known OSCE structure ("Observer Mission at
    the Russian Checkpoints Gukovo and Donetsk") never count; leading words
    that are city names ("...Office in Baku Joanna Wiśniewska") are cut off;
    a run that follows a lower-case function word and is longer than three
    words keeps its last two ("...to Address Transnational Threats
    Bat-Erdene Batsaikhan"). Single words are returned too (possible
    surnames); callers decide.
    """
    token_re = _TOKEN_BY_SCRIPT if _MIXED_SCRIPTS.search(text) else _TOKEN
    hidden = structures_in(text, ref) + [m for m in countries_in(text, ref) if " " in m.text]
    if hidden:
        masked = bytearray(len(text))  # 1 where a structure or a multi-word State is named
        for m in hidden:
            masked[m.start : m.end] = b"\x01" * (m.end - m.start)
        tokens = [m for m in token_re.finditer(text) if not masked[m.start()]]
    else:
        tokens = list(token_re.finditer(text))
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    last = len(tokens) - 1
    # (on an English page "de", "la" are particles of names, not articles)
    articles = language(lang).article_words if lang != "en" else frozenset()
    for i, match in enumerate(tokens):
        word = match.group()
        upper = word[:1].isupper()
        low = word.lower()
        if not upper and low not in _PARTICLES:
            # a lower-case word that is no particle only ends the run (what
            # the steps below would do with it, in fewer steps)
            if current:
                runs.append(current)
                current = []
            continue
        if upper and word in _BREAK_CANDIDATES and is_name_break(word):
            # a month, a weekday, a time of day is never part of a name: the
            # run ends before it ("Ferrero-Waldner Montag Vormittag")
            if current:
                runs.append(current)
                current = []
            continue
        if not upper and low in articles and not (current and current[-1][0].lower() in _PARTICLES):
            # an article of the page's language ends the run ("Steinmeier den
            # Vorsitz"), unless it follows a particle ("von der Leyen")
            if current:
                runs.append(current)
                current = []
            continue
        s, e = match.span()
        possessive = _POSSESSIVE_TOKEN.match(word) if upper and "s" in word[-2:] else None
        if possessive:
            # "Sebastian Kurz’s address": the name ends at the possessive
            word = possessive.group("name")
            e = s + len(word)
        tok = (word, s, e)
        joined = bool(current) and text[current[-1][2] : s] == " "
        nxt = tokens[i + 1] if i < last else None
        particle_start = (
            lang == "en"  # elsewhere "la", "de", "der", "al" are articles and prepositions first
            and word in _PARTICLES and not current and nxt is not None and nxt.group()[:1].isupper() and text[e : nxt.start()] == " "
        )
        capital = upper or (low in _PARTICLES and bool(current)) or particle_start
        if capital and (joined or not current):
            # a period that is not an abbreviation ends the run
            current.append(tok)
        else:
            if current:
                runs.append(current)
            current = [tok] if word[:1].isupper() else []
        initial = len(word) == 2 and word[0].isupper() and word.endswith(".")
        if possessive or (word.endswith(".") and word.rstrip(".") not in ABBREVIATIONS and word not in HONORIFICS and not initial):
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    out: list[NameRun] = []
    for run in runs:
        if len(run) >= 2 and run[-1][0] in NON_PERSON_TAILS:
            continue  # "New York City", "Palace Hotel": a place or a venue
        lead_start = run[0][1]
        honorific = None
        # split off everything up to the last honorific / non-name token
        start_idx = 0
        for i, (word, _s, _e) in enumerate(run):
            if word in HONORIFICS:
                # "Secretary General Helga …": after a title word, "General" is
                # part of the title, not a military rank
                honorific = None if i > 0 and is_title_word(run[i - 1][0], lang) else HONORIFICS[word]
                start_idx = i + 1
            elif not _is_name_token(word, ref, lang) and word.lower() not in _PARTICLES and not _is_initial(word):
                start_idx = i + 1
                honorific = None
        name_tokens = run[start_idx:]
        while len(name_tokens) > 1 and name_tokens[0][0].lower() in articles:
            name_tokens = name_tokens[1:]  # "El Brexit", "La Commission": an article opens no name
        # "Russlands Sergej Lawrow", "Police Academy trainer Major ...": a
        # name starts at its first known given name
        given = [k for k, (w, _s, _e) in enumerate(name_tokens) if given_name_gender(w)]
        if given and given[0] > 0 and len(name_tokens) - given[0] >= 2 and not any(
            w.lower() in _PARTICLES or given_name_gender(w) for w, _s, _e in name_tokens[: given[0]]
        ):
            name_tokens = name_tokens[given[0] :]
        while name_tokens and name_tokens[-1][0].lower() in _PARTICLES:
            name_tokens = name_tokens[:-1]
        while start_idx > 0 and name_tokens and name_tokens[0][0].lower() in _PARTICLES:
            name_tokens = name_tokens[1:]  # "Chef de Cabinet": a particle does not open a name
        if (
            honorific is None
            and len(name_tokens) >= 3
            and start_idx > 0
            and not any(w.lower() in _PARTICLES for w, _s, _e in name_tokens)
            and not given_name_gender(name_tokens[0][0])
        ):
            # "...Trafficking in Human Beings Miloš Horvat said": the first word
            # still belongs to the title that runs into the name
            name_tokens = name_tokens[1:]
        after_function_word = bool(
            name_tokens and _FUNCTION_WORD_BEFORE.search(text[max(0, name_tokens[0][1] - 6) : name_tokens[0][1]])
        )
        if after_function_word:
            while len(name_tokens) > 2 and _is_city(name_tokens[0][0], ref):
                name_tokens = name_tokens[1:]
            if len(name_tokens) > 3:
                name_tokens = name_tokens[-2:]
        if not name_tokens or len(name_tokens) > 4:
            continue
        if any(not _is_name_token(w, ref, lang) for w, _s, _e in name_tokens if w.lower() not in _PARTICLES and not _is_initial(w)):
            continue
        if _is_initial(name_tokens[-1][0]):
            continue
        name = text[name_tokens[0][1] : name_tokens[-1][2]].rstrip(".")
        out.append(NameRun(name, name_tokens[0][1], name_tokens[0][1] + len(name), honorific, lead_start))
    return out


_APPOSITION_END = re.compile(r",|;|\.(?=\s|$)|\s(?:" + SPEECH_VERBS + r")\b|\s+who\s")


def _title_after(text: str, end: int) -> tuple[str | None, int]:
    """A title in apposition after a name: ", Head of ..., " -> (title, end offset)."""
    m = _COMMA_GAP.match(text[end : end + 8])
    if not m:
        return None, end
    start = end + m.end()
    rest = text[start : start + 400]
    stop = len(rest)
    for e in _APPOSITION_END.finditer(rest):
        # a period after an abbreviation does not end the title
        if e.group() == ".":
            word = _LAST_WORD.search(rest[: e.start()])
            if word and word.group(1) in ABBREVIATIONS:
                continue
        stop = e.start()
        break
    title = rest[:stop].strip()
    first = title.split()[0] if title.split() else ""
    if first in HONORIFICS and len(title.split()) > 1 and title.split()[1][:1].isupper():
        return None, end  # ", Ambassador Radojko Bogojević": another person, not a title
    if _looks_like_title(title):
        return title, start + stop
    return None, end


def _looks_like_title(title: str) -> bool:
    if not title or len(title.split()) > 25:
        return False
    if _INDEFINITE_START.match(title):
        return True
    title = _THE_START.sub("", title)
    words_ = [w.lower().strip(".,") for w in _TITLE_WORD.findall(title)]
    return any(w in TITLE_WORDS for w in words_) and title[:1].isupper()


_FUNCTION_WORDS = frozenset({"of", "the", "for", "on", "in", "to", "and", "at", "from", "de", "du", "des", "against", "with", "a.i."})
_SEPARATORS = re.compile(r"[.;:,]\s+|[“”\"]\s*|\b(?:by|with|said|and|met|to|from|of)\s+")


def _is_title_case(phrase: str) -> bool:
    """True when every word is capitalised or a function word ("Deputy
    Head of the OSCE Mission to Serbia"), as written titles are."""
    tokens = [t.strip("()") for t in phrase.split()]
    return bool(tokens) and all(t[:1].isupper() or t in _FUNCTION_WORDS for t in tokens if t)


def _title_candidates(before: str) -> list[str]:
    """Suffixes of ``before`` that start after a separator, longest first."""
    starts = [0] + [m.end() for m in _SEPARATORS.finditer(before)]
    return [before[i:].strip() for i in sorted(set(starts)) if before[i:].strip()]


def _title_before(text: str, start: int) -> str | None:
    """A title in apposition before a name: "The Director of X, NAME," -> title."""
    before = text[max(0, start - _WINDOW) : start]
    m = _COMMA_END.search(before)
    if not m:
        return None
    head = before[: m.start()]
    for candidate in _title_candidates(head):
        title = strip_article(candidate)
        if "," in candidate or not _is_title_case(title):
            continue
        if _looks_like_title(title):
            return title
    return None


def _title_run_in(text: str, lead_start: int, start: int) -> str | None:
    """A title written straight before the name without a comma:
    "Deputy Head of the OSCE Mission to Serbia Jelena Marković"."""
    before = text[max(0, start - _WINDOW) : start].rstrip()
    for candidate in _title_candidates(before):
        title = strip_article(candidate)
        if not title or not _is_title_case(title) or _CLAUSE_MARK.search(title):
            continue
        first = title.split()[0].lower()
        last = title.split()[-1].lower()
        if first in TITLE_WORDS or last in TITLE_WORDS or (first == "osce" and _looks_like_title(title)):
            return title
    return None


_PRONOUNS = {"he", "she", "He", "She"}
#: how far before a name its context is read, in characters: titles and
#: speech verbs sit next to the name; a bounded window keeps long pages linear
_WINDOW = 300


_COUNTRY_AFTER = re.compile(r"^\s*\((?P<mp>MP,\s*)?(?P<country>[^()]{2,40})\)")
#: "(USOSCE/Colin Peters)", "Photo: NAME", "© NAME": a credit, not a person
_CREDIT_BEFORE = re.compile(r"(?:/|©|\b(?:Photo|Picture|Foto|Credit)s?:?)\s*$", re.IGNORECASE)


def _country_after(text: str, ref: ReferenceData) -> bool:
    """True when "(Georgia)" / "(MP, Portugal)" / "(Казахстан)" follows."""
    m = _COUNTRY_AFTER.match(text)
    if not m:
        return False
    if m.group("mp"):
        return True
    name = m.group("country").strip()
    return ref.country(name) is not None or (bool(_CYRILLIC.search(name)) and name[:1].isupper() and len(name.split()) <= 2)


def _title_words_before(text: str, start: int, lang: str) -> str | None:
    """A lower-case title written straight before the name, in the same
    clause ("генеральный секретарь ОБСЕ Томас Гремингер", "le ministre russe
    des Affaires étrangères Sergueï Lavrov", "Dialogue Minister Edita
    Tahiri"): the words from the first title word to the name."""
    before = text[max(0, start - 120) : start]
    clause = _CLAUSE_SPLIT.split(before)[-1]
    words_ = clause.split()
    conjunctions = language(lang).conjunctions
    cut = max((k + 1 for k, word in enumerate(words_) if word.lower() in conjunctions), default=0)
    words_ = words_[cut:]  # "Minister X und sein Kollege Y": Y's title starts after "und"
    for k, word in enumerate(words_[-8:]):
        if is_title_word(word, lang):
            title = " ".join(words_[-8:][k:])
            return title or None
    return None


def _structure_before(text: str, start: int, ref: ReferenceData) -> str | None:
    """An OSCE structure or office named right before the name ("OSCE
    Representative on Freedom of the Media Dunja Mijatović")."""
    before = text[max(0, start - 160) : start].rstrip()
    for m in ref.find_structures(before):
        if m.end == len(before):
            return before[m.start : m.end]
    return None


def _near_known(name: str, index: PeopleIndex) -> bool:
    """True when ``name`` is a misspelling of a surname already known
    ("Kongatiev" after "Kongantiev"): one letter more, less or other."""
    import difflib

    for known in index.persons:
        last = known.split()[-1]
        if last != name and len(name) > 4 and difflib.SequenceMatcher(None, last, name).ratio() >= 0.9:
            return True
    return False


#: a last paragraph at least this long is prose, not a signature or contact
#: line: when it ends without punctuation, the page was cut inside it
_CUT_PROSE = 200


def find_people(
    paragraphs: list[str],
    ref: ReferenceData,
    orgs: list[OrgRef],
    lang: str = "en",
    quoted: list[list[tuple[int, int]]] | None = None,
    text_cut: bool = False,
) -> PeopleIndex:
    """Persons named in ``paragraphs``, with every mention (see module doc).

    A name of two or more words is a person with evidence from its shape or
    context: a known given name first (not a place), an honorific, a title
    before it (run in, in apposition, or in lower case as Russian and French
    write it), a title or a "(Country)" / "(MP, Country)" after it, or a
    speech verb next to it. Names in oblique Russian cases are given in the
    nominative. ``orgs`` are organisations already named in the item, used
    to expand short forms in affiliations; ``quoted`` the (start, end)
    offsets of quotations per paragraph (mentions there are not antecedents
    of pronouns). ``text_cut``: the page's text may stop inside the last
    paragraph (a stored text of fixed length), so a name ending it in the
    middle of prose may be cut and is not taken.
    """
    index = PeopleIndex()
    lower_words: set[str] | None = None  # the item's lower-case words, read when first needed
    verbs_after, verbs_before = _verb_patterns(lang)
    for p_idx, text in enumerate(paragraphs):
        runs = name_runs(text, ref, lang)
        if text_cut and p_idx == len(paragraphs) - 1 and runs and len(text) >= _CUT_PROSE and runs[-1].end == len(text.rstrip()):
            # the stored text stops in the middle of a sentence of prose:
            # the last name may be cut ("… Thomas Gre"), and is no name
            runs = runs[:-1]
        spans = quoted[p_idx] if quoted and p_idx < len(quoted) else []
        in_quote = _within(spans)
        for run in runs:
            at = Position(p_idx, run.start)
            inside = in_quote(run.start)
            name = nominative(run.name) if lang == "ru" else run.name
            multiword = len(name.split()) >= 2
            if not multiword:
                lowered = name.lower()
                if not verbs_after.match(text[run.end :]):
                    continue
                if lower_words is None:
                    lower_words = {w for para in paragraphs for w in _LETTERS.findall(para) if w.islower()}
                if (
                    lowered not in lower_words
                    and not _near_known(name, index)
                    and not index.by_surname(name)
                    and name not in index.persons
                    and not run.honorific
                    and resolve_place(name, ref) is None
                    and not given_name_gender(name)
                    and (run.start == 0 or text[run.start - 2 : run.start] in (", ", ". ") or text[: run.start].rstrip().endswith((",", ".")))
                ):
                    # "…, Kongantiev said.": a speaker the page names by surname only
                    index.add(Person(name), at)
                continue
            title, _ = _title_after(text, run.end)
            if title is None:
                title = _title_before(text, run.lead_start if run.honorific else run.start)
            if title is None and run.lead_start < run.start and not run.honorific:
                title = _title_run_in(text, run.lead_start, run.start)
            if _CREDIT_BEFORE.search(text[max(0, run.lead_start - 12) : run.lead_start]):
                continue
            if _non_person_head(lang).search(text[max(0, run.lead_start - 30) : run.lead_start]):
                continue  # "the magazine Charlie Hebdo", "журнал Огонёк": a name, not a person
            if title is None and not run.honorific:
                title = _structure_before(text, run.start, ref)
                if title is None and lang != "en":
                    title = _title_words_before(text, run.lead_start, lang)
            if is_country_name(name) or is_country_name(_ARTICLE_START.sub("", name)):
                continue  # "la Macédoine du Nord": a State, not a person
            first = name.split()[0]
            given = given_name_gender(first) is not None and not _big_city(first)
            evidence = (
                run.honorific is not None
                or title is not None
                or given
                or _country_after(text[run.end :], ref)
                or verbs_after.match(text[run.end :]) is not None
                or verbs_before.search(text[max(0, run.start - _WINDOW) : run.lead_start if run.honorific else run.start]) is not None
            )
            if not evidence:
                if name in index.persons:
                    index.mention(name, at)
                continue
            if name not in index.persons and title is None:
                known = index.by_surname(name)
                if known:  # "said Fernández Castro", "Ambassador van Dijk" after the full name
                    index.mention(known[-1].name, at)
                    continue
            job, affiliation = (None, None)
            if title:
                job, affiliation = split_job_title(title, ref, orgs)
            index.add(Person(name, run.honorific, job or None, affiliation), at)
            if inside:
                index.quoted_mentions.setdefault((at.paragraph, at.offset), set()).add(name)
        # surnames and repeated full names
        for run in runs:
            at = Position(p_idx, run.start)
            inside = in_quote(run.start)
            name = nominative(run.name) if lang == "ru" else run.name
            target = None
            if name in index.persons:
                target = name
            elif len(name.split()) == 1:
                matches = index.by_surname(name)
                if len(matches) == 1:
                    target = matches[0].name
            if target is not None:
                index.mention(target, at)
                if inside:
                    index.quoted_mentions.setdefault((at.paragraph, at.offset), set()).add(target)
    # a surname recorded before the full name was met ("Desir said" in the
    # headline, "Harlem Desir" below) is that person when one person has it;
    # a surname that speaks is the person the item names in full with it
    # anywhere ("nach Ansicht von Knut Vollebaek, …" then "sagte Vollebaek"),
    # even where that full name had no other evidence
    for name in [n for n in index.persons if len(n.split()) == 1]:
        matches = index.by_surname(name)
        if not matches:
            full = full_names_ending(paragraphs, name, ref, lang)
            if len(full) == 1:
                (full_name, at), = full.items()
                index.add(Person(full_name), at)
                matches = index.by_surname(name)
        if len(matches) == 1:
            index.merge_into(name, matches[0].name)
    return index


def full_names_ending(paragraphs: list[str], surname: str, ref: ReferenceData, lang: str) -> dict[str, Position]:
    """The names of two or three words ending with ``surname`` that the
    paragraphs write (in the nominative for Russian), each with its first
    position; those opening with a known given name when there are such and
    others."""
    found: dict[str, Position] = {}
    for p_idx, text in enumerate(paragraphs):
        if surname not in text:
            continue
        for run in name_runs(text, ref, lang):
            name = nominative(run.name) if lang == "ru" else run.name
            words_ = name.split()
            if len(words_) < 2 or words_[-1] != surname:
                continue
            # "Ansicht von Knut Vollebaek": from a given name, or the last two
            # words; never from a particle
            given = [k for k in range(max(0, len(words_) - 3), len(words_) - 1) if given_name_gender(words_[k])]
            first = given[0] if given else len(words_) - 2
            if words_[first].lower() in _PARTICLES:
                continue
            full = " ".join(words_[first:])
            if full not in found:
                found[full] = Position(p_idx, run.start + len(" ".join(words_[:first])) + (1 if first else 0))
    given = {name: at for name, at in found.items() if given_name_gender(name.split()[0])}
    # "Knut Vollebaek" over "der Norweger Vollebaek"
    return given if given and len(found) > 1 else found
