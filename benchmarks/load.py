"""``osce-kg load --store`` against pyoxigraph's own bulk loader (issue 24).

For each corpus size N (generated with ``make_corpus.py`` and built, as
``run.py`` does; an existing build in ``WORK/out-N`` is reused), ``--runs``
rounds, each of three fresh processes measured with ``/usr/bin/time`` (wall
time, peak RSS):

- **bulk_load**: ``pyoxigraph.Store(NEW).bulk_load(path=osce-kg.nq)``, an
  empty store on disk: the floor;
- **load new**: ``osce-kg load RELEASE --store NEW -q``: the named graphs,
  the union as the default graph, the listing index, the switch;
- **load again**: the same into the store that already holds that release
  (every graph replaced).

Prints the medians and the ratios load / bulk_load (targets: new <= 2,
again <= 3). Nothing here is a test; ``benchmarks/RESULTS.md`` records the
figures.

Usage::

    python benchmarks/load.py --sizes 10000,50000 [--runs 3] [--work DIR] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import _build, _corpus, _machine  # noqa: E402

BULK = "import sys, pyoxigraph as ox; ox.Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)"


def _timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of ``command`` run to its end."""
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    wall, rss = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def _remove_store(path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(path.parent / f".{path.name}.generations", ignore_errors=True)


def measure(release: Path, work: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    osce_kg = str(Path(sys.executable).parent / "osce-kg")
    figures: dict[str, list[tuple[float, float]]] = {"bulk_load": [], "load new": [], "load again": []}
    for _ in range(runs):
        floor, store = work / "bulk-store", work / "load-store"
        _remove_store(floor)
        _remove_store(store)
        figures["bulk_load"].append(_timed([sys.executable, "-c", BULK, str(floor), str(release / "osce-kg.nq")]))
        figures["load new"].append(_timed([osce_kg, "load", str(release), "--store", str(store), "-q"]))
        figures["load again"].append(_timed([osce_kg, "load", str(release), "--store", str(store), "-q"]))
        _remove_store(floor)
        _remove_store(store)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/osce-kg-bench"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {_machine()}; {time.strftime('%Y-%m-%d')}")
    results = {}
    for n in (int(s) for s in args.sizes.split(",") if s):
        out = args.work / f"out-{n}"
        if not (out / "current" / "osce-kg.nq").is_file():
            shutil.rmtree(out, ignore_errors=True)
            _build(_corpus(args.work, n, args.seed), out, args.jobs)
        release = (out / "current").resolve()
        quads = sum(1 for _ in open(release / "osce-kg.nq", "rb"))
        size = (release / "osce-kg.nq").stat().st_size / 2**20
        figures = measure(release, args.work, args.runs)
        median = {k: (statistics.median(w for w, _ in v), max(r for _, r in v)) for k, v in figures.items()}
        floor = median["bulk_load"][0]
        print(f"\nN = {n:,} pages: {quads:,} quads, osce-kg.nq {size:,.0f} MB; median of {args.runs} run(s), peak RSS the largest")
        for name, (wall, rss) in median.items():
            runs = ", ".join(f"{w:.1f}" for w, _ in figures[name])
            ratio = "" if name == "bulk_load" else f"   {wall / floor:.2f} x bulk_load"
            print(f"  {name:<11} {wall:7.1f} s  ({runs})  peak RSS {rss:6.0f} MB  {quads / wall:9,.0f} quads/s{ratio}")
        results[str(n)] = {"quads": quads, "runs": figures}
    (args.work / "load-results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
