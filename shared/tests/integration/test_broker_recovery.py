"""A broker that freezes, loses its topics or comes back empty, against a real broker, on SQLite and PostgreSQL.

Two runtimes play two services: `origin` publishes through its outbox, `reader` consumes through its inbox,
each with its own database, as ingest and the tracker do.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.db import make_metadata
from resolute.shared.events import Envelope
from resolute.shared.events.catalogue import CommitmentWithdrawnV1
from resolute.shared.messaging import define_messaging_tables
from resolute.shared.runtime import ServiceRuntime, build_runtime
from resolute.shared.settings import ServiceSettings
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import DatabaseFactory, eventually
from resolute.shared.topics import COMMITMENTS, ConsumerGroup, declared_topics

pytestmark = pytest.mark.integration

GROUP = ConsumerGroup("recovery-group", "reader", (COMMITMENTS.name,))


def _withdrawn(n: int) -> CommitmentWithdrawnV1:
    return CommitmentWithdrawnV1(commitment_id=f"c{n}", document_id="d1", reason="test")


@dataclass
class Service:
    runtime: ServiceRuntime
    handled: list[str]
    started: list[str]  # handlers entered (some may be waiting at a gate)

    async def publish(self, *numbers: int) -> None:
        async with self.runtime.sessionmaker() as session, session.begin():
            for n in numbers:
                await self.runtime.outbox.add(session, _withdrawn(n), key=f"c{n}")

    async def sent(self) -> int:
        outbox = self.runtime.tables.outbox
        async with self.runtime.sessionmaker() as session:
            query = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_not(None))
            return int(await session.scalar(query) or 0)

    async def checks(self) -> dict[str, object]:
        return await self.runtime.readiness()


@contextlib.asynccontextmanager
async def service(
    url: str,
    broker: TansuBroker,
    *,
    name: str,
    consume: bool,
    create_topics: bool = True,
    gate: asyncio.Event | None = None,
    check_interval: float = 0.5,
) -> AsyncIterator[Service]:
    metadata = make_metadata()
    tables = define_messaging_tables(metadata)
    settings = ServiceSettings(
        service_name=name,
        database_url=url,
        kafka_bootstrap_servers=broker.bootstrap_servers,
        kafka_session_timeout_ms=2000,
        kafka_create_topics=create_topics,
        kafka_commit_timeout_seconds=2,
        broker_check_interval_seconds=check_interval,
        broker_check_timeout_seconds=1.5,
    )
    runtime = build_runtime(settings, tables)
    async with runtime.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    handled: list[str] = []
    started: list[str] = []

    async def handle(session: AsyncSession, envelope: Envelope) -> None:
        data = envelope.typed_data()
        assert isinstance(data, CommitmentWithdrawnV1)
        started.append(data.commitment_id)
        if gate is not None:
            await gate.wait()
        handled.append(data.commitment_id)

    if consume:
        runtime.consume(GROUP, {"commitment.withdrawn.v1": handle})
    for component in runtime.components:
        await component.start()
    try:
        yield Service(runtime, handled, started)
    finally:
        for component in reversed(runtime.components):
            await component.stop()
        await runtime.engine.dispose()


@pytest.fixture
def two_databases(database_factory: DatabaseFactory, backend: str) -> tuple[str, str]:
    return database_factory.create_empty(backend), database_factory.create_empty(backend)


async def _partition_counts(broker: TansuBroker) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    await admin.start()
    try:
        names = [t.name for t in declared_topics() if t.name in set(await admin.list_topics())]
        return {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics(names)} if names else {}
    finally:
        await admin.close()


async def test_a_frozen_broker_is_reported_until_it_answers_again(two_databases: tuple[str, str]) -> None:
    broker = TansuBroker()
    broker.start()
    try:
        async with service(two_databases[0], broker, name="reader", consume=True) as reader:
            await eventually(lambda: _is(reader, consumer="assigned", broker="ok"), 30)
            broker.freeze()
            checks = await eventually(lambda: _is_not(reader, broker="ok"), 20)
            assert str(checks["broker"]).startswith("unavailable: no answer"), checks  # type: ignore[index]
            assert checks["consumer"] != "assigned", checks  # type: ignore[index]
            broker.thaw()
            await eventually(lambda: _is(reader, consumer="assigned", broker="ok", topics="ok"), 30)
    finally:
        broker.stop()


async def test_missing_and_wrongly_partitioned_topics_are_reported(two_databases: tuple[str, str]) -> None:
    """Where the service does not create topics (production), it says which are missing or wrong."""
    broker = TansuBroker()
    broker.start()
    try:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
        await admin.start()
        try:
            declared = [NewTopic(t.name, t.partitions, 1) for t in declared_topics() if t.name != COMMITMENTS.name]
            await admin.create_topics([*declared[1:], NewTopic(COMMITMENTS.name, 2, 1)])
        finally:
            await admin.close()
        async with service(two_databases[0], broker, name="reader", consume=False, create_topics=False) as reader:
            checks = await eventually(lambda: _is_not(reader, topics="checking"), 20)
            topics = str(checks["topics"])  # type: ignore[index]
            assert f"missing {declared[0].name}" in topics, topics
            assert f"{COMMITMENTS.name} has 2 partitions, declared {COMMITMENTS.partitions}" in topics, topics
            assert checks["broker"] == "ok"  # type: ignore[index]
    finally:
        broker.stop()


async def test_after_a_restart_topics_come_back_with_the_declared_partitions(two_databases: tuple[str, str]) -> None:
    broker = TansuBroker()
    broker.start()
    try:
        async with service(two_databases[0], broker, name="origin", consume=False) as origin:
            await origin.publish(1)
            await eventually(lambda: origin.sent(), 30)
            broker.restart()
            # a client asking for a topic first makes the broker create it with its default partition count
            producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers, enable_idempotence=False)
            await producer.start()
            try:
                await producer.send_and_wait(COMMITMENTS.name, b"{}", key=b"early")
            finally:
                await producer.stop()

            async def declared_again() -> dict[str, int] | None:
                counts = await _partition_counts(broker)
                return counts if counts == {t.name: t.partitions for t in declared_topics()} else None

            await eventually(declared_again, 30, interval=0.5)
            await eventually(lambda: _is(origin, topics="ok", broker="ok"), 30)
    finally:
        broker.stop()


async def test_what_an_empty_broker_lost_is_published_again_from_the_retained_rows(
    two_databases: tuple[str, str],
) -> None:
    """Published and acknowledged, not yet consumed, then the broker restarts empty: the reader still gets all."""
    broker = TansuBroker()
    broker.start()
    try:
        async with service(two_databases[0], broker, name="origin", consume=False) as origin:
            await origin.publish(*range(30))
            await eventually(lambda: _equals(origin.sent(), 30), 30)
            broker.restart()
            await origin.publish(*range(30, 40))
            async with service(two_databases[1], broker, name="reader", consume=True) as reader:
                await eventually(lambda: len(set(reader.handled)) == 40, 60)
                assert sorted(reader.handled) == sorted(f"c{n}" for n in range(40))  # each once: the inbox
                await eventually(lambda: _is(reader, consumer="assigned", consumer_commits="ok"), 30)
    finally:
        broker.stop()


async def test_a_topic_another_service_re_creates_is_published_again_by_those_who_published_there(
    two_databases: tuple[str, str],
) -> None:
    """The reader's watch re-creates a wrongly partitioned topic it has never seen, and with it the records the
    origin published there: the origin learns it from the new incarnation and publishes them again."""
    broker = TansuBroker()
    broker.start()
    try:
        # both watches check once at start and then only when the test asks, so the order is the test's
        async with service(two_databases[0], broker, name="origin", consume=False, check_interval=3600) as origin:
            await eventually(lambda: _is(origin, topics="ok", broker="ok"), 30)
            admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
            await admin.start()
            try:  # as the broker does when a client asks for a topic it lost: created with another count
                await admin.delete_topics([COMMITMENTS.name])
                await eventually(lambda: _topic_gone(admin, COMMITMENTS.name), 30)
                await admin.create_topics([NewTopic(COMMITMENTS.name, 2, 1)])
            finally:
                await admin.close()
            await origin.publish(*range(5))
            await eventually(lambda: _equals(origin.sent(), 5), 30)
            seen_before = origin.runtime.broker.state.incarnation
            async with service(two_databases[1], broker, name="reader", consume=True, check_interval=3600) as reader:
                # the reader's first check (at its start) re-created the topic, and the incarnation with it
                await eventually(lambda: reader.runtime.broker.state.answering is not None, 30)
                assert reader.runtime.broker.state.incarnation not in (None, seen_before)
                await origin.runtime.broker.check()
                assert origin.runtime.broker.state.incarnation != seen_before  # (it may have re-created it again)
                assert origin.runtime.broker.state.losses >= 1

                async def all_read() -> bool:
                    # a client asking for the topic while it was gone may have had it created again with the
                    # broker's default count: each watch's next check puts it right, as it would every few seconds
                    await reader.runtime.broker.check()
                    await origin.runtime.broker.check()
                    return len(set(reader.handled)) == 5

                await eventually(all_read, 60, interval=0.5)
                assert sorted(reader.handled) == sorted(f"c{n}" for n in range(5))
    finally:
        broker.stop()


async def _topic_gone(admin: AIOKafkaAdminClient, name: str) -> bool:
    return name not in set(await admin.list_topics())


async def test_a_running_consumer_goes_on_after_the_broker_comes_back_empty(two_databases: tuple[str, str]) -> None:
    broker = TansuBroker()
    broker.start()
    try:
        async with (
            service(two_databases[0], broker, name="origin", consume=False) as origin,
            service(two_databases[1], broker, name="reader", consume=True) as reader,
        ):
            await origin.publish(*range(10))
            await eventually(lambda: len(reader.handled) == 10, 30)
            broker.restart()
            await origin.publish(*range(10, 20))
            await eventually(lambda: len(set(reader.handled)) == 20, 60)
            assert sorted(reader.handled) == sorted(f"c{n}" for n in range(20))
            # caught up: what the relay published again after the restart is read too (and skipped by the inbox)
            await eventually(
                lambda: _is(reader, consumer="assigned", consumer_commits="ok", topics="ok", consumer_lag=0), 60
            )
            # and it keeps consuming: its loop is not stuck on a commit
            await origin.publish(20)
            await eventually(lambda: "c20" in reader.handled, 30)
    finally:
        broker.stop()


async def test_an_offset_commit_the_broker_does_not_answer_is_reported_and_does_not_block_the_loop(
    two_databases: tuple[str, str],
) -> None:
    broker = TansuBroker()
    broker.start()
    gate = asyncio.Event()
    try:
        async with (
            service(two_databases[0], broker, name="origin", consume=False) as origin,
            service(two_databases[1], broker, name="reader", consume=True, gate=gate) as reader,
        ):
            await eventually(lambda: _is(reader, consumer="assigned"), 30)
            await origin.publish(1)
            await eventually(lambda: reader.started == ["c1"], 30)
            broker.freeze()  # the handler is holding the record: its offset commit goes to a frozen broker
            gate.set()
            await eventually(lambda: reader.handled == ["c1"], 10)
            checks = await eventually(lambda: _is_not(reader, consumer_commits="ok"), 20)
            assert str(checks["consumer_commits"]).startswith("failing (1 in a row)"), checks  # type: ignore[index]
            broker.thaw()
            await origin.publish(2)
            await eventually(lambda: "c2" in reader.handled, 60)
            await eventually(lambda: _is(reader, consumer="assigned", consumer_commits="ok"), 30)
            assert reader.handled.count("c1") == 1  # read again after the failed commit, and skipped by the inbox
    finally:
        broker.stop()


async def test_sent_rows_are_kept_for_the_retention_window_then_pruned(two_databases: tuple[str, str]) -> None:
    broker = TansuBroker()
    broker.start()
    try:
        async with service(two_databases[0], broker, name="origin", consume=False) as origin:
            await origin.publish(1, 2, 3)
            await eventually(lambda: _equals(origin.sent(), 3), 30)
            outbox = origin.runtime.tables.outbox
            old = datetime.now(UTC) - timedelta(days=8)
            async with origin.runtime.sessionmaker() as session, session.begin():
                await session.execute(
                    update(outbox).where(outbox.c.event_id.in_(await _ids(origin, 2))).values(sent_at=old)
                )
                await session.execute(  # an old row never sent: pruning must leave it alone
                    insert(outbox).values(
                        event_id="unsent-old", event_type="x", topic="t", payload=b"", headers={},
                        created_at=old, attempts=0,
                    )
                )  # fmt: skip
            assert origin.runtime.pruner.retention == timedelta(days=7)  # the default
            assert await origin.runtime.pruner.prune() == 2
            async with origin.runtime.sessionmaker() as session:
                left = sorted(await session.scalars(select(outbox.c.event_id)))
            assert len(left) == 2 and "unsent-old" in left
    finally:
        broker.stop()


async def _ids(s: Service, limit: int) -> list[str]:
    outbox = s.runtime.tables.outbox
    async with s.runtime.sessionmaker() as session:
        return list(await session.scalars(select(outbox.c.event_id).order_by(outbox.c.id).limit(limit)))


async def _equals(value: object, expected: int) -> bool:
    return await value == expected  # type: ignore[misc]


async def _is(s: Service, **wanted: object) -> dict[str, object] | None:
    checks = await s.checks()
    return checks if all(checks.get(k) == v for k, v in wanted.items()) else None


async def _is_not(s: Service, **unwanted: object) -> dict[str, object] | None:
    checks = await s.checks()
    return checks if all(checks.get(k) != v for k, v in unwanted.items()) else None
