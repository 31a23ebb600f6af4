"""Framed JSON-LD (``osce-kg frame``) and what the JSON-LD dump gives a web
developer: schema.org types beside the osce: ones, one key per property,
JSON numbers, nested objects in the framed documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, URIRef

from ._lod_support import SeedBuild, lod_build  # noqa: F401 - fixture
from osce_kg.cli import main
from osce_kg.frames import FRAMES
from osce_kg.mapping import SCHEMA_TYPES
from osce_kg.vocab import OSCE, SCHEMA


@pytest.fixture(scope="module")
def framed(lod_build: SeedBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("frames")
    result = CliRunner().invoke(main, ["frame", str(lod_build.folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="json-ld")


def test_every_node_of_an_osce_class_has_its_schema_org_type(lod_build: SeedBuild) -> None:
    data = Graph().parse(lod_build.file("osce-kg.ttl"))
    checked = 0
    for ox_cls, ox_schema_type in SCHEMA_TYPES.items():
        cls, schema_type = URIRef(ox_cls.value), URIRef(ox_schema_type.value)
        for node in data.subjects(RDF.type, cls):
            assert (node, RDF.type, schema_type) in data, (node, schema_type)
            checked += 1
    assert checked >= len(list(data.subjects(RDF.type, OSCE.Statement))) + 57


def test_json_ld_dump_has_one_key_per_property_and_json_numbers(lod_build: SeedBuild) -> None:
    document = json.loads(lod_build.file("osce-kg.jsonld").read_text(encoding="utf-8"))
    assert "@version" not in document["@context"]
    keys = {key for node in document["@graph"] for key in node}
    assert not [key for key in keys if ":" in key], "every property has its term"
    meetings = [n for n in document["@graph"] if "osce:Meeting" in n.get("@type", [])]
    assert meetings and all("schema:Event" in n["@type"] for n in meetings)
    counts = [n["minimumParticipantCount"] for n in meetings if "minimumParticipantCount" in n]
    assert counts == [100]
    persons = [n for n in document["@graph"] if "schema:Person" in n.get("@type", [])]
    # the page's persons, beside the office holders of the reference table
    assert {"Alena Kupchyna", "Håkan Jeverell", "John Brandolino"} <= {p["name"]["@value"] for p in persons}


@pytest.mark.parametrize("frame", FRAMES, ids=lambda f: f.kind)
def test_framed_document_holds_only_triples_of_the_dump(framed: Path, lod_build: SeedBuild, frame) -> None:  # type: ignore[no-untyped-def]
    flat = Graph().parse(lod_build.file("osce-kg.ttl"))
    path = framed / f"osce-kg.{frame.kind}.jsonld"
    document = json.loads(path.read_text(encoding="utf-8"))
    graph = _graph(path)
    extra = [t for t in graph if t not in flat]
    assert extra == []
    prefix, _, local = frame.type.partition(":")
    cls = URIRef(document["@context"][prefix] + local)
    assert len(document["@graph"]) == len(set(flat.subjects(RDF.type, cls)))
    assert all(frame.type in ([n["@type"]] if isinstance(n["@type"], str) else n["@type"]) for n in document["@graph"])


def test_statements_nest_speaker_meeting_and_place(framed: Path, lod_build: SeedBuild) -> None:
    document = json.loads((framed / "osce-kg.statements.jsonld").read_text(encoding="utf-8"))
    statements = document["@graph"]
    assert len(statements) == 3
    speakers = sorted(s["creator"]["name"]["@value"] for s in statements if isinstance(s.get("creator"), dict))
    assert speakers == ["Alena Kupchyna", "Håkan Jeverell", "John Brandolino"]
    for statement in statements:
        meeting = statement["recordedAt"]
        assert meeting["name"] == "2021 OSCE Annual Police Experts Meeting"
        assert meeting["location"]["name"] == "Vienna"
        assert meeting["location"]["containedInPlace"] == "https://w3id.org/osce-kg/id/country/at"
        assert isinstance(statement["wasDerivedFrom"], dict) and statement["wasDerivedFrom"]["@id"].startswith("https://w3id.org/osce-kg/id/item/")
    flat = Graph().parse(lod_build.file("osce-kg.ttl"))
    persons = set(flat.subjects(RDF.type, SCHEMA.Person))
    assert {URIRef(s["creator"]["@id"]) for s in statements} <= persons
