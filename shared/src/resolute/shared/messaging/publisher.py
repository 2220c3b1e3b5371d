"""A Kafka producer that waits for acks=all and survives a broker that is not there yet."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection, Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError, UnknownTopicOrPartitionError
from aiokafka.structs import RecordMetadata

from resolute.shared.logging import get_logger
from resolute.shared.topics import Topic, declared_topics

log = get_logger(__name__)


class KafkaPublisher:
    """Wraps AIOKafkaProducer. Idempotence is off: the embedded broker lacks InitProducerId, and consumers dedupe."""

    def __init__(self, bootstrap_servers: str, *, client_id: str) -> None:
        self._bootstrap = bootstrap_servers
        self._client_id = client_id
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    @property
    def connected(self) -> bool:
        return self._producer is not None

    async def _ensure(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self._bootstrap,
                    client_id=self._client_id,
                    acks="all",
                    enable_idempotence=False,
                    linger_ms=5,
                    request_timeout_ms=15_000,
                )
                try:
                    await producer.start()
                except Exception:
                    await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def publish_many(
        self, messages: Sequence[tuple[str, bytes | None, bytes, list[tuple[str, bytes]]]]
    ) -> list[RecordMetadata]:
        """Send (topic, key, value, headers) messages and wait until the broker has acknowledged all of them;
        where each one landed (partition, offset), in order."""
        producer = await self._ensure()
        try:
            futures = [
                await producer.send(topic, value=value, key=key, headers=headers)
                for topic, key, value, headers in messages
            ]
            return list(await asyncio.gather(*futures))
        except KafkaError:
            await self.reset()
            raise

    async def reset(self) -> None:
        async with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await producer.stop()
            except Exception as exc:  # a dead broker may make stop() fail too
                log.warning("producer_stop_failed", error=str(exc))

    async def stop(self) -> None:
        await self.reset()


async def ensure_topics(
    bootstrap_servers: str,
    *,
    session_timeout_ms: int = 10_000,
    topics: Sequence[Topic] | None = None,
    recreate: Collection[str] = (),
) -> list[str]:
    """Create the declared topics (dead-letter twins included) that are missing; returns the names it created.

    `recreate` names topics to delete first: the embedded broker creates a topic that a client merely asks
    about with its own default partition count, and it cannot add partitions afterwards (the embedded stack;
    Strimzi declares the topics in production)."""
    wanted_topics = tuple(topics) if topics is not None else declared_topics()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=session_timeout_ms)
    await admin.start()
    created: list[str] = []
    try:
        doomed = [name for name in recreate if name in {t.name for t in wanted_topics}]
        if doomed:
            with contextlib.suppress(UnknownTopicOrPartitionError):
                await admin.delete_topics(doomed)
            log.warning("topics_recreated_with_declared_partitions", topics=doomed)
        existing = set(await admin.list_topics()) - set(doomed)
        for topic in wanted_topics:
            if topic.name in existing:
                continue
            configs = {"retention.ms": str(topic.retention_ms)}
            new_topic = NewTopic(topic.name, topic.partitions, 1, topic_configs=configs)
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([new_topic])
                created.append(topic.name)
    finally:
        await admin.close()
    return created
