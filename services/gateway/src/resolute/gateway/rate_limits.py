"""Per-key rate limits (the `limits` library's moving window): a 429 with Retry-After past the limit."""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


class RateLimiter:
    """Counts each identity's requests against every configured window ('50/second;1000/minute').

    Counts live in this process (`memory://`) unless a shared storage URI is given, so with several gateway
    replicas each enforces the limit on its own share of the traffic.
    """

    def __init__(self, spec: str, storage_uri: str = "memory://") -> None:
        self.items: list[RateLimitItem] = parse_many(spec) if spec.strip() else []
        self._strategy = MovingWindowRateLimiter(storage_from_string("async+" + storage_uri))

    @property
    def enabled(self) -> bool:
        return bool(self.items)

    async def acquire(self, identity: str) -> int | None:
        """Count one request; None if it may go ahead, else the whole seconds to wait before trying again."""
        for item in self.items:
            if not await self._strategy.test(item, identity):
                return await self._retry_after(item, identity)
        for item in self.items:
            if not await self._strategy.hit(item, identity):  # a concurrent request took the last slot
                return await self._retry_after(item, identity)
        return None

    async def _retry_after(self, item: RateLimitItem, identity: str) -> int:
        stats = await self._strategy.get_window_stats(item, identity)
        return max(1, math.ceil(stats.reset_time - time.time()))
