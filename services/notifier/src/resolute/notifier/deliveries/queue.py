"""The queue of deliveries waiting to be sent: how a delivery joins it (made from an event, a digest, a notice,
a test, or sent again), and the wake-up that tells the delivery worker (`deliveries.worker`) once the
transaction that queued it commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.models import Delivery
from resolute.notifier.deliveries.payloads import delivery_id, webhook_body
from resolute.shared.db import WakeUp

#: something is due to be sent: the delivery worker listens for it
DELIVERIES_QUEUED = WakeUp("deliveries_queued")


def new_delivery(
    subscription_id: str, event_id: str, webhook_type: str, event_time: datetime, data: dict[str, Any], now: datetime
) -> Delivery:
    """A pending delivery, due now; its id (the webhook-id) follows from the subscription and the event."""
    return Delivery(
        id=delivery_id(subscription_id, event_id),
        subscription_id=subscription_id,
        event_id=event_id,
        event_type=webhook_type,
        payload=webhook_body(webhook_type, event_time, data),
        status="pending",
        attempts=0,
        round_attempts=0,
        next_attempt_at=now,
        event_time=event_time,
        created_at=now,
    )


def enqueue(session: AsyncSession, *deliveries: Delivery) -> None:
    """Add deliveries to the queue; the worker wakes when the transaction commits."""
    session.add_all(deliveries)
    if deliveries:
        DELIVERIES_QUEUED.mark(session)


def requeue(session: AsyncSession, delivery: Delivery, *, now: datetime) -> None:
    """Send again from the start of the retry schedule, with the same webhook-id."""
    delivery.status = "pending"
    delivery.round_attempts = 0
    delivery.next_attempt_at = now
    delivery.dead_at = None
    delivery.locked_until = None
    DELIVERIES_QUEUED.mark(session)
