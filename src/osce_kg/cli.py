"""Command line: ``osce-kg fetch | build | validate | query | eval | load | serve | frame | docs`` (ARCHITECTURE.md, "Command line").

A thin layer over :func:`osce_kg.pipeline.build`, :mod:`osce_kg.validate`
and :mod:`osce_kg.sparql`. Exit codes (:data:`EXIT_CODES`, shown by
``--help`` and in the README): 0 success / conforming graph, 1 SHACL
violations or skipped pages (or an internal error), 2 bad usage or
unreadable input (the message names the file), 3 a triple store or SPARQL
endpoint that fails (``load``, ``query --store/--endpoint``, ``serve``; the
message names the endpoint and graph, never a password) or a web site that
cannot be reached (``fetch``; the message names the URL), 4 a change feed
whose history does not reach back to the release a store holds (``sync``),
130 interrupted.
:class:`_Main` is the one place that turns an error into its message and
code. Logging is configured here only.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
import time
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

import click
import pyoxigraph as ox

from . import __version__
from .errors import EXIT_INTERRUPTED, OsceKgError, SourceError, StoreError, UsageError, display
from .evaluate import evaluate as run_evaluate
from .pipeline import EXECUTORS, INVALID_POLICIES, BuildConfig, build as run_build, default_jobs
from .publish.formats import Publication
from .guard import uses_service
from .sparql import (
    GRAPH_FORMATS,
    INDEXER,
    RESULT_FORMATS,
    NamedQuery,
    check_query,
    cut,
    format_result,
    get_query,
    list_queries,
    open_files,
    query_from_text,
    query_kind,
    run_query,
    run_query_endpoint,
    run_query_store,
    stream_query,
    stream_query_store,
    write_stream,
)
from .resources import default_sources_dir
from .serialize import read_rdf, write_report
from .store.bulkload import PHASE_UNITS
from .store.dumps import GraphLoad, dump_files, dump_format
from .store.embedded import load_store_folder
from .store.remote import AUTH_SCHEMES, QUERY_METHODS, Credentials, RetryPolicy, load_endpoint, public_url
from .store.sync import sync_endpoint, sync_store
from .store.server import DEFAULT_QUERY_TIMEOUT, serve as run_serve
from .validate import focus_counts, validate_graph
from .vocab import DEFAULT_BASE_IRI


def phase_rate(done: int, seconds: float) -> float | None:
    """Items per second of a load phase that has run ``seconds``; None in
    its first second, when a rate would be noise (a phase whose first
    report comes at once printed 1,000,000,000 queries/s)."""
    return done / seconds if seconds >= 1.0 else None


logger = logging.getLogger("osce_kg")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("osce_kg")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # warcio's warnings quote raw bytes of damaged records; osce_kg names
    # those records itself, on one line (webarchive.scan_warc_records)
    logging.getLogger("warcio").setLevel(logging.ERROR)


#: exit codes of every command (README, "Exit codes"; shown by ``--help``)
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "SHACL violations or skipped pages (the other pages are exported);\n"
    "       an eval threshold not met; a --strict build stopped; a URL fetch could\n"
    "       not fetch; an internal error",
    2: "bad usage or unreadable input (options, sources, dumps, query files,\n"
    "       an output folder that cannot be written); nothing is written",
    3: "a triple store or SPARQL endpoint that fails or is locked, a port in use,\n"
    "       a web site that cannot be reached",
    4: "sync: the change feed does not reach back to the release the store holds\n"
    "       (the store is unchanged; load the release's dumps instead)",
    130: "interrupted (Ctrl-C): stopped, the previous output left as it was",
}


def _verbosity(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Callback of the -v/-q options of every subcommand: they add to the
    ones given before the subcommand and reconfigure logging."""
    if value:
        root = ctx.find_root()
        if root.obj is None:
            root.obj = {"quiet": False, "verbose": 0}
        if param.name == "quiet":
            root.obj["quiet"] = True
        else:
            root.obj["verbose"] = root.obj.get("verbose", 0) + int(value)  # type: ignore[call-overload]
        _setup_logging(root.obj.get("verbose", 0), root.obj["quiet"])
    return value


def _verbosity_options(func):  # type: ignore[no-untyped-def]
    """-v/--verbose and -q/--quiet, accepted after the subcommand too."""
    func = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_verbosity, help="Only errors on stderr.")(func)
    return click.option("-v", "--verbose", count=True, expose_value=False, callback=_verbosity, help="More log output (-vv for debug).")(func)


def _fail(exc: OsceKgError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _exit_table() -> str:
    return "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_CODES.items())


def _quiet_cancelled_futures(args: threading.ExceptHookArgs) -> None:
    """``threading.excepthook`` after an interrupt: the pool's manager thread
    finding a cancelled future is silent; anything else is reported as usual."""
    import concurrent.futures

    if isinstance(args.exc_value, concurrent.futures.InvalidStateError):
        return
    threading.__excepthook__(args)


class _Main(click.Group):
    """The command group: the one place where errors become a message on
    stderr and an exit code (:data:`EXIT_CODES`). A project error
    (:class:`~osce_kg.errors.OsceKgError`) prints ``error: MESSAGE`` and exits
    with its code; Ctrl-C prints ``interrupted`` and exits 130; any other
    exception is an internal error: one line, exit 1. With ``-v`` the
    traceback follows the message."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # no command: click prints the help
                raise
            _usage_error(exc)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OsceKgError as exc:
            _report(ctx, f"error: {display(str(exc))}", exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            _report(ctx, "interrupted: stopped; the previous output is left as it was", exc)
            # the worker pool's manager thread may trip over the futures the
            # interrupt cancelled while it shuts down; that is no error of the
            # user's and must not print a traceback after the one-line message
            threading.excepthook = _quiet_cancelled_futures
            ctx.exit(EXIT_INTERRUPTED)
        except click.UsageError as exc:  # a command's options: one line too
            _usage_error(exc)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # stdout closed early (``| head``): not an error of ours
            sys.stderr.close()
            ctx.exit(1)
        except RecursionError as exc:  # a parser of a library given input nested deeper than it can read
            _report(ctx, "error: the input is nested too deeply to be read", exc)
            ctx.exit(2)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            _report(ctx, f"error: cannot access{display(where)}: {exc.strerror or exc}", exc)
            ctx.exit(2)
        except Exception as exc:  # noqa: BLE001 - a bug: one line, the traceback with -v
            _report(ctx, f"internal error: {type(exc).__name__}: {display(str(exc))} (run with -v for the traceback; please report it)", exc)
            ctx.exit(1)
        return None  # pragma: no cover - ctx.exit raises


def _usage_error(exc: click.UsageError) -> NoReturn:
    """Bad usage (an unknown option, a malformed value): ``error: MESSAGE``
    and where to read more, on one line, exit 2 (click prints three)."""
    command = exc.ctx.command_path if exc.ctx is not None else "osce-kg"
    click.echo(f"error: {display(exc.format_message())} (see: {command} --help)", err=True)
    raise click.exceptions.Exit(UsageError.exit_code)


def _report(ctx: click.Context, message: str, exc: BaseException) -> None:
    """``message`` on stderr, then the traceback of ``exc`` when ``-v`` was given."""
    click.echo(message, err=True)
    verbose = (ctx.obj or {}).get("verbose", 0)
    if verbose:
        click.echo("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip(), err=True)


@click.group(
    cls=_Main,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="\b\nExit codes:\n" + _exit_table(),
)
@click.version_option(__version__, prog_name="osce-kg")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug); tracebacks of errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Build, validate and query the OSCE linked-open-data knowledge graph."""
    _setup_logging(verbose, quiet)
    ctx.obj = {"quiet": quiet, "verbose": verbose}


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("dist"), show_default=True, help="Output folder.")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Base of the data IRIs.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: the number of cores].")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), help="Keep page results here; a rebuild reprocesses only changed pages.")
@click.option("--strict", is_flag=True, help="Stop at the first skipped or invalid page; write nothing.")
@click.option("--allow-empty", is_flag=True, help="Build even when SOURCE holds no page (a graph of the reference data only); else that is an error (exit 2).")
@click.option("--invalid", type=click.Choice(INVALID_POLICIES), default="keep", show_default=True, help="Keep pages whose graph violates the shapes in the dumps, or drop them (both are listed in build-report.json).")
@click.option("--compress", is_flag=True, help="Also write a reproducible .gz of every dump.")
@click.option("--executor", type=click.Choice(EXECUTORS), default="local", show_default=True, help="Run the per-page stages in local worker processes or on a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:8786) for --executor dask [default: a local cluster of --jobs workers].")
@click.option("--keep-releases", type=click.IntRange(min=1), default=3, show_default=True, help="Releases kept under DIR/releases (the newest).")
@click.option("--license", "license_", metavar="IRI", help="Licence of the data (dcterms:license in void.ttl).")
@click.option("--sparql-endpoint", metavar="URL", help="Public SPARQL endpoint of the data (void:sparqlEndpoint).")
@click.option("--download-base", metavar="URL", help="URL the dump files are published under (dcat:downloadURL = URL + file name; default: {base}dataset/).")
@click.option("--site", is_flag=True, help="Also write the static linked-data site into the release (DIR/current/site/: a page and .ttl/.jsonld/.nt per entity, class indexes, sitemap.xml); serve it with osce-kg site-serve DIR.")
@click.option("--store", "store", is_flag=True, help="Also load the release into its own Oxigraph store (DIR/current/store/); osce-kg site-serve DIR then renders every entity's page from it on request, without --site.")
@_verbosity_options
@click.pass_context
def build(
    ctx: click.Context,
    sources: tuple[Path, ...],
    out_dir: Path,
    base_iri: str,
    jobs: int | None,
    cache_dir: Path | None,
    strict: bool,
    allow_empty: bool,
    invalid: str,
    compress: bool,
    executor: str,
    scheduler: str | None,
    keep_releases: int,
    license_: str | None,
    sparql_endpoint: str | None,
    download_base: str | None,
    site: bool,
    store: bool,
) -> None:
    """Build the graph from SOURCE pages (.txt/.html files or folders, .warc
    or .warc.gz web archives; default: the shipped data/sources) and publish
    it as a new release in DIR/releases/<id>, then make it DIR/current in
    one step: osce-kg.ttl, osce-kg.jsonld, osce-kg.nt (the data), osce-kg.nq
    and osce-kg.trig (by named graph, with the ontology graph), void.ttl,
    validation-report.ttl, build-report.json, each also reachable as
    DIR/<name>. A build that fails or is stopped leaves the current release
    as it was.

    Exit status: 0 clean; 1 SHACL violations or skipped pages (every other
    page is exported); 2 usage errors: no page found, an output folder that
    cannot be written (checked first: nothing is written); 130 Ctrl-C."""
    paths = list(sources) or [default_sources_dir()]
    publication = Publication(compress=compress, license=license_, sparql_endpoint=sparql_endpoint, download_base=download_base)
    quiet = ctx.obj["quiet"]
    config = BuildConfig(
        tuple(paths),
        output=out_dir,
        base_iri=base_iri,
        publication=publication,
        jobs=jobs or default_jobs(),
        executor=executor,
        scheduler=scheduler,
        cache=cache_dir,
        strict=strict,
        invalid=invalid,
        allow_empty=allow_empty,
        keep_releases=keep_releases,
        site=site,
        store=store,
    )
    with _progress(quiet) as progress:
        result = run_build(config, progress=progress)
    for skipped in result.skipped:
        click.echo(f"skipped {display(skipped.path)}: {skipped.reason}", err=True)
    if not quiet:
        from .notes import group_warnings

        for group in group_warnings(result.warnings):
            click.echo(f"warning: {group.line()}", err=True)
    if not quiet:
        exported = result.exported
        cache = f"; {result.cached} from the cache" if cache_dir is not None else ""
        click.echo(
            f"{len(exported)} page(s) exported, {len(result.skipped)} skipped{cache}; "
            f"{sum(p.items for p in exported)} item(s), {sum(p.statements for p in exported)} statement(s); "
            f"{result.triples} triples",
            err=True,
        )
        if result.invalid:
            pages = sorted({key for key, _ in result.invalid})
            verb = "left out of" if invalid == "drop" else "kept in"
            click.echo(f"{len(pages)} page(s) violate the shapes ({verb} the dumps): {', '.join(pages[:10])}", err=True)
        if result.release is not None:
            click.echo(f"release {result.release.name} written and made current: {display(result.release)}", err=True)
            for path in result.outputs.values():
                click.echo(f"  {display(path)}", err=True)
        logger.info("timings (s): %s", ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items()))
    if not result.report.conforms:
        click.echo(result.report.summary(), err=True)
    sys.exit(result.exit_code)


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback: a rich progress bar (pages/s, ETA) on a terminal,
    a plain line every 10 s otherwise, nothing when quiet."""
    if quiet:
        yield None
        return
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("pages", total=None, rate="")
            started = time.monotonic()

            def update(done: int, total: int, key: str) -> None:
                rate = done / max(time.monotonic() - started, 1e-9)
                bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} pages/s")

            yield update
        return
    state = {"last": time.monotonic(), "start": time.monotonic()}

    def plain(done: int, total: int, key: str) -> None:
        now = time.monotonic()
        if now - state["last"] >= 10 or done == total and total > 1:
            state["last"] = now
            rate = done / max(now - state["start"], 1e-9)
            eta = (total - done) / rate if rate else 0
            click.echo(f"{done}/{total} pages, {rate:,.0f} pages/s, ETA {eta:,.0f} s", err=True)

    yield plain


@contextlib.contextmanager
def _load_progress(quiet: bool) -> Iterator[Callable[[str, int, int | None], None] | None]:
    """A progress callback for ``load --store`` (phase, done, total; see
    :data:`osce_kg.store.bulkload.LoadProgress`): a rich bar per phase (rate,
    ETA) on a terminal, a plain line every 10 s otherwise, nothing when
    quiet."""

    if quiet:
        yield None
        return
    started: dict[str, float] = {}
    if sys.stderr.isatty():
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,.0f}/{task.fields[of]}"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, transient=True) as bar:
            tasks: dict[str, object] = {}
            lock = threading.Lock()

            def update(phase: str, done: int, total: int | None) -> None:
                with lock:
                    now = time.monotonic()
                    if phase not in tasks:
                        started[phase] = now
                        tasks[phase] = bar.add_task(phase, total=total, of="?", rate="")
                    rate = phase_rate(done, now - started[phase])
                    bar.update(
                        tasks[phase], completed=done, total=total, of=f"{total:,}" if total else "?",  # type: ignore[arg-type]
                        rate=f"{rate:,.0f} {PHASE_UNITS.get(phase, '')}/s" if rate is not None else "",
                    )

            yield update
        return
    state = {"last": time.monotonic()}
    lock = threading.Lock()

    def plain(phase: str, done: int, total: int | None) -> None:
        with lock:
            now = time.monotonic()
            started.setdefault(phase, now)
            if now - state["last"] < 10:
                return
            state["last"] = now
            rate = phase_rate(done, now - started[phase])
            unit = PHASE_UNITS.get(phase, "")
            eta = f", ETA {(total - done) / rate:,.0f} s" if total and rate else ""
            of = f"/{total:,}" if total else ""
            speed = f", {rate:,.0f} {unit}/s" if rate is not None else ""
            click.echo(f"load: {phase}: {done:,}{of} {unit}{speed}{eta}", err=True)

    yield plain


@main.command()
@click.argument("files", metavar="FILE_OR_DIR...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), help="Also write the SHACL report (Turtle) here.")
@_verbosity_options
def validate(files: tuple[Path, ...], report: Path | None) -> None:
    """Validate RDF FILES (Turtle, JSON-LD, N-Triples, N-Quads, TriG; a build
    folder: its osce-kg.ttl, else its quad dump) against the shapes. Says what was checked: each file and its triples, the focus
    nodes per shape. Exit 0 conforms, 1 violations, 2 unreadable input or
    nothing to check (no triple, or no node any shape targets)."""
    if report is not None:
        check_report_path(report)
    data = None
    sizes = []
    for file in _data_files(list(files)):
        part = read_rdf([file])
        sizes.append((file, len(part)))
        if data is None:
            data = part
        else:
            data.addN(part.quads((None, None, None, None)))  # type: ignore[arg-type]
    assert data is not None
    checked = ", ".join(f"{display(file)} ({n} triple(s))" for file, n in sizes)
    total = len(data)
    if total == 0:
        raise UsageError(f"nothing to check: {checked} hold no triple")
    focus = focus_counts(data)
    if not any(focus.values()):
        raise UsageError(
            f"nothing to check: {checked} hold {total} triple(s) but no node that a shape targets "
            f"(no instance of the classes of {len(focus)} shapes): not osce-kg data?"
        )
    result = validate_graph(data)
    if report is not None:
        try:
            write_report(result.report_graph, report)
        except OSError as exc:
            raise UsageError(f"cannot write the report {display(report)}: {exc.strerror or exc}") from exc
    click.echo(f"checked {display(files[0])}: {total} triple(s)" if len(files) == 1 else f"checked {checked}: {total} triple(s) in all")
    click.echo("focus nodes: " + ", ".join(f"{n} {shape}" for shape, n in focus.items() if n))
    click.echo(result.summary())
    sys.exit(0 if result.conforms else 1)


def check_report_path(path: Path) -> None:
    """Refuse a report path that cannot be written, before any work.

    Raises:
        UsageError: when its folder is missing or not writable, or it is a folder.
    """
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"--report {display(path)} is a folder")
    if not folder.is_dir():
        raise UsageError(f"cannot write the report {display(path)}: folder {display(folder)} does not exist")
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".osce-kg-probe-"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write the report {display(path)}: {exc.strerror or exc}") from exc


def _remote_options(func):  # type: ignore[no-untyped-def]
    """Options shared by the commands that talk to a remote store."""
    options = [
        click.option("--user", envvar="OSCE_KG_USER", help="HTTP user (env OSCE_KG_USER)."),
        click.option("--password", envvar="OSCE_KG_PASSWORD", help="HTTP password (better: env OSCE_KG_PASSWORD); never printed."),
        click.option("--auth", "auth_scheme", type=click.Choice(AUTH_SCHEMES), default="auto", show_default=True, help="HTTP authentication: auto is Basic, then Digest when the server asks for it (Virtuoso)."),
        click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True, help="Retries of a request that fails (connection error, timeout, 5xx)."),
        click.option("--backoff", type=click.FloatRange(0.0), default=0.5, show_default=True, help="Seconds before the first retry; doubled at each retry."),
        click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True, help="Seconds per request."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _credentials(user: str | None, password: str | None, scheme: str = "auto") -> Credentials | None:
    if user is None and password is None:
        return None
    return Credentials(user or "", password or "", scheme)


def _data_files(paths: Sequence[Path]) -> list[Path]:
    """The RDF files ``query --data`` reads: files as given; a build folder
    as its ``osce-kg.ttl``, else its quad dump (:func:`dump_files`)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and (path / "osce-kg.ttl").is_file():
            files.append(path / "osce-kg.ttl")
        elif path.is_dir():
            files.extend(dump_files([path]))
        else:
            files.append(path)
    return files


def _refuse_empty_dumps(sources: list[Path]) -> None:
    """Refuse a dump without a single triple before anything is loaded
    (loading one succeeded, and replaced its graph with nothing).

    Raises:
        SourceError: naming the dump.
    """
    import gzip

    for path in dump_files(sources):
        fmt, _quads, compressed = dump_format(path)
        try:
            with (gzip.open(path, "rb") if compressed else path.open("rb")) as fh:
                first = next(iter(ox.parse(fh, format=fmt, base_iri=path.resolve().as_uri())), None)
        except (OSError, SyntaxError, EOFError, ValueError):
            continue  # unreadable: the load names it, with the reason
        if first is None:
            raise SourceError(path, "holds no triple: nothing to load (the dump is empty)")


def _list_text() -> str:
    """``query --list``: every named query, its title, its parameters with
    their kinds and how they match, and its joined columns."""
    lines = []
    for q in list_queries():
        lines.append(f"{q.name}  {q.title}")
        for p in q.parameters:
            lines.append(f"    --param {p.name}=...  {p.description} [{p.kind}: {p.semantics}]")
        if q.joined:
            lines.append(f"    joined columns: {', '.join(q.joined)} (several values joined with \"; \" in code point order)")
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("args", metavar="[NAME|FILE.rq|-] [DATA...]", nargs=-1, type=click.Path(path_type=Path))
@click.option("-e", "--query", "query_text", metavar="TEXT", help="The SPARQL query itself (then every argument is a DATA file).")
@click.option("--data", "data_files", multiple=True, type=click.Path(path_type=Path), help="RDF file or build folder to query, repeatable (default: dist/osce-kg.ttl); DATA arguments add more.")
@click.option("--store", "store_path", type=click.Path(path_type=Path, file_okay=False), help="Query the embedded Oxigraph store in this folder instead.")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL endpoint (query URL, e.g. http://localhost:7878/query, Virtuoso's http://localhost:8890/sparql) instead.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Query parameter (repeatable; see --list).")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS + tuple(GRAPH_FORMATS)), default="table", show_default=True, help=f"SELECT/ASK: {', '.join(RESULT_FORMATS)}; CONSTRUCT/DESCRIBE: {', '.join(GRAPH_FORMATS)} (table gives turtle, json JSON-LD, xml RDF/XML).")
@click.option("--method", type=click.Choice(QUERY_METHODS), default="auto", show_default=True, help="How --endpoint gets the query: GET when short else form-encoded POST (auto), get, post, or direct (application/sparql-query POST).")
@click.option("--list", "list_", is_flag=True, help="List the named queries, their parameters and how each matches.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Print at most this many rows (SELECT; after joining the # join: columns).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Skip this many rows first (SELECT).")
@_remote_options
@_verbosity_options
def query(
    args: tuple[Path, ...],
    query_text: str | None,
    data_files: tuple[Path, ...],
    store_path: Path | None,
    endpoint: str | None,
    params: tuple[str, ...],
    fmt: str,
    method: str,
    list_: bool,
    limit: int | None,
    offset: int,
    user: str | None,
    password: str | None,
    auth_scheme: str,
    retries: int,
    backoff: float,
    timeout: float,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) over the
    graph: the named query NAME (see --list), a .rq FILE, - (standard input)
    or --query TEXT; over RDF files (DATA arguments, --data), an embedded
    store (--store) or a SPARQL endpoint (--endpoint). The same rows on the
    same data. SELECT rows are printed as they come (--store: a listing
    without parameters is read batch by batch along the store's listing
    index); --offset skips rows, --limit stops after that many. Exit status:
    0 ok, 2 usage or a query syntax error (checked before anything is sent),
    3 the store or endpoint failed."""
    if list_:
        click.echo(_list_text(), nl=False)
        return
    rest = list(args)
    try:
        if query_text is not None:
            named = query_from_text(query_text, "<--query>", name="query")
        elif not rest:
            raise click.UsageError("give a query NAME, FILE.rq, - (standard input) or --query TEXT; --list shows the named queries")
        else:
            first = str(rest.pop(0))
            named = query_from_text(sys.stdin.read(), "<stdin>", name="stdin") if first == "-" else get_query(first)
        files = list(data_files) + rest
        if sum(bool(x) for x in (files, store_path, endpoint)) > 1:
            raise click.UsageError("give only one of DATA/--data, --store, --endpoint")
        bound: dict[str, str] = {}
        for item in params:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise click.UsageError(f"--param must be KEY=VALUE, got {item!r}")
            bound[key.strip()] = value
        check_query(named)
        select = query_kind(named.text) == "SELECT"
        if not select and (limit is not None or offset):
            raise click.UsageError("--limit and --offset apply to SELECT queries")
        echo = lambda text: click.echo(text, nl=False)  # noqa: E731
        with _service_failures(named):
            if select and endpoint is None:
                if store_path is not None:
                    stream = stream_query_store(store_path, named, bound, limit=limit, offset=offset)
                else:
                    data = open_files(_data_files(files or [Path("dist/osce-kg.ttl")]))
                    stream = stream_query(data, named, bound, limit=limit, offset=offset)
                count = write_stream(stream, fmt, echo)
                logger.debug("query %s: %d rows", named.name, count)
                return
            if store_path is not None:
                result = run_query_store(store_path, named, bound)
            elif endpoint:
                policy = RetryPolicy(retries=retries, backoff=backoff, timeout=timeout)
                result = run_query_endpoint(
                    endpoint, named, bound, credentials=_credentials(user, password, auth_scheme), policy=policy, method=method
                )
            else:
                result = run_query(open_files(_data_files(files or [Path("dist/osce-kg.ttl")])), named, bound)
        if result.form == "SELECT" and (limit is not None or offset):
            result = cut(result, limit=limit, offset=offset)
        text = format_result(result, fmt)
    except OsceKgError as exc:
        _fail(exc)
        return
    click.echo(text, nl=False)


@main.command()
@click.argument("files", metavar="DATA...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("dist"), show_default=True, help="Output folder.")
@_verbosity_options
@click.pass_context
def frame(ctx: click.Context, files: tuple[Path, ...], out_dir: Path) -> None:
    """Write framed JSON-LD of the DATA (e.g. dist/osce-kg.ttl, or a build
    folder): osce-kg.statements.jsonld (speaker, meeting and item nested),
    osce-kg.meetings.jsonld, osce-kg.persons.jsonld, osce-kg.items.jsonld,
    osce-kg.states.jsonld, osce-kg.partners.jsonld, osce-kg.structures.jsonld."""
    from .frames import write_frames

    try:
        written = write_frames(read_rdf(_data_files(list(files))), out_dir)
    except OsceKgError as exc:
        _fail(exc)
        return
    if not ctx.obj["quiet"]:
        for path in written.values():
            click.echo(f"wrote {path}", err=True)


@main.command()
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("dist"), show_default=True, help="Output folder.")
@click.option("--ontology", type=click.Path(path_type=Path, dir_okay=False), help="Ontology file [default: the shipped ontology/osce.ttl].")
@_verbosity_options
@click.pass_context
def docs(ctx: click.Context, out_dir: Path, ontology: Path | None) -> None:
    """Write the ontology's documentation page (pyLODE) as DIR/ontology.html,
    beside the dumps. Needs the docs extra: pip install 'osce-kg[docs]'."""
    from .docs import write_ontology_docs

    try:
        path = write_ontology_docs(out_dir, ontology)
    except OsceKgError as exc:
        _fail(exc)
        return
    if not ctx.obj["quiet"]:
        click.echo(f"wrote {path}", err=True)


@contextlib.contextmanager
def _service_failures(named: NamedQuery) -> Iterator[None]:
    """A query with SERVICE that fails because its service does: exit 3, the
    service named, not an internal error."""
    try:
        yield
    except StoreError as exc:
        if not uses_service(named.text) or "SERVICE" not in str(exc) or display(named.path) in str(exc):
            raise
        raise StoreError(f"{display(named.path)}: {exc}") from exc
    except OsceKgError:
        raise
    except Exception as exc:  # noqa: BLE001 - rdflib and Oxigraph raise many kinds for a failed request
        if not uses_service(named.text):
            raise
        raise StoreError(f"{display(named.path)}: the query's SERVICE request failed: {' '.join(str(exc).split())}") from exc


@main.command("eval")
@click.argument("paths", metavar="PAGE_OR_DIR...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--min-found", type=click.FloatRange(0.0, 1.0), help="Minimum share of gold statements found (0-1).")
@click.option("--min-attribution", type=click.FloatRange(0.0, 1.0), help="Minimum share of gold statements rightly attributed (0-1).")
@click.option("--min-precision", type=click.FloatRange(0.0, 1.0), help="Minimum share of extracted statements that match a gold one (0-1).")
@click.option("--min-persons", type=click.FloatRange(0.0, 1.0), help="Minimum share of gold persons found (0-1).")
@click.option("--min-meetings", type=click.FloatRange(0.0, 1.0), help="Minimum share of gold meetings with the right dates and place (0-1).")
@_verbosity_options
@click.pass_context
def eval_(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str,
    min_found: float | None,
    min_attribution: float | None,
    min_precision: float | None,
    min_persons: float | None,
    min_meetings: float | None,
) -> None:
    """Compare the build of PAGE_OR_DIR pages with their NAME.gold.json files
    (a folder: every gold file in it) and print, per page and in total,
    statements found / rightly attributed / spurious, persons found / extra,
    items and meetings right. Exits 1 when a --min-* threshold is not met."""
    with _progress(bool(ctx.obj and ctx.obj.get("quiet"))) as progress:
        report = run_evaluate(list(paths), progress=progress)
    failures = report.check(
        found=min_found, attribution=min_attribution, precision=min_precision, persons=min_persons, meetings=min_meetings
    )
    click.echo(report.to_json() if fmt == "json" else report.format_text(), nl=False)
    for failure in failures:
        click.echo(f"threshold not met: {failure}", err=True)
    sys.exit(1 if failures else 0)


@main.command()
@click.argument("sources", metavar="DUMP_OR_DIR...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", "store_path", type=click.Path(path_type=Path, file_okay=False), help="Embedded Oxigraph store folder (created when missing).")
@click.option("--endpoint", metavar="URL", help="Graph Store Protocol URL of a remote store (e.g. http://localhost:7878/store).")
@click.option("--graph", metavar="IRI", help="Graph for triple dumps (.ttl/.nt; default: the file's file: IRI).")
@click.option(
    "--parallel", type=click.IntRange(1, 64), default=4, show_default=True,
    help="--endpoint: PUT requests at once when the dumps hold 64 graphs or more (a site's release).",
)
@_remote_options
@_verbosity_options
@click.pass_context
def load(
    ctx: click.Context,
    sources: tuple[Path, ...],
    store_path: Path | None,
    endpoint: str | None,
    graph: str | None,
    parallel: int,
    user: str | None,
    password: str | None,
    auth_scheme: str,
    retries: int,
    backoff: float,
    timeout: float,
) -> None:
    """Load dumps (.nq, .trig, .jsonld by named graph; .ttl, .nt into one
    graph; each may be .gz; a build folder: its .nq dump) into an embedded
    store (--store) or a remote store (--endpoint), replacing each graph:
    loading twice changes nothing. Prints one line per graph: IRI, triples,
    HTTP status. Exit code 3 when the store fails.

    --store: all or nothing at the speed of Oxigraph's bulk loader (a new
    store generation, switched to in one step; readers keep the old one
    until they open the store again).

    --endpoint: one Graph Store Protocol PUT per graph (--parallel at once
    for a release). For large loads use the store's own bulk loader:
    Virtuoso: isql-vt ... exec="ld_dir('DIR', 'osce-kg.nq', 'GRAPH');
    rdf_loader_run(); checkpoint;"; Jena: tdb2.tdbloader --loc DB
    DIR/osce-kg.nq (then start Fuseki on DB); Oxigraph: oxigraph load
    --location STORE --file DIR/osce-kg.nq (or osce-kg load DIR --store
    STORE, then osce-kg serve --store STORE)."""
    if (store_path is None) == (endpoint is None):
        raise click.UsageError("give one of --store PATH or --endpoint URL")
    _refuse_empty_dumps(list(sources))
    if graph is not None:
        for path in dump_files(list(sources)):
            if dump_format(path)[1]:
                click.echo(f"warning: --graph applies to triple dumps only; {display(path)} holds quads and keeps its own graphs", err=True)

    def report(load: GraphLoad) -> None:
        if ctx.obj["quiet"]:
            return
        status = f"\tHTTP {load.status}" if load.status is not None else ""
        click.echo(f"{load.label}\t{load.triples} triples{status}")

    try:
        if store_path is not None:
            with _load_progress(ctx.obj["quiet"]) as progress:
                outcome = load_store_folder(store_path, list(sources), graph=graph, progress=progress, index=INDEXER)
            for load in outcome.loads:
                report(load)
            loads = outcome.loads
            kept = f", {outcome.kept_graphs} graph(s) kept from before" if outcome.kept_graphs else ""
            target, total = str(store_path), f"; the store holds {outcome.named_quads} quads in named graphs{kept}, their union ({outcome.union_triples} triples) as its default graph"
        else:
            assert endpoint is not None
            policy = RetryPolicy(retries=retries, backoff=backoff, timeout=timeout)
            loads = load_endpoint(
                endpoint, list(sources), graph=graph, credentials=_credentials(user, password, auth_scheme), policy=policy, on_graph=report,
                parallel=parallel,
            )
            target, total = public_url(endpoint), ""
    except OsceKgError as exc:
        _fail(exc)
        return
    if not ctx.obj["quiet"]:
        click.echo(f"loaded {len(loads)} graph(s), {sum(x.triples for x in loads)} triples into {target}{total}", err=True)


@main.command()
@click.argument("feed", metavar="FEED")
@click.argument("store_path", metavar="[STORE]", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--endpoint", metavar="URL", help="Sync this remote store instead: its SPARQL 1.1 Update service (Oxigraph http://HOST:7878/update, Fuseki http://HOST:3030/DATASET/update); needs --state.")
@click.option("--state", "state_path", type=click.Path(path_type=Path, dir_okay=False), help="With --endpoint: the JSON file that keeps the release the remote store holds (written by each sync).")
@click.option("--since", metavar="VERSION", help="The release the store holds, when it records none (loaded from other files than a release's dumps; a remote store's first sync).")
@_remote_options
@_verbosity_options
@click.pass_context
def sync(
    ctx: click.Context,
    feed: str,
    store_path: Path | None,
    endpoint: str | None,
    state_path: Path | None,
    since: str | None,
    user: str | None,
    password: str | None,
    auth_scheme: str,
    retries: int,
    backoff: float,
    timeout: float,
) -> None:
    """Bring the embedded store STORE up to the newest release of the
    change feed FEED: a URL (https://w3id.org/osce-kg/id/dataset/feed, or
    site-serve's http://HOST:PORT/PREFIX/id/dataset/feed) or a path (an
    output folder, a release folder, its feed/index.jsonld).

    STORE must hold a release: loaded from a release's dumps (osce-kg load
    RELEASE --store STORE) or synced before; it records which (--since gives
    it for a store loaded otherwise). The graphs the releases since then
    created or updated are read from the feed's links and replace theirs,
    deleted graphs go, in one step: a new store generation, as a load
    makes. Prints one line per graph (Create, Update or Delete and its
    IRI). Up to date: nothing is done (exit 0). A feed whose history does
    not reach back to the store's release: exit 4, load the dumps instead.
    Any failure leaves the store as it was.

    --endpoint URL --state FILE: a remote store instead, in one SPARQL
    Update request (one transaction in Oxigraph and Fuseki); the release it
    holds is kept in FILE (--since the first time)."""
    if (store_path is None) == (endpoint is None):
        raise click.UsageError("give one of STORE or --endpoint URL")
    if endpoint is not None and state_path is None:
        raise click.UsageError("--endpoint needs --state FILE (where the release the remote store holds is kept)")
    policy = RetryPolicy(retries=retries, backoff=backoff, timeout=timeout)
    load = None
    if store_path is not None:
        target = display(store_path)
        with _load_progress(ctx.obj["quiet"]) as progress:
            outcome = sync_store(feed, store_path, since=since, policy=policy, progress=progress, index=INDEXER)
        load = outcome.load
    else:
        assert endpoint is not None and state_path is not None
        target = public_url(endpoint)
        outcome = sync_endpoint(feed, endpoint, state_path, since=since, credentials=_credentials(user, password, auth_scheme), policy=policy)
    if ctx.obj["quiet"]:
        return
    if outcome.up_to_date:
        click.echo(f"{target} holds release {outcome.version}, the feed's newest: nothing to do", err=True)
        return
    for kind, graphs in (("Create", outcome.created), ("Update", outcome.updated), ("Delete", outcome.deleted)):
        for graph in graphs:
            click.echo(f"{kind}\t{graph}")
    holds = (
        f"; the store holds {load.named_quads} quads in named graphs, their union ({load.union_triples} triples) as its default graph"
        if load is not None else ""
    )
    click.echo(
        f"synced {target} from release {outcome.held} to {outcome.version}: {len(outcome.created)} graph(s) created, "
        f"{len(outcome.updated)} updated, {len(outcome.deleted)} deleted ({outcome.quads} quads read){holds}",
        err=True,
    )


@main.command()
@click.option("--store", "store_path", required=True, type=click.Path(path_type=Path, file_okay=False), help="Embedded Oxigraph store folder.")
@click.option("--bind", default="127.0.0.1:7878", show_default=True, metavar="HOST:PORT", help="Address to listen on.")
@click.option("--writable", is_flag=True, help="Also accept updates (SPARQL Update, Graph Store PUT/POST/DELETE), from anyone who can connect.")
@click.option(
    "--allow-anonymous-updates", is_flag=True,
    help="Accept --writable on an address other than loopback (anyone on the network may then change the store; "
    "better: bind to 127.0.0.1 behind an authenticating reverse proxy).",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_QUERY_TIMEOUT, show_default=True, help="Seconds a query may run.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (browsers on other sites).")
@click.option(
    "--allow-service", is_flag=True,
    help="Run federated queries (SPARQL SERVICE): the server then fetches any URL a client names. Off by default: such queries are refused (HTTP 403).",
)
@click.option("--max-result-bytes", type=click.IntRange(min=1), default=None, help="Largest SPARQL answer sent; a larger one gets HTTP 507 [default: 256 MiB].")
@_verbosity_options
def serve(
    store_path: Path, bind: str, writable: bool, allow_anonymous_updates: bool, timeout: float, cors: bool, allow_service: bool,
    max_result_bytes: int | None,
) -> None:
    """Serve the store with the SPARQL 1.1 Protocol (http://HOST:PORT/query)
    and Graph Store Protocol (/store) by running the oxigraph server,
    read-only unless --writable; the default graph is the union of all graphs.

    Refused to clients: SERVICE and LOAD (HTTP 403; they make the server
    fetch URLs), queries nested more than 64 deep or unreadable (400), an
    answer not whole within --timeout (504), larger than --max-result-bytes
    (507). A backend that dies is restarted; exit 3 when it cannot be.

    Refused (exit 3): a store another process writes, an address in use.
    Refused (exit 2): --writable on a non-loopback address without
    --allow-anonymous-updates."""
    sys.exit(
        run_serve(
            store_path, bind, writable=writable, allow_anonymous_updates=allow_anonymous_updates,
            timeout=timeout, cors=cors, allow_service=allow_service, max_result_bytes=max_result_bytes,
            on_ready=lambda url: click.echo(f"Listening for requests at {url} (SPARQL at {url}query; SERVICE disabled)", err=True),
        )
    )


@main.command("site-serve")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--bind", default="127.0.0.1:8080", show_default=True, metavar="HOST:PORT", help="Address to listen on (port 0: a free one).")
@click.option("--prefix", default="", metavar="PATH", help="Path the site is mounted under (/osce-kg when https://w3id.org/osce-kg/ redirects to https://HOST/osce-kg/).")
@_verbosity_options
def site_serve(folder: Path, bind: str, prefix: str) -> None:
    """Serve the linked-data site of FOLDER (an output folder of osce-kg
    build --site or --store, or one release folder): entity IRIs dereference
    with content negotiation (HTML, Turtle, JSON-LD, N-Triples, RDF/XML by
    Accept or suffix; rendered on request from the release's store when it
    has one), 404 for IRIs not in the data, 410 for those only an older kept
    release has (README, "Linked-data site").

    Refused (exit 2): a folder without a site or a store; (exit 3): an
    address in use."""
    from .siteserve import serve_site

    serve_site(folder, bind, prefix, on_ready=lambda url: click.echo(f"Serving the site at {url}", err=True))


@main.command()
@click.argument("old", type=click.Path(path_type=Path, file_okay=False))
@click.argument("new", type=click.Path(path_type=Path, file_okay=False))
@click.option("--quads", is_flag=True, help="Also print the quads: '+ ' added, '- ' removed.")
def diff(old: Path, new: Path, quads: bool) -> None:
    """Print the change set from release OLD to release NEW (release folders,
    or output folders: their current release): per named graph the quads
    added and removed, then the totals. Exit status 0 (also when they
    differ); 2 for a folder that is no release."""
    from .publish.changes import diff_releases

    changes = diff_releases(old, new)
    for graph, counts in changes.graphs.items():
        click.echo(f"+{counts['added']} -{counts['removed']} {graph or '(default graph)'}")
    click.echo(f"{changes.old} -> {changes.new}: {len(changes.added)} quad(s) added, {len(changes.removed)} removed, in {len(changes.graphs)} graph(s)")
    if quads:
        for line in changes.removed:
            click.echo("- " + line.decode("utf-8"), nl=False)
        for line in changes.added:
            click.echo("+ " + line.decode("utf-8"), nl=False)


@main.command()
@click.argument("urls", metavar="URL...", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("pages"), show_default=True, help="Folder of the pages (a second run fetches only what changed; an interrupted run is resumed).")
@click.option("--warc", "warc", type=click.Path(path_type=Path, dir_okay=False), help="Also append the responses to this WARC file (.warc.gz: compressed).")
@click.option("--rate", type=click.FloatRange(min=0.001), default=1.0, show_default=True, help="Requests per second to a site, at most (a longer robots.txt Crawl-delay wins).")
@click.option("--concurrency", type=click.IntRange(1, 16), default=1, show_default=True, help="Requests in flight at once.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops of links followed from the pages given (a sitemap's entries count as given).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many URLs.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True, help="Largest response accepted.")
@click.option("--user-agent", default=None, help="User-Agent header, matched against robots.txt [default: osce-kg/VERSION].")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True, help="Retries of a request that fails (connection error, timeout, 429, 5xx).")
@click.option("--backoff", type=click.FloatRange(0.0), default=1.0, show_default=True, help="Seconds before the first retry; doubled at each retry.")
@click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True, help="Seconds one request may take, to the last byte of its body (a request that does not complete in time is given up, not retried).")
@click.option("--max-crawl-delay", type=click.FloatRange(0.0), default=60.0, show_default=True, help="Longest robots.txt Crawl-delay obeyed; the URLs of a site asking for more are refused, named.")
@click.pass_context
def fetch(
    ctx: click.Context,
    urls: tuple[str, ...],
    out_dir: Path,
    warc: Path | None,
    rate: float,
    concurrency: int,
    depth: int,
    max_pages: int | None,
    max_bytes: int,
    user_agent: str | None,
    retries: int,
    backoff: float,
    timeout: float,
    max_crawl_delay: float,
) -> None:
    """Fetch the pages of URL... (a sitemap, a listing page, page URLs) into
    a folder that `osce-kg build` reads: each page with its .fetch.json
    metadata. Follows sitemaps and links within the sites given, honours
    robots.txt, waits between requests, sends ETag/Last-Modified back.

    Exit status: 0 every URL fetched or unchanged; 1 some URL failed or was
    refused (each is named); 2 usage errors; 3 a site that cannot be reached."""
    from .fetch import USER_AGENT, FetchOptions
    from .fetch import fetch as run_fetch

    options = FetchOptions(
        rate=rate, concurrency=concurrency, depth=depth, retries=retries, backoff=backoff, timeout=timeout,
        max_bytes=max_bytes, max_pages=max_pages, user_agent=user_agent or USER_AGENT, warc=warc,
        max_crawl_delay=max_crawl_delay,
    )
    quiet = ctx.obj["quiet"]
    try:
        with _fetch_progress(quiet) as progress:
            result = run_fetch(list(urls), out_dir, options, progress=progress)
    except KeyboardInterrupt:
        click.echo(f"the same command resumes the fetch ({out_dir})", err=True)
        raise
    for problem in result.problems:
        click.echo(f"not fetched {problem.url}: {problem.reason.removeprefix('given: ')}", err=True)
    if not quiet:
        s = result.stats
        click.echo(
            f"{s.fetched} fetched, {s.unchanged} unchanged, {s.failed} failed, {s.refused} refused, "
            f"{s.disallowed} disallowed by robots.txt; {s.bytes:,} bytes in {s.requests} request(s), {s.elapsed:,.1f} s"
            + ("; resumed an interrupted run" if result.resumed else ""),
            err=True,
        )
        click.echo(f"wrote {out_dir}" + (f" and {warc}" if warc else ""), err=True)
    sys.exit(result.exit_code)


@contextlib.contextmanager
def _fetch_progress(quiet: bool) -> Iterator[Callable[..., None] | None]:
    """A progress callback for fetch: a rich bar (pages, bytes, rate) on a
    terminal, a plain line every 10 s otherwise, nothing when quiet."""
    if quiet:
        yield None
        return
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("URLs", total=None, detail="")

            def update(stats) -> None:  # type: ignore[no-untyped-def]
                detail = (
                    f"{stats.fetched} fetched, {stats.unchanged} unchanged, {stats.bytes / 1e6:,.1f} MB, "
                    f"{stats.done / stats.elapsed:,.1f} pages/s, {stats.bytes / 1e3 / stats.elapsed:,.0f} kB/s"
                )
                bar.update(task, completed=stats.done, total=stats.queued, detail=detail)

            yield update
        return
    state = {"last": time.monotonic()}

    def plain(stats) -> None:  # type: ignore[no-untyped-def]
        now = time.monotonic()
        if now - state["last"] >= 10:
            state["last"] = now
            click.echo(
                f"{stats.done}/{stats.queued} URLs, {stats.fetched} fetched, {stats.unchanged} unchanged, "
                f"{stats.bytes:,} bytes, {stats.done / stats.elapsed:,.1f} pages/s",
                err=True,
            )

    yield plain


if __name__ == "__main__":  # pragma: no cover
    main()
