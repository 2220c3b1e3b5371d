"""Recording commitments from ingest (new, re-delivered, carried into a newer document version, withdrawn)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.events.catalogue import CommitmentExtractedV1, CommitmentWithdrawnV1
from resolute.shared.logging import get_logger
from resolute.tracker.assignments.service import fan_out, reinstate, supersede_open
from resolute.tracker.calendar.projection import Calendar
from resolute.tracker.calendar.service import ensure_projection, load_calendar
from resolute.tracker.commitments.models import Commitment, CommitmentRevision
from resolute.tracker.context import TrackerContext
from resolute.tracker.deadlines.resolution import UNSCHEDULED
from resolute.tracker.deadlines.service import apply_resolution, reschedule_commitment, resolve_for

log = get_logger(__name__)


async def _revise(
    session: AsyncSession, commitment: Commitment, change: str, now: datetime, note: str | None = None
) -> None:
    seq = 0
    if change != "extracted":
        latest = select(func.max(CommitmentRevision.seq)).where(CommitmentRevision.commitment_id == commitment.id)
        seq = await session.scalar(latest) or 0
    session.add(
        CommitmentRevision(
            commitment_id=commitment.id,
            seq=seq + 1,
            change=change,
            at=now,
            document_id=commitment.document_id,
            document_title=commitment.document_title,
            position=commitment.position,
            section=commitment.section,
            text=commitment.text,
            deadline=commitment.deadline,
            withdrawn=commitment.withdrawn_at is not None,
            note=note,
        )
    )


def _take_document_fields(commitment: Commitment, event: CommitmentExtractedV1) -> None:
    commitment.document_id = event.document_id
    commitment.document_title = event.document_title
    commitment.document_kind = event.document_kind
    commitment.document_number = event.document_number
    commitment.issuing_body = event.issuing_body
    commitment.adopted = event.adopted
    commitment.position = event.position
    commitment.label = event.label
    commitment.section = event.section
    commitment.text = event.text
    commitment.span = list(event.span)
    commitment.deadline = event.deadline.model_dump(mode="json") if event.deadline else None


async def record_extracted_commitment(
    session: AsyncSession, ctx: TrackerContext, event: CommitmentExtractedV1, *, published_at: datetime, now: datetime
) -> Commitment:
    """Keep the commitment, resolve its deadline and fan it out; a re-delivery adds nothing, and a newer
    version of its document moves it (document, position, deadline) keeping assignments and history."""
    registry = (await ctx.directory.current(session)).registry
    commitment = await session.get(Commitment, event.commitment_id)
    moved = created = False
    if commitment is None:
        commitment = Commitment(
            id=event.commitment_id,
            countries=list(event.countries),
            bodies=list(event.bodies),
            ministries=[m.model_dump() for m in event.ministries],
            policy_area=event.policy_area,
            due_projected=False,
            published_at=published_at,
            created_at=now,
            updated_at=now,
        )
        _take_document_fields(commitment, event)
        session.add(commitment)
        await _revise(session, commitment, "extracted", now)
        moved = created = True
    elif commitment.document_id != event.document_id:
        previous_document = commitment.document_id
        _take_document_fields(commitment, event)
        commitment.published_at = max(commitment.published_at, published_at)
        commitment.updated_at = now
        note = f"carried over from document {previous_document}"
        if commitment.withdrawn_at is not None:
            commitment.withdrawn_at = None
            commitment.withdrawn_reason = None
            await reinstate(session, ctx, commitment, now)
            note += "; reinstated"
        await _revise(session, commitment, "new_version", now, note)
        moved = True
        log.info("commitment_moved", commitment_id=commitment.id, document_id=event.document_id)
    if moved:
        is_event = (commitment.deadline or {}).get("kind") == "event"
        calendar = await load_calendar(session, registry) if is_event else Calendar.build([], [])
        resolved = resolve_for(commitment, calendar, now) if commitment.deadline else UNSCHEDULED
        changed = apply_resolution(commitment, resolved)
        if is_event and resolved.series and resolved.ordinal is not None:
            await ensure_projection(session, ctx, calendar, resolved.series, resolved.ordinal, now)
        if changed and not created:  # a new commitment's schedules are made with its date
            await reschedule_commitment(session, commitment, now)
    await fan_out(session, ctx, commitment, registry, now)
    await session.flush()
    return commitment


async def withdraw_commitment(
    session: AsyncSession, ctx: TrackerContext, event: CommitmentWithdrawnV1, now: datetime
) -> Commitment | None:
    """The commitment no longer stands: record why, and its open assignments become superseded."""
    commitment = await session.get(Commitment, event.commitment_id)
    if commitment is None:
        log.warning("withdrawal_of_unknown_commitment", commitment_id=event.commitment_id)
        return None
    if commitment.withdrawn_at is not None:
        return commitment
    commitment.withdrawn_at = now
    commitment.withdrawn_reason = event.reason
    commitment.updated_at = now
    await _revise(session, commitment, "withdrawn", now, event.reason)
    superseded = await supersede_open(session, ctx, commitment, event.reason, now)
    log.info("commitment_withdrawn", commitment_id=commitment.id, superseded=superseded)
    return commitment
