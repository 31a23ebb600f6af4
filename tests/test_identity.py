"""Person identity across pages (issue 20): name keys, compatibility, the
decision of :func:`osce_kg.identity.resolve`, and whole builds of invented
pages: spelling and script variants are one node with one ``schema:name``,
two different given names stay two, IRIs stay put when a later page adds a
variant, memberships known only from pages get an evidence-based interval."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from osce_kg import BuildConfig, build
from osce_kg.identity import NameFolds, PersonIndex, compatible, resolve
from osce_kg.mapping import Mapper
from osce_kg.records import PersonMention
from osce_kg.reference import ReferenceData
from osce_kg.resources import reference_dir
from osce_kg.vocab import OSCE, SCHEMA, IriMinter

ID = "https://w3id.org/osce-kg/id/"
FOLDS = NameFolds.load()


# ---------------------------------------------------------------------- name keys
@pytest.mark.parametrize(
    ("variants", "key"),
    [
        # transliterations of one Russian name: English, German, French, ISO-like, Cyrillic
        (["Sergey Vasilyev", "Sergej Wassiljew", "Sergueï Vassiliev", "Sergei Vasiliev", "Сергей Васильев"], ("sergei", "vasilev")),
        # diacritics kept or dropped; Serbian Cyrillic -ич
        (["Dragan Vukotić", "Dragan Vukotic", "Драган Вукотич"], ("dragan", "vukotic")),
        # hyphens and German umlaut spellings
        (["Ole-Henrik Møller", "Ole Henrik Moeller", "Ole Henrik Moller"], ("ole", "henrik", "moler")),
        # Swedish soft c and a Russian transliteration of it
        (["Cecilia Falkenstam", "Сесилия Фалькенстам"], ("sesilia", "falkenstam")),
        # Ukrainian і, й; Polish w and ie
        (["Zbysław Krawiec", "Збислав Кравец"], ("zbislav", "kravec")),
    ],
)
def test_name_key_variants(variants: list[str], key: tuple[str, ...]) -> None:
    assert [FOLDS.key(v) for v in variants] == [key] * len(variants)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Ardit Lleshi", "Besim Lleshi", False),  # two given names that differ
        ("Lleshi", "Ardit Lleshi", True),  # a surname alone
        ("Anna Kovac", "Anna Maria Kovac", True),  # without the middle name
        ("Maria Kovac", "Anna Maria Kovac", True),  # the second given name alone
        ("A. Kovac", "Anna Kovac", True),  # an initial
        ("B. Kovac", "Anna Kovac", False),
        ("de Varenne", "Jean-Luc de Varenne", True),  # particle and surname
        ("Anna Kovac", "Anna Horvat", False),  # another surname
        ("Maria Anna Kovac", "Anna Maria Kovac", False),  # given names in another order
    ],
)
def test_compatible_names(a: str, b: str, expected: bool) -> None:
    assert compatible(FOLDS.key(a), FOLDS.key(b)) is expected


def test_has_given_name_ignores_particles_and_initials() -> None:
    assert FOLDS.has_given_name(FOLDS.key("Ardit Lleshi"))
    assert not FOLDS.has_given_name(FOLDS.key("de Varenne"))
    assert not FOLDS.has_given_name(FOLDS.key("A. Kovac"))


# ---------------------------------------------------------------------- resolve
def _mapper() -> Mapper:
    return Mapper(ReferenceData.load(), IriMinter())


def _mention(mapper: Mapper, name: str, language: str = "en", **kw: object) -> PersonMention:
    return PersonMention(mapper.person_iri(name).value, name, language, **kw)  # type: ignore[arg-type]


def test_resolve_merges_spellings_and_keeps_different_given_names_apart() -> None:
    mapper = _mapper()
    index = PersonIndex()
    index.add([_mention(mapper, "Sergey Vasilyev"), _mention(mapper, "Ardit Lleshi")])
    index.add([_mention(mapper, "Sergej Wassiljew", "de"), _mention(mapper, "Besim Lleshi", "de")])
    index.add([_mention(mapper, "Сергей Васильев", "ru")])
    resolution = resolve(index, mapper)
    vasilyev = resolution.target[mapper.person_iri("Sergey Vasilyev").value]
    assert resolution.target[mapper.person_iri("Сергей Васильев").value] == vasilyev
    assert resolution.target[mapper.person_iri("Sergej Wassiljew").value] == vasilyev
    person = resolution.persons[vasilyev]
    assert person.name == "Sergey Vasilyev"  # Latin, and written on an English page
    assert person.evidence == ("name:de-w+double+ie+j-y-i",)
    assert dict(person.forms) == {"Sergey Vasilyev": {"en"}, "Sergej Wassiljew": {"de"}, "Сергей Васильев": {"ru"}}
    ardit, besim = (resolution.target[mapper.person_iri(n).value] for n in ("Ardit Lleshi", "Besim Lleshi"))
    assert ardit != besim


def test_resolve_surname_alone_needs_evidence_and_one_candidate() -> None:
    mapper = _mapper()
    index = PersonIndex()
    aff = ID + "org/mission-to-serbia"
    index.add([_mention(mapper, "Ardit Lleshi", affiliations=(aff,))])
    index.add([_mention(mapper, "Besim Lleshi")])
    index.add([_mention(mapper, "Lleshi", affiliations=(aff,))])  # the same mission: Ardit
    index.add([_mention(mapper, "Horvat")])
    index.add([_mention(mapper, "Ivana Horvat")])  # nothing shared with "Horvat": stays apart
    resolution = resolve(index, mapper)
    t = {name: resolution.target[mapper.person_iri(name).value] for name in ("Ardit Lleshi", "Besim Lleshi", "Lleshi", "Horvat", "Ivana Horvat")}
    assert t["Lleshi"] == t["Ardit Lleshi"] != t["Besim Lleshi"]
    assert t["Horvat"] != t["Ivana Horvat"]
    assert resolution.persons[t["Ardit Lleshi"]].evidence == (f"affiliation:{aff}",)


def test_resolve_ambiguous_surname_stays_alone() -> None:
    mapper = _mapper()
    index = PersonIndex()
    aff = ID + "org/mission-to-serbia"
    index.add([_mention(mapper, "Ardit Lleshi", affiliations=(aff,))])
    index.add([_mention(mapper, "Besim Lleshi", affiliations=(aff,))])
    index.add([_mention(mapper, "Lleshi", affiliations=(aff,))])
    resolution = resolve(index, mapper)
    assert resolution.target[mapper.person_iri("Lleshi").value] == mapper.person_iri("Lleshi").value
    assert resolution.ambiguous == [{"names": ["Lleshi"], "candidates": ["Ardit Lleshi", "Besim Lleshi"]}]


def test_resolve_surname_dated_within_a_table_term_is_the_holder(tmp_path: Path) -> None:
    ref = _invented_table(tmp_path)
    mapper = Mapper(ReferenceData.load(ref), IriMinter())
    index = PersonIndex()
    index.add([_mention(mapper, "Talvenheimo", dates=("2041-03-02",))])
    index.add([_mention(mapper, "Talvenheimo", dates=("2047-03-02",))])  # another page, after the term
    resolution = resolve(index, mapper)
    # one IRI has both pages: one of its dates is out of the term, so no merge
    assert resolution.target[mapper.person_iri("Talvenheimo").value] == mapper.person_iri("Talvenheimo").value
    index = PersonIndex()
    index.add([_mention(mapper, "Talvenheimo", dates=("2041-03-02",))])
    resolution = resolve(index, mapper)
    holder = mapper.person_iri("Kaarina Talvenheimo").value
    assert resolution.target[mapper.person_iri("Talvenheimo").value] == holder
    assert resolution.persons[holder].name == "Kaarina Talvenheimo"
    assert resolution.persons[holder].evidence == ("table-term:secretary-general",)


def test_rewrite_names_the_person_once_and_keeps_the_page_form() -> None:
    mapper = _mapper()
    index = PersonIndex()
    index.add([_mention(mapper, "Sergey Vasilyev")])
    index.add([_mention(mapper, "Sergej Wassiljew", "de")])
    resolution = resolve(index, mapper)
    old = mapper.person_iri("Sergej Wassiljew").value
    new = mapper.person_iri("Sergey Vasilyev").value
    g = f"<{ID}graph/page-b-txt>"
    page = (
        f'<{old}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Person> {g} .\n'
        f'<{old}> <https://schema.org/name> "Sergej Wassiljew" {g} .\n'
        f'<{ID}statement/x> <https://schema.org/creator> <{old}> {g} .\n'
    ).encode()
    out = resolution.rewrite(page, {old: "de"})
    assert out is not None
    assert set(out.decode().splitlines()) == {
        f'<{new}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Person> {g} .',
        f'<{ID}statement/x> <https://schema.org/creator> <{new}> {g} .',
        f'<{new}> <https://schema.org/name> "Sergey Vasilyev" {g} .',
        f'<{new}> <https://schema.org/alternateName> "Sergej Wassiljew"@de {g} .',
    }
    # a page that writes the person's name as the person's IRI does: nothing to rewrite
    plain = f'<{new}> <https://schema.org/name> "Sergey Vasilyev" {g} .\n'.encode()
    assert resolution.rewrite(plain, {new: "en"}) is None


def _invented_table(tmp_path: Path) -> Path:
    """A copy of the reference tables whose office-holder table has one
    invented Secretary General (2040-2045)."""
    ref = tmp_path / "reference"
    shutil.copytree(reference_dir(), ref)
    rows = (ref / "office_holders.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0]
    columns = header.split(",")
    row = dict.fromkeys(columns, "")
    row.update(post="secretary-general", name="Kaarina Talvenheimo", start="2040-07-01", end="2045-06-30", precision="day",
               source="https://example.org/invented-list")
    (ref / "office_holders.csv").write_text(header + "\n" + ",".join(row[c] for c in columns) + "\n", encoding="utf-8")
    return ref


# ---------------------------------------------------------------------- whole builds
PAGE = """Newsroom
{headline}
Publishing date: {date}
Content type: Press release
Where we are: OSCE Mission to Serbia
What we do: Media freedom and development
{body}
"""

PAGE_EN = PAGE.format(
    headline="Mission hosts regional media forum", date="4 April 2023",
    body='"Free media need safe journalists," said Sergey Vasilyev, Ambassador of the Russian Federation, at the forum held in Belgrade on 4 April 2023.',
)
PAGE_DE = """Newsroom
Regionales Medienforum in Belgrad
Publishing date: 5 April 2023
Content type: Press release
Where we are: OSCE Mission to Serbia
What we do: Media freedom and development
„Freie Medien brauchen sichere Journalisten“, sagte Sergej Wassiljew am Mittwoch in Belgrad. Das Forum der Mission fand in der serbischen Hauptstadt statt und brachte Journalisten aus der ganzen Region zusammen.
"""
PAGE_LLESHI_A = PAGE.format(
    headline="Mission supports police training", date="6 June 2023",
    body='"Training builds trust," said Ardit Lleshi, Head of the OSCE Mission to Serbia.',
)
PAGE_LLESHI_B = PAGE.format(
    headline="Municipal officials meet in Niš", date="7 June 2023",
    body='"Local government is where trust begins," said Besim Lleshi, a municipal official from Niš.',
)


def _build(tmp_path: Path, pages: dict[str, str], out: str = "out", reference: Path | None = None):  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for name, text in pages.items():
        (src / name).write_text(text, encoding="utf-8")
    config = BuildConfig.of([src], output=tmp_path / out, reference=reference) if reference else BuildConfig.of([src], output=tmp_path / out)
    return build(config)


def _persons(result) -> dict[URIRef, tuple[set[Literal], set[Literal]]]:  # type: ignore[no-untyped-def]
    g = result.dataset
    found: dict[URIRef, tuple[set[Literal], set[Literal]]] = {}
    for s, _, _, c in g.quads((None, RDF.type, SCHEMA.Person, None)):
        if str(getattr(c, "identifier", c)).endswith("/graph/reference"):
            continue
        names = {o for _, _, o, _ in g.quads((s, SCHEMA.name, None, None))}
        alternates = {o for _, _, o, _ in g.quads((s, SCHEMA.alternateName, None, None))}
        found[s] = (names, alternates)
    return found


def test_one_person_across_languages_and_scripts(tmp_path: Path) -> None:
    result = _build(tmp_path, {"a.txt": PAGE_EN, "b.txt": PAGE_DE})
    assert result.report.conforms, result.report.summary()
    persons = _persons(result)
    person = URIRef(ID + "person/sergey-vasilyev")
    assert persons[person] == ({Literal("Sergey Vasilyev")}, {Literal("Sergej Wassiljew", lang="de")})
    assert URIRef(ID + "person/sergej-wassiljew") not in persons
    # the German page's graph keeps what that page said, on the one IRI
    g = result.dataset
    graph = URIRef(ID + "graph/page-b-txt")
    assert (person, SCHEMA.alternateName, Literal("Sergej Wassiljew", lang="de"), graph) in set(g.quads((person, None, None, graph)))
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    merged = [m for m in report["persons"]["merged"] if m["person"] == str(person)]
    assert merged == [{"person": str(person), "name": "Sergey Vasilyev", "names": ["Sergej Wassiljew", "Sergey Vasilyev"], "evidence": ["name:de-w+double+ie+j-y-i"]}]


def test_two_given_names_stay_two_persons(tmp_path: Path) -> None:
    result = _build(tmp_path, {"a.txt": PAGE_LLESHI_A, "b.txt": PAGE_LLESHI_B})
    persons = _persons(result)
    assert {str(n) for names, _ in persons.values() for n in names} >= {"Ardit Lleshi", "Besim Lleshi"}
    assert URIRef(ID + "person/ardit-lleshi") in persons and URIRef(ID + "person/besim-lleshi") in persons


def test_iri_stays_when_a_later_page_adds_a_variant(tmp_path: Path) -> None:
    first = PAGE.format(headline="Mission opens a media centre", date="2 May 2023",
                        body='"Journalists need a safe place to work," said Dragan Vukotic, Head of the OSCE Mission to Serbia.')
    later = PAGE.format(headline="Mission opens a second media centre", date="9 May 2023",
                        body='"A second centre was needed," said Dragan Vukotić, Head of the OSCE Mission to Serbia.')
    _build(tmp_path, {"a.txt": first})
    result = _build(tmp_path, {"b.txt": later})
    persons = _persons(result)
    person = URIRef(ID + "person/dragan-vukotic")
    # the fuller form (with its diacritics) is now the name; the IRI the first release gave stays
    assert persons == {person: ({Literal("Dragan Vukotić")}, {Literal("Dragan Vukotic", lang="en")})}
    # the change set shows the new form on the same IRI, no new person
    added = (tmp_path / "out" / "current" / "changes" / "added.nq").read_text(encoding="utf-8")
    assert f'<{person}> <https://schema.org/name> "Dragan Vukotić"' in added
    assert f'<{person}> <https://schema.org/alternateName> "Dragan Vukotic"@en' in added
    assert "/person/dragan-vukotic-" not in added


def test_membership_known_only_from_pages_has_an_evidence_interval(tmp_path: Path) -> None:
    a = PAGE.format(headline="Mission marks press freedom day", date="3 May 2023",
                    body='"Press freedom is a commitment," said Lejla Hadžić, Co-ordinator of OSCE Economic and Environmental Activities.')
    b = PAGE.format(headline="Mission closes media week", date="12 October 2023",
                    body='"This week showed what journalists achieve," said Lejla Hadžić, Co-ordinator of OSCE Economic and Environmental Activities.')
    result = _build(tmp_path, {"a.txt": a, "b.txt": b})
    assert result.report.conforms, result.report.summary()
    g = result.dataset
    intervals = [(m, i) for m, _, i, _ in g.quads((None, URIRef("http://www.w3.org/ns/org#memberDuring"), None, None))
                 if str(i).endswith("-evidence")]
    assert [str(m) for m, _ in intervals] == [ID + "membership/lejla-hadzic-5e61fd-co-ordinator-of-economic-and-environmental-activities"]
    interval = intervals[0][1]

    def value(s: URIRef, p: URIRef) -> object:
        (found,) = {o for _, _, o, _ in g.quads((s, p, None, None))}
        return found

    time = "http://www.w3.org/2006/time#"
    begin = value(value(interval, URIRef(time + "hasBeginning")), URIRef(time + "inXSDDate"))  # type: ignore[arg-type]
    end = value(value(interval, URIRef(time + "hasEnd")), URIRef(time + "inXSDDate"))  # type: ignore[arg-type]
    assert (str(begin), str(end)) == ("2023-05-03", "2023-10-12")
    assert value(interval, OSCE.evidenceBased) == Literal(True)
    # in the identity graph: no page states it
    assert {str(getattr(c, "identifier", c)) for _, _, _, c in g.quads((interval, None, None, None))} == {ID + "graph/identity"}


def test_cached_pages_resolve_their_persons_the_same(tmp_path: Path) -> None:
    """The persons of a page come from the cache with its graph: a build
    from the cache merges the same names as the first."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(PAGE_EN, encoding="utf-8")
    (src / "b.txt").write_text(PAGE_DE, encoding="utf-8")
    first = build(BuildConfig.of([src], output=tmp_path / "one", cache=tmp_path / "cache"))
    again = build(BuildConfig.of([src], output=tmp_path / "two", cache=tmp_path / "cache"))
    assert again.cached == 2
    assert first.persons["merged"] == again.persons["merged"] != []
    assert (tmp_path / "one" / "osce-kg.nq").read_bytes() == (tmp_path / "two" / "osce-kg.nq").read_bytes()
