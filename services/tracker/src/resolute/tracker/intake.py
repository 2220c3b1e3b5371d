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

from resolute.shared.events.catalogue import (
    CommitmentCorrectedV1,
    CommitmentExtractedV1,
    CommitmentRevisedV1,
    CommitmentWithdrawnV1,
    DocumentCorrectedV1,
    DocumentProcessedV1,
)
from resolute.shared.extracted import MinistryRef
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


async def apply_correction(
    session: AsyncSession, ctx: TrackerContext, event: CommitmentCorrectedV1, *, published_at: datetime, now: datetime
) -> Commitment | None:
    """An editor corrected a commitment (or added or withdrew one): its record takes the corrected state, its
    deadline is resolved again (the schedules follow a date that moved; a milestone already fired for a date is
    not fired again), its assignments fan out again, and subscribers are told what changed
    (`commitment.revised.v1`). A correction already applied changes nothing."""
    corrected = await commitments.correct(session, event, published_at=published_at, now=now)
    if event.positions:
        await commitments.move_positions(session, event.positions, event.document_id, now)
    if corrected is None:
        return None
    commitment = corrected.commitment
    registry = (await ctx.directory.current(session)).registry
    reason = event.correction.reason
    effects = []
    if corrected.withdrawn:
        for assignment_id in await assignments.supersede_open(session, ctx, commitment, reason, now):
            await deadlines.set_schedule_open(session, assignment_id, False, now)
    else:
        if corrected.deadline_changed:
            await rescheduling.resolve_commitment(session, ctx, commitment, registry, now, created=corrected.created)
        followed = await assignments.follow_correction(session, ctx, commitment, registry, reason, now)
        for assignment_id in followed.closed:
            await deadlines.set_schedule_open(session, assignment_id, False, now)
        for assignment_id in followed.reopened:
            await deadlines.set_schedule_open(session, assignment_id, True, now)
        await deadlines.add_schedules(session, followed.created, commitment, now)
        effects = followed.effects
    revised = CommitmentRevisedV1(
        commitment_id=commitment.id,
        document_id=commitment.document_id,
        document_title=commitment.document_title,
        revision=commitment.revision,
        correction=event.correction,
        withdrawn=commitment.withdrawn_at is not None,
        text=commitment.text,
        countries=list(commitment.countries),
        bodies=list(commitment.bodies),
        ministries=[MinistryRef.model_validate(m) for m in commitment.ministries],
        policy_area=commitment.policy_area,
        deadline=commitment.deadline,
        due_date=commitment.due_date,
        due_projected=commitment.due_projected,
        previous_countries=corrected.previous_countries,
        previous_ministries=[MinistryRef.model_validate(m) for m in corrected.previous_ministries],
        changes=corrected.changes,
        assignments=effects,
    )
    await ctx.outbox.add(
        session, revised, key=commitment.id, event_id=f"revised:{commitment.id}:{commitment.revision}", time=now
    )
    await session.flush()
    log.info("commitment_corrected", commitment_id=commitment.id, revision=commitment.revision, effects=len(effects))
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


async def apply_document_correction(
    session: AsyncSession, ctx: TrackerContext, event: DocumentCorrectedV1, now: datetime
) -> None:
    """An editor corrected a document's facts: its commitments carry them as they now stand, and the calendar
    follows the events it dates (every deadline hanging on a moved occurrence moves with it). Applying it twice
    sets the same values again."""
    moved = await commitments.set_document_facts(session, event, now)
    registry = (await ctx.directory.current(session)).registry
    if moved:  # deadlines count from the adoption date: resolve them again from the corrected one
        known = await calendar.load_calendar(session, registry)
        for commitment in moved:
            if commitments.apply_resolution(commitment, commitments.resolve_for(commitment, known, now)):
                await deadlines.reschedule_commitment(session, commitment, now)
    changed: set[str] = set()
    if any(change.field == "calendar_facts" for change in event.changes):
        changed = await calendar.relearn_calendar_facts(
            session, ctx, event.document_id, event.calendar_facts, registry, now
        )
    if changed:
        await rescheduling.follow_calendar(session, ctx, changed, registry, now)
    log.info("document_facts_corrected", document_id=event.document_id, moved=len(moved), series=sorted(changed))
