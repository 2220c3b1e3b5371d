"""Per-subscription limits inside one worker: a rate (token bucket) and a cap on requests in flight.

The rate protects a ministry's endpoint from a burst; the in-flight cap keeps one slow endpoint from
taking every delivery slot. Each replica keeps its own buckets, so N replicas may send up to N times the
rate: the limit is a guard for receivers, not an exact quota.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float
    in_flight: int = 0


class SubscriptionThrottle:
    """`admit` before an attempt, `release` after it; `blocked` lists who cannot take one now."""

    def __init__(self, *, max_in_flight: int, clock: Callable[[], float]) -> None:
        self._max_in_flight = max_in_flight
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._rates: dict[str, float] = {}

    def _refill(self, subscription_id: str) -> _Bucket:
        rate = self._rates.get(subscription_id, 1.0)
        now = self._clock()
        bucket = self._buckets.get(subscription_id)
        if bucket is None:
            bucket = self._buckets[subscription_id] = _Bucket(tokens=rate, updated=now)
        else:
            bucket.tokens = min(rate, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
        return bucket

    def admit(self, subscription_id: str, per_second: float) -> bool:
        self._rates[subscription_id] = per_second
        bucket = self._refill(subscription_id)
        if bucket.in_flight >= self._max_in_flight or bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        bucket.in_flight += 1
        return True

    def release(self, subscription_id: str) -> None:
        bucket = self._buckets.get(subscription_id)
        if bucket is not None and bucket.in_flight > 0:
            bucket.in_flight -= 1

    def blocked(self) -> set[str]:
        """Subscriptions that would be refused right now (so the claim query can skip their deliveries)."""
        found = set()
        for subscription_id in list(self._buckets):
            bucket = self._refill(subscription_id)
            if bucket.in_flight >= self._max_in_flight or bucket.tokens < 1:
                found.add(subscription_id)
            elif bucket.in_flight == 0 and bucket.tokens >= self._rates.get(subscription_id, 1.0):
                del self._buckets[subscription_id]  # full and idle: forget it, it starts full again
                self._rates.pop(subscription_id, None)
        return found

    def seconds_until_free(self) -> float | None:
        """How soon a rate-limited subscription gets a token again (None if nobody waits on a rate)."""
        waits = [
            (1 - b.tokens) / self._rates.get(s, 1.0)
            for s, b in self._buckets.items()
            if b.tokens < 1 and b.in_flight < self._max_in_flight
        ]
        return max(0.0, min(waits)) if waits else None
