"""Delivery to real local receivers: retries under one webhook-id, 410, timeouts, redirects, dead letters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from resolute.notifier.deliveries.service import add_test_delivery
from resolute.notifier.subscriptions.address_policy import AddressPolicy
from resolute.notifier.subscriptions.service import create_subscription
from resolute.notifier.testing import NotifierHarness, Reply, assigned
from resolute.shared.api.subscriptions import SubscriptionIn
from resolute.shared.db import create_engine, make_sessionmaker
from resolute.shared.testing.fixtures import eventually

pytestmark = pytest.mark.integration

OWNER = {"X-Resolute-Principal": "ministry:EE:defence", "X-Resolute-Scope": "ministry:EE:defence"}


async def _subscribe(client: httpx.AsyncClient, url: str, **body: Any) -> dict[str, Any]:
    response = await client.post("/subscriptions", json={"url": url, **body}, headers=OWNER)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _deliveries(client: httpx.AsyncClient, subscription_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"/subscriptions/{subscription_id}/deliveries", params=params, headers=OWNER)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _settled(client: httpx.AsyncClient, subscription_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The log once `count` deliveries have stopped being pending."""

    async def done() -> list[dict[str, Any]] | None:
        items = await _deliveries(client, subscription_id, limit=500)
        return items if len(items) >= count and all(d["status"] != "pending" for d in items) else None

    return await eventually(done, 60)  # type: ignore[return-value]


def _metric(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_failing_twice_then_succeeding_is_three_attempts_under_one_webhook_id(harness: NotifierHarness) -> None:
    receiver = await harness.receiver([500, 503, 204])
    client = await harness.start()
    subscription = await _subscribe(
        client, receiver.url + "/hooks/resolute", event_types=["commitment.assigned"], filter={"countries": ["EE"]}
    )
    assert subscription["secret"].startswith("whsec_")
    assert subscription["owner"] == "ministry:EE:defence"

    latvian, estonian = assigned("LV"), assigned("EE")
    await harness.publish(latvian, estonian)  # the Latvian one is filtered out
    [delivery] = await _settled(client, subscription["id"])

    assert len(receiver.requests) == 3
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery["id"]}
    assert {r.body for r in receiver.requests} == {receiver.requests[0].body}  # the same bytes every time
    verifier = Webhook(subscription["secret"])
    for request in receiver.requests:
        payload = verifier.verify(request.body, request.headers)  # the raw body is what is signed
        assert payload["type"] == "commitment.assigned"
        assert payload["data"]["country"] == "EE"
        assert payload["timestamp"] and set(payload) == {"type", "timestamp", "data"}
    assert delivery["event_id"] == estonian.id
    assert delivery["status"] == "succeeded"
    log = delivery["attempt_log"]
    assert [a["status_code"] for a in log] == [500, 503, 204]
    assert [a["outcome"] for a in log] == ["failure", "failure", "success"]
    assert log[0]["next_attempt_at"] and log[2]["next_attempt_at"] is None
    assert all(a["duration_ms"] is not None for a in log)
    assert log[0]["response_body"] == "no"

    metrics = (await client.get("/metrics")).text
    assert _metric(metrics, 'resolute_notifier_webhook_attempts_total{outcome="success"}') >= 1
    assert _metric(metrics, "resolute_notifier_delivery_latency_seconds_count") >= 1


async def test_410_disables_the_subscription_and_tells_the_owner(harness: NotifierHarness) -> None:
    gone = await harness.receiver([410])
    other = await harness.receiver()
    client = await harness.start()
    doomed = await _subscribe(client, gone.url + "/old")
    told = await _subscribe(client, other.url + "/ops", event_types=["deadline.due"])  # filters do not hide it

    assert (await client.post(f"/subscriptions/{doomed['id']}/test", headers=OWNER)).status_code == 202
    await eventually(lambda: len(other.requests) == 1, 60)

    notice = Webhook(told["secret"]).verify(other.requests[0].body, other.requests[0].headers)
    assert notice["type"] == "subscription.disabled"
    assert notice["data"]["subscription_id"] == doomed["id"]
    assert "410" in notice["data"]["reason"]
    state = (await client.get(f"/subscriptions/{doomed['id']}", headers=OWNER)).json()
    assert state["enabled"] is False and "410" in state["disabled_reason"]
    [delivery] = await _deliveries(client, doomed["id"])
    assert delivery["status"] == "dead" and delivery["attempts"] == 1  # 410 is not retried
    notices = (await client.get("/subscriptions/notices", headers=OWNER)).json()["items"]
    assert [n["subscription_id"] for n in notices] == [doomed["id"]]
    assert len(gone.requests) == 1

    refused = await client.post(f"/subscriptions/{doomed['id']}/test", headers=OWNER)
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"

    async def gauge() -> bool:
        return _metric((await client.get("/metrics")).text, "resolute_notifier_disabled_subscriptions") == 1

    await eventually(gauge, 30)


async def test_a_hanging_receiver_is_cut_at_the_timeout(harness: NotifierHarness) -> None:
    receiver = await harness.receiver([Reply(hang=True)])
    client = await harness.start(webhook_timeout_seconds=1.0, webhook_retry_schedule=(30,))
    subscription = await _subscribe(client, receiver.url + "/slow")
    await client.post(f"/subscriptions/{subscription['id']}/test", headers=OWNER)

    async def timed_out() -> dict[str, Any] | None:
        [delivery] = await _deliveries(client, subscription["id"])
        return delivery if delivery["attempt_log"] else None

    delivery: dict[str, Any] = await eventually(timed_out, 60)  # type: ignore[assignment]
    [attempt] = delivery["attempt_log"]
    assert attempt["outcome"] == "timeout"
    assert attempt["status_code"] is None
    assert not receiver.released.is_set()  # the receiver is still hanging: the attempt was cut, not answered
    assert delivery["status"] == "pending" and delivery["next_attempt_at"]


async def test_a_redirect_is_not_followed(harness: NotifierHarness) -> None:
    receiver = await harness.receiver([Reply(307, {"location": "/elsewhere"})])
    client = await harness.start(webhook_retry_schedule=())
    subscription = await _subscribe(client, receiver.url + "/moved")
    await client.post(f"/subscriptions/{subscription['id']}/test", headers=OWNER)
    [delivery] = await _settled(client, subscription["id"])
    assert delivery["status"] == "dead"
    assert delivery["attempt_log"][0]["status_code"] == 307
    assert delivery["attempt_log"][0]["outcome"] == "failure"
    assert [r.path for r in receiver.requests] == ["/moved"]
    assert not receiver.to("/elsewhere")


async def test_retry_after_pushes_the_next_attempt_back(harness: NotifierHarness) -> None:
    receiver = await harness.receiver([Reply(429, {"retry-after": "3"})])
    client = await harness.start(webhook_retry_schedule=(0.1, 0.1))
    subscription = await _subscribe(client, receiver.url + "/busy")
    await client.post(f"/subscriptions/{subscription['id']}/test", headers=OWNER)
    [delivery] = await _settled(client, subscription["id"])
    first, second = delivery["attempt_log"]
    assert first["status_code"] == 429 and second["outcome"] == "success"
    waited = datetime.fromisoformat(first["next_attempt_at"]) - datetime.fromisoformat(first["attempted_at"])
    assert waited.total_seconds() >= 3  # the schedule said 0.1 s; the receiver asked for 3


async def test_dead_letters_after_the_last_attempt_then_recover_and_replay(harness: NotifierHarness) -> None:
    receiver = await harness.receiver([500, 500, 500])
    client = await harness.start(webhook_retry_schedule=(0.1, 0.1))
    subscription = await _subscribe(client, receiver.url + "/flaky")
    await client.post(f"/subscriptions/{subscription['id']}/test", headers=OWNER)
    [dead] = await _settled(client, subscription["id"])
    assert dead["status"] == "dead" and dead["attempts"] == 3 and dead["dead_at"]

    letters = (await client.get(f"/subscriptions/{subscription['id']}/dead-letters", headers=OWNER)).json()["items"]
    assert [d["id"] for d in letters] == [dead["id"]]
    assert _metric((await client.get("/metrics")).text, "resolute_notifier_dead_deliveries_total") >= 1

    recovered = await client.post(
        f"/subscriptions/{subscription['id']}/recover", json={"since": dead["created_at"]}, headers=OWNER
    )
    assert recovered.json() == {"requeued": 1}
    [delivered] = await _settled(client, subscription["id"])
    assert delivered["status"] == "succeeded" and delivered["attempts"] == 4
    assert {r.headers["webhook-id"] for r in receiver.requests} == {dead["id"]}

    replayed = await client.post(f"/subscriptions/{subscription['id']}/deliveries/{dead['id']}/replay", headers=OWNER)
    assert replayed.status_code == 202
    await eventually(lambda: len(receiver.requests) == 5, 60)
    assert {r.headers["webhook-id"] for r in receiver.requests} == {dead["id"]}
    detail = (await client.get(f"/subscriptions/{subscription['id']}/deliveries/{dead['id']}", headers=OWNER)).json()
    assert detail["payload"]["type"] == "webhook.test"
    missing = await client.post(f"/subscriptions/{subscription['id']}/deliveries/msg_nope/replay", headers=OWNER)
    assert missing.status_code == 404


async def test_an_endpoint_failing_for_too_long_is_disabled(harness: NotifierHarness) -> None:
    receiver = await harness.receiver([500] * 100)
    client = await harness.start(webhook_retry_schedule=(0.2,) * 50, disable_after_seconds=1.0)
    subscription = await _subscribe(client, receiver.url + "/down")
    await client.post(f"/subscriptions/{subscription['id']}/test", headers=OWNER)

    async def disabled() -> dict[str, Any] | None:
        state = (await client.get(f"/subscriptions/{subscription['id']}", headers=OWNER)).json()
        return state if not state["enabled"] else None

    state: dict[str, Any] = await eventually(disabled, 60)  # type: ignore[assignment]
    assert "failed since" in state["disabled_reason"] and state["failing_since"]
    [delivery] = await _deliveries(client, subscription["id"])
    assert delivery["status"] == "dead"
    notices = (await client.get("/subscriptions/notices", headers=OWNER)).json()["items"]
    assert notices and notices[0]["kind"] == "subscription.disabled"

    enabled = await client.patch(f"/subscriptions/{subscription['id']}", json={"enabled": True}, headers=OWNER)
    assert enabled.json()["enabled"] is True and enabled.json()["failing_since"] is None


async def test_per_subscription_rate_limit_spreads_deliveries(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    client = await harness.start()
    subscription = await _subscribe(client, receiver.url + "/calm", rate_limit=2)
    for _ in range(6):
        await client.post(f"/subscriptions/{subscription['id']}/test", headers=OWNER)
    await eventually(lambda: len(receiver.requests) == 6, 60)
    arrivals = sorted(r.at for r in receiver.requests)
    # a bucket of 2 tokens refilled at 2/s: two at once, then one every half second at the soonest
    assert arrivals[-1] - arrivals[0] >= 1.5


async def test_two_replicas_never_send_one_delivery_twice(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    first = await harness.start()
    second = await harness.start()  # a second replica on the same database
    subscription = await _subscribe(first, receiver.url + "/shared", rate_limit=1000)
    for n in range(60):
        replica = first if n % 2 else second
        assert (await replica.post(f"/subscriptions/{subscription['id']}/test", headers=OWNER)).status_code == 202
    await _settled(first, subscription["id"], 60)
    ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert len(ids) == len(set(ids)) == 60  # each claimed by one replica only


async def test_a_delivery_left_claimed_by_a_crashed_replica_goes_again_with_its_id(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    engine = create_engine(harness.database_url)
    now = datetime.now(UTC)
    lease_end = now + timedelta(seconds=2)
    async with make_sessionmaker(engine)() as session, session.begin():
        subscription, secret = await create_subscription(
            session,
            SubscriptionIn(url=receiver.url + "/again"),
            owner=OWNER["X-Resolute-Principal"],
            policy=AddressPolicy(True),
            now=now,
        )
        delivery = await add_test_delivery(session, subscription, event_id="claimed-then-crashed", now=now)
        delivery.locked_until = lease_end  # claimed by a replica that died before recording its attempt
    await engine.dispose()

    client = await harness.start()
    [settled] = await _settled(client, subscription.id)
    assert [r.headers["webhook-id"] for r in receiver.requests] == [delivery.id]
    Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
    [attempt] = settled["attempt_log"]
    assert datetime.fromisoformat(attempt["attempted_at"]) >= lease_end  # nobody took it while the lease held
