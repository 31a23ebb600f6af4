"""The language files of Italian, Spanish, Ukrainian, Polish and Serbian:
page language detection on invented sentences (invented persons and
wording), the keys of every file, and the word lists the date and speech
rules compile (months 1-12, weekdays 0-6, no word meaning two dates)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from osce_kg.extract.dates import date_reader
from osce_kg.extract.language import alternation, detect_language, language, languages

NEW = ("it", "es", "uk", "pl", "sr")


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "code, text",
    [
        ("it", "Il capo della missione, Paolo Ferraresi, ha dichiarato che il corso di formazione per gli agenti di polizia è stato un successo."),
        ("it", "«La cooperazione regionale resta una priorità», ha sottolineato la ministra Giulia Brambati durante la riunione di Vienna."),
        ("it", "Il seminario si è svolto nella capitale e ha riunito giudici, procuratori e rappresentanti della società civile."),
        ("es", "La jefa de la misión, Lucía Berrocal Iturbe, afirmó que el curso para los agentes de policía fue un éxito."),
        ("es", "«La cooperación regional sigue siendo una prioridad», subrayó el ministro Andrés Villalba durante la reunión en Viena."),
        ("es", "El seminario se celebró en la capital y reunió a jueces, fiscales y representantes de la sociedad civil."),
        ("uk", "Голова місії Олександра Кравчишин заявила, що тренінг для працівників поліції був успішним."),
        ("uk", "«Регіональна співпраця залишається пріоритетом», — наголосив міністр Богдан Лисенчук під час зустрічі у Відні."),
        ("uk", "Семінар відбувся у столиці та зібрав суддів, прокурорів і представників громадянського суспільства."),
        ("pl", "Szefowa misji Agnieszka Wróblewska powiedziała, że szkolenie dla funkcjonariuszy policji zakończyło się sukcesem."),
        ("pl", "„Współpraca regionalna pozostaje priorytetem” – podkreślił minister Tadeusz Kołodziejczak podczas spotkania w Wiedniu."),
        ("pl", "Seminarium odbyło się w stolicy i zgromadziło sędziów, prokuratorów oraz przedstawicieli społeczeństwa obywatelskiego."),
        ("sr", "Šefica misije Milica Dragojlović izjavila je da je obuka za pripadnike policije bila uspešna."),
        ("sr", "„Regionalna saradnja ostaje prioritet“, istakao je ministar Nebojša Radulović tokom sastanka u Beču."),
        ("sr", "Seminar je održan u glavnom gradu i okupio je sudije, tužioce i predstavnike civilnog društva."),
        ("sr", "Seminar je odrzan u glavnom gradu i okupio je sudije, tuzioce i predstavnike civilnog drustva."),
        ("sr", "Ministrica vanjskih poslova izjavila je da je suradnja s institucijama ključna za sigurnost regije."),
        ("sr", "Шефица мисије Милица Драгојловић изјавила је да је обука за припаднике полиције била успешна."),
        ("sr", "Семинар је одржан у главном граду и окупио је судије, тужиоце и представнике цивилног друштва."),
        ("ru", "Глава миссии Алевтина Сорокина заявила, что тренинг для сотрудников полиции был успешным."),
        ("ru", "В Харькове прошёл семинар для судей и прокуроров, сообщили в пресс-службе миссии."),
        ("en", "Ambassador Łukasz Wiśniewski and Jelena Đurić said that the training for judges in Warsaw and Belgrade was a success."),
        ("en", "The Head of the OSCE Mission said that the training of the police was a success for the region."),
    ],
)
def test_detected_language(code: str, text: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "hint, code",
    [("it", "it"), ("es-ES", "es"), ("uk-UA", "uk"), ("pl", "pl"), ("sr-Latn", "sr"), ("sr-Cyrl-RS", "sr"), ("hr", "sr"), ("bs", "sr")],
)
def test_html_lang_hint(hint: str, code: str) -> None:
    assert detect_language("Some text.", hint) == code


# --------------------------------------------------------------------------- the files


@pytest.mark.parametrize("code", NEW)
def test_file_has_every_key_of_english(code: str) -> None:
    langs = languages()
    assert code in langs
    data = langs[code].data
    assert data["code"] == code
    missing = set(langs["en"].data) - set(data)
    assert not missing, missing
    for key, value in langs["en"].data.items():
        assert type(data[key]) is type(value), key


@pytest.mark.parametrize("code", NEW)
def test_lists_hold_non_empty_strings(code: str) -> None:
    data = language(code).data
    for key, value in data.items():
        if isinstance(value, list) and key not in ("quotes", "locative_endings"):
            # no compound titles in these languages; Slavic languages have no
            # articles; only some languages join a date's parts with a word
            assert value or key in ("title_suffixes", "date_connectors") or (key == "articles" and code in ("uk", "pl", "sr")), key
            assert all(isinstance(w, str) and w.strip() == w and w for w in value), key
    for ending, replacement in data.get("locative_endings", []):
        assert ending and isinstance(replacement, str)
    for opener, closer in data["quotes"]:
        assert len(opener) == 1 and len(closer) == 1
    for kind, labels in data["labels"].items():
        assert labels, kind
    for table in ("honorifics", "pronouns"):
        assert data[table] and set(data[table].values()) <= {"m", "f", None}, table
    assert {"m", "f"} <= set(data["pronouns"].values())


@pytest.mark.parametrize("code", NEW)
def test_speech_verbs_compile_and_match_each_form(code: str) -> None:
    lang = language(code)
    verbs = re.compile(rf"(?:{lang.speech_verbs})$")
    colon = re.compile(rf"(?:{lang.colon_verbs})$")
    for verb in lang.words("speech_verbs"):
        assert verbs.match(verb), verb
    for verb in lang.words("speech_nouns_before_colon"):
        assert colon.match(verb), verb
    for key in ("adverbs", "event_nouns", "generic_events", "event_verbs", "following_statement", "theme_before"):
        re.compile(alternation(lang.words(key)))
    lang.indirect_re.pattern
    lang.anaphor_re.pattern
    lang.article_re.pattern


@pytest.mark.parametrize(
    "code, verbs",
    [
        ("it", ["ha detto", "ha dichiarato", "ha sottolineato", "ha aggiunto", "ha affermato", "secondo"]),
        ("es", ["dijo", "afirmó", "señaló", "subrayó", "añadió", "declaró", "según"]),
        ("uk", ["сказав", "сказала", "заявив", "заявила", "наголосив", "наголосила", "зазначив", "зазначила", "підкреслив", "додав", "за словами"]),
        ("pl", ["powiedział", "powiedziała", "podkreślił", "podkreśliła", "stwierdził", "dodał", "zaznaczył", "oświadczył", "według"]),
        ("sr", ["rekao je", "rekla je", "izjavio je", "izjavila je", "istakao je", "istakla je", "naglasio je", "dodao je", "navela je", "kazao je", "prema rečima", "рекао је"]),
    ],
)
def test_news_speech_verbs_present(code: str, verbs: list[str]) -> None:
    assert set(verbs) <= set(language(code).words("speech_verbs"))


@pytest.mark.parametrize("code", NEW)
def test_months_and_weekdays_are_complete(code: str) -> None:
    lang = language(code)
    assert set(lang.months.values()) == set(range(1, 13))
    assert set(lang.weekdays.values()) == set(range(7))
    assert set(lang.relative_days.values()) >= {-1, 0}
    for name in lang.months:
        assert 3 <= len(name) <= 12 and name.isalpha(), name  # what the date patterns read as a month


def test_no_word_names_two_dates() -> None:
    """The date reader merges the months, weekdays and relative days of every
    file: a word must mean the same in each ("listopad" is November in Polish
    and Ukrainian, October in Croatian; only the former is listed)."""
    for key in ("months", "weekdays", "relative_days"):
        seen: dict[str, tuple[str, int]] = {}
        for code, lang in languages().items():
            for word, value in getattr(lang, key).items():
                if word in seen:
                    assert seen[word][1] == value, (key, word, seen[word], code)
                seen.setdefault(word, (code, value))


@pytest.mark.parametrize("code", NEW)
def test_every_month_reads_as_a_date(code: str) -> None:
    reader = date_reader()
    for name, month in language(code).months.items():
        assert reader.first(f"14 {name} 2021") == dt.date(2021, month, 14), name


@pytest.mark.parametrize(
    "text, day",
    [
        ("Il seminario si è aperto lunedì a Roma.", dt.date(2024, 3, 11)),
        ("La reunión se celebró el miércoles en Madrid.", dt.date(2024, 3, 13)),
        ("Засідання відбулося у п’ятницю в Києві.", dt.date(2024, 3, 15)),
        ("Spotkanie odbyło się w czwartek w Warszawie.", dt.date(2024, 3, 14)),
        ("Sastanak je održan u utorak u Beogradu.", dt.date(2024, 3, 12)),
        ("Састанак је одржан у уторак у Београду.", dt.date(2024, 3, 12)),
    ],
)
def test_weekday_resolved_against_page_date(text: str, day: dt.date) -> None:
    reference = dt.date(2024, 3, 15)  # a Friday
    assert [span.start for span in date_reader().relative(text, reference)] == [day]


def test_the_shapes_accept_the_tags_of_every_language_file() -> None:
    """Every multi-language ``sh:languageIn`` list of the shapes is the list
    of the language files' codes (``data/languages/sync_shapes.py`` writes it)."""
    import re
    from pathlib import Path

    from osce_kg.extract.language import languages

    shapes = (Path(__file__).resolve().parent.parent / "shapes" / "osce-shapes.ttl").read_text(encoding="utf-8")
    lists = [re.findall(r'"([a-z-]+)"', m) for m in re.findall(r"sh:languageIn\s*\(([^)]*)\)", shapes)]
    multi = [tags for tags in lists if len(tags) > 1]
    assert multi, "the shapes hold no multi-language list"
    assert all(tags == sorted(languages()) for tags in multi)
