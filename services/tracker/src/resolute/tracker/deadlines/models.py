"""Per-assignment deadline schedules and the milestones fired (one row each: the exactly-once guarantee)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from resolute.tracker.database import Base


class DeadlineSchedule(Base):
    """When the scheduler must next look at an assignment; NULL `next_fire_at` means nothing is pending."""

    __tablename__ = "deadline_schedules"

    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(String(36), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    projected: Mapped[bool] = mapped_column(Boolean, default=False)
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    next_fire_at: Mapped[datetime | None] = mapped_column(index=True)
    next_milestone: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime]


class FiredMilestone(Base):
    """A milestone that fired: unique per assignment, due date and milestone,
    written in the same transaction as its outbox event."""

    __tablename__ = "deadline_milestones"
    __table_args__ = (UniqueConstraint("assignment_id", "due_date", "milestone"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    milestone: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))
    projected: Mapped[bool] = mapped_column(Boolean, default=False)
    event_id: Mapped[str] = mapped_column(String(64))
    fired_at: Mapped[datetime]
