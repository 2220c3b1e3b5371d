"""/v1/scorecards: per-country and per-ministry summaries for portals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.public_routes import ITEM_PROBLEMS
from resolute.gateway.tracking.router import tracker
from resolute.gateway.upstreams.client import forward
from resolute.shared.api.scorecards import (
    CountryScorecard,
    CountryScorecardQuery,
    MinistryScorecard,
    MinistryScorecardQuery,
)

router = APIRouter(prefix="/v1/scorecards", tags=["scorecards"])


@router.get(
    "/countries",
    response_model=CountryScorecard,
    responses=ITEM_PROBLEMS,
    summary="Per country (and body): assignments by status, overdue, due within 30 days",
)
async def country_scorecard(
    query: Annotated[CountryScorecardQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await forward(request, tracker(request), "/scorecards/countries", principal, params=query)


@router.get(
    "/ministries",
    response_model=MinistryScorecard,
    responses=ITEM_PROBLEMS,
    summary="Per ministry: assignments by status, overdue, due within 30 days",
)
async def ministry_scorecard(
    query: Annotated[MinistryScorecardQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await forward(request, tracker(request), "/scorecards/ministries", principal, params=query)
