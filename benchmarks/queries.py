"""Named queries on an embedded Oxigraph store at site scale.

    python benchmarks/queries.py STORE [--runs 5] [--json FILE]

STORE is a store folder filled by ``osce-kg load`` (a build of
``make_corpus.py N``). Prints, per named query:

- with a selective parameter (values picked from the data: the speaker
  with the most statements and one with a typical number, the meeting with
  the most statements, the State with the most meetings, the office holder
  with the most posts): the median of ``--runs`` runs, every row read;
- without parameters (a listing): the median time to the first 100 rows,
  and the time and count of all rows (one run).

Times are in-process, the store opened once (opening it read-only is
timed apart: a command line pays it once per call). Works on code without
``stream_query_store`` (the rows are then all computed before the first).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from osce_kg import queries as q
from osce_kg.errors import UsageError

try:
    from osce_kg.sparql import stream_query_store
except ImportError:  # older code: everything is materialised
    stream_query_store = None  # type: ignore[assignment]

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
    if stream_query_store is not None:
        rows = stream_query_store(path, query, params, opened=store).rows
    else:
        rows = iter(q.run_query_store(store, query, params).rows)
    for _ in rows:
        count += 1
        if first is not None and count == first:
            at_first = (time.perf_counter() - start) * 1000
    total = (time.perf_counter() - start) * 1000
    if first is not None and at_first is None:
        at_first = total  # fewer rows than asked for
    return total, at_first, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
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
        results[label] = {"median_ms": median, "rows": count, "params": json.dumps(params, ensure_ascii=False)}
        print(f"{label:40} {median:8.1f} ms median ({count} rows) {params}", flush=True)
    for query in q.list_queries():
        run_once(args.store, store, query, {}, 100)
        firsts = []
        for _ in range(args.runs):
            _, at_first, _ = run_once(args.store, store, query, {}, 100)
            firsts.append(at_first)
        total, _, count = run_once(args.store, store, query, {}, 100)
        median = statistics.median(firsts)
        results[f"{query.name} listing"] = {"first100_ms": median, "all_ms": total, "rows": count}
        print(f"{query.name + ' listing':40} {median:8.1f} ms to the first 100 rows; all {count} rows in {total:.0f} ms", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
