"""Office holders over time: the table and its check, speakers resolved on the
page's date, memberships, and the links to Wikidata. The pages below were
written for these tests (invented wording; the office holders are real)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, TIME, XSD

from tests._build_support import mapped_dataset
from osce_kg.oxterms import rdflib_graph
from osce_kg.errors import ReferenceDataError
from osce_kg.evaluate import evaluate
from osce_kg.extract import extract_page
from osce_kg.mapping import WIKIDATA, Mapper

WD = Namespace(WIKIDATA)
from osce_kg.offices import resolvable_office
from osce_kg.records import PageRecord, SourcePage
from osce_kg.reference import ReferenceData, partial_date_range
from osce_kg.resources import reference_dir
from osce_kg.validate import validate_graph
from osce_kg.vocab import ORG, OSCE, SCHEMA, IriMinter

REPO = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/osce-kg/id/"


def _load_checker():
    path = REPO / "data" / "reference" / "check_office_holders.py"
    spec = importlib.util.spec_from_file_location("check_office_holders", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_office_holders", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


@pytest.fixture(scope="module")
def mapper(ref: ReferenceData) -> Mapper:
    return Mapper(ref, IriMinter())


def _page(date: str | None, body: str, key: str = "t.txt") -> SourcePage:
    head = "Newsroom\nA meeting in Vienna\n" + (f"Publishing date: {date}\n" if date else "") + "Content type: News\nWhere we are: OSCE Secretariat\n"
    return SourcePage(Path(key), key, head + body, "text/plain", "", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))


def _record(ref: ReferenceData, date: str | None, body: str, key: str = "t.txt") -> PageRecord:
    return extract_page(_page(date, body, key), ref)


CIO_QUOTE = "“Dialogue is the only way to settle the conflicts of our region,” said the OSCE Chairperson-in-Office.\n"


def _statement(record: PageRecord):
    (statement,) = record.items[0].statements
    return statement.speaker, statement.speaker_role, statement.rule


# ----------------------------------------------------------------------------- the table


def test_the_shipped_table_passes_the_check() -> None:
    assert _load_checker().check() == []


def _copy_tables(tmp_path: Path) -> Path:
    for csv_file in reference_dir().glob("*.csv"):
        shutil.copy(csv_file, tmp_path / csv_file.name)
    return tmp_path


def _append_row(directory: Path, row: str) -> None:
    with (directory / "office_holders.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")


def test_the_check_finds_two_holders_at_once(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    _append_row(directory, "secretary-general,Jane Roe,2014-01-01,2015-12-31,,day,,invented for the test,")
    problems = _load_checker().check(ReferenceData.load(directory))
    assert "secretary-general: Jane Roe (from 2014-01-01) overlaps Lamberto Zannier (until 2017-06-30)" in problems
    assert any(p.startswith("reference graph: ") and "two holders at once" in p for p in problems)


def test_the_shipped_table_has_no_gap(ref: ReferenceData) -> None:
    checker = _load_checker()
    assert checker.gaps(ref) == []
    complete = {o.id for o in ref.offices.values() if o.coverage == "complete"}
    assert complete == {
        "secretary-general", "chairperson-in-office", "representative-on-freedom-of-the-media",
        "high-commissioner-on-national-minorities", "director-of-odihr",
        "president-of-the-parliamentary-assembly", "secretary-general-of-the-parliamentary-assembly",
    }
    assert ref.offices["representative-on-freedom-of-the-media"].created == "1997-11-05"
    assert ref.offices["co-ordinator-of-economic-and-environmental-activities"].coverage is None
    assert ref.offices["special-representative-cthb"].coverage == "partial"


def _write_invented_tables(directory: Path, holders: list[str], created: str = "1997-11-05") -> None:
    """The shipped tables, but an office-holder table of the shipped
    Chairpersons-in-Office and invented rows of the Representative on Freedom
    of the Media only (the other posts are made not complete)."""
    _copy_tables(directory)
    offices = (directory / "offices.csv").read_text(encoding="utf-8").splitlines()
    offices = [
        line if not line.startswith("representative-on-freedom-of-the-media,") else line.replace(",1997-11-05,", f",{created},")
        for line in offices
    ]
    keep = ("representative-on-freedom-of-the-media,", "chairperson-in-office,")
    offices = [line.replace(",complete,", ",,") if not line.startswith(keep) else line for line in offices]
    (directory / "offices.csv").write_text("\n".join(offices) + "\n", encoding="utf-8")
    shipped = (directory / "office_holders.csv").read_text(encoding="utf-8").splitlines()
    header, cio = shipped[0], [line for line in shipped if line.startswith("chairperson-in-office,")]
    (directory / "office_holders.csv").write_text("\n".join([header, *cio, *holders]) + "\n", encoding="utf-8")


RFOM = "representative-on-freedom-of-the-media"


def test_the_gap_check_finds_a_gap_in_an_invented_table(tmp_path: Path) -> None:
    _write_invented_tables(tmp_path, [
        f"{RFOM},Jane Roe,1998-01,2003-12,,month,,https://example.org/a,",
        f"{RFOM},John Doe,2004-03-10,,2025-06-30,day,,https://example.org/b,",
    ])
    problems = _load_checker().check(ReferenceData.load(tmp_path))
    assert [p for p in problems if "gap" in p] == [
        f"{RFOM}: gap from 1997-11-05 to 1997-12-31: no holder and no known vacancy (add the holder, an acting holder or a (vacant) row)",
        f"{RFOM}: gap from 2004-01-01 to 2004-03-09: no holder and no known vacancy (add the holder, an acting holder or a (vacant) row)",
    ]


def test_known_vacancies_close_the_gaps_and_stay_no_person(tmp_path: Path) -> None:
    _write_invented_tables(tmp_path, [
        f"{RFOM},(vacant),1997-11-05,1997-12,,month,,https://example.org/v,",
        f"{RFOM},Jane Roe,1998-01,2003-12,,month,,https://example.org/a,",
        f"{RFOM},(vacant),2004-01,2004-03-09,,month,,https://example.org/v,",
        f"{RFOM},John Doe,2004-03-10,,2025-06-30,day,,https://example.org/b,",
    ])
    ref = ReferenceData.load(tmp_path)
    assert _load_checker().check(ref) == []
    assert [r.name for r in ref.office_holders[RFOM]] == ["Jane Roe", "John Doe"]
    assert [(v.start, v.end) for v in ref.vacancies[RFOM]] == [("1997-11-05", "1997-12"), ("2004-01", "2004-03-09")]
    assert ref.holder_on(RFOM, dt.date(2004, 2, 1)) is None
    g = rdflib_graph(Mapper(ref, IriMinter()).map_reference())
    assert (None, SCHEMA.name, Literal("(vacant)")) not in g


def test_a_gap_at_the_end_and_a_vacancy_overlapping_a_holder(tmp_path: Path) -> None:
    _write_invented_tables(tmp_path, [
        f"{RFOM},Jane Roe,1997-11-05,2020-06-30,,day,,https://example.org/a,",
        f"{RFOM},(vacant),2020-06-01,2020-06-30,,day,,https://example.org/v,",
    ])
    problems = _load_checker().check(ReferenceData.load(tmp_path))
    assert f"{RFOM}: (vacant) (from 2020-06-01) overlaps Jane Roe (until 2020-06-30)" in problems
    assert f"{RFOM}: gap from 2020-07-01 to 2025-06-30: no holder and no known vacancy (add the holder, an acting holder or a (vacant) row)" in problems


def test_a_source_without_an_address_is_reported(tmp_path: Path) -> None:
    _write_invented_tables(tmp_path, [f"{RFOM},Jane Roe,1997-11-05,,2025-06-30,day,,the OSCE website,"])
    problems = _load_checker().check(ReferenceData.load(tmp_path))
    assert problems == [f"{RFOM} Jane Roe (from 1997-11-05): source 'the OSCE website' names no public address (http...)"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"{RFOM},(vacant),2030-05-01,,2030-06-01,day,,x,", r"a \(vacant\) row needs an end"),
        (f"{RFOM},(vacant),2030-05-01,2030-06-01,,day,Q5,x,", r"a \(vacant\) row needs an end and has no wikidata"),
    ],
)
def test_the_loader_rejects_a_bad_vacancy(tmp_path: Path, row: str, message: str) -> None:
    directory = _copy_tables(tmp_path)
    _append_row(directory, row)
    with pytest.raises(ReferenceDataError, match=r"office_holders\.csv, row \d+: " + message):
        ReferenceData.load(directory)


def test_a_complete_post_needs_its_creation_date(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    path = directory / "offices.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1997-11-05,", ",,", 1), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"offices\.csv, row \d+: created needs|coverage complete needs created"):
        ReferenceData.load(directory)


def test_real_vacancies_and_acting_holders(ref: ReferenceData) -> None:
    assert [(v.start, v.end) for v in ref.vacancies["secretary-general"]] == [
        ("2017-07-01", "2017-07-17"), ("2020-07-19", "2020-12"), ("2024-09", "2024-12"),
    ]
    assert ref.holder_on("president-of-the-parliamentary-assembly", dt.date(2013, 5, 1)).name == "Wolfgang Grossruck"
    assert ref.holder_on("president-of-the-parliamentary-assembly", dt.date(2019, 1, 15)).name == "George Tsereteli"
    assert ref.holder_on("president-of-the-parliamentary-assembly", dt.date(2021, 3, 1)).name == "Peter Lord Bowness"
    assert ref.holder_on("president-of-the-parliamentary-assembly", dt.date(2024, 10, 1)).name == "Pia Kauma"
    assert ref.holder_on("director-of-odihr", dt.date(2002, 6, 1)).name == "Gérard Stoudmann"
    assert ref.holder_on("representative-on-freedom-of-the-media", dt.date(2004, 3, 10)).name == "Miklós Haraszti"


def test_a_hand_over_day_is_no_overlap(ref: ReferenceData) -> None:
    kurz, kneissl = [r for r in ref.office_holders["chairperson-in-office"] if r.start.startswith("2017")]
    assert kurz.end == kneissl.start == "2017-12-18"
    assert ref.holder_on("chairperson-in-office", dt.date(2017, 12, 18)) is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("secretary-general,Jane Roe,2030-05-01,2030-04-01,,day,,x,", r"end 2030-04-01 before start 2030-05-01"),
        ("secretary-general,Jane Roe,2030-05-01,2030-06-01,,day,Q12x,x,", r"wikidata 'Q12x' is not a Wikidata item id"),
        ("secretary-general,Jane Roe,2030-05,2030-06-01,,day,,x,", r"precision 'day', the dates say 'month'"),
        ("secretary-general,Jane Roe,2030-05-01,,,day,,x,", r"a row without end needs checked"),
        ("no-such-post,Jane Roe,2030-05-01,2030-06-01,,day,,x,", r"post 'no-such-post' is not an office id"),
    ],
)
def test_the_loader_rejects_a_bad_row(tmp_path: Path, row: str, message: str) -> None:
    directory = _copy_tables(tmp_path)
    _append_row(directory, row)
    with pytest.raises(ReferenceDataError, match=r"office_holders\.csv, row \d+: " + message):
        ReferenceData.load(directory)


def test_a_bad_wikidata_id_of_a_state_is_rejected(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    path = directory / "participating_states.csv"
    text = path.read_text(encoding="utf-8").replace(",Q34\n", ",34\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"participating_states\.csv, row \d+: wikidata '34'"):
        ReferenceData.load(directory)


def test_partial_dates() -> None:
    assert partial_date_range("2000-02") == (dt.date(2000, 2, 1), dt.date(2000, 2, 29))
    assert partial_date_range("2003") == (dt.date(2003, 1, 1), dt.date(2003, 12, 31))
    assert partial_date_range("2017-12-18") == (dt.date(2017, 12, 18), dt.date(2017, 12, 18))
    with pytest.raises(ValueError):
        partial_date_range("2017-13")


def test_every_chairpersonship_year_1995_2025_has_its_chairperson(ref: ReferenceData) -> None:
    for year in range(1995, 2026):
        mid_year = ref.holder_on("chairperson-in-office", dt.date(year, 7, 1))
        assert mid_year is not None, year
        assert mid_year.bounds[0].year == year


# ----------------------------------------------------------------------------- resolution by date


def test_a_date_inside_a_tenure_resolves_the_office(ref: ReferenceData, mapper: Mapper) -> None:
    record = _record(ref, "14 September 2021", CIO_QUOTE)
    assert _statement(record) == ("Ann Linde", "OSCE Chairperson-in-Office", "after.date")
    item = record.items[0]
    assert [p.name for p in item.resolved_persons] == ["Ann Linde"] and item.persons == []
    g = rdflib_graph(mapper.map_page(record))
    (st,) = g.subjects(RDF.type, OSCE.Statement)
    person = URIRef(ID + "person/ann-linde")
    assert set(g.predicate_objects(st)) - {(SCHEMA.text, next(g.objects(st, SCHEMA.text))), (PROV.wasDerivedFrom, next(g.objects(st, PROV.wasDerivedFrom)))} == {
        (RDF.type, OSCE.Statement),
        (RDF.type, SCHEMA.Quotation),
        (SCHEMA.creator, person),
        (OSCE.attributedBy, Literal("after.date")),
        (OSCE.speakerRole, Literal("OSCE Chairperson-in-Office", lang="en")),
    }
    assert set(g.predicate_objects(person)) == {(RDF.type, SCHEMA.Person), (SCHEMA.name, Literal("Ann Linde"))}
    assert (None, SCHEMA.mentions, person) not in g  # the page does not name her


def test_the_statement_iri_does_not_change_when_resolved(ref: ReferenceData, mapper: Mapper) -> None:
    dated = rdflib_graph(mapper.map_page(_record(ref, "14 September 2021", CIO_QUOTE)))
    undated = rdflib_graph(mapper.map_page(_record(ref, None, CIO_QUOTE)))
    (a,) = dated.subjects(RDF.type, OSCE.Statement)
    (b,) = undated.subjects(RDF.type, OSCE.Statement)
    assert str(a).rsplit("-", 1)[1] == str(b).rsplit("-", 1)[1]


def test_a_page_without_a_date_resolves_nothing(ref: ReferenceData, mapper: Mapper) -> None:
    record = _record(ref, None, CIO_QUOTE)
    assert record.items[0].date_published is None
    assert _statement(record) == (None, "OSCE Chairperson-in-Office", "after.role")
    g = rdflib_graph(mapper.map_page(record))
    assert list(g.subject_objects(SCHEMA.creator)) == []
    assert list(g.subjects(RDF.type, SCHEMA.Person)) == []


@pytest.mark.parametrize(
    ("date", "speaker"),
    [
        ("21 May 2018", "Angelino Alfano"),  # Italy 2018: Alfano until 1 June
        ("20 June 2018", "Enzo Moavero Milanesi"),  # then Moavero Milanesi
        ("1 June 2018", None),  # the hand-over day: two holders, nothing resolved
        ("15 February 2000", None),  # Austria 2000: the change in February is known to the month only
        ("15 March 2000", "Benita Ferrero-Waldner"),
        ("15 January 2000", "Wolfgang Schüssel"),
    ],
)
def test_a_year_with_two_holders_resolves_by_the_day(ref: ReferenceData, date: str, speaker: str | None) -> None:
    record = _record(ref, date, CIO_QUOTE)
    rule = "after.date" if speaker else "after.role"
    assert _statement(record) == (speaker, "OSCE Chairperson-in-Office", rule)


def test_a_date_outside_every_tenure_resolves_nothing(ref: ReferenceData) -> None:
    body = "“We will keep working for the return of every displaced family,” the OSCE Secretary General said.\n"
    # between Thomas Greminger (until 18 July 2020) and Helga Schmid (from December 2020)
    assert _statement(_record(ref, "1 September 2020", body)) == (None, "OSCE Secretary General", "after.role")
    assert _statement(_record(ref, "1 September 2019", body)) == ("Thomas Greminger", "OSCE Secretary General", "after.date")


def test_a_post_named_on_the_page_is_not_resolved_by_date(ref: ReferenceData) -> None:
    body = "Ann Linde, the OSCE Chairperson-in-Office, visited Kyiv.\n" + CIO_QUOTE
    record = _record(ref, "14 September 2021", body)
    speaker, role, rule = _statement(record)
    assert (speaker, role) == ("Ann Linde", None) and not rule.endswith(".date")
    assert record.items[0].resolved_persons == []


def test_a_bare_generic_title_is_not_resolved(ref: ReferenceData) -> None:
    assert resolvable_office("Chairperson", ref) is None
    assert resolvable_office("the Chairperson-in-Office", ref) is ref.offices["chairperson-in-office"]
    assert resolvable_office("CiO", ref) is ref.offices["chairperson-in-office"]
    assert resolvable_office("Head of Mission", ref) is None  # no such post in the table


# ----------------------------------------------------------------------------- links out


def test_states_partners_and_the_osce_link_to_wikidata(mapper: Mapper) -> None:
    g = rdflib_graph(mapper.map_reference())
    assert set(g.objects(URIRef(ID + "country/se"), OWL.sameAs)) == {URIRef("https://sws.geonames.org/2661886/"), WD.Q34}
    assert set(g.objects(URIRef(ID + "country/jp"), OWL.sameAs)) == {URIRef("https://sws.geonames.org/1861060/"), WD.Q17}
    assert set(g.objects(URIRef(ID + "org/osce"), OWL.sameAs)) == {WD.Q340195}
    states = set(g.subjects(RDF.type, OSCE.ParticipatingState)) | set(g.subjects(RDF.type, OSCE.PartnerForCooperation))
    linked = {s for s in states if any(str(o).startswith(str(WD)) for o in g.objects(s, OWL.sameAs))}
    assert linked == states and len(states) == 68


def test_a_person_with_name_and_post_of_a_row_links_to_wikidata(ref: ReferenceData, mapper: Mapper) -> None:
    body = "Frank-Walter Steinmeier, the OSCE Chairperson-in-Office, opened the conference.\n"
    g = rdflib_graph(mapper.map_page(_record(ref, "8 December 2016", body)))
    assert set(g.objects(URIRef(ID + "person/frank-walter-steinmeier"), OWL.sameAs)) == {WD.Q76658}


def test_a_person_resolved_by_date_links_to_wikidata(ref: ReferenceData, mapper: Mapper) -> None:
    g = rdflib_graph(mapper.map_page(_record(ref, "8 December 2016", CIO_QUOTE)))
    person = URIRef(ID + "person/frank-walter-steinmeier")
    assert set(g.subjects(SCHEMA.creator, person)) and set(g.objects(person, OWL.sameAs)) == {WD.Q76658}


def test_a_name_of_a_row_with_another_post_gets_no_link(ref: ReferenceData, mapper: Mapper) -> None:
    body = "Frank-Walter Steinmeier, Federal Minister for Foreign Affairs of Germany, opened the conference.\n"
    g = rdflib_graph(mapper.map_page(_record(ref, "8 December 2016", body)))
    person = URIRef(ID + "person/frank-walter-steinmeier")
    assert (person, SCHEMA.name, Literal("Frank-Walter Steinmeier")) in g
    assert list(g.objects(person, OWL.sameAs)) == []


def test_a_name_of_a_row_of_another_office_gets_no_link(tmp_path: Path) -> None:
    """Lamberto Zannier was Secretary General and later High Commissioner;
    with a (test) id on his High Commissioner row only, a page naming him
    Secretary General links him to nothing."""
    directory = _copy_tables(tmp_path)
    path = directory / "office_holders.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [
        line.replace(",2020-07,,month,,", ",2020-07,,month,Q99999999,") if line.startswith("high-commissioner-on-national-minorities,Lamberto Zannier") else line
        for line in lines
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ref = ReferenceData.load(directory)
    mapper = Mapper(ref, IriMinter())
    person = URIRef(ID + "person/lamberto-zannier")
    as_sg = rdflib_graph(mapper.map_page(_record(ref, "3 March 2015", "Lamberto Zannier, OSCE Secretary General, opened the meeting.\n")))
    assert (person, SCHEMA.jobTitle, Literal("OSCE Secretary General", lang="en")) in as_sg
    assert list(as_sg.objects(person, OWL.sameAs)) == []
    as_hcnm = rdflib_graph(mapper.map_page(
        _record(ref, "3 March 2018", "Lamberto Zannier, OSCE High Commissioner on National Minorities, opened the meeting.\n")
    ))
    assert set(as_hcnm.objects(person, OWL.sameAs)) == {WD.Q99999999}


# ----------------------------------------------------------------------------- posts and memberships


def test_the_table_gives_memberships_with_intervals(mapper: Mapper) -> None:
    g = rdflib_graph(mapper.map_reference())
    m = URIRef(mapper.membership_iri("Benita Ferrero-Waldner", "chairperson-in-office").value)
    person = URIRef(mapper.person_iri("Benita Ferrero-Waldner").value)
    assert (str(person), str(m)) == (ID + "person/benita-ferrero-waldner", ID + "membership/benita-ferrero-waldner-chairperson-in-office")
    interval = URIRef(f"{m}-2000-02".replace("/membership/", "/interval/"))
    begin, end = URIRef(ID + "instant/2000-02-29"), URIRef(ID + "instant/2000-12-31")
    expected = Graph()
    for triple in [
        (m, RDF.type, ORG.Membership),
        (m, ORG.member, person),
        (m, ORG.organization, URIRef(ID + "org/chairpersonship")),
        (m, OSCE.post, URIRef(ID + "post/chairperson-in-office")),
        (m, ORG.memberDuring, interval),
        (interval, RDF.type, TIME.Interval),
        (interval, TIME.hasBeginning, begin),
        (interval, TIME.hasEnd, end),
        (interval, OSCE.datePrecision, Literal("month")),
        (begin, RDF.type, TIME.Instant),
        (begin, TIME.inXSDDate, Literal(dt.date(2000, 2, 29), datatype=XSD.date)),
        (end, RDF.type, TIME.Instant),
        (end, TIME.inXSDDate, Literal(dt.date(2000, 12, 31), datatype=XSD.date)),
    ]:
        expected.add(triple)
    got = Graph()
    for s in (m, interval, begin, end):
        for p, o in g.predicate_objects(s):
            got.add((s, p, o))
    assert isomorphic(got, expected)
    assert (URIRef(ID + "post/chairperson-in-office"), ORG.heldBy, person) in g
    assert (URIRef(ID + "post/chairperson-in-office"), OSCE.singleHolder, Literal(True)) in g


def test_an_open_row_ends_on_the_day_it_was_checked(mapper: Mapper) -> None:
    g = rdflib_graph(mapper.map_reference())
    m = URIRef(mapper.membership_iri("Roberto Montella", "secretary-general-of-the-parliamentary-assembly").value)
    (interval,) = g.objects(m, ORG.memberDuring)
    assert (interval, OSCE.openEnded, Literal(True)) in g
    (end,) = g.objects(interval, TIME.hasEnd)
    assert (end, TIME.inXSDDate, Literal(dt.date(2025, 6, 30), datatype=XSD.date)) in g


def test_a_person_on_many_pages_has_one_membership_per_post(ref: ReferenceData, mapper: Mapper) -> None:
    body = "Anna Kovač, Head of the OSCE Mission to Serbia, opened the course.\n"
    pages = [_record(ref, d, body, key=f"p{n}.txt") for n, d in enumerate(["3 March 2021", "5 May 2022", "9 June 2023"])]
    pages.append(_record(ref, None, body, key="undated.txt"))
    ds = mapped_dataset(mapper, pages)
    union = Graph()
    for graph in ds.graphs():
        union += graph
    person = URIRef(mapper.person_iri("Anna Kovač").value)
    memberships = set(union.subjects(ORG.member, person))
    assert len(memberships) <= 1  # "Head of ..." is no post of offices.csv: no membership at all
    body = "Amira Haddad, Co-ordinator of OSCE Economic and Environmental Activities, opened the course.\n"
    pages = [_record(ref, d, body, key=f"q{n}.txt") for n, d in enumerate(["3 March 2021", "5 May 2022", "9 June 2023"])]
    pages.append(_record(ref, None, body, key="q-undated.txt"))
    ds = mapped_dataset(mapper, pages)
    union = Graph()
    for graph in ds.graphs():
        union += graph
    person = URIRef(mapper.person_iri("Amira Haddad").value)
    (m,) = set(union.subjects(ORG.member, person))
    assert m == URIRef(mapper.membership_iri("Amira Haddad", "co-ordinator-of-economic-and-environmental-activities").value)
    items = set(union.objects(m, PROV.wasDerivedFrom))
    dates = sorted(str(d) for i in items for d in union.objects(i, SCHEMA.datePublished))
    assert dates == ["2021-03-03", "2022-05-05", "2023-06-09"]  # the undated page is no evidence
    assert list(union.objects(m, ORG.memberDuring)) == []  # not in the table: no interval beyond the evidence
    assert validate_graph(union).conforms


def test_the_sparql_shapes_find_an_interval_out_of_order(mapper: Mapper) -> None:
    checker = _load_checker()
    g = rdflib_graph(mapper.map_reference())
    m = URIRef(mapper.membership_iri("Lamberto Zannier", "secretary-general").value)
    (interval,) = g.objects(m, ORG.memberDuring)
    g.remove((interval, TIME.hasEnd, None))
    g.add((interval, TIME.hasEnd, URIRef(ID + "instant/2010-01-01")))
    g.add((URIRef(ID + "instant/2010-01-01"), RDF.type, TIME.Instant))
    g.add((URIRef(ID + "instant/2010-01-01"), TIME.inXSDDate, Literal(dt.date(2010, 1, 1))))
    shapes = Graph().parse(REPO / "shapes" / "sparql" / "posts.ttl", format="turtle")
    report = validate_graph(g, shapes=shapes, ontology=Graph())
    assert [v.focus_node for v in report.violations] == [str(interval)]
    assert callable(checker.check_graph)


# ----------------------------------------------------------------------------- evaluation


def test_eval_counts_speakers_resolved_by_date_apart() -> None:
    report = evaluate([REPO / "tests" / "pages-real" / "r06-offices.gold.json"])
    (page,) = report.pages
    assert page.counts.statements_resolved_by_date == 1
    (resolved,) = [s for s in page.statements if s.rule and s.rule.endswith(".date")]
    assert (resolved.speaker, resolved.role, resolved.rule, resolved.attributed) == (
        "Angelino Alfano",
        "OSCE Chairperson-in-Office",
        "after.date",
        True,
    )
    assert resolved.gold_speaker is None  # the page names no one: the gold says so
    assert "Angelino Alfano" not in page.persons_extra
    text = report.format_text()
    assert "r06-offices: resolved by date: 'Dialogue must continue even when progress seems slow' (OSCE Chairperson-in-Office) -> Angelino Alfano [after.date]" in text


# ----------------------------------------------------------------------------- queries


@pytest.fixture(scope="module")
def offices_dataset(ref: ReferenceData, mapper: Mapper):
    from osce_kg.sources import read_sources

    folder = REPO / "tests" / "pages-offices"
    pages = [page for page in read_sources([folder]) if isinstance(page, SourcePage)]
    assert len(pages) == 4
    return mapped_dataset(mapper, [extract_page(page, ref) for page in pages])


def test_person_history_of_a_person_quoted_on_many_pages(offices_dataset) -> None:
    from osce_kg.sparql import get_query, run_query

    result = run_query(offices_dataset, get_query("person-history"), {"person": "schmid"})
    assert result.variables == (
        "name", "postLabel", "start", "end", "firstEvidence", "lastEvidence", "pages", "statements", "byDate", "person", "post",
    )
    assert [tuple(None if c is None else c.value for c in row) for row in result.rows] == [
        (
            "Helga Schmid", "Secretary General", "2020-12-31", "2024-09-01", "2021-04-12", "2022-11-08", "2", "3", "1",
            ID + "person/helga-schmid", ID + "post/secretary-general",
        )
    ]


def test_posts_query_lists_the_table_and_the_evidence(offices_dataset) -> None:
    from osce_kg.sparql import get_query, run_query

    result = run_query(offices_dataset, get_query("posts"), {"person": "schmid"})
    rows = [tuple(None if c is None else c.value for c in row[1:10]) for row in result.rows]
    assert rows == [("Secretary General", "Helga Schmid", "2020-12-31", "2024-09-01", "month", None, "2021-04-12", "2022-11-08", "2")]
    result = run_query(offices_dataset, get_query("posts"), {"post": "parliamentary assembly", "person": "montella"})
    rows = [tuple(None if c is None else c.value for c in row[1:10]) for row in result.rows]
    assert rows == [
        ("Secretary General of the OSCE Parliamentary Assembly", "Roberto Montella", "2016-01-01", "2025-06-30", "day", "true", None, None, None)
    ]
