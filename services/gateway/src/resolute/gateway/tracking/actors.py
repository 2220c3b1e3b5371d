"""/v1/actors: the actor registry (countries, ministries, bodies, series); admins edit it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep, require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.tracking.router import tracker
from resolute.gateway.upstreams.client import forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/actors", tags=["actors"], responses=PROBLEM_RESPONSES)
AdminDep = Annotated[Principal, Depends(require_role())]
CountryPath = Annotated[str, Path(pattern=r"^[A-Z]{2}$")]
SlugPath = Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


@router.get("", summary="Countries with their ministries, bodies, calendar series and policy areas")
async def get_actors(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/actors", principal)


@router.get("/revisions", summary="Every revision of the registry (admin)")
async def list_revisions(request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), "/actors/revisions", principal)


@router.put("/countries/{code}", summary="Add a country or change its details (admin)")
async def put_country(code: CountryPath, request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), f"/actors/countries/{code}", principal)


@router.put("/countries/{code}/ministries/{ministry}", summary="Add a ministry or change it (admin)")
async def put_ministry(code: CountryPath, ministry: SlugPath, request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), f"/actors/countries/{code}/ministries/{ministry}", principal)


@router.delete("/countries/{code}/ministries/{ministry}", summary="Remove a ministry no open assignment names (admin)")
async def delete_ministry(code: CountryPath, ministry: SlugPath, request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), f"/actors/countries/{code}/ministries/{ministry}", principal)


@router.put("/bodies/{body_id}", summary="Add a body or change it (admin)")
async def put_body(body_id: SlugPath, request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), f"/actors/bodies/{body_id}", principal)


@router.put("/series/{series_id}", summary="Add a calendar series or change it (admin)")
async def put_series(series_id: SlugPath, request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), f"/actors/series/{series_id}", principal)
