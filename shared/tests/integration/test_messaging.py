"""Outbox relay, inbox consumer and dead letters against a real broker, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import REGISTRY
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.db import make_metadata
from resolute.shared.events import Envelope, new_envelope
from resolute.shared.events.catalogue import CommitmentWithdrawnV1
from resolute.shared.messaging import define_messaging_tables
from resolute.shared.messaging.consumer import PoisonMessage
from resolute.shared.runtime import ServiceRuntime, build_runtime
from resolute.shared.settings import ServiceSettings
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import DatabaseFactory, eventually
from resolute.shared.topics import COMMITMENTS, ConsumerGroup

pytestmark = pytest.mark.integration

GROUP = ConsumerGroup("test-group", "test", (COMMITMENTS.name,))


def _withdrawn(n: int) -> CommitmentWithdrawnV1:
    return CommitmentWithdrawnV1(commitment_id=f"c{n}", document_id="d1", reason="test")


@dataclass
class Harness:
    runtime: ServiceRuntime
    handled: list[str]
    broker: TansuBroker

    async def publish_through_outbox(self, *events: CommitmentWithdrawnV1) -> list[Envelope]:
        envelopes = []
        async with self.runtime.sessionmaker() as session, session.begin():
            for event in events:
                envelopes.append(await self.runtime.outbox.add(session, event, key=event.commitment_id))
        return envelopes

    async def processed(self, outcome: str | None = None) -> int:
        table = self.runtime.tables.processed_messages
        query = select(func.count()).select_from(table)
        if outcome:
            query = query.where(table.c.outcome == outcome)
        async with self.runtime.sessionmaker() as session:
            return int(await session.scalar(query) or 0)


@contextlib.asynccontextmanager
async def harness(url: str, broker: TansuBroker, fail_on: set[str] | None = None) -> AsyncIterator[Harness]:
    metadata = make_metadata()
    tables = define_messaging_tables(metadata)
    settings = ServiceSettings(
        service_name="test",
        database_url=url,
        kafka_bootstrap_servers=broker.bootstrap_servers,
        kafka_session_timeout_ms=2000,
    )
    runtime = build_runtime(settings, tables)
    async with runtime.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    handled: list[str] = []

    async def handle(session: AsyncSession, envelope: Envelope) -> None:
        data = envelope.typed_data()
        assert isinstance(data, CommitmentWithdrawnV1)
        if fail_on and data.commitment_id in fail_on:
            if data.commitment_id.startswith("poison"):
                raise PoisonMessage("cannot ever work")
            raise RuntimeError("handler keeps failing")
        handled.append(data.commitment_id)

    consumer = runtime.consume(GROUP, {"commitment.withdrawn.v1": handle})
    consumer._retry_delays = (0.05, 0.05)
    for component in runtime.components:
        await component.start()
    # the declared topics first: a test's own producer would otherwise make the broker create one with its
    # default partition count, which the service then re-creates (and the test's message with it is gone)
    await eventually(lambda: runtime.broker.topics_status() == "ok", 30)
    try:
        yield Harness(runtime, handled, broker)
    finally:
        for component in reversed(runtime.components):
            await component.stop()
        await runtime.engine.dispose()


def _consumed(outcome: str) -> float:
    labels = {"group": GROUP.name, "topic": COMMITMENTS.name, "outcome": outcome}
    return REGISTRY.get_sample_value("resolute_events_consumed_total", labels) or 0.0


@pytest.fixture
def empty_database(database_factory: DatabaseFactory, backend: str) -> str:
    return database_factory.create_empty(backend)


async def test_outbox_events_reach_the_consumer_once_even_when_published_twice(
    empty_database: str, kafka: TansuBroker
) -> None:
    duplicates_before = _consumed("duplicate")
    async with harness(empty_database, kafka) as h:
        envelopes = await h.publish_through_outbox(_withdrawn(1), _withdrawn(2))
        await eventually(lambda: len(h.handled) == 2)
        # the relay's at-least-once: the same message on the topic again is recognised and skipped
        producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=False)
        await producer.start()
        await producer.send_and_wait(COMMITMENTS.name, envelopes[0].to_bytes(), key=b"c1")
        await producer.send_and_wait(COMMITMENTS.name, new_envelope(_withdrawn(3), source="t").to_bytes(), key=b"c3")
        await producer.stop()
        await eventually(lambda: len(h.handled) == 3)
        await eventually(lambda: _consumed("duplicate") == duplicates_before + 1)
        assert sorted(h.handled) == ["c1", "c2", "c3"]
        assert await h.processed() == 3
        backlog, _ = await h.runtime.relay.backlog()
        assert backlog == 0


async def test_events_added_in_bulk_keep_their_order_and_their_ids_stay_unique(
    empty_database: str, kafka: TansuBroker
) -> None:
    async with harness(empty_database, kafka) as h:
        events = [(_withdrawn(n), f"c{n}", f"bulk:{n}") for n in range(1, 601)]
        async with h.runtime.sessionmaker() as session, session.begin():
            envelopes = await h.runtime.outbox.add_many(session, events)
            await h.runtime.outbox.add_many(session, [*events[:3], (_withdrawn(601), "c601", "bulk:601")])
        assert [e.id for e in envelopes] == [f"bulk:{n}" for n in range(1, 601)]
        outbox = h.runtime.tables.outbox
        async with h.runtime.sessionmaker() as session:
            stored = list(await session.scalars(select(outbox.c.event_id).order_by(outbox.c.id)))
        assert stored == [f"bulk:{n}" for n in range(1, 602)]
        await eventually(lambda: len(h.handled) == 601, 60)
        assert sorted(h.handled) == sorted(f"c{n}" for n in range(1, 602))


async def test_unparseable_and_failing_messages_go_to_the_dead_letter_topic_and_the_consumer_goes_on(
    empty_database: str, kafka: TansuBroker
) -> None:
    async with harness(empty_database, kafka, fail_on={"bad", "poison"}) as h:
        before = (
            REGISTRY.get_sample_value("resolute_dead_letters_total", {"group": GROUP.name, "topic": COMMITMENTS.name})
            or 0
        )
        producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=False)
        await producer.start()
        await producer.send_and_wait(COMMITMENTS.name, b"\x00 definitely not an envelope", key=b"k")
        await producer.stop()
        await h.publish_through_outbox(
            CommitmentWithdrawnV1(commitment_id="bad", document_id="d", reason="r"),
            CommitmentWithdrawnV1(commitment_id="poison", document_id="d", reason="r"),
            _withdrawn(7),
        )
        await eventually(lambda: h.handled == ["c7"])
        await eventually(lambda: h.processed("dead_lettered"), 30)
        await eventually(lambda: _count_dead(h, 3))
        after = REGISTRY.get_sample_value(
            "resolute_dead_letters_total", {"group": GROUP.name, "topic": COMMITMENTS.name}
        )
        assert after == before + 3

        consumer = AIOKafkaConsumer(
            COMMITMENTS.dead_letter,
            bootstrap_servers=kafka.bootstrap_servers,
            group_id="dlq-reader",
            auto_offset_reset="earliest",
            session_timeout_ms=2000,
        )
        await consumer.start()
        records = []
        try:
            deadline = asyncio.get_running_loop().time() + 20
            while len(records) < 3 and asyncio.get_running_loop().time() < deadline:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    records.extend(batch)
        finally:
            await consumer.stop()
        assert len(records) == 3
        headers = [dict(r.headers) for r in records]
        assert all(h[b"x-original-topic".decode()] == COMMITMENTS.name.encode() for h in headers)
        errors = sorted(h["x-dead-letter-error"].decode() for h in headers)
        assert any("not JSON" in e for e in errors)
        assert any("keeps failing" in e for e in errors)
        assert any("cannot ever work" in e for e in errors)


async def _count_dead(h: Harness, expected: int) -> bool:
    async with h.runtime.sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(h.runtime.tables.dead_letters))
    return count == expected


async def test_outbox_keeps_events_while_the_broker_is_down_and_catches_up(
    empty_database: str, kafka: TansuBroker
) -> None:
    async with harness(empty_database, kafka) as h:
        await h.publish_through_outbox(_withdrawn(1))
        await eventually(lambda: h.handled == ["c1"])
        kafka.stop()
        await h.publish_through_outbox(_withdrawn(2), _withdrawn(3))
        await eventually(lambda: h.runtime.relay.last_error is not None, 40)  # the outage shows in /readyz
        backlog, _ = await h.runtime.relay.backlog()
        assert backlog == 2  # written, not lost, waiting for the broker
        kafka.start()  # same port; the embedded broker comes back empty, as after a restart
        await eventually(lambda: sorted(h.handled) == ["c1", "c2", "c3"], 60)
        backlog, _ = await h.runtime.relay.backlog()
        assert backlog == 0
