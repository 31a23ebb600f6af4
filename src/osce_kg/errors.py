"""Exceptions raised by osce-kg.

Every error the package raises derives from :class:`OsceKgError`. Each carries
the exit code the command line uses for it (ARCHITECTURE.md, "Command line"): 1 for a
graph that violates the shapes, 2 for bad usage or unreadable input, 3 for a
triple store or SPARQL endpoint that fails (:class:`StoreError`) and a web
site that cannot be reached (:class:`SiteError`), 4 for a change feed whose
history does not reach back to the release a store holds
(:class:`HistoryGap`: ``osce-kg sync``, load the dumps instead). The CLI
turns them into a message and that code in one place (``osce_kg.cli``); Ctrl-C
exits with 130 (:data:`EXIT_INTERRUPTED`).
"""

from __future__ import annotations

import re
from pathlib import Path

#: characters that must not reach a terminal or a log line as they are: C0 and
#: C1 controls (a newline in a file name would split the line), DEL, the line
#: and paragraph separators, and the bidirectional controls (which can make a
#: name read as another)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def display(text: str | Path) -> str:
    """``text`` (a message, a file name) fit for one line of a terminal or a
    log: each control, separator or bidirectional formatting character is
    written as an escape (``\\n``, ``\\x1b``, ``\\u202e``); other text is
    unchanged."""

    def escape(match: re.Match[str]) -> str:
        ch = match.group()
        if ch in _ESCAPES:
            return _ESCAPES[ch]
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"

    return _UNPRINTABLE.sub(escape, str(text))


#: exit status of a command stopped by Ctrl-C (128 + SIGINT, as shells do)
EXIT_INTERRUPTED = 130


class OsceKgError(Exception):
    """Base class of all osce-kg errors.

    Attributes:
        exit_code: the process exit status the CLI uses for this error.
    """

    exit_code: int = 2


class UsageError(OsceKgError):
    """A bad argument: unknown query name, malformed ``--param``, bad base IRI."""

    exit_code = 2


class SourceError(OsceKgError):
    """A source file that cannot be read or parsed.

    Attributes:
        path: the file at fault.
        reason: what is wrong with it, in a few words.
    """

    exit_code = 2

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{display(path)}: {reason}")


class ReferenceDataError(OsceKgError):
    """A reference table in ``data/reference/`` is missing a column or a value."""

    exit_code = 2


class ValidationFailed(OsceKgError):
    """The graph does not conform to the SHACL shapes (exit code 1)."""

    exit_code = 1


class StoreError(OsceKgError):
    """A triple store or SPARQL endpoint failed: unreachable, an HTTP error
    status, a store folder that cannot be opened (exit code 3).

    The message names the endpoint (without credentials) and, when loading,
    the graph; it never holds a password.
    """

    exit_code = 3


class SiteError(OsceKgError):
    """A web site that cannot be reached by ``osce-kg fetch`` (exit code 3,
    as a store that fails); the message names the URL."""

    exit_code = 3


class HistoryGap(OsceKgError):
    """The change feed ``osce-kg sync`` follows does not reach back to the
    release the store holds (older pages dropped, a damaged history, a store
    of another dataset): the store is left as it was; load the current
    release's dumps instead (exit code 4).

    Attributes:
        held: the release the store holds.
        feed: the feed (URL or file) that was read.
    """

    exit_code = 4

    def __init__(self, feed: str, held: str, oldest: str | None) -> None:
        self.feed = feed
        self.held = held
        since = f" (its oldest changes are those of release {oldest})" if oldest else " (it lists no changes)"
        super().__init__(
            f"{display(feed)}: the feed's history does not reach back to release {display(held)}, which the store holds{since}; "
            "the store was left as it was: load the current release's dumps instead (osce-kg load RELEASE --store PATH)"
        )
