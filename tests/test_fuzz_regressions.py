"""Regression tests from the fuzzing script (benchmarks/fuzz.py, issue 11).

The hangs it found are pages with one long paragraph of a repeated phrase
(a mutation that inserts a layout token thousands of times): extraction work
that grows with the square of the paragraph. Speed is not asserted here (no
timed assertions in tests); what is asserted is how the *amount of work*
grows: the Python function calls (``sys.setprofile`` "call" and "c_call"
events, deterministic for the same input) of extracting a page whose
paragraph repeats the phrase 200 times, and 800 times. Linear work gives a
ratio near 4 (measured: 2.4-3.7 on the phrases that do not hang); the
quadratic places gave 9-16 (``people.name_runs`` tested every token against
every masked structure span; the date finder tested every date found
against every date taken), until both kept their spans as masks over the
text. A repeated "Mr." was quadratic too, inside a regular expression (C
code, no calls to count): see the fuzzing script's findings.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from osce_kg.extract import extract_page
from osce_kg.records import SourcePage
from osce_kg.reference import ReferenceData
from tests._robustness_support import PAGES

#: largest accepted growth of the work for 4 times the paragraph
LINEAR_RATIO = 6.0


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def _page(phrase: str, times: int) -> SourcePage:
    base = (PAGES / "p05-two-paragraphs.txt").read_text(encoding="utf-8").rstrip("\n")
    text = base + "\n" + " ".join([phrase] * times) + "\n"
    return SourcePage(path=Path("fuzz.txt"), key="fuzz.txt", text=text, media_type="text/plain", sha256="", modified=None)  # type: ignore[arg-type]


def _calls(page: SourcePage, ref: ReferenceData) -> int:
    """Python and C function calls made while extracting ``page``."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    logging.disable(logging.CRITICAL)
    try:
        extract_page(page, ref)  # warm caches first: their one-off work is not the page's
        sys.setprofile(profile)
        try:
            extract_page(page, ref)
        finally:
            sys.setprofile(None)
    finally:
        logging.disable(logging.NOTSET)
    return count


@pytest.mark.parametrize(
    "phrase",
    [
        "word",
        "Ukraine",
        '<meta name="date" content="2015-03-12">',
        "said Marta Lindqvist,",
        "“Dialogue”",
        "Forum for Security Co-operation",  # was quadratic: people.name_runs against masked structure spans
        "Head of the OSCE Mission to Serbia",  # was quadratic: the same
        "WARSAW, 3 May 2019 -",  # was quadratic: the date finder's test against every date taken
    ],
)
@pytest.mark.slow
def test_extraction_work_grows_linearly_with_a_repeated_phrase(ref: ReferenceData, phrase: str) -> None:
    small = _calls(_page(phrase, 200), ref)
    large = _calls(_page(phrase, 800), ref)
    assert large <= LINEAR_RATIO * small, f"{large} calls for 4x the paragraph, {small} for 1x ({large / small:.1f}x)"
