"""Facts that span pages: one node per person across the build, datelines
with several places (issue 3, points 2 and 4)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from tests._build_support import build_pages
from osce_kg import BuildConfig, build
from osce_kg.vocab import OSCE, SCHEMA

ID = "https://w3id.org/osce-kg/id/"

PAGE_A = """Newsroom
OSCE Mission to Serbia opens regional media conference
Publishing date: 3 March 2023
Content type: News
Where we are: OSCE Mission to Serbia
What we do: Media freedom and development
VIENNA/WARSAW, 3 March 2023 – Journalists from the region met at a conference held in Belgrade on 2 March 2023.
"Free media need safe journalists, in every country of our region," said Ambassador Dragana Petrović, Head of the OSCE Mission to Serbia.
"""

PAGE_B = """Newsroom
Head of OSCE Mission to Serbia visits Novi Sad
Publishing date: 9 May 2023
Content type: News
Where we are: OSCE Mission to Serbia
What we do: Democratization
The Head of the OSCE Mission to Serbia, Dragana Petrović, visited local authorities in Novi Sad.
"Local democracy is where trust in institutions is built every single day," Petrović said.
"""


def test_same_person_on_two_pages_is_one_node(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (src / "b.txt").write_text(PAGE_B, encoding="utf-8")
    result = build(BuildConfig.of([src], output=tmp_path / "out"))
    assert result.report.conforms, result.report.summary()
    g = result.dataset
    person = URIRef(ID + "person/dragana-petrovic-eeabe9")
    # the reference graph holds the persons of the office-holder table
    persons = {s for s, _, _, c in g.quads((None, RDF.type, SCHEMA.Person, None)) if not str(getattr(c, "identifier", c)).endswith("/graph/reference")}
    assert persons == {person}
    creators = {o for _, _, o, _ in g.quads((None, SCHEMA.creator, None, None))}
    assert creators == {person}
    # both pages' named graphs state the person: provenance of each mention
    graphs = {str(c.identifier) if hasattr(c, "identifier") else str(c) for _, _, _, c in g.quads((person, SCHEMA.name, None, None))}
    assert graphs == {ID + "graph/page-a-txt", ID + "graph/page-b-txt"}
    honorifics = {o for _, _, o, _ in g.quads((person, SCHEMA.honorificPrefix, None, None))}
    assert honorifics == {Literal("Ambassador")}
    titles = {str(o) for _, _, o, _ in g.quads((person, SCHEMA.jobTitle, None, None))}
    assert titles == {"Head of the OSCE Mission to Serbia"}


def test_dateline_with_two_places_takes_the_first(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text(PAGE_A, encoding="utf-8")
    _dataset, records, _skipped, _warnings = build_pages([page])
    item = records[0].items[0]
    assert item.dateline_place is not None and item.dateline_place.name == "Vienna"
    assert item.dateline_place.country == "AT"
    # the body says the meeting was in Belgrade: the dateline is not its place
    assert [m.place.name for m in item.meetings if m.place] == ["Belgrade"]


MEETING_PAGE = """Newsroom
{title}
Publishing date: {published}
Content type: News
Where we are: OSCE Mission to Serbia
What we do: Policing
Police officers met at the Regional Conference on Community Policing held in Belgrade {dates}.
"""


def test_pages_that_disagree_on_a_shared_node_fail_the_cross_page_check(tmp_path: Path) -> None:
    """Each page conforms alone; merged, the meeting has two end dates."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(MEETING_PAGE.format(title="Conference opens", published="3 March 2023", dates="from 1 to 2 March 2023"), encoding="utf-8")
    (src / "b.txt").write_text(MEETING_PAGE.format(title="Conference closes", published="4 March 2023", dates="from 1 to 3 March 2023"), encoding="utf-8")
    result = build(BuildConfig.of([src], output=tmp_path / "out"))
    assert all(page.conforms for page in result.pages)
    assert not result.report.conforms and result.exit_code == 1
    [violation] = result.report.violations
    assert violation.focus_node == ID + "meeting/2023-03-01-regional-conference-on-community-policing"
    assert violation.path == str(SCHEMA.endDate)
    assert "merged from several pages" in violation.message
