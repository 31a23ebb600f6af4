"""Language data: word lists, patterns and labels per language, compiled in
one place.

Each language has one JSON file in ``data/languages/`` (``en.json``,
``de.json``, ``fr.json``, ``ru.json``; see ``data/README.md`` for the keys).
:func:`languages` reads them once and :class:`Language` compiles them into
the regular expressions the extractors use; every alternation is ordered
longest first, by construction (:func:`alternation`), so "told journalists"
wins over "told" and "a-t-il déclaré" over "déclaré".

The language of a page is chosen by :func:`detect_language`: an explicit
hint (HTML ``lang``) when it names a language with data, else the letters
of one Cyrillic alphabet (Russian, Ukrainian, Serbian), else the function
words, the Polish and Serbian letters and py3langid restricted to the
languages that have data, else English.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..resources import languages_dir

__all__ = ["Language", "alternation", "detect_language", "language", "languages"]

logger = logging.getLogger(__name__)


def alternation(words: list[str] | tuple[str, ...] | set[str], flags_safe: bool = True) -> str:
    """A regex alternation of ``words``, escaped, longest first, white space
    inside a phrase matching any run of white space."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    parts = [r"\s+".join(re.escape(piece) for piece in w.split()) for w in unique]
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


@dataclass(frozen=True)
class Language:
    """The compiled data of one language.

    Attributes:
        code: ISO 639-1 code, also the language tag of literals ("en").
        data: the JSON object as read.
        speech_verbs: alternation of speech verbs (multi-word forms first).
        honorifics: honorific as written -> gender ("m", "f" or ``None``).
        pronouns: pronoun as written -> gender.
        title_words / title_words_lower: words that make a phrase a job title.
        title_suffixes: endings of compound title words (German "…minister").
        stop_words: capitalised words that are never part of a person's name.
        months: month name or abbreviation (lower case) -> month number.
        label_kinds: page label (lower case, no colon) -> kind ("date", ...).
    """

    code: str
    data: dict[str, Any] = field(repr=False)

    def words(self, key: str) -> list[str]:
        """The list stored under ``key`` (empty when the language has none)."""
        value = self.data.get(key) or []
        return list(value)

    @functools.cached_property
    def function_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words("function_words"))

    @functools.cached_property
    def speech_verbs(self) -> str:
        return alternation(self.words("speech_verbs"))

    @functools.cached_property
    def colon_verbs(self) -> str:
        return alternation(self.words("speech_nouns_before_colon") + self.words("speech_verbs"))

    @functools.cached_property
    def adverbs(self) -> str:
        return alternation(self.words("adverbs"))

    @functools.cached_property
    def honorifics(self) -> dict[str, str | None]:
        return dict(self.data.get("honorifics") or {})

    @functools.cached_property
    def honorific_display(self) -> dict[str, str]:
        return dict(self.data.get("honorific_display") or {})

    @functools.cached_property
    def pronouns(self) -> dict[str, str | None]:
        return dict(self.data.get("pronouns") or {})

    @functools.cached_property
    def pronoun_re(self) -> str:
        return alternation(list(self.pronouns))

    @functools.cached_property
    def anaphor_re(self) -> re.Pattern[str]:
        return re.compile(r"^" + alternation(self.words("anaphors")) + r"$", re.IGNORECASE)

    @functools.cached_property
    def title_words(self) -> frozenset[str]:
        return frozenset(self.words("title_words"))

    @functools.cached_property
    def title_words_lower(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words("title_words"))

    @functools.cached_property
    def title_suffixes(self) -> tuple[str, ...]:
        return tuple(w.lower() for w in self.words("title_suffixes"))

    def is_title_word(self, token: str) -> bool:
        """True when ``token`` is a title word of this language ("Head",
        "minister", German compounds ending in "minister")."""
        bare = token.rstrip(".,;:")
        low = bare.lower()
        if bare in self.title_words or low in self.title_words_lower:
            return True
        return bool(self.title_suffixes) and low.endswith(self.title_suffixes)

    @functools.cached_property
    def stop_words(self) -> frozenset[str]:
        return frozenset(self.words("stop_words"))

    @functools.cached_property
    def articles(self) -> tuple[str, ...]:
        return tuple(self.words("articles"))

    @functools.cached_property
    def article_re(self) -> re.Pattern[str]:
        arts = self.words("articles")
        if not arts:
            return re.compile(r"(?!)")
        return re.compile(r"^(?:" + "|".join(re.escape(a) + (r"\s*" if a.endswith(("'", "’")) else r"\s+") for a in sorted(arts, key=len, reverse=True)) + ")", re.IGNORECASE)

    def strip_article(self, text: str) -> str:
        """``text`` without a leading article of this language."""
        return self.article_re.sub("", text.strip(), count=1)

    @functools.cached_property
    def indirect_re(self) -> re.Pattern[str]:
        return re.compile(r"^\s*,?\s*" + alternation(self.words("indirect_markers")) + r"\b", re.IGNORECASE)

    @functools.cached_property
    def months(self) -> dict[str, int]:
        return {k.lower(): int(v) for k, v in (self.data.get("months") or {}).items()}

    @functools.cached_property
    def weekdays(self) -> dict[str, int]:
        return {k.lower(): int(v) for k, v in (self.data.get("weekdays") or {}).items()}

    @functools.cached_property
    def relative_days(self) -> dict[str, int]:
        return {k.lower(): int(v) for k, v in (self.data.get("relative_days") or {}).items()}

    @functools.cached_property
    def label_kinds(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for kind, labels in (self.data.get("labels") or {}).items():
            for label in labels:
                out[label.lower()] = kind
        return out

    @functools.cached_property
    def page_headers(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words("page_headers"))

    @functools.cached_property
    def quote_pairs(self) -> dict[str, str]:
        return {o: c for o, c in self.data.get("quotes") or []}

    @functools.cached_property
    def theme_before_re(self) -> re.Pattern[str]:
        return re.compile(alternation(self.words("theme_before")) + r"\s*(?:of|was|is)?\s*[:,]?\s*$", re.IGNORECASE)

    @functools.cached_property
    def following_statement_re(self) -> str:
        return alternation(self.words("following_statement"))

    @functools.cached_property
    def event_nouns(self) -> str:
        return alternation(self.words("event_nouns"))

    @functools.cached_property
    def generic_events(self) -> str:
        return alternation(self.words("generic_events"))

    @functools.cached_property
    def event_verbs(self) -> str:
        return alternation(self.words("event_verbs"))

    @functools.cached_property
    def article_words(self) -> frozenset[str]:
        """The articles in lower case (``articles``)."""
        return frozenset(a.lower() for a in self.words("articles"))

    @functools.cached_property
    def place_prepositions(self) -> frozenset[str]:
        """The prepositions of place in lower case (``place_prepositions``)."""
        return frozenset(w.lower() for w in self.words("place_prepositions"))

    @functools.cached_property
    def locative_endings(self) -> tuple[tuple[str, str], ...]:
        """Case endings of city names and what replaces them in the name's
        base form (``locative_endings``: Serbian "Beogradu" -> "Beograd",
        Russian "Вене" -> "Вена"), lower case, longest first."""
        pairs = [(str(a).lower(), str(b).lower()) for a, b in self.data.get("locative_endings") or []]
        return tuple(sorted(pairs, key=lambda p: -len(p[0])))

    @functools.cached_property
    def ordinal_period(self) -> bool:
        """True where an ordinal is written with a period ("30."), which then
        ends no sentence (``ordinal_period``)."""
        return bool(self.data.get("ordinal_period"))

    @functools.cached_property
    def event_re(self) -> re.Pattern[str]:
        """A word naming an event (``event_nouns`` and ``generic_events``),
        any case: a noun of five letters or more also in its inflected forms
        (its last letter and up to three more changed: "конференции",
        "Ministerrates") and as the end of a compound ("Außenministertreffen",
        "OSZE-Ministerrat"); the match is the whole word or phrase."""
        parts = []
        for noun in sorted({*self.words("event_nouns"), *self.words("generic_events")}, key=lambda w: (-len(w), w)):
            body = r"\s+".join(re.escape(piece) for piece in noun.split())
            if len(noun) >= 5 and " " not in noun:
                body = re.escape(noun[:-1]) + r"\w{0,3}"
            parts.append(body)
        if not parts:
            return re.compile(r"(?!)")
        return re.compile(r"(?<!\w)[\w-]*?(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)

    @functools.cached_property
    def event_phase_res(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        """Words that say an event ended, started, or was held (``event_ended``,
        ``event_started``, ``event_held``), of this language and English."""
        en = languages()["en"]
        return tuple(  # type: ignore[return-value]
            re.compile(r"(?<!\w)" + alternation(self.words(key) + en.words(key)) + r"(?!\w)", re.IGNORECASE)
            for key in ("event_ended", "event_started", "event_held")
        )

    @functools.cached_property
    def relative_clause_re(self) -> re.Pattern[str]:
        """A comma and a relative pronoun (``relative_pronouns``: ", who",
        ", der", ", qui"): where a reference to a person ends."""
        return re.compile(r",\s+" + alternation(self.words("relative_pronouns")) + r"(?!\w)", re.IGNORECASE)

    @functools.cached_property
    def conjunctions(self) -> frozenset[str]:
        """The coordinating conjunctions (``conjunctions``), lower case."""
        return frozenset(w.lower() for w in self.words("conjunctions"))

    @functools.cached_property
    def future_re(self) -> re.Pattern[str]:
        """A word that puts a sentence in the future ("will", "wird",
        "состоится": ``future_markers``), this language and English: its
        weekdays are the coming ones."""
        words = self.words("future_markers") + languages()["en"].words("future_markers")
        return re.compile(r"(?<!\w)" + alternation(words) + r"(?!\w)", re.IGNORECASE)

    @functools.cached_property
    def not_event_re(self) -> re.Pattern[str]:
        """A word that makes an event noun's phrase a visit, talks or an
        election (``not_events``, this language and English)."""
        words = self.words("not_events") + languages()["en"].words("not_events")
        return re.compile(r"(?<!\w)" + alternation(words) + r"(?!\w)", re.IGNORECASE)

    @functools.cached_property
    def place_re(self) -> re.Pattern[str]:
        """A preposition of place (``place_prepositions``) and the capitalised
        name after it (one to three words, or two names joined by "/")."""
        preps = self.words("place_prepositions") or ["in"]
        name = r"(?-i:[A-ZÀ-ÞĀ-ſА-ЯЁЄІЇҐЂЈЉЊЋЏ])[\w’'-]*"
        return re.compile(
            rf"(?<!\w)(?:{alternation(preps)})\s+(?P<place>{name}(?:/{name}|(?:[ -]{name}){{0,2}}))", re.IGNORECASE
        )

    @functools.cached_property
    def durations(self) -> tuple[re.Pattern[str], dict[str, int]]:
        """Words giving an event's length in days (``duration_words``: "two-day",
        "zweitägige"), this language and English, and their number of days."""
        days = {k.lower(): int(v) for code in ("en", self.code) for k, v in (languages()[code].data.get("duration_words") or {}).items()}
        return re.compile(r"(?<!\w)" + alternation(list(days)) + r"(?!\w)", re.IGNORECASE), days

    @functools.cached_property
    def organisation_speakers(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words("organisation_speakers"))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:  # a broken data file is a packaging fault
        raise RuntimeError(f"{path}: cannot read language data: {exc}") from exc
    if not isinstance(data, dict) or data.get("code") != path.stem:
        raise RuntimeError(f"{path}: a language file holds an object whose \"code\" is the file name")
    return data


@functools.lru_cache(maxsize=1)
def languages() -> dict[str, Language]:
    """Every language with a data file, by code."""
    out: dict[str, Language] = {}
    for path in sorted(languages_dir().glob("*.json")):
        data = _read(path)
        out[data["code"]] = Language(data["code"], data)
    if "en" not in out:
        raise RuntimeError(f"{languages_dir()}: no en.json")
    return out


def language(code: str) -> Language:
    """The :class:`Language` of ``code``, English when there is no data for it."""
    langs = languages()
    return langs.get(code, langs["en"])


#: codes of py3langid (and of HTML ``lang`` values) that stand for a
#: language with data under another code: Croatian, Bosnian, Montenegrin and
#: Serbo-Croatian are read with the Serbian data (one language, two scripts)
_ALIASES = {"hr": "sr", "bs": "sr", "sh": "sr", "cnr": "sr", "ua": "uk"}


def _alias(code: str, langs: dict[str, Language]) -> str:
    """``code`` itself, or the code with data it stands for (``hr`` -> ``sr``)."""
    if code in langs:
        return code
    target = _ALIASES.get(code)
    return target if target in langs else code


@functools.lru_cache(maxsize=1)
def _identifier():  # py3langid's model, restricted to our languages
    import py3langid.langid as langid

    model = Path(langid.__file__).parent / langid.MODEL_FILE
    ident = langid.LanguageIdentifier.from_modelpath(model, norm_probs=False)
    langs = languages()
    codes = set(langs) | {alias for alias, target in _ALIASES.items() if target in langs}
    ident.set_languages(sorted(code for code in codes if code in ident.nb_classes))
    return ident


_WORD = re.compile(r"[^\W\d_]+")
#: runs of Cyrillic and of Latin letters (the lengths of the runs add up to
#: the number of letters, with far fewer matches to collect than letters)
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
#: letters only one Cyrillic alphabet of the languages with data has:
#: Ukrainian і ї є ґ, Russian ы э ё ъ, Serbian ђ ј љ њ ћ џ
_CYRILLIC_MARKS = {
    "uk": re.compile(r"[іїєґІЇЄҐ]"),
    "ru": re.compile(r"[ыэёъЫЭЁЪ]"),
    "sr": re.compile(r"[ђјљњћџЂЈЉЊЋЏ]"),
}
#: letters of the Latin alphabets: Polish ą ę ł ń ś ź ż, Serbian and
#: Croatian č ć š ž đ (ć is Polish too, so it does not count for Polish)
_POLISH_LETTERS = re.compile(r"[ąęłńśźżĄĘŁŃŚŹŻ]")
_SERBIAN_LETTERS = re.compile(r"[čćšžđČĆŠŽĐ]")
#: share of the letters that the letters of an alphabet must reach to count
#: (a Polish or Serbian name in an English text stays far below it)
_LETTER_SHARE = 0.01


def _cyrillic_language(sample: str, words: Counter[str], langs: dict[str, Language]) -> str:
    """The Cyrillic-script language with data ``sample`` is written in: the
    letters only one of the alphabets has, and the function words only one
    of the languages has, decide; Russian when nothing does."""
    codes = [code for code in ("ru", "uk", "sr") if code in langs]
    if not codes:
        return "en"
    cyrillic_words = {code: {w for w in langs[code].function_words if _CYRILLIC_RUN.fullmatch(w)} for code in codes}
    scores = {}
    for code in codes:
        others = set().union(*(cyrillic_words[c] for c in codes if c != code))
        own = cyrillic_words[code] - others
        scores[code] = 2 * len(_CYRILLIC_MARKS[code].findall(sample)) + sum(words[w] for w in own)
    best = max(codes, key=lambda code: (scores[code], code == "ru"))
    return best if scores[best] > 0 else ("ru" if "ru" in langs else best)


def _latin_letters(sample: str, words: Counter[str], langs: dict[str, Language], letters: int) -> str | None:
    """Polish or Serbian when their letters make a share of ``sample``'s
    ``letters`` and their function words outnumber the other's; else None."""
    threshold = max(3, _LETTER_SHARE * letters)

    def score(code: str) -> int:
        return sum(words[w] for w in langs[code].function_words if w in words) if code in langs else 0

    if "pl" in langs and len(_POLISH_LETTERS.findall(sample)) >= threshold and score("pl") >= score("sr"):
        return "pl"
    if "sr" in langs and len(_SERBIAN_LETTERS.findall(sample)) >= threshold and score("sr") > score("pl"):
        return "sr"
    return None


def detect_language(text: str, hint: str | None = None) -> str:
    """The code of the language ``text`` is written in (one that has data).

    ``hint`` (an HTML ``lang`` value such as "de-AT") wins when it names a
    language with data ("hr" and "bs" count as Serbian). Otherwise the
    script decides between Cyrillic and Latin; among the Cyrillic languages
    the letters of one alphabet only (Ukrainian і ї є ґ, Russian ы э ё ъ,
    Serbian ђ ј љ њ ћ џ); among the Latin ones the function words of the
    language files, then the Polish and Serbian letters, then py3langid.
    """
    langs = languages()
    if hint:
        code = _alias(hint.split("-")[0].split("_")[0].lower(), langs)
        if code in langs:
            return code
    sample = text[:4000]
    cyr = sum(map(len, _CYRILLIC_RUN.findall(sample)))
    # without Cyrillic, only whether there is a Latin letter matters below
    lat = sum(map(len, _LATIN_RUN.findall(sample))) if cyr else int(_LATIN_RUN.search(sample) is not None)
    if cyr > lat:
        return _cyrillic_language(sample, Counter(_WORD.findall(sample.lower())), langs)
    if not lat:
        return "en"
    # the function words of the language files decide clear cases at once
    counts = Counter(_WORD.findall(sample.lower()))
    scores = sorted(((sum(counts[w] for w in lang.function_words if w in counts), code) for code, lang in langs.items()), reverse=True)
    if scores[0][0] >= 8 and scores[0][0] >= 3 * max(1, scores[1][0]):
        return scores[0][1]
    letters = sum(map(len, _LATIN_RUN.findall(sample))) if not cyr else lat
    by_letters = _latin_letters(sample, counts, langs, letters)
    if by_letters is not None:
        return by_letters
    try:
        code, _score = _identifier().classify(sample)
    except Exception:  # noqa: BLE001 - language id is a hint, never fatal
        logger.debug("language identification failed", exc_info=True)
        return "en"
    code = _alias(code, langs)
    if code in ("ru", "uk") and cyr < lat:
        return "en"
    return code if code in langs else "en"
