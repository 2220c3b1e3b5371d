"""Who may touch a subscription: its owner, or an admin (the gateway says who is calling)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from resolute.notifier.subscriptions.models import Subscription
from resolute.shared.api.paths import SubscriptionIdPath
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import Caller, caller_from
from resolute.shared.web.problems import ProblemError


def sees_everything(caller: Caller) -> bool:
    """Admins see every subscription; so do internal callers that name nobody (ops, the service's own tests)."""
    return caller.scope is None or caller.scope == "admin"


async def owned_subscription(
    subscription_id: SubscriptionIdPath, request: Request, session: SessionDep
) -> Subscription:
    subscription = await session.get(Subscription, subscription_id)
    if subscription is None:
        raise ProblemError(404, f"no subscription {subscription_id}", kind="not-found")
    caller = caller_from(request)
    if not sees_everything(caller) and subscription.owner != caller.principal:
        raise ProblemError(403, "this subscription belongs to someone else", kind="forbidden")
    return subscription


OwnedSubscription = Annotated[Subscription, Depends(owned_subscription)]
