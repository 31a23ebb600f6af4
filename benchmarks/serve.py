"""Requests per second and latency of ``osce-kg site-serve`` answering
entity IRIs (issue 23): ``python benchmarks/serve.py OUT [--entities N]
[--clients 2] [--seconds S] [--seed 1]``.

OUT is an output folder (or a release folder) whose current release has a
store (``osce-kg build --store``, or ``osce-kg load <release>/osce-kg.nq
--store <release>/store``) or a static site. The script

1. samples N entity IRIs of the release at random (the IRI subjects under
   the base IRI with an ``rdf:type``, read from the release's store, else
   from its ``osce-kg.nt``);
2. starts ``osce-kg site-serve OUT`` in a process of its own on a free
   loopback port;
3. asks every sampled entity in every format, half of the requests by
   ``Accept`` on the IRI's path and half by suffix, from ``--clients``
   threads (one connection per request: the server speaks HTTP/1.0), then
   keeps asking the same requests in a loop for ``--seconds`` more;
4. samples the server's resident memory (``VmRSS``) every second.

Prints requests/s, latency percentiles (all, and by format), the statuses
(anything but 200 is a failure, named), and the server's memory at the
start and the end of the run. The machine's other jobs share its cores: a
figure is the machine's at that moment. A script that prints figures, not
a test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import pyoxigraph as ox  # noqa: E402

from osce_kg.siteserve import FORMATS  # noqa: E402

#: suffix -> media type of every format an entity answers in (site-serve's own table)
ACCEPT = FORMATS
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def release_of(out: Path) -> Path:
    current = out / "current"
    return Path(os.path.realpath(current)) if current.exists() else out.resolve()


def base_iri(release: Path) -> str:
    match = re.search(r'void:uriSpace "([^"]+)"', (release / "void.ttl").read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit(f"{release}/void.ttl gives no void:uriSpace")
    return match[1]


def sample_entities(release: Path, base: str, n: int, seed: int) -> list[str]:
    """N typed IRI subjects under ``base`` (one per subject), at random."""
    subjects: set[str] = set()
    if (release / "store").exists():
        store = ox.Store.read_only(os.path.realpath(release / "store"))
        for q in store.quads_for_pattern(None, RDF_TYPE, None, ox.DefaultGraph()):
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base):
                subjects.add(q.subject.value)
        del store
    else:
        for t in ox.parse(path=str(release / "osce-kg.nt"), format=ox.RdfFormat.N_TRIPLES):
            if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(base):
                subjects.add(t.subject.value)
    ordered = sorted(subjects)
    random.Random(seed).shuffle(ordered)
    print(f"{len(ordered)} entities in release {release.name}; {min(n, len(ordered))} sampled", flush=True)
    return ordered[:n]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0, help="run time after the first pass over every request")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    release = release_of(args.out)
    base = base_iri(release)
    root = base.rstrip("/").rsplit("/", 1)[0] + "/"
    entities = sample_entities(release, base, args.entities, args.seed)
    requests: list[tuple[str, str, dict[str, str]]] = []
    for n, iri in enumerate(entities):
        path = "/" + iri[len(root):]
        for k, (suffix, media) in enumerate(ACCEPT.items()):
            if (n + k) % 2:
                requests.append((suffix, path, {"Accept": media}))
            else:
                requests.append((suffix, f"{path}.{suffix}", {}))
    random.Random(args.seed).shuffle(requests)

    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("osce-kg")), "-q", "site-serve", str(args.out), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("site-serve did not start: " + (server.stderr.read().decode() if server.stderr else ""))
            time.sleep(0.2)
    memory: list[tuple[float, int]] = [(0.0, rss_kb(server.pid))]
    started = time.monotonic()
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(1.0):
            memory.append((time.monotonic() - started, rss_kb(server.pid)))

    latencies: dict[str, list[float]] = {s: [] for s in ACCEPT}
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    cursor = [0]
    first_pass = len(requests)
    end = [float("inf")]

    def client() -> None:
        while True:
            with lock:
                n = cursor[0]
                cursor[0] += 1
                if n == first_pass:
                    end[0] = time.monotonic() + args.seconds
                if n >= first_pass and time.monotonic() > end[0]:
                    return
            suffix, path, headers = requests[n % len(requests)]
            t = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                status = response.status
            finally:
                conn.close()
            elapsed = time.perf_counter() - t
            with lock:
                latencies[suffix].append(elapsed)
                statuses[status] += 1
                if (status != 200 or not body) and len(failures) < 10:
                    failures.append(f"{status} {path} {headers}")

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    stop.set()
    memory.append((time.monotonic() - started, rss_kb(server.pid)))
    server.terminate()
    server.wait(10)

    every = [x for v in latencies.values() for x in v]
    print(f"{len(every)} requests ({len(entities)} entities x {len(ACCEPT)} formats, then repeated) from {args.clients} clients in {wall:.1f} s: "
          f"{len(every) / wall:.0f} requests/s")
    print(f"latency ms: p50 {percentile(every, 0.5) * 1000:.1f}, p90 {percentile(every, 0.9) * 1000:.1f}, "
          f"p99 {percentile(every, 0.99) * 1000:.1f}, max {max(every) * 1000:.1f}")
    for suffix, values in latencies.items():
        if values:
            print(f"  {suffix:6} {len(values):6} requests: p50 {percentile(values, 0.5) * 1000:.1f} ms, p99 {percentile(values, 0.99) * 1000:.1f} ms, "
                  f"mean {statistics.fmean(values) * 1000:.1f} ms")
    print("statuses:", dict(sorted(statuses.items())))
    for line in failures:
        print("  failed:", line)
    marks = [memory[0], *[m for m in memory[1:-1] if int(m[0]) % 10 == 0], memory[-1]]
    print("server RSS MB over the run: " + ", ".join(f"{t:.0f}s {kb / 1024:.0f}" for t, kb in marks))
    return 0 if not failures and set(statuses) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
