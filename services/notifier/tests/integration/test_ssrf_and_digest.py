"""SSRF at save and at connection time (DNS rebinding), and daily digests made exactly once."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from standardwebhooks.webhooks import Webhook

from resolute.notifier.digests.service import next_send_time
from resolute.notifier.state import NotifierState
from resolute.notifier.subscriptions import address_policy
from resolute.notifier.testing import NotifierHarness, assigned
from resolute.shared.testing.fixtures import eventually
from resolute.shared.web.state import state_of

pytestmark = pytest.mark.integration

HOSTNAME = "hooks.ministry.example"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://10.0.0.1/hook",
        "http://10.99.1.2:8443/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9000/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://localhost:9000/hook",
    ],
)
async def test_subscriptions_to_internal_addresses_are_refused(harness: NotifierHarness, url: str) -> None:
    client = await harness.start(webhook_allow_private=False)
    refused = await client.post("/subscriptions", json={"url": url})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/unsafe-webhook-url")
    assert (await client.get("/subscriptions")).json()["items"] == []  # nothing was stored


def _resolve_to(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    async def resolve(host: str, port: int) -> list[address_policy.IPAddress]:
        assert host == HOSTNAME
        return [ipaddress.ip_address(answer)]

    monkeypatch.setattr(address_policy, "resolve_host", resolve)


async def test_a_name_that_rebinds_to_loopback_is_refused_at_connection_time(
    harness: NotifierHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = await harness.receiver()
    client = await harness.start(webhook_allow_private=False, webhook_retry_schedule=())
    port = urlsplit(receiver.url).port
    _resolve_to(monkeypatch, "93.184.216.34")  # public when the URL is saved...
    created = await client.post("/subscriptions", json={"url": f"http://{HOSTNAME}:{port}/hook"})
    assert created.status_code == 201, created.text
    subscription = created.json()
    _resolve_to(monkeypatch, "127.0.0.1")  # ...and loopback when the delivery connects
    await client.post(f"/subscriptions/{subscription['id']}/test")

    async def attempted() -> list[dict[str, Any]]:
        items = (await client.get(f"/subscriptions/{subscription['id']}/deliveries")).json()["items"]
        return items if items and items[0]["attempt_log"] else []

    [delivery] = await eventually(attempted, 60)  # type: ignore[misc]
    [attempt] = delivery["attempt_log"]
    assert attempt["outcome"] == "refused"
    assert "127.0.0.1" in attempt["error"]
    assert receiver.requests == []
    metrics = (await client.get("/metrics")).text
    assert 'resolute_notifier_webhook_attempts_total{outcome="refused"}' in metrics


async def test_the_connection_goes_to_the_checked_address_with_the_hostname_kept(
    harness: NotifierHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = await harness.receiver()
    # private stays refused, except the allow-listed loopback range the receiver listens on
    client = await harness.start(webhook_allow_private=False, webhook_allowed_cidrs=("127.0.0.0/8",))
    port = urlsplit(receiver.url).port
    _resolve_to(monkeypatch, "127.0.0.1")  # nothing but our resolver knows this name
    subscription = (await client.post("/subscriptions", json={"url": f"http://{HOSTNAME}:{port}/hook"})).json()
    await client.post(f"/subscriptions/{subscription['id']}/test")
    await eventually(lambda: len(receiver.requests) == 1, 60)
    assert receiver.requests[0].headers["host"] == f"{HOSTNAME}:{port}"
    Webhook(subscription["secret"]).verify(receiver.requests[0].body, receiver.requests[0].headers)


async def test_a_daily_digest_arrives_as_one_signed_message_exactly_once(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    client = await harness.start(digest_hour=7)
    subscription = (
        await client.post(
            "/subscriptions",
            json={"url": receiver.url + "/digest", "mode": "daily_digest", "filter": {"countries": ["EE"]}},
        )
    ).json()
    events = [assigned("EE", "defence"), assigned("EE", "foreign-affairs"), assigned("LV", "defence")]
    await harness.publish(*events)

    async def held() -> bool:
        preview = (await client.get(f"/subscriptions/{subscription['id']}/digest")).json()
        return bool(preview["waiting"] == 2)

    await eventually(held, 60)
    assert receiver.requests == []  # nothing is sent before the digest hour

    send_at = next_send_time(datetime.now(UTC), hour=7, zone=UTC) + timedelta(minutes=1)
    scheduler = state_of(client.app, NotifierState).digest_scheduler  # type: ignore[attr-defined]
    assert await scheduler.run_once(send_at) == 1
    assert await scheduler.run_once(send_at + timedelta(hours=1)) == 0  # same day: never twice
    await eventually(lambda: len(receiver.requests) == 1, 60)

    digest = Webhook(subscription["secret"]).verify(receiver.requests[0].body, receiver.requests[0].headers)
    assert digest["type"] == "digest.daily"
    assert digest["data"]["count"] == 2
    assert digest["data"]["day"] == send_at.date().isoformat()
    assert sorted(e["id"] for e in digest["data"]["events"]) == sorted(e.id for e in events[:2])
    assert {e["type"] for e in digest["data"]["events"]} == {"commitment.assigned"}

    restarted = await harness.start(digest_hour=7)  # a second replica, or the service after a restart
    assert await state_of(restarted.app, NotifierState).digest_scheduler.run_once(send_at) == 0  # type: ignore[attr-defined]
    deliveries = (await client.get(f"/subscriptions/{subscription['id']}/deliveries")).json()["items"]
    assert [d["event_type"] for d in deliveries] == ["digest.daily"]
    assert len(receiver.requests) == 1
