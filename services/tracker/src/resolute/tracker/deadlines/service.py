"""Keeping commitments' resolved deadlines and assignments' schedules in step with the calendar and statuses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.db import mark_for_commit
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.calendar.projection import Calendar
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.deadlines.models import DeadlineSchedule
from resolute.tracker.deadlines.resolution import DeadlineExpression, ResolvedDeadline, resolve_deadline

CLOSED_STATUSES = frozenset({"completed", "not_implemented", "superseded"})
SCHEDULER_WAKE = "tracker_scheduler_wake"


def resolve_for(commitment: Commitment, calendar: Calendar, now: datetime) -> ResolvedDeadline:
    expression = DeadlineExpression.from_json(commitment.deadline) if commitment.deadline else None
    return resolve_deadline(expression, reference=commitment.reference_date, today=now.date(), calendar=calendar)


def apply_resolution(commitment: Commitment, resolved: ResolvedDeadline) -> bool:
    """Store a resolved deadline on the commitment; True when the date (or whether it is projected) changed."""
    changed = (commitment.due_date, commitment.due_projected) != (resolved.date, resolved.projected)
    commitment.due_date = resolved.date
    commitment.due_projected = resolved.projected
    commitment.deadline_series = resolved.series or (commitment.deadline or {}).get("series")
    commitment.deadline_ordinal = resolved.ordinal
    return changed


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


async def reschedule_commitment(session: AsyncSession, commitment: Commitment, now: datetime) -> None:
    """A commitment's date moved: every open assignment's schedule takes the new date and is looked at now."""
    open_ids = select(Assignment.id).where(
        Assignment.commitment_id == commitment.id, Assignment.status.not_in(CLOSED_STATUSES)
    )
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
    mark_for_commit(session, SCHEDULER_WAKE)


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
        mark_for_commit(session, SCHEDULER_WAKE)
    schedule.updated_at = now


async def reresolve_series(
    session: AsyncSession, series: Iterable[str], calendar: Calendar, now: datetime
) -> list[Commitment]:
    """Re-resolve every standing commitment whose deadline hangs on these series; returns those whose date moved."""
    wanted = sorted(set(series))
    if not wanted:
        return []
    commitments = (
        await session.scalars(
            select(Commitment).where(Commitment.deadline_series.in_(wanted), Commitment.withdrawn_at.is_(None))
        )
    ).all()
    moved: list[Commitment] = []
    for commitment in commitments:
        if apply_resolution(commitment, resolve_for(commitment, calendar, now)):
            commitment.updated_at = now
            await reschedule_commitment(session, commitment, now)
            moved.append(commitment)
    return moved
