"""Person identity across pages: one node per person, whatever the spelling
or script (ARCHITECTURE.md, "Person identity").

Every page's graph names its persons with IRIs minted from the page's form
of the name (:meth:`osce_kg.mapping.Mapper.person_iri`), and the map stage
gives what the page says of each as :class:`~osce_kg.records.PersonMention`
records. The build feeds them to a :class:`PersonIndex` (one entry per
distinct IRI: memory grows with the number of distinct names, not with the
pages), then :func:`resolve` decides which entries are one person and gives a
:class:`Resolution`: each person's IRI and name, the rewrite of each page's
graph, the evidence-based intervals of memberships and the merges for
``build-report.json``.

Names are compared by key (:class:`NameFolds`): transliterated to Latin
(``anyascii``), lower-cased, without diacritics or hyphens, and folded by the
spelling conventions of ``data/names/folds.json`` (Sergej, Sergey, Sergueï and
Сергей all give ``sergei``). Two names are *compatible* when their surnames
(last tokens) have one key and the given names of the shorter are, in
order, among those of the longer (an initial stands for a name with that
letter); two given names that differ are never compatible ("Bujar Osmani",
"Besnik Osmani"). Compatible entries are one person when:

- their keys are the same, token for token, and both give a given name
  (evidence ``name``, with the ids of the folds that made them the same:
  ``name:de-w+j-y-i``), or
- one is shorter (a surname alone, a name without its middle name) and they
  share evidence: an office (``office:<post id>``), an affiliation
  (``affiliation:<IRI>``), a Wikidata id (``wikidata:<Q…>``), or the
  office-holder table: the shorter names a post the table's person held
  (``table:<post id>``), or every item naming it is dated within the
  table's term of that person (``table-term:<post id>``); and no other
  person is as good a candidate (an ambiguous name stays alone).

A person's name (``schema:name``) is the table's form when the table has the
person, else the fullest form in Latin script; every other form is a
``schema:alternateName`` tagged with the language of the page that writes
it. A person's IRI is the table's, else the IRI the previous release gave
one of its forms (``registry``), else the IRI of its name: a later page
that adds a variant adds an alternate name, not a person.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from anyascii import anyascii

from .resources import names_dir
from .mapping import Mapper
from .records import PersonMention

__all__ = ["NameFolds", "PersonIndex", "Resolution", "compatible", "read_registry", "resolvable", "resolve", "split_resolvable"]

logger = logging.getLogger(__name__)

SCHEMA_NAME = "https://schema.org/name"
SCHEMA_ALTERNATE = "https://schema.org/alternateName"


# ---------------------------------------------------------------------- name keys
@dataclass(frozen=True)
class Fold:
    """One spelling fold of ``data/names/folds.json``: ``pattern`` -> ``to``."""

    id: str
    pattern: re.Pattern[str]
    to: str


class NameFolds:
    """The name keys (compiled once from ``data/names/folds.json``).

    ``NameFolds.load().key("Sergueï Lavrov")`` is ``("sergei", "lavrov")``.
    """

    def __init__(self, folds: Iterable[Fold], particles: Iterable[str]) -> None:
        self.folds = tuple(folds)
        self.particles = frozenset(particles)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._used: dict[str, frozenset[str]] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> NameFolds:
        """The folds of ``path`` (default: the shipped ``folds.json``).

        Raises:
            ValueError: a fold without ``id``/``from``/``to`` or a bad pattern.
        """
        data = json.loads((path or names_dir() / "folds.json").read_text(encoding="utf-8"))
        folds = []
        for entry in data["folds"]:
            try:
                folds.append(Fold(entry["id"], re.compile(entry["from"]), entry["to"]))
            except (KeyError, re.error) as exc:
                raise ValueError(f"{path or 'folds.json'}: bad fold {entry!r}: {exc}") from exc
        return cls(folds, data.get("particles", ()))

    def key(self, name: str) -> tuple[str, ...]:
        """The folded tokens of ``name`` (particles kept, initials as one letter)."""
        found = self._cache.get(name)
        if found is not None:
            return found
        text = anyascii(unicodedata.normalize("NFC", name)).lower()
        text = re.sub(r"['`\u2019]", "", text)
        tokens = []
        used = set()
        for token in re.split(r"[^a-z]+", text):
            if not token:
                continue
            for fold in self.folds:
                folded = fold.pattern.sub(fold.to, token)
                if folded != token:
                    used.add(fold.id)
                    token = folded
            tokens.append(token)
        key = tuple(tokens)
        self._cache[name] = key
        self._used[name] = frozenset(used)
        return key

    def used(self, name: str) -> frozenset[str]:
        """The ids of the folds that changed ``name``'s key (after :meth:`key`)."""
        self.key(name)
        return self._used[name]

    def has_given_name(self, key: tuple[str, ...]) -> bool:
        """True when ``key`` gives a given name: a token before the surname
        that is neither a particle ("de", "van") nor an initial."""
        return any(len(t) > 1 and t not in self.particles for t in key[:-1])


def _given_fits(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """The given names ``short`` are, in order, among ``long`` (an initial
    fits a name with that letter)."""
    rest = iter(long)
    return all(any(u == t or (len(t) == 1 and u.startswith(t)) for u in rest) for t in short)


def compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two name keys can name one person: one surname, and the given names of
    one are, in order, among the other's (see the module's docstring)."""
    if not a or not b or a[-1] != b[-1]:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return _given_fits(short[:-1], long[:-1])


def _is_latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


# ---------------------------------------------------------------------- the index
@dataclass
class Entry:
    """What the whole build says of one IRI (a page's form of a name, or a
    person of the office-holder table).

    Attributes:
        iri: the IRI the pages (or the table) give.
        forms: name as written -> the language tags of the pages writing it
            (``""`` for the table).
        offices / affiliations / wikidata: evidence, as in
            :class:`~osce_kg.records.PersonMention`.
        first / last: the earliest and latest item date naming it, or ``None``.
        undated: True when an item naming it has no date.
        memberships: membership IRI -> (post id, first date, last date).
        table_posts: post id -> the (first, last) days of the table's rows
            (``None`` for a row still open).
        table_name: the table's form of the name, for a person of the table.
        comentions: the IRIs of the other persons named on its pages.
    """

    iri: str
    forms: dict[str, set[str]] = field(default_factory=dict)
    offices: set[str] = field(default_factory=set)
    affiliations: set[str] = field(default_factory=set)
    wikidata: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None
    undated: bool = False
    memberships: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    table_posts: dict[str, list[tuple[dt.date, dt.date | None]]] = field(default_factory=dict)
    table_name: str | None = None
    comentions: set[str] = field(default_factory=set)


class PersonIndex:
    """The persons of a build, fed page by page (:meth:`add`)."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def add(self, mentions: Sequence[PersonMention]) -> dict[str, str]:
        """Add one page's :class:`~osce_kg.records.PersonMention` records;
        returns its person IRIs -> their language (the IRI and language
        strings shared with the index: a page costs no copy of them)."""
        languages: dict[str, str] = {}
        for m in mentions:
            entry = self.entries.get(m.iri)
            if entry is None:
                entry = self.entries[m.iri] = Entry(m.iri)
            language = sys.intern(m.language)
            languages[entry.iri] = language
            entry.forms.setdefault(m.name, set()).add(language)
            entry.offices.update(m.offices)
            entry.affiliations.update(m.affiliations)
            entry.wikidata.update(m.wikidata)
            if not m.dates:
                entry.undated = True
            for date in m.dates:
                entry.first = date if entry.first is None or date < entry.first else entry.first
                entry.last = date if entry.last is None or date > entry.last else entry.last
            for iri, post, date in m.memberships:
                _, first, last = entry.memberships.get(iri, (post, date, date))
                entry.memberships[iri] = (post, min(first, date), max(last, date))
        for iri in languages:
            self.entries[iri].comentions.update(other for other in languages if other is not iri)
        return languages


# ---------------------------------------------------------------------- the decision
@dataclass(frozen=True)
class Person:
    """One person after resolution.

    Attributes:
        iri: the person's IRI.
        name: the one ``schema:name``.
        members: the IRIs of the page forms (and table) that are this person.
        forms: every form of the name -> language tags of the pages writing it.
        evidence: why the members are one (empty for a person of one IRI).
    """

    iri: str
    name: str
    members: tuple[str, ...]
    forms: Mapping[str, frozenset[str]]
    evidence: tuple[str, ...]


@dataclass
class Resolution:
    """The persons of a build and how each page's graph names them.

    Attributes:
        persons: one per person (by IRI).
        target: a page IRI -> its person's IRI.
        memberships: a page membership IRI -> the membership IRI of the person.
        ambiguous: short forms left alone because several persons fit them.
        intervals: ``(membership IRI, first day, last day)`` of the
            memberships no table row gives.
        changed: the page IRIs (``<…>``, UTF-8) whose quads change: a person
            IRI that is another person's, or whose forms are not all the
            person's name; a membership IRI that moves.
    """

    persons: dict[str, Person]
    target: dict[str, str]
    memberships: dict[str, str]
    ambiguous: list[dict[str, object]]
    intervals: list[tuple[str, str, str]]
    changed: frozenset[bytes]

    # ------------------------------------------------------------------ pages
    def rewrite(self, nquads: bytes, languages: Mapping[str, str]) -> bytes | None:
        """The page's N-Quads with its persons resolved, or ``None`` when
        nothing changes. ``languages``: a person IRI of the page -> the
        language of the page's item that names it.

        A merged person is named by its IRI; its ``schema:name`` is the
        person's name and the page's own form, when another, a
        ``schema:alternateName`` tagged with the page's language."""
        found = {iri for iri in _IRI.findall(nquads) if iri in self.changed}
        if not found:
            return None
        out: list[bytes] = []
        names: dict[bytes, tuple[bytes, list[tuple[str, str]]]] = {}  # new subject -> (graph, the page's (form, language))
        for line in nquads.splitlines(keepends=True):
            if not resolvable(line):
                out.append(line)
                continue
            subject, predicate, rest = line.split(b" ", 2)
            if subject in found and predicate in (_NAME, _ALTERNATE):
                obj, graph = _object_and_graph(rest)
                target = self._new(subject)
                forms = names.setdefault(target, (graph, []))[1]
                if predicate == _ALTERNATE:  # the mapping's own alternate name, tagged already
                    out.append(target + b" " + predicate + b" " + rest)
                    continue
                value = next(ox.parse(b"<x:s> <x:p> " + obj + b" .\n", format=ox.RdfFormat.N_TRIPLES)).object.value
                form = (value, languages.get(subject[1:-1].decode("utf-8"), "und"))
                if form not in forms:
                    forms.append(form)
                continue
            for iri in _IRI.findall(line):
                if iri in self.changed:
                    line = line.replace(iri, self._new(iri))
            out.append(line)
        for subject, (graph, forms) in names.items():
            person = self.persons[subject[1:-1].decode("utf-8")]
            out.append(b"%s %s %s %s .\n" % (subject, _NAME, str(ox.Literal(person.name)).encode("utf-8"), graph))
            for form, language in forms:
                if form != person.name:
                    literal = ox.Literal(form, language=language)
                    out.append(b"%s %s %s %s .\n" % (subject, _ALTERNATE, str(literal).encode("utf-8"), graph))
        result = b"".join(dict.fromkeys(out))
        return None if result == nquads else result

    def _new(self, iri: bytes) -> bytes:
        text = iri[1:-1].decode("utf-8")
        new = self.target.get(text) or self.memberships.get(text) or text
        return f"<{new}>".encode("utf-8")

    def report(self) -> dict[str, object]:
        """The merges (which names, which evidence) for ``build-report.json``."""
        merged = [
            {"person": p.iri, "name": p.name, "names": sorted(p.forms), "evidence": list(p.evidence)}
            for p in sorted(self.persons.values(), key=lambda p: p.iri) if len(p.members) > 1
        ]
        return {"persons": len(self.persons), "merged": merged, "ambiguous": self.ambiguous, "evidence_intervals": len(self.intervals)}


_IRI = re.compile(rb"<[^>]*/(?:person|membership)/[^>]*>")


def resolvable(line: bytes) -> bool:
    """A line of N-Quads that :meth:`Resolution.rewrite` may change: it names
    a person or a membership (the only quads person resolution rewrites)."""
    return b"/person/" in line or b"/membership/" in line


def split_resolvable(nquads: bytes) -> tuple[bytes, bytes]:
    """``nquads`` (whole lines) as (the lines :func:`resolvable` keeps, the others)."""
    kept: list[bytes] = []
    others: list[bytes] = []
    for line in nquads.splitlines(keepends=True):
        (kept if b"/person/" in line or b"/membership/" in line else others).append(line)
    return b"".join(kept), b"".join(others)
_NAME = f"<{SCHEMA_NAME}>".encode()
_ALTERNATE = f"<{SCHEMA_ALTERNATE}>".encode()


def _object_and_graph(rest: bytes) -> tuple[bytes, bytes]:
    """``"literal" <graph> .\\n`` -> the literal and the graph."""
    body = rest.rstrip(b"\n").rstrip()
    assert body.endswith(b" .")
    body = body[:-2]
    obj, graph = body.rsplit(b" ", 1)
    return obj, graph


# ---------------------------------------------------------------------- resolve
def read_registry(union: Path, base: str) -> dict[str, str]:
    """A name form -> the person IRI a release's union dump (``osce-kg.nt``)
    gives it (as ``schema:name`` or ``schema:alternateName``); empty when
    the file cannot be read."""
    prefix = f"<{base}person/".encode("utf-8")
    lines = []
    try:
        with union.open("rb") as fh:
            for line in fh:
                if line.startswith(prefix) and (_NAME in line or _ALTERNATE in line):
                    lines.append(line)
    except OSError as exc:
        logger.warning("cannot read the previous release's persons from %s: %s", union, exc)
        return {}
    registry: dict[str, str] = {}
    for triple in ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES):
        registry.setdefault(triple.object.value, triple.subject.value)  # type: ignore[union-attr]
    return registry


def resolve(index: PersonIndex, mapper: Mapper, registry: Mapping[str, str] | None = None,
            folds: NameFolds | None = None) -> Resolution:
    """Decide which entries of ``index`` are one person (see the module's
    docstring); ``mapper`` gives the IRIs and the office-holder table,
    ``registry`` a name form -> its person IRI in the previous release."""
    folds = folds or NameFolds.load()
    ref = mapper.ref
    registry = registry or {}
    entries = dict(index.entries)
    for post, rows in ref.office_holders.items():
        for row in rows:
            iri = mapper.person_iri(row.name).value
            entry = entries.get(iri)
            if entry is None:
                entry = entries[iri] = Entry(iri)
            entry.table_name = row.name
            entry.forms.setdefault(row.name, set())
            if row.wikidata:
                entry.wikidata.add(row.wikidata)
            entry.table_posts.setdefault(post, []).append(row.bounds)

    def key_of(entry: Entry) -> tuple[str, ...]:
        return max((folds.key(f) for f in entry.forms), key=len)

    keys = {iri: key_of(e) for iri, e in entries.items()}
    blocks: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(entries):
        if keys[iri]:
            blocks[keys[iri][-1]].append(iri)

    parent = {iri: iri for iri in entries}
    why: dict[str, list[str]] = defaultdict(list)

    def find(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    ambiguous: list[dict[str, object]] = []
    for block in blocks.values():
        if len(block) < 2:
            continue
        # 1. the same name, token for token, with a given name
        for n, a in enumerate(block):
            for b in block[n + 1:]:
                if keys[a] == keys[b] and folds.has_given_name(keys[a]) and find(a) != find(b):
                    used = sorted({f for i in (a, b) for form in entries[i].forms for f in folds.used(form)})
                    _union(parent, why, find(a), find(b), ["name:" + "+".join(used) if used else "name"])
        # 2. shorter forms, shortest last, one candidate with evidence each
        while True:
            groups: dict[str, list[str]] = defaultdict(list)
            for i in block:
                groups[find(i)].append(i)
            fullest = {root: max((keys[i] for i in members), key=len) for root, members in groups.items()}
            found = None
            left: list[tuple[str, list[str]]] = []
            for root in sorted(groups, key=lambda r: (len(fullest[r]), r)):
                members = groups[root]
                candidates = []
                for other, others in groups.items():
                    if other == root or len(fullest[other]) < len(fullest[root]):
                        continue
                    if not all(compatible(keys[x], keys[y]) for x in members for y in others):
                        continue
                    evidence = sorted({e for x in members for y in others for e in _evidence(entries[x], entries[y], find)})
                    if evidence:
                        candidates.append((other, evidence))
                if len(candidates) == 1:
                    found = (candidates[0][0], root, candidates[0][1])
                    break
                if candidates:
                    left.append((root, [c for c, _ in candidates]))
            if found is None:
                for root, others in left:  # the forms no merge could settle
                    ambiguous.append({"names": sorted(f for i in groups[root] for f in entries[i].forms),
                                      "candidates": sorted(max((f for i in groups[c] for f in entries[i].forms),
                                                               key=lambda f: (len(f.split()), f)) for c in others)})
                break
            _union(parent, why, *found)

    clusters: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(entries):
        clusters[find(iri)].append(iri)

    persons: dict[str, Person] = {}
    target: dict[str, str] = {}
    memberships: dict[str, str] = {}
    intervals: list[tuple[str, str, str]] = []
    for root, members in clusters.items():
        forms: dict[str, set[str]] = defaultdict(set)
        for iri in members:
            for form, languages in entries[iri].forms.items():
                forms[form].update(lang for lang in languages if lang)
        table = sorted(entries[i].table_name for i in members if entries[i].table_name)
        name = table[0] if table else _canonical(forms, folds)
        iri = _person_iri(members, entries, forms, registry, mapper, name)
        persons[iri] = Person(iri, name, tuple(members), {f: frozenset(v) for f, v in forms.items()}, tuple(why.get(root, ())))
        table_posts = {p for i in members for p in entries[i].table_posts}
        spans: dict[str, tuple[str, str]] = {}
        for member in members:
            target[member] = iri
            for old, (post, first, last) in entries[member].memberships.items():
                new = mapper.membership_of(iri, post).value
                if new != old:
                    memberships[old] = new
                if post not in table_posts:
                    a, b = spans.get(new, (first, last))
                    spans[new] = (min(a, first), max(b, last))
        intervals.extend((m, a, b) for m, (a, b) in sorted(spans.items()))
    # only page IRIs are rewritten: the table's persons are the reference graph's
    target = {i: t for i, t in target.items() if i in index.entries}
    changed = {i for i, t in target.items() if i != t or any(f != persons[t].name for f in entries[i].forms)}
    changed.update(memberships)
    resolution = Resolution(persons, target, memberships, ambiguous, intervals,
                            frozenset(f"<{iri}>".encode("utf-8") for iri in changed))
    logger.info("person resolution: %d names, %d persons, %d merged", len(entries), len(persons),
                sum(1 for p in persons.values() if len(p.members) > 1))
    return resolution


def _union(parent: dict[str, str], why: dict[str, list[str]], keep: str, other: str, evidence: list[str]) -> None:
    parent[other] = keep
    why[keep] = sorted(set(why[keep]) | set(why.pop(other, [])) | set(evidence))


def _evidence(a: Entry, b: Entry, find: Callable[[str], str]) -> list[str]:
    """What ``a`` and ``b`` share beyond a compatible name (``find``: an
    IRI -> its person so far)."""
    found = [f"office:{o}" for o in a.offices & b.offices]
    mine = {find(a.iri), find(b.iri)}
    found += [f"co-mention:{p}" for p in ({find(x) for x in a.comentions} & {find(y) for y in b.comentions}) - mine]
    found += [f"affiliation:{x}" for x in a.affiliations & b.affiliations]
    found += [f"wikidata:{q}" for q in a.wikidata & b.wikidata]
    for table, page in ((a, b), (b, a)):
        for post, spans in table.table_posts.items():
            if post in page.offices:
                found.append(f"table:{post}")
            elif page.first is not None and page.last is not None and not page.undated:
                first, last = dt.date.fromisoformat(page.first), dt.date.fromisoformat(page.last)
                if any(start <= first and (end is None or last <= end) for start, end in spans):
                    found.append(f"table-term:{post}")
    return found


def _canonical(forms: Mapping[str, set[str]], folds: NameFolds) -> str:
    """The fullest form in Latin script; among forms as full, one an
    English page writes (the OSCE's working language: "Sergey Lavrov", not
    the French "Sergueï Lavrov"), then the one with diacritics ("Dunja
    Mijatović", not "Mijatovic")."""
    def rank(form: str) -> tuple[bool, int, bool, int, int, str]:
        return (_is_latin(form), len(folds.key(form)), "en" in forms[form], sum(1 for ch in form if ord(ch) > 127), -len(form), form)
    return max(forms, key=rank)


def _person_iri(members: list[str], entries: Mapping[str, Entry], forms: Mapping[str, set[str]],
                registry: Mapping[str, str], mapper: Mapper, name: str) -> str:
    tables = sorted(i for i in members if entries[i].table_name)
    if tables:
        return tables[0]
    before: dict[str, int] = defaultdict(int)
    for form in forms:
        if form in registry:
            before[registry[form]] += 1
    if before:
        return min(before, key=lambda iri: (-before[iri], iri))
    return mapper.person_iri(name).value


