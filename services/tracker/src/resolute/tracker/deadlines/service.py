"""Assignments' deadline schedules: made with the assignments, moved when a commitment's date moves, closed and
reopened with the assignments' status. Writes only the schedules; each write that leaves something due wakes
the scheduler once it commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.db import WakeUp
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.deadlines.models import DeadlineSchedule

#: a schedule became due for a look: the scheduler (deadlines/scheduler.py) listens for it
SCHEDULER_WAKE = WakeUp("tracker_scheduler_wake")
_SCHEDULES = cast(Table, DeadlineSchedule.__table__)


def is_recurring(commitment: Commitment) -> bool:
    return bool(commitment.deadline and commitment.deadline.get("kind") == "recurring")


def schedule_row(assignment_id: str, commitment: Commitment, now: datetime) -> dict[str, Any]:
    """The schedule of a new assignment: looked at right away if it has a date (a late date fires its latest
    milestone at once)."""
    return {
        "assignment_id": assignment_id,
        "commitment_id": commitment.id,
        "due_date": commitment.due_date,
        "projected": commitment.due_projected,
        "recurring": is_recurring(commitment),
        "next_fire_at": now if commitment.due_date is not None else None,
        "next_milestone": None,
        "updated_at": now,
    }


async def add_schedules(
    session: AsyncSession, assignment_ids: Sequence[str], commitment: Commitment, now: datetime
) -> None:
    """The schedules of a commitment's new assignments, in one statement."""
    if not assignment_ids:
        return
    await session.execute(insert(_SCHEDULES), [schedule_row(ident, commitment, now) for ident in assignment_ids])
    if commitment.due_date is not None:
        SCHEDULER_WAKE.mark(session)


async def reschedule_commitment(session: AsyncSession, commitment: Commitment, now: datetime) -> None:
    """A commitment's date moved: every open assignment's schedule takes the new date and is looked at now."""
    open_ids = select(Assignment.id).where(Assignment.commitment_id == commitment.id, Assignment.status.not_in(CLOSED))
    values = {
        "due_date": commitment.due_date,
        "projected": commitment.due_projected,
        "recurring": is_recurring(commitment),
        "updated_at": now,
    }
    await session.execute(
        update(DeadlineSchedule).where(DeadlineSchedule.commitment_id == commitment.id).values(**values)
    )
    await session.execute(
        update(DeadlineSchedule)
        .where(DeadlineSchedule.assignment_id.in_(open_ids))
        .values(next_fire_at=now if commitment.due_date is not None else None, next_milestone=None)
    )
    SCHEDULER_WAKE.mark(session)


async def set_schedule_open(session: AsyncSession, assignment_id: str, is_open: bool, now: datetime) -> None:
    """Closed assignments (completed, not implemented, superseded) get no more reminders; reopened ones do."""
    schedule = await session.get(DeadlineSchedule, assignment_id)
    if schedule is None:
        return
    if not is_open:
        schedule.next_fire_at = None
        schedule.next_milestone = None
    elif schedule.due_date is not None and schedule.next_fire_at is None:
        schedule.next_fire_at = now
        SCHEDULER_WAKE.mark(session)
    schedule.updated_at = now
