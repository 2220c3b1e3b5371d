"""/v1/services: each service with its base URL and health (admin)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from resolute.gateway.api_keys.dependencies import require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["operations"], responses=PROBLEM_RESPONSES)


class ServiceStatus(BaseModel):
    name: str
    base_url: str
    healthy: bool


class ServiceList(BaseModel):
    items: list[ServiceStatus]


@router.get("/services", response_model=ServiceList, summary="The services and their health (admin)")
async def list_services(request: Request, _: Annotated[Principal, Depends(require_role())]) -> ServiceList:
    upstreams = request.app.state.upstreams
    health = await asyncio.gather(*(u.healthy() for u in upstreams.values()))
    items = [
        ServiceStatus(name=u.name, base_url=u.base_url, healthy=h)
        for u, h in zip(upstreams.values(), health, strict=True)
    ]
    items.append(ServiceStatus(name="gateway", base_url=request.app.state.settings.public_base_url, healthy=True))
    return ServiceList(items=items)
