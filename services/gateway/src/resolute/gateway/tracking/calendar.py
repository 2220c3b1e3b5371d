"""/v1/calendar: institutional occurrences (learnt, confirmed, projected); admins confirm dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep, require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.public_routes import ITEM_PROBLEMS, JSON_BODY, LIST_PROBLEMS, WRITE_PROBLEMS
from resolute.gateway.tracking.router import tracker
from resolute.gateway.upstreams.client import forward, upstream_path
from resolute.shared.api.calendar import OccurrenceDetail, OccurrenceIn, OccurrencePage, OccurrenceQuery, SeriesList

router = APIRouter(prefix="/v1/calendar", tags=["calendar"])
AdminDep = Annotated[Principal, Depends(require_role())]
SeriesPath = Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60, description="the series' id")]
OrdinalPath = Annotated[int, Path(ge=1, le=9999, description="the occurrence's number; a year for unnumbered series")]


@router.get(
    "/occurrences",
    response_model=OccurrencePage,
    responses=LIST_PROBLEMS,
    summary="Institutional events, confirmed and projected, earliest first (`series`, `state`, `from`, `to`)",
)
async def list_occurrences(
    query: Annotated[OccurrenceQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await forward(request, tracker(request), "/calendar/occurrences", principal, params=query)


@router.get(
    "/series",
    response_model=SeriesList,
    responses=ITEM_PROBLEMS,
    summary="Calendar series and their next occurrence",
)
async def list_series(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/calendar/series", principal, params={})


@router.get(
    "/occurrences/{series}/{ordinal}",
    response_model=OccurrenceDetail,
    responses=ITEM_PROBLEMS,
    summary="One occurrence (known or projected) with its history",
)
async def get_occurrence(
    series: SeriesPath, ordinal: OrdinalPath, request: Request, principal: PrincipalDep
) -> Response:
    path = upstream_path("/calendar/occurrences/{series}/{ordinal}", series=series, ordinal=str(ordinal))
    return await forward(request, tracker(request), path, principal, params={})


@router.put(
    "/occurrences/{series}/{ordinal}",
    response_model=OccurrenceDetail,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Confirm when and where an occurrence meets (admin); deadlines hanging on it are re-scheduled",
)
async def confirm_occurrence(
    series: SeriesPath, ordinal: OrdinalPath, body: OccurrenceIn, request: Request, principal: AdminDep
) -> Response:
    path = upstream_path("/calendar/occurrences/{series}/{ordinal}", series=series, ordinal=str(ordinal))
    return await forward(request, tracker(request), path, principal, params={}, body=body)
