"""The whole system as users run it (`resolute dev`'s stack: broker + four service processes), end to end.

Runs once on SQLite (the embedded default) and once on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from standardwebhooks.webhooks import Webhook

from resolute.cli.stack import Stack, StackConfig, free_port
from resolute.shared.testing.fixtures import REPO_ROOT, WebhookReceiver, eventually, serving
from resolute.shared.testing.postgres import PostgresServer
from resolute.shared.topics import COMMITMENTS

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-admin-" + uuid.uuid4().hex
RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"
# the extraction engine reads items only under an operative clause naming who is called on
CALLS_ON = (
    "The Baltic Assembly calls on the parliaments and governments of the Republic of Estonia, the Republic of "
    "Latvia, and the Republic of Lithuania, as well as the Baltic Council of Ministers:\n\n"
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer | None
) -> Iterator[Stack]:
    database_urls: dict[str, str] = {}
    if request.param == "postgresql":
        if postgres_server is None:
            pytest.skip("PostgreSQL is not available")
        database_urls = {
            s: postgres_server.url(postgres_server.create_database())
            for s in ("ingest", "tracker", "notifier", "gateway")
        }
    config = StackConfig(
        data_dir=Path(tmp_path_factory.mktemp(f"stack-{request.param}")),
        ports={name: free_port() for name in ("gateway", "ingest", "tracker", "notifier")},
        broker_port=free_port(),
        admin_key=ADMIN_KEY,
        database_urls=database_urls,
        retry_schedule="1,1,1",
    )
    stack = Stack(config)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def _gateway(stack: Stack, key: str = ADMIN_KEY) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=stack.config.url("gateway"), headers={"Authorization": f"Bearer {key}"}, timeout=30
    )


async def _all(client: httpx.AsyncClient, path: str, **params: object) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    while True:
        response = await client.get(path, params=dict(params, limit=200) | ({"cursor": cursor} if cursor else {}))
        response.raise_for_status()
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_upload_list_subscribe_and_receive_a_signed_webhook(stack: Stack) -> None:
    receiver = WebhookReceiver()
    async with serving(receiver.app) as receiver_url, _gateway(stack) as admin:
        ministry_key = (await admin.post("/v1/api-keys", json={"scope": "ministry:EE:defence"})).json()["key"]
        async with _gateway(stack, ministry_key) as ministry:
            subscription = await ministry.post(
                "/v1/subscriptions",
                json={"url": f"{receiver_url}/resolute", "event_types": ["commitment.assigned"],
                      "filter": {"countries": ["EE"]}},
            )  # fmt: skip
            assert subscription.status_code == 201, subscription.text
            secret = subscription.json()["secret"]

        uploaded = await admin.post(
            "/v1/documents", files={"file": (RESOLUTION.name, RESOLUTION.read_bytes(), "text/plain")}
        )
        assert uploaded.status_code == 202, uploaded.text
        document_id = uploaded.json()["id"]
        document = (await admin.get(f"/v1/documents/{document_id}")).json()
        assert document["status"] == "processed"
        expected = document["commitment_count"]
        assert expected > 0

        async def all_listed() -> bool:
            return len(await _all(admin, "/v1/commitments", document_id=document_id)) == expected

        await eventually(all_listed, 60)
        estonian = await _all(admin, "/v1/commitments", document_id=document_id, country="EE")
        assert len(estonian) == expected

        await eventually(lambda: len(receiver.requests) >= expected, 90)
        verifier = Webhook(secret)
        countries = set()
        for headers, body in receiver.requests:
            payload = verifier.verify(body, headers)
            assert payload["type"] == "commitment.assigned"
            countries.add(payload["data"]["country"])
        assert "EE" in countries and not countries & {"LV", "LT"}


async def _document_drained(stack: Stack, admin: httpx.AsyncClient, document_id: str, expected: int) -> bool:
    commitments = await _all(admin, "/v1/commitments", document_id=document_id)
    return len(commitments) == expected and stack.drained()


@pytest.mark.parametrize("kill", [False, True], ids=["sigterm", "sigkill"])
async def test_events_published_while_the_tracker_is_down_are_processed_once(stack: Stack, kill: bool) -> None:
    async with _gateway(stack) as admin:
        stack.stop_service("tracker", kill=kill)
        text = CALLS_ON + "\n".join(f"- to coordinate measure {n} of plan {uuid.uuid4().hex};" for n in range(12))
        uploaded = (await admin.post("/v1/documents", json={"text": text, "title": "restart test"})).json()
        listing = await admin.get("/v1/commitments", params={"document_id": uploaded["id"]})
        assert listing.status_code == 503  # the tracker is down; the rest of the API is not
        assert (await admin.get(f"/v1/documents/{uploaded['id']}")).status_code == 200
        stack.start_service("tracker")
        stack.wait_ready("tracker")
        count = (await admin.get(f"/v1/documents/{uploaded['id']}")).json()["commitment_count"]
        assert count == 12
        await eventually(lambda: _document_drained(stack, admin, uploaded["id"], count), 90)
        assignments = await _all(admin, "/v1/assignments", document_id=uploaded["id"])
        keys = [(a["commitment_id"], a["country"], a["ministry"], a["body"]) for a in assignments]
        assert len(keys) == len(set(keys)) == count * 4  # EE, LV, LT and the Baltic Council of Ministers


async def test_a_message_that_cannot_be_parsed_is_dead_lettered_and_the_consumer_goes_on(stack: Stack) -> None:
    def dead_letters() -> float:
        text = httpx.get(stack.config.url("tracker") + "/metrics").text
        total = 0.0
        for line in text.splitlines():
            if line.startswith("resolute_dead_letters_total{") and 'group="resolute-tracker"' in line:
                total += float(line.rsplit(" ", 1)[1])
        return total

    before = dead_letters()
    producer = AIOKafkaProducer(bootstrap_servers=stack.config.bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(COMMITMENTS.name, b"{ this is not an event", key=b"junk")
    finally:
        await producer.stop()
    await eventually(lambda: dead_letters() == before + 1, 60)
    async with _gateway(stack) as admin:
        text = f"{CALLS_ON}- to act on {uuid.uuid4().hex};"
        uploaded = (await admin.post("/v1/documents", json={"text": text})).json()
        await eventually(lambda: _document_drained(stack, admin, uploaded["id"], 1), 60)
