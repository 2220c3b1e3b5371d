"""The deadline scheduler: fires approaching, due and overdue milestones exactly once per assignment.

Exactly once is structural, not timing luck: a replica claims due schedule rows with SELECT ... FOR UPDATE
SKIP LOCKED (PostgreSQL; SQLite has one writer at a time), and in the same transaction writes the milestone's
row (unique per assignment, due date and milestone) and its outbox event (with an id derived from the same
three), then moves the schedule on. A crash before commit leaves nothing; a crash after leaves the row, so the
milestone is never fired again, by this replica or another, after a restart or a re-delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.shared.db import on_commit
from resolute.shared.events.catalogue import (
    DeadlineApproachingV1,
    DeadlineDueV1,
    DeadlineMilestoneV1,
    DeadlineOverdueV1,
)
from resolute.shared.logging import get_logger
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import TrackerContext
from resolute.tracker.database import insert_new_rows, stable_id
from resolute.tracker.deadlines.milestones import Milestone, days_left, plan_milestones, start_of
from resolute.tracker.deadlines.models import DeadlineSchedule, FiredMilestone
from resolute.tracker.deadlines.resolution import recurring_deadline
from resolute.tracker.deadlines.service import CLOSED_STATUSES, SCHEDULER_WAKE
from resolute.tracker.metrics import DEADLINE_EVENTS

log = get_logger(__name__)

_EVENT_MODELS: dict[str, type[DeadlineMilestoneV1]] = {
    "approaching": DeadlineApproachingV1,
    "due": DeadlineDueV1,
    "overdue": DeadlineOverdueV1,
}


def milestone_event_id(assignment_id: str, due: object, milestone: str) -> str:
    """The same for every replica and retry, so downstream can dedupe even a re-published event."""
    return stable_id("deadline", assignment_id, due, milestone)


class DeadlineScheduler:
    """Background worker: wakes when schedules change (or every `interval` seconds) and fires what is due."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        ctx: TrackerContext,
        *,
        interval: float = 30.0,
        batch_size: int = 500,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._ctx = ctx
        self._interval = interval
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.last_error: str | None = None
        on_commit(sessionmaker, SCHEDULER_WAKE, self.wake)

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="deadline-scheduler")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        backoff = 1.0
        while True:
            try:
                await self.run_until_idle()
                self.last_error = None
                backoff = 1.0
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._interval)
                self._wake.clear()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be away: keep the worker alive and try again
                self.last_error = str(exc) or type(exc).__name__
                log.warning("deadline_scheduler_failed", error=self.last_error[:300], retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    async def run_until_idle(self) -> int:
        """Process due schedules in batches until none is due; returns how many milestones fired."""
        fired_total = 0
        while True:
            claimed, fired = await self.run_batch()
            fired_total += fired
            if claimed < self._batch_size:
                return fired_total

    async def run_batch(self) -> tuple[int, int]:
        """One transaction: claim up to a batch of due schedules, fire their milestones, move them on."""
        now = self._ctx.clock.now()
        async with self._sessionmaker() as session, session.begin():
            rows = (
                await session.execute(
                    select(DeadlineSchedule, Assignment, Commitment)
                    .join(Assignment, Assignment.id == DeadlineSchedule.assignment_id)
                    .join(Commitment, Commitment.id == Assignment.commitment_id)
                    .where(DeadlineSchedule.next_fire_at <= now)
                    .order_by(DeadlineSchedule.next_fire_at)
                    .limit(self._batch_size)
                    .with_for_update(of=DeadlineSchedule, skip_locked=True)
                )
            ).all()
            due: list[tuple[DeadlineSchedule, Assignment, Commitment, Milestone]] = []
            for schedule, assignment, commitment in rows:
                milestone = self._advance(schedule, assignment, commitment, now)
                if milestone is not None:
                    due.append((schedule, assignment, commitment, milestone))
            fired = await self._fire(session, due, now)
        for milestone in fired:
            DEADLINE_EVENTS.labels(milestone.kind).inc()
        if fired:
            log.info("deadline_milestones_fired", count=len(fired))
        return len(rows), len(fired)

    def _advance(
        self, schedule: DeadlineSchedule, assignment: Assignment, commitment: Commitment, now: datetime
    ) -> Milestone | None:
        """Move one schedule on to its next milestone; returns the milestone reached now, if any."""
        schedule.updated_at = now
        if assignment.status in CLOSED_STATUSES or schedule.due_date is None:
            schedule.next_fire_at = schedule.next_milestone = None
            return None
        if schedule.recurring and now >= start_of(schedule.due_date + timedelta(days=1)):
            following = recurring_deadline(
                (commitment.deadline or {}).get("every"), commitment.reference_date, now.date()
            )
            schedule.due_date = following
            if commitment.due_date != following:  # one commitment, many assignments: the first one moves it
                commitment.due_date = following
                commitment.updated_at = now
            if following is None:
                schedule.next_fire_at = schedule.next_milestone = None
                return None
        due = schedule.due_date
        assert due is not None
        plan = plan_milestones(due, now, self._ctx.policy, projected=schedule.projected, recurring=schedule.recurring)
        schedule.next_fire_at = plan.next_at
        schedule.next_milestone = plan.next_key
        return plan.fire

    async def _fire(
        self,
        session: AsyncSession,
        due: list[tuple[DeadlineSchedule, Assignment, Commitment, Milestone]],
        now: datetime,
    ) -> list[Milestone]:
        """Write the milestone rows (those already there were fired before) and, for the new ones, the events."""
        if not due:
            return []
        rows = [
            {
                "assignment_id": assignment.id,
                "due_date": schedule.due_date,
                "milestone": milestone.key,
                "kind": milestone.kind,
                "projected": schedule.projected,
                "event_id": milestone_event_id(assignment.id, schedule.due_date, milestone.key),
                "fired_at": now,
            }
            for schedule, assignment, _, milestone in due
        ]
        new = await insert_new_rows(session, FiredMilestone, rows, ("assignment_id", "due_date", "milestone"))
        fired: list[Milestone] = []
        events: list[tuple[BaseModel, str, str]] = []
        for (schedule, assignment, commitment, milestone), row in zip(due, rows, strict=True):
            if (row["assignment_id"], row["due_date"], row["milestone"]) not in new:
                continue  # fired before (by us before a restart, or by another replica)
            fired.append(milestone)
            events.append(
                (self._event(schedule, assignment, commitment, milestone, now), assignment.id, str(row["event_id"]))
            )
        await self._ctx.outbox.add_many(session, events, time=now)
        return fired

    @staticmethod
    def _event(
        schedule: DeadlineSchedule, assignment: Assignment, commitment: Commitment, milestone: Milestone, now: datetime
    ) -> DeadlineMilestoneV1:
        assert schedule.due_date is not None
        deadline = commitment.deadline or {}
        return _EVENT_MODELS[milestone.kind](
            assignment_id=assignment.id,
            commitment_id=commitment.id,
            document_id=commitment.document_id,
            document_title=commitment.document_title,
            country=assignment.country,
            ministry=assignment.ministry,
            body=assignment.body,
            policy_area=commitment.policy_area,
            text=commitment.text,
            due_date=schedule.due_date,
            projected=schedule.projected,
            milestone=milestone.key,
            days_left=days_left(schedule.due_date, now),
            status=assignment.status,  # type: ignore[arg-type]
            deadline_kind=deadline.get("kind"),
            verbatim=deadline.get("verbatim"),
            series=commitment.deadline_series,
            ordinal=commitment.deadline_ordinal,
        )
