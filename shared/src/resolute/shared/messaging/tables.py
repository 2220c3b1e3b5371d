"""The outbox, inbox and dead-letter tables, defined on each service's own metadata."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, LargeBinary, MetaData, String, Table, Text

from resolute.shared.db import UtcDateTime


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    processed_messages: Table
    dead_letters: Table
    messaging_state: Table


def define_messaging_tables(metadata: MetaData) -> MessagingTables:
    """Add the messaging tables to a service's metadata (its Alembic migration creates them)."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=True),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSON, nullable=False, default=dict),
        Column("created_at", UtcDateTime, nullable=False),
        Column("sent_at", UtcDateTime, nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    )
    Index(
        "ix_outbox_unsent",
        outbox.c.id,
        postgresql_where=outbox.c.sent_at.is_(None),
        sqlite_where=outbox.c.sent_at.is_(None),
    )
    Index("ix_outbox_sent_at", outbox.c.sent_at)  # pruning and republishing pick sent rows by when they went
    processed = Table(
        "processed_messages",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("message_id", String(200), primary_key=True),
        Column("event_type", String(100), nullable=True),
        Column("topic", String(200), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("outcome", String(20), nullable=False),
        Column("processed_at", UtcDateTime, nullable=False),
    )
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("consumer", String(100), nullable=False),
        Column("message_id", String(200), nullable=False),
        Column("event_type", String(100), nullable=True),
        Column("topic", String(200), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("key", String(200), nullable=True),
        Column("payload", LargeBinary, nullable=True),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )
    # what the service last knew of its broker (the embedded broker's incarnation), kept across restarts
    messaging_state = Table(
        "messaging_state",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("value", String(200), nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    return MessagingTables(
        outbox=outbox, processed_messages=processed, dead_letters=dead_letters, messaging_state=messaging_state
    )
