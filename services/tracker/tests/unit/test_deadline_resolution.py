"""Deadline expressions resolved to dates: dates, months, years, events through the calendar, recurring."""

from __future__ import annotations

from datetime import date

import pytest

from resolute.shared.actors import EventSeries, default_registry
from resolute.tracker.calendar.projection import Calendar, Occurrence, joint_meetings
from resolute.tracker.deadlines.resolution import (
    DeadlineExpression,
    ResolvedDeadline,
    month_end,
    recurring_deadline,
    resolve_deadline,
    year_deadline,
)

TODAY = date(2026, 11, 20)
# series without history (only what documents teach), and the registry's with its shipped history
SERIES = [
    EventSeries(id="baltic-assembly-session", name="Session of the Baltic Assembly", cadence="P1Y"),
    EventSeries(id="baltic-council", name="Baltic Council", cadence="P1Y"),
    EventSeries(id="nato-summit", name="NATO Summit", cadence="P1Y", numbered=False),
]
SHIPPED = Calendar.build(default_registry().series)
BA_42 = Occurrence("baltic-assembly-session", 42, date(2023, 11, 23), date(2023, 11, 24))
BC_29 = Occurrence("baltic-council", 29, date(2023, 11, 23), date(2023, 11, 24))
BA_44 = Occurrence("baltic-assembly-session", 44, date(2025, 11, 13), date(2025, 11, 14))
CORPUS = Calendar.build(SERIES, [BA_42, BC_29, BA_44], joint_meetings([BA_42, BC_29]))
EMPTY = Calendar.build(SERIES, [])


def resolve(calendar: Calendar = CORPUS, reference: date = date(2025, 11, 14), **raw: object) -> ResolvedDeadline:
    expression = DeadlineExpression.from_json({"verbatim": "", **raw})
    return resolve_deadline(expression, reference=reference, today=TODAY, calendar=calendar)


def test_dates_months_and_years() -> None:
    assert resolve(kind="date", date="2026-03-15") == ResolvedDeadline(date(2026, 3, 15))
    assert resolve(kind="month", date="2025-07-01").date == date(2025, 7, 31)
    assert resolve(kind="month", date="2028-02-01").date == date(2028, 2, 29)
    assert resolve(kind="year", year=2027, verbatim="in 2027").date == date(2027, 12, 31)
    assert resolve(kind="year", year=2026, verbatim="planned for 2026").date == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("verbatim", "expected"),
    [
        ("by mid-2026", date(2026, 6, 30)),
        ("by the middle of 2026", date(2026, 6, 30)),
        ("in the first half of 2026", date(2026, 6, 30)),
        ("in the second half of 2026", date(2026, 12, 31)),
        ("by the end of the third quarter of 2026", date(2026, 9, 30)),
        ("by early 2026", date(2026, 3, 31)),
        ("in spring 2026", date(2026, 5, 31)),
        ("by autumn 2026", date(2026, 11, 30)),
        ("by the end of 2026", date(2026, 12, 31)),
        ("by 2035", date(2035, 12, 31)),
    ],
)
def test_a_year_ends_on_31_december_unless_the_text_says_otherwise(verbatim: str, expected: date) -> None:
    assert year_deadline(expected.year, verbatim) == expected


def test_event_deadlines_are_projected_until_the_occurrence_is_known() -> None:
    council = resolve(kind="event", series="baltic-council", ordinal=32, verbatim="at the 32nd Baltic Council")
    assert council.projected and council.date == date(2026, 11, 18)  # from the documents' sessions alone
    assert (council.series, council.ordinal) == ("baltic-council", 32)
    confirmed = Calendar.build(
        SERIES, [BA_42, BC_29, BA_44, Occurrence("baltic-council", 32, date(2026, 11, 27), state="confirmed")]
    )
    now_known = resolve(confirmed, kind="event", series="baltic-council", ordinal=32)
    assert now_known == ResolvedDeadline(date(2026, 11, 27), False, "baltic-council", 32)


def test_from_a_fresh_start_the_shipped_history_dates_event_deadlines() -> None:
    council = resolve(SHIPPED, kind="event", series="baltic-council", ordinal=32)
    assert council.projected and council.date is not None and (council.date.year, council.date.month) == (2026, 11)
    hague = resolve(SHIPPED, kind="event", series="nato-summit", ordinal="next", reference=date(2025, 5, 26))
    assert hague == ResolvedDeadline(date(2025, 6, 24), False, "nato-summit", 2025)  # held: a firm date
    ankara = resolve(SHIPPED, kind="event", series="nato-summit", year=2026)
    assert ankara == ResolvedDeadline(date(2026, 7, 7), False, "nato-summit", 2026)  # announced: firm too
    back = resolve(
        SHIPPED, kind="event", series="baltic-assembly-session", ordinal="next", reference=date(2024, 10, 18)
    )
    assert back == ResolvedDeadline(date(2025, 11, 13), False, "baltic-assembly-session", 44)


def test_event_deadlines_with_no_calendar_knowledge_are_unscheduled_but_keep_what_they_hang_on() -> None:
    council = resolve(EMPTY, kind="event", series="baltic-council", ordinal=32)
    assert council.date is None and council.state == "unscheduled"
    assert (council.series, council.ordinal) == ("baltic-council", 32)
    summit = resolve(EMPTY, kind="event", series="nato-summit", ordinal="next", reference=date(2025, 5, 26))
    assert summit.date is None and summit.series == "nato-summit"


def test_next_resolves_after_the_documents_date() -> None:
    # the 43rd session's resolution (adopted 18 Oct 2024): "return to the Baltic Assembly"
    guess = resolve(kind="event", series="baltic-assembly-session", ordinal="next", reference=date(2024, 10, 18))
    assert guess.ordinal == 43 and guess.projected  # until its own session's dates are learnt...
    ba_43 = Occurrence("baltic-assembly-session", 43, date(2024, 10, 17), date(2024, 10, 18))
    learnt = Calendar.build(SERIES, [BA_42, BC_29, ba_43, BA_44])
    back = resolve(learnt, kind="event", series="baltic-assembly-session", ordinal="next", reference=date(2024, 10, 18))
    assert back == ResolvedDeadline(date(2025, 11, 13), False, "baltic-assembly-session", 44)  # ...then the 44th
    hague = Calendar.build(SERIES, [Occurrence("nato-summit", 2025, date(2025, 6, 24), state="confirmed")])
    summit = resolve(hague, kind="event", series="nato-summit", ordinal="next", reference=date(2025, 5, 26))
    assert summit == ResolvedDeadline(date(2025, 6, 24), False, "nato-summit", 2025)
    named = resolve(hague, kind="event", series="nato-summit", year=2026)
    assert named.date == date(2026, 6, 24) and named.projected and named.ordinal == 2026


def test_recurring_deadlines_produce_their_next_occurrence() -> None:
    annual = resolve(kind="recurring", every="P1Y", reference=date(2025, 10, 13))
    assert annual.date == date(2027, 10, 13)  # 13 Oct 2026 has passed by 20 Nov 2026
    assert recurring_deadline("P1Y", date(2025, 10, 13), date(2026, 6, 1)) == date(2026, 10, 13)
    assert recurring_deadline("P6M", date(2020, 1, 31), TODAY) == date(2027, 1, 31)
    assert recurring_deadline("P1W", date(2026, 11, 1), TODAY) == date(2026, 11, 22)
    assert recurring_deadline(None, date(2025, 1, 1), TODAY) is None  # "regularly": no period, no date
    assert resolve(kind="recurring", every=None).state == "unscheduled"


def test_no_deadline() -> None:
    assert resolve_deadline(None, reference=TODAY, today=TODAY, calendar=CORPUS).state == "unscheduled"
    assert month_end(date(2026, 12, 5)) == date(2026, 12, 31)
