"""``osce-kg fetch`` against a web site served by the tests on 127.0.0.1, and
the build of what it wrote: the folder of pages and the WARC file."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, XSD
from warcio.archiveiterator import ArchiveIterator

from osce_kg import BuildConfig, build
from osce_kg.cli import main
from osce_kg.fetch import JOURNAL, FetchOptions, fetch
from osce_kg.vocab import OSCE, SCHEMA
from osce_kg.webarchive import PageMetadata, read_metadata, scan_warc, url_key

from ._fetch_support import Route, Site, serve_site

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus-dev"
TEXT_PAGES = sorted(p for p in CORPUS.glob("*.txt"))[:4]
HTML_PAGE = CORPUS / "05-news-item.html"

FAST = FetchOptions(rate=200.0, retries=2, backoff=0.01, timeout=5.0)


def _opts(**changes) -> FetchOptions:
    from dataclasses import replace

    return replace(FAST, **changes)


def _listing(links: list[str], next_page: str | None = None) -> bytes:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    following = f'<a rel="next" href="{next_page}">Next</a>' if next_page else ""
    return f"<html><head><title>Press releases</title></head><body><h1>Press releases</h1><ul>{anchors}</ul>{following}</body></html>".encode()


def _sitemap(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()


def _site_with_pages(site: Site) -> Site:
    """robots.txt, a sitemap of the text dumps, a listing page (two pages
    long) of HTML items."""
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    for page in TEXT_PAGES:
        site.routes[f"/dumps/{page.name}"] = Route(page.read_bytes(), content_type="text/plain; charset=utf-8")
    site.routes["/sitemap.xml"] = Route(_sitemap([site.url(f"/dumps/{p.name}") for p in TEXT_PAGES]), content_type="application/xml")
    site.routes["/news/item-1"] = Route(HTML_PAGE.read_bytes())
    site.routes["/news/item-2"] = Route(HTML_PAGE.read_bytes().replace(b"</h1>", b" (2)</h1>", 1))
    site.routes["/news/"] = Route(
        _listing(["/news/item-1", "http://example.org/elsewhere", "/files/report.pdf", "/private/secret"], next_page="/news/?page=2")
    )
    site.routes["/news/?page=2"] = Route(_listing(["/news/item-2", "/news/item-1#top"]))
    site.routes["/private/secret"] = Route(b"<html><h1>secret</h1></html>")
    return site


@pytest.fixture()
def site():
    with serve_site() as s:
        yield _site_with_pages(s)


def _paths(site: Site) -> set[str]:
    return {r.path for r in site.requests}


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("url", "content_type", "key"),
    [
        ("https://www.osce.org/news/item-1", "text/html; charset=utf-8", "www.osce.org/news/item-1.html"),
        ("https://www.osce.org/", "text/html", "www.osce.org/index.html"),
        ("https://www.osce.org/a/b.htm", "text/html", "www.osce.org/a/b.htm"),
        ("http://127.0.0.1:8080/x/00001.txt", "text/plain", "127.0.0.1-8080/x/00001.txt"),
        ("http://127.0.0.1:80/x/page.html", "text/plain", "127.0.0.1/x/page.html.txt"),
        ("https://www.osce.org/sitemap.xml", "application/xml", "www.osce.org/sitemap.xml"),
    ],
)
def test_url_key(url: str, content_type: str, key: str) -> None:
    assert url_key(url, content_type) == key


def test_url_key_keeps_queries_and_odd_names_apart() -> None:
    keys = {url_key(f"https://www.osce.org/news?page={n}", "text/html") for n in range(5)}
    assert len(keys) == 5 and all(k.startswith("www.osce.org/news-") and k.endswith(".html") for k in keys)
    odd = url_key("https://www.osce.org/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/../a b", "text/html")
    assert odd.startswith("www.osce.org/") and " " not in odd and ".." not in odd


# --------------------------------------------------------------------------- discovery, robots


def test_sitemap_and_listing_discovery(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    result = fetch([site.url("/sitemap.xml"), site.url("/news/")], out, _opts())
    assert result.exit_code == 0, result.problems
    host = url_key(site.url("/"), None).split("/")[0]
    stored = {o.key for o in result.outcomes if o.status == "fetched"}
    assert stored == {
        f"{host}/sitemap.xml",
        *(f"{host}/dumps/{p.name}" for p in TEXT_PAGES),
        f"{host}/news/index.html",
        url_key(site.url("/news/?page=2"), "text/html"),
        f"{host}/news/item-1.html",
        f"{host}/news/item-2.html",
    }
    # within the site only; never a PDF; robots.txt read once; item-1 (linked twice) asked once
    assert _paths(site) == {
        "/robots.txt", "/sitemap.xml", "/news/", "/news/?page=2", "/news/item-1", "/news/item-2",
        *(f"/dumps/{p.name}" for p in TEXT_PAGES),
    }
    assert len(site.asked("/robots.txt")) == 1 and len(site.asked("/news/item-1")) == 1
    assert [o.url for o in result.outcomes if o.status == "disallowed"] == [site.url("/private/secret")]
    assert (out / f"{host}/dumps/{TEXT_PAGES[0].name}").read_bytes() == TEXT_PAGES[0].read_bytes()


def test_depth_zero_fetches_only_the_pages_given(site: Site, tmp_path: Path) -> None:
    result = fetch([site.url("/news/")], tmp_path / "pages", _opts(depth=0))
    # the next page of a listing is no hop; its items are
    assert _paths(site) == {"/robots.txt", "/news/", "/news/?page=2"}
    assert result.stats.fetched == 2


def test_robots_disallow_is_honoured_for_a_url_given(site: Site, tmp_path: Path) -> None:
    result = fetch([site.url("/private/secret"), site.url("/news/item-1")], tmp_path / "pages", _opts(depth=0))
    assert "/private/secret" not in _paths(site)
    assert [(o.url, o.status) for o in result.problems] == [(site.url("/private/secret"), "disallowed")]
    assert result.exit_code == 1


def test_crawl_delay_of_robots_txt_is_kept(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain")
        for n in range(4):
            site.routes[f"/p{n}"] = Route(f"<html><h1>Page {n}</h1></html>".encode())
        fetch([site.url(f"/p{n}") for n in range(4)], tmp_path / "pages", _opts(rate=1000.0))
        times = [r.time for r in site.requests if r.path.startswith("/p")]
    assert len(times) == 4
    assert (times[-1] - times[0]) / 3 >= 0.3 * 0.8


# --------------------------------------------------------------------------- conditional requests


def test_second_run_sends_validators_and_transfers_only_what_changed(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    first = fetch([site.url("/sitemap.xml"), site.url("/news/")], out, _opts())
    assert first.stats.fetched == 9 and first.stats.unchanged == 0
    site.requests.clear()
    second = fetch([site.url("/sitemap.xml"), site.url("/news/")], out, _opts())
    assert second.stats.fetched == 0 and second.stats.unchanged == 9 and second.stats.bytes == 0
    item = site.asked("/news/item-1")[0]
    assert item.headers["if-none-match"] == site.routes["/news/item-1"].etag
    assert "if-modified-since" in item.headers
    # one page changes: only it is transferred
    site.routes["/news/item-2"] = Route(HTML_PAGE.read_bytes().replace(b"</h1>", b" (changed)</h1>", 1))
    third = fetch([site.url("/sitemap.xml"), site.url("/news/")], out, _opts())
    assert [o.url for o in third.outcomes if o.status == "fetched"] == [site.url("/news/item-2")]
    assert third.stats.unchanged == 8
    host = url_key(site.url("/"), None).split("/")[0]
    assert b"(changed)" in (out / f"{host}/news/item-2.html").read_bytes()


def test_metadata_sidecar(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    fetch([site.url("/news/item-1")], out, _opts(depth=0))
    host = url_key(site.url("/"), None).split("/")[0]
    page = out / f"{host}/news/item-1.html"
    meta = read_metadata(page)
    assert meta is not None
    body = HTML_PAGE.read_bytes()
    import hashlib

    assert (meta.url, meta.final_url, meta.status, meta.content_type) == (site.url("/news/item-1"), site.url("/news/item-1"), 200, "text/html; charset=utf-8")
    assert meta.sha256 == hashlib.sha256(body).hexdigest() and meta.bytes == len(body)
    assert meta.etag == site.routes["/news/item-1"].etag and meta.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT"
    fetched = dt.datetime.fromisoformat(meta.fetched.replace("Z", "+00:00"))
    assert before <= fetched <= dt.datetime.now(dt.timezone.utc)
    assert meta.warc_record_id is None and meta.redirects == []
    # the file's time is the page's Last-Modified, not the fetch
    assert page.stat().st_mtime == 1_700_000_000


def test_redirect_is_followed_and_recorded(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/old"] = Route(status=301, headers={"Location": "/new"}, validators=False)
        site.routes["/new"] = Route(HTML_PAGE.read_bytes())
        result = fetch([site.url("/old")], tmp_path / "pages", _opts(depth=0))
        host = url_key(site.url("/"), None).split("/")[0]
        meta = read_metadata(tmp_path / "pages" / host / "new.html")
        assert result.exit_code == 0
        assert meta is not None and (meta.url, meta.final_url, meta.redirects) == (site.url("/old"), site.url("/new"), [site.url("/old")])


# --------------------------------------------------------------------------- failures


def test_500_is_retried_then_given_up_naming_the_url(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/broken"] = Route(b"oops", status=500, validators=False)
        site.routes["/fine"] = Route(b"<html><h1>Fine</h1></html>")
        result = fetch([site.url("/broken"), site.url("/fine")], tmp_path / "pages", _opts(retries=2))
        assert len(site.asked("/broken")) == 3
    [problem] = result.problems
    assert problem.url == site.url("/broken") and problem.status == "failed"
    assert problem.reason == "HTTP 500 Internal Server Error, given up after 3 attempts"
    assert result.stats.fetched == 1 and result.exit_code == 1


def test_500_then_200_is_fetched_after_a_retry(tmp_path: Path) -> None:
    def flaky(path: str, headers: dict[str, str], count: int):
        if count < 2:
            return 503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy"
        return 200, {"Content-Type": "text/html"}, b"<html><h1>At last</h1></html>"

    with serve_site() as site:
        site.routes["/flaky"] = flaky
        result = fetch([site.url("/flaky")], tmp_path / "pages", _opts(retries=3))
        assert len(site.asked("/flaky")) == 3
    assert result.exit_code == 0 and result.stats.fetched == 1


def test_cli_names_the_url_given_up_and_exits_1(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/broken"] = Route(b"oops", status=500, validators=False)
        run = CliRunner().invoke(
            main, ["fetch", site.url("/broken"), "-o", str(tmp_path / "pages"), "--rate", "100", "--retries", "1", "--backoff", "0"]
        )
    assert run.exit_code == 1, run.output
    assert f"not fetched {site.url('/broken')}: HTTP 500 Internal Server Error, given up after 2 attempts" in run.output


def test_redirect_loop_is_refused(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/a"] = Route(status=302, headers={"Location": "/b"}, validators=False)
        site.routes["/b"] = Route(status=302, headers={"Location": "/a"}, validators=False)
        result = fetch([site.url("/a")], tmp_path / "pages", _opts())
        assert len(site.asked("/a")) == 1 and len(site.asked("/b")) == 1
    [problem] = result.problems
    assert problem.status == "failed"
    assert problem.reason == f"redirect loop refused: {site.url('/a')} -> {site.url('/b')} -> {site.url('/a')}"


def test_too_many_redirects_are_refused(tmp_path: Path) -> None:
    with serve_site() as site:
        for n in range(5):
            site.routes[f"/r{n}"] = Route(status=302, headers={"Location": f"/r{n + 1}"}, validators=False)
        result = fetch([site.url("/r0")], tmp_path / "pages", _opts(max_redirects=3))
    assert result.problems[0].reason.startswith("more than 3 redirects: ")


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(b"x" * 5000, content_type="text/html"), "5,000 bytes (Content-Length), more than the limit of 4,096"),
        (Route(b"\x89PNG\r\n" + bytes(100), content_type="image/png"), "content type image/png, not a page"),
        (Route(b"MZ" + bytes(100), content_type="application/octet-stream"), "content type application/octet-stream, not a page"),
        (Route(b"<html>\x00\x01\x02</html>", content_type="text/html"), "binary content (NUL bytes), not a page"),
    ],
)
def test_huge_or_binary_response_is_refused(tmp_path: Path, route: Route, reason: str) -> None:
    with serve_site() as site:
        site.routes["/thing"] = route
        result = fetch([site.url("/thing")], tmp_path / "pages", _opts(max_bytes=4096))
    [problem] = result.problems
    assert problem.status == "refused" and problem.reason.startswith(reason)
    assert not any(p.is_file() and not p.name.startswith(".") for p in (tmp_path / "pages").rglob("*"))


def test_huge_response_without_content_length_is_cut(tmp_path: Path) -> None:
    def endless(path: str, headers: dict[str, str], count: int):
        return 200, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"}, b"<html>" + b"y" * 10_000

    with serve_site() as site:
        site.routes["/big"] = endless
        result = fetch([site.url("/big")], tmp_path / "pages", _opts(max_bytes=4096))
    [problem] = result.problems
    assert (problem.status, problem.reason) == ("refused", "more than the limit of 4,096 bytes")


def test_unreachable_site_exits_3_naming_the_url(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = CliRunner().invoke(main, ["fetch", f"http://127.0.0.1:{port}/news", "-o", str(tmp_path / "p"), "--retries", "0"])
    assert run.exit_code == 3, run.output
    assert f"error: http://127.0.0.1:{port}/robots.txt: the site cannot be reached" in run.output


def test_bad_url_is_a_usage_error(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["fetch", "ftp://example.org/x", "-o", str(tmp_path / "p")])
    assert run.exit_code == 2
    assert "error: ftp://example.org/x: not an http(s) URL" in run.output


# --------------------------------------------------------------------------- rate limit


def test_rate_limit_is_held(tmp_path: Path) -> None:
    with serve_site() as site:
        for n in range(8):
            site.routes[f"/p{n}"] = Route(f"<html><h1>Page {n}</h1></html>".encode())
        result = fetch([site.url(f"/p{n}") for n in range(8)], tmp_path / "pages", _opts(rate=5.0))
        times = sorted(r.time for r in site.requests)
    assert result.stats.fetched == 8 and len(times) == 9  # robots.txt and the pages
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate <= 5.0 * 1.25


# --------------------------------------------------------------------------- resume


def test_interrupted_run_is_resumed_without_asking_again(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    warc = tmp_path / "crawl.warc.gz"
    seen: list[int] = []

    def stop_after_three(stats) -> None:
        seen.append(stats.done)
        if stats.done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch([site.url("/sitemap.xml"), site.url("/news/")], out, _opts(warc=warc), progress=stop_after_three)
    assert (out / JOURNAL).is_file()
    first_paths = [r.path for r in site.requests if r.path != "/robots.txt"]
    assert len(first_paths) == 3
    site.requests.clear()
    result = fetch([site.url("/sitemap.xml"), site.url("/news/")], out, _opts(warc=warc))
    assert result.resumed and result.stats.fetched == 6
    assert not set(first_paths) & _paths(site)
    assert not (out / JOURNAL).exists()
    with warc.open("rb") as fh:
        responses = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert len(responses) == len(set(responses)) == 9


# --------------------------------------------------------------------------- WARC and build


def _assert_same_dataset(a: Dataset, b: Dataset) -> None:
    """The same named graphs, each isomorphic to its namesake."""
    names_a = {g.identifier for g in a.graphs() if len(g)}
    names_b = {g.identifier for g in b.graphs() if len(g)}
    assert names_a == names_b
    for name in names_a:
        assert isomorphic(a.graph(name), b.graph(name)), name


def _quads_without_fetch_provenance(ds: Dataset) -> set:
    """The quads of the data graphs but those about a page's named graph."""
    graph_names = {g.identifier for g in ds.graphs()}
    return {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads() if s not in graph_names}


@pytest.mark.slow
def test_warc_builds_the_same_graph_as_the_folder(site: Site, tmp_path: Path) -> None:
    out, warc = tmp_path / "pages", tmp_path / "crawl.warc.gz"
    result = fetch([site.url("/sitemap.xml"), site.url("/news/")], out, _opts(warc=warc))
    assert result.exit_code == 0
    assert len(scan_warc(warc)) == 8  # the pages; the sitemap is no page
    from_folder = build(BuildConfig.of([out], output=tmp_path / "dist-folder", jobs=1))
    from_warc = build(BuildConfig.of([warc], output=tmp_path / "dist-warc", jobs=1))
    assert [p.key for p in from_folder.pages] == [p.key for p in from_warc.pages]
    # the same pages skipped, for the same reasons (named by the file, or by the WARC file)
    assert [(p.key, p.skipped) for p in from_folder.pages] == [(p.key, p.skipped) for p in from_warc.pages]
    assert {s.path for s in from_warc.skipped} <= {warc}
    # the sidecars hold the WARC record ids: the same graph, provenance included
    _assert_same_dataset(from_folder.dataset, from_warc.dataset)
    assert from_warc.triples == from_folder.triples

    # the same files on disk (laid out as their keys, so that their named
    # graphs and item IRIs are the same) give the same data, but for the provenance
    originals = tmp_path / "originals"
    for path, route in site.routes.items():
        if isinstance(route, Route) and route.status == 200 and path not in ("/robots.txt", "/sitemap.xml", "/private/secret"):
            target = originals / url_key(site.url(path), route.content_type)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(route.body)
    from_disk = build(BuildConfig.of([originals], output=tmp_path / "dist-disk", jobs=1))
    assert [p.key for p in from_disk.pages] == [p.key for p in from_warc.pages]
    without = _quads_without_fetch_provenance(from_warc.dataset)
    assert without == _quads_without_fetch_provenance(from_disk.dataset)
    assert len(set(from_warc.dataset.quads())) - len(without) == 5 * len(from_warc.exported)


@pytest.mark.slow
def test_provenance_of_the_fetch_in_the_page_graph_and_void(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/news/item-1"] = Route(HTML_PAGE.read_bytes())
        out, warc = tmp_path / "pages", tmp_path / "crawl.warc"
        fetch([site.url("/news/item-1")], out, _opts(warc=warc, depth=0))
        url = site.url("/news/item-1")
    key = url_key(url, "text/html")
    meta = read_metadata(out / key)
    assert meta is not None and meta.warc_record_id is not None
    with warc.open("rb") as fh:
        records = [(r.rec_headers, r.content_stream().read()) for r in ArchiveIterator(fh) if r.rec_type == "response"]
    [(headers, body)] = records
    assert headers.get_header("WARC-Target-URI") == url
    assert headers.get_header("WARC-Date") == meta.fetched
    assert headers.get_header("WARC-Record-ID") == f"<{meta.warc_record_id}>"
    assert body == HTML_PAGE.read_bytes()
    result = build(BuildConfig.of([warc], output=tmp_path / "dist", jobs=1))
    assert result.exit_code == 0
    graph_iri = URIRef(result.pages[0].graph)
    g = result.dataset.graph(graph_iri)
    about = set(g.predicate_objects(graph_iri))
    assert about == {
        (RDF.type, PROV.Entity),
        (SCHEMA.url, Literal(url, datatype=XSD.anyURI)),
        (PROV.wasDerivedFrom, URIRef(url)),
        (PROV.generatedAtTime, Literal(meta.fetched, datatype=XSD.dateTime)),
        (OSCE.warcRecordId, Literal(meta.warc_record_id, datatype=XSD.anyURI)),
    }
    # the fetch date is never the publication date
    fetched = dt.date.fromisoformat(meta.fetched[:10])
    assert all(o.toPython() != fetched for o in g.objects(None, SCHEMA.datePublished))
    from rdflib import Graph

    void = Graph().parse(tmp_path / "dist" / "void.ttl")
    crawl = URIRef("https://w3id.org/osce-kg/id/dataset/crawl")
    assert (URIRef("https://w3id.org/osce-kg/id/dataset"), PROV.wasGeneratedBy, crawl) in void
    assert void.value(crawl, PROV.startedAtTime) == Literal(meta.fetched, datatype=XSD.dateTime)
    assert void.value(crawl, PROV.endedAtTime) == Literal(meta.fetched, datatype=XSD.dateTime)


def test_pages_not_fetched_have_no_fetch_provenance(seed_build) -> None:
    names = {g.identifier for g in seed_build.dataset.graphs()}
    assert not any(s in names for s, _p, _o, _g in seed_build.dataset.quads((None, None, None, None)))
    assert not list(seed_build.dataset.quads((None, PROV.generatedAtTime, None, None)))


def test_warc_latest_record_of_a_uri_is_the_page(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/p"] = Route(b"<html><h1>Old</h1></html>")
        warc = tmp_path / "crawl.warc.gz"
        fetch([site.url("/p")], tmp_path / "a", _opts(warc=warc))
        site.routes["/p"] = Route(b"<html><h1>New</h1></html>")
        fetch([site.url("/p")], tmp_path / "b", _opts(warc=warc))
    [ref] = scan_warc(warc)
    from osce_kg.sources import find_sources, read_source

    [source] = find_sources([warc])
    assert source.record == ref
    assert "New" in read_source(source).text


def test_bad_warc_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"this is not a web archive at all\n" * 10)
    run = CliRunner().invoke(main, ["build", str(bad), "-o", str(tmp_path / "dist")])
    assert run.exit_code == 2
    assert f"error: {bad}: not a WARC file" in run.output


def test_damaged_sidecar_is_named(tmp_path: Path) -> None:
    page = tmp_path / "pages" / "a.html"
    page.parent.mkdir()
    page.write_bytes(HTML_PAGE.read_bytes())
    (tmp_path / "pages" / "a.html.fetch.json").write_text("{not json")
    result = build(BuildConfig.of([tmp_path / "pages"], output=tmp_path / "dist", jobs=1))
    [skipped] = result.skipped
    assert skipped.reason.startswith("its metadata a.html.fetch.json is not valid fetch metadata: ")


def test_metadata_round_trip() -> None:
    meta = PageMetadata("http://a/x", "http://a/y", 200, "text/html", "2024-05-06T07:08:09Z", "ab", "sha1:CD", 2, etag='"e"', redirects=["http://a/x"])
    assert PageMetadata.from_json(meta.to_json()) == meta
    assert json.loads(meta.to_json())["final_url"] == "http://a/y"


def test_concurrent_requests_keep_the_rate_of_a_site(tmp_path: Path) -> None:
    with serve_site() as site:
        for n in range(8):
            site.routes[f"/p{n}"] = Route(f"<html><h1>Page {n}</h1></html>".encode())
        result = fetch([site.url(f"/p{n}") for n in range(8)], tmp_path / "pages", _opts(rate=5.0, concurrency=3))
        times = sorted(r.time for r in site.requests)
    assert result.stats.fetched == 8
    assert (len(times) - 1) / (times[-1] - times[0]) <= 5.0 * 1.25


def test_second_run_with_a_warc_writes_a_revisit_record(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/p"] = Route(b"<html><h1>Same</h1></html>")
        out, warc = tmp_path / "pages", tmp_path / "crawl.warc.gz"
        fetch([site.url("/p")], out, _opts(warc=warc))
        second = fetch([site.url("/p")], out, _opts(warc=warc))
    assert second.stats.unchanged == 1
    meta = read_metadata(out / url_key(site.url("/p"), "text/html"))
    assert meta is not None and meta.checked is not None
    with warc.open("rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Refers-To")) for r in ArchiveIterator(fh)]
    assert [t for t, _ in records] == ["warcinfo", "response", "warcinfo", "revisit"]
    assert records[3][1] == f"<{meta.warc_record_id}>"
    assert [r.uri for r in scan_warc(warc)] == [site.url("/p")]


def test_half_written_warc_record_is_cut_before_appending(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/a"] = Route(b"<html><h1>A</h1></html>")
        site.routes["/b"] = Route(b"<html><h1>B</h1></html>")
        warc = tmp_path / "crawl.warc"
        fetch([site.url("/a")], tmp_path / "pages", _opts(warc=warc))
        with warc.open("ab") as fh:  # an interrupted write
            fh.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\n")
        fetch([site.url("/b")], tmp_path / "pages", _opts(warc=warc))
    assert [r.uri for r in scan_warc(warc)] == [site.url("/a"), site.url("/b")]


def test_cli_fetch_then_build_of_the_warc(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
        site.routes["/dumps/a.txt"] = Route(TEXT_PAGES[0].read_bytes(), content_type="text/plain")
        warc = tmp_path / "crawl.warc.gz"
        run = CliRunner().invoke(main, ["fetch", site.url("/dumps/a.txt"), "-o", str(tmp_path / "pages"), "--warc", str(warc), "--rate", "100"])
    assert run.exit_code == 0, run.output
    assert "1 fetched, 0 unchanged, 0 failed, 0 refused, 0 disallowed by robots.txt" in run.output
    built = CliRunner().invoke(main, ["build", str(warc), "-o", str(tmp_path / "dist"), "-j", "1"])
    assert built.exit_code == 0, built.output
    report = json.loads((tmp_path / "dist" / "build-report.json").read_text())
    assert report["exported"] == [url_key(site.url("/dumps/a.txt"), "text/plain")]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
@pytest.mark.parametrize("cut", [0.3, 0.7, 0.98])
def test_a_record_cut_anywhere_is_removed_before_appending(tmp_path: Path, name: str, cut: float) -> None:
    with serve_site() as site:
        site.routes["/a"] = Route(b"<html><h1>A</h1>" + b"<p>text</p>" * 200 + b"</html>")
        site.routes["/b"] = Route(b"<html><h1>B</h1></html>")
        warc = tmp_path / name
        fetch([site.url("/a")], tmp_path / "one", _opts(warc=warc))
        whole = warc.read_bytes()
        records = tmp_path / "copy.warc"
        fetch([site.url("/a")], tmp_path / "two", _opts(warc=records if not name.endswith(".gz") else tmp_path / "copy.warc.gz"))
        extra = (records if not name.endswith(".gz") else tmp_path / "copy.warc.gz").read_bytes()
        warc.write_bytes(whole + extra[: int(len(extra) * cut)])
        fetch([site.url("/b")], tmp_path / "three", _opts(warc=warc))
    assert [r.uri for r in scan_warc(warc)] == [site.url("/a"), site.url("/b")]


def test_robots_txt_behind_a_redirect_is_read(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/robots.txt"] = Route(status=301, headers={"Location": "/rules.txt"}, validators=False)
        site.routes["/rules.txt"] = Route(b"User-agent: *\nDisallow: /no/\n", content_type="text/plain")
        site.routes["/no/page"] = Route(b"<html><h1>No</h1></html>")
        site.routes["/yes"] = Route(b"<html><h1>Yes</h1></html>")
        result = fetch([site.url("/no/page"), site.url("/yes")], tmp_path / "pages", _opts(depth=0))
        assert "/no/page" not in _paths(site)
    assert [(o.url, o.status) for o in result.outcomes] == [(site.url("/no/page"), "disallowed"), (site.url("/yes"), "fetched")]


def test_robots_txt_that_fails_disallows_everything(tmp_path: Path) -> None:
    with serve_site() as site:
        site.routes["/robots.txt"] = Route(b"down", status=503, validators=False)
        site.routes["/yes"] = Route(b"<html><h1>Yes</h1></html>")
        result = fetch([site.url("/yes")], tmp_path / "pages", _opts(depth=0, retries=1))
        assert "/yes" not in _paths(site) and len(site.asked("/robots.txt")) == 2
    assert [(o.status, o.reason) for o in result.outcomes] == [("disallowed", "given: disallowed by robots.txt")]


def test_every_record_of_a_warc_is_a_page_and_a_warc_given_twice_is_read_once(tmp_path: Path) -> None:
    from osce_kg.pipeline import distinct_sources
    from osce_kg.sources import find_sources

    with serve_site() as site:
        for n in range(3):
            site.routes[f"/p{n}"] = Route(f"<html><h1>Page {n}</h1></html>".encode())
        warc = tmp_path / "crawl.warc.gz"
        fetch([site.url(f"/p{n}") for n in range(3)], tmp_path / "pages", _opts(warc=warc, depth=0))
    refs = distinct_sources(find_sources([warc, warc]))
    assert [r.record.uri for r in refs if r.record] == [site.url(f"/p{n}") for n in range(3)]
