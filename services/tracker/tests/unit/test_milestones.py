"""Milestone planning: approaching at the offsets, due on the day, overdue weekly; only the latest fires."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from resolute.tracker.deadlines.milestones import ROLL, MilestonePolicy, plan_milestones, start_of

POLICY = MilestonePolicy()
DUE = date(2026, 11, 27)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def fired(due: date, now: datetime, **kw: bool) -> str | None:
    plan = plan_milestones(due, now, POLICY, **kw)
    return plan.fire.key if plan.fire else None


def test_nothing_before_the_first_offset() -> None:
    plan = plan_milestones(DUE, at(DUE - timedelta(days=91)), POLICY)
    assert plan.fire is None and plan.next_key == "approaching-90" and plan.next_at == start_of(date(2026, 8, 29))


def test_a_date_set_late_fires_only_the_latest_milestone_passed() -> None:
    # the 32nd Baltic Council confirmed for 27 Nov 2026 on 20 Nov: 90 and 30 days have passed, 7 is today
    plan = plan_milestones(DUE, datetime(2026, 11, 20, 9, tzinfo=UTC), POLICY)
    assert plan.fire is not None and plan.fire.key == "approaching-7" and plan.fire.kind == "approaching"
    assert plan.next_key == "approaching-1" and plan.next_at == start_of(date(2026, 11, 26))
    assert fired(DUE, at(DUE)) == "due"
    assert fired(DUE, at(DUE + timedelta(days=1))) == "overdue-1"


def test_overdue_repeats_weekly_and_a_long_overdue_one_jumps_to_the_latest_repeat() -> None:
    assert fired(DUE, at(DUE + timedelta(days=7))) == "overdue-1"
    assert fired(DUE, at(DUE + timedelta(days=8))) == "overdue-8"
    plan = plan_milestones(DUE, at(DUE + timedelta(days=400)), POLICY)
    assert plan.fire is not None and plan.fire.key == "overdue-400"
    assert plan.next_key == "overdue-407"
    every_three = MilestonePolicy(overdue_every_days=3)
    plan = plan_milestones(DUE, at(DUE + timedelta(days=5)), every_three)
    assert plan.fire is not None and plan.fire.key == "overdue-4" and plan.next_key == "overdue-7"


def test_projected_dates_remind_but_never_make_anyone_due_or_overdue() -> None:
    assert fired(DUE, at(DUE - timedelta(days=2)), projected=True) == "approaching-7"
    plan = plan_milestones(DUE, at(DUE - timedelta(days=1)), POLICY, projected=True)
    assert plan.fire is not None and plan.fire.key == "approaching-1" and plan.next_at is None
    assert plan_milestones(DUE, at(DUE), POLICY, projected=True).fire is None
    assert plan_milestones(DUE, at(DUE + timedelta(days=30)), POLICY, projected=True).fire is None


def test_recurring_deadlines_roll_over_instead_of_going_overdue() -> None:
    plan = plan_milestones(DUE, at(DUE), POLICY, recurring=True)
    assert plan.fire is not None and plan.fire.key == "due"
    assert plan.next_key == ROLL and plan.next_at == start_of(DUE + timedelta(days=1))


def test_offsets_are_configurable() -> None:
    policy = MilestonePolicy((14, 60, 14))
    assert policy.approaching_days == (60, 14)
    plan = plan_milestones(DUE, at(DUE - timedelta(days=20)), policy)
    assert plan.fire is not None and plan.fire.key == "approaching-60" and plan.next_key == "approaching-14"


@settings(max_examples=300, deadline=None)
@given(
    due=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    start=st.integers(min_value=-200, max_value=200),
    steps=st.lists(st.integers(min_value=1, max_value=60 * 24 * 3), min_size=1, max_size=40),
    projected=st.booleans(),
)
def test_following_the_plan_never_fires_a_milestone_twice_or_out_of_order(
    due: date, start: int, steps: list[int], projected: bool
) -> None:
    """A scheduler that looks again whenever the plan says (or later) fires each milestone at most once."""
    now = start_of(due) + timedelta(days=start)
    seen: list[str] = []
    last_fire_at: datetime | None = None
    for minutes in steps:
        plan = plan_milestones(due, now, POLICY, projected=projected)
        if plan.fire is not None and plan.fire.key not in seen:
            assert plan.fire.fire_at <= now
            assert last_fire_at is None or plan.fire.fire_at > last_fire_at
            if projected:
                assert plan.fire.kind == "approaching"
            seen.append(plan.fire.key)
            last_fire_at = plan.fire.fire_at
        if plan.next_at is not None:
            assert plan.next_at > now
            now = max(plan.next_at, now + timedelta(minutes=minutes))
        else:
            now += timedelta(minutes=minutes)
    assert len(seen) == len(set(seen))
