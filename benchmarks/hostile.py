"""The hostile suite of issue 21, on 127.0.0.1 only, bounded in time:
``python benchmarks/hostile.py [--queries N] [--seed S] [--parts disguises,random,slow,fetch]``.

1. **SERVICE and LOAD in disguise** (comments ended by CR, codepoint
   escapes, keywords without a word boundary, ``<`` read as "less than",
   random case, random comments and white space between tokens) sent to
   ``osce-kg serve`` with a trap listener they point at: every one must be
   refused (403/400) and the trap must see no connection.
2. **Random nested or malformed queries** (``--queries``, 10,000 by
   default): deep ``{``/``(``/``[`` nesting up to 5,000 levels, cut
   queries, random bytes, random token soup) sent to ``serve``; afterwards
   ``ASK {}`` must be answered; the backend restarts are counted. The same
   texts go through ``query``'s local check (:func:`osce_kg.sparql.check_query`
   and a local run on a one-triple graph) in a child process, which must
   not die of a signal; a sample runs as ``osce-kg query`` processes.
3. **Slow queries** against a store of 3,000 triples served with
   ``--timeout 2``: each must end within the timeout + 2 s with an error
   status, and the backend must be idle again within 5 s.
4. **fetch** against endless and compressed bodies of every kind
   (robots.txt, sitemap, page; chunked, gzip bombs) and a server sending a
   byte at a time: peak memory of each ``osce-kg fetch`` process (from
   ``wait4``) and the time a trickled URL is held at ``--timeout 2``.

Prints one line per part and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests._hostile_site import HostileSite, gzip_of_zeros, serve_hostile  # noqa: E402

PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_serve(store: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    log = Path(tempfile.mkstemp(suffix=".log")[1])
    process = subprocess.Popen(
        [PYTHON, "-m", "osce_kg.cli", "serve", "--store", str(store), "--bind", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/", timeout=1)
            return process, base, log
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("serve did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def ask(base: str) -> bool:
    try:
        response = httpx.get(base + "/query", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        return response.status_code == 200 and response.json()["boolean"] is True
    except httpx.HTTPError:
        return False


# --------------------------------------------------------------------------- 1


def disguises(trap: str, rng: random.Random) -> list[tuple[str, str]]:
    """(endpoint, text) pairs, each a request the server must not run."""
    service = [
        "SERVICE", "service", "sErViCe", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ERVICE",
    ]
    before = ["", " ", "#x\r", "#x\n", "#x\r\n", "\t", "\r", "#\u2028\r", "# SERVICE\r"]
    forms = [
        "SELECT * {{ {b}{k} <{t}> {{ ?s ?p ?o }} }}",
        "SELECT * {{ {b}{k}SILENT<{t}>{{ ?s ?p ?o }} }}",
        "SELECT * {{ {b}{k} SILENT <{t}> {{ }} }}",
        "PREFIX x: <{t}> SELECT * {{ {b}{k}x:a {{ ?s ?p ?o }} }}",
        "PREFIX : <{t}> SELECT * {{ {b}{k}:a {{ ?s ?p ?o }} }}",
        "SELECT * {{ ?s ?p true{k}<{t}>{{ ?s ?p ?o }} }}",
        "SELECT * {{ ?s ?p ?a FILTER(?a<'>\"') . {b}{k} <{t}> {{ ?s ?p ?o }} # \"\n}}",
        "SELECT * {{ ?s ?p ?a FILTER(?a<#>\"\"\"\n1) {b}{k} <{t}> {{ ?s ?p ?o }} #\"\"\"\n}}",
        "SELECT * {{ ?s ?p '''x''' {b}{k}\t<{t}>{{}} }}",
        "SELECT * {{ ?s ?p 'a\\'' . {b}{k} ?v {{}} VALUES ?v {{ <{t}> }} }}",
        "ASK {{ {{ {b}{k} <{t}> {{}} }} UNION {{}} }}",
        "SELECT * {{ OPTIONAL {{ {b}{k} <{t}> {{ ?s ?p ?o }} }} }}",
        "SELECT * {{ FILTER EXISTS {{ {b}{k} <{t}> {{}} }} }}",
        "INSERT {{ ?s ?p ?o }} WHERE {{ {b}{k} <{t}> {{ ?s ?p ?o }} }}",
    ]
    out: list[tuple[str, str]] = []
    for form in forms:
        for keyword in service:
            for prefix in before:
                out.append(("query", form.format(b=prefix, k=keyword, t=trap)))
    load = ["LOAD", "load", "LoAd", "\\u004cOAD"]
    for keyword in load:
        for prefix in before:
            out.append(("update", f"{prefix}{keyword} <{trap}>"))
            out.append(("update", f"{prefix}{keyword} SILENT <{trap}> INTO GRAPH <http://g>"))
            out.append(("update", f"CLEAR ALL ;{prefix}{keyword}<{trap}>"))
    rng.shuffle(out)
    return out


def part_disguises(store: Path, rng: random.Random) -> bool:
    process, base, _log = start_serve(store, "--writable")
    with socket.socket() as trap_sock:
        trap_sock.bind(("127.0.0.1", 0))
        trap_sock.listen(50)
        trap_sock.setblocking(False)
        trap = f"http://127.0.0.1:{trap_sock.getsockname()[1]}/x"
        cases = disguises(trap, rng)
        passed = 0
        statuses: dict[int, int] = {}
        for endpoint, text in cases:
            if endpoint == "query":
                response = httpx.post(base + "/query", content=text, headers={"Content-Type": "application/sparql-query"}, timeout=30)
            else:
                response = httpx.post(base + "/update", data={"update": text}, timeout=30)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            passed += response.status_code in (400, 403)
        try:
            trap_sock.accept()
            connected = True
        except BlockingIOError:
            connected = False
    alive = ask(base)
    stop(process)
    ok = passed == len(cases) and not connected and alive
    print(
        f"disguises: {len(cases)} SERVICE/LOAD requests, {passed} refused ({dict(sorted(statuses.items()))}); "
        f"trap connected: {connected}; ASK {{}} afterwards: {alive}"
    )
    return ok


# --------------------------------------------------------------------------- 2

_TOKENS = [
    "SELECT", "*", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o", "<http://x/>", "\"a\"", "'b'", "'''c'''",
    ".", ";", ",", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS", "VALUES", "a", "ex:p", "1", "2.5",
    "true", "#c\n", "#c\r", "\\u0041", "^^", "@en", "!", "&&", "||", "<", ">", "=", "NOT", "EXISTS", "ORDER", "BY",
    "LIMIT", "GROUP", "COUNT", "DISTINCT", "\"", "'", "\\", "\x00", "\u202e", "_:b",
]


def random_query(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        depth = rng.choice([10, 63, 64, 65, 100, 1000, 3000, 5000])
        opener, closer = rng.choice([("{", "}"), ("(", ")"), ("[ ?p ", "]"), ("{ OPTIONAL {", "}}")])
        inner = "?s ?p ?o" if opener != "(" else "1"
        head = "SELECT * WHERE " if opener != "(" else "SELECT * WHERE { FILTER"
        tail = "" if opener != "(" else " }"
        if opener.startswith("["):
            head, tail = "SELECT * WHERE { ?s ?p ", " }"
        return head + opener * depth + inner + closer * depth + tail
    if kind == 1:  # unbalanced nesting
        depth = rng.randrange(1, 4000)
        return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * rng.randrange(depth)
    if kind == 2:  # random bytes
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))).decode("utf-8", errors="replace")
    if kind == 3:  # a cut query
        base = "PREFIX ex: <http://example.org/> SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ex:p ?o . FILTER(?o > 2 && LANG(?o) = 'en') } GROUP BY ?s ORDER BY DESC(?n) LIMIT 10"
        return base[: rng.randrange(len(base))]
    if kind == 4:  # token soup
        return " ".join(rng.choice(_TOKENS) for _ in range(rng.randrange(1, 80)))
    # mixed nesting
    depth = rng.randrange(1, 2000)
    return "SELECT * WHERE " + "".join(rng.choice(["{", "(", "[ ?p "]) for _ in range(depth)) + "?s"


_LOCAL_CHECK = """
import sys, json
from pathlib import Path
from rdflib import Graph
from osce_kg.errors import OsceKgError
from osce_kg.sparql import check_query, query_from_text, run_query
graph = Graph().parse(data='<http://a> <http://b> "1" .', format="nt")
texts = json.load(open(sys.argv[1]))
counts = {}
for text in texts:
    try:
        named = query_from_text(text, "<fuzz>", name="fuzz")
        check_query(named)
        run_query(graph, named)
        key = "ok"
    except OsceKgError as exc:
        key = type(exc).__name__
    except RecursionError:
        key = "RecursionError"
    except Exception as exc:
        key = "other:" + type(exc).__name__
    counts[key] = counts.get(key, 0) + 1
print(json.dumps(counts))
"""


def part_random(store: Path, rng: random.Random, n: int) -> bool:
    import json

    texts = [random_query(rng) for _ in range(n)]
    process, base, log = start_serve(store)
    statuses: dict[int, int] = {}
    started = time.monotonic()
    with httpx.Client(timeout=60) as client:
        for text in texts:
            try:
                response = client.post(base + "/query", content=text.encode("utf-8", errors="replace"), headers={"Content-Type": "application/sparql-query"})
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            except httpx.HTTPError:
                statuses[0] = statuses.get(0, 0) + 1
    seconds = time.monotonic() - started
    alive = ask(base)
    stop(process)
    restarts = log.read_text(errors="replace").count("restarting it")
    print(
        f"random queries to serve: {n} in {seconds:.0f} s, statuses {dict(sorted(statuses.items()))}; "
        f"backend deaths {restarts}; ASK {{}} afterwards: {alive}"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(texts, fh)
    child = subprocess.run([PYTHON, "-c", _LOCAL_CHECK, fh.name], capture_output=True, text=True, timeout=3600)
    signal_death = child.returncode < 0
    counts = child.stdout.strip().splitlines()[-1] if child.stdout.strip() else child.stderr[-300:]
    sample = [t for t in texts if "\x00" not in t][:: max(1, n // 100)][:100]
    codes: dict[int, int] = {}
    for text in sample:
        run = subprocess.run([PYTHON, "-m", "osce_kg.cli", "query", "--query", text, ONE_TRIPLE], capture_output=True, timeout=300)
        codes[run.returncode] = codes.get(run.returncode, 0) + 1
    signals = sum(v for k, v in codes.items() if k < 0 or k > 128)
    print(
        f"random queries to query's local check: {n} in one process, exit {child.returncode} "
        f"(signal: {signal_death}), outcomes {counts}; {len(sample)} as osce-kg query processes: exit codes {dict(sorted(codes.items()))}"
    )
    other = "other:" in counts or "RecursionError" in counts
    return alive and not signal_death and not signals and not other and statuses.get(0, 0) == 0


ONE_TRIPLE = ""


# --------------------------------------------------------------------------- 3


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def part_slow(tmp: Path) -> bool:
    store = tmp / "wide"
    s = ox.Store(str(store))
    s.bulk_extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)), ox.DefaultGraph())
        for i in range(3000)
    )
    s.flush()
    del s
    process, base, _log = start_serve(store, "--timeout", "2")
    queries = [
        "SELECT * { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f }",
        "SELECT * { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f } ORDER BY ?b ?d ?f",
        "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f . ?g ?p ?h }",
        "SELECT ?a (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f } GROUP BY ?a",
    ]
    ok = True
    lines = []
    for text in queries:
        started = time.monotonic()
        response = httpx.post(base + "/query", data={"query": text}, headers={"Accept": "text/csv"}, timeout=120)
        took = time.monotonic() - started
        idle_after = None
        t0 = time.monotonic()
        while time.monotonic() - t0 < 10:
            pids = _children(process.pid)
            before = _cpu(pids)
            time.sleep(0.5)
            if _cpu(_children(process.pid)) - before < 0.1:
                idle_after = time.monotonic() - t0
                break
        ok &= response.status_code >= 400 and took <= 4.0 and idle_after is not None and idle_after <= 5
        lines.append(f"{response.status_code} in {took:.1f} s, idle after {idle_after if idle_after is None else round(idle_after, 1)} s")
    alive = ask(base)
    stop(process)
    print(f"slow queries (--timeout 2): " + "; ".join(lines) + f"; ASK {{}} afterwards: {alive}")
    return ok and alive


# --------------------------------------------------------------------------- 4


def run_fetch(args: list[str], out: Path) -> tuple[int, float, float]:
    """(exit status, peak RSS in MB, seconds) of one ``osce-kg fetch``."""
    started = time.monotonic()
    process = subprocess.Popen([PYTHON, "-m", "osce_kg.cli", "-q", "fetch", "-o", str(out), "--rate", "100", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024, time.monotonic() - started


def part_fetch(tmp: Path) -> bool:
    bomb = gzip_of_zeros(1024)  # 1 GiB inflated
    results = []
    peak = 0.0
    held = 0.0
    for robots, path in [
        ("endless", "/page"), ("gzip-bomb", "/page"), ("plain", "/endless-page"), ("plain", "/endless-sitemap"),
        ("plain", "/bomb-page"), ("plain", "/bomb-sitemap"), ("slow", "/page"), ("plain", "/slow-page"), ("plain", "/slow-headers"),
    ]:
        site = HostileSite()
        site.robots, site.bomb = robots, bomb
        with serve_hostile(site):
            code, rss, seconds = run_fetch(["--timeout", "2", site.base + path], tmp / f"pages-{robots}-{path.strip('/')}")
        peak = max(peak, rss)
        if "slow" in robots or "slow" in path:
            held = max(held, seconds)
        results.append(f"{robots}/{path.strip('/')}: exit {code}, {rss:.0f} MB, {seconds:.1f} s")
    print("fetch: " + "; ".join(results))
    print(f"fetch: peak memory {peak:.0f} MB (target 200); longest run against a trickling server {held:.1f} s at --timeout 2 "
          "(the process, start-up included)")
    return peak <= 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--skip-fetch", action="store_true")
    parser.add_argument("--parts", default="disguises,random,slow,fetch", help="the parts to run, comma-separated")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ok = True
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        global ONE_TRIPLE
        ONE_TRIPLE = str(tmp / "one.nt")
        Path(ONE_TRIPLE).write_text('<http://a> <http://b> "1" .\n', encoding="utf-8")
        store = tmp / "store"
        s = ox.Store(str(store))
        s.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("1"), ox.NamedNode("http://g")))
        s.flush()
        del s
        parts = set(args.parts.split(","))
        if "disguises" in parts:
            ok &= part_disguises(store, rng)
        if "random" in parts:
            ok &= part_random(store, rng, args.queries)
        if "slow" in parts:
            ok &= part_slow(tmp)
        if "fetch" in parts and not args.skip_fetch:
            ok &= part_fetch(tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
