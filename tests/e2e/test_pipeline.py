"""The whole system as users run it (`resolute dev`'s stack: broker + four service processes), end to end.

Runs once on SQLite (the embedded default) and once on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from standardwebhooks.webhooks import Webhook

from resolute.cli.stack import Stack
from resolute.cli.testing import all_pages, gateway_client, running_stack, upload_file
from resolute.shared.testing.fixtures import BACKENDS, REPO_ROOT, WebhookReceiver, eventually, serving
from resolute.shared.testing.postgres import PostgresServer
from resolute.shared.topics import COMMITMENTS

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-admin-" + uuid.uuid4().hex
RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"


def resolution_text(items: int) -> str:
    """A small Baltic Assembly-style resolution with `items` unique commitments (unique content, new document)."""
    run = uuid.uuid4().hex
    lines = "\n".join(f"- to coordinate measure {n} of plan {run};" for n in range(items))
    return (
        "The Baltic Assembly,\n\ncalls on the parliaments and governments of the Republic of Estonia, the Republic "
        "of Latvia, and the Republic of Lithuania, as well as the Baltic Council of Ministers:\n\n"
        f"regarding the coordination of plans:\n\n{lines}\n"
    )


@pytest.fixture(scope="module", params=BACKENDS)
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer | None
) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp(f"stack-{request.param}"),
        request.param,
        postgres_server,
        admin_key=ADMIN_KEY,
        retry_schedule="1,1,1",
    ) as running:
        yield running


async def test_upload_list_subscribe_and_receive_a_signed_webhook(stack: Stack) -> None:
    receiver = WebhookReceiver()
    async with serving(receiver.app) as receiver_url, gateway_client(stack) as admin:
        ministry_key = (await admin.post("/v1/api-keys", json={"scope": "ministry:EE:defence"})).json()["key"]
        async with gateway_client(stack, ministry_key) as ministry:
            subscription = await ministry.post(
                "/v1/subscriptions",
                json={"url": f"{receiver_url}/resolute", "event_types": ["commitment.assigned"],
                      "filter": {"countries": ["EE"]}},
            )  # fmt: skip
            assert subscription.status_code == 201, subscription.text
            secret = subscription.json()["secret"]

        document_id = await upload_file(admin, RESOLUTION)
        document = (await admin.get(f"/v1/documents/{document_id}")).json()
        assert document["status"] == "processed"
        expected = document["commitment_count"]
        assert expected > 0

        async def all_listed() -> bool:
            return len(await all_pages(admin, "/v1/commitments", document_id=document_id)) == expected

        await eventually(all_listed, 60)
        estonian = await all_pages(admin, "/v1/commitments", document_id=document_id, country="EE")
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
    commitments = await all_pages(admin, "/v1/commitments", document_id=document_id)
    return len(commitments) == expected and stack.drained()


@pytest.mark.parametrize("kill", [False, True], ids=["sigterm", "sigkill"])
async def test_events_published_while_the_tracker_is_down_are_processed_once(stack: Stack, kill: bool) -> None:
    async with gateway_client(stack) as admin:
        stack.stop_service("tracker", kill=kill)
        uploaded = (
            await admin.post(
                "/v1/documents", json={"text": resolution_text(12), "title": "restart", "publish": "at_once"}
            )
        ).json()
        listing = await admin.get("/v1/commitments", params={"document_id": uploaded["id"]})
        assert listing.status_code == 503  # the tracker is down; the rest of the API is not
        assert (await admin.get(f"/v1/documents/{uploaded['id']}")).status_code == 200
        stack.start_service("tracker")
        stack.wait_ready("tracker")
        count = (await admin.get(f"/v1/documents/{uploaded['id']}")).json()["commitment_count"]
        assert count == 12
        await eventually(lambda: _document_drained(stack, admin, uploaded["id"], count), 90)
        assignments = await all_pages(admin, "/v1/assignments", document_id=uploaded["id"])
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
    async with gateway_client(stack) as admin:
        uploaded = (await admin.post("/v1/documents", json={"text": resolution_text(1), "publish": "at_once"})).json()
        await eventually(lambda: _document_drained(stack, admin, uploaded["id"], 1), 60)
