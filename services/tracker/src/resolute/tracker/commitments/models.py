"""The tracker's record of commitments: what ingest extracted, the resolved deadline, and every revision."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resolute.tracker.database import Base

if TYPE_CHECKING:
    from resolute.tracker.assignments.models import Assignment


class Commitment(Base):
    """A commitment as published by ingest, kept for filtering and fan-out, with its deadline resolved.

    Every field of `resolute.shared.extracted.ExtractedCommitment` and `CommitmentSource` is a column of the
    same name, so `commitment.extracted.v1` maps onto the row by name (`commitments.service`) and the row onto
    the API's answer (`CommitmentOut`) alike.
    """

    __tablename__ = "commitments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(36), index=True)
    document_title: Mapped[str | None] = mapped_column(Text)
    document_kind: Mapped[str] = mapped_column(String(40))
    document_number: Mapped[str | None] = mapped_column(String(40))
    issuing_body: Mapped[str | None] = mapped_column(Text)
    adopted: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    span: Mapped[list[int] | None] = mapped_column(JSON)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    bodies: Mapped[list[str]] = mapped_column(JSON, default=list)
    ministries: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    policy_area: Mapped[str | None] = mapped_column(String(40), index=True)
    deadline: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    due_projected: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline_series: Mapped[str | None] = mapped_column(String(60), index=True)
    deadline_ordinal: Mapped[int | None] = mapped_column(Integer)
    addressed_to: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    confidence: Mapped[float] = mapped_column(Float, default=1.0, server_default=sql_text("1.0"))
    review: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=sql_text("0"))
    published_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="commitment", order_by="Assignment.created_at, Assignment.id", cascade="all, delete-orphan"
    )

    @property
    def reference_date(self) -> date:
        """Where "the next session" and recurring periods count from: adoption, else first publication."""
        return self.adopted or self.published_at.date()


#: what each revision keeps of the commitment (what a newer document version or a withdrawal can change)
REVISED_FIELDS = ("document_id", "document_title", "position", "section", "text", "deadline")
#: what a correction can change besides: kept by every revision since corrections exist (null in older ones)
ADDRESSEE_REVISED = ("label", "countries", "bodies", "ministries", "policy_area")


class CommitmentRevision(Base):
    """Append-only: each version of a commitment's record (first extraction, newer document versions,
    corrections, withdrawal), so it can be read as it stood on a past date. A correction's revision names it
    (`correction_id`) and who made it."""

    __tablename__ = "commitment_revisions"
    __table_args__ = (UniqueConstraint("commitment_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(index=True)
    document_id: Mapped[str] = mapped_column(String(36))
    document_title: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(String(20))
    countries: Mapped[list[str] | None] = mapped_column(JSON)
    bodies: Mapped[list[str] | None] = mapped_column(JSON)
    ministries: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    policy_area: Mapped[str | None] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(200))
    correction_id: Mapped[str | None] = mapped_column(String(36))
