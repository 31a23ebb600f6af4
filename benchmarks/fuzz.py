"""Fuzz the source reader, the layouts and the extraction (issue 11):
``python benchmarks/fuzz.py [--inputs N] [--seed S] [--map] [--out DIR]``.

Two generators feed the same target, each giving half of the inputs:

- **mutation**: a page of the test corpora (tests/pages, tests/corpus-dev,
  tests/malformed, data/sources) changed by 1-8 random operations (bytes
  flipped, inserted or deleted; lines duplicated, dropped, swapped or cut;
  two pages spliced; layout labels, quotation marks, datelines, HTML tags,
  deep nesting, long lines, control characters, BOMs and charsets
  inserted), deterministic for a seed;
- **hypothesis** (with a long profile: ``max_examples`` = half of the
  inputs, no deadline, no shrinking database): pages built from the layouts'
  own vocabulary (navigation lines, "- Issued on", the new design's labels,
  "said", quotation marks, dates, names of States and structures) and
  random text, as ``.txt`` or as HTML.

The target is what a build does to one page: :func:`osce_kg.sources.decode`,
:func:`~osce_kg.sources.check_mojibake`, :func:`~osce_kg.sources.replace_controls`
(as :func:`~osce_kg.sources.read_source` does), :func:`osce_kg.extract.extract_page`
and, with ``--map``, the mapping to RDF. A :class:`~osce_kg.errors.SourceError`
is the expected answer to a bad page; any other exception is a crash, and a
page that takes more than 1 s is a hang, timed after a warm-up that pays
the one-time loads (lazy imports, py3langid's model, each language's
patterns: see :func:`warm_up`; its time is printed apart) (a page still running after 3 s is
stopped with SIGALRM; it counts as a hang, not a crash). Crashing and hanging inputs are
written to ``--out`` (default ``benchmarks/fuzz-findings/``) to become
regression tests.

Printed at the end: inputs run, crashes (distinct by exception type and
place), hangs over 1 s, the slowest page and its time, inputs per second.
This is a script to run by hand (minutes); CI does not run it.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from osce_kg.errors import SourceError  # noqa: E402
from osce_kg.extract import extract_page  # noqa: E402
from osce_kg.mapping import Mapper  # noqa: E402
from osce_kg.records import SourcePage  # noqa: E402
from osce_kg.reference import ReferenceData  # noqa: E402
from osce_kg.sources import MAX_HTML_DEPTH, SUFFIXES, check_mojibake, decode, html_depth, replace_controls  # noqa: E402
from osce_kg.vocab import IriMinter  # noqa: E402

#: a page slower than this is a hang (seconds)
HANG_SECONDS = 1.0
#: a page still running after this is stopped (seconds)
STOP_SECONDS = 3
#: a progress line on stderr every so many inputs
PROGRESS_EVERY = 5000

SEED_FOLDERS = ("tests/pages", "tests/corpus-dev", "tests/malformed", "data/sources")

#: fragments of the layouts' vocabulary, inserted by the mutator and the grammar
TOKENS = (
    "- Issued on", "- Issued by", "- Fields of work", "Issued on:", "Date:", "Type:", "Source:",
    "News and press releases", "Press release", "Statement", "Home", "Navigation", "Chairpersonship",
    "VIENNA, 12 March 2015 –", "WARSAW, 3 May 2019 -", "On 5 May 2020", "31 February 2019", "2019-13-45",
    "said", "said the OSCE Chairperson-in-Office", "stated", "according to", "“", "”", "«", "»", "\"", "'",
    "‘", "’", "OSCE", "ODIHR", "Permanent Council", "Forum for Security Co-operation", "Sweden", "Ukraine",
    "Mr.", "Ms.", "Ambassador", "Head of the OSCE Mission to Serbia", "Special Representative",
    "<p>", "</p>", "<div>", "</div>", "<h1>", "</h1>", "<meta charset=\"iso-8859-1\">", "<meta charset=\"utf-16\">",
    "<meta name=\"date\" content=\"2015-03-12\">", "<article>", "<time datetime=\"2015-03-12\">", "<!--", "-->",
    "<script>", "</script>", "&amp;", "&#0;", "&#x110000;", "\ufeff", "\u202e", "\u200b", "\x00", "\x1b", "\x85",
    "\u2028", "\r", "\t", "â€™", "Ã©", "\x93",
)


class Stats:
    """Counts of one run."""

    def __init__(self, out: Path) -> None:
        self.inputs = 0
        self.crashes: Counter[str] = Counter()
        self.crash_examples: dict[str, Path] = {}
        self.hangs: list[tuple[float, Path]] = []
        self.rejected = 0
        self.warm_up = 0.0  # seconds of one-time loads before the first timed input
        self.slowest = (0.0, "", 0)
        self.out = out
        self.started = time.perf_counter()

    def save(self, data: bytes, suffix: str, kind: str) -> Path:
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"{kind}-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
        path.write_bytes(data)
        return path


class _Stop(BaseException):  # not caught by the code under test
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Stop()


def warm_up(ref: ReferenceData, mapper: Mapper | None) -> float:
    """Pay the one-time costs before any timed input, and say so on stderr.

    These are loads a build pays once per process, not per page: the lazy
    imports (trafilatura, dateparser, py3langid), py3langid's model (0.8 s
    to decompress), dateparser's first parse and its first parse in no given
    language (through htmldate: the data of every locale, 7 s), each
    language's patterns
    (compiled on the first page in that language) and the mapping. Every
    seed page is extracted (and mapped with ``--map``), then a small page in
    every language with data, as text and as HTML of another site. A page
    is timed from its own first byte: what is counted as a hang is work that
    page causes, not a load the first page of a kind happens to trigger.
    """
    from osce_kg.extract.dates import parse_date_line
    from osce_kg.extract.language import detect_language, languages

    started = time.perf_counter()
    logging.disable(logging.CRITICAL)
    detect_language("The Chairperson met the Ministers of Foreign Affairs in Vienna today.")
    parse_date_line("March 12th 2015")
    pages = [(data, suffix) for data, suffix, _name in load_seeds()]
    for code in sorted(languages()):
        text = f"Title {code}\n\nVIENNA, 12 March 2015 – The OSCE said: “Dialogue matters,” said Marta Lindqvist.\n"
        pages.append((text.encode("utf-8"), ".txt"))
        html = f"<!DOCTYPE html><html lang=\"{code}\"><head><title>Title</title></head><body><h1>Title</h1><p>{text}</p></body></html>"
        pages.append((html.encode("utf-8"), ".html"))
    # a date htmldate cannot read itself (a day the month does not have) goes
    # to dateparser without a language: its first such parse loads the data
    # of every locale (7 s), once per process
    bad_date = "<!DOCTYPE html><html><head><title></title></head><body><h1>31 February 2019</h1><p>31 February 2019</p></body></html>"
    pages.append((bad_date.encode("utf-8"), ".html"))
    for data, suffix in pages:
        try:
            text = decode(data, Path("w"), SUFFIXES[suffix])
            record = extract_page(SourcePage(Path("warm-up" + suffix), "warm-up", text, SUFFIXES[suffix], "", None), ref)
            if mapper is not None:
                mapper.map_page(record)
        except (SourceError, ValueError):
            pass
    seconds = time.perf_counter() - started
    print(f"warm-up (one-time loads, not counted): {len(pages)} pages, {seconds:.1f} s", file=sys.stderr, flush=True)
    return seconds


def make_target(do_map: bool, stats: Stats):  # type: ignore[no-untyped-def]
    """The function that runs one input and records what happened."""
    ref = ReferenceData.load()
    mapper = Mapper(ref, IriMinter()) if do_map else None
    stats.warm_up = warm_up(ref, mapper)

    def run(data: bytes, suffix: str, origin: str) -> None:
        path = Path(f"fuzz{suffix}")
        media_type = SUFFIXES[suffix]
        stats.inputs += 1
        signal.alarm(STOP_SECONDS)
        started = time.perf_counter()
        crash = None
        try:
            text = decode(data, path, media_type).replace("\r\n", "\n").replace("\r", "\n")
            check_mojibake(text, path)
            text = replace_controls(text, path)
            if media_type == "text/html" and html_depth(text) > MAX_HTML_DEPTH:
                raise SourceError(path, "nested too deep")
            page = SourcePage(path=path, key=path.name, text=text, media_type=media_type, sha256="", modified=None)
            record = extract_page(page, ref)
            if mapper is not None:
                mapper.map_page(record)
        except SourceError:
            stats.rejected += 1
        except _Stop:
            pass  # a hang, counted below
        except Exception as exc:  # noqa: BLE001 - every other exception is a finding
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            crash = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno} ({frame.name})"
        finally:
            signal.alarm(0)
        seconds = time.perf_counter() - started
        if seconds > stats.slowest[0]:
            stats.slowest = (seconds, origin, len(data))
        if crash is not None:
            stats.crashes[crash] += 1
            if crash not in stats.crash_examples:
                stats.crash_examples[crash] = stats.save(data, suffix, "crash")
                print(f"crash: {crash}: {stats.crash_examples[crash]}", file=sys.stderr)
        if stats.inputs % PROGRESS_EVERY == 0:
            print(
                f"{stats.inputs} inputs, {sum(stats.crashes.values())} crashes, {len(stats.hangs)} hangs, "
                f"{time.perf_counter() - stats.started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
        if seconds > HANG_SECONDS:
            saved = stats.save(data, suffix, "hang")
            stats.hangs.append((seconds, saved))
            print(f"hang: {seconds:.2f} s: {saved} ({origin}, {len(data):,} bytes)", file=sys.stderr, flush=True)

    return run


# --------------------------------------------------------------------------- mutation


def load_seeds() -> list[tuple[bytes, str, str]]:
    """(bytes, suffix, name) of every page of the seed folders."""
    seeds = []
    for folder in SEED_FOLDERS:
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                seeds.append((path.read_bytes(), path.suffix.lower(), f"{folder}/{path.name}"))
    return seeds


def mutate(data: bytes, other: bytes, rnd: random.Random) -> bytes:
    """``data`` changed by 1-8 random operations (``other``: a page to splice)."""
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(12)
        at = rnd.randint(0, len(buf))
        if op == 0 and buf:  # flip bytes
            for _ in range(rnd.randint(1, 8)):
                i = rnd.randrange(len(buf))
                buf[i] ^= 1 << rnd.randrange(8)
        elif op == 1:  # random bytes
            buf[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif op == 2 and buf:  # delete a run
            del buf[at : at + rnd.randint(1, 256)]
        elif op == 3:  # a token of the layouts
            buf[at:at] = rnd.choice(TOKENS).encode("utf-8")
        elif op in (4, 5, 6):  # line operations
            lines = bytes(buf).split(b"\n")
            i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            if op == 4:
                lines.insert(j, lines[i])
            elif op == 5 and len(lines) > 1:
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            buf = bytearray(b"\n".join(lines))
        elif op == 7:  # splice with another page
            cut = rnd.randint(0, len(other))
            buf = buf[:at] + bytearray(other[cut:])
        elif op == 8:  # deep nesting
            depth = rnd.choice((10, 100, 1000, 3000))
            tag = rnd.choice((b"div", b"p", b"b", b"blockquote"))
            buf[at:at] = b"<" + tag + b">" * 1 + (b"<" + tag + b">") * depth + b"x" + (b"</" + tag + b">") * rnd.choice((0, depth))
        elif op == 9:  # a long line
            word = rnd.choice(TOKENS).encode("utf-8") + b" "
            buf[at:at] = word * rnd.choice((10, 100, 1000, 3000))
        elif op == 10:  # a BOM, a charset or a control byte
            buf[at:at] = rnd.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x85", b"\r", b"\x0c"))
        else:  # truncate
            del buf[at:]
    return bytes(buf)


def run_mutation(target, n: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    seeds = load_seeds()
    rnd = random.Random(seed)
    for _ in range(n):
        data, suffix, name = rnd.choice(seeds)
        other = rnd.choice(seeds)[0]
        if rnd.random() < 0.2:
            suffix = ".html" if suffix == ".txt" else ".txt"
        target(mutate(data, other, rnd), suffix, f"mutation of {name}")


# --------------------------------------------------------------------------- hypothesis

_words = st.sampled_from(TOKENS) | st.text(min_size=1, max_size=20)
_line = st.lists(_words, min_size=0, max_size=12).map(" ".join)
_labelled = st.tuples(
    st.sampled_from(("Title", "Date", "Type", "Source", "Issued on", "Issued by", "Fields of work", "Tags")),
    _line,
).map(lambda kv: f"{kv[0]}: {kv[1]}")
_old_item = st.tuples(_line, _line, st.lists(_line, max_size=8)).map(
    lambda t: f"{t[0]}\n- Issued on\n{t[1]}\n- Issued by\nOSCE\n" + "\n".join(t[2])
)
_quote = st.tuples(_line, st.sampled_from(("“%s”", "\"%s\"", "«%s»", "‘%s’")), _line).map(
    lambda t: f"{t[0]} {t[1] % t[2]}, said {t[0]}."
)
_text_page = st.lists(_line | _labelled | _old_item | _quote, min_size=1, max_size=30).map("\n".join)


def _html(parts: list[str]) -> str:
    body = "".join(f"<p>{part}</p>" for part in parts)
    return f"<!DOCTYPE html><html><head><title>{parts[0] if parts else ''}</title></head><body><h1>{parts[-1] if parts else ''}</h1>{body}</body></html>"


_html_page = st.lists(_line | _quote, min_size=0, max_size=20).map(_html)
_page = st.one_of(
    _text_page.map(lambda t: (t.encode("utf-8", "surrogatepass"), ".txt")),
    _html_page.map(lambda t: (t.encode("utf-8", "surrogatepass"), ".html")),
    st.tuples(st.binary(max_size=2000), st.sampled_from((".txt", ".html"))),
)


def run_hypothesis(target, n: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(_page)
    def fuzz(page: tuple[bytes, str]) -> None:
        target(page[0], page[1], "hypothesis")

    random.seed(seed)
    fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs in all (half mutation, half hypothesis)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--map", action="store_true", help="also map each page to RDF")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "fuzz-findings")
    parser.add_argument(
        "--only", choices=("mutation", "hypothesis"),
        help="run one generator for all the inputs (to run the two in two processes)",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # the pages' warnings are not findings
    signal.signal(signal.SIGALRM, _alarm)
    stats = Stats(args.out)
    target = make_target(args.map, stats)
    started = time.perf_counter()
    half = {"mutation": 0, "hypothesis": args.inputs}.get(args.only or "", args.inputs // 2)
    run_mutation(target, args.inputs - half, args.seed)
    mutated = stats.inputs
    print(f"mutation: {mutated} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if half:
        run_hypothesis(target, half, args.seed)
    seconds = time.perf_counter() - started
    slow_s, slow_origin, slow_size = stats.slowest
    print(f"warm-up before timing (one-time loads: imports, models, per-language patterns): {stats.warm_up:.1f} s, not counted")
    print(f"inputs: {stats.inputs} ({mutated} mutated, {stats.inputs - mutated} generated by hypothesis)")
    print(f"rejected with a SourceError (expected for a bad page): {stats.rejected}")
    print(f"crashes: {sum(stats.crashes.values())} ({len(stats.crashes)} distinct)")
    for crash, count in stats.crashes.most_common():
        print(f"  {count} x {crash}: e.g. {stats.crash_examples[crash]}")
    print(f"hangs over {HANG_SECONDS:g} s: {len(stats.hangs)}")
    for secs, path in sorted(stats.hangs, reverse=True)[:10]:
        print(f"  {secs:.2f} s: {path}")
    stopped = " (stopped at the limit)" if slow_s >= STOP_SECONDS else ""
    print(f"slowest page: {slow_s:.3f} s{stopped} ({slow_origin}, {slow_size:,} bytes)")
    print(f"time: {seconds:.0f} s, {stats.inputs / seconds:,.0f} inputs/s")
    return 1 if stats.crashes or stats.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
