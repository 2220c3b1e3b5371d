"""The answers kept for Idempotency-Key: one row per caller, route and key, for a day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from resolute.gateway.database import Base


class IdempotentRequest(Base):
    """A request made with an Idempotency-Key: its fingerprint, and its answer once it has one (null while the
    first request is still in flight)."""

    __tablename__ = "idempotent_requests"

    principal_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    route: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(index=True)
    completed_at: Mapped[datetime | None]
