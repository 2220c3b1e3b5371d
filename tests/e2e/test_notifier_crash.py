"""SIGKILL the notifier with a thousand deliveries pending: after a restart every one arrives, each under one id.

The whole stack runs as processes (`resolute dev`'s Stack); the receiver is a real local HTTP server that
refuses the first deliveries (so many are waiting for a retry when the notifier dies) and then accepts.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from standardwebhooks.webhooks import Webhook

from resolute.cli.stack import Stack
from resolute.cli.testing import all_pages, gateway_client, running_stack
from resolute.notifier.testing import Reply, ScriptedReceiver, assigned
from resolute.shared.testing.fixtures import BACKENDS, eventually, serving
from resolute.shared.testing.postgres import PostgresServer
from resolute.shared.topics import ASSIGNMENTS

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-crash-" + uuid.uuid4().hex
EVENTS = 1000
REFUSED_FIRST = 600  # the receiver answers 503 to this many requests, then 200


@pytest.fixture(params=BACKENDS)
def stack(request: pytest.FixtureRequest, tmp_path: Path, postgres_server: PostgresServer | None) -> Iterator[Stack]:
    with running_stack(
        tmp_path,
        request.param,
        postgres_server,
        admin_key=ADMIN_KEY,
        drain=False,
        retry_schedule=",".join(["0.5"] * 4 + ["1"] * 30),
        extra_env={
            "RESOLUTE_NOTIFIER_WEBHOOK_TIMEOUT": "5",  # a lease left by the killed process expires sooner
            "RESOLUTE_NOTIFIER_POLL_INTERVAL": "0.1",
            "RESOLUTE_NOTIFIER_MONITOR_INTERVAL": "0.5",
        },
    ) as running:
        yield running


def _notifier_gauge(stack: Stack, name: str) -> float | None:
    try:
        text = httpx.get(stack.config.url("notifier") + "/metrics", timeout=5).text
    except httpx.HTTPError:
        return None
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


@pytest.mark.timeout(900)  # a thousand deliveries, a kill and a restart on a shared two-core machine
async def test_a_killed_notifier_loses_and_duplicates_nothing(stack: Stack) -> None:
    receiver = ScriptedReceiver([Reply(503)] * REFUSED_FIRST)
    async with (
        serving(receiver.app) as receiver_url,
        gateway_client(stack, timeout=30) as gateway,
    ):
        created = await gateway.post(
            "/v1/subscriptions",
            json={"url": receiver_url + "/hook", "event_types": ["commitment.assigned"], "rate_limit": 1000},
        )
        assert created.status_code == 201, created.text
        subscription: dict[str, Any] = created.json()

        events = [assigned("EE", assignment_id=f"crash-{n}") for n in range(EVENTS)]
        producer = AIOKafkaProducer(bootstrap_servers=stack.config.bootstrap_servers, enable_idempotence=False)
        await producer.start()
        try:
            for envelope in events:
                await producer.send(ASSIGNMENTS.name, envelope.to_bytes(), key=(envelope.subject or "").encode())
            await producer.flush()
        finally:
            await producer.stop()

        # kill it mid-flight: some delivered, many waiting for a retry, some with an attempt under way
        await eventually(lambda: len(receiver.requests) >= REFUSED_FIRST + 200, 180)
        stack.stop_service("notifier", kill=True)
        delivered_before_kill = {r.headers["webhook-id"] for r in receiver.requests if r.status == 200}
        assert len(delivered_before_kill) < EVENTS, "everything arrived before the kill; the test proved nothing"

        stack.start_service("notifier")
        stack.wait_ready("notifier")

        def arrived() -> set[str]:
            return {json.loads(r.body)["data"]["assignment_id"] for r in receiver.requests if r.status == 200}

        await eventually(lambda: len(arrived()) == EVENTS, 300)
        await eventually(lambda: _notifier_gauge(stack, "resolute_notifier_queue_depth") == 0, 60)

    verifier = Webhook(subscription["secret"])
    ids_per_event: dict[str, set[str]] = defaultdict(set)
    for request in receiver.requests:
        payload = verifier.verify(request.body, request.headers)
        ids_per_event[payload["data"]["assignment_id"]].add(request.headers["webhook-id"])
    assert set(ids_per_event) == {f"crash-{n}" for n in range(EVENTS)}
    assert all(len(ids) == 1 for ids in ids_per_event.values())  # a repeat, if any, carries the same id
    assert len(set().union(*ids_per_event.values())) == EVENTS

    async with gateway_client(stack, timeout=30) as gateway:
        logged = await all_pages(gateway, f"/v1/subscriptions/{subscription['id']}/deliveries", limit=500)
    assert len(logged) == EVENTS and {d["status"] for d in logged} == {"succeeded"}
