"""Meetings and events an item reports on.

A meeting is taken from a sentence that names an event and gives its date:

- a proper name holding an event noun: "the 2021 OSCE Annual Police Experts
  Meeting (APEM)", "the Regional Conference on Border Security and Management
  in Central Asia";
- or a described event: "a training course on financial investigations",
  "a roundtable discussion on the implementation of electoral reform".

Later sentences that refer back to it ("The APEM, organized ...", "The
three-day course, held from 28 February to 2 March 2023, ...") add organisers,
supporters, participants, attendance mode and a fuller date range. The place is
a city named with "in" in those sentences (resolved with the gazetteer), never
a place of the headline alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace

from ..records import AttendanceMode, Meeting, OrgRef, Place
from ..reference import ReferenceData
from .orgs import ORG_WORDS, chairpersonship_in, resolve_org, strip_article
from .mentions import structures_in
from .places import resolve_place
from .dates import date_reader, year_context
from .language import Language, language
from .text import UPPER, DateSpan, matches_at, may_hold, sentence_bounds

EVENT_NOUNS = (
    "Permanent Council|Ministerial Council|Standing Committee|Bureau Meeting|Ministerrat|Conseil ministériel|Meeting|Meetings|Conference|Forum|Seminar|Workshop|Roundtable|Round Table|Summit|Session|Dialogue|"
    "Symposium|Congress|Course|Training|Exercise|Consultations|Debate|Hearing|Review Conference|Webinar|School"
)
_PROPER = re.compile(
    r"(?:(?<=\bthe )|(?<=\bThe )|(?<=\ba )|(?<=\ban )|(?<=\bits )|(?<=\bat )|(?<=\bof )|(?<=\bfirst )|(?<=\bLe )|(?<=\ble )|(?<=\bLa )|(?<=\bla )|(?<=\bden )|(?<=\bder )|(?<=\bdie )|^)"
    r"(?P<name>(?:(?:19|20)\d\d\s+|\d+(?:st|nd|rd|th|\.)\s+)?(?:OSCE\s+|OSZE-)?[A-Z][\w’'-]*"
    r"(?:\s+(?:[A-Z][\w’'-]*|of|on|and|for|in|the|to|against|with|de|&|ministériel|de\s+l['’]OSCE)){0,16})"
)
_EVENT_WORD = re.compile(rf"\b(?:{EVENT_NOUNS})\b")
#: the event nouns that hold no other: a sentence without one of them names
#: no event (a name found in it is a part of it)
_EVENT_NOUN_CORES = tuple(
    sorted({n for n in EVENT_NOUNS.split("|") if not any(o != n and o in n for o in EVENT_NOUNS.split("|"))})
)
#: where a proper name can start: after a space (every look-behind of
#: :data:`_PROPER` ends with one), at a capital or a digit
_PROPER_START = re.compile(r" (?=[A-Z\d])")
#: where a venue can start: "in", "at", "im", "в", "à" after a character
#: that is no letter or digit (or at the start)
_PLACE_START = re.compile(r"\W(?=[iaвà])")
#: where a described event can start: a word of "a", "an", "the" after a
#: character that is no letter or digit
_GENERIC_START = re.compile(r"\W(?=[AaTt])")
_GENERIC = re.compile(
    r"\b(?:[Aa]|[Aa]n|[Tt]he)\s+(?:\d+(?:st|nd|rd|th)\s+)?(?:(?:one|two|three|four|five|six|seven|ten|\d+)-day\s+)?(?:OSCE\s+|OSCE-supported\s+|regional\s+|national\s+|international\s+|joint\s+|online\s+)?"
    r"(?P<noun>basic training course|training courses|training course|training|roundtable discussion|round-table discussion|roundtable|round table|workshop|seminar|"
    r"conference|meeting|course|forum|webinar|study visit|simulation exercise|exercise|summer school|consultation|lecture series|"
    r"public discussion|discussion|panel discussion|expert meeting)"
    r"\s+(?P<rel>on|for|about|to discuss|dedicated to|of)\s+(?P<topic>(?:the\s+)?[a-zA-Z][^,.;:“”\"()]*)"
)
_TOPIC_END = re.compile(
    r"\s+(?:in\s+(?=[A-Z])|on\s+(?=\d)|from\s+(?=\d)|held\b|organi[sz]ed\b|bringing\b|which\b|that\s+(?:brought|gathered|was|were|took)\b|with\s+the\b|"
    r"at\s+(?=the\s+[A-Z]|[A-Z])|under\b|took\s+place\b)"
)
_PLACE = re.compile(
    rf"(?:\b(?:in|at|im|в)|(?<!\w)à)\s+(?P<place>{UPPER}[\w’'-]+(?:/{UPPER}[\w’'-]+|\s(?:la|le|de|del|di|am|an|upon|sur|les)\s{UPPER}[\w’'-]+|[ -]{UPPER}[\w’'-]+)?)"
)
_ORGANIZED = re.compile(
    r"\b(?:organi[sz]ed|co-organi[sz]ed|hosted|convened|held)\s+(?:this\s+year\s+|jointly\s+|annually\s+)?by\s+(?P<orgs>.+?)"
    r"(?=\s+with\s+the\s+support\b|,\s+(?!and\b)|\.(?:\s|$)|\s+on\s+\d|\s+from\s+\d|\s+under\b|\s+brought\b|\s+for\s+[a-z]|$)"
)
#: an organiser named before "hosted a ...": the name's runs of letters and
#: spaces are bounded (:data:`_ORG_CHARS`) and its structure word is found
#: once per start (atomic: ``(?=(...))`` then a back-reference, as later
#: structure words in the same run reach no verb the first does not), so a
#: search is linear in the sentence (unbounded lazy runs made a long run of
#: capitalised words quadratic, and cubic with the structure words)
_ORG_CHARS = 300
_HOSTED = re.compile(
    rf"(?P<org>(?:[Tt]he\s+)?OSCE\s+[A-Z][\w ]{{0,{_ORG_CHARS}}}?"
    rf"|(?:[Tt]he\s+)?[A-Z](?=(?P<_head>[\w ]{{0,{_ORG_CHARS}}}?(?:Mission|Office|Presence|Centre|Secretariat|Institution)))(?P=_head)[\w ]{{0,{_ORG_CHARS}}}?)"
    r"\s+(?:hosted|organi[sz]ed|convened|held|co-organi[sz]ed)\s+(?:a|an|the)\b"
)
_SUPPORT = re.compile(r"\bwith\s+the\s+(?:financial\s+)?support\s+of\s+(?P<orgs>.+?)(?=,|\.(?:\s|$)|\s+brought\b|\s+on\s+\d|$)")
_ORG_SPLIT = re.compile(
    r"\s+(?:together\s+with|in\s+co-?operation\s+with|jointly\s+with|in\s+partnership\s+with)\s+|,\s+and\s+|,\s+|\s+and\s+(?=the\s+[A-Z])"
)
_THEME = re.compile(r"\bunder\s+the\s+(?:theme|title|motto)\s+(?:of\s+)?[“\"](?P<theme>[^”\"]+)[”\"]")
_MIN_PARTICIPANTS = re.compile(
    r"\b(?:over|more\s+than|upwards\s+of|in\s+excess\s+of)\s+(?P<n>\d[\d,]*)\s+(?!years?\b|countries\b|per\s)", re.IGNORECASE
)
_EXACT_PARTICIPANTS = re.compile(
    r"(?<!over )(?<!than )(?<!some )(?<!about )(?<!around )(?<!nearly )(?<!almost )(?<!to )(?<![\d,.])(?P<n>\d[\d,]*)\s+(?:participants|attendees|delegates)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_ACRONYM = re.compile(r"^\s*\((?P<acr>[A-Z][A-Za-z0-9-]{1,12})\)")


_ONLINE = re.compile(
    r"\b(?:held|took\s+place|met|conducted|organi[sz]ed|hosted|opened|convened|was|were|joined|participated)\s+(?:both\s+|entirely\s+|fully\s+)?(?:online|virtually)\b"
    r"|\b(?:an?|the)\s+(?:online|virtual)\s+(?:meeting|conference|event|session|seminar|workshop|training|course|roundtable|discussion|forum|webinar)"
    r"|\bvia\s+video[- ]?(?:conference|link)|\bwebinar\b",
    re.IGNORECASE,
)
_OFFLINE = re.compile(
    r"\b(?:held|took\s+place|met|conducted|organi[sz]ed|hosted|opened|convened|was|were)\s+(?:both\s+)?in[- ]person\b"
    r"|\b(?:an?|the)\s+in[- ]person\s+(?:meeting|conference|event|session|seminar|workshop|training|course)",
    re.IGNORECASE,
)
_MIXED = re.compile(
    r"\bonline\s+and\s+in[- ]person\b|\bin[- ]person\s+and\s+online\b|\bhybrid\s+(?:format|meeting|event|conference|session|mode)\b"
    r"|\bin\s+a\s+hybrid\b",
    re.IGNORECASE,
)


#: words every match of :data:`_ONLINE`, :data:`_OFFLINE` or :data:`_MIXED`
#: holds: a sentence without one names no mode
_ATTENDANCE_WORDS = ("online", "virtual", "video", "webinar", "person", "hybrid")


def _attendance(sentence: str) -> AttendanceMode | None:
    """How the event was attended, when the sentence says so in so many
    words ("held online and in-person", "a hybrid format"); "online" inside
    a topic ("safety of journalists online") does not count."""
    if not may_hold(sentence, _ATTENDANCE_WORDS):
        return None
    if _MIXED.search(sentence):
        return AttendanceMode.MIXED
    online = _ONLINE.search(sentence) is not None
    offline = _OFFLINE.search(sentence) is not None
    if online and offline:
        return AttendanceMode.MIXED
    if online:
        return AttendanceMode.ONLINE
    if offline:
        return AttendanceMode.OFFLINE
    return None


def _trim_name(name: str) -> str:
    name = re.sub(r"^(?:The|This|That)\s+", "", name.strip())
    words_ = name.split()
    while len(words_) > 1 and words_[-1].lower().rstrip(".") in date_reader().months:
        words_.pop()  # "Permanent Council on January": the month is the date's
    name = " ".join(words_)
    name = re.sub(r"(?:\s+(?:of|on|and|for|in|the|to|against|with|de|&))+$", "", name)
    return name


def _proper_name(sentence: str) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    if not any(map(sentence.__contains__, _EVENT_NOUN_CORES)):
        return None
    starts = [0] + [m.end() for m in _PROPER_START.finditer(sentence)]
    for m in matches_at(_PROPER, sentence, starts):
        name = _trim_name(m.group("name"))
        if not _EVENT_WORD.search(name):
            continue
        # cut a trailing " in City" that is the venue, not part of the name
        cut = re.search(r"\s+in\s+[A-Z][\w-]+$", name)
        if cut and not re.search(r"\s+in\s+(?:Central|South|North|Eastern|Western|South-East|the)\b", name[cut.start():]):
            head = name[: cut.start()]
            if _EVENT_WORD.search(head):
                name = head
        start = m.start("name")
        if best is None or len(name) > len(best[0]):
            best = (name, start, start + len(name))
    return best


_GENERIC_BARE = re.compile(
    r"\b(?:[Aa]|[Aa]n|[Tt]he)\s+(?:(?:one|two|three|four|five|six|seven|ten|\d+)-day\s+)?(?:OSCE(?:-[a-z]+)?\s+)?"
    r"(?P<name>(?:[a-z][a-z-]+\s+){0,3}?(?:training courses|training course|courses|course|seminar|workshop|conference|roundtable|training|webinar|forum|meeting|media briefing|briefing|ceremony|lecture series|event))"
    r"(?=\s+(?:held|in\s+[A-Z]|on\s+\d|from\s+\d|organi[sz]ed|took\s+place|was\s+held|today|that\s+ended|which\s+started|titled|supported|hosted|co-organi[sz]ed|on\s+[A-Z]|for\s|,))"
)


def _generic_name(sentence: str) -> tuple[str, int, int] | None:
    # both patterns open with a word boundary and "a", "an" or "the": the
    # first match at one of those places is the one a search finds
    starts = [0] + [m.end() for m in _GENERIC_START.finditer(sentence)]
    m = next(matches_at(_GENERIC, sentence, starts), None)
    if not m:
        bare = next(matches_at(_GENERIC_BARE, sentence, starts), None)
        if bare:
            name = bare.group("name")
            return name, bare.start("name"), bare.end("name")
        return None
    topic = m.group("topic")
    end = _TOPIC_END.search(topic)
    if end:
        topic = topic[: end.start()]
    topic = topic.strip()
    if not topic:
        return None
    name = f"{m.group('noun')} {m.group('rel')} {topic}"
    return name, m.start("noun"), m.start("noun") + len(name)


def _orgs(text: str, ref: ReferenceData, known: list[OrgRef]) -> list[OrgRef]:
    out: list[OrgRef] = []
    for part in _ORG_SPLIT.split(text):
        part = strip_article(part.strip())
        if not part:
            continue
        chair = chairpersonship_in(part, ref)
        if chair is not None:
            (year, iso), (s, e) = chair
            out.append(OrgRef(name=part[s:e], country=iso, chair_year=year))
            continue
        # longest known structure at the start, else a capitalised phrase
        words_ = part.split()
        resolved = None
        for n in range(len(words_), 1, -1):
            candidate = " ".join(words_[:n])
            if ref.structure(candidate) is not None:
                resolved = resolve_org(candidate, ref, known)
                break
        if resolved is None:
            m = re.match(r"(?:OSCE\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|on|and|the|in))*", part)
            if not m:
                continue
            phrase = re.sub(r"(?:\s+(?:of|for|on|and|the|in))+$", "", m.group())
            if not any(w in ORG_WORDS for w in phrase.split()) and ref.structure(phrase) is None:
                continue
            resolved = resolve_org(phrase, ref, known)
        out.append(resolved)
    return out


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
#: a visit, talks, an election are not meetings (a study visit is a training event)
_NOT_EVENT = re.compile(r"(?<!study )\b(?:visit|visits|talks|elections?|mission)\b", re.IGNORECASE)


def find_meetings(
    paragraphs: list[str],
    ref: ReferenceData,
    known_orgs: list[OrgRef],
    reference: "dt.date | None" = None,
    dateline_place: "Place | None" = None,
    lang: str = "en",
    headline: str | None = None,
) -> list[Meeting]:
    """Meetings reported in the body ``paragraphs`` (see module doc).

    ``known_orgs`` is extended with the organisers and supporters found.
    ``reference`` is the item's date: relative days ("today", "on
    Wednesday", "yesterday and today") are resolved against it and nothing
    else; a two- or three-day event that "ended today" or "started today"
    gets its other day from its duration. A meeting held on the item's date
    with no place of its own took place where the item is datelined
    (``dateline_place``); else, when the item (``headline`` included)
    names one city of the OSCE area after a preposition of place and no
    other, it took place there.

    ``lang`` (the page's language) gives the words of the rules: event
    nouns, the words that say an event started, ended or was held, its
    length in days, prepositions of place (the language file, with English).
    """
    return _find_meetings(paragraphs, ref, known_orgs, reference, dateline_place, language(lang), headline)


_DAYS = re.compile(r"\b(?:the\s+)?(?P<n>two|three|four|five|six|seven|2|3|4|5|6|7)(?:-day\b|\s+days\s+of\b)", re.IGNORECASE)
_UPCOMING = re.compile(r"\b(?:to\s+be\s+held|will\s+be\s+held|will\s+take\s+place|upcoming|forthcoming|planned\s+for)\b", re.IGNORECASE)
#: a word every match of :data:`_UPCOMING` holds
_UPCOMING_WORDS = ("held", "take", "coming", "planned")
#: an address, report or briefing to a session of a decision-making body
_BODY_SESSION = re.compile(
    r"\b(?:address(?:ing|ed)?|report(?:ing|ed)?|presenting|presented|speech|statement|told|briefed|briefing|delivered)\b[^.;]{0,80}?"
    r"\b(?:(?:to|at|before)\s+)?(?:the\s+|today['’]s\s+)?(?P<body>(?:OSCE\s+)?(?:Permanent\s+Council|Forum\s+for\s+Security\s+Co-operation))"
    r"(?:\s+meeting)?(?:,\s+(?P<city>[A-Z][\w-]+))?"
    r"|\btoday['’]s\s+(?P<body2>(?:OSCE\s+)?(?:Permanent\s+Council|Forum\s+for\s+Security\s+Co-operation))"
)
_BODY_CITY = re.compile(r"\b(?:Permanent\s+Council|Forum\s+for\s+Security\s+Co-operation),\s+(?P<city>[A-Z][\w-]+)")
_MET_IN = re.compile(
    r"^(?P<who>(?:(?:The|the)\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|the|and|for))*)\b[^.]{0,160}?\s+(?:met|will\s+meet|are\s+meeting)\s+"
    r"(?:(?:today|yesterday|on\s+\w+day)\s+)?in\s+(?P<place>[A-Z][\w-]+)"
)


def _names_body(text: str) -> bool:
    """False when ``text`` cannot name the Permanent Council or the Forum for
    Security Co-operation: :data:`_BODY_SESSION` and :data:`_BODY_CITY`
    (case-sensitive) match only text holding one of these words."""
    return "Permanent" in text or "Forum" in text


@functools.lru_cache(maxsize=256)
def _refers_re(heads: tuple[str, ...]) -> re.Pattern[str]:
    """A sentence that refers back to the meeting known by ``heads`` ("The
    three-day course ...", "The APEM ...")."""
    return re.compile(
        r"^(?:The|This|That)\s+(?:[\w-]+-(?:day|week|month)\s+|(?:19|20)\d\d\s+)?(?:" + "|".join(re.escape(h) for h in heads) + r")\b",
        re.IGNORECASE,
    )


@functools.lru_cache(maxsize=256)
def _heads_re(heads: tuple[str, ...]) -> re.Pattern[str]:
    """A head of the meeting known by ``heads``, or "event", as a word."""
    return re.compile(r"\b(?:" + "|".join(re.escape(h) for h in (*heads, "event")) + r")\b", re.IGNORECASE)


def _number(text: str) -> int:
    return int(_NUMBERS.get(text.lower(), text))


#: the longest sentence the meeting rules read whole (the longest of the
#: corpora is under 800 characters); a longer one (a page with no sentence
#: breaks: an unclosed quotation mark, lines run together) is read in pieces
#: of at most this many characters, so that each rule's work on it is linear
MAX_SENTENCE = 2000
#: where a long sentence is cut, best first: a line break, a semicolon, a
#: comma, a space (else at the limit itself)
_CUTS = ("\n", "; ", ", ", " ")


def clauses(sentence: str, limit: int = MAX_SENTENCE) -> list[str]:
    """``[sentence]``, or when it is longer than ``limit`` its pieces of at
    most ``limit`` characters, each cut after the last line break before the
    limit, else the last semicolon, comma or space (in the last three
    quarters of the piece), else at the limit."""
    if len(sentence) <= limit:
        return [sentence]
    pieces: list[str] = []
    start, n = 0, len(sentence)
    while n - start > limit:
        end = start + limit
        for cut in _CUTS:
            at = sentence.rfind(cut, start + limit // 4, end)
            if at >= 0:
                end = at + len(cut)
                break
        pieces.append(sentence[start:end])
        start = end
    pieces.append(sentence[start:])
    return pieces


def _find_meetings(
    paragraphs: list[str],
    ref: ReferenceData,
    known_orgs: list[OrgRef],
    reference: "dt.date | None",
    dateline_place: "Place | None",
    lang: Language,
    headline: str | None,
) -> list[Meeting]:
    reader = date_reader()
    ended_re, started_re, held_re = lang.event_phase_res
    duration_re, duration_days = lang.durations
    sentences: list[str] = []
    cued: list[bool] = []  # its paragraph may name a relative day (else the sentence names none)
    for para in paragraphs:
        parts = [piece for a, b in sentence_bounds(para, lang.code) for piece in clauses(para[a:b])]
        sentences.extend(parts)
        cued.extend([reference is not None and reader.parts_may_have_cues(para, lang.code)] * len(parts))
    meetings: list[Meeting] = []
    current: Meeting | None = None
    heads: tuple[str, ...] = ()
    lead = sentences[0] if sentences else None
    says_today = reference is not None and any(reader.relative(s, reference, lang=lang.code) for s, cue in zip(sentences, cued) if cue)
    head = "\n".join(sentences[:200])
    item_year = year_context(head) if reference is None else None
    body_city = _BODY_CITY.search(head) if _names_body(head) else None
    for sentence, cue in zip(sentences, cued):
        # without the item's date, a year the sentence (or else the item)
        # names dates its days ("the Mediterranean Conference 2018 … on 25
        # and 26 October")
        context = reference or year_context(sentence) or item_year
        explicit = [DateSpan(sp.start, sp.end, sp.begin, sp.finish) for sp in reader.find(sentence, context, lang.code)]
        future = cue and lang.future_re.search(sentence) is not None
        # a weekday next to an explicit date is read only in a sentence in the
        # future ("the 12 May elections … will announce … on Sunday")
        rel = reader.relative(sentence, reference, forward=future, lang=lang.code) if cue and (future or not explicit) else []
        undated = False
        spans: list[DateSpan] = list(explicit)
        if len(explicit) == 1 and explicit[0].end is None and not rel:
            # "a three-day course … commenced on 9 August" / "… ended on 5
            # June": the length gives the other day
            dm = duration_re.search(sentence)
            if dm:
                n, one = duration_days[dm.group().lower()], explicit[0]
                if started_re.search(sentence) and not ended_re.search(sentence):
                    spans = [DateSpan(one.start, one.start + dt.timedelta(days=n - 1), one.begin, one.finish)]
                elif ended_re.search(sentence) and not started_re.search(sentence):
                    spans = [DateSpan(one.start - dt.timedelta(days=n - 1), one.start, one.begin, one.finish)]
        if rel and explicit:
            # "the 12 May elections … at a news conference on Sunday": each
            # day is a candidate, the one after the event's name is taken
            inside = [r for r in rel if not any(e.start <= r.start <= (e.end or e.start) for e in explicit)]
            # (a weekday that an explicit date or range gives too is that date:
            # "on Thursday and Friday, 7-8 December")
            spans = sorted([*explicit, *(DateSpan(r.start, r.end, r.begin, r.finish) for r in inside)], key=lambda sp: sp.begin)
        elif rel:
            first = rel[0]
            day = first.start
            dm = duration_re.search(sentence)
            if first.end is not None:
                spans = [DateSpan(first.start, first.end, first.begin, first.finish)]
            elif dm:
                n = duration_days[dm.group().lower()]
                if ended_re.search(sentence):
                    spans = [DateSpan(day - dt.timedelta(days=n - 1), day, first.begin, first.finish)]
                else:
                    spans = [DateSpan(day, day + dt.timedelta(days=n - 1), first.begin, first.finish)]
            elif ended_re.search(sentence) and not started_re.search(sentence):
                spans = [_Ended(day, first.begin, first.finish)]
            else:
                spans = [DateSpan(day, None, first.begin, first.finish)]
        elif not explicit and sentence is lead and reference is not None and held_re.search(sentence):
            # the lead of a dated item reports what was held on its day
            spans = [DateSpan(reference, None, 0, 0)]
        elif not explicit and (
            (reference is None and reader.relative_words(lang.code).relative_re.search(sentence))
            or (may_hold(sentence, _UPCOMING_WORDS) and _UPCOMING.search(sentence))
        ):
            undated = True
        if current is not None:
            current = _refine_days(current, sentence, reader, reference, heads, lang)
            meetings[-1] = current
        refers = current is not None and _refers_re(heads).match(sentence)
        other = _proper_name(sentence) if refers else None
        if other is not None and current is not None and other[0] != current.name and (spans or undated):
            refers = None  # the sentence names another event
        if refers and current is not None:
            current = _enrich(current, sentence, spans, ref, known_orgs, lang, refine_dates=True)
            meetings[-1] = current
            continue
        body = _BODY_SESSION.search(sentence) if _names_body(sentence) else None
        if body and reference is not None and (explicit or says_today or body.group("body2")):
            name = re.sub(r"\s+", " ", body.group("body") or body.group("body2"))
            date = explicit[0].start if explicit else reference
            if not any(m.name == name and m.start == date for m in meetings):
                city = body.group("city")
                if not city:
                    city = body_city.group("city") if body_city and not explicit else None
                place = resolve_place(city, ref) if city else None
                meetings.append(Meeting(name=name, start=date, place=place))
            continue
        met = _MET_IN.match(sentence)
        if met and spans and not re.search(r"\b(?:met|meet|meeting)\s+(?:today\s+)?with\b", sentence):
            place = resolve_place(met.group("place"), ref)
            who = re.sub(r"(?:\s+(?:of|the|and|for))+$", "", met.group("who").strip())
            # the event's own name when the headline gives one ("… at OSCE
            # Annual Security Review Conference")
            titled = _proper_name(headline) if headline else None
            name = titled[0] if titled else "meeting of " + re.sub(r"^[Tt]he\s+", "the ", who)
            if place is not None and not any(m.name == name for m in meetings):
                current = Meeting(name=name, start=spans[0].start, end=spans[0].end, place=place)
                meetings.append(current)
                heads = ("meeting",)
            continue
        at_place_only = False
        if not spans and not undated:
            # a named event at a named place, its date not given ("the OSCE
            # Summit in Lisbon"): kept without a date, if its place resolves
            found = _proper_name(sentence) if lang.code == "en" else (_proper_name(sentence) or _language_event(sentence, lang))
            if found is None or not _place_matches(sentence, lang):
                continue
            at_place_only = undated = True
        else:
            found = _proper_name(sentence) or _generic_name(sentence)
            if found is None and lang.code != "en":
                found = _language_event(sentence, lang)
        if found is None:
            continue
        if at_place_only and (
            any(_heads_re(_heads(m.name, m.acronym)).search(found[0]) for m in meetings)
            or not any(w.group() not in ORG_WORDS for w in (*_EVENT_WORD.finditer(found[0]), *lang.event_re.finditer(found[0])))
        ):
            continue  # the event met before, with its date; a "School" is an institution
        name, n_start, n_end = found
        if _NOT_EVENT.search(" ".join(re.split(r"\s+(?:on|for|about|of|to)\s+", name)[0].split()[-2:])):
            continue  # a visit, talks, an election: not a meeting (its topic may say "election")
        if lang.not_event_re.match(name):
            continue
        if any(m.name == name for m in meetings):
            continue
        after = sentence[n_end:]
        acronym = None
        am = _ACRONYM.match(after)
        if am:
            acronym = am.group("acr")
        series = None
        sm = re.match(r"^(?:(?:19|20)\d\d|\d+(?:st|nd|rd|th))\s+(?P<series>.+)$", name) if lang.code == "en" else None
        if sm and _EVENT_WORD.search(sm.group("series")):
            series = sm.group("series")
        category = ref.meeting_category(series or name) or ref.meeting_category((series or name) + "s")
        theme = None
        tm = _THEME.search(sentence)
        if tm:
            theme = tm.group("theme").strip()
        if undated:
            start = end = None
        else:
            span = _nearest(spans, n_end)
            start, end = (None, span.start) if isinstance(span, _Ended) else (span.start, span.end)
        meeting = Meeting(
            name=name,
            acronym=acronym,
            series=series,
            category_id=category.id if category else None,
            theme=theme,
            start=start,
            end=end,
        )
        if re.search(r"\bby\s+(?:the\s+)?$", sentence[:n_start]):
            continue  # "adopted … by the Global Counterterrorism Forum": an organisation acting
        current = _enrich(meeting, sentence, [], ref, known_orgs, lang, refine_dates=False, name_span=(n_start, n_end))
        if at_place_only and current.place is None:
            current = None
            continue
        meetings.append(current)
        heads = _heads(name, acronym)
    if not meetings and headline and lead is not None:
        found = _headline_meeting(headline, lead, reference, ref, lang)
        if found is not None:
            meetings.append(found)
    # a place a later sentence gives ("The six-week course … takes place in X")
    # wins over the dateline's; the one city the item names, over none
    placed = [_placed(m, reference, dateline_place) for m in meetings]
    placed = _without_undated_twins(placed, lang)
    if len(placed) == 1 and placed[0].place is None:
        # (the headline and the sentences that name the meeting's event noun:
        # a city named for another reason is no venue)
        nouns = {m.group().lower() for m in (*lang.event_re.finditer(placed[0].name), *_EVENT_WORD.finditer(placed[0].name))}
        texts = [t for t in (headline or "", *sentences) if nouns and any(n in t.lower() for n in nouns)]
        city = _only_city(texts, ref, lang)
        if city is not None:
            placed = [replace(placed[0], place=city)]
    return placed


def _headline_meeting(headline: str, lead: str, reference: "dt.date | None", ref: ReferenceData, lang: Language) -> Meeting | None:
    """A meeting named only in the headline ("… in focus at OSCE meeting in
    Vienna", "Slovenia holds last meeting as Chair of the Forum …"), held on
    the day the lead gives ("are meeting in Vienna today") or, when the
    headline or the lead says it is being held, opened or ended, on the
    item's date."""
    found = _proper_name(headline) or _generic_name(headline) or (_language_event(headline, lang) if lang.code != "en" else None)
    if found is None:
        m = _EVENT_WORD.search(headline) or _HEADLINE_EVENT.search(headline)
        if m is None:
            return None
        found = (m.group(), m.start(), m.end())
    name, start, end = found
    if _NOT_EVENT.search(name) or lang.not_event_re.search(name) or re.search(r"\bby\s+(?:the\s+)?$", headline[:start]):
        return None  # a visit, talks; "… adopted by the X Forum": an organisation acting
    reader = date_reader()
    explicit = reader.find(lead, reference, lang.code)
    spans = explicit or reader.relative(lead, reference, forward=lang.future_re.search(lead) is not None, lang=lang.code)
    ended_re, started_re, held_re = lang.event_phase_res
    if start == 0 and not any(p.match(headline[end:].lstrip()) for p in (ended_re, started_re, held_re)):
        return None  # "X Forum adopts …": an organisation acting
    ended = any(ended_re.search(t) and not started_re.search(t) for t in (headline, lead))
    if spans and not explicit and ended:
        day, last = None, spans[0].start  # "… closing today": its first day unknown
    elif spans:
        day, last = spans[0].start, spans[0].end
    elif reference is not None and ended:
        day, last = None, reference  # "… at close of the Conference", datelined on its last day
    elif reference is not None and any(p.search(t) for p in (held_re, started_re) for t in (headline, lead)):
        day, last = reference, None
    else:
        return None
    meeting = Meeting(name=name, start=day, end=last)
    place = next((resolve_place(m.group("place"), ref, lang=lang.code) for m in _PLACE.finditer(headline[end:])), None)
    return replace(meeting, place=place) if place is not None else meeting


#: an event noun of a headline in lower case ("… at OSCE meeting in Vienna")
_HEADLINE_EVENT = re.compile(r"\b(?:meeting|conference|seminar|workshop|roundtable|training course|course|forum|summit|session)\b")


def _without_undated_twins(meetings: list[Meeting], lang: Language) -> list[Meeting]:
    """``meetings`` without an undated one that a dated one of the same place
    names again ("OSZE-Ministerrat in Wien" in a subtitle, "am 7. Dezember
    beim Ministerrat in Wien" below): the same event."""
    def nouns(m: Meeting) -> set[str]:
        return {w.group().lower().split("-")[-1] for w in (*lang.event_re.finditer(m.name), *_EVENT_WORD.finditer(m.name))}

    dated = [m for m in meetings if m.start is not None or m.end is not None]
    return [
        m
        for m in meetings
        if m.start is not None
        or m.end is not None
        or not any(d.place == m.place and nouns(d) & nouns(m) for d in dated)
    ]


def _only_city(texts: list[str], ref: ReferenceData, lang: Language) -> Place | None:
    """The one city of the OSCE area ``texts`` name after a preposition of
    place (structures' names masked: "the OSCE Office in Yerevan" is no
    venue); ``None`` when they name none or several."""
    found: dict[str, Place] = {}
    for text in texts:
        if not text:
            continue
        masked = _masked(text, [(m.start, m.end) for m in structures_in(text, ref, remember=False)])
        for m in _place_matches(masked, lang):
            place = resolve_place(m.group("place"), ref, lang=lang.code)
            if place is not None:
                found[place.name] = place
                if len(found) > 1:
                    return None
    return next(iter(found.values()), None)


def _place_matches(text: str, lang: Language) -> list[re.Match[str]]:
    """The places ``text`` names after a preposition of place, in order: the
    English patterns ("in", "at", "im", "в", "à") and, on a page in another
    language, that language's prepositions (``place_prepositions``)."""
    starts = [0] + [m.end() for m in _PLACE_START.finditer(text)]
    found = list(matches_at(_PLACE, text, starts))
    if lang.code != "en":
        found += list(lang.place_re.finditer(text))
    return found


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` made spaces."""
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


#: tokens of a sentence: words (hyphens and apostrophes inside) and ordinals
_WORD_TOKEN = re.compile(r"\d+(?:\.|e|er|ème|-[а-яё]+|-?[a-z]{1,2})?(?!\w)|[^\W\d_][\w’'-]*")
#: the most words a name found by :func:`_language_event` takes before and
#: after its event noun
_BEFORE_WORDS, _AFTER_WORDS = 2, 6


def _language_event(sentence: str, lang: Language) -> tuple[str, int, int] | None:
    """An event the sentence names with one of ``lang``'s event nouns, in
    any language ("24. OSZE-Ministerrat", "22-е зимнее заседание
    Парламентской ассамблеи ОБСЕ", "30e Conseil ministériel"): the noun with
    up to two words before it (ordinals, adjectives: no function word) and
    the capitalised words after it, with the function words between them
    ("der OSZE", "de l'OSCE"), up to a preposition of place or a
    punctuation mark. Returns (name, start, end) or ``None``."""
    m = lang.event_re.search(sentence)
    if m is None:
        return None
    function_words = lang.function_words | lang.article_words | lang.place_prepositions
    start, end = m.start(), m.end()
    before = list(_WORD_TOKEN.finditer(sentence[: m.start()]))
    for tok in reversed(before[-_BEFORE_WORDS:]):
        between = sentence[tok.end() : start]
        word = tok.group()
        if between.strip() or word.lower() in function_words or word.isdigit():
            break  # a function word, a year ("2023 beim Ministerrat"): not the name's
        if word.islower() and len(word) < 5:
            break  # "beim", "zum": a short lower-case word is no adjective of the name
        start = tok.start()
    taken = 0
    pending = end
    for tok in _WORD_TOKEN.finditer(sentence, end):
        between = sentence[pending : tok.start()]
        if between.strip() or taken >= _AFTER_WORDS:
            break
        word = tok.group()
        if word.lower() in function_words and word.lower() not in lang.place_prepositions:
            pending = tok.end()
            continue
        if not word[:1].isupper():
            break
        end = pending = tok.end()
        taken += 1
    name = sentence[start:end].strip(" ,;:-–—")
    return (name, start, start + len(name)) if name else None


def _placed(meeting: Meeting, reference: "dt.date | None", dateline_place: "Place | None") -> Meeting:
    """A meeting with no place of its own took place where the item is
    datelined when it was held on the item's date or up to three days
    before or after it (a release written where and when the event ended,
    a media advisory sent from where the event will be)."""
    if meeting.place is not None or dateline_place is None or reference is None:
        return meeting
    last = meeting.end or meeting.start
    if last is None or not -3 <= (reference - last).days <= 3:
        return meeting
    return replace(meeting, place=dateline_place)


class _Ended(DateSpan):
    """A meeting's last day ("… ended today"), its first day unknown."""

    def __init__(self, day: dt.date, begin: int, finish: int) -> None:
        super().__init__(day, None, begin, finish)


def _refine_days(
    meeting: Meeting, sentence: str, reader, reference: "dt.date | None", heads: tuple[str, ...], lang: Language
) -> Meeting:
    """A later sentence gives the other end of a meeting known by one day:
    its duration ("the three-day event", "the two days of the Ministerial
    Council") or "yesterday and today"."""
    if (meeting.start is None) == (meeting.end is None):
        return meeting
    dm = _DAYS.search(sentence)
    lm = lang.durations[0].search(sentence) if dm is None else None
    if (dm or lm) and (_heads_re(heads).search(sentence) or (lang.code != "en" and lang.event_re.search(sentence))):
        n = _number(dm.group("n")) if dm else lang.durations[1][lm.group().lower()]
        if meeting.end is not None:
            return replace(meeting, start=meeting.end - dt.timedelta(days=n - 1))
        return replace(meeting, end=meeting.start + dt.timedelta(days=n - 1))
    if meeting.end is not None and meeting.end == reference:
        for span in reader.relative(sentence, reference, lang=lang.code):
            if span.end == reference and span.start < reference:
                return replace(meeting, start=span.start)
    return meeting


def _heads(name: str, acronym: str | None) -> tuple[str, ...]:
    """Words a later sentence may use to refer back to the meeting: its
    acronym, its event nouns ("conference", "course", "training course")."""
    heads = {"event", "meeting", "conference"}
    if acronym:
        heads.add(acronym)
    for m in _EVENT_WORD.finditer(name):
        heads.add(m.group().lower())
    head = re.split(r"\s+(?:on|for|of|about|to|in|dedicated)\s+", name)[0].split()
    if head and name[:1].islower():
        heads.add(head[-1].lower())  # "basic training course" -> "course", "training course"
        heads.add(" ".join(head[-2:]).lower())
    g = _GENERIC.search("a " + name) if name[:1].islower() else None
    if g:
        noun = g.group("noun")
        heads.add(noun)
        heads.update(noun.split())
    return tuple(sorted(heads, key=len, reverse=True))


def _nearest(spans: list[DateSpan], offset: int) -> DateSpan:
    after = [s for s in spans if s.begin >= offset]
    return after[0] if after else spans[-1]


def _enrich(
    meeting: Meeting,
    sentence: str,
    spans: list[DateSpan],
    ref: ReferenceData,
    known_orgs: list[OrgRef],
    lang: Language,
    refine_dates: bool,
    name_span: tuple[int, int] | None = None,
) -> Meeting:
    changes: dict = {}
    if refine_dates and spans and meeting.start is not None:
        for span in spans:
            if span.end and span.start <= meeting.start <= span.end:
                changes["start"], changes["end"] = span.start, span.end
                break
    if meeting.place is None:
        # organisation names ("the OSCE Programme Office in Dushanbe") and the
        # meeting's own name hold place names that are not the venue
        spans = [(m.start, m.end) for m in structures_in(sentence, ref, remember=False)]
        if name_span is not None:
            spans.append(name_span)
        text = _masked(sentence, spans)
        after = name_span[1] if name_span else 0
        candidates = sorted(_place_matches(text, lang), key=lambda m: (m.start() < after, m.start()))
        for m in candidates:
            name = m.group("place")
            place = resolve_place(name, ref, lang=lang.code)
            if place is None and "/" in name:
                # "Vushtrri/Vučitrn", "Prishtinë/Priština": one place in two languages
                parts = [resolve_place(part, ref) for part in name.split("/")]
                known = next((p for p in parts if p is not None), None)
                place = Place(name, known.country if known else None)
            if place is not None:
                changes["place"] = place
                break
    if meeting.attendance is None:
        mode = _attendance(sentence)
        if mode is not None:
            changes["attendance"] = mode
    if not meeting.organizers:
        om = _ORGANIZED.search(sentence)
        organizers: list[OrgRef] = []
        if om:
            organizers = _orgs(om.group("orgs"), ref, known_orgs)
        else:
            hm = _HOSTED.search(sentence) if any(map(sentence.__contains__, ("hosted", "organi", "convened", "held"))) else None
            if hm:
                organizers = _orgs(hm.group("org"), ref, known_orgs)
        if organizers:
            changes["organizers"] = tuple(organizers)
            known_orgs.extend(o for o in organizers if o not in known_orgs)
    if not meeting.supporters:
        sm = _SUPPORT.search(sentence)
        if sm:
            supporters = _orgs(sm.group("orgs"), ref, known_orgs)
            if supporters:
                changes["supporters"] = tuple(supporters)
                known_orgs.extend(o for o in supporters if o not in known_orgs)
    if meeting.participants_min is None and meeting.participants is None and _DIGIT.search(sentence):
        # (a count of participants is written in digits)
        mm = _MIN_PARTICIPANTS.search(sentence) if may_hold(sentence, ("over", "more", "upwards", "excess")) else None
        if mm:
            changes["participants_min"] = int(mm.group("n").replace(",", ""))
        elif may_hold(sentence, ("participants", "attendees", "delegates")):
            em = _EXACT_PARTICIPANTS.search(sentence)
            if em:
                changes["participants"] = int(em.group("n").replace(",", ""))
    return replace(meeting, **changes) if changes else meeting
