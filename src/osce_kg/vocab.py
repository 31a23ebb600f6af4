"""Namespaces of the ontology contract and the minting of data IRIs.

Data IRIs follow ``{base}/{kind}/{slug}`` (ARCHITECTURE.md, "Pipeline"): readable,
and deterministic, since a slug depends only on the name it is made from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, DCAT

from .errors import UsageError

OSCE = Namespace("https://w3id.org/osce-kg/ontology#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
GEONAMES = Namespace("https://sws.geonames.org/")

DEFAULT_BASE_IRI = "https://w3id.org/osce-kg/id/"

#: prefix -> namespace, used to bind prefixes in every serialization.
PREFIXES: dict[str, str] = {
    "osce": str(OSCE),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "void": str(VOID),
    "dcat": str(DCAT),
}

_MAX_SLUG = 80
_NON_SLUG = re.compile(r"[^a-z0-9]+")
#: a page key whose graph name is the key itself, its dot made a hyphen
_CANONICAL_PAGE_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,100}\.(?:txt|html|htm)")
#: what a page graph's slug does not keep: everything but letters and digits of any script
_NON_WORD = re.compile(r"[\W_]+")
_IRI_UNSAFE = re.compile(r'[\s<>"{}|\\^`]')


def slugify(text: str, max_length: int = _MAX_SLUG) -> str:
    """Readable, IRI-safe slug of ``text``: ASCII letters, digits and hyphens.

    Accents are folded ("Håkan Jeverell" -> "hakan-jeverell"). A name with no
    Latin letters or digits (Cyrillic, Arabic, ...) gets ``x-`` followed by
    12 hex digits of its SHA-256, so the slug is never empty and always the
    same for the same name. Long slugs are cut at a hyphen near ``max_length``.
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("ł", "l").replace("Ł", "l")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:
        # composed and decomposed forms of a name are one name (Hangul syllables, accents)
        digest = hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode("utf-8")).hexdigest()[:12]
        return f"x-{digest}"
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_length // 2 :] else cut
    return slug


def check_base_iri(base: str) -> str:
    """Return ``base`` ending with ``/``.

    The base is the folder of the data IRIs (``{base}person/...``): each
    entity is its own document, so a query string or a fragment, which would
    make every entity a part of one document, is refused.

    Raises:
        UsageError: when ``base`` is not an absolute http(s) IRI with a host,
            holds characters that are not allowed in an IRI, a malformed host
            (``http://[bad/``), a query string or a fragment.
    """
    if not re.match(r"^https?://[^/\s]+", base) or _IRI_UNSAFE.search(base):
        raise UsageError(f"base IRI must be an absolute http(s) IRI without spaces or <>\"{{}}|\\^`: {base!r}")
    try:
        parts = urlsplit(base)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError as exc:
        raise UsageError(f"base IRI {base!r} is malformed: {exc}") from None
    if not parts.hostname:
        raise UsageError(f"base IRI {base!r} has no host")
    if "?" in base or "#" in base:
        raise UsageError(
            f"base IRI {base!r} holds a query string or a fragment: every entity would then be a part of one "
            "document; give a folder, e.g. https://example.org/id/"
        )
    return base if base.endswith("/") else base + "/"


def _lossy(name: str, slug: str) -> bool:
    """True when ``slug`` loses more of ``name`` than its case and the
    form of its white space (accents, punctuation, symbols, cut length)."""
    plain = "-".join(unicodedata.normalize("NFC", name.strip()).split()).lower()
    return plain != slug


class IriMinter:
    """Mints the data IRIs of one build from its base IRI.

    ``minter.iri("person", "Håkan Jeverell")`` gives
    ``<{base}person/hakan-jeverell-144627>`` (the accent is lost in the slug, so a hash of the name follows); a ``slug`` argument is used as it is
    (after a safety check) when the caller already has one (ISO codes, ids of
    the reference tables).
    """

    def __init__(self, base: str = DEFAULT_BASE_IRI) -> None:
        self.base = check_base_iri(base)

    def iri(self, kind: str, name: str) -> URIRef:
        """IRI of the thing of ``kind`` named ``name``: its slug, plus six
        hex digits of a hash of the name when the slug loses information
        other than case (accents, punctuation: "Zoë Smith" and "Zoe Smith", "Centre for
        <Open> Data" and "Centre for Open Data" are different names and get
        different IRIs; nothing is merged on a guess)."""
        slug = slugify(name)
        if not slug.startswith("x-") and _lossy(name, slug):
            digest = hashlib.sha256(unicodedata.normalize("NFC", name.strip()).encode("utf-8")).hexdigest()[:6]
            slug = f"{slugify(name, max_length=_MAX_SLUG - 7)}-{digest}"
        return URIRef(f"{self.base}{kind}/{slug}")

    def iri_from_slug(self, kind: str, slug: str) -> URIRef:
        """IRI of ``kind`` with a ready-made ``slug`` (re-slugified if unsafe)."""
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            slug = slugify(slug)
        return URIRef(f"{self.base}{kind}/{slug}")

    def page_graph(self, key: str) -> URIRef:
        """IRI of the named graph of the source page ``key`` (its path in its
        source folder): ``{base}graph/page-{slug}``, distinct for distinct
        keys. A key of lower-case ASCII letters, digits, hyphens and
        underscores with a page suffix (``01_a-page.txt``) gives
        ``page-01_a-page-txt``; any
        other key (spaces, underscores, capitals, folders, other scripts) is
        slugged keeping its letters and digits of any script, lower-cased
        (``日本.txt`` -> ``page-日本-txt-…``), cut at 100 characters, and
        followed by 12 hex digits of the SHA-256 of the key, so ``a b.txt``,
        ``a_b.txt`` and ``A b.txt`` get three graphs."""
        key = unicodedata.normalize("NFC", key)
        if _CANONICAL_PAGE_KEY.fullmatch(key):
            return URIRef(f"{self.base}graph/page-{key.replace('.', '-')}")
        slug = _NON_WORD.sub("-", key.lower()).strip("-")[:100].rstrip("-")
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        return URIRef(f"{self.base}graph/page-{slug + '-' if slug else ''}{digest}")

    def graph(self, name: str) -> URIRef:
        """IRI of a named graph: ``{base}graph/{slug}``."""
        return self.iri_from_slug("graph", slugify(name, max_length=120))
