"""The tracker's calendar: the registry's shipped history, what documents taught and admins confirmed, and the
projection of everything else (from a series' own history, or from a series it meets with)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from resolute.shared.actors import ActorRegistry, EventSeries, default_registry
from resolute.tracker.calendar.projection import Calendar, JointMeeting, Occurrence, joint_meetings, parse_period

SHIPPED = default_registry()
# series as a registry without any history would hold them: only what documents teach
BARE = [
    EventSeries(id="baltic-assembly-session", name="Session of the Baltic Assembly", cadence="P1Y"),
    EventSeries(id="baltic-council", name="Baltic Council", cadence="P1Y"),
    EventSeries(id="nato-summit", name="NATO Summit", cadence="P1Y", numbered=False),
    EventSeries(id="irregular", name="Irregular", cadence=None),
]
# what the corpus says: the press release (42nd session with the 29th Council, Tallinn, 23-24 Nov 2023) and
# the 44th session's resolution (Riga, 13-14 Nov 2025)
BA_42 = Occurrence("baltic-assembly-session", 42, date(2023, 11, 23), date(2023, 11, 24), "Tallinn")
BC_29 = Occurrence("baltic-council", 29, date(2023, 11, 23), date(2023, 11, 24), "Tallinn")
BA_44 = Occurrence("baltic-assembly-session", 44, date(2025, 11, 13), date(2025, 11, 14), "Riga")


def shipped(*learnt: Occurrence, registry: ActorRegistry = SHIPPED) -> Calendar:
    return Calendar.build(registry.series, learnt, joint_meetings(learnt))


def test_from_a_fresh_start_the_32nd_baltic_council_is_projected_from_the_shipped_history() -> None:
    council = shipped().occurrence("baltic-council", 32)
    assert council is not None and council.projected
    assert (council.start.year, council.start.month) == (2026, 11)
    # the surer projection: the Assembly's session it meets with (the 45th: the 31st Council met with the 44th)
    assert council.basis_series == "baltic-assembly-session" and 44 in council.basis
    session = shipped().occurrence("baltic-assembly-session", 45)
    assert session is not None and (session.start, session.end) == (council.start, council.end)
    assert 0 < council.confidence < 1 and council.uncertainty_days > 0
    assert council.place == "Tallinn"  # the presidency rotates Vilnius, Riga, Tallinn


def test_shipped_occurrences_are_known_with_their_status() -> None:
    calendar = shipped()
    held = calendar.occurrence("baltic-council", 31)
    assert held is not None and (held.state, held.start, held.place, held.confidence) == (
        "held", date(2025, 11, 14), "Riga", 1.0,
    )  # fmt: skip
    ankara = calendar.occurrence("nato-summit", 2026)
    assert ankara is not None and (ankara.state, ankara.place, ankara.projected) == ("announced", "Ankara", False)
    assert ankara.confidence == 0.9
    assert calendar.shipped("baltic-council", 31) is not None and calendar.shipped("baltic-council", 32) is None
    assert 31 in calendar.known_ordinals("baltic-council") and 32 not in calendar.known_ordinals("baltic-council")


def test_a_document_and_an_admin_take_precedence_over_the_shipped_history() -> None:
    moved = Occurrence("baltic-council", 31, date(2025, 11, 20), date(2025, 11, 20), "Riga", "learnt")
    calendar = shipped(moved)
    assert calendar.occurrence("baltic-council", 31) == moved
    conflict = calendar.conflict("baltic-council", 31)
    assert conflict is not None and conflict.start == date(2025, 11, 14) and conflict.source.url.startswith("https://")
    same = Occurrence("baltic-council", 31, date(2025, 11, 14), date(2025, 11, 14), "Riga", "learnt")
    assert shipped(same).conflict("baltic-council", 31) is None  # a document agreeing is no conflict
    confirmed = Occurrence("baltic-council", 31, date(2025, 11, 20), state="confirmed")
    assert shipped(confirmed).conflict("baltic-council", 31) is None  # the admin settled it
    assert shipped().conflict("baltic-council", 31) is None  # nothing learnt, nothing to contradict


def test_a_dated_session_dates_the_council_that_meets_with_it() -> None:
    announced = Occurrence("baltic-assembly-session", 45, date(2026, 11, 26), date(2026, 11, 27), "Tallinn",
                           "confirmed")  # fmt: skip
    council = shipped(announced).occurrence("baltic-council", 32)
    assert council is not None and council.projected
    assert (council.start, council.end, council.basis_series, council.basis) == (
        date(2026, 11, 26), date(2026, 11, 27), "baltic-assembly-session", (45,),
    )  # fmt: skip
    assert council.uncertainty_days == 3 and council.confidence > 0.9


def test_documents_alone_still_project_through_joint_meetings() -> None:
    calendar = Calendar.build(BARE, [BA_42, BC_29, BA_44], joint_meetings([BA_42, BC_29]))
    council = calendar.occurrence("baltic-council", 32)
    # one Council dated three steps away, two sessions one step from the 45th: the session's projection is surer
    assert council is not None and council.projected and council.basis_series == "baltic-assembly-session"
    assert council.start == date(2026, 11, 18)  # the typical day of 23 and 13 November
    own_only = Calendar.build(BARE, [BC_29]).occurrence("baltic-council", 32)
    assert own_only is not None and own_only.start == date(2026, 11, 23) and own_only.basis_series is None
    assert own_only.confidence < council.confidence


def test_nothing_known_projects_nothing() -> None:
    calendar = Calendar.build(BARE, [])
    assert calendar.occurrence("baltic-council", 32) is None
    assert calendar.next_after("nato-summit", date(2025, 5, 26)) is None
    assert Calendar.build(BARE, [Occurrence("irregular", 3, date(2024, 1, 1))]).occurrence("irregular", 4) is None
    assert shipped().occurrence("no-such-series", 1) is None
    assert shipped().occurrence("european-council-meeting", 2026) is None  # no cadence, no history


def test_next_and_last_occurrence_around_a_date() -> None:
    calendar = shipped()
    following = calendar.next_after("baltic-assembly-session", date(2024, 12, 1))
    assert following is not None and (following.ordinal, following.state) == (44, "held")
    after_44 = calendar.next_after("baltic-assembly-session", date(2025, 11, 14))
    assert after_44 is not None and after_44.ordinal == 45 and after_44.projected
    council = calendar.next_after("baltic-council", date(2026, 1, 1))
    assert council is not None and council.ordinal == 32
    summit = calendar.next_after("nato-summit", date(2026, 1, 1))
    assert summit is not None and (summit.ordinal, summit.state) == (2026, "announced")
    last = calendar.last_before("baltic-council", date(2026, 1, 1))
    assert last is not None and last.ordinal == 31
    assert calendar.in_year("baltic-assembly-session", 2025) == calendar.occurrence("baltic-assembly-session", 44)
    assert calendar.in_year("nato-summit", 2025) == calendar.occurrence("nato-summit", 2025)


def test_unnumbered_series_are_numbered_by_year() -> None:
    hague = Occurrence("nato-summit", 2025, date(2025, 6, 24), date(2025, 6, 25), "The Hague", "confirmed")
    calendar = Calendar.build(BARE, [hague])
    assert calendar.next_after("nato-summit", date(2025, 5, 26)) == hague
    following = calendar.next_after("nato-summit", date(2025, 6, 25))
    assert following is not None and (following.ordinal, following.start) == (2026, date(2026, 6, 24))
    assert calendar.in_year("nato-summit", 2027) is not None
    assert Calendar.build(BARE, [BA_44]).in_year("baltic-assembly-session", 2026) is not None


def test_joint_meetings_need_the_same_dates_in_different_series() -> None:
    assert joint_meetings([BA_42, BC_29]) == [JointMeeting("baltic-assembly-session", 42, "baltic-council", 29)]
    assert joint_meetings([BA_42, BA_44]) == []
    assert joint_meetings([BA_44, BC_29]) == []
    # the shipped history's joint meetings count as well: the Council's ordinal is the session's minus 13
    assert shipped().offsets("baltic-council") == {"baltic-assembly-session": 13}


def test_periods() -> None:
    assert parse_period("P1Y") == relativedelta(years=1)
    assert parse_period("P6M") == relativedelta(months=6)
    assert parse_period("P2W") == relativedelta(days=14)
    assert parse_period(None) is None
    assert parse_period("P") is None
    assert parse_period("every year") is None
