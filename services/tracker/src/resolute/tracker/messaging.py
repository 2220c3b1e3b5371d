"""Tracker's handler table: which events it consumes and what each does. It publishes through the outbox.

Consumes: commitment.extracted.v1. Produces: commitment.assigned.v1.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.events.envelope import Envelope
from resolute.shared.messaging import EventHandler
from resolute.shared.runtime import ServiceRuntime
from resolute.tracker.commitments.service import record_extracted_commitment


def build_handlers(runtime: ServiceRuntime) -> dict[str, EventHandler]:
    async def on_commitment_extracted(session: AsyncSession, envelope: Envelope) -> None:
        event = cast(CommitmentExtractedV1, envelope.typed_data())
        await record_extracted_commitment(
            session, runtime.outbox, event, published_at=envelope.time, now=runtime.clock.now()
        )

    return {"commitment.extracted.v1": on_commitment_extracted}
