"""The command line: exit codes, messages naming files, query output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from osce_kg.cli import main, phase_rate
from tests.conftest import SEED


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_build_default_sources_exits_zero(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "osce-kg.ttl").is_file()
    assert (tmp_path / "osce-kg.jsonld").is_file()
    assert (tmp_path / "validation-report.ttl").is_file()
    report = json.loads((tmp_path / "build-report.json").read_text())
    assert report["exported"] == ["000_c1c7cd6cd095379c.txt"] and report["conforms"] is True


def test_build_missing_source_exits_two_naming_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "nope.txt" in result.output and "no such file" in result.output


def test_build_unreadable_page_exits_one_and_keeps_the_good_one(runner: CliRunner, tmp_path: Path) -> None:
    """Policy of issue 6: a skipped page is named and makes the exit status 1;
    the good pages are exported (2 is for usage errors only)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_bytes(SEED.read_bytes())
    (src / "empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["build", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.output
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    assert report["exported"] == ["good.txt"]
    assert report["skipped"][0]["reason"] == "the file is empty"


def test_bad_base_iri_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(SEED), "-o", str(tmp_path), "--base-iri", "not an iri"])
    assert result.exit_code == 2
    assert "base IRI" in result.output


def test_validate_conforming_and_violating(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["build", str(SEED), "-o", str(tmp_path)])
    ok = runner.invoke(main, ["validate", str(tmp_path / "osce-kg.ttl")])
    assert ok.exit_code == 0, ok.output
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix schema: <https://schema.org/> .\n"
        "<https://example.org/p> a schema:Person .\n",
        encoding="utf-8",
    )
    bad = runner.invoke(main, ["validate", str(broken)])
    assert bad.exit_code == 1
    assert "https://example.org/p" in bad.output or "<p>" in bad.output
    assert "schema:name" in bad.output


def test_validate_unparsable_file_exits_two(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "bad.ttl" in result.output


def test_query_statements_csv_has_header_and_three_rows(runner: CliRunner, seed_build) -> None:
    result = runner.invoke(main, ["query", "statements", "--data", str(seed_build.outputs["turtle"]), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["text", "speaker", "role", "meeting", "date", "source"]
    assert len(rows) == 4
    assert sorted(r[1] for r in rows[1:]) == ["Alena Kupchyna", "Håkan Jeverell", "John Brandolino"]
    assert {r[4] for r in rows[1:]} == {"2021-10-07"}


def test_query_param_filters(runner: CliRunner, seed_build) -> None:
    result = runner.invoke(
        main,
        ["query", "statements", "--data", str(seed_build.outputs["turtle"]), "--format", "json", "--param", "speaker=John Brandolino"],
    )
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["speaker"]["value"] for b in bindings] == ["John Brandolino"]


def test_query_list(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    for name in ("statements", "persons", "meetings", "participating-states", "field-operations"):
        assert name in names


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["query", "no-such-query"], "no-such-query"),
        (["query", "statements", "--param", "speaker"], "KEY=VALUE"),
        (["query", "statements", "--param", "nope=1"], "nope"),
    ],
)
def test_query_usage_errors_exit_two(runner: CliRunner, seed_build, args: list[str], fragment: str) -> None:
    result = runner.invoke(main, [*args, "--data", str(seed_build.outputs["turtle"])])
    assert result.exit_code == 2
    assert fragment in result.output


def test_load_progress_gives_no_rate_in_a_phase_first_second() -> None:
    """Regression: a phase reported at once printed '1,000,000,000 queries/s'."""
    assert phase_rate(1, 0.0) is None
    assert phase_rate(4, 0.5) is None
    assert phase_rate(3_000, 2.0) == 1_500.0


@pytest.mark.parametrize("args, message", [
    (["query", "persons", "--param", "name"], "error: --param must be KEY=VALUE, got 'name' (see: osce-kg query --help)"),
    (["build", "-j", "0"], "error: Invalid value for '-j' / '--jobs': 0 is not in the range x>=1. (see: osce-kg build --help)"),
    (["--bogus"], "error: No such option '--bogus'"),
])
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    """Regression: click's usage errors came as three lines (Usage, Try, Error)."""
    result = CliRunner().invoke(main, args, prog_name="osce-kg")
    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1
