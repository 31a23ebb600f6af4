"""One regression test per reported extraction fault (faults found by
building the synthetic corpus of ``benchmarks/make_corpus.py``; the page
snippets below were written for these tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests._build_support import build_pages, copy_pages
from osce_kg import BuildConfig, build
from osce_kg.extract import extract_page
from osce_kg.mapping import Mapper
from osce_kg.records import AttendanceMode, NewsItem, SourcePage
from osce_kg.reference import ReferenceData
from osce_kg.vocab import IriMinter

HEAD = "Newsroom\n{title}\nPublishing date: 3 March 2023\nContent type: News\nWhere we are: OSCE Mission to Serbia\nWhat we do: Policing\n"


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def _item(ref: ReferenceData, body: str, title: str = "A title", media: str = "text/plain") -> NewsItem:
    text = body if media == "text/html" else HEAD.format(title=title) + body
    page = SourcePage(Path("t.txt"), "t.txt", text, media, "", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    return extract_page(page, ref).items[0]


def _speakers(item: NewsItem) -> dict[str, str | None]:
    return {s.text.split()[0]: s.speaker for s in item.statements}


def test_non_ascii_capital_after_said(ref) -> None:
    item = _item(ref, "“Justice must be independent and visible to every citizen,” said Ștefan Botnaru, Deputy Prosecutor General of Moldova.\n")
    assert _speakers(item) == {"Justice": "Ștefan Botnaru"}


def test_non_ascii_capital_in_following_statement(ref) -> None:
    item = _item(ref, "Mr. Ivo Šarić, President of the OSCE Parliamentary Assembly, visited Skopje. Mr. Šarić issued the following statement:\n“We stand with every observer who serves the citizens of our region.”\n")
    assert _speakers(item) == {"We": "Ivo Šarić"}


def test_particle_surname(ref) -> None:
    item = _item(ref, "Anna van Dijk, Head of the OSCE Mission to Serbia, opened the event.\n“Training is an investment in trust between police and citizens,” said van Dijk.\n")
    assert _speakers(item) == {"Training": "Anna van Dijk"}


def test_run_in_title_ending_with_a_city(ref) -> None:
    item = _item(ref, "“Water connects the countries of Central Asia more than any border,” Deputy Head of the OSCE Office in Baku Joanna Wiśniewska said.\n")
    assert [p.name for p in item.persons] == ["Joanna Wiśniewska"]
    assert _speakers(item) == {"Water": "Joanna Wiśniewska"}


def test_long_run_in_title(ref) -> None:
    item = _item(ref, "“Prevention works best when communities are partners,” OSCE Co-ordinator of Activities to Address Transnational Threats Bat-Erdene Batsaikhan said.\n“It is our shared task,” said Batsaikhan.\n")
    assert _speakers(item) == {"Prevention": "Bat-Erdene Batsaikhan", "It": "Bat-Erdene Batsaikhan"}


def test_words_of_a_structure_name_are_not_a_person(ref) -> None:
    item = _item(ref, "Ms. Lena Berg, Head of the OSCE Observer Mission at the Russian Checkpoints Gukovo and Donetsk, met the press. “We observed the border every day without interruption,” she said.\n")
    assert [p.name for p in item.persons] == ["Lena Berg"]
    assert _speakers(item) == {"We": "Lena Berg"}


def test_two_word_family_name(ref) -> None:
    item = _item(ref, "Carmen Fernández Castro, Deputy Head of the OSCE Mission to Serbia, opened the course.\n“Every prosecutor trained here strengthens the rule of law,” said Fernández Castro.\n")
    assert [p.name for p in item.persons] == ["Carmen Fernández Castro"]
    assert _speakers(item) == {"Every": "Carmen Fernández Castro"}


def test_office_inside_a_longer_title_is_not_that_office(ref) -> None:
    item = _item(ref, "Dr. Valentina Galli, Special Representative of the OSCE Chairperson-in-Office for the South Caucasus, attended the talks.\n“Dialogue is the only path to lasting peace in the region,” said the OSCE Chairperson-in-Office.\n")
    statement = item.statements[0]
    # no person on the page holds the office: the page's date (3 March 2023) resolves it
    # from the office-holder table (North Macedonia's Chairpersonship), the role is kept
    assert (statement.speaker, statement.speaker_role, statement.rule) == ("Bujar Osmani", "OSCE Chairperson-in-Office", "after.date")
    assert [p.name for p in item.persons] == ["Valentina Galli"]


def test_sentence_initial_indefinite_article_meeting(ref) -> None:
    item = _item(ref, "A training on free legal aid, organized by the OSCE Centre in Ashgabat, took place in Ashgabat from 24 to 26 April 2013.\n")
    assert [(m.name, m.start, m.end, m.place.name if m.place else None) for m in item.meetings] == [
        ("training on free legal aid", dt.date(2013, 4, 24), dt.date(2013, 4, 26), "Ashgabat")
    ]


def test_html_lead_is_read(ref) -> None:
    html = (
        "<html><head><title>T</title></head><body><article><h1>Chairperson visits Vienna</h1>"
        "<div class='lead'>The OSCE Chairperson-in-Office, Antonella Camilleri, visited the Secretariat on 2 June 2013.</div>"
        "<p>The OSCE Chairperson-in-Office, Antonella Camilleri, visited the Secretariat on 2 June 2013.</p>"
        "<p>“Our Organization needs a budget that matches its tasks,” said Camilleri.</p></article></body></html>"
    )
    item = _item(ref, html, media="text/html")
    assert _speakers(item) == {"Our": "Antonella Camilleri"}


def test_meeting_name_without_leading_the(ref) -> None:
    item = _item(ref, "The Regional Conference on Migration Governance in South-East Europe opened in Belgrade on 4 May 2016.\n")
    assert [m.name for m in item.meetings] == ["Regional Conference on Migration Governance in South-East Europe"]


def test_described_event_keeps_its_topic(ref) -> None:
    item = _item(ref, "Officials took part in a study visit on housing for Roma communities in Belgrade on 4 May 2016.\n")
    assert [m.name for m in item.meetings] == ["study visit on housing for Roma communities"]


def test_venue_is_not_the_organisers_city(ref) -> None:
    item = _item(ref, "The OSCE Programme Office in Dushanbe organized a roundtable discussion on water diplomacy in Prague on 3 November 2006.\n")
    assert [m.place.name for m in item.meetings if m.place] == ["Prague"]


def test_place_with_a_particle(ref) -> None:
    item = _item(ref, "Experts met at a seminar on e-government held in Andorra la Vella on 9 October 2019.\n")
    assert [(m.place.name, m.place.country) for m in item.meetings if m.place] == [("Andorra la Vella", "AD")]


def test_thousands_in_participant_counts(ref) -> None:
    item = _item(ref, "More than 1,050 participants gathered at the OSCE Youth Forum held in Vienna on 9 October 2019.\n")
    meeting = item.meetings[0]
    assert (meeting.participants_min, meeting.participants) == (1050, None)


def test_online_inside_a_topic_is_no_attendance_mode(ref) -> None:
    item = _item(ref, "Journalists attended a seminar on the safety of female journalists online held in Skopje on 9 October 2019.\n")
    assert item.meetings[0].attendance is None
    item = _item(ref, "The Annual Security Review Conference, held online and in-person in Vienna on 9 October 2019, closed.\n")
    assert item.meetings[0].attendance is AttendanceMode.MIXED


def test_organisers_with_and_in_their_names(ref) -> None:
    item = _item(ref, "A workshop on labour inspection, organized by the OSCE Mission to Bosnia and Herzegovina in co-operation with the Ministry of Labour and Social Protection, took place in Sarajevo on 4 May 2016.\n")
    organizers = [(o.name, o.structure_id) for o in item.meetings[0].organizers]
    assert organizers == [("OSCE Mission to Bosnia and Herzegovina", "mission-to-bosnia-and-herzegovina"), ("Ministry of Labour and Social Protection", None)]
    item = _item(ref, "A seminar on election observation, organized by the OSCE Office for Democratic Institutions and Human Rights, took place in Warsaw on 4 May 2016.\n")
    assert [o.structure_id for o in item.meetings[0].organizers] == ["odihr"]


def test_items_with_the_same_headline_start_and_date_get_distinct_iris(ref) -> None:
    """Items with the same date and headline start get distinct IRIs: they
    live at different places of a page, or on different pages."""
    mapper = Mapper(ref, IriMinter())
    date = dt.date(2022, 5, 16)
    a = NewsItem(headline="OSCE Office for Democratic Institutions and Human Rights hands over equipment to Georgia", date_published=date)
    b = NewsItem(headline="OSCE Office for Democratic Institutions and Human Rights hands over a report to Armenia", date_published=date, index=1)
    assert mapper.item_slug(a, "list.txt") != mapper.item_slug(b, "list.txt")
    assert mapper.item_slug(a, "list.txt") != mapper.item_slug(a, "other.txt")
    assert mapper.item_slug(a, "list.txt") == mapper.item_slug(NewsItem(headline=a.headline, date_published=date), "list.txt")


CORRECTED_TEXT = (
    "{title}\n\nVIENNA, 4 May 2021 – The OSCE Secretary General, Helga Maria Schmid, opened a conference on border security today.\n"
    "“Borders must connect people, not divide them,” said Schmid.\n"
)
CORRECTED_HTML = (
    '<html lang="en"><head><title>{title} | OSCE</title>'
    '<link rel="canonical" href="https://www.osce.org/secretariat/news/2021/05/border-security-conference"></head>'
    '<body><article><h1>{title}</h1><div class="content-type">Press release</div>'
    '<ul><li class="label">Publishing date:</li><li>4 May 2021</li></ul>'
    "<p>VIENNA, 4 May 2021 – The OSCE Secretary General, Helga Maria Schmid, opened a conference on border security today.</p>"
    "<p>“Borders must connect people, not divide them,” said Schmid.</p></article></body></html>"
)


def _item_and_statement_iris(folder: Path, name: str, page: str) -> tuple[set[str], set[str]]:
    from rdflib import RDF

    from osce_kg.vocab import OSCE

    folder.mkdir()
    (folder / name).write_text(page, encoding="utf-8")
    dataset, _records, skipped, _w = build_pages([folder / name])
    assert not skipped
    quads = list(dataset.quads((None, RDF.type, None, None)))
    items = {str(s) for s, _p, o, _g in quads if o == OSCE.NewsItem}
    statements = {str(s) for s, _p, o, _g in quads if o == OSCE.Statement}
    return items, statements


@pytest.mark.parametrize("name, page", [("border.txt", CORRECTED_TEXT), ("border.html", CORRECTED_HTML)])
def test_a_corrected_headline_keeps_the_item_iri_and_its_statements_iris(tmp_path: Path, name: str, page: str) -> None:
    """Fault: an item's IRI hashed its headline, so a page republished with a
    corrected headline minted a new item (and new statements, whose IRIs
    derive from the item's) and the old IRIs answered 410. The IRI now
    comes from where the item lives: its own URL, else its page and place."""
    before = _item_and_statement_iris(tmp_path / "before", name, page.format(title="Secretary General opens border secutiry conference"))
    after = _item_and_statement_iris(tmp_path / "after", name, page.format(title="Secretary General opens border security conference"))
    assert before == after
    (item,), statements = before
    assert len(statements) == 1 and next(iter(statements)).startswith(item.replace("/item/", "/statement/") + "-")
    slug = item.rsplit("/", 1)[1]
    assert "secutiry" not in slug and "2021" not in slug
    expected = "news-border-security-conference-" if name.endswith(".html") else "border-0-"
    assert slug.startswith(expected) and len(slug) == len(expected) + 8


def test_two_pages_giving_one_item_url_stay_two_items(tmp_path: Path) -> None:
    """Two pages (the same article fetched twice) with the same canonical URL
    and different headlines: two items, so the merged data never gives one
    item two headlines (the shapes' sh:maxCount 1)."""
    from rdflib import RDF

    from osce_kg.vocab import OSCE

    for name, title in (("a.html", "Secretary General opens conference"), ("b.html", "Secretary General opens border conference")):
        (tmp_path / name).write_text(CORRECTED_HTML.format(title=title), encoding="utf-8")
    from osce_kg.pipeline import BuildConfig, build

    result = build(BuildConfig.of([tmp_path / "a.html", tmp_path / "b.html"]))
    items = {s for s, _p, _o, _g in result.dataset.quads((None, RDF.type, OSCE.NewsItem, None))}
    assert len(items) == 2
    assert all(str(s).rsplit("/", 1)[1].startswith("news-border-security-conference-") for s in items)
    assert result.exit_code == 0


def test_items_of_two_pages_with_the_same_banner_headline_stay_two_items(tmp_path) -> None:
    """Issue 9, point 7: items never merge across pages."""
    from rdflib import URIRef as _U

    from osce_kg.vocab import OSCE as _OSCE

    for name, person in (("a.txt", "Milena Vuković"), ("b.txt", "Tobias Engel")):
        (tmp_path / name).write_text(
            f"Regional News Portal Today\n\nOSCE Mission news from the region\n\n“We will keep working with every community here,” said {person}, Head of the OSCE Mission to Serbia.\n",
            encoding="utf-8",
        )
    dataset, records, skipped, _w = build_pages([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert not skipped
    items = {s for s, _p, _o, _g in dataset.quads((None, _U("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), _OSCE.NewsItem, None))}
    assert len(items) == 2


def test_two_spellings_of_a_table_person_make_no_second_name(tmp_path: Path) -> None:
    """Fault: "Frank Walter Steinmeier" on a page and "Frank-Walter
    Steinmeier" in the office-holder table made one node with two
    schema:names, and the whole build failed validation. The table's form is
    the name; the page's is an alternate name tagged with its language."""
    from rdflib import Literal, Namespace

    from osce_kg.pipeline import BuildConfig, build

    page = tmp_path / "visit.txt"
    page.write_text(
        "Chairperson visits the Office\n\nWARSAW, 19 April 2016 – The OSCE Chairperson-in-Office, Foreign Minister "
        "Frank Walter Steinmeier, today visited the Office.\n“We value the work of this Office,” Steinmeier said.\n",
        encoding="utf-8",
    )
    result = build(BuildConfig.of([page]))
    schema = Namespace("https://schema.org/")
    quads = list(result.dataset.quads((None, None, None, None)))
    (person,) = {s for s, p, o, _g in quads if p == schema.alternateName and o == Literal("Frank Walter Steinmeier", lang="en")}
    assert {o for s, p, o, _g in quads if s == person and p == schema.name} == {Literal("Frank-Walter Steinmeier")}
    assert result.exit_code == 0


def test_a_navigation_only_page_is_no_news_item(ref: ReferenceData) -> None:
    """Fault: a page holding a site's navigation menu and nothing else was
    exported as a news item with a menu entry for its headline."""
    from osce_kg.errors import SourceError

    text = "- Home\n- About us\n-\nOur work\n- Elections\n- Civil society\n- Rule of law\n- News\n- Events\n"
    page = SourcePage(Path("menu.txt"), "menu.txt", text, "text/plain", "", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    with pytest.raises(SourceError, match="no news item"):
        extract_page(page, ref)


def test_output_folder_inside_the_source_is_not_read_as_pages(tmp_path: Path) -> None:
    """Regression: ``build SRC -o SRC/out --site`` run twice read its own
    site's HTML files back in as pages (6 pages became 762 items)."""
    src = copy_pages(Path(__file__).parent / "pages", tmp_path / "src")
    pages = len(list(src.glob("*.txt")))
    config = BuildConfig.of([src], output=src / "out", site=True, cache=src / "cache")
    first = build(config)
    second = build(config)
    assert len(first.pages) == len(second.pages) == pages
    assert second.release.name == first.release.name
