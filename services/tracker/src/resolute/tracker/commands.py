"""The writes the API asks for that span domains: a status report (the assignment, then its schedule) and an
admin's confirmation of an occurrence (the calendar, then every deadline that hangs on it).

Each runs in the caller's transaction; routers map what they raise to problems.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.web.identity import Caller
from resolute.shared.web.problems import ProblemError
from resolute.tracker import rescheduling
from resolute.tracker.access import require_role
from resolute.tracker.assignments import service as assignments
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.calendar import service as calendar
from resolute.tracker.context import TrackerContext
from resolute.tracker.deadlines import service as deadlines


async def report_status(
    session: AsyncSession,
    ctx: TrackerContext,
    assignment_id: str,
    report: assignments.StatusReport,
    caller: Caller,
    now: datetime,
) -> None:
    """A claim, verification, dispute or correction; a closed assignment gets no more reminders, a reopened one
    does again."""
    assignment = await assignments.report_status(session, ctx, assignment_id, report, caller, now)
    await deadlines.set_schedule_open(session, assignment.id, assignment.status not in CLOSED, now)
    await session.flush()


async def confirm_occurrence(
    session: AsyncSession,
    ctx: TrackerContext,
    series: str,
    ordinal: int,
    given: calendar.OccurrenceInput,
    caller: Caller,
    now: datetime,
) -> None:
    """An admin dates an occurrence of a series the registry knows; every deadline hanging on it follows."""
    require_role(caller)
    registry = (await ctx.directory.current(session)).registry
    known = registry.series_by_id(series)
    if known is None:
        raise ProblemError(
            422,
            f"no calendar series {series!r}; known: {', '.join(s.id for s in registry.series)}",
            kind="validation",
            title="Invalid request",
        )
    if not known.numbered and given.start.year != ordinal:
        raise ProblemError(
            422,
            f"{series} is numbered by year: occurrence {ordinal} must start in {ordinal}",
            kind="validation",
            title="Invalid request",
        )
    before = (await calendar.load_calendar(session, registry)).occurrence(series, ordinal)
    confirmed = await calendar.confirm_occurrence(
        session, ctx, series, ordinal, given, actor=caller.principal, now=now,
        dated_before=before.start if before is not None else None,
    )  # fmt: skip
    if confirmed is not None:
        await rescheduling.follow_calendar(session, ctx, {series}, registry, now)
