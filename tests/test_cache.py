"""The page cache holds data, never code (issue 10, point 6): a crafted,
damaged or foreign entry is never executed, is named in the build report
and the page is processed again, giving the same release."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from osce_kg import BuildConfig, build
from tests._robustness_support import snapshot
from tests.conftest import SEED

PAGES = Path(__file__).resolve().parent / "pages"


class _Payload:
    """Unpickling this runs code: it creates the file ``target``."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):  # noqa: ANN204 - pickle protocol
        return (os.system, (f"touch {self.target}",))


@pytest.fixture()
def cached(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A build of two pages with a cache: (cache, output, files of the release)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    other = sorted(PAGES.glob("*.txt"))[0]
    (src / "other.txt").write_bytes(other.read_bytes())
    cache, out = tmp_path / "cache", tmp_path / "out"
    result = build(BuildConfig.of([src], output=out, cache=cache))
    assert result.processed == 2 and result.cached == 0
    again = build(BuildConfig.of([src], output=out, cache=cache))
    assert again.processed == 0 and again.cached == 2
    return cache, out, snapshot(out)


def _rebuild(tmp_path: Path, cache: Path, out: Path):
    return build(BuildConfig.of([tmp_path / "src"], output=out, cache=cache))


#: what void.ttl says of the release as a version (its id hashes the build
#: report, which names the rejected entry): left out of the comparison
_VERSION_TERMS = ("http://www.w3.org/ns/dcat#version", "http://www.w3.org/ns/dcat#hasVersion", "http://www.w3.org/ns/dcat#previousVersion",
                  "http://purl.org/dc/terms/identifier", "http://www.w3.org/2000/01/rdf-schema#seeAlso")


def _void_data(data: bytes) -> bytes:
    from rdflib import Graph

    g = Graph().parse(data=data.decode("utf-8"), format="turtle")
    kept = sorted(
        line for line in g.serialize(format="nt").splitlines()
        if line and not any(f"<{term}>" in line for term in _VERSION_TERMS) and "/dataset/changes/" not in line
    )
    return "\n".join(kept).encode("utf-8")


def _data(files: dict[str, bytes]) -> dict[str, bytes]:
    """The release's files but the build report (which names the rejected
    entry) and, in void.ttl, the release's version and change set."""
    return {name: (_void_data(data) if name == "void.ttl" else data) for name, data in files.items() if name != "build-report.json"}


def _cache_notes(result) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == "cache"]


def test_entries_are_json_and_nquads_only(cached: tuple[Path, Path, dict[str, bytes]]) -> None:
    cache, _out, _files = cached
    suffixes = sorted({p.suffix for p in cache.rglob("*") if p.is_file()})
    assert suffixes == [".json", ".nq"]
    for entry in cache.rglob("*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        assert data["format"] == "osce-kg-cache/2" and data["key"] in ("seed.txt", "other.txt")


def test_a_crafted_pickle_is_never_executed(cached: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    cache, out, files = cached
    target = tmp_path / "pwned"
    for entry in [*cache.rglob("*.json"), *cache.rglob("*.nq")]:
        entry.write_bytes(pickle.dumps(_Payload(target)))
    result = _rebuild(tmp_path, cache, out)
    assert not target.exists(), "a cache entry was executed"
    assert result.processed == 2 and result.cached == 0
    assert len(_cache_notes(result)) == 2
    assert _data(snapshot(out)) == _data(files)


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "hash", "nquads", "foreign"],
)
def test_a_damaged_or_foreign_entry_is_recomputed(cached: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, damage: str) -> None:
    cache, out, files = cached
    entries = sorted(cache.rglob("*.json"))
    by_key = {json.loads(p.read_text())["key"]: p for p in entries}
    seed = by_key["seed.txt"]
    if damage == "garbage":
        seed.write_bytes(b"\x00\xffnot json")
    elif damage == "truncated":
        seed.write_bytes(seed.read_bytes()[:40])
    elif damage == "hash":  # the content changed, the hash is the old one
        data = json.loads(seed.read_text())
        data["result"]["statements"] += 1
        seed.write_text(json.dumps(data))
    elif damage == "nquads":  # an extra quad smuggled into the graph
        nq = seed.with_suffix(".nq")
        nq.write_bytes(nq.read_bytes() + b'<http://example.org/x> <http://example.org/p> "injected" <http://example.org/g> .\n')
    elif damage == "foreign":  # another page's entry under this page's name
        other = by_key["other.txt"]
        seed.write_bytes(other.read_bytes())
        seed.with_suffix(".nq").write_bytes(other.with_suffix(".nq").read_bytes())
    result = _rebuild(tmp_path, cache, out)
    assert result.processed == 1 and result.cached == 1
    notes = _cache_notes(result)
    assert len(notes) == 1 and seed.name in notes[0], notes
    assert _data(snapshot(out)) == _data(files)
    assert b"injected" not in (out / "osce-kg.nq").read_bytes()
    assert any(d.code == "cache" and d.page == "seed.txt" for d in result.diagnostics)
    # the same data: the same release id, so the release made before stays current (issue 21)
    assert result.release is not None and (out / "current").resolve() == result.release.resolve()
    assert snapshot(out) == files
    # the entry is written again, and used by the next build
    assert _rebuild(tmp_path, cache, out).cached == 2
