"""Read source pages: page dumps (``.txt``) and HTML pages (``.html``/``.htm``),
given as files or folders (searched recursively, in sorted order), and the
response records of web archives (``.warc``, ``.warc.gz`` files, read record
by record: :mod:`osce_kg.webarchive`). A page file that ``osce-kg fetch``
wrote has a ``.fetch.json`` sidecar; its URL, fetch time and WARC record id
are read into the :class:`~osce_kg.records.SourcePage` (provenance only).

Text is decoded as UTF-8 (a BOM is allowed; a UTF-16 or UTF-32 BOM selects
that encoding). A charset declared where the page was served (the HTTP
``Content-Type`` of a fetched page's metadata or of its WARC record) comes
first, then an HTML page's ``<meta charset>``, labels "iso-8859-1", "latin1"
and "us-ascii" meaning Windows-1252 as in browsers (WHATWG Encoding
Standard, section 4.2), unless the declared charset gives mojibake where
UTF-8 gives clean text. Bytes that are not valid UTF-8 and declare nothing
are given to charset-normalizer: a Cyrillic, Greek or other non-Latin code
page it detects (cp1251, koi8-r ...) is used; for Latin-script text the
language it detects decides: Polish, Czech and the other Central European
languages are read as Windows-1250 or ISO-8859-2 (the one that leaves fewer
signs inside words and letters the language does not have), the others as Windows-1252 (the legacy encoding of
Western pages) when that gives no undefined byte or control character.
UTF-16 without a BOM is recognised by its zero bytes (or its served
charset). Other NUL bytes (without a
UTF-16/32 BOM) means binary content. Text that is already mojibake (UTF-8
bytes once decoded as Windows-1252, "â€™" for "’"; Windows-1252 bytes once
decoded as Latin-1, which leaves C1 control characters such as U+0093;
Cyrillic or Greek once decoded as Windows-1252, "Ìû äîëæíû", mostly accented
Latin letters; UTF-8 once decoded as Windows-1251, "РњС‹") is rejected
rather than put into the graph. Other control characters (C0 but
tab, line breaks, form feed; DEL) are replaced by spaces, with a warning. A
page that cannot be decoded raises :class:`~osce_kg.errors.SourceError`
naming the file and the reason; a warning names the encoding used otherwise.
"""

from __future__ import annotations

import codecs
import errno
import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from .errors import SourceError, UsageError, display
from .records import SourcePage
from .webarchive import WarcRecordRef, is_warc, parse_time, read_metadata, read_warc_record, scan_warc_records

logger = logging.getLogger(__name__)

#: largest page read, in bytes (2 MiB; OSCE pages are a few to a few hundred
#: KiB): a larger file is skipped with its size and this limit as the reason,
#: so that one huge or hostile file cannot hold up a build for minutes
MAX_PAGE_BYTES = 2 * 1024 * 1024

#: deepest element nesting of an HTML page: the HTML parser's work grows
#: with the square of the depth (a 1 MB page of 100,000 nested elements took
#: minutes), and real pages nest a few dozen deep; a deeper page is skipped
MAX_HTML_DEPTH = 1000
#: tags, comments, and the content of script and style elements
_HTML_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>",
    re.DOTALL | re.IGNORECASE,
)
#: elements that never hold others, or whose end tag the parser implies at
#: the next sibling: they do not deepen the tree
_FLAT_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd option optgroup tr td th thead tbody tfoot caption colgroup rp rt".split()
)

#: file suffix -> media type
SUFFIXES: dict[str, str] = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MOJIBAKE = re.compile(r"â€[™œ\x9d”“˜¦\x93\x94]|Ã[©¨¤¶¼\xa0-\xbf]|Â[\xa0-\xbf]")
#: C1 controls: Windows-1252 bytes once decoded as Latin-1 (U+0093 for "“")
_C1 = re.compile(r"[\x80-\x9f]")
#: letters, and the accented Latin letters of Latin-1 (U+00C0-U+00FF but
#: the signs): Cyrillic or Greek text decoded as Windows-1252 is mostly
#: these ("Ìû äîëæíû"); French or German text has a few in a hundred
_LETTERS = re.compile(r"[^\W\d_]")
_LATIN1_LETTERS = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")
_LATIN1_WORD = re.compile(r"\b\w*[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]{2,}\w*\b")
#: "Р" or "С" and a sign or rare letter: UTF-8 Cyrillic decoded as Windows-1251 ("РњС‹")
_UTF8_AS_CP1251 = re.compile(
    "[\u0420\u0421][\u0402\u0403\u0409-\u040c\u040e\u040f\u0452-\u045c\u045e\u045f\u0490\u0491"
    "\u00a0-\u00bf\u2013-\u203a\u20ac\u2116\u2122]"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: C0 controls that are not white space, and DEL: never page text
_STRAY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: charset labels that browsers decode as Windows-1252 (WHATWG Encoding Standard)
_WINDOWS_1252_LABELS = {"iso8859-1", "ascii", "cp1252"}
#: encodings charset-normalizer names for Western text: such a page is read
#: as Windows-1252, the superset browsers use
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "ascii", "cp850", "cp437", "mac_roman", "iso8859_1"}
#: charset-normalizer's names of the Latin-script code pages (the others
#: are taken as detected: Cyrillic, Greek, ...)
_LATIN_FAMILY = re.compile(r"^(?:cp125[02478]|cp850|cp437|iso8859_(?:[1-49]|1[0345]|16)|latin_1|mac_(?:latin2|iceland|roman)|ascii)$")
#: languages charset-normalizer names whose legacy pages are Windows-1250 or
#: ISO-8859-2, and the letters beyond ASCII of each (lower case): a letter
#: outside them counts against a code page
_CENTRAL_EUROPEAN = {
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Slovene": "čšž",
    "Croatian": "čćđšž",
    "Bosnian": "čćđšž",
    "Serbian": "čćđšž",
    "Romanian": "ăâîșțşţ",
}
_SIGN_IN_WORD = re.compile(r"(?<=[^\W\d_])[\u00a0-\u00bf\u02c7-\u02dd]|[\u00a0-\u00bf\u02c7-\u02dd](?=[^\W\d_])")


def _unlikely_characters(raw: bytes, encoding: str, language: str) -> int:
    """How many signs (``±``, ``¶``, ``˘`` ...) stand next to a letter, and
    how many letters beyond ASCII are not of ``language``, in ``raw``
    decoded with ``encoding``: the fewer, the likelier the code page."""
    text = raw.decode(encoding, errors="replace")
    alphabet = _CENTRAL_EUROPEAN.get(language, "")
    foreign = sum(1 for ch in text if ch.isalpha() and ord(ch) > 0x7F and ch.lower() not in alphabet)
    return len(_SIGN_IN_WORD.findall(text)) + foreign + 10 * text.count("\ufffd")


_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class SourceRef:
    """A source file found on disk, not yet read: its path and its key
    (path relative to the folder it was found in; the file name for a file).
    For a page in a WARC file, ``path`` is the WARC file, ``record`` the
    response record and ``key`` the key of its target URI. ``refusal`` is
    the reason a file found is not read (a symbolic link that leads out of
    the folder given): reading it raises that."""

    path: Path
    key: str
    record: WarcRecordRef | None = None
    refusal: str | None = None


def find_sources(paths: Sequence[Path], exclude: Sequence[Path] = ()) -> list[SourceRef]:
    """The page files under ``paths`` (files, or folders searched
    recursively), but none inside the folders ``exclude`` (a build's output
    and cache folders when they lie inside a source folder: their site's
    HTML files are no pages).

    Raises:
        UsageError: when a path does not exist (a symbolic link that loops or
            points nowhere is named as such), or a file has a suffix that is
            not a page (``.txt``, ``.html``, ``.htm``) nor a WARC file.
        SourceError: when a WARC file cannot be read (naming it).
    """
    refs: list[SourceRef] = []
    skip = [Path(folder).resolve() for folder in exclude]
    for path in paths:
        path = Path(path)
        if path.is_file() and is_warc(path):
            scan = scan_warc_records(path)
            refs.extend(SourceRef(path, record.key, record) for record in scan.pages)
            for damage in scan.damaged:  # named as skipped pages (exit 1), never exported
                key = f"{path.name}@{damage.offset}"
                bad = WarcRecordRef(damage.offset, damage.uri or "", key, "text/html", "", damage=damage.describe())
                refs.append(SourceRef(path, key, bad))
        elif path.is_dir():
            inside = path.resolve()
            skipped = [folder for folder in skip if folder.is_relative_to(inside)]
            for folder in skipped:
                logger.info("%s: not read for pages (the build's own output or cache folder)", display(folder))
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
                if skipped and any(file.absolute().is_relative_to(folder) or file.resolve().is_relative_to(folder) for folder in skipped):
                    continue
                ref = SourceRef(file, file.relative_to(path).as_posix())
                target = file.resolve()
                if not target.is_relative_to(inside):
                    ref = SourceRef(file, ref.key, refusal=f"a symbolic link to {display(target)}, outside the folder {display(path)}: not read")
                refs.append(ref)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise UsageError(f"{display(path)}: not a page file (expected {', '.join(sorted(SUFFIXES))}, .warc, .warc.gz)")
            refs.append(SourceRef(path, path.name))
        elif path.is_symlink():
            try:
                path.resolve(strict=True)
            except RuntimeError as exc:  # Python < 3.13 reports a loop so
                raise UsageError(f"{display(path)}: a symbolic link that loops ({exc})") from exc
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise UsageError(f"{display(path)}: a symbolic link that loops") from exc
                raise UsageError(f"{display(path)}: a symbolic link to {display(os.readlink(path))}, which does not exist") from exc
            raise UsageError(f"{display(path)}: not a file or folder")
        else:
            raise UsageError(f"{display(path)}: no such file or folder")
    return refs


def charset_of(content_type: str | None) -> str | None:
    """The codec name (:func:`codecs.lookup`) of the ``charset`` parameter
    of a ``Content-Type`` value, or None (no parameter, unknown label);
    labels browsers read as Windows-1252 give ``cp1252``."""
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1)).name
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252_LABELS else name


def utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``raw`` reads as BOM-less UTF-16
    text (a zero in every other byte of most characters), else None."""
    if len(raw) % 2 or len(raw) < 8:
        return None
    sample = raw[:4096]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(raw: bytes, path: Path, media_type: str, content_type: str | None = None) -> str:
    """Decode page bytes (see module doc). ``content_type`` is the HTTP
    ``Content-Type`` the page was served with, when known (a fetched page's
    metadata, a WARC record): its charset comes before the page's own
    ``<meta charset>``, as in browsers.

    Raises:
        SourceError: for an empty file, a binary file, or bytes that are no
            known encoding.
    """
    if not raw.strip():
        raise SourceError(path, "the file is empty")
    for bom, encoding in _UNICODE_BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise SourceError(path, f"starts with a {encoding.upper()} byte order mark but is not {encoding.upper()}: {exc.reason}") from exc
            if not text.strip():
                raise SourceError(path, "the file is empty")
            logger.warning("%s: decoded as %s (byte order mark)", path, encoding.upper())
            return text
    served = charset_of(content_type)
    if b"\x00" in raw:
        wide = served if served in ("utf-16-le", "utf-16-be") else utf16_without_bom(raw)
        if wide is None:
            raise SourceError(path, "binary content (NUL bytes), not a page")
        try:
            text = raw.decode(wide)
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"binary content (NUL bytes), not {wide.upper()} text: {exc.reason}") from exc
        if _CONTROL.search(text.replace("\x00", "")) or "\x00" in text:
            raise SourceError(path, "binary content (NUL bytes), not a page")
        logger.warning("%s: decoded as %s (no byte order mark)", path, wide.upper())
        return text
    encodings = ["utf-8-sig"]
    declared = None
    if media_type == "text/html":
        m = _META_CHARSET.search(raw[:4096])
        if m:
            declared = charset_of(f"text/html; charset={m.group(1).decode('ascii')}")
    if served is not None and not served.startswith(("utf-16", "utf-32")):
        declared = served
    elif declared is not None and declared.startswith(("utf-16", "utf-32")):
        declared = None  # a BOM-less page cannot be UTF-16/32 as declared: browsers read UTF-8
    if declared is not None and declared not in ("utf-8", "utf-8-sig"):
        encodings.insert(0, declared)
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig" and (_MOJIBAKE.search(text) or _C1.search(text)):
            # the page declares a legacy charset, but it is UTF-8: mojibake otherwise
            try:
                utf8 = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                return text
            if not _MOJIBAKE.search(utf8) and not _C1.search(utf8):
                logger.warning("%s: declares charset %s but is UTF-8; decoded as UTF-8", path, encoding)
                return utf8
        return text
    best = charset_normalizer.from_bytes(raw).best()
    guess = best.encoding if best is not None else None
    if best is not None and guess is not None and _LATIN_FAMILY.match(guess):
        if best.language in _CENTRAL_EUROPEAN:
            # the detector tells the language better than the code page
            # (cp1250 and iso-8859-2 differ in a few letters): the one whose
            # text has fewer signs inside words and letters of no such language
            language = best.language
            chosen = min(("cp1250", "iso8859_2"), key=lambda name: _unlikely_characters(raw, name, language))
            text = raw.decode(chosen, errors="replace")
            if "\ufffd" not in text and not _CONTROL.search(text):
                logger.warning("%s: not UTF-8 and no charset declared; decoded as %s (%s detected)", path, chosen, best.language)
                return text
        guess = None  # Western: Windows-1252, as browsers
    if guess is None or guess in _WESTERN:
        try:
            text = raw.decode("cp1252")
            if _CONTROL.search(text):
                raise UnicodeDecodeError("cp1252", raw, 0, 1, "control characters")
            logger.warning("%s: not UTF-8; decoded as Windows-1252", path)
            return text
        except UnicodeDecodeError:
            pass
    if best is None or guess is None:
        raise SourceError(path, "not UTF-8 and no text encoding could be detected")
    text = str(best)
    if _CONTROL.search(text):
        raise SourceError(path, f"not UTF-8; as {guess} it holds control characters")
    logger.warning("%s: not UTF-8 and no charset declared; decoded as %s (detected)", path, guess)
    return text


def check_mojibake(text: str, path: Path) -> None:
    """Raise :class:`SourceError` when ``text`` holds mojibake: UTF-8 encoded
    characters that were once decoded as Windows-1252 or Latin-1, or
    Windows-1252 characters once decoded as Latin-1 (C1 control characters)."""
    m = _MOJIBAKE.search(text)
    if m:
        raise SourceError(path, f"mojibake in the text ({m.group()!r}): UTF-8 once decoded as Windows-1252; fix the file's encoding")
    m = _C1.search(text)
    if m:
        raise SourceError(
            path,
            f"mojibake in the text (C1 control character U+{ord(m.group()):04X}): Windows-1252 once decoded as Latin-1; fix the file's encoding",
        )
    accented = len(_LATIN1_LETTERS.findall(text))
    if accented >= 20 and accented > 0.4 * len(_LETTERS.findall(text)):
        sample = " ".join(_LATIN1_WORD.findall(text)[:3])
        raise SourceError(
            path,
            f"mojibake in the text ({sample!r}: {accented} of its letters are accented Latin ones): a Cyrillic, Greek "
            "or other legacy encoding once decoded as Windows-1252; declare the page's charset or fix the file's encoding",
        )
    found = _UTF8_AS_CP1251.findall(text)
    if len(found) >= 5 and len(found) > 0.1 * len(_CYRILLIC.findall(text)):
        raise SourceError(
            path,
            f"mojibake in the text ({''.join(found[:3])!r}): UTF-8 once decoded as Windows-1251; fix the file's encoding",
        )


def replace_controls(text: str, path: Path) -> str:
    """``text`` with C0 control characters that are not white space, and DEL,
    replaced by spaces (a warning says how many); they are never page text."""
    text, count = _STRAY_CONTROL.subn(" ", text)
    if count:
        logger.warning("%s: %d control character(s) replaced by spaces", path, count)
    return text


def read_source(ref: SourceRef) -> SourcePage:
    """Read and decode one page.

    Raises:
        SourceError: when the file cannot be read or decoded, is larger
            than :data:`MAX_PAGE_BYTES`, is HTML nested deeper than
            :data:`MAX_HTML_DEPTH`, or was refused when found (``refusal``).
    """
    if ref.refusal is not None:
        raise SourceError(ref.path, ref.refusal)
    if ref.record is not None:
        return read_warc_page(ref)
    try:
        stat = ref.path.stat()
        if stat.st_size > MAX_PAGE_BYTES:
            raise SourceError(ref.path, _too_large(stat.st_size))
        with ref.path.open("rb") as fh:
            raw = fh.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        raise SourceError(ref.path, f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_PAGE_BYTES:  # grew since stat, or a device
        raise SourceError(ref.path, _too_large(len(raw)))
    media_type = SUFFIXES.get(ref.path.suffix.lower(), "text/plain")
    meta = read_metadata(ref.path)
    text = decode(raw, ref.path, media_type, meta.content_type if meta else None).replace("\r\n", "\n").replace("\r", "\n")
    check_mojibake(text, ref.path)
    text = replace_controls(text, ref.path)
    if media_type == "text/html" and (depth := html_depth(text)) > MAX_HTML_DEPTH:
        raise SourceError(ref.path, f"the HTML nests {depth:,} elements deep, over the maximum of {MAX_HTML_DEPTH:,}")
    return SourcePage(
        path=ref.path,
        key=ref.key,
        text=text,
        media_type=media_type,
        sha256=hashlib.sha256(raw).hexdigest(),
        modified=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.timezone.utc),
        url=meta.final_url if meta else None,
        fetched=parse_time(meta.fetched) if meta else None,
        record_id=meta.warc_record_id if meta else None,
    )


def read_warc_page(ref: SourceRef) -> SourcePage:
    """Read and decode the page of a WARC response record (``ref.record``),
    as :func:`read_source` a file; ``modified`` is the record's HTTP
    ``Last-Modified``, else its ``WARC-Date``.

    Raises:
        SourceError: naming the WARC file and the record's URI.
    """
    record = ref.record
    assert record is not None
    if record.damage is not None:
        raise SourceError(ref.path, record.damage)
    page = read_warc_record(ref.path, record.offset, record.uri, max_bytes=MAX_PAGE_BYTES + 1)
    try:
        if len(page.raw) > MAX_PAGE_BYTES:
            raise SourceError(ref.path, _too_large(len(page.raw)))
        text = decode(page.raw, ref.path, record.media_type, page.content_type).replace("\r\n", "\n").replace("\r", "\n")
        check_mojibake(text, ref.path)
        if record.media_type == "text/html" and (depth := html_depth(text)) > MAX_HTML_DEPTH:
            raise SourceError(ref.path, f"the HTML nests {depth:,} elements deep, over the maximum of {MAX_HTML_DEPTH:,}")
    except SourceError as exc:
        raise SourceError(ref.path, f"record {record.uri}: {exc.reason}") from exc
    text = replace_controls(text, ref.path)
    return SourcePage(
        path=ref.path,
        key=ref.key,
        text=text,
        media_type=record.media_type,
        sha256=hashlib.sha256(page.raw).hexdigest(),
        modified=page.last_modified or page.date,
        url=page.uri,
        fetched=page.date,
        record_id=page.record_id,
    )


def _too_large(size: int) -> str:
    return (
        f"the page is {size:,} bytes, over the maximum page size of {MAX_PAGE_BYTES:,} bytes "
        f"({MAX_PAGE_BYTES // (1024 * 1024)} MiB)"
    )


#: a start or end tag (what :data:`_HTML_TOKEN`'s last alternative matches)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>")
#: the start tag of a raw-text element (script or style), and any end tag of one
_RAW_START = re.compile(r"<(script|style)\b[^>]*>", re.IGNORECASE)
_RAW_END = re.compile(r"</(script|style)\s*>", re.IGNORECASE)
_RAW_CLOSE = {kind: re.compile(rf"</{kind}\s*>", re.IGNORECASE) for kind in ("script", "style")}


def html_depth(text: str) -> int:
    """An upper estimate of how deep the elements of the HTML ``text`` nest:
    the most start tags open at once, not counting comments, script and
    style content, void elements and those whose end is implied (``p``,
    ``li``, table cells ...). Linear in the length of ``text``.

    The tokens are those of :data:`_HTML_TOKEN` (tried at each "<" in
    turn: a comment, a script or style element with its end tag, a tag),
    but a comment or a raw-text element is only tried where its end can
    still follow (the last "-->", the last end tag of each kind, the last
    ">" are found first): an unclosed "<!--" or "<script>" repeated
    thousands of times made the pattern scan to the end of the text from
    each of them (quadratic)."""
    depth = deepest = 0
    last_gt = text.rfind(">")
    last_comment = text.rfind("-->")
    last_end: dict[str, int] = {}
    for m in _RAW_END.finditer(text):
        last_end[m.group(1).lower()] = m.start()
    pos = 0
    while True:
        at = text.find("<", pos, last_gt)
        if at < 0:
            break  # every token ends with ">"
        if text.startswith("<!--", at):
            if last_comment >= at + 4:
                pos = text.find("-->", at + 4) + 3
            else:
                pos = at + 1  # an unclosed comment is no token ("<!" no tag)
            continue
        raw = _RAW_START.match(text, at)
        if raw is not None:
            kind = raw.group(1).lower()
            if last_end.get(kind, -1) >= raw.end():
                end = _RAW_CLOSE[kind].search(text, raw.end())
                if end is not None:
                    pos = end.end()
                    continue
        match = _HTML_TAG.match(text, at)
        if match is None:
            pos = at + 1
            continue
        pos = match.end()
        name = match.group(2)
        if match.group(3) or name.lower() in _FLAT_ELEMENTS:
            continue
        if match.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def read_sources(paths: Sequence[Path]) -> Iterator[SourcePage | SourceError]:
    """Each page under ``paths``, or the :class:`SourceError` that reading it
    raised, so that one bad page does not stop the others."""
    for ref in find_sources(paths):
        try:
            yield read_source(ref)
        except SourceError as exc:
            yield exc
