"""``site-serve`` answering entity IRIs from a release's Oxigraph store
(``<release>/store/``, ``osce-kg build --store`` or ``osce-kg load``),
rendered on request by the static export's renderer: the same bodies,
headers and statuses as the static site of the same release (README,
"Linked-data site"; ARCHITECTURE.md, "Site")."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from osce_kg import BuildConfig, build
from osce_kg.cli import main
from osce_kg.publish.formats import Publication
from osce_kg.publish.release import SITE_WITHOUT_ENTITIES, STORE
from osce_kg.publish.site import SITE
from osce_kg import siteserve
from osce_kg.siteserve import SiteApp
from ._build_support import copy_pages
from ._lod_support import running_site

PAGES = Path(__file__).parent / "pages"
ROOT = "https://w3id.org/osce-kg/"
BASE = ROOT + "id/"
PERSON = "id/person/jasna-hadzic-eb2d32"
STATEMENT = "id/statement/p14-indirect-speech-0-186c591d-8dc34699"
REMOVED_PAGE = "p14-indirect-speech.txt"  # states PERSON and STATEMENT, and no other page does
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
MEDIA = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
         "nt": "application/n-triples", "rdf": "application/rdf+xml"}
ACCEPT = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two releases, each with its site and its store: all pages (older),
    then all but REMOVED_PAGE (current)."""
    tmp = tmp_path_factory.mktemp("store-site")
    out = tmp / "out"
    for pages in (copy_pages(PAGES, tmp / "all"), copy_pages(PAGES, tmp / "fewer", skip=REMOVED_PAGE)):
        build(BuildConfig.of([pages], output=out, site=True, store=True, publication=Publication(license=LICENSE)))
    return out


@pytest.fixture(scope="module")
def current(out: Path) -> Path:
    return Path(os.path.realpath(out / "current"))


@pytest.fixture(scope="module")
def older(out: Path, current: Path) -> Path:
    return next(p for p in (out / "releases").iterdir() if p != current and not p.name.startswith("."))


@pytest.fixture(scope="module")
def static(current: Path, tmp_path_factory: pytest.TempPathFactory) -> SiteApp:
    """The same current release without its store: its static site answers."""
    copy = tmp_path_factory.mktemp("static") / current.name
    shutil.copytree(current, copy, ignore=shutil.ignore_patterns(STORE, f".{STORE}.generations"))
    assert not (copy / STORE).exists()
    return SiteApp(copy)


def _call(app: SiteApp, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "wsgi.input": io.BytesIO()}
    environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
    answer: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    found: dict[str, str] = {}
    for k, v in answer["headers"]:  # type: ignore[union-attr]
        found[k.lower()] = v
    return int(str(answer["status"])[:3]), found, body


def _entities(release: Path) -> list[str]:
    """The site paths of the entities of a release (IRI subjects under the base)."""
    subjects = {t.subject.value for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES)
                if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(BASE)}
    return sorted(s[len(ROOT):] for s in subjects)


def test_build_store_writes_a_store_in_the_release(current: Path) -> None:
    assert (current / STORE).is_symlink() and (current / SITE).is_dir()
    store = ox.Store.read_only(os.path.realpath(current / STORE))
    union = {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(current / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES)}
    default = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert union <= default  # the union dump, and the ontology graph the dump leaves out
    named = sum(1 for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    assert named == sum(1 for _ in ox.parse(path=str(current / "osce-kg.nq"), format=ox.RdfFormat.N_QUADS))


def test_every_entity_in_every_format_is_the_static_sites_answer(current: Path, static: SiteApp) -> None:
    """Every entity, every format, by suffix and by Accept: the store's
    answer has the static site's status, headers and (HTML, Turtle,
    JSON-LD, N-Triples) bytes; RDF/XML the same graph."""
    app = SiteApp(current)
    assert app.store(current) is not None and static.store(static.current) is None
    entities = _entities(current)
    assert len(entities) > 300
    for local in entities:
        for suffix, accept in ACCEPT.items():
            for path, headers in ((f"/{local}.{suffix}", {}), (f"/{local}", {"accept": accept})):
                status, got, body = _call(app, path, **headers)
                want_status, want, want_body = _call(static, path, **headers)
                assert (status, want_status) == (200, 200), path
                for name in ("content-type", "vary", "etag", "link", "content-location", "content-length"):
                    assert got.get(name) == want.get(name), (path, name)
                assert got["last-modified"].endswith(" GMT")
                if suffix == "rdf":
                    assert isomorphic(Graph().parse(data=body, format="xml"), Graph().parse(data=want_body, format="xml")), path
                else:
                    assert body == want_body, path


def _quads(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in ox.parse(data, format=fmt)}


def test_every_named_graph_in_every_format_is_the_static_sites_answer(current: Path, static: SiteApp) -> None:
    """A named graph's document from the store: the static site's headers
    and bytes; its quads (TriG, N-Quads) the same, in the store's order."""
    app = SiteApp(current)
    graphs = sorted({q.graph_name.value[len(ROOT):] for q in ox.parse(path=str(current / "osce-kg.nq"), format=ox.RdfFormat.N_QUADS)
                     if isinstance(q.graph_name, ox.NamedNode)})
    assert len(graphs) > 10 and "id/graph/ontology" in graphs
    for local in graphs:
        for suffix in ("html", "ttl", "jsonld", "nt", "rdf", "trig", "nq"):
            status, got, body = _call(app, f"/{local}.{suffix}")
            want_status, want, want_body = _call(static, f"/{local}.{suffix}")
            assert (status, want_status) == (200, 200), (local, suffix)
            for name in ("content-type", "vary", "etag", "link"):
                assert got.get(name) == want.get(name), (local, suffix, name)
            if suffix == "trig" or suffix == "nq":
                fmt = ox.RdfFormat.TRIG if suffix == "trig" else ox.RdfFormat.N_QUADS
                assert _quads(body, fmt) == _quads(want_body, fmt), (local, suffix)
            elif suffix == "rdf":
                assert isomorphic(Graph().parse(data=body, format="xml"), Graph().parse(data=want_body, format="xml")), local
            else:
                assert body == want_body, (local, suffix)


def test_statuses_from_the_store(out: Path, current: Path, older: Path) -> None:
    app = SiteApp(out, prefix="/osce-kg")
    assert _call(app, "/osce-kg/id/person/nobody-at-all", accept="text/turtle")[0] == 404
    assert _call(app, "/osce-kg/id/person/nobody-at-all.ttl")[0] == 404
    # gone: the older release's store has it, with a memento link to it
    for path in (f"/osce-kg/{PERSON}", f"/osce-kg/{STATEMENT}.jsonld"):
        status, headers, _ = _call(app, path, accept="text/turtle")
        assert status == 410
        assert headers["link"] == f'</osce-kg/releases/{older.name}/{path.removeprefix("/osce-kg/")}>; rel="memento"'
    # ... and the older release answers it from its own store
    status, headers, body = _call(app, f"/osce-kg/releases/{older.name}/{PERSON}", accept="text/turtle")
    assert status == 200 and headers["content-location"] == f"/osce-kg/releases/{older.name}/{PERSON}.ttl"
    assert body == (older / SITE / f"{PERSON}.ttl").read_bytes()
    page = _call(app, f"/osce-kg/releases/{older.name}/{PERSON}.html")[2].decode("utf-8")
    assert "<h1>Jasna Hadžić</h1>" in page and '<a href="../../id/graph/page-p14-indirect-speech-txt.html">' in page
    # conditional requests
    status, headers, body = _call(app, "/osce-kg/id/country/at", accept="text/turtle")
    assert status == 200 and body
    again = _call(app, "/osce-kg/id/country/at", accept="text/turtle", if_none_match=headers["etag"])
    assert again[0] == 304 and again[2] == b"" and again[1]["etag"] == headers["etag"]
    assert _call(app, "/osce-kg/id/country/at", accept="text/turtle", if_modified_since=headers["last-modified"])[0] == 304
    assert _call(app, "/osce-kg/id/country/at", accept="application/ld+json", if_none_match=headers["etag"])[0] == 200
    # not acceptable, HEAD, a method
    status, headers, _ = _call(app, "/osce-kg/id/country/at", accept="image/png")
    assert status == 406 and headers["vary"] == "Accept"
    status, headers, body = _call(app, "/osce-kg/id/country/at", method="HEAD", accept="text/turtle")
    assert status == 200 and body == b"" and headers["content-type"] == MEDIA["ttl"]
    assert _call(app, "/osce-kg/id/country/at", method="POST")[0] == 405
    status, headers, body = _call(app, "/osce-kg/id/graph/page-p01-curly-quotes-txt", accept="application/trig")
    assert status == 200 and headers["content-type"] == "application/trig; charset=utf-8" and body
    # a page graph only the older release has
    status, headers, _ = _call(app, "/osce-kg/id/graph/page-p14-indirect-speech-txt", accept="application/trig")
    assert status == 410 and headers["link"] == f'</osce-kg/releases/{older.name}/id/graph/page-p14-indirect-speech-txt>; rel="memento"'
    # what the store does not render comes from the release's files
    assert _call(app, "/osce-kg/id/dataset", accept="text/turtle")[0] == 200
    assert _call(app, "/osce-kg/")[0] == 200
    assert _call(app, "/osce-kg/osce-kg.nt")[2] == (current / "osce-kg.nt").read_bytes()


def test_a_release_with_a_store_and_no_site(tmp_path: Path, current: Path) -> None:
    """build --store without --site: the site without the files of the
    entities and graphs (the rest byte for byte the full site's), every
    entity answers from the store; a release without a site loaded later
    with ``osce-kg load`` answers from its store, its name search too."""
    out = tmp_path / "out"
    build(BuildConfig.of([copy_pages(PAGES, tmp_path / "fewer", skip=REMOVED_PAGE)], output=out, store=True, publication=Publication(license=LICENSE)))
    release = Path(os.path.realpath(out / "current"))
    assert release.name == current.name
    shell = {p.relative_to(release / SITE) for p in (release / SITE).rglob("*") if p.is_file()}
    full = {p.relative_to(current / SITE) for p in (current / SITE).rglob("*") if p.is_file()}
    assert Path(SITE_WITHOUT_ENTITIES) in shell
    shell.remove(Path(SITE_WITHOUT_ENTITIES))
    assert shell < full and {"index.html", "sitemap.xml", "search/names.json", "id/dataset.ttl", "ontology.ttl"} <= {str(p) for p in shell}
    assert not any(str(p).startswith(("id/person/", "id/graph/")) for p in shell)
    for name in shell:  # (the dataset's description, the landing page and feed tell the releases: the fixture's has one more)
        if str(name).startswith(("class/", "search/", "ontology")):
            assert (release / SITE / name).read_bytes() == (current / SITE / name).read_bytes(), name
    with running_site(out, prefix="") as base, httpx.Client(base_url=base) as client:
        for local in _entities(release)[::25]:
            for suffix, accept in ACCEPT.items():
                r = client.get("/" + local, headers={"Accept": accept})
                assert r.status_code == 200 and r.headers["content-type"] == MEDIA[suffix], (local, suffix)
                assert r.headers["vary"] == "Accept" and r.content
        page = client.get("/id/person/marta-lindqvist").text
        assert "<h1>Marta Lindqvist</h1>" in page and "Statements per year" in page
        search = client.get("/search/", params={"q": "lindqvist"})
        assert search.status_code == 200 and 'href="../id/person/marta-lindqvist.html"' in search.text
        assert client.get("/id/person/nobody-at-all").status_code == 404
    # a release without a store, loaded afterwards
    plain = tmp_path / "plain"
    build(BuildConfig.of([PAGES], output=plain))
    release = Path(os.path.realpath(plain / "current"))
    result = CliRunner().invoke(main, ["site-serve", str(plain), "--bind", "127.0.0.1:1"])
    assert result.exit_code == 2 and "has no site and no store" in result.output
    result = CliRunner().invoke(main, ["-q", "load", str(release / "osce-kg.nq"), "--store", str(release / STORE)])
    assert result.exit_code == 0, result.output
    app = SiteApp(plain)
    status, headers, body = _call(app, "/id/person/marta-lindqvist", accept="text/turtle")
    assert status == 200 and b"Marta Lindqvist" in body
    environ_query = {"REQUEST_METHOD": "GET", "PATH_INFO": "/search/", "QUERY_STRING": "q=lindqvist", "wsgi.input": io.BytesIO()}
    answer: list[str] = []
    page = b"".join(app(environ_query, lambda status, headers: answer.append(status))).decode("utf-8")
    assert answer == ["200 OK"] and 'href="../id/person/marta-lindqvist.html"' in page


def test_slow_answers_are_kept_within_a_bound(current: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer slower to render than the threshold (here: any) is kept and
    given again as it was; the kept answers stay within their byte bound."""
    monkeypatch.setattr(siteserve, "_SLOW_RENDER", -1.0)
    monkeypatch.setattr(siteserve, "_KEPT_BYTES", 20_000)
    store = SiteApp(current).store(current)
    assert store is not None
    first = store.render("id/country/at", "html")
    assert store.render("id/country/at", "html") is first
    for local in _entities(current)[:40]:
        assert store.render(local, "ttl") == (current / SITE / f"{local}.ttl").read_bytes()
    assert 0 < store._kept_bytes <= 20_000 and len(store._kept) < 40


def test_a_rebuild_of_the_same_data_with_store_adds_the_store_to_the_release(tmp_path: Path) -> None:
    """The same data built again with --store: the release that exists is
    kept (same id) and gets the new build's store, which answers."""
    out = tmp_path / "out"
    first = build(BuildConfig.of([PAGES / "p01-curly-quotes.txt"], output=out)).release
    assert first is not None and not (first / STORE).exists()
    second = build(BuildConfig.of([PAGES / "p01-curly-quotes.txt"], output=out, store=True)).release
    assert second == first and (first / STORE).is_symlink() and (first / STORE).resolve().is_dir()
    assert [p.name for p in (out / "releases").iterdir() if not p.name.startswith(".")] == [first.name]
    local = _entities(first)[0]
    status, headers, body = _call(SiteApp(out), f"/{local}.ttl")
    assert status == 200 and headers["content-type"] == MEDIA["ttl"] and body
    # --store wrote the site without the entities' files; --site on the same data writes them
    assert (first / SITE / SITE_WITHOUT_ENTITIES).is_file() and not (first / SITE / f"{local}.ttl").exists()
    third = build(BuildConfig.of([PAGES / "p01-curly-quotes.txt"], output=out, site=True)).release
    assert third == first and (first / SITE / f"{local}.ttl").read_bytes() == body
    assert not (first / SITE / SITE_WITHOUT_ENTITIES).exists() and (first / STORE).is_symlink()
    assert sorted(p.name for p in first.iterdir() if p.name.startswith(".site")) == []
