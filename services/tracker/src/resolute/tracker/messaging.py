"""Tracker's handler table: which events it consumes and the intake use case each one runs. It publishes
through the outbox.

Consumes: commitment.extracted.v1, commitment.withdrawn.v1, commitment.corrected.v1, document.processed.v1 (its
calendar facts), document.corrected.v1 (an editor's correction of a document's facts and calendar facts).
Produces: commitment.assigned.v1, commitment.revised.v1, assignment.status_changed.v1,
deadline.approaching/due/overdue.v1, calendar.occurrence_changed.v1.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.events.catalogue import (
    CommitmentCorrectedV1,
    CommitmentExtractedV1,
    CommitmentWithdrawnV1,
    DocumentCorrectedV1,
    DocumentProcessedV1,
)
from resolute.shared.events.envelope import Envelope
from resolute.shared.messaging import EventHandler
from resolute.tracker import intake
from resolute.tracker.context import TrackerContext


def build_handlers(ctx: TrackerContext) -> dict[str, EventHandler]:
    async def on_commitment_extracted(session: AsyncSession, envelope: Envelope) -> None:
        event = cast(CommitmentExtractedV1, envelope.typed_data())
        await intake.record_extracted_commitment(session, ctx, event, published_at=envelope.time, now=ctx.clock.now())

    async def on_commitment_withdrawn(session: AsyncSession, envelope: Envelope) -> None:
        event = cast(CommitmentWithdrawnV1, envelope.typed_data())
        await intake.withdraw_commitment(session, ctx, event, ctx.clock.now())

    async def on_commitment_corrected(session: AsyncSession, envelope: Envelope) -> None:
        event = cast(CommitmentCorrectedV1, envelope.typed_data())
        await intake.apply_correction(session, ctx, event, published_at=envelope.time, now=ctx.clock.now())

    async def on_document_processed(session: AsyncSession, envelope: Envelope) -> None:
        event = cast(DocumentProcessedV1, envelope.typed_data())
        await intake.learn_document_calendar(session, ctx, event, ctx.clock.now())

    async def on_document_corrected(session: AsyncSession, envelope: Envelope) -> None:
        event = cast(DocumentCorrectedV1, envelope.typed_data())
        await intake.apply_document_correction(session, ctx, event, ctx.clock.now())

    return {
        "commitment.extracted.v1": on_commitment_extracted,
        "commitment.withdrawn.v1": on_commitment_withdrawn,
        "commitment.corrected.v1": on_commitment_corrected,
        "document.processed.v1": on_document_processed,
        "document.corrected.v1": on_document_corrected,
    }
