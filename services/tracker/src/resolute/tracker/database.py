"""Tracker's schema: its declarative base and the shared messaging tables on the same metadata."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from resolute.shared.db import UtcDateTime, make_metadata
from resolute.shared.messaging import define_messaging_tables


class Base(DeclarativeBase):
    metadata = make_metadata()
    type_annotation_map = {datetime: UtcDateTime}


messaging_tables = define_messaging_tables(Base.metadata)
_NAMESPACE = uuid.UUID("6f1d2a0e-3c55-4c1b-9f57-52a1c8a0b7e4")


async def insert_new_rows(
    session: AsyncSession, model: type[Base], rows: list[dict[str, Any]], key: tuple[str, ...]
) -> set[tuple[Any, ...]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING on either backend: the keys of the rows that were new (the
    caller's to act on); rows a unique constraint already holds are left alone."""
    if not rows:
        return set()
    insert: Any
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = model.__table__
    statement = insert(table).on_conflict_do_nothing().returning(*[table.c[name] for name in key])
    return {tuple(row) for row in (await session.execute(statement, rows)).all()}


def stable_id(*parts: object) -> str:
    """A deterministic UUID for an event or row derived from what identifies it, so retries produce the same id."""
    return str(uuid.uuid5(_NAMESPACE, "|".join("" if p is None else str(p) for p in parts)))
