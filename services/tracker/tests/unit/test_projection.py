"""Projection of institutional occurrences from cadence and from series that meet together."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from resolute.tracker.calendar.projection import (
    Calendar,
    JointMeeting,
    Occurrence,
    SeriesInfo,
    joint_meetings,
    parse_period,
)

SERIES = [
    SeriesInfo("baltic-assembly-session", "P1Y"),
    SeriesInfo("baltic-council", "P1Y"),
    SeriesInfo("nato-summit", "P1Y", numbered=False),
    SeriesInfo("irregular", None),
]
# what the corpus says: the press release (42nd session with the 29th Council, Tallinn, 23-24 Nov 2023) and
# the 44th session's resolution (Riga, 13-14 Nov 2025)
BA_42 = Occurrence("baltic-assembly-session", 42, date(2023, 11, 23), date(2023, 11, 24), "Tallinn")
BC_29 = Occurrence("baltic-council", 29, date(2023, 11, 23), date(2023, 11, 24), "Tallinn")
BA_44 = Occurrence("baltic-assembly-session", 44, date(2025, 11, 13), date(2025, 11, 14), "Riga")


def corpus_calendar() -> Calendar:
    return Calendar.build(SERIES, [BA_42, BC_29, BA_44], joint_meetings([BA_42, BC_29]))


def test_the_corpus_projects_the_32nd_baltic_council_to_november_2026() -> None:
    projected = corpus_calendar().occurrence("baltic-council", 32)
    assert projected is not None and projected.projected
    assert (projected.start.year, projected.start.month) == (2026, 11)
    # anchored on the nearest known meeting: the 44th session (its joint Council would be the 31st)
    assert projected.start == date(2026, 11, 13)


def test_from_its_own_series_alone_the_council_projects_by_cadence() -> None:
    calendar = Calendar.build(SERIES, [BC_29])
    projected = calendar.occurrence("baltic-council", 32)
    assert projected is not None and projected.start == date(2026, 11, 23) and projected.state == "projected"
    earlier = calendar.occurrence("baltic-council", 27)
    assert earlier is not None and earlier.start == date(2021, 11, 23)


def test_a_known_occurrence_is_not_projected_and_a_linked_one_meets_on_its_dates() -> None:
    calendar = Calendar.build(
        SERIES,
        [BA_42, BC_29, Occurrence("baltic-assembly-session", 45, date(2026, 11, 26), state="confirmed")],
        joint_meetings([BA_42, BC_29]),
    )
    assert calendar.occurrence("baltic-assembly-session", 42) == BA_42
    council = calendar.occurrence("baltic-council", 32)
    assert council is not None and council.start == date(2026, 11, 26) and council.projected


def test_nothing_known_projects_nothing() -> None:
    calendar = Calendar.build(SERIES, [])
    assert calendar.occurrence("baltic-council", 32) is None
    assert calendar.next_after("nato-summit", date(2025, 5, 26)) is None
    assert Calendar.build(SERIES, [Occurrence("irregular", 3, date(2024, 1, 1))]).occurrence("irregular", 4) is None


def test_next_occurrence_after_a_date() -> None:
    calendar = corpus_calendar()
    following = calendar.next_after("baltic-assembly-session", date(2024, 12, 1))
    assert following is not None and following.ordinal == 44 and not following.projected
    projected = calendar.next_after("baltic-assembly-session", date(2024, 10, 18))
    assert projected is not None and projected.ordinal == 43 and projected.start == date(2024, 11, 23)
    after_44 = calendar.next_after("baltic-assembly-session", date(2025, 11, 14))
    assert after_44 is not None and after_44.ordinal == 45 and after_44.projected
    before = calendar.next_after("baltic-assembly-session", date(2020, 1, 1))
    assert before is not None and before.ordinal == 39
    council = calendar.next_after("baltic-council", date(2026, 1, 1))
    assert council is not None and council.ordinal == 32


def test_unnumbered_series_are_numbered_by_year() -> None:
    hague = Occurrence("nato-summit", 2025, date(2025, 6, 24), date(2025, 6, 25), "The Hague", "confirmed")
    calendar = Calendar.build(SERIES, [hague])
    assert calendar.next_after("nato-summit", date(2025, 5, 26)) == hague
    following = calendar.next_after("nato-summit", date(2025, 6, 25))
    assert following is not None and (following.ordinal, following.start) == (2026, date(2026, 6, 24))
    assert calendar.in_year("nato-summit", 2027) is not None
    assert Calendar.build(SERIES, [BA_44]).in_year("baltic-assembly-session", 2026) is not None


def test_joint_meetings_need_the_same_dates_in_different_series() -> None:
    assert joint_meetings([BA_42, BC_29]) == [JointMeeting("baltic-assembly-session", 42, "baltic-council", 29)]
    assert joint_meetings([BA_42, BA_44]) == []
    assert joint_meetings([BA_44, BC_29]) == []


def test_periods() -> None:
    assert parse_period("P1Y") == relativedelta(years=1)
    assert parse_period("P6M") == relativedelta(months=6)
    assert parse_period("P2W") == relativedelta(days=14)
    assert parse_period(None) is None
    assert parse_period("P") is None
    assert parse_period("every year") is None
