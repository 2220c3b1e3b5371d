"""The ingest service as tests run it: its app on a fresh database (SQLite and PostgreSQL) and its own broker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from sqlalchemy import func, select

from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.main import create_app
from resolute.ingest.settings import IngestSettings
from resolute.ingest.state import IngestState
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import running_app
from resolute.shared.web.state import state_of

IngestFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
RowCounts = Callable[[httpx.AsyncClient], Awaitable[dict[str, int]]]


@pytest.fixture
def make_ingest(make_database: Callable[[str], str], kafka: TansuBroker) -> IngestFactory:
    """`async with make_ingest(max_document_bytes=...) as client`: the app with settings overridden."""

    @asynccontextmanager
    async def start(**overrides: object) -> AsyncIterator[httpx.AsyncClient]:
        values: dict[str, object] = {
            "database_url": make_database("ingest"),
            "kafka_bootstrap_servers": kafka.bootstrap_servers,
            "kafka_session_timeout_ms": 2000,
            "max_document_bytes": 2_000_000,
        }
        app = create_app(IngestSettings(**(values | overrides)))  # type: ignore[arg-type]
        async with running_app(app) as client:
            yield client

    return start


@pytest.fixture
async def ingest(make_ingest: IngestFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with make_ingest() as client:
        yield client


async def _row_counts(client: httpx.AsyncClient) -> dict[str, int]:
    runtime = state_of(client.app, IngestState).runtime  # type: ignore[attr-defined]
    counts = {}
    async with runtime.sessionmaker() as session:
        for name, table in (
            ("documents", Document.__table__),
            ("commitments", Commitment.__table__),
            ("outbox", runtime.tables.outbox),
        ):
            counts[name] = int(await session.scalar(select(func.count()).select_from(table)) or 0)
    return counts


@pytest.fixture
def row_counts() -> RowCounts:
    """How many documents, commitments and outbox rows a service holds: all zero after a refused upload."""
    return _row_counts
