"""Framed JSON-LD: one document per kind of entity, for consumers who want
nested objects rather than the flat ``@graph`` of ``osce-kg.jsonld``.

``osce-kg frame`` writes, for each kind of :data:`FRAMES`, a document
``osce-kg.{kind}.jsonld``::

    {"@context": {...the context of osce-kg.jsonld...},
     "@graph": [ {"@id": ..., "@type": [...], "name": ..., "creator": {...}}, ... ]}

Every top-level node is an entity of the kind (typed with its class), with
the nodes its :data:`FRAMES` properties point to embedded in place (an
object with their ``@id``, types and properties, embedded once more to the
given depth; deeper references stay ``@id`` strings), as the JSON-LD 1.1
Framing algorithm does with ``@embed: @once`` per property path. A document
is valid JSON-LD whose triples are those of the flat dump reachable from
the top-level nodes: no triple is invented.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from .serialize import atomic_output, jsonld_node_objects, load_context

log = logging.getLogger(__name__)

__all__ = ["Frame", "FRAMES", "frame_nodes", "merged_nodes", "write_frames"]


@dataclass(frozen=True)
class Frame:
    """One framed document.

    Attributes:
        kind: the file's middle name (``osce-kg.{kind}.jsonld``).
        type: the compact class name of its top-level nodes (``osce:Statement``).
        embed: property paths to embed, as tuples of context terms
            (``("recordedAt", "location")`` embeds the meeting, then its place).
    """

    kind: str
    type: str
    embed: tuple[tuple[str, ...], ...]


#: the framed documents ``osce-kg frame`` writes
FRAMES: tuple[Frame, ...] = (
    Frame("statements", "osce:Statement", (("creator", "affiliation"), ("recordedAt", "location"), ("wasDerivedFrom",))),
    Frame("meetings", "osce:Meeting", (("location", "containedInPlace"), ("organizer",), ("superEvent",), ("about",))),
    Frame("persons", "schema:Person", (("affiliation",),)),
    Frame("items", "osce:NewsItem", (("publisher",), ("about",), ("mentions",), ("locationCreated",))),
    Frame("states", "osce:ParticipatingState", ()),
    Frame("partners", "osce:PartnerForCooperation", ()),
    Frame("structures", "org:Organization", (("subOrganizationOf",), ("hostCountry",))),
)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def merged_nodes(nodes: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Node objects merged by ``@id`` (a page-by-page dump may state a node
    in several objects): values of the same key are united, each once."""
    merged: dict[str, dict[str, Any]] = {}
    for node in nodes:
        node_id = node.get("@id")
        if not isinstance(node_id, str):
            continue
        target = merged.setdefault(node_id, {"@id": node_id})
        for key, value in node.items():
            if key == "@id":
                continue
            values = _as_list(target.get(key, [])) if key in target else []
            for item in _as_list(value):
                if item not in values:
                    values.append(item)
            target[key] = values[0] if len(values) == 1 else sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return merged


def _types(node: Mapping[str, Any]) -> list[str]:
    return [t for t in _as_list(node.get("@type", [])) if isinstance(t, str)]


def _embed(value: Any, paths: list[tuple[str, ...]], index: Mapping[str, dict[str, Any]]) -> Any:
    """``value`` (an ``@id`` string or a list of them) with the nodes it
    names embedded, their own ``paths`` followed further."""
    if isinstance(value, list):
        return [_embed(item, paths, index) for item in value]
    if not isinstance(value, str) or value not in index:
        return value
    return _framed(index[value], paths, index)


def _framed(node: Mapping[str, Any], paths: list[tuple[str, ...]], index: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    out = dict(node)
    heads: dict[str, list[tuple[str, ...]]] = {}
    for path in paths:
        if path:
            heads.setdefault(path[0], []).append(path[1:])
    for key, rests in heads.items():
        if key in out:
            out[key] = _embed(out[key], [rest for rest in rests if rest], index)
    return out


def frame_nodes(nodes: Mapping[str, dict[str, Any]], frame: Frame) -> list[dict[str, Any]]:
    """The top-level node objects of ``frame``: every node typed
    ``frame.type``, sorted by ``@id``, its ``frame.embed`` paths embedded."""
    paths = list(frame.embed)
    return [
        _framed(node, paths, nodes)
        for node_id, node in sorted(nodes.items())
        if frame.type in _types(node)
    ]


def write_frames(graph: Graph, folder: Path, *, context: Path | Mapping[str, Any] | None = None, frames: Sequence[Frame] = FRAMES) -> dict[str, Path]:
    """Write the framed documents of ``graph`` (the data, e.g. read from
    ``osce-kg.ttl``) into ``folder``; returns kind -> file.

    Raises:
        SourceError: when the context cannot be read.
    """
    inner = load_context(context)
    if isinstance(graph, Dataset):  # its triples, whatever their graph
        flat = Graph()
        for triple in graph.triples((None, None, None)):
            flat.add(triple)
        graph = flat
    nodes = merged_nodes(jsonld_node_objects(graph, inner))
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for frame in frames:
        document = {"@context": inner, "@graph": frame_nodes(nodes, frame)}
        path = folder / f"osce-kg.{frame.kind}.jsonld"
        with atomic_output(path) as fh:
            fh.write((json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
        log.info("wrote %s: %d %s", path, len(document["@graph"]), frame.kind)
        written[frame.kind] = path
    return written
