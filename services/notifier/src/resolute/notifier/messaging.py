"""Notifier's handler table: every subscribable event becomes deliveries or digest items, in the inbox transaction.

Consumes the newest version of each event type the catalogue marks public (document.processed,
commitment.assigned, assignment.status_changed, deadline.approaching|due|overdue, calendar.occurrence_changed);
an event on one of its topics that is not public is not delivered. Produces nothing on Kafka: its output is
webhooks.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.service import enqueue_event
from resolute.shared.clock import Clock
from resolute.shared.events.catalogue import public_event_types
from resolute.shared.events.envelope import Envelope
from resolute.shared.messaging import EventHandler


def build_handlers(clock: Clock) -> dict[str, EventHandler]:
    def handler_for(webhook_type: str) -> EventHandler:
        async def on_event(session: AsyncSession, envelope: Envelope) -> None:
            # the consumer has validated the data against its model (a mismatch is dead-lettered)
            await enqueue_event(session, envelope, webhook_type, now=clock.now())

        return on_event

    return {event_type: handler_for(webhook_type) for event_type, webhook_type in public_event_types().items()}
