"""Damaged web archives (issue 21): a truncated or corrupt WARC record is
skipped and named with its record id and offset (exit 1), nothing of it is
exported, and the records after it are still read."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from osce_kg.cli import main
from osce_kg.webarchive import scan_warc_records

PAGES = 5


def page(n: int) -> bytes:
    """An invented news page."""
    return (
        f"<html lang='en'><head><title>Visit number {n}</title></head><body><article>"
        f"<h1>Chairperson visits the town of Elmsworth for the {n}th time</h1>"
        "<p>ELMSWORTH, 3 March 2021 - The Chairperson met local officials today.</p>"
        f"<p>\u201cWe must keep talking,\u201d said Ambassador Marta Quillfeather on visit {n}.</p>"
        "</article></body></html>"
    ).encode()


def write_warc(path: Path) -> list[tuple[int, str]]:
    """A WARC of :data:`PAGES` request/response pairs; (offset, record id) of each response."""
    responses = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for n in range(PAGES):
            url = f"http://example.org/p{n}"
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0))
            body = page(n)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record_id = f"urn:uuid:{uuid.uuid4()}"
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2021-03-04T00:00:00Z", "WARC-Record-ID": f"<{record_id}>"},
            )
            responses.append((fh.tell(), record_id))
            writer.write_record(record)
    return responses


def build(warc: Path, out: Path) -> tuple[int, str, str]:
    run = CliRunner().invoke(main, ["build", str(warc), "-o", str(out)])
    nq = (out / "osce-kg.nq").read_text(encoding="utf-8") if (out / "osce-kg.nq").exists() else ""
    return run.exit_code, run.output, nq


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_truncated_record_named_exit_1(tmp_path: Path, name: str) -> None:
    """The record cut in the middle is named (id and offset), not exported;
    exit 1 (it was exported in part, with exit 0)."""
    warc = tmp_path / name
    responses = write_warc(warc)
    data = warc.read_bytes()
    offset, record_id = responses[2]
    warc.write_bytes(data[: offset + (responses[3][0] - offset) // 2])
    code, output, nq = build(warc, tmp_path / "dist")
    assert code == 1, output
    line = next(line for line in output.splitlines() if record_id in line)
    assert f"at byte {offset}" in line and "http://example.org/p2" in line and "truncated" in line
    assert "http://example.org/p1" in nq and "http://example.org/p2" not in nq


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_corrupt_record_later_records_still_read(tmp_path: Path, name: str) -> None:
    """A flipped byte in a record's page: that record is named, the records after it are exported."""
    warc = tmp_path / name
    responses = write_warc(warc)
    data = bytearray(warc.read_bytes())
    offset, record_id = responses[1]
    data[(offset + responses[2][0]) // 2 + 40] ^= 0x01
    warc.write_bytes(bytes(data))
    code, output, nq = build(warc, tmp_path / "dist")
    assert code == 1, output
    assert re.search(rf"at byte {offset}\b", output)
    for n in (0, 2, 3, 4):
        assert f"http://example.org/p{n}" in nq
    assert "http://example.org/p1\"" not in nq


def test_warc_bad_record_length_later_records_still_read(tmp_path: Path) -> None:
    """A Content-Length too large swallowed every later record with a
    misleading message: now the record is named and the others are read."""
    warc = tmp_path / "crawl.warc"
    responses = write_warc(warc)
    data = warc.read_bytes()
    offset, record_id = responses[1]
    head = data[offset:].split(b"\r\n\r\n", 1)[0]
    bad_head = re.sub(rb"Content-Length: (\d+)", lambda m: b"Content-Length: " + str(int(m.group(1)) + 3000).encode(), head)
    warc.write_bytes(data[:offset] + bad_head + data[offset + len(head):])
    scan = scan_warc_records(warc)
    assert [d.record_id for d in scan.damaged] == [record_id]
    assert sorted(r.uri for r in scan.pages) == [f"http://example.org/p{n}" for n in (0, 2, 3, 4)]
    code, output, nq = build(warc, tmp_path / "dist")
    assert code == 1 and record_id in output
    assert all(f"http://example.org/p{n}" in nq for n in (0, 2, 3, 4))


def test_warc_damage_messages_are_one_line_without_raw_bytes(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc"
    responses = write_warc(warc)
    data = warc.read_bytes()
    offset = responses[3][0]
    warc.write_bytes(data[:offset] + b"\x1b[31mGARBAGE\r\n\x00\x01" * 20 + data[offset + 200:])
    scan = scan_warc_records(warc)
    assert scan.damaged
    for damage in scan.damaged:
        text = damage.describe()
        assert "\n" not in text and "\x1b" not in text and "b'" not in text
    assert "http://example.org/p4" in {r.uri for r in scan.pages}
