"""What the tracker's routes share besides the public query models: `as_of` read as a moment, 'today' for
derived flags, and the typed state of the app."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.web.state import state_of
from resolute.tracker.calendar.projection import Calendar
from resolute.tracker.calendar.service import load_calendar
from resolute.tracker.context import Reading, TrackerContext
from resolute.tracker.state import TrackerState


def parse_as_of(value: str | None) -> datetime | None:
    """A date reads the record as it stood at the end of that day (UTC); a date-time, at that instant.

    The query models have checked the form already (`resolute.shared.api.commitments.AsOf`)."""
    if value is None or value == "":
        return None
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time.max, tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def tracker_state(request: Request) -> TrackerState:
    return state_of(request, TrackerState)


def tracker_context(request: Request) -> TrackerContext:
    return tracker_state(request).context


ContextDep = Annotated[TrackerContext, Depends(tracker_context)]


def today_for(ctx: TrackerContext, as_of: datetime | None) -> date:
    """'Today' for derived flags (overdue, due soon): the as_of date when reading the past."""
    return (as_of or ctx.clock.now()).date()


async def reading(session: AsyncSession, ctx: TrackerContext, as_of: str | None = None) -> Reading:
    moment = parse_as_of(as_of)
    return Reading(moment, today_for(ctx, moment), (await ctx.directory.current(session)).registry)


async def calendar_then(session: AsyncSession, ctx: TrackerContext, as_of: datetime | None) -> Calendar | None:
    """For a read `as_of`: the calendar that resolves a deadline corrected since (none for a read of now)."""
    if as_of is None:
        return None
    return await load_calendar(session, (await ctx.directory.current(session)).registry)
