"""/v1/feed-tokens: tokens for calendar feed URLs, made and revoked by their owner (an admin sees all)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import select

from resolute.gateway.auth.dependencies import PrincipalDep
from resolute.gateway.feed_tokens.models import FeedToken
from resolute.gateway.feed_tokens.schemas import (
    FeedTokenCreated,
    FeedTokenIn,
    FeedTokenOut,
    FeedTokenPage,
    FeedTokenQuery,
)
from resolute.gateway.feed_tokens.service import issue_token
from resolute.gateway.public_routes import JSON_BODY, OWN_PROBLEMS, OWN_WRITE_PROBLEMS
from resolute.gateway.state import gateway_state
from resolute.shared.clock import utcnow
from resolute.shared.pagination import Keyset
from resolute.shared.web.problems import ProblemError

router = APIRouter(prefix="/v1/feed-tokens", tags=["feed tokens"])
TokenId = Annotated[str, Path(max_length=36, description="the token's id (not the token)")]

_TOKENS = Keyset((FeedToken.created_at, True), (FeedToken.id, True))


@router.post(
    "",
    status_code=201,
    response_model=FeedTokenCreated,
    responses=OWN_WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Make a feed token for calendar URLs (`?token=`); it reads feeds only and is shown only now",
)
async def create_feed_token(body: FeedTokenIn, request: Request, principal: PrincipalDep) -> FeedTokenCreated:
    async with gateway_state(request).sessionmaker() as session, session.begin():
        record, plain = await issue_token(session, owner=principal.owner, name=body.name, now=utcnow())
    return FeedTokenCreated(**FeedTokenOut.model_validate(record).model_dump(), token=plain)


@router.get("", response_model=FeedTokenPage, responses=OWN_PROBLEMS, summary="Your feed tokens, newest first")
async def list_feed_tokens(
    query: Annotated[FeedTokenQuery, Query()], request: Request, principal: PrincipalDep
) -> FeedTokenPage:
    statement = select(FeedToken)
    if principal.role != "admin":
        statement = statement.where(FeedToken.owner == principal.owner)
    async with gateway_state(request).sessionmaker() as session:
        rows = (await session.scalars(_TOKENS.apply(statement, query.cursor, query.limit))).all()
    items, next_cursor = _TOKENS.page(rows, query.limit)
    return FeedTokenPage(items=[FeedTokenOut.model_validate(r) for r in items], next_cursor=next_cursor)


@router.delete("/{token_id}", status_code=204, responses=OWN_PROBLEMS, summary="Revoke a feed token")
async def revoke_feed_token(token_id: TokenId, request: Request, principal: PrincipalDep) -> None:
    async with gateway_state(request).sessionmaker() as session, session.begin():
        record = await session.get(FeedToken, token_id)
        if record is None:
            raise ProblemError(404, f"no feed token {token_id}", kind="not-found")
        if principal.role != "admin" and record.owner != principal.owner:
            raise ProblemError(403, "this feed token belongs to someone else", kind="forbidden")
        if record.revoked_at is None:
            record.revoked_at = utcnow()
    gateway_state(request).authenticator.forget(f"feed:{token_id}")
