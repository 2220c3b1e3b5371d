"""Watches the broker for what its clients do not notice by themselves, and puts it right.

A producer or consumer that has its connection never says "the broker is frozen" or "the broker came back
empty": aiokafka reconnects quietly, a frozen broker only makes requests slow, and a restarted embedded
broker (it keeps everything in memory) answers at once with no topics, no committed offsets and no groups, and
creates whatever topic a client asks about with its own default partition count. So every few seconds, with
a time limit, the watch:

- asks for the cluster's metadata: no answer in time is reported (`/readyz` says so);
- compares the topics with the declared ones: missing or wrongly partitioned topics are reported and, where
  the service creates its topics (the embedded stack), created or re-created with the declared partitions
  (re-creating one re-creates the incarnation record too: what others published there is gone as well);
- on the embedded broker, reads the first record of `resolute.broker-incarnation` (writing one if the topic
  is empty): another incarnation than the one the service last saw (kept in its database) means the broker
  lost everything;
- on Kafka, compares each partition's end offset with the highest offset the broker acknowledged to this
  relay: an end behind it means the broker lost acknowledged records (an unclean leader election).

A loss is handed to the listeners: the relay queues its retained rows for those topics again and the
consumer rewinds the partitions it holds, so what the broker lost arrives again and the inbox skips repeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.cluster import ClusterMetadata
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.shared import metrics
from resolute.shared.background import stop_task
from resolute.shared.logging import get_logger
from resolute.shared.messaging.publisher import ensure_topics
from resolute.shared.messaging.tables import MessagingTables
from resolute.shared.topics import BROKER_INCARNATION, Topic, declared_topics

log = get_logger(__name__)

INCARNATION_STATE = "broker_incarnation"


@dataclass(frozen=True)
class BrokerLoss:
    """Topics whose records the broker no longer has, and how that was found out."""

    topics: frozenset[str]
    reason: str


LossListener = Callable[[BrokerLoss], Awaitable[object]]


@dataclass
class BrokerState:
    """What the last check found; `/readyz` reports it."""

    answering: bool | None = None  # None until the first check has finished
    error: str | None = None
    missing: tuple[str, ...] = ()
    wrong_partitions: dict[str, int] = field(default_factory=dict)
    incarnation: str | None = None
    losses: int = 0


class BrokerWatch:
    """See the module docstring; one per service process, started before the relay and the consumer."""

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        manage_topics: bool,
        interval: float = 2.0,
        timeout: float = 3.0,
        topics: Sequence[Topic] | None = None,
        publishing: asyncio.Lock | None = None,
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._sessionmaker = sessionmaker
        self._state_table = tables.messaging_state
        self.manage_topics = manage_topics
        self.interval = interval
        self.timeout = timeout
        self.topics = tuple(topics) if topics is not None else declared_topics()
        # the relay holds this while a batch is under way; topics are repaired and losses handed out between
        self.publishing = publishing or asyncio.Lock()
        self.state = BrokerState()
        # per topic, how many times this process found its records lost; consumers rewind when it grows
        self.epochs: dict[str, int] = {}
        self._acknowledged: Callable[[], Mapping[TopicPartition, int]] = dict
        self._listeners: list[LossListener] = []
        self._client: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._known_incarnation: str | None = None
        self._seen: set[str] = set()  # topics this process has seen on the broker

    # --- wiring -----------------------------------------------------------------------------------------------

    def on_loss(self, listener: LossListener) -> None:
        self._listeners.append(listener)

    def follow_acknowledgements(self, acknowledged: Callable[[], Mapping[TopicPartition, int]]) -> None:
        """Where to read the relay's highest acknowledged offset per partition."""
        self._acknowledged = acknowledged

    @property
    def all_topic_names(self) -> list[str]:
        return [t.name for t in self._watched_topics()]

    def _watched_topics(self) -> tuple[Topic, ...]:
        return (*self.topics, BROKER_INCARNATION) if self.manage_topics else self.topics

    # --- lifecycle --------------------------------------------------------------------------------------------

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="broker-watch")

    async def stop(self) -> None:
        await stop_task(self._task)
        await self._close_client()

    async def _run(self) -> None:
        while True:
            await self.check()
            await asyncio.sleep(self.interval)

    async def check(self) -> BrokerState:
        """One round of checks (see the module docstring); never raises: what went wrong is in `state`."""
        try:
            async with asyncio.timeout(self.timeout):
                client = await self._connect()
                cluster = await self._metadata(client)
            await self._check_topics(client, cluster)
            if self.manage_topics:
                await self._check_incarnation(client)
            await self._check_end_offsets(client)
        except asyncio.CancelledError:
            raise
        except TimeoutError:
            self._unanswered(f"no answer within {self.timeout:g}s")
            await self._close_client()
        except Exception as exc:
            self._unanswered(f"{type(exc).__name__}: {exc}"[:300])
            await self._close_client()
        else:
            if self.state.answering is False:
                log.info("broker_answering_again")
            self.state.answering = True
            self.state.error = None
            metrics.BROKER_UP.set(1)
        return self.state

    def _unanswered(self, error: str) -> None:
        if self.state.answering is not False:
            log.warning("broker_not_answering", error=error)
        self.state.answering = False
        self.state.error = error
        metrics.BROKER_UP.set(0)

    async def _connect(self) -> AIOKafkaConsumer:
        if self._client is None:
            client = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap,
                client_id="resolute-broker-watch",
                enable_auto_commit=False,
                request_timeout_ms=max(1000, int(self.timeout * 1000)),
                metadata_max_age_ms=max(1000, int(self.interval * 1000)),
            )
            try:
                await client.start()
            except BaseException:
                with contextlib.suppress(Exception):
                    await client.stop()
                raise
            self._client = client
        return self._client

    async def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self.timeout):
                    await client.stop()

    # --- the checks -------------------------------------------------------------------------------------------

    @staticmethod
    async def _metadata(client: AIOKafkaConsumer) -> ClusterMetadata:
        """Fresh metadata of every topic. Asking for all topics names none, so the broker creates none (asking
        for a missing topic by name makes the embedded broker create it with its default partition count)."""
        return await client._client.fetch_all_metadata()

    def _compare(self, cluster: ClusterMetadata) -> tuple[list[str], dict[str, int]]:
        existing = cluster.topics()
        missing = [t.name for t in self._watched_topics() if t.name not in existing]
        wrong: dict[str, int] = {}
        for topic in self._watched_topics():
            if topic.name in existing:
                count = len(cluster.partitions_for_topic(topic.name) or ())
                if count != topic.partitions:
                    wrong[topic.name] = count
        return missing, wrong

    async def _check_topics(self, client: AIOKafkaConsumer, cluster: ClusterMetadata) -> None:
        missing, wrong = self._compare(cluster)
        if (missing or wrong) and self.manage_topics:
            async with self.publishing:
                async with asyncio.timeout(self.timeout * 3):
                    # look again right before deleting anything: another process may have repaired them already
                    missing, wrong = self._compare(await self._metadata(client))
                    if missing or wrong:
                        await ensure_topics(
                            self._bootstrap,
                            session_timeout_ms=int(self.timeout * 1000),
                            topics=self._watched_topics(),
                            recreate=self._to_recreate(wrong),
                        )
                # a topic gone or re-created lost its records; one this process never saw may simply be new
                lost = ({*missing, *wrong} & self._seen) - {BROKER_INCARNATION.name}
                if lost:
                    await self._lost(BrokerLoss(frozenset(lost), "topics missing or wrongly partitioned"))
                async with asyncio.timeout(self.timeout):
                    missing, wrong = self._compare(await self._metadata(client))
        self.state.missing = tuple(missing)
        self.state.wrong_partitions = wrong
        self._seen.update(t.name for t in self._watched_topics() if t.name not in missing)

    @staticmethod
    def _to_recreate(wrong: Mapping[str, int]) -> list[str]:
        """Deleting a topic deletes what every service published to it, not only what this one saw there: one
        process may re-create a topic another has just published to (say, what the broker created with its
        default partition count when that one's producer asked for it). So the incarnation record goes with
        it: every service then reads a new incarnation and publishes its retained rows again."""
        doomed = list(wrong)
        if any(name != BROKER_INCARNATION.name for name in doomed) and BROKER_INCARNATION.name not in doomed:
            doomed.append(BROKER_INCARNATION.name)
        return doomed

    async def _check_incarnation(self, client: AIOKafkaConsumer) -> None:
        tp = TopicPartition(BROKER_INCARNATION.name, 0)
        if BROKER_INCARNATION.name in self.state.missing:
            return
        async with asyncio.timeout(self.timeout):
            incarnation = await self._read_incarnation(client, tp)
            if incarnation is None:
                await self._write_incarnation(tp)
                incarnation = await self._read_incarnation(client, tp)
        if incarnation is None:
            raise RuntimeError("the broker incarnation record could not be read back")
        self.state.incarnation = incarnation
        if self._known_incarnation is None:
            self._known_incarnation = await self._remembered_incarnation()
        if self._known_incarnation == incarnation:
            return
        if self._known_incarnation is not None:
            async with self.publishing:
                await self._lost(
                    BrokerLoss(frozenset(t.name for t in self.topics), "the broker came back without its data")
                )
        await self._remember_incarnation(incarnation)
        self._known_incarnation = incarnation

    async def _write_incarnation(self, tp: TopicPartition) -> None:
        """A new incarnation's name; when several services write at once, the first record is the one that counts.
        A producer of its own: a long-lived one may still hold the partitions of a topic since re-created."""
        producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap,
            client_id="resolute-broker-watch",
            acks="all",
            enable_idempotence=False,
            request_timeout_ms=max(1000, int(self.timeout * 1000)),
        )
        await producer.start()
        try:
            await producer.send_and_wait(tp.topic, uuid.uuid4().hex.encode(), partition=tp.partition)
        finally:
            await producer.stop()

    async def _read_incarnation(self, client: AIOKafkaConsumer, tp: TopicPartition) -> str | None:
        start = (await client.beginning_offsets([tp]))[tp]
        end = (await client.end_offsets([tp]))[tp]
        if end <= start:
            return None
        client.assign([tp])
        try:
            client.seek(tp, start)
            record = await client.getone(tp)
        finally:
            # a held partition makes the client ask for its topic by name, and a restarted embedded broker
            # creates a topic it is asked about (with its default partition count) before the watch can
            client.unsubscribe()
        return bytes(record.value or b"").decode() or None

    async def _check_end_offsets(self, client: AIOKafkaConsumer) -> None:
        """Kafka only: the embedded broker (Tansu 0.6) answers "latest" with the last batch's first offset plus
        one, not the end of the log, so its end offsets trail the acknowledged ones all the time; there the
        incarnation record tells a broker that lost its data."""
        if self.manage_topics:
            return
        acknowledged = dict(self._acknowledged())
        if not acknowledged:
            return
        present = [tp for tp in acknowledged if tp.topic not in self.state.missing]
        if not present:
            return
        async with asyncio.timeout(self.timeout):
            ends = await client.end_offsets(present)
        behind = {tp.topic for tp in present if ends.get(tp, 0) <= acknowledged[tp]}
        if behind:
            async with self.publishing:
                await self._lost(BrokerLoss(frozenset(behind), "end offsets behind what the broker acknowledged"))

    async def _lost(self, loss: BrokerLoss) -> None:
        """Called with `publishing` held: the relay republishes, consumers rewind the partitions they hold."""
        self.state.losses += 1
        metrics.BROKER_LOSSES.labels(loss.reason).inc()
        log.warning("broker_lost_data", topics=sorted(loss.topics), reason=loss.reason)
        for topic in loss.topics:
            self.epochs[topic] = self.epochs.get(topic, 0) + 1
        for listener in self._listeners:
            await listener(loss)

    # --- the incarnation the service last saw -----------------------------------------------------------------

    async def _remembered_incarnation(self) -> str | None:
        t = self._state_table
        async with self._sessionmaker() as session:
            value = await session.scalar(select(t.c.value).where(t.c.name == INCARNATION_STATE))
        return str(value) if value is not None else None

    async def _remember_incarnation(self, incarnation: str) -> None:
        t = self._state_table
        now = datetime.now(UTC)
        async with self._sessionmaker() as session, session.begin():
            changed = await session.execute(
                update(t).where(t.c.name == INCARNATION_STATE).values(value=incarnation, updated_at=now)
            )
            if not getattr(changed, "rowcount", 0):
                await session.execute(insert(t).values(name=INCARNATION_STATE, value=incarnation, updated_at=now))

    # --- for /readyz ------------------------------------------------------------------------------------------

    def broker_status(self) -> str:
        if self.state.answering is None:
            return "checking"
        if not self.state.answering:
            return f"unavailable: {self.state.error}"
        return "ok"

    def topics_status(self) -> str:
        if self.state.answering is None:
            return "checking"
        problems = []
        if self.state.missing:
            problems.append("missing " + ", ".join(self.state.missing))
        for name, count in sorted(self.state.wrong_partitions.items()):
            declared = next(t.partitions for t in self._watched_topics() if t.name == name)
            problems.append(f"{name} has {count} partitions, declared {declared}")
        return "; ".join(problems) if problems else "ok"
