"""From a deadline as the text states it to a date: dates, months, years, institutional events, recurring ones."""

from __future__ import annotations

import calendar as gregorian
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from resolute.shared.extracted import DeadlineKind
from resolute.tracker.calendar.projection import Calendar, parse_period, shift

DeadlineState = Literal["scheduled", "unscheduled", "none"]


@dataclass(frozen=True)
class DeadlineExpression:
    """What extraction found: `{verbatim, kind, series, ordinal, date, year, every}`."""

    verbatim: str
    kind: DeadlineKind
    series: str | None = None
    ordinal: int | str | None = None
    date: date | None = None
    year: int | None = None
    every: str | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> DeadlineExpression:
        day = raw.get("date")
        return cls(
            verbatim=str(raw.get("verbatim") or ""),
            kind=raw["kind"],
            series=raw.get("series"),
            ordinal=raw.get("ordinal"),
            date=date.fromisoformat(day) if isinstance(day, str) else day,
            year=raw.get("year"),
            every=raw.get("every"),
        )


@dataclass(frozen=True)
class ResolvedDeadline:
    """The date a commitment is due, whether it is only projected, and the occurrence it hangs on."""

    date: date | None
    projected: bool = False
    series: str | None = None
    ordinal: int | None = None

    @property
    def state(self) -> DeadlineState:
        return "scheduled" if self.date is not None else "unscheduled"


UNSCHEDULED = ResolvedDeadline(None)

# Parts of a year a text may name instead of the whole year: the last day of that part.
_PARTS: tuple[tuple[re.Pattern[str], tuple[int, int]], ...] = (
    (re.compile(r"\bfirst\s+half\b", re.I), (6, 30)),
    (re.compile(r"\bsecond\s+half\b", re.I), (12, 31)),
    (re.compile(r"\bfirst\s+quarter\b", re.I), (3, 31)),
    (re.compile(r"\bsecond\s+quarter\b", re.I), (6, 30)),
    (re.compile(r"\bthird\s+quarter\b", re.I), (9, 30)),
    (re.compile(r"\bfourth\s+quarter\b", re.I), (12, 31)),
    (re.compile(r"\b(?:beginning|start)\s+of\b|\bearly[\s-]", re.I), (3, 31)),
    (re.compile(r"\bmiddle\s+of\b|\bmid[\s-]", re.I), (6, 30)),
    (re.compile(r"\bspring\b", re.I), (5, 31)),
    (re.compile(r"\bsummer\b", re.I), (8, 31)),
    (re.compile(r"\b(?:autumn|fall)\b", re.I), (11, 30)),
)


def month_end(day: date) -> date:
    return day.replace(day=gregorian.monthrange(day.year, day.month)[1])


def year_deadline(year: int, verbatim: str) -> date:
    """31 December, unless the text names a part of the year ("by mid-2026" -> 30 June)."""
    for pattern, (month, day) in _PARTS:
        if pattern.search(verbatim):
            return date(year, month, day)
    return date(year, 12, 31)


def recurring_deadline(every: str | None, reference: date, today: date) -> date | None:
    """The next occurrence of a recurring obligation after today, counted in periods from the reference date."""
    period = parse_period(every)
    if period is None:
        return None
    approximate_days = period.years * 365.25 + period.months * 30.44 + period.days  # weeks are kept as days
    step = max(1, int((today - reference).days / approximate_days) - 1) if approximate_days > 0 else 1
    candidate = shift(reference, period, step)
    while candidate <= today:
        step += 1
        candidate = shift(reference, period, step)
    return candidate if candidate > today else None


def event_deadline(expression: DeadlineExpression, reference: date, calendar: Calendar) -> ResolvedDeadline:
    """The occurrence the deadline names, resolved through the calendar (projected until known)."""
    series = expression.series
    if not series:
        return UNSCHEDULED
    ordinal = expression.ordinal
    if isinstance(ordinal, str) and ordinal.isdigit():
        ordinal = int(ordinal)
    occurrence = None
    if isinstance(ordinal, int):
        occurrence = calendar.occurrence(series, ordinal)
        if occurrence is None:
            return ResolvedDeadline(None, series=series, ordinal=ordinal)
    elif ordinal == "next":
        occurrence = calendar.next_after(series, reference)
    elif expression.year is not None:
        occurrence = calendar.in_year(series, expression.year)
        if occurrence is None and not calendar.numbered(series):
            return ResolvedDeadline(None, series=series, ordinal=expression.year)
    if occurrence is None:
        return ResolvedDeadline(None, series=series)
    return ResolvedDeadline(occurrence.start, occurrence.projected, series, occurrence.ordinal)


def resolve_deadline(
    expression: DeadlineExpression | None, *, reference: date, today: date, calendar: Calendar
) -> ResolvedDeadline:
    """The due date for a deadline expression; `reference` is the document's adoption (or publication) date."""
    if expression is None:
        return UNSCHEDULED
    match expression.kind:
        case "date":
            return ResolvedDeadline(expression.date) if expression.date else UNSCHEDULED
        case "month":
            if expression.date is not None:
                return ResolvedDeadline(month_end(expression.date))
            return UNSCHEDULED
        case "year":
            year = expression.year or (expression.date.year if expression.date else None)
            return ResolvedDeadline(year_deadline(year, expression.verbatim)) if year else UNSCHEDULED
        case "event":
            return event_deadline(expression, reference, calendar)
        case "recurring":
            return ResolvedDeadline(recurring_deadline(expression.every, reference, today))
    return UNSCHEDULED


def resolve_stated(
    deadline: Mapping[str, Any] | None, *, reference: date, today: date, calendar: Calendar
) -> ResolvedDeadline:
    """The due date for a deadline as stored (`resolute.shared.extracted.Deadline` as JSON), or none."""
    expression = DeadlineExpression.from_json(deadline) if deadline else None
    return resolve_deadline(expression, reference=reference, today=today, calendar=calendar)
