"""Deliveries: made from events, claimed when due, and each attempt's result recorded with what follows from it.

Plain functions taking a session; the worker (deliveries/worker.py) drives them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
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
    subscriptions = (await session.scalars(select(Subscription).where(Subscription.enabled.is_(True)))).all()
    matching = [s for s in subscriptions if subscription_matches(s.event_types, s.filter, webhook_type, envelope.data)]
    if not matching:
        return 0
    immediate = [s.id for s in matching if s.mode == "immediate"]
    digest = [s.id for s in matching if s.mode == "daily_digest"]
    created = 0
    if immediate:
        wanted = {delivery_id(s, envelope.id): s for s in immediate}
        existing = set((await session.scalars(select(Delivery.id).where(Delivery.id.in_(list(wanted))))).all())
        for ident, subscription_id in wanted.items():
            if ident not in existing:
                session.add(new_delivery(subscription_id, envelope.id, webhook_type, envelope.time, envelope.data, now))
                created += 1
        if created:
            mark_for_commit(session, DELIVERIES_FLAG)
    if digest:
        held = set(
            (
                await session.scalars(
                    select(DigestItem.subscription_id).where(
                        DigestItem.event_id == envelope.id, DigestItem.subscription_id.in_(digest)
                    )
                )
            ).all()
        )
        for subscription_id in digest:
            if subscription_id not in held:
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
                created += 1
    return created


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
        select(Delivery.id, Delivery.subscription_id, Subscription.rate_limit)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(
            Delivery.status == "pending",
            Delivery.next_attempt_at <= now,
            or_(Delivery.locked_until.is_(None), Delivery.locked_until < now),
        )
    )
    if excluded:
        query = query.where(Delivery.subscription_id.not_in(list(excluded)))
    query = query.order_by(Delivery.next_attempt_at).limit(limit * 4)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Delivery, skip_locked=True)
    chosen: list[str] = []
    for row in (await session.execute(query)).all():
        if len(chosen) >= limit:
            break
        if admit(row.subscription_id, row.rate_limit):
            chosen.append(row.id)
    if not chosen:
        return []
    await session.execute(update(Delivery).where(Delivery.id.in_(chosen)).values(locked_until=now + lease))
    rows = (
        await session.execute(
            select(Delivery.id, Delivery.subscription_id, Delivery.payload, Delivery.event_time, Subscription.url)
            .join(Subscription, Subscription.id == Delivery.subscription_id)
            .where(Delivery.id.in_(chosen))
        )
    ).all()
    secrets = await active_secrets(session, [r.subscription_id for r in rows], now)
    by_id = {
        r.id: DeliveryJob(r.id, r.subscription_id, r.url, bytes(r.payload), secrets[r.subscription_id], r.event_time)
        for r in rows
    }
    return [by_id[i] for i in chosen if i in by_id]


async def record_results(
    session: AsyncSession,
    results: Sequence[tuple[DeliveryJob, AttemptResult]],
    *,
    now: datetime,
    policy: RetryPolicy,
) -> list[RecordedAttempt]:
    """Log each attempt and decide what follows: done, retry later, dead letter, or the endpoint disabled."""
    ids = [job.delivery_id for job, _ in results]
    deliveries = {d.id: d for d in (await session.scalars(select(Delivery).where(Delivery.id.in_(ids)))).all()}
    subscription_ids = {d.subscription_id for d in deliveries.values()}
    subscriptions = {
        s.id: s
        for s in (await session.scalars(select(Subscription).where(Subscription.id.in_(subscription_ids)))).all()
    }
    recorded: list[RecordedAttempt] = []
    for job, result in results:
        delivery = deliveries.get(job.delivery_id)
        if delivery is None:  # the subscription was deleted meanwhile
            continue
        subscription = subscriptions[delivery.subscription_id]
        delivery.attempts += 1
        delivery.round_attempts += 1
        delivery.locked_until = None
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error
        next_at: datetime | None = None
        self_dead = 0
        killed: int | None = None
        if result.ok:
            delivery.status = "succeeded"
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.dead_at = None
            subscription.failing_since = None
        else:
            if subscription.failing_since is None:
                subscription.failing_since = now
            delay = None
            if result.status_code != GONE and delivery.status == "pending":
                delay = next_delay(delivery.round_attempts, policy.schedule, result.retry_after, policy.retry_after_max)
            if delay is not None:
                next_at = now + timedelta(seconds=delay)
                delivery.next_attempt_at = next_at
            elif delivery.status == "pending":
                delivery.status = "dead"
                delivery.dead_at = now
                delivery.next_attempt_at = None
                self_dead = 1
            if result.status_code == GONE:
                killed = await disable_subscription(
                    session, subscription, reason="the endpoint answered 410 Gone", now=now
                )
            elif now - subscription.failing_since >= policy.disable_after:
                killed = await disable_subscription(
                    session,
                    subscription,
                    reason=f"every delivery has failed since {subscription.failing_since.isoformat()}",
                    now=now,
                )
            if killed is not None:
                next_at = None
        session.add(
            DeliveryAttempt(
                delivery_id=delivery.id,
                attempt=delivery.attempts,
                attempted_at=now,
                outcome=result.outcome,
                status_code=result.status_code,
                duration_ms=result.duration_ms,
                response_body=result.response_body,
                error=result.error,
                next_attempt_at=next_at,
            )
        )
        await session.flush()  # a disable's bulk update must see this delivery's new state
        recorded.append(
            RecordedAttempt(job, result, delivery.status, next_at, killed is not None, self_dead + (killed or 0))
        )
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
