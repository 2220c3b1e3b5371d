"""Assignments and their append-only history; each history row is the whole state after one change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resolute.tracker.commitments.models import Commitment
from resolute.tracker.database import Base


class ReportedState:
    """The columns an assignment and each of its history rows share: who answers besides the lead, and what
    was reported (a history row holds the whole state right after its change)."""

    role: Mapped[str] = mapped_column(String(20))
    supporting_ministries: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact: Mapped[str | None] = mapped_column(Text)
    verification: Mapped[str | None] = mapped_column(String(20))
    verified_status: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    evidence_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    status_changed_at: Mapped[datetime | None]
    status_changed_by: Mapped[str | None] = mapped_column(String(200))


#: an assignment's state as a history row repeats it (and as `views.assignment_state` reads it back)
STATE_COLUMNS = (
    "id",
    "commitment_id",
    "country",
    "ministry",
    "body",
    "role",
    "supporting_ministries",
    "contact",
    "status",
    "verification",
    "verified_status",
    "note",
    "evidence_urls",
    "status_changed_at",
    "status_changed_by",
    "created_at",
    "updated_at",
)


class Assignment(ReportedState, Base):
    """One country (through its lead ministry, with supporting ones) or one body answerable for a commitment.

    The id is derived from (commitment, country) or (commitment, body), so a re-delivered event finds the row
    it made before, and reassigning the ministry keeps the assignment and its history.
    """

    __tablename__ = "assignments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    ministry: Mapped[str | None] = mapped_column(String(60), index=True)
    body: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(30), default="not_reported", index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    commitment: Mapped[Commitment] = relationship(back_populates="assignments")


class AssignmentChange(ReportedState, Base):
    """Append-only history: who did what when, and the assignment's whole state right after."""

    __tablename__ = "assignment_changes"
    __table_args__ = (UniqueConstraint("assignment_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str | None] = mapped_column(String(200))
    actor_scope: Mapped[str | None] = mapped_column(String(120))
    previous_status: Mapped[str | None] = mapped_column(String(30))
    # the state after this change
    commitment_id: Mapped[str] = mapped_column(String(36))
    country: Mapped[str | None] = mapped_column(String(2))
    ministry: Mapped[str | None] = mapped_column(String(60))
    body: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime]
