"""/v1/deadlines: upcoming (or overdue) deadlines per assignment, for portals and calendar feeds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.public_routes import LIST_PROBLEMS, upstream
from resolute.gateway.upstreams.client import forward
from resolute.shared.api.deadlines import DeadlinePage, DeadlineQuery

router = APIRouter(prefix="/v1", tags=["deadlines"])


@router.get(
    "/deadlines",
    response_model=DeadlinePage,
    responses=LIST_PROBLEMS,
    summary="Deadlines per assignment, soonest first (`from`, `to`, `country`, `ministry`, ...)",
)
async def list_deadlines(
    query: Annotated[DeadlineQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await forward(request, upstream(request, "tracker"), "/deadlines", principal, params=query)
