"""Read an HTML page into a :class:`~osce_kg.extract.layouts.RawPage`.

Uses selectolax (Lexbor) to parse; menus (``<nav>``, ``<header>``,
``<footer>``, ``<aside>``), scripts and styles are dropped before any text is
read, so the navigation never produces mentions. Read, in this order:

- canonical URL: ``<link rel="canonical">``, else ``og:url``;
- publication date: ``article:published_time`` / ``<time datetime>`` /
  ``datePublished`` meta, else an "Issued on:" / "Publishing date:" label;
- content type: an element with class ``content-type``, else ``og:type`` is
  *not* used (it says "article" for everything);
- title: the first ``<h1>``, else ``og:title``, else ``<title>`` before " | ";
- lead: an element with class ``lead`` / ``summary`` / ``field--name-field-lead``;
- label/value metadata: ``<li class="label">`` followed by a value ``<li>``,
  ``<dt>``/``<dd>`` pairs, and inline "Issued on: ..." paragraphs;
- body: the ``<p>`` elements of the article (or ``<main>``, or ``<body>``),
  HTML entities decoded by the parser.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..text import clean
from . import article
from .raw import RawItem, RawPage, normalise_content_type

_LABEL_RE = re.compile(
    r"^(Issued on|Publishing date|Published on|Issued by|Where we are|Fields of work|What we do|Content type)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_KIND = {
    "issued on": "date",
    "publishing date": "date",
    "published on": "date",
    "issued by": "publishers",
    "where we are": "publishers",
    "fields of work": "fields",
    "what we do": "fields",
    "content type": "type",
}
_DROP = "script, style, noscript, template, nav, header, footer, aside, form, [role=navigation], .menu, .breadcrumb"


def _text(node: LexborNode | None) -> str:
    return clean(node.text(separator=" ")) if node is not None else ""


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        node = tree.css_first(f'meta[property="{name}"]') or tree.css_first(f'meta[name="{name}"]')
        if node is not None and node.attributes.get("content"):
            return clean(node.attributes["content"] or "")
    return None


def _split(value: str) -> list[str]:
    return [clean(v) for v in re.split(r",\s+|;\s+", value) if clean(v)]


def parse_html(markup: str) -> RawPage:
    """Parse an HTML page into one raw item.

    Raises:
        ValueError: when the page has no title and no text.
    """
    tree = LexborHTMLParser(markup)
    url = None
    canonical = tree.css_first('link[rel="canonical"]')
    if canonical is not None and canonical.attributes.get("href"):
        url = clean(canonical.attributes["href"] or "")
    url = url or _meta(tree, "og:url")
    html_node = tree.css_first("html")
    lang = (html_node.attributes.get("lang") or None) if html_node is not None else None
    if not _osce_markup(tree, url):
        page = _main_content(markup, url, lang)
        if page is not None:
            return page
    date_iso = _meta(tree, "article:published_time", "datePublished", "dcterms.date", "date")
    title_tag = _text(tree.css_first("head title"))
    og_title = _meta(tree, "og:title")

    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        raise ValueError("the page has no <body>")
    if date_iso is None:
        time_node = root.css_first("time[datetime]")
        if time_node is not None:
            date_iso = time_node.attributes.get("datetime")

    h1 = root.css_first("h1") or tree.css_first("h1")
    headline = _text(h1) or og_title or title_tag.split(" | ")[0].strip()
    if not headline:
        raise ValueError("the page has no title (<h1>, og:title or <title>)")
    item = RawItem(headline=headline, url=url, date_iso=date_iso)

    ctype = root.css_first(".content-type")
    if ctype is not None and _text(ctype):
        item.content_type = normalise_content_type(_text(ctype))
    lead = root.css_first(".lead") or root.css_first(".summary") or root.css_first(".field--name-field-lead")
    if lead is not None and _text(lead):
        item.lead = _text(lead)

    values: dict[str, str] = {}
    # <li class="label">Issued on:</li><li>value</li>, and <dt>/<dd>
    for label in root.css("li.label, dt, .label"):
        m = _LABEL_RE.match(_text(label) + " ")
        if not m:
            continue
        kind = _KIND[m.group(1).lower()]
        inline = m.group(2).strip()
        sibling = label.next
        while sibling is not None and sibling.tag == "-text" and not clean(sibling.text() or ""):
            sibling = sibling.next
        value = inline or (_text(sibling) if sibling is not None and sibling.tag in ("li", "dd", "span", "div") else "")
        if not value and label.parent is not None:
            # <p><span class="label">Issued on:</span> 17 November 2023</p>
            rest = _text(label.parent)
            label_text = _text(label)
            if rest.startswith(label_text):
                value = rest[len(label_text) :].strip()
        if value:
            values.setdefault(kind, value)
    paragraphs: list[str] = []
    for p in root.css("p"):
        text = _text(p)
        if not text:
            continue
        m = _LABEL_RE.match(text)
        if m:  # inline label inside a paragraph: "Issued on: 21 September 2022"
            values.setdefault(_KIND[m.group(1).lower()], m.group(2).strip())
            continue
        paragraphs.append(text)
    if values.get("date"):
        item.date = values["date"]
    if values.get("type") and not item.content_type:
        item.content_type = normalise_content_type(values["type"])
    item.publishers = _split(values.get("publishers", ""))
    item.fields = _split(values.get("fields", ""))
    item.body = paragraphs
    return RawPage("html", items=[item], language_hint=lang)


#: markup of osce.org's own pages: their labels and classes are read above
_OSCE_MARKERS = ".content-type, li.label, .field--name-field-lead, .label"


def _osce_markup(tree: LexborHTMLParser, url: str | None) -> bool:
    """True for a page of osce.org (its URL, or its page markup)."""
    host = urlsplit(url).hostname or "" if url else ""
    return host == "osce.org" or host.endswith(".osce.org") or tree.css_first(_OSCE_MARKERS) is not None


def _main_content(markup: str, url: str | None, lang: str | None) -> RawPage | None:
    """A copy on another site: its main text found by trafilatura (menus,
    sidebars, comments and footers left out), then cut like any text copy
    (:mod:`.article`): the headline is trafilatura's title, its date the
    page's metadata. ``None`` when trafilatura finds no main text."""
    import trafilatura  # imported on the first HTML page: it takes a second to load

    doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True, favor_precision=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        return None
    title = clean(getattr(doc, "title", None) or "") or None
    lines = [clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line and line != title]
    page = article.parse(([title] if title else []) + lines + ([""] if title and not lines else []))
    item = page.items[0]
    if title and item.headline is None and lines:
        item.headline = title
        item.body = [line for line in item.body if line != title]
    item.url = url
    item.date_iso = getattr(doc, "date", None)
    return RawPage("html-article", items=[item], language_hint=lang)
