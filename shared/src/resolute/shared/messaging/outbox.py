"""Transactional outbox: events are rows written with the change; a relay publishes them and marks them sent.

This is what makes "nothing acknowledged is lost" hold while the broker is down: writes keep landing
in the database and the relay catches up when Kafka returns. Sent rows are kept for a retention window (then
pruned), so what a broker loses after acknowledging it (the embedded broker restarted, an unclean leader
election) can be published again from them: the consumers' inbox makes the repeats harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

from aiokafka import TopicPartition
from pydantic import BaseModel
from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.sql.expression import ColumnElement

from resolute.shared import metrics
from resolute.shared.background import stop_task, woken
from resolute.shared.db import mark_for_commit, on_commit
from resolute.shared.events.catalogue import event_spec
from resolute.shared.events.envelope import Envelope, new_envelope
from resolute.shared.logging import get_logger
from resolute.shared.messaging.publisher import KafkaPublisher
from resolute.shared.messaging.tables import MessagingTables

log = get_logger(__name__)

_OUTBOX_FLAG = "outbox_written"
_RELAY_LOCK_ID = 0x5E501_07E  # one relay per database publishes at a time (PostgreSQL advisory lock)


class Outbox:
    """Writes events into the outbox inside the caller's transaction."""

    def __init__(self, tables: MessagingTables, *, source: str) -> None:
        self._table = tables.outbox
        self.source = source
        self._wake = asyncio.Event()

    async def add(
        self,
        session: AsyncSession,
        data: BaseModel,
        *,
        key: str,
        event_id: str | None = None,
        time: datetime | None = None,
        headers: dict[str, str] | None = None,
    ) -> Envelope:
        envelope = new_envelope(data, source=self.source, subject=key, event_id=event_id, time=time)
        await self.add_envelope(session, envelope, key=key, headers=headers)
        return envelope

    async def add_envelope(
        self,
        session: AsyncSession,
        envelope: Envelope,
        *,
        key: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        await self.add_raw(
            session,
            event_id=envelope.id,
            event_type=envelope.type,
            topic=event_spec(envelope.type).topic.name,
            key=key,
            payload=envelope.to_bytes(),
            headers=headers,
        )

    async def add_raw(
        self,
        session: AsyncSession,
        *,
        event_id: str,
        event_type: str,
        topic: str,
        key: str | None,
        payload: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Insert one row; event ids are unique, so writing the same event twice leaves one row."""
        exists = await session.scalar(select(self._table.c.id).where(self._table.c.event_id == event_id))
        if exists is not None:
            return
        await session.execute(
            insert(self._table).values(
                event_id=event_id,
                event_type=event_type,
                topic=topic,
                key=key,
                payload=payload,
                headers=headers or {},
                created_at=datetime.now(UTC),
                attempts=0,
            )
        )
        mark_for_commit(session, _OUTBOX_FLAG)

    async def add_many(
        self,
        session: AsyncSession,
        events: Sequence[tuple[BaseModel, str, str | None]],
        *,
        time: datetime | None = None,
    ) -> list[Envelope]:
        """Several (data, key, event_id) events at once, in order: one existence check and one insert per 500
        rows instead of two round trips per event (a document's hundred commitments, say)."""
        envelopes = [
            (new_envelope(data, source=self.source, subject=key, event_id=event_id, time=time), key)
            for data, key, event_id in events
        ]
        for start in range(0, len(envelopes), 500):
            chunk = envelopes[start : start + 500]
            ids = [envelope.id for envelope, _ in chunk]
            taken = set(await session.scalars(select(self._table.c.event_id).where(self._table.c.event_id.in_(ids))))
            now = datetime.now(UTC)
            rows = []
            for envelope, key in chunk:
                if envelope.id in taken:
                    continue
                taken.add(envelope.id)
                rows.append(
                    {
                        "event_id": envelope.id,
                        "event_type": envelope.type,
                        "topic": event_spec(envelope.type).topic.name,
                        "key": key,
                        "payload": envelope.to_bytes(),
                        "headers": {},
                        "created_at": now,
                        "attempts": 0,
                    }
                )
            if rows:
                await session.execute(insert(self._table), rows)
                mark_for_commit(session, _OUTBOX_FLAG)
        return [envelope for envelope, _ in envelopes]

    def watch(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        """Wake the relay whenever a session from this factory commits outbox rows."""
        on_commit(sessionmaker, _OUTBOX_FLAG, self._wake.set)

    def notify(self) -> None:
        """Wake the relay now instead of at its next poll."""
        self._wake.set()

    async def wait(self, seconds: float) -> None:
        await woken(self._wake, seconds)
        self._wake.clear()


class OutboxRelay:
    """Publishes unsent outbox rows in id order, waits for acks=all, then marks them sent."""

    def __init__(
        self,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        outbox: Outbox,
        publisher: KafkaPublisher,
        *,
        batch_size: int = 200,
        poll_interval: float = 0.25,
        publishing: asyncio.Lock | None = None,
    ) -> None:
        self._engine = engine
        self._sessionmaker = sessionmaker
        self._table = tables.outbox
        self._outbox = outbox
        self._publisher = publisher
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        # held while a batch is on its way; the broker watch takes it to repair topics between batches
        self.publishing = publishing or asyncio.Lock()
        # the highest offset the broker acknowledged per partition, in this process: a partition whose end
        # offset falls behind it has lost what it acknowledged
        self.acknowledged: dict[TopicPartition, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._leader_conn: AsyncConnection | None = None
        self.last_error: str | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        await stop_task(self._task)
        if self._leader_conn is not None:
            with contextlib.suppress(Exception):
                await self._leader_conn.close()
            self._leader_conn = None

    async def _is_leader(self) -> bool:
        """On PostgreSQL only one replica's relay publishes, so per-key order survives scaling out."""
        if self._engine.dialect.name != "postgresql":
            return True
        if self._leader_conn is not None and not self._leader_conn.closed:
            return True
        conn = await self._engine.connect()
        got = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": _RELAY_LOCK_ID})
        await conn.commit()
        if got:
            self._leader_conn = conn
            log.info("outbox_relay_leader")
            return True
        await conn.close()
        return False

    @property
    def is_leader(self) -> bool:
        """Whether this relay publishes (always on SQLite; the advisory lock's holder on PostgreSQL)."""
        return self._engine.dialect.name != "postgresql" or (
            self._leader_conn is not None and not self._leader_conn.closed
        )

    async def _run(self) -> None:
        backoff = self._poll_interval
        while True:
            try:
                if not await self._is_leader():
                    await asyncio.sleep(2)
                    continue
                published = await self.publish_batch()
                await self._update_backlog()
                self.last_error = None
                backoff = self._poll_interval
                if published < self._batch_size:
                    await self._outbox.wait(self._poll_interval)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                metrics.OUTBOX_PUBLISH_FAILURES.inc()
                self.last_error = str(exc) or type(exc).__name__
                log.warning("outbox_publish_failed", error=self.last_error, retry_in=backoff)
                if self._leader_conn is not None and self._leader_conn.closed:
                    self._leader_conn = None
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def publish_batch(self) -> int:
        """One round: read a batch, publish it, mark it sent. A crash in between re-sends: consumers dedupe."""
        async with self.publishing:
            return await self._publish_batch()

    async def _publish_batch(self) -> int:
        t = self._table
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(t.c.id, t.c.event_type, t.c.topic, t.c.key, t.c.payload, t.c.headers)
                    .where(t.c.sent_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self._batch_size)
                )
            ).all()
        if not rows:
            return 0
        messages = [
            (
                row.topic,
                row.key.encode() if row.key else None,
                bytes(row.payload),
                [(k, str(v).encode()) for k, v in (row.headers or {}).items()],
            )
            for row in rows
        ]
        try:
            landed = await self._publisher.publish_many(messages)
        except Exception as exc:
            async with self._sessionmaker() as session, session.begin():
                await session.execute(
                    update(t)
                    .where(t.c.id.in_([r.id for r in rows]))
                    .values(attempts=t.c.attempts + 1, last_error=str(exc)[:500])
                )
            raise
        async with self._sessionmaker() as session, session.begin():
            await session.execute(update(t).where(t.c.id.in_([r.id for r in rows])).values(sent_at=datetime.now(UTC)))
        for row in rows:
            metrics.EVENTS_PUBLISHED.labels(row.topic, row.event_type).inc()
        for record in landed or ():
            tp = TopicPartition(record.topic, record.partition)
            self.acknowledged[tp] = max(self.acknowledged.get(tp, -1), record.offset)
        return len(rows)

    async def republish_lost(self, topics: Collection[str], *, reason: str) -> int:
        """The broker lost what it had acknowledged on these topics: publish their retained rows again.

        The caller holds `publishing` (the broker watch does), so no batch is under way: one would otherwise be
        marked sent after its rows were queued again. A row sent twice is harmless: the inbox skips the repeat."""
        assert self.publishing.locked(), "republish_lost is called with `publishing` held"
        for tp in [tp for tp in self.acknowledged if tp.topic in topics]:
            del self.acknowledged[tp]
        count = await mark_for_republishing(self._sessionmaker, self._table, topics=topics)
        log.warning("outbox_republishing", reason=reason, topics=sorted(topics), rows=count)
        metrics.OUTBOX_REPUBLISHED.inc(count)
        self._outbox.notify()
        return count

    async def backlog(self) -> tuple[int, datetime | None]:
        t = self._table
        async with self._sessionmaker() as session:
            count, oldest = (
                await session.execute(select(func.count(), func.min(t.c.created_at)).where(t.c.sent_at.is_(None)))
            ).one()
        if isinstance(oldest, datetime) and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return int(count), oldest

    async def _update_backlog(self) -> None:
        count, oldest = await self.backlog()
        metrics.OUTBOX_BACKLOG.set(count)
        metrics.OUTBOX_OLDEST_AGE.set((datetime.now(UTC) - oldest).total_seconds() if oldest else 0)


async def mark_for_republishing(
    sessionmaker: async_sessionmaker[AsyncSession],
    table: Table,
    *,
    since: datetime | None = None,
    topics: Collection[str] | None = None,
) -> int:
    """Queue retained sent rows (sent at or after `since`, on `topics`; all of them by default) for the relay
    again, in their original order; returns how many. Rows already pruned are gone for good."""
    conditions: list[ColumnElement[bool]] = [table.c.sent_at.is_not(None)]
    if since is not None:
        conditions.append(table.c.sent_at >= since)
    if topics is not None:
        conditions.append(table.c.topic.in_(list(topics)))
    async with sessionmaker() as session, session.begin():
        result = await session.execute(update(table).where(*conditions).values(sent_at=None))
    return int(getattr(result, "rowcount", 0) or 0)


class OutboxPruner:
    """Deletes sent rows older than the retention window, now and then; until then they can be republished."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        *,
        retention: timedelta = timedelta(days=7),
        interval: float = 3600.0,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._table = tables.outbox
        self.retention = retention
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-pruner")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _run(self) -> None:
        while True:
            try:
                pruned = await self.prune()
                if pruned:
                    log.info("outbox_pruned", rows=pruned, retention_days=self.retention.total_seconds() / 86400)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: try again at the next round
                log.warning("outbox_prune_failed", error=str(exc)[:300])
            await asyncio.sleep(self._interval)

    async def prune(self, now: datetime | None = None) -> int:
        t = self._table
        cutoff = (now or datetime.now(UTC)) - self.retention
        async with self._sessionmaker() as session, session.begin():
            result = await session.execute(delete(t).where(t.c.sent_at.is_not(None), t.c.sent_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
