"""/v1/actors: the actor registry (countries, ministries, bodies, series); admins edit it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep, require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.public_routes import ITEM_PROBLEMS, JSON_BODY, WRITE_PROBLEMS
from resolute.gateway.tracking.router import tracker
from resolute.gateway.upstreams.client import forward, upstream_path
from resolute.shared.api.actors import (
    ActorsQuery,
    BodyIn,
    CountryIn,
    MinistryIn,
    RegistryOut,
    RevisionList,
    SeriesIn,
)
from resolute.shared.web.problems import problem_responses

router = APIRouter(prefix="/v1/actors", tags=["actors"])
AdminDep = Annotated[Principal, Depends(require_role())]
CountryPath = Annotated[str, Path(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, upper case")]
SlugPath = Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


@router.get(
    "",
    response_model=RegistryOut,
    responses=ITEM_PROBLEMS,
    summary="Countries with their ministries, bodies, calendar series and policy areas (now, or `as_of`)",
)
async def get_actors(query: Annotated[ActorsQuery, Query()], request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/actors", principal, params=query)


@router.get(
    "/revisions",
    response_model=RevisionList,
    responses=ITEM_PROBLEMS,
    summary="Every revision of the registry, newest first (admin)",
)
async def list_revisions(request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), "/actors/revisions", principal, params={})


@router.put(
    "/countries/{code}",
    response_model=RegistryOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Add a country or change its details (admin)",
)
async def put_country(code: CountryPath, body: CountryIn, request: Request, principal: AdminDep) -> Response:
    path = upstream_path("/actors/countries/{code}", code=code)
    return await forward(request, tracker(request), path, principal, params={}, body=body)


@router.put(
    "/countries/{code}/ministries/{ministry}",
    response_model=RegistryOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Add a ministry or change it: name, policy areas (admin)",
)
async def put_ministry(
    code: CountryPath, ministry: SlugPath, body: MinistryIn, request: Request, principal: AdminDep
) -> Response:
    path = upstream_path("/actors/countries/{code}/ministries/{ministry}", code=code, ministry=ministry)
    return await forward(request, tracker(request), path, principal, params={}, body=body)


@router.delete(
    "/countries/{code}/ministries/{ministry}",
    response_model=RegistryOut,
    responses=ITEM_PROBLEMS | problem_responses(409),
    summary="Remove a ministry no open assignment names (admin)",
)
async def delete_ministry(code: CountryPath, ministry: SlugPath, request: Request, principal: AdminDep) -> Response:
    path = upstream_path("/actors/countries/{code}/ministries/{ministry}", code=code, ministry=ministry)
    return await forward(request, tracker(request), path, principal, params={})


@router.put(
    "/bodies/{body_id}",
    response_model=RegistryOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Add a body or change it (admin)",
)
async def put_body(body_id: SlugPath, body: BodyIn, request: Request, principal: AdminDep) -> Response:
    path = upstream_path("/actors/bodies/{id}", id=body_id)
    return await forward(request, tracker(request), path, principal, params={}, body=body)


@router.put(
    "/series/{series_id}",
    response_model=RegistryOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Add a calendar series or change it (admin)",
)
async def put_series(series_id: SlugPath, body: SeriesIn, request: Request, principal: AdminDep) -> Response:
    path = upstream_path("/actors/series/{id}", id=series_id)
    return await forward(request, tracker(request), path, principal, params={}, body=body)
