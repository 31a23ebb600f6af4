"""Atomic output (issue 6, point 4): a build killed with SIGKILL midway leaves
the previous dumps intact and no partial file in the output folder.

The build runs as a real ``osce-kg build`` process (``python -m
osce_kg.cli``) on 300 pages copied from tests/pages/ into a temporary folder,
over an output folder that holds the dumps of an earlier build of the seed
page. It is killed either while it processes pages (after 1.5 s), or as soon
as a temporary file of an atomic write shows up in the output folder (while
it writes the dumps). The whole process group is killed afterwards so that no
worker outlives the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests._robustness_support import DUMP_FILES, PAGES, run_cli, snapshot, temp_files
from tests.conftest import SEED

#: pages in the source folder of the killed build: enough for several seconds
N_PAGES = 300


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 pages (the pattern pages, copied under different names)."""
    folder = tmp_path_factory.mktemp("kill-sources")
    pages = sorted(p for p in PAGES.iterdir() if p.suffix in (".txt", ".html"))
    for i in range(N_PAGES):
        page = pages[i % len(pages)]
        (folder / f"{i:03d}-{page.name}").write_bytes(page.read_bytes())
    return folder


@pytest.fixture(scope="module")
def complete(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of an uninterrupted build of ``sources`` (builds are
    reproducible: the same input gives the same bytes)."""
    out = tmp_path_factory.mktemp("kill-complete") / "out"
    proc = run_cli("-q", "build", sources, "-o", out, cwd=out.parent)
    assert proc.returncode == 0, proc.stderr
    return snapshot(out)


def _previous_build(out: Path) -> dict[str, bytes]:
    proc = run_cli("-q", "build", SEED, "-o", out, cwd=out.parent)
    assert proc.returncode == 0, proc.stderr
    files = snapshot(out)
    assert set(DUMP_FILES) <= set(files)
    return files


def _start(sources: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "-q", "build", str(sources), "-o", str(out), "--jobs", "2"],
        cwd=out.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the workers can be killed with it
    )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the build, then whatever is left of its process group (workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _has_temp(out: Path, prefix: str) -> bool:
    try:
        return any(entry.name.startswith(prefix) and entry.name.endswith(".tmp") for entry in os.scandir(out))
    except FileNotFoundError:
        return False


def test_killed_while_processing_pages_leaves_everything_as_it_was(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _previous_build(out)
    proc = _start(sources, out)
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline and proc.poll() is None and not _has_temp(out, "."):
            time.sleep(0.01)
        assert proc.poll() is None, "the build ended before it could be killed: give it more pages"
    finally:
        _kill(proc)
    after = snapshot(out)
    leftovers = temp_files(out)
    # on a fast machine the kill can land just as the write phase starts: then
    # only recognisable temporary files may be added (the next build removes
    # them, see the test below); every previous file is untouched
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), leftovers
    assert {name: data for name, data in after.items() if name not in leftovers} == before


@pytest.mark.parametrize("moment", [".osce-kg.ttl.", ".osce-kg.nq."], ids=["first-dump", "later-dump"])
def test_killed_while_writing_dumps_leaves_no_partial_file(
    sources: Path, complete: dict[str, bytes], tmp_path: Path, moment: str
) -> None:
    """Killed while the temporary file of a dump exists: every dump is whole
    (the previous one or the new one, never a mix of bytes), and the dumps
    are one set (all previous or all new: ``void.ttl`` gives the size and
    checksum of the other files); what is left besides them can only be a
    temporary file, recognisable as such, and the next build removes it."""
    out = tmp_path / "out"
    before = _previous_build(out)
    proc = _start(sources, out)
    try:
        deadline = time.monotonic() + 240
        while not _has_temp(out, moment):
            assert proc.poll() is None, f"the build ended before a {moment}*.tmp file was seen"
            assert time.monotonic() < deadline, "no temporary file seen in 240 s"
            time.sleep(0.0005)
    finally:
        _kill(proc)
    after = snapshot(out)
    state: dict[str, str] = {}
    for name in DUMP_FILES:
        assert name in after, f"{name} is gone"
        assert after[name] in (before[name], complete[name]), f"{name} is neither the previous dump nor the new one"
        state[name] = "previous" if after[name] == before[name] else "new"
    assert len(set(state.values())) == 1, f"the dumps are a mix of two builds: {state}"
    leftovers = sorted(set(after) - set(before) - set(complete))
    assert leftovers == temp_files(out), "a file that is not recognisably temporary was left"
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), leftovers

    # the next build ends with the new dumps and no temporary file
    proc2 = run_cli("-q", "build", sources, "-o", out, cwd=tmp_path)
    assert proc2.returncode == 0, proc2.stderr
    assert temp_files(out) == [], "the next build did not remove the temporary files of the killed one"
    final = snapshot(out)
    for name in DUMP_FILES:
        assert final[name] == complete[name]
