"""Exceptions raised by osce-kg.

Every error the package raises derives from :class:`OsceKgError`. Each carries
the exit code the command line uses for it (ARCHITECTURE.md, "Command line"): 1 for a
graph that violates the shapes, 2 for bad usage or unreadable input, 3 for a
triple store or SPARQL endpoint that fails (:class:`StoreError`).
"""

from __future__ import annotations

from pathlib import Path


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
        super().__init__(f"{path}: {reason}")


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
