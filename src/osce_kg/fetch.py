"""``osce-kg fetch``: get the pages of a site politely, into a folder and,
optionally, a WARC file.

Starting from the URLs given (a sitemap, a listing page, page URLs), the
fetcher:

- reads each origin's ``robots.txt`` first (Protego, RFC 9309: a 4xx means no
  rules; a 5xx after the retries means everything is disallowed; a site that
  cannot be reached stops the fetch with :class:`~osce_kg.errors.SiteError`,
  exit 3) and never requests a URL it disallows for its user agent;
- waits between two requests to the same origin at least ``1 / rate``
  seconds, or the ``Crawl-delay`` of ``robots.txt`` when longer; a site
  asking for more than ``max_crawl_delay`` seconds (60) is not fetched, its
  URLs refused with the delay named; with ``concurrency`` 1 (the default)
  one request at a time;
- follows, within the sites of the URLs given (same scheme, host and port),
  the entries of sitemaps (``<urlset>``, ``<sitemapindex>``), and the links of
  pages up to ``depth`` hops from a page given (a sitemap's entries count as
  given); ``rel="next"`` links (a listing's next page) do not count as a hop;
- sends back ``ETag`` / ``Last-Modified`` (``If-None-Match`` /
  ``If-Modified-Since``) of the copy on disk, so that a second run transfers
  only the pages that changed (a 304 keeps the copy);
- gives each request a deadline of ``timeout`` seconds from sending it to
  the last byte of its body (each read gets what is left, and a watchdog
  shuts the socket of a server that trickles its headers), and does not
  retry a request that ran out of time;
- retries connection errors, 429 and 5xx with exponential backoff
  (``Retry-After`` honoured up to 60 s), then gives up on the URL, naming it;
- follows redirects itself, at most ``max_redirects``, refuses a loop, and
  refuses (naming it) a redirect to another site than those given (another
  scheme, host or port), robots.txt's included;
- reads every body (robots.txt, sitemaps, pages) through one bounded reader
  (:meth:`Fetcher._read_body`): gzip and deflate undone in bounded steps, at
  most ``max_bytes`` (robots.txt: its first 512 KiB, RFC 9309), so that no
  endless or compressed body grows the memory;
- refuses a response larger than ``max_bytes`` (by ``Content-Length`` or
  while reading) or of a media type that is neither a page (``text/html``,
  ``application/xhtml+xml``, ``text/plain``) nor a sitemap (XML), and a page
  holding NUL bytes unless it is UTF-16 or UTF-32 text (a byte order mark,
  a served charset, or zero bytes in UTF-16's places), as ``build`` reads;
- stops at once on Ctrl-C: waits end, the sockets in flight are shut, the
  workers are daemon threads; the journal lets the same command resume;
- writes each page under its key (:func:`osce_kg.webarchive.url_key`) with
  its metadata sidecar (``.fetch.json``: URL, final URL, status, content
  type, fetch time, SHA-256 and SHA-1, validators, WARC record id) and, with
  a WARC file, a ``response`` record (a ``revisit`` record for a 304);
- keeps a journal (``.fetch-journal.jsonl`` in the output folder) of the URLs
  queued and done: a run that was interrupted is resumed by the same command,
  without requesting again what was done; a run that completes removes it.

Responses are stored decoded: the ``Content-Encoding`` and
``Transfer-Encoding`` headers are left out of the WARC record, whose payload
is the body as decoded.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import heapq
import io
import json
import logging
import os
import re
import socket
import threading
import time
import uuid
import weakref
import xml.etree.ElementTree as ET
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar
from urllib.parse import urldefrag, urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from . import __version__
from .errors import SiteError, UsageError
from .serialize import atomic_output
from .sources import charset_of, utf16_without_bom
from .webarchive import (
    PAGE_MEDIA_TYPES,
    SITEMAP_MEDIA_TYPES,
    PageMetadata,
    format_time,
    media_type_of,
    parse_http_date,
    read_metadata,
    url_key,
    write_metadata,
)

__all__ = ["FetchOptions", "FetchOutcome", "FetchResult", "FetchStats", "Fetcher", "JOURNAL", "USER_AGENT", "fetch"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

#: the user agent sent, and matched against robots.txt
USER_AGENT = f"osce-kg/{__version__} (+https://w3id.org/osce-kg)"

#: the journal of a run, in the output folder
JOURNAL = ".fetch-journal.jsonl"

#: link targets never requested (not pages)
_SKIPPED_SUFFIXES = (
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".ico", ".css", ".js", ".zip", ".gz", ".doc",
    ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".mp3", ".mp4", ".avi", ".mov", ".woff", ".woff2", ".ttf",
)
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_MAX_RETRY_AFTER = 60.0
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class FetchOptions:
    """How to fetch.

    Attributes:
        rate: requests per second to one origin, at most.
        concurrency: requests in flight at once (all origins).
        depth: hops of links followed from a page given.
        retries / backoff: retries of a failing request, and the seconds
            before the first one (doubled each time).
        timeout: seconds one request may take, from sending it to the last
            byte of the body (a deadline, not a limit per read); a request
            that does not complete in time is given up, not retried.
        max_bytes: largest response body accepted (after the
            ``Content-Encoding`` is undone, which is done in bounded steps).
        max_redirects: redirects followed for one URL.
        max_pages: stop after this many documents (pages and sitemaps), or ``None``.
        user_agent: the ``User-Agent`` header, matched against ``robots.txt``.
        warc: the WARC file to append records to (``.warc.gz`` compressed), or ``None``.
        max_crawl_delay: the longest ``Crawl-delay`` of a robots.txt obeyed,
            in seconds; the URLs of a site asking for more are refused (named).
    """

    rate: float = 1.0
    concurrency: int = 1
    depth: int = 1
    retries: int = 3
    backoff: float = 1.0
    timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 10
    max_pages: int | None = None
    user_agent: str = USER_AGENT
    warc: Path | None = None
    max_crawl_delay: float = 60.0


@dataclass(frozen=True)
class FetchOutcome:
    """What became of one URL.

    Attributes:
        url: the URL requested.
        status: ``"fetched"`` (body transferred and stored), ``"unchanged"``
            (304: the copy on disk kept), ``"failed"`` (given up: HTTP error,
            retries exhausted, redirect loop), ``"refused"`` (too large,
            not a page, binary), ``"disallowed"`` (by robots.txt).
        reason: in words, for the last three.
        key: the page's key in the output folder, when stored.
        kind: ``"page"`` or ``"sitemap"``.
        bytes: body bytes transferred.
        http_status: the final HTTP status, when a response came.
    """

    url: str
    status: str
    reason: str = ""
    key: str | None = None
    kind: str = "page"
    bytes: int = 0
    http_status: int | None = None


@dataclass
class FetchStats:
    """Running totals, passed to the progress callback after each URL.

    Attributes:
        done: URLs finished; ``queued``: URLs known (done or waiting).
        fetched / unchanged / failed / refused / disallowed: outcomes so far.
        bytes: body bytes transferred; ``requests``: HTTP requests sent
            (robots.txt, retries and redirects included).
        started: ``time.monotonic()`` at the start of the run.
    """

    done: int = 0
    queued: int = 0
    fetched: int = 0
    unchanged: int = 0
    failed: int = 0
    refused: int = 0
    disallowed: int = 0
    bytes: int = 0
    requests: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        """Seconds since the start of the run."""
        return max(time.monotonic() - self.started, 1e-9)


@dataclass
class FetchResult:
    """What a run did: one outcome per URL (in the order they finished) and the totals."""

    outcomes: list[FetchOutcome]
    stats: FetchStats
    resumed: bool = False

    @property
    def problems(self) -> list[FetchOutcome]:
        """URLs failed or refused, and URLs given that robots.txt disallows."""
        return [o for o in self.outcomes if o.status in ("failed", "refused") or o.reason.startswith("given: ")]

    @property
    def exit_code(self) -> int:
        """0 when every URL was fetched or unchanged (or disallowed as a
        discovered link); 1 when a URL failed or was refused."""
        return 1 if self.problems else 0


class _Refused(Exception):
    """A response refused (size, type, binary); the message says why."""


class _Failed(Exception):
    """A URL given up; the message says why."""


class _Stopped(Exception):
    """The run is being stopped (Ctrl-C): a worker gives up its URL at once."""


#: the largest robots.txt read, in bytes (RFC 9309, section 2.5: at least
#: 500 KiB are parsed; the rest is not read)
MAX_ROBOTS_BYTES = 512 * 1024

#: ``Content-Encoding`` values undone (the ``Accept-Encoding`` sent)
_ACCEPT_ENCODING = "gzip, deflate"


class _Deadline(dict):  # type: ignore[type-arg]
    """The timeouts of one request as httpcore reads them (the ``timeout``
    extension): every connect, write and read may take what is left until
    ``deadline`` (``time.monotonic()``), so the whole exchange ends by then
    however the server trickles its bytes."""

    def __init__(self, deadline: float) -> None:
        super().__init__(connect=None, read=None, write=None, pool=None)
        self.deadline = deadline

    def get(self, key: str, default: object = None) -> float:  # type: ignore[override]
        return max(self.deadline - time.monotonic(), 0.001)

    def __getitem__(self, key: str) -> float:
        return self.get(key)


class _Watch:
    """One request under the watchdog: its socket (once connected) and
    whether it ran past its deadline or is done."""

    __slots__ = ("sock", "expired", "done")

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.expired = False
        self.done = False


class _Watchdog:
    """Shuts the socket of a request at its deadline: httpcore applies a
    read timeout to each read of the response headers, so a server
    trickling a byte at a time would hold them for ever; cut, the read ends
    at once. One daemon thread for all requests."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Watch]] = []
        self._cond = threading.Condition()
        self._count = 0
        self._thread: threading.Thread | None = None

    def watch(self, deadline: float, watch: _Watch) -> None:
        with self._cond:
            self._count += 1
            heapq.heappush(self._heap, (deadline, self._count, watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fetch-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                deadline, _n, watch = self._heap[0]
                now = time.monotonic()
                if deadline > now and not watch.done:
                    self._cond.wait(deadline - now)
                    continue
                heapq.heappop(self._heap)
            if not watch.done:
                watch.expired = True
                _shut(watch.sock)


def _shut(sock: socket.socket | None) -> None:
    """Shut ``sock`` both ways (a read blocked on it returns at once)."""
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _WatchedBackend(httpcore.SyncBackend):
    """httpcore's network backend, noting each new socket in the
    requesting thread's :class:`_Watch` and in the set of live sockets."""

    def __init__(self, local: threading.local, live: weakref.WeakSet[socket.socket]) -> None:
        self._where = local
        self._live = live

    def connect_tcp(self, *args: object, **kwargs: object) -> httpcore.NetworkStream:  # type: ignore[override]
        stream = super().connect_tcp(*args, **kwargs)  # type: ignore[arg-type]
        sock = stream.get_extra_info("socket")
        watch = getattr(self._where, "watch", None)
        if sock is not None:
            self._live.add(sock)
            if watch is not None:
                watch.sock = sock
                if watch.expired:
                    _shut(sock)
        return stream


class _BoundedDecoder:
    """Undo a ``Content-Encoding`` (gzip, deflate, identity) chunk by chunk,
    never making more than the room left: a small compressed body cannot
    expand past the limit in memory.

    Raises:
        _Refused: (``feed``) for another encoding, or bytes that do not inflate.
    """

    def __init__(self, encoding: str) -> None:
        names = [e.strip().lower() for e in encoding.split(",") if e.strip() and e.strip().lower() != "identity"]
        if any(name not in ("gzip", "x-gzip", "deflate") for name in names) or len(names) > 1:
            raise _Refused(f"Content-Encoding {encoding!r} is not supported (only {_ACCEPT_ENCODING} were asked for)")
        self.kind = names[0] if names else None
        self._inflater: zlib._Decompress | None = None  # type: ignore[name-defined]

    def _new(self, first: bytes) -> zlib._Decompress:  # type: ignore[name-defined]
        if self.kind == "deflate":
            # RFC 9110 says zlib format; some servers send raw deflate
            return zlib.decompressobj(15 if first[:1] and (first[0] & 0x0F) == 8 else -15)
        return zlib.decompressobj(31)

    def feed(self, data: bytes, room: int) -> bytes:
        """The decoded bytes of ``data``: at most ``room + 1`` (one more
        than the room tells the caller the limit is passed)."""
        if self.kind is None:
            return data
        out: list[bytes] = []
        made = 0
        try:
            while data and made <= room:
                if self._inflater is None:
                    self._inflater = self._new(data)
                piece = self._inflater.decompress(data, room + 1 - made)
                made += len(piece)
                out.append(piece)
                if self._inflater.eof:  # another gzip member may follow
                    data = self._inflater.unused_data
                    self._inflater = None
                else:
                    data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise _Refused(f"the {self.kind} body does not inflate: {exc}") from exc
        return b"".join(out)


def _page_codec(body: bytes, content_type: str | None) -> str | None:
    """``utf-16`` / ``utf-32`` (with a byte order mark), ``utf-16-le`` /
    ``utf-16-be`` (served so, or zero bytes in UTF-16's places) for a page
    in a wide encoding, as ``build`` reads it; else None."""
    for bom, name in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if body.startswith(bom):
            return name
    served = charset_of(content_type)
    if served in ("utf-16-le", "utf-16-be"):
        return served
    return utf16_without_bom(body)


class _RateLimiter:
    """At least ``interval`` seconds between the starts of two requests to
    one origin; the wait ends early when ``stop`` is set."""

    def __init__(self, stop: threading.Event) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._stop = stop

    def wait(self, origin: str, interval: float) -> None:
        """Wait for the turn of ``origin``.

        Raises:
            _Stopped: when the run is stopped meanwhile.
        """
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(origin, now))
            self._next[origin] = start + interval
        if start > now and self._stop.wait(start - now):
            raise _Stopped


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower-case."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url}: not an http(s) URL")
    return urldefrag(url)[0]


def _sha1_base32(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _sitemap_urls(body: bytes, url: str) -> tuple[list[str], list[str]]:
    """(page URLs, sitemap URLs) of a sitemap document.

    Raises:
        _Refused: when it is not a sitemap.
    """
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise _Refused(f"not a sitemap (XML: {exc})") from exc
    tag = root.tag.removeprefix(_SITEMAP_NS)
    if tag not in ("urlset", "sitemapindex"):
        raise _Refused(f"not a sitemap (root element {root.tag!r})")
    locs = [el.text.strip() for el in root.iter() if el.tag.removeprefix(_SITEMAP_NS) == "loc" and el.text and el.text.strip()]
    locs = [urldefrag(urljoin(url, loc))[0] for loc in locs]
    return (locs, []) if tag == "urlset" else ([], locs)


def _page_links(body: bytes, url: str, media: str) -> tuple[list[str], list[str]]:
    """(links, next-page links) of an HTML page, absolute, without fragments."""
    if media not in ("text/html", "application/xhtml+xml"):
        return [], []
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(body.decode("utf-8", errors="replace"))
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None and base_node.attributes.get("href"):
        base = urljoin(url, base_node.attributes["href"] or "")
    links: list[str] = []
    following: list[str] = []
    for node in tree.css("a[href], link[rel][href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("mailto:", "javascript:", "tel:", "#")):
            continue
        target = urldefrag(urljoin(base, href))[0]
        rel = (node.attributes.get("rel") or "").lower().split()
        if "next" in rel:
            following.append(target)
        elif node.tag == "a" and "nofollow" not in rel:
            links.append(target)
    return links, following


class Fetcher:
    """One run of ``osce-kg fetch`` into ``out_dir`` (see the module doc).

    Args:
        out_dir: the folder of pages (created when missing).
        options: how to fetch.
        progress: called with the totals after each URL, or ``None``.
        transport: an httpx transport (tests), or ``None`` for the network.
    """

    def __init__(
        self,
        out_dir: Path,
        options: FetchOptions | None = None,
        progress: Callable[[FetchStats], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.options = options or FetchOptions()
        if self.options.rate <= 0:
            raise UsageError(f"--rate must be positive, got {self.options.rate}")
        if self.options.concurrency < 1:
            raise UsageError(f"--concurrency must be at least 1, got {self.options.concurrency}")
        self.progress = progress
        self.stats = FetchStats()
        self._local = threading.local()  # this thread's request: its deadline and watch
        self._live: weakref.WeakSet[socket.socket] = weakref.WeakSet()  # sockets open (shut at a stop)
        self._watchdog: _Watchdog | None = None
        if transport is None:
            # a new connection per request (the watchdog shuts the socket of
            # one request, never one another thread reuses)
            transport = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
            pool = getattr(transport, "_pool", None)
            if pool is not None and hasattr(pool, "_network_backend"):
                pool._network_backend = _WatchedBackend(self._local, self._live)
                self._watchdog = _Watchdog()
        self._client = httpx.Client(
            headers={"User-Agent": self.options.user_agent, "Accept-Encoding": _ACCEPT_ENCODING},
            timeout=self.options.timeout,
            follow_redirects=False,
            transport=transport,
        )
        self._stop = threading.Event()
        self._limiter = _RateLimiter(self._stop)
        self._streams: set[httpx.Response] = set()  # responses being read (shut at a stop)
        self._delays_named: set[str] = set()
        self._robots: dict[str, Protego | None] = {}
        self._robots_lock = threading.Lock()
        self._lock = threading.Lock()
        self._sites: set[str] = set()
        self._known: dict[str, PageMetadata] = {}
        self._paths: dict[str, Path] = {}
        self._warc: BinaryIO | None = None
        self._warc_writer = None
        self._journal: BinaryIO | None = None

    # ------------------------------------------------------------------ run
    def run(self, urls: Sequence[str]) -> FetchResult:
        """Fetch ``urls`` and what they lead to; resume an interrupted run
        of the same folder.

        Raises:
            UsageError: for a URL that is not http(s).
            SiteError: when a site cannot be reached (its robots.txt).
        """
        seeds = [_check_url(u) for u in urls]
        if not seeds:
            raise UsageError("give at least one URL")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._sites = {origin_of(u) for u in seeds}
        self._index_folder()
        queue: deque[tuple[str, int, bool]] = deque()
        seen: set[str] = set()
        journal = self.out_dir / JOURNAL
        resumed = journal.is_file()
        done_before: set[str] = set()
        if resumed:
            for url, depth, given in self._read_journal(journal, done_before):
                if url not in seen:
                    seen.add(url)
                    if url not in done_before:
                        queue.append((url, depth, given))
            logger.warning("resuming an interrupted fetch in %s: %d URL(s) done, %d to go", self.out_dir, len(done_before), len(queue))
        self._journal = journal.open("ab")
        for url in seeds:
            if url not in seen:
                seen.add(url)
                queue.append((url, 0, True))
                self._log_journal({"q": url, "d": 0, "given": True})
        outcomes: list[FetchOutcome] = []
        self.stats.queued = len(seen)
        try:
            self._open_warc(seeds)
            running: dict[Future[tuple[FetchOutcome, list[tuple[str, int]]]], str] = {}
            while queue or running:
                while queue and len(running) < self.options.concurrency and not self._limit_reached(outcomes, running):
                    url, depth, given = queue.popleft()
                    running[_in_thread(self._fetch_url, url, depth, given)] = url
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    running.pop(future)
                    outcome, found = future.result()
                    outcomes.append(outcome)
                    for link, link_depth in found:
                        if link not in seen:
                            seen.add(link)
                            queue.append((link, link_depth, False))
                            self._log_journal({"q": link, "d": link_depth})
                    self._log_journal({"done": outcome.url})
                    self._count(outcome)
                    self.stats.queued = len(seen)
                    if self.progress is not None:
                        self.progress(self.stats)
        except BaseException:
            # Ctrl-C (or an error): the workers stop at once (waits end,
            # bodies being read are cut); they are daemon threads, so the
            # process does not wait for a request still in flight
            self._stop.set()
            self._cut_streams()
            raise
        finally:
            self._close()
        journal.unlink(missing_ok=True)
        return FetchResult(outcomes, self.stats, resumed)

    def _limit_reached(self, outcomes: list[FetchOutcome], running: dict) -> bool:  # type: ignore[type-arg]
        limit = self.options.max_pages
        return limit is not None and len(outcomes) + len(running) >= limit

    def _count(self, outcome: FetchOutcome) -> None:
        stats = self.stats
        stats.done += 1
        setattr(stats, outcome.status, getattr(stats, outcome.status) + 1)
        stats.bytes += outcome.bytes

    # ------------------------------------------------------------------ state
    def _index_folder(self) -> None:
        """Read the metadata of the pages already in the folder (for conditional requests)."""
        for sidecar in self.out_dir.rglob("*.fetch.json"):
            page = sidecar.with_name(sidecar.name[: -len(".fetch.json")])
            if not page.is_file():
                continue
            try:
                meta = read_metadata(page)
            except Exception as exc:  # a damaged sidecar only costs a full transfer
                logger.warning("%s: ignored (%s); the page is fetched again in full", sidecar, exc)
                continue
            if meta is not None:
                self._known[meta.url] = meta
                self._paths[meta.url] = page

    def _read_journal(self, journal: Path, done: set[str]) -> Iterable[tuple[str, int, bool]]:
        queued: list[tuple[str, int, bool]] = []
        with journal.open("rb") as fh:
            for line in fh:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut by the interruption
                if "q" in entry:
                    queued.append((entry["q"], int(entry.get("d", 0)), bool(entry.get("given", False))))
                elif "done" in entry:
                    done.add(entry["done"])
        return queued

    def _log_journal(self, entry: dict) -> None:  # type: ignore[type-arg]
        assert self._journal is not None
        self._journal.write(json.dumps(entry).encode("utf-8") + b"\n")
        self._journal.flush()

    def _open_warc(self, seeds: Sequence[str]) -> None:
        path = self.options.warc
        if path is None:
            return
        from warcio.warcwriter import WARCWriter

        path.parent.mkdir(parents=True, exist_ok=True)
        _truncate_damaged_tail(path)
        try:
            self._warc = path.open("ab")
        except OSError as exc:
            raise UsageError(f"{path}: cannot write the WARC file: {exc.strerror or exc}") from exc
        self._warc_writer = WARCWriter(self._warc, gzip=path.name.lower().endswith(".gz"))
        info = {"software": f"osce-kg/{__version__}", "format": "WARC File Format 1.0", "robots": "obey", "http-header-user-agent": self.options.user_agent, "description": "osce-kg fetch " + " ".join(seeds)}
        self._write_record(self._warc_writer.create_warcinfo_record(path.name, info))

    def _write_record(self, record) -> str:  # type: ignore[no-untyped-def]
        """Append ``record`` to the WARC file; its WARC-Record-ID."""
        with self._lock:
            if self._warc is None:  # closed: the run is being stopped
                raise _Stopped
            assert self._warc_writer is not None
            self._warc_writer.write_record(record)
            self._warc.flush()
        return record.rec_headers.get_header("WARC-Record-ID").strip("<>")

    def _cut_streams(self) -> None:
        """Shut the sockets of the requests in flight (a stop)."""
        for sock in list(self._live):
            _shut(sock)
        with self._lock:
            streams = list(self._streams)
        for response in streams:
            stream = response.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _close(self) -> None:
        if not self._stop.is_set():
            self._client.close()
        with self._lock:  # not while a worker writes a record
            if self._warc is not None:
                self._warc.close()
                self._warc = None
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    # ------------------------------------------------------------------ robots
    def _robots_for(self, origin: str) -> Protego | None:
        """The parsed robots.txt of ``origin`` (``None``: no rules).

        Raises:
            SiteError: when the site cannot be reached.
        """
        with self._robots_lock:
            if origin in self._robots:
                return self._robots[origin]
            url = f"{origin}/robots.txt"
            rules: Protego | None = None
            target = url
            try:
                for _hop in range(5):  # RFC 9309: follow at least five redirects
                    response = self._request(target, {}, origin_of(target), interval=1.0 / self.options.rate)
                    with closing(response):
                        location = response.headers.get("Location")
                        if response.status_code in _REDIRECT_STATUSES and location:
                            target = urljoin(target, location)
                            if origin_of(target) not in self._sites:
                                raise _Failed(f"redirected to {target}, outside the sites given: not followed")
                            continue
                        if response.status_code == 200:
                            body = self._read_body(response, MAX_ROBOTS_BYTES, cut=True)
                            rules = Protego.parse(body.decode("utf-8", errors="replace"))
                    break  # 4xx (and redirects without end): no rules
            except httpx.TransportError as exc:
                raise SiteError(f"{url}: the site cannot be reached: {exc or type(exc).__name__}") from exc
            except (_Failed, _Refused) as exc:
                logger.warning("%s: %s; everything on %s is treated as disallowed (RFC 9309)", url, exc, origin)
                rules = Protego.parse("User-agent: *\nDisallow: /\n")
            self._robots[origin] = rules
            return rules

    def _crawl_delay(self, origin: str) -> float:
        """The ``Crawl-delay`` robots.txt of ``origin`` asks of us (0 when none)."""
        rules = self._robots.get(origin)
        delay = rules.crawl_delay(self.options.user_agent) if rules is not None else None
        return float(delay) if delay else 0.0

    def _interval(self, origin: str) -> float:
        return max(1.0 / self.options.rate, min(self._crawl_delay(origin), self.options.max_crawl_delay))

    def _allowed(self, url: str) -> bool:
        rules = self._robots_for(origin_of(url))
        return rules is None or rules.can_fetch(url, self.options.user_agent)

    # ------------------------------------------------------------------ requests
    def _request(self, url: str, headers: dict[str, str], origin: str, interval: float | None = None) -> httpx.Response:
        """Send a GET (streamed), retrying connection errors, timeouts, 429
        and 5xx; the caller closes the response.

        Raises:
            _Failed: the retries are exhausted on an HTTP status.
            httpx.TransportError: the retries are exhausted on a connection error.
        """
        options = self.options
        for attempt in range(options.retries + 1):
            self._limiter.wait(origin, interval if interval is not None else self._interval(origin))
            with self._lock:
                self.stats.requests += 1
            request = self._client.build_request("GET", url, headers=headers)
            deadline = time.monotonic() + options.timeout
            request.extensions["timeout"] = _Deadline(deadline)
            self._local.deadline = deadline
            previous = getattr(self._local, "watch", None)
            if previous is not None:
                previous.done = True
            watch = self._local.watch = _Watch()
            if self._watchdog is not None:
                self._watchdog.watch(deadline, watch)
            try:
                response = self._client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise _Failed(f"no response within {options.timeout:g} s (--timeout; {type(exc).__name__})") from exc
            except httpx.TransportError as exc:
                if watch.expired:
                    raise _Failed(f"no response within {options.timeout:g} s (--timeout)") from exc
                if attempt == options.retries or self._stop.is_set():
                    raise
                logger.info("%s: %s; retry %d of %d", url, exc or type(exc).__name__, attempt + 1, options.retries)
                if self._stop.wait(options.backoff * 2**attempt):
                    raise _Stopped from None
                continue
            if response.status_code not in _RETRY_STATUSES:
                return response
            response.close()
            if attempt == options.retries:
                raise _Failed(f"HTTP {response.status_code} {response.reason_phrase}, given up after {options.retries + 1} attempts")
            pause = options.backoff * 2**attempt
            retry_after = response.headers.get("Retry-After", "")
            if retry_after.strip().isdigit():
                pause = max(pause, min(float(retry_after), _MAX_RETRY_AFTER))
            logger.info("%s: HTTP %d; retry %d of %d in %.1f s", url, response.status_code, attempt + 1, options.retries, pause)
            if self._stop.wait(pause):
                raise _Stopped
        raise AssertionError("unreachable")

    def _fetch_url(self, url: str, depth: int, given: bool) -> tuple[FetchOutcome, list[tuple[str, int]]]:
        """Fetch one URL: its outcome and the links to queue, as (URL, depth)."""
        try:
            return self._fetch(url, depth, given)
        except _Refused as exc:
            logger.warning("%s: refused: %s", url, exc)
            return FetchOutcome(url, "refused", str(exc)), []
        except _Failed as exc:
            logger.warning("%s: %s", url, exc)
            return FetchOutcome(url, "failed", str(exc)), []
        except httpx.TimeoutException as exc:
            reason = f"no complete response within {self.options.timeout:g} s (--timeout; {type(exc).__name__})"
            logger.warning("%s: %s", url, reason)
            return FetchOutcome(url, "failed", reason), []
        except httpx.TransportError as exc:
            if self._stop.is_set():
                raise _Stopped from exc
            reason = f"{type(exc).__name__}: {exc}, given up after {self.options.retries + 1} attempts"
            logger.warning("%s: %s", url, reason)
            return FetchOutcome(url, "failed", reason), []

    def _too_slow(self, url: str) -> str | None:
        """The reason to refuse ``url`` when its site's robots.txt asks for a
        Crawl-delay over ``max_crawl_delay`` (named once per site), else None."""
        origin = origin_of(url)
        delay = self._crawl_delay(origin)
        cap = self.options.max_crawl_delay
        if delay <= cap:
            return None
        reason = f"robots.txt of {origin} asks for a Crawl-delay of {delay:g} s, more than --max-crawl-delay {cap:g} s"
        with self._lock:
            first = origin not in self._delays_named
            self._delays_named.add(origin)
        if first:
            logger.warning("%s: its URLs are not fetched", reason)
        return reason

    def _fetch(self, url: str, depth: int, given: bool) -> tuple[FetchOutcome, list[tuple[str, int]]]:
        if self._stop.is_set():
            raise _Stopped
        if not self._allowed(url):
            reason = "disallowed by robots.txt"
            if given:
                logger.warning("%s: %s", url, reason)
                reason = "given: " + reason
            else:
                logger.info("%s: %s", url, reason)
            return FetchOutcome(url, "disallowed", reason), []
        slow = self._too_slow(url)
        if slow is not None:
            return FetchOutcome(url, "refused", slow), []
        known = self._known.get(url)
        conditional: dict[str, str] = {}
        if known is not None and url in self._paths and self._paths[url].is_file():
            if known.etag:
                conditional["If-None-Match"] = known.etag
            if known.last_modified:
                conditional["If-Modified-Since"] = known.last_modified
        current, chain = url, [url]
        for _hop in range(self.options.max_redirects + 1):
            # the validators are the final URL's: sent to it, not to the URLs redirecting there
            same = known is not None and current == known.final_url
            response = self._request(current, conditional if same else {}, origin_of(current))
            with closing(response):
                status = response.status_code
                if status in _REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise _Failed(f"HTTP {status} without a Location header")
                    target = urldefrag(urljoin(current, location))[0]
                    if target in chain:
                        raise _Failed(f"redirect loop refused: {' -> '.join([*chain, target])}")
                    chain.append(target)
                    if urlsplit(target).scheme not in ("http", "https"):
                        raise _Failed(f"redirect to {target}, not an http(s) URL")
                    if origin_of(target) not in self._sites:
                        raise _Refused(f"redirected to {target}, outside the sites given ({', '.join(sorted(self._sites))})")
                    if not self._allowed(target):
                        return FetchOutcome(url, "disallowed", f"redirected to {target}, disallowed by robots.txt"), []
                    current = target
                    continue
                if status == 304 and known is not None and same:
                    return self._unchanged(url, known, response, depth)
                if status != 200:
                    raise _Failed(f"HTTP {status} {response.reason_phrase}")
                return self._stored(url, current, chain[:-1], response, depth)
        raise _Failed(f"more than {self.options.max_redirects} redirects: {' -> '.join(chain)}")

    def _read_body(self, response: httpx.Response, limit: int | None = None, *, cut: bool = False) -> bytes:
        """The one reader of response bodies (robots.txt, sitemaps, pages):
        at most ``limit`` bytes (``max_bytes`` by default) after the
        ``Content-Encoding`` is undone in bounded steps, by the request's
        deadline, stopped at once by a stop.

        Args:
            cut: give the first ``limit`` bytes of a longer body (robots.txt)
                instead of refusing it.

        Raises:
            _Refused: a body over the limit (unless ``cut``), or an encoding
                that is not supported or does not inflate.
            _Failed: the deadline passed.
            _Stopped: the run is being stopped.
        """
        limit = self.options.max_bytes if limit is None else limit
        length = response.headers.get("Content-Length", "")
        encoding = response.headers.get("Content-Encoding", "")
        if not cut and not encoding and length.isdigit() and int(length) > limit:
            raise _Refused(f"{int(length):,} bytes (Content-Length), more than the limit of {limit:,}")
        decoder = _BoundedDecoder(encoding)
        deadline = getattr(self._local, "deadline", None) or time.monotonic() + self.options.timeout
        chunks: list[bytes] = []
        size = 0
        with self._lock:
            self._streams.add(response)
        try:
            for raw in response.iter_raw():  # as the bytes arrive (a chunk size would wait for it to fill)
                if self._stop.is_set():
                    raise _Stopped
                piece = decoder.feed(raw, limit - size)
                size += len(piece)
                if size > limit:
                    if cut:
                        chunks.append(piece[: len(piece) - (size - limit)])
                        break
                    raise _Refused(f"more than the limit of {limit:,} bytes" + (f" (once {encoding} is undone)" if encoding else ""))
                chunks.append(piece)
                if time.monotonic() > deadline:
                    raise _Failed(f"the body did not arrive within {self.options.timeout:g} s (--timeout)")
        except httpx.TimeoutException as exc:
            raise _Failed(f"the body did not arrive within {self.options.timeout:g} s (--timeout)") from exc
        except httpx.TransportError as exc:
            if self._stop.is_set():
                raise _Stopped from None
            watch = getattr(self._local, "watch", None)
            if watch is not None and watch.expired:
                raise _Failed(f"the body did not arrive within {self.options.timeout:g} s (--timeout)") from exc
            raise
        finally:
            with self._lock:
                self._streams.discard(response)
            watch = getattr(self._local, "watch", None)
            if watch is not None:
                watch.done = True
        return b"".join(chunks)

    def _stored(self, url: str, final: str, redirects: list[str], response: httpx.Response, depth: int) -> tuple[FetchOutcome, list[tuple[str, int]]]:
        """Check, read and store a 200 response."""
        content_type = response.headers.get("Content-Type", "")
        media = media_type_of(content_type) or ""
        is_page = media in PAGE_MEDIA_TYPES
        if not is_page and media not in SITEMAP_MEDIA_TYPES:
            raise _Refused(f"content type {content_type or 'missing'!s}, not a page (text/html, application/xhtml+xml, text/plain) or a sitemap (XML)")
        body = self._read_body(response)
        if is_page and b"\x00" in body and _page_codec(body, content_type) is None:
            raise _Refused("binary content (NUL bytes), not a page (nor UTF-16 or UTF-32 text)")
        kind = "page" if is_page else "sitemap"
        found = self._links(body, final, media, depth, content_type)
        fetched = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        key = url_key(final, content_type)
        path = self.out_dir / key
        meta = PageMetadata(
            url=url,
            final_url=final,
            status=response.status_code,
            content_type=content_type,
            fetched=format_time(fetched),
            sha256=hashlib.sha256(body).hexdigest(),
            sha1=_sha1_base32(body),
            bytes=len(body),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            redirects=redirects,
        )
        if self._warc_writer is not None:
            meta.warc_record_id = self._warc_response(final, response, body, fetched)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as fh:
            fh.write(body)
        write_metadata(path, meta)
        stamp = (parse_http_date(meta.last_modified) or fetched).timestamp()
        os.utime(path, (stamp, stamp))
        with self._lock:
            self._known[url] = meta
            self._paths[url] = path
        logger.debug("%s: stored %s (%d bytes)", url, key, len(body))
        return FetchOutcome(url, "fetched", key=key, kind=kind, bytes=len(body), http_status=response.status_code), found

    def _unchanged(self, url: str, meta: PageMetadata, response: httpx.Response, depth: int) -> tuple[FetchOutcome, list[tuple[str, int]]]:
        """A 304: keep the copy, note the check, and follow its links again."""
        path = self._paths[url]
        checked = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        meta.checked = format_time(checked)
        if self._warc_writer is not None:
            self._warc_revisit(meta, response, checked)
        write_metadata(path, meta)
        media = media_type_of(meta.content_type) or ""
        found = self._links(path.read_bytes(), meta.final_url, media, depth, meta.content_type)
        kind = "page" if media in PAGE_MEDIA_TYPES else "sitemap"
        return FetchOutcome(url, "unchanged", key=path.relative_to(self.out_dir).as_posix(), kind=kind, http_status=304), found

    def _links(self, body: bytes, url: str, media: str, depth: int, content_type: str | None = None) -> list[tuple[str, int]]:
        """The links of a document to queue, as (URL, depth), within the sites given."""
        if media in SITEMAP_MEDIA_TYPES:
            pages, sitemaps = _sitemap_urls(body, url)
            candidates = [(u, depth) for u in [*sitemaps, *pages]]
        else:
            codec = _page_codec(body, content_type)
            links, following = _page_links(body.decode(codec, errors="replace").encode("utf-8") if codec else body, url, media)
            candidates = [(u, depth) for u in following]
            if depth < self.options.depth:
                candidates += [(u, depth + 1) for u in links]
        out: list[tuple[str, int]] = []
        for link, link_depth in candidates:
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https") or origin_of(link) not in self._sites:
                continue
            if parts.path.lower().endswith(_SKIPPED_SUFFIXES):
                continue
            out.append((link, link_depth))
        return out

    # ------------------------------------------------------------------ WARC
    @staticmethod
    def _http_headers(response: httpx.Response, length: int | None):  # type: ignore[no-untyped-def]
        from warcio.statusandheaders import StatusAndHeaders

        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _DROPPED_HEADERS]
        if length is not None:
            headers.append(("Content-Length", str(length)))
        protocol = response.http_version if response.http_version.startswith("HTTP/") else "HTTP/1.1"
        return StatusAndHeaders(f"{response.status_code} {response.reason_phrase}", headers, protocol=protocol)

    def _warc_response(self, url: str, response: httpx.Response, body: bytes, fetched: dt.datetime) -> str:
        assert self._warc_writer is not None
        record = self._warc_writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=self._http_headers(response, len(body)),
            warc_headers_dict={"WARC-Date": format_time(fetched), "WARC-Record-ID": f"<urn:uuid:{uuid.uuid4()}>"},
        )
        return self._write_record(record)

    def _warc_revisit(self, meta: PageMetadata, response: httpx.Response, checked: dt.datetime) -> None:
        assert self._warc_writer is not None
        record = self._warc_writer.create_revisit_record(
            meta.final_url,
            meta.sha1,
            meta.final_url,
            meta.fetched,
            http_headers=self._http_headers(response, None),
            warc_headers_dict={"WARC-Date": format_time(checked)},
        )
        if meta.warc_record_id:
            record.rec_headers.add_header("WARC-Refers-To", f"<{meta.warc_record_id}>")
        self._write_record(record)


def _in_thread(fn: Callable[..., _T], *args: object) -> Future[_T]:
    """Run ``fn(*args)`` in a new daemon thread; its future. Daemon threads,
    unlike a ThreadPoolExecutor's, do not hold up the exit of the process
    after Ctrl-C (a request in flight may wait for its deadline)."""
    future: Future[_T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)

    threading.Thread(target=run, name="fetch-worker", daemon=True).start()
    return future


def _record_size(tail: bytes, compressed: bool) -> int | None:
    """The size of the complete WARC record at the start of ``tail`` (a
    gzip member, or headers, block and the two line breaks after it), or
    ``None`` when ``tail`` holds only part of one."""
    if compressed:
        inflater = zlib.decompressobj(wbits=31)
        try:
            inflater.decompress(tail)
        except zlib.error:
            return None
        return len(tail) - len(inflater.unused_data) if inflater.eof else None
    end = tail.find(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", tail[:end]) if end >= 0 else None
    if match is None:
        return None
    size = end + 4 + int(match.group(1)) + 4
    return size if len(tail) >= size else None


def _truncate_damaged_tail(path: Path) -> None:
    """Cut a WARC file after its last complete record (an interrupted run may
    leave part of a record), so that appending keeps it valid."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    from warcio.archiveiterator import ArchiveIterator

    offsets = [0]
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                offsets.append(iterator.get_record_offset())
                iterator.read_to_end(record)
        except Exception:  # noqa: BLE001 - a damaged record: the last offset found is checked below
            pass
        last = offsets[-1]
        fh.seek(last)
        tail = fh.read()
    size = _record_size(tail, path.name.lower().endswith(".gz"))
    keep = last if size is None else last + size
    if keep < last + len(tail):
        logger.warning("%s: an incomplete record after byte %d (an interrupted run) is cut before appending", path, keep)
        with path.open("r+b") as fh:
            fh.truncate(keep)


def fetch(
    urls: Sequence[str],
    out_dir: Path,
    options: FetchOptions | None = None,
    progress: Callable[[FetchStats], None] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FetchResult:
    """Fetch ``urls`` into ``out_dir`` (see :class:`Fetcher` and the module doc)."""
    return Fetcher(out_dir, options, progress, transport).run(urls)
