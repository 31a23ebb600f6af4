"""The minor faults of issue 21, one regression test each: site-serve's
long segments, ``--prefix`` without its slash, HTML 404/410, ``Accept:
,,,,``; two builds into one folder; ``load`` of an empty dump; ``validate
DIR``; the README's Python example."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from osce_kg import BuildConfig, build
from osce_kg.cli import main
from osce_kg.errors import UsageError
from osce_kg.publish.release import Release
from osce_kg.siteserve import negotiate
from tests.conftest import REPO
from tests._lod_support import running_site

PAGES = REPO / "tests" / "pages"
FIRST = sorted(PAGES.glob("*.txt"))[:2]


@pytest.fixture(scope="module")
def site_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two releases with sites: two pages, then the first page only."""
    tmp = tmp_path_factory.mktemp("minor")
    out = tmp / "out"
    for n, pages in enumerate((FIRST, FIRST[:1])):
        folder = tmp / f"pages{n}"
        folder.mkdir()
        for page in pages:
            shutil.copyfile(page, folder / page.name)
        build(BuildConfig.of([folder], output=out, site=True))
    return out


@pytest.fixture(scope="module")
def site(site_out: Path) -> Iterator[str]:
    with running_site(site_out) as base:
        yield base


def test_site_serve_long_segment_404(site: str) -> None:
    """A path segment of 255 characters gave a 500 and a traceback."""
    for length in (200, 201, 255, 300, 5000):
        response = httpx.get(f"{site}/id/person/{'a' * length}")
        assert response.status_code == 404, length


def test_site_serve_prefix_without_slash_redirects(site: str, site_out: Path) -> None:
    """``/osce-kg`` served the landing page with links resolving against
    ``/``: it now redirects to ``/osce-kg/``; so do release folders."""
    response = httpx.get(site, follow_redirects=False)
    assert response.status_code == 301 and response.headers["Location"] == "/osce-kg/"
    landing = httpx.get(site, follow_redirects=True)
    assert landing.status_code == 200 and str(landing.url).endswith("/osce-kg/")
    release = Path(os.path.realpath(site_out / "current")).name
    moved = httpx.get(f"{site}/releases/{release}", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == f"/osce-kg/releases/{release}/"


def test_site_serve_entity_with_a_trailing_slash_redirects(site: str, site_out: Path) -> None:
    """Regression: ``/id/person/x/`` answered the page with 200, and every
    relative link on it was then 404; it now redirects to ``/id/person/x``."""
    person = next((Path(os.path.realpath(site_out / "current")) / "site/id/person").glob("*.ttl")).stem
    moved = httpx.get(f"{site}/id/person/{person}/", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == f"/osce-kg/id/person/{person}"
    assert httpx.get(f"{site}/id/person/{person}/", follow_redirects=True).status_code == 200
    assert httpx.get(f"{site}/search/", follow_redirects=False).status_code == 200  # a folder's page keeps its slash


def test_site_serve_html_404_410(site: str, site_out: Path) -> None:
    """404 and 410 were plain text for browsers too."""
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    missing = httpx.get(f"{site}/id/person/nobody-at-all", headers=browser)
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("text/html")
    assert "<h1>404 Not Found</h1>" in missing.text
    plain = httpx.get(f"{site}/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.headers["Content-Type"].startswith("text/plain")
    current = Path(os.path.realpath(site_out / "current"))
    older = next(p for p in (site_out / "releases").iterdir() if p.is_dir() and p != current and not p.name.startswith("."))
    gone = [
        p.relative_to(older / "site").with_suffix("").as_posix()
        for p in (older / "site" / "id" / "item").glob("*.html")
        if not (current / "site" / p.relative_to(older / "site")).exists()
    ]
    assert gone
    response = httpx.get(f"{site}/{gone[0]}", headers=browser)
    assert response.status_code == 410 and "<h1>410 Gone</h1>" in response.text and 'rel="memento"' in response.headers["Link"]


def test_site_serve_accept_only_commas_is_html(site: str) -> None:
    """``Accept: ,,,,`` got 406; a header without media ranges is as none."""
    assert negotiate(",,,,") == "html" and negotiate(" , ; q=1 ,") == "html"
    assert negotiate("application/x-unknown") is None
    assert httpx.get(f"{site}/", headers={"Accept": ",,,,"}).status_code == 200


def test_build_lock_two_builds_one_folder(tmp_path: Path) -> None:
    """Two builds into one folder raced, the last to finish winning: the
    second is now refused while the first holds the folder's lock."""
    out = tmp_path / "out"
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copyfile(FIRST[0], folder / FIRST[0].name)
    first = Release.begin(out)
    try:
        with pytest.raises(UsageError, match=rf"another build \(process {os.getpid()}\) is writing into"):
            build(BuildConfig.of([folder], output=out))
        run = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])
        assert run.exit_code == 2 and "another build" in run.output
    finally:
        first.abandon()
        first.unlock()
    assert build(BuildConfig.of([folder], output=out)).release is not None  # free again


@pytest.mark.parametrize("content", [b"", b"# only a comment\n", b"@prefix ex: <http://example.org/> .\n"])
def test_load_empty_dump_exit_2(tmp_path: Path, content: bytes) -> None:
    """``load`` of an empty dump succeeded (and replaced its graph with nothing)."""
    store = tmp_path / "store"
    full = tmp_path / "full.nt"
    full.write_text('<http://a> <http://b> "1" .\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(full), "--store", str(store), "--graph", "http://g"]).exit_code == 0
    empty = tmp_path / "empty.ttl.gz"
    empty.write_bytes(gzip.compress(content))
    run = runner.invoke(main, ["load", str(empty), "--store", str(store), "--graph", "http://g"])
    assert run.exit_code == 2 and "holds no triple" in run.output
    reader = ox.Store.read_only(str(store))
    assert len(list(reader.quads_for_pattern(None, None, None, ox.NamedNode("http://g")))) == 1


def test_validate_dir_reads_the_build_folder(tmp_path: Path) -> None:
    """``validate DIR`` did not take a folder as ``query`` and ``load`` do."""
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copyfile(FIRST[0], folder / FIRST[0].name)
    build(BuildConfig.of([folder], output=tmp_path / "out"))
    run = CliRunner().invoke(main, ["validate", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    assert "the graph conforms" in run.stdout


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's Python example raised AttributeError; it is run here as written."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    [example] = [block for block in re.findall(r"```python\n(.*?)```", text, re.DOTALL) if "build(" in block]
    shutil.copytree(REPO / "data" / "sources", tmp_path / "data" / "sources")
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})  # noqa: S102 - the project's own README
    assert "John Brandolino" in capsys.readouterr().out
    assert (tmp_path / "dist" / "osce-kg.ttl").exists()


def test_symlink_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    """A symbolic link to a file outside the folder was exported as a news item."""
    outside = tmp_path / "secret.txt"
    shutil.copyfile(FIRST[0], outside)
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copyfile(FIRST[1], folder / FIRST[1].name)
    (folder / "link.txt").symlink_to(outside)
    result = build(BuildConfig.of([folder], output=tmp_path / "out"))
    [skipped] = result.skipped
    assert skipped.path.name == "link.txt" and "outside the folder" in skipped.reason


def test_load_graph_for_quad_dumps_is_named(tmp_path: Path) -> None:
    """``load --graph`` was ignored for quad dumps without a word."""
    dump = tmp_path / "d.nq"
    dump.write_text('<http://a> <http://b> "1" <http://g1> .\n', encoding="utf-8")
    run = CliRunner().invoke(main, ["load", str(dump), "--store", str(tmp_path / "store"), "--graph", "http://g"])
    assert run.exit_code == 0 and "--graph applies to triple dumps only" in run.output


def test_damaged_cache_entry_same_release_id(tmp_path: Path) -> None:
    """A damaged cache entry gave a new release id for the same data."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in FIRST:
        shutil.copyfile(page, folder / page.name)
    cache = tmp_path / "cache"
    first = build(BuildConfig.of([folder], output=tmp_path / "out1", cache=cache))
    entry = sorted(cache.rglob("*.json"))[0]
    entry.write_bytes(b"\x00\xffnot json")
    second = build(BuildConfig.of([folder], output=tmp_path / "out2", cache=cache))
    assert second.processed == 1 and any(d.code == "cache" for d in second.diagnostics)
    assert first.release is not None and second.release is not None
    assert first.release.name == second.release.name
