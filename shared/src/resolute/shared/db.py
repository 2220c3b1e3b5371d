"""Database plumbing every service shares: naming convention, UTC datetimes, engines for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """Each service owns its schema, so each builds its own MetaData with the shared naming convention."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on PostgreSQL (timestamptz) and on SQLite (which forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


READ_ONLY_OPTION = "resolute_read_only"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """An async engine; on SQLite, WAL with immediate write transactions so concurrent tasks wait instead of failing."""
    if is_sqlite(url):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # writers take the write lock up front (no deadlock upgrading a read); readers never wait for it
            readonly = connection.get_execution_options().get(READ_ONLY_OPTION)
            connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        return engine
    return create_async_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def read_only(engine: AsyncEngine) -> AsyncEngine:
    """The same engine and pool for sessions that only read: on SQLite their transactions never queue behind
    writers (WAL lets readers and one writer run together). PostgreSQL ignores the option."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory with its own Session class, so session events (outbox wake-ups) stay per service."""
    session_class = type("ServiceSession", (Session,), {})
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=session_class)


def mark_for_commit(session: AsyncSession, flag: str) -> None:
    """Flag this transaction so `on_commit(flag)` listeners run once it commits."""
    session.sync_session.info[flag] = True


def on_commit(sessionmaker: async_sessionmaker[AsyncSession], flag: str, callback: Callable[[], None]) -> None:
    """Run `callback` after a commit of a session that was flagged: how writers wake background workers."""

    def _after_commit(sync_session: Session) -> None:
        if sync_session.info.pop(flag, False):
            callback()

    event.listen(sessionmaker.kw["sync_session_class"], "after_commit", _after_commit)


@dataclass(frozen=True)
class WakeUp:
    """A background worker's wake-up call: writes `mark` their transaction, and the worker's callback (`listen`)
    runs once that transaction has committed, never for one rolled back. Declared once, beside the writes
    that make work for the worker, so the table of who wakes whom is in one place per worker."""

    name: str

    def mark(self, session: AsyncSession) -> None:
        mark_for_commit(session, self.name)

    def listen(self, sessionmaker: async_sessionmaker[AsyncSession], callback: Callable[[], None]) -> None:
        on_commit(sessionmaker, self.name, callback)
