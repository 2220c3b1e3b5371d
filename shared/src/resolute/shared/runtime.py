"""Wires a service's database, outbox relay and consumer from its settings: the same plumbing in all four."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from resolute.shared.clock import Clock
from resolute.shared.db import create_engine, make_sessionmaker, read_only
from resolute.shared.logging import get_logger
from resolute.shared.messaging.consumer import EventHandler, InboxConsumer
from resolute.shared.messaging.outbox import Outbox, OutboxRelay
from resolute.shared.messaging.publisher import KafkaPublisher, ensure_topics
from resolute.shared.messaging.tables import MessagingTables
from resolute.shared.settings import ServiceSettings
from resolute.shared.topics import ConsumerGroup
from resolute.shared.web.app import Component

log = get_logger(__name__)


class TopicInitializer:
    """Creates the declared topics once the broker answers (embedded stack); later callers just wait for it."""

    def __init__(self, bootstrap_servers: str, *, enabled: bool, timeout_ms: int) -> None:
        self._bootstrap = bootstrap_servers
        self._enabled = enabled
        self._timeout_ms = timeout_ms
        self._done = not enabled
        self._lock = asyncio.Lock()

    async def ensure(self) -> None:
        if self._done:
            return
        async with self._lock:
            if not self._done:
                await ensure_topics(self._bootstrap, session_timeout_ms=self._timeout_ms)
                self._done = True
                log.info("topics_ready")


class _TopicsFirstPublisher(KafkaPublisher):
    def __init__(self, bootstrap_servers: str, *, client_id: str, topics: TopicInitializer) -> None:
        super().__init__(bootstrap_servers, client_id=client_id)
        self._topics = topics

    async def publish_many(self, messages: Any) -> None:
        await self._topics.ensure()
        await super().publish_many(messages)


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
        )
        return self.consumer

    @property
    def components(self) -> list[Component]:
        parts: list[Component] = [self.relay]
        if self.consumer is not None:
            parts.append(self.consumer)
        parts.extend(self.workers)
        parts.append(_PublisherCloser(self.publisher))
        return parts

    async def readiness(self) -> dict[str, Any]:
        """Broker and pipeline state for /readyz; reads keep working while the broker is away."""
        backlog, _ = await self.relay.backlog()
        checks: dict[str, Any] = {
            "broker": "ok" if self.relay.last_error is None else f"unavailable: {self.relay.last_error}",
            "outbox_backlog": backlog,
        }
        if self.consumer is not None:
            checks["consumer"] = "assigned" if self.consumer.assigned else "joining"
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
    topics = TopicInitializer(
        settings.kafka_bootstrap_servers,
        enabled=settings.kafka_create_topics,
        timeout_ms=max(settings.kafka_session_timeout_ms, 5000),
    )
    publisher = _TopicsFirstPublisher(
        settings.kafka_bootstrap_servers, client_id=f"resolute-{settings.service_name}", topics=topics
    )
    relay = OutboxRelay(engine, sessionmaker, tables, outbox, publisher)
    return ServiceRuntime(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        read_sessionmaker=make_sessionmaker(read_only(engine)),
        tables=tables,
        outbox=outbox,
        publisher=publisher,
        relay=relay,
        topics=topics,
        clock=Clock(settings.now),
    )
