"""HTTP routes for subscriptions: create, read, change, delete, rotate the secret, test, recover, notices."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from resolute.notifier import metrics
from resolute.notifier.deliveries import service as deliveries
from resolute.notifier.deliveries.schemas import DeliveryQueued, RecoverIn, RecoverOut
from resolute.notifier.digests.service import next_send_time, waiting_count
from resolute.notifier.settings import NotifierSettings
from resolute.notifier.subscriptions import service
from resolute.notifier.subscriptions.address_policy import UnsafeWebhookUrl
from resolute.notifier.subscriptions.dependencies import OwnedSubscription, owned_subscription, sees_everything
from resolute.notifier.subscriptions.models import Notice, Subscription
from resolute.notifier.subscriptions.schemas import (
    NoticeOut,
    NoticePage,
    SecretRotated,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionUpdate,
)
from resolute.shared.api.subscriptions import DigestPreview
from resolute.shared.clock import Clock
from resolute.shared.pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], responses=PROBLEM_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


def _settings(request: Request) -> NotifierSettings:
    return request.app.state.runtime.settings  # type: ignore[no-any-return]


def _clock(request: Request) -> Clock:
    return request.app.state.runtime.clock  # type: ignore[no-any-return]


def _unsafe(exc: UnsafeWebhookUrl) -> ProblemError:
    return ProblemError(422, str(exc), kind="unsafe-webhook-url", title="Webhook URL refused")


@router.post("", status_code=201, response_model=SubscriptionCreated, summary="Subscribe a webhook")
async def create_subscription(body: SubscriptionIn, request: Request, session: SessionDep) -> SubscriptionCreated:
    try:
        async with session.begin():
            subscription, secret = await service.create_subscription(
                session,
                body,
                owner=caller_from(request).principal,
                policy=_settings(request).address_policy(),
                now=_clock(request).now(),
            )
    except UnsafeWebhookUrl as exc:
        raise _unsafe(exc) from exc
    return SubscriptionCreated.model_validate(
        {**SubscriptionOut.model_validate(subscription).model_dump(), "secret": secret}
    )


_SUBSCRIPTIONS = Keyset((Subscription.created_at, False), (Subscription.id, False))


@router.get("", response_model=SubscriptionPage, summary="Your subscriptions (an admin's: everyone's, or one owner's)")
async def list_subscriptions(
    request: Request,
    session: SessionDep,
    owner: str | None = None,
    enabled: bool | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
) -> SubscriptionPage:
    caller = caller_from(request)
    query = select(Subscription)
    if not sees_everything(caller):
        owner = caller.principal
    if owner:
        query = query.where(Subscription.owner == owner)
    if enabled is not None:
        query = query.where(Subscription.enabled.is_(enabled))
    rows, next_cursor = _SUBSCRIPTIONS.page(
        (await session.scalars(_SUBSCRIPTIONS.apply(query, cursor, limit))).all(), limit
    )
    return SubscriptionPage(items=[SubscriptionOut.model_validate(s) for s in rows], next_cursor=next_cursor)


_NOTICES = Keyset((Notice.created_at, True), (Notice.id, True))


@router.get("/notices", response_model=NoticePage, summary="Notices about your subscriptions, newest first")
async def list_notices(
    request: Request,
    session: SessionDep,
    owner: str | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
) -> NoticePage:
    caller = caller_from(request)
    query = select(Notice)
    if not sees_everything(caller):
        owner = caller.principal
    if owner:
        query = query.where(Notice.owner == owner)
    rows, next_cursor = _NOTICES.page((await session.scalars(_NOTICES.apply(query, cursor, limit))).all(), limit)
    return NoticePage(items=[NoticeOut.model_validate(n) for n in rows], next_cursor=next_cursor)


@router.get("/{subscription_id}", response_model=SubscriptionOut, summary="One subscription")
async def get_subscription(subscription: OwnedSubscription) -> SubscriptionOut:
    return SubscriptionOut.model_validate(subscription)


@router.patch("/{subscription_id}", response_model=SubscriptionOut, summary="Change URL, types, filters, mode, state")
async def update_subscription(
    subscription_id: str, body: SubscriptionUpdate, request: Request, session: SessionDep
) -> SubscriptionOut:
    try:
        await service.check_update(body, policy=_settings(request).address_policy())
    except UnsafeWebhookUrl as exc:
        raise _unsafe(exc) from exc
    subscription = await owned_subscription(subscription_id, request, session)
    given_up = await service.update_subscription(session, subscription, body, now=_clock(request).now())
    await session.commit()
    metrics.DEAD_DELIVERIES.inc(given_up)
    return SubscriptionOut.model_validate(subscription)


@router.delete("/{subscription_id}", status_code=204, summary="Delete a subscription and its delivery log")
async def delete_subscription(subscription: OwnedSubscription, session: SessionDep) -> Response:
    await session.delete(subscription)
    await session.commit()
    return Response(status_code=204)


@router.post(
    "/{subscription_id}/secret/rotate",
    response_model=SecretRotated,
    summary="A new signing secret; the previous one keeps signing for a while (24 h by default)",
)
async def rotate_secret(subscription: OwnedSubscription, request: Request, session: SessionDep) -> SecretRotated:
    secret, previous_expires = await service.rotate_secret(
        session,
        subscription,
        now=_clock(request).now(),
        overlap=timedelta(seconds=_settings(request).secret_overlap_seconds),
    )
    await session.commit()
    return SecretRotated(secret=secret, previous_secret_expires_at=previous_expires)


def _require_enabled(subscription: Subscription, action: str) -> None:
    if not subscription.enabled:
        raise ProblemError(
            409,
            f"the subscription is disabled ({subscription.disabled_reason}); enable it before you {action}",
            kind="subscription-disabled",
        )


@router.post(
    "/{subscription_id}/test", status_code=202, response_model=DeliveryQueued, summary="Send a signed test event"
)
async def send_test(subscription: OwnedSubscription, request: Request, session: SessionDep) -> DeliveryQueued:
    _require_enabled(subscription, "send a test event")
    delivery = await deliveries.add_test_delivery(
        session, subscription, event_id=f"test:{uuid.uuid4()}", now=_clock(request).now()
    )
    await session.commit()
    return DeliveryQueued(delivery_id=delivery.id, status=delivery.status)


@router.post(
    "/{subscription_id}/recover",
    response_model=RecoverOut,
    summary="Re-send every failed (dead) delivery since a time, with their original webhook-ids",
)
async def recover(
    body: RecoverIn, subscription: OwnedSubscription, request: Request, session: SessionDep
) -> RecoverOut:
    _require_enabled(subscription, "recover deliveries")
    count = await deliveries.recover(
        session, subscription, since=body.since, until=body.until, now=_clock(request).now()
    )
    await session.commit()
    return RecoverOut(requeued=count)


@router.get(
    "/{subscription_id}/digest",
    response_model=DigestPreview,
    summary="What the next daily digest holds so far, and when it is sent",
)
async def digest_preview(subscription: OwnedSubscription, request: Request, session: SessionDep) -> dict[str, Any]:
    settings = _settings(request)
    return {
        "mode": subscription.mode,
        "waiting": await waiting_count(session, subscription.id),
        "next_send_at": next_send_time(
            _clock(request).now(), hour=settings.digest_hour, zone=ZoneInfo(settings.digest_timezone)
        ).isoformat(),
    }
