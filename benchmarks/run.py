"""Site-scale benchmark of the build (issue 10), printing figures.

For each corpus size N (generated with ``make_corpus.py``), in one run on
the same machine, each measurement in a fresh subprocess:

- **build**: ``osce_kg.build`` with the local pool of ``--jobs`` workers:
  wall time, pages/s, the time of each stage (worker stages summed over
  pages: read, extract, map, validate, encode; main process: assemble,
  publish, cross-checks), the non-extraction time per page, and the peak RSS
  of the main process and of all processes together (sampled every 0.1 s
  from /proc over the build's process tree);
- **floor**: pyoxigraph loading the build's own N-Quads into an in-memory
  store and dumping Turtle and N-Triples: what writing the data costs at
  best; the ratio build / floor;
- **rebuild** (``--rebuild N``): a build with a cache, one page changed,
  the same build again; the rebuild's share of the full build;
- **dask** (``--dask N``): the same build with ``executor="dask"`` on a
  2-worker ``LocalCluster``, against the local pool of the same run.

Named queries at scale: ``benchmarks/queries.py``; loading a store:
``benchmarks/load.py``. Nothing here is a test:
it prints figures (``benchmarks/RESULTS.md`` records them).

Usage::

    python benchmarks/run.py --sizes 10000,50000 [--jobs 2] [--rebuild 10000] [--dask 10000] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BUILD = textwrap.dedent(
    """
    import json, os, resource, sys, threading, time
    from pathlib import Path
    from osce_kg import BuildConfig, build

    def tree_rss(pid):
        total, stack = 0, [pid]
        while stack:
            p = stack.pop()
            try:
                with open(f"/proc/{p}/status") as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) * 1024
                for task in os.listdir(f"/proc/{p}/task"):
                    with open(f"/proc/{p}/task/{task}/children") as fh:
                        stack.extend(int(c) for c in fh.read().split())
            except OSError:
                pass
        return total

    peak = [0]
    done = threading.Event()
    def sample():
        while not done.wait(0.1):
            peak[0] = max(peak[0], tree_rss(os.getpid()))
    threading.Thread(target=sample, daemon=True).start()
    corpus, out, jobs, executor = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    cache = Path(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None
    t = time.perf_counter()
    r = build(BuildConfig((corpus,), output=out, jobs=jobs, executor=executor, cache=cache))
    wall = time.perf_counter() - t
    done.set()
    print(json.dumps({"wall": wall, "pages": len(r.pages), "exported": len(r.exported), "skipped": len(r.skipped),
                      "triples": r.triples, "quads": r.quads, "timings": r.timings,
                      "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "tree_rss_mb": peak[0] / 2**20, "conforms": r.report.conforms,
                      "processed": r.processed, "cached": r.cached, "release": str(r.release)}))
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

WORKER_STAGES = ("read", "extract", "map", "validate", "encode")
MAIN_STAGES = ("assemble", "publish", "cross-checks")


def _run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()}, {os.cpu_count()} cores, {mem}, Python {platform.python_version()}, load average {load:.1f}"


def _build(corpus: Path, out: Path, jobs: int, executor: str = "local", cache: Path | None = None) -> dict:
    return _run(BUILD, str(corpus), str(out), str(jobs), executor, str(cache) if cache else "")


def _print_build(n: int, b: dict, fl: dict) -> None:
    t = b["timings"]
    other = sum(t.get(k, 0.0) for k in WORKER_STAGES + MAIN_STAGES if k != "extract")
    print(f"\nN = {n:,} pages ({b['exported']:,} exported, {b['skipped']} skipped, conforms={b['conforms']}; "
          f"{b['triples']:,} triples, {b['quads']:,} quads)")
    print(f"  build   {b['wall']:8.1f} s  {n / b['wall']:8.0f} pages/s   peak RSS main {b['main_rss_mb']:.0f} MB, "
          f"all processes {b['tree_rss_mb']:.0f} MB")
    print("  stages  " + ", ".join(f"{k} {t.get(k, 0.0):.1f} s" for k in WORKER_STAGES + MAIN_STAGES))
    print(f"  everything but extraction: {1000 * other / n:.2f} ms per page (CPU seconds of the stages / pages)")
    print(f"  floor   {fl['wall']:8.1f} s  (bulk load {fl['load']:.1f} s)   build / floor = {b['wall'] / fl['wall']:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/osce-kg-bench"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", type=int, default=0, help="corpus size of the cache rebuild (0: skip)")
    parser.add_argument("--dask", type=int, default=0, help="corpus size of the Dask comparison (0: skip)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {_machine()}; jobs={args.jobs}; {time.strftime('%Y-%m-%d')}")
    results: dict[str, dict] = {}
    for n in sizes:
        corpus = _corpus(args.work, n, args.seed)
        out = args.work / f"out-{n}"
        shutil.rmtree(out, ignore_errors=True)
        b = _build(corpus, out, args.jobs)
        release = Path(b["release"])
        fl = _run(FLOOR, str(release / "osce-kg.nq"), str(args.work))
        results[str(n)] = {"build": b, "floor": fl}
        _print_build(n, b, fl)
    if len(sizes) > 1:
        small, large = str(min(sizes)), str(max(sizes))
        rs, rl = results[small]["build"]["tree_rss_mb"], results[large]["build"]["tree_rss_mb"]
        print(f"\npeak RSS of all processes, {int(large):,} / {int(small):,} pages: {rl:.0f} MB / {rs:.0f} MB = {rl / rs:.2f}")
    if args.rebuild:
        corpus = _corpus(args.work, args.rebuild, args.seed)
        cache, out = args.work / "cache-rebuild", args.work / "out-rebuild"
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        full = _build(corpus, out, args.jobs, cache=cache)
        page = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".html"))[args.rebuild // 2]
        original = page.read_bytes()
        try:
            page.write_bytes(original.replace(b" the ", b" the  ", 1) if b" the " in original else original + b"\n")
            again = _build(corpus, out, args.jobs, cache=cache)
        finally:
            page.write_bytes(original)
        results["rebuild"] = {"full": full, "again": again}
        print(f"\nrebuild after changing one page of {args.rebuild:,}: {again['wall']:.1f} s vs full {full['wall']:.1f} s "
              f"= {100 * again['wall'] / full['wall']:.1f}% ({again['processed']} processed, {again['cached']} cached); "
              "stages " + ", ".join(f"{k} {again['timings'].get(k, 0.0):.1f} s" for k in WORKER_STAGES + MAIN_STAGES))
    if args.dask:
        corpus = _corpus(args.work, args.dask, args.seed)
        local = _build(corpus, args.work / "out-local", 2)
        dask = _build(corpus, args.work / "out-dask", 2, executor="dask")
        same = Path(local["release"]).name == Path(dask["release"]).name
        results["dask"] = {"local": local, "dask": dask}
        print(f"\ndask on a 2-worker LocalCluster, {args.dask:,} pages: {dask['wall']:.1f} s vs local pool {local['wall']:.1f} s "
              f"= {dask['wall'] / local['wall']:.2f} x; same release: {same}")
    (args.work / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
