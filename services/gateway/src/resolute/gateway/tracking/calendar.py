"""/v1/calendar: institutional occurrences (learnt, confirmed, projected); admins confirm dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep, require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.tracking.router import tracker
from resolute.gateway.upstreams.client import forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/calendar", tags=["calendar"], responses=PROBLEM_RESPONSES)
AdminDep = Annotated[Principal, Depends(require_role())]
SeriesPath = Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


@router.get("/occurrences", summary="Institutional events, confirmed and projected")
async def list_occurrences(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/calendar/occurrences", principal)


@router.get("/series", summary="Calendar series and their next occurrence")
async def list_series(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/calendar/series", principal)


@router.get("/occurrences/{series}/{ordinal}", summary="One occurrence with its history")
async def get_occurrence(series: SeriesPath, ordinal: int, request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), f"/calendar/occurrences/{series}/{ordinal}", principal)


@router.put(
    "/occurrences/{series}/{ordinal}",
    summary="Confirm when and where an occurrence meets (admin); deadlines hanging on it are re-scheduled",
)
async def confirm_occurrence(series: SeriesPath, ordinal: int, request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), f"/calendar/occurrences/{series}/{ordinal}", principal)
