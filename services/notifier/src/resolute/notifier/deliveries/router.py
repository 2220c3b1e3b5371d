"""HTTP routes for a subscription's delivery log, its dead letters, and replaying one delivery."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier.deliveries.models import Delivery, DeliveryAttempt
from resolute.notifier.deliveries.schemas import AttemptOut, DeliveryDetail, DeliveryOut, DeliveryPage, DeliveryQueued
from resolute.notifier.deliveries.service import requeue
from resolute.notifier.subscriptions.dependencies import OwnedSubscription
from resolute.notifier.subscriptions.service import DELIVERIES_FLAG
from resolute.shared.db import mark_for_commit
from resolute.shared.pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/subscriptions/{subscription_id}", tags=["deliveries"], responses=PROBLEM_RESPONSES)

_DELIVERIES = Keyset((Delivery.created_at, True), (Delivery.id, True))
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


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


@router.get("/deliveries", response_model=DeliveryPage, summary="Delivery log, newest first, with every attempt")
async def list_deliveries(
    subscription: OwnedSubscription,
    session: SessionDep,
    status: Literal["pending", "succeeded", "dead"] | None = None,
    event_type: str | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
) -> DeliveryPage:
    return await _page(session, subscription.id, status=status, event_type=event_type, cursor=cursor, limit=limit)


@router.get(
    "/dead-letters",
    response_model=DeliveryPage,
    summary="Deliveries given up after the last attempt (or when the subscription was disabled)",
)
async def list_dead_letters(
    subscription: OwnedSubscription, session: SessionDep, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT
) -> DeliveryPage:
    return await _page(session, subscription.id, status="dead", event_type=None, cursor=cursor, limit=limit)


async def _delivery(session: AsyncSession, subscription_id: str, delivery_id: str) -> Delivery:
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        raise ProblemError(404, f"no delivery {delivery_id} for this subscription", kind="not-found")
    return delivery


@router.get("/deliveries/{delivery_id}", response_model=DeliveryDetail, summary="One delivery, its body and attempts")
async def get_delivery(delivery_id: str, subscription: OwnedSubscription, session: SessionDep) -> DeliveryDetail:
    delivery = await _delivery(session, subscription.id, delivery_id)
    logs = await _attempt_logs(session, [delivery])
    return DeliveryDetail.model_validate({**_out(delivery, logs[delivery.id]), "payload": json.loads(delivery.payload)})


@router.post(
    "/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=DeliveryQueued,
    summary="Send one delivery again now (same webhook-id), starting its retry schedule afresh",
)
async def replay_delivery(
    delivery_id: str, subscription: OwnedSubscription, request: Request, session: SessionDep
) -> DeliveryQueued:
    if not subscription.enabled:
        raise ProblemError(
            409,
            f"the subscription is disabled ({subscription.disabled_reason}); enable it before replaying",
            kind="subscription-disabled",
        )
    delivery = await _delivery(session, subscription.id, delivery_id)
    now = request.app.state.runtime.clock.now()
    if delivery.status == "pending" and delivery.locked_until is not None and delivery.locked_until > now:
        raise ProblemError(409, "an attempt of this delivery is in flight; look again shortly", kind="in-flight")
    requeue(delivery, now=now)
    mark_for_commit(session, DELIVERIES_FLAG)
    await session.commit()
    return DeliveryQueued(delivery_id=delivery.id, status=delivery.status)
