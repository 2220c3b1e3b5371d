"""Turns a presented credential into a Principal, with a short cache so a busy key costs no query per request."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.api_keys.service import authenticate as authenticate_key
from resolute.gateway.api_keys.service import hash_key
from resolute.gateway.console.sessions import SignedIn, find_session
from resolute.gateway.feed_tokens.service import TOKEN_PREFIX as FEED_TOKEN_PREFIX
from resolute.gateway.feed_tokens.service import authenticate_token as authenticate_feed_token
from resolute.gateway.oidc.verifier import JwtVerifier, looks_like_jwt

_CACHE_LIMIT = 10_000


class Authenticator:
    """API keys and feed tokens are looked up (hashed) in the gateway's database; JWTs are verified by signature.

    A found key is remembered for `cache_seconds`: a key revoked through this gateway is forgotten at once,
    one revoked through another replica stops working within `cache_seconds`.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        jwt_verifier: JwtVerifier | None,
        cache_seconds: float,
        now: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.jwt_verifier = jwt_verifier
        self._cache_seconds = cache_seconds
        self._now = now
        self._monotonic = monotonic
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._sessions: dict[str, tuple[SignedIn, float]] = {}

    @staticmethod
    def is_feed_token(token: str) -> bool:
        return token.startswith(FEED_TOKEN_PREFIX)

    def is_jwt(self, token: str) -> bool:
        return looks_like_jwt(token)

    async def api_key(self, key: str) -> Principal | None:
        return await self._cached(
            "key:" + hash_key(key), lambda session: authenticate_key(session, key, now=self._now())
        )

    async def console_session(self, token: str) -> SignedIn | None:
        """The live console session a cookie opens (cached like keys: sign-out forgets it at once)."""
        hit = self._sessions.get(hash_key(token))
        now = self._now()
        if hit is not None and self._monotonic() - hit[1] < self._cache_seconds and hit[0].expires_at > now:
            return hit[0]
        async with self._sessionmaker() as session:
            signed_in = await find_session(session, token, now=now)
        if signed_in is None:
            self._sessions.pop(hash_key(token), None)
            return None
        if len(self._sessions) >= _CACHE_LIMIT:
            self._sessions.clear()
        self._sessions[hash_key(token)] = (signed_in, self._monotonic())
        return signed_in

    def forget_session(self, token: str) -> None:
        self._sessions.pop(hash_key(token), None)

    async def feed_token(self, token: str) -> Principal | None:
        return await self._cached(
            "feed:" + hash_key(token), lambda session: authenticate_feed_token(session, token, now=self._now())
        )

    def forget(self, principal_id: str) -> None:
        """Drop a revoked key or token (and the console sessions it signed in) from the cache at once."""
        for cache_key, (principal, _) in list(self._cache.items()):
            if principal.key_id == principal_id:
                del self._cache[cache_key]
        for cache_key, (signed_in, _) in list(self._sessions.items()):
            if signed_in.principal.key_id == principal_id:
                del self._sessions[cache_key]

    async def _cached(
        self, cache_key: str, lookup: Callable[[AsyncSession], Awaitable[Principal | None]]
    ) -> Principal | None:
        hit = self._cache.get(cache_key)
        if hit is not None and self._monotonic() - hit[1] < self._cache_seconds:
            return hit[0]
        async with self._sessionmaker() as session, session.begin():
            principal = await lookup(session)
        if principal is None:
            self._cache.pop(cache_key, None)
            return None
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[cache_key] = (principal, self._monotonic())
        return principal
