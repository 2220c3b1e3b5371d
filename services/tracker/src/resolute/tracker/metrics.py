"""The tracker's own metrics (names agreed with ops), and the worker that keeps its gauges current."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from prometheus_client import Counter, Gauge
from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.shared.background import stop_task, woken
from resolute.shared.clock import Clock
from resolute.shared.db import WakeUp
from resolute.shared.events.catalogue import ASSIGNMENT_STATUSES
from resolute.shared.logging import get_logger
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.deadlines.models import DeadlineSchedule

log = get_logger(__name__)

NO_COUNTRY = "-"  # assignments to bodies

ASSIGNMENTS = Gauge("resolute_tracker_assignments", "Assignments by country and status", ["country", "status"])
DEADLINES = Gauge(
    "resolute_tracker_deadlines",
    "Open assignments by deadline state: approaching (due within 30 days), due (today), overdue",
    ["country", "state"],
)
DEADLINE_EVENTS = Counter("resolute_tracker_deadline_events_total", "Deadline milestones fired", ["milestone"])
DEADLINE_STATES = ("approaching", "due", "overdue")
for _milestone in DEADLINE_STATES:
    DEADLINE_EVENTS.labels(_milestone)  # a series at 0 from the start: rate() and alerts see "none yet", not "no data"

#: writes that change what the gauges count mark it; the GaugeRefresher below listens
GAUGES_STALE = WakeUp("tracker_gauges_stale")
OVERDUE_UNCHANGED = Gauge(
    "resolute_tracker_overdue_unchanged_assignments",
    "Overdue assignments whose status has not changed for 30 days",
    ["country"],
)


def _zeroed(gauge: Gauge, countries: list[str], labels: tuple[str, ...] = ()) -> None:
    """Clear the gauge and give every country (and label) a series at 0, so "none" reads as 0, not as no data."""
    gauge.clear()
    for code in countries:
        for label in labels or (None,):
            (gauge.labels(code, label) if label is not None else gauge.labels(code)).set(0)


async def _count_by_status(session: AsyncSession) -> list[str]:
    """Assignments by country and status; returns the countries that have any."""
    country = func.coalesce(Assignment.country, NO_COUNTRY)
    by_status = (
        await session.execute(select(country, Assignment.status, func.count()).group_by(country, Assignment.status))
    ).all()
    countries = sorted({code for code, _, _ in by_status})
    _zeroed(ASSIGNMENTS, countries, ASSIGNMENT_STATUSES)  # every status of every country, zeros included
    for code, status, count in by_status:
        ASSIGNMENTS.labels(code, status).set(count)
    return countries


def _open_dated(today: date, approaching_days: int) -> Any:
    """Open assignments due within the window (or overdue), with their deadline state."""
    due = DeadlineSchedule.due_date
    state = case((due < today, "overdue"), (due == today, "due"), else_="approaching")
    country = func.coalesce(Assignment.country, NO_COUNTRY)
    return (
        select(country.label("country"), state.label("state"), Assignment.status_changed_at, Assignment.created_at)
        .join(DeadlineSchedule, DeadlineSchedule.assignment_id == Assignment.id)
        .where(
            Assignment.status.not_in(CLOSED),
            due.is_not(None),
            due <= today + timedelta(days=approaching_days),
            # a projected date that has passed is a guess gone stale, not an overdue commitment
            (DeadlineSchedule.projected.is_(False)) | (due >= today),
        )
        .subquery()
    )


async def refresh_gauges(
    session: AsyncSession, clock: Clock, *, approaching_days: int = 30, unchanged_days: int = 30
) -> None:
    """Recount the gauges from the database (every replica reports the same figures)."""
    now = clock.now()
    countries = await _count_by_status(session)
    open_dated = _open_dated(now.date(), approaching_days)
    counts = (
        await session.execute(
            select(open_dated.c.country, open_dated.c.state, func.count()).group_by(
                open_dated.c.country, open_dated.c.state
            )
        )
    ).all()
    _zeroed(DEADLINES, countries, DEADLINE_STATES)
    for code, label, count in counts:
        DEADLINES.labels(code, label).set(count)
    changed = func.coalesce(open_dated.c.status_changed_at, open_dated.c.created_at)
    unchanged = (
        await session.execute(
            select(open_dated.c.country, func.count())
            .where(open_dated.c.state == "overdue", changed < now - timedelta(days=unchanged_days))
            .group_by(open_dated.c.country)
        )
    ).all()
    _zeroed(OVERDUE_UNCHANGED, countries)
    for code, count in unchanged:
        OVERDUE_UNCHANGED.labels(code).set(count)


class GaugeRefresher:
    """Recounts the tracker's gauges every `interval` seconds, and about a second after a write changed them."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, interval: float, *, settle: float = 1.0
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._interval = interval
        self._settle = settle
        self._task: asyncio.Task[None] | None = None
        self._stale = asyncio.Event()
        GAUGES_STALE.listen(sessionmaker, self._stale.set)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="tracker-gauges")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def refresh(self) -> None:
        async with self._sessionmaker() as session:
            await refresh_gauges(session, self._clock)

    async def _run(self) -> None:
        while True:
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("gauge_refresh_failed", error=str(exc)[:300])
            await woken(self._stale, self._interval)
            self._stale.clear()
            await asyncio.sleep(self._settle)  # let a burst of writes (a 143-item bundle) land before recounting
