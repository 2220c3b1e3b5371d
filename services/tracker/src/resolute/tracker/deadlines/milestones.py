"""Which deadline milestone is due when: approaching at the configured offsets, due on the day, overdue weekly.

Pure planning for the scheduler. Milestones fire at the start of their day (UTC). When several have already
passed (a date set late, a scheduler that was down), only the latest fires. A projected date (an occurrence
nobody has confirmed yet) gets reminders but never makes anyone due or overdue against a guess; a recurring
obligation rolls over to its next occurrence the day after it falls due.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

MilestoneKind = Literal["approaching", "due", "overdue"]
DEFAULT_OFFSETS = (90, 30, 7, 1)
ROLL = "roll"


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


@dataclass(frozen=True)
class MilestonePolicy:
    """Offsets (days before the deadline) for `approaching`, and how often `overdue` repeats."""

    approaching_days: tuple[int, ...] = DEFAULT_OFFSETS
    overdue_every_days: int = 7

    def __post_init__(self) -> None:
        offsets = tuple(sorted({d for d in self.approaching_days if d > 0}, reverse=True))
        object.__setattr__(self, "approaching_days", offsets)
        if self.overdue_every_days < 1:
            raise ValueError("overdue_every_days must be at least 1")


@dataclass(frozen=True)
class Milestone:
    """One point in a deadline's life; `key` is unique per assignment and due date."""

    key: str
    kind: MilestoneKind
    fire_at: datetime


@dataclass(frozen=True)
class MilestonePlan:
    """What to fire now (if anything) and when to look again (None: nothing more for this date)."""

    fire: Milestone | None
    next_at: datetime | None
    next_key: str | None


def milestones(due: date, policy: MilestonePolicy, *, projected: bool, recurring: bool) -> Iterator[Milestone]:
    """Every milestone of a due date, in time order; overdue ones repeat without end."""
    for days in policy.approaching_days:
        yield Milestone(f"approaching-{days}", "approaching", start_of(due - timedelta(days=days)))
    if projected:
        return
    yield Milestone("due", "due", start_of(due))
    if recurring:
        return
    after = 1
    while True:
        yield Milestone(f"overdue-{after}", "overdue", start_of(due + timedelta(days=after)))
        after += policy.overdue_every_days


def plan_milestones(
    due: date, now: datetime, policy: MilestonePolicy, *, projected: bool = False, recurring: bool = False
) -> MilestonePlan:
    """The latest milestone already reached (to fire, once) and the next one to wait for."""
    latest: Milestone | None = None
    if projected and now >= start_of(due):
        return MilestonePlan(None, None, None)  # a guess that has passed: wait for a confirmed date
    if not projected and not recurring and now >= start_of(due + timedelta(days=1)):
        # overdue for a while: jump straight to the latest weekly repeat instead of walking there
        days_over = (now.date() - due).days
        after = 1 + ((days_over - 1) // policy.overdue_every_days) * policy.overdue_every_days
        latest = Milestone(f"overdue-{after}", "overdue", start_of(due + timedelta(days=after)))
        following = after + policy.overdue_every_days
        return MilestonePlan(latest, start_of(due + timedelta(days=following)), f"overdue-{following}")
    for milestone in milestones(due, policy, projected=projected, recurring=recurring):
        if milestone.fire_at > now:
            return MilestonePlan(latest, milestone.fire_at, milestone.key)
        latest = milestone
    if recurring and not projected:
        return MilestonePlan(latest, start_of(due + timedelta(days=1)), ROLL)
    return MilestonePlan(latest, None, None)


def days_left(due: date, now: datetime) -> int:
    return (due - now.date()).days
