"""Tracker consumes commitments from the broker and fans them out, once, whatever the broker re-delivers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from resolute.shared.events import new_envelope
from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import eventually, running_app
from resolute.shared.topics import COMMITMENTS
from resolute.tracker.main import create_app
from resolute.tracker.settings import TrackerSettings

pytestmark = pytest.mark.integration

PUBLISHED = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _extracted(
    n: int, document_id: str = "doc-1", countries: tuple[str, ...] = ("EE", "LV", "LT")
) -> CommitmentExtractedV1:
    return CommitmentExtractedV1(
        commitment_id=f"{document_id}-c{n}",
        document_id=document_id,
        document_kind="resolution",
        position=n,
        text=f"to cooperate on energy security measure {n}",
        span=(n * 10, n * 10 + 9),
        countries=list(countries),
        bodies=["Baltic Council of Ministers"],
        ministries=[{"country": "EE", "ministry": "climate"}],
        policy_area="energy",
    )


@pytest.fixture
async def tracker(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[httpx.AsyncClient]:
    settings = TrackerSettings(
        database_url=make_database("tracker"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_session_timeout_ms=2000,
    )
    async with running_app(create_app(settings)) as client:
        yield client


async def _publish(kafka: TansuBroker, envelopes: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        for raw in envelopes:
            await producer.send_and_wait(COMMITMENTS.name, raw)
    finally:
        await producer.stop()


async def _all_pages(client: httpx.AsyncClient, path: str, **params: object) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    while True:
        query = dict(params) | ({"cursor": cursor} if cursor else {})
        page = (await client.get(path, params=query)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_commitments_fan_out_once_despite_redelivery(tracker: httpx.AsyncClient, kafka: TansuBroker) -> None:
    envelopes = [new_envelope(_extracted(n), source="/resolute/ingest", time=PUBLISHED).to_bytes() for n in range(5)]
    await _publish(kafka, envelopes + envelopes[:2])  # the broker hands two of them out again

    async def fanned_out() -> bool:
        return len(await _all_pages(tracker, "/assignments", limit=7)) == 5 * 4

    await eventually(fanned_out, 60)
    commitments = await _all_pages(tracker, "/commitments", limit=2)
    assert [c["position"] for c in commitments] == [0, 1, 2, 3, 4]
    detail = (await tracker.get(f"/commitments/{commitments[0]['id']}")).json()
    assert sorted((a["country"] or a["body"]) for a in detail["assignments"]) == [
        "Baltic Council of Ministers", "EE", "LT", "LV",
    ]  # fmt: skip
    estonia = next(a for a in detail["assignments"] if a["country"] == "EE")
    assert estonia["ministry"] == "climate"
    assert estonia["status"] == "not_reported"
    # a re-sent copy of an event already processed changes nothing
    await _publish(kafka, envelopes[:1])
    await eventually(lambda: _lag_zero(tracker), 30)
    assert len(await _all_pages(tracker, "/assignments")) == 20


async def _lag_zero(client: httpx.AsyncClient) -> bool:
    checks = (await client.get("/readyz")).json()["checks"]
    return checks.get("consumer_lag") == 0 and checks.get("outbox_backlog") == 0


async def test_commitment_filters(tracker: httpx.AsyncClient, kafka: TansuBroker) -> None:
    envelopes = [new_envelope(_extracted(n, "doc-a"), source="/resolute/ingest").to_bytes() for n in range(3)]
    envelopes += [new_envelope(_extracted(9, "doc-b", ("EE",)), source="/resolute/ingest").to_bytes()]
    await _publish(kafka, envelopes)

    async def arrived() -> bool:
        return len(await _all_pages(tracker, "/commitments")) == 4

    await eventually(arrived, 60)
    assert len(await _all_pages(tracker, "/commitments", document_id="doc-a")) == 3
    assert len(await _all_pages(tracker, "/commitments", country="lt")) == 3
    assert len(await _all_pages(tracker, "/commitments", ministry="climate")) == 4
    assert len(await _all_pages(tracker, "/commitments", q="MEASURE 9")) == 1
    assert len(await _all_pages(tracker, "/commitments", status="completed")) == 0
    bad = await tracker.get("/commitments", params={"status": "done-ish"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert (await tracker.get("/commitments", params={"country": "EST"})).status_code == 422
    assert (await tracker.get("/commitments", params={"cursor": "garbage!"})).status_code == 400
