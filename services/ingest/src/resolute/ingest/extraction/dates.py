"""Dates as documents write them ("13-14 November 2025", "Monday 13 October 2025", "January 29, 2013").

One scanner for deadlines, calendar facts and adoption dates, so every rule reads
dates the same way and keeps the offsets of what it read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:January|February|March|April|(?-i:May|MAY)|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)"
_DASH = r"\s*(?:-|\u2013|\u2014|\s(?:to|until|and)\s)\s*"
_ORD = r"(?:st|nd|rd|th|ST|ND|RD|TH)?"

DATE_PATTERN = re.compile(
    rf"""
    (?P<cross>(?P<cd1>\d{{1,2}}){_ORD}\s+(?P<cm1>{_MONTH}){_DASH}
              (?P<cd2>\d{{1,2}}){_ORD}\s+(?P<cm2>{_MONTH}),?\s+(?P<cy>\d{{4}}))
  | (?P<range>(?P<rd1>\d{{1,2}}){_ORD}{_DASH}(?P<rd2>\d{{1,2}}){_ORD}\s+(?:of\s+)?
              (?P<rm>{_MONTH}),?\s+(?P<ry>\d{{4}}))
  | (?P<day>{_WEEKDAY}?(?:the\s+)?(?P<dd>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<dm>{_MONTH}),?\s+(?P<dy>\d{{4}}))
  | (?P<us>{_WEEKDAY}?(?P<um>{_MONTH})\s+(?P<ud1>\d{{1,2}}){_ORD}(?:{_DASH}(?P<ud2>\d{{1,2}}){_ORD})?,?\s+
           (?P<uy>\d{{4}}))
  | (?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}}))
  | (?P<dotted>(?P<nd>\d{{1,2}})\.(?P<nm>\d{{1,2}})\.(?P<ny>\d{{4}}))
  | (?P<month>(?P<mm>{_MONTH})\s+(?P<my>\d{{4}}))
    """,
    re.X | re.I,
)

Precision = Literal["day", "month"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or date range found in text, with its offsets."""

    start: int
    end: int
    first: date
    last: date
    precision: Precision

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _mention(m: re.Match[str]) -> DateMention | None:
    g = m.group
    try:
        if g("cross"):
            y = int(g("cy"))
            return DateMention(
                m.start(),
                m.end(),
                date(y, _month(g("cm1")), int(g("cd1"))),
                date(y, _month(g("cm2")), int(g("cd2"))),
                "day",
            )
        if g("range"):
            y, mo = int(g("ry")), _month(g("rm"))
            first, last = date(y, mo, int(g("rd1"))), date(y, mo, int(g("rd2")))
            return DateMention(m.start(), m.end(), first, last, "day") if first <= last else None
        if g("day"):
            d = date(int(g("dy")), _month(g("dm")), int(g("dd")))
            return DateMention(m.start(), m.end(), d, d, "day")
        if g("us"):
            y, mo = int(g("uy")), _month(g("um"))
            first = date(y, mo, int(g("ud1")))
            last = date(y, mo, int(g("ud2"))) if g("ud2") else first
            return DateMention(m.start(), m.end(), first, last, "day")
        if g("iso"):
            d = date(int(g("iy")), int(g("im")), int(g("id")))
            return DateMention(m.start(), m.end(), d, d, "day")
        if g("dotted"):
            d = date(int(g("ny")), int(g("nm")), int(g("nd")))
            return DateMention(m.start(), m.end(), d, d, "day")
        if g("month"):
            d = date(int(g("my")), _month(g("mm")), 1)
            return DateMention(m.start(), m.end(), d, d, "month")
    except ValueError:
        return None
    return None


_HAS_YEAR = re.compile(r"\d{4}")
# Every pattern above names a month or is all digits (ISO, dotted): without either there is nothing to scan.
_HAS_MONTH_OR_NUMERIC = re.compile(
    r"\d{4}-\d\d-\d\d|\d\.\d{1,2}\.\d{4}|\b(?:May|MAY|(?i:(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*))\b"
)
_YEARLESS = re.compile(
    rf"\b(?P<d1>\d{{1,2}}){_ORD}(?:{_DASH}(?P<d2>\d{{1,2}}){_ORD})?\s+(?:of\s+)?(?P<m>{_MONTH})(?!,?\s*\d)"
)


def find_dates(
    text: str, start: int = 0, end: int | None = None, *, default_year: int | None = None
) -> list[DateMention]:
    """Every date, date range and month-year in text[start:end], left to right.

    With `default_year`, day-month dates written without a year ("on 17-18 October") take it,
    as press releases write them under a dated headline.
    """
    stop = len(text) if end is None else end
    found: list[DateMention] = []
    month_or_numeric = _HAS_MONTH_OR_NUMERIC.search(text, start, stop) is not None
    if month_or_numeric and _HAS_YEAR.search(text, start, stop):
        for m in DATE_PATTERN.finditer(text, start, stop):
            mention = _mention(m)
            if mention is not None:
                found.append(mention)
    if default_year is not None and month_or_numeric:
        for m in _YEARLESS.finditer(text, start, stop):
            if any(f.start <= m.start() < f.end for f in found):
                continue
            try:
                month = _month(m.group("m"))
                first = date(default_year, month, int(m.group("d1")))
                last = date(default_year, month, int(m.group("d2"))) if m.group("d2") else first
            except ValueError:
                continue
            if first <= last:
                found.append(DateMention(m.start(), m.end(), first, last, "day"))
        found.sort(key=lambda f: f.start)
    return found


def month_end(d: date) -> date:
    """The last day of d's month."""
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
