"""Admin routes for API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from resolute.gateway.api_keys.dependencies import require_role
from resolute.gateway.api_keys.models import ApiKey
from resolute.gateway.api_keys.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut
from resolute.gateway.api_keys.scopes import InvalidScope, Principal
from resolute.gateway.api_keys.service import issue_key
from resolute.shared.clock import utcnow
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"], responses=PROBLEM_RESPONSES)
AdminDep = Annotated[Principal, Depends(require_role())]


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="Issue an API key (admin)")
async def create_api_key(body: ApiKeyIn, request: Request, _: AdminDep) -> ApiKeyCreated:
    try:
        async with request.app.state.sessionmaker() as session, session.begin():
            record, plain = await issue_key(session, scope=body.scope, name=body.name, now=utcnow())
    except InvalidScope as exc:
        raise ProblemError(422, str(exc), kind="invalid-scope") from exc
    return ApiKeyCreated(**ApiKeyOut.model_validate(record).model_dump(), key=plain)


@router.get("", response_model=list[ApiKeyOut], summary="List API keys (admin)")
async def list_api_keys(request: Request, _: AdminDep) -> list[ApiKeyOut]:
    async with request.app.state.sessionmaker() as session:
        rows = (await session.scalars(select(ApiKey).order_by(ApiKey.created_at))).all()
    return [ApiKeyOut.model_validate(r) for r in rows]


@router.delete("/{key_id}", status_code=204, summary="Revoke an API key (admin)")
async def revoke_api_key(key_id: str, request: Request, _: AdminDep) -> None:
    async with request.app.state.sessionmaker() as session, session.begin():
        record = await session.get(ApiKey, key_id)
        if record is None:
            raise ProblemError(404, f"no API key {key_id}", kind="not-found")
        if record.revoked_at is None:
            record.revoked_at = utcnow()
