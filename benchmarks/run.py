"""Site-scale benchmark of ``osce-kg build`` (issue 5), printing figures.

For each corpus size N (default 1,000, 10,000 and 50,000 pages, generated with
``make_corpus.py``), in one run on the same machine:

- **build**: ``osce_kg.build`` with ``jobs`` workers: wall time, pages/s,
  triples/s, peak RSS (main process, and the largest worker), and the time of
  each stage (worker stages summed over pages: read, extract, map, validate,
  serialize; main: assemble, cross-checks, dumps);
- **floor**: pyoxigraph bulk-loading the build's own N-Quads and dumping
  Turtle and N-Triples: what writing the data costs at best;
- **naive**: one rdflib Graph for everything (serial extraction and mapping),
  pyshacl over the whole graph, rdflib's Turtle and JSON-LD writers; stopped
  after ``--naive-timeout`` seconds, when its time is reported as a lower bound;
- **rebuild** (for N = 10,000 when measured): build with ``--cache``, change
  one page, rebuild; the rebuild's share of the full build;
- **queries**: every named query on the embedded Oxigraph store of the
  build, median of 5 runs.

Ratios are printed against the figures of the same run. Each measurement runs
in a fresh subprocess so peak RSS is its own. Nothing here is a test: it prints
figures (``benchmarks/RESULTS.md`` records them).

Usage::

    python benchmarks/run.py --sizes 1000,10000,50000 [--jobs 2] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BUILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from osce_kg import build
    corpus, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    cache = Path(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
    t = time.perf_counter()
    r = build(BuildConfig.of([corpus], output=out, jobs=jobs, cache=cache))
    wall = time.perf_counter() - t
    main_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "pages": len(r.pages), "exported": len(r.exported), "skipped": len(r.skipped),
                      "triples": r.triples, "timings": r.timings, "main_rss_mb": main_rss, "worker_rss_mb": worker_rss,
                      "conforms": r.report.conforms, "processed": r.processed, "cached": r.cached}))
    """
)

FLOOR = textwrap.dedent(
    """
    import json, resource, sys, time
    import pyoxigraph as ox
    nq, out = sys.argv[1], sys.argv[2]
    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
    t_load = time.perf_counter() - t
    quads = list(store)
    with open(out + "/floor.ttl", "wb") as fh:
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), fh, format=ox.RdfFormat.TURTLE)
    with open(out + "/floor.nt", "wb") as fh:
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), fh, format=ox.RdfFormat.N_TRIPLES)
    wall = time.perf_counter() - t
    print(json.dumps({"wall": wall, "load": t_load, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)

NAIVE = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    import pyshacl
    from rdflib import Graph
    from osce_kg.pipeline import build_dataset
    from osce_kg.validate import load_shapes
    from osce_kg.serialize import load_context
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    stages = {}
    t = time.perf_counter()
    ds, records, skipped, warnings = build_pages([corpus])
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    stages["extract+map"] = time.perf_counter() - t
    t1 = time.perf_counter()
    pyshacl.validate(g, shacl_graph=load_shapes(), inference="none", advanced=True)
    stages["validate"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    g.serialize(out / "naive.ttl", format="turtle")
    g.serialize(out / "naive.jsonld", format="json-ld", context=load_context(), auto_compact=True)
    stages["serialize"] = time.perf_counter() - t2
    print(json.dumps({"wall": time.perf_counter() - t, "stages": stages, "triples": len(g),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)

QUERIES = textwrap.dedent(
    """
    import json, statistics, sys, time
    import pyoxigraph as ox
    from osce_kg.queries import list_queries, run_query_store
    from osce_kg.store import refresh_union
    store = ox.Store()
    store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
    refresh_union(store)
    out = {}
    for q in list_queries():
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rows = run_query_store(store, q, {})
            times.append(time.perf_counter() - t)
        out[q.name] = {"median_ms": statistics.median(times) * 1000, "rows": len(rows.rows)}
    print(json.dumps(out))
    """
)


def _run(code: str, *args: str, timeout: float | None = None) -> dict | None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _corpus(work: Path, n: int, seed: int) -> Path:
    folder = work / f"corpus-{n}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), str(folder), "--seed", str(seed)], check=True)
        marker.write_text("ok\n")
    return folder


def _machine() -> str:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores, {mem}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/osce-kg-bench"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-timeout", type=float, default=300.0)
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {_machine()}; jobs={args.jobs}; {time.strftime('%Y-%m-%d')}")
    results: dict[int, dict] = {}
    for n in sizes:
        corpus = _corpus(args.work, n, args.seed)
        out = args.work / f"out-{n}"
        shutil.rmtree(out, ignore_errors=True)
        b = _run(BUILD, str(corpus), str(out), str(args.jobs))
        assert b is not None
        out_bytes = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
        fl = _run(FLOOR, str(out / "osce-kg.nq"), str(out))
        assert fl is not None
        na = None if args.no_naive else _run(NAIVE, str(corpus), str(out), timeout=args.naive_timeout)
        qs = _run(QUERIES, str(out / "osce-kg.nq"))
        results[n] = {"build": b, "floor": fl, "naive": na, "queries": qs, "out_mb": out_bytes / 2**20}
        t = b["timings"]
        print(f"\nN = {n:,} pages ({b['exported']:,} exported, {b['skipped']} skipped, conforms={b['conforms']})")
        print(f"  build   {b['wall']:8.1f} s  {n / b['wall']:8.0f} pages/s  {b['triples'] / b['wall']:10.0f} triples/s  "
              f"peak RSS main {b['main_rss_mb']:.0f} MB, worker {b['worker_rss_mb']:.0f} MB; output {out_bytes / 2**20:.0f} MB")
        print("  stages  " + ", ".join(f"{k} {v:.1f} s" for k, v in t.items() if k != "total"))
        print(f"  floor   {fl['wall']:8.1f} s  (bulk load {fl['load']:.1f} s; RSS {fl['rss_mb']:.0f} MB)   build/floor = {b['wall'] / fl['wall']:.1f}")
        if na is None:
            if not args.no_naive:
                print(f"  naive   > {args.naive_timeout:.0f} s (stopped)   naive/build > {args.naive_timeout / b['wall']:.1f}")
        else:
            print(f"  naive   {na['wall']:8.1f} s  ({', '.join(f'{k} {v:.1f} s' for k, v in na['stages'].items())}; RSS {na['rss_mb']:.0f} MB)   naive/build = {na['wall'] / b['wall']:.1f}")
        slowest = max(qs.items(), key=lambda kv: kv[1]["median_ms"])
        print("  queries " + ", ".join(f"{k} {v['median_ms']:.0f} ms" for k, v in qs.items()) + f"  (slowest: {slowest[0]})")
    if 10000 in sizes:
        corpus = _corpus(args.work, 10000, args.seed)
        cache = args.work / "cache-10000"
        shutil.rmtree(cache, ignore_errors=True)
        out = args.work / "out-rebuild"
        full = _run(BUILD, str(corpus), str(out), str(args.jobs), str(cache))
        page = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".html"))[len(list(corpus.rglob("*.txt"))) // 2]
        original = page.read_bytes()
        try:
            page.write_bytes(original.replace(b" the ", b" the  ", 1) if b" the " in original else original + b"\n")
            again = _run(BUILD, str(corpus), str(out), str(args.jobs), str(cache))
        finally:
            page.write_bytes(original)
        assert full is not None and again is not None
        print(f"\nrebuild after changing one page of 10,000: {again['wall']:.1f} s vs full {full['wall']:.1f} s "
              f"= {100 * again['wall'] / full['wall']:.1f}% ({again['processed']} processed, {again['cached']} cached)")
    if len(results) > 1:
        small, large = min(results), max(results)
        rs, rl = results[small]["build"]["main_rss_mb"], results[large]["build"]["main_rss_mb"]
        print(f"\npeak RSS (main) {large:,} pages / {small:,} pages: {rl:.0f} MB / {rs:.0f} MB; "
              f"limit 3 x {rs:.0f} + output {results[large]['out_mb']:.0f} MB = {3 * rs + results[large]['out_mb']:.0f} MB")
    (args.work / "results.json").write_text(json.dumps({str(k): v for k, v in results.items()}, indent=2))


if __name__ == "__main__":
    main()
