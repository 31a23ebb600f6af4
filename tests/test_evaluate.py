"""The evaluation against gold files (issue 3, point 7): the targets on the
dev corpus and the seed, the matching rules on tiny graphs, gold discovery,
the report and the ``eval`` command.

Data: ``tests/corpus-dev`` (the development corpus and its gold format, see
its README); the small pages are written inline below.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from osce_kg.cli import main
from osce_kg.errors import SourceError, UsageError
from osce_kg.evaluate import (
    Counts,
    EvalReport,
    GoldPage,
    PageResult,
    evaluate,
    evaluate_graph,
    find_gold_pages,
    normalise_text,
)
from osce_kg.vocab import OSCE, SCHEMA

# the development corpus kept in the repository (tests/corpus-dev/README.md)
DEV_CORPUS = Path(__file__).resolve().parent / "corpus-dev"
ID = "https://w3id.org/osce-kg/id/"

needs_corpus = pytest.mark.skipif(
    not (DEV_CORPUS / "00-seed.gold.json").is_file(),
    reason=f"the shared dev corpus is not checked out beside the repository ({DEV_CORPUS})",
)


# --------------------------------------------------------------------------- dev corpus + seed


@pytest.fixture(scope="module")
def dev_report() -> EvalReport:
    return evaluate([DEV_CORPUS])


@needs_corpus
def test_dev_corpus_includes_the_seed_and_every_page(dev_report: EvalReport) -> None:
    names = [p.name for p in dev_report.pages]
    golds = sorted(p.name[: -len(".gold.json")] for p in DEV_CORPUS.glob("*.gold.json"))
    assert names == golds
    seed = next(p for p in dev_report.pages if p.name == "00-seed")
    assert seed.page.name == "000_c1c7cd6cd095379c.txt"
    assert all(p.error is None for p in dev_report.pages), dev_report.format_text()


@needs_corpus
def test_dev_every_gold_statement_found(dev_report: EvalReport) -> None:
    total = dev_report.total
    assert total.statements_gold >= 14
    assert total.statements_found == total.statements_gold, dev_report.format_text()


@needs_corpus
def test_dev_attribution_at_least_95_percent(dev_report: EvalReport) -> None:
    assert dev_report.total.attribution_rate >= 0.95, dev_report.format_text()


@needs_corpus
def test_dev_precision_at_least_95_percent(dev_report: EvalReport) -> None:
    assert dev_report.total.precision >= 0.95, dev_report.format_text()


@needs_corpus
def test_dev_persons_at_least_90_percent_and_at_most_one_extra(dev_report: EvalReport) -> None:
    total = dev_report.total
    assert total.persons_rate >= 0.90, dev_report.format_text()
    assert total.persons_extra <= 1, dev_report.format_text()


@needs_corpus
def test_dev_meetings_at_least_80_percent(dev_report: EvalReport) -> None:
    assert dev_report.total.meetings_rate >= 0.80, dev_report.format_text()


@needs_corpus
def test_dev_every_item_headline_and_date_right(dev_report: EvalReport) -> None:
    total = dev_report.total
    assert total.items_gold >= 9
    assert total.items_headline_date_right == total.items_gold, dev_report.format_text()


@needs_corpus
def test_dev_thresholds_of_the_issue_are_met(dev_report: EvalReport) -> None:
    assert dev_report.check(found=1.0, attribution=0.95, precision=0.95, persons=0.90, meetings=0.80) == []


# --------------------------------------------------------------------------- matching on tiny graphs


def _gold(**data: Any) -> GoldPage:
    data.setdefault("document", {"headline": "H", "datePublished": None})
    return GoldPage(Path("t.gold.json"), Path("t.txt"), data)


class _G:
    """Builds a tiny page graph with the terms of the ontology contract."""

    def __init__(self) -> None:
        self.g = Graph()
        self.n = 0

    def _iri(self, kind: str) -> URIRef:
        self.n += 1
        return URIRef(f"{ID}{kind}/{self.n}")

    def person(self, name: str) -> URIRef:
        p = URIRef(f"{ID}person/{normalise_text(name).replace(' ', '-').lower()}")
        self.g.add((p, RDF.type, SCHEMA.Person))
        self.g.add((p, SCHEMA.name, Literal(name)))
        return p

    def statement(self, text: str, *speakers: str, role: str | None = None) -> URIRef:
        st = self._iri("statement")
        self.g.add((st, RDF.type, OSCE.Statement))
        self.g.add((st, SCHEMA.text, Literal(text, lang="en")))
        for name in speakers:
            self.g.add((st, SCHEMA.creator, self.person(name)))
        if role:
            self.g.add((st, OSCE.speakerRole, Literal(role, lang="en")))
        return st

    def item(self, headline: str, date: str | None = None, content_type: str | None = None) -> URIRef:
        item = self._iri("item")
        self.g.add((item, RDF.type, OSCE.NewsItem))
        self.g.add((item, SCHEMA.headline, Literal(headline, lang="en")))
        if date:
            self.g.add((item, SCHEMA.datePublished, Literal(date, datatype=XSD.date)))
        if content_type:
            self.g.add((item, OSCE.contentType, Literal(content_type)))
        return item

    def meeting(self, start: str | None, end: str | None = None, place: str | None = None) -> URIRef:
        m = self._iri("meeting")
        self.g.add((m, RDF.type, OSCE.Meeting))
        if start:
            self.g.add((m, SCHEMA.startDate, Literal(start, datatype=XSD.date)))
        if end:
            self.g.add((m, SCHEMA.endDate, Literal(end, datatype=XSD.date)))
        if place:
            loc = BNode()
            self.g.add((m, SCHEMA.location, loc))
            self.g.add((loc, RDF.type, SCHEMA.Place))
            self.g.add((loc, SCHEMA.name, Literal(place, lang="en")))
        return m


def _statements(gold: list[dict[str, Any]], g: _G) -> PageResult:
    return evaluate_graph(_gold(statements=gold), g.g)


def test_right_speaker_is_found_and_attributed() -> None:
    g = _G()
    g.statement("We must act now, and together.", "Ana Rusu")
    result = _statements([{"speaker": "Ana Rusu", "text": "We must act now"}], g)
    c = result.counts
    assert (c.statements_gold, c.statements_found, c.statements_attributed, c.statements_spurious) == (1, 1, 1, 0)
    assert result.statements[0].speaker == "Ana Rusu"


def test_wrong_speaker_counts_as_found_but_not_attributed() -> None:
    g = _G()
    g.statement("We must act now, and together.", "Stefan Keller")
    result = _statements([{"speaker": "Ana Rusu", "text": "We must act now"}], g)
    c = result.counts
    assert (c.statements_found, c.statements_attributed, c.statements_spurious) == (1, 0, 0)
    assert result.statements[0].speaker == "Stefan Keller"
    # precision is right / (found + spurious): a wrong speaker counts against it
    assert c.attribution_rate == 0.0 and c.found_rate == 1.0 and c.precision == 0.0


def test_missing_speaker_is_not_attributed() -> None:
    g = _G()
    g.statement("We must act now.")
    result = _statements([{"speaker": "Ana Rusu", "text": "We must act now"}], g)
    assert (result.counts.statements_found, result.counts.statements_attributed) == (1, 0)


def test_two_creators_are_not_the_right_attribution() -> None:
    g = _G()
    g.statement("We must act now.", "Ana Rusu", "Stefan Keller")
    result = _statements([{"speaker": "Ana Rusu", "text": "We must act now"}], g)
    assert (result.counts.statements_found, result.counts.statements_attributed) == (1, 0)


def test_null_gold_speaker_requires_no_creator_and_the_role() -> None:
    gold = [{"speaker": None, "speakerRole": "OSCE Secretary General", "text": "No country can claim"}]
    right = _G()
    right.statement("No country can claim to be free of it.", role="OSCE Secretary General")
    invented = _G()
    invented.statement("No country can claim to be free of it.", "OSCE Secretary General", role="OSCE Secretary General")
    no_role = _G()
    no_role.statement("No country can claim to be free of it.")
    other_role = _G()
    other_role.statement("No country can claim to be free of it.", role="Secretary General")
    assert _statements(gold, right).counts.statements_attributed == 1
    assert _statements(gold, invented).counts.statements_attributed == 0
    assert _statements(gold, no_role).counts.statements_attributed == 0
    assert _statements(gold, other_role).counts.statements_attributed == 0
    assert all(_statements(gold, g).counts.statements_found == 1 for g in (right, invented, no_role, other_role))


def test_null_gold_speaker_without_role_only_forbids_a_creator() -> None:
    g = _G()
    g.statement("No country can claim to be free of it.", role="Minister")
    assert _statements([{"speaker": None, "text": "No country can claim"}], g).counts.statements_attributed == 1


def test_text_is_matched_after_normalising_quotes_and_white_space() -> None:
    g = _G()
    g.statement("When we say ‘never again’,\n we  must mean it – for “everyone”.", "Lucia Ferrante")
    gold = [{"speaker": "Lucia Ferrante", "text": "When we say 'never again', we must mean it – for \"everyone\""}]
    assert _statements(gold, g).counts.statements_attributed == 1
    assert normalise_text("„a“  «b»\u00a0‚c‘") == "\"a\" \"b\" 'c'"


def test_text_match_is_on_the_opening_words_contained_not_equal() -> None:
    g = _G()
    g.statement("Borders should connect our societies, not divide them.", "Tomasz Wierzbicki")
    found = _statements([{"speaker": "Tomasz Wierzbicki", "text": "connect our societies"}], g)
    missing = _statements([{"speaker": "Tomasz Wierzbicki", "text": "Borders should unite our societies"}], g)
    assert found.counts.statements_found == 1
    assert (missing.counts.statements_found, missing.counts.statements_spurious) == (0, 1)
    assert missing.spurious == ["Borders should connect our societies, not divide them."]


def test_statement_matching_no_gold_one_is_spurious() -> None:
    g = _G()
    g.statement("We must act now.", "Ana Rusu")
    g.statement("Safe Borders")
    result = _statements([{"speaker": "Ana Rusu", "text": "We must act now"}], g)
    assert (result.counts.statements_graph, result.counts.statements_spurious) == (2, 1)
    assert result.spurious == ["Safe Borders"]
    assert result.counts.precision == 0.5


def test_matching_is_one_to_one() -> None:
    merged = _G()
    merged.statement("First part of the quote. Second part of the quote.", "Ana Rusu")
    gold = [{"speaker": "Ana Rusu", "text": "First part"}, {"speaker": "Ana Rusu", "text": "Second part"}]
    result = _statements(gold, merged)
    assert (result.counts.statements_found, result.counts.statements_spurious) == (1, 0)
    duplicated = _G()
    duplicated.statement("We must act now.", "Ana Rusu")
    duplicated.statement("We must act now.", "Ana Rusu")
    result = _statements([{"speaker": "Ana Rusu", "text": "We must act now"}], duplicated)
    assert (result.counts.statements_found, result.counts.statements_spurious) == (1, 1)


def test_rightly_attributed_candidate_is_preferred() -> None:
    g = _G()
    g.statement("We must act now, said the first.", "Stefan Keller")
    g.statement("We must act now, said the second.", "Ana Rusu")
    result = _statements([{"speaker": "Ana Rusu", "text": "We must act now"}], g)
    assert (result.counts.statements_attributed, result.counts.statements_spurious) == (1, 1)


def test_persons_found_and_extra() -> None:
    g = _G()
    g.person("Ana Rusu")
    g.person("Chairman-in-Office")
    result = evaluate_graph(_gold(persons=[{"name": "Ana Rusu"}, {"name": "Stefan Keller"}]), g.g)
    assert (result.counts.persons_gold, result.counts.persons_found, result.counts.persons_extra) == (2, 1, 1)
    assert result.persons_missing == ["Stefan Keller"]
    assert result.persons_extra == ["Chairman-in-Office"]


def test_item_right_needs_headline_date_and_content_type() -> None:
    doc = {"headline": "OSCE trains journalists", "datePublished": "2022-09-21", "contentType": "News"}
    cases = {
        ("OSCE trains journalists", "2022-09-21", "News"): True,
        ("OSCE trains journalists", None, "News"): False,
        ("OSCE trains journalists", "2022-09-20", "News"): False,
        ("OSCE trains journalists", "2022-09-21", "Press release"): False,
        ("OSCE trains journalist", "2022-09-21", "News"): False,
    }
    for (headline, date, ctype), right in cases.items():
        g = _G()
        g.item(headline, date, ctype)
        result = evaluate_graph(_gold(document=doc), g.g)
        assert result.counts.items_right == int(right), (headline, date, ctype)
        assert result.counts.items_headline_date_right == int(ctype is not None and headline == doc["headline"] and date == doc["datePublished"])


def test_item_null_date_means_no_date_in_the_graph() -> None:
    doc = {"headline": "New tools", "datePublished": None}
    dated, undated = _G(), _G()
    dated.item("New tools", "2021-10-07")
    undated.item("New tools")
    assert evaluate_graph(_gold(document=doc), dated.g).counts.items_right == 0
    assert evaluate_graph(_gold(document=doc), undated.g).counts.items_right == 1


def test_item_content_type_checked_only_when_the_gold_has_the_key() -> None:
    g = _G()
    g.item("Mirror page", "2011-02-04", "News")
    without_key = {"headline": "Mirror page", "datePublished": "2011-02-04"}
    null_type = {**without_key, "contentType": None}
    assert evaluate_graph(_gold(document=without_key), g.g).counts.items_right == 1
    assert evaluate_graph(_gold(document=null_type), g.g).counts.items_right == 0


def test_listing_page_documents_each_need_their_item() -> None:
    g = _G()
    g.item("First", "2020-06-12", "Press release")
    g.item("Second", "2020-06-10", "News")
    docs = [
        {"headline": "First", "datePublished": "2020-06-12", "contentType": "Press release"},
        {"headline": "Second", "datePublished": "2020-06-10", "contentType": "News"},
        {"headline": "Third", "datePublished": "2020-06-09"},
    ]
    result = evaluate_graph(GoldPage(Path("x.gold.json"), Path("x.txt"), {"documents": docs}), g.g)
    assert (result.counts.items_gold, result.counts.items_right) == (3, 2)
    assert [i.headline_found for i in result.items] == [True, True, False]


@pytest.mark.parametrize(
    ("graph_meeting", "right"),
    [
        (("2019-05-14", "2019-05-15", "Dushanbe"), True),
        (("2019-05-14", None, "Dushanbe"), False),
        (("2019-05-13", "2019-05-15", "Dushanbe"), False),
        (("2019-05-14", "2019-05-15", "Tajikistan"), False),
        (("2019-05-14", "2019-05-15", None), False),
    ],
)
def test_meeting_right_needs_dates_and_place(graph_meeting: tuple, right: bool) -> None:
    g = _G()
    g.meeting(*graph_meeting)
    gold = _gold(meetings=[{"name": "conference", "startDate": "2019-05-14", "endDate": "2019-05-15", "location": "Dushanbe"}])
    assert evaluate_graph(gold, g.g).counts.meetings_right == int(right)


@pytest.mark.parametrize(("end", "right"), [(None, True), ("2021-10-07", True), ("2021-10-08", False)])
def test_meeting_without_gold_end_date(end: str | None, right: bool) -> None:
    g = _G()
    g.meeting("2021-10-07", end, "Vienna")
    gold = _gold(meetings=[{"name": "APEM", "startDate": "2021-10-07", "location": "Vienna"}])
    assert evaluate_graph(gold, g.g).counts.meetings_right == int(right)


def test_one_graph_meeting_answers_one_gold_meeting() -> None:
    g = _G()
    g.meeting("2021-10-07", None, "Vienna")
    m = {"name": "APEM", "startDate": "2021-10-07", "location": "Vienna"}
    result = evaluate_graph(_gold(meetings=[m, {**m, "name": "APEM again"}]), g.g)
    assert (result.counts.meetings_gold, result.counts.meetings_right) == (2, 1)


# --------------------------------------------------------------------------- counts and report


def test_counts_add_up_and_rates_over_nothing_are_none() -> None:
    a = Counts(statements_gold=2, statements_found=2, statements_attributed=1, statements_graph=2)
    b = Counts(statements_gold=2, statements_found=1, statements_attributed=1, statements_graph=2, statements_spurious=1)
    total = a + b
    assert (total.statements_gold, total.statements_found, total.statements_attributed) == (4, 3, 2)
    assert total.found_rate == 0.75 and total.attribution_rate == 0.5 and total.precision == 0.5
    empty = Counts()
    assert empty.found_rate is None and empty.precision is None and empty.meetings_rate is None


def test_check_reports_thresholds_not_met() -> None:
    page = PageResult("p", Path("p.txt"), Path("p.gold.json"), Counts(statements_gold=4, statements_found=4, statements_attributed=3, statements_graph=4))
    report = EvalReport([page])
    assert report.check(found=1.0, attribution=0.75, precision=0.5, persons=1.0, meetings=0.8) == []
    failures = report.check(attribution=0.95, found=None)
    assert len(failures) == 1 and failures[0].startswith("attribution: 75%")
    with pytest.raises(UsageError):
        report.check(recall=0.5)
    with pytest.raises(UsageError):
        report.check(found=95)


def test_text_table_and_json() -> None:
    g = _G()
    g.statement("We must act now.", "Stefan Keller")
    g.person("Stefan Keller")
    g.item("H")
    result = evaluate_graph(_gold(statements=[{"speaker": "Ana Rusu", "text": "We must act now"}], persons=[{"name": "Ana Rusu"}]), g.g)
    report = EvalReport([result])
    text = report.format_text()
    lines = text.splitlines()
    assert lines[1].split() == ["page", "found", "attributed", "spurious", "found", "extra", "right", "right"]
    assert lines[3].split() == ["t", "1/1", "100%", "0/1", "0%", "0/1", "0%", "0/1", "0%", "1", "1/1", "100%", "0/0", "-"]
    assert lines[5].split()[0] == "total"
    assert len(lines[1]) == len(lines[3]) == len(lines[5])  # aligned columns
    assert "t: statement 'We must act now': speaker Stefan Keller, expected Ana Rusu" in text
    assert "t: person not found: Ana Rusu" in text and "t: extra person: Stefan Keller" in text
    data = json.loads(report.to_json())
    assert data["total"]["statements_found"] == 1 and data["total"]["attribution_rate"] == 0.0
    assert data["pages"][0]["statements"][0] == {
        "gold_text": "We must act now",
        "gold_speaker": "Ana Rusu",
        "gold_role": None,
        "found": True,
        "attributed": False,
        "text": "We must act now.",
        "speaker": "Stefan Keller",
        "role": None,
        "rule": None,  # the hand-made graph records no rule
    }


# --------------------------------------------------------------------------- gold discovery and whole runs

PAGE = """Newsroom
OSCE Mission to Serbia opens legal aid centre
Publishing date: 19 September 2019
Content type: News
Where we are: OSCE Mission to Serbia
What we do: Rule of law
Ms. Helena Brandt, Deputy Head of the OSCE Mission to Serbia, today opened a legal aid centre.
“Access to justice should not depend on the size of one’s wallet,” Ms. Brandt said.
"""

GOLD = {
    "document": {"contentType": "News", "headline": "OSCE Mission to Serbia opens legal aid centre", "datePublished": "2019-09-19"},
    "meetings": [],
    "persons": [{"name": "Helena Brandt"}],
    "statements": [{"speaker": "Helena Brandt", "text": "Access to justice should not depend"}],
}


def _write(folder: Path, name: str, gold: dict[str, Any] | None = GOLD, page: str | None = PAGE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if page is not None:
        (folder / f"{name}.txt").write_text(page, encoding="utf-8")
    if gold is not None:
        (folder / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder / f"{name}.txt"


def test_folder_page_and_gold_file_all_name_the_same_pair(tmp_path: Path) -> None:
    page = _write(tmp_path, "a")
    by_folder = find_gold_pages([tmp_path])
    by_page = find_gold_pages([page])
    by_gold = find_gold_pages([tmp_path / "a.gold.json"])
    assert [(p.gold_path, p.page_path) for p in by_folder] == [(tmp_path / "a.gold.json", page)]
    assert by_page[0].page_path == by_folder[0].page_path == by_gold[0].page_path
    assert len(find_gold_pages([tmp_path, page])) == 1


def test_gold_source_field_points_at_a_page_elsewhere(tmp_path: Path) -> None:
    page = _write(tmp_path / "seeds", "000_x", gold=None)
    _write(tmp_path / "corpus" / "dev", "00-seed", gold={**GOLD, "source": "../../seeds/000_x.txt"}, page=None)
    pages = find_gold_pages([tmp_path / "corpus" / "dev"])
    assert [p.name for p in pages] == ["00-seed"]
    assert pages[0].page_path == page.resolve()
    report = evaluate([tmp_path / "corpus" / "dev"])
    assert report.total.statements_found == 1


def test_gold_discovery_errors(tmp_path: Path) -> None:
    page = _write(tmp_path / "nogold", "b", gold=None)
    with pytest.raises(UsageError, match="no gold file"):
        find_gold_pages([page])
    _write(tmp_path / "nopage", "c", page=None)
    with pytest.raises(UsageError, match="no page"):
        find_gold_pages([tmp_path / "nopage"])
    with pytest.raises(UsageError, match="no such file"):
        find_gold_pages([tmp_path / "missing"])
    with pytest.raises(UsageError, match="no gold file found"):
        find_gold_pages([tmp_path / "nogold"])
    bad = tmp_path / "bad"
    _write(bad, "d", gold=None)
    (bad / "d.gold.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceError, match="not valid JSON"):
        find_gold_pages([bad])


def test_evaluate_reads_the_built_graph(tmp_path: Path) -> None:
    _write(tmp_path, "a")
    report = evaluate([tmp_path])
    page = report.pages[0]
    assert page.error is None
    assert page.statements[0].speaker == "Helena Brandt" and page.statements[0].attributed
    assert page.items[0].date == "2019-09-19" and page.items[0].content_type == "News"


def test_a_page_the_build_cannot_read_counts_as_nothing_found(tmp_path: Path) -> None:
    _write(tmp_path, "empty", page="   \n")
    report = evaluate([tmp_path])
    page = report.pages[0]
    assert page.error and "empty" in page.error
    c = page.counts
    assert (c.pages_failed, c.statements_gold, c.statements_found, c.items_gold, c.items_right) == (1, 1, 0, 1, 0)
    assert "(FAILED)" in report.format_text()


def test_pages_with_the_same_file_name_do_not_share_a_graph(tmp_path: Path) -> None:
    _write(tmp_path / "one", "same")
    other = PAGE.replace("OSCE Mission to Serbia opens", "OSCE Mission to Serbia closes")
    gold = {**GOLD, "document": {**GOLD["document"], "headline": "OSCE Mission to Serbia closes legal aid centre"}}
    _write(tmp_path / "two", "same", gold=gold, page=other)
    report = evaluate([tmp_path])
    assert [p.counts.items_right for p in report.pages] == [1, 1]
    assert [p.counts.statements_spurious for p in report.pages] == [0, 0]


# --------------------------------------------------------------------------- the command


def test_cli_eval_text_json_and_thresholds(tmp_path: Path) -> None:
    wrong = {**GOLD, "statements": [{"speaker": "Milan Jovanović", "text": "Access to justice should not depend"}]}
    _write(tmp_path, "a")
    _write(tmp_path, "b", gold=wrong)
    runner = CliRunner()
    result = runner.invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split()[0] == "page"
    assert any(line.startswith("total") and "2/2 100%" in line and "1/2 50%" in line for line in result.stdout.splitlines())
    result = runner.invoke(main, ["eval", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"]["statements_attributed"] == 1
    result = runner.invoke(main, ["eval", str(tmp_path), "--min-found", "1", "--min-attribution", "0.95"])
    assert result.exit_code == 1
    assert "threshold not met: attribution" in result.output
    result = runner.invoke(main, ["eval", str(tmp_path / "a.txt"), "--min-attribution", "0.95", "--min-precision", "1"])
    assert result.exit_code == 0, result.output


def test_cli_eval_bad_usage_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["eval", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "no such file" in result.output
    _write(tmp_path, "a")
    assert runner.invoke(main, ["eval", str(tmp_path), "--min-found", "95"]).exit_code == 2
