"""Projection from the shipped history: the 32nd Baltic Council gets a date with nothing learnt yet, known
and announced occurrences are returned as such, and what is learnt later takes precedence."""

from __future__ import annotations

from datetime import date

import pytest

from resolute.shared.actors import (
    ActorRegistry,
    EventSeries,
    KnownOccurrence,
    conflicts,
    default_registry,
    parse_registry,
    project_occurrence,
)


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return default_registry()


def _series(registry: ActorRegistry, series_id: str) -> EventSeries:
    series = registry.series_by_id(series_id)
    assert series is not None
    return series


def test_the_32nd_baltic_council_is_projected_from_the_shipped_history(registry: ActorRegistry) -> None:
    projection = project_occurrence(_series(registry, "baltic-council"), 32)
    assert projection is not None and projection.projected and projection.status == "projected"
    assert projection.start.year == 2026 and projection.start.month in (10, 11)
    assert 0 < projection.uncertainty_days < 60 and 0 < projection.confidence < 1
    assert 31 in projection.basis and 29 in projection.basis
    assert projection.place == "Tallinn"  # the presidency rotates Estonia, Lithuania, Latvia


def test_known_and_announced_occurrences_are_not_projected(registry: ActorRegistry) -> None:
    held = project_occurrence(_series(registry, "baltic-council"), 29)
    assert held is not None and held.status == "held" and held.start == date(2023, 11, 23)
    assert (held.uncertainty_days, held.confidence) == (0, 1.0)
    ankara = project_occurrence(_series(registry, "nato-summit"), 2026)
    assert ankara is not None and ankara.status == "announced" and ankara.start == date(2026, 7, 7)
    assert ankara.confidence < 1.0


def test_farther_ordinals_are_less_certain(registry: ActorRegistry) -> None:
    council = _series(registry, "baltic-council")
    near, far = project_occurrence(council, 32), project_occurrence(council, 35)
    assert near is not None and far is not None
    assert far.start.year == 2029 and far.uncertainty_days > near.uncertainty_days
    assert far.confidence < near.confidence


def test_a_gap_in_the_history_is_projected_between_its_neighbours(registry: ActorRegistry) -> None:
    gap = project_occurrence(_series(registry, "baltic-assembly-session"), 34)
    assert gap is not None and gap.projected and gap.start.year == 2015


def test_unnumbered_series_are_projected_by_year(registry: ActorRegistry) -> None:
    summit = project_occurrence(_series(registry, "nato-summit"), 2027)
    assert summit is not None and summit.projected and summit.start.year == 2027
    assert 2026 in summit.basis and 2001 not in summit.basis  # extraordinary meetings are not a basis


def test_learnt_occurrences_take_precedence_and_move_the_projection(registry: ActorRegistry) -> None:
    council = _series(registry, "baltic-council")
    learnt = [KnownOccurrence(32, date(2026, 10, 15), date(2026, 10, 16), "Tallinn", "confirmed")]
    confirmed = project_occurrence(council, 32, learnt)
    assert confirmed is not None and confirmed.status == "confirmed" and confirmed.start == date(2026, 10, 15)
    after = project_occurrence(council, 33, learnt)
    before = project_occurrence(council, 33)
    assert after is not None and before is not None and after.basis[-1] == 32 and before.basis[-1] == 31


def test_a_document_contradicting_the_shipped_date_is_reported(registry: ActorRegistry) -> None:
    council = _series(registry, "baltic-council")
    same = KnownOccurrence(29, date(2023, 11, 23), date(2023, 11, 24))
    other = KnownOccurrence(30, date(2024, 10, 17), date(2024, 10, 18))
    found = conflicts(council, [same, other])
    assert [(c.ordinal, c.shipped_start, c.learnt_start) for c in found] == [
        (30, date(2024, 10, 18), date(2024, 10, 17))
    ]


def test_no_projection_without_a_cadence_or_any_date(registry: ActorRegistry) -> None:
    assert project_occurrence(_series(registry, "b9-summit"), 2027) is None  # no sourced cadence
    assert project_occurrence(_series(registry, "nb8-meeting"), 2027) is None  # a cadence, but no dated meeting


def test_other_cadences_shift_from_the_nearest_occurrence() -> None:
    registry = parse_registry(
        """
policy_areas: [{id: defence, name: Defence}]
countries: [{code: EE, name: Estonia}]
series: [{id: half, name: Half-yearly, cadence: P6M}]
""",
        [
            """
series:
  half:
    occurrences:
      - {ordinal: 1, start: 2024-03-01, source: {url: 'https://example.org/1', title: One}}
      - {ordinal: 2, start: 2024-09-03, source: {url: 'https://example.org/2', title: Two}}
"""
        ],
    )
    series = registry.series_by_id("half")
    assert series is not None
    projection = project_occurrence(series, 4)
    assert projection is not None and projection.start == date(2025, 9, 3)
    assert projection.uncertainty_days >= 2 + 7
