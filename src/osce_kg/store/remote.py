"""Remote stores over HTTP: the SPARQL 1.1 Graph Store HTTP Protocol
(``load --endpoint``) and SPARQL 1.1 Protocol queries (``query
--endpoint``), with authentication and retries.


Remote store: one ``PUT {endpoint}?graph={iri}`` per graph with the graph as
``application/n-triples`` (SPARQL 1.1 Graph Store HTTP Protocol, §5.3:
PUT replaces the graph in one request, so no graph is ever half-loaded);
Oxigraph (``/store``), Fuseki (``/{dataset}/data``), GraphDB
(``/repositories/{id}/rdf-graphs/service``) and Virtuoso
(``/sparql-graph-crud-auth``, with authentication) speak it. Credentials
come from options or the environment (``OSCE_KG_USER``,
``OSCE_KG_PASSWORD``, read by the CLI) and are never printed: messages name
the endpoint without its user-info. They are sent as HTTP Basic, and as HTTP
Digest when the server asks for it (Virtuoso's ``-auth`` services take
Digest only; :class:`AutoAuth`), or as one scheme only
(:attr:`Credentials.scheme`).
A request that fails with a connection error, a timeout or a 5xx status is
retried ``retries`` times, waiting ``backoff``, ``2*backoff``, ``4*backoff``
... seconds; then :class:`~osce_kg.errors.StoreError` (exit code 3) names the
endpoint, the graph and the last problem. 4xx statuses are not retried.

Queries (SPARQL 1.1 Protocol, §2.1): SELECT, ASK, CONSTRUCT and DESCRIBE.
The query is parsed here first (a syntax error never reaches the store),
then sent as a GET when short, else as a form-encoded POST: the two ways
every store answers (Virtuoso does not answer a POST of
``application/sparql-query``, which ``method="direct"`` still sends).
Results are read as SPARQL JSON or XML results, graphs as N-Triples, Turtle
or RDF/XML. The endpoint must show the union of its graphs as the default
graph, as ``osce-kg serve`` does (``oxigraph serve --union-default-graph``;
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from ..errors import StoreError, UsageError
from ..guard import uses_service
from ..oxterms import OxTerm
from ..sparql_lexer import LexError, tokenize
from .dumps import CheckedGraph, GraphLoad, GraphName, check_dumps, check_graph_iri, dump_files

__all__ = [
    "AUTH_SCHEMES",
    "QUERY_METHODS",
    "QUERY_FORMS",
    "AutoAuth",
    "Credentials",
    "RetryPolicy",
    "QueryAnswer",
    "PARALLEL_FROM",
    "public_url",
    "send_with_retries",
    "load_endpoint",
    "query_form",
    "query_request",
    "query_endpoint",
    "select_endpoint",
    "update_endpoint",
]

log = logging.getLogger(__name__)

#: HTTP authentication schemes of :class:`Credentials`
AUTH_SCHEMES: tuple[str, ...] = ("auto", "basic", "digest")

#: how a query is sent (SPARQL 1.1 Protocol §2.1): ``auto`` is GET for a
#: short query, else a form-encoded POST; ``direct`` POSTs the query as
#: ``application/sparql-query`` (§2.1.3), which Virtuoso does not answer
QUERY_METHODS: tuple[str, ...] = ("auto", "get", "post", "direct")

#: longest request URL ``auto`` sends as a GET; longer queries are POSTed
GET_URL_LIMIT = 2000


class AutoAuth(httpx.Auth):
    """HTTP Basic sent with the first request; when the server refuses it
    (401) and challenges for ``Digest`` (Virtuoso's ``/sparql-auth`` and
    ``/sparql-graph-crud-auth`` take Digest only, and answer Basic with a
    401 that names no scheme), HTTP Digest (RFC 7616,
    :class:`httpx.DigestAuth`) for that request and every later one."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        self.basic_header = f"Basic {token}"
        self.digest = httpx.DigestAuth(user, password)
        self.use_digest = False

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if self.use_digest:
            yield from self.digest.auth_flow(request)
            return
        request.headers["Authorization"] = self.basic_header
        response = yield request
        if response.status_code != 401:
            return
        # Virtuoso answers Basic with a bare 401: ask again without
        # credentials to see the challenges the server offers
        del request.headers["Authorization"]
        response = yield request
        challenges = response.headers.get_list("www-authenticate") if response.status_code == 401 else []
        if any(c.strip().lower().startswith("digest") for c in challenges):
            log.debug("the server asks for HTTP Digest authentication")
            self.use_digest = True
            yield from self.digest.auth_flow(request)


@dataclass(frozen=True)
class Credentials:
    """HTTP credentials. The password is left out of ``repr``.

    Attributes:
        user: the user name.
        password: the password.
        scheme: ``basic`` (sent with every request), ``digest`` (answers the
            server's challenge) or ``auto`` (Basic, then Digest when the
            server asks for it; see :class:`AutoAuth`).
    """

    user: str
    password: str = field(default="", repr=False)
    scheme: str = "auto"

    def auth(self) -> httpx.Auth:
        """The :mod:`httpx` authentication of :attr:`scheme`.

        Raises:
            UsageError: for a scheme not in :data:`AUTH_SCHEMES`.
        """
        if self.scheme == "basic":
            return httpx.BasicAuth(self.user, self.password)
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password)
        if self.scheme == "auto":
            return AutoAuth(self.user, self.password)
        raise UsageError(f"unknown authentication scheme {self.scheme!r}; use one of: {', '.join(AUTH_SCHEMES)}")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try an HTTP request.

    Attributes:
        retries: further attempts after a failed one (connection error,
            timeout, 5xx); 0 tries once.
        backoff: seconds to wait before the first retry; doubled each time.
        timeout: seconds for connecting, reading and writing, per attempt.
    """

    retries: int = 3
    backoff: float = 0.5
    timeout: float = 30.0



@dataclass(frozen=True)
class QueryAnswer:
    """The answer to a SPARQL query, whatever its form.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        variables: the projected variables (SELECT).
        rows: one tuple per solution, aligned with ``variables``, ``None``
            where unbound (SELECT).
        boolean: the answer of an ASK query, else None.
        triples: the graph of a CONSTRUCT or DESCRIBE query.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[OxTerm | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()


#: query forms :func:`query_form` tells apart
QUERY_FORMS: tuple[str, ...] = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})


def query_form(text: str) -> str:
    """The form of the SPARQL 1.1 query ``text`` (one of :data:`QUERY_FORMS`):
    its first keyword after the prologue, on the tokens of
    :mod:`osce_kg.sparql_lexer`; the syntax is checked by Oxigraph's parser
    here (on an empty store; a query with ``SERVICE`` is not evaluated), so
    a query that does not parse never goes to any store.

    Raises:
        SyntaxError: when ``text`` is not a SPARQL 1.1 query (an update
            included); the message gives the line and column.
    """
    form = None
    try:
        for token in tokenize(text):
            word = token.text.upper()
            if token.kind in ("ws", "comment"):
                continue
            if word in QUERY_FORMS:
                form = word
                break
            if word in _UPDATE_WORDS:
                raise SyntaxError("this is a SPARQL update, not a query; updates are not run by osce-kg")
    except LexError:
        pass
    if not uses_service(text):
        ox.Store().query(text)  # raises SyntaxError
    if form is None:
        raise SyntaxError("no SELECT, ASK, CONSTRUCT or DESCRIBE in the query")
    return form


def _answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, form: str) -> QueryAnswer:
    if isinstance(result, ox.QuerySolutions) and form == "ASK":
        # Virtuoso 7 answers ASK with one solution binding __ASK_RETVAL to 1 or 0
        values = [solution[v] for solution in result for v in result.variables]
        return QueryAnswer("ASK", boolean=any(getattr(value, "value", "") in ("1", "true") for value in values))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(solution[v] for v in variables) for solution in result)
        return QueryAnswer("SELECT", variables=variables, rows=rows)
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer("ASK", boolean=bool(result))
    return QueryAnswer(form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", triples=tuple(result))



# ---------------------------------------------------------------------------
# HTTP


def public_url(url: str) -> str:
    """``url`` without user-info (``user:password@``), fit for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _redact(text: str, credentials: Credentials | None, url: str) -> str:
    parts = urlsplit(url)
    for secret in (credentials.password if credentials else "", parts.password or ""):
        if secret:
            text = text.replace(secret, "***")
    return text


def _check_endpoint(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"endpoint must be an http(s) URL, got {public_url(url)!r}")


def _client(credentials: Credentials | None, policy: RetryPolicy) -> httpx.Client:
    return httpx.Client(
        auth=credentials.auth() if credentials else None,
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
        headers={"User-Agent": "osce-kg"},
    )


def send_with_retries(
    client: httpx.Client,
    request: httpx.Request,
    *,
    what: str,
    endpoint: str,
    policy: RetryPolicy,
    credentials: Credentials | None = None,
    sleep: Callable[[float], None] = time.sleep,
    failure: Callable[[int, str], Exception] | None = None,
) -> httpx.Response:
    """Send ``request``, retrying connection errors, timeouts and 5xx
    statuses (``policy``: attempts, exponential backoff); return the first
    response with a status below 500. The one retry loop of the HTTP
    clients here (remote stores, the change feed of :mod:`.sync`).

    Raises:
        StoreError: after the last attempt, naming ``endpoint`` and ``what``;
            or what ``failure`` makes of (attempts, the last problem).
    """
    attempts = max(0, policy.retries) + 1
    problem = ""
    for attempt in range(attempts):
        try:
            response = client.send(request)
        except httpx.TransportError as exc:  # connect errors, timeouts, broken connections
            problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            if response.status_code < 500:
                return response
            problem = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
            excerpt = " ".join(response.text.split())[:200]
            if excerpt:
                problem += f": {excerpt}"
        problem = _redact(problem, credentials, str(request.url))
        if attempt + 1 < attempts:
            delay = policy.backoff * (2**attempt)
            log.warning("%s at %s: %s; retry %d/%d in %.2fs", what, endpoint, problem, attempt + 1, attempts - 1, delay)
            sleep(delay)
    if failure is not None:
        raise failure(attempts, problem)
    raise StoreError(f"{endpoint}: {what} failed after {attempts} attempt(s): {problem}")


def _graph_url(url: str, name: GraphName) -> httpx.URL:
    base = httpx.URL(url)
    if isinstance(name, ox.DefaultGraph):
        query = base.query.decode("ascii")
        return base.copy_with(query=(query + "&" if query else "").encode("ascii") + b"default")
    return base.copy_merge_params({"graph": name.value})


#: graphs of a remote load from which they are sent in parallel batches
PARALLEL_FROM = 64


def load_endpoint(
    endpoint: str,
    sources: Sequence[Path],
    *,
    graph: str | None = None,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    on_graph: Callable[[GraphLoad], None] | None = None,
    client: httpx.Client | None = None,
    parallel: int = 4,
) -> list[GraphLoad]:
    """Load the dumps ``sources`` into the remote store whose Graph Store
    Protocol service is ``endpoint`` (e.g. ``http://localhost:7878/store``):
    every dump is read and checked first (nothing is sent for a bad one),
    then one ``PUT`` per graph, body ``application/n-triples``, each replacing
    one graph in one request. From :data:`PARALLEL_FROM` graphs on (a site's
    release: one graph per page), the first graph is sent alone (the
    authentication scheme is settled on it), then the others in batches of
    ``parallel`` requests at once, a batch after the other (at most
    ``parallel`` requests in flight). The protocol has no transaction over
    several graphs: when a ``PUT`` fails, the rest of its batch is still
    awaited and the error says which graphs were replaced and which were not
    (load again to finish). ``on_graph`` is called after each graph, in the
    order of the graphs. For very large loads the store's own bulk loader is
    faster still (README, "Virtuoso, Jena, Fuseki, GraphDB").

    Raises:
        UsageError: when ``endpoint`` is not an http(s) URL, or ``parallel``
            is below 1.
        SourceError: for a dump that cannot be read or parsed.
        StoreError: when a request still fails after the retries, or the
            store answers 4xx; the message names the endpoint and the graph.
    """
    _check_endpoint(endpoint)
    check_graph_iri(graph)
    if parallel < 1:
        raise UsageError(f"--parallel must be 1 or more, got {parallel}")
    policy = policy or RetryPolicy()
    shown = public_url(endpoint)
    checked = check_dumps(dump_files(sources), graph)
    loads: list[GraphLoad] = []
    own = client is None
    http = client or _client(credentials, policy)

    def put(item: CheckedGraph) -> GraphLoad:
        label = item.name.value
        request = http.build_request(
            "PUT", _graph_url(endpoint, item.name), content=item.ntriples,
            headers={"Content-Type": "application/n-triples"},
        )
        response = send_with_retries(http, request, what=f"PUT of graph {label}", endpoint=shown, policy=policy, credentials=credentials)
        if response.status_code >= 300:
            excerpt = _redact(" ".join(response.text.split())[:200], credentials, endpoint)
            raise StoreError(
                f"{shown}: PUT of graph {label} refused: HTTP {response.status_code} {response.reason_phrase}"
                + (f": {excerpt}" if excerpt else "")
            )
        return GraphLoad(label, item.triples, response.status_code, item.source)

    def done(load: GraphLoad) -> None:
        log.info("loaded %s: %d triples, HTTP %s", load.graph, load.triples, load.status)
        loads.append(load)
        if on_graph is not None:
            on_graph(load)

    def failed(exc: StoreError) -> StoreError:
        replaced = {load.graph for load in loads}
        return StoreError(f"{exc}; {_progress_note(loads, [item for item in checked if item.name.value not in replaced])}")

    width = parallel if len(checked) >= PARALLEL_FROM else 1
    try:
        if width == 1:
            for item in checked:
                try:
                    done(put(item))
                except StoreError as exc:
                    raise failed(exc) from exc
        else:
            try:
                done(put(checked[0]))
            except StoreError as exc:
                raise failed(exc) from exc
            log.info("sending %d graphs, %d at a time", len(checked) - 1, width)
            with ThreadPoolExecutor(max_workers=width, thread_name_prefix="gsp-put") as pool:
                for start in range(1, len(checked), width):
                    futures = [pool.submit(put, item) for item in checked[start : start + width]]
                    first: StoreError | None = None
                    for future in futures:
                        try:
                            done(future.result())
                        except StoreError as exc:
                            first = first or exc
                    if first is not None:
                        raise failed(first) from first
    finally:
        if own:
            http.close()
    return loads


def update_endpoint(
    endpoint: str,
    text: str,
    *,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    what: str = "update",
    client: httpx.Client | None = None,
) -> int:
    """Send the SPARQL 1.1 Update ``text`` to the update service
    ``endpoint`` (``http://localhost:7878/update``, Fuseki's
    ``/{dataset}/update``) in one POST of ``application/sparql-update``
    (SPARQL 1.1 Protocol, §2.2.2): one request, which Oxigraph and Fuseki
    run as one transaction. Connection errors, timeouts and 5xx answers are
    retried (``policy``); ``what`` names the update in messages.

    Returns:
        the HTTP status (2xx).

    Raises:
        UsageError: when ``endpoint`` is not an http(s) URL.
        StoreError: the request fails after the retries, or the store
            refuses it (4xx); the message names the endpoint, never a password.
    """
    _check_endpoint(endpoint)
    policy = policy or RetryPolicy()
    shown = public_url(endpoint)
    http = client or _client(credentials, policy)
    try:
        request = http.build_request("POST", endpoint, content=text.encode("utf-8"), headers={"Content-Type": "application/sparql-update"})
        response = send_with_retries(http, request, what=what, endpoint=shown, policy=policy, credentials=credentials)
        if response.status_code >= 300:
            excerpt = _redact(" ".join(response.text.split())[:200], credentials, endpoint)
            raise StoreError(f"{shown}: {what} refused: HTTP {response.status_code} {response.reason_phrase}" + (f": {excerpt}" if excerpt else ""))
        return response.status_code
    finally:
        if client is None:
            http.close()


def _progress_note(done: list[GraphLoad], left: list[CheckedGraph]) -> str:
    """Which graphs a failed remote load replaced, and which it did not."""
    replaced = ", ".join(load.graph for load in done[:20]) + (" ..." if len(done) > 20 else "")
    kept = ", ".join(item.name.value for item in left[:20]) + (" ..." if len(left) > 20 else "")
    head = f"{len(done)} of {len(done) + len(left)} graph(s) were replaced before that" + (f" ({replaced})" if done else "")
    return f"{head}; not replaced: {kept}"


#: media types of graph results -> pyoxigraph format
GRAPH_RESULT_FORMATS: dict[str, ox.RdfFormat] = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

#: media types of SELECT/ASK results -> pyoxigraph format
SOLUTION_RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

_ACCEPT = {
    "SELECT": "application/sparql-results+json, application/sparql-results+xml;q=0.8",
    "ASK": "application/sparql-results+json, application/sparql-results+xml;q=0.8",
    "CONSTRUCT": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5",
    "DESCRIBE": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5",
}


def query_request(client: httpx.Client, endpoint: str, text: str, *, accept: str, method: str = "auto") -> httpx.Request:
    """The SPARQL 1.1 Protocol request (§2.1) that sends the query ``text``
    to ``endpoint``: ``get`` (§2.1.1, ``?query=`` in the URL), ``post``
    (§2.1.2, form-encoded body: what every store answers, Virtuoso included),
    ``direct`` (§2.1.3, the query as the ``application/sparql-query`` body)
    or ``auto`` (GET when the URL stays within :data:`GET_URL_LIMIT`
    characters, else form-encoded POST).

    Raises:
        UsageError: for a method not in :data:`QUERY_METHODS`.
    """
    headers = {"Accept": accept}
    if method in ("auto", "get"):
        url = httpx.URL(endpoint).copy_merge_params({"query": text})
        if method == "get" or len(str(url)) <= GET_URL_LIMIT:
            return client.build_request("GET", url, headers=headers)
        method = "post"
    if method == "post":
        return client.build_request("POST", endpoint, data={"query": text}, headers=headers)
    if method == "direct":
        headers["Content-Type"] = "application/sparql-query; charset=utf-8"
        return client.build_request("POST", endpoint, content=text.encode("utf-8"), headers=headers)
    raise UsageError(f"unknown query method {method!r}; use one of: {', '.join(QUERY_METHODS)}")


def query_endpoint(
    endpoint: str,
    text: str,
    *,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    client: httpx.Client | None = None,
    method: str = "auto",
) -> QueryAnswer:
    """Send the query ``text`` (any form; its syntax is checked first, by
    :func:`query_form`) to the SPARQL endpoint ``endpoint`` (e.g.
    ``http://localhost:7878/query``, Virtuoso's ``http://host:8890/sparql``,
    Fuseki's ``http://host:3030/ds/query``) as :func:`query_request` builds
    it, and read the answer: SPARQL JSON or XML results (SELECT, ASK),
    N-Triples, Turtle or RDF/XML (CONSTRUCT, DESCRIBE).

    Raises:
        SyntaxError: when ``text`` does not parse (nothing is sent).
        UsageError: for a non-http(s) endpoint or an unknown method.
        StoreError: when the request fails after the retries, the endpoint
            answers 4xx (its message, e.g. a syntax error, is quoted), or the
            answer cannot be read.
    """
    form = query_form(text)
    _check_endpoint(endpoint)
    policy = policy or RetryPolicy()
    shown = public_url(endpoint)
    own = client is None
    http = client or _client(credentials, policy)
    try:
        request = query_request(http, endpoint, text, accept=_ACCEPT[form], method=method)
        response = send_with_retries(http, request, what="query", endpoint=shown, policy=policy, credentials=credentials)
        if response.status_code >= 300:
            excerpt = _redact(" ".join(response.text.split())[:300], credentials, endpoint)
            raise StoreError(f"{shown}: query refused: HTTP {response.status_code} {response.reason_phrase}" + (f": {excerpt}" if excerpt else ""))
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if form in ("SELECT", "ASK"):
                if media not in SOLUTION_RESULT_FORMATS:
                    raise StoreError(f"{shown} answered {media or 'no content type'}, not SPARQL query results")
                return _answer(ox.parse_query_results(response.content, format=SOLUTION_RESULT_FORMATS[media]), form)
            if media not in GRAPH_RESULT_FORMATS:
                raise StoreError(f"{shown} answered {media or 'no content type'}, not an RDF graph")
            triples = tuple(
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(response.content, format=GRAPH_RESULT_FORMATS[media], base_iri=str(request.url))
            )
            return QueryAnswer(form, triples=triples)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{shown}: unreadable query results: {' '.join(str(exc).split())}") from exc
    finally:
        if own:
            http.close()


def select_endpoint(
    endpoint: str,
    text: str,
    *,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
    client: httpx.Client | None = None,
    method: str = "auto",
) -> tuple[tuple[str, ...], list[tuple[OxTerm | None, ...]]]:
    """Send the SELECT query ``text`` to ``endpoint`` (see
    :func:`query_endpoint`).

    Returns:
        (variable names, rows of pyoxigraph terms or None for unbound).

    Raises:
        SyntaxError: when ``text`` does not parse.
        UsageError: for a non-http(s) endpoint, or a query that is not SELECT.
        StoreError: when the request fails after the retries or the endpoint
            answers 4xx.
    """
    answer = query_endpoint(endpoint, text, credentials=credentials, policy=policy, client=client, method=method)
    if answer.form != "SELECT":
        raise UsageError(f"this is a {answer.form} query; a SELECT query is needed here")
    return answer.variables, list(answer.rows)


