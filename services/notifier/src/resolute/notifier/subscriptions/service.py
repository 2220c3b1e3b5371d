"""Subscriptions: create, change, rotate secrets, and disable (telling the owner when it was not their doing)."""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.models import Delivery
from resolute.notifier.deliveries.payloads import SUBSCRIPTION_DISABLED_TYPE
from resolute.notifier.deliveries.queue import enqueue, new_delivery
from resolute.notifier.subscriptions.address_policy import AddressPolicy
from resolute.notifier.subscriptions.models import Notice, Subscription, SubscriptionSecret
from resolute.shared.api.subscriptions import SubscriptionIn, SubscriptionUpdate
from resolute.shared.web.problems import ProblemError


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ + base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


async def create_subscription(
    session: AsyncSession, body: SubscriptionIn, *, owner: str | None, policy: AddressPolicy, now: datetime
) -> tuple[Subscription, str]:
    """Store a subscription (its URL checked first) with a fresh secret; the secret is returned once."""
    await policy.check_url(body.url)
    subscription = Subscription(
        id=str(uuid.uuid4()),
        url=body.url,
        event_types=body.event_types,
        filter=body.filter.model_dump(),
        mode=body.mode,
        owner=owner,
        enabled=body.enabled,
        disabled_reason=None if body.enabled else "disabled by its owner",
        disabled_at=None if body.enabled else now,
        rate_limit=body.rate_limit,
        description=body.description,
        created_at=now,
        updated_at=now,
    )
    secret = new_secret()
    session.add(subscription)
    await session.flush()
    session.add(SubscriptionSecret(subscription_id=subscription.id, secret=secret, created_at=now))
    return subscription, secret


async def active_secrets(session: AsyncSession, subscription_ids: Iterable[str], now: datetime) -> dict[str, list[str]]:
    """Each subscription's secrets that still sign: the current one first, then any in their overlap."""
    ids = list(set(subscription_ids))
    found: dict[str, list[str]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = await session.scalars(
        select(SubscriptionSecret)
        .where(
            SubscriptionSecret.subscription_id.in_(ids),
            or_(SubscriptionSecret.expires_at.is_(None), SubscriptionSecret.expires_at > now),
        )
        .order_by(SubscriptionSecret.expires_at.is_not(None), SubscriptionSecret.id.desc())
    )
    for row in rows:
        found[row.subscription_id].append(row.secret)
    return found


async def rotate_secret(
    session: AsyncSession, subscription: Subscription, *, now: datetime, overlap: timedelta
) -> tuple[str, datetime | None]:
    """A new current secret; the previous one keeps signing for `overlap` so receivers can switch calmly."""
    expires = now + overlap if overlap.total_seconds() > 0 else now
    await session.execute(
        update(SubscriptionSecret)
        .where(SubscriptionSecret.subscription_id == subscription.id, SubscriptionSecret.expires_at.is_(None))
        .values(expires_at=expires)
    )
    secret = new_secret()
    session.add(SubscriptionSecret(subscription_id=subscription.id, secret=secret, created_at=now))
    subscription.updated_at = now
    return secret, (expires if overlap.total_seconds() > 0 else None)


_NOT_NULL = ("url", "event_types", "filter", "mode", "enabled")


async def check_update(body: SubscriptionUpdate, *, policy: AddressPolicy) -> None:
    """Refuse a bad update before any row is touched (a new URL is checked like a new subscription's).

    Runs before the subscription is read, so no transaction waits on DNS.
    """
    for name in _NOT_NULL:
        if name in body.model_fields_set and getattr(body, name) is None:
            raise ProblemError(422, f"{name} cannot be null", kind="validation")
    if body.url is not None:
        await policy.check_url(body.url)


async def update_subscription(
    session: AsyncSession, subscription: Subscription, body: SubscriptionUpdate, *, now: datetime
) -> int:
    """Apply the fields given (after `check_update`); enabling a disabled subscription starts it afresh.

    Returns how many pending deliveries became dead letters (when it was disabled).
    """
    given_up = 0
    given = body.model_fields_set
    if body.url is not None:
        subscription.url = body.url
    if body.event_types is not None:
        subscription.event_types = body.event_types
    if body.filter is not None:
        subscription.filter = body.filter.model_dump()
    if body.mode is not None:
        subscription.mode = body.mode
    if "rate_limit" in given:
        subscription.rate_limit = body.rate_limit
    if "description" in given:
        subscription.description = body.description
    if body.enabled is True and not subscription.enabled:
        subscription.enabled = True
        subscription.disabled_reason = None
        subscription.disabled_at = None
        subscription.failing_since = None
    elif body.enabled is False and subscription.enabled:
        given_up = (
            await disable_subscription(session, subscription, reason="disabled by its owner", now=now, tell_owner=False)
            or 0
        )
    subscription.updated_at = now
    return given_up


async def disable_subscription(
    session: AsyncSession, subscription: Subscription, *, reason: str, now: datetime, tell_owner: bool = True
) -> int | None:
    """Turn a subscription off; its pending deliveries become dead letters (recoverable once it is back on).

    When the system did it (410, endpoint failing for days), the owner is told: a notice in the API and
    a `subscription.disabled` webhook to each of their other enabled subscriptions, whatever their filters.
    Returns how many pending deliveries became dead letters, or None if it was already off.
    """
    if not subscription.enabled:
        return None
    subscription.enabled = False
    subscription.disabled_reason = reason
    subscription.disabled_at = now
    subscription.updated_at = now
    killed = await session.execute(
        update(Delivery)
        .where(Delivery.subscription_id == subscription.id, Delivery.status == "pending")
        .values(
            status="dead",
            dead_at=now,
            next_attempt_at=None,
            locked_until=None,
            last_error=f"subscription disabled: {reason}",
        )
    )
    if tell_owner:
        await _tell_owner(session, subscription, reason=reason, now=now)
    return int(killed.rowcount or 0)  # type: ignore[attr-defined]


async def _tell_owner(session: AsyncSession, subscription: Subscription, *, reason: str, now: datetime) -> None:
    session.add(
        Notice(
            owner=subscription.owner,
            subscription_id=subscription.id,
            kind=SUBSCRIPTION_DISABLED_TYPE,
            detail=f"The subscription to {subscription.url} was disabled: {reason}. "
            "Fix the endpoint, then enable it again and recover the failed deliveries.",
            created_at=now,
        )
    )
    if subscription.owner is None:
        return
    others = (
        await session.scalars(
            select(Subscription).where(
                Subscription.owner == subscription.owner,
                Subscription.enabled.is_(True),
                Subscription.id != subscription.id,
            )
        )
    ).all()
    data = {
        "subscription_id": subscription.id,
        "url": subscription.url,
        "reason": reason,
        "disabled_at": now.isoformat(),
        "failing_since": subscription.failing_since.isoformat() if subscription.failing_since else None,
    }
    event_id = f"{SUBSCRIPTION_DISABLED_TYPE}:{subscription.id}:{now.isoformat()}"
    enqueue(session, *(new_delivery(o.id, event_id, SUBSCRIPTION_DISABLED_TYPE, now, data, now) for o in others))
