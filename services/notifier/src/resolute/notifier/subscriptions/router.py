"""HTTP routes for subscriptions, their delivery log and test sends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from resolute.notifier.deliveries.models import Delivery, DeliveryAttempt
from resolute.notifier.deliveries.schemas import AttemptOut, DeliveryOut, DeliveryPage
from resolute.notifier.deliveries.service import DELIVERIES_FLAG, delivery_id, webhook_body
from resolute.notifier.subscriptions import service
from resolute.notifier.subscriptions.address_policy import UnsafeWebhookUrl
from resolute.notifier.subscriptions.models import Subscription
from resolute.notifier.subscriptions.schemas import SubscriptionCreated, SubscriptionIn, SubscriptionOut
from resolute.shared.db import mark_for_commit
from resolute.shared.pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=201, response_model=SubscriptionCreated, summary="Subscribe a webhook")
async def create_subscription(body: SubscriptionIn, request: Request, session: SessionDep) -> SubscriptionCreated:
    runtime = request.app.state.runtime
    try:
        async with session.begin():
            subscription = await service.create_subscription(
                session,
                body,
                owner=caller_from(request).principal,
                allow_private=runtime.settings.webhook_allow_private,
                now=runtime.clock.now(),
            )
    except UnsafeWebhookUrl as exc:
        raise ProblemError(422, str(exc), kind="unsafe-webhook-url") from exc
    return SubscriptionCreated.model_validate(subscription)


async def _get(session: SessionDep, subscription_id: str) -> Subscription:
    subscription = await session.get(Subscription, subscription_id)
    if subscription is None:
        raise ProblemError(404, f"no subscription {subscription_id}", kind="not-found")
    return subscription


@router.get("", response_model=list[SubscriptionOut], summary="Subscriptions, optionally one owner's")
async def list_subscriptions(session: SessionDep, owner: str | None = None) -> list[SubscriptionOut]:
    query = select(Subscription).order_by(Subscription.created_at)
    if owner:
        query = query.where(Subscription.owner == owner)
    return [SubscriptionOut.model_validate(s) for s in (await session.scalars(query)).all()]


@router.get("/{subscription_id}", response_model=SubscriptionOut, summary="One subscription")
async def get_subscription(subscription_id: str, session: SessionDep) -> SubscriptionOut:
    return SubscriptionOut.model_validate(await _get(session, subscription_id))


_DELIVERIES = Keyset((Delivery.created_at, True), (Delivery.id, False))


@router.get("/{subscription_id}/deliveries", response_model=DeliveryPage, summary="Delivery log, newest first")
async def list_deliveries(
    subscription_id: str,
    session: SessionDep,
    status: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> DeliveryPage:
    await _get(session, subscription_id)
    query = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if status:
        query = query.where(Delivery.status == status)
    deliveries, next_cursor = _DELIVERIES.page(
        (await session.scalars(_DELIVERIES.apply(query, cursor, limit))).all(), limit
    )
    attempts: dict[str, list[AttemptOut]] = {d.id: [] for d in deliveries}
    if deliveries:
        rows = await session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id.in_(list(attempts)))
            .order_by(DeliveryAttempt.attempt)
        )
        for row in rows:
            attempts[row.delivery_id].append(AttemptOut.model_validate(row))
    items = [
        DeliveryOut(
            id=d.id,
            subscription_id=d.subscription_id,
            event_id=d.event_id,
            event_type=d.event_type,
            status=d.status,
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            created_at=d.created_at,
            delivered_at=d.delivered_at,
            attempt_log=attempts[d.id],
        )
        for d in deliveries
    ]
    return DeliveryPage(items=items, next_cursor=next_cursor)


@router.post("/{subscription_id}/test", status_code=202, summary="Send a signed test event now")
async def send_test(subscription_id: str, request: Request, session: SessionDep) -> dict[str, str]:
    runtime = request.app.state.runtime
    now = runtime.clock.now()
    async with session.begin():
        subscription = await _get(session, subscription_id)
        event_id = f"test:{subscription.id}:{now.timestamp()}"
        ident = delivery_id(subscription.id, event_id)
        session.add(
            Delivery(
                id=ident,
                subscription_id=subscription.id,
                event_id=event_id,
                event_type="webhook.test",
                payload=webhook_body(
                    "webhook.test",
                    now,
                    {"subscription_id": subscription.id, "message": "Resolute test event"},
                ),
                status="pending",
                attempts=0,
                next_attempt_at=now,
                event_time=now,
                created_at=now,
            )
        )
        mark_for_commit(session, DELIVERIES_FLAG)
    return {"delivery_id": ident, "status": "pending"}
