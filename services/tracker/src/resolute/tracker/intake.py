"""The intake use case: what the tracker does with each event it consumes, in the consumer's transaction.

Each handler orchestrates the domains and each domain writes only its own tables: the commitment is recorded
(commitments), its deadline resolved (rescheduling), its assignments made or superseded or reinstated
(assignments) to the ministries of its adoption date, their successors proposed if a reorganisation came since
(reassignments), and their schedules kept in step (deadlines); a document's calendar facts are learnt (calendar)
and every date hanging on them follows. A re-delivered event changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.events.catalogue import CommitmentExtractedV1, CommitmentWithdrawnV1, DocumentProcessedV1
from resolute.shared.logging import get_logger
from resolute.tracker import rescheduling
from resolute.tracker.assignments import service as assignments
from resolute.tracker.calendar import service as calendar
from resolute.tracker.commitments import service as commitments
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import TrackerContext
from resolute.tracker.deadlines import service as deadlines
from resolute.tracker.reassignments import service as reassignments

log = get_logger(__name__)


async def record_extracted_commitment(
    session: AsyncSession, ctx: TrackerContext, event: CommitmentExtractedV1, *, published_at: datetime, now: datetime
) -> Commitment:
    """Keep the commitment, resolve its deadline and fan it out; a newer version of its document moves it
    (document, position, deadline) keeping its assignments and their history, and reinstates it if withdrawn."""
    snapshot = await ctx.directory.current(session)
    registry = snapshot.registry
    recorded = await commitments.record(session, event, published_at=published_at, now=now)
    commitment = recorded.commitment
    if recorded.reinstated:
        for assignment_id, is_open in await assignments.reinstate(session, ctx, commitment, now):
            await deadlines.set_schedule_open(session, assignment_id, is_open, now)
    if recorded.moved:
        await rescheduling.resolve_commitment(session, ctx, commitment, registry, now, created=recorded.created)
    created = await assignments.fan_out(session, ctx, commitment, registry, now)
    await deadlines.add_schedules(session, created, commitment, now)
    # adopted before a reorganisation: assigned to the ministry of its day, the successor proposed at once
    await reassignments.propose_for_assignments(session, commitment, created, registry, snapshot.revision, now)
    await session.flush()
    return commitment


async def withdraw_commitment(
    session: AsyncSession, ctx: TrackerContext, event: CommitmentWithdrawnV1, now: datetime
) -> Commitment | None:
    """The commitment no longer stands: its open assignments become superseded and get no more reminders."""
    commitment = await commitments.withdraw(session, event, now)
    if commitment is None:
        return None
    superseded = await assignments.supersede_open(session, ctx, commitment, event.reason, now)
    for assignment_id in superseded:
        await deadlines.set_schedule_open(session, assignment_id, False, now)
    log.info("commitment_withdrawn", commitment_id=commitment.id, superseded=len(superseded))
    return commitment


async def learn_document_calendar(
    session: AsyncSession, ctx: TrackerContext, event: DocumentProcessedV1, now: datetime
) -> None:
    """A document dated some occurrences: learn them, then move every deadline that hangs on them."""
    if not event.calendar_facts:
        return
    registry = (await ctx.directory.current(session)).registry
    changed = await calendar.learn_calendar_facts(session, ctx, event.document_id, event.calendar_facts, registry, now)
    if changed:
        await rescheduling.follow_calendar(session, ctx, changed, registry, now)
