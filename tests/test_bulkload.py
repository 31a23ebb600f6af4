"""The embedded load at bulk speed stays all or nothing (issue 24;
osce_kg.store.bulkload): a load killed by SIGKILL at random moments leaves the
store whole (the same quads as a fresh load of the old data or of the new),
a reader opened before or during a load answers throughout, a broken dump
leaves the store untouched, the graphs a load does not replace stay, a plain
store folder of an older version is taken over, and the store and listing
index equal what the one-transaction load of an open store gives.

The killed loads run as real ``osce-kg load`` processes on synthetic
releases (an ``osce-kg.nq``, its union ``osce-kg.nt`` and a ``void.ttl``
stating their sizes, as a build writes them) large enough to take a few
seconds.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ._lod_support import SeedBuild, lod_build  # noqa: F401
from osce_kg.store.bulkload import LOAD_LOCK, generations_folder
from osce_kg.cli import main
from osce_kg.errors import SourceError, StoreError
from osce_kg.sparql import LISTING_INDEX_DIR, build_listing_index
from osce_kg.sparql import INDEXER
from osce_kg.store import load_store, open_store

EX = "http://example.org/"


def fingerprint(path: Path) -> tuple[int, str]:
    """(quads, SHA-256 of the sorted quads) of the store at ``path``, named
    graphs and default graph, read through a fresh open."""
    store = open_store(path, read_only=True)
    lines = sorted(str(q) for q in store)
    del store
    return len(lines), hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def write_release(folder: Path, version: int, pages: int = 3000, per_page: int = 40) -> Path:
    """A synthetic release: ``pages`` page graphs of ``per_page`` triples
    (half of them shared between pages, as places and persons are), an
    ontology graph written last, the union of the data graphs sorted in
    ``osce-kg.nt`` and a ``void.ttl`` with both files' sizes and counts."""
    folder.mkdir(parents=True)
    quads: list[str] = []
    union: set[str] = set()
    for page in range(pages):
        graph = f"<{EX}id/graph/page-{page:05d}>"
        for n in range(per_page):
            subject = f"<{EX}id/thing/{page % 97 if n % 2 else page}-{n}>"
            triple = f'{subject} <{EX}p{n % 7}> "v{version}-{(page * n) % 1013}" .'
            quads.append(f"{triple[:-2]} {graph} .")
            union.add(triple)
    ontology = f"<{EX}id/graph/ontology>"
    for n in range(30):
        quads.append(f'<{EX}ontology#T{n}> <http://www.w3.org/2000/01/rdf-schema#label> "T{n} v{version}" {ontology} .')
    (folder / "osce-kg.nq").write_text("\n".join(quads) + "\n", encoding="utf-8")
    (folder / "osce-kg.nt").write_text("\n".join(sorted(union)) + "\n", encoding="utf-8")
    void = ["@prefix dcterms: <http://purl.org/dc/terms/> .", "@prefix dcat: <http://www.w3.org/ns/dcat#> .", "@prefix void: <http://rdfs.org/ns/void#> ."]
    for name, count in (("osce-kg.nq", len(quads)), ("osce-kg.nt", len(union))):
        size = (folder / name).stat().st_size
        void.append(f'<{EX}dist/{name}> dcterms:title "{name}" ; dcat:byteSize {size} ; void:triples {count} .')
    (folder / "void.ttl").write_text("\n".join(void) + "\n", encoding="utf-8")
    return folder


def run_load(release: Path, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "osce_kg.cli", "load", str(release), "--store", str(store), "-q"], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Releases A and B, and the fingerprint of a fresh load of each."""
    root = tmp_path_factory.mktemp("releases")
    a, b = write_release(root / "a", 1), write_release(root / "b", 2)
    prints = {}
    for name, release in (("a", a), ("b", b)):
        done = run_load(release, root / f"fresh-{name}")
        assert done.returncode == 0, done.stderr
        prints[name] = fingerprint(root / f"fresh-{name}")
    assert prints["a"] != prints["b"]
    return {"a": a, "b": b, "prints": prints}


def _incoming(store: Path) -> list[str]:
    return [p.name for p in generations_folder(store).iterdir() if p.name.startswith(".incoming-")]


@pytest.mark.slow
def test_load_killed_at_random_moments_leaves_the_store_whole(releases: dict[str, object], tmp_path: Path) -> None:
    store = tmp_path / "store"
    prints = releases["prints"]
    assert isinstance(prints, dict)
    assert run_load(releases["a"], store).returncode == 0  # type: ignore[arg-type]
    started = time.monotonic()
    assert run_load(releases["b"], store).returncode == 0  # type: ignore[arg-type]
    duration = time.monotonic() - started
    assert fingerprint(store) == prints["b"]
    rng = random.Random(24)
    current = "b"
    for attempt in range(10):
        other = "a" if current == "b" else "b"
        process = subprocess.Popen([sys.executable, "-m", "osce_kg.cli", "load", str(releases[other]), "--store", str(store), "-q"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = fingerprint(store)
        assert state in (prints["a"], prints["b"]), f"kill {attempt}: the store is neither the old data nor the new"
        current = "a" if state == prints["a"] else "b"
    # the next load removes what the killed ones left, and completes
    assert run_load(releases["a"], store).returncode == 0  # type: ignore[arg-type]
    assert fingerprint(store) == prints["a"]
    assert _incoming(store) == []


@pytest.mark.slow
def test_readers_answer_throughout_a_load(releases: dict[str, object], tmp_path: Path) -> None:
    store = tmp_path / "store"
    prints = releases["prints"]
    assert isinstance(prints, dict)
    assert run_load(releases["a"], store).returncode == 0  # type: ignore[arg-type]
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?o), \"v1-\")) }"

    def answer(opened: ox.Store) -> int:
        return int(next(iter(opened.query(count)))["n"].value)  # type: ignore[index,union-attr,call-overload]

    held = open_store(store, read_only=True)  # opened before the loads
    before = answer(held)
    assert before > 0
    answers: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                fresh = open_store(store, read_only=True)
                answers.append(answer(fresh))
                del fresh
                answers.append(answer(held))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            time.sleep(0.01)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for release in ("b", "a", "b"):
            done = run_load(releases[release], store)  # type: ignore[arg-type]
            assert done.returncode == 0, done.stderr
    finally:
        stop.set()
        thread.join()
    assert not errors, errors[:3]
    assert set(answers) <= {before, 0} and {before, 0} <= set(answers), "readers saw something else than the old or the new data"
    assert answer(held) == before, "a reader that opened the store before the loads keeps its data"
    assert fingerprint(store) == prints["b"]


def test_broken_dump_leaves_the_store_untouched(lod_build: SeedBuild, tmp_path: Path) -> None:
    """A release whose quad dump breaks in the middle (same size, so it is
    loaded as a release, checked while it is loaded): exit 2 naming the file,
    the store as it was, nothing left behind."""
    store = tmp_path / "store"
    load_store(store, [lod_build.folder], index=INDEXER)
    before = fingerprint(store)
    generation = os.readlink(store)
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("osce-kg.nq", "osce-kg.nt", "void.ttl"):
        (broken / name).write_bytes(lod_build.file(name).read_bytes())
    data = bytearray((broken / "osce-kg.nq").read_bytes())
    middle = data.index(b"\n", len(data) // 2) + 1
    data[middle : middle + 1] = b"\x01"
    (broken / "osce-kg.nq").write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["load", str(broken), "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert f"{broken / 'osce-kg.nq'}: cannot parse" in result.stderr
    assert os.readlink(store) == generation
    assert fingerprint(store) == before
    assert _incoming(store) == []
    new = tmp_path / "new"
    result = CliRunner().invoke(main, ["load", str(broken), "--store", str(new)])
    assert result.exit_code == 2
    assert not new.exists() and not generations_folder(new).exists()


def test_same_store_and_listing_index_as_the_one_transaction_load(lod_build: SeedBuild, tmp_path: Path) -> None:
    """The bulk load of a release (union from osce-kg.nt, index built beside
    the load) gives the quads and the listing index of the transactional
    load of an open store, and a second load keeps what it does not replace."""
    folder = tmp_path / "store"
    load_store(folder, [lod_build.folder], index=INDEXER)
    reference = open_store(tmp_path / "reference")
    load_store(reference, [lod_build.folder], index=INDEXER)
    reference_lines = sorted(str(q) for q in reference)
    assert fingerprint(folder) == (len(reference_lines), hashlib.sha256("\n".join(reference_lines).encode()).hexdigest())
    expected = build_listing_index(tmp_path / "index", reference)
    assert expected
    for name in (tmp_path / "index" / LISTING_INDEX_DIR).iterdir():
        assert (folder / LISTING_INDEX_DIR / name.name).read_bytes() == name.read_bytes()
    # a triple dump loaded afterwards: the release's graphs stay, the union grows
    extra = tmp_path / "extra.nt"
    extra.write_text(f'<{EX}s> <{EX}p> "extra" .\n', encoding="utf-8")
    loads = load_store(folder, [extra], graph=f"{EX}g", index=INDEXER)
    load_store(reference, [extra], graph=f"{EX}g", index=INDEXER)
    assert [load.graph for load in loads] == [f"{EX}g"]
    reference_lines = sorted(str(q) for q in reference)
    assert fingerprint(folder) == (len(reference_lines), hashlib.sha256("\n".join(reference_lines).encode()).hexdigest())
    # and the release again: the extra graph stays
    load_store(folder, [lod_build.folder], index=INDEXER)
    assert fingerprint(folder) == (len(reference_lines), hashlib.sha256("\n".join(reference_lines).encode()).hexdigest())


def test_several_files_last_one_wins_and_default_graph_triples_go_to_the_file_graph(tmp_path: Path) -> None:
    first = tmp_path / "one.nq"
    first.write_text(f'<{EX}s> <{EX}p> "old" <{EX}g> .\n<{EX}s> <{EX}p> "one" <{EX}h> .\n<{EX}s> <{EX}p> "plain" .\n', encoding="utf-8")
    second = tmp_path / "two.nq"
    second.write_text(f'<{EX}s> <{EX}p> "new" <{EX}g> .\n', encoding="utf-8")
    folder = tmp_path / "store"
    load_store(folder, [first, second], index=INDEXER)
    reference = ox.Store()
    load_store(reference, [first, second], index=INDEXER)
    store = open_store(folder, read_only=True)
    assert sorted(str(q) for q in store) == sorted(str(q) for q in reference)


def test_plain_store_folder_of_an_older_version_is_taken_over(lod_build: SeedBuild, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    plain = open_store(folder)
    load_store(plain, [lod_build.file("osce-kg.ttl")], index=INDEXER)
    del plain
    assert folder.is_dir() and not folder.is_symlink()
    load_store(folder, [lod_build.folder], index=INDEXER)
    assert folder.is_symlink()
    reference = ox.Store()
    load_store(reference, [lod_build.file("osce-kg.ttl")], index=INDEXER)
    load_store(reference, [lod_build.folder], index=INDEXER)
    assert fingerprint(folder)[0] == len(reference)


def test_a_second_load_at_the_same_time_is_refused(lod_build: SeedBuild, tmp_path: Path) -> None:
    import fcntl

    folder = tmp_path / "store"
    load_store(folder, [lod_build.folder], index=INDEXER)
    fd = os.open(generations_folder(folder) / LOAD_LOCK, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another load into the store"):
            load_store(folder, [lod_build.folder], index=INDEXER)
    finally:
        os.close(fd)
    load_store(folder, [lod_build.folder], index=INDEXER)


def test_folder_holding_other_files_is_not_taken_for_a_store(lod_build: SeedBuild, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="no Oxigraph store"):
        load_store(folder, [lod_build.folder], index=INDEXER)
    assert (folder / "notes.txt").read_text() == "mine"
    with pytest.raises(SourceError):
        load_store(tmp_path / "x", [tmp_path / "missing.nq"], index=INDEXER)


def test_endpoint_load_of_a_release_sends_graphs_in_parallel_batches(tmp_path: Path) -> None:
    """From PARALLEL_FROM graphs on, PUTs go out ``parallel`` at a time; every
    graph is sent once, reported in order; a refused one is named with the
    graphs replaced and those not."""
    import httpx

    from osce_kg.store import PARALLEL_FROM, RetryPolicy, load_endpoint

    dump = tmp_path / "many.nq"
    names = [f"{EX}g{n:03d}" for n in range(PARALLEL_FROM + 10)]
    dump.write_text("".join(f'<{EX}s> <{EX}p> "{n}" <{name}> .\n' for n, name in enumerate(names)), encoding="utf-8")
    lock = threading.Lock()
    in_flight = [0, 0]
    sent: list[str] = []
    refuse = {names[30]}

    def answer(request: httpx.Request) -> httpx.Response:
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight[1], in_flight[0])
            sent.append(request.url.params["graph"])
        time.sleep(0.01)
        with lock:
            in_flight[0] -= 1
        refused = request.url.params["graph"] in refuse
        return httpx.Response(403 if refused else 201, text="no" if refused else "")

    fast = RetryPolicy(retries=0, backoff=0, timeout=5)
    reported: list[str] = []
    with pytest.raises(StoreError) as caught:
        load_endpoint("http://127.0.0.1:9/store", [dump], policy=fast, parallel=4,
                      client=httpx.Client(transport=httpx.MockTransport(answer)), on_graph=lambda load: reported.append(load.graph))
    assert 1 < in_flight[1] <= 4
    assert len(sent) == len(set(sent)) and sent[0] == names[0]
    batch_end = 1 + ((30 - 1) // 4 + 1) * 4  # the refused graph's batch is awaited, no later one is sent
    assert set(sent) == set(names[:batch_end])
    assert reported == [name for name in names[:batch_end] if name != names[30]]
    message = str(caught.value)
    assert f"PUT of graph {names[30]} refused: HTTP 403" in message
    assert f"{batch_end - 1} of {len(names)} graph(s) were replaced" in message
    assert f"not replaced: {names[30]}, {names[batch_end]}" in message
    sent.clear()
    refuse.clear()
    names_ok = names[:PARALLEL_FROM]
    dump.write_text("".join(f'<{EX}s> <{EX}p> "{n}" <{name}> .\n' for n, name in enumerate(names_ok)), encoding="utf-8")
    loads = load_endpoint("http://127.0.0.1:9/store", [dump], policy=fast, parallel=3, client=httpx.Client(transport=httpx.MockTransport(answer)))
    assert [load.graph for load in loads] == names_ok and sorted(sent) == names_ok


def test_loading_the_same_release_again_keeps_its_listing_index(lod_build: SeedBuild, tmp_path: Path) -> None:
    """The default graph of a release load comes from the union dump whose
    SHA-256 void.ttl states: loaded again, the listing index files are
    copied from the previous generation instead of computed; a different
    union computes them."""
    from osce_kg.store.bulkload import UNION_ID

    folder = tmp_path / "store"
    load_store(folder, [lod_build.folder], index=INDEXER)
    first = {p.name: p.read_bytes() for p in (folder / LISTING_INDEX_DIR).iterdir()}
    union_id = (folder / UNION_ID).read_text()
    assert first and union_id.strip()
    generation = os.readlink(folder)
    load_store(folder, [lod_build.folder], index=INDEXER)
    assert os.readlink(folder) != generation
    assert {p.name: p.read_bytes() for p in (folder / LISTING_INDEX_DIR).iterdir()} == first
    assert (folder / UNION_ID).read_text() == union_id
    extra = tmp_path / "extra.nt"
    extra.write_text(f'<{EX}s> <{EX}p> "extra" .\n', encoding="utf-8")
    load_store(folder, [extra], graph=f"{EX}g", index=INDEXER)
    assert not (folder / UNION_ID).exists(), "a union with other graphs is not the release's"
