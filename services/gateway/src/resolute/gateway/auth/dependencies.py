"""The dependencies every gateway route uses to know its caller: authentication, roles, rate limits.

`PrincipalDep` admits any API key or OIDC token (never a feed token); `require_role(...)` narrows to roles
(admins always pass); `FeedReaderDep` is for calendar feeds only: it also takes `?token=` (a feed token) or
`?key=` (an API key) from the URL, since calendar clients cannot send headers. Each admitted request counts
against its caller's rate limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DBAPIError

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.auth.authenticator import Authenticator
from resolute.gateway.console.sessions import CSRF_HEADER, SESSION_COOKIE, csrf_matches
from resolute.gateway.metrics import RATE_LIMITED
from resolute.gateway.oidc.verifier import InvalidToken, KeysUnavailable, MissingScope
from resolute.gateway.state import gateway_state
from resolute.shared.logging import get_logger
from resolute.shared.web.problems import ProblemError

log = get_logger(__name__)
T = TypeVar("T")

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API key (`rsk_...`), or an OIDC access token (JWT) where the gateway is configured for one.",
)
feed_token_scheme = APIKeyQuery(
    name="token",
    auto_error=False,
    scheme_name="feedToken",
    description="A feed token (`rsf_...`) in the URL: reads calendar feeds and nothing else.",
)
key_in_url_scheme = APIKeyQuery(
    name="key",
    auto_error=False,
    scheme_name="keyInUrl",
    description="An API key in the URL, accepted on calendar feeds only.",
)

BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def _unauthenticated(detail: str, *, invalid_token: bool = False) -> ProblemError:
    challenge = 'Bearer error="invalid_token"' if invalid_token else "Bearer"
    return ProblemError(401, detail, kind="unauthenticated", headers={"WWW-Authenticate": challenge})


def _authenticator(request: Request) -> Authenticator:
    return gateway_state(request).authenticator


async def _from_bearer(request: Request, token: str) -> Principal:
    authenticator = _authenticator(request)
    if authenticator.is_feed_token(token):
        raise _unauthenticated("a feed token only reads calendar feeds; send an API key", invalid_token=True)
    if authenticator.is_jwt(token):
        verifier = authenticator.jwt_verifier
        if verifier is None:
            raise _unauthenticated("this gateway accepts API keys only, not JWTs", invalid_token=True)
        try:
            return await verifier.verify(token)
        except InvalidToken as exc:
            raise _unauthenticated(str(exc), invalid_token=True) from exc
        except MissingScope as exc:
            raise ProblemError(403, str(exc), kind="forbidden") from exc
        except KeysUnavailable as exc:
            raise ProblemError(
                503, str(exc), kind="identity-provider-unavailable", headers={"Retry-After": "30"}
            ) from exc
    principal = await _lookup(authenticator.api_key, token)
    if principal is None:
        raise _unauthenticated("the API key is not valid or was revoked", invalid_token=True)
    return principal


async def _lookup(lookup: Callable[[str], Awaitable[T]], token: str) -> T:
    try:
        return await lookup(token)
    except DBAPIError as exc:
        log.error("credential_store_unavailable", error=type(exc).__name__)
        raise ProblemError(
            503, "credentials cannot be checked right now; try again shortly", kind="service-unavailable",
            headers={"Retry-After": "5"}, service="gateway",
        ) from exc  # fmt: skip


async def _admit(request: Request, principal: Principal) -> Principal:
    """Count the request against the caller's limit and remember who it is (logs, forwarding)."""
    limiter = gateway_state(request).rate_limiter
    if limiter.enabled:
        retry_after = await limiter.acquire(principal.key_id)
        if retry_after is not None:
            RATE_LIMITED.inc()
            log.info("rate_limited", principal=principal.key_id, retry_after=retry_after)
            raise ProblemError(
                429,
                f"this key made too many requests; try again in {retry_after} s",
                kind="rate-limited",
                headers={"Retry-After": str(retry_after)},
            )
    request.state.principal = principal
    request.state.principal_id = principal.key_id
    return principal


async def current_principal(request: Request, credentials: BearerCredentials) -> Principal:
    if credentials is None or not credentials.credentials.strip():
        session_token = request.cookies.get(SESSION_COOKIE)
        if session_token:
            return await _admit(request, await _from_session(request, session_token))
        raise _unauthenticated("send an API key as 'Authorization: Bearer <key>'")
    return await _admit(request, await _from_bearer(request, credentials.credentials.strip()))


async def _from_session(request: Request, token: str) -> Principal:
    """A console session's principal; a request that changes anything must also carry its CSRF token
    (the cookie alone would let another site's form act for the user)."""
    signed_in = await _lookup(_authenticator(request).console_session, token)
    if signed_in is None:
        raise _unauthenticated("the console session ended; sign in again")
    if request.method not in SAFE_METHODS and not csrf_matches(signed_in.csrf_token, request.headers.get(CSRF_HEADER)):
        raise ProblemError(403, f"a request from a console session needs its {CSRF_HEADER} header", kind="csrf")
    return signed_in.principal


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


async def feed_reader(
    request: Request,
    credentials: BearerCredentials,
    token: Annotated[str | None, Depends(feed_token_scheme)],
    key: Annotated[str | None, Depends(key_in_url_scheme)],
) -> Principal:
    """A calendar feed's caller: a feed token or API key from the URL, or the usual bearer header."""
    if token:
        principal = await _lookup(_authenticator(request).feed_token, token)
        if principal is None:
            raise _unauthenticated("the feed token is not valid or was revoked", invalid_token=True)
        return await _admit(request, principal)
    if key:
        if _authenticator(request).is_feed_token(key):
            raise _unauthenticated("pass a feed token as ?token=, not ?key=", invalid_token=True)
        principal = await _lookup(_authenticator(request).api_key, key)
        if principal is None:
            raise _unauthenticated("the API key is not valid or was revoked", invalid_token=True)
        return await _admit(request, principal)
    return await current_principal(request, credentials)


FeedReaderDep = Annotated[Principal, Depends(feed_reader)]
