"""The ontology's documentation page: ``osce-kg docs`` writes
``ontology.html`` with pyLODE (its default profile, OntPub) beside the
dumps. pyLODE and ontospy are in the ``docs`` extra
(``pip install 'osce-kg[docs]'``); ontospy makes its pages from the same file
(``ontospy gendocs ontology/osce.ttl --type 1 -o DIR``)."""

from __future__ import annotations

import logging
from pathlib import Path

from .errors import SourceError, UsageError
from .resources import ontology_file
from .serialize import atomic_output

__all__ = ["write_ontology_docs", "DOCS_FILE"]

log = logging.getLogger(__name__)

#: the page written into the output folder
DOCS_FILE = "ontology.html"


def write_ontology_docs(folder: Path, ontology: Path | None = None) -> Path:
    """Write the pyLODE page of ``ontology`` (default: the shipped
    ``ontology/osce.ttl``) to ``folder/ontology.html``; returns its path.

    Raises:
        UsageError: when pyLODE is not installed.
        SourceError: when pyLODE cannot document the ontology.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub
    except ImportError as exc:
        raise UsageError("pyLODE is not installed: pip install 'osce-kg[docs]'") from exc
    finally:
        # importing pyLODE configures the root logger (DEBUG, to stderr):
        # the command line's logging is put back
        root.handlers[:] = handlers
        root.setLevel(level)
    source = Path(ontology) if ontology is not None else ontology_file()
    try:
        html = OntPub(ontology=str(source)).make_html()
    except Exception as exc:  # pyLODE raises its own and rdflib's errors
        raise SourceError(source, f"pyLODE cannot document it: {exc}") from exc
    path = Path(folder) / DOCS_FILE
    with atomic_output(path) as fh:
        fh.write(str(html).encode("utf-8"))
    log.info("wrote %s", path)
    return path
