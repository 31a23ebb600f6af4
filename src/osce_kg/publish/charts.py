"""Charts drawn on the server as inline SVG for the site's pages (no
JavaScript; ARCHITECTURE.md, "Site").

Each function returns :class:`markupsafe.Markup` holding one ``<svg>``
element with ``role="img"``, a ``<title>`` and a ``<desc>`` that states the
numbers, so a screen reader or a text browser reads the same data the
picture shows; every text in it is escaped. Sizes are in CSS pixels; the
SVG scales to the width of its container (``viewBox``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Span", "bar_chart", "timeline"]

_BAR = "#2f5d8a"
_EVIDENCE = "#c9822b"
_AXIS = "#555"


def bar_chart(counts: Mapping[int, int], *, title: str, unit: str, width: int = 640, height: int = 200) -> Markup:
    """Vertical bars of ``counts`` (year -> count), every year from the
    first to the last present (years without a count are 0), each bar
    labelled with its count and every year (every 5th or 10th when there
    are many) on the axis. ``unit`` names what is counted ("statements").
    An empty ``counts`` gives an empty Markup."""
    if not counts:
        return Markup("")
    years = list(range(min(counts), max(counts) + 1))
    top = max(counts.values()) or 1
    left, bottom, head = 8, 22, 16
    slot = (width - 2 * left) / len(years)
    bar = max(1.0, min(slot * 0.8, 40.0))
    step = 1 if len(years) <= 15 else 5 if len(years) <= 60 else 10
    parts = [_open(width, height, title, ", ".join(f"{y}: {counts.get(y, 0)} {unit}" for y in years))]
    for n, year in enumerate(years):
        value = counts.get(year, 0)
        h = (height - bottom - head) * value / top
        x = left + n * slot + (slot - bar) / 2
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{_BAR}"><title>{year}: {value} {escape(unit)}</title></rect>')
        if value and slot >= 14:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11">{value}</text>')
        if year % step == 0 or len(years) == 1:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" fill="{_AXIS}">{year}</text>')
    parts.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="{_AXIS}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Span:
    """One bar of a :func:`timeline`: a label, the first and last day
    (``YYYY-MM-DD``; either may be empty when unknown), and whether the days
    come from the pages' evidence rather than the office-holder table."""

    label: str
    start: str
    end: str
    evidence: bool = False


def timeline(spans: Sequence[Span], *, title: str, width: int = 640) -> Markup:
    """Horizontal bars of ``spans`` on one axis of years (a span without
    dates is left out of the picture; the page lists it). Table-based
    spans are solid, evidence-based ones striped, with a legend when both
    occur. An empty picture gives an empty Markup."""
    dated = [s for s in spans if s.start or s.end]
    if not dated:
        return Markup("")
    days = [_day(d) for s in dated for d in (s.start, s.end) if d]
    first, last = dt.date(min(days).year, 1, 1), dt.date(max(days).year + 1, 1, 1)
    total = (last - first).days
    longest = max(len(s.label) for s in dated)
    label_w, row, head = min(int(width * 0.45), 12 + int(6.6 * min(longest, 48))), 24, 8
    legend = any(s.evidence for s in dated)
    height = head + row * len(dated) + 24 + (18 if legend else 0)
    plot = width - label_w - 12
    desc = "; ".join(f"{s.label}: {s.start or '?'} to {s.end or '?'}{' (from the pages)' if s.evidence else ''}" for s in dated)
    parts = [_open(width, height, title, desc)]
    parts.append(f'<defs><pattern id="evidence" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                 f'<rect width="6" height="6" fill="#f3dfc4"/><rect width="3" height="6" fill="{_EVIDENCE}"/></pattern></defs>')
    for n, span in enumerate(dated):
        y = head + n * row
        start = _day(span.start or span.end)
        end = _day(span.end or span.start)
        x0 = label_w + plot * (start - first).days / total
        x1 = label_w + plot * ((end - first).days + 1) / total
        fill = "url(#evidence)" if span.evidence else _BAR
        fits = int((label_w - 12) / 6.6)
        text = span.label if len(span.label) <= fits else span.label[: fits - 1] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(text)}</text>')
        parts.append(f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(4.0, x1 - x0):.1f}" height="{row - 8}" fill="{fill}">'
                     f"<title>{escape(span.label)}: {span.start or '?'} to {span.end or '?'}</title></rect>")
    axis = head + row * len(dated) + 4
    parts.append(f'<line x1="{label_w}" y1="{axis}" x2="{label_w + plot}" y2="{axis}" stroke="{_AXIS}"/>')
    years = list(range(first.year, last.year + 1))
    step = 1 if len(years) <= 12 else 5 if len(years) <= 50 else 10
    for year in years:
        if year % step == 0 or year in (first.year, last.year):
            x = label_w + plot * (dt.date(year, 1, 1) - first).days / total
            parts.append(f'<text x="{x:.1f}" y="{axis + 15}" text-anchor="middle" font-size="11" fill="{_AXIS}">{year}</text>')
    if legend:
        y = axis + 22
        parts.append(f'<rect x="{label_w}" y="{y}" width="14" height="10" fill="{_BAR}"/>'
                     f'<text x="{label_w + 18}" y="{y + 9}" font-size="11">office-holder table</text>'
                     f'<rect x="{label_w + 130}" y="{y}" width="14" height="10" fill="url(#evidence)"/>'
                     f'<text x="{label_w + 148}" y="{y + 9}" font-size="11">from the pages</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title><desc>{escape(desc)}</desc>')


def _day(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` (or ``YYYY``) date; a malformed one is 1 January of its year."""
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return dt.date(int(text[:4]), 1, 1) if text[:4].isdigit() else dt.date(1970, 1, 1)
