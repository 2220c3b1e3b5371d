"""The gateway's forwarders, made from the public route table (`resolute.shared.api.routes`).

For each entry the gateway serves `/v1` + its path with the entry's path parameters, query model, body model,
answer and caller scope, documents the problems that follow from its shape, checks any rule that depends on
the resource (`rules.BEFORE_FORWARDING`), and forwards the validated request to the service. Nothing here is
written per route: a new entry in the table is a new, fully documented and validated public route.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import params as fastapi_params

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.auth.dependencies import current_principal, require_role
from resolute.gateway.idempotency.http import OPENAPI_EXTRA, idempotent
from resolute.gateway.public_routes import ITEM_PROBLEMS, JSON_BODY, LIST_PROBLEMS, WRITE_PROBLEMS, upstream
from resolute.gateway.rules import BEFORE_FORWARDING
from resolute.gateway.upstreams.client import forward, upstream_path
from resolute.shared.api.paths import PATH_PARAMETERS
from resolute.shared.api.routes import PublicRoute, Scope
from resolute.shared.web.problems import problem_responses

#: creating routes a client may retry with an Idempotency-Key (the upload, written by hand, takes it too)
IDEMPOTENT_ROUTES = frozenset({"create_subscription"})

Endpoint = Callable[..., Awaitable[Response]]


def admits(scope: Scope) -> fastapi_params.Depends:
    """The dependency admitting a route's callers: any key, or admins and the roles named."""
    return Depends(current_principal if scope.roles is None else require_role(*scope.roles))


def problems_for(route: PublicRoute) -> dict[int | str, dict[str, Any]]:
    """The problems a route documents: a write's, a list's (plus 404 under an id), or one resource's."""
    if route.body is not None:
        problems = WRITE_PROBLEMS
    elif route.is_list:
        problems = LIST_PROBLEMS | (ITEM_PROBLEMS if route.path_parameters else {})
    else:
        problems = ITEM_PROBLEMS
    return problems | problem_responses(409) if route.conflicts else problems


def _as_owner(principal: Principal) -> Principal:
    """The notifier records and checks a subscription's owner from the principal header: a ministry's keys own
    their subscriptions together (`ministry:<CC>:<slug>`), any other key alone (`key:<id>`)."""
    return Principal(key_id=principal.owner, scope=principal.scope, name=principal.name)


#: how a service is told who calls, when it is not the key itself
IDENTITY: dict[str, Callable[[Principal], Principal]] = {"notifier": _as_owner}


def endpoint_signature(route: PublicRoute) -> inspect.Signature:
    """What FastAPI reads off the forwarder: the route's path parameters (typed by name), query, body, caller."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter(name, keyword, annotation=PATH_PARAMETERS[name]) for name in route.path_parameters]
    if route.query is not None:
        parameters.append(inspect.Parameter("query", keyword, annotation=Annotated[route.query, Query()]))
    if route.body is not None:
        parameters.append(inspect.Parameter("body", keyword, annotation=route.body))
    parameters.append(inspect.Parameter("request", keyword, annotation=Request))
    parameters.append(inspect.Parameter("principal", keyword, annotation=Annotated[Principal, admits(route.scope)]))
    return inspect.Signature(parameters, return_annotation=Response)


def make_forwarder(route: PublicRoute) -> Endpoint:
    """The endpoint of one route: check, then hand the validated request to the service and its answer back."""
    before = BEFORE_FORWARDING.get(route.name)
    identity = IDENTITY.get(route.service, lambda principal: principal)

    async def forwarder(**arguments: Any) -> Response:
        request: Request = arguments["request"]
        principal: Principal = arguments["principal"]
        if before is not None:
            await before(request, principal, arguments)
        path = upstream_path(route.path, **{name: str(arguments[name]) for name in route.path_parameters})

        def answer() -> Awaitable[Response]:
            return forward(
                request,
                upstream(request, route.service),
                path,
                identity(principal),
                params=arguments["query"] if route.query is not None else {},
                body=arguments.get("body"),
            )

        if route.name in IDEMPOTENT_ROUTES:
            return await idempotent(request, principal, route.name, answer)
        return await answer()

    forwarder.__signature__ = endpoint_signature(route)  # type: ignore[attr-defined]
    forwarder.__name__ = forwarder.__qualname__ = route.name
    return forwarder


def forwarders(routes: Iterable[PublicRoute]) -> APIRouter:
    """A router with a forwarder for each route (the hand-written ones excepted), in the table's order."""
    router = APIRouter()
    for route in routes:
        if route.hand_written:
            continue
        options: dict[str, Any] = {"response_class": Response} if route.answer is None else {}
        router.add_api_route(
            route.public_path,
            make_forwarder(route),
            methods=[route.method],
            name=route.name,
            summary=route.summary,
            description=route.description,
            tags=list(route.tags),
            status_code=route.status,
            response_model=route.answer,
            responses=problems_for(route),
            dependencies=[JSON_BODY] if route.body is not None else None,
            openapi_extra=OPENAPI_EXTRA if route.name in IDEMPOTENT_ROUTES else None,
            **options,
        )
    return router
