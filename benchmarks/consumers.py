"""Time the consumers of a build: each dump read by Jena riot, N3.js and
jsonld.js, each named query on rdflib, the embedded Oxigraph store, Jena ARQ
and a Virtuoso endpoint, with the rows compared to the embedded store's.

    python benchmarks/consumers.py BUILD_DIR --store STORE_DIR \\
        [--virtuoso http://127.0.0.1:8890/sparql] [--jena-classpath CP] [--node tests/node] [--rdflib]

Prints a Markdown table, a row as soon as it is measured: consumer, dump or
query, result, seconds (wall clock, one run). Needs what .ci/run installs; a
consumer that is not given is left out (rdflib only with --rdflib: minutes
per query at thousands of pages).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from osce_kg.oxterms import from_ox
from osce_kg.sparql import QueryResult, bind_parameters, join_values, list_queries, run_query, run_query_endpoint, run_query_store, with_values
from osce_kg.serialize import read_rdf
from osce_kg.store import RetryPolicy

DUMPS = ("osce-kg.ttl", "osce-kg.nt", "osce-kg.nq", "osce-kg.trig", "osce-kg.jsonld", "void.ttl")


def rows(result: QueryResult) -> list[tuple[str, ...]]:
    return sorted(tuple("" if c is None else c.n3() for c in row) for row in result.rows)


def timed(func):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    value = func()
    return value, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--virtuoso")
    parser.add_argument("--jena-classpath")
    parser.add_argument("--node", type=Path)
    parser.add_argument("--rdflib", action="store_true")
    parser.add_argument("--no-queries", action="store_true", help="only the dumps")
    args = parser.parse_args()
    print("| consumer | dump or query | result | time (s) |")
    print("|---|---|---|---|", flush=True)

    class Table(list):  # type: ignore[type-arg]
        def append(self, row: tuple[str, str, str, float]) -> None:
            consumer, what, result, seconds = row
            print(f"| {consumer} | {what} | {result} | {seconds:.2f} |", flush=True)

    table = Table()

    for dump in DUMPS:
        path = args.build / dump
        if args.jena_classpath:
            # Debian's Jena 4.5 has no JSON-P implementation for its JSON-LD 1.1 reader
            syntax = ["--syntax=jsonld10"] if path.suffix == ".jsonld" else []
            done, seconds = timed(lambda: subprocess.run(["java", "-cp", args.jena_classpath, "riotcmd.riot", "--count", *syntax, str(path)], capture_output=True, text=True))
            text = (done.stdout + done.stderr).strip().splitlines()
            table.append(("Jena riot 4.5", dump, f"rc {done.returncode}: {text[0].split(' : ', 1)[-1] if text else ''}", seconds))
        if args.node:
            node_dir = args.node.resolve()
            done, seconds = timed(lambda: subprocess.run(["node", str(node_dir / "read_dumps.mjs"), str(path.resolve())], capture_output=True, text=True, cwd=node_dir))
            item = json.loads(done.stdout.strip() or "{}")
            result = f"{item.get('distinct')} quads" if "error" not in item else f"error: {item['error'][:80]}"
            table.append((item.get("reader", "node"), dump, result, seconds))

    data = None
    if args.rdflib:
        data, seconds = timed(lambda: read_rdf([args.build / "osce-kg.ttl"]))
        table.append(("rdflib", "osce-kg.ttl (parse)", f"{len(data)} triples", seconds))
    policy = RetryPolicy(retries=0, timeout=120)
    for query in [] if args.no_queries else list_queries():
        expected, seconds = timed(lambda: run_query_store(args.store, query))
        table.append(("Oxigraph (embedded)", query.name, f"{len(expected.rows)} rows", seconds))
        if data is not None:
            local, seconds = timed(lambda: run_query(data, query))
            table.append(("rdflib", query.name, f"{len(local.rows)} rows, {'same' if rows(local) == rows(expected) else 'DIFFERENT'}", seconds))
        if args.virtuoso:
            try:
                remote, seconds = timed(lambda: run_query_endpoint(args.virtuoso, query, policy=policy))
                table.append(("Virtuoso 7.2", query.name, f"{len(remote.rows)} rows, {'same' if rows(remote) == rows(expected) else 'DIFFERENT'}", seconds))
            except Exception as exc:  # noqa: BLE001 - report, go on
                table.append(("Virtuoso 7.2", query.name, f"error: {str(exc)[:80]}", 0.0))
        if args.jena_classpath:
            with tempfile.NamedTemporaryFile("w", suffix=".rq", delete=False, encoding="utf-8") as fh:
                fh.write(with_values(query.text, bind_parameters(query, {})))
            done, seconds = timed(lambda: subprocess.run(
                ["java", "-cp", args.jena_classpath, "arq.arq", f"--data={args.build / 'osce-kg.ttl'}", f"--query={fh.name}", "--results=json"],
                capture_output=True, text=True,
            ))
            if done.returncode == 0:
                parsed = ox.parse_query_results(done.stdout.encode(), format=ox.QueryResultsFormat.JSON)
                variables = tuple(v.value for v in parsed.variables)
                raw = tuple(tuple(None if s[v] is None else from_ox(s[v]) for v in variables) for s in parsed)
                arq = join_values(QueryResult(variables, raw), query.joined)
                table.append(("Jena ARQ 4.5", query.name, f"{len(arq.rows)} rows, {'same' if rows(arq) == rows(expected) else 'DIFFERENT'}", seconds))
            else:
                table.append(("Jena ARQ 4.5", query.name, f"rc {done.returncode}", seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
