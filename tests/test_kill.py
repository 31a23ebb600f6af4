"""Releases survive any kill (issue 10, point 5): a build killed by SIGKILL,
SIGTERM or SIGINT at a random moment, while it processes pages or while it
publishes, leaves the previous release current, whole and consistent (every
file's SHA-256 and size as its ``void.ttl`` says), the well-known names in
the output folder pointing into it, and no worker process behind; the next
build removes what the killed one left and publishes.

The build runs as a real ``osce-kg build --jobs 2`` process on 300 pages
copied from tests/pages/, over an output folder holding a release of the
seed page.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCAT, DCTERMS

from tests._robustness_support import DUMP_FILES, PAGES, run_cli
from tests.conftest import SEED

SPDX = Namespace("http://spdx.org/rdf/terms#")

#: pages in the source folder of the killed build: enough for several seconds
N_PAGES = 1200

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 pages (the pattern pages, copied under different names)."""
    folder = tmp_path_factory.mktemp("kill-sources")
    pages = sorted(p for p in PAGES.iterdir() if p.suffix in (".txt", ".html"))
    for i in range(N_PAGES):
        page = pages[i % len(pages)]
        (folder / f"{i:03d}-{page.name}").write_bytes(page.read_bytes())
    return folder


def _start(sources: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "osce_kg.cli", "-q", "build", str(sources), "-o", str(out), "--jobs", "2"],
        cwd=out.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: we can see whether workers are left
        # SIGINT as from a terminal (a background test run inherits it ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _incoming(out: Path) -> list[Path]:
    folder = out / "releases"
    return [p for p in folder.iterdir() if p.name.startswith(".incoming-")] if folder.is_dir() else []


def _publishing(out: Path) -> bool:
    """True once the build writes the union dumps (after every page)."""
    return any((p / "osce-kg.nt").exists() for p in _incoming(out))


def assert_release_whole(out: Path, release: str) -> None:
    """``out/current`` is ``release``; every dump has the size and SHA-256
    ``void.ttl`` gives; the well-known names point into it."""
    current = out / "current"
    assert current.is_symlink() and current.resolve().name == release
    folder = current.resolve()
    void = Graph().parse(folder / "void.ttl")
    described = 0
    for dist in void.subjects(DCAT.byteSize, None):
        name = str(void.value(dist, DCTERMS.title))
        data = (folder / name).read_bytes()
        assert int(void.value(dist, DCAT.byteSize)) == len(data), name
        checksum = void.value(dist, SPDX.checksum)
        assert void.value(checksum, SPDX.checksumValue) == Literal(hashlib.sha256(data).hexdigest(), datatype=void.value(checksum, SPDX.checksumValue).datatype), name
        described += 1
    assert described >= 5
    for name in DUMP_FILES:
        assert (out / name).resolve() == folder / name, name


@pytest.mark.parametrize("phase", ["processing", "publishing"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["KILL", "TERM", "INT"])
def test_a_killed_build_leaves_the_previous_release_whole(sources: Path, tmp_path: Path, phase: str, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    first = run_cli("-q", "build", SEED, "-o", out, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    previous = (out / "current").resolve().name
    proc = _start(sources, out)
    rng = random.Random(f"{phase}-{sig}")
    try:
        if phase == "processing":
            deadline = time.monotonic() + 120
            while not any(p.joinpath("osce-kg.nq").exists() and p.joinpath("osce-kg.nq").stat().st_size for p in _incoming(out)):
                assert proc.poll() is None, "the build ended before it processed a page"
                assert time.monotonic() < deadline
                time.sleep(0.01)
            time.sleep(rng.random() * 1.0)
        else:
            deadline = time.monotonic() + 240
            while not _publishing(out):
                assert proc.poll() is None, "the build ended before it published"
                assert time.monotonic() < deadline
                time.sleep(0.002)
            time.sleep(rng.random() * 0.05)
        assert proc.poll() is None, "the build ended before it could be stopped: give it more pages"
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        # no worker outlives its build, however the build ended
        deadline = time.monotonic() + 10
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _group_alive(proc.pid), "a worker outlived the build"
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    released = (out / "current").resolve().name
    if released != previous:
        # the signal came after the switch: then the new release is whole
        assert sig != signal.SIGKILL or phase == "publishing"
    assert_release_whole(out, released)
    # the next build removes the killed build's incoming folder and publishes
    again = run_cli("-q", "build", sources, "-o", out, cwd=tmp_path)
    assert again.returncode in (0, 1), again.stderr
    assert not [p for p in _incoming(out) if p.exists()]
    assert_release_whole(out, (out / "current").resolve().name)
    assert (out / "current").resolve().name != previous
