"""The static linked-data site (``osce-kg build --site``) and its server
(``osce-kg site-serve``): files, pages, content negotiation and statuses
over HTTP on a loopback port (README, "Linked-data site")."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from osce_kg import BuildConfig, build
from osce_kg.cli import main
from osce_kg.errors import UsageError
from osce_kg.siteserve import SiteApp, negotiate
from ._build_support import copy_pages
from ._lod_support import running_site

PAGES = Path(__file__).parent / "pages"
BASE = "https://w3id.org/osce-kg/id/"
PERSON = BASE + "person/jasna-hadzic-eb2d32"
STATEMENT = BASE + "statement/p14-indirect-speech-0-186c591d-8dc34699"
REMOVED_PAGE = "p14-indirect-speech.txt"  # states PERSON and STATEMENT, and no other page does


@pytest.fixture(scope="module")
def site_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with two releases: all pages (older), then all but
    REMOVED_PAGE (current), both with their site."""
    tmp = tmp_path_factory.mktemp("site")
    out = tmp / "out"
    first = build(BuildConfig.of([copy_pages(PAGES, tmp / "all")], output=out, site=True))
    second = build(BuildConfig.of([copy_pages(PAGES, tmp / "fewer", skip=REMOVED_PAGE)], output=out, site=True))
    assert first.release != second.release
    return out


@pytest.fixture(scope="module")
def older(site_out: Path) -> Path:
    current = Path(os.path.realpath(site_out / "current"))
    return next(p for p in (site_out / "releases").iterdir() if p != current and not p.name.startswith("."))


@pytest.fixture(scope="module")
def server(site_out: Path) -> Iterator[str]:
    with running_site(site_out) as base:
        yield base


def _entities(release: Path) -> dict[str, list[str]]:
    """class IRI -> entity IRIs (sorted) of a release, from its osce-kg.nt."""
    classes: dict[str, list[str]] = {}
    for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES):
        if t.predicate.value.endswith("#type") and isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(BASE):
            classes.setdefault(t.object.value, []).append(t.subject.value)
    return {c: sorted(set(v)) for c, v in classes.items()}


def _description(release: Path, iri: str) -> Graph:
    g = Graph()
    lines = [line for line in (release / "osce-kg.nt").read_text(encoding="utf-8").splitlines() if line.startswith(f"<{iri}> ")]
    g.parse(data="\n".join(lines), format="nt")
    return g


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" or tag == "link":
            self.hrefs += [v for k, v in attrs if k == "href" and v]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse_html(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# -- the files -------------------------------------------------------------

def test_every_entity_has_its_four_files_with_its_description(site_out: Path, older: Path) -> None:
    release = Path(os.path.realpath(site_out / "current"))
    site = release / "site"
    subjects = sorted({t.subject.value for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES)
                       if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(BASE)})
    assert len(subjects) > 300
    for iri in subjects:
        local = site / ("id/" + iri[len(BASE):])
        for suffix in ("html", "ttl", "jsonld", "nt"):
            assert local.with_name(local.name + "." + suffix).is_file(), (iri, suffix)
    person = older / "site/id/person/jasna-hadzic-eb2d32"
    expected = _description(older, PERSON)
    assert len(expected) == 4
    for suffix, fmt in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        got = Graph().parse(person.with_suffix("." + suffix), format=fmt)
        assert isomorphic(got, expected), suffix
    # the JSON-LD embedded in the page is the .jsonld file
    parsed = _parse_html(person.with_suffix(".html"))
    assert json.loads(parsed.scripts[0]) == json.loads(person.with_suffix(".jsonld").read_text(encoding="utf-8"))
    assert isomorphic(Graph().parse(data=parsed.scripts[0], format="json-ld"), expected)


def test_person_page_lists_properties_statements_incoming_links_and_sources(older: Path) -> None:
    html = (older / "site/id/person/jasna-hadzic-eb2d32.html").read_text(encoding="utf-8")
    assert "<h1>Jasna Hadžić</h1>" in html
    assert f"<code>{PERSON}</code>" in html
    assert '<a href="../../id/org/court-of-bosnia-and-herzegovina.html">Court of Bosnia and Herzegovina</a>' in html
    assert '<a href="https://schema.org/jobTitle">schema:jobTitle</a>' in html
    # its statement, with the date of the news item it comes from
    assert re.search(
        r'<tr><td><a href="../../id/statement/p14-indirect-speech-0-186c591d-8dc34699.html">'
        r"Judges who learn together also learn to trust each other’s decisions</a></td><td></td><td>2015-10-14</td></tr>", html)
    assert '<h2 id="incoming">Incoming links</h2>' in html
    assert ('<li><a href="../../id/graph/page-p14-indirect-speech-txt.html">'
            "<code>https://w3id.org/osce-kg/id/graph/page-p14-indirect-speech-txt</code></a></li>") in html


def test_no_relative_link_of_the_site_is_broken(site_out: Path) -> None:
    site = Path(os.path.realpath(site_out / "current")) / "site"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 300
    for page in pages:
        for href in _parse_html(page).hrefs:
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) or href.startswith("#"):
                continue  # absolute (http:, data: of the ontology page's images), or in the page
            target = (page.parent / href.split("#")[0]).resolve()
            if href.split("#")[0].endswith("/"):  # a folder (search/): its index.html, as static hosts serve it
                target = target / "index.html"
            assert target.is_file(), (page.relative_to(site), href)


def test_class_pages_are_paged(tmp_path: Path) -> None:
    from osce_kg.publish.site import write_site

    result = build(BuildConfig.of([copy_pages(PAGES, tmp_path / "p")], output=tmp_path / "out"))
    release = result.release
    assert release is not None
    write_site(release, BASE, version=release.name, page_size=10)
    countries = _entities(release)["https://schema.org/Country"]
    folder = release / "site/class/schema-country"
    pages = -(-len(countries) // 10)
    assert sorted(p.name for p in folder.iterdir()) == sorted(["index.html", *[f"page-{n}.html" for n in range(2, pages + 1)]])
    first = (folder / "index.html").read_text(encoding="utf-8")
    assert f"{len(countries)} entities, page 1 of {pages}" in first
    assert '<a href="page-2.html" rel="next">next</a>' in first
    assert f'<a href="../../id/{countries[0][len(BASE):]}.html">' in first
    assert f'<a href="../../id/{countries[10][len(BASE):]}.html">' not in first


def test_landing_page_sitemap_and_well_known_void(site_out: Path) -> None:
    release = Path(os.path.realpath(site_out / "current"))
    site = release / "site"
    landing = (site / "index.html").read_text(encoding="utf-8")
    nt = (release / "osce-kg.nt").read_bytes()
    size, sha = len(nt), hashlib.sha256(nt).hexdigest()
    assert f'<td><a href="id/dataset/osce-kg.nt">osce-kg.nt</a></td><td>application/n-triples</td><td>{size}</td><td><code>{sha}</code></td>' in landing
    assert "<h1>osce-kg: the OSCE&#39;s public record as a knowledge graph</h1>" in landing
    assert f"Release <strong>{release.name}</strong> (previous: " in landing
    assert "<title>osce-kg: the OSCE&#39;s public record as a knowledge graph · osce-kg</title>" in landing
    assert '<a href="class/schema-person/index.html">schema:Person</a>' in landing
    assert (site / ".well-known/void").read_bytes() == (release / "void.ttl").read_bytes()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://w3id.org/osce-kg/index.html</loc>" in sitemap
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locs) == len(list(site.rglob("*.html")))
    assert f"<loc>{BASE}person/jasna-hadzic-eb2d32.html</loc>" not in sitemap  # only the older release has that person


# -- content negotiation -----------------------------------------------------

@pytest.mark.parametrize(("accept", "suffix"), [
    (None, "html"), ("", "html"), ("*/*", "html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"), ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("application/*", "jsonld"), ("image/png", None), ("text/turtle;q=0", None),
])
def test_negotiate(accept: str | None, suffix: str | None) -> None:
    assert negotiate(accept) == suffix


MEDIA = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
         "nt": "application/n-triples", "rdf": "application/rdf+xml"}
ACCEPT = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml"}
FORMAT = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


def test_every_class_dereferences_in_every_format(site_out: Path, server: str) -> None:
    release = Path(os.path.realpath(site_out / "current"))
    classes = _entities(release)
    assert len(classes) >= 10
    with httpx.Client() as client:
        for cls, members in sorted(classes.items()):
            for iri in (members[0], members[-1]):
                path = server + "/id/" + iri[len(BASE):]
                expected = _description(release, iri)
                for suffix, accept in ACCEPT.items():
                    for url, headers in ((path, {"Accept": accept}), (f"{path}.{suffix}", {})):
                        r = client.get(url, headers=headers)
                        assert r.status_code == 200, (url, accept)
                        assert r.headers["content-type"] == MEDIA[suffix]
                        assert r.headers["vary"] == "Accept"
                        assert r.headers["etag"].startswith('"')
                        assert r.headers["last-modified"].endswith(" GMT")
                        link = r.headers["link"]
                        for other in ACCEPT:
                            assert f'</osce-kg/id/{iri[len(BASE):]}.{other}>; rel="alternate"; type="{MEDIA[other].split(";")[0]}"' in link
                        if url == path:
                            assert r.headers["content-location"] == f"/osce-kg/id/{iri[len(BASE):]}.{suffix}"
                        if suffix != "html":
                            assert isomorphic(Graph().parse(data=r.content, format=FORMAT[suffix]), expected), (iri, suffix)
                        else:
                            assert f"<code>{iri}</code>" in r.text
                # conditional requests
                r = client.get(path, headers={"Accept": "text/turtle"})
                again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": r.headers["etag"]})
                assert again.status_code == 304 and again.content == b""
                other = client.get(path, headers={"Accept": "application/ld+json"})
                assert other.headers["etag"] != r.headers["etag"]
                since = client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": r.headers["last-modified"]})
                assert since.status_code == 304


def test_statuses(site_out: Path, older: Path, server: str) -> None:
    with httpx.Client() as client:
        r = client.get(server + "/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
        assert r.status_code == 404
        assert client.get(server + "/id/person/nobody-at-all.ttl").status_code == 404
        assert client.get(server + "/id/person/../../../etc/passwd").status_code == 404
        assert client.get(server.replace("/osce-kg", "") + "/id/person/jasna-hadzic-eb2d32").status_code == 404
        r = client.get(server + "/id/person/jasna-hadzic-eb2d32", headers={"Accept": "text/turtle"})
        assert r.status_code == 410
        assert r.headers["link"] == f'</osce-kg/releases/{older.name}/id/person/jasna-hadzic-eb2d32>; rel="memento"'
        # a page graph only the older release has
        r = client.get(server + "/id/graph/page-p14-indirect-speech-txt", headers={"Accept": "application/trig"})
        assert r.status_code == 410
        assert r.headers["link"] == f'</osce-kg/releases/{older.name}/id/graph/page-p14-indirect-speech-txt>; rel="memento"'
        r = client.get(server + "/id/statement/" + STATEMENT[len(BASE) + len("statement/"):] + ".jsonld")
        assert r.status_code == 410
        # the older release still answers under its link
        r = client.get(server + f"/releases/{older.name}/id/person/jasna-hadzic-eb2d32", headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        assert isomorphic(Graph().parse(data=r.content, format="turtle"), _description(older, PERSON))
        r = client.get(server + "/id/person/jasna-hadzic-eb2d32", headers={"Accept": "image/png"})
        assert r.status_code == 410
        r = client.get(server + "/id/country/at", headers={"Accept": "image/png"})
        assert r.status_code == 406 and r.headers["vary"] == "Accept"
        assert client.post(server + "/id/country/at").status_code == 405
        r = client.head(server + "/id/country/at", headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and r.content == b"" and r.headers["content-type"] == MEDIA["ttl"]
        landing = client.get(server + "/")
        assert landing.status_code == 200 and landing.headers["content-type"] == "text/html; charset=utf-8"
        void = client.get(server + "/.well-known/void")
        assert void.status_code == 200 and void.headers["content-type"] == "text/turtle; charset=utf-8"
        assert client.get(server + "/sitemap.xml").headers["content-type"] == "application/xml"
        assert client.get(server + "/osce-kg.nt").content == (Path(os.path.realpath(site_out / "current")) / "osce-kg.nt").read_bytes()
        assert client.get(server + "/releases/20000101-000000000000/id/country/at").status_code == 404


def test_a_folder_without_site_is_refused(tmp_path: Path) -> None:
    build(BuildConfig.of([PAGES / "p01-curly-quotes.txt"], output=tmp_path / "out"))
    with pytest.raises(UsageError, match="has no site"):
        SiteApp(tmp_path / "out")
    result = CliRunner().invoke(main, ["site-serve", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "has no site and no store (build it with: osce-kg build --store, or --site)" in result.output


def test_cli_build_site(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(PAGES / "p01-curly-quotes.txt"), "-o", str(tmp_path / "out"), "--site", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/current/site/index.html").is_file()
    assert (tmp_path / "out/current/site/id/country/at.ttl").is_file()


def test_site_serve_refuses_an_address_in_use(site_out: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["site-serve", str(site_out), "--bind", f"127.0.0.1:{port}"])
    assert result.exit_code == 3
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output
    bad = CliRunner().invoke(main, ["site-serve", str(site_out), "--bind", "nowhere"])
    assert bad.exit_code == 2 and "--bind must be HOST:PORT with a port 1-65535 (e.g. 127.0.0.1:8080), got 'nowhere'" in bad.output


def test_site_serve_port_out_of_range_is_usage_error(site_out: Path) -> None:
    """Regression: a port over 65535 was an internal error (OverflowError), exit 1."""
    result = CliRunner().invoke(main, ["site-serve", str(site_out), "--bind", "127.0.0.1:99999"])
    assert result.exit_code == 2
    assert "--bind must be HOST:PORT with a port 1-65535 (e.g. 127.0.0.1:8080), got '127.0.0.1:99999'" in result.output


def test_the_server_follows_a_new_current_release(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(BuildConfig.of([copy_pages(PAGES, tmp_path / "all")], output=out, site=True)).release
    app = SiteApp(out)
    path = "/id/person/jasna-hadzic-eb2d32"
    status, headers, _body = app.respond("GET", path, {"HTTP_ACCEPT": "text/turtle"})
    assert status == "200 OK" and ("Content-Location", path + ".ttl") in headers
    build(BuildConfig.of([copy_pages(PAGES, tmp_path / "fewer", skip=REMOVED_PAGE)], output=out, site=True))
    status, headers, _body = app.respond("GET", path, {"HTTP_ACCEPT": "text/turtle"})
    assert status == "410 Gone"
    assert ("Link", f'</releases/{first.name}{path}>; rel="memento"') in headers


def test_site_added_to_the_same_data_keeps_feed_and_changes(tmp_path: Path) -> None:
    """Regression: building the current release's data again with --site
    wrote a site without the feed, the change set and the previous
    release's description, which void.ttl lists (404 from site-serve)."""
    out = tmp_path / "out"
    first = build(BuildConfig.of([copy_pages(PAGES, tmp_path / "all")], output=out)).release
    fewer = copy_pages(PAGES, tmp_path / "fewer", skip=REMOVED_PAGE)
    second = build(BuildConfig.of([fewer], output=out)).release
    again = build(BuildConfig.of([fewer], output=out, site=True)).release
    assert again == second
    site = second / "site"
    for name in ("id/dataset/feed.jsonld", "id/dataset/changes/added.nq", "id/dataset/changes/removed.nq", f"id/dataset/release/{first.name}.ttl"):
        assert (site / name).is_file(), name
    assert (second / "void.ttl").read_bytes() == (site / "void.ttl").read_bytes()
    assert f"(previous: {first.name})" in (site / "index.html").read_text(encoding="utf-8")
