"""The tracker's record of commitments and who owes each one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resolute.tracker.database import Base


class Commitment(Base):
    """A commitment as published by ingest, kept for filtering and fan-out."""

    __tablename__ = "commitments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(36), index=True)
    document_title: Mapped[str | None] = mapped_column(Text)
    document_kind: Mapped[str] = mapped_column(String(40))
    document_number: Mapped[str | None] = mapped_column(String(40))
    issuing_body: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    bodies: Mapped[list[str]] = mapped_column(JSON, default=list)
    ministries: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    policy_area: Mapped[str | None] = mapped_column(String(40), index=True)
    deadline: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="commitment", order_by="Assignment.created_at", cascade="all, delete-orphan"
    )


class Assignment(Base):
    """One country's ministry (or one body) answerable for a commitment.

    The id is derived from (commitment, country, ministry, body), so a re-delivered event finds the row
    it made before instead of adding a second one.
    """

    __tablename__ = "assignments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    ministry: Mapped[str | None] = mapped_column(String(60), index=True)
    body: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), default="not_reported", index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    commitment: Mapped[Commitment] = relationship(back_populates="assignments")
