"""The delivery state machine without a database: what follows from each attempt (done, retry, dead letter,
endpoint disabled), and what a delivery that is no longer pending keeps."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from resolute.notifier.deliveries.lifecycle import (
    AttemptDecision,
    DeliveryStanding,
    RetryPolicy,
    decide_after_attempt,
)
from resolute.notifier.deliveries.sender import AttemptResult

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
POLICY = RetryPolicy(schedule=(5.0, 300.0), retry_after_max=3600.0, disable_after=timedelta(days=5))
PENDING = DeliveryStanding(status="pending", round_attempts=0, delivered_at=None, dead_at=None)


def _result(status_code: int | None, outcome: str = "failure", retry_after: float | None = None) -> AttemptResult:
    return AttemptResult(outcome, status_code, 12.0, retry_after=retry_after)  # type: ignore[arg-type]


def _decide(
    standing: DeliveryStanding = PENDING,
    result: AttemptResult | None = None,
    *,
    failing_since: datetime | None = None,
    disabled: bool = False,
) -> AttemptDecision:
    return decide_after_attempt(
        standing,
        failing_since,
        result or _result(500),
        endpoint_disabled=disabled,
        now=NOW,
        policy=POLICY,
        rng=random.Random(7),
    )


def test_a_2xx_succeeds_and_clears_the_endpoints_failure_streak() -> None:
    decision = _decide(result=_result(204, "success"), failing_since=NOW - timedelta(days=2))
    assert (decision.status, decision.delivered_at, decision.dead_at) == ("succeeded", NOW, None)
    assert decision.failing_since is None and decision.next_attempt_at is None
    assert decision.disable_reason is None and not decision.gave_up


def test_a_failure_retries_on_the_jittered_schedule_and_starts_a_streak() -> None:
    decision = _decide()
    assert decision.status == "pending" and decision.failing_since == NOW
    assert decision.next_attempt_at is not None
    assert timedelta(seconds=4) <= decision.next_attempt_at - NOW <= timedelta(seconds=6)
    second = _decide(DeliveryStanding("pending", 1, None, None), failing_since=NOW - timedelta(minutes=1))
    assert second.failing_since == NOW - timedelta(minutes=1)  # the streak goes on from its start
    assert second.next_attempt_at is not None
    assert timedelta(seconds=240) <= second.next_attempt_at - NOW <= timedelta(seconds=360)


def test_retry_after_pushes_the_next_attempt_later_within_the_bound() -> None:
    later = _decide(result=_result(503, retry_after=120.0))
    assert later.next_attempt_at == NOW + timedelta(seconds=120)
    capped = _decide(result=_result(429, retry_after=10_000_000.0))
    assert capped.next_attempt_at == NOW + timedelta(seconds=POLICY.retry_after_max)


def test_when_the_schedule_is_spent_the_delivery_is_a_dead_letter() -> None:
    decision = _decide(DeliveryStanding("pending", len(POLICY.schedule), None, None))
    assert (decision.status, decision.dead_at, decision.next_attempt_at) == ("dead", NOW, None)
    assert decision.gave_up


def test_410_gone_never_retries_and_disables_the_endpoint() -> None:
    decision = _decide(result=_result(410))
    assert (decision.status, decision.next_attempt_at, decision.gave_up) == ("dead", None, True)
    assert decision.disable_reason == "the endpoint answered 410 Gone"


def test_failing_for_longer_than_the_policy_allows_disables_the_endpoint() -> None:
    since = NOW - POLICY.disable_after
    decision = _decide(failing_since=since)
    assert decision.disable_reason == f"every delivery has failed since {since.isoformat()}"
    assert decision.status == "pending"  # its retry stands until the disable makes it dead
    assert _decide(failing_since=NOW - POLICY.disable_after + timedelta(seconds=1)).disable_reason is None


def test_a_delivery_of_an_endpoint_disabled_meanwhile_stays_dead_without_a_retry() -> None:
    dead_at = NOW - timedelta(seconds=3)
    decision = _decide(DeliveryStanding("pending", 0, None, dead_at), disabled=True)
    assert (decision.status, decision.dead_at, decision.next_attempt_at) == ("dead", dead_at, None)
    assert not decision.gave_up  # it was not this attempt that gave up on it


def test_a_delivery_that_already_succeeded_keeps_its_success_whatever_a_late_attempt_says() -> None:
    delivered = NOW - timedelta(minutes=5)
    decision = _decide(DeliveryStanding("succeeded", 1, delivered, None))
    assert (decision.status, decision.delivered_at, decision.next_attempt_at) == ("succeeded", delivered, None)
    assert not decision.gave_up
