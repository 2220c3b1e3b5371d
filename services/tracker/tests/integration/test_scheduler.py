"""The deadline scheduler fires each milestone exactly once: two schedulers racing on one database (separate
engines, as two replicas have), a restart, and schedules reset to look again, never fire anything twice."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from resolute.shared.actors import default_registry
from resolute.shared.clock import Clock
from resolute.shared.db import create_engine, make_sessionmaker
from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.messaging import Outbox
from resolute.tracker.actors.service import ActorDirectory, ensure_registry
from resolute.tracker.commitments.service import roll_due_dates
from resolute.tracker.context import TrackerContext
from resolute.tracker.database import messaging_tables
from resolute.tracker.deadlines.models import DeadlineSchedule, FiredMilestone
from resolute.tracker.deadlines.scheduler import DeadlineScheduler
from resolute.tracker.intake import record_extracted_commitment

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
COMMITMENTS = 150  # x (EE, LV, LT, Baltic Council of Ministers) = 600 assignments


def _scheduler(sessionmaker: object, clock: Clock, batch_size: int) -> DeadlineScheduler:
    return DeadlineScheduler(
        sessionmaker,  # type: ignore[arg-type]
        _context(clock),
        roll_due_dates=roll_due_dates,
        interval=60,
        batch_size=batch_size,
    )


def _context(clock: Clock) -> TrackerContext:
    return TrackerContext(
        Outbox(messaging_tables, source="/resolute/tracker"), ActorDirectory(default_registry()), clock
    )


def _event(n: int, due: date) -> CommitmentExtractedV1:
    return CommitmentExtractedV1(
        commitment_id=f"c-{n}",
        document_id="d",
        document_kind="resolution",
        position=n,
        text=f"to act {n}",
        span=(0, 1),
        countries=["EE", "LV", "LT"],
        bodies=["Baltic Council of Ministers"],
        policy_area="governance",
        deadline={"verbatim": due.isoformat(), "kind": "date", "date": due},
    )


async def _fired(sessionmaker: object) -> tuple[int, int, int]:
    """(milestone rows, deadline events in the outbox, distinct event ids)."""
    outbox = messaging_tables.outbox
    async with sessionmaker() as session:  # type: ignore[operator]
        rows = await session.scalar(select(func.count()).select_from(FiredMilestone))
        events = await session.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.event_type.like("deadline.%"))
        )
        distinct = await session.scalar(
            select(func.count(func.distinct(outbox.c.event_id))).where(outbox.c.event_type.like("deadline.%"))
        )
    return int(rows or 0), int(events or 0), int(distinct or 0)


async def test_two_schedulers_racing_fire_each_milestone_once(make_database: Callable[[str], str]) -> None:
    url = make_database("tracker")
    engines = [create_engine(url, pool_size=4) for _ in range(2)]
    sessionmakers = [make_sessionmaker(engine) for engine in engines]
    clock = Clock(NOW)
    try:
        ctx = _context(clock)
        await ensure_registry(sessionmakers[0], default_registry(), now=NOW)
        async with sessionmakers[0]() as session, session.begin():
            for n in range(COMMITMENTS):
                # varied dates: 5 days ahead (approaching-7), today (due), past (overdue), far (nothing yet)
                due = NOW.date() + timedelta(days=(5, 0, -10, 200)[n % 4])
                await record_extracted_commitment(session, ctx, _event(n, due), published_at=NOW, now=NOW)
        schedulers = [_scheduler(sm, clock, 25) for sm in sessionmakers]
        # every new schedule is due for a first look; /readyz shows that backlog (capped) until it is worked off
        assert await schedulers[0].backlog(sessionmakers[0]) == COMMITMENTS * 4
        assert await schedulers[0].backlog(sessionmakers[0], cap=100) == 100
        fired = await asyncio.gather(*(s.run_until_idle() for s in schedulers))
        assert await schedulers[1].backlog(sessionmakers[1]) == 0
        expected = COMMITMENTS // 4 * 3 * 4 + (COMMITMENTS % 4 >= 1) * 4 + (COMMITMENTS % 4 >= 2) * 4
        assert sum(fired) == expected
        assert await _fired(sessionmakers[0]) == (expected, expected, expected)

        # a restarted scheduler, and every schedule told to look again now: nothing fires twice
        again = DeadlineScheduler(
            sessionmakers[1], _context(clock), roll_due_dates=roll_due_dates, interval=60, batch_size=100
        )
        assert await again.run_until_idle() == 0
        async with sessionmakers[0]() as session, session.begin():
            await session.execute(update(DeadlineSchedule).values(next_fire_at=NOW))
        assert sum(await asyncio.gather(*(s.run_until_idle() for s in schedulers))) == 0
        assert await _fired(sessionmakers[0]) == (expected, expected, expected)

        # time moves on a day: the due ones go overdue (once), the approaching ones are not touched yet
        tomorrow = Clock(NOW + timedelta(days=1))
        later = [_scheduler(sm, tomorrow, 25) for sm in sessionmakers]
        moved_on = sum(await asyncio.gather(*(s.run_until_idle() for s in later)))
        assert moved_on == 38 * 4  # the commitments due today
        async with sessionmakers[0]() as session:
            kinds = dict(
                (
                    await session.execute(
                        select(FiredMilestone.milestone, func.count()).group_by(FiredMilestone.milestone)
                    )
                ).all()
            )
        assert kinds == {"approaching-7": 38 * 4, "due": 38 * 4, "overdue-1": 38 * 4, "overdue-8": 37 * 4}
    finally:
        for engine in engines:
            await engine.dispose()
