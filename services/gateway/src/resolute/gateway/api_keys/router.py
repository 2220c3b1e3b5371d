"""/v1/api-keys: issue (the key is shown once), list, read and revoke API keys (admin)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from resolute.gateway.api_keys.models import ApiKey
from resolute.gateway.api_keys.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut, ApiKeyPage, ApiKeyQuery
from resolute.gateway.api_keys.scopes import InvalidScope, Principal, unknown_ministry, validate_scope
from resolute.gateway.api_keys.service import issue_key, list_keys, revoke_key
from resolute.gateway.auth.dependencies import require_role
from resolute.gateway.console.sessions import end_sessions_of
from resolute.gateway.public_routes import JSON_BODY, OWN_PROBLEMS, OWN_WRITE_PROBLEMS
from resolute.gateway.state import gateway_state
from resolute.gateway.upstreams.client import fetch_json
from resolute.shared.actors import Country, default_registry
from resolute.shared.api.actors import RegistryOut
from resolute.shared.clock import utcnow
from resolute.shared.logging import get_logger
from resolute.shared.web.problems import ProblemError

log = get_logger(__name__)
router = APIRouter(prefix="/v1/api-keys", tags=["api keys"])
AdminDep = Annotated[Principal, Depends(require_role())]
KeyId = Annotated[str, Path(max_length=36, description="the key's id (not the key)")]


async def _registry_countries(request: Request, admin: Principal) -> Sequence[Country]:
    """The registry's countries as the tracker has them now (admins change them there); the shipped registry
    while the tracker does not answer, so keys for the shipped ministries can still be issued."""
    try:
        registry = await fetch_json(request, gateway_state(request).upstreams["tracker"], "/actors", admin)
    except ProblemError as exc:
        if exc.status not in (503, 504):
            raise
        log.warning("registry_from_shipped_seed", reason=exc.detail)
        return default_registry().countries
    return RegistryOut.model_validate(registry).countries


@router.post(
    "",
    status_code=201,
    response_model=ApiKeyCreated,
    responses=OWN_WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Issue an API key; the answer holds the key, shown only this once (admin)",
)
async def create_api_key(body: ApiKeyIn, request: Request, admin: AdminDep) -> ApiKeyCreated:
    try:
        validate_scope(body.scope)
    except InvalidScope as exc:
        raise ProblemError(422, str(exc), kind="invalid-scope") from exc
    if body.scope.startswith("ministry:"):
        problem = unknown_ministry(body.scope, await _registry_countries(request, admin))
        if problem:
            raise ProblemError(422, problem, kind="invalid-scope")
    try:
        async with gateway_state(request).sessionmaker() as session, session.begin():
            record, plain = await issue_key(session, scope=body.scope, name=body.name, now=utcnow())
    except InvalidScope as exc:
        raise ProblemError(422, str(exc), kind="invalid-scope") from exc
    return ApiKeyCreated(**ApiKeyOut.model_validate(record).model_dump(), key=plain)


@router.get("", response_model=ApiKeyPage, responses=OWN_PROBLEMS, summary="API keys, newest first (admin)")
async def list_api_keys(query: Annotated[ApiKeyQuery, Query()], request: Request, _: AdminDep) -> ApiKeyPage:
    async with gateway_state(request).sessionmaker() as session:
        rows, next_cursor = await list_keys(
            session, scope=query.scope, revoked=query.revoked, sort=query.sort, cursor=query.cursor, limit=query.limit
        )
    return ApiKeyPage(items=[ApiKeyOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{key_id}", response_model=ApiKeyOut, responses=OWN_PROBLEMS, summary="One API key (admin)")
async def get_api_key(key_id: KeyId, request: Request, _: AdminDep) -> ApiKeyOut:
    async with gateway_state(request).sessionmaker() as session:
        record = await session.get(ApiKey, key_id)
    if record is None:
        raise ProblemError(404, f"no API key {key_id}", kind="not-found")
    return ApiKeyOut.model_validate(record)


@router.delete(
    "/{key_id}", status_code=204, responses=OWN_PROBLEMS, summary="Revoke an API key; it stops working at once (admin)"
)
async def revoke_api_key(key_id: KeyId, request: Request, _: AdminDep) -> None:
    async with gateway_state(request).sessionmaker() as session, session.begin():
        record = await revoke_key(session, key_id, now=utcnow())
        if record is not None:
            await end_sessions_of(session, key_id, now=utcnow())  # its console sessions end with it
    if record is None:
        raise ProblemError(404, f"no API key {key_id}", kind="not-found")
    gateway_state(request).authenticator.forget(key_id)
