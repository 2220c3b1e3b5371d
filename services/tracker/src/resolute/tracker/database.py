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


async def insert_if_absent(session: AsyncSession, model: type[Base], **values: Any) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on either backend; True when the row is new (the caller's to act on)."""
    insert: Any
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    result = await session.execute(insert(model).values(**values).on_conflict_do_nothing())
    return bool(getattr(result, "rowcount", 0) == 1)


def stable_id(*parts: object) -> str:
    """A deterministic UUID for an event or row derived from what identifies it, so retries produce the same id."""
    return str(uuid.uuid5(_NAMESPACE, "|".join("" if p is None else str(p) for p in parts)))
