"""/v1/scorecards: per-country and per-ministry summaries for portals."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.tracking.router import tracker
from resolute.gateway.upstreams.client import forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/scorecards", tags=["scorecards"], responses=PROBLEM_RESPONSES)


@router.get("/countries", summary="Per country (and body): assignments by status, overdue, due within 30 days")
async def country_scorecard(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/scorecards/countries", principal)


@router.get("/ministries", summary="Per ministry: assignments by status, overdue, due within 30 days")
async def ministry_scorecard(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/scorecards/ministries", principal)
