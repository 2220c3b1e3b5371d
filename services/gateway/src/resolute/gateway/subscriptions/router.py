"""/v1/subscriptions: anyone with a key may subscribe; only the owner (or an admin) sees or changes one.

The gateway sends the caller's owner identity (`ministry:<CC>:<slug>` for ministry keys, so every key of
a ministry owns its subscriptions together; `key:<id>` otherwise) and scope; the notifier, which holds
the records, answers 403 to anyone else. Queries and bodies are validated here against the models the
notifier serves (`resolute.shared.api.subscriptions`); answers pass through unchanged (problem+json too).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.public_routes import ITEM_PROBLEMS, JSON_BODY, LIST_PROBLEMS, WRITE_PROBLEMS, upstream
from resolute.gateway.upstreams.client import forward, upstream_path
from resolute.shared.api.subscriptions import (
    DeadLetterQuery,
    DeliveryDetail,
    DeliveryPage,
    DeliveryQuery,
    DeliveryQueued,
    DigestPreview,
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
from resolute.shared.web.problems import problem_responses

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])

# ids are tokens: nothing that could turn the forwarded path into another of the notifier's routes
SubscriptionId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="the subscription's id")]
DeliveryId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="the delivery's id (its webhook-id)")]

#: an action on a subscription without a body: it may be disabled (409)
ACTION_PROBLEMS = ITEM_PROBLEMS | problem_responses(409)


def _as_owner(principal: Principal) -> Principal:
    """The notifier records and checks the owner from the principal header: send the owner identity."""
    return Principal(key_id=principal.owner, scope=principal.scope, name=principal.name)


async def _to_notifier(
    request: Request,
    principal: Principal,
    template: str,
    *,
    params: BaseModel | None = None,
    body: BaseModel | None = None,
    **segments: str,
) -> Response:
    path = upstream_path(template, **segments)
    return await forward(
        request,
        upstream(request, "notifier"),
        path,
        _as_owner(principal),
        params=params if params is not None else {},
        body=body,
    )


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionCreated,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Subscribe a webhook; the answer holds its whsec_ secret, shown once",
)
async def create_subscription(body: SubscriptionIn, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions", body=body)


@router.get(
    "",
    response_model=SubscriptionPage,
    responses=LIST_PROBLEMS,
    summary="Your subscriptions (an admin's: everyone's, or `owner`'s), oldest first",
)
async def list_subscriptions(
    query: Annotated[SubscriptionQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await _to_notifier(request, principal, "/subscriptions", params=query)


@router.get(
    "/notices",
    response_model=NoticePage,
    responses=LIST_PROBLEMS,
    summary="Notices about your subscriptions (e.g. one was disabled), newest first",
)
async def list_notices(query: Annotated[NoticeQuery, Query()], request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/notices", params=query)


@router.get("/{subscription_id}", response_model=SubscriptionOut, responses=ITEM_PROBLEMS, summary="One subscription")
async def get_subscription(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}", id=subscription_id)


@router.patch(
    "/{subscription_id}",
    response_model=SubscriptionOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Change URL, event types, filters, mode, rate limit, or enable/disable (only the fields given)",
)
async def update_subscription(
    subscription_id: SubscriptionId, body: SubscriptionUpdate, request: Request, principal: PrincipalDep
) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}", body=body, id=subscription_id)


@router.delete(
    "/{subscription_id}",
    status_code=204,
    response_class=Response,
    responses=ITEM_PROBLEMS,
    summary="Delete a subscription and its delivery log",
)
async def delete_subscription(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}", id=subscription_id)


@router.post(
    "/{subscription_id}/secret/rotate",
    response_model=SecretRotated,
    responses=ITEM_PROBLEMS,
    summary="A new signing secret; the previous one keeps signing for 24 h so receivers can switch",
)
async def rotate_secret(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}/secret/rotate", id=subscription_id)


@router.get(
    "/{subscription_id}/deliveries",
    response_model=DeliveryPage,
    responses=ITEM_PROBLEMS | LIST_PROBLEMS,
    summary="Delivery log with every attempt, newest first (`status`, `event_type`)",
)
async def list_deliveries(
    subscription_id: SubscriptionId,
    query: Annotated[DeliveryQuery, Query()],
    request: Request,
    principal: PrincipalDep,
) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}/deliveries", params=query, id=subscription_id)


@router.get(
    "/{subscription_id}/deliveries/{delivery_id}",
    response_model=DeliveryDetail,
    responses=ITEM_PROBLEMS,
    summary="One delivery: its body and attempts",
)
async def get_delivery(
    subscription_id: SubscriptionId, delivery_id: DeliveryId, request: Request, principal: PrincipalDep
) -> Response:
    return await _to_notifier(
        request, principal, "/subscriptions/{id}/deliveries/{delivery}", id=subscription_id, delivery=delivery_id
    )


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=DeliveryQueued,
    responses=ACTION_PROBLEMS,
    summary="Send one delivery again now, with the same webhook-id",
)
async def replay_delivery(
    subscription_id: SubscriptionId, delivery_id: DeliveryId, request: Request, principal: PrincipalDep
) -> Response:
    return await _to_notifier(
        request,
        principal,
        "/subscriptions/{id}/deliveries/{delivery}/replay",
        id=subscription_id,
        delivery=delivery_id,
    )


@router.post(
    "/{subscription_id}/recover",
    response_model=RecoverOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Re-send every failed (dead) delivery since a time, with their original webhook-ids",
)
async def recover(
    subscription_id: SubscriptionId, body: RecoverIn, request: Request, principal: PrincipalDep
) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}/recover", body=body, id=subscription_id)


@router.get(
    "/{subscription_id}/dead-letters",
    response_model=DeliveryPage,
    responses=ITEM_PROBLEMS | LIST_PROBLEMS,
    summary="Deliveries given up after the last attempt, newest first",
)
async def list_dead_letters(
    subscription_id: SubscriptionId,
    query: Annotated[DeadLetterQuery, Query()],
    request: Request,
    principal: PrincipalDep,
) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}/dead-letters", params=query, id=subscription_id)


@router.get(
    "/{subscription_id}/digest",
    response_model=DigestPreview,
    responses=ITEM_PROBLEMS,
    summary="What the next daily digest holds so far, and when it is sent",
)
async def digest_preview(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}/digest", id=subscription_id)


@router.post(
    "/{subscription_id}/test",
    status_code=202,
    response_model=DeliveryQueued,
    responses=ACTION_PROBLEMS,
    summary="Send a signed test event",
)
async def send_test(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/{id}/test", id=subscription_id)
