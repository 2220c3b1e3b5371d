"""Deliveries: made from events, claimed when due, and each attempt's result recorded with what follows from it
(decided by `deliveries.lifecycle`, written here).

Plain functions taking a session; the worker (deliveries/worker.py) drives them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.lifecycle import AttemptDecision, DeliveryStanding, RetryPolicy, decide_after_attempt
from resolute.notifier.deliveries.models import Delivery, DeliveryAttempt
from resolute.notifier.deliveries.payloads import TEST_TYPE
from resolute.notifier.deliveries.queue import enqueue, new_delivery, requeue
from resolute.notifier.deliveries.sender import AttemptResult
from resolute.notifier.digests.models import DigestItem
from resolute.notifier.subscriptions.matching import subscription_matches
from resolute.notifier.subscriptions.models import Subscription
from resolute.notifier.subscriptions.service import active_secrets, disable_subscription
from resolute.shared.events.envelope import Envelope


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
    enqueue(
        session, *(new_delivery(s, envelope.id, webhook_type, envelope.time, envelope.data, now) for s in immediate)
    )
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


_CURRENT = (
    Delivery.id, Delivery.subscription_id, Delivery.status, Delivery.attempts, Delivery.round_attempts,
    Delivery.delivered_at, Delivery.dead_at,
)  # fmt: skip


@dataclass
class _Batch:
    """One batch of results being recorded: what it read, and the writes waiting to be sent together."""

    current: dict[str, Any]
    subscriptions: dict[str, Subscription]
    updates: list[dict[str, Any]]
    attempts: list[dict[str, Any]]
    disabled: set[str]

    async def write(self, session: AsyncSession) -> None:
        """One UPDATE and one INSERT for what is waiting."""
        if self.updates:
            await session.execute(update(Delivery), self.updates)
            self.updates.clear()
        if self.attempts:
            await session.execute(insert(DeliveryAttempt), self.attempts)
            self.attempts.clear()


async def _read_batch(session: AsyncSession, ids: list[str]) -> _Batch:
    current = {row.id: row for row in (await session.execute(select(*_CURRENT).where(Delivery.id.in_(ids)))).all()}
    wanted = {row.subscription_id for row in current.values()}
    subscriptions = (await session.scalars(select(Subscription).where(Subscription.id.in_(wanted)))).all()
    return _Batch(current, {s.id: s for s in subscriptions}, [], [], set())


def _writes(row: Any, result: AttemptResult, decision: AttemptDecision, now: datetime) -> tuple[dict[str, Any], ...]:
    """The delivery's new row values and its attempt's log entry."""
    change = {
        "id": row.id, "attempts": row.attempts + 1, "round_attempts": row.round_attempts + 1, "locked_until": None,
        "last_status_code": result.status_code, "last_error": result.error, "status": decision.status,
        "next_attempt_at": decision.next_attempt_at, "delivered_at": decision.delivered_at,
        "dead_at": decision.dead_at,
    }  # fmt: skip
    attempt = {
        "delivery_id": row.id, "attempt": row.attempts + 1, "attempted_at": result.started_at or now,
        "outcome": result.outcome, "status_code": result.status_code, "duration_ms": result.duration_ms,
        "response_body": result.response_body, "error": result.error, "next_attempt_at": decision.next_attempt_at,
    }  # fmt: skip
    return change, attempt


async def _disable(
    session: AsyncSession, batch: _Batch, subscription: Subscription, row: Any, decision: AttemptDecision, now: datetime
) -> int | None:
    """Disable the endpoint after this attempt (its own state written first, so the disable sees it); a retry
    this attempt planned is off then. Returns how many pending deliveries became dead, None if it was off."""
    assert decision.disable_reason is not None
    await batch.write(session)
    killed = await disable_subscription(session, subscription, reason=decision.disable_reason, now=now)
    batch.disabled.add(subscription.id)
    if killed is not None and decision.next_attempt_at is not None:
        await session.execute(
            update(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id == row.id, DeliveryAttempt.attempt == row.attempts + 1)
            .values(next_attempt_at=None)
        )
    return killed


async def record_results(
    session: AsyncSession,
    results: Sequence[tuple[DeliveryJob, AttemptResult]],
    *,
    now: datetime,
    policy: RetryPolicy,
) -> list[RecordedAttempt]:
    """Log each attempt and apply what follows (`lifecycle.decide_after_attempt`): done, retry later, dead
    letter, or the endpoint disabled.

    Written as bulk statements (one UPDATE and one INSERT for the batch), so a busy worker holds the
    database briefly however many attempts it records at once.
    """
    batch = await _read_batch(session, [job.delivery_id for job, _ in results])
    recorded: list[RecordedAttempt] = []
    for job, result in results:
        row = batch.current.get(job.delivery_id)
        if row is None:  # the subscription was deleted meanwhile
            continue
        subscription = batch.subscriptions[row.subscription_id]
        standing = DeliveryStanding(row.status, row.round_attempts, row.delivered_at, row.dead_at)
        decision = decide_after_attempt(
            standing, subscription.failing_since, result, endpoint_disabled=row.subscription_id in batch.disabled,
            now=now, policy=policy,
        )  # fmt: skip
        subscription.failing_since = decision.failing_since
        change, attempt = _writes(row, result, decision, now)
        batch.updates.append(change)
        batch.attempts.append(attempt)
        killed = None
        if decision.disable_reason is not None:
            killed = await _disable(session, batch, subscription, row, decision, now)
        next_at = None if killed is not None else decision.next_attempt_at
        final = "dead" if killed is not None and decision.status == "pending" else decision.status
        became_dead = int(decision.gave_up) + (killed or 0)
        recorded.append(RecordedAttempt(job, result, final, next_at, killed is not None, became_dead))
    await batch.write(session)
    return recorded


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
        requeue(session, delivery, now=now)
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
    enqueue(session, delivery)
    return delivery


async def pending_count(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "pending")) or 0
    )
