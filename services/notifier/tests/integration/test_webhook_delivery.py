"""Events from the broker become signed webhook deliveries to a real local HTTP endpoint, retried with one id."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from standardwebhooks.webhooks import Webhook

from resolute.notifier.main import create_app
from resolute.notifier.settings import NotifierSettings
from resolute.shared.events import new_envelope
from resolute.shared.events.catalogue import CommitmentAssignedV1
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import WebhookReceiver, eventually, running_app, serving
from resolute.shared.topics import ASSIGNMENTS

pytestmark = pytest.mark.integration


@asynccontextmanager
async def notifier(url: str, kafka: TansuBroker) -> AsyncIterator[httpx.AsyncClient]:
    settings = NotifierSettings(
        database_url=url,
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_session_timeout_ms=2000,
        webhook_allow_private=True,
        webhook_retry_schedule=(0.2, 0.2, 0.2),
        delivery_poll_interval=0.1,
    )
    async with running_app(create_app(settings)) as client:
        yield client


async def _publish_assigned(kafka: TansuBroker, country: str) -> str:
    envelope = new_envelope(
        CommitmentAssignedV1(
            assignment_id=f"a-{country}",
            commitment_id="c1",
            document_id="d1",
            country=country,
            ministry="defence",
            text="to establish a Baltic Military Mobility Area",
            policy_area="defence",
        ),
        source="/resolute/tracker",
    )
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(ASSIGNMENTS.name, envelope.to_bytes(), key=f"a-{country}".encode())
    finally:
        await producer.stop()
    return envelope.id


async def test_delivery_is_signed_filtered_and_retried_with_one_webhook_id(
    make_database: Callable[[str], str], kafka: TansuBroker
) -> None:
    receiver = WebhookReceiver(statuses=[500, 503, 204])
    async with serving(receiver.app) as receiver_url, notifier(make_database("notifier"), kafka) as client:
        created = await client.post(
            "/subscriptions",
            json={"url": receiver_url + "/hooks/resolute", "event_types": ["commitment.assigned"],
                  "filter": {"countries": ["EE"]}},
            headers={"X-Resolute-Principal": "ministry:EE:defence"},
        )  # fmt: skip
        assert created.status_code == 201, created.text
        subscription = created.json()
        assert subscription["secret"].startswith("whsec_")
        assert subscription["owner"] == "ministry:EE:defence"

        await _publish_assigned(kafka, "LV")  # filtered out
        event_id = await _publish_assigned(kafka, "EE")
        await eventually(lambda: len(receiver.requests) == 3, 60)

        ids = {headers["webhook-id"] for headers, _ in receiver.requests}
        assert len(ids) == 1
        verifier = Webhook(subscription["secret"])
        for headers, body in receiver.requests:
            payload = verifier.verify(body, headers)
            assert payload["type"] == "commitment.assigned"
            assert payload["data"]["country"] == "EE"
        assert {body for _, body in receiver.requests} == {receiver.requests[0][1]}  # the same bytes every time

        log = (await client.get(f"/subscriptions/{subscription['id']}/deliveries")).json()["items"]
        assert len(log) == 1
        assert log[0]["event_id"] == event_id
        assert log[0]["status"] == "succeeded"
        assert [a["status_code"] for a in log[0]["attempt_log"]] == [500, 503, 204]


async def test_test_event_and_unsafe_url(make_database: Callable[[str], str], kafka: TansuBroker) -> None:
    receiver = WebhookReceiver()
    async with serving(receiver.app) as receiver_url, notifier(make_database("notifier"), kafka) as client:
        subscription = (await client.post("/subscriptions", json={"url": receiver_url + "/h"})).json()
        sent = await client.post(f"/subscriptions/{subscription['id']}/test")
        assert sent.status_code == 202
        await eventually(lambda: len(receiver.requests) == 1, 30)
        headers, body = receiver.requests[0]
        assert Webhook(subscription["secret"]).verify(body, headers)["type"] == "webhook.test"

        client.app.state.runtime.settings.webhook_allow_private = False  # type: ignore[attr-defined]
        refused = await client.post("/subscriptions", json={"url": "http://169.254.169.254/latest"})
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        unknown = await client.post("/subscriptions", json={"url": receiver_url, "event_types": ["nope"]})
        assert unknown.status_code == 422
