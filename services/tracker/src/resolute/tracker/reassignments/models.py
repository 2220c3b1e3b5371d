"""Reassignment proposals: one per open assignment and successor a reorganisation calls for, with its decision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from resolute.tracker.database import Base


class ReassignmentProposal(Base):
    """An open assignment proposed to move from the ministry a reorganisation ended (or whose portfolio it
    moved) to its successor. `status` is proposed until an admin confirms (the assignment moves, its history
    keeps the old ministry) or dismisses it. The id is derived from (assignment, from, to): proposing again,
    on a re-delivered event or a later revision, finds the row it made before."""

    __tablename__ = "reassignment_proposals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    assignment_id: Mapped[str] = mapped_column(String(36), index=True)
    commitment_id: Mapped[str] = mapped_column(String(36))
    country: Mapped[str] = mapped_column(String(2), index=True)
    from_ministry: Mapped[str] = mapped_column(String(60), index=True)
    to_ministry: Mapped[str] = mapped_column(String(60), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    reorganisation: Mapped[str] = mapped_column(Text)
    effective: Mapped[date] = mapped_column(Date)
    source_url: Mapped[str] = mapped_column(Text)
    registry_revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True, default="proposed")
    created_at: Mapped[datetime] = mapped_column(index=True)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
