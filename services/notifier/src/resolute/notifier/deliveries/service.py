"""Turning events into deliveries, and recording what each attempt did."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.models import Delivery, DeliveryAttempt
from resolute.notifier.deliveries.sender import AttemptResult
from resolute.notifier.subscriptions.matching import subscription_matches
from resolute.notifier.subscriptions.models import Subscription
from resolute.shared.db import mark_for_commit
from resolute.shared.events.envelope import Envelope

DELIVERIES_FLAG = "deliveries_enqueued"
DELIVERY_NAMESPACE = uuid.UUID("0b8e3f3e-7d0a-4d55-9a57-1f0f5ac3c2d1")


def webhook_body(webhook_type: str, timestamp: datetime, data: dict[str, object]) -> bytes:
    """The Standard Webhooks body; stored once so every retry sends the same bytes."""
    return json.dumps(
        {"type": webhook_type, "timestamp": timestamp.isoformat(), "data": data}, separators=(",", ":")
    ).encode()


def delivery_id(subscription_id: str, event_id: str) -> str:
    """webhook-id derived from (subscription, event): a re-delivered event can never get a second id."""
    return "msg_" + uuid.uuid5(DELIVERY_NAMESPACE, f"{subscription_id}|{event_id}").hex


async def enqueue_event(session: AsyncSession, envelope: Envelope, *, now: datetime) -> int:
    """Create a pending delivery for every enabled immediate subscription the event concerns."""
    webhook_type = envelope.webhook_type
    subscriptions = (
        await session.scalars(
            select(Subscription).where(Subscription.enabled.is_(True), Subscription.mode == "immediate")
        )
    ).all()
    created = 0
    for subscription in subscriptions:
        if not subscription_matches(subscription.event_types, subscription.filter, webhook_type, envelope.data):
            continue
        ident = delivery_id(subscription.id, envelope.id)
        if await session.get(Delivery, ident) is not None:
            continue
        session.add(
            Delivery(
                id=ident,
                subscription_id=subscription.id,
                event_id=envelope.id,
                event_type=webhook_type,
                payload=webhook_body(webhook_type, envelope.time, envelope.data),
                status="pending",
                attempts=0,
                next_attempt_at=now,
                event_time=envelope.time,
                created_at=now,
            )
        )
        created += 1
    if created:
        mark_for_commit(session, DELIVERIES_FLAG)
    return created


def next_delay(attempts_made: int, schedule: Sequence[float], retry_after: float | None) -> float | None:
    """Seconds until the next attempt, or None when the schedule is spent. ±20 % jitter; Retry-After within bounds."""
    if attempts_made > len(schedule):
        return None
    base = schedule[attempts_made - 1]
    delay = base * random.uniform(0.8, 1.2)
    if retry_after is not None:
        delay = min(max(delay, retry_after), max(base * 2, 60.0), 86_400.0)
    return delay


def record_attempt(
    session: AsyncSession,
    delivery: Delivery,
    result: AttemptResult,
    *,
    now: datetime,
    schedule: Sequence[float],
) -> DeliveryAttempt:
    delivery.attempts += 1
    delivery.locked_until = None
    delivery.last_status_code = result.status_code
    delivery.last_error = result.error
    next_at: datetime | None = None
    if result.ok:
        delivery.status = "succeeded"
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    else:
        delay = next_delay(delivery.attempts, schedule, result.retry_after)
        if delay is None:
            delivery.status = "dead"
            delivery.next_attempt_at = None
        else:
            next_at = now + timedelta(seconds=delay)
            delivery.next_attempt_at = next_at
    attempt = DeliveryAttempt(
        delivery_id=delivery.id,
        attempt=delivery.attempts,
        attempted_at=now,
        outcome="success" if result.ok else "failure",
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        response_body=result.response_body,
        error=result.error,
        next_attempt_at=next_at,
    )
    session.add(attempt)
    return attempt
