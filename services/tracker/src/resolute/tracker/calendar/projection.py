"""The institutional calendar as pure data: the registry's shipped history, what documents taught and admins
confirmed, and a date for every other occurrence, so an event-anchored deadline is dated from the first upload.

Which date an occurrence has, first match wins:

1. an admin's confirmation (`confirmed`), then a document's date (`learnt`), then the shipped history (`held`,
   or `announced` in advance). A learnt date that differs from the shipped one is kept, since documents come
   after the shipping, but it is a conflict (`conflict`), shown until an admin confirms one date;
2. projected from a known occurrence it meets with (the 32nd Baltic Council meets with the 45th Baltic Assembly
   session: once that session is dated, so is the Council), joint meetings coming from the shipped history and
   from documents dating two series alike;
3. projected from its own series' history and cadence (`resolute.shared.actors.project_occurrence`: the typical
   day of the year, with how uncertain and how sure that is, learnt and confirmed dates taking precedence over
   shipped ones), or from the history of a series it meets with, whichever projection is surer.

Series that are not numbered (NATO summits) are numbered by year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from resolute.shared.actors import (
    EventSeries,
    KnownOccurrence,
    ProjectedOccurrence,
    SeriesOccurrence,
    project_occurrence,
)

_DURATION = re.compile(r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")
_MAX_STEPS = 400
#: a date taken from the occurrence it meets with: as sure as a joint meeting is, a few days either way
JOINT_UNCERTAINTY_DAYS = 3
_CONFIDENCE_SCALE_DAYS = 30  # the shared projection's scale: +-30 days of uncertainty is a confidence of 0.5

OccurrenceState = Literal["held", "announced", "learnt", "confirmed", "projected"]
#: states the tracker's own rows hold (the shipped ones live in the registry)
RECORDED_STATES = ("learnt", "confirmed")


def parse_period(value: str | None) -> relativedelta | None:
    """An ISO 8601 duration of whole years, months, weeks and days (`P1Y`, `P6M`); None when absent or odd."""
    if not value:
        return None
    match = _DURATION.match(value)
    if match is None or not any(match.groupdict().values()):
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    period = relativedelta(
        years=parts.get("y", 0), months=parts.get("m", 0), weeks=parts.get("w", 0), days=parts.get("d", 0)
    )
    return period if period != relativedelta() else None


def shift(day: date, period: relativedelta, times: int) -> date:
    """`day` moved by `times` periods (negative moves back); month ends stay valid (29 Feb -> 28 Feb)."""
    result: Any = day + period * times
    return result  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series and how sure its date is.

    `uncertainty_days` is the half-width of the window a projected start is expected in (0 when known);
    `confidence` 1 for a known date, 0.9 for an announced one, less for projections; `basis` the ordinals a
    projection was made from, of `basis_series` when that is another series (a joint meeting)."""

    series: str
    ordinal: int
    start: date
    end: date | None = None
    place: str | None = None
    state: str = "learnt"
    uncertainty_days: int = 0
    confidence: float = 1.0
    basis: tuple[int, ...] = ()
    basis_series: str | None = None

    @property
    def projected(self) -> bool:
        return self.state == "projected"


@dataclass(frozen=True)
class JointMeeting:
    """Two occurrences of different series that met together (shipped, or the same dates in one document)."""

    series: str
    ordinal: int
    other_series: str
    other_ordinal: int


def _shipped(series: EventSeries, row: SeriesOccurrence) -> Occurrence:
    confidence = 0.9 if row.status == "announced" else 1.0
    return Occurrence(series.id, row.key, row.start, row.end, row.place, row.status, 0, confidence, (row.key,))


def _projection(series: str, ordinal: int, found: ProjectedOccurrence, basis_series: str | None) -> Occurrence:
    return Occurrence(
        series, ordinal, found.start, found.end, found.place, "projected", found.uncertainty_days, found.confidence,
        found.basis, basis_series,
    )  # fmt: skip


@dataclass
class Calendar:
    """The registry's series with their shipped history, the tracker's learnt and confirmed occurrences, the
    joint meetings, and what can be projected from them (memoised: one calendar serves one transaction)."""

    series: dict[str, EventSeries]
    learnt: dict[tuple[str, int], Occurrence] = field(default_factory=dict)
    joint: list[JointMeeting] = field(default_factory=list)
    _memo: dict[tuple[str, int], Occurrence | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls, series: Iterable[EventSeries], learnt: Iterable[Occurrence] = (), joint: Iterable[JointMeeting] = ()
    ) -> Calendar:
        listed = list(series)
        shipped_joint = [
            JointMeeting(s.id, o.key, ref.series, ref.ordinal)
            for s in listed
            for o in s.occurrences
            if not o.extraordinary
            for ref in o.meets_with
        ]
        return cls({s.id: s for s in listed}, {(o.series, o.ordinal): o for o in learnt}, [*shipped_joint, *joint])

    def numbered(self, series: str) -> bool:
        info = self.series.get(series)
        return info.numbered if info is not None else True

    def shipped(self, series: str, ordinal: int) -> SeriesOccurrence | None:
        """The occurrence as the registry's history ships it (with its source), if it does."""
        info = self.series.get(series)
        return info.occurrence(ordinal) if info is not None else None

    def known(self, series: str, ordinal: int) -> Occurrence | None:
        """The occurrence if something dates it: an admin, a document, or the shipped history."""
        recorded = self.learnt.get((series, ordinal))
        if recorded is not None:
            return recorded
        info = self.series.get(series)
        row = info.occurrence(ordinal) if info is not None else None
        return _shipped(info, row) if info is not None and row is not None else None

    def known_ordinals(self, series: str) -> list[int]:
        """Every ordinal of the series something dates, in order."""
        info = self.series.get(series)
        shipped = {o.key for o in info.occurrences if not o.extraordinary} if info is not None else set()
        return sorted(shipped | {k for s, k in self.learnt if s == series})

    def dated(self, series: str) -> list[Occurrence]:
        """Every known occurrence of the series, in order."""
        found = (self.known(series, k) for k in self.known_ordinals(series))
        return [o for o in found if o is not None]

    def conflict(self, series: str, ordinal: int) -> SeriesOccurrence | None:
        """The shipped occurrence a document's date contradicts (shown until an admin confirms a date)."""
        recorded = self.learnt.get((series, ordinal))
        shipped = self.shipped(series, ordinal)
        if recorded is None or shipped is None or recorded.state != "learnt":
            return None
        same = (recorded.start, recorded.end or recorded.start) == (shipped.start, shipped.end or shipped.start)
        return None if same else shipped

    def offsets(self, series: str) -> dict[str, int]:
        """For each series that meets with `series`: its ordinal minus ours (the latest joint meeting wins)."""
        found: dict[str, tuple[int, int]] = {}
        for meeting in self.joint:
            for a, a_ord, b, b_ord in (
                (meeting.series, meeting.ordinal, meeting.other_series, meeting.other_ordinal),
                (meeting.other_series, meeting.other_ordinal, meeting.series, meeting.ordinal),
            ):
                if a == series and b != series and (b not in found or a_ord > found[b][0]):
                    found[b] = (a_ord, b_ord - a_ord)
        return {other: offset for other, (_, offset) in found.items()}

    def _learnt_of(self, series: str) -> list[KnownOccurrence]:
        return [
            KnownOccurrence(o.ordinal, o.start, o.end, o.place, "confirmed" if o.state == "confirmed" else "learnt")
            for (s, _), o in self.learnt.items()
            if s == series
        ]

    def _own_projection(self, series: str, ordinal: int) -> Occurrence | None:
        info = self.series.get(series)
        if info is None:
            return None
        found = project_occurrence(info, ordinal, self._learnt_of(series))
        return _projection(series, ordinal, found, None) if found is not None else None

    def _with_partner(self, series: str, ordinal: int) -> Occurrence | None:
        """The dates of a known occurrence this one meets with."""
        for other, offset in sorted(self.offsets(series).items()):
            partner = self.known(other, ordinal + offset)
            if partner is not None:
                confidence = round(
                    min(partner.confidence, _CONFIDENCE_SCALE_DAYS / (_CONFIDENCE_SCALE_DAYS + JOINT_UNCERTAINTY_DAYS)),
                    2,
                )
                return Occurrence(
                    series, ordinal, partner.start, partner.end, partner.place, "projected", JOINT_UNCERTAINTY_DAYS,
                    confidence, (partner.ordinal,), other,
                )  # fmt: skip
        return None

    def _surest_projection(self, series: str, ordinal: int) -> Occurrence | None:
        """The surest of its own series' projection and those of the series it meets with (its own on a tie)."""
        candidates = []
        own = self._own_projection(series, ordinal)
        if own is not None:
            candidates.append(own)
        for other, offset in sorted(self.offsets(series).items()):
            info = self.series.get(other)
            found = project_occurrence(info, ordinal + offset, self._learnt_of(other)) if info is not None else None
            if found is not None:
                candidates.append(_projection(series, ordinal, found, other))
        return max(candidates, key=lambda o: o.confidence, default=None)  # max keeps the first of equals

    def occurrence(self, series: str, ordinal: int) -> Occurrence | None:
        """The known occurrence, else the best projection (see the module's order), else None."""
        key = (series, ordinal)
        if key not in self._memo:
            self._memo[key] = (
                self.known(series, ordinal)
                or self._with_partner(series, ordinal)
                or self._surest_projection(series, ordinal)
            )
        return self._memo[key]

    def _anchor(self, series: str) -> int | None:
        """Some ordinal of `series` that has a date (known or projected), to search from."""
        own = self.known_ordinals(series)
        if own:
            return own[-1]
        for other, offset in sorted(self.offsets(series).items()):
            others = self.known_ordinals(other)
            if others:
                return others[-1] - offset
        return None

    def next_after(self, series: str, reference: date) -> Occurrence | None:
        """The first occurrence starting after `reference` ("return to the next session")."""
        anchor = self._anchor(series)
        if anchor is None:
            return None
        current = self.occurrence(series, anchor)
        if current is None:
            return None
        ordinal = anchor
        for _ in range(_MAX_STEPS):
            if current.start > reference:
                earlier = self.occurrence(series, ordinal - 1) if ordinal > 1 else None
                if earlier is None or earlier.start <= reference:
                    return current
                ordinal, current = ordinal - 1, earlier
            else:
                later = self.occurrence(series, ordinal + 1)
                if later is None or later.start <= current.start:
                    return None
                ordinal, current = ordinal + 1, later
        return None

    def last_before(self, series: str, reference: date) -> Occurrence | None:
        """The latest known occurrence that started on or before `reference`."""
        return next((o for o in reversed(self.dated(series)) if o.start <= reference), None)

    def in_year(self, series: str, year: int) -> Occurrence | None:
        """The occurrence a text names by year ("the 2026 Summit"): the year itself for unnumbered series."""
        if not self.numbered(series):
            return self.occurrence(series, year)
        found = self.next_after(series, date(year - 1, 12, 31))
        return found if found is not None and found.start.year == year else None


def joint_meetings(facts: Iterable[Occurrence]) -> list[JointMeeting]:
    """Occurrences of different series in one document with the same dates met together."""
    listed = list(facts)
    found: list[JointMeeting] = []
    for i, a in enumerate(listed):
        for b in listed[i + 1 :]:
            if a.series != b.series and a.start == b.start and (a.end or a.start) == (b.end or b.start):
                found.append(JointMeeting(a.series, a.ordinal, b.series, b.ordinal))
    return found
