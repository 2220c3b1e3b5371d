"""Events waiting for a digest, and the digests made (one per subscription and day)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from resolute.notifier.database import Base


class Digest(Base):
    """One subscription's digest for one day: the unique key is what makes it exactly once."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("subscription_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(String(10))  # ISO date in the digest time zone
    period_start: Mapped[datetime | None]
    period_end: Mapped[datetime]
    item_count: Mapped[int] = mapped_column(Integer)
    delivery_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class DigestItem(Base):
    """A matching event held for the subscription's next digest; `digest_id` is set once it is in one."""

    __tablename__ = "digest_items"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id"),
        Index("ix_digest_items_waiting", "subscription_id", "digest_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(100))
    event_time: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime]
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("digests.id", ondelete="SET NULL"), default=None)
