"""``osce-kg serve``: the ``oxigraph`` server over a store folder, behind
:mod:`osce_kg.guard` unless SERVICE is allowed."""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError, UsageError
from ..guard import Backend, make_guard
from .bulkload import check_not_written, keep_pins_across_exec, pin_store
from .embedded import has_default_graph

__all__ = [
    "DEFAULT_QUERY_TIMEOUT",
    "split_bind",
    "oxigraph_executable",
    "is_loopback",
    "check_port_free",
    "serve_command",
    "serve",
]

log = logging.getLogger(__name__)


def oxigraph_executable() -> str:
    """The ``oxigraph`` program of the ``oxigraph`` package: next to the
    running Python first (a virtual environment's ``bin``), else on PATH.

    Raises:
        StoreError: when it is not installed.
    """
    names = ["oxigraph.exe", "oxigraph"] if os.name == "nt" else ["oxigraph"]
    for folder in (Path(sys.executable).parent, Path(sys.executable).resolve().parent):
        for name in names:
            candidate = folder / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the oxigraph server is not installed (pip install oxigraph)")


#: ``serve`` query timeout by default, in seconds (oxigraph ``--timeout-s``)
DEFAULT_QUERY_TIMEOUT = 60


def split_bind(bind: str, *, example: str = "127.0.0.1:7878", free_port: bool = False) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) as (host, port), the port
    1-65535 (0 too, a free one, with ``free_port``): the ``--bind`` of
    ``serve`` and ``site-serve``.

    Raises:
        UsageError: when ``bind`` is not of that form.
    """
    host, sep, port = bind.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or not (0 if free_port else 1) <= int(port) < 65536:
        raise UsageError(f"--bind must be HOST:PORT with a port 1-65535 (e.g. {example}), got {bind!r}")
    return host, int(port)


def is_loopback(host: str) -> bool:
    """True when ``host`` (a name or an address) is only reachable from this
    machine: ``localhost``, 127.0.0.0/8, ``::1``."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port_free(bind: str) -> None:
    """Make sure the server can listen on ``bind``.

    Raises:
        UsageError: for a malformed ``bind`` or a host that does not resolve.
        StoreError: when the address is in use or cannot be listened on; the
            message names the address.
    """
    host, port = split_bind(bind)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--bind {bind}: unknown host {host!r} ({exc.strerror})") from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        try:
            if os.name == "posix":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StoreError(f"cannot serve on {bind}: the address is already in use (another server? choose another port with --bind HOST:PORT)") from exc
            raise StoreError(f"cannot serve on {bind}: {exc.strerror or exc}") from exc


def serve_command(
    store: Path,
    bind: str = "127.0.0.1:7878",
    *,
    writable: bool = False,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    cors: bool = False,
) -> list[str]:
    """The command line that serves ``store`` with the SPARQL 1.1 Protocol at
    ``http://{bind}/query`` (and the Graph Store Protocol at ``/store``),
    the default graph being the union of all graphs; queries stop after
    ``timeout`` seconds; cross-origin requests are allowed with ``cors``.

    Raises:
        StoreError: when the oxigraph program is missing, or ``store`` does not
            exist and the server is to be read-only.
    """
    if not writable and not Path(store).is_dir():
        raise StoreError(f"no store at {store} (load data into it first: osce-kg load DUMP --store {store}, or serve with --writable)")
    mode = "serve" if writable else "serve-read-only"
    # the generation the store path names now, held while this process runs
    location = pin_store(Path(store)) if Path(store).is_dir() else Path(store)
    command = [oxigraph_executable(), mode, "--location", str(location), "--bind", bind, "--timeout-s", f"{timeout:g}"]
    if cors:
        command.append("--cors")
    if writable or not _store_has_union(location):
        # no materialised union (see refresh_union): let the server make one
        command.append("--union-default-graph")
    return command


def _store_has_union(path: Path) -> bool:
    """True when the store at ``path`` holds the materialised union of its
    graphs as its default graph (stores filled by :func:`load_store` do)."""
    try:
        store = ox.Store.read_only(str(path))
    except OSError:
        return False
    try:
        return has_default_graph(store)
    finally:
        del store


def serve(
    store: Path,
    bind: str = "127.0.0.1:7878",
    *,
    writable: bool = False,
    allow_anonymous_updates: bool = False,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    cors: bool = False,
    allow_service: bool = False,
    on_ready: Callable[[str], None] | None = None,
    max_result_bytes: int | None = None,
) -> int:
    """Serve ``store`` on ``bind`` until stopped (Ctrl-C, SIGTERM).

    The oxigraph server answers; queries stop after ``timeout`` seconds;
    ``cors`` allows cross-origin requests. Unless ``allow_service``, it
    listens on a free loopback port behind :mod:`osce_kg.guard`, which
    refuses SPARQL ``SERVICE`` (the server would fetch any URL a client
    names); with ``allow_service`` the process becomes the server (exec on
    POSIX), listening on ``bind`` itself. ``on_ready`` is called with the
    server's URL once it listens (behind the guard only; oxigraph says so
    itself). Behind the guard a SPARQL answer is sent only when whole: one
    cancelled at ``timeout`` (or not whole 1.5 s after it) gets HTTP 504, one
    larger than ``max_result_bytes`` (:data:`osce_kg.guard.MAX_RESULT_BYTES`
    by default) gets 507.

    Returns:
        the server's exit status.

    Raises:
        UsageError: for a malformed ``bind``, or ``writable`` on an address
            other than loopback without ``allow_anonymous_updates``.
        StoreError: when the store is missing (read-only), another process
            writes it, the address is in use, or the server does not start.
    """
    host, port = split_bind(bind)
    if writable and not is_loopback(host) and not allow_anonymous_updates:
        raise UsageError(
            f"--writable on {bind}, an address other than loopback, would let anyone who can connect change the store "
            "without a password; serve on 127.0.0.1 behind a reverse proxy that authenticates (README, \"Serving\"), "
            "or accept it explicitly with --allow-anonymous-updates"
        )
    if Path(store).is_dir():
        check_not_written(Path(store))
    check_port_free(bind)
    if allow_service:
        command = serve_command(store, bind, writable=writable, timeout=timeout, cors=cors)
        log.warning("SPARQL SERVICE is allowed: clients can make this server fetch any URL")
        log.info("running %s", " ".join(command))
        sys.stdout.flush()
        sys.stderr.flush()
        if os.name == "posix":
            keep_pins_across_exec()
            os.execv(command[0], command)
        return subprocess.call(command)  # pragma: no cover - Windows
    return _serve_guarded(
        store, host, port, writable=writable, timeout=timeout, cors=cors, on_ready=on_ready, max_result_bytes=max_result_bytes
    )


def _serve_guarded(
    store: Path, host: str, port: int, *, writable: bool, timeout: float, cors: bool, on_ready: Callable[[str], None] | None,
    max_result_bytes: int | None = None,
) -> int:
    """oxigraph on a free loopback port, :mod:`osce_kg.guard` on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        backend_port = int(probe.getsockname()[1])
    command = serve_command(store, f"127.0.0.1:{backend_port}", writable=writable, timeout=timeout, cors=cors)
    log.info("running %s", " ".join(command))
    backend = Backend(command, backend_port)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    guard = None
    try:
        try:
            backend.start()
        except OSError as exc:
            raise StoreError(str(exc)) from None
        try:
            guard = make_guard(host, port, backend_port, backend_timeout=timeout + 30)
        except OSError as exc:
            raise StoreError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
        guard.backend = backend
        guard.query_timeout = timeout
        if max_result_bytes is not None:
            guard.max_result_bytes = max_result_bytes
        backend.watch(guard.shutdown)
        shown = f"[{host}]" if ":" in host else host
        log.info("guard on %s:%d in front of oxigraph on 127.0.0.1:%d", host, port, backend_port)
        if on_ready is not None:
            on_ready(f"http://{shown}:{port}/")
        guard.serve_forever()
        if backend.failure:
            raise StoreError(backend.failure)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if guard is not None:
            guard.server_close()
        backend.stop()
    return 0  # pragma: no cover - serve_forever returns only on shutdown

