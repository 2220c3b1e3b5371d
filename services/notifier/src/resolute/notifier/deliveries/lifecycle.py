"""A delivery's life after each attempt: done, tried again later, or given up (a dead letter), and when its
endpoint is disabled. Pure rules over what the delivery and its endpoint were before the attempt; the service
(`deliveries.service.record_results`) reads those and writes the decision.

- Only a 2xx succeeds; a success clears the endpoint's failure streak.
- A failure retries on the schedule (each step jittered by ±20 %, a receiver's Retry-After honoured up to a
  bound) until the schedule is spent; then the delivery is dead.
- 410 Gone never retries and disables the endpoint; so does failing without a single success for longer than
  the policy allows (five days by default).
- A delivery that is not pending any more (dead because its endpoint was disabled meanwhile, or already
  succeeded) keeps that status whatever the attempt did.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from resolute.notifier.deliveries.sender import AttemptResult

GONE = 410


@dataclass(frozen=True)
class RetryPolicy:
    schedule: Sequence[float]
    retry_after_max: float
    disable_after: timedelta


@dataclass(frozen=True)
class DeliveryStanding:
    """A delivery as it stood before the attempt was recorded."""

    status: str  # pending | succeeded | dead
    round_attempts: int  # attempts since the schedule (re)started
    delivered_at: datetime | None
    dead_at: datetime | None


@dataclass(frozen=True)
class AttemptDecision:
    """What follows from one attempt: the delivery's new state, its endpoint's, and whether to disable it."""

    status: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    dead_at: datetime | None
    failing_since: datetime | None
    disable_reason: str | None = None
    gave_up: bool = False  # this attempt made the delivery a dead letter


def next_delay(
    round_attempts: int,
    schedule: Sequence[float],
    retry_after: float | None,
    retry_after_max: float,
    *,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds until the next attempt, or None when the schedule is spent.

    The schedule's step gets ±20 % jitter; a receiver's Retry-After may push it later, up to the bound.
    """
    if round_attempts > len(schedule):
        return None
    delay = schedule[round_attempts - 1] * (rng or random).uniform(0.8, 1.2)
    if retry_after is not None:
        delay = max(delay, min(retry_after, retry_after_max))
    return delay


def decide_after_attempt(
    delivery: DeliveryStanding,
    failing_since: datetime | None,
    result: AttemptResult,
    *,
    endpoint_disabled: bool,
    now: datetime,
    policy: RetryPolicy,
    rng: random.Random | None = None,
) -> AttemptDecision:
    """The delivery's state after `result`; `failing_since` is the endpoint's failure streak before it,
    `endpoint_disabled` whether it was disabled since the delivery was claimed (its deliveries are dead)."""
    status = "dead" if endpoint_disabled else delivery.status
    dead_at = delivery.dead_at if status == "dead" else None
    if result.ok:
        return AttemptDecision("succeeded", None, now, None, failing_since=None)
    failing_since = failing_since or now
    delay = None
    if result.status_code != GONE and status == "pending":
        delay = next_delay(delivery.round_attempts + 1, policy.schedule, result.retry_after, policy.retry_after_max,
                           rng=rng)  # fmt: skip
    next_attempt_at = now + timedelta(seconds=delay) if delay is not None else None
    gave_up = delay is None and status == "pending"
    if gave_up:
        status, dead_at = "dead", now
    disable_reason = None
    if result.status_code == GONE:
        disable_reason = "the endpoint answered 410 Gone"
    elif now - failing_since >= policy.disable_after:
        disable_reason = f"every delivery has failed since {failing_since.isoformat()}"
    return AttemptDecision(
        status, next_attempt_at, delivery.delivered_at, dead_at, failing_since, disable_reason, gave_up
    )
