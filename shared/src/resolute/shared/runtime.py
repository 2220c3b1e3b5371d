"""Wires a service's database, outbox relay and consumer from its settings: the same plumbing in all four."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiokafka.structs import RecordMetadata
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from resolute.shared.clock import Clock
from resolute.shared.db import create_engine, make_sessionmaker, read_only
from resolute.shared.logging import get_logger
from resolute.shared.messaging.broker_watch import BrokerLoss, BrokerWatch
from resolute.shared.messaging.consumer import EventHandler, InboxConsumer
from resolute.shared.messaging.outbox import Outbox, OutboxPruner, OutboxRelay
from resolute.shared.messaging.publisher import KafkaPublisher, ensure_topics
from resolute.shared.messaging.tables import MessagingTables
from resolute.shared.settings import ServiceSettings
from resolute.shared.topics import BROKER_INCARNATION, ConsumerGroup, Topic, declared_topics
from resolute.shared.web.app import Component

log = get_logger(__name__)


class TopicInitializer:
    """Creates the declared topics before the first publish or subscription (embedded stack); later callers
    just wait for it. Topics that go missing afterwards (a broker restarted empty) the `BrokerWatch` re-creates."""

    def __init__(
        self, bootstrap_servers: str, *, enabled: bool, timeout_ms: int, topics: Sequence[Topic] | None = None
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._enabled = enabled
        self._timeout_ms = timeout_ms
        self._topics = topics
        self._done = not enabled
        self._lock = asyncio.Lock()

    async def ensure(self) -> None:
        if self._done:
            return
        async with self._lock:
            if not self._done:
                await ensure_topics(self._bootstrap, session_timeout_ms=self._timeout_ms, topics=self._topics)
                self._done = True
                log.info("topics_ready")


class _TopicsFirstPublisher(KafkaPublisher):
    def __init__(self, bootstrap_servers: str, *, client_id: str, topics: TopicInitializer) -> None:
        super().__init__(bootstrap_servers, client_id=client_id)
        self._topics = topics

    async def publish_many(self, messages: Any) -> list[RecordMetadata]:
        await self._topics.ensure()
        return await super().publish_many(messages)


class _TopicsFirstConsumer(InboxConsumer):
    def __init__(self, *, topics: TopicInitializer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._topics = topics

    async def _connect(self) -> Any:
        await self._topics.ensure()
        return await super()._connect()


@dataclass
class ServiceRuntime:
    """What a service's lifespan runs besides HTTP: relay, consumer (if it consumes), extra workers."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    read_sessionmaker: async_sessionmaker[AsyncSession]
    tables: MessagingTables
    outbox: Outbox
    publisher: KafkaPublisher
    relay: OutboxRelay
    pruner: OutboxPruner
    broker: BrokerWatch
    topics: TopicInitializer
    clock: Clock
    consumer: InboxConsumer | None = None
    workers: list[Component] = field(default_factory=list)

    def consume(self, group: ConsumerGroup, handlers: dict[str, EventHandler]) -> InboxConsumer:
        self.consumer = _TopicsFirstConsumer(
            topics=self.topics,
            group=group,
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            sessionmaker=self.sessionmaker,
            tables=self.tables,
            outbox=self.outbox,
            handlers=handlers,
            session_timeout_ms=self.settings.kafka_session_timeout_ms,
            commit_timeout=self.settings.kafka_commit_timeout_seconds,
            rewind_epochs=self.broker.epochs,
        )
        return self.consumer

    @property
    def components(self) -> list[Component]:
        parts: list[Component] = [self.broker, self.relay, self.pruner]
        if self.consumer is not None:
            parts.append(self.consumer)
        parts.extend(self.workers)
        parts.append(_PublisherCloser(self.publisher))
        return parts

    async def readiness(self) -> dict[str, Any]:
        """Broker and pipeline state for /readyz, as the broker watch and the consumer last found it. Reads keep
        working while the broker is away, so this reports rather than failing the probe."""
        backlog, _ = await self.relay.backlog()
        broker = self.broker.broker_status()
        if broker == "ok" and self.relay.last_error is not None:
            broker = f"unavailable: {self.relay.last_error}"
        checks: dict[str, Any] = {
            "broker": broker,
            "topics": self.broker.topics_status(),
            "outbox_backlog": backlog,
        }
        if self.consumer is not None:
            commits = self.consumer.commit_error
            if not self.consumer.assigned:
                checks["consumer"] = "joining"
            elif broker.startswith("unavailable"):
                checks["consumer"] = "stalled: the broker does not answer"
            elif commits:
                checks["consumer"] = "stalled: offset commits fail"
            else:
                checks["consumer"] = "assigned"
            checks["consumer_commits"] = (
                "ok" if commits is None else f"failing ({self.consumer.commit_failures} in a row): {commits}"
            )
            checks["consumer_lag"] = self.consumer.total_lag
            if self.consumer.last_error:
                checks["consumer_error"] = self.consumer.last_error
        return checks


class _PublisherCloser:
    """Stops the producer last, after the relay that uses it."""

    def __init__(self, publisher: KafkaPublisher) -> None:
        self._publisher = publisher

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self._publisher.stop()


def build_runtime(settings: ServiceSettings, tables: MessagingTables) -> ServiceRuntime:
    engine = create_engine(settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    outbox = Outbox(tables, source=f"/resolute/{settings.service_name}")
    outbox.watch(sessionmaker)
    managed_topics = (*declared_topics(), BROKER_INCARNATION)
    topics = TopicInitializer(
        settings.kafka_bootstrap_servers,
        enabled=settings.kafka_create_topics,
        timeout_ms=max(settings.kafka_session_timeout_ms, 5000),
        topics=managed_topics,
    )
    publisher = _TopicsFirstPublisher(
        settings.kafka_bootstrap_servers, client_id=f"resolute-{settings.service_name}", topics=topics
    )
    relay = OutboxRelay(engine, sessionmaker, tables, outbox, publisher)
    broker = BrokerWatch(
        settings.kafka_bootstrap_servers,
        sessionmaker=sessionmaker,
        tables=tables,
        manage_topics=settings.kafka_create_topics,
        interval=settings.broker_check_interval_seconds,
        timeout=settings.broker_check_timeout_seconds,
        publishing=relay.publishing,
    )
    broker.follow_acknowledgements(lambda: relay.acknowledged)

    async def republish(loss: BrokerLoss) -> None:
        if relay.is_leader:  # on PostgreSQL the publishing replica queues the rows; the others would repeat it
            await relay.republish_lost(loss.topics, reason=loss.reason)

    broker.on_loss(republish)
    pruner = OutboxPruner(
        sessionmaker,
        tables,
        retention=timedelta(days=settings.outbox_retention_days),
        interval=settings.outbox_prune_interval_seconds,
    )
    return ServiceRuntime(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        read_sessionmaker=make_sessionmaker(read_only(engine)),
        tables=tables,
        outbox=outbox,
        publisher=publisher,
        relay=relay,
        pruner=pruner,
        broker=broker,
        topics=topics,
        clock=Clock(settings.now),
    )
