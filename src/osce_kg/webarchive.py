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

from .errors import SourceError

__all__ = [
    "METADATA_SUFFIX",
    "PAGE_MEDIA_TYPES",
    "PageMetadata",
    "WarcRecordRef",
    "format_time",
    "is_warc",
    "metadata_path",
    "parse_http_date",
    "parse_time",
    "read_metadata",
    "scan_warc",
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
    from .serialize import atomic_output

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
    """

    offset: int
    uri: str
    key: str
    media_type: str
    date: str


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


def scan_warc(path: Path) -> list[WarcRecordRef]:
    """The page records of the WARC file ``path`` (see the module doc), in
    key order; one pass over the record headers.

    Raises:
        SourceError: naming the file when it is not a readable WARC file.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    latest: dict[str, tuple[str, int, WarcRecordRef]] = {}
    try:
        with path.open("rb") as fh:
            iterator = ArchiveIterator(fh)
            for position, record in enumerate(iterator):
                if record.format != "warc":
                    raise SourceError(path, f"not a WARC file (a record at byte {iterator.get_record_offset()} is no WARC record)")
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                media = _page_media(record)
                if not uri or media is None:
                    continue
                offset = iterator.get_record_offset()
                date = record.rec_headers.get_header("WARC-Date") or ""
                ref = WarcRecordRef(offset, uri, url_key(uri, media), media, date)
                previous = latest.get(ref.key)
                if previous is None or (date, position) >= previous[:2]:
                    latest[ref.key] = (date, position, ref)
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    except (ArchiveLoadFailed, ValueError, EOFError) as exc:
        raise SourceError(path, f"not a valid WARC file: {exc}") from exc
    return [latest[key][2] for key in sorted(latest)]


@dataclass(frozen=True)
class WarcPage:
    """The content and provenance of one WARC response record."""

    raw: bytes
    uri: str
    date: dt.datetime
    record_id: str | None
    last_modified: dt.datetime | None


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
    except StopIteration as exc:
        raise SourceError(path, f"record {uri}: no record at offset {offset}; the file changed") from exc
    except OSError as exc:
        raise SourceError(path, f"record {uri}: cannot read: {exc.strerror or exc}") from exc
    except (ArchiveLoadFailed, ValueError, EOFError) as exc:
        raise SourceError(path, f"record {uri}: not a valid WARC record: {exc}") from exc
    try:
        date = parse_time(date_text)
    except ValueError as exc:
        raise SourceError(path, f"record {uri}: bad WARC-Date {date_text!r}") from exc
    return WarcPage(raw, uri, date, record_id.strip("<>") if record_id else None, last_modified)
