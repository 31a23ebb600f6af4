"""Namespaces of the ontology contract and the minting of data IRIs.

Data IRIs follow ``{base}/{kind}/{slug}`` (ARCHITECTURE.md, "Pipeline"): readable,
and deterministic, since a slug depends only on the name it is made from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

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
        digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]
        return f"x-{digest}"
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_length // 2 :] else cut
    return slug


def check_base_iri(base: str) -> str:
    """Return ``base`` ending with ``/`` or ``#``.

    Raises:
        UsageError: when ``base`` is not an absolute http(s) IRI or holds
            characters that are not allowed in an IRI.
    """
    if not re.match(r"^https?://[^/\s]+", base) or _IRI_UNSAFE.search(base):
        raise UsageError(f"base IRI must be an absolute http(s) IRI without spaces or <>\"{{}}|\\^`: {base!r}")
    return base if base.endswith(("/", "#")) else base + "/"


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

    def graph(self, name: str) -> URIRef:
        """IRI of a named graph: ``{base}graph/{slug}``."""
        return self.iri_from_slug("graph", slugify(name, max_length=120))
