"""Occurrences of institutional series (known and projected), their append-only history, and joint meetings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from resolute.tracker.database import Base


class CalendarOccurrence(Base):
    """One meeting of a series. Known ones are learnt (from a document) or confirmed (by an admin, whose word
    wins); projected ones are kept for the occurrences deadlines hang on, recomputed whenever the series moves.
    Unnumbered series (NATO summits) are numbered by year."""

    __tablename__ = "calendar_occurrences"

    series: Mapped[str] = mapped_column(String(60), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    start: Mapped[date] = mapped_column(Date, index=True)
    end: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))
    source_document_id: Mapped[str | None] = mapped_column(String(36))
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class CalendarOccurrenceChange(Base):
    """Append-only: every time an occurrence was learnt, confirmed, moved or re-projected."""

    __tablename__ = "calendar_occurrence_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series: Mapped[str] = mapped_column(String(60), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    previous_start: Mapped[date | None] = mapped_column(Date)
    actor: Mapped[str | None] = mapped_column(String(200))
    source_document_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class JointMeetingRecord(Base):
    """Two series that met together (learnt from one document giving both the same dates)."""

    __tablename__ = "calendar_joint_meetings"
    __table_args__ = (
        UniqueConstraint("series", "ordinal", "other_series", "other_ordinal", name="uq_calendar_joint_meetings_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series: Mapped[str] = mapped_column(String(60), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    other_series: Mapped[str] = mapped_column(String(60), index=True)
    other_ordinal: Mapped[int] = mapped_column(Integer)
    source_document_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]
