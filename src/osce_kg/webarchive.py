"""Fetched pages on disk and in web archives: page keys of URLs, the
metadata sidecar of a fetched page, and WARC files (``.warc``, ``.warc.gz``)
read record by record as sources of a build.

A page fetched from a URL is stored under the key :func:`url_key` gives:
``{host}[-{port}]/{path}`` with the suffix of its media type (``.html``,
``.txt``; ``.xml`` for sitemaps), so that the folder written by ``osce-kg
fetch`` and the WARC it wrote give each page the same key, hence the same
named graph. Next to each file, ``{file}.fetch.json`` (:class:`PageMetadata`)
records the URL, the final URL after redirects, the HTTP status, the content
type, the fetch time, the SHA-256 and SHA-1 of the body, the validators
(``ETag``, ``Last-Modified``) and the WARC record id when one was written.

In a WARC file, each ``response`` record with status 200 and a page media
type (``text/html``, ``application/xhtml+xml``, ``text/plain``) is a page;
its key comes from its ``WARC-Target-URI``. When several response records
have the same target URI, the latest (by ``WARC-Date``, then position) is the
page. Records are found by one pass over the file (headers only; content is
skipped, not unpacked to disk) and each is read later by seeking to its offset.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import SourceError, display
from .serialize import atomic_output

__all__ = [
    "METADATA_SUFFIX",
    "PAGE_MEDIA_TYPES",
    "PageMetadata",
    "WarcDamage",
    "WarcRecordRef",
    "WarcScan",
    "format_time",
    "is_warc",
    "metadata_path",
    "parse_http_date",
    "parse_time",
    "read_metadata",
    "scan_warc",
    "scan_warc_records",
    "read_warc_record",
    "url_key",
    "write_metadata",
]

logger = logging.getLogger(__name__)

#: suffix of the metadata sidecar of a fetched page (``page.html.fetch.json``)
METADATA_SUFFIX = ".fetch.json"

#: media type -> file suffix of a page
PAGE_MEDIA_TYPES: dict[str, str] = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt"}

#: media types of sitemaps (stored with ``.xml``, never a page of the build)
SITEMAP_MEDIA_TYPES = frozenset({"application/xml", "text/xml"})

_SUFFIX_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".xml": "application/xml"}
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")
_MAX_SEGMENT = 120


def _digest8(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def media_type_of(content_type: str | None) -> str | None:
    """The media type of a ``Content-Type`` value, lower-case, without parameters."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def url_key(url: str, content_type: str | None = None) -> str:
    """The key (relative path, ``/`` separators) a page fetched from ``url``
    is stored under: ``{host}[-{port}]/{path segments}``, ``index`` for a
    path ending in ``/``, 8 hex digits of the query's hash appended to the
    last segment when there is a query, unsafe characters replaced (and a
    hash appended), and the suffix of ``content_type`` (``.html``, ``.txt``,
    ``.xml``) appended unless the name already has a suffix of that type.

    >>> url_key("https://www.osce.org/news/item-1", "text/html; charset=utf-8")
    'www.osce.org/news/item-1.html'
    >>> url_key("http://127.0.0.1:8080/a/page.txt?x=1", "text/plain")
    '127.0.0.1-8080/a/page-1f206b11.txt'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "unknown-host").lower()
    default_port = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != default_port:
        host = f"{host}-{port}"
    raw_segments = parts.path.split("/")
    segments = [s for s in raw_segments if s not in ("", ".", "..")]
    if not segments or parts.path.endswith("/"):
        segments.append("index")
    safe: list[str] = []
    for segment in segments:
        text = unquote(segment)
        if not _SAFE_SEGMENT.match(text) or len(text) > _MAX_SEGMENT or text.startswith("."):
            cleaned = _UNSAFE_CHARS.sub("_", text).strip("._")[:_MAX_SEGMENT] or "x"
            text = f"{cleaned}-{_digest8(segment)}"
        safe.append(text)
    name = safe[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    suffix = f".{ext.lower()}" if ext else ""
    media = media_type_of(content_type)
    wanted = PAGE_MEDIA_TYPES.get(media or "") or (".xml" if media in SITEMAP_MEDIA_TYPES else None)
    if parts.query:
        stem = f"{stem}-{_digest8(parts.query)}"
    if wanted is not None and _SUFFIX_TYPES.get(suffix) != _SUFFIX_TYPES[wanted]:
        name = f"{stem}{suffix}{wanted}" if suffix else f"{stem}{wanted}"
    else:
        name = f"{stem}{suffix}"
    return "/".join([host, *safe[:-1], name])


def format_time(moment: dt.datetime) -> str:
    """``moment`` in UTC to the second, as ``2024-05-06T07:08:09Z`` (the WARC-Date form)."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> dt.datetime:
    """The inverse of :func:`format_time` (any ISO 8601 date-time; UTC when no offset)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def parse_http_date(text: str | None) -> dt.datetime | None:
    """An HTTP date (``Last-Modified``) as an aware UTC datetime, or ``None``."""
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


@dataclass
class PageMetadata:
    """What the fetch of one page recorded (the ``.fetch.json`` sidecar).

    Attributes:
        url: the URL requested.
        final_url: the URL of the response, after redirects (the page's
            ``schema:url`` and WARC target URI).
        status: HTTP status of the final response (200).
        content_type: its ``Content-Type`` header.
        fetched: when the body was fetched (UTC, to the second).
        sha256 / sha1: hex SHA-256 of the body; base32 SHA-1 of the body as
            in ``WARC-Payload-Digest`` (``sha1:...``).
        bytes: length of the body.
        etag / last_modified: the validators of the response, sent back in
            ``If-None-Match`` / ``If-Modified-Since`` by the next fetch.
        redirects: the URLs redirected from, in order.
        warc_record_id: ``WARC-Record-ID`` of the response record, when a
            WARC file was written.
        checked: when the page was last confirmed unchanged (304), if ever.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    fetched: str
    sha256: str
    sha1: str
    bytes: int
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)
    warc_record_id: str | None = None
    checked: str | None = None

    def to_json(self) -> str:
        """The sidecar text (sorted keys, one field a line)."""
        return json.dumps(asdict(self), indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PageMetadata:
        """Parse a sidecar text. Raises ``ValueError`` (or ``KeyError``/``TypeError``) when malformed."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        meta = cls(**known)
        parse_time(meta.fetched)
        return meta


def metadata_path(page: Path) -> Path:
    """The sidecar of the page file ``page``: ``page`` + ``.fetch.json``."""
    return page.with_name(page.name + METADATA_SUFFIX)


def read_metadata(page: Path) -> PageMetadata | None:
    """The metadata of the fetched page file ``page``, or ``None`` when it has no sidecar.

    Raises:
        SourceError: naming the page and its sidecar when it is not valid metadata.
    """
    sidecar = metadata_path(page)
    try:
        text = sidecar.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SourceError(page, f"cannot read its metadata {sidecar.name}: {exc.strerror or exc}") from exc
    try:
        return PageMetadata.from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(page, f"its metadata {sidecar.name} is not valid fetch metadata: {exc}") from exc


def write_metadata(page: Path, meta: PageMetadata) -> None:
    """Write the sidecar of ``page`` atomically."""
    with atomic_output(metadata_path(page)) as fh:
        fh.write(meta.to_json().encode("utf-8"))


# --------------------------------------------------------------------------- WARC


def is_warc(path: Path) -> bool:
    """True for a ``.warc`` or ``.warc.gz`` file name."""
    name = path.name.lower()
    return name.endswith(".warc") or name.endswith(".warc.gz")


@dataclass(frozen=True)
class WarcRecordRef:
    """A page's response record in a WARC file, found but not read.

    Attributes:
        offset: byte offset of the record in the file.
        uri: its ``WARC-Target-URI``.
        key: the page key (:func:`url_key` of the URI and media type).
        media_type: ``text/html`` or ``text/plain``, from the HTTP ``Content-Type``.
        date: its ``WARC-Date``.
        damage: for a damaged record (:class:`WarcDamage`), the line that
            names it; reading it raises that as the reason.
    """

    offset: int
    uri: str
    key: str
    media_type: str
    date: str
    damage: str | None = None


def _page_media(record) -> str | None:  # type: ignore[no-untyped-def]
    """The page media type of a response record, or ``None`` when it is not a page."""
    http = record.http_headers
    if http is None:
        return None
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return None
    if status != 200:
        return None
    media = media_type_of(http.get_header("Content-Type"))
    return "text/html" if media == "application/xhtml+xml" else media if media in PAGE_MEDIA_TYPES else None


@dataclass(frozen=True)
class WarcDamage:
    """A WARC record that cannot be read whole: truncated, its block digest
    wrong, or no record where one should begin.

    Attributes:
        offset: byte offset of the record (or of the unreadable bytes).
        uri: its ``WARC-Target-URI`` when its headers could be read.
        record_id: its ``WARC-Record-ID`` (without ``<>``) when known.
        rec_type: its ``WARC-Type`` when known.
        reason: what is wrong, in a few words.
    """

    offset: int
    uri: str | None
    record_id: str | None
    rec_type: str | None
    reason: str

    def describe(self) -> str:
        """One line naming the record: id, target URI, offset, reason."""
        if self.record_id or self.uri:
            what = f"{self.rec_type or 'record'} record {self.record_id or '(no id)'} of {self.uri or '(no target URI)'} at byte {self.offset}"
        else:
            what = f"a record at byte {self.offset}"
        return display(f"{what}: {self.reason}; skipped")


@dataclass(frozen=True)
class WarcScan:
    """What one pass over a WARC file found: the page records (as
    :func:`scan_warc` gives them) and the damaged records."""

    pages: list[WarcRecordRef]
    damaged: list[WarcDamage]


#: where a record may begin, to read on after a damaged one: a gzip member,
#: or a WARC version line at the start of a line
_GZIP_START = b"\x1f\x8b\x08"
_WARC_START = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")


def _next_start(fh, after: int, compressed: bool) -> int | None:  # type: ignore[no-untyped-def]
    """The offset of the first place after ``after`` where a record may begin, or None."""
    position = after
    carry = b""
    while True:
        fh.seek(position)
        chunk = fh.read(1 << 20)
        if not chunk:
            return None
        data = carry + chunk
        base = position - len(carry)
        if compressed:
            found = data.find(_GZIP_START)
            if found >= 0:
                return base + found
        else:
            match = _WARC_START.search(data)
            if match is not None:
                return base + match.start(1)
        carry = data[-16:]
        position += len(chunk)


#: the headers every WARC record has (WARC 1.1, section 5)
_REQUIRED_HEADERS = ("WARC-Record-ID", "Content-Length", "WARC-Date", "WARC-Type")


def _quiet_iterator(fh):  # type: ignore[no-untyped-def]
    """A warcio ``ArchiveIterator`` over ``fh`` that checks digests and,
    instead of writing a warning with the raw bytes to standard error when
    a record is not followed by its blank lines, counts it in ``err_count``."""
    from warcio.archiveiterator import ArchiveIterator

    class Quiet(ArchiveIterator):  # type: ignore[misc]
        def _consume_blanklines(self):  # type: ignore[no-untyped-def]
            empty_size = 0
            first_line = True
            while True:
                line = self.reader.readline()
                if len(line) == 0:
                    return None, empty_size
                stripped = line.rstrip()
                if len(stripped) == 0 or first_line:
                    empty_size += len(line)
                    if len(stripped) != 0:
                        self.err_count += 1
                    first_line = False
                    continue
                return line, empty_size

    return Quiet(fh, check_digests=True)


def _read_one(fh, offset: int):  # type: ignore[no-untyped-def]
    """Read the record at ``offset`` whole: (record, next offset, damage
    reason or None). Raises what warcio and zlib raise for bytes that are
    no record."""
    fh.seek(offset)
    iterator = _quiet_iterator(fh)
    record = next(iterator)
    expected = record.length
    got = record.http_headers.total_len if record.http_headers is not None and record.rec_type in ("response", "request", "revisit") else 0
    while chunk := record.raw_stream.read(1 << 16):
        got += len(chunk)
    iterator.read_to_end()
    reason = None
    inflater = iterator.reader.decompressor
    missing = [name for name in _REQUIRED_HEADERS if not record.rec_headers.get_header(name)] if record.format == "warc" else []
    if missing:
        reason = f"its headers lack {', '.join(missing)} (cut?)"
    elif expected is not None and got < int(expected):
        reason = f"truncated ({got} of {expected} bytes)"
    elif inflater is not None and not getattr(inflater, "eof", True):
        reason = "truncated (its gzip member ends early)"
    elif record.digest_checker.passed is False:
        reason = "its block or payload digest does not match its content"
    elif iterator.err_count:
        reason = "not followed by the blank lines that end a record (a wrong Content-Length?)"
    return record, iterator.offset, reason


def scan_warc_records(path: Path) -> WarcScan:
    """The page records of the WARC file ``path`` (see the module doc) and
    its damaged records. Each record is read whole once (its length and,
    when it has them, its digests checked); after a damaged record the file
    is searched for the next place a record begins (a gzip member, a
    ``WARC/1.x`` line) and read on from there, so one bad record costs no
    others where the format allows.

    Raises:
        SourceError: naming the file when it cannot be opened or holds no
            WARC record at all.
    """
    latest: dict[str, tuple[str, int, WarcRecordRef]] = {}
    damaged: list[WarcDamage] = []
    read_any = False
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            compressed = fh.read(3) == _GZIP_START
            offset = 0
            position = 0
            while offset < size:
                try:
                    record, following, reason = _read_one(fh, offset)
                except StopIteration:
                    fh.seek(offset)
                    if fh.read(1 << 16).strip(b"\r\n\x00"):
                        damaged.append(WarcDamage(offset, None, None, None, "a record cut before the end of its headers"))
                    break
                except Exception as exc:  # noqa: BLE001 - warcio raises many kinds (AttributeError too) for bytes that are no record
                    if isinstance(exc, OSError) and exc.errno is not None:
                        raise
                    if not read_any and offset == 0:
                        raise SourceError(path, f"not a WARC file (no WARC record at byte 0: {_short(exc)})") from None
                    damaged.append(WarcDamage(offset, None, None, None, f"no readable WARC record ({_short(exc)})"))
                    nxt = _next_start(fh, offset + 1, compressed)
                    if nxt is None:
                        break
                    offset = nxt
                    continue
                if record.format != "warc":
                    if not read_any:
                        raise SourceError(path, f"not a WARC file (a record at byte {offset} is no WARC record)")
                    damaged.append(WarcDamage(offset, None, None, None, "not a WARC record"))
                    reason = reason or "not a WARC record"
                read_any = True
                headers = record.rec_headers
                uri = headers.get_header("WARC-Target-URI")
                record_id = (headers.get_header("WARC-Record-ID") or "").strip("<>") or None
                if reason is not None:
                    if record.format == "warc":
                        damaged.append(WarcDamage(offset, uri, record_id, record.rec_type, reason))
                    nxt = _next_start(fh, offset + 1, compressed)
                    if nxt is None:
                        break
                    offset = nxt
                    continue
                if following <= offset:  # pragma: no cover - warcio reports no progress
                    break
                this, offset = offset, following
                position += 1
                if record.rec_type != "response":
                    continue
                media = _page_media(record)
                if not uri or media is None:
                    continue
                date = headers.get_header("WARC-Date") or ""
                ref = WarcRecordRef(this, uri, url_key(uri, media), media, date)
                previous = latest.get(ref.key)
                if previous is None or (date, position) >= previous[:2]:
                    latest[ref.key] = (date, position, ref)
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    return WarcScan([latest[key][2] for key in sorted(latest)], damaged)


def _short(exc: BaseException) -> str:
    """A one-line reason of a reading error, without the raw bytes warcio quotes."""
    text = str(exc).split(":", 1)[0] if "first line" in str(exc) else str(exc)
    return display(" ".join(text.split())[:120]) or type(exc).__name__


def scan_warc(path: Path) -> list[WarcRecordRef]:
    """The page records of the WARC file ``path`` (see the module doc), in
    key order (:func:`scan_warc_records`; damaged records are logged).

    Raises:
        SourceError: naming the file when it is not a readable WARC file.
    """
    scan = scan_warc_records(path)
    for damage in scan.damaged:
        logger.error("%s: %s", display(path), damage.describe())
    return scan.pages


@dataclass(frozen=True)
class WarcPage:
    """The content and provenance of one WARC response record."""

    raw: bytes
    uri: str
    date: dt.datetime
    record_id: str | None
    last_modified: dt.datetime | None
    content_type: str | None = None


def read_warc_record(path: Path, offset: int, uri: str, max_bytes: int | None = None) -> WarcPage:
    """Read the response record at ``offset`` of ``path`` (its HTTP payload,
    transfer and content encodings removed).

    Raises:
        SourceError: naming the file and the URI when the record cannot be read.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            found = record.rec_headers.get_header("WARC-Target-URI")
            if found != uri:
                raise SourceError(path, f"record {uri}: the record at offset {offset} is {found!r}; the file changed")
            raw = record.content_stream().read() if max_bytes is None else record.content_stream().read(max_bytes)
            date_text = record.rec_headers.get_header("WARC-Date") or ""
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            last_modified = parse_http_date(record.http_headers.get_header("Last-Modified") if record.http_headers else None)
            content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
    except StopIteration as exc:
        raise SourceError(path, f"record {uri}: no record at offset {offset}; the file changed") from exc
    except OSError as exc:
        raise SourceError(path, f"record {uri}: cannot read: {exc.strerror or exc}") from exc
    except (ArchiveLoadFailed, ValueError, EOFError, AttributeError, TypeError) as exc:
        raise SourceError(path, f"record {uri}: not a valid WARC record: {exc}") from exc
    try:
        date = parse_time(date_text)
    except ValueError as exc:
        raise SourceError(path, f"record {uri}: bad WARC-Date {date_text!r}") from exc
    return WarcPage(raw, uri, date, record_id.strip("<>") if record_id else None, last_modified, content_type)
