"""The JSON-LD writer: node objects compacted with the project's context,
streamed one subject at a time (JSON-LD 1.1, compacted document form,
https://www.w3.org/TR/json-ld11/#compacted-document-form).

The document is ``{"@context": {...}, "@graph": [node, node, ...]}`` with the
context of ``ontology/context.jsonld`` embedded (reading it needs no
network). Each node object is ``{"@id": ..., "@type": [...], term: value}``:

- a value is written in the short form its term defines when the term
  matches it exactly: an IRI under a term with ``"@type": "@id"``; a literal
  of the term's ``@type``; a string with the context's default language
  (``en``) under a term without ``@type``/``@language``; an ``xsd:string``
  under a term with ``"@language": null``; ``true``/``false`` and integers
  in canonical form as JSON natives under a term without ``@type``
  (JSON-LD 1.1 §8.6, "native types");
- anything else is a full value object (``{"@value", "@language"}`` or
  ``{"@value", "@type"}``, ``{"@id"}``), under the property's term (a value
  object is never coerced) or, for a property without a term, its compact
  IRI (``prefix:local``): a value never changes when read back (expansion
  gives the same triples).

Subjects and values come in the order they are given (the store's), which
is deterministic; a subject given twice in separate runs gives two node
objects with the same ``@id``, which JSON-LD merges.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import groupby
from typing import Any, BinaryIO

import pyoxigraph as ox

__all__ = ["JsonLdDocument", "JsonLdWriter"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_NATIVE = {_XSD + "boolean": ("true", "false"), _XSD + "integer": None}


class JsonLdWriter:
    """Compacts triples with one context (the inner ``@context`` object).

    Args:
        context: the inner ``@context`` object (prefixes, term definitions,
            ``@language``).
    """

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = dict(context)
        self.language = self.context.get("@language")
        self.prefixes: list[tuple[str, str]] = sorted(
            ((term, value) for term, value in self.context.items() if isinstance(value, str) and not term.startswith("@")),
            key=lambda tv: -len(tv[1]),
        )
        # property IRI -> (term, its @type expanded or None, has @language key, its @language)
        self.terms: dict[str, tuple[str, str | None, bool, str | None]] = {}
        for term, definition in self.context.items():
            if term.startswith("@") or not isinstance(definition, dict) or "@id" not in definition:
                continue
            iri = self.expand(definition["@id"])
            kind = definition.get("@type")
            self.terms.setdefault(iri, (term, self.expand(kind) if kind and kind != "@id" else kind, "@language" in definition, definition.get("@language")))

    def expand(self, value: str) -> str:
        """``prefix:local`` -> full IRI (other values unchanged)."""
        prefix, sep, rest = value.partition(":")
        namespace = self.context.get(prefix) if sep and not rest.startswith("//") else None
        return namespace + rest if isinstance(namespace, str) else value

    def compact_iri(self, iri: str) -> str:
        """``prefix:local`` for an IRI in a prefix's namespace, else the IRI."""
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri

    def _value(self, o: ox.NamedNode | ox.BlankNode | ox.Literal, definition: tuple[str, str | None, bool, str | None] | None) -> tuple[bool, Any]:
        """(written under the term?, value)."""
        kind = definition[1] if definition else None
        if isinstance(o, ox.NamedNode):
            return (True, o.value) if kind == "@id" else (False, {"@id": o.value})
        if isinstance(o, ox.BlankNode):
            return (True, f"_:{o.value}") if kind == "@id" else (False, {"@id": f"_:{o.value}"})
        datatype = o.datatype.value
        if definition is not None and kind is None:
            has_language, language = definition[2], definition[3]
            if o.language:
                if (has_language and language == o.language) or (not has_language and self.language == o.language):
                    return True, o.value
            elif datatype == _XSD_STRING:
                if has_language and language is None:
                    return True, o.value
            elif datatype in _NATIVE and not has_language:
                if datatype.endswith("boolean") and o.value in ("true", "false"):
                    return True, o.value == "true"
                if datatype.endswith("integer") and o.value == str(_int_or_none(o.value)):
                    return True, int(o.value)
        elif definition is not None and kind == datatype and not o.language:
            return True, o.value
        if o.language:
            return False, {"@value": o.value, "@language": o.language}
        if datatype == _XSD_STRING:
            return False, {"@value": o.value}
        return False, {"@value": o.value, "@type": self.compact_iri(datatype)}

    def node(self, subject: ox.NamedNode | ox.BlankNode, pairs: Iterable[tuple[ox.NamedNode, Any]]) -> dict[str, Any]:
        """The node object of ``subject`` with its ``(predicate, object)`` pairs."""
        node: dict[str, Any] = {"@id": subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"}
        types: list[str] = []
        values: dict[str, list[Any]] = {}
        for p, o in pairs:
            if p.value == _RDF_TYPE and isinstance(o, ox.NamedNode):
                types.append(self.compact_iri(o.value))
                continue
            definition = self.terms.get(p.value)
            _short, value = self._value(o, definition)
            key = definition[0] if definition else self._fallback_key(p.value)
            values.setdefault(key, []).append(value)
        if types:
            node["@type"] = types if len(types) > 1 else types[0]
        for key in sorted(values):
            items = values[key]
            node[key] = items if len(items) > 1 else items[0]
        return node

    def _fallback_key(self, iri: str) -> str:
        compact = self.compact_iri(iri)
        # a compact IRI that is also a term would take the term's coercion
        return compact if compact not in self.context else iri

    def nodes(self, triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[dict[str, Any]]:
        """Node objects of ``triples``, one per run of the same subject."""
        for subject, group in groupby(triples, key=lambda t: t.subject):
            yield self.node(subject, ((t.predicate, t.object) for t in group))


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


class JsonLdDocument:
    """The document ``{"@context": ..., "@graph": [...]}`` written to the
    binary stream ``out`` one node object at a time (one a line): the
    context of ``writer`` first, then :meth:`add` for each node, then
    :meth:`close` (which does not close ``out``)."""

    def __init__(self, writer: JsonLdWriter, out: BinaryIO) -> None:
        self.out = out
        self.first = True
        head = json.dumps({"@context": writer.context}, indent=2, sort_keys=True, ensure_ascii=False)
        out.write(head[: head.rindex("}")].rstrip().encode("utf-8") + b',\n  "@graph": [')

    def add(self, node: Mapping[str, Any]) -> None:
        self.out.write(b"\n    " if self.first else b",\n    ")
        self.first = False
        self.out.write(json.dumps(node, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def close(self) -> None:
        self.out.write(b"\n  ]\n}\n")
