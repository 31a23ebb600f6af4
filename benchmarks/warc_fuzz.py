"""Fuzz the WARC reader with damaged files (issue 21):
``python benchmarks/warc_fuzz.py [--pages N] [--flips N] [--seed S]``.

A WARC file of ``N`` invented pages (a request and a response record each,
with the digests ``osce-kg fetch`` writes) is written plain and gzipped;
then each copy is

- **cut** at every 1 % of its size (99 cuts), and
- **flipped**: ``--flips`` copies with one byte changed at a random place
  (seeded), and as many with eight bytes changed,

and each damaged copy is read as a build reads it
(:func:`osce_kg.sources.find_sources`, then :func:`~osce_kg.sources.read_source`
for every page). Counted:

- **crashes**: any exception but :class:`~osce_kg.errors.SourceError`;
- **partial pages**: a page read whose bytes differ from the page written
  for its URI (a page that would be exported in part or changed);
- **cut records not named**: a cut that falls inside a record (before the
  end of its block, or of its gzip member) while no damaged record at that
  record's offset is reported.

Prints one line per file kind and exits 1 when any count is not 0.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from osce_kg.errors import SourceError
from osce_kg.sources import find_sources, read_source
from osce_kg.webarchive import _read_one


#: print the traceback of each crash (``--verbose``)
VERBOSE = False


def page(n: int, rng: random.Random) -> bytes:
    words = "mission dialogue border council election monitoring office town river meeting".split()
    paragraphs = "".join(f"<p>{' '.join(rng.choice(words) for _ in range(40))}.</p>" for _ in range(rng.randint(2, 12)))
    return f"<html><head><title>Page {n}</title></head><body><h1>Report {n}</h1>{paragraphs}</body></html>".encode()


def write_warc(path: Path, pages: int, seed: int) -> dict[str, str]:
    """The WARC at ``path``; its page URIs and the SHA-256 of each body."""
    rng = random.Random(seed)
    digests = {}
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for n in range(pages):
            url = f"http://example.org/news/{n}"
            body = page(n, rng)
            digests[url] = hashlib.sha256(body).hexdigest()
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                    warc_headers_dict={"WARC-Date": "2024-01-01T00:00:00Z", "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"},
                )
            )
    return digests


def record_spans(path: Path) -> list[tuple[int, int]]:
    """(start, end of the block or gzip member) of each record of the intact file."""
    spans = []
    compressed = path.name.endswith(".gz")
    size = path.stat().st_size
    with path.open("rb") as fh:
        offset = 0
        while offset < size:
            _record, following, reason = _read_one(fh, offset)
            assert reason is None
            spans.append((offset, following if compressed else following - 4))
            offset = following
    return spans


def read_all(path: Path, digests: dict[str, str]) -> tuple[int, int, set[int], int]:
    """(crashes, partial pages, offsets of damaged records named, pages read whole)."""
    crashes = partial = whole = 0
    named: set[int] = set()
    try:
        refs = find_sources([path])
    except SourceError:
        return 0, 0, {0}, 0  # the whole file refused, named
    except Exception:  # noqa: BLE001 - counted
        if VERBOSE:
            import traceback

            traceback.print_exc()
        return 1, 0, set(), 0
    for ref in refs:
        if ref.record is not None and ref.record.damage is not None:
            named.add(ref.record.offset)
        try:
            source = read_source(ref)
        except SourceError:
            continue
        except Exception:  # noqa: BLE001 - counted
            crashes += 1
            if VERBOSE:
                import traceback

                traceback.print_exc()
            continue
        if source.url in digests and source.sha256 != digests[source.url]:
            partial += 1
        else:
            whole += 1
    return crashes, partial, named, whole


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--flips", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="print the traceback of each crash")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("fuzz.warc", "fuzz.warc.gz"):
            started = time.perf_counter()
            intact = Path(tmp) / name
            digests = write_warc(intact, args.pages, args.seed)
            data = intact.read_bytes()
            spans = record_spans(intact)
            damaged = Path(tmp) / f"damaged-{name}"
            crashes = partial = unnamed = cuts_inside = whole_after_cut = 0
            for percent in range(1, 100):
                cut = len(data) * percent // 100
                damaged.write_bytes(data[:cut])
                c, p, named, whole = read_all(damaged, digests)
                crashes += c
                partial += p
                whole_after_cut += whole
                inside = [start for start, end in spans if start < cut < end]
                cuts_inside += bool(inside)
                unnamed += sum(1 for start in inside if start not in named and 0 not in named)
            rng = random.Random(args.seed)
            flip_crashes = flip_partial = flip_named = 0
            for trial in range(2 * args.flips):
                mutated = bytearray(data)
                for _ in range(1 if trial < args.flips else 8):
                    mutated[rng.randrange(len(mutated))] ^= rng.randrange(1, 256)
                damaged.write_bytes(bytes(mutated))
                c, p, named, _whole = read_all(damaged, digests)
                flip_crashes += c
                flip_partial += p
                flip_named += bool(named)
            seconds = time.perf_counter() - started
            print(
                f"{name}: {len(data):,} bytes, {args.pages} pages; 99 cuts ({cuts_inside} inside a record): "
                f"{crashes} crashes, {partial} partial pages, {unnamed} cut records not named, "
                f"{whole_after_cut} whole pages read; {2 * args.flips} flipped copies: {flip_crashes} crashes, "
                f"{flip_partial} partial or changed pages, {flip_named} with damage named; {seconds:.1f} s"
            )
            failed |= bool(crashes or partial or unnamed or flip_crashes or flip_partial)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
