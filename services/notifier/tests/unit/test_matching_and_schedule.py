"""Subscription filters, the retry schedule, Retry-After, the per-subscription throttle and digest times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from resolute.notifier.deliveries.lifecycle import next_delay
from resolute.notifier.deliveries.payloads import SUBSCRIBABLE_TYPES, delivery_id
from resolute.notifier.deliveries.sender import parse_retry_after
from resolute.notifier.deliveries.throttle import SubscriptionThrottle
from resolute.notifier.digests.service import latest_send_time, next_send_time
from resolute.notifier.messaging import build_handlers
from resolute.notifier.settings import DEFAULT_RETRY_SCHEDULE, NotifierSettings
from resolute.notifier.subscriptions.matching import subscription_matches
from resolute.shared.clock import Clock
from resolute.shared.events.catalogue import public_event_types

ASSIGNED = {"country": "EE", "ministry": "defence", "policy_area": "defence", "document_id": "d1"}


@pytest.mark.parametrize(
    ("event_types", "filters", "expected"),
    [
        ([], {}, True),
        (["commitment.assigned"], {}, True),
        (["deadline.due"], {}, False),
        ([], {"countries": ["EE"]}, True),
        ([], {"countries": ["LV"]}, False),
        ([], {"ministries": ["defence"]}, True),
        ([], {"ministries": ["EE:defence"]}, True),
        ([], {"ministries": ["LV:defence"]}, False),
        ([], {"policy_areas": ["energy"]}, False),
        ([], {"documents": ["d1"]}, True),
        ([], {"documents": ["d2"]}, False),
    ],
)
def test_subscription_matches(event_types: list[str], filters: dict[str, list[str]], expected: bool) -> None:
    assert subscription_matches(event_types, filters, "commitment.assigned", ASSIGNED) is expected


def test_a_dimension_the_event_type_lacks_does_not_exclude_it() -> None:
    calendar = {"series": "baltic-council", "ordinal": 32}
    assert subscription_matches(
        [], {"countries": ["EE"], "ministries": ["defence"]}, "calendar.occurrence_changed", calendar
    )


def test_an_assignment_to_a_body_is_not_a_countrys() -> None:
    body = {**ASSIGNED, "country": None, "ministry": None, "body": "Baltic Council of Ministers"}
    assert not subscription_matches([], {"countries": ["EE"]}, "commitment.assigned", body)
    assert subscription_matches([], {}, "commitment.assigned", body)


def test_only_public_types_are_handled_and_subscribable_each_from_one_version() -> None:
    handled = build_handlers(Clock(None))
    assert set(handled) == set(public_event_types())
    assert "commitment.assigned.v1" in handled
    assert "commitment.extracted.v1" not in handled  # internal to the services: nobody gets it as a webhook
    assert len(set(public_event_types().values())) == len(handled)
    assert "subscription.disabled" in SUBSCRIBABLE_TYPES and "deadline.overdue" in SUBSCRIBABLE_TYPES
    assert "commitment.withdrawn" not in SUBSCRIBABLE_TYPES


def test_webhook_ids_are_stable_per_subscription_and_event() -> None:
    assert delivery_id("s1", "e1") == delivery_id("s1", "e1")
    assert delivery_id("s1", "e1") != delivery_id("s2", "e1")
    assert delivery_id("s1", "e1").startswith("msg_")


def test_the_default_schedule_spans_about_a_day_with_jitter_then_stops() -> None:
    assert sum(DEFAULT_RETRY_SCHEDULE) == pytest.approx(27.6 * 3600, rel=0.01)
    for _ in range(200):
        assert 4.0 <= (next_delay(1, DEFAULT_RETRY_SCHEDULE, None, 3600) or 0) <= 6.0
        assert 240.0 <= (next_delay(2, DEFAULT_RETRY_SCHEDULE, None, 3600) or 0) <= 360.0
        assert 28_800.0 <= (next_delay(7, DEFAULT_RETRY_SCHEDULE, None, 3600) or 0) <= 43_200.0
    assert next_delay(8, DEFAULT_RETRY_SCHEDULE, None, 3600) is None
    delays = {next_delay(1, (100.0,), None, 0) for _ in range(50)}
    assert len(delays) > 1  # jittered, so a burst of failures does not retry in lockstep


def test_retry_after_is_honoured_within_bounds() -> None:
    assert next_delay(1, (5.0,), 30.0, 3600) == 30.0
    assert next_delay(1, (5.0,), 10_000.0, 3600) == 3600.0  # capped
    assert 4.0 <= (next_delay(1, (5.0,), 1.0, 3600) or 0) <= 6.0  # never sooner than the schedule
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Fri, 20 Nov 2026 09:02:00 GMT", now) == 120.0
    assert parse_retry_after("soon", now) is None


def test_the_schedule_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESOLUTE_WEBHOOK_RETRY_SCHEDULE", "1, 2,3")
    assert NotifierSettings().webhook_retry_schedule == (1.0, 2.0, 3.0)
    monkeypatch.setenv("RESOLUTE_WEBHOOK_RETRY_SCHEDULE", "1,soon")
    with pytest.raises(ValueError, match="comma-separated"):
        NotifierSettings()
    monkeypatch.delenv("RESOLUTE_WEBHOOK_RETRY_SCHEDULE")
    monkeypatch.setenv("RESOLUTE_WEBHOOK_ALLOWED_CIDRS", "10.20.0.0/16, fd00:1::/64")
    assert [str(n) for n in NotifierSettings().address_policy().allowed_networks] == ["10.20.0.0/16", "fd00:1::/64"]
    monkeypatch.setenv("RESOLUTE_WEBHOOK_ALLOWED_CIDRS", "10.20.0.0/33")
    with pytest.raises(ValueError, match="ALLOWED_CIDRS"):
        NotifierSettings()


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_throttle_limits_rate_and_requests_in_flight() -> None:
    clock = FakeClock()
    throttle = SubscriptionThrottle(max_in_flight=3, clock=clock)
    assert [throttle.admit("s", 2) for _ in range(3)] == [True, True, False]  # a bucket of two tokens
    assert throttle.blocked() == {"s"}
    assert throttle.seconds_until_free() == pytest.approx(0.5)
    clock.now = 0.5
    assert throttle.admit("s", 2)  # refilled one token
    assert not throttle.admit("s", 2)
    clock.now = 10
    assert not throttle.admit("s", 2)  # tokens again, but three requests are in flight
    throttle.release("s")
    assert throttle.admit("s", 2)
    assert throttle.admit("other", 2)  # one subscription's limits never hold up another's


def test_digests_are_cut_at_the_configured_local_hour() -> None:
    tallinn = ZoneInfo("Europe/Tallinn")
    before = datetime(2026, 11, 20, 4, 59, tzinfo=UTC)  # 06:59 in Tallinn
    after = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)  # 07:00 in Tallinn
    assert latest_send_time(before, hour=7, zone=tallinn).isoformat() == "2026-11-19T07:00:00+02:00"
    assert latest_send_time(after, hour=7, zone=tallinn).isoformat() == "2026-11-20T07:00:00+02:00"
    assert next_send_time(after, hour=7, zone=tallinn).isoformat() == "2026-11-21T07:00:00+02:00"
