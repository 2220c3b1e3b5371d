"""HTTP routes for a subscription's delivery log, its dead letters, and replaying one delivery."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.models import Delivery, DeliveryAttempt
from resolute.notifier.deliveries.queue import requeue
from resolute.notifier.state import notifier_state
from resolute.notifier.subscriptions.dependencies import OwnedSubscription, owned_subscription
from resolute.notifier.subscriptions.router import require_enabled
from resolute.shared.api.paths import DeliveryIdPath, SubscriptionIdPath
from resolute.shared.api.routes import route
from resolute.shared.api.subscriptions import (
    AttemptOut,
    DeadLetterQuery,
    DeliveryDetail,
    DeliveryOut,
    DeliveryPage,
    DeliveryQuery,
    DeliveryQueued,
)
from resolute.shared.pagination import Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.shared.web.routing import serve

router = APIRouter(tags=["deliveries"], responses=PROBLEM_RESPONSES)

_DELIVERIES = Keyset((Delivery.created_at, True), (Delivery.id, True))


async def _attempt_logs(session: AsyncSession, deliveries: Sequence[Delivery]) -> dict[str, list[AttemptOut]]:
    logs: dict[str, list[AttemptOut]] = {d.id: [] for d in deliveries}
    if deliveries:
        rows = await session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id.in_(list(logs)))
            .order_by(DeliveryAttempt.delivery_id, DeliveryAttempt.attempt)
        )
        for row in rows:
            logs[row.delivery_id].append(AttemptOut.model_validate(row))
    return logs


def _out(delivery: Delivery, log: list[AttemptOut]) -> dict[str, object]:
    return {
        "id": delivery.id,
        "subscription_id": delivery.subscription_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "event_time": delivery.event_time,
        "created_at": delivery.created_at,
        "delivered_at": delivery.delivered_at,
        "dead_at": delivery.dead_at,
        "attempt_log": log,
    }


async def _page(
    session: AsyncSession,
    subscription_id: str,
    *,
    status: str | None,
    event_type: str | None,
    cursor: str | None,
    limit: int,
) -> DeliveryPage:
    query = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if status:
        query = query.where(Delivery.status == status)
    if event_type:
        query = query.where(Delivery.event_type == event_type)
    rows, next_cursor = _DELIVERIES.page((await session.scalars(_DELIVERIES.apply(query, cursor, limit))).all(), limit)
    logs = await _attempt_logs(session, rows)
    return DeliveryPage(items=[DeliveryOut.model_validate(_out(d, logs[d.id])) for d in rows], next_cursor=next_cursor)


@serve(router, route("list_deliveries"))
async def list_deliveries(
    subscription: OwnedSubscription, query: Annotated[DeliveryQuery, Query()], session: SessionDep
) -> DeliveryPage:
    return await _page(
        session, subscription.id, status=query.status, event_type=query.event_type, cursor=query.cursor,
        limit=query.limit,
    )  # fmt: skip


@serve(router, route("list_dead_letters"))
async def list_dead_letters(
    subscription: OwnedSubscription, query: Annotated[DeadLetterQuery, Query()], session: SessionDep
) -> DeliveryPage:
    return await _page(session, subscription.id, status="dead", event_type=None, cursor=query.cursor, limit=query.limit)


async def _delivery(session: AsyncSession, subscription_id: str, delivery_id: str) -> Delivery:
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        raise ProblemError(404, f"no delivery {delivery_id} for this subscription", kind="not-found")
    return delivery


@serve(router, route("get_delivery"))
async def get_delivery(
    subscription_id: SubscriptionIdPath, delivery_id: DeliveryIdPath, request: Request, session: SessionDep
) -> DeliveryDetail:
    subscription = await owned_subscription(subscription_id, request, session)
    delivery = await _delivery(session, subscription.id, delivery_id)
    logs = await _attempt_logs(session, [delivery])
    return DeliveryDetail.model_validate({**_out(delivery, logs[delivery.id]), "payload": json.loads(delivery.payload)})


@serve(router, route("replay_delivery"))
async def replay_delivery(
    subscription_id: SubscriptionIdPath, delivery_id: DeliveryIdPath, request: Request, session: SessionDep
) -> DeliveryQueued:
    subscription = await owned_subscription(subscription_id, request, session)
    require_enabled(subscription, "replay a delivery")
    delivery = await _delivery(session, subscription.id, delivery_id)
    now = notifier_state(request).runtime.clock.now()
    if delivery.status == "pending" and delivery.locked_until is not None and delivery.locked_until > now:
        raise ProblemError(409, "an attempt of this delivery is in flight; look again shortly", kind="in-flight")
    requeue(session, delivery, now=now)
    await session.commit()
    return DeliveryQueued(delivery_id=delivery.id, status=delivery.status)
