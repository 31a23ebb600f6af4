"""Shared fixtures: paths of the repository's files and the seed build."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "sources" / "000_c1c7cd6cd095379c.txt"
SHARED_CORPUS = REPO.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory):
    """The seed page built once into a temporary folder (``BuildResult``)."""
    from osce_kg import BuildConfig, build

    out = tmp_path_factory.mktemp("seed-build")
    return build(BuildConfig.of([SEED], output=out))


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden``: tests/test_golden.py writes the expected graphs
    of tests/golden/ from the build instead of comparing (tests/golden/README.md)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.nq from the current build instead of comparing (read every change before committing)",
    )
