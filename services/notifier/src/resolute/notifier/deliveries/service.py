"""Deliveries: made from events, claimed when due, and each attempt's result recorded with what follows from it.

Plain functions taking a session; the worker (deliveries/worker.py) drives them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.models import Delivery, DeliveryAttempt
from resolute.notifier.deliveries.payloads import TEST_TYPE, delivery_id, webhook_body
from resolute.notifier.deliveries.sender import AttemptResult
from resolute.notifier.digests.models import DigestItem
from resolute.notifier.subscriptions.matching import subscription_matches
from resolute.notifier.subscriptions.models import Subscription
from resolute.notifier.subscriptions.service import DELIVERIES_FLAG, active_secrets, disable_subscription
from resolute.shared.db import mark_for_commit
from resolute.shared.events.envelope import Envelope

GONE = 410


@dataclass(frozen=True)
class DeliveryJob:
    """Everything one attempt needs, read when the delivery is claimed."""

    delivery_id: str
    subscription_id: str
    url: str
    payload: bytes
    secrets: list[str]
    event_time: datetime


@dataclass(frozen=True)
class RecordedAttempt:
    """An attempt as recorded, for metrics and logs."""

    job: DeliveryJob
    result: AttemptResult
    status: str
    next_attempt_at: datetime | None
    disabled_subscription: bool
    became_dead: int  # this delivery, and others of a subscription this attempt disabled


@dataclass(frozen=True)
class RetryPolicy:
    schedule: Sequence[float]
    retry_after_max: float
    disable_after: timedelta


def new_delivery(
    subscription_id: str, event_id: str, webhook_type: str, event_time: datetime, data: dict[str, Any], now: datetime
) -> Delivery:
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


async def enqueue_event(session: AsyncSession, envelope: Envelope, webhook_type: str, *, now: datetime) -> int:
    """A pending delivery (immediate) or a held digest item (daily digest) per enabled matching subscription.

    Runs in the consumer's inbox transaction: the deliveries exist before the event's offset is committed.
    """
    subscriptions = (
        await session.execute(
            select(Subscription.id, Subscription.event_types, Subscription.filter, Subscription.mode).where(
                Subscription.enabled.is_(True)
            )
        )
    ).all()
    matching = [s for s in subscriptions if subscription_matches(s.event_types, s.filter, webhook_type, envelope.data)]
    if not matching:
        return 0
    immediate = [s.id for s in matching if s.mode == "immediate"]
    digest = [s.id for s in matching if s.mode == "daily_digest"]
    # the inbox makes this run once per event, and ids derive from (subscription, event): no lookups needed
    for subscription_id in immediate:
        session.add(new_delivery(subscription_id, envelope.id, webhook_type, envelope.time, envelope.data, now))
    if immediate:
        mark_for_commit(session, DELIVERIES_FLAG)
    for subscription_id in digest:
        session.add(
            DigestItem(
                subscription_id=subscription_id,
                event_id=envelope.id,
                event_type=webhook_type,
                event_time=envelope.time,
                data=envelope.data,
                received_at=now,
            )
        )
    return len(matching)


def next_delay(
    round_attempts: int, schedule: Sequence[float], retry_after: float | None, retry_after_max: float
) -> float | None:
    """Seconds until the next attempt, or None when the schedule is spent.

    The schedule's step gets ±20 % jitter; a receiver's Retry-After may push it later, up to the bound.
    """
    if round_attempts > len(schedule):
        return None
    delay = schedule[round_attempts - 1] * random.uniform(0.8, 1.2)
    if retry_after is not None:
        delay = max(delay, min(retry_after, retry_after_max))
    return delay


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int,
    lease: timedelta,
    excluded: Collection[str],
    admit: Callable[[str, int | None], bool],
) -> list[DeliveryJob]:
    """Take up to `limit` due deliveries for this worker (a lease keeps other replicas off them).

    `admit(subscription_id, rate_limit)` is the per-subscription throttle: a delivery it refuses stays due.
    """
    query = (
        select(
            Delivery.id, Delivery.subscription_id, Delivery.payload, Delivery.event_time,
            Subscription.url, Subscription.rate_limit,
        )
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(
            Delivery.status == "pending",
            Delivery.next_attempt_at <= now,
            or_(Delivery.locked_until.is_(None), Delivery.locked_until < now),
        )
    )  # fmt: skip
    if excluded:
        query = query.where(Delivery.subscription_id.not_in(list(excluded)))
    query = query.order_by(Delivery.next_attempt_at).limit(limit * 4)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Delivery, skip_locked=True)
    chosen: list[Any] = []
    for row in (await session.execute(query)).all():
        if len(chosen) >= limit:
            break
        if admit(row.subscription_id, row.rate_limit):
            chosen.append(row)
    if not chosen:
        return []
    await session.execute(
        update(Delivery).where(Delivery.id.in_([r.id for r in chosen])).values(locked_until=now + lease)
    )
    secrets = await active_secrets(session, [r.subscription_id for r in chosen], now)
    return [
        DeliveryJob(r.id, r.subscription_id, r.url, bytes(r.payload), secrets[r.subscription_id], r.event_time)
        for r in chosen
    ]


async def record_results(
    session: AsyncSession,
    results: Sequence[tuple[DeliveryJob, AttemptResult]],
    *,
    now: datetime,
    policy: RetryPolicy,
) -> list[RecordedAttempt]:
    """Log each attempt and decide what follows: done, retry later, dead letter, or the endpoint disabled.

    Written as bulk statements (one UPDATE and one INSERT for the batch), so a busy worker holds the
    database briefly however many attempts it records at once.
    """
    ids = [job.delivery_id for job, _ in results]
    current = {
        row.id: row
        for row in (
            await session.execute(
                select(
                    Delivery.id, Delivery.subscription_id, Delivery.status, Delivery.attempts,
                    Delivery.round_attempts, Delivery.delivered_at, Delivery.dead_at,
                ).where(Delivery.id.in_(ids))
            )
        ).all()
    }  # fmt: skip
    subscriptions = {
        s.id: s
        for s in (
            await session.scalars(
                select(Subscription).where(Subscription.id.in_({row.subscription_id for row in current.values()}))
            )
        ).all()
    }
    updates: list[dict[str, Any]] = []
    attempts: list[dict[str, Any]] = []
    disabled: set[str] = set()
    recorded: list[RecordedAttempt] = []

    async def write() -> None:
        if updates:
            await session.execute(update(Delivery), updates)
            updates.clear()
        if attempts:
            await session.execute(insert(DeliveryAttempt), attempts)
            attempts.clear()

    for job, result in results:
        row = current.get(job.delivery_id)
        if row is None:  # the subscription was deleted meanwhile
            continue
        subscription = subscriptions[row.subscription_id]
        status = "dead" if row.subscription_id in disabled else row.status
        change: dict[str, Any] = {
            "id": row.id,
            "attempts": row.attempts + 1,
            "round_attempts": row.round_attempts + 1,
            "locked_until": None,
            "last_status_code": result.status_code,
            "last_error": result.error,
            "next_attempt_at": None,
            "delivered_at": row.delivered_at,
            "dead_at": row.dead_at if status == "dead" else None,
            "status": status,
        }
        next_at: datetime | None = None
        self_dead = 0
        disable_reason: str | None = None
        if result.ok:
            change.update(status="succeeded", delivered_at=now, dead_at=None)
            subscription.failing_since = None
        else:
            if subscription.failing_since is None:
                subscription.failing_since = now
            delay = None
            if result.status_code != GONE and status == "pending":
                delay = next_delay(row.round_attempts + 1, policy.schedule, result.retry_after, policy.retry_after_max)
            if delay is not None:
                next_at = now + timedelta(seconds=delay)
                change["next_attempt_at"] = next_at
            elif status == "pending":
                change.update(status="dead", dead_at=now)
                self_dead = 1
            if result.status_code == GONE:
                disable_reason = "the endpoint answered 410 Gone"
            elif now - subscription.failing_since >= policy.disable_after:
                disable_reason = f"every delivery has failed since {subscription.failing_since.isoformat()}"
        updates.append(change)
        attempts.append(
            {
                "delivery_id": row.id,
                "attempt": row.attempts + 1,
                "attempted_at": result.started_at or now,
                "outcome": result.outcome,
                "status_code": result.status_code,
                "duration_ms": result.duration_ms,
                "response_body": result.response_body,
                "error": result.error,
                "next_attempt_at": next_at,
            }
        )
        killed: int | None = None
        if disable_reason is not None:
            await write()  # this delivery's own state first: the disable then sees it
            killed = await disable_subscription(session, subscription, reason=disable_reason, now=now)
            disabled.add(subscription.id)
            if killed is not None and next_at is not None:  # it was waiting for a retry: dead now
                await session.execute(
                    update(DeliveryAttempt)
                    .where(DeliveryAttempt.delivery_id == row.id, DeliveryAttempt.attempt == row.attempts + 1)
                    .values(next_attempt_at=None)
                )
                next_at = None
        final = "dead" if killed is not None and change["status"] == "pending" else change["status"]
        recorded.append(RecordedAttempt(job, result, final, next_at, killed is not None, self_dead + (killed or 0)))
    await write()
    return recorded


def requeue(delivery: Delivery, *, now: datetime) -> None:
    """Send again from the start of the retry schedule, with the same webhook-id."""
    delivery.status = "pending"
    delivery.round_attempts = 0
    delivery.next_attempt_at = now
    delivery.dead_at = None
    delivery.locked_until = None


async def recover(
    session: AsyncSession, subscription: Subscription, *, since: datetime, until: datetime | None, now: datetime
) -> int:
    """Re-send every dead delivery of the subscription created in [since, until)."""
    query = select(Delivery).where(
        Delivery.subscription_id == subscription.id, Delivery.status == "dead", Delivery.created_at >= since
    )
    if until is not None:
        query = query.where(Delivery.created_at < until)
    deliveries = (await session.scalars(query)).all()
    for delivery in deliveries:
        requeue(delivery, now=now)
    if deliveries:
        mark_for_commit(session, DELIVERIES_FLAG)
    return len(deliveries)


async def add_test_delivery(
    session: AsyncSession, subscription: Subscription, *, event_id: str, now: datetime
) -> Delivery:
    delivery = new_delivery(
        subscription.id,
        event_id,
        TEST_TYPE,
        now,
        {"subscription_id": subscription.id, "message": "A test event from Resolute: the signature verifies."},
        now,
    )
    session.add(delivery)
    mark_for_commit(session, DELIVERIES_FLAG)
    return delivery


async def pending_count(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "pending")) or 0
    )
