"""Building pages in tests through the one build path (``osce_kg.build``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Dataset

from osce_kg import BuildConfig, build
from osce_kg.mapping import REFERENCE_GRAPH, Mapper
from osce_kg.oxterms import rdflib_graph
from osce_kg.records import PageRecord
from osce_kg.vocab import PREFIXES


def build_pages(paths: Sequence[Path], reference: Path | None = None, base_iri: str | None = None):
    """``(dataset, records, skipped pages, warnings)`` of an in-memory build of ``paths``."""
    options = {"keep_records": True, "reference": reference}
    if base_iri:
        options["base_iri"] = base_iri
    result = build(BuildConfig.of(paths, **options))
    return result.dataset, result.records, result.skipped, result.warnings


def mapped_dataset(mapper: Mapper, records: Iterable[PageRecord]) -> Dataset:
    """The reference graph and one named graph per record, as the mapper gives them."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ds.graph(mapper.graph_iri(REFERENCE_GRAPH).value).__iadd__(rdflib_graph(mapper.map_reference()))
    for record in records:
        ds.graph(mapper.minter.page_graph(record.source.key)).__iadd__(rdflib_graph(mapper.map_page(record)))
    return ds


def copy_pages(source: Path, folder: Path, skip: str | None = None) -> Path:
    """``folder`` with a copy of every ``.txt`` page of ``source`` but
    ``skip``: a build's sources that a test changes."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in source.glob("*.txt"):
        if page.name != skip:
            shutil.copyfile(page, folder / page.name)
    return folder
