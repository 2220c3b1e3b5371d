"""The deadline scheduler: fires approaching, due and overdue milestones exactly once per assignment.

Exactly once is structural, not timing luck: a replica claims due schedule rows with SELECT ... FOR UPDATE
SKIP LOCKED (PostgreSQL; SQLite has one writer at a time), and in the same transaction writes the milestone's
row (unique per assignment, due date and milestone) and its outbox event (with an id derived from the same
three), then moves the schedule on. A crash before commit leaves nothing; a crash after leaves the row, so the
milestone is never fired again, by this replica or another, after a restart or a re-delivery.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.shared.background import stop_task, woken
from resolute.shared.events.catalogue import (
    DeadlineApproachingV1,
    DeadlineDueV1,
    DeadlineMilestoneV1,
    DeadlineOverdueV1,
)
from resolute.shared.logging import get_logger
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import TrackerContext
from resolute.tracker.database import insert_new_rows, stable_id
from resolute.tracker.deadlines.milestones import Milestone, days_left, plan_milestones, start_of
from resolute.tracker.deadlines.models import DeadlineSchedule, FiredMilestone
from resolute.tracker.deadlines.resolution import recurring_deadline
from resolute.tracker.deadlines.service import SCHEDULER_WAKE
from resolute.tracker.metrics import DEADLINE_EVENTS

log = get_logger(__name__)

_S = cast(Table, DeadlineSchedule.__table__)
_A = cast(Table, Assignment.__table__)
_C = cast(Table, Commitment.__table__)
# only what firing needs: plain rows, no ORM objects (a batch is hundreds of them)
_CLAIMED = (
    _S.c.assignment_id,
    _S.c.due_date,
    _S.c.projected,
    _S.c.recurring,
    _A.c.status,
    _A.c.country,
    _A.c.ministry,
    _A.c.body,
    _C.c.id.label("commitment_id"),
    _C.c.document_id,
    _C.c.document_title,
    _C.c.policy_area,
    _C.c.text,
    _C.c.deadline,
    _C.c.deadline_series,
    _C.c.deadline_ordinal,
    _C.c.adopted,
    _C.c.published_at,
)
_MOVE = (
    update(_S)
    .where(_S.c.assignment_id == bindparam("b_id"))
    .values(
        due_date=bindparam("b_due"),
        next_fire_at=bindparam("b_next"),
        next_milestone=bindparam("b_key"),
        updated_at=bindparam("b_now"),
    )
)
#: how the commitments whose recurring deadline rolled over take their next date (the commitments' own write)
RollDueDates = Callable[[AsyncSession, Mapping[str, date | None], datetime], Awaitable[None]]

_EVENT_MODELS: dict[str, type[DeadlineMilestoneV1]] = {
    "approaching": DeadlineApproachingV1,
    "due": DeadlineDueV1,
    "overdue": DeadlineOverdueV1,
}


def milestone_event_id(assignment_id: str, due: object, milestone: str) -> str:
    """The same for every replica and retry, so downstream can dedupe even a re-published event."""
    return stable_id("deadline", assignment_id, due, milestone)


class DeadlineScheduler:
    """Background worker: wakes when schedules change (or every `interval` seconds) and fires what is due.

    `roll_due_dates` moves a recurring commitment's date on when its occurrence has passed, in the batch's
    transaction (commitments are written by their own service, not here).
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        ctx: TrackerContext,
        *,
        roll_due_dates: RollDueDates,
        interval: float = 30.0,
        batch_size: int = 500,
        settle: float = 0.25,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._ctx = ctx
        self._roll_due_dates = roll_due_dates
        self._interval = interval
        self._batch_size = batch_size
        self._settle = settle
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.last_error: str | None = None
        SCHEDULER_WAKE.listen(sessionmaker, self.wake)

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="deadline-scheduler")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _run(self) -> None:
        backoff = 1.0
        while True:
            try:
                await self.run_until_idle()
                self.last_error = None
                backoff = 1.0
                if await woken(self._wake, self._interval):
                    # woken by a commit: let a burst of them (a bundle's fan-out) gather into one batch
                    await asyncio.sleep(self._settle)
                self._wake.clear()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be away: keep the worker alive and try again
                self.last_error = str(exc) or type(exc).__name__
                log.warning("deadline_scheduler_failed", error=self.last_error[:300], retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    async def backlog(self, read_sessionmaker: async_sessionmaker[AsyncSession], cap: int = 10_000) -> int:
        """How many schedules are due and not yet looked at (capped, so /readyz stays cheap on big tables):
        zero means every milestone due by now has been fired into the outbox."""
        now = self._ctx.clock.now()
        due = select(_S.c.assignment_id).where(_S.c.next_fire_at <= now).limit(cap).subquery()
        async with read_sessionmaker() as session:
            return int(await session.scalar(select(func.count()).select_from(due)) or 0)

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
                    select(*_CLAIMED)
                    .select_from(_S.join(_A, _A.c.id == _S.c.assignment_id).join(_C, _C.c.id == _A.c.commitment_id))
                    .where(_S.c.next_fire_at <= now)
                    .order_by(_S.c.next_fire_at)
                    .limit(self._batch_size)
                    .with_for_update(of=_S, skip_locked=True)
                )
            ).all()
            moves: list[dict[str, Any]] = []
            rolled: dict[str, date | None] = {}
            due: list[tuple[Any, date, Milestone]] = []
            for row in rows:
                move, milestone = self._advance(row, now)
                moves.append(move)
                if move["b_due"] != row.due_date and row.recurring:
                    rolled[row.commitment_id] = move["b_due"]
                if milestone is not None:
                    due.append((row, move["b_due"], milestone))
            fired = await self._fire(session, due, now)
            if moves:
                await session.execute(_MOVE, moves)
            await self._roll_due_dates(session, rolled, now)
        for milestone in fired:
            DEADLINE_EVENTS.labels(milestone.kind).inc()
        if fired:
            log.info("deadline_milestones_fired", count=len(fired))
        return len(rows), len(fired)

    def _advance(self, row: Any, now: datetime) -> tuple[dict[str, Any], Milestone | None]:
        """Where one schedule moves next, and the milestone it reached now, if any."""
        move: dict[str, Any] = {"b_id": row.assignment_id, "b_due": row.due_date, "b_now": now}
        if row.status in CLOSED or row.due_date is None:
            return move | {"b_next": None, "b_key": None}, None
        due: date | None = row.due_date
        if row.recurring and due is not None and now >= start_of(due + timedelta(days=1)):
            due = recurring_deadline(
                (row.deadline or {}).get("every"), row.adopted or row.published_at.date(), now.date()
            )
            move["b_due"] = due
        if due is None:
            return move | {"b_next": None, "b_key": None}, None
        plan = plan_milestones(due, now, self._ctx.policy, projected=row.projected, recurring=row.recurring)
        return move | {"b_next": plan.next_at, "b_key": plan.next_key}, plan.fire

    async def _fire(
        self, session: AsyncSession, due: list[tuple[Any, date, Milestone]], now: datetime
    ) -> list[Milestone]:
        """Write the milestone rows (those already there were fired before) and, for the new ones, the events."""
        if not due:
            return []
        rows = [
            {
                "assignment_id": row.assignment_id,
                "due_date": day,
                "milestone": milestone.key,
                "kind": milestone.kind,
                "projected": row.projected,
                "event_id": milestone_event_id(row.assignment_id, day, milestone.key),
                "fired_at": now,
            }
            for row, day, milestone in due
        ]
        new = await insert_new_rows(session, FiredMilestone, rows, ("assignment_id", "due_date", "milestone"))
        fired: list[Milestone] = []
        events: list[tuple[BaseModel, str, str]] = []
        for (row, day, milestone), values in zip(due, rows, strict=True):
            if (values["assignment_id"], values["due_date"], values["milestone"]) not in new:
                continue  # fired before (by us before a restart, or by another replica)
            fired.append(milestone)
            events.append((self._event(row, day, milestone, now), row.assignment_id, str(values["event_id"])))
        await self._ctx.outbox.add_many(session, events, time=now)
        return fired

    @staticmethod
    def _event(row: Any, day: date, milestone: Milestone, now: datetime) -> DeadlineMilestoneV1:
        deadline = row.deadline or {}
        return _EVENT_MODELS[milestone.kind](
            assignment_id=row.assignment_id,
            commitment_id=row.commitment_id,
            document_id=row.document_id,
            document_title=row.document_title,
            country=row.country,
            ministry=row.ministry,
            body=row.body,
            policy_area=row.policy_area,
            text=row.text,
            due_date=day,
            projected=row.projected,
            milestone=milestone.key,
            days_left=days_left(day, now),
            status=row.status,
            deadline_kind=deadline.get("kind"),
            verbatim=deadline.get("verbatim"),
            series=row.deadline_series,
            ordinal=row.deadline_ordinal,
        )
