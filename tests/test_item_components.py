"""The item components and the language data they read (ARCHITECTURE.md,
"Extraction")."""

from __future__ import annotations

import json
import re
from pathlib import Path

from osce_kg.extract.item import COMPONENTS, INPUTS
from osce_kg.extract.language import languages

SRC = Path(__file__).resolve().parent.parent / "src" / "osce_kg" / "extract"


def test_each_component_reads_only_inputs_or_what_an_earlier_component_added() -> None:
    known = set(INPUTS)
    for component in COMPONENTS:
        missing = [name for name in component.reads if name not in known]
        assert not missing, f"{component.name} reads {missing} before any component adds them"
        known.update(component.adds)


def test_component_names_are_unique() -> None:
    names = [c.name for c in COMPONENTS]
    assert len(names) == len(set(names))


def test_every_key_of_the_language_files_is_read_by_the_code() -> None:
    """A key no code reads is a word list that changes nothing."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    read = set(re.findall(r"""["']([a-z_]+)["']""", source))
    keys = {key for lang in languages().values() for key in lang.data}
    unread = sorted(keys - read - {"code", "name"})
    assert not unread, f"keys of data/languages/*.json that no extraction code reads: {unread}"


def test_every_language_file_has_the_keys_of_english() -> None:
    english = set(languages()["en"].data)
    for code, lang in languages().items():
        missing = sorted(english - set(lang.data))
        assert not missing, f"{code}.json lacks {missing}"
