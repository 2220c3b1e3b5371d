"""Authentication and role checks for gateway routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.api_keys.service import authenticate
from resolute.shared.clock import utcnow
from resolute.shared.web.problems import ProblemError


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(
            401,
            "send an API key as 'Authorization: Bearer <key>'",
            kind="unauthenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


async def current_principal(request: Request) -> Principal:
    key = _bearer(request)
    async with request.app.state.sessionmaker() as session, session.begin():
        principal = await authenticate(session, key, now=utcnow())
    if principal is None:
        raise ProblemError(
            401,
            "the API key is not valid or was revoked",
            kind="unauthenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: str):  # type: ignore[no-untyped-def]
    """A dependency admitting admins and the given roles."""

    async def _check(principal: PrincipalDep) -> Principal:
        if not principal.has_role(*roles):
            raise ProblemError(
                403,
                f"this needs one of the roles {['admin', *roles]}; the key has '{principal.scope}'",
                kind="forbidden",
            )
        return principal

    return _check
