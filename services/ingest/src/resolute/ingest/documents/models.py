"""Stored documents and their extracted commitments (ingest is the source of truth for text and spans)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resolute.ingest.database import Base


class Document(Base):
    """One upload: its bytes, its text, and what extraction made of it (a bundle holds several parts)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    source_url: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    parts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    commitment_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]

    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="document", order_by="Commitment.position", cascade="all, delete-orphan"
    )


class Commitment(Base):
    """A commitment as extracted, with its place in the document's text."""

    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    part: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    bodies: Mapped[list[str]] = mapped_column(JSON, default=list)
    ministries: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    policy_area: Mapped[str | None] = mapped_column(String(40))
    deadline: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="commitments")
