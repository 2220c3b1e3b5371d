"""/v1/deadlines: upcoming (or overdue) deadlines per assignment, for portals and calendar feeds."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.tracking.router import tracker
from resolute.gateway.upstreams.client import forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["deadlines"], responses=PROBLEM_RESPONSES)


@router.get("/deadlines", summary="Deadlines (`from`, `to`, `country`, `ministry`), each with `date` and `projected`")
async def list_deadlines(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/deadlines", principal)
