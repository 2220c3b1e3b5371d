"""Daily digests: when each day's digest falls due, and making one (exactly once per subscription and day)."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.models import Delivery
from resolute.notifier.deliveries.payloads import DIGEST_TYPE
from resolute.notifier.deliveries.queue import enqueue, new_delivery
from resolute.notifier.digests.models import Digest, DigestItem
from resolute.notifier.subscriptions.models import Subscription


def latest_send_time(now: datetime, *, hour: int, zone: tzinfo) -> datetime:
    """The most recent `hour`:00 local time at or before `now`: the digest cut-off that has passed."""
    local = now.astimezone(zone)
    day = local.date() if local.time() >= time(hour) else local.date() - timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=zone)


def next_send_time(now: datetime, *, hour: int, zone: tzinfo) -> datetime:
    last = latest_send_time(now, hour=hour, zone=zone)
    return datetime.combine(last.date() + timedelta(days=1), time(hour), tzinfo=zone)


async def subscriptions_due(session: AsyncSession, cut_off: datetime) -> list[str]:
    """Enabled subscriptions holding events received before the cut-off that no digest has taken yet."""
    rows = await session.scalars(
        select(DigestItem.subscription_id)
        .join(Subscription, Subscription.id == DigestItem.subscription_id)
        .where(DigestItem.digest_id.is_(None), DigestItem.received_at < cut_off, Subscription.enabled.is_(True))
        .distinct()
    )
    return list(rows.all())


async def make_digest(
    session: AsyncSession, subscription_id: str, *, cut_off: datetime, now: datetime
) -> Delivery | None:
    """One signed message listing the held events; None if this day's digest exists or nothing is held.

    The unique (subscription, day) row is written first: a second replica (or a restart) conflicts on it.
    """
    day = cut_off.date().isoformat()
    if await session.scalar(select(Digest.id).where(Digest.subscription_id == subscription_id, Digest.day == day)):
        return None
    items = (
        await session.scalars(
            select(DigestItem)
            .where(
                DigestItem.subscription_id == subscription_id,
                DigestItem.digest_id.is_(None),
                DigestItem.received_at < cut_off,
            )
            .order_by(DigestItem.event_time, DigestItem.id)
        )
    ).all()
    if not items:
        return None
    previous_end = await session.scalar(
        select(Digest.period_end).where(Digest.subscription_id == subscription_id).order_by(Digest.period_end.desc())
    )
    event_id = f"{DIGEST_TYPE}:{day}"
    data = {
        "subscription_id": subscription_id,
        "day": day,
        "period_start": (previous_end or min(i.received_at for i in items)).isoformat(),
        "period_end": cut_off.isoformat(),
        "count": len(items),
        "events": [
            {"id": i.event_id, "type": i.event_type, "timestamp": i.event_time.isoformat(), "data": i.data}
            for i in items
        ],
    }
    delivery = new_delivery(subscription_id, event_id, DIGEST_TYPE, cut_off, data, now)
    digest = Digest(
        subscription_id=subscription_id,
        day=day,
        period_start=previous_end,
        period_end=cut_off,
        item_count=len(items),
        delivery_id=delivery.id,
        created_at=now,
    )
    session.add(digest)
    await session.flush()
    await session.execute(
        update(DigestItem).where(DigestItem.id.in_([i.id for i in items])).values(digest_id=digest.id)
    )
    enqueue(session, delivery)
    return delivery


async def waiting_count(session: AsyncSession, subscription_id: str) -> int:
    rows = await session.scalars(
        select(DigestItem.id).where(DigestItem.subscription_id == subscription_id, DigestItem.digest_id.is_(None))
    )
    return len(rows.all())
