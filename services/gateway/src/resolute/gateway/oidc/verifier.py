"""Verifying an OIDC provider's JWT access tokens and reading the Resolute scope from a claim."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import jwt

from resolute.gateway.api_keys.scopes import InvalidScope, Principal, validate_scope
from resolute.shared.logging import get_logger

log = get_logger(__name__)

_SCOPE_RANK = {"admin": 0, "editor": 1, "ministry": 2, "reader": 3}
_REFETCH_AFTER_SECONDS = 30.0  # after a failed fetch, keep the old keys this long before asking again
_UNKNOWN_KID_REFETCHES = 10  # an unknown key id refetches the key set, at most this often a minute


class InvalidToken(Exception):
    """The token is not one this gateway accepts (signature, issuer, audience, expiry, shape); a 401."""


class MissingScope(Exception):
    """A valid token that grants no Resolute scope; a 403."""


class KeysUnavailable(Exception):
    """The provider's key set cannot be fetched and none is cached; a 503."""


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and not token.startswith(("rsk_", "rsf_"))


def scope_from_claim(value: Any) -> str | None:
    """The most privileged Resolute scope among the claim's values (a string, space-separated, or a list)."""
    if isinstance(value, str):
        candidates = value.split()
    elif isinstance(value, list):
        candidates = [v for v in value if isinstance(v, str)]
    else:
        return None
    valid = []
    for candidate in candidates:
        try:
            valid.append(validate_scope(candidate))
        except InvalidScope:
            continue
    return min(valid, key=lambda s: _SCOPE_RANK[s.split(":", 1)[0]]) if valid else None


class JwtVerifier:
    """Checks signature (keys from the JWKS URL, cached), issuer, audience, expiry; maps claims to a Principal."""

    def __init__(
        self,
        *,
        issuer: str,
        jwks_url: str,
        audience: str | None,
        algorithms: Sequence[str],
        scope_claim: str,
        cache_seconds: float,
        client: httpx.AsyncClient,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.issuer = issuer
        self.jwks_url = jwks_url
        self.audience = audience
        self.algorithms = list(algorithms)
        self.scope_claim = scope_claim
        self.cache_seconds = cache_seconds
        self._client = client
        self._monotonic = monotonic
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._forced_fetches: deque[float] = deque(maxlen=_UNKNOWN_KID_REFETCHES)
        self._lock = asyncio.Lock()

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("the bearer token is neither an API key nor a well-formed JWT") from exc
        if header.get("alg") not in self.algorithms:
            raise InvalidToken(f"tokens signed with {header.get('alg')!r} are not accepted")
        key = await self._key(header.get("kid"))
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                leeway=30,
                options={"require": ["exp", "iss", "sub"], "verify_aud": self.audience is not None},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"the token is not valid: {exc}") from exc
        scope = scope_from_claim(claims.get(self.scope_claim))
        if scope is None:
            raise MissingScope(f"the token's '{self.scope_claim}' claim holds no Resolute scope")
        subject = str(claims["sub"])
        return Principal(
            key_id=f"oidc:{subject}", scope=scope, name=claims.get("name") or claims.get("email") or subject
        )

    async def _key(self, kid: str | None) -> jwt.PyJWK:
        now = self._monotonic()
        stale = self._fetched_at is None or now - self._fetched_at > self.cache_seconds
        unknown = kid not in self._keys and not (kid is None and len(self._keys) == 1)
        may_force = len(self._forced_fetches) < _UNKNOWN_KID_REFETCHES or now - self._forced_fetches[0] > 60
        if unknown and not stale and may_force:
            self._forced_fetches.append(now)  # a rotated key: ask the provider now rather than at the cache's end
            await self._refresh(force=True)
        elif stale:
            await self._refresh(force=False)
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        if kid not in self._keys:
            raise InvalidToken(f"the token was signed with a key ({kid!r}) the issuer does not publish")
        return self._keys[kid]

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            if (
                not force
                and self._fetched_at is not None
                and self._monotonic() - self._fetched_at <= self.cache_seconds
            ):
                return  # another request refreshed while this one waited
            try:
                response = await self._client.get(self.jwks_url, timeout=5.0)
                response.raise_for_status()
                keyset = jwt.PyJWKSet.from_dict(response.json())
            except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
                log.warning("jwks_fetch_failed", url=self.jwks_url, error=str(exc))
                if not self._keys:
                    raise KeysUnavailable("the identity provider's signing keys cannot be fetched") from exc
                # keep verifying with the keys we have; try the provider again in a little while
                self._fetched_at = self._monotonic() - max(0.0, self.cache_seconds - _REFETCH_AFTER_SECONDS)
                return
            self._keys = {k.key_id: k for k in keyset.keys}
            self._fetched_at = self._monotonic()
