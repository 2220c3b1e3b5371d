"""Binding a service's handler to its entry of the public route table.

`@serve(router, route("list_commitments"))` registers the handler at the entry's method and path, with its
answer model, status and summary, and refuses (at import) a handler whose query or body is not the model the
entry declares: a filter added to the shared query model reaches the service, never only the gateway.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, get_args, get_origin

from fastapi import APIRouter, Response
from fastapi import params as fastapi_params

from resolute.shared.api.routes import PublicRoute

Handler = TypeVar("Handler", bound=Callable[..., Any])


class RouteMismatch(TypeError):
    """A handler that does not take what its route table entry declares."""


def _is_query_model(annotation: Any, model: type[Any]) -> bool:
    if get_origin(annotation) is not Annotated:
        return False
    declared, *metadata = get_args(annotation)
    return declared is model and any(isinstance(m, fastapi_params.Query) for m in metadata)


def check_handler(route: PublicRoute, handler: Callable[..., Any]) -> None:
    """The handler takes `query: Annotated[<entry's query>, Query()]` and `body: <entry's body>`, or neither."""
    parameters = inspect.signature(handler, eval_str=True).parameters
    query, body = parameters.get("query"), parameters.get("body")
    if route.query is None and query is not None:
        raise RouteMismatch(f"{route.name}: the route takes no query, but the handler does")
    if route.query is not None and (query is None or not _is_query_model(query.annotation, route.query)):
        raise RouteMismatch(f"{route.name}: the handler must take query: Annotated[{route.query.__name__}, Query()]")
    if route.body is None and body is not None:
        raise RouteMismatch(f"{route.name}: the route takes no body, but the handler does")
    if route.body is not None and (body is None or body.annotation is not route.body):
        raise RouteMismatch(f"{route.name}: the handler must take body: {route.body.__name__}")


def serve(router: APIRouter, route: PublicRoute, **documentation: Any) -> Callable[[Handler], Handler]:
    """Register the decorated handler as the service's side of `route` (`documentation`: more OpenAPI,
    e.g. a description or a request body the handler parses itself)."""

    def register(handler: Handler) -> Handler:
        check_handler(route, handler)
        options: dict[str, Any] = {"response_class": Response} if route.answer is None else {}
        router.add_api_route(
            route.path,
            handler,
            methods=[route.method],
            name=route.name,
            summary=route.summary,
            description=route.description,
            status_code=route.status,
            response_model=route.answer,
            **options,
            **documentation,
        )
        return handler

    return register
