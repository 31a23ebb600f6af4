"""Layout ``article``: any page no other layout claims.

An osce.org item stored without navigation (title, blank line, dateline,
body) or a copy of an item on another site. Before the body, a copy may
carry lines that are not the headline: site banners ("OSCE - Organization
for ..."), menu words and kickers ("Politics", a name under a photo),
breadcrumbs ("Home » ..."), "+ 1 more" tags, times ("17:58"), date lines
("20.03.2014", "25. Jan 2021.", "Published: July 1, 2024; 10:46"),
distributor lines ("04/09/2019 | Press release | Distributed by ..."),
image markup and bylines ("By NAME – Agency:"). These are read for their date and
content type or skipped; the headline is the first line that reads as a
title (a few words, no final period, not a dateline). A page whose first
line is already a paragraph (a long sentence, a dateline) has no headline:
a lead paragraph is never promoted to one. A standalone date line among the
first lines of the body ("As delivered by ... / November 1, 2018") dates the
item when the header gave no date. Lines repeating the headline are dropped.
"""

from __future__ import annotations

import re

from ..dates import date_reader, parse_date_line
from ..language import alternation, languages
from ..places import AGENCY_DATELINE
from .raw import CONTENT_TYPES, RawItem, RawPage, normalise_content_type, split_glued_datelines

NAME = "article"

_TIME = re.compile(r"^\d{1,2}:\d{2}$")
_MORE = re.compile(r"\+\s*\d+\s+more$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"\s[»›>]\s")
_IMAGE = re.compile(r"^(?:<image>.*</image>|!\[[^\]]*\]\([^)]*\))$")
_BYLINE = re.compile(r"^(?:By|Von|Par|Автор)\s+\S+.*(?:[:–—-]\s*\S*:?|\s)$")
_BANNER = re.compile(r"^[A-Z]{2,}\s+[-–—]\s+[A-Z]|24/7|\ba service\b", re.IGNORECASE)
_METADATA = re.compile(r"\s[|♦•]\s|♦")
#: an all-caps place and a comma open a dateline ("ASHGABAT, Turkmenistan, Nov. 8")
_DATELINE_START = re.compile(r"^[A-ZÀ-ÞŁŚŻŹ][A-ZÀ-ÞŁŚŻŹ .'’/-]{2,}(?:\s*\([^)]*\))?,\s")
_QUOTED_TITLE = re.compile(r'^["“„«](?P<title>[^"“”„«»]+)["”“»]$')
#: "Belgrad/Wien (agency) - …": places, an agency in brackets, a dash
#: a sentence ending inside a quotation ('… to justice.”'): no title
_SENTENCE_IN_QUOTE_END = re.compile(r"[.!?][”\"»’]$")
#: the label of a page's "last updated" line, in every language
#: (``updated_labels``), with its colon or preposition
_UPDATED = re.compile(
    r"^(?:" + alternation([w for lang in languages().values() for w in lang.words("updated_labels")]) + r")\b[:\s]*(?:on\s+|am\s+|le\s+|à\s+)?",
    re.IGNORECASE,
)
#: a menu entry of a page's navigation ("- Home", "- Rule of law", "-")
_MENU_ENTRY = re.compile(r"^[-•*]\s*(?:\S.{0,60})?$")
#: a content type and the organisation that issued it, on a line of its own
#: ("Press release from Ministry for Foreign Affairs")
_ISSUED_BY = re.compile(r"^(?P<type>.+?)\s+(?:from|by|von|de|du|от)\s+(?P<org>[A-ZÀ-ÞА-Я].{2,80})$")


def detect(lines: list[str]) -> bool:
    return True


def _metadata(line: str) -> tuple[object | None, str | None]:
    """(date, content type) of a metadata line with separators."""
    date = None
    ctype = None
    for part in re.split(r"\s*[|♦•]\s*", line):
        part = part.strip()
        if not part:
            continue
        if date is None:
            date = parse_date_line(part)
        if ctype is None and part.lower() in CONTENT_TYPES:
            ctype = normalise_content_type(part)
    return date, ctype


def _content_type_in(line: str) -> str | None:
    """A content-type word of the language files at the end of a date line."""
    end = line.rstrip(" .").lower()
    for word in CONTENT_TYPES:
        if end.endswith(" " + word):
            return normalise_content_type(word)
    for lang in languages().values():
        for word in lang.words("content_types"):
            if end.endswith(" " + word.lower()):
                return word
    return None


def _is_title(line: str, next_line: str = "") -> bool:
    """True when ``line`` reads as a headline: a few words, no dateline, no
    final period (but when the next line opens with a dateline: "Minister
    ends visit. Praise for hosts." over "Belgrad/Wien (agency) - ...")."""
    words = line.split()
    if not 3 <= len(words) <= 40 or len(line) > 260:
        return False
    if _METADATA.search(line) or _BREADCRUMB.search(line):
        return False
    if _DATELINE_START.match(line) and (len(words) <= 6 or date_reader().find(line)):
        return False  # "VIENNA, 28 November 2013 – …" ("OSCE, UN and EU Set …" is a title)
    if (line.endswith(".") and not line.endswith("..") and not re.search(r"\b(?:[A-Z]\.)+$", line)) or _SENTENCE_IN_QUOTE_END.search(line):
        # a sentence, not a title (headlines end without a period)
        return bool(_DATELINE_START.match(next_line) or AGENCY_DATELINE.match(next_line))
    return True


def parse(lines: list[str]) -> RawPage:
    lines = split_glued_datelines(lines)
    item = RawItem(headline=None)
    kept: list[str] = []  # short name-like lines (captions, kickers) kept as text
    i = 0
    # a site's navigation menu before the item ("- Home", "- About us", ...)
    while i < len(lines) and (_MENU_ENTRY.match(lines[i]) or (i + 1 < len(lines) and _MENU_ENTRY.match(lines[i + 1]) and len(lines[i].split()) <= 3)):
        i += 1
    start = i
    while i < len(lines) and i < start + 10:
        line = lines[i]
        if item.headline is None and len(line.split()) <= 8 and i + 1 < len(lines) and lines[i + 1] == line:
            # a site repeats its title ("Protecting Minorities" twice or
            # three times): the headline
            item.headline = line
            while i < len(lines) and lines[i] == line:
                i += 1
            continue
        issued = _ISSUED_BY.match(line) if item.headline is None else None
        if issued and issued.group("type").lower() in CONTENT_TYPES:
            item.content_type = item.content_type or normalise_content_type(issued.group("type"))
            item.publishers.append(issued.group("org").strip())
            i += 1
            continue
        if _DATELINE_START.match(line) and len(line.split()) <= 6 and not re.search(r"[.!?]$", line):
            i += 1  # "ASHGABAT, Turkmenistan, Nov. 8": a dateline line without its year
            continue
        if _IMAGE.match(line) or _TIME.match(line) or _MORE.search(line) or _BREADCRUMB.search(line) or _BYLINE.match(line):
            i += 1
            continue
        if _METADATA.search(line):
            date, ctype = _metadata(line)
            if date is not None and item.date_value is None:
                item.date, item.date_value = line, date
            if ctype and not item.content_type:
                item.content_type = ctype
            i += 1
            continue
        if item.headline is None and _UPDATED.match(line):
            # "Updated: 10 March 2021 14:02", "Dernière mise à jour à 10h47 le 10/12"
            date = parse_date_line(_UPDATED.sub("", line, count=1))
            if date is not None and item.date_value is None:
                item.date, item.date_value = line, date
            i += 1
            continue
        if item.headline is None and sum(1 for sp in date_reader().find(line) if not sp.derived) >= 2:
            i += 1  # "published in the period between 9 July and 30 November 2021": a site's note
            continue
        date = parse_date_line(line)
        if date is not None and len(line) <= 60 and not _DATELINE_START.match(line + " "):
            if item.date_value is None:
                item.date, item.date_value = line, date
                item.header_date = True
            ctype = _content_type_in(line)
            if ctype and not item.content_type:
                item.content_type = ctype  # "Wien, 7. Dezember 2017 Aussendung"
            i += 1
            continue
        if item.headline is None and len(line.split()) <= 3 and not line.endswith("."):
            if not _DATELINE_START.match(line):
                kept.append(line)
                i += 1
                continue
            break
        if item.headline is None and _BANNER.search(line) and i + 1 < len(lines):
            i += 1
            continue
        if item.headline is None and _is_title(line, lines[i + 1] if i + 1 < len(lines) else "") and i + 1 < len(lines):
            quoted = _QUOTED_TITLE.match(line)
            item.headline = quoted.group("title").strip() if quoted else line
            i += 1
            continue
        break
    if item.headline is None and kept and start > 0 and i > 0 and lines[i - 1] == kept[-1] and kept[-1][:1].isupper():
        # a site's menu, then a short title over the text ("Head of mission")
        item.headline = kept.pop()
    if item.headline is not None:
        i = _metadata_after_headline(lines, i, item)
    body = [line for k, line in enumerate(lines[i:]) if line and line != item.headline and not (k < 4 and _BYLINE.match(line))]
    if item.date_value is None:
        for line in body[:6]:
            if len(line) <= 40:
                date = parse_date_line(line)
                if date is not None and not re.search(r"[^\W\d_]{3,}", _without_date(line)):
                    # a date line in the text (the day of a speech, of an
                    # event's programme): a dateline wins over it
                    item.date, item.date_value = line, date
                    item.header_date = True
                    break
    item.body = [k for k in kept if low_noise(k)] + reflow(body)
    return RawPage(NAME, items=[item])


#: the end of a line that ends a paragraph: a sentence's end, a colon, a
#: closing quotation mark
_PARAGRAPH_END = re.compile(r"[.!?:;…\"”»“’)]\s*$")
#: hard-wrapped text: lines of at most this many characters...
WRAP_WIDTH = 90
#: ... most of which (this share of the lines of 40 characters or more)
#: stop in the middle of a sentence
WRAP_SHARE = 0.5


def reflow(lines: list[str]) -> list[str]:
    """``lines`` with hard-wrapped text joined into paragraphs (a copy that
    broke its lines at a fixed width, "…the Special Envoy of the OSCE" /
    "Chairman-in-Office. …"): when most long lines are short of
    :data:`WRAP_WIDTH` and stop mid-sentence, a line that does not end a
    sentence is joined with the next one. Other texts are returned as they
    are."""
    long_lines = [line for line in lines if len(line) >= 40]
    if len(long_lines) < 4 or max(map(len, long_lines)) > WRAP_WIDTH:
        return lines
    open_ended = sum(1 for line in long_lines if not _PARAGRAPH_END.search(line))
    if open_ended < WRAP_SHARE * len(long_lines):
        return lines
    out: list[str] = []
    for line in lines:
        if out and len(out[-1]) >= 40 and not _PARAGRAPH_END.search(out[-1]):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def _metadata_after_headline(lines: list[str], i: int, item: RawItem) -> int:
    """Read the metadata lines right under the headline (a publisher's name,
    "Publication date 3.2.2025 15.44 | …", a content type alone: "Speech")
    into ``item``; returns the index of the first line of the text. Up to
    three short lines are looked at; the publisher's line stays in the text."""
    first = i
    for j in range(i, min(i + 3, len(lines))):
        line = lines[j]
        if _METADATA.search(line):
            date, ctype = _metadata(line)
            if date is not None and item.date_value is None:
                item.date, item.date_value = line, date
            item.content_type = item.content_type or ctype
        elif line.lower().rstrip(" .") in CONTENT_TYPES:
            item.content_type = item.content_type or normalise_content_type(line.rstrip(" ."))
        elif len(line.split()) <= 5 and not line.endswith("."):
            continue  # a publisher's or a section's name
        else:
            break
        if j == first:
            first += 1
        else:
            lines[j] = ""  # read: not text
    return first


def _without_date(line: str) -> str:
    """``line`` without its month names (what is left of a date line)."""
    months = date_reader().months
    return " ".join(w for w in re.split(r"[\s,.;]+", line) if w.lower() not in months)


def low_noise(line: str) -> bool:
    """True for a kept header line that may name a person (two or three
    capitalised words: a caption), False for menu words and site names."""
    words = line.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
