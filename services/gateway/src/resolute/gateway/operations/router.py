"""/v1/services (admin): each service with its base URL and health; /v1/me: who the caller is."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.auth.dependencies import PrincipalDep, require_role
from resolute.gateway.public_routes import OWN_PROBLEMS
from resolute.gateway.state import gateway_state

router = APIRouter(prefix="/v1", tags=["operations"])


class ServiceStatus(BaseModel):
    name: str
    base_url: str
    healthy: bool


class ServiceList(BaseModel):
    items: list[ServiceStatus]


class Caller(BaseModel):
    """The authenticated caller, so a portal can show what its key may do."""

    id: str = Field(description="the API key's id, or `oidc:<subject>` for a token")
    name: str | None
    scope: str
    role: str = Field(description="admin, editor, reader or ministry")
    country: str | None = Field(description="a ministry key's country")
    ministry: str | None = Field(description="a ministry key's ministry")


@router.get(
    "/services", response_model=ServiceList, responses=OWN_PROBLEMS, summary="The services and their health (admin)"
)
async def list_services(request: Request, _: Annotated[Principal, Depends(require_role())]) -> ServiceList:
    state = gateway_state(request)
    upstreams = state.upstreams
    health = await asyncio.gather(*(u.healthy() for u in upstreams.values()))
    items = [
        ServiceStatus(name=u.name, base_url=u.base_url, healthy=h)
        for u, h in zip(upstreams.values(), health, strict=True)
    ]
    items.append(ServiceStatus(name="gateway", base_url=state.settings.public_base_url, healthy=True))
    return ServiceList(items=items)


@router.get("/me", response_model=Caller, responses=OWN_PROBLEMS, summary="Who the key (or token) belongs to")
async def who_am_i(principal: PrincipalDep) -> Caller:
    country, ministry = principal.ministry or (None, None)
    return Caller(
        id=principal.key_id,
        name=principal.name,
        scope=principal.scope,
        role=principal.role,
        country=country,
        ministry=ministry,
    )
