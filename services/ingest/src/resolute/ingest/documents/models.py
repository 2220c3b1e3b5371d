"""Stored documents and their extracted commitments (ingest is the source of truth for text and spans)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resolute.ingest.database import Base


class Document(Base):
    """One upload: its bytes, its text, and what extraction made of it (a bundle holds several parts).

    Versions of one document form a lineage: each new version supersedes the current one, which stays
    readable with status `superseded` and a link to its successor.

    Review: `review_state` is needs_review (extraction flagged weak readings, or a correction of the previous
    version could not be carried over), in_review or published; `held` while its commitments wait for an
    editor to publish it (`publish_mode` after_review), so nothing of it has been sent to the tracker yet.
    """

    __tablename__ = "documents"
    __table_args__ = (
        # one current version per identity: concurrent new versions of one document cannot both win
        Index(
            "uq_documents_current_identity",
            "identity_key",
            unique=True,
            postgresql_where=text("status = 'processed'"),
            sqlite_where=text("status = 'processed'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    lineage_id: Mapped[str] = mapped_column(String(36), index=True)
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), unique=True)
    superseded_by_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    superseded_at: Mapped[datetime | None]
    identity_key: Mapped[str | None] = mapped_column(String(64))
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
    review_state: Mapped[str] = mapped_column(String(20), default="published", server_default="published", index=True)
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_text("false"))
    publish_mode: Mapped[str] = mapped_column(String(20), default="at_once", server_default="at_once")
    confidence: Mapped[float] = mapped_column(Float, default=1.0, server_default=sql_text("1.0"))
    review: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    corrections: Mapped[int] = mapped_column(Integer, default=0, server_default=sql_text("0"))
    review_started_by: Mapped[str | None] = mapped_column(String(200))
    review_started_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(String(200))

    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="document", order_by="Commitment.position", cascade="all, delete-orphan"
    )


class Commitment(Base):
    """A commitment as one version of a document states it, with its place in that version's text.

    `commitment_id` is the commitment's identity across versions (what events and the tracker use); `id`
    names this row, one per version the commitment appears in. Every field of
    `resolute.shared.extracted.ExtractedCommitment` is a column of the same name (the span as two), so the
    model maps to the row and back by name (`documents.records`).

    Corrections: the stated columns hold the commitment as it now stands; `corrected_fields` names those an
    editor set (they override what the extractor reads in the next version), `extracted_text` is what the
    extractor read (how the next version finds it again; null for a commitment an editor added), `revision`
    counts its corrections across versions, and a withdrawn row stays, marked, never deleted.
    """

    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("document_id", "position"), UniqueConstraint("document_id", "commitment_id"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(String(36), index=True)
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
    addressed_to: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    confidence: Mapped[float] = mapped_column(Float, default=1.0, server_default=sql_text("1.0"))
    review: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    origin: Mapped[str] = mapped_column(String(20), default="extracted", server_default="extracted")
    extracted_text: Mapped[str | None] = mapped_column(Text)
    corrected_fields: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=sql_text("0"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))

    document: Mapped[Document] = relationship(back_populates="commitments")

    @property
    def span(self) -> tuple[int, int]:
        """[start, end) in the document's text, as `ExtractedCommitment.span` has it."""
        return self.span_start, self.span_end


class Correction(Base):
    """Append-only: one editor's correction of a document version, with who, when, why and what it changed.

    `commitments` holds, per commitment it touched, its state before and after and the fields changed (as the
    API answers it). `published` says whether it was sent to the tracker when made (false while the document
    was held for review: its commitments then reach the tracker, corrected, when it is published).
    """

    __tablename__ = "corrections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    lineage_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(200))
    actor_scope: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(index=True)
    published: Mapped[bool] = mapped_column(Boolean)
    part: Mapped[int | None] = mapped_column(Integer)
    commitments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # a `facts` correction: the document's own facts it changed, [{field, before, after}]
    document_changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    review_state: Mapped[str] = mapped_column(String(20))


class CorrectedCommitment(Base):
    """Which commitments (by identity, across versions) a correction touched: how a commitment's corrections
    are listed."""

    __tablename__ = "corrected_commitments"

    correction_id: Mapped[str] = mapped_column(ForeignKey("corrections.id", ondelete="CASCADE"), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


class PublicationPolicy(Base):
    """An issuing body's choice of how its documents' commitments reach the tracker (auto, at once, after review)."""

    __tablename__ = "publication_policies"

    body_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    publish: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime]
