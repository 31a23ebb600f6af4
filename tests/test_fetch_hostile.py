"""``osce-kg fetch`` against hostile sites (issue 21), all on 127.0.0.1:
every body through one bounded reader, a deadline per request, a cap on
Crawl-delay, Ctrl-C at once, no redirect out of the sites given, UTF-16
pages accepted."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from osce_kg.fetch import MAX_ROBOTS_BYTES, FetchOptions, fetch
from tests._hostile_site import HostileSite, gzip_of_zeros, serve_hostile

FAST = FetchOptions(rate=200.0, retries=1, backoff=0.01, timeout=2.0, max_bytes=1024 * 1024)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_of_zeros(256)  # 256 MiB inflated, about 250 KiB sent


@pytest.mark.parametrize("kind", ["endless", "gzip-bomb"])
def test_fetch_robots_txt_bounded_reader(tmp_path: Path, bomb: bytes, kind: str) -> None:
    """An endless or compressed robots.txt is read to its first 512 KiB
    only (it took 14.8 GB, and 2.2 GB); the page is fetched."""
    site = HostileSite()
    site.robots, site.bomb = kind, bomb
    with serve_hostile(site):
        started = time.monotonic()
        result = fetch([site.base + "/page"], tmp_path / "pages", FAST)
    assert time.monotonic() - started < 10
    assert [o.status for o in result.outcomes] == ["fetched"]
    assert MAX_ROBOTS_BYTES == 512 * 1024


@pytest.mark.parametrize("path", ["/endless-page", "/endless-sitemap", "/bomb-page", "/bomb-sitemap"])
def test_fetch_endless_and_compressed_bodies_refused(tmp_path: Path, bomb: bytes, path: str) -> None:
    site = HostileSite()
    site.bomb = bomb
    with serve_hostile(site):
        result = fetch([site.base + path], tmp_path / "pages", FAST)
    [outcome] = result.outcomes
    assert outcome.status == "refused" and "more than the limit of 1,048,576 bytes" in outcome.reason
    assert not list((tmp_path / "pages").rglob("*.html"))


@pytest.mark.parametrize("path", ["/slow-page", "/slow-headers"])
def test_fetch_timeout_whole_request_deadline(tmp_path: Path, path: str) -> None:
    """A server sending a byte at a time held one URL 40 s at --timeout 2:
    now the request ends at its deadline, and is not retried."""
    with serve_hostile() as site:
        started = time.monotonic()
        result = fetch([site.base + path], tmp_path / "pages", FAST)
        took = time.monotonic() - started
    [outcome] = result.outcomes
    assert outcome.status == "failed" and "within 2 s (--timeout" in outcome.reason
    assert took < FAST.timeout + 1.0, took
    assert site.requests.count(path) == 1


def test_fetch_robots_txt_slow_deadline(tmp_path: Path) -> None:
    site = HostileSite()
    site.robots = "slow"
    with serve_hostile(site):
        started = time.monotonic()
        result = fetch([site.base + "/page"], tmp_path / "pages", FAST)
    assert time.monotonic() - started < FAST.timeout + 1.0
    [outcome] = result.outcomes
    assert outcome.status == "disallowed"  # robots.txt not read in time: everything disallowed (RFC 9309)


def test_fetch_crawl_delay_cap_named(tmp_path: Path) -> None:
    """``Crawl-delay: 100000`` was obeyed silently for 27 hours: the URLs are
    refused, the delay and the cap named."""
    site = HostileSite()
    site.robots = "crawl-delay"
    with serve_hostile(site):
        started = time.monotonic()
        result = fetch([site.base + "/page"], tmp_path / "pages", FAST)
    assert time.monotonic() - started < 5
    [outcome] = result.outcomes
    assert outcome.status == "refused"
    assert "Crawl-delay of 100000 s" in outcome.reason and "--max-crawl-delay 60 s" in outcome.reason
    assert result.exit_code == 1


def test_fetch_redirect_off_site_refused(tmp_path: Path) -> None:
    """A redirect to another port stored that site's page: now refused and named."""
    with serve_hostile() as other, serve_hostile() as site:
        site.redirect_to = other.base + "/page"
        result = fetch([site.base + "/away"], tmp_path / "pages", FAST)
    [outcome] = result.outcomes
    assert outcome.status == "refused" and f"redirected to {other.base}/page, outside the sites given" in outcome.reason
    assert other.requests == []
    assert not list((tmp_path / "pages").rglob("*.html"))


@pytest.mark.parametrize("path", ["/utf16le-bom", "/utf16be"])
def test_fetch_utf16_page_accepted(tmp_path: Path, path: str) -> None:
    """UTF-16 pages were refused as binary although ``build`` reads them."""
    from osce_kg.sources import find_sources, read_source

    with serve_hostile() as site:
        result = fetch([site.base + path, site.base + "/binary"], tmp_path / "pages", FAST)
    statuses = {o.url.rsplit("/", 1)[1]: o.status for o in result.outcomes}
    assert statuses == {path[1:]: "fetched", "binary": "refused"}
    [ref] = find_sources([tmp_path / "pages"])
    assert "<h1>A page</h1>" in read_source(ref).text


@pytest.mark.slow
def test_fetch_ctrl_c_exits_130_at_once(tmp_path: Path) -> None:
    """One Ctrl-C did not stop a waiting fetch: now it exits 130 at once,
    waiting between requests or in the middle of a slow body."""
    with serve_hostile() as site:
        for args in (["--rate", "0.01", site.base + "/page", site.base + "/slow-page"], ["--timeout", "60", site.base + "/slow-page"]):
            process = subprocess.Popen(
                [sys.executable, "-m", "osce_kg.cli", "fetch", "-o", str(tmp_path / "pages"), *args],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            time.sleep(3.0)
            assert process.poll() is None
            sent = time.monotonic()
            process.send_signal(signal.SIGINT)
            _out, err = process.communicate(timeout=30)
            assert process.returncode == 130, err
            assert time.monotonic() - sent < 1.5, time.monotonic() - sent
            assert "interrupted" in err
            journal = tmp_path / "pages" / ".fetch-journal.jsonl"
            assert journal.is_file() and all(json.loads(line) for line in journal.read_text().splitlines())
