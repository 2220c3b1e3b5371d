"""Projecting a series' future occurrences from its shipped history, so an event-anchored deadline ("at the
32nd Baltic Council") has a date from the first upload, before any document has dated an earlier meeting.

An occurrence a source dates is known: `held`, or `announced` (a date given in advance). Any other ordinal of
a series with a cadence is `projected`: its year follows the cadence from the nearest known occurrence, and
its day is the series' typical day of the year (the median over the nearest known occurrences), since
sessions and summits keep their season far better than an exact cadence (the Baltic Assembly met between
mid-October and late November for twenty years). The uncertainty is how far those occurrences strayed from
the typical day, widened by a week for every cadence step beyond the first (and by two weeks for each of
fewer than four known occurrences). Occurrences learnt later (from a
document, or an admin's confirmation) are passed in and take precedence over the shipped ones.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from resolute.shared.actors.models import EventSeries

_DURATION = re.compile(r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")
_WINDOW = 8  # known occurrences the typical day and the spread are taken from
_STEP_DAYS = 7  # extra uncertainty for every cadence step beyond the first
_MIN_UNCERTAINTY_DAYS = 3
_FEW_KNOWN = 4  # below this many known occurrences the spread says little: two weeks more per one missing
_CONFIDENCE_SCALE_DAYS = 30  # ±30 days of uncertainty is a confidence of one half
_REFERENCE_YEAR = 2001  # not a leap year: days of the year compare across years

Status = Literal["held", "announced", "learnt", "confirmed", "projected"]


@dataclass(frozen=True, slots=True)
class KnownOccurrence:
    """An occurrence learnt after shipping: `learnt` from a document or `confirmed` by an admin."""

    ordinal: int
    start: date
    end: date | None = None
    place: str | None = None
    status: Literal["learnt", "confirmed"] = "learnt"


@dataclass(frozen=True, slots=True)
class ProjectedOccurrence:
    """When (and where) an occurrence meets, and how sure that is.

    `uncertainty_days` is the half-width of the window the start is expected in (0 when known);
    `confidence` is 1 for a known date, 0.9 for an announced one, and 30 / (30 + uncertainty) for a projection.
    `basis` lists the ordinals (years for unnumbered series) the projection was made from."""

    series: str
    ordinal: int
    start: date
    end: date | None
    place: str | None
    status: Status
    uncertainty_days: int
    confidence: float
    basis: tuple[int, ...] = ()

    @property
    def projected(self) -> bool:
        return self.status == "projected"


@dataclass(frozen=True, slots=True)
class _Dated:
    key: int
    start: date
    end: date | None
    place: str | None
    status: Status


@dataclass(frozen=True, slots=True)
class Conflict:
    """A learnt or confirmed date that disagrees with the shipped one: to be shown, never silently resolved."""

    series: str
    ordinal: int
    shipped_start: date
    shipped_end: date | None
    learnt_start: date
    learnt_end: date | None


def _months(cadence: str | None) -> tuple[int, int] | None:
    """(months, days) of an ISO 8601 duration, or None when absent or empty."""
    if not cadence:
        return None
    match = _DURATION.match(cadence)
    if match is None:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    months = parts.get("y", 0) * 12 + parts.get("m", 0)
    days = parts.get("w", 0) * 7 + parts.get("d", 0)
    return (months, days) if months or days else None


def _known(series: EventSeries, learnt: Iterable[KnownOccurrence]) -> dict[int, _Dated]:
    known = {o.key: _Dated(o.key, o.start, o.end, o.place, o.status) for o in series.occurrences if not o.extraordinary}
    for o in learnt:
        known[o.ordinal] = _Dated(o.ordinal, o.start, o.end, o.place, o.status)
    return known


def _day_of_year(day: date) -> int:
    return date(_REFERENCE_YEAR, day.month, min(day.day, 28) if day.month == 2 else day.day).timetuple().tm_yday


def _in_year(year: int, day_of_year: int) -> date:
    reference = date(_REFERENCE_YEAR, 1, 1) + timedelta(days=day_of_year - 1)
    return date(year, reference.month, reference.day)


def _shift(day: date, months: int, days: int, times: int) -> date:
    total = day.year * 12 + (day.month - 1) + months * times
    year, month = divmod(total, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last)) + timedelta(days=days * times)


def _recurring_place(window: list[_Dated], known: dict[int, _Dated], target: int) -> str | None:
    """The place, when the known places repeat with a short period (the presidency's rotation)."""
    places = {d.key: d.place for d in window if d.place}
    for period in (1, 2, 3, 4):
        pairs = [(k, k - period) for k in places if k - period in places]
        if len(pairs) >= 2 and all(places[a] == places[b] for a, b in pairs):
            for back in range(period, period * 4, period):
                earlier = known.get(target - back)
                if earlier is not None and earlier.place:
                    return earlier.place
            return None
    return None


def project_occurrence(
    series: EventSeries, ordinal: int, learnt: Iterable[KnownOccurrence] = ()
) -> ProjectedOccurrence | None:
    """The occurrence with this ordinal (for unnumbered series, of this year): known if a source or a learnt
    occurrence dates it, else projected from the history; None without a cadence or any dated occurrence."""
    known = _known(series, learnt)
    exact = known.get(ordinal)
    if exact is not None:
        confidence = 0.9 if exact.status == "announced" else 1.0
        return ProjectedOccurrence(
            series.id, ordinal, exact.start, exact.end, exact.place, exact.status, 0, confidence, (ordinal,)
        )
    cadence = _months(series.cadence)
    if cadence is None or not known:
        return None
    months, days = cadence
    # The nearest known occurrences by number (ties: the later one), the first of them the anchor.
    window = sorted(known.values(), key=lambda d: (abs(d.key - ordinal), -d.key))[:_WINDOW]
    anchor = window[0]
    steps = ordinal - anchor.key
    if series.numbered:
        rough = _shift(anchor.start, months, days, steps)
    else:  # unnumbered series are numbered by year: the cadence only says how often
        rough = date(ordinal, anchor.start.month, min(anchor.start.day, 28))
    if days == 0 and months % 12 == 0:
        typical = round(statistics.median(_day_of_year(d.start) for d in window))
        start = _in_year(rough.year, typical)
        spread = max(abs(_day_of_year(d.start) - typical) for d in window)
    else:
        start = rough
        ordered = sorted(window, key=lambda d: d.key)
        errors = [
            abs((b.start - _shift(a.start, months, days, b.key - a.key)).days) for a, b in itertools.pairwise(ordered)
        ]
        spread = max(errors, default=0)
    uncertainty = max(_MIN_UNCERTAINTY_DAYS, spread + _STEP_DAYS * (abs(steps) - 1))
    uncertainty += 2 * _STEP_DAYS * max(0, _FEW_KNOWN - len(window))
    lengths = [(d.end - d.start).days for d in window if d.end is not None]
    end = start + timedelta(days=round(statistics.median(lengths))) if len(lengths) == len(window) else None
    place = _recurring_place(window, known, ordinal) if series.numbered else None
    confidence = round(_CONFIDENCE_SCALE_DAYS / (_CONFIDENCE_SCALE_DAYS + uncertainty), 2)
    basis = tuple(sorted(d.key for d in window))
    return ProjectedOccurrence(series.id, ordinal, start, end, place, "projected", uncertainty, confidence, basis)


def conflicts(series: EventSeries, learnt: Iterable[KnownOccurrence]) -> list[Conflict]:
    """Learnt or confirmed occurrences whose dates differ from the shipped ones of the same ordinal."""
    found: list[Conflict] = []
    for o in learnt:
        shipped = series.occurrence(o.ordinal)
        if shipped is not None and (shipped.start, shipped.end or shipped.start) != (o.start, o.end or o.start):
            found.append(Conflict(series.id, o.ordinal, shipped.start, shipped.end, o.start, o.end))
    return found
