"""Every IRI the release mints under its base dereferences from
``site-serve`` and the static site (issue 23): the download URLs of
``void.ttl``, the dataset and the parts of its description, the ontology,
every named graph, and the change stream of the releases (README,
"Linked-data site"; ARCHITECTURE.md, "Change stream")."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from osce_kg import BuildConfig, build
from ._lod_support import running_site


REPO = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).parent / "pages"
ROOT = "https://w3id.org/osce-kg/"
BASE = ROOT + "id/"
DATASET = BASE + "dataset"
#: dcat:version (DCAT 3), which rdflib's DCAT namespace object does not list
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
FEED = DATASET + "/feed"
GRAPH = BASE + "graph/page-"
CHANGED, REMOVED, CHANGED_LATER = "p01-curly-quotes.txt", "p14-indirect-speech.txt", "p02-straight-quotes.txt"
ADDED_TEXT = "\n“Mediation is learned by doing,” said Marta Lindqvist.\n"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three releases with their site: A (the test pages), B (CHANGED with a
    quotation more, REMOVED gone), C (CHANGED_LATER with a quotation more,
    REMOVED back)."""
    tmp = tmp_path_factory.mktemp("deref")
    src = tmp / "src"
    src.mkdir()
    for page in PAGES.glob("*.txt"):
        shutil.copyfile(page, src / page.name)
    out = tmp / "out"
    releases = [build(BuildConfig.of([src], output=out, site=True)).release]
    with open(src / CHANGED, "a", encoding="utf-8") as fh:
        fh.write(ADDED_TEXT)
    (src / REMOVED).unlink()
    releases.append(build(BuildConfig.of([src], output=out, site=True)).release)
    with open(src / CHANGED_LATER, "a", encoding="utf-8") as fh:
        fh.write(ADDED_TEXT.replace("Mediation", "Dialogue"))
    shutil.copyfile(PAGES / REMOVED, src / REMOVED)
    releases.append(build(BuildConfig.of([src], output=out, site=True)).release)
    assert len({r.name for r in releases if r is not None}) == 3
    return out


@pytest.fixture(scope="module")
def releases(out: Path) -> list[Path]:
    """A, B, C (oldest first)."""
    found = [p for p in (out / "releases").iterdir() if p.is_dir() and not p.name.startswith(".")]
    current = Path(os.path.realpath(out / "current"))
    ordered = sorted(found, key=lambda p: (p == current, json.loads((p / "feed/index.jsonld").read_text(encoding="utf-8"))["totalItems"]))
    return ordered


@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[str]:
    with running_site(out) as base:
        yield base + "/"


def _url(server: str, iri: str) -> str:
    assert iri.startswith(ROOT), iri
    return server + iri[len(ROOT):]


def _void(release: Path) -> Graph:
    return Graph().parse(release / "void.ttl", format="turtle")


def _graph_quads(release: Path, graph: str) -> set[tuple]:
    """The statements of ``graph`` in the release's osce-kg.nq, parsed by rdflib."""
    ds = Dataset()
    ds.parse(release / "osce-kg.nq", format="nquads")
    return {(s, p, o) for s, p, o, g in ds.quads((None, None, None, URIRef(graph)))}


def _check_headers(r: httpx.Response, media: str, location: str | None) -> None:
    assert r.status_code == 200, r.url
    assert r.headers["content-type"] == media
    assert r.headers["vary"] == "Accept"
    assert re.fullmatch(r'"[0-9a-f]{24}"', r.headers["etag"])
    assert r.headers["last-modified"].endswith(" GMT")
    if location is not None:
        assert r.headers["content-location"] == location


# -- the fault: download links of void.ttl and the landing page ---------------

def test_void_download_urls_answer_their_file_not_404(out: Path, releases: list[Path], server: str) -> None:
    """dcat:downloadURL (and void:dataDump) of void.ttl pointed at
    {base}dataset/osce-kg.nq, which site-serve answered with 404."""
    current = releases[-1]
    void = _void(current)
    urls = {str(u) for u in void.objects(None, DCAT.downloadURL)} | {str(u) for u in void.objects(None, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert urls == {DATASET + "/" + name for name in ("osce-kg.nq", "osce-kg.trig", "osce-kg.nt", "osce-kg.ttl", "osce-kg.jsonld",
                                                        "changes/added.nq", "changes/removed.nq")}
    with httpx.Client() as client:
        for url in sorted(urls):
            name = url[len(DATASET) + 1:]
            r = client.get(_url(server, url))
            assert r.status_code == 200, url
            assert r.content == (current / name).read_bytes()
            assert r.headers["etag"].startswith('"')
        for dist in void.subjects(DCAT.downloadURL, None):
            r = client.get(_url(server, str(void.value(dist, DCAT.downloadURL))))
            checksum = void.value(dist, URIRef("http://spdx.org/rdf/terms#checksum"))
            assert hashlib.sha256(r.content).hexdigest() == str(void.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue")))
            assert len(r.content) == int(void.value(dist, DCAT.byteSize))
        # an older release's files, under its own path
        older = releases[0]
        r = client.get(server + f"releases/{older.name}/id/dataset/osce-kg.nq")
        assert r.status_code == 200 and r.content == (older / "osce-kg.nq").read_bytes()
        # the landing page links the files relatively: they resolve on any host and prefix
        landing = client.get(server).text
        assert '<td><a href="id/dataset/osce-kg.nq">osce-kg.nq</a></td><td>application/n-quads</td>' in landing
        for href in re.findall(r'<td><a href="([^"]+)">osce-kg\.', landing):
            assert client.get(server + href).status_code == 200, href
    # the static site holds them at the same paths (hard links: no second copy)
    site_nq = current / "site/id/dataset/osce-kg.nq"
    assert site_nq.read_bytes() == (current / "osce-kg.nq").read_bytes()
    assert os.stat(site_nq).st_ino == os.stat(current / "osce-kg.nq").st_ino


# -- the dataset ---------------------------------------------------------------

def test_the_dataset_iri_dereferences_to_its_void_description(releases: list[Path], server: str) -> None:
    current = releases[-1]
    with httpx.Client() as client:
        url = _url(server, DATASET)
        r = client.get(url, headers={"Accept": "text/turtle"})
        _check_headers(r, "text/turtle; charset=utf-8", "/osce-kg/id/dataset.ttl")
        assert isomorphic(Graph().parse(data=r.text, format="turtle"), _void(current))
        html = client.get(url, headers={"Accept": "text/html"})
        _check_headers(html, "text/html; charset=utf-8", "/osce-kg/id/dataset.html")
        assert f"<p><code>{DATASET}</code></p>" in html.text
        assert f'<a href="../id/dataset/osce-kg.nq">{DATASET}/osce-kg.nq</a>' in html.text
        again = client.get(url, headers={"Accept": "text/turtle", "If-None-Match": r.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert client.get(url, headers={"Accept": "image/png"}).status_code == 406
        # a distribution: its statements and its checksum's (a hash IRI of it)
        dist = DATASET + "/distribution/osce-kg.nq"
        r = client.get(_url(server, dist), headers={"Accept": "text/turtle"})
        _check_headers(r, "text/turtle; charset=utf-8", "/osce-kg/id/dataset/distribution/osce-kg.nq.ttl")
        got = Graph().parse(data=r.text, format="turtle")
        void = _void(current)
        expected = {t for t in void if str(t[0]) in (dist, dist + "#sha256")}
        assert set(got) == expected and len(expected) == 12
        # the release versions named in void.ttl
        for release in releases[1:]:
            r = client.get(_url(server, f"{DATASET}/release/{release.name}"), headers={"Accept": "text/turtle"})
            assert r.status_code == 200
            version = Graph().parse(data=r.text, format="turtle").value(URIRef(f"{DATASET}/release/{release.name}"), DCAT_VERSION)
            assert str(version) == release.name
        assert client.get(_url(server, DATASET + "/distribution/nothing.nq"), headers={"Accept": "text/turtle"}).status_code == 404


# -- the ontology --------------------------------------------------------------

def test_the_ontology_iri_dereferences_to_its_docs_and_turtle(releases: list[Path], server: str) -> None:
    current = releases[-1]
    expected = _graph_quads(current, BASE + "graph/ontology")
    assert len(expected) > 200
    with httpx.Client() as client:
        r = client.get(server + "ontology", headers={"Accept": "text/turtle"})
        _check_headers(r, "text/turtle; charset=utf-8", "/osce-kg/ontology.ttl")
        assert set(Graph().parse(data=r.text, format="turtle")) == expected
        # a term's IRI is a fragment of the ontology's: a client asks for the document
        assert (URIRef(ROOT + "ontology#Statement"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in expected
        html = client.get(server + "ontology", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        _check_headers(html, "text/html; charset=utf-8", "/osce-kg/ontology.html")
        assert "osce-kg ontology" in html.text and "Statement" in html.text
        assert '</osce-kg/ontology.ttl>; rel="alternate"; type="text/turtle"' in r.headers["link"]
        jsonld = client.get(server + "ontology.jsonld")
        assert set(Graph().parse(data=jsonld.text, format="json-ld")) == expected


# -- the named graphs ----------------------------------------------------------

def test_every_named_graph_dereferences_with_its_quads(releases: list[Path], server: str) -> None:
    current = releases[-1]
    graphs = sorted({q.graph_name.value for q in ox.parse(path=str(current / "osce-kg.nq"), format=ox.RdfFormat.N_QUADS)})
    # 15 pages, the identity graph (evidence-based intervals), the reference data, the ontology
    assert len(graphs) == 18 and {BASE + "graph/reference", BASE + "graph/identity"} <= set(graphs)
    with httpx.Client() as client:
        for graph in graphs:
            url = _url(server, graph)
            local = "/osce-kg/" + graph[len(ROOT):]
            expected = _graph_quads(current, graph)
            assert expected, graph
            r = client.get(url, headers={"Accept": "application/n-quads"})
            _check_headers(r, "application/n-quads", local + ".nq")
            ds = Dataset().parse(data=r.text, format="nquads")
            assert {(s, p, o) for s, p, o, g in ds.quads((None, None, None, URIRef(graph)))} == expected
            assert len(ds) == len(expected)  # every quad in that graph, none elsewhere
            trig = client.get(url, headers={"Accept": "application/trig"})
            _check_headers(trig, "application/trig; charset=utf-8", local + ".trig")
            ds = Dataset().parse(data=trig.text, format="trig")
            assert {(s, p, o) for s, p, o, g in ds.quads((None, None, None, URIRef(graph)))} == expected
            ttl = client.get(url, headers={"Accept": "text/turtle"})
            _check_headers(ttl, "text/turtle; charset=utf-8", local + ".ttl")
            assert set(Graph().parse(data=ttl.text, format="turtle")) == expected
            html = client.get(url)
            _check_headers(html, "text/html; charset=utf-8", local + ".html")
            assert f"<p><code>{graph}</code></p>" in html.text
            for ext, media in (("trig", "application/trig"), ("nq", "application/n-quads"), ("jsonld", "application/ld+json")):
                assert f'<{local}.{ext}>; rel="alternate"; type="{media}"' in r.headers["link"]
        graph = GRAPH + "p01-curly-quotes-txt"
        first = client.get(_url(server, graph), headers={"Accept": "application/trig"})
        again = client.get(_url(server, graph), headers={"Accept": "application/trig", "If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        since = client.get(_url(server, graph), headers={"Accept": "application/trig", "If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304
        assert client.get(_url(server, graph), headers={"Accept": "image/png"}).status_code == 406
        assert client.get(_url(server, GRAPH + "no-such-page-txt"), headers={"Accept": "application/trig"}).status_code == 404
        # an entity has no quads of its own
        assert client.get(server + "id/country/at", headers={"Accept": "application/n-quads"}).status_code == 406
        # the JSON-LD of a graph is a named graph
        doc = client.get(_url(server, graph), headers={"Accept": "application/ld+json"}).json()
        assert doc["@id"] == graph and len(doc["@graph"]) > 3


def test_a_graph_is_served_by_the_kept_releases_that_have_it(out: Path, releases: list[Path]) -> None:
    from osce_kg.siteserve import SiteApp

    a, b, _c = releases  # REMOVED's graph: in A, not in B, back in C
    app = SiteApp(out)
    path = "/id/graph/page-p14-indirect-speech-txt"
    status, _headers, _body = app.respond("GET", f"/releases/{b.name}{path}", {"HTTP_ACCEPT": "application/trig"})
    assert status == "404 Not Found"
    status, headers, body = app.respond("GET", f"/releases/{a.name}{path}", {"HTTP_ACCEPT": "application/trig"})
    assert status == "200 OK" and ("Content-Location", f"/releases/{a.name}{path}.trig") in headers
    assert body == (a / f"site{path}.trig").read_bytes()


# -- the change stream ---------------------------------------------------------

def _members(page: dict) -> list[tuple[str, str, str]]:
    return [(m["type"], m["object"][len(GRAPH):], m["version"]) for m in page["orderedItems"]]


def test_the_feed_lists_each_changed_graph_of_each_release_newest_first(releases: list[Path], server: str) -> None:
    a, b, c = releases
    with httpx.Client() as client:
        collection = client.get(_url(server, FEED), headers={"Accept": "application/activity+json"})
        _check_headers(collection, "application/ld+json", "/osce-kg/id/dataset/feed.jsonld")
        feed = collection.json()
        assert feed["@context"][0] == "https://www.w3.org/ns/activitystreams"
        assert feed["type"] == "OrderedCollection" and feed["id"] == FEED and feed["version"] == c.name
        assert feed["totalItems"] == 4
        assert feed["first"] == {"id": f"{FEED}/{c.name}", "type": "OrderedCollectionPage"}
        assert feed["last"] == {"id": f"{FEED}/{b.name}", "type": "OrderedCollectionPage"}
        newest = client.get(_url(server, feed["first"]["id"]), headers={"Accept": "application/ld+json"}).json()
        assert newest["type"] == "OrderedCollectionPage" and newest["partOf"] == FEED and newest["startIndex"] == 0
        assert "prev" not in newest and newest["next"] == f"{FEED}/{b.name}"
        assert _members(newest) == [("Update", "p02-straight-quotes-txt", c.name), ("Create", "p14-indirect-speech-txt", c.name)]
        older = client.get(_url(server, newest["next"]), headers={"Accept": "application/ld+json"}).json()
        assert older["prev"] == newest["id"] and "next" not in older and older["startIndex"] == 2
        assert _members(older) == [("Update", "p01-curly-quotes-txt", b.name), ("Delete", "p14-indirect-speech-txt", b.name)]
        # each member: which graph, which release, how many quads, where its quads of that release are
        update = older["orderedItems"][0]
        summary = json.loads((b / "changes/summary.json").read_text(encoding="utf-8"))["graphs"][GRAPH + "p01-curly-quotes-txt"]
        assert update["id"] == f"{FEED}/{b.name}#page-p01-curly-quotes-txt"
        assert update["summary"] == f"{summary['added']} quads added, {summary['removed']} removed"
        assert update["result"] == {"type": "Link", "href": f"{ROOT}releases/{b.name}/id/graph/page-p01-curly-quotes-txt.nq",
                                    "mediaType": "application/n-quads"}
        assert "result" not in older["orderedItems"][1]  # a deleted graph has no quads
        r = client.get(_url(server, update["result"]["href"]))
        assert r.status_code == 200
        assert {(s, p, o) for s, p, o, _g in Dataset().parse(data=r.text, format="nquads").quads()} == _graph_quads(b, update["object"])
        # the release's feed file is what is served; the older release's feed ended at its own page
        assert newest == json.loads((c / f"feed/{c.name}.jsonld").read_text(encoding="utf-8"))
        assert json.loads((b / "feed/index.jsonld").read_text(encoding="utf-8"))["first"]["id"] == f"{FEED}/{b.name}"
        assert json.loads((a / "feed/index.jsonld").read_text(encoding="utf-8"))["totalItems"] == 0
        # the same statements as RDF: the members in order in the as:items list
        ttl = client.get(_url(server, feed["first"]["id"]), headers={"Accept": "text/turtle"})
        _check_headers(ttl, "text/turtle; charset=utf-8", f"/osce-kg/id/dataset/feed/{c.name}.ttl")
        g = Graph().parse(data=ttl.text, format="turtle")
        AS = "https://www.w3.org/ns/activitystreams#"
        items = g.value(URIRef(newest["id"]), URIRef(AS + "items"))
        from rdflib.collection import Collection

        assert [str(x) for x in Collection(g, items)] == [m["id"] for m in newest["orderedItems"]]
        assert (URIRef(newest["id"]), URIRef(AS + "next"), URIRef(f"{FEED}/{b.name}")) in g
        html = client.get(_url(server, FEED), headers={"Accept": "text/html"})
        _check_headers(html, "text/html; charset=utf-8", "/osce-kg/id/dataset/feed.html")
        assert f'<a href="../../id/dataset/feed/{c.name}.html" rel="first">newest changes</a>' in html.text


def test_void_and_the_landing_page_link_the_feed(releases: list[Path], server: str) -> None:
    c = releases[-1]
    void = _void(c)
    dist = URIRef(DATASET + "/distribution/feed")
    assert (URIRef(DATASET), DCAT.distribution, dist) in void
    assert set(void.predicate_objects(dist)) >= {
        (RDF.type, DCAT.Distribution), (DCAT.accessURL, URIRef(FEED)),
        (DCAT.mediaType, URIRef("http://www.iana.org/assignments/media-types/application/ld+json")),
        (DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/activitystreams-core/")),
    }
    assert void.value(dist, DCAT.downloadURL) is None
    landing = httpx.get(server).text
    assert f'<a href="id/dataset/feed.html">Change stream</a> (<code>{FEED}</code>' in landing
    assert f'<a href="id/dataset.html">Dataset description</a> (<code>{DATASET}</code>' in landing
    assert f'Ontology: <a href="ontology.html">{ROOT}ontology</a>' in landing


# -- the dereference check script ----------------------------------------------

def test_deref_check_covers_every_iri_and_names_a_missing_one(out: Path, tmp_path: Path) -> None:
    script = REPO / "benchmarks/deref_check.py"
    run = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    figures = {k.strip(): int(v) for k, v in re.findall(r"(\w[\w ]*): ([0-9][0-9,]*)", run.stdout.replace(",", ""))}
    assert figures["graphs"] == 18 and figures["downloads"] == 7 and figures["failures"] == 0
    assert figures["entities"] > 500 and figures["other IRIs"] > 50
    # one download gone from the site: the check names it and fails
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    (Path(os.path.realpath(copy / "current")) / "site/id/dataset/osce-kg.trig").unlink()
    (Path(os.path.realpath(copy / "current")) / "site/id/graph/reference.ttl").unlink()
    run = subprocess.run([sys.executable, str(script), str(copy)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert f"{BASE}dataset/osce-kg.trig (download): 404 Not Found" in run.stdout
    assert "/id/graph/reference (Accept: text/turtle): 410 Gone" in run.stdout  # older releases have it
