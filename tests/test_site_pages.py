"""The site's pages of a kind (README, "Linked-data site"): the landing
page's search form, counts and charts, search by name through
``site-serve`` and the static listing, a person's posts held and statements
over time, a meeting's statements in order, a State's meetings; the SVG
charts. Data: the test pages and two invented reports of one meeting."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from osce_kg import BuildConfig, build
from osce_kg.publish.charts import Span, bar_chart, timeline
from osce_kg.publish.search import NameEntry, NameIndex, fold
from ._build_support import copy_pages
from ._lod_support import running_site


PAGES = Path(__file__).parent / "pages"
MEETING = "id/meeting/2025-06-24-2025-annual-security-review-conference"
#: two reports of one meeting, published two days apart (the later one first in file order)
REPORTS = {
    "z-opening.txt": (
        "Security review conference opens in Vienna\n\nVIENNA, 24 June 2025 – The 2025 Annual Security Review Conference opened "
        "today in Vienna, with delegations of the 57 participating States.\n\n“Arms control is the ground on which trust is "
        "rebuilt,” said Karin Holmström, Director of the Conflict Prevention Centre.\n"
    ),
    "a-closing.txt": (
        "Security review conference closes in Vienna\n\nVIENNA, 26 June 2025 – The 2025 Annual Security Review Conference, held in "
        "Vienna from 24 to 26 June 2025, closed today.\n\n“Every confidence-building measure we keep is a conflict we prevent,” "
        "said Tomas Berglund, Chair of the Forum for Security Co-operation.\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("pages")
    src = copy_pages(PAGES, tmp / "src")
    for name, text in REPORTS.items():
        (src / name).write_text(text, encoding="utf-8")
    build(BuildConfig.of([src], output=tmp / "out", site=True))
    return tmp / "out"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with running_site(site) as base:
        yield base


def _html(site: Path, path: str) -> str:
    return (Path(os.path.realpath(site / "current")) / "site" / path).read_text(encoding="utf-8")


def test_landing_page_has_the_search_form_counts_and_charts(site: Path) -> None:
    html = _html(site, "index.html")
    assert '<form class="search" action="search/" method="get" role="search">' in html
    assert '<input id="q" name="q" type="search"' in html
    counts = re.findall(r"<strong>(\d+)</strong> ([A-Za-z ]+?)(?:</a>)?</li>", html)
    assert counts == [("110", "Persons"), ("4", "Meetings"), ("49", "OSCE structures"), ("68", "States"), ("28", "Statements"), ("17", "News items")]
    charts = re.findall(r'<svg [^>]*aria-label="([^"]+)"><title>[^<]*</title><desc>([^<]*)</desc>', html)
    assert [c[0] for c in charts] == ["Statements per year", "Meetings per year"]
    assert charts[1][1] == ("2018: 1 meetings, 2019: 0 meetings, 2020: 0 meetings, 2021: 0 meetings, 2022: 1 meetings, "
                            "2023: 0 meetings, 2024: 1 meetings, 2025: 1 meetings")
    assert "<script" not in html.replace('<script type="application/ld+json">', "")


def test_search_by_name_answers_from_the_name_index(server: str) -> None:
    with httpx.Client() as client:
        r = client.get(server + "/search/", params={"q": "lindqvist"})
        assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
        assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="tag">([^<]+)</span>', r.text) == [
            ("../id/person/marta-lindqvist.html", "Marta Lindqvist", "person")]
        assert "1 match for “lindqvist”" in r.text
        # folded: no diacritics, any case; a kind filter
        r = client.get(server + "/search/", params={"q": "HOLMSTROM"})
        assert "../id/person/karin-holmstrom-" in r.text
        r = client.get(server + "/search/", params={"q": "security review", "kind": "meeting"})
        assert re.findall(r'<li><a href="([^"]+)">', r.text) == [f"../{MEETING}.html"]
        r = client.get(server + "/search/", params={"q": "austria", "kind": "state"})
        assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', r.text) == [("../id/country/at.html", "Austria")]
        r = client.get(server + "/search/", params={"q": "nobody-by-this-name"})
        assert "0 matches" in r.text
        # no query: the static listing, as a static host serves it
        r = client.get(server + "/search/")
        assert r.status_code == 200 and '<h2 id="person">Persons (110)</h2>' in r.text
        # without the slash: redirected with the query kept
        r = client.get(server + "/search", params={"q": "austria"})
        assert r.status_code == 301 and r.headers["location"] == "/osce-kg/search/?q=austria"
        assert client.get(server + "/search/names.json").json()["entries"][0][0] == "person"


def test_person_page_shows_posts_held_from_the_table_and_the_pages(site: Path) -> None:
    html = _html(site, "id/person/lamberto-zannier.html")
    posts = re.findall(r'<li><strong><a href="([^"]+)">([^<]+)</a></strong>: <time datetime="([^"]*)">[^<]*</time> to '
                       r'<time datetime="([^"]*)">[^<]*</time>[^<]*\n <span class="tag">([^<]+)</span></li>', html)
    assert posts == [
        ("../../id/post/secretary-general.html", "Secretary General", "2011-07-01", "2017-06-30", "office-holder table"),
        ("../../id/post/high-commissioner-on-national-minorities.html", "High Commissioner on National Minorities", "2017-07-31", "2020-07-01",
         "office-holder table"),
    ]
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 ' in html and 'aria-label="Posts held"' in html
    # a post only the pages give: an evidence-based interval, with its items
    html = _html(site, "id/person/ana-rusu.html")
    assert ('<a href="../../id/post/representative-on-freedom-of-the-media.html">Representative on Freedom of the Media</a></strong>: '
            '<time datetime="2017-03-02">2017-03-02</time> to <time datetime="2017-03-02">2017-03-02</time>') in html
    assert '<span class="tag">from the pages: 1 item</span>' in html
    assert "<desc>2017: 2 statements</desc>" in html


def test_meeting_page_lists_its_statements_in_order(site: Path) -> None:
    html = _html(site, MEETING + ".html")
    assert '<p>Held in <a href="../../id/country/at.html">Austria</a>.</p>' in html
    listed = re.findall(r'<li><a href="[^"]+">([^<]+)</a> — <a href="[^"]+">([^<]+)</a> <span class="muted">\(([^)]+)\)</span></li>', html)
    assert listed == [
        ("Arms control is the ground on which trust is rebuilt", "Karin Holmström", "2025-06-24"),
        ("Every confidence-building measure we keep is a conflict we prevent", "Tomas Berglund", "2025-06-24"),
    ]


def test_state_page_lists_its_meetings(site: Path) -> None:
    html = _html(site, "id/country/at.html")
    rows = re.findall(r"<tr><td>([0-9-]+)</td><td><a href=\"([^\"]+)\">[^<]+</a></td><td><a href=\"[^\"]+\">([^<]+)</a></td><td>(\d+)</td></tr>", html)
    assert rows == [("2025-06-24", f"../../{MEETING}.html", "Vienna", "2")]
    assert "<desc>2025: 1 meetings</desc>" in html
    assert "No meeting of the data took place here." in _html(site, "id/country/fr.html")


def test_bar_chart_counts_every_year_and_escapes_its_texts() -> None:
    svg = str(bar_chart({2019: 3, 2021: 1}, title="A <b> chart", unit="items"))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200"')
    assert "<title>A &lt;b&gt; chart</title><desc>2019: 3 items, 2020: 0 items, 2021: 1 items</desc>" in svg
    assert svg.count("<rect ") == 3 and "<b>" not in svg
    assert str(bar_chart({}, title="none", unit="items")) == ""


def test_timeline_places_each_span_on_one_axis_of_years() -> None:
    svg = str(timeline([Span("Secretary General", "2011-07-01", "2017-06-30"), Span("Envoy", "2020-01-01", "2020-12-31", evidence=True),
                        Span("Undated", "", "")], title="Posts held"))
    assert "<desc>Secretary General: 2011-07-01 to 2017-06-30; Envoy: 2020-01-01 to 2020-12-31 (from the pages)</desc>" in svg
    bars = re.findall(r'<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)" height="16" fill="([^"]+)"><title>', svg)
    assert [b[2] for b in bars] == ["#2f5d8a", "url(#evidence)"]
    assert float(bars[0][0]) < float(bars[1][0])
    assert ">2011</text>" in svg and ">2021</text>" in svg and "from the pages</text>" in svg
    assert str(timeline([Span("Undated", "", "")], title="Posts held")) == ""


def test_name_search_folds_scripts_and_diacritics_and_ranks_exact_names_first() -> None:
    assert fold("Сергей Лавров") == "sergei lavrov" and fold("Håkan Jeverell") == "hakan jeverell"
    names = NameIndex([
        NameEntry("person", "Sergey Lavrov", ("Сергей Лавров",), "id/person/sergey-lavrov"),
        NameEntry("person", "Lavrov Junior", (), "id/person/lavrov-junior"),
        NameEntry("state", "Austria", ("Republic of Austria",), "id/country/at"),
    ], version="v1")
    assert [e.path for e in names.search("лавров")[1]] == ["id/person/lavrov-junior", "id/person/sergey-lavrov"]
    assert names.search("sergey lavrov") == (1, [names.entries[0]])
    assert names.search("republic", kind="person") == (0, [])
    assert names.search("  ") == (0, [])
