"""Command line: ``osce-kg build | validate | query`` (DESIGN.md, "Command line").

A thin layer over :func:`osce_kg.pipeline.build`, :mod:`osce_kg.validate`
and :mod:`osce_kg.queries`. Exit codes: 0 success / conforming graph,
1 SHACL violations, 2 bad usage or unreadable input (the message names the
file). Logging is configured here only.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import __version__
from .errors import OsceKgError
from .pipeline import build as run_build
from .queries import RESULT_FORMATS, get_query, list_queries, run_query, format_result
from .resources import default_sources_dir
from .serialize import read_rdf, write_report
from .validate import validate_graph
from .vocab import DEFAULT_BASE_IRI

logger = logging.getLogger("osce_kg")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("osce_kg")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _fail(exc: OsceKgError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="osce-kg")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Build, validate and query the OSCE linked-open-data knowledge graph."""
    _setup_logging(verbose, quiet)
    ctx.obj = {"quiet": quiet}


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("dist"), show_default=True, help="Output folder.")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Base of the data IRIs.")
@click.pass_context
def build(ctx: click.Context, sources: tuple[Path, ...], out_dir: Path, base_iri: str) -> None:
    """Build the graph from SOURCE pages (.txt/.html files or folders;
    default: the shipped data/sources) into DIR: osce-kg.ttl, osce-kg.jsonld,
    validation-report.ttl, build-report.json."""
    paths = list(sources) or [default_sources_dir()]
    try:
        result = run_build(paths, out_dir, base_iri)
    except OsceKgError as exc:
        _fail(exc)
        return
    quiet = ctx.obj["quiet"]
    for skipped in result.skipped:
        click.echo(f"skipped {skipped.path}: {skipped.reason}", err=True)
    if not quiet:
        click.echo(
            f"{len(result.records)} page(s) exported, {len(result.skipped)} skipped; "
            f"{sum(len(r.items) for r in result.records)} item(s); {result.triples} triples",
            err=True,
        )
        for path in result.outputs.values():
            click.echo(f"wrote {path}", err=True)
    if not result.report.conforms:
        click.echo(result.report.summary(), err=True)
    sys.exit(result.exit_code)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), help="Also write the SHACL report (Turtle) here.")
def validate(files: tuple[Path, ...], report: Path | None) -> None:
    """Validate RDF FILES (Turtle, JSON-LD, N-Triples, N-Quads, TriG) against the shapes."""
    try:
        data = read_rdf(list(files))
        result = validate_graph(data)
        if report is not None:
            write_report(result.report_graph, report)
    except OsceKgError as exc:
        _fail(exc)
        return
    click.echo(result.summary())
    sys.exit(0 if result.conforms else 1)


@main.command()
@click.argument("name", required=False)
@click.option("--data", "data_files", multiple=True, type=click.Path(path_type=Path), help="RDF file(s) to query (default: dist/osce-kg.ttl).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True)
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
def query(name: str | None, data_files: tuple[Path, ...], params: tuple[str, ...], fmt: str, list_: bool) -> None:
    """Run the named query NAME (or a .rq FILE) over the graph."""
    try:
        if list_:
            queries = list_queries()
            width = max(len(q.name) for q in queries)
            for q in queries:
                extra = f"  [params: {', '.join(p.name for p in q.parameters)}]" if q.parameters else ""
                click.echo(f"{q.name.ljust(width)}  {q.title}{extra}")
            return
        if not name:
            raise click.UsageError("give a query NAME or FILE.rq, or --list")
        bound: dict[str, str] = {}
        for item in params:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise click.UsageError(f"--param must be KEY=VALUE, got {item!r}")
            bound[key.strip()] = value
        named = get_query(name)
        files = list(data_files) or [Path("dist/osce-kg.ttl")]
        data = read_rdf(files)
        result = run_query(data, named, bound)
    except OsceKgError as exc:
        _fail(exc)
        return
    click.echo(format_result(result, fmt), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
