"""Tests against a real SPARQL server (``oxigraph serve`` on a free loopback
port, started by the oxigraph_server fixture): loading through the SPARQL 1.1
Graph Store HTTP Protocol, the named queries through the SPARQL 1.1 Protocol,
reloading, and the faults of remote stores (unreachable, HTTP 5xx and 4xx,
credentials kept out of every message), the latter against a small local
http.server stub that counts requests.

Data: the shipped seed page, built by the lod_build fixture.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs

import httpx

import pytest
from click.testing import CliRunner

from ._lod_support import (  # noqa: F401 - fixtures
    INJECTION,
    PARAM_VALUES,
    OxigraphServer,
    SeedBuild,
    free_port,
    lod_build,
    oxigraph_server,
    rows_n3,
    stub_server,
)
from osce_kg.cli import main
from osce_kg.errors import SourceError, StoreError, UsageError
from osce_kg.sparql import get_query, list_queries, run_query, run_query_endpoint
from osce_kg.serialize import read_rdf
from osce_kg.store import Credentials, RetryPolicy, load_endpoint, public_url, select_endpoint

FAST = RetryPolicy(retries=2, backoff=0.01, timeout=120.0)  # rows compared, not timed
PASSWORD = "s3cret-Pa55word"
URL_PASSWORD = "url-secret-42"


@pytest.fixture(scope="module")
def loaded_server(oxigraph_server: OxigraphServer, lod_build: SeedBuild) -> OxigraphServer:
    """The server with the seed's quad dump, and the Turtle dump in one more
    graph (every triple in two graphs, as in a multi-page build)."""
    load_endpoint(oxigraph_server.store_url, [lod_build.folder, lod_build.file("osce-kg.ttl")], policy=FAST)
    return oxigraph_server


def test_load_through_graph_store_protocol_twice(oxigraph_server: OxigraphServer, lod_build: SeedBuild) -> None:
    nq = lod_build.file("osce-kg.nq")
    quads = sum(1 for line in nq.read_bytes().splitlines() if line)
    before = oxigraph_server.count_quads()
    loads = load_endpoint(oxigraph_server.store_url, [lod_build.folder], policy=FAST)
    assert {load.status for load in loads} <= {200, 201, 204}
    assert sum(load.triples for load in loads) == quads
    after_first = oxigraph_server.count_quads()
    assert after_first >= quads
    again = load_endpoint(oxigraph_server.store_url, [nq], policy=FAST)
    assert [(x.graph, x.triples) for x in again] == [(x.graph, x.triples) for x in loads]
    assert oxigraph_server.count_quads() == after_first, "loading again must replace, not add"
    assert before in (0, after_first)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_named_query_gives_the_rdflib_rows(loaded_server: OxigraphServer, lod_build: SeedBuild, name: str) -> None:
    query = get_query(name)
    data = read_rdf([lod_build.file("osce-kg.ttl")])
    local = run_query(data, query)
    remote = run_query_endpoint(loaded_server.query_url, query, policy=FAST)
    assert remote.variables == local.variables
    assert rows_n3(remote) == rows_n3(local)
    assert local.rows
    params = PARAM_VALUES.get(name)
    if params:
        assert rows_n3(run_query_endpoint(loaded_server.query_url, query, params, policy=FAST)) == rows_n3(run_query(data, query, params))


@pytest.mark.parametrize("value", [INJECTION, 'a" . } DELETE WHERE { ?s ?p ?o } #', "line\nbreak\\", "Håkan Jeverell"])
def test_parameter_values_cannot_change_the_query(loaded_server: OxigraphServer, lod_build: SeedBuild, value: str) -> None:
    before = loaded_server.count_quads()
    query = get_query("statements")
    data = read_rdf([lod_build.file("osce-kg.ttl")])
    remote = run_query_endpoint(loaded_server.query_url, query, {"speaker": value}, policy=FAST)
    assert rows_n3(remote) == rows_n3(run_query(data, query, {"speaker": value}))
    assert loaded_server.count_quads() == before


def test_iri_parameter_is_checked_before_sending(loaded_server: OxigraphServer) -> None:
    with pytest.raises(UsageError):
        run_query_endpoint(loaded_server.query_url, get_query("statements"), {"meeting": "http://x> } DROP ALL { <y"}, policy=FAST)


def test_cli_load_and_query_against_the_server(loaded_server: OxigraphServer, lod_build: SeedBuild) -> None:
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", str(lod_build.file("osce-kg.nq")), "--endpoint", loaded_server.store_url])
    assert loaded.exit_code == 0, loaded.output
    for line in loaded.stdout.strip().splitlines():
        graph, triples, status = line.split("\t")
        assert graph.startswith("https://w3id.org/osce-kg/id/graph/")
        assert triples.endswith(" triples") and status in ("HTTP 201", "HTTP 204", "HTTP 200")
    remote = runner.invoke(main, ["query", "participating-states", "--endpoint", loaded_server.query_url])
    local = runner.invoke(main, ["query", "participating-states", "--data", str(lod_build.file("osce-kg.ttl"))])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_syntax_errors_are_found_before_sending(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE { ?s ?p }\n", encoding="utf-8")
    with stub_server(200) as stub:
        with pytest.raises(SourceError, match="bad.rq: SPARQL syntax error") as caught:
            run_query_endpoint(stub.url + "/sparql", get_query(str(bad)), policy=FAST)
        assert caught.value.exit_code == 2
        assert stub.requests == []


def test_errors_of_the_endpoint_are_quoted() -> None:
    with stub_server(400) as stub:
        with pytest.raises(StoreError, match="HTTP 400 Bad Request: stub failure"):
            run_query_endpoint(stub.url + "/sparql", get_query("partners"), policy=FAST)
        assert len(stub.requests) == 1


# ---------------------------------------------------------------------------
# faults


def test_unreachable_endpoint_fails_after_bounded_retries(lod_build: SeedBuild) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/store"  # nothing listens there
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        load_endpoint(endpoint, [lod_build.file("osce-kg.nq")], policy=FAST)
    message = str(caught.value)
    assert endpoint in message
    assert "https://w3id.org/osce-kg/id/graph/" in message
    assert "after 3 attempt(s)" in message
    assert caught.value.exit_code == 3
    assert time.monotonic() - started < 10


def test_http_500_is_retried_then_reported(lod_build: SeedBuild) -> None:
    with stub_server(500) as stub:
        with pytest.raises(StoreError) as caught:
            load_endpoint(stub.url + "/store", [lod_build.file("osce-kg.nq")], policy=FAST)
        assert len(stub.requests) == FAST.retries + 1
        assert all(method == "PUT" for method, _, _ in stub.requests)
        message = str(caught.value)
        assert "HTTP 500" in message and stub.url in message and "graph https://w3id.org/osce-kg/id/graph/" in message
        with pytest.raises(StoreError, match="query failed after 3 attempt"):
            run_query_endpoint(stub.url + "/query", get_query("partners"), policy=FAST)


def test_http_4xx_is_not_retried(lod_build: SeedBuild) -> None:
    with stub_server(401) as stub:
        with pytest.raises(StoreError, match="HTTP 401"):
            load_endpoint(stub.url + "/store", [lod_build.file("osce-kg.nq")], policy=FAST, credentials=Credentials("me", PASSWORD, "basic"))
        assert len(stub.requests) == 1
        assert stub.requests[0][2] is not None and stub.requests[0][2].startswith("Basic ")


def test_auto_authentication_asks_for_the_challenge_once_on_401(lod_build: SeedBuild) -> None:
    """Basic refused with a bare 401 (as Virtuoso does): one request without
    credentials shows the schemes; none offered here, so the 401 stands."""
    with stub_server(401) as stub:
        with pytest.raises(StoreError, match="HTTP 401"):
            load_endpoint(stub.url + "/store", [lod_build.file("osce-kg.nq")], policy=FAST, credentials=Credentials("me", PASSWORD))
        assert [auth is not None and auth.startswith("Basic ") for _, _, auth in stub.requests] == [True, False]


def _virtuoso_like(seen: list[str | None]) -> httpx.MockTransport:
    """A server that, like Virtuoso's /sparql-graph-crud-auth, answers Basic
    with a bare 401, no credentials with a Digest challenge, and accepts a
    Digest answer for user "me"."""

    def handle(request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization")
        seen.append(auth)
        if auth is None:
            challenge = 'Digest realm="SPARQL", nonce="abc123", opaque="xyz", qop="auth", algorithm="MD5"'
            return httpx.Response(401, headers={"WWW-Authenticate": challenge})
        if auth.startswith("Digest ") and 'username="me"' in auth and 'realm="SPARQL"' in auth and "response=" in auth:
            return httpx.Response(201)
        return httpx.Response(401)

    return httpx.MockTransport(handle)


def test_auto_authentication_switches_to_digest(lod_build: SeedBuild) -> None:
    seen: list[str | None] = []
    credentials = Credentials("me", PASSWORD)
    client = httpx.Client(auth=credentials.auth(), transport=_virtuoso_like(seen))
    loads = load_endpoint("http://virtuoso.test/sparql-graph-crud-auth", [lod_build.file("osce-kg.nq")], policy=FAST, client=client)
    assert {load.status for load in loads} == {201}
    kinds = [None if a is None else a.split()[0] for a in seen]
    # first graph: Basic, probe, probe again by the Digest flow, Digest; then Digest only
    assert kinds[:4] == ["Basic", None, None, "Digest"]
    assert kinds[4:] == ["Digest"] * (len(loads) - 1)
    assert all(PASSWORD not in (a or "") for a in seen)


def test_digest_only_credentials(lod_build: SeedBuild) -> None:
    seen: list[str | None] = []
    client = httpx.Client(auth=Credentials("me", PASSWORD, "digest").auth(), transport=_virtuoso_like(seen))
    loads = load_endpoint("http://virtuoso.test/sparql-graph-crud-auth", [lod_build.file("osce-kg.nq")], policy=FAST, client=client)
    assert {load.status for load in loads} == {201}
    assert seen[:2] == [None, seen[1]] and seen[1].startswith("Digest ")
    assert len(seen) == len(loads) + 1


def test_queries_are_sent_as_get_or_form_post() -> None:
    """Virtuoso answers neither a direct application/sparql-query POST nor
    anything but GET and form-encoded POST: those are what auto sends."""
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "7"}}]}}'
        return httpx.Response(200, content=body, headers={"Content-Type": "application/sparql-results+json"})

    client = httpx.Client(transport=httpx.MockTransport(handle))
    short = "SELECT ?x WHERE { BIND(7 AS ?x) }"
    variables, rows = select_endpoint("http://virtuoso.test/sparql", short, client=client, policy=FAST)
    assert variables == ("x",) and rows[0][0].value == "7"
    assert requests[-1].method == "GET" and requests[-1].url.params["query"] == short
    long = short.replace("7 AS", "7 " + " " * 3000 + "AS")
    select_endpoint("http://virtuoso.test/sparql", long, client=client, policy=FAST)
    assert requests[-1].method == "POST"
    assert requests[-1].headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(requests[-1].content.decode("ascii"))["query"] == [long]
    select_endpoint("http://virtuoso.test/sparql", short, client=client, policy=FAST, method="direct")
    assert requests[-1].headers["Content-Type"].startswith("application/sparql-query") and requests[-1].content == short.encode()


@pytest.mark.parametrize("status", [500, None])
def test_credentials_never_appear_in_output(lod_build: SeedBuild, status: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Options, environment variables and user-info in the URL: neither the
    password nor the user-info shows up in stdout, stderr or log lines."""
    monkeypatch.setenv("OSCE_KG_PASSWORD", PASSWORD)
    monkeypatch.setenv("OSCE_KG_USER", "loader")
    runner = CliRunner()
    if status is None:
        port, stub = free_port(), None
        base = f"http://127.0.0.1:{port}"
    else:
        context = stub_server(status)
        stub = context.__enter__()
        base = stub.url
    try:
        endpoint = base.replace("http://", f"http://someone:{URL_PASSWORD}@") + "/store"
        commands = [
            ["-vv", "load", str(lod_build.file("osce-kg.nq")), "--endpoint", endpoint, "--retries", "1", "--backoff", "0"],
            ["-vv", "load", str(lod_build.file("osce-kg.nq")), "--endpoint", base + "/store", "--password", PASSWORD, "--retries", "1", "--backoff", "0"],
            ["-vv", "query", "partners", "--endpoint", endpoint.replace("/store", "/query"), "--retries", "1", "--backoff", "0"],
        ]
        for command in commands:
            result = runner.invoke(main, command)
            assert result.exit_code == 3, result.output
            text = result.stdout + result.stderr
            assert PASSWORD not in text and URL_PASSWORD not in text
            assert "127.0.0.1" in text
        if stub is not None:
            assert stub.requests and all(auth and auth.startswith("Basic ") for _, _, auth in stub.requests)
    finally:
        if status is not None:
            context.__exit__(None, None, None)


def test_public_url_drops_user_info() -> None:
    assert public_url(f"https://me:{PASSWORD}@example.org:8443/store?x=1") == "https://example.org:8443/store?x=1"
    assert public_url("http://example.org/sparql") == "http://example.org/sparql"
    assert PASSWORD not in repr(Credentials("me", PASSWORD))


def test_non_http_endpoint_is_a_usage_error(lod_build: SeedBuild) -> None:
    with pytest.raises(UsageError):
        load_endpoint("ftp://example.org/store", [lod_build.file("osce-kg.nq")])
