"""Unit tables, one per extraction module: inputs and the exact outputs each
rule gives (invented names and wording in the patterns of real pages)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from osce_kg.extract.dates import date_reader, parse_date_line
from osce_kg.extract.language import alternation, detect_language, languages
from osce_kg.extract.layouts import parse_text
from osce_kg.extract.people import given_name_gender, nominative
from osce_kg.extract.places import split_dateline
from osce_kg.extract.quotes import find_quotes, scan_quotes

D = dt.date


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "line, expected",
    [
        ("25. Jan 2021.", D(2021, 1, 25)),
        ("01.07.2022, 06:22", D(2022, 7, 1)),
        ("20.03.2014", D(2014, 3, 20)),
        ("22.05.18", D(2018, 5, 22)),
        ("Published: July 1, 2024; 10:46", D(2024, 7, 1)),
        ("November 1, 2018", D(2018, 11, 1)),
        ("Wien, 7. Dezember 2017 Aussendung", D(2017, 12, 7)),
        ("2 décembre 2022", D(2022, 12, 2)),
        ("12 апреля 2021", D(2021, 4, 12)),
        ("17:58", None),
        ("31 February 2021", None),
        ("The meeting was held in Vienna on 7 October 2021 with many guests.", None),
    ],
)
def test_date_lines(line: str, expected: dt.date | None) -> None:
    assert parse_date_line(line) == expected


def test_slashes_are_month_first_and_dots_day_first() -> None:
    reader = date_reader()
    assert [s.start for s in reader.find("04/09/2019")] == [D(2019, 4, 9)]
    assert [s.start for s in reader.find("04.09.2019")] == [D(2019, 9, 4)]


@pytest.mark.parametrize(
    "text, context, expected",
    [
        ("on 10 and 11 June 2013", None, [(D(2013, 6, 10), D(2013, 6, 11))]),
        ("from November 5-7, 2019, at", None, [(D(2019, 11, 5), D(2019, 11, 7))]),
        ("from 28 February to 2 March 2023", None, [(D(2023, 2, 28), D(2023, 3, 2))]),
        ("the 27-28 November meeting", D(2000, 10, 27), [(D(2000, 11, 27), D(2000, 11, 28))]),
        ("the 27-28 November meeting", None, []),
    ],
)
def test_date_ranges(text: str, context: dt.date | None, expected: list) -> None:
    assert [(s.start, s.end) for s in date_reader().find(text, context)] == expected


def test_relative_days_need_a_date_the_page_gives() -> None:
    reader = date_reader()
    thursday = D(2017, 2, 16)
    assert [s.start for s in reader.relative("a conference on Wednesday", thursday)] == [D(2017, 2, 15)]
    assert [(s.start, s.end) for s in reader.relative("tenues hier et aujourd'hui", D(2022, 12, 2))] == [(D(2022, 12, 1), D(2022, 12, 2))]
    assert reader.relative("it ended today", None) == []


@pytest.mark.parametrize(
    "paragraph, place, date",
    [
        ("VIENNA, 28 November 2013 – The OSCE", "Vienna", D(2013, 11, 28)),
        ("ALMATY, Kazakhstan, 1 December 2009 - Some", "Almaty", D(2009, 12, 1)),
        ("Vienna, 4 February 2000 -- The", "Vienna", D(2000, 2, 4)),
        ("NEW YORK CITY, 28 September 2015 A good", "New York City", D(2015, 9, 28)),
        ("12 June 2025, Sarajevo – On the", "Sarajevo", D(2025, 6, 12)),
        ("VIENNA, 23 August – The OSCE", "Vienna", None),
        ("Бишкек, 22.05.18 /Кабар/. ОБСЕ", "Бишкек", D(2018, 5, 22)),
        ("The Head of Mission said today", None, None),
    ],
)
def test_datelines(paragraph: str, place: str | None, date: dt.date | None) -> None:
    assert split_dateline(paragraph)[:2] == (place, date)


# --------------------------------------------------------------------------- language data


def test_every_language_file_has_the_keys_the_extractors_read() -> None:
    keys = {"speech_verbs", "honorifics", "pronouns", "title_words", "stop_words", "months", "labels", "quotes", "function_words"}
    for code, lang in languages().items():
        assert keys <= set(lang.data), code


def test_alternations_put_the_longest_form_first() -> None:
    assert alternation(["told", "told journalists"]).startswith("(?:told\\s+journalists|told")


@pytest.mark.parametrize(
    "text, code",
    [
        ("The Head of the OSCE Mission said that the training of the police was a success for the region.", "en"),
        ("Die Organisation für Sicherheit und Zusammenarbeit ist für den Dialog in Europa und in der Region wichtig.", "de"),
        ("Le ministre a déclaré que la sécurité de la région et le dialogue sont les priorités de la présidence.", "fr"),
        ("Генеральный секретарь ОБСЕ заявил, что сотрудничество будет продолжено.", "ru"),
    ],
)
def test_language_detection(text: str, code: str) -> None:
    assert detect_language(text) == code


# --------------------------------------------------------------------------- layouts


@pytest.mark.parametrize(
    "text, layout, headline",
    [
        ("Newsroom\nA title of the item here\nVIENNA 4 May 2011\nBody text.", "mirror", "A title of the item here"),
        ("Site Name – news 24/7\n17:58\n20.03.2014\nOSCE opens office in the capital\nThe body.", "article", "OSCE opens office in the capital"),
        ("The OSCE Office has handed over equipment to the police, the Office said in a statement on Tuesday.\nMore.", "article", None),
        ("ASHGABAT, Turkmenistan, Nov. 8\nBy Some Writer – Agency:\nThe Centre organized a course.", "article", None),
        ("Skip navigation\n123456\nEnglish\nYes\nNo\nSpot report on the situation\nBody line.\n29 August 2014\nTeaser\nNo", "top-stories", "Spot report on the situation"),
    ],
)
def test_layout_detection_and_headline(text: str, layout: str, headline: str | None) -> None:
    page = parse_text(text)
    assert page.layout == layout
    assert page.items[0].headline == headline


def test_a_distributor_line_gives_date_and_content_type() -> None:
    page = parse_text("Banner - Organization Name\n05/06/2020 | Press release | Distributed by Agency on 05/06/2020 11:44\nOSCE trains judges in the region\nBody.")
    item = page.items[0]
    assert (item.headline, item.date_value, item.content_type) == ("OSCE trains judges in the region", D(2020, 5, 6), "Press release")


# --------------------------------------------------------------------------- persons


@pytest.mark.parametrize("word, gender", [("Zofia", "f"), ("Bogdan", "m"), ("Марина", "f"), ("Condemns", None), ("Vienna", "f")])
def test_given_names(word: str, gender: str | None) -> None:
    assert given_name_gender(word) == gender


@pytest.mark.parametrize(
    "written, nominative_form",
    [("Алишером Каримовым", "Алишер Каримов"), ("Горана Ленмаркера", "Горан Ленмаркер"), ("Марина Петрова", "Марина Петрова"), ("Anna Kovač", "Anna Kovač")],
)
def test_russian_names_in_the_nominative(written: str, nominative_form: str) -> None:
    assert nominative(written) == nominative_form


# --------------------------------------------------------------------------- quotation marks


@pytest.mark.parametrize(
    "paragraph, spans",
    [
        ("“One two three four,” he said.", [(0, 20, True)]),
        ("Missing opening mark here now,” she said.", [(-1, 30, True)]),
        ('"Straight then curly end here.” he said.', [(0, 30, True)]),
        ("'Single quotes used as marks here,' said X.", [(0, 34, True)]),
        ("The Secretariat's work and the Mission's plan.", []),
    ],
)
def test_quotation_marks(paragraph: str, spans: list) -> None:
    assert scan_quotes(paragraph) == spans


def test_glued_quotations_are_two() -> None:
    quotes = find_quotes(["He called it “a major step forward.”“We will build on it,” he said."])
    assert [q.text for q in quotes] == ["a major step forward.", "We will build on it,"]


def test_a_quotation_cut_at_the_end_of_the_page_is_kept() -> None:
    quotes = find_quotes(["First paragraph.", "She said: “This is where the stored text ends"])
    assert quotes[0].cut and not quotes[0].closed


# --------------------------------------------------------------------------- whole items (regressions)


def _item(text: str):
    import datetime as _dt
    from pathlib import Path as _P

    from osce_kg.extract import extract_page
    from osce_kg.records import SourcePage
    from osce_kg.reference import ReferenceData

    source = SourcePage(_P("t.txt"), "t.txt", text, "text/plain", "0" * 64, _dt.datetime(2020, 1, 1, tzinfo=_dt.timezone.utc))
    return extract_page(source, ReferenceData.load()).items[0]


def test_pronoun_refers_to_the_subject_not_the_object_of_the_sentence_before() -> None:
    item = _item(
        "Генсек ОБСЕ прибыл в Вену\n"
        "Об этом заявил генеральный секретарь ОБСЕ Игорь Соколов на встрече с министром Олегом Морозовым.\n"
        "«Мы продолжим работу в регионе и будем искать решения вместе», - сказал он.\n"
    )
    assert [(s.speaker, s.rule) for s in item.statements] == [("Игорь Соколов", "after.pronoun")]


def test_an_apposition_naming_another_person_is_not_a_title() -> None:
    item = _item(
        "Chairperson meets envoy\nBELGRADE, 25 April 2015- The OSCE Chairperson-in-Office met today with his Special Representative "
        "for the Transdniestrian Settlement Process, Ambassador Radojko Petrović.\n"
    )
    assert [p.name for p in item.persons] == ["Radojko Petrović"]


def test_a_dateline_with_an_agency_wins_over_a_site_header_date() -> None:
    item = _item("• Wednesday, 25 December 2024\n\nMinister opens office\n\nVienna, 12 January 2023 (AGENCY) — The minister opened the office.\n")
    assert item.date_published == D(2023, 1, 12)


def test_relative_days_are_read_against_the_dateline_not_the_publishing_date() -> None:
    item = _item(
        "Newsroom\nNews\nHead of unit addresses police summit\nPublishing date: 4 June 2016\n"
        "NEW YORK, 3 June 2016 – Co-operation matters, said the Head of the Unit, Guy Brunet, as he addressed the United Nations Chiefs of Police Summit today in New York.\n"
    )
    assert [(m.start, m.place.name if m.place else None) for m in item.meetings] == [(D(2016, 6, 3), "New York")]


def test_a_straight_mark_inside_a_curly_quotation_does_not_close_it() -> None:
    assert scan_quotes('“We close "} and """ here, always,” said X.') == [(0, 34, True)]


def test_a_title_with_a_bracketed_acronym_before_a_name() -> None:
    item = _item(
        "Judges meet\nSARAJEVO, 2 March 2019 – The President of the High Judicial Council (HJC) of BiH, Zoran Petković, and the Head of the Mission today signed a plan.\n"
    )
    assert "Zoran Petković" in [p.name for p in item.persons]


def test_a_hyphenated_cyrillic_given_name_is_kept() -> None:
    item = _item("Избраны вице-председатели\nВ ходе сессии были избраны: Ахмед-Али Нуриев (Казахстан) и Вольфганг Майер (Австрия).\n")
    assert [p.name for p in item.persons] == ["Ахмед-Али Нуриев", "Вольфганг Майер"]


def test_a_place_a_later_sentence_gives_wins_over_the_dateline() -> None:
    item = _item(
        "Mission trains officials\nPRIZREN/PRIZREN, 8 February 2016 – The OSCE Mission today started a basic training course for 40 officials.\n"
        "The two-week course takes place at the Academy in Vushtrri/Vučitrn.\n"
    )
    assert [(m.start, m.place.name) for m in item.meetings] == [(D(2016, 2, 8), "Vushtrri/Vučitrn")]


def test_a_french_verb_that_carries_its_pronoun() -> None:
    item = _item(
        "L'OSCE reste en Ukraine\n\nC'est ce qu'a déclaré lundi la ministre des Affaires étrangères, Claire Dubois, lors de la session.\n\n"
        "« Nous restons déterminés à soutenir la population dans toutes les régions », a-t-elle déclaré.\n"
    )
    assert [(s.speaker, s.rule) for s in item.statements] == [("Claire Dubois", "after.pronoun")]


def test_a_quoted_title_case_document_name_is_not_a_statement() -> None:
    item = _item(
        "Centre presents manual\n\nIn his speech, Erik Lund, Head of the OSCE Centre in Ashgabat, referred to the manual “Guide on Digital Rights and Freedom of Assembly in the Region” published last year.\n"
    )
    assert item.statements == []


def test_a_content_type_word_on_a_date_line() -> None:
    page = parse_text("Wien, 3. März 2020 Aussendung\n\nMinisterin eröffnet Konferenz der OSZE\n\nDie Ministerin eröffnete heute die Konferenz.\n")
    assert (page.items[0].content_type, page.items[0].date_value) == ("Aussendung", D(2020, 3, 3))


def test_a_name_after_a_publication_noun_is_not_a_person() -> None:
    item = _item("Attack condemned\nVIENNA, 9 January 2015 – The attack on the offices of the magazine Charlie Weekly was condemned by Mirela Popa, a Vice-President of the Assembly.\n")
    assert [p.name for p in item.persons] == ["Mirela Popa"]


def test_general_after_a_title_word_is_no_honorific() -> None:
    item = _item("Secretary General visits Vienna\nVIENNA, 3 May 2021 – OSCE Secretary General Maria Lindgren today met students.\n")
    assert [(p.name, p.honorific) for p in item.persons] == [("Maria Lindgren", None)]


# --------------------------------------------------------------------------- memoised helpers


def _paragraphs_of_test_pages() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent
    paras: list[str] = []
    for folder in ("pages", "pages-real", "corpus-dev"):
        for path in sorted((root / folder).glob("*.txt")):
            paras.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return paras


def test_each_paragraph_gets_the_mentions_a_scan_of_it_alone_finds() -> None:
    from osce_kg.extract.mentions import _memo, item_mentions
    from osce_kg.reference import ReferenceData

    ref = ReferenceData.load()
    cases = [
        # labels whose white space runs across the newline between two paragraphs
        ["The OSCE Mission", "to Serbia and the Mission to Serbia met.", "Bosnia and", "Herzegovina and North Macedonia"],
        # an ASCII paragraph with a character the folding of a non-ASCII text changes
        ["Türkiye and Sweden", "It`s the OSCE Mission to Serbia", "", "United", "Kingdom"],
        ["", *_paragraphs_of_test_pages()[:400]],
    ]
    for paragraphs in cases:
        _memo(ref).clear()
        countries, structures = item_mentions(paragraphs, ref)
        text = "\n".join(paragraphs)
        assert countries == ref.find_countries(text)
        assert structures == ref.find_structures(text)
        memo = _memo(ref)
        for para in paragraphs:
            for kind, find in (("c", ref.find_countries), ("s", ref.find_structures)):
                if (kind, para) in memo:
                    assert list(memo[(kind, para)]) == find(para), (kind, para)
        if len(paragraphs) > 100:
            assert len(memo) > len(paragraphs)  # most paragraphs have their answers remembered
    _memo(ref).clear()
    item_mentions(cases[0], ref)
    assert ("s", "The OSCE Mission") not in _memo(ref)  # its match runs into the next paragraph


_DATE_TEXTS = [
    "The seminar took place from 28 February to 2 March 2023 in Vienna.",
    "Held on 14 and 15 May 2019, 27-28 November and on 3 June, it ended on July 1, 2024; see also November 5-7, 2019.",
    "Dates: 01.07.2022, 06:22; 22.05.18; 04/09/2019; 2021-03-04; A320 5 June 2020; x5 June 2020; 5x June 2020.",
    "7. Dezember 2017, 2 décembre 2022, 12 апреля 2021, 25. Jan 2021., Sept. 30th, 2020 and 1st October 2020.",
    "On 30 November – 2 December 2022 and 31 February 2021, 2020-13-45, 99/99/2020, 1.2.3.2020.",
    "In 2020, 15 participants met; 3 of them on 4 May.",
]


def test_dates_found_at_digit_runs_are_those_of_a_scan_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    from osce_kg.extract import dates

    texts = _DATE_TEXTS + [s for para in _paragraphs_of_test_pages() for s in para.split(". ")]
    fast = dates.DateReader(languages())
    found = [(fast.find(t), fast.find(t, D(2021, 6, 1))) for t in texts]
    plain = dates.DateReader(languages())
    everywhere = re.compile("")  # a tail pattern that lets every text through
    plain.mdy_tail = plain.mdy_range_tail = everywhere
    monkeypatch.setattr(dates, "matches_at", lambda pattern, text, starts: pattern.finditer(text))
    assert found == [(plain.find(t), plain.find(t, D(2021, 6, 1))) for t in texts]
    assert sum(1 for spans, _ in found if spans) > 20


def _clean_plain(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    text = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _sentence_bounds_plain(text: str) -> list[tuple[int, int]]:
    from osce_kg.extract.text import _SENTENCE_END, ABBREVIATIONS

    bounds, start, depth, i, n = [], 0, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch == '"':
            depth = 0 if depth else 1
        elif ch in ".!?" and depth == 0 and _SENTENCE_END.match(text, i):
            word = re.search(r"([\w.]+)$", text[max(start, i - 24) : i])
            if not (ch == "." and word and word.group(1).split(".")[-1] in ABBREVIATIONS):
                bounds.append((start, i + 1))
                start = i + 1
                while start < n and text[start] == " ":
                    start += 1
        i += 1
    if start < n:
        bounds.append((start, n))
    return bounds


def test_text_helpers_give_the_answers_of_their_plain_versions() -> None:
    from osce_kg.extract.text import clean, sentence_bounds

    odd = [" a\u00a0 b\u2003c\t", "x\u200by\x85z\x1c\x1dw", "  ", "", "e\u0301 \u2028 f\n", "\u3000wide\u3000", "a\x0b\x0cb"]
    for text in odd + _paragraphs_of_test_pages():
        assert clean(text) == _clean_plain(text)
        assert clean(text + " " * 500) == _clean_plain(text)  # past the memoised length
    texts = _paragraphs_of_test_pages() + ['He said: “Stop. Now.” Then Mr. Lund left. "A. B." C! D? E.', "Dr. No. 5 Ms. X"]
    for text in texts:
        assert sentence_bounds(text) == _sentence_bounds_plain(text)


def test_memoised_quotation_scans_hand_out_lists_of_their_own() -> None:
    first = scan_quotes("“One two three four,” she said.")
    first.append((0, 0, False))
    assert scan_quotes("“One two three four,” she said.") == [(0, 20, True)]
    long = "x " * 3000 + "“One two three four,” she said."
    assert scan_quotes(long) == [(6000, 6020, True)]  # past the memoised length, the same scan


def test_the_letters_ignorecase_matches_to_ascii_letters() -> None:
    import sys

    from osce_kg.extract.text import IGNORECASE_ODD

    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    odd = [c for c in map(chr, range(128, sys.maxunicode + 1)) if ascii_letter.fullmatch(c)]
    assert sorted(odd) == sorted(IGNORECASE_ODD)


def test_pre_checks_reject_only_texts_the_full_patterns_reject() -> None:
    from osce_kg.extract import meetings, orgs, quotes
    from osce_kg.extract.text import matches_at, may_hold

    texts = _paragraphs_of_test_pages() + [
        "The meeting was held online and in-person.", "A hybrid format, via videolink.", "The webinar ran ONLINE.",
        "The conference to be held in Vienna", "the Forthcoming summit", "The talks will  take\tplace soon.",
        "Opening the Permanent Council, the Chair", "the 2021 Swedish OSCE Chairpersonship", "CHAIRMANSHIP",
        "the Conseil ministérielle de l'OSCE", "More than 40 PARTİCİPANTS", "over 25 delegates", "MORE THAN 3 ATTENDEES",
        "15 Participants attended", "ſome 20 participantſ", "The Mission hoſted a seminar", "Organised by the Office hosted a",
        "(a training course on border security held in Vienna)", "“The seminar on media freedom, held", "Tthe seminar on x held",
        "2021 OSCE Annual Police Experts Meeting", "in Vienna", "held à Paris, at Geneva", "в Москве", "(in Baku)", "lain Oslo", "at the 3rd Regional Conference on Border Security in Central Asia", "at the Annual Meetings", "the OSCE Forum", "The Forum",
        "under the title", "in a project entitled :", "the motto was", "the slogan of  ", "retitled,\n", "Titled",
    ]
    theme, chunks = quotes._theme_before()
    for text in texts:
        for cut in (text, text[: len(text) // 2], text[:40]):
            assert bool(theme.search(cut, quotes._last_chunks_start(cut, chunks))) == bool(theme.search(cut))
        plain_mode = (
            meetings.AttendanceMode.MIXED
            if meetings._MIXED.search(text) or (meetings._ONLINE.search(text) and meetings._OFFLINE.search(text))
            else meetings.AttendanceMode.ONLINE if meetings._ONLINE.search(text)
            else meetings.AttendanceMode.OFFLINE if meetings._OFFLINE.search(text) else None
        )
        assert meetings._attendance(text) == plain_mode
        for pattern, words in (
            (meetings._UPCOMING, meetings._UPCOMING_WORDS),
            (meetings._MIN_PARTICIPANTS, ("over", "more", "upwards", "excess")),
            (meetings._EXACT_PARTICIPANTS, ("participants", "attendees", "delegates")),
        ):
            if pattern.search(text):
                assert may_hold(text, words), (pattern, text)
        if meetings._HOSTED.search(text):
            assert any(w in text for w in ("hosted", "organi", "convened", "held"))
        if meetings._BODY_SESSION.search(text) or meetings._BODY_CITY.search(text):
            assert meetings._names_body(text)
        if any(meetings._EVENT_WORD.search(meetings._trim_name(m.group("name"))) for m in meetings._PROPER.finditer(text)):
            assert any(n in text for n in meetings._EVENT_NOUN_CORES)  # else the proper-name scan is skipped
        starts = [0] + [m.end() for m in meetings._PROPER_START.finditer(text)]
        assert [m.span() for m in matches_at(meetings._PROPER, text, starts)] == [m.span() for m in meetings._PROPER.finditer(text)]
        starts = [0] + [m.end() for m in meetings._PLACE_START.finditer(text)]
        assert [m.span() for m in matches_at(meetings._PLACE, text, starts)] == [m.span() for m in meetings._PLACE.finditer(text)]
        starts = [0] + [m.end() for m in meetings._GENERIC_START.finditer(text)]
        for pattern in (meetings._GENERIC, meetings._GENERIC_BARE):
            found = next(matches_at(pattern, text, starts), None)
            assert (found and found.span()) == ((m := pattern.search(text)) and m.span())
        if orgs._CHAIR_RE.search(text):
            assert "Chair" in text


def test_look_behinds_after_the_mark_find_what_they_found_before_it() -> None:
    from osce_kg.extract import quotes

    pairs = [
        (r"(?<![A-Z][a-z])(?<!Mr)(?<!Ms)(?<!Dr)(?<!\b[A-Z])[.;]\s+|,\s+|\s[-–—]\s", quotes._CLAUSE_END),
        (r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)[.!?][”\"»]?\s+", quotes._LAST_SENTENCE_GAP),
        (r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)\.\s+", quotes._SENTENCE_STOP),
    ]
    texts = _paragraphs_of_test_pages() + ["Mr. A; Ms. B. Dr. C! Mrs. D? J. Smith; Jo. K - L – M, N. ", "Mr.\nX. Y;  Z", "A. b. Ab. Mr.Mr. "]
    for old, new in pairs:
        for text in texts:
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in re.finditer(old, text)]


def test_one_folding_of_the_item_text_is_the_reference_datas_folding() -> None:
    from osce_kg.extract.mentions import _fold_once
    from osce_kg.reference import _fold

    texts = _paragraphs_of_test_pages() + ["Türkiye`s `OSCE’s´ ʼ′ Ǆ ǅ ﬁ ß İı Σσς Å Å ẞ", "plain ascii ` only", "", "é"]
    for text in texts + ["\n".join(texts)]:
        assert _fold_once(text) == _fold(text)
