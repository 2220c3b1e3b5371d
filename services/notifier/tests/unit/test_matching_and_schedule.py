"""Subscription filters and the retry schedule."""

from __future__ import annotations

import pytest

from resolute.notifier.deliveries.service import next_delay
from resolute.notifier.subscriptions.address_policy import UnsafeWebhookUrl, check_webhook_url
from resolute.notifier.subscriptions.matching import subscription_matches

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


def test_a_dimension_the_event_lacks_does_not_exclude_it() -> None:
    calendar = {"series": "baltic-council", "ordinal": 32}
    assert subscription_matches([], {"countries": ["EE"]}, "calendar.occurrence_changed", calendar)


def test_retry_delays_follow_the_schedule_with_jitter_then_stop() -> None:
    schedule = (5.0, 300.0)
    for _ in range(50):
        assert 4.0 <= (next_delay(1, schedule, None) or 0) <= 6.0
        assert 240.0 <= (next_delay(2, schedule, None) or 0) <= 360.0
    assert next_delay(3, schedule, None) is None


def test_retry_after_is_honoured_within_bounds() -> None:
    assert next_delay(1, (5.0,), 30.0) == 30.0
    assert next_delay(1, (5.0,), 10_000.0) == 60.0


@pytest.mark.parametrize("url", ["ftp://example.org/x", "http://127.0.0.1/hook", "http://10.1.2.3/", "http://[::1]/"])
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeWebhookUrl):
        check_webhook_url(url, allow_private=False)


def test_private_urls_pass_when_allowed() -> None:
    check_webhook_url("http://127.0.0.1:9000/hook", allow_private=True)
