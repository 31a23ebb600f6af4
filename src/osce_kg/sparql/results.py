"""Query results as text: SELECT rows as ``table``, ``csv``, ``tsv``,
``json`` or ``xml``, written row by row as they come (:func:`write_stream`:
memory flat in the number of rows), ASK answers, and the triples of a
CONSTRUCT or DESCRIBE query in an RDF format written by pyoxigraph.

Formats follow the W3C SPARQL 1.1 Query Results JSON Format
(https://www.w3.org/TR/sparql11-results-json/), CSV and TSV
(https://www.w3.org/TR/sparql11-results-csv-tsv/, CSV per RFC 4180) and
XML (https://www.w3.org/TR/rdf-sparql-XMLres/).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from ..errors import UsageError
from ..oxterms import OxTerm, XSD_STRING
from ..validate import compact_iri
from ..vocab import PREFIXES
from .run import QueryResult, QueryStream

__all__ = [
    "RESULT_FORMATS",
    "GRAPH_FORMATS",
    "TABLE_CELL_WIDTH",
    "write_stream",
    "format_result",
]

#: Output formats of SELECT and ASK results.
RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml")

#: Output formats of CONSTRUCT and DESCRIBE results -> pyoxigraph format;
#: ``table`` means Turtle, ``json`` JSON-LD and ``xml`` RDF/XML.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}

_GRAPH_ALIASES = {"table": "turtle", "json": "json-ld", "ttl": "turtle", "ntriples": "nt", "rdfxml": "xml"}

#: Widest cell of the ``table`` format, in characters; longer values are cut.
TABLE_CELL_WIDTH = 120

_XSD_STRING = ox.NamedNode(XSD_STRING)


def _cell_text(term: OxTerm | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return " ".join(term.value.split())


def _cut(text: str, width: int = TABLE_CELL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _csv_text(term: OxTerm | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _tsv_term(term: OxTerm | None) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")  # N-Triples form: quotes, backslashes, line breaks escaped


def _json_term(term: OxTerm) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: OxTerm) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{xml_escape(term.language)}">{xml_escape(term.value)}</literal>'
    if term.datatype != _XSD_STRING:
        return f'<literal datatype="{xml_escape(term.datatype.value)}">{xml_escape(term.value)}</literal>'
    return f"<literal>{xml_escape(term.value)}</literal>"


def write_stream(stream: QueryStream, fmt: str, write: Callable[[str], None], *, table_rows: int = 100) -> int:
    """Write the rows of ``stream`` in the SELECT format ``fmt`` (one of
    :data:`RESULT_FORMATS`) as they come: ``write`` gets the header, then
    each row (``table``: the first ``table_rows`` rows at once, their widths
    setting the columns; a later wider cell widens its own line only), so
    the first rows are printed before the last are read.

    ``table``: aligned columns for people; IRIs as prefixed names (``id:``
    is the default data base IRI), literals as their text (whitespace
    collapsed, cut at :data:`TABLE_CELL_WIDTH` characters with "…"), unbound
    as empty; ends with ``(N rows)``. ``csv``: full IRIs, literals' lexical
    forms, CRLF line ends. ``tsv``: header ``?var``, terms in N-Triples
    form. ``json``: ``head.vars`` and ``results.bindings`` (type
    uri/literal/bnode, ``xml:lang``, ``datatype``; unbound variables
    omitted). ``xml``: the SPARQL Query Results XML Format.

    Returns:
        the number of rows.

    Raises:
        UsageError: for an unknown format.
    """
    variables = stream.variables
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown result format {fmt!r}; use one of: {', '.join(RESULT_FORMATS)}")
    count = 0
    if fmt == "table":
        first = list(itertools.islice(stream.rows, table_rows))
        body = [[_cut(_cell_text(cell)) for cell in row] for row in first]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(variables)]

        def line(cells: list[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n"

        write(line(list(variables)) + line(["-" * w for w in widths]))
        for cells in body:
            write(line(cells))
        count = len(first)
        for row in stream.rows:
            write(line([_cut(_cell_text(cell)) for cell in row]))
            count += 1
        write(f"({count} row{'s' if count != 1 else ''})\n")
        return count
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")

        def emit(cells: list[str]) -> None:
            writer.writerow(cells)
            write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()

        emit(list(variables))
        for row in stream.rows:
            emit([_csv_text(cell) for cell in row])
            count += 1
        return count
    if fmt == "tsv":
        write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in stream.rows:
            write("\t".join(_tsv_term(cell) for cell in row) + "\n")
            count += 1
        return count
    if fmt == "json":  # the text of json.dumps(document, indent=2), piece by piece
        head = json.dumps({"head": {"vars": list(variables)}}, indent=2, ensure_ascii=False)
        write(head[: -len("\n}")] + ',\n  "results": {\n    "bindings": [')
        for row in stream.rows:
            binding = {var: _json_term(cell) for var, cell in zip(variables, row) if cell is not None}
            text = json.dumps(binding, indent=2, ensure_ascii=False).replace("\n", "\n      ")
            write(("," if count else "") + "\n      " + text)
            count += 1
        write(("\n    " if count else "") + "]\n  }\n}\n")
        return count
    write('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n  <head>\n')
    write("".join(f'    <variable name="{v}"/>\n' for v in variables) + "  </head>\n  <results>\n")
    for row in stream.rows:
        cells = "".join(f'      <binding name="{v}">{_xml_term(cell)}</binding>\n' for v, cell in zip(variables, row) if cell is not None)
        write(f"    <result>\n{cells}    </result>\n")
        count += 1
    write("  </results>\n</sparql>\n")
    return count


def _format_graph(result: QueryResult, fmt: str) -> str:
    name = _GRAPH_ALIASES.get(fmt, fmt)
    if name not in GRAPH_FORMATS:
        raise UsageError(
            f"a {result.form} query gives a graph: use --format {', '.join(GRAPH_FORMATS)} (table means turtle), not {fmt!r}"
        )
    rdf = GRAPH_FORMATS[name]
    items: list[ox.Triple] | list[ox.Quad] = list(result.triples)
    if rdf.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in result.triples]
    prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    data = ox.serialize(items, format=rdf, prefixes=prefixes) if prefixes else ox.serialize(items, format=rdf)
    text = (data or b"").decode("utf-8")
    return text if text.endswith("\n") or not text else text + "\n"


def format_result(result: QueryResult, fmt: str) -> str:
    """``result`` as text: SELECT rows as :func:`write_stream` writes them;
    ASK ``true``/``false`` (table, csv, tsv), ``{"head": {}, "boolean": ...}``
    (json) or the XML boolean form; CONSTRUCT and DESCRIBE triples in one
    of :data:`GRAPH_FORMATS` (``table`` gives Turtle, ``json`` JSON-LD,
    ``xml`` RDF/XML), written by pyoxigraph.

    Raises:
        UsageError: for a format that does not fit the result.
    """
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return _format_graph(result, fmt)
    if result.form == "ASK":
        if fmt in ("table", "csv", "tsv"):
            return ("true" if result.boolean else "false") + "\n"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        if fmt == "xml":
            return (
                '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
                f"  <head>\n  </head>\n  <boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n"
            )
    parts: list[str] = []
    write_stream(QueryStream(result.variables, iter(result.rows)), fmt, parts.append, table_rows=len(result.rows) + 1)
    return "".join(parts)
