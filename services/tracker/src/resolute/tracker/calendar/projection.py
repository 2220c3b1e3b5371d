"""The institutional calendar as pure data: known occurrences, cadences and joint meetings, and what follows.

An occurrence is known when a document told us (learnt) or an admin confirmed it. Any other occurrence of a
series with a cadence is projected from the nearest known one: of its own series, or of a series it meets
together with (the 29th Baltic Council met with the 42nd Baltic Assembly session, so the 32nd Council is
expected with the 45th session). Series that are not numbered (NATO summits) are numbered by year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

_DURATION = re.compile(r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")
_MAX_STEPS = 400


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
    """One meeting of a series; `state` is learnt or confirmed for known ones, projected otherwise."""

    series: str
    ordinal: int
    start: date
    end: date | None = None
    place: str | None = None
    state: str = "learnt"

    @property
    def projected(self) -> bool:
        return self.state == "projected"


@dataclass(frozen=True)
class SeriesInfo:
    """What projection needs to know of a series."""

    id: str
    cadence: str | None = None
    numbered: bool = True


@dataclass(frozen=True)
class JointMeeting:
    """Two occurrences of different series that met together (same dates in one document)."""

    series: str
    ordinal: int
    other_series: str
    other_ordinal: int


@dataclass
class Calendar:
    """Known occurrences and what can be projected from them."""

    series: dict[str, SeriesInfo]
    known: dict[tuple[str, int], Occurrence] = field(default_factory=dict)
    joint: list[JointMeeting] = field(default_factory=list)

    @classmethod
    def build(
        cls, series: Iterable[SeriesInfo], known: Iterable[Occurrence], joint: Iterable[JointMeeting] = ()
    ) -> Calendar:
        return cls({s.id: s for s in series}, {(o.series, o.ordinal): o for o in known}, list(joint))

    def numbered(self, series: str) -> bool:
        info = self.series.get(series)
        return info.numbered if info is not None else True

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

    def _estimates(self, series: str, ordinal: int) -> list[tuple[int, int, date]]:
        """(distance, preference, date) from every known anchor: own series first on ties."""
        estimates: list[tuple[int, int, date]] = []
        own = self.series.get(series)
        own_period = parse_period(own.cadence) if own else None
        if own_period is not None:
            for (s, k), occurrence in self.known.items():
                if s == series:
                    estimates.append((abs(ordinal - k), 0, shift(occurrence.start, own_period, ordinal - k)))
        for other, offset in self.offsets(series).items():
            target = ordinal + offset
            exact = self.known.get((other, target))
            if exact is not None:
                estimates.append((0, 1, exact.start))
                continue
            info = self.series.get(other)
            period = parse_period(info.cadence) if info else None
            if period is None:
                continue
            for (s, k), occurrence in self.known.items():
                if s == other:
                    estimates.append((abs(target - k), 1, shift(occurrence.start, period, target - k)))
        return estimates

    def occurrence(self, series: str, ordinal: int) -> Occurrence | None:
        """The known occurrence, else a projection from the nearest known anchor, else None."""
        known = self.known.get((series, ordinal))
        if known is not None:
            return known
        estimates = self._estimates(series, ordinal)
        if not estimates:
            return None
        _, _, start = min(estimates, key=lambda e: (e[0], e[1], -e[2].toordinal()))
        return Occurrence(series=series, ordinal=ordinal, start=start, state="projected")

    def _anchor(self, series: str) -> int | None:
        """Some ordinal of `series` that has a date (known or projected), to search from."""
        own = sorted(k for s, k in self.known if s == series)
        if own:
            return own[-1]
        for other, offset in self.offsets(series).items():
            others = sorted(k for s, k in self.known if s == other)
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
