"""Creating and reading subscriptions."""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.subscriptions.address_policy import check_webhook_url
from resolute.notifier.subscriptions.models import Subscription
from resolute.notifier.subscriptions.schemas import SubscriptionIn


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ + base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


async def create_subscription(
    session: AsyncSession, body: SubscriptionIn, *, owner: str | None, allow_private: bool, now: datetime
) -> Subscription:
    check_webhook_url(body.url, allow_private=allow_private)
    subscription = Subscription(
        id=str(uuid.uuid4()),
        url=body.url,
        event_types=body.event_types,
        filter=body.filter.model_dump(),
        mode=body.mode,
        secret=new_secret(),
        owner=owner,
        enabled=True,
        description=body.description,
        created_at=now,
        updated_at=now,
    )
    session.add(subscription)
    await session.flush()
    return subscription
