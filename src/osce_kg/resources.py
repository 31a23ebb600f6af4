"""Locate the files that ship with osce-kg: ontology, shapes, reference data,
the default sources and the named SPARQL queries.

In an installed wheel they live in ``osce_kg/_resources/`` (see the
``force-include`` table of ``pyproject.toml``); in a source checkout (editable
install) they are read from the repository's top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_resources"
_CHECKOUT = _PACKAGE_DIR.parent.parent


def _root() -> Path:
    if (_BUNDLED / "ontology").is_dir():
        return _BUNDLED
    return _CHECKOUT


def ontology_dir() -> Path:
    """Folder holding ``osce.ttl`` and ``context.jsonld``."""
    return _root() / "ontology"


def ontology_file() -> Path:
    """The OWL ontology, Turtle."""
    return ontology_dir() / "osce.ttl"


def context_file() -> Path:
    """The JSON-LD context used to compact the JSON-LD dump."""
    return ontology_dir() / "context.jsonld"


def shapes_dir() -> Path:
    """Folder of SHACL shapes files (``*.ttl``)."""
    return _root() / "shapes"


def reference_dir() -> Path:
    """Folder of the reference tables (CSV)."""
    return _root() / "data" / "reference"


def languages_dir() -> Path:
    """Folder of the language data files (``en.json``, ``de.json`` ...)."""
    return _root() / "data" / "languages"


def names_dir() -> Path:
    """Folder of the name data (``folds.json``: spelling folds of names)."""
    return _root() / "data" / "names"


def default_sources_dir() -> Path:
    """The shipped source pages, default input of ``osce-kg build``."""
    return _root() / "data" / "sources"


def queries_dir() -> Path:
    """Folder of the named SPARQL queries (``NAME.rq``), part of the package."""
    return _PACKAGE_DIR / "sparql" / "queries"
