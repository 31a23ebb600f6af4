"""Build warnings grouped by kind (issue 12): one line per kind with a count
and the first pages, on stderr and in build-report.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from osce_kg.cli import main
from osce_kg.notes import FIRST_PAGES, group_warnings, warning_kind

REPO = Path(__file__).resolve().parents[1]


def test_group_warnings_counts_kinds_and_keeps_first_pages() -> None:
    warnings = [
        ("p1", "navigation: unknown name 'A' under 'secretariat'"),
        ("p2", "navigation: unknown name 'B' under 'secretariat'"),
        ("p2", "item 3: unreadable date '31 Febtember'"),
        ("p3", "navigation: unknown name 'A' under 'secretariat'"),
        ("p2", "navigation: unknown name 'C' under 'secretariat'"),
    ]
    groups = group_warnings(warnings)
    assert [(g.kind, g.count, g.pages) for g in groups] == [
        ("navigation: unknown name … under …", 4, ("p1", "p2", "p3")),
        ("item …: unreadable date …", 1, ("p2",)),
    ]
    assert groups[0].example == warnings[0][1]
    assert warning_kind('item 12: unknown field of work "x"') == "item …: unknown field of work …"
    many = group_warnings([(f"p{i}", "same") for i in range(9)])
    assert many[0].line() == "9 × same on 9 page(s): " + ", ".join(f"p{i}" for i in range(FIRST_PAGES)) + ", … (e.g. same)"


def test_build_prints_one_line_per_kind(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "make_corpus.py"), "40", str(pages)], check=True, capture_output=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(pages), "-o", str(out), "-j", "1"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["warnings"], "the synthetic pages carry unknown navigation names"
    groups = report["warning_groups"]
    assert sum(g["count"] for g in groups) == len(report["warnings"])
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(lines) == len(groups)
    for group, line in zip(groups, lines):
        assert line.startswith(f"warning: {group['count']} × {group['kind']} on {group['pages']} page(s): {group['first_pages'][0]}")
    assert not any("navigation: unknown name '" in line and not line.startswith("warning: ") for line in result.stderr.splitlines())
    quiet = CliRunner().invoke(main, ["build", str(pages), "-o", str(tmp_path / "q"), "-j", "1", "-q"])
    assert not [line for line in quiet.stderr.splitlines() if line.startswith("warning: ")]
