"""``osce-kg sync FEED STORE`` (osce_kg.store.sync): an embedded store
loaded from one release is brought up to a later release by following the
change feed, and then holds exactly the quads a fresh load of the later
release's dumps gives (README, "Releases and their changes";
ARCHITECTURE.md, "Change stream", "Following the feed").

Data: three releases built by the project's pipeline from the invented
test pages (tests/pages):

- A: every page but ``LATE``;
- B: ``CHANGED`` with one more quotation, ``GONE`` removed;
- C: ``LATE`` added, ``CHANGED_LATER`` with one more quotation, ``GONE``
  back (deleted in B, created again in C: the newest member wins).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ._build_support import copy_pages
from ._lod_support import running_oxigraph, running_site
from osce_kg import BuildConfig, build
from osce_kg.cli import main
from osce_kg.errors import HistoryGap, SiteError, SourceError, StoreError, UsageError
from osce_kg.publish.feed import FEED, FEED_INDEX, page_file

from osce_kg.store.bulkload import bulk_load_store, held_release
from osce_kg.store.embedded import load_store_folder
from osce_kg.store.remote import RetryPolicy, load_endpoint
from osce_kg.store.sync import mirror_roots, sync_store

PAGES = Path(__file__).parent / "pages"
GRAPH = "https://w3id.org/osce-kg/id/graph/page-"
CHANGED, GONE, LATE, CHANGED_LATER = "p01-curly-quotes.txt", "p14-indirect-speech.txt", "p13-following-statement.txt", "p02-straight-quotes.txt"
ADDED_TEXT = "\n“Patience is the first tool of a mediator,” said Ilse Vandenbroucke.\n"
LATER_TEXT = "\n“Every ceasefire starts with a telephone call,” said Tomasz Wierzbicki.\n"


def _graph(page: str) -> str:
    return GRAPH + page.replace(".", "-")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of releases A, B and C (C current), with sites."""
    tmp = tmp_path_factory.mktemp("sync")
    src = copy_pages(PAGES, tmp / "src", skip=LATE)
    out = tmp / "out"
    build(BuildConfig.of([src], output=out, site=True))
    with open(src / CHANGED, "a", encoding="utf-8") as fh:
        fh.write(ADDED_TEXT)
    (src / GONE).unlink()
    build(BuildConfig.of([src], output=out, site=True))
    shutil.copyfile(PAGES / LATE, src / LATE)
    shutil.copyfile(PAGES / GONE, src / GONE)
    with open(src / CHANGED_LATER, "a", encoding="utf-8") as fh:
        fh.write(LATER_TEXT)
    build(BuildConfig.of([src], output=out, site=True))
    return out


@pytest.fixture(scope="module")
def releases(out: Path) -> dict[str, Path]:
    """``{"A": folder, "B": …, "C": …}`` by the length of their feeds."""
    found = [p for p in (out / "releases").iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(found) == 3
    by_pages = sorted(found, key=lambda p: len(list((p / FEED).glob("*.jsonld"))))
    assert Path(os.path.realpath(out / "current")) == by_pages[-1]
    return dict(zip("ABC", by_pages))


def _store_of(release: Path, path: Path) -> Path:
    load_store_folder(path, [release])
    return path


def _quads(path: Path) -> set[ox.Quad]:
    """Every quad of the store at ``path`` (named graphs and the union in
    the default graph), read from its current generation."""
    store = ox.Store.read_only(os.path.realpath(path))
    try:
        return set(store)
    finally:
        del store


def _generation(path: Path) -> str:
    return os.path.realpath(path)


@pytest.fixture(scope="module")
def fresh(releases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[ox.Quad]]:
    """The quads of a fresh load of each release's dumps."""
    tmp = tmp_path_factory.mktemp("fresh")
    return {name: _quads(_store_of(folder, tmp / name)) for name, folder in releases.items()}


# -- the feed and the record --------------------------------------------------

def test_load_of_a_release_records_its_version(releases: dict[str, Path], tmp_path: Path) -> None:
    store = _store_of(releases["A"], tmp_path / "db")
    assert held_release(store) == releases["A"].name
    # other files record nothing: the store then holds no known release
    load_store_folder(tmp_path / "other", [releases["A"] / "osce-kg.nt"])
    assert held_release(tmp_path / "other") is None


def test_load_of_a_release_over_one_with_graphs_it_lacks_records_no_release(releases: dict[str, Path], fresh: dict[str, set[ox.Quad]],
                                                                           tmp_path: Path) -> None:
    """Regression: a load of release B into a store of release A kept the
    graph B deleted and still recorded B, so a later sync never dropped it."""
    store = _store_of(releases["A"], tmp_path / "db")
    load_store_folder(store, [releases["B"]])
    assert _quads(store) != fresh["B"]  # the graph B deleted is still there
    assert held_release(store) is None
    # a store whose graphs the release replaces all records it
    load_store_folder(store, [releases["A"]])
    assert _quads(store) == fresh["A"] and held_release(store) == releases["A"].name


def test_pages_name_the_release_their_changes_are_from(releases: dict[str, Path]) -> None:
    folder = releases["C"] / FEED
    collection = json.loads((folder / FEED_INDEX).read_text(encoding="utf-8"))
    newest = json.loads((folder / page_file(collection["first"]["id"])).read_text(encoding="utf-8"))
    older = json.loads((folder / page_file(newest["next"])).read_text(encoding="utf-8"))
    base = "https://w3id.org/osce-kg/id/dataset/release/"
    assert newest["previousVersion"] == base + releases["B"].name
    assert older["previousVersion"] == base + releases["A"].name  # carried over from B's feed
    assert "next" not in older


def test_mirror_roots() -> None:
    assert mirror_roots("https://w3id.org/osce-kg/id/dataset/feed", "http://127.0.0.1:8080/osce-kg/id/dataset/feed") == (
        "https://w3id.org", "http://127.0.0.1:8080")
    assert mirror_roots("https://w3id.org/osce-kg/id/dataset/feed", "http://h:1/id/dataset/feed.jsonld") == (
        "https://w3id.org/osce-kg", "http://h:1")
    # the same: read as it is
    feed = "https://w3id.org/osce-kg/id/dataset/feed"
    assert mirror_roots(feed, feed) == (feed, feed)


# -- following the feed ---------------------------------------------------------

@pytest.mark.parametrize("start, target", [("A", "B"), ("B", "C"), ("A", "C")])
def test_sync_gives_the_quads_of_a_fresh_load(out: Path, releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path,
                                                start: str, target: str) -> None:
    store = _store_of(releases[start], tmp_path / "db")
    feed = releases[target] / FEED / FEED_INDEX
    outcome = sync_store(str(feed), store)
    assert (outcome.held, outcome.version) == (releases[start].name, releases[target].name)
    assert held_release(store) == releases[target].name
    assert _quads(store) == fresh[target]
    assert _quads(store) != fresh[start]


def test_delete_and_create_are_applied(releases: dict[str, Path], tmp_path: Path) -> None:
    store = _store_of(releases["A"], tmp_path / "db")
    outcome = sync_store(str(releases["B"]), store)
    assert outcome.deleted == (_graph(GONE),) and outcome.created == () and outcome.updated == (_graph(CHANGED),)
    graphs = {q.graph_name.value for q in _quads(store) if isinstance(q.graph_name, ox.NamedNode)}
    assert _graph(GONE) not in graphs and _graph(LATE) not in graphs
    statement = next(q for q in _quads(store) if isinstance(q.object, ox.Literal) and "first tool of a mediator" in q.object.value)
    assert statement.graph_name == ox.NamedNode(_graph(CHANGED))
    outcome = sync_store(str(releases["C"]), store)
    # GONE was deleted in B and created again in C: the newest member wins
    assert outcome.created == tuple(sorted((_graph(GONE), _graph(LATE)))) and outcome.deleted == ()
    graphs = {q.graph_name.value for q in _quads(store) if isinstance(q.graph_name, ox.NamedNode)}
    assert {_graph(GONE), _graph(LATE)} <= graphs


def test_newest_member_wins_over_two_releases(releases: dict[str, Path], tmp_path: Path) -> None:
    store = _store_of(releases["A"], tmp_path / "db")
    outcome = sync_store(str(releases["C"]), store)
    assert outcome.deleted == ()  # GONE: Delete in B, Create in C
    assert _graph(GONE) in outcome.updated + outcome.created
    assert set(outcome.updated) >= {_graph(CHANGED), _graph(CHANGED_LATER)}
    assert _graph(LATE) in outcome.created


def test_up_to_date_is_a_no_op(releases: dict[str, Path], tmp_path: Path) -> None:
    store = _store_of(releases["C"], tmp_path / "db")
    before, generation = _quads(store), _generation(store)
    outcome = sync_store(str(releases["C"]), store)
    assert outcome.up_to_date and outcome.load is None and outcome.version == releases["C"].name
    assert _generation(store) == generation and _quads(store) == before


def test_output_folder_and_feed_folder_are_feeds(out: Path, releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path) -> None:
    for n, feed in enumerate((out, out / "current" / FEED)):
        store = _store_of(releases["B"], tmp_path / f"db{n}")
        assert sync_store(str(feed), store).version == releases["C"].name
        assert _quads(store) == fresh["C"]


def test_local_feed_without_site_reads_the_release_dump(out: Path, releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    for release in (copy / "releases").iterdir():
        shutil.rmtree(release / "site", ignore_errors=True)
    store = _store_of(releases["A"], tmp_path / "db")
    sync_store(str(copy), store)
    assert _quads(store) == fresh["C"]


# -- failures leave the store as it was -------------------------------------

def _truncated_copy(out: Path, tmp_path: Path) -> Path:
    """A copy of ``out`` whose current feed has lost its older page."""
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    folder = copy / "current" / FEED
    collection = json.loads((folder / FEED_INDEX).read_text(encoding="utf-8"))
    newest_file = folder / page_file(collection["first"]["id"])
    newest = json.loads(newest_file.read_text(encoding="utf-8"))
    del newest["next"]
    newest_file.write_text(json.dumps(newest), encoding="utf-8")
    return copy


def test_history_that_does_not_reach_back_is_an_error(out: Path, releases: dict[str, Path], tmp_path: Path) -> None:
    store = _store_of(releases["A"], tmp_path / "db")
    before, generation = _quads(store), _generation(store)
    copy = _truncated_copy(out, tmp_path)
    with pytest.raises(HistoryGap) as caught:
        sync_store(str(copy), store)
    message = str(caught.value)
    assert f"does not reach back to release {releases['A'].name}" in message and "load the current release's dumps" in message
    assert f"oldest changes are those of release {releases['C'].name}" in message
    assert caught.value.exit_code == 4
    assert _generation(store) == generation and _quads(store) == before and held_release(store) == releases["A"].name
    # the CLI: exit 4, the message on stderr
    result = CliRunner().invoke(main, ["sync", str(copy), str(store)])
    assert result.exit_code == 4, result.output
    assert "does not reach back" in result.stderr
    assert _generation(store) == generation


def test_a_store_of_an_unknown_release_is_a_history_gap(releases: dict[str, Path], tmp_path: Path) -> None:
    load_store_folder(tmp_path / "other", [releases["A"] / "osce-kg.nt"])
    with pytest.raises(UsageError, match="records no release"):
        sync_store(str(releases["C"]), tmp_path / "other")
    with pytest.raises(HistoryGap):
        sync_store(str(releases["C"]), tmp_path / "other", since="20000101-000000000000")
    with pytest.raises(StoreError, match="no store at"):
        sync_store(str(releases["C"]), tmp_path / "missing")


def _broken_copy(out: Path, tmp_path: Path, page: str, body: bytes) -> Path:
    """A copy of ``out`` whose current release's N-Quads of ``page``'s graph are ``body``."""
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    target = copy / "current" / "site" / "id" / "graph" / (_graph(page)[len(GRAPH) - len("page-"):] + ".nq")
    assert target.is_file(), target
    target.unlink()  # a hard link to the release's file: write a new one
    target.write_bytes(body)
    return copy


@pytest.mark.parametrize("body, reason", [
    (b"<https://example.org/s> <https://example.org/p> \"unterminated .\n", "do not parse"),
    (b"<https://example.org/s> <https://example.org/p> <https://example.org/o> <https://example.org/other-graph> .\n", "not only of"),
    (b"", "holds no quad"),
])
def test_broken_member_quads_leave_the_store_unchanged(out: Path, releases: dict[str, Path], tmp_path: Path, body: bytes, reason: str) -> None:
    store = _store_of(releases["B"], tmp_path / "db")
    before, generation = _quads(store), _generation(store)
    copy = _broken_copy(out, tmp_path, LATE, body)
    with pytest.raises(SourceError) as caught:
        sync_store(str(copy), store)
    assert reason in str(caught.value) and "page-p13-following-statement-txt.nq" in str(caught.value)
    assert caught.value.exit_code == 2
    assert _generation(store) == generation and _quads(store) == before and held_release(store) == releases["B"].name
    result = CliRunner().invoke(main, ["sync", str(copy), str(store)])
    assert result.exit_code == 2 and reason in result.stderr


def test_missing_page_is_named(out: Path, releases: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    folder = copy / "current" / FEED
    collection = json.loads((folder / FEED_INDEX).read_text(encoding="utf-8"))
    (folder / page_file(collection["last"]["id"])).unlink()
    store = _store_of(releases["A"], tmp_path / "db")
    generation = _generation(store)
    with pytest.raises(SourceError, match=r"\.jsonld: file not found"):
        sync_store(str(copy), store)
    assert _generation(store) == generation


# -- over HTTP from site-serve ---------------------------------------------------

@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[str]:
    with running_site(out) as base:
        yield base + "/"


def test_sync_over_http(server: str, releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path) -> None:
    store = _store_of(releases["A"], tmp_path / "db")
    outcome = sync_store(server + "id/dataset/feed", store)
    assert outcome.feed == server + "id/dataset/feed" and outcome.version == releases["C"].name
    assert _quads(store) == fresh["C"]
    # the CLI, up to date now
    result = CliRunner().invoke(main, ["sync", server + "id/dataset/feed", str(store)])
    assert result.exit_code == 0 and "nothing to do" in result.stderr


def test_sync_over_http_cli_prints_the_graphs(server: str, releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path) -> None:
    store = _store_of(releases["A"], tmp_path / "db")
    result = CliRunner().invoke(main, ["sync", server + "id/dataset/feed.jsonld", str(store)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"Create\t{_graph(LATE)}" in lines and f"Update\t{_graph(CHANGED)}" in lines
    assert f"synced {store} from release {releases['A'].name} to {releases['C'].name}" in result.stderr
    assert _quads(store) == fresh["C"]


def test_unreachable_server_leaves_the_store_unchanged(releases: dict[str, Path], tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = _store_of(releases["A"], tmp_path / "db")
    generation = _generation(store)
    url = f"http://127.0.0.1:{port}/osce-kg/id/dataset/feed"
    with pytest.raises(SiteError, match=rf"127\.0\.0\.1:{port}/osce-kg/id/dataset/feed: cannot be read after 1 attempt"):
        sync_store(url, store, policy=RetryPolicy(retries=0, timeout=2))
    assert _generation(store) == generation
    result = CliRunner().invoke(main, ["sync", url, str(store), "--retries", "0"])
    assert result.exit_code == 3 and "cannot be read" in result.stderr


def test_failing_graph_request_leaves_the_store_unchanged(server: str, releases: dict[str, Path], tmp_path: Path) -> None:
    """A 5xx for a graph's quads, retried, then a SiteError: nothing changed."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith(".nq"):
            return httpx.Response(503, text="busy")
        real = httpx.get(str(request.url).replace("http://mirror.test/", server), headers=dict(request.headers))
        return httpx.Response(real.status_code, headers={"content-type": real.headers["content-type"]}, content=real.content)

    store = _store_of(releases["A"], tmp_path / "db")
    before, generation = _quads(store), _generation(store)
    with pytest.raises(SiteError, match=r"\.nq: cannot be read after 2 attempt\(s\): HTTP 503"):
        sync_store("http://mirror.test/id/dataset/feed", store, policy=RetryPolicy(retries=1, backoff=0), transport=httpx.MockTransport(handler))
    assert any(u.startswith("http://mirror.test/releases/") and u.endswith(".nq") for u in seen)  # result links read on the mirror
    assert _generation(store) == generation and _quads(store) == before


def test_gone_result_link_reads_the_graph_itself(server: str, releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path) -> None:
    """A ``result`` link of a release no longer kept answers 410: the
    graph's IRI, asked for N-Quads, gives its current quads."""
    asked: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append((request.url.path, request.headers.get("accept", "")))
        if request.url.path.startswith("/releases/"):
            return httpx.Response(410, text="gone")
        real = httpx.get(str(request.url).replace("http://mirror.test/", server), headers={"Accept": request.headers["accept"]})
        return httpx.Response(real.status_code, headers={"content-type": real.headers["content-type"]}, content=real.content)

    store = _store_of(releases["B"], tmp_path / "db")
    sync_store("http://mirror.test/id/dataset/feed", store, transport=httpx.MockTransport(handler))
    assert _quads(store) == fresh["C"]
    assert ("/id/graph/" + _graph(LATE)[len(GRAPH) - len("page-"):], "application/n-quads") in asked


def test_since_names_the_release_of_a_store_that_records_none(releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path) -> None:
    load_store_folder(tmp_path / "db", [releases["B"] / "osce-kg.nq", releases["B"] / "osce-kg.nt"])
    assert held_release(tmp_path / "db") is None
    result = CliRunner().invoke(main, ["sync", str(releases["C"]), str(tmp_path / "db")])
    assert result.exit_code == 2 and "--since VERSION" in result.stderr
    result = CliRunner().invoke(main, ["sync", str(releases["C"]), str(tmp_path / "db"), "--since", releases["B"].name])
    assert result.exit_code == 0, result.output
    assert held_release(tmp_path / "db") == releases["C"].name
    graphs = {q.graph_name for q in _quads(tmp_path / "db") if isinstance(q.graph_name, ox.NamedNode)}
    # the release's graphs are C's; the graph of the .nt file loaded beside it is kept
    assert graphs - {q.graph_name for q in fresh["C"]} == {ox.NamedNode((releases["B"] / "osce-kg.nt").resolve().as_uri())}


def test_a_load_meanwhile_is_not_overwritten(releases: dict[str, Path], tmp_path: Path) -> None:
    """The store's record is checked again under the load lock: a sync
    prepared from release A does not replace a store that holds B by then."""
    store = _store_of(releases["B"], tmp_path / "db")
    generation = _generation(store)
    empty = tmp_path / "graphs.nq"
    empty.write_bytes(b"")
    with pytest.raises(StoreError, match=f"changed while the update was prepared .*held release {releases['A'].name}, now {releases['B'].name}"):
        bulk_load_store(store, [empty], version=releases["C"].name, expect_version=releases["A"].name)
    assert _generation(store) == generation and held_release(store) == releases["B"].name


# -- a remote store ---------------------------------------------------------------

def test_sync_a_remote_store(out: Path, releases: dict[str, Path], fresh: dict[str, set[ox.Quad]], tmp_path: Path) -> None:
    """``--endpoint`` (Oxigraph's SPARQL Update service) and ``--state``:
    the remote store then holds C's named graphs; a history gap sends
    nothing."""
    location = tmp_path / "remote"
    state = tmp_path / "state.json"
    with running_oxigraph(location) as srv:
        load_endpoint(srv.store_url, [releases["A"]])
        before = srv.count_quads()
        args = ["sync", str(releases["C"]), "--endpoint", srv.base + "/update", "--state", str(state)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "--since VERSION" in result.stderr and not state.exists()
        result = CliRunner().invoke(main, ["sync", str(_truncated_copy(out, tmp_path)), *args[2:], "--since", releases["A"].name])
        assert result.exit_code == 4 and srv.count_quads() == before and not state.exists()
        result = CliRunner().invoke(main, [*args, "--since", releases["A"].name])
        assert result.exit_code == 0, result.output
        assert f"Create\t{_graph(LATE)}" in result.stdout.splitlines()
        assert json.loads(state.read_text(encoding="utf-8"))["version"] == releases["C"].name
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "nothing to do" in result.stderr
    remote = ox.Store.read_only(str(location))
    named = {q for q in remote if not isinstance(q.graph_name, ox.DefaultGraph)}
    del remote
    assert named == {q for q in fresh["C"] if not isinstance(q.graph_name, ox.DefaultGraph)}
