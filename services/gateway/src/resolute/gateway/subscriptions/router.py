"""/v1/subscriptions: anyone with a key may subscribe; only the owner (or an admin) sees a subscription."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.upstreams.client import Upstream, forward, forward_headers
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"], responses=PROBLEM_RESPONSES)


def _notifier(request: Request) -> Upstream:
    return request.app.state.upstreams["notifier"]  # type: ignore[no-any-return]


def _as_owner(principal: Principal) -> Principal:
    """The notifier records the owner from the principal header: send the owner identity, not the key id."""
    return Principal(key_id=principal.owner, scope=principal.scope, name=principal.name)


async def _check_owner(request: Request, principal: Principal, subscription_id: str) -> None:
    if principal.role == "admin":
        return
    response = await _notifier(request).request(
        "GET", f"/subscriptions/{subscription_id}", headers=forward_headers(request, principal)
    )
    if response.status_code == 404:
        raise ProblemError(404, f"no subscription {subscription_id}", kind="not-found")
    if response.status_code != 200 or response.json().get("owner") != principal.owner:
        raise ProblemError(403, "this subscription belongs to someone else", kind="forbidden")


@router.post("", status_code=201, summary="Subscribe a webhook; the answer holds its secret, shown once")
async def create_subscription(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, _notifier(request), "/subscriptions", _as_owner(principal))


@router.get("/{subscription_id}", summary="One subscription")
async def get_subscription(subscription_id: str, request: Request, principal: PrincipalDep) -> Response:
    await _check_owner(request, principal, subscription_id)
    return await forward(request, _notifier(request), f"/subscriptions/{subscription_id}", principal)


@router.get("/{subscription_id}/deliveries", summary="The subscription's delivery attempts")
async def list_deliveries(subscription_id: str, request: Request, principal: PrincipalDep) -> Response:
    await _check_owner(request, principal, subscription_id)
    return await forward(request, _notifier(request), f"/subscriptions/{subscription_id}/deliveries", principal)


@router.post("/{subscription_id}/test", status_code=202, summary="Send a signed test event")
async def send_test(subscription_id: str, request: Request, principal: PrincipalDep) -> Response:
    await _check_owner(request, principal, subscription_id)
    return await forward(request, _notifier(request), f"/subscriptions/{subscription_id}/test", principal)
