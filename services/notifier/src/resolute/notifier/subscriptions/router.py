"""HTTP routes for subscriptions: create, read, change, delete, rotate the secret, test, recover, notices."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.notifier import metrics
from resolute.notifier.deliveries import service as deliveries
from resolute.notifier.digests.service import next_send_time, waiting_count
from resolute.notifier.state import notifier_state
from resolute.notifier.subscriptions import service
from resolute.notifier.subscriptions.address_policy import UnsafeWebhookUrl
from resolute.notifier.subscriptions.dependencies import OwnedSubscription, owned_subscription, sees_everything
from resolute.notifier.subscriptions.models import Notice, Subscription
from resolute.shared.api.paths import SubscriptionIdPath
from resolute.shared.api.routes import route
from resolute.shared.api.subscriptions import (
    DeliveryQueued,
    DigestPreview,
    NoticeOut,
    NoticePage,
    NoticeQuery,
    RecoverIn,
    RecoverOut,
    SecretRotated,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionQuery,
    SubscriptionUpdate,
)
from resolute.shared.pagination import Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.shared.web.routing import serve

router = APIRouter(tags=["subscriptions"], responses=PROBLEM_RESPONSES)

_SUBSCRIPTIONS = Keyset((Subscription.created_at, False), (Subscription.id, False))
_NOTICES = Keyset((Notice.created_at, True), (Notice.id, True))


def _unsafe(exc: UnsafeWebhookUrl) -> ProblemError:
    return ProblemError(422, str(exc), kind="unsafe-webhook-url", title="Webhook URL refused")


def _owner_to_list(request: Request, asked: str | None) -> str | None:
    """Whose subscriptions (or notices) a list shows: the caller's own, unless an admin asks for someone's."""
    caller = caller_from(request)
    return asked if sees_everything(caller) else caller.principal


@serve(router, route("create_subscription"))
async def create_subscription(body: SubscriptionIn, request: Request, session: SessionDep) -> SubscriptionCreated:
    state = notifier_state(request)
    try:
        async with session.begin():
            subscription, secret = await service.create_subscription(
                session,
                body,
                owner=caller_from(request).principal,
                policy=state.settings.address_policy(),
                now=state.runtime.clock.now(),
            )
    except UnsafeWebhookUrl as exc:
        raise _unsafe(exc) from exc
    return SubscriptionCreated.model_validate(
        {**SubscriptionOut.model_validate(subscription).model_dump(), "secret": secret}
    )


@serve(router, route("list_subscriptions"))
async def list_subscriptions(
    query: Annotated[SubscriptionQuery, Query()], request: Request, session: SessionDep
) -> SubscriptionPage:
    statement = select(Subscription)
    owner = _owner_to_list(request, query.owner)
    if owner:
        statement = statement.where(Subscription.owner == owner)
    if query.enabled is not None:
        statement = statement.where(Subscription.enabled.is_(query.enabled))
    rows, next_cursor = _SUBSCRIPTIONS.page(
        (await session.scalars(_SUBSCRIPTIONS.apply(statement, query.cursor, query.limit))).all(), query.limit
    )
    return SubscriptionPage(items=[SubscriptionOut.model_validate(s) for s in rows], next_cursor=next_cursor)


@serve(router, route("list_notices"))
async def list_notices(query: Annotated[NoticeQuery, Query()], request: Request, session: SessionDep) -> NoticePage:
    statement = select(Notice)
    owner = _owner_to_list(request, query.owner)
    if owner:
        statement = statement.where(Notice.owner == owner)
    rows, next_cursor = _NOTICES.page(
        (await session.scalars(_NOTICES.apply(statement, query.cursor, query.limit))).all(), query.limit
    )
    return NoticePage(items=[NoticeOut.model_validate(n) for n in rows], next_cursor=next_cursor)


@serve(router, route("get_subscription"))
async def get_subscription(subscription: OwnedSubscription) -> SubscriptionOut:
    return SubscriptionOut.model_validate(subscription)


@serve(router, route("update_subscription"))
async def update_subscription(
    subscription_id: SubscriptionIdPath, body: SubscriptionUpdate, request: Request, session: SessionDep
) -> SubscriptionOut:
    state = notifier_state(request)
    try:
        await service.check_update(body, policy=state.settings.address_policy())
    except UnsafeWebhookUrl as exc:
        raise _unsafe(exc) from exc
    subscription = await owned_subscription(subscription_id, request, session)
    given_up = await service.update_subscription(session, subscription, body, now=state.runtime.clock.now())
    await session.commit()
    metrics.DEAD_DELIVERIES.inc(given_up)
    return SubscriptionOut.model_validate(subscription)


@serve(router, route("delete_subscription"))
async def delete_subscription(subscription: OwnedSubscription, session: SessionDep) -> Response:
    await session.delete(subscription)
    await session.commit()
    return Response(status_code=204)


@serve(router, route("rotate_secret"))
async def rotate_secret(subscription: OwnedSubscription, request: Request, session: SessionDep) -> SecretRotated:
    state = notifier_state(request)
    secret, previous_expires = await service.rotate_secret(
        session,
        subscription,
        now=state.runtime.clock.now(),
        overlap=timedelta(seconds=state.settings.secret_overlap_seconds),
    )
    await session.commit()
    return SecretRotated(secret=secret, previous_secret_expires_at=previous_expires)


def require_enabled(subscription: Subscription, action: str) -> None:
    """Actions that send (a test, a replay, a recovery) need the subscription on: a 409 otherwise."""
    if not subscription.enabled:
        raise ProblemError(
            409,
            f"the subscription is disabled ({subscription.disabled_reason}); enable it before you {action}",
            kind="subscription-disabled",
        )


@serve(router, route("send_test"))
async def send_test(subscription: OwnedSubscription, request: Request, session: SessionDep) -> DeliveryQueued:
    require_enabled(subscription, "send a test event")
    now = notifier_state(request).runtime.clock.now()
    delivery = await deliveries.add_test_delivery(session, subscription, event_id=f"test:{uuid.uuid4()}", now=now)
    await session.commit()
    return DeliveryQueued(delivery_id=delivery.id, status=delivery.status)


@serve(router, route("recover"))
async def recover(
    body: RecoverIn, subscription: OwnedSubscription, request: Request, session: SessionDep
) -> RecoverOut:
    require_enabled(subscription, "recover deliveries")
    now = notifier_state(request).runtime.clock.now()
    count = await deliveries.recover(session, subscription, since=body.since, until=body.until, now=now)
    await session.commit()
    return RecoverOut(requeued=count)


async def _preview(session: AsyncSession, subscription: Subscription, request: Request) -> dict[str, Any]:
    state = notifier_state(request)
    settings = state.settings
    next_at = next_send_time(
        state.runtime.clock.now(), hour=settings.digest_hour, zone=ZoneInfo(settings.digest_timezone)
    )
    return {
        "mode": subscription.mode,
        "waiting": await waiting_count(session, subscription.id),
        "next_send_at": next_at.isoformat(),
    }


@serve(router, route("digest_preview"))
async def digest_preview(subscription: OwnedSubscription, request: Request, session: SessionDep) -> DigestPreview:
    return DigestPreview.model_validate(await _preview(session, subscription, request))
