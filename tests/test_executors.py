"""One runner, three executors (issue 10, points 1 and 8): a serial build,
a 2-process pool and a 2-worker Dask ``LocalCluster`` give byte-identical
releases, and the stages' diagnostics are the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from osce_kg import BuildConfig, build

PAGES = Path(__file__).resolve().parent / "pages"
DEV = Path(__file__).resolve().parent / "corpus-dev"

pytestmark = pytest.mark.slow


def _files(release: Path) -> dict[str, bytes]:
    return {str(p.relative_to(release)): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("serial") / "out"
    return build(BuildConfig.of([PAGES, DEV], output=out, jobs=1, batch=7))


def test_pool_build_is_byte_identical_to_serial(serial, tmp_path: Path) -> None:
    pool = build(BuildConfig.of([PAGES, DEV], output=tmp_path / "out", jobs=2, batch=7))
    assert pool.release.name == serial.release.name
    assert _files(pool.release) == _files(serial.release)
    assert pool.diagnostics == serial.diagnostics


def test_dask_build_is_byte_identical_to_serial(serial, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    dask = build(BuildConfig.of([PAGES, DEV], output=tmp_path / "out", jobs=2, batch=7, executor="dask"))
    assert dask.release.name == serial.release.name
    assert _files(dask.release) == _files(serial.release)
    assert [p.key for p in dask.pages] == [p.key for p in serial.pages]


def test_batch_size_does_not_change_the_release(serial, tmp_path: Path) -> None:
    other = build(BuildConfig.of([PAGES, DEV], output=tmp_path / "out", jobs=1, batch=1000))
    assert _files(other.release) == _files(serial.release)
