"""/v1/subscriptions: anyone with a key may subscribe; only the owner (or an admin) sees or changes one.

The gateway sends the caller's owner identity (`ministry:<CC>:<slug>` for ministry keys, so every key of
a ministry owns its subscriptions together; `key:<id>` otherwise) and scope; the notifier, which holds
the records, answers 403 to anyone else. Bodies and answers pass through unchanged (problem+json too).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.upstreams.client import Upstream, forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"], responses=PROBLEM_RESPONSES)

# ids are tokens: nothing that could turn the forwarded path into another of the notifier's routes
SubscriptionId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
DeliveryId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


_STRINGS = {"type": "array", "items": {"type": "string"}}
_SUBSCRIPTION_FIELDS = {
    "url": {"type": "string", "format": "uri", "description": "http(s); internal addresses are refused"},
    "event_types": {**_STRINGS, "description": "e.g. commitment.assigned, deadline.due; empty: every type"},
    "filter": {
        "type": "object",
        "properties": {
            "countries": {**_STRINGS, "description": "ISO 3166-1 alpha-2, e.g. EE"},
            "ministries": {**_STRINGS, "description": "'defence' (any country) or 'EE:defence'"},
            "policy_areas": _STRINGS,
            "documents": {**_STRINGS, "description": "document ids"},
        },
    },
    "mode": {"type": "string", "enum": ["immediate", "daily_digest"]},
    "enabled": {"type": "boolean"},
    "rate_limit": {"type": ["integer", "null"], "minimum": 1, "description": "deliveries per second at most"},
    "description": {"type": ["string", "null"]},
}


def _json_body(schema: dict[str, object]) -> dict[str, object]:
    """The request body as the notifier validates it, for the OpenAPI document (bodies pass through as sent)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


_CREATE = _json_body({"type": "object", "required": ["url"], "properties": _SUBSCRIPTION_FIELDS})
_UPDATE = _json_body({"type": "object", "properties": _SUBSCRIPTION_FIELDS})
_RECOVER = _json_body(
    {
        "type": "object",
        "required": ["since"],
        "properties": {
            "since": {"type": "string", "format": "date-time"},
            "until": {"type": "string", "format": "date-time"},
        },
    }
)


def _notifier(request: Request) -> Upstream:
    return request.app.state.upstreams["notifier"]  # type: ignore[no-any-return]


def _as_owner(principal: Principal) -> Principal:
    """The notifier records and checks the owner from the principal header: send the owner identity."""
    return Principal(key_id=principal.owner, scope=principal.scope, name=principal.name)


async def _to_notifier(request: Request, principal: Principal, path: str) -> Response:
    return await forward(request, _notifier(request), path, _as_owner(principal))


@router.post(
    "",
    status_code=201,
    summary="Subscribe a webhook: {url, event_types?, filter?: {countries, ministries, policy_areas, documents}, "
    "mode?: immediate|daily_digest, rate_limit?}; the answer holds its whsec_ secret, shown once",
    openapi_extra=_CREATE,
)
async def create_subscription(request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions")


@router.get("", summary="Your subscriptions (an admin's: everyone's, or ?owner=); cursor pagination")
async def list_subscriptions(request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions")


@router.get("/notices", summary="Notices about your subscriptions (e.g. one was disabled), newest first")
async def list_notices(request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, "/subscriptions/notices")


@router.get("/{subscription_id}", summary="One subscription")
async def get_subscription(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}")


@router.patch(
    "/{subscription_id}",
    summary="Change URL, event types, filters, mode, rate limit, or enable/disable",
    openapi_extra=_UPDATE,
)
async def update_subscription(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}")


@router.delete("/{subscription_id}", status_code=204, summary="Delete a subscription and its delivery log")
async def delete_subscription(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}")


@router.post(
    "/{subscription_id}/secret/rotate",
    summary="A new signing secret; the previous one keeps signing for 24 h so receivers can switch",
)
async def rotate_secret(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/secret/rotate")


@router.get("/{subscription_id}/deliveries", summary="Delivery log with every attempt; ?status=, cursor pagination")
async def list_deliveries(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/deliveries")


@router.get("/{subscription_id}/deliveries/{delivery_id}", summary="One delivery: its body and attempts")
async def get_delivery(
    subscription_id: SubscriptionId, delivery_id: DeliveryId, request: Request, principal: PrincipalDep
) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/deliveries/{delivery_id}")


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}/replay",
    status_code=202,
    summary="Send one delivery again now, with the same webhook-id",
)
async def replay_delivery(
    subscription_id: SubscriptionId, delivery_id: DeliveryId, request: Request, principal: PrincipalDep
) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/deliveries/{delivery_id}/replay")


@router.post(
    "/{subscription_id}/recover",
    summary="Re-send every failed delivery since a time: {since, until?}",
    openapi_extra=_RECOVER,
)
async def recover(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/recover")


@router.get("/{subscription_id}/dead-letters", summary="Deliveries given up after the last attempt")
async def list_dead_letters(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/dead-letters")


@router.get("/{subscription_id}/digest", summary="What the next daily digest holds so far, and when it is sent")
async def digest_preview(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/digest")


@router.post("/{subscription_id}/test", status_code=202, summary="Send a signed test event")
async def send_test(subscription_id: SubscriptionId, request: Request, principal: PrincipalDep) -> Response:
    return await _to_notifier(request, principal, f"/subscriptions/{subscription_id}/test")
