"""Idempotent inbox consumer: effect and `processed_messages` row in one transaction, offset committed after.

A message that cannot be parsed, or whose handler keeps failing, goes to `<topic>.dlq` (through the outbox,
so the dead letter itself is never lost) and the consumer moves on. A database outage is not the message's
fault: the consumer waits and retries the same message instead of dead-lettering it.

The broker can fail it too: an offset commit gets a time limit (aiokafka retries a retriable commit error for
ever, and a broker that lost its topics makes every commit one) and a failed commit makes the consumer rejoin;
the effects are already recorded, so what was not committed is only read again and skipped. When the broker
lost records (see `BrokerWatch`) the consumer rewinds the partitions of those topics: the records arrive again
as the relays republish them, and the inbox skips what it already has.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from sqlalchemy import insert, select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.shared import metrics
from resolute.shared.background import stop_task
from resolute.shared.events.envelope import Envelope, EnvelopeError, decode_envelope
from resolute.shared.logging import get_logger
from resolute.shared.messaging.outbox import Outbox
from resolute.shared.messaging.tables import MessagingTables
from resolute.shared.topics import ConsumerGroup

log = get_logger(__name__)

EventHandler = Callable[[AsyncSession, Envelope], Awaitable[None]]


class PoisonMessage(Exception):
    """Raised by a handler for a message that can never succeed: dead-letter it without retrying."""


class OffsetCommitFailed(KafkaError):
    """An offset commit failed or got no answer in time; the consumer reconnects and rejoins its group."""


class InboxConsumer:
    """Consumes a group's topics and runs the handler table; see the module docstring for the guarantees."""

    def __init__(
        self,
        *,
        group: ConsumerGroup,
        bootstrap_servers: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        outbox: Outbox,
        handlers: Mapping[str, EventHandler],
        session_timeout_ms: int = 10_000,
        retry_delays: Sequence[float] = (0.2, 1.0, 3.0, 5.0),
        max_poll_records: int = 100,
        commit_timeout: float = 5.0,
        rewind_epochs: Mapping[str, int] | None = None,
    ) -> None:
        self.group = group
        self._bootstrap = bootstrap_servers
        self._sessionmaker = sessionmaker
        self._tables = tables
        self._outbox = outbox
        self._handlers = dict(handlers)
        self._session_timeout_ms = session_timeout_ms
        self._retry_delays = tuple(retry_delays)
        self._max_poll_records = max_poll_records
        self._commit_timeout = commit_timeout
        # per topic, how often the broker was found to have lost its records (the broker watch counts); a held
        # partition rewound fewer times than that is rewound to its beginning
        self._rewind_epochs: Mapping[str, int] = rewind_epochs if rewind_epochs is not None else {}
        self._rewound: dict[TopicPartition, int] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.lag: dict[str, int] = {}
        self.last_error: str | None = None
        self.commit_failures = 0  # in a row
        self.commit_error: str | None = None

    @property
    def assigned(self) -> bool:
        return self._consumer is not None and bool(self._consumer.assignment())

    @property
    def total_lag(self) -> int:
        return sum(self.lag.values())

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.group.name}")

    async def stop(self) -> None:
        self._stopping = True
        await stop_task(self._task)
        await self._close_consumer()

    async def _close_consumer(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(max(5.0, self._commit_timeout)):  # leaving a frozen broker's group
                    await consumer.stop()

    async def _connect(self) -> AIOKafkaConsumer:
        consumer = AIOKafkaConsumer(
            *self.group.topics,
            bootstrap_servers=self._bootstrap,
            group_id=self.group.name,
            client_id=f"{self.group.name}-consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=self._session_timeout_ms,
            heartbeat_interval_ms=max(100, self._session_timeout_ms // 3),
            max_poll_records=self._max_poll_records,
            fetch_max_wait_ms=100,  # an idle fetch returns soon, so a new event waits at most this long
        )
        try:
            await consumer.start()
        except BaseException:  # cancelled while joining, too: never leave a half-started consumer behind
            with contextlib.suppress(Exception):
                await consumer.stop()
            raise
        return consumer

    async def _run(self) -> None:
        backoff = 0.5
        while not self._stopping:
            try:
                if self._consumer is None:
                    self._consumer = await self._connect()
                    # joined again: the broker answers the group's requests, the next commit tells the rest
                    self.commit_error = None
                    log.info("consumer_started", group=self.group.name, topics=list(self.group.topics))
                await self._rewind_lost(self._consumer)
                batches = await self._consumer.getmany(timeout_ms=500)
                together = [record for records in batches.values() for record in records]
                if not await self._handle_together(together):
                    for records in batches.values():
                        for record in records:
                            await self._handle(record)
                await self._commit({tp: records[-1].offset + 1 for tp, records in batches.items() if records})
                await self._update_lag()
                self.last_error = None
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except KafkaError as exc:
                self.last_error = f"broker: {exc}"
                log.warning("consumer_broker_error", group=self.group.name, error=str(exc), retry_in=backoff)
                await self._close_consumer()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
            except Exception as exc:  # never let the loop die; the message will be redelivered
                self.last_error = str(exc) or type(exc).__name__
                log.exception("consumer_loop_error", group=self.group.name)
                await self._close_consumer()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)

    async def _rewind_lost(self, consumer: AIOKafkaConsumer) -> None:
        """Back to the beginning of every held partition whose topic lost records since it was last rewound."""
        for tp in consumer.assignment():
            epoch = self._rewind_epochs.get(tp.topic, 0)
            if self._rewound.get(tp, 0) < epoch:
                await consumer.seek_to_beginning(tp)
                self._rewound[tp] = epoch
                log.warning("consumer_rewound", group=self.group.name, partition=str(tp), reason="broker lost data")

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        assert self._consumer is not None
        if not offsets:
            return
        try:
            async with asyncio.timeout(self._commit_timeout):
                await self._consumer.commit(offsets)
        except CommitFailedError as exc:  # partition moved to another member; it will skip what we processed
            log.info("offset_commit_skipped", group=self.group.name, error=str(exc))
        except (TimeoutError, KafkaError) as exc:
            # the effects are recorded: rejoin and let what was not committed be read again (and skipped)
            self.commit_failures += 1
            self.commit_error = str(exc) or f"no answer within {self._commit_timeout:g}s"
            metrics.CONSUMER_COMMIT_FAILURES.labels(self.group.name).inc()
            raise OffsetCommitFailed(f"offset commit failed: {self.commit_error}") from exc
        else:
            self.commit_failures = 0
            self.commit_error = None

    async def _update_lag(self) -> None:
        consumer = self._consumer
        if consumer is None:
            return
        per_topic: dict[str, int] = {}
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            position = await consumer.position(tp)
            per_topic[tp.topic] = per_topic.get(tp.topic, 0) + max(0, highwater - position)
        self.lag = per_topic
        for topic in self.group.topics:
            metrics.CONSUMER_LAG.labels(self.group.name, topic).set(per_topic.get(topic, 0))

    async def _handle_together(self, records: list[ConsumerRecord[Any, Any]]) -> bool:
        """The fast path: a poll's records in one transaction (one commit, one write lock on SQLite).

        Any surprise (an unparseable message, a handler error, a database hiccup) rolls the whole batch back
        and returns False; the caller then takes the records one by one with retries and dead letters, and
        the inbox rows make whatever this attempt did invisible. One record gains nothing from batching.
        """
        if len(records) < 2:
            return False
        loop = asyncio.get_running_loop()
        started = loop.time()
        outcomes: list[tuple[ConsumerRecord[Any, Any], str, str | None]] = []
        try:
            envelopes = [decode_envelope(record.value) for record in records]
            processed = self._tables.processed_messages
            async with self._sessionmaker() as session, session.begin():
                wanted = [e.id for e in envelopes if e.type in self._handlers]
                seen = (
                    set(
                        await session.scalars(
                            select(processed.c.message_id).where(
                                processed.c.consumer == self.group.name, processed.c.message_id.in_(wanted)
                            )
                        )
                    )
                    if wanted
                    else set()
                )
                for record, envelope in zip(records, envelopes, strict=True):
                    handler = self._handlers.get(envelope.type)
                    if handler is None:
                        outcomes.append((record, "ignored", None))
                        continue
                    if envelope.id in seen:
                        outcomes.append((record, "duplicate", envelope.type))
                        continue
                    seen.add(envelope.id)  # the same event twice in one batch: handled once
                    await session.execute(
                        insert(processed).values(
                            consumer=self.group.name,
                            message_id=envelope.id,
                            event_type=envelope.type,
                            topic=record.topic,
                            partition=record.partition,
                            offset=record.offset,
                            outcome="processed",
                            processed_at=datetime.now(UTC),
                        )
                    )
                    await handler(session, envelope)
                    outcomes.append((record, "processed", envelope.type))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("batch_fell_back_to_one_by_one", group=self.group.name, size=len(records), error=str(exc)[:200])
            return False
        elapsed = (loop.time() - started) / len(records)
        for record, outcome, event_type in outcomes:
            metrics.EVENTS_CONSUMED.labels(self.group.name, record.topic, outcome).inc()
            if event_type and outcome == "processed":
                metrics.EVENT_PROCESSING.labels(self.group.name, event_type).observe(elapsed)
        return True

    async def _handle(self, record: ConsumerRecord[Any, Any]) -> None:
        position_id = f"{record.topic}:{record.partition}:{record.offset}"
        try:
            envelope = decode_envelope(record.value)
        except EnvelopeError as exc:
            await self._dead_letter(record, message_id=position_id, event_type=None, error=str(exc), attempts=1)
            return
        handler = self._handlers.get(envelope.type)
        if handler is None:
            metrics.EVENTS_CONSUMED.labels(self.group.name, record.topic, "ignored").inc()
            return
        attempt = 0
        db_backoff = 0.5
        while True:
            attempt += 1
            started = asyncio.get_running_loop().time()
            try:
                outcome = await self._apply(record, envelope, handler)
                metrics.EVENTS_CONSUMED.labels(self.group.name, record.topic, outcome).inc()
                metrics.EVENT_PROCESSING.labels(self.group.name, envelope.type).observe(
                    asyncio.get_running_loop().time() - started
                )
                return
            except (OperationalError, InterfaceError) as exc:
                # the database is unavailable or locked: not the message's fault, keep it and wait
                self.last_error = f"database: {exc.__class__.__name__}"
                log.warning("consumer_database_unavailable", group=self.group.name, error=str(exc)[:300])
                attempt -= 1
                await asyncio.sleep(db_backoff)
                db_backoff = min(db_backoff * 2, 10)
            except (PoisonMessage, EnvelopeError) as exc:
                await self._dead_letter(
                    record, message_id=envelope.id, event_type=envelope.type, error=str(exc), attempts=attempt
                )
                return
            except Exception as exc:  # includes IntegrityError from a concurrent duplicate: the retry sees it
                if attempt > len(self._retry_delays):
                    log.exception("event_handler_gave_up", group=self.group.name, event_type=envelope.type)
                    await self._dead_letter(
                        record,
                        message_id=envelope.id,
                        event_type=envelope.type,
                        error=f"{exc.__class__.__name__}: {exc}",
                        attempts=attempt,
                    )
                    return
                metrics.HANDLER_RETRIES.labels(self.group.name, envelope.type).inc()
                log.warning(
                    "event_handler_failed",
                    group=self.group.name,
                    event_type=envelope.type,
                    attempt=attempt,
                    error=str(exc)[:300],
                )
                await asyncio.sleep(self._retry_delays[attempt - 1])

    async def _apply(self, record: ConsumerRecord[Any, Any], envelope: Envelope, handler: EventHandler) -> str:
        processed = self._tables.processed_messages
        async with self._sessionmaker() as session, session.begin():
            seen = await session.scalar(
                select(processed.c.message_id).where(
                    processed.c.consumer == self.group.name, processed.c.message_id == envelope.id
                )
            )
            if seen is not None:
                return "duplicate"
            # the inbox row first: a concurrent duplicate then conflicts before doing any work
            await session.execute(
                insert(processed).values(
                    consumer=self.group.name,
                    message_id=envelope.id,
                    event_type=envelope.type,
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    outcome="processed",
                    processed_at=datetime.now(UTC),
                )
            )
            await handler(session, envelope)
        return "processed"

    async def _dead_letter(
        self,
        record: ConsumerRecord[Any, Any],
        *,
        message_id: str,
        event_type: str | None,
        error: str,
        attempts: int,
    ) -> None:
        tables = self._tables
        key = record.key.decode(errors="replace") if isinstance(record.key, bytes) else record.key
        dead_letter_topic = f"{record.topic}.dlq"
        while True:
            try:
                async with self._sessionmaker() as session, session.begin():
                    seen = await session.scalar(
                        select(tables.processed_messages.c.message_id).where(
                            tables.processed_messages.c.consumer == self.group.name,
                            tables.processed_messages.c.message_id == message_id,
                        )
                    )
                    if seen is not None:
                        return
                    now = datetime.now(UTC)
                    await session.execute(
                        insert(tables.dead_letters).values(
                            consumer=self.group.name,
                            message_id=message_id,
                            event_type=event_type,
                            topic=record.topic,
                            partition=record.partition,
                            offset=record.offset,
                            key=key,
                            payload=record.value,
                            error=error[:2000],
                            attempts=attempts,
                            created_at=now,
                        )
                    )
                    await session.execute(
                        insert(tables.processed_messages).values(
                            consumer=self.group.name,
                            message_id=message_id,
                            event_type=event_type,
                            topic=record.topic,
                            partition=record.partition,
                            offset=record.offset,
                            outcome="dead_lettered",
                            processed_at=now,
                        )
                    )
                    await self._outbox.add_raw(
                        session,
                        event_id=f"dlq:{self.group.name}:{message_id}",
                        event_type=event_type or "unparseable",
                        topic=dead_letter_topic,
                        key=key,
                        payload=record.value if record.value is not None else b"",
                        headers={
                            "x-dead-letter-error": error[:500],
                            "x-original-topic": record.topic,
                            "x-original-partition": str(record.partition),
                            "x-original-offset": str(record.offset),
                            "x-consumer-group": self.group.name,
                        },
                    )
                break
            except (OperationalError, InterfaceError) as exc:
                log.warning("dead_letter_database_unavailable", error=str(exc)[:300])
                await asyncio.sleep(1)
        metrics.DEAD_LETTERS.labels(self.group.name, record.topic).inc()
        metrics.EVENTS_CONSUMED.labels(self.group.name, record.topic, "dead_lettered").inc()
        log.warning(
            "message_dead_lettered",
            group=self.group.name,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            event_type=event_type,
            error=error[:300],
        )
