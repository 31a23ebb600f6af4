"""The ontology in documentation tools (issue 12): pyLODE (default profile)
and ontospy make its page; ``osce-kg docs`` writes it beside the dumps."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, Graph

from osce_kg.cli import main
from osce_kg.resources import ontology_file


def test_pylode_documents_the_ontology_under_its_own_title(tmp_path: Path) -> None:
    pytest.importorskip("pylode", reason="pyLODE is in the test extra")
    result = CliRunner().invoke(main, ["docs", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "ontology.html").read_text(encoding="utf-8")
    assert re.search(r"<title>osce-kg ontology</title>", html)
    ontology = Graph().parse(ontology_file())
    classes = [c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith("https://w3id.org/osce-kg/ontology#")]
    assert len(classes) >= 10
    for cls in classes:
        assert str(cls).split("#")[1] in html, cls


def test_ontospy_makes_its_page(tmp_path: Path) -> None:
    pytest.importorskip("ontospy", reason="ontospy is in the test extra")
    out = tmp_path / "ontospy"
    out.mkdir()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "ontospy"), "gendocs", str(ontology_file()), "--type", "1", "-o", str(out)],
        capture_output=True, text=True, timeout=300, input="",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "ParticipatingState" in html and "hostCountry" in html
