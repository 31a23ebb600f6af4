"""Loading dumps into the embedded Oxigraph store at the speed of the bulk
loader, all or nothing (``osce-kg load --store``; ARCHITECTURE.md, "Stores").

The store folder ``PATH`` a user names is a symbolic link to one generation
of the store, in a folder beside it::

    PATH -> .NAME.generations/<id>           the store readers open
    .NAME.generations/<id>/                  an Oxigraph store, its listing index
                                             (osce-kg-listings/), osce-kg-readers.lock,
                                             osce-kg-union.id (what its union came from),
                                             osce-kg-release.id (the release it holds)
    .NAME.generations/.incoming-<pid>-<rnd>/ a load under way
    .NAME.generations/load.lock              held by the running load

A load writes a whole new generation with pyoxigraph's bulk loader: the
named graphs from the dumps (each dump parsed once, while it is loaded: a
parse error stops the load, the store is untouched), the graphs of the
current generation that the load does not replace, copied quad by quad
(``quads_for_pattern`` into ``bulk_extend``, no SPARQL text), the union of
all named graphs as the default graph (a release folder's own union dump
``osce-kg.nt``, which the build writes sorted and without duplicates, plus
the ontology graph it leaves out) and the listing index of the named
queries (copied from the current generation when its union came from the
same union dump and ontology graph). Then the link ``PATH`` is replaced in one :func:`os.replace`, as
releases switch ``current`` (:mod:`osce_kg.publish.release`). A load that
fails or is killed at any moment leaves ``PATH`` naming the generation it
named before, whole; a reader sees the old store or the new one, never a
mix. An older store folder that is a plain directory (made by an earlier
version, or by ``serve --writable``) is exchanged for the link in one
``renameat2(RENAME_EXCHANGE)`` (Linux; elsewhere two renames).

A generation loaded from a release folder's quad dump (or brought up to
date by ``osce-kg sync``, :mod:`.sync`) records the release it holds, the
``dcat:version`` of the release's ``void.ttl``, in ``osce-kg-release.id``
(:func:`held_release`); it is written into the new generation before the
switch, so the record and the data change in the same step, and it is no
quad of the store (the store holds the release's quads and nothing else).
A load of other files leaves it out, and so does a load of a release into a
store that keeps graphs the release does not hold (the store then is no
release: a sync from it would keep them).

Readers resolve ``PATH`` once (:func:`pin_store`) and hold a shared
``flock`` on the generation's ``osce-kg-readers.lock`` for the rest of their
process: a load removes an older generation only when no process holds
it, so a reader (``query --store``, ``serve``) keeps answering from the
generation it opened until it opens the store again. Two loads into one
store are not run at once (``load.lock``; the second one fails, exit 3).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import gzip
import hashlib
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from ..errors import OsceKgError, SourceError, StoreError
from ..publish.release import fsync_dir, process_alive
from .dumps import GraphLoad, dump_format, file_graph_iri

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: no reader or load locks
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "GENERATIONS_SUFFIX",
    "READERS_LOCK",
    "PHASE_UNITS",
    "LoadOutcome",
    "Indexer",
    "store_writer",
    "check_not_written",
    "LoadProgress",
    "generations_folder",
    "pin_store",
    "bulk_load_store",
    "held_release",
    "RELEASE_RECORD",
]

log = logging.getLogger(__name__)

#: ``PATH`` -> ``PATH.parent / f".{PATH.name}{GENERATIONS_SUFFIX}"``
GENERATIONS_SUFFIX = ".generations"
#: file in each generation that readers hold a shared lock on
READERS_LOCK = "osce-kg-readers.lock"
#: file in the generations folder that the running load holds
LOAD_LOCK = "load.lock"

#: phase of a load -> the unit of its progress counts
PHASE_UNITS: dict[str, str] = {
    "union": "triples",
    "named graphs": "quads",
    "kept graphs": "quads",
    "listing index": "queries",
}

#: ``progress(phase, done, total)``: ``phase`` one of :data:`PHASE_UNITS`,
#: ``done`` and ``total`` in its unit (``total`` None when unknown; counts
#: read from bytes are estimates)
LoadProgress = Callable[[str, int, "int | None"], None]

_INCOMING = re.compile(r"^\.incoming-(?P<pid>\d+)-[A-Za-z0-9_]+$")
_SWAP = re.compile(r"^\.(?P<name>.+)\.swap-(?P<pid>\d+)-[A-Za-z0-9_]+$")

#: process-lifetime shared locks of pinned generations: folder -> descriptor
_PINNED: dict[str, int] = {}
_PIN_GUARD = threading.Lock()


@dataclass(frozen=True)
class LoadOutcome:
    """What a load put into the store.

    Attributes:
        loads: one :class:`osce_kg.store.dumps.GraphLoad` per graph the dumps
            gave, in IRI order.
        named_quads: quads in the store's named graphs afterwards (loaded and
            kept).
        union_triples: triples of the default graph (the union) afterwards.
        kept_graphs: graphs of the previous store that stayed.
        folder: the generation the store path now names.
    """

    loads: list[GraphLoad]
    named_quads: int
    union_triples: int
    kept_graphs: int
    folder: Path


def generations_folder(path: Path) -> Path:
    """The folder beside the store path ``path`` that holds its generations."""
    path = Path(path)
    return path.parent / f".{path.name}{GENERATIONS_SUFFIX}"


# ---------------------------------------------------------------------------
# readers


def _lock_file(folder: Path, *, create: bool) -> int | None:
    """A descriptor of ``folder/READERS_LOCK`` (created when ``create`` and
    possible), or None."""
    path = folder / READERS_LOCK
    for flags in ((os.O_RDWR | os.O_CREAT, os.O_RDONLY) if create else (os.O_RDONLY,)):
        try:
            return os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError:
            continue
    return None


def pin_store(path: Path) -> Path:
    """The folder of the store generation that ``path`` names now, held for
    the rest of this process (a shared ``flock`` on its
    ``osce-kg-readers.lock``), so that a load does not remove it while this
    process reads it. A plain store folder is its own generation; a path
    that does not exist is given back as it is (the caller reports it).

    Read the store and its listing index through the returned folder only:
    ``path`` may name a newer generation a moment later.
    """
    path = Path(path)
    target = path
    for _ in range(50):
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        if fcntl is None or not target.is_dir():
            return target
        key = str(target)
        with _PIN_GUARD:
            if key in _PINNED:
                return target
            fd = _lock_file(target, create=True)
            if fd is None:
                return target
            fcntl.flock(fd, fcntl.LOCK_SH)
            try:
                still = os.fstat(fd).st_ino == os.stat(target / READERS_LOCK).st_ino
            except OSError:
                still = False
            if still:
                _PINNED[key] = fd
                return target
            os.close(fd)  # removed while we waited: resolve again
    return target


def keep_pins_across_exec() -> None:
    """Let the pins of this process survive an ``exec`` (``serve
    --allow-service`` becomes the oxigraph server)."""
    with _PIN_GUARD:
        for fd in _PINNED.values():
            os.set_inheritable(fd, True)


def _try_remove_generation(folder: Path) -> bool:
    """Remove the generation ``folder`` when no process holds it; True when
    it was removed."""
    if fcntl is None:
        return False
    fd = _lock_file(folder, create=True)
    if fd is None:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            log.info("kept %s: a reader still has it open", folder.name)
            return False
        trash = folder.parent / f".trash-{os.getpid()}-{secrets.token_hex(4)}"
        os.replace(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)
        log.info("removed the older store generation %s", folder.name)
        return True
    finally:
        os.close(fd)


def _clean(path: Path, gens: Path, current: Path | None) -> None:
    """Remove what dead loads left (incoming folders, half-done swaps) and
    the generations no process holds, except ``current``."""
    for entry in list(gens.iterdir()) if gens.is_dir() else []:
        match = _INCOMING.match(entry.name)
        if match:
            if not process_alive(int(match["pid"])):
                shutil.rmtree(entry, ignore_errors=True)
                log.warning("removed %s, left by an interrupted load", entry)
            continue
        if entry.name.startswith(".trash-"):
            shutil.rmtree(entry, ignore_errors=True)
            continue
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        if current is not None and entry.resolve() == current.resolve():
            continue
        _try_remove_generation(entry)
    for entry in path.parent.iterdir():
        match = _SWAP.match(entry.name)
        if match and match["name"] == path.name and not process_alive(int(match["pid"])):
            if entry.is_dir() and not entry.is_symlink():
                legacy = gens / f"legacy-{secrets.token_hex(4)}"
                os.replace(entry, legacy)
                _try_remove_generation(legacy)
            else:
                entry.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# the switch


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` in one step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``); False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _switch(path: Path, generation: Path) -> Path | None:
    """Make ``path`` a link to ``generation`` in one step; returns a plain
    store folder that ``path`` was before (now renamed beside it), if any."""
    link_text = os.path.relpath(generation, path.parent)
    tmp = path.parent / f".{path.name}.swap-{os.getpid()}-{secrets.token_hex(4)}"
    os.symlink(link_text, tmp)
    old_plain: Path | None = None
    if path.is_dir() and not path.is_symlink():
        if _exchange(tmp, path):
            old_plain = tmp  # the old folder now has the temporary name
        else:  # pragma: no cover - filesystems without RENAME_EXCHANGE
            log.warning("this file system cannot exchange %s in one step; renaming it in two", path)
            aside = path.parent / f".{path.name}.swap-{os.getpid()}-{secrets.token_hex(4)}"
            os.replace(path, aside)
            os.replace(tmp, path)
            old_plain = aside
    else:
        os.replace(tmp, path)
    fsync_dir(path.parent)
    return old_plain


# ---------------------------------------------------------------------------
# reading dumps while they load


class _CountingReader:
    """A binary file object that counts the bytes read and reports them."""

    def __init__(self, raw: IO[bytes], report: Callable[[int], None]) -> None:
        self.raw = raw
        self.report = report
        self.read_bytes = 0
        self.error: BaseException | None = None
        self.interrupted = False
        self._next = 1 << 20

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.raw.read(size)
        except (OSError, EOFError) as exc:
            self.error = exc
            raise OSError(str(exc)) from exc
        except KeyboardInterrupt:
            self.interrupted = True
            raise
        self.read_bytes += len(data)
        if self.read_bytes >= self._next:
            self._next = self.read_bytes + (1 << 20)
            self.report(self.read_bytes)
        return data

    def readable(self) -> bool:
        return True


class _PositionWatch(threading.Thread):
    """Reports, twice a second, how far this process has read the file
    ``path`` (the offset of a descriptor open on it, from
    ``/proc/self/fdinfo``; nothing where there is no ``/proc``)."""

    def __init__(self, path: Path, report: Callable[[int], None]) -> None:
        super().__init__(name="load-progress", daemon=True)
        self.path = os.path.realpath(path)
        self.report = report
        self.done = threading.Event()

    def stop(self) -> None:
        self.done.set()
        self.join()

    def _position(self, fd: str | None) -> tuple[str | None, int | None]:
        fds = Path("/proc/self/fd")
        if fd is None:
            try:
                for entry in fds.iterdir():
                    with contextlib.suppress(OSError):
                        if os.readlink(entry) == self.path:
                            fd = entry.name
                            break
            except OSError:
                return None, None
            if fd is None:
                return None, None
        try:
            for line in Path(f"/proc/self/fdinfo/{fd}").read_text().splitlines():
                if line.startswith("pos:"):
                    return fd, int(line.split()[1])
        except (OSError, ValueError):
            pass
        return None, None

    def run(self) -> None:
        fd: str | None = None
        while not self.done.wait(0.5):
            fd, position = self._position(fd)
            if position:
                self.report(position)


def _bytes_per_statement(path: Path, gzipped: bool) -> float:
    """Average size of a line in the first 256 KiB of the dump (an estimate
    of the bytes per statement of line formats)."""
    try:
        with (gzip.open(path, "rb") if gzipped else open(path, "rb")) as fh:
            sample = fh.read(1 << 18)
    except (OSError, EOFError):
        return 120.0
    lines = sample.count(b"\n")
    return len(sample) / lines if lines else 120.0


def _bulk_file(
    store: ox.Store,
    path: Path,
    graph: str | None,
    *,
    phase: str,
    progress: LoadProgress | None,
    total: int | None = None,
    to_default: bool = False,
    lenient: bool = False,
    move_default: bool = True,
) -> None:
    """Bulk-load the dump ``path`` into ``store``: quad dumps by graph (their
    default-graph triples moved into ``graph``, default the file's IRI),
    triple dumps into ``graph`` (or the default graph with ``to_default``).
    ``move_default`` False leaves the default graph as it is (it holds the
    union already; a release's quad dump has no default-graph triples).

    Raises:
        SourceError: the file cannot be read or parsed, or names a graph by
            a blank node.
        StoreError: the store cannot be written.
    """
    fmt, keeps_graphs, gzipped = dump_format(path)
    target = ox.NamedNode(graph or file_graph_iri(path))
    per_statement = _bytes_per_statement(path, gzipped)
    if total and not gzipped:
        with contextlib.suppress(OSError):
            per_statement = path.stat().st_size / total
    if total is None and not gzipped:
        with contextlib.suppress(OSError):
            total = int(path.stat().st_size / per_statement)

    def report(done_bytes: int) -> None:
        if progress is not None:
            done = int(done_bytes / per_statement)
            progress(phase, min(done, total) if total else done, total)

    raw: IO[bytes] | None = None
    try:
        raw = gzip.open(path, "rb") if gzipped else None
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc
    if not gzipped and not path.is_file():
        raise SourceError(path, "file not found")
    reader = _CountingReader(raw, report) if raw is not None else None
    watch = None
    try:
        to_graph = None if keeps_graphs else (ox.DefaultGraph() if to_default else target)
        if reader is not None:
            store.bulk_load(input=reader, format=fmt, base_iri=path.resolve().as_uri(), to_graph=to_graph, lenient=lenient)  # type: ignore[arg-type]
        else:
            # the loader reads the file itself (no Python call per read, so a
            # thread building the listing index meanwhile does not slow it);
            # progress from the position of its descriptor
            watch = _PositionWatch(path, report)
            watch.start()
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=to_graph, lenient=lenient)
    except (SyntaxError, ValueError, OSError) as exc:
        if reader is not None and reader.interrupted:
            raise KeyboardInterrupt from exc
        if isinstance(exc, OSError):
            if reader is not None and reader.error is not None:
                raise SourceError(path, f"cannot read: {' '.join(str(reader.error).split())}") from exc
            if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError)) and exc.filename in (str(path), None):
                raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
            raise StoreError(f"cannot write the new store: {' '.join(str(exc).split())}; the store was left as it was") from exc
        raise SourceError(path, f"cannot parse: {' '.join(str(exc).split())}") from exc
    finally:
        if raw is not None:
            raw.close()
        if watch is not None:
            watch.stop()
    if progress is not None and total:
        progress(phase, total, total)
    if keeps_graphs:
        if any(isinstance(name, ox.BlankNode) for name in store.named_graphs()):
            raise SourceError(path, "a graph is named by a blank node; only IRIs can be loaded by graph")
        if move_default and next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            moved = [ox.Quad(q.subject, q.predicate, q.object, target) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
            store.bulk_extend(moved)
            store.clear_graph(ox.DefaultGraph())


# ---------------------------------------------------------------------------
# a release folder's union dump


@dataclass(frozen=True)
class _Release:
    """A release's quad dump with its union dump (same build)."""

    nq: Path
    union: Path
    quads: int | None
    triples: int | None
    union_sha256: str | None = None
    version: str | None = None


_DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
_DCAT_VERSION = ox.NamedNode("http://www.w3.org/ns/dcat#version")
_DCAT_HAS_VERSION = ox.NamedNode("http://www.w3.org/ns/dcat#hasVersion")
_BYTE_SIZE = ox.NamedNode("http://www.w3.org/ns/dcat#byteSize")
_VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
_CHECKSUM = ox.NamedNode("http://spdx.org/rdf/terms#checksum")
_CHECKSUM_VALUE = ox.NamedNode("http://spdx.org/rdf/terms#checksumValue")


def _release_of(files: Sequence[Path]) -> _Release | None:
    """The release whose ``osce-kg.nq`` is the one file loaded, when its
    folder holds the union dump ``osce-kg.nt`` and a ``void.ttl`` whose
    byte sizes of both match the files (so they come from one build)."""
    if len(files) != 1:
        return None
    nq = Path(os.path.realpath(files[0]))
    folder = nq.parent
    union = folder / "osce-kg.nt"
    void = folder / "void.ttl"
    if nq.name != "osce-kg.nq" or not union.is_file() or not void.is_file():
        return None
    try:
        sizes: dict[str, tuple[int | None, int | None]] = {}
        described: dict[ox.NamedNode | ox.BlankNode, dict[str, str]] = {}
        values: dict[str, str] = {}
        versions: dict[ox.NamedNode | ox.BlankNode, str] = {}
        dataset: ox.NamedNode | ox.BlankNode | None = None
        for t in ox.parse(path=str(void), format=ox.RdfFormat.TURTLE):
            if t.predicate == _DCAT_VERSION:
                versions[t.subject] = t.object.value
            elif t.predicate == _DCAT_HAS_VERSION:
                dataset = t.subject
            if t.predicate in (_DCT_TITLE, _BYTE_SIZE, _VOID_TRIPLES, _CHECKSUM):
                described.setdefault(t.subject, {})[t.predicate.value] = t.object.value
            elif t.predicate == _CHECKSUM_VALUE:
                values[t.subject.value] = t.object.value
        checksums: dict[str, str] = {}
        for fields in described.values():
            title = fields.get(_DCT_TITLE.value)
            if title in ("osce-kg.nq", "osce-kg.nt"):
                size = fields.get(_BYTE_SIZE.value)
                count = fields.get(_VOID_TRIPLES.value)
                sizes[title] = (int(size) if size else None, int(count) if count else None)
                if fields.get(_CHECKSUM.value) in values:
                    checksums[title] = values[fields[_CHECKSUM.value]]
        if sizes.get("osce-kg.nq", (None,))[0] != nq.stat().st_size or sizes.get("osce-kg.nt", (None,))[0] != union.stat().st_size:
            return None
    except (OSError, SyntaxError, ValueError):
        return None
    version = versions.get(dataset) if dataset is not None else None
    return _Release(nq, union, sizes["osce-kg.nq"][1], sizes["osce-kg.nt"][1], checksums.get("osce-kg.nt"), version)


def _tail_graph(path: Path, suffix: str = "/graph/ontology") -> tuple[str, bytes] | None:
    """The last graph of the N-Quads file ``path`` (its IRI and its lines)
    when its IRI ends with ``suffix``: the graph a release writes last and
    leaves out of its union dump (the ontology)."""
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        position, data = end, b""
        name: bytes | None = None
        while position > 0:
            step = min(1 << 16, position)
            position -= step
            fh.seek(position)
            data = fh.read(step) + data
            lines = data.split(b"\n")
            complete = lines if position == 0 else lines[1:]
            body = [line for line in complete if line.strip()]
            if not body:
                continue
            if name is None:
                match = re.search(rb"<([^<>\s]+)>\s*\.\s*$", body[-1])
                if match is None or not match.group(1).endswith(suffix.encode()):
                    return None
                name = match.group(1)
            ending = b"<" + name + b">"
            other = [i for i, line in enumerate(body) if not line.rstrip().rstrip(b".").rstrip().endswith(ending)]
            if other:
                return name.decode("utf-8"), b"\n".join(body[other[-1] + 1 :]) + b"\n"
        if name is None:
            return None
        return name.decode("utf-8"), data


# ---------------------------------------------------------------------------
# the load


def _counts(store: ox.Store) -> dict[str, int]:
    """Triples per named graph (IRI -> count), counted by the store."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows if isinstance(row["g"], ox.NamedNode)}  # type: ignore[union-attr,index]


def _default_size(store: ox.Store) -> int:
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(rows))["n"].value)  # type: ignore[index,union-attr,call-overload]


#: file of a generation naming the data its default graph was loaded from
#: (when that was a release's union dump and ontology graph alone)
UNION_ID = "osce-kg-union.id"
#: file of a generation that names the release it holds (see the module doc)
RELEASE_RECORD = "osce-kg-release.id"


def held_release(path: Path) -> str | None:
    """The release (``dcat:version``) the embedded store at ``path`` holds,
    as its current generation records it (``osce-kg-release.id``): written
    by a load of a release folder's quad dump and by ``osce-kg sync``; None
    when the store was loaded otherwise (or is missing)."""
    folder = Path(os.path.realpath(path))
    try:
        text = (folder / RELEASE_RECORD).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


class Indexer(Protocol):
    """An index written into each new generation beside the data (the
    caller's: ``load`` gives the listing index of the named queries,
    :data:`osce_kg.sparql.listing.INDEXER`)."""

    def entries(self) -> list[str]:
        """The index files, relative to a generation folder; each is built
        by one thread."""
        ...

    def build(self, folder: Path, store: ox.Store, entry: str, cancel: threading.Event) -> None:
        """Write ``entry`` into the generation ``folder`` from ``store``;
        stop soon, writing nothing more, once ``cancel`` is set."""
        ...

    def clear(self, folder: Path) -> None:
        """Remove every index file of ``folder``."""
        ...


class _Index(threading.Thread):
    """The index of the new generation, built beside the load: one thread
    per entry (the store answers them at once), after ``after`` (the load
    of the union) when given. Entries of ``reuse`` (the previous
    generation, when its default graph came from the same data) are copied
    instead of computed."""

    def __init__(
        self, indexer: Indexer, folder: Path, store: ox.Store, progress: LoadProgress | None, *,
        after: threading.Thread | None = None, reuse: Path | None = None,
    ) -> None:
        super().__init__(name="listing-index", daemon=True)
        self.indexer = indexer
        self.folder = folder
        self.store = store
        self.progress = progress
        self.after = after
        self.reuse = reuse
        self.error: BaseException | None = None
        self.copied = 0
        self.cancel = threading.Event()

    def stop(self, wait: float = 5.0) -> None:
        """Cancel (the load failed): no more index files are written, and
        the thread removes the new generation's folder when it ends, if it
        outlives this wait for it."""
        self.cancel.set()
        if self.is_alive():
            self.join(wait)

    def run(self) -> None:
        try:
            self._run()
        finally:
            if self.cancel.is_set():
                shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self) -> None:
        try:
            if self.after is not None:
                self.after.join()
            if self.cancel.is_set():
                return
            entries = self.indexer.entries()
            todo = []
            for entry in entries:
                old = self.reuse / entry if self.reuse is not None else None
                if old is not None and old.is_file():
                    (self.folder / entry).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(old, self.folder / entry)
                    self.copied += 1
                else:
                    todo.append(entry)
            done = [self.copied]
            errors: list[BaseException] = []
            lock = threading.Lock()

            def one(entry: str) -> None:
                try:
                    self.indexer.build(self.folder, self.store, entry, self.cancel)
                except BaseException as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)
                with lock:
                    done[0] += 1
                    if self.progress is not None:
                        self.progress("listing index", done[0], len(entries))

            threads = [threading.Thread(target=one, args=(entry,), daemon=True) for entry in todo]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if errors:
                self.error = errors[0]
        except BaseException as exc:  # noqa: BLE001 - reported by the loading thread
            self.error = exc


def _union_id(release: _Release, tail: tuple[str, bytes] | None) -> str | None:
    """What the default graph of a release load is made of: the union dump
    (by the SHA-256 its ``void.ttl`` states) and the ontology graph."""
    if release.union_sha256 is None:
        return None
    digest = hashlib.sha256(release.union_sha256.encode("ascii") + b"\n" + (tail[1] if tail else b""))
    return digest.hexdigest()


def _take_load_lock(gens: Path, path: Path) -> int | None:
    if fcntl is None:
        return None
    fd = os.open(gens / LOAD_LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        who = f"process {holder}" if holder.isdigit() else "another process"
        raise StoreError(f"another load into the store {path} is running ({who}); wait for it to finish") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


def bulk_load_store(
    path: Path,
    files: Sequence[Path],
    *,
    graph: str | None = None,
    progress: LoadProgress | None = None,
    indexer: Indexer | None = None,
    drop: Collection[str] = (),
    version: str | None = None,
    expect_version: str | None = None,
) -> LoadOutcome:
    """Load the dump files ``files`` (as :func:`osce_kg.store.dumps.dump_files`
    gives them) into the embedded store at ``path``, replacing each graph
    they give, all or nothing (see the module doc): a new generation is
    written beside the current one and ``path`` switched to it in one step.
    A graph given by several files takes the last file's triples.

    Progress goes to ``progress`` (:data:`LoadProgress`); ``indexer``, when
    given, is built in the new generation (:class:`Indexer`; an index that
    fails is left out, with a warning).

    ``drop`` names graphs of the current generation that the new one leaves
    out (``osce-kg sync``: the graphs a release deleted). ``version`` is the
    release the new generation records (:func:`held_release`); None records
    the ``dcat:version`` of a release folder's quad dump when that is the one
    file loaded, else nothing. ``expect_version``, when given, is the
    release the current generation must hold once the load lock is taken
    (a sync computed its change from it; a load that ran meanwhile makes it
    a StoreError, nothing changed).

    Raises:
        SourceError: a dump cannot be read or parsed (exit 2); nothing is
            changed, no store folder is created.
        StoreError: the store is open for writing by another process (a
            ``serve --writable``), another load into it is running, it is
            not an Oxigraph store folder, or it cannot be written (exit 3);
            nothing is changed.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot load into {path}: it is a file, not a store folder")
    if path.is_dir() and not path.is_symlink() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise StoreError(f"cannot load into {path}: the folder holds files but no Oxigraph store")
    if path.is_dir():
        check_not_written(path)
    gens = generations_folder(path)
    created_gens = not gens.exists()
    try:
        gens.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {gens}: {exc.strerror or exc}") from exc
    lock = _take_load_lock(gens, path)
    incoming = gens / f".incoming-{os.getpid()}-{secrets.token_hex(6)}"
    new: ox.Store | None = None
    index: _Index | None = None
    old: ox.Store | None = None
    switched = False
    try:
        _clean(path, gens, Path(os.path.realpath(path)) if path.is_symlink() else None)
        # no other load runs (the load lock), so nothing removes it meanwhile
        previous = Path(os.path.realpath(path)) if path.is_dir() and (path / "CURRENT").is_file() else None
        if expect_version is not None and held_release(path) != expect_version:
            raise StoreError(
                f"the store {path} changed while the update was prepared (it held release {expect_version}, now "
                f"{held_release(path) or 'no recorded release'}); nothing was changed: run it again"
            )
        try:
            new = ox.Store(str(incoming))
        except OSError as exc:
            raise StoreError(f"cannot create the store {incoming}: {' '.join(str(exc).split())}") from exc
        release = _release_of(files)
        # a version given (a sync) names the graphs kept from before too; one
        # read from the release loaded holds only if nothing else is kept
        from_release = version is None and release is not None
        if from_release:
            assert release is not None
            version = release.version
        sources: dict[str, Path] = {}
        clock = time.monotonic()
        union_id: str | None = None
        if release is not None:
            tail = _tail_graph(release.nq)
            union_id = _union_id(release, tail)
            reuse = None
            if union_id is not None and previous is not None:
                with contextlib.suppress(OSError):
                    if (previous / UNION_ID).read_text(encoding="ascii").strip() == union_id:
                        reuse = previous
            failure: list[BaseException] = []

            def union_job() -> None:
                try:
                    _bulk_file(new, release.union, None, phase="union", progress=progress, total=release.triples, to_default=True, lenient=True)
                    if tail is not None:
                        new.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in ox.parse(tail[1], format=ox.RdfFormat.N_QUADS))
                    log.info("load: union from %s at %.1f s", release.union.name, time.monotonic() - clock)
                except BaseException as exc:  # noqa: BLE001 - raised by the loading thread
                    failure.append(exc)

            # the union first (one bulk loader at a time: memory stays that of
            # one), then the named graphs while the listing index is built from it
            union_job()
            if failure:
                raise failure[0]
            if indexer is not None:
                index = _Index(indexer, incoming, new, progress, reuse=reuse)
                index.start()
            _bulk_file(new, release.nq, graph, phase="named graphs", progress=progress, total=release.quads, move_default=False)
            log.info("load: named graphs from %s at %.1f s", release.nq.name, time.monotonic() - clock)
            sources = {g.value: files[0] for g in new.named_graphs() if isinstance(g, ox.NamedNode)}
        else:
            sources = _load_files(new, incoming, files, graph, progress)
            _union_of(new, sources)
        kept = 0
        if previous is not None:
            try:
                old = ox.Store.read_only(str(previous))
            except OSError as exc:
                raise StoreError(f"cannot read the store {path}: {' '.join(str(exc).split())}; nothing was loaded") from exc
            kept = _copy_kept(old, new, set(sources) | set(drop), progress)
            del old
            old = None
            if kept and from_release:
                log.warning(
                    "%s keeps %d graph(s) from before that release %s does not hold: the store records no release "
                    "(osce-kg sync then needs --since, or load the release into a new store)", path, kept, version,
                )
                version = None
        if index is not None and not kept:
            counts = _counts(new)  # while the index thread may still run
            union = _default_size(new)
            log.info("load: counted at %.1f s", time.monotonic() - clock)
        else:
            counts, union = {}, -1
        if index is not None:
            index.join()
            log.info("load: listing index at %.1f s", time.monotonic() - clock)
            if index.copied:
                log.info("load: %d listing index file(s) kept: the union is the one loaded before", index.copied)
            if index.error is not None or kept:
                index = None  # built without the kept graphs: again below
                union_id = None
        if index is None and indexer is not None:
            index = _Index(indexer, incoming, new, progress)
            index.run()
        if index is not None and index.error is not None:
            if not isinstance(index.error, (OSError, OsceKgError)):
                raise index.error
            index.indexer.clear(incoming)
            log.warning("no listing index for %s: %s", path, index.error)
        if union_id is not None:
            (incoming / UNION_ID).write_text(union_id + "\n", encoding="ascii")
        if version is not None:
            (incoming / RELEASE_RECORD).write_text(version + "\n", encoding="utf-8")
        if union < 0:
            counts = _counts(new)
            union = _default_size(new)
            log.info("load: counted at %.1f s", time.monotonic() - clock)
        new.flush()
        loads = [GraphLoad(name, counts.get(name, 0), None, sources[name]) for name in sorted(sources)]
        named = sum(counts.values())
        # close the new store (no reference left: the index thread's too), so
        # that readers of the switched path do not find it open for writing
        if index is not None:
            index.store = None  # type: ignore[assignment]
        index = None
        new = None
        gc.collect()
        fd = _lock_file(incoming, create=True)
        if fd is not None:
            os.close(fd)
        generation = gens / f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(4)}"
        os.replace(incoming, generation)
        fsync_dir(gens)
        if path.is_dir():
            check_not_written(path)  # a writer that started meanwhile would lose its changes
        old_plain = _switch(path, generation)
        switched = True
        if old_plain is not None:
            legacy = gens / f"legacy-{secrets.token_hex(4)}"
            os.replace(old_plain, legacy)
        _clean(path, gens, generation)
        for load in loads:
            log.debug("loaded %s: %d triples", load.label, load.triples)
        log.info("load: %d graph(s), %d quads, union %d triples, in %.1f s", len(loads), named, union, time.monotonic() - clock)
        return LoadOutcome(loads, named, union, kept, generation)
    except BaseException:
        if index is not None:
            index.stop()
        index = None
        new = None
        old = None
        shutil.rmtree(incoming, ignore_errors=True)
        if not switched and created_gens:
            shutil.rmtree(gens, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            os.close(lock)


def _load_files(new: ox.Store, incoming: Path, files: Sequence[Path], graph: str | None, progress: LoadProgress | None) -> dict[str, Path]:
    """Load ``files`` into ``new`` by graph, a graph given by several files
    taking the last file's triples: the last file straight into ``new``,
    each earlier one into a scratch store of its own whose graphs that no
    later file gave are copied over. Returns graph IRI -> file."""
    sources: dict[str, Path] = {}
    for n, path in enumerate(reversed(list(files))):
        if n == 0:
            _bulk_file(new, path, graph, phase="named graphs", progress=progress)
            sources = {g.value: path for g in new.named_graphs() if isinstance(g, ox.NamedNode)}
            continue
        folder = incoming.parent / f"{incoming.name}.scratch-{n}"
        scratch = ox.Store(str(folder))
        try:
            _bulk_file(scratch, path, graph, phase="named graphs", progress=progress)
            fresh = [g for g in scratch.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in sources]
            new.bulk_extend(q for g in fresh for q in scratch.quads_for_pattern(None, None, None, g))
            sources.update((g.value, path) for g in fresh)
        finally:
            del scratch
            shutil.rmtree(folder, ignore_errors=True)
    return sources


def _union_of(new: ox.Store, sources: dict[str, Path]) -> None:
    """The union of the loaded graphs into the default graph (duplicates are
    stored once)."""

    def triples() -> Iterator[ox.Quad]:
        for name in sources:
            for q in new.quads_for_pattern(None, None, None, ox.NamedNode(name)):
                yield ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())

    new.bulk_extend(triples())


def _copy_kept(old: ox.Store, new: ox.Store, replaced: set[str], progress: LoadProgress | None) -> int:
    """Copy the graphs of ``old`` that the load does not replace into
    ``new``, into their graphs and into the union. Returns how many."""
    kept = [g for g in old.named_graphs() if not (isinstance(g, ox.NamedNode) and g.value in replaced)]
    if not kept:
        return 0
    done = [0]

    def quads() -> Iterator[ox.Quad]:
        for name in kept:
            for q in old.quads_for_pattern(None, None, None, name):
                yield q
                yield ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                done[0] += 1
                if progress is not None and done[0] % 100_000 == 0:
                    progress("kept graphs", done[0], None)

    new.bulk_extend(quads())
    if progress is not None:
        progress("kept graphs", done[0], done[0])
    log.info("kept %d graph(s) of the previous store (%d quads)", len(kept), done[0])
    return len(kept)


def store_writer(path: Path) -> int | None:
    """The id of a process that has the Oxigraph store at ``path`` open for
    writing (a ``serve --writable``, a ``load``), or None when there is none.
    -1 when a process holds it but its id is not known.

    Oxigraph (RocksDB) holds a POSIX lock on the store's ``LOCK`` file while
    it is open for writing; a read-only open ignores that lock, and reading a
    store that another process writes gives stale data (or worse), so readers
    ask first. The lock is looked up in ``/proc/locks`` (Linux) by the
    file's device and inode, without opening the file: closing any file
    descriptor of a file drops the POSIX locks this process holds on it. On
    systems without ``/proc/locks`` nothing is found (None).
    """
    try:
        info = (Path(path) / "LOCK").stat()
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in table.splitlines():
        fields = line.split()
        if "->" in fields:  # a process waiting for the lock, not holding it
            continue
        if len(fields) >= 6 and fields[5] == wanted and fields[3] == "WRITE":
            return int(fields[4]) if fields[4].lstrip("-").isdigit() and int(fields[4]) > 0 else -1
    return None


def check_not_written(path: Path) -> None:
    """Refuse to read the store at ``path`` while another process writes it.

    Raises:
        StoreError: naming the store and the process.
    """
    writer = store_writer(path)
    if writer is not None:
        who = f"process {writer}" if writer > 0 else "another process"
        raise StoreError(
            f"the store {path} is open for writing by {who} (a serve --writable or a load): reading it now would give "
            "stale data, so it is not opened; query that server's endpoint instead (osce-kg query --endpoint "
            "http://HOST:PORT/query), or stop it first"
        )
