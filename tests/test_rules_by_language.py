"""Unit tables of the extraction rules of issue 19, per language: invented
sentences in the patterns of the real pages (names, wording and events are
made up), each with the value the rule must give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from osce_kg.extract import extract_page
from osce_kg.extract.dates import date_reader
from osce_kg.extract.places import resolve_place, split_dateline
from osce_kg.extract.text import sentence_bounds
from osce_kg.records import NewsItem, SourcePage
from osce_kg.reference import ReferenceData

D = dt.date


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def _item(ref: ReferenceData, text: str) -> NewsItem:
    page = SourcePage(Path("t.txt"), "t.txt", text, "text/plain", "", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    return extract_page(page, ref).items[0]


@pytest.mark.parametrize(
    ("text", "context", "lang", "expected"),
    [
        ("Vom 19.-20. April 2024 trafen sich Abgeordnete", None, "de", (D(2024, 4, 19), D(2024, 4, 20))),
        ("les 30 novembre et 1er décembre à Skopje", D(2023, 11, 1), "fr", (D(2023, 11, 30), D(2023, 12, 1))),
        ("los días 25 y 26 de octubre en Málaga", D(2018, 7, 1), "es", (D(2018, 10, 25), D(2018, 10, 26))),
        ("с 2 по 3 декабря 2015 года", None, "ru", (D(2015, 12, 2), D(2015, 12, 3))),
        ("03/12/2015", None, "sr", (D(2015, 12, 3), None)),
        ("03/12/2015", None, "en", (D(2015, 3, 12), None)),
        ("25/12/2015", None, "en", (D(2015, 12, 25), None)),
        ("on January 12 in Vienna", D(2017, 7, 1), "en", (D(2017, 1, 12), None)),
    ],
)
def test_dates_in_each_language(text: str, context: dt.date | None, lang: str, expected: tuple) -> None:
    spans = date_reader().find(text, context, lang)
    assert (spans[0].start, spans[0].end) == expected


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [("Вене", "ru", "Vienna"), ("Beogradu", "sr", "Belgrade"), ("Wien", "de", "Vienna"), ("Vienne", "fr", "Vienna"), ("Monaco", "fr", "Monaco")],
)
def test_cities_by_their_names_and_cases_in_each_language(ref: ReferenceData, name: str, lang: str, expected: str) -> None:
    place = resolve_place(name, ref, lang=lang)
    assert place is not None and place.name == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("(Tirana, 4 May 2001) The Head of the Presence said", ("Tirana", D(2001, 5, 4))),
        ("RIGA, May 7. /AGENCY/. Delegations will meet on May 7-8, 2019.", ("Riga", D(2019, 5, 7))),
        ("MONACO, le 5 juillet 2012 - Plus de 200", ("Monaco", D(2012, 7, 5))),
    ],
)
def test_datelines_in_brackets_without_year_after_an_article(paragraph: str, expected: tuple) -> None:
    place, date, _rest = split_dateline(paragraph)
    assert (place, date) == expected


def test_a_day_ordinal_before_a_month_ends_no_sentence() -> None:
    text = "Die Ministerin hat am 7. Dezember 2023 in Wien gesprochen. Dann reiste sie ab."
    assert len(sentence_bounds(text)) == 2


@pytest.mark.parametrize(
    ("body", "persons"),
    [
        # a weekday and a time of day end a name (German)
        ("Wien (APA) - Außenministerin Karin Lindqvist Montag Vormittag traf die Botschafter.\n", ["Karin Lindqvist"]),
        # a possessive ends a name (English)
        ("VIENNA, 3 May 2022 – Foreign Minister Tomas Brandt’s address opened the session.\n", ["Tomas Brandt"]),
        # an article opens no name (Spanish)
        ("MADRID, 3 de mayo de 2022 – El Gobierno dijo que la reunión fue útil, afirmó la ministra Lucía Paredes.\n", ["Lucía Paredes"]),
        # a venue's last word ("Hotel") and a city ("… City") are no persons
        ("NEW YORK, 3 May 2022 – The press conference at the Grand Palace Hotel in New York City was held.\n", []),
    ],
)
def test_names_end_where_the_name_ends(ref: ReferenceData, body: str, persons: list[str]) -> None:
    item = _item(ref, "A headline of the page\n" + body)
    assert [p.name for p in item.persons] == persons


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # the surname speaks; the full name is written before with no other evidence
        (
            "Minister speaks\nDEN HAAG, 21. Januar 2008 (AGENCY) - Nach Ansicht von Arvid Tollefsen, Hochkommissar, "
            "bleibt viel zu tun.\n„Wir brauchen eine starke Präsenz“, sagte Tollefsen.\n",
            "Arvid Tollefsen",
        ),
        # an office points back to the person introduced with it ("Head of Mission")
        (
            "Mission head visits\nBELGRADE, 15 July 2004 - The Head of the OSCE Mission to Serbia, Ambassador Paolo Ferri, "
            "visited the south.\n\"Such projects are vital for the region,\" the Head of Mission said.\n",
            "Paolo Ferri",
        ),
        # a known surname after a title in lower case (Italian)
        (
            "Il ministro a Vienna\nVIENNA, 30 agosto 2018 – Il ministro degli Esteri Gianluca Roveri è intervenuto oggi.\n"
            "\"L'OSCE è uno strumento di grande importanza per tutti noi\", ha dichiarato il ministro Roveri.\n",
            "Gianluca Roveri",
        ),
        # "Selon X, « … »": the reference after "according to" (French)
        (
            "Le sommet s'ouvre\nASTANA, 1er décembre 2010 – Le président Aldiyar Temirbekov a ouvert le sommet.\n"
            "Selon Temirbekov, « le dialogue reste la seule voie possible pour nos pays ».\n",
            "Aldiyar Temirbekov",
        ),
    ],
)
def test_speakers_named_before_by_full_name_or_office(ref: ReferenceData, text: str, speaker: str) -> None:
    item = _item(ref, text)
    assert [s.speaker for s in item.statements] == [speaker]


@pytest.mark.parametrize(
    ("text", "meeting"),
    [
        (
            "Ministerrat eröffnet\nWien (APA) - Die Ministerin hat am 7. Dezember 2023 den 30. OSZE-Ministerrat in Wien eröffnet.\n",
            (D(2023, 12, 7), "Vienna"),
        ),
        (
            "Совещание открылось\n27 ноября 2000 года\nЗаседание Совета открылось сегодня в Вене. В течение двух дней участникам заседания предстоит работа.\n",
            (D(2000, 11, 27), "Vienna"),
        ),
        (
            "Conferencia clausurada\nEl ministro clausuró la Conferencia Mediterránea OSCE 2018, que se celebró los días 25 y 26 de octubre en Málaga.\n",
            (D(2018, 10, 25), "Málaga"),
        ),
        (
            "Počela ministarska konferencija\n03/12/2015\nMinistar je jutros u Beogradu otvorio 22. ministarsku konferenciju OEBS-a.\n",
            (D(2015, 12, 3), "Belgrade"),
        ),
    ],
)
def test_meetings_in_each_language(ref: ReferenceData, text: str, meeting: tuple) -> None:
    item = _item(ref, text)
    assert [(m.start, m.place.name if m.place else None) for m in item.meetings] == [meeting]


def test_a_length_and_a_first_day_give_the_last_day(ref: ReferenceData) -> None:
    item = _item(ref, "Course on mediation starts\nA three-day training course on mediation organized by the OSCE Office commenced on 9 August 2016 in Dushanbe.\n")
    assert [(m.start, m.end) for m in item.meetings] == [(D(2016, 8, 9), D(2016, 8, 11))]


def test_a_meeting_named_only_in_the_headline_is_dated_by_the_lead(ref: ReferenceData) -> None:
    item = _item(ref, "Border security in focus at OSCE meeting in Vienna\nVIENNA, 7 November 2014 – Experts are meeting in Vienna today to discuss border security.\n")
    assert [(m.start, m.place.name if m.place else None) for m in item.meetings] == [(D(2014, 11, 7), "Vienna")]


def test_a_weekday_in_a_sentence_in_the_future_is_the_coming_one(ref: ReferenceData) -> None:
    item = _item(
        ref,
        "Observers to present findings in Yerevan on Sunday\nYEREVAN, 11 May 2007 - The mission observing the 12 May elections "
        "will present its findings at a news conference on Sunday.\n",
    )
    assert [(m.start, m.place.name if m.place else None) for m in item.meetings] == [(D(2007, 5, 13), "Yerevan")]


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Site banner\nProtecting Minorities Today\nProtecting Minorities Today\nThe High Commissioner published a report on minorities.\n", "Protecting Minorities Today"),
        ("The Representative, Jana Novak, said she was “alarmed by the attack on the journalist.”\n“Journalists must be safe,” Ms. Novak wrote.\n", None),
        ("Minister ends visit. Praise for the hosts.\nBelgrad/Wien (agency) - The minister ended his visit.\n", "Minister ends visit. Praise for the hosts."),
        ("Dernière mise à jour à 10h47 le 10/12\nLa réunion ministérielle s'est achevée vendredi.\n", None),
    ],
)
def test_headlines_of_copies_on_other_sites(ref: ReferenceData, text: str, headline: str | None) -> None:
    assert _item(ref, text).headline == headline
