"""The "Done when" of issue 15, as figures: ``fetch_check.py [--pages N] [--work DIR]``.

1. ``make_corpus.py N`` writes N pages; a sitemap of them is added and the
   folder is served over loopback HTTP (``http.server``: ``Last-Modified``
   from the file times, ``If-Modified-Since`` answered with 304).
2. ``osce-kg fetch SITEMAP --warc crawl.warc.gz`` fetches them.
3. ``osce-kg build`` of the WARC, of the fetched folder, and of the pages on
   disk (a copy of the corpus laid out as the pages' keys,
   ``{host}-{port}/...``, so that named graphs and item IRIs, which hold the
   key, are the same); the graphs are compared quad for quad: the WARC and
   the fetched folder as they are, the WARC and the pages on disk once the
   provenance of the fetch (the quads about the pages' named graphs) is left
   out (the dumps hold no blank nodes, so equal sets of lines are isomorphic
   graphs; the script checks there are none).
4. Some pages are changed on disk; a second fetch runs, and the responses
   with a body (HTTP 200) that the server sent are counted.

Prints the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent


class _Handler(SimpleHTTPRequestHandler):
    """Static files; counts the responses by status."""

    counts: dict[int, int] = {}
    lock = threading.Lock()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        with self.lock:
            status = int(getattr(code, "value", code)) if str(code).isdigit() or hasattr(code, "value") else 0
            self.counts[status] = self.counts.get(status, 0) + 1

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _run(args: list[str]) -> tuple[int, float, str]:
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    return proc.returncode, time.perf_counter() - started, proc.stderr


def _osce_kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "osce_kg.cli", *args]


def _lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().split(b"\n") if line]


def _without_provenance(nq: list[bytes]) -> set[bytes]:
    """The quads whose subject is not a graph name."""
    graphs = {line[line.rindex(b" <") + 1 : -2] for line in nq}
    return {line for line in nq if line.split(b" ", 1)[0] not in graphs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=10, help="pages changed before the second fetch")
    parser.add_argument("--rate", type=float, default=500.0, help="requests per second of the fetch (loopback)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="fetch-check-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "site"
    subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(args.pages), str(corpus)], check=True, capture_output=True)
    pages = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".html"))

    handler = partial(_Handler, directory=str(corpus))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    entries = "".join(f"<url><loc>{base}/{p.relative_to(corpus).as_posix()}</loc></url>\n" for p in pages)
    (corpus / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fetched, warc = work / "pages", work / "crawl.warc.gz"
    fetch_args = ["-q", "fetch", f"{base}/sitemap.xml", "-o", str(fetched), "--depth", "0", "--rate", str(args.rate)]
    try:
        code, t_fetch, err = _run(_osce_kg(*fetch_args, "--warc", str(warc)))
        first = dict(_Handler.counts)
        print(f"pages served: {len(pages)}; first fetch: exit {code}, {t_fetch:.1f} s, responses by status {first}, WARC {warc.stat().st_size:,} bytes")
        if err.strip():
            print(err.strip()[:2000])

        from osce_kg.webarchive import url_key

        disk = work / "disk" / url_key(f"{base}/", None).split("/")[0]
        for page in pages:
            target = disk / page.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.read_bytes())
        builds = {}
        for name, source in (("warc", warc), ("folder", fetched), ("disk", work / "disk")):
            out = work / f"dist-{name}"
            code, seconds, err = _run(_osce_kg("-q", "build", str(source), "-o", str(out), "-j", str(args.jobs)))
            nq = _lines(out / "osce-kg.nq")
            builds[name] = nq
            print(f"build of the {name}: exit {code}, {seconds:.1f} s, {len(nq):,} quads")
        blank = any(b"_:" in line.split(b'"')[0] for line in builds["warc"])
        same_quads = builds["warc"] == builds["folder"]
        warc_data, disk_data = _without_provenance(builds["warc"]), _without_provenance(builds["disk"])
        provenance = len(builds["warc"]) - len(warc_data)
        print(f"blank nodes in the dumps: {'yes' if blank else 'no'}")
        print(f"WARC build == fetched-folder build (every quad, provenance included): {'yes' if same_quads else 'NO'}")
        print(
            f"WARC build == build of the pages on disk, but for the provenance of the fetch: {'yes' if warc_data == disk_data else 'NO'} "
            f"({len(warc_data):,} quads; {provenance:,} provenance quads left out)"
        )

        later = time.time() + 60
        for page in pages[: args.changed]:
            page.write_bytes(page.read_bytes().replace(b"OSCE", b"OSCE ", 1))
            os.utime(page, (later, later))
        _Handler.counts.clear()
        code, t_fetch, err = _run(_osce_kg(*fetch_args))
        second = dict(_Handler.counts)
        print(
            f"second fetch after changing {args.changed} page(s): exit {code}, {t_fetch:.1f} s, responses by status {second}; "
            f"transfers (HTTP 200): {second.get(200, 0)}"
        )
    finally:
        server.shutdown()
        server.server_close()
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
