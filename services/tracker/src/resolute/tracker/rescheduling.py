"""Keeping deadlines in step with what they hang on: a commitment's deadline resolved (again) when it is new
or moved, and every date that hangs on the calendar when the calendar changes.

Orchestration over three domains (commitments resolve their dates, deadlines move their schedules, the
calendar keeps its projections), used by the intake of events and by the admins' confirmations alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry
from resolute.shared.logging import get_logger
from resolute.tracker.calendar import service as calendar
from resolute.tracker.calendar.projection import Calendar
from resolute.tracker.commitments import service as commitments
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import TrackerContext
from resolute.tracker.deadlines import service as deadlines
from resolute.tracker.deadlines.resolution import UNSCHEDULED

log = get_logger(__name__)


async def resolve_commitment(
    session: AsyncSession,
    ctx: TrackerContext,
    commitment: Commitment,
    registry: ActorRegistry,
    now: datetime,
    *,
    created: bool,
) -> None:
    """Resolve a new or moved commitment's deadline; an occurrence it hangs on gets a projected date; the
    schedules of its assignments follow a date that moved (a new commitment's are made with its date)."""
    is_event = (commitment.deadline or {}).get("kind") == "event"
    known = await calendar.load_calendar(session, registry) if is_event else Calendar.build([], [])
    resolved = commitments.resolve_for(commitment, known, now) if commitment.deadline else UNSCHEDULED
    changed = commitments.apply_resolution(commitment, resolved)
    if is_event and resolved.series and resolved.ordinal is not None:
        await calendar.ensure_projection(session, ctx, known, resolved.series, resolved.ordinal, now)
    if changed and not created:
        await deadlines.reschedule_commitment(session, commitment, now)


async def follow_calendar(
    session: AsyncSession, ctx: TrackerContext, series: Iterable[str], registry: ActorRegistry, now: datetime
) -> None:
    """The calendar of these series changed: re-resolve the deadlines on them (and on series meeting with
    them), move the schedules of those whose date moved, and refresh the projections."""
    known = await calendar.load_calendar(session, registry)
    affected = calendar.linked_series(known, series)
    moved = await commitments.reresolve_series(session, affected, known, now)
    for commitment in moved:
        await deadlines.reschedule_commitment(session, commitment, now)
    await calendar.refresh_projections(session, ctx, affected, known, now)
    if moved:
        log.info("deadlines_rescheduled", series=sorted(affected), commitments=len(moved))
