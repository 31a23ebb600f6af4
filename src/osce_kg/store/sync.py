"""Bringing an embedded store up to date from the change feed of the
releases (``osce-kg sync FEED STORE``; ARCHITECTURE.md, "Change stream",
"Following the feed"; README, "Releases and their changes").

The store records the release it holds (``osce-kg-release.id`` in its
generation, :func:`osce_kg.store.bulkload.held_release`: written by a load
of a release folder's dumps and by every sync). :func:`sync_store`:

1. reads the feed's collection (``feed/index.jsonld``); when its
   ``version`` is the held release, nothing is done;
2. walks the pages from ``first`` along ``next`` (newest release first),
   collecting members, until a page of the held release, or a page whose
   changes are from the held release (``previousVersion``) is passed; the
   newest member per graph wins (the first one seen);
3. when the walk ends without reaching the held release, the history does
   not reach back: :class:`osce_kg.errors.HistoryGap` (exit 4), nothing is
   changed (load the dumps instead);
4. reads the quads of every graph created or updated, from the member's
   ``result`` (the graph's N-Quads in that release) or, when the link
   answers nothing, from the graph IRI itself (``Accept:
   application/n-quads``); every quad must be in that graph (default-graph
   triples are put into it), blank nodes are kept apart per graph;
5. writes, in one step, a new generation of the store (the bulk loader,
   :func:`osce_kg.store.bulkload.bulk_load_store`): the graphs read replace
   theirs, deleted graphs are left out, every other graph is kept; the
   union and the listing index are made again; the generation records the
   collection's ``version``. A sync that fails anywhere leaves the store as
   it was.

A remote store (:func:`sync_endpoint`) gets the same changes in one SPARQL
Update request; the release it holds is kept in a local state file.

FEED is a URL (http(s)) or a local path: a release's ``feed/index.jsonld``,
its ``feed/`` folder, a release folder or an output folder (its
``current/``). Over HTTP, every IRI under the site root the feed names is
read from the server FEED is on (the collection's IRI and FEED's URL share
their path after the root: ``https://w3id.org/osce-kg/id/dataset/feed`` read
as ``http://127.0.0.1:8080/osce-kg/id/dataset/feed`` reads
``https://w3id.org/osce-kg/releases/…`` at ``http://127.0.0.1:8080/osce-kg/releases/…``);
redirects are followed, connection errors, timeouts and 5xx answers are
retried (:class:`osce_kg.store.remote.RetryPolicy`). Locally, pages are the
files of the ``feed/`` folder; a ``result`` link
``{root}releases/<id>/<path>.nq`` is the file ``releases/<id>/site/<path>.nq``
beside the feed's release when there is one, else the graph is read from
the feed's own release's ``osce-kg.nq`` (a graph's newest change is its
state in the newest release).
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import pyoxigraph as ox

from ..errors import HistoryGap, SiteError, SourceError, StoreError, UsageError, display
from ..publish.feed import FEED, FEED_INDEX, page_file, release_of_iri
from ..serialize import atomic_output
from .bulkload import Indexer, LoadOutcome, LoadProgress, bulk_load_store, held_release
from .remote import Credentials, RetryPolicy, public_url, send_with_retries, update_endpoint

__all__ = ["ACTIVITY_TYPES", "MAX_BODY", "FeedSource", "HttpFeed", "LocalFeed", "SyncOutcome", "SyncPlan", "mirror_roots", "open_feed", "plan_sync", "read_state", "sync_endpoint", "sync_store"]

log = logging.getLogger(__name__)

#: the member types of the feed: a graph created, replaced or removed
ACTIVITY_TYPES: tuple[str, ...] = ("Create", "Update", "Delete")

_JSON_ACCEPT = "application/activity+json, application/ld+json;q=0.9, application/json;q=0.8"
_NQUADS_ACCEPT = "application/n-quads"
_RELEASE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,199}$")
_PAGE_OF = re.compile(r"^(?P<release>.+?)(?:-(?P<n>[0-9]{1,6}))?$")
#: largest feed document or graph read over HTTP (bytes)
MAX_BODY = 1 << 30


class FeedSource(Protocol):
    """Where the feed is read from (:class:`LocalFeed`, :class:`HttpFeed`)."""

    #: FEED as given, for messages (a URL without credentials, or a path)
    label: str

    def collection(self) -> dict[str, Any]:
        """The OrderedCollection (JSON)."""
        ...

    def page(self, iri: str) -> dict[str, Any]:
        """The OrderedCollectionPage ``iri`` (JSON)."""
        ...

    def prepare(self, graphs: Collection[str]) -> None:
        """The graphs :meth:`graph_quads` will be asked for."""
        ...

    def graph_quads(self, graph: str, href: str | None) -> tuple[str, bytes]:
        """The N-Quads of ``graph`` in the release of the member whose
        ``result`` is ``href`` (None: the member has no link): (where they
        were read, the bytes)."""
        ...

    def close(self) -> None:
        """Release what the source holds (an HTTP client)."""
        ...


def _json_object(where: str, data: bytes) -> dict[str, Any]:
    """``data`` parsed as a JSON object, else SourceError naming ``where``."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceError(where, f"not a JSON document of the feed: {' '.join(str(exc).split())}") from exc
    if not isinstance(document, dict):
        raise SourceError(where, "not a JSON object (a feed collection or page)")
    return document


# ---------------------------------------------------------------------------
# a feed on disk


class LocalFeed:
    """The feed of a release folder on disk (see the module doc).

    Attributes:
        release: the release folder whose ``feed/`` is read (resolved:
            ``current`` names a folder of ``releases/``).
        label: FEED as given.
    """

    def __init__(self, release: Path, label: str) -> None:
        self.release = release
        self.label = label
        self._dump: dict[str, bytes] | None = None
        self._wanted: set[str] = set()

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise SourceError(path, "file not found (a page the feed names is missing: a damaged release)") from exc
        except OSError as exc:
            raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc

    def collection(self) -> dict[str, Any]:
        path = self.release / FEED / FEED_INDEX
        return _json_object(str(path), self._read(path))

    def page(self, iri: str) -> dict[str, Any]:
        path = self.release / FEED / page_file(iri)
        return _json_object(str(path), self._read(path))

    def _pinned(self, href: str) -> Path | None:
        """The file of the site of a kept release beside this one that the
        ``result`` link ``href`` names, when there is one."""
        match = re.search(r"/releases/([^/]+)/(.+\.nq)$", href)
        if match is None or not _RELEASE_ID.match(match.group(1)):
            return None
        rest = match.group(2).split("/")
        if any(part in ("", ".", "..") for part in rest):
            return None
        candidate = self.release.parent / match.group(1) / "site" / Path(*rest)
        return candidate if candidate.is_file() else None

    def prepare(self, graphs: Collection[str]) -> None:
        self._wanted = set(graphs)
        self._dump = None

    def _from_dump(self, graph: str) -> bytes:
        """The lines of ``graph`` in this release's ``osce-kg.nq``: the file
        is read once, keeping the lines of the graphs :meth:`prepare` named
        (a release's quad dump has every quad in a named graph, one line
        each, the graph last)."""
        if self._dump is None or graph not in self._wanted:
            self._wanted.add(graph)
            path = self.release / "osce-kg.nq"
            lines: dict[str, list[bytes]] = {}
            try:
                with open(path, "rb") as fh:
                    for line in fh:
                        match = re.search(rb"<([^<>\s]*)>\s*\.\s*$", line)
                        if match is not None:
                            name = match.group(1).decode("utf-8", "replace")
                            if name in self._wanted:
                                lines.setdefault(name, []).append(line)
            except OSError as exc:
                raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
            self._dump = {name: b"".join(body) for name, body in lines.items()}
        return self._dump.get(graph, b"")

    def graph_quads(self, graph: str, href: str | None) -> tuple[str, bytes]:
        pinned = self._pinned(href) if href else None
        if pinned is not None:
            return str(pinned), self._read(pinned)
        return f"{self.release / 'osce-kg.nq'} (graph {graph})", self._from_dump(graph)

    def close(self) -> None:
        self._dump = None
        self._wanted = set()


# ---------------------------------------------------------------------------
# a feed over HTTP


class HttpFeed:
    """The feed at an http(s) URL (see the module doc); the HTTP client is
    :mod:`httpx`, as for the remote stores (:mod:`.remote`).

    Attributes:
        url: FEED.
        label: FEED without credentials.
    """

    def __init__(
        self,
        url: str,
        *,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url
        self.label = public_url(url)
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=True,
            headers={"User-Agent": "osce-kg"},
            transport=transport,
        )
        self.iri_root: str | None = None
        self.url_root: str | None = None

    def close(self) -> None:
        self.client.close()

    def prepare(self, graphs: Collection[str]) -> None:
        """Nothing to prepare: every graph is its own request."""

    def _get(self, url: str, accept: str, *, missing_ok: bool = False) -> httpx.Response | None:
        """GET ``url``, retrying connection errors, timeouts and 5xx
        answers; None for a 404 or 410 when ``missing_ok``.

        Raises:
            SiteError: the server cannot be reached or keeps failing (exit 3).
            SourceError: any other answer than 200 (exit 2).
        """
        shown = public_url(url)
        try:
            response = send_with_retries(
                self.client, self.client.build_request("GET", url, headers={"Accept": accept}), what="GET", endpoint=shown,
                policy=self.policy, sleep=self.sleep,
                failure=lambda attempts, problem: SiteError(f"{shown}: cannot be read after {attempts} attempt(s): {problem}"),
            )
        except httpx.InvalidURL as exc:
            raise SourceError(shown, f"not a URL that can be read: {exc}") from exc
        if response.status_code in (404, 410) and missing_ok:
            return None
        if response.status_code != 200:
            raise SourceError(shown, f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
        if len(response.content) > MAX_BODY:
            raise SourceError(shown, f"larger than {MAX_BODY} bytes")
        return response

    def locate(self, iri: str) -> str:
        """The URL ``iri`` (an IRI the feed names) is read at: on the server
        FEED is on when it is under the site root, else ``iri`` itself."""
        if self.iri_root is not None and self.url_root is not None and (iri == self.iri_root or iri.startswith(self.iri_root + "/")):
            return self.url_root + iri[len(self.iri_root):]
        return iri

    def collection(self) -> dict[str, Any]:
        response = self._get(self.url, _JSON_ACCEPT)
        assert response is not None
        document = _json_object(self.label, response.content)
        if isinstance(document.get("id"), str):
            self.iri_root, self.url_root = mirror_roots(document["id"], str(response.url))
        return document

    def page(self, iri: str) -> dict[str, Any]:
        url = self.locate(iri)
        response = self._get(url, _JSON_ACCEPT)
        assert response is not None
        return _json_object(public_url(url), response.content)

    def graph_quads(self, graph: str, href: str | None) -> tuple[str, bytes]:
        if href:
            url = self.locate(href)
            response = self._get(url, _NQUADS_ACCEPT, missing_ok=True)
            if response is not None:
                return public_url(url), response.content
            log.info("%s is gone (its release is no longer kept); reading the graph %s itself", public_url(url), graph)
        url = self.locate(graph)
        response = self._get(url, _NQUADS_ACCEPT)
        assert response is not None
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media and media != _NQUADS_ACCEPT:
            raise SourceError(public_url(url), f"answered {media}, not {_NQUADS_ACCEPT}")
        return public_url(url), response.content


def mirror_roots(iri: str, url: str) -> tuple[str, str]:
    """The site root in IRIs and the URL that stands for it: the parts of
    the collection IRI ``iri`` and of the URL ``url`` it was read at before
    the path they share (whole segments; a ``.jsonld`` ending of ``url``
    does not count). ``("https://w3id.org", "http://127.0.0.1:8080")`` for
    ``https://w3id.org/osce-kg/id/dataset/feed`` read at
    ``http://127.0.0.1:8080/osce-kg/id/dataset/feed``; the two whole when
    they share no segment."""
    a = iri.split("#")[0].rstrip("/")
    b = url.split("#")[0].split("?")[0].rstrip("/").removesuffix(".jsonld")
    n = 0
    while n < min(len(a), len(b)) and a[len(a) - 1 - n] == b[len(b) - 1 - n]:
        n += 1
    common = a[len(a) - n:]
    cut = common.find("/")
    if cut < 0 or common[cut:].startswith("//"):
        return a, b
    common = common[cut:]
    return a[: len(a) - len(common)], b[: len(b) - len(common)]


# ---------------------------------------------------------------------------
# opening FEED


def open_feed(feed: str, *, policy: RetryPolicy | None = None, transport: httpx.BaseTransport | None = None) -> FeedSource:
    """The source of the feed ``feed``: an http(s) URL, or a path (a
    release's ``feed/index.jsonld`` or ``feed/`` folder, a release folder,
    an output folder with ``current/``).

    Raises:
        SourceError: a path that holds no feed (exit 2).
    """
    if re.match(r"^https?://", feed, re.IGNORECASE):
        return HttpFeed(feed, policy=policy, transport=transport)
    path = Path(feed)
    if path.is_file():
        folder = path.parent
        if path.name != FEED_INDEX or folder.name != FEED:
            raise SourceError(path, f"not the collection of a release's feed ({FEED}/{FEED_INDEX})")
        release = folder.parent
    elif path.is_dir():
        candidates = [path, path / "current"] if path.name != FEED else [path.parent]
        release = next((c for c in candidates if (c / FEED / FEED_INDEX).is_file()), None)  # type: ignore[assignment]
        if release is None:
            raise SourceError(path, f"no change feed here (give a release's {FEED}/{FEED_INDEX}, a release folder or an output folder with current/)")
    else:
        raise SourceError(path, "no such file or folder")
    return LocalFeed(Path(os.path.realpath(release)), feed)


# ---------------------------------------------------------------------------
# the walk


@dataclass
class SyncPlan:
    """What a sync does, worked out from the feed before the store is touched.

    Attributes:
        held: the release the store holds.
        version: the release the feed is at (the collection's ``version``).
        changes: graph IRI -> its newest member (``Create``, ``Update`` or
            ``Delete``), over the releases after ``held``.
        pages: pages read.
    """

    held: str
    version: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: int = 0

    @property
    def up_to_date(self) -> bool:
        return self.held == self.version


def _link(value: object) -> str | None:
    """The IRI of a link (a string or ``{"id": …}``), else None."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _page_release(iri: str, members: list[dict[str, Any]]) -> str:
    """The release a page lists the changes of: its members' ``version``,
    else its IRI's last segment (``<release>`` or ``<release>-N``)."""
    for member in members:
        if isinstance(member.get("version"), str):
            return member["version"]
    match = _PAGE_OF.match(iri.rstrip("/").rsplit("/", 1)[-1])
    return match["release"] if match else iri


def plan_sync(source: FeedSource, held: str) -> SyncPlan:
    """Read the feed ``source`` from the newest release back to ``held``.

    Raises:
        HistoryGap: the pages end before the held release (exit 4).
        SourceError: a collection or page that is not a feed document, a
            member without its type or graph, pages that loop (exit 2).
        SiteError: a feed over HTTP that cannot be reached (exit 3).
    """
    collection = source.collection()
    version = collection.get("version")
    if not isinstance(version, str) or not version:
        raise SourceError(source.label, "the collection has no version (dcat:version): not a feed of osce-kg releases")
    plan = SyncPlan(held, version)
    if plan.up_to_date:
        return plan
    link = _link(collection.get("first"))
    seen: set[str] = set()
    reached_after: str | None = None  # the release whose pages reach back to held
    oldest: str | None = None
    reached = False
    while link is not None:
        if link in seen:
            raise SourceError(source.label, f"the pages loop at {link}")
        seen.add(link)
        page = source.page(link)
        members = page.get("orderedItems", [])
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            raise SourceError(link, "orderedItems is not a list of activities")
        release = _page_release(link, members)
        if release == held or (reached_after is not None and release != reached_after):
            reached = True
            break
        plan.pages += 1
        for member in members:
            kind, graph = member.get("type"), member.get("object")
            if kind not in ACTIVITY_TYPES or not isinstance(graph, str) or not graph:
                raise SourceError(link, f"a member is no Create, Update or Delete of a graph: {display(json.dumps(member)[:200])}")
            plan.changes.setdefault(graph, member)
        oldest = release
        origin = page.get("previousVersion")
        if isinstance(origin, str) and release_of_iri(origin) == held:
            reached_after = release
        link = _link(page.get("next"))
    if not reached and reached_after is None:
        raise HistoryGap(source.label, held, oldest)
    log.info("feed %s: %d page(s) since release %s, %d graph(s) changed", source.label, plan.pages, held, len(plan.changes))
    return plan


# ---------------------------------------------------------------------------
# the graphs


def _graph_of(where: str, graph: str, data: bytes, n: int) -> Iterator[ox.Quad]:
    """The quads of ``data`` (N-Quads) as quads of ``graph``: default-graph
    triples are put into it, blank nodes are made this graph's own
    (prefixed ``g{n}``).

    Raises:
        SourceError: the data does not parse, or holds a quad of another graph.
    """
    name = ox.NamedNode(graph)

    def own(term: Any) -> Any:
        return ox.BlankNode(f"g{n}x{term.value}") if isinstance(term, ox.BlankNode) else term

    try:
        for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.DefaultGraph) and quad.graph_name != name:
                raise SourceError(where, f"holds a quad of the graph {quad.graph_name}, not only of {graph}")
            yield ox.Quad(own(quad.subject), quad.predicate, own(quad.object), name)
    except SyntaxError as exc:
        raise SourceError(where, f"the quads of the graph {graph} do not parse: {' '.join(str(exc).split())}") from exc


def _read_graphs(source: FeedSource, plan: SyncPlan) -> Iterator[tuple[str, list[ox.Quad]]]:
    """The quads of every graph ``plan`` creates or updates, graph by graph
    (in IRI order), read and checked (:func:`_graph_of`).

    Raises:
        SourceError: a graph that cannot be read, does not parse, holds
            another graph's quads or none.
        SiteError: a feed server that cannot be reached.
    """
    source.prepare([graph for graph, member in plan.changes.items() if member["type"] != "Delete"])
    for n, (graph, member) in enumerate(sorted(plan.changes.items())):
        if member["type"] == "Delete":
            continue
        result = member.get("result")
        href = _link(result.get("href") if isinstance(result, dict) else result)
        where, data = source.graph_quads(graph, href)
        batch = list(_graph_of(where, graph, data, n))
        if not batch:
            raise SourceError(where, f"holds no quad of the graph {graph}, which the feed says release {member.get('version')} has")
        log.debug("sync: %s: %d quads from %s", graph, len(batch), where)
        yield graph, batch


def _write_graphs(source: FeedSource, plan: SyncPlan, target: Path) -> tuple[int, int]:
    """Write the quads of every graph ``plan`` creates or updates into the
    N-Quads file ``target``; returns (graphs, quads)."""
    graphs = quads = 0
    with open(target, "wb") as fh:
        for _graph, batch in _read_graphs(source, plan):
            ox.serialize(batch, fh, format=ox.RdfFormat.N_QUADS)
            graphs += 1
            quads += len(batch)
    return graphs, quads


def _kinds(plan: SyncPlan) -> dict[str, list[str]]:
    """The graphs of ``plan`` by the type of their newest member, sorted."""
    kinds: dict[str, list[str]] = {kind: [] for kind in ACTIVITY_TYPES}
    for graph, member in sorted(plan.changes.items()):
        kinds[member["type"]].append(graph)
    return kinds


# ---------------------------------------------------------------------------
# the sync


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync did.

    Attributes:
        feed: FEED, as shown in messages.
        held: the release the store held before.
        version: the release it holds now.
        created / updated / deleted: graph IRIs, sorted.
        quads: quads read for the created and updated graphs.
        load: the new generation of an embedded store (None when it was
            up to date, and for a remote store).
    """

    feed: str
    held: str
    version: str
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    quads: int = 0
    load: LoadOutcome | None = None

    @property
    def up_to_date(self) -> bool:
        """True when the store held the feed's release already (nothing done)."""
        return self.held == self.version


def sync_store(
    feed: str | FeedSource,
    store: Path,
    *,
    since: str | None = None,
    policy: RetryPolicy | None = None,
    progress: LoadProgress | None = None,
    index: Indexer | None = None,
    transport: httpx.BaseTransport | None = None,
) -> SyncOutcome:
    """Bring the embedded store folder ``store`` up to the release of the
    change feed ``feed`` (a URL or path, :func:`open_feed`; or an open
    source), in one step (see the module doc). ``since`` is the release the
    store holds when it records none (a store loaded from other files);
    ``index`` is the listing index built in the new generation (the CLI's:
    :data:`osce_kg.sparql.listing.INDEXER`); ``progress`` gets the phases of
    the load.

    Raises:
        StoreError: no store at ``store``, or it is written by another
            process, or changed meanwhile (exit 3); the store is unchanged.
        UsageError: the store records no release and ``since`` is not given,
            or ``since`` differs from the release it records (exit 2).
        HistoryGap: the feed's history does not reach back to the held
            release (exit 4).
        SourceError: a feed document or graph that cannot be read or parsed
            (exit 2); SiteError: a feed server that cannot be reached (exit 3).
    """
    store = Path(store)
    if not store.is_dir() or not (store / "CURRENT").is_file():
        raise StoreError(f"no store at {store} (load a release into it first: osce-kg load RELEASE --store {store})")
    recorded = held_release(store)
    if recorded is not None and since is not None and since != recorded:
        raise UsageError(f"the store {store} holds release {recorded}, not {since}; leave out --since")
    held = recorded or since
    if held is None:
        raise UsageError(
            f"the store {store} records no release (it was loaded from other files than a release's dumps); "
            "give the release it holds (--since VERSION) or load a release into it (osce-kg load RELEASE --store PATH)"
        )
    source = open_feed(feed, policy=policy, transport=transport) if isinstance(feed, str) else feed
    try:
        plan = plan_sync(source, held)
        if plan.up_to_date:
            log.info("the store %s holds release %s, the feed's: nothing to do", store, held)
            return SyncOutcome(source.label, held, plan.version)
        kinds = _kinds(plan)
        with tempfile.TemporaryDirectory(prefix="osce-kg-sync-") as scratch:
            graphs_file = Path(scratch) / "graphs.nq"
            _, quads = _write_graphs(source, plan, graphs_file)
            outcome = bulk_load_store(
                store, [graphs_file], progress=progress, indexer=index, drop=kinds["Delete"], version=plan.version,
                expect_version=recorded,
            )
    finally:
        source.close()
    log.info(
        "synced %s from release %s to %s: %d graph(s) created, %d updated, %d deleted",
        store, held, plan.version, len(kinds["Create"]), len(kinds["Update"]), len(kinds["Delete"]),
    )
    return SyncOutcome(source.label, held, plan.version, tuple(kinds["Create"]), tuple(kinds["Update"]), tuple(kinds["Delete"]), quads, outcome)


# ---------------------------------------------------------------------------
# a remote store


def read_state(path: Path) -> str | None:
    """The release a remote store holds, as the state file ``path`` of its
    syncs records it (``{"version": …, "endpoint": …, "feed": …}``); None
    when there is no such file.

    Raises:
        SourceError: a state file that is not such a JSON object.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        state = json.loads(text)
    except ValueError as exc:
        raise SourceError(path, f"not a sync state file (JSON): {exc}") from exc
    if not isinstance(state, dict) or not isinstance(state.get("version"), str):
        raise SourceError(path, "not a sync state file: no \"version\"")
    return state["version"]


def _write_state(path: Path, state: dict[str, str]) -> None:
    """Write the state file ``path`` whole or not at all (a temporary file
    beside it, moved into place)."""
    path = Path(path)
    try:
        with atomic_output(path) as out:
            out.write((json.dumps(state, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise SourceError(path, f"cannot write the sync state: {exc.strerror or exc}") from exc


def sync_endpoint(
    feed: str | FeedSource,
    endpoint: str,
    state: Path,
    *,
    since: str | None = None,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> SyncOutcome:
    """Bring the remote store whose SPARQL 1.1 Update service is
    ``endpoint`` up to the release of the feed ``feed``, as
    :func:`sync_store` does an embedded one, in one update request
    (:func:`osce_kg.store.remote.update_endpoint`: ``DROP SILENT GRAPH`` of
    every changed graph, then ``INSERT DATA`` of the created and updated
    ones; Oxigraph and Fuseki run it as one transaction). The release the
    store holds is kept in the local JSON file ``state`` (``since`` when
    there is none yet: the store was loaded from that release's dumps),
    written once the store has answered. A sync that fails before the
    update changes nothing; should the state file then not be written, the
    next sync replays the same graphs (replacing a graph is idempotent).

    Raises:
        UsageError: no state file and no ``since``, or ``since`` differs
            from the state; an endpoint that is not http(s).
        HistoryGap, SourceError, SiteError: as :func:`sync_store`.
        StoreError: the store fails or refuses the update (exit 3).
    """
    recorded = read_state(state)
    if recorded is not None and since is not None and since != recorded:
        raise UsageError(f"{state} says the store holds release {recorded}, not {since}; leave out --since")
    held = recorded or since
    if held is None:
        raise UsageError(f"no sync state {state} yet: give the release the store holds (--since VERSION, the release whose dumps were loaded)")
    source = open_feed(feed, policy=policy, transport=transport) if isinstance(feed, str) else feed
    try:
        plan = plan_sync(source, held)
        if plan.up_to_date:
            log.info("%s holds release %s, the feed's: nothing to do", public_url(endpoint), held)
            return SyncOutcome(source.label, held, plan.version)
        kinds = _kinds(plan)
        update = [f"DROP SILENT GRAPH <{graph}> ;\n" for graph in sorted(plan.changes)]
        update.append("INSERT DATA {\n")
        quads = 0
        for graph, batch in _read_graphs(source, plan):
            triples = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in batch], format=ox.RdfFormat.N_TRIPLES) or b""
            update += [f"GRAPH <{graph}> {{\n", triples.decode("utf-8"), "}\n"]
            quads += len(batch)
        update.append("}\n")
        update_endpoint(endpoint, "".join(update), credentials=credentials, policy=policy, what=f"sync to release {plan.version}")
    finally:
        source.close()
    _write_state(state, {"version": plan.version, "endpoint": public_url(endpoint), "feed": source.label})
    log.info(
        "synced %s from release %s to %s: %d graph(s) created, %d updated, %d deleted",
        public_url(endpoint), held, plan.version, len(kinds["Create"]), len(kinds["Update"]), len(kinds["Delete"]),
    )
    return SyncOutcome(source.label, held, plan.version, tuple(kinds["Create"]), tuple(kinds["Update"]), tuple(kinds["Delete"]), quads, None)
