"""Notifier's handler table: every subscribable event becomes deliveries (in the inbox transaction).

Consumes: commitment.assigned, assignment.status_changed, deadline.*, calendar.occurrence_changed,
document.processed (all .v1). Produces nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.service import enqueue_event
from resolute.shared.events.catalogue import EVENT_CATALOGUE
from resolute.shared.events.envelope import Envelope
from resolute.shared.messaging import EventHandler
from resolute.shared.runtime import ServiceRuntime
from resolute.shared.topics import NOTIFIER_GROUP


def build_handlers(runtime: ServiceRuntime) -> dict[str, EventHandler]:
    async def on_event(session: AsyncSession, envelope: Envelope) -> None:
        envelope.typed_data()  # a payload that does not match its schema is a poison message
        await enqueue_event(session, envelope, now=runtime.clock.now())

    return {
        event_type: on_event for event_type, spec in EVENT_CATALOGUE.items() if spec.topic.name in NOTIFIER_GROUP.topics
    }
