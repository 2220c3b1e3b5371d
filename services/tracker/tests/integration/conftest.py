"""The tracker running in-process on a real database (SQLite and PostgreSQL) with a real broker of its own."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel
from sqlalchemy import select

from resolute.shared.events import new_envelope
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import all_pages, eventually, running_app
from resolute.shared.web.state import state_of
from resolute.tracker.database import messaging_tables
from resolute.tracker.main import create_app
from resolute.tracker.settings import TrackerSettings
from resolute.tracker.state import TrackerState

NOW = "2026-11-20T09:00:00Z"


@dataclass
class Tracker:
    """A running tracker: its HTTP client, its broker, and ways to feed it and look inside its outbox."""

    client: httpx.AsyncClient
    kafka: TansuBroker

    @property
    def runtime(self) -> Any:
        return state_of(self.client.app, TrackerState).runtime  # type: ignore[attr-defined]

    async def publish(self, *events: BaseModel, source: str = "/resolute/ingest") -> list[str]:
        """Publish events as ingest would (key = aggregate id); returns their envelope ids."""
        from resolute.shared.events.catalogue import event_spec_for_model

        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.bootstrap_servers, enable_idempotence=False)
        await producer.start()
        ids = []
        published = datetime.now(UTC)  # one document's events share their publication time, as ingest's do
        try:
            for data in events:
                key = getattr(data, "commitment_id", None) or getattr(data, "document_id", None)
                envelope = new_envelope(data, source=source, subject=key, time=published)
                ids.append(envelope.id)
                await producer.send_and_wait(
                    event_spec_for_model(type(data)).topic.name, envelope.to_bytes(), key=key.encode() if key else None
                )
        finally:
            await producer.stop()
        return ids

    async def publish_raw(self, topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
        """(key, value) messages exactly as given: copies, junk, whatever a broker may hand out."""
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.bootstrap_servers, enable_idempotence=False)
        await producer.start()
        try:
            for key, payload in messages:
                await producer.send_and_wait(topic, payload, key=key)
        finally:
            await producer.stop()

    async def caught_up(self) -> bool:
        checks = (await self.client.get("/readyz")).json()["checks"]
        return checks.get("consumer") == "assigned" and checks.get("consumer_lag") == 0

    async def settle(self, timeout: float = 60) -> None:
        """Wait until the consumer has handled everything published so far."""
        await eventually(self.caught_up, timeout, interval=0.2)

    async def outbox(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """Events the tracker has written to its outbox (published or not), oldest first."""
        table = messaging_tables.outbox
        query = select(table.c.event_id, table.c.event_type, table.c.key, table.c.payload).order_by(table.c.id)
        if event_type:
            query = query.where(table.c.event_type == event_type)
        async with self.runtime.sessionmaker() as session:
            rows = (await session.execute(query)).all()
        return [{"id": r.event_id, "type": r.event_type, "key": r.key, **json.loads(r.payload)} for r in rows]

    async def all_pages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        return await all_pages(self.client, path, **params)


@pytest.fixture
def tracker_settings(make_database: Callable[[str], str], kafka: TansuBroker) -> TrackerSettings:
    return TrackerSettings(
        database_url=make_database("tracker"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_session_timeout_ms=2000,
        now=NOW,
        scheduler_interval_seconds=0.5,
        gauges_interval_seconds=0.5,
    )


@pytest.fixture
async def tracker(tracker_settings: TrackerSettings, kafka: TansuBroker) -> AsyncIterator[Tracker]:
    async with running_app(create_app(tracker_settings)) as client:
        harness = Tracker(client, kafka)
        await eventually(harness.caught_up, 60, interval=0.2)
        yield harness
