"""Named queries on an embedded Oxigraph store at site scale.

    python benchmarks/queries.py STORE [--runs 5] [--json FILE] [--dump FILE.nq]

STORE is a store folder filled by ``osce-kg load`` (a build of
``make_corpus.py N``). Prints, per named query:

- with a selective parameter (values picked from the data: the speaker
  with the most statements and one with a typical number, the meeting with
  the most statements, the State with the most meetings, the office holder
  with the most posts): the median of ``--runs`` runs, every row read;
- without parameters (a listing): the median time to the first 100 rows,
  and the time and count of all rows (one run).

Beside each, in the same run, pyoxigraph alone: ``Store.query`` of the
text osce-kg runs (:func:`osce_kg.sparql.prepare_text`), every cell of
every row read. With ``--dump``: ``query persons --data`` on that N-Quads
file (:func:`osce_kg.sparql.run_query_files`) against pyoxigraph's bulk
load of the file into a new in-memory store plus the query.

Times are in-process, the store opened once (opening it read-only is
timed apart: a command line pays it once per call).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from osce_kg import sparql as q
from osce_kg.errors import UsageError
from osce_kg.sparql import prepare_text, stream_query_store
from osce_kg.store.embedded import union_options

PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX osce: <https://w3id.org/osce-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
"""


def pick(store: ox.Store) -> dict[str, dict[str, str]]:
    """Selective parameter values taken from the data."""

    def rows(text: str) -> list[ox.QuerySolution]:
        return list(store.query(PREFIXES + text))

    speakers = rows(
        "SELECT ?name (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a osce:Statement ; schema:creator ?p . ?p schema:name ?name } "
        "GROUP BY ?name ORDER BY DESC(?n) ?name"
    )
    top, typical = speakers[0], speakers[len(speakers) // 4]
    meeting = rows("SELECT ?m (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s schema:recordedAt ?m } GROUP BY ?m ORDER BY DESC(?n) ?m LIMIT 1")[0]
    state = rows(
        "SELECT ?c (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a osce:Meeting ; schema:location/schema:containedInPlace ?c } "
        "GROUP BY ?c ORDER BY DESC(?n) ?c LIMIT 1"
    )[0]
    holder = rows(
        "SELECT ?name (COUNT(DISTINCT ?ms) AS ?n) WHERE { ?ms a org:Membership ; org:member/schema:name ?name } "
        "GROUP BY ?name ORDER BY DESC(?n) ?name LIMIT 1"
    )[0]
    person = rows("SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name ; schema:jobTitle ?t } ORDER BY ?name LIMIT 1")[0]
    print(
        f"values: speaker {top['name'].value!r} ({top['n'].value} statements), typical speaker {typical['name'].value!r} "
        f"({typical['n'].value}), meeting {meeting['m'].value} ({meeting['n'].value} statements), State {state['c'].value} "
        f"({state['n'].value} meetings), office holder {holder['name'].value!r} ({holder['n'].value} posts)"
    )
    surname = holder["name"].value.split()[-1].lower()
    return {
        "statements speaker (most statements)": {"query": "statements", "speaker": top["name"].value},
        "statements speaker (typical)": {"query": "statements", "speaker": typical["name"].value},
        "statements meeting": {"query": "statements", "meeting": meeting["m"].value},
        "meetings state": {"query": "meetings", "state": state["c"].value},
        "persons name": {"query": "persons", "name": person["name"].value.split()[-1].lower()},
        "person-history person": {"query": "person-history", "person": surname},
        "posts person": {"query": "posts", "person": surname},
    }


def run_once(path: Path, store: ox.Store, query: q.NamedQuery, params: dict[str, str], first: int | None) -> tuple[float, float | None, int]:
    """(ms to all rows, ms to the first ``first`` rows or None, row count)."""
    start = time.perf_counter()
    at_first = None
    count = 0
    rows = stream_query_store(path, query, params, opened=store).rows
    for _ in rows:
        count += 1
        if first is not None and count == first:
            at_first = (time.perf_counter() - start) * 1000
    total = (time.perf_counter() - start) * 1000
    if first is not None and at_first is None:
        at_first = total  # fewer rows than asked for
    return total, at_first, count


def pyoxigraph_alone(store: ox.Store, query: q.NamedQuery, params: dict[str, str]) -> tuple[float, int]:
    """(ms, rows) of pyoxigraph's ``Store.query`` of the text osce-kg runs,
    every cell of every row read (no join, no fold, no osce-kg code)."""
    text = prepare_text(query, params)
    start = time.perf_counter()
    solutions = store.query(text, **union_options(store))
    assert isinstance(solutions, ox.QuerySolutions)
    variables = solutions.variables
    count = 0
    for solution in solutions:
        for v in variables:
            solution[v]
        count += 1
    return (time.perf_counter() - start) * 1000, count


def median_alone(store: ox.Store, query: q.NamedQuery, params: dict[str, str], runs: int) -> tuple[float, int]:
    pyoxigraph_alone(store, query, params)
    timed = [pyoxigraph_alone(store, query, params) for _ in range(runs)]
    return statistics.median(t for t, _ in timed), timed[0][1]


def files_vs_bulk_load(dump: Path, runs: int) -> dict[str, float]:
    """``query persons --data DUMP`` against pyoxigraph alone doing the same
    (best of ``runs``: the figure is dominated by the load): its bulk load
    of ``dump`` into a new in-memory store, the named graphs' union put in
    the default graph by one SPARQL update, and the query. Also the bare
    bulk load. (The query over pyoxigraph's own union default graph
    instead runs out of memory from 10,000 pages on: it yields a triple
    once per graph that states it.)"""
    query = q.get_query("persons")
    ours, alone, load = [], [], []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = q.run_query_files([dump], query).rows
        ours.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store = ox.Store()
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        load.append((time.perf_counter() - start) * 1000)
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        solutions = store.query(prepare_text(query, {}))
        assert isinstance(solutions, ox.QuerySolutions)
        count = sum(1 for _ in solutions)
        alone.append((time.perf_counter() - start) * 1000)
        del store
    print(
        f"query persons --data {dump.name}: {min(ours):.0f} ms ({len(rows)} rows); pyoxigraph bulk load + union + query "
        f"{min(alone):.0f} ms ({count} rows before joining), bulk load alone {min(load):.0f} ms; ratio {min(ours) / min(alone):.2f}",
        flush=True,
    )
    return {"query_data_ms": min(ours), "pyoxigraph_load_union_query_ms": min(alone), "pyoxigraph_load_ms": min(load), "ratio": min(ours) / min(alone)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--dump", type=Path, help="an N-Quads dump: time query --data on it")
    args = parser.parse_args()
    start = time.perf_counter()
    store = ox.Store.read_only(str(args.store))
    opened_ms = (time.perf_counter() - start) * 1000
    print(f"store {args.store}: opened read-only in {opened_ms:.0f} ms")
    results: dict[str, dict[str, float | int | str]] = {"open": {"ms": opened_ms}}
    for label, spec in pick(store).items():
        params = {k: v for k, v in spec.items() if k != "query"}
        query = q.get_query(spec["query"])
        try:
            run_once(args.store, store, query, params, None)  # warm the caches
        except UsageError as exc:  # a parameter older code does not have
            print(f"{label:40} n/a ({exc})")
            continue
        times, count = [], 0
        for _ in range(args.runs):
            total, _, count = run_once(args.store, store, query, params, None)
            times.append(total)
        median = statistics.median(times)
        alone, alone_rows = median_alone(store, query, params, args.runs)
        results[label] = {"median_ms": median, "rows": count, "pyoxigraph_ms": alone, "pyoxigraph_rows": alone_rows, "params": json.dumps(params, ensure_ascii=False)}
        print(f"{label:40} {median:8.1f} ms median ({count} rows); pyoxigraph alone {alone:8.1f} ms ({alone_rows} rows) {params}", flush=True)
    for query in q.list_queries():
        run_once(args.store, store, query, {}, 100)
        firsts = []
        for _ in range(args.runs):
            _, at_first, _ = run_once(args.store, store, query, {}, 100)
            firsts.append(at_first)
        totals = [run_once(args.store, store, query, {}, 100)[0] for _ in range(max(1, args.runs // 2))]
        count = run_once(args.store, store, query, {}, 100)[2]
        total = statistics.median(totals)
        median = statistics.median(firsts)
        alone, alone_rows = median_alone(store, query, {}, max(1, args.runs // 2))
        results[f"{query.name} listing"] = {"first100_ms": median, "all_ms": total, "rows": count, "pyoxigraph_all_ms": alone, "pyoxigraph_rows": alone_rows}
        print(f"{query.name + ' listing':40} {median:8.1f} ms to the first 100 rows; all {count} rows in {total:.0f} ms; pyoxigraph alone {alone:.0f} ms ({alone_rows} rows), ratio {total / alone:.2f}", flush=True)
    if args.dump:
        results["query --data"] = files_vs_bulk_load(args.dump, 2)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
